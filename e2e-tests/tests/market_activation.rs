//! Activation on the sandbox chain, with the market's registry-only messages called through the
//! TEST-ONLY registry double as the registry would call them.

mod market_support;
use market_support::*;
use polka_storage_primitives::commitment::{
    cid_to_commitment, compute_unsealed_sector_commitment, CommDError, CommitmentKind, PaddedPieceSize, PieceInfo,
};
use polka_storage_primitives::policy::{MAX_DEALS_PER_SECTOR, MAX_SECTORS_PER_CALL};

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

#[test]
fn every_activation_error_is_named_and_changes_nothing() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let ids = published(&mut m, &[1024, 1024, 128, 128])?;
    let provider = m.provider.clone();
    // A deal of another provider, and an active deal.
    let eve = dev_account("Eve");
    assert_eq!(m.sandbox.register_provider(&eve)?.value, Ok(()));
    m.sandbox.add_balance(&eve, 100)?;
    let mut p = m.proposal(1, 1, (10, 20), 1, 1);
    p.provider = id(&eve);
    let deal = m.sandbox.sign(&m.clients[1], p);
    let theirs = m.sandbox.publish(&eve, &[deal])?.value.unwrap()[0];
    m.activate_ok(&[sector(1, 30, &[ids[3]])])?;

    let too_many_sectors: Vec<_> = (0..=MAX_SECTORS_PER_CALL as u32).map(|n| sector(100 + n, 30, &[])).collect();
    let cases: Vec<(&str, Vec<SectorDeal>, MarketError)> = vec![
        ("33 sectors", too_many_sectors, MarketError::TooManySectors),
        ("sector twice", vec![sector(2, 30, &[]), sector(2, 30, &[])], MarketError::SectorAlreadyActivated),
        ("sector already active", vec![sector(1, 30, &[ids[2]])], MarketError::SectorAlreadyActivated),
        ("17 deals", vec![sector(2, 30, &[ids[2]; MAX_DEALS_PER_SECTOR + 1])], MarketError::TooManyDealsInSector),
        ("deal twice in a sector", vec![sector(2, 30, &[ids[2], ids[2]])], MarketError::DuplicateDeal),
        // Spec §8.3 #9: two sectors with the same deal.
        ("deal in two sectors", vec![sector(2, 30, &[ids[2]]), sector(3, 30, &[ids[2]])], MarketError::DuplicateDeal),
        ("unknown deal", vec![sector(2, 30, &[99])], MarketError::DealNotFound),
        ("another provider's deal", vec![sector(2, 30, &[theirs])], MarketError::InvalidProvider),
        ("active deal", vec![sector(2, 30, &[ids[3]])], MarketError::InvalidDealState),
        ("sector expires first", vec![sector(2, 19, &[ids[2]])], MarketError::SectorExpiresBeforeDeal),
        ("2176 bytes", vec![sector(2, 30, &[ids[0], ids[1], ids[2]])], MarketError::DealsTooLargeToFitIntoSector),
    ];
    for (what, sectors, error) in cases {
        println!("{what}");
        let answer = m.sandbox.verify(&provider, &sectors)?;
        assert_eq!(answer.value, Err(error));
        expect_error(&mut m.sandbox, error, |s| s.activate(&provider, &sectors))?;
    }
    Ok(())
}

#[test]
fn pieces_that_fit_by_size_but_not_by_alignment_fail_commd() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    // 128 + 1024 + 512 = 1664 bytes, but the 1024 piece must start at 1024, leaving no room.
    let ids = published(&mut m, &[128, 1024, 512])?;
    let provider = m.provider.clone();
    let sectors = [sector(1, 30, &ids)];
    let error = MarketError::CommD(CommDError::PiecesDoNotFit);
    assert_eq!(m.sandbox.verify(&provider, &sectors)?.value, Err(error));
    expect_error(&mut m.sandbox, error, |s| s.activate(&provider, &sectors))?;
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
