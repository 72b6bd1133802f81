//! Reveal errors.

use super::*;

#[ink::test]
fn reveal_errors() {
    let mut h = Harness::new();
    h.at(reveal_starts(0));
    assert_eq!(h.reveal(1, 0), Err(Error::UnknownRound));
    h.at(commit_starts(1)).join(&[1], 1);
    h.bond(2, BOND).unwrap();
    h.at(reveal_starts(1));
    assert_eq!(h.reveal(2, 1), Err(Error::NotCommitted));
    assert_eq!(h.reveal_raw(1, 1, [7; 32]), Err(Error::BadReveal));
    h.reveal(1, 1).unwrap();
    assert_eq!(h.reveal(1, 1), Err(Error::AlreadyRevealed));
    h.at(round_ends(1) + 1).finalise(1).unwrap();
    assert_eq!(h.reveal(1, 1), Err(Error::NotRevealPhase));
}

#[ink::test]
fn finalise_errors() {
    let mut h = Harness::new();
    h.at(round_ends(0) + 1);
    assert_eq!(h.finalise(0), Err(Error::UnknownRound));
    h.join(&[1], 1);
    h.at(round_ends(1));
    assert_eq!(h.finalise(1), Err(Error::RevealPhaseNotOver));
    h.at(round_ends(1) + 1).finalise(1).unwrap();
    assert_eq!(h.finalise(1), Err(Error::AlreadyFinalised));
}
