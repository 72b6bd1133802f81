//! `settle_deal_payments`.

use super::*;
use polka_storage_primitives::market::{DealSettlementError, DealSlashed};
use polka_storage_primitives::policy::MAX_DEALS_PER_SETTLEMENT;

/// The spec's §6 example: a deal of blocks 1..11 at 5 per block with collateral 15, activated.
pub(super) fn active_deal() -> (Harness, Signer, DealId) {
    let mut h = Harness::new();
    let client = Signer::sr25519("//Alice");
    h.deposit(client.account(), 100);
    h.deposit(provider(), 100);
    let ids = h.publish(&[client.sign_deal(proposal(&client, 1, 11, 5, 15, 1))]).unwrap();
    h.activate(&[sector(1, 30, &ids)]).unwrap();
    (h, client, ids[0])
}

#[test]
fn settling_long_after_the_end_pays_only_up_to_the_end() {
    let (mut h, _, deal_id) = active_deal();
    h.now = 25;
    assert_eq!(h.settle(&[deal_id]).unwrap().successful[0].amount, 50);
    assert_eq!(h.free(&provider()), 150);
    h.check_state_invariants();
}

#[test]
fn each_deal_succeeds_or_fails_on_its_own() {
    let mut h = Harness::new();
    let client = Signer::sr25519("//Alice");
    h.deposit(client.account(), 1_000);
    h.deposit(provider(), 1_000);
    let deals: Vec<_> = [(1, 11), (1, 11), (5, 15), (3, 13), (4, 14)]
        .iter()
        .enumerate()
        .map(|(i, (start, end))| client.sign_deal(proposal(&client, *start, *end, 2, 3, i as u8)))
        .collect();
    let ids = h.publish(&deals).unwrap();
    // Deal 0 and 2 active; deal 2 starts at 5.
    h.activate(&[sector(1, 30, &[ids[0], ids[2]])]).unwrap();
    h.now = 3;
    let report = h.settle(&[ids[0], 77, ids[2], ids[3], ids[1]]).unwrap();
    assert_eq!(report.successful.iter().map(|s| (s.deal_id, s.amount)).collect::<Vec<_>>(), vec![(ids[0], 4)]);
    assert_eq!(
        report.unsuccessful,
        vec![
            (77, DealSettlementError::DealNotFound),
            (ids[2], DealSettlementError::EarlySettlement),
            (ids[3], DealSettlementError::DealNotActive),
            // Deal 1 was due at block 1 and never activated: slashed now (lazily).
            (ids[1], DealSettlementError::SlashedDeal),
        ]
    );
    assert!(h.events.contains(&Event::DealSlashed(DealSlashed {
        deal_id: ids[1],
        amount: 3,
        client: client.account(),
        provider: provider()
    })));
    assert_eq!(h.state.funds().slashed, 3);
    h.check_state_invariants();
}

#[test]
fn empty_and_oversized_id_lists_are_rejected() {
    let (mut h, _, _) = active_deal();
    h.expect_error(MarketError::NoDealIds, |h| h.settle(&[]));
    h.expect_error(MarketError::TooManyDealIds, |h| h.settle(&[0; MAX_DEALS_PER_SETTLEMENT + 1]));
    h.check_state_invariants();
}
