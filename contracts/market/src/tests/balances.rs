//! `add_balance` and `withdraw_balance`.

use super::*;
use polka_storage_primitives::market::{BalanceAdded, BalanceEntry, BalanceWithdrawn};

#[test]
fn funds_come_in_and_go_out() {
    let mut h = Harness::new();
    let who = provider();
    h.deposit(who, 70);
    assert_eq!(h.events, vec![Event::BalanceAdded(BalanceAdded { who, amount: 70 })]);
    assert_eq!(
        h.state.withdraw_balance(who, 30),
        Ok(vec![Event::BalanceWithdrawn(BalanceWithdrawn { who, amount: 30 })])
    );
    h.held -= 30;
    assert_eq!(h.state.balance(&who), BalanceEntry { free: 40, locked: 0 });
    h.check_state_invariants();
}

#[test]
fn zero_amounts_and_overdrafts_are_named_errors() {
    let mut h = Harness::new();
    let who = provider();
    h.deposit(who, 10);
    h.expect_error(MarketError::ZeroAmount, |h| h.state.add_balance(who, 0));
    h.expect_error(MarketError::ZeroAmount, |h| h.state.withdraw_balance(who, 0));
    h.expect_error(MarketError::InsufficientFreeFunds, |h| h.state.withdraw_balance(who, 11));
    h.expect_error(MarketError::InsufficientFreeFunds, |h| h.state.withdraw_balance(other_provider(), 1));
    h.check_state_invariants();
}

#[test]
fn locked_funds_cannot_be_withdrawn() {
    let (mut h, client, _) = super::settlement::active_deal();
    assert_eq!(h.state.balance(&client.account()), BalanceEntry { free: 50, locked: 50 });
    h.expect_error(MarketError::InsufficientFreeFunds, |h| h.state.withdraw_balance(client.account(), 51));
    h.check_state_invariants();
}

#[test]
fn an_unusable_policy_is_rejected() {
    for policy in [
        MarketPolicy { min_deal_duration: 0, max_deal_duration: 5 },
        MarketPolicy { min_deal_duration: 6, max_deal_duration: 5 },
    ] {
        assert_eq!(MarketState::new(policy, DOMAIN).map(|_| ()), Err(MarketError::InvalidPolicy));
    }
}
