//! Withheld reveals and penalties.

use super::*;

#[ink::test]
fn a_withheld_reveal_pays_the_penalty_only_and_the_round_still_succeeds() {
    let mut h = Harness::new();
    h.bond(3, 2 * BOND).unwrap();
    let events = h.run_round(0, &[1, 2, 3], &[1, 2]);
    let output = expected_output(GENESIS_OUTPUT, 0, &[1, 2], None);
    assert_eq!(events, vec![finalised(0, output, 3, 2, false)]);
    // Collected when the withholder next acts: here it bonds more.
    let events = h.bond(3, 1).unwrap();
    assert_eq!(events[0], Event::Slashed(Slashed { round: 0, participant: account(3), amount: PENALTY }));
    assert_eq!(h.beacon.bond_of(&account(3)).active, 2 * BOND + 1 - PENALTY);
    assert_eq!(h.beacon.totals(), BeaconTotals { bonded: 4 * BOND + 1 - PENALTY, slashed: PENALTY });
    assert_eq!(h.beacon.round(0).unwrap().slashed, PENALTY);
    assert_eq!(h.beacon.commitment_of(&account(3)), None);
    assert_eq!(h.randomness_at(1), Ok(output));
}

#[ink::test]
fn anyone_settles_a_withheld_reveal_once_its_window_is_over() {
    let mut h = Harness::new();
    h.at(commit_starts(0)).join(&[1, 2], 0);
    h.at(reveal_starts(0)).reveal(1, 0).unwrap();
    assert_eq!(h.settle(2), Err(Error::NothingToSettle), "the window is still open");
    assert_eq!(h.settle(3), Err(Error::NothingToSettle), "never committed");
    h.at(round_ends(0) + 1);
    assert_eq!(h.settle(2), Ok(PENALTY));
    assert_eq!(h.settle(2), Err(Error::NothingToSettle));
    assert_eq!(h.settle(1), Ok(0), "a revealed commitment settles for free");
    h.finalise(0).unwrap();
    assert_eq!(h.beacon.round(0).unwrap().slashed, PENALTY);
}

#[ink::test]
fn a_withholder_commits_again_and_pays_on_the_way() {
    let mut h = Harness::new();
    h.at(commit_starts(0)).join(&[1], 0);
    let events = h.at(commit_starts(1)).commit(1, 1).unwrap();
    assert_eq!(events[0], Event::Slashed(Slashed { round: 0, participant: account(1), amount: PENALTY }));
    assert!(events.iter().any(|event| matches!(event, Event::RoundFailed(failed) if failed.round == 0)));
    assert_eq!(h.beacon.bond_of(&account(1)).active, BOND - PENALTY);
    assert_eq!(h.beacon.commitment_of(&account(1)).map(|record| record.round), Some(1));
}

#[ink::test]
fn a_bond_that_no_longer_covers_the_minimum_after_its_penalty_cannot_commit() {
    let mut h = Harness::new();
    h.bond(1, BeaconPolicy::FAST.min_bond).unwrap();
    h.at(commit_starts(0)).commit(1, 0).unwrap();
    assert_eq!(h.at(commit_starts(1)).commit(1, 1), Err(Error::BondTooSmall));
    h.bond(1, PENALTY).unwrap();
    h.commit(1, 1).unwrap();
    assert_eq!(h.beacon.totals().slashed, PENALTY);
}

#[ink::test]
fn too_few_reveals_fail_the_round_and_consumers_move_on_to_the_next_success() {
    let policy = BeaconPolicy { min_reveals: 2, ..BeaconPolicy::FAST };
    let mut h = Harness::with_policy(policy);
    let events = h.run_round(0, &[1, 2], &[1]);
    assert_eq!(events, vec![Event::RoundFailed(RoundFailed { round: 0, commits: 2, reveals: 1, min_reveals: 2 })]);
    assert_eq!(h.beacon.round(0).unwrap().status, RoundStatus::Failed);
    assert_eq!(h.beacon.latest_output(), None);
    assert_eq!(h.randomness_at(1), Err(BeaconError::NotYetAvailable));
    h.run_round(2, &[1, 3], &[1, 3]);
    let output = expected_output(GENESIS_OUTPUT, 2, &[1, 3], None);
    for block in [1, round_ends(0), commit_starts(1), round_ends(1), round_ends(2)] {
        assert_eq!(h.randomness_at(block), Ok(output));
    }
    assert_eq!(h.randomness_at(round_ends(2) + 1), Err(BeaconError::NotYetAvailable));
}

#[ink::test]
fn unbonding_funds_are_not_at_stake_and_unbonding_waits_for_the_window() {
    let mut h = Harness::new();
    h.bond(1, 3 * BOND).unwrap();
    h.unbond(1, BOND).unwrap();
    h.at(commit_starts(0)).join(&[1, 2], 0);
    assert_eq!(h.unbond(1, 1), Err(Error::CommittedToOpenRound));
    h.at(reveal_starts(0)).reveal(2, 0).unwrap();
    assert_eq!(h.unbond(2, 1), Err(Error::CommittedToOpenRound), "revealed, but the window is open");
    h.at(round_ends(0) + 1);
    // The window is over: unbonding settles first, so the penalty is not unbondable.
    assert_eq!(h.unbond(1, 2 * BOND), Err(Error::UnbondExceedsBond));
    h.unbond(1, 2 * BOND - PENALTY).unwrap();
    let bond = h.beacon.bond_of(&account(1));
    assert_eq!(bond.active, 0);
    assert_eq!(bond.unbonding.map(|pending| pending.amount), Some(3 * BOND - PENALTY));
    h.unbond(2, BOND).unwrap();
}
