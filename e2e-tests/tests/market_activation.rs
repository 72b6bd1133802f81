//! Activation on the sandbox chain, with the market's registry-only messages called through the
//! TEST-ONLY registry double as the registry would call them.

mod market_support;
use market_support::*;
use polka_storage_primitives::commitment::{
    cid_to_commitment, compute_unsealed_sector_commitment, CommitmentKind, PaddedPieceSize, PieceInfo,
};

/// Publishes deals of client 0 with the given piece sizes (blocks 10..20, price 1, collateral 1).
fn published(m: &mut Market, sizes: &[u64]) -> anyhow::Result<Vec<DealId>> {
    let deals: Vec<_> = sizes
        .iter()
        .enumerate()
        .map(|(i, size)| {
            let mut p = m.proposal(0, 100 + i as u32, (10, 20), 1, 1);
            p.piece_size = *size;
            m.sandbox.sign(&m.clients[0], p)
        })
        .collect();
    m.publish_ok(&deals)
}

fn piece(deal: &DealProposal) -> PieceInfo {
    PieceInfo {
        commitment: cid_to_commitment(&deal.piece_cid, CommitmentKind::Unsealed).unwrap(),
        size: PaddedPieceSize::new(deal.piece_size).unwrap(),
    }
}

#[test]
fn verification_returns_each_sectors_commd_from_its_pieces_and_changes_nothing() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let ids = published(&mut m, &[512, 128, 1024])?;
    let order = [ids[1], ids[0], ids[2]];
    let provider = m.provider.clone();
    let before = m.sandbox.snapshot()?;
    let answer = m.sandbox.verify(&provider, &[sector(1, 30, &order), sector(2, 30, &[])])?;
    let mut pieces = Vec::new();
    for deal_id in order {
        let DealLookup::Live(deal) = m.sandbox.deal(deal_id)? else { panic!("deal {deal_id} is live") };
        pieces.push(piece(&deal));
    }
    let comm_d = compute_unsealed_sector_commitment(PaddedPieceSize::new(2048).unwrap(), &pieces).unwrap();
    assert_eq!(answer.value, Ok(vec![Some(comm_d), None]));
    assert_eq!(m.sandbox.snapshot()?, before);
    Ok(())
}

#[test]
fn activation_makes_deals_active_in_their_sectors() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let ids = published(&mut m, &[128, 128, 128])?;
    m.sandbox.chain.advance_to(10);
    let provider = m.provider.clone();
    let answer = m
        .sandbox
        .activate(&provider, &[sector(7, 30, &[ids[0], ids[2]]), sector(8, 30, &[ids[1]]), sector(9, 30, &[])])?;
    assert_eq!(answer.value, Ok(()));
    let activated: Vec<DealActivated> = m.sandbox.market.events(&answer.events, "DealActivated")?;
    let client = id(&m.client(0));
    assert_eq!(
        activated,
        [(ids[0], 7), (ids[2], 7), (ids[1], 8)]
            .map(|(deal_id, sector_number)| DealActivated { deal_id, client, provider: id(&provider), sector_number })
            .to_vec()
    );
    for (deal_id, sector_number) in [(ids[0], 7), (ids[2], 7), (ids[1], 8)] {
        let DealLookup::Live(deal) = m.sandbox.deal(deal_id)? else { panic!() };
        let active =
            ActiveDealState { sector_number, sector_start_block: 10, last_updated_block: None, slash_block: None };
        assert_eq!(deal.state, DealState::Active(active));
    }
    let listed: Vec<DealId> = m.sandbox.view("sector_deals", (id(&provider), 7u32))?;
    assert_eq!(listed, vec![ids[0], ids[2]]);
    assert_eq!(m.sandbox.view::<_, u32>("pending_deals", (id(&provider),))?, 0);
    // Activating again fails: the deals are no longer published.
    let error = MarketError::InvalidDealState;
    expect_error(&mut m.sandbox, error, |s| s.activate(&provider, &[sector(10, 30, &[ids[1]])]))?;
    Ok(())
}

/// Spec §8.3 #9: the original skipped a sector whose deals failed (e.g. a deal that timed out
/// between pre-commit and prove-commit) and still activated the sector. Here the call fails.
#[test]
fn a_sector_whose_deal_timed_out_is_not_activated() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let ids = published(&mut m, &[128, 128])?;
    let provider = m.provider.clone();
    let sectors = [sector(1, 30, &[ids[0]]), sector(2, 30, &[ids[1]])];
    assert!(m.sandbox.verify(&provider, &sectors)?.value.is_ok());
    m.sandbox.chain.advance_to(11);
    assert_eq!(m.sandbox.verify(&provider, &sectors)?.value, Err(MarketError::StartBlockElapsed));
    expect_error(&mut m.sandbox, MarketError::StartBlockElapsed, |s| s.activate(&provider, &sectors))?;
    assert_eq!(m.sandbox.view::<_, Vec<DealId>>("sector_deals", (id(&provider), 2u32))?, Vec::<DealId>::new());
    Ok(())
}

#[test]
fn only_the_registry_may_call_the_registry_messages() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let ids = published(&mut m, &[128])?;
    let provider = m.provider.clone();
    let sectors = vec![sector(1, 30, &ids)];
    // The provider itself, calling the market directly.
    expect_error(&mut m.sandbox, MarketError::InvalidCaller, |s| {
        s.call_market::<_, Result<(), MarketError>>(&provider, "activate_deals", (id(&provider), sectors.clone()), 0)
    })?;
    expect_error(&mut m.sandbox, MarketError::InvalidCaller, |s| {
        s.call_market::<_, Result<(), MarketError>>(&provider, "on_sectors_terminate", (id(&provider), vec![1u32]), 0)
    })?;
    let verified: Result<Vec<Option<[u8; 32]>>, MarketError> = m.sandbox.chain.query(
        &provider,
        &m.sandbox.market.clone(),
        "verify_deals_for_activation",
        (id(&provider), sectors),
    )?;
    assert_eq!(verified, Err(MarketError::InvalidCaller));
    Ok(())
}
