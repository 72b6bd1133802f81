//! `publish_storage_deals` on the sandbox chain: real signatures of all three kinds made with
//! sp-core, raw and `<Bytes>`-wrapped, every error in the spec's order, all or nothing.

mod market_support;
use market_support::*;
use polka_storage_primitives::policy::MAX_DEALS_PER_PUBLISH;

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
