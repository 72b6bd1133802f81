//! `publish_storage_deals` on the sandbox chain: real signatures of all three kinds made with
//! sp-core, raw and `<Bytes>`-wrapped, every error in the spec's order, all or nothing.

mod market_support;
use market_support::*;
use polka_storage_primitives::commitment::CidError;
use polka_storage_primitives::policy::{MAX_DEALS_PER_PUBLISH, MAX_PENDING_DEALS_PER_PROVIDER};

#[test]
fn deals_signed_with_every_key_kind_raw_and_wrapped_are_published() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let mut deals = Vec::new();
    for (i, client) in m.clients.iter().enumerate() {
        let raw = proposal(&client.account(), &m.provider, 2 * i as u32, (10, 20), 5, 15);
        let wrapped = proposal(&client.account(), &m.provider, 2 * i as u32 + 1, (10, 20), 5, 15);
        deals.push(client.sign_deal(&m.sandbox.domain, raw));
        deals.push(client.sign_deal_wrapped(&m.sandbox.domain, wrapped));
    }
    let provider = m.provider.clone();
    let answer = m.sandbox.publish(&provider, &deals)?;
    assert_eq!(answer.value, Ok((0..6).collect::<Vec<DealId>>()));
    let published: Vec<DealsPublished> = m.sandbox.market.events(&answer.events, "DealsPublished")?;
    let expected: Vec<PublishedDeal> = deals
        .iter()
        .enumerate()
        .map(|(i, d)| PublishedDeal { client: d.proposal.client, deal_id: i as DealId })
        .collect();
    assert_eq!(published, vec![DealsPublished { provider: id(&provider), deals: expected }]);
    for i in 0..3 {
        let client = m.client(i);
        assert_eq!(m.funds_of(&client)?, (FUNDS - 100, 100));
    }
    assert_eq!(m.funds_of(&provider)?, (FUNDS - 90, 90));
    assert_eq!(m.sandbox.view::<_, u32>("pending_deals", (id(&provider),))?, 6);
    assert_eq!(m.sandbox.deal(3)?, DealLookup::Live(deals[3].proposal.clone()));
    println!("publishing 6 deals of 3 kinds: {:?}", answer.gas);
    Ok(())
}

#[test]
fn a_development_wallet_signature_is_accepted() -> anyhow::Result<()> {
    // The key Polkadot.js derives for //Ferdie, as the deploy crate's dev_pair makes it.
    let mut m = Market::new()?;
    let ferdie = polka_storage_deploy::chain::dev_pair("Ferdie");
    let account = polka_storage_deploy::chain::dev_account("Ferdie");
    m.sandbox.add_balance(&account, 100)?;
    let p = proposal(&account, &m.provider, 1, (10, 20), 1, 1);
    use sp_core::Pair;
    let deal = ClientDealProposal {
        client_signature: ClientSignature::Sr25519(ferdie.sign(&p.signing_payload(&m.sandbox.domain)).0),
        proposal: p,
    };
    assert_eq!(m.publish_ok(&[deal])?, vec![0]);
    Ok(())
}

/// Each malformed proposal, signed by its client, with the error it must get.
fn malformed(m: &Market) -> Vec<(&'static str, DealProposal, MarketError)> {
    let base = m.proposal(0, 1, (10, 20), 5, 15);
    let with = |change: &dyn Fn(&mut DealProposal)| {
        let mut p = base.clone();
        change(&mut p);
        p
    };
    let mut short_digest = base.piece_cid.clone();
    short_digest[6] = 31;
    short_digest.pop();
    let active = DealState::Active(ActiveDealState {
        sector_number: 1,
        sector_start_block: 10,
        last_updated_block: None,
        slash_block: None,
    });
    vec![
        // Spec §8.3 #15: the original panicked on a digest that is not 32 bytes.
        (
            "31-byte digest",
            with(&|p| p.piece_cid = short_digest.clone()),
            MarketError::InvalidPieceCid(CidError::WrongDigestLength),
        ),
        ("truncated CID", with(&|p| p.piece_cid.truncate(20)), MarketError::InvalidPieceCid(CidError::Truncated)),
        ("empty CID", with(&|p| p.piece_cid.clear()), MarketError::InvalidPieceCid(CidError::Truncated)),
        ("CIDv0", with(&|p| p.piece_cid[0] = 0), MarketError::InvalidPieceCid(CidError::NotCidV1)),
        ("sealed codec", with(&|p| p.piece_cid[1] = 0x82), MarketError::InvalidPieceCid(CidError::WrongCodec)),
        (
            "sha2-256 multihash",
            with(&|p| {
                p.piece_cid.splice(4..6, [0x12]);
            }),
            MarketError::InvalidPieceCid(CidError::WrongMultihash),
        ),
        ("trailing byte", with(&|p| p.piece_cid.push(0)), MarketError::InvalidPieceCid(CidError::TrailingBytes)),
        (
            "overlong varint",
            with(&|p| p.piece_cid = vec![0xff; 12]),
            MarketError::InvalidPieceCid(CidError::MalformedVarint),
        ),
        ("piece size 100", with(&|p| p.piece_size = 100), MarketError::InvalidPieceSize),
        ("piece size 384", with(&|p| p.piece_size = 384), MarketError::InvalidPieceSize),
        ("129-byte label", with(&|p| p.label = vec![b'x'; 129]), MarketError::LabelTooLong),
        ("end = start", with(&|p| p.end_block = p.start_block), MarketError::DealEndBeforeStart),
        (
            "start passed",
            with(&|p| {
                p.start_block = 0;
                p.end_block = 10
            }),
            MarketError::DealStartExpired,
        ),
        ("active state", with(&|p| p.state = active), MarketError::DealNotPublished),
        ("1-block deal", with(&|p| p.end_block = p.start_block + 1), MarketError::DealDurationOutOfBounds),
        ("31-block deal", with(&|p| p.end_block = p.start_block + 31), MarketError::DealDurationOutOfBounds),
        ("fee over free", with(&|p| p.storage_price_per_block = 101), MarketError::InsufficientFreeFunds),
        ("collateral over free", with(&|p| p.provider_collateral = FUNDS + 1), MarketError::InsufficientFreeFunds),
        ("fee overflow", with(&|p| p.storage_price_per_block = u128::MAX), MarketError::ArithmeticOverflow),
    ]
}

#[test]
fn every_malformed_proposal_gets_its_named_error_and_changes_nothing() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    m.sandbox.chain.advance_to(2);
    let good = m.signed(1, 9, (10, 20), 5, 15);
    let provider = m.provider.clone();
    for (what, bad, error) in malformed(&m) {
        let bad = m.sandbox.sign(&m.clients[0], bad);
        println!("{what}");
        expect_error(&mut m.sandbox, error, |s| s.publish(&provider, &[bad.clone()]))?;
        // After a valid deal: all or nothing.
        expect_error(&mut m.sandbox, error, |s| s.publish(&provider, &[good.clone(), bad]))?;
    }
    Ok(())
}

#[test]
fn batches_must_be_non_empty_bounded_and_all_the_callers() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let provider = m.provider.clone();
    expect_error(&mut m.sandbox, MarketError::NoProposalsToBePublished, |s| s.publish(&provider, &[]))?;
    let deals: Vec<_> = (0..=MAX_DEALS_PER_PUBLISH as u32).map(|i| m.signed(0, i, (10, 12), 1, 1)).collect();
    expect_error(&mut m.sandbox, MarketError::TooManyProposals, |s| s.publish(&provider, &deals))?;
    // Registered, but not the provider of the first deal, or of a later one.
    let eve = dev_account("Eve");
    assert_eq!(m.sandbox.register_provider(&eve)?.value, Ok(()));
    let first = m.signed(0, 1, (10, 20), 5, 15);
    expect_error(&mut m.sandbox, MarketError::ProposalsPublishedByIncorrectStorageProvider, |s| {
        s.publish(&eve, &[first.clone()])
    })?;
    let mut theirs = m.proposal(1, 2, (10, 20), 5, 15);
    theirs.provider = id(&eve);
    let theirs = m.sandbox.sign(&m.clients[1], theirs);
    expect_error(&mut m.sandbox, MarketError::ProposalsPublishedByIncorrectStorageProvider, |s| {
        s.publish(&provider, &[first, theirs])
    })?;
    Ok(())
}

#[test]
fn an_unregistered_provider_cannot_publish() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let eve = dev_account("Eve");
    m.sandbox.add_balance(&eve, 100)?;
    let mut p = m.proposal(0, 1, (10, 20), 1, 1);
    p.provider = id(&eve);
    let deal = m.sandbox.sign(&m.clients[0], p);
    expect_error(&mut m.sandbox, MarketError::StorageProviderNotRegistered, |s| s.publish(&eve, &[deal.clone()]))?;
    assert_eq!(m.sandbox.register_provider(&eve)?.value, Ok(()));
    assert_eq!(m.sandbox.publish(&eve, &[deal])?.value, Ok(vec![0]));
    Ok(())
}

#[test]
fn fees_and_collateral_are_checked_over_the_whole_batch() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let provider = m.provider.clone();
    // Client fees 500 + 510 > 1000.
    let (a, b) = (m.signed(0, 1, (10, 20), 50, 1), m.signed(0, 2, (10, 20), 51, 1));
    expect_error(&mut m.sandbox, MarketError::InsufficientFreeFunds, |s| s.publish(&provider, &[a, b]))?;
    // Provider collateral 500 + 501 > 1000, over two clients.
    let (a, b) = (m.signed(0, 1, (10, 20), 1, 500), m.signed(1, 2, (10, 20), 1, 501));
    expect_error(&mut m.sandbox, MarketError::InsufficientFreeFunds, |s| s.publish(&provider, &[a, b]))?;
    let (a, b) = (m.signed(0, 1, (10, 20), 50, 500), m.signed(0, 2, (10, 20), 50, 500));
    assert_eq!(m.publish_ok(&[a, b])?, vec![0, 1]);
    assert_eq!(m.funds_of(&m.client(0))?, (0, FUNDS));
    assert_eq!(m.funds_of(&provider)?, (0, FUNDS));
    Ok(())
}

#[test]
fn a_duplicate_deal_is_rejected_in_a_batch_and_while_pending() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let provider = m.provider.clone();
    let deal = m.signed(2, 1, (10, 20), 5, 15);
    expect_error(&mut m.sandbox, MarketError::DuplicateDeal, |s| s.publish(&provider, &[deal.clone(), deal.clone()]))?;
    assert_eq!(m.publish_ok(&[deal.clone()])?, vec![0]);
    expect_error(&mut m.sandbox, MarketError::DuplicateDeal, |s| s.publish(&provider, &[deal.clone()]))?;
    // The same proposal signed the other way is still the same proposal.
    let wrapped = m.sandbox.sign_wrapped(&m.clients[2], deal.proposal.clone());
    expect_error(&mut m.sandbox, MarketError::DuplicateDeal, |s| s.publish(&provider, &[wrapped]))?;
    Ok(())
}

/// Issue 14 #1: activation took the proposal off the pending set, so its provider could publish
/// the same signed proposal again before its start block and lock the client's fee twice.
#[test]
fn a_signed_deal_is_published_once_even_after_activation() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let provider = m.provider.clone();
    let deal = m.signed(0, 1, (10, 20), 5, 15);
    assert_eq!(m.publish_ok(&[deal.clone()])?, vec![0]);
    m.sandbox.chain.advance_to(5);
    m.activate_ok(&[sector(1, 30, &[0])])?;
    assert_eq!(m.sandbox.view::<_, u32>("pending_deals", (id(&provider),))?, 0);
    expect_error(&mut m.sandbox, MarketError::DuplicateDeal, |s| s.publish(&provider, &[deal.clone()]))?;
    let wrapped = m.sandbox.sign_wrapped(&m.clients[0], deal.proposal.clone());
    expect_error(&mut m.sandbox, MarketError::DuplicateDeal, |s| s.publish(&provider, &[wrapped]))?;
    // Up to its start block; after it the proposal is refused for its start.
    m.sandbox.chain.advance_to(10);
    expect_error(&mut m.sandbox, MarketError::DuplicateDeal, |s| s.publish(&provider, &[deal.clone()]))?;
    m.sandbox.chain.advance_to(11);
    expect_error(&mut m.sandbox, MarketError::DealStartExpired, |s| s.publish(&provider, &[deal]))?;
    assert_eq!(m.funds_of(&m.client(0))?, (FUNDS - 50, 50));
    Ok(())
}

/// Spec §8.3 #11: the original kept one pending set for all providers (128 in production), so
/// one provider could block everyone's publishing with `TooManyPendingDeals`.
#[test]
fn the_pending_limit_is_per_provider() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let provider = m.provider.clone();
    let batches = MAX_PENDING_DEALS_PER_PROVIDER / MAX_DEALS_PER_PUBLISH as u32;
    for batch in 0..batches {
        let deals: Vec<_> =
            (0..MAX_DEALS_PER_PUBLISH as u32).map(|i| m.signed(0, batch * 100 + i, (10, 12), 1, 1)).collect();
        m.publish_ok(&deals)?;
    }
    assert_eq!(m.sandbox.view::<_, u32>("pending_deals", (id(&provider),))?, MAX_PENDING_DEALS_PER_PROVIDER);
    let one_more = m.signed(0, 999, (10, 12), 1, 1);
    expect_error(&mut m.sandbox, MarketError::TooManyPendingDeals, |s| s.publish(&provider, &[one_more]))?;
    // Another provider publishes as usual.
    let ferdie = dev_account("Ferdie");
    assert_eq!(m.sandbox.register_provider(&ferdie)?.value, Ok(()));
    m.sandbox.add_balance(&ferdie, 100)?;
    let mut theirs = m.proposal(1, 1, (10, 12), 1, 1);
    theirs.provider = id(&ferdie);
    let theirs = m.sandbox.sign(&m.clients[1], theirs);
    assert_eq!(m.sandbox.publish(&ferdie, &[theirs])?.value, Ok(vec![DealId::from(MAX_PENDING_DEALS_PER_PROVIDER)]));
    Ok(())
}
