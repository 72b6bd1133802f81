//! Randomness_at and liveness.

use super::*;

#[ink::test]
fn randomness_is_unavailable_until_the_covering_round_is_finalised() {
    let mut h = Harness::new();
    h.join(&[1], 0);
    assert_eq!(h.randomness_at(1), Err(BeaconError::NotYetAvailable));
    h.at(reveal_starts(0)).reveal(1, 0).unwrap();
    h.at(round_ends(0) + 1);
    assert_eq!(h.randomness_at(1), Err(BeaconError::NotYetAvailable), "over, but not finalised");
    h.finalise(0).unwrap();
    let output = h.beacon.latest_output().unwrap().1;
    assert_eq!(h.randomness_at(1), Ok(output));
    assert_eq!(h.randomness_at(round_ends(0)), Ok(output));
    assert_eq!(h.randomness_at(round_ends(0) + 1), Err(BeaconError::NotYetAvailable));
    assert_eq!(h.randomness_at(BlockNumber::MAX), Err(BeaconError::NotYetAvailable));
}

#[ink::test]
fn while_rounds_keep_failing_consumers_get_a_named_error_never_an_older_value() {
    let mut h = Harness::new();
    h.run_round(0, &[1], &[1]);
    let first = h.beacon.latest_output().unwrap().1;
    for round in 1..6 {
        h.bond(1, PENALTY).unwrap();
        h.run_round(round, &[1], &[]);
    }
    for block in round_ends(0) + 1..=round_ends(5) + 1 {
        assert_eq!(h.randomness_at(block), Err(BeaconError::NotYetAvailable), "block {block}");
    }
    assert_eq!(h.randomness_at(round_ends(0)), Ok(first));
    let liveness = h.beacon.liveness(h.now);
    assert_eq!(liveness.latest_output, Some((0, round_ends(0), false)));
    assert_eq!(liveness.blocks_without_output, h.now - round_ends(0));
    assert_eq!((liveness.next_to_finalise, liveness.unfinalised_rounds), (None, 0));
}

#[ink::test]
fn randomness_at_finds_the_right_round_among_many() {
    let mut h = Harness::new();
    let mut outputs = Vec::new();
    for round in [0, 2, 3, 4, 5, 6, 7] {
        let revealers: &[u8] = if round == 4 { &[] } else { &[1] };
        h.run_round(round, &[1], revealers);
        if round != 4 {
            outputs.push((round, h.beacon.latest_output().unwrap().1));
        }
    }
    let answer_for =
        |block: BlockNumber| outputs.iter().find(|(round, _)| round_ends(*round) >= block).map(|(_, output)| *output);
    for block in 0..=round_ends(7) + 3 {
        assert_eq!(h.randomness_at(block).ok(), answer_for(block), "block {block}");
    }
}
