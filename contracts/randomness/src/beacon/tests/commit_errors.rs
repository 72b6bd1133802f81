//! Commit errors.

use super::*;

#[ink::test]
fn commit_to_a_future_round_is_refused() {
    let mut h = Harness::new();
    h.bond(1, BOND).unwrap();
    assert_eq!(h.commit(1, 1), Err(Error::RoundNotStarted));
}

#[ink::test]
fn commit_outside_the_commit_phase_is_refused() {
    let mut h = Harness::new();
    h.bond(1, BOND).unwrap();
    h.at(reveal_starts(0));
    assert_eq!(h.commit(1, 0), Err(Error::NotCommitPhase));
    h.at(commit_starts(1));
    assert_eq!(h.commit(1, 0), Err(Error::NotCommitPhase), "a past round");
}

#[ink::test]
fn double_commit_is_refused() {
    let mut h = Harness::new();
    h.join(&[1], 0);
    let other = commitment(0, &account(1), &[9; 32]);
    assert_eq!(h.commit_raw(1, 0, other), Err(Error::AlreadyCommitted));
}

#[ink::test]
fn a_copied_commitment_is_refused() {
    let mut h = Harness::new();
    h.join(&[1], 0);
    h.bond(2, BOND).unwrap();
    let alices = h.beacon.commitment_of(&account(1)).unwrap().commitment;
    assert_eq!(h.commit_raw(2, 0, alices), Err(Error::CommitmentReused));
    assert_eq!(h.beacon.round(0).unwrap().commits, 1);
    h.commit(2, 0).unwrap();
    h.at(reveal_starts(0));
    assert_eq!(h.reveal_raw(2, 0, secret_of(1, 0)), Err(Error::BadReveal));
}

#[ink::test]
fn commit_needs_the_minimum_bond() {
    let mut h = Harness::new();
    assert_eq!(h.commit(1, 0), Err(Error::BondTooSmall));
    h.bond(1, BeaconPolicy::FAST.min_bond).unwrap();
    h.unbond(1, 1).unwrap();
    assert_eq!(h.commit(1, 0), Err(Error::BondTooSmall));
}
