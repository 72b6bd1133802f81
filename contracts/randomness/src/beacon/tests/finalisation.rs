//! Lazy finalisation and ordering.

use super::*;

#[ink::test]
fn the_first_commitment_of_a_new_round_finalises_the_oldest_round() {
    let mut h = Harness::new();
    h.at(commit_starts(0)).join(&[1, 2], 0);
    h.at(reveal_starts(0)).reveal(1, 0).unwrap();
    h.bond(3, BOND).unwrap();
    let events = h.at(commit_starts(2)).commit(3, 2).unwrap();
    let output = expected_output(GENESIS_OUTPUT, 0, &[1], None);
    assert_eq!(
        events,
        vec![
            finalised(0, output, 2, 1, false),
            Event::RoundOpened(RoundOpened { round: 2, drand_round: None, reveal_cutoff: None, relay_deadline: None }),
            Event::Committed(Committed {
                round: 2,
                participant: account(3),
                commitment: commitment(2, &account(3), &secret_of(3, 2))
            }),
        ]
    );
    assert_eq!(h.beacon.next_to_finalise(), Some(2));
    let events = h.commit(1, 2).unwrap();
    assert_eq!(events.len(), 1, "later commitments of the round finalise nothing");
}
