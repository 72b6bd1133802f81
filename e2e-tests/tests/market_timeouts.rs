//! Deals not activated by their start block: slashed by the crank `process_deal_timeouts` (anyone
//! may call it) and lazily by settlement, on the sandbox chain.

mod market_support;
use market_support::*;

#[test]
fn the_crank_slashes_timed_out_deals_and_nothing_else() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let deals = [m.signed(1, 1, (5, 15), 2, 7), m.signed(2, 2, (8, 18), 2, 7), m.signed(0, 3, (5, 15), 2, 7)];
    let ids = m.publish_ok(&deals)?;
    m.activate_ok(&[sector(1, 30, &[ids[2]])])?;
    let anyone = dev_account("Eve");
    // In its start block a deal may still be activated.
    m.sandbox.chain.advance_to(5);
    assert_eq!(m.sandbox.process_timeouts(&anyone, &ids)?.value, Ok(vec![]));
    m.sandbox.chain.advance_to(6);
    let answer = m.sandbox.process_timeouts(&anyone, &[ids[0], ids[1], ids[2], 42])?;
    assert_eq!(answer.value, Ok(vec![ids[0]]));
    let slashed: Vec<DealSlashed> = m.sandbox.market.events(&answer.events, "DealSlashed")?;
    let (client, provider) = (m.client(1), m.provider.clone());
    assert_eq!(slashed, vec![DealSlashed { deal_id: ids[0], amount: 7, client: id(&client), provider: id(&provider) }]);
    // The client got its whole fee back; the collateral is slashed and nobody can withdraw it.
    assert_eq!(m.funds_of(&client)?, (FUNDS, 0));
    assert_eq!(m.funds_of(&provider)?, (FUNDS - 21, 14));
    assert_eq!(m.sandbox.funds()?.slashed, 7);
    assert_eq!(m.sandbox.deal(ids[0])?, DealLookup::Ended(DealEnd { reason: DealEndReason::TimedOut, block: 6 }));
    assert_eq!(m.sandbox.view::<_, u32>("pending_deals", (id(&provider),))?, 1);
    // Nothing more to do, however often it is called.
    assert_eq!(m.sandbox.process_timeouts(&anyone, &ids)?.value, Ok(vec![]));
    m.sandbox.chain.advance_to(9);
    assert_eq!(m.sandbox.process_timeouts(&anyone, &ids)?.value, Ok(vec![ids[1]]));
    assert_eq!(m.sandbox.funds()?.slashed, 14);
    Ok(())
}

#[test]
fn a_timed_out_deal_is_slashed_lazily_by_settlement() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let ids = m.publish_ok(&[m.signed(0, 1, (5, 15), 2, 7)])?;
    m.sandbox.chain.advance_to(20);
    let answer = m.sandbox.settle(&dev_account("Eve"), &ids)?;
    assert_eq!(answer.value.map(|r| r.unsuccessful), Ok(vec![(ids[0], DealSettlementError::SlashedDeal)]));
    assert_eq!(m.sandbox.funds()?.slashed, 7);
    assert_eq!(m.funds_of(&m.client(0))?, (FUNDS, 0));
    // Slashed funds stay in the contract, owed to nobody: the provider cannot withdraw them.
    let provider = m.provider.clone();
    expect_error(&mut m.sandbox, MarketError::InsufficientFreeFunds, |s| s.withdraw_balance(&provider, FUNDS - 6))?;
    Ok(())
}

#[test]
fn a_slashed_proposal_is_no_longer_pending() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let deal = m.signed(0, 1, (5, 15), 2, 7);
    let ids = m.publish_ok(&[deal.clone()])?;
    m.sandbox.chain.advance_to(6);
    m.sandbox.process_timeouts(&dev_account("Eve"), &ids)?;
    // Its start has passed now; the pending entry is gone, so the error is about time, not a duplicate.
    let provider = m.provider.clone();
    expect_error(&mut m.sandbox, MarketError::DealStartExpired, |s| s.publish(&provider, &[deal]))?;
    Ok(())
}
