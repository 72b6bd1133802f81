//! Bonds.

use super::*;

#[ink::test]
fn bond_errors() {
    let mut h = Harness::new();
    assert_eq!(h.bond(1, 0), Err(Error::ZeroAmount));
    assert_eq!(h.bond(1, BeaconPolicy::FAST.min_bond - 1), Err(Error::BondTooSmall));
    let events = h.bond(1, BeaconPolicy::FAST.min_bond).unwrap();
    assert_eq!(
        events,
        vec![Event::Bonded(Bonded {
            participant: account(1),
            amount: BeaconPolicy::FAST.min_bond,
            active: BeaconPolicy::FAST.min_bond
        })]
    );
    h.bond(1, 1).unwrap();
    assert_eq!(h.beacon.bond_of(&account(1)).active, BeaconPolicy::FAST.min_bond + 1);
}

#[ink::test]
fn a_bond_that_would_overflow_is_refused() {
    let mut h = Harness::new();
    h.bond(1, Balance::MAX - 10).unwrap();
    assert_eq!(h.bond(1, 11), Err(Error::Overflow));
    assert_eq!(h.bond(2, 1_000), Err(Error::Overflow), "the total would overflow too");
}

#[ink::test]
fn unbond_and_withdraw_after_the_delay() {
    let mut h = Harness::new();
    h.bond(1, BOND).unwrap();
    assert_eq!(h.withdraw(1), Err(Error::NothingToWithdraw));
    let events = h.at(3).unbond(1, 2_000).unwrap();
    let release_at = 3 + BeaconPolicy::FAST.unbond_delay;
    assert_eq!(
        events,
        vec![Event::UnbondRequested(UnbondRequested { participant: account(1), amount: 2_000, release_at })]
    );
    assert_eq!(h.at(release_at - 1).withdraw(1), Err(Error::UnbondNotDue));
    assert_eq!(h.at(release_at).withdraw(1), Ok(2_000));
    assert_eq!(h.beacon.bond_of(&account(1)), BondInfo { active: BOND - 2_000, unbonding: None });
    assert_eq!(h.withdraw(1), Err(Error::NothingToWithdraw));
}

#[ink::test]
fn a_second_unbond_adds_up_and_restarts_the_delay() {
    let mut h = Harness::new();
    h.bond(1, BOND).unwrap();
    h.unbond(1, 1_000).unwrap();
    h.at(5).unbond(1, 1_000).unwrap();
    let pending = h.beacon.bond_of(&account(1)).unbonding.unwrap();
    assert_eq!(pending, PendingUnbond { amount: 2_000, release_at: 5 + BeaconPolicy::FAST.unbond_delay });
    h.at(pending.release_at);
    assert_eq!(h.withdraw(1), Ok(2_000));
}

#[ink::test]
fn unbond_errors() {
    let mut h = Harness::new();
    h.bond(1, BOND).unwrap();
    assert_eq!(h.unbond(1, 0), Err(Error::ZeroAmount));
    assert_eq!(h.unbond(1, BOND + 1), Err(Error::UnbondExceedsBond));
    h.commit(1, 0).unwrap();
    assert_eq!(h.unbond(1, 1), Err(Error::CommittedToOpenRound));
    h.at(reveal_starts(0)).reveal(1, 0).unwrap();
    h.at(round_ends(0) + 1);
    h.unbond(1, BOND).unwrap();
    assert_eq!(h.beacon.bond_of(&account(1)).active, 0);
}

#[ink::test]
fn a_fully_withdrawn_participant_leaves_no_record() {
    let mut h = Harness::new();
    h.bond(1, BOND).unwrap();
    h.unbond(1, BOND).unwrap();
    h.at(START + BeaconPolicy::FAST.unbond_delay);
    h.withdraw(1).unwrap();
    assert!(!h.beacon.bonds.contains(account(1)));
}

#[ink::test]
fn penalties_are_never_paid_to_anyone() {
    let mut h = Harness::new();
    h.run_round(0, &[1, 2], &[1]);
    h.unbond(1, BOND).unwrap();
    h.unbond(2, BOND - PENALTY).unwrap();
    h.at(h.now + BeaconPolicy::FAST.unbond_delay);
    assert_eq!(h.withdraw(1), Ok(BOND));
    assert_eq!(h.withdraw(2), Ok(BOND - PENALTY));
    assert_eq!(h.beacon.totals(), BeaconTotals { bonded: 0, slashed: PENALTY });
}
