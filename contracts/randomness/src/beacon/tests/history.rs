//! History and pruning.

use super::*;

#[ink::test]
fn rounds_older_than_the_history_are_pruned() {
    let policy = BeaconPolicy { history: 10, ..BeaconPolicy::FAST };
    let mut h = Harness::with_policy(policy);
    h.run_round(0, &[1], &[1]);
    let first = h.beacon.latest_output().unwrap().1;
    h.run_round(1, &[1], &[1]);
    let second = h.beacon.latest_output().unwrap().1;
    assert!(h.beacon.round(0).is_some());
    assert_eq!(h.randomness_at(1), Ok(first));
    h.at(round_ends(0) + 11);
    assert_eq!(h.randomness_at(round_ends(0)), Err(BeaconError::Pruned));
    assert_eq!(h.randomness_at(round_ends(0) + 1), Ok(second));
    assert_eq!(h.beacon.oldest_available_block(h.now), round_ends(0) + 1);
    assert_eq!(h.beacon.prune(h.now), 1);
    assert_eq!(h.beacon.round(0), None);
    assert_eq!(h.randomness_at(round_ends(0) + 1), Ok(second));
    assert_eq!(h.beacon.prune(h.now), 0, "round 1 is still in the window");
    h.check_invariants();
}

#[ink::test]
fn pruning_is_bounded_per_call_and_never_takes_unfinalised_rounds() {
    let policy = BeaconPolicy { history: 100, ..BeaconPolicy::FAST };
    let mut h = Harness::with_policy(policy);
    let rounds = BeaconPolicy::MAX_ROUNDS_PRUNED_PER_CALL + 3;
    for round in 0..rounds {
        h.at(commit_starts(round)).join(&[1], round);
        h.at(reveal_starts(round)).reveal(1, round).unwrap();
    }
    assert_eq!(h.beacon.rounds_kept.end - h.beacon.rounds_kept.start, rounds);
    h.at(round_ends(rounds) + 200);
    assert_eq!(h.beacon.prune(h.now), BeaconPolicy::MAX_ROUNDS_PRUNED_PER_CALL);
    assert_eq!(h.beacon.prune(h.now), 2, "the last round is not finalised");
    assert_eq!(h.beacon.prune(h.now), 0);
    h.finalise(rounds - 1).unwrap();
    h.check_invariants();
}
