//! `settle_deal_payments` on the sandbox chain, with the spec's §6 example: a deal of blocks
//! 1..11 at 5 per block, collateral 15, settled at block 6 (25 paid) and at 11 (the rest and
//! the collateral).

mod market_support;
use market_support::*;

/// The §6 deal, published and activated at block 1 in sector 1.
pub fn spec_deal(m: &mut Market) -> anyhow::Result<DealId> {
    let deal = m.signed(0, 1, (1, 11), 5, 15);
    let ids = m.publish_ok(&[deal])?;
    m.activate_ok(&[sector(1, 30, &ids)])?;
    Ok(ids[0])
}

#[test]
fn settling_pays_25_at_block_6_then_the_rest_and_the_collateral_at_the_end() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let deal_id = spec_deal(&mut m)?;
    let (client, provider) = (m.client(0), m.provider.clone());
    let anyone = dev_account("Eve");
    let settled =
        |amount, completed| SettledDeal { deal_id, client: id(&client), provider: id(&provider), amount, completed };

    m.sandbox.chain.advance_to(6);
    let answer = m.sandbox.settle(&anyone, &[deal_id])?;
    assert_eq!(answer.value, Ok(SettlementReport { successful: vec![settled(25, false)], unsuccessful: vec![] }));
    let events: Vec<DealsSettled> = m.sandbox.market.events(&answer.events, "DealsSettled")?;
    assert_eq!(events, vec![DealsSettled { successful: vec![settled(25, false)], unsuccessful: vec![] }]);
    assert_eq!(m.funds_of(&client)?, (FUNDS - 50, 25));
    assert_eq!(m.funds_of(&provider)?, (FUNDS - 15 + 25, 15));
    // Settling again in the same block pays nothing.
    let answer = m.sandbox.settle(&anyone, &[deal_id])?;
    assert_eq!(answer.value.map(|r| r.successful), Ok(vec![settled(0, false)]));

    m.sandbox.chain.advance_to(11);
    let answer = m.sandbox.settle(&anyone, &[deal_id])?;
    assert_eq!(answer.value.map(|r| r.successful), Ok(vec![settled(25, true)]));
    assert_eq!(m.funds_of(&client)?, (FUNDS - 50, 0));
    assert_eq!(m.funds_of(&provider)?, (FUNDS + 50, 0));
    assert_eq!(m.sandbox.deal(deal_id)?, DealLookup::Ended(DealEnd { reason: DealEndReason::Completed, block: 11 }));
    assert_eq!(m.sandbox.view::<_, Vec<DealId>>("sector_deals", (id(&provider), 1u32))?, Vec::<DealId>::new());
    let answer = m.sandbox.settle(&anyone, &[deal_id])?;
    assert_eq!(answer.value.map(|r| r.unsuccessful), Ok(vec![(deal_id, DealSettlementError::DealNotFound)]));
    Ok(())
}

#[test]
fn each_deal_succeeds_or_fails_on_its_own_and_a_timed_out_one_is_slashed_lazily() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let deals: Vec<_> = [(1, 11), (1, 11), (5, 15), (3, 13)]
        .iter()
        .enumerate()
        .map(|(i, blocks)| m.signed(0, i as u32, *blocks, 2, 3))
        .collect();
    let ids = m.publish_ok(&deals)?;
    m.activate_ok(&[sector(1, 30, &[ids[0], ids[2]])])?;
    m.sandbox.chain.advance_to(3);
    let anyone = dev_account("Eve");
    let answer = m.sandbox.settle(&anyone, &[ids[0], 77, ids[2], ids[3], ids[1]])?;
    let report = answer.value.clone().unwrap();
    assert_eq!(report.successful.iter().map(|s| (s.deal_id, s.amount)).collect::<Vec<_>>(), vec![(ids[0], 4)]);
    assert_eq!(
        report.unsuccessful,
        vec![
            (77, DealSettlementError::DealNotFound),
            (ids[2], DealSettlementError::EarlySettlement),
            (ids[3], DealSettlementError::DealNotActive),
            // Due at block 1, never activated: slashed by this call.
            (ids[1], DealSettlementError::SlashedDeal),
        ]
    );
    let slashed: Vec<DealSlashed> = m.sandbox.market.events(&answer.events, "DealSlashed")?;
    let (client, provider) = (id(&m.client(0)), id(&m.provider));
    assert_eq!(slashed, vec![DealSlashed { deal_id: ids[1], amount: 3, client, provider }]);
    assert_eq!(m.sandbox.funds()?.slashed, 3);
    assert_eq!(m.sandbox.deal(ids[1])?, DealLookup::Ended(DealEnd { reason: DealEndReason::TimedOut, block: 3 }));
    Ok(())
}
