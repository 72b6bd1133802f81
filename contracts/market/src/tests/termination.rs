//! `on_sectors_terminate`.

use super::settlement::active_deal;
use super::*;
use polka_storage_primitives::market::{DealEnd, DealEndReason};
use polka_storage_primitives::policy::MAX_SECTORS_PER_CALL;

#[test]
fn termination_after_a_partial_settlement_pays_only_the_rest() {
    let (mut h, client, _) = active_deal();
    h.now = 6;
    h.settle(&[0]).unwrap();
    h.now = 8;
    h.terminate(&[1]).unwrap();
    // 25 at settlement, 10 at termination, 15 refunded.
    assert_eq!((h.free(&client.account()), h.locked(&client.account())), (65, 0));
    assert_eq!(h.free(&provider()), 100 - 15 + 35);
    h.check_state_invariants();
}

/// Spec §8.3 #5: the original failed with `DealNotFound` when a deal of the sector had been
/// settled to completion (and deleted) before the sector was terminated.
#[test]
fn terminating_a_sector_whose_deals_were_settled_is_not_an_error() {
    let mut h = Harness::new();
    let client = Signer::sr25519("//Alice");
    h.deposit(client.account(), 1_000);
    h.deposit(provider(), 1_000);
    let deals =
        [client.sign_deal(proposal(&client, 1, 5, 5, 15, 1)), client.sign_deal(proposal(&client, 1, 21, 5, 15, 2))];
    let ids = h.publish(&deals).unwrap();
    h.activate(&[sector(1, 30, &ids)]).unwrap();
    h.now = 6;
    assert!(h.settle(&[ids[0]]).unwrap().successful[0].completed);
    h.terminate(&[1]).unwrap();
    assert_eq!(h.state.deal(ids[0]), DealLookup::Ended(DealEnd { reason: DealEndReason::Completed, block: 6 }));
    assert_eq!(h.state.deal(ids[1]), DealLookup::Ended(DealEnd { reason: DealEndReason::Terminated, block: 6 }));
    h.check_state_invariants();
}

/// A deal past its end block but not yet settled is left for settlement, which pays it in full.
#[test]
fn a_deal_that_ended_is_left_to_settlement() {
    let (mut h, client, deal_id) = active_deal();
    h.now = 12;
    h.terminate(&[1]).unwrap();
    assert!(matches!(h.state.deal(deal_id), DealLookup::Live(_)));
    assert_eq!(h.state.funds().slashed, 0);
    let report = h.settle(&[deal_id]).unwrap();
    assert_eq!((report.successful[0].amount, report.successful[0].completed), (50, true));
    assert_eq!(h.free(&client.account()), 50);
    assert_eq!(h.free(&provider()), 150);
    h.check_state_invariants();
}

/// Spec §8.3 #6: the original computed `now − start` unsigned and underflowed when a sector was
/// terminated before its deals started.
#[test]
fn terminating_before_the_deal_starts_refunds_the_whole_fee() {
    let mut h = Harness::new();
    let client = Signer::sr25519("//Alice");
    h.deposit(client.account(), 100);
    h.deposit(provider(), 100);
    let ids = h.publish(&[client.sign_deal(proposal(&client, 10, 20, 5, 15, 1))]).unwrap();
    h.now = 3;
    h.activate(&[sector(4, 30, &ids)]).unwrap();
    h.now = 5;
    h.terminate(&[4]).unwrap();
    assert_eq!((h.free(&client.account()), h.locked(&client.account())), (100, 0));
    assert_eq!((h.free(&provider()), h.locked(&provider())), (85, 0));
    h.check_state_invariants();
}

#[test]
fn unknown_sectors_are_skipped_and_too_many_are_rejected() {
    let (mut h, _, _) = active_deal();
    h.now = 2;
    h.terminate(&[5, 6]).unwrap();
    let sectors: Vec<SectorNumber> = (0..=MAX_SECTORS_PER_CALL as u32).collect();
    h.expect_error(MarketError::TooManySectors, |h| h.terminate(&sectors));
    h.check_state_invariants();
}
