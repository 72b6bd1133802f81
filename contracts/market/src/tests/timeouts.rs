//! `process_deal_timeouts`: the crank that slashes deals not activated by their start block.

use super::*;
use polka_storage_primitives::market::{DealEnd, DealEndReason, DealSlashed};
use polka_storage_primitives::policy::MAX_DEALS_PER_SETTLEMENT;

#[test]
fn the_crank_slashes_only_deals_past_their_start_block() {
    let mut h = Harness::new();
    let client = Signer::ed25519("//Alice");
    h.deposit(client.account(), 1_000);
    h.deposit(provider(), 1_000);
    let deals =
        [client.sign_deal(proposal(&client, 5, 15, 2, 7, 1)), client.sign_deal(proposal(&client, 8, 18, 2, 7, 2))];
    let ids = h.publish(&deals).unwrap();
    h.now = 5;
    // Not yet: a deal may be activated in its start block.
    assert_eq!(h.state.process_deal_timeouts(h.now, &ids).unwrap().0, Vec::<DealId>::new());
    h.now = 6;
    let (slashed, events) = h.state.process_deal_timeouts(h.now, &[ids[0], ids[1], 42]).unwrap();
    assert_eq!(slashed, vec![ids[0]]);
    assert_eq!(
        events,
        vec![Event::DealSlashed(DealSlashed {
            deal_id: ids[0],
            amount: 7,
            client: client.account(),
            provider: provider()
        })]
    );
    assert_eq!(h.state.deal(ids[0]), DealLookup::Ended(DealEnd { reason: DealEndReason::TimedOut, block: 6 }));
    assert_eq!((h.free(&client.account()), h.locked(&client.account())), (980, 20));
    assert_eq!((h.free(&provider()), h.locked(&provider())), (986, 7));
    assert_eq!(h.state.funds().slashed, 7);
    assert_eq!(h.state.pending_deals(&provider()), 1);
    h.check_state_invariants();
    // Again: nothing left to do.
    assert_eq!(h.state.process_deal_timeouts(h.now, &ids).unwrap().0, Vec::<DealId>::new());
    // The same proposal may be published again once it is no longer pending.
    h.now = 2;
    assert_eq!(h.publish(&deals[..1]), Ok(vec![2]));
    h.check_state_invariants();
}

#[test]
fn active_deals_are_never_timed_out() {
    let (mut h, _, deal_id) = super::settlement::active_deal();
    h.now = 20;
    assert_eq!(h.state.process_deal_timeouts(h.now, &[deal_id]).unwrap().0, Vec::<DealId>::new());
    h.check_state_invariants();
}

#[test]
fn empty_and_oversized_id_lists_are_rejected() {
    let h = Harness::new();
    let mut state = h.state;
    assert_eq!(state.process_deal_timeouts(1, &[]).map(|r| r.0), Err(MarketError::NoDealIds));
    assert_eq!(
        state.process_deal_timeouts(1, &[0; MAX_DEALS_PER_SETTLEMENT + 1]).map(|r| r.0),
        Err(MarketError::TooManyDealIds)
    );
}
