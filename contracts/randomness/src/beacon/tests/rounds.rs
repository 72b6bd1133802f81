//! Rounds and phases.

use super::*;

#[ink::test]
fn rounds_are_counted_from_the_start_block() {
    let h = Harness::new();
    let round = h.beacon.current_round(START).unwrap();
    assert_eq!(
        round,
        CurrentRound { round: 0, phase: RoundPhase::Commit, commit_starts: 1, reveal_starts: 4, ends: 5 }
    );
    assert_eq!(h.beacon.current_round(4).unwrap().phase, RoundPhase::Reveal);
    assert_eq!(h.beacon.current_round(5).unwrap().round, 0);
    assert_eq!(h.beacon.current_round(6).unwrap().round, 1);
    assert_eq!(h.beacon.current_round(0), None, "before the start there is no round");
}

#[ink::test]
fn a_full_round_with_three_participants_produces_the_chained_output() {
    let mut h = Harness::new();
    h.at(commit_starts(0)).join(&[1, 2, 3], 0);
    let info = h.beacon.round(0).unwrap();
    assert_eq!((info.commits, info.reveals, info.status, info.drand), (3, 0, RoundStatus::Open, None));
    assert_eq!((info.commit_starts, info.reveal_starts, info.ends, info.penalty), (1, 4, 5, PENALTY));
    h.at(reveal_starts(0));
    for who in [3, 1, 2] {
        let events = h.reveal(who, 0).unwrap();
        assert_eq!(
            events,
            vec![Event::Revealed(Revealed { round: 0, participant: account(who), secret: secret_of(who, 0) })]
        );
    }
    assert_eq!(h.beacon.round(0).unwrap().accumulator, accumulator(0, &[1, 2, 3]));
    assert_eq!(h.randomness_at(1), Err(BeaconError::NotYetAvailable));
    let events = h.at(round_ends(0) + 1).finalise(0).unwrap();
    let output = expected_output(GENESIS_OUTPUT, 0, &[1, 2, 3], None);
    assert_eq!(events, vec![finalised(0, output, 3, 3, false)]);
    let info = h.beacon.round(0).unwrap();
    assert_eq!((info.commits, info.reveals, info.slashed), (3, 3, 0));
    assert_eq!(info.status, RoundStatus::Succeeded { output, anchored: false });
    assert_eq!(h.beacon.latest_output(), Some((0, output)));
    assert_eq!(h.beacon.next_to_finalise(), None);
    for block in 0..=round_ends(0) {
        assert_eq!(h.randomness_at(block), Ok(output));
        assert_eq!(h.beacon.anchored_randomness_at(h.now, block), Err(AnchoredBeaconError::NotAnchored));
        assert_eq!(h.beacon.is_anchored_at(h.now, block), Ok(false));
    }
    assert_eq!(h.randomness_at(round_ends(0) + 1), Err(BeaconError::NotYetAvailable));
    for who in 1..=3 {
        assert_eq!(h.beacon.bond_of(&account(who)).active, BOND, "revealers keep their bond");
    }
}

#[test]
fn the_output_does_not_depend_on_the_order_of_reveals() {
    let mut outputs = Vec::new();
    for order in [[1u8, 2, 3, 4], [4, 3, 2, 1], [2, 4, 1, 3]] {
        // A fresh contract storage for each beacon.
        ink::env::test::run_test::<ink::env::DefaultEnvironment, _>(|_| {
            let mut h = Harness::new();
            h.at(commit_starts(0)).join(&[3, 1, 4, 2], 0);
            h.at(reveal_starts(0)).reveal_all(&order, 0);
            h.at(round_ends(0) + 1).finalise(0).unwrap();
            outputs.push(h.beacon.latest_output().unwrap().1);
            Ok(())
        })
        .unwrap();
    }
    assert_eq!(outputs.len(), 3);
    assert!(outputs.windows(2).all(|pair| pair[0] == pair[1]));
}

#[ink::test]
fn each_output_chains_from_the_previous_successful_one() {
    let mut h = Harness::new();
    h.run_round(0, &[1, 2], &[1, 2]);
    let first = h.beacon.latest_output().unwrap().1;
    h.run_round(1, &[1, 2], &[1, 2]);
    let second = h.beacon.latest_output().unwrap().1;
    assert_eq!(second, expected_output(first, 1, &[1, 2], None));
    assert_eq!(h.randomness_at(commit_starts(1)), Ok(second));
    assert_eq!(h.randomness_at(round_ends(0)), Ok(first));
}

#[ink::test]
fn any_number_of_participants_take_part_in_one_round() {
    let mut h = Harness::new();
    let everyone: Vec<u8> = (1..=150).collect();
    h.at(commit_starts(0)).join(&everyone, 0);
    // Reveals in a scrambled order; ten withhold.
    let revealers: Vec<u8> = everyone.iter().copied().filter(|who| who % 15 != 0).rev().collect();
    h.at(reveal_starts(0)).reveal_all(&revealers, 0);
    let events = h.at(round_ends(0) + 1).finalise(0).unwrap();
    let output = expected_output(GENESIS_OUTPUT, 0, &revealers, None);
    assert_eq!(events, vec![finalised(0, output, 150, 140, false)], "finalising touches no participant");
    assert_eq!(h.beacon.totals().slashed, 0, "penalties are collected per participant, later");
    for who in everyone.iter().filter(|who| *who % 15 == 0) {
        assert_eq!(h.settle(*who), Ok(PENALTY));
    }
    assert_eq!(h.beacon.totals().slashed, 10 * PENALTY);
    assert_eq!(h.beacon.round(0).unwrap().slashed, 10 * PENALTY);
}

#[ink::test]
fn commit_and_reveal_follow_the_phase_boundaries() {
    let mut h = Harness::new();
    h.bond(1, BOND).unwrap();
    h.bond(2, BOND).unwrap();
    h.at(reveal_starts(0) - 1);
    h.commit(1, 0).unwrap();
    assert_eq!(h.reveal(1, 0), Err(Error::NotRevealPhase));
    h.at(reveal_starts(0));
    assert_eq!(h.commit(2, 0), Err(Error::NotCommitPhase));
    assert_eq!(h.commit(2, 1), Err(Error::RoundNotStarted));
    h.reveal(1, 0).unwrap();
    h.at(round_ends(0));
    assert_eq!(h.finalise(0), Err(Error::RevealPhaseNotOver));
    h.at(round_ends(0) + 1);
    assert_eq!(h.reveal(1, 0), Err(Error::NotRevealPhase));
    h.finalise(0).unwrap();
}

#[ink::test]
fn the_last_reveal_block_accepts_reveals() {
    let mut h = Harness::new();
    h.at(commit_starts(0)).join(&[1], 0);
    h.at(round_ends(0)).reveal(1, 0).unwrap();
    assert_eq!(h.beacon.round(0).unwrap().reveals, 1);
}
