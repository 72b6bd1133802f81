//! Parameters.

use super::*;

#[ink::test]
fn invalid_policies_are_refused() {
    let fast = BeaconPolicy::FAST;
    for policy in [
        BeaconPolicy { commit_phase: 0, ..fast },
        BeaconPolicy { reveal_phase: 0, ..fast },
        BeaconPolicy { commit_phase: BlockNumber::MAX, ..fast },
        BeaconPolicy { min_bond: 0, ..fast },
        BeaconPolicy { penalty: 0, ..fast },
        BeaconPolicy { penalty: fast.min_bond + 1, ..fast },
        BeaconPolicy { min_reveals: 0, ..fast },
        BeaconPolicy { min_reveals: BeaconPolicy::MAX_MIN_REVEALS + 1, ..fast },
        BeaconPolicy { block_time_ms: 0, ..fast },
        BeaconPolicy { history: fast.round_length() + fast.drand_timeout - 1, ..fast },
    ] {
        assert_eq!(validate_policy(&policy), Err(Error::InvalidPolicy), "{policy:?}");
        assert!(Beacon::new(START, policy).is_err());
    }
    let mut h = Harness::new();
    assert_eq!(h.set_policy(BeaconPolicy { min_reveals: 0, ..fast }), Err(Error::InvalidPolicy));
    assert_eq!(h.beacon.pending_policy(h.now), None);
    assert!(validate_policy(&BeaconPolicy::PRODUCTION).is_ok());
}

#[ink::test]
fn new_parameters_apply_from_the_next_round_only() {
    let mut h = Harness::new();
    let slow = BeaconPolicy { commit_phase: 10, reveal_phase: 10, min_reveals: 2, penalty: 7, ..BeaconPolicy::FAST };
    h.join(&[1], 0);
    let events = h.at(2).set_policy(slow).unwrap();
    assert_eq!(events, vec![Event::PolicyScheduled(PolicyScheduled { from_round: 1, from_block: 6, policy: slow })]);
    assert_eq!(h.beacon.pending_policy(h.now), Some((1, 6, slow)));
    assert_eq!(h.beacon.policy_at(5), BeaconPolicy::FAST);
    h.at(reveal_starts(0)).reveal(1, 0).unwrap();
    let events = h.at(6).finalise(0).unwrap();
    assert!(matches!(events.last(), Some(Event::RoundFinalised(_))), "one reveal is enough for round 0");
    assert_eq!(h.beacon.policy_at(h.now), slow);
    let round = h.beacon.current_round(15).unwrap();
    assert_eq!((round.round, round.phase, round.reveal_starts, round.ends), (1, RoundPhase::Commit, 16, 25));
    h.at(15).commit(1, 1).unwrap();
    assert_eq!((h.beacon.round(1).unwrap().min_reveals, h.beacon.round(1).unwrap().penalty), (2, 7));
    assert_eq!(h.beacon.commitment_of(&account(1)).unwrap().penalty, 7);
}

#[ink::test]
fn a_later_change_replaces_a_pending_one_and_a_due_one_is_kept() {
    let mut h = Harness::new();
    let first = BeaconPolicy { commit_phase: 4, ..BeaconPolicy::FAST };
    let second = BeaconPolicy { commit_phase: 5, ..BeaconPolicy::FAST };
    h.set_policy(first).unwrap();
    h.set_policy(second).unwrap();
    assert_eq!(h.beacon.pending_policy(h.now), Some((1, 6, second)));
    h.at(7).set_policy(first).unwrap();
    assert_eq!(h.beacon.policy_at(h.now), second);
    assert_eq!(h.beacon.pending_policy(h.now), Some((2, 13, first)));
}

#[ink::test]
fn commitments_and_terms_are_domain_separated_hashes() {
    let round_bytes = 4u32.to_le_bytes();
    let expected = blake2_256(&[COMMITMENT_DOMAIN, &round_bytes, &[1; 32], &secret_of(1, 4)]);
    assert_eq!(commitment(4, &account(1), &secret_of(1, 4)), expected);
    assert_eq!(reveal_term(4, &account(1), &secret_of(1, 4)), accumulator(4, &[1]));
}
