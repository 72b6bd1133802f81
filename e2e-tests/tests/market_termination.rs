//! `on_sectors_terminate` on the sandbox chain (called through the TEST-ONLY registry double),
//! with the spec's §6 example and the original's bugs 5 and 6 (spec §8.3).

mod market_support;
use market_support::*;

/// The spec's `on_sector_terminate_active` example (deal 0→10 at 5, collateral 15, terminated at
/// block 1), one block later because the chain starts at block 1: deal 1→11 terminated at 2.
#[test]
fn terminating_one_block_in_pays_5_slashes_15_and_unlocks_45() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let ids = m.publish_ok(&[m.signed(0, 1, (1, 11), 5, 15)])?;
    m.activate_ok(&[sector(1, 30, &ids)])?;
    let (client, provider) = (m.client(0), m.provider.clone());
    assert_eq!(m.funds_of(&client)?, (FUNDS - 50, 50));
    m.sandbox.chain.advance_to(2);
    let answer = m.sandbox.terminate(&provider, &[1])?;
    assert_eq!(answer.value, Ok(()));
    let terminated: Vec<DealTerminated> = m.sandbox.market.events(&answer.events, "DealTerminated")?;
    assert_eq!(
        terminated,
        vec![DealTerminated {
            deal_id: ids[0],
            client: id(&client),
            provider: id(&provider),
            paid: 5,
            slashed: 15,
            refunded: 45
        }]
    );
    assert_eq!(m.funds_of(&client)?, (FUNDS - 5, 0));
    assert_eq!(m.funds_of(&provider)?, (FUNDS - 15 + 5, 0));
    assert_eq!(m.sandbox.funds()?.slashed, 15);
    assert_eq!(m.sandbox.deal(ids[0])?, DealLookup::Ended(DealEnd { reason: DealEndReason::Terminated, block: 2 }));
    assert_eq!(m.sandbox.view::<_, Vec<DealId>>("sector_deals", (id(&provider), 1u32))?, Vec::<DealId>::new());
    Ok(())
}

/// Spec §8.3 #5: the original failed the whole call with `DealNotFound` when a deal of the
/// sector had been settled to completion before the sector was terminated.
#[test]
fn terminating_a_sector_whose_deal_was_settled_to_completion_succeeds() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let ids = m.publish_ok(&[m.signed(0, 1, (1, 5), 5, 15), m.signed(0, 2, (1, 21), 5, 15)])?;
    m.activate_ok(&[sector(1, 30, &ids)])?;
    m.sandbox.chain.advance_to(6);
    let settled = m.sandbox.settle(&dev_account("Eve"), &ids[..1])?.value.unwrap();
    assert!(settled.successful[0].completed);
    let provider = m.provider.clone();
    assert_eq!(m.sandbox.terminate(&provider, &[1])?.value, Ok(()));
    assert_eq!(m.sandbox.deal(ids[0])?, DealLookup::Ended(DealEnd { reason: DealEndReason::Completed, block: 6 }));
    assert_eq!(m.sandbox.deal(ids[1])?, DealLookup::Ended(DealEnd { reason: DealEndReason::Terminated, block: 6 }));
    Ok(())
}

#[test]
fn a_deal_past_its_end_is_left_to_settlement_which_pays_it_in_full() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let ids = m.publish_ok(&[m.signed(0, 1, (1, 11), 5, 15)])?;
    m.activate_ok(&[sector(1, 30, &ids)])?;
    m.sandbox.chain.advance_to(12);
    let provider = m.provider.clone();
    assert_eq!(m.sandbox.terminate(&provider, &[1])?.value, Ok(()));
    assert_eq!(m.sandbox.funds()?.slashed, 0);
    let report = m.sandbox.settle(&provider, &ids)?.value.unwrap();
    assert_eq!((report.successful[0].amount, report.successful[0].completed), (50, true));
    assert_eq!(m.funds_of(&provider)?, (FUNDS + 50, 0));
    Ok(())
}
