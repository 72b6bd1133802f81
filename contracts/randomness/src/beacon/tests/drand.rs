//! Drand anchoring.

use super::*;

/// A beacon on the real quicknet chain whose clock puts round 0's expected end (plus the margin)
/// exactly on recorded drand round `drand_round`.
fn anchored_harness(policy: BeaconPolicy, drand_round: u64) -> (Harness, Quicknet) {
    let chain = Quicknet::load().unwrap();
    let mut h = Harness::with_policy(policy);
    let target = 1_000 * chain.round_time(drand_round);
    // Round 0 opens at block 1 and is expected to be over at block `ends + 1`.
    let ends_after = u64::from(START + policy.round_length());
    h.base = target - policy.reveal_margin_ms - BLOCK_MS * ends_after;
    h.set_drand(DrandChain { public_key: chain.public_key, genesis_time: chain.genesis_time, period: chain.period })
        .unwrap();
    (h, chain)
}

fn recorded(chain: &Quicknet, drand_round: u64) -> ([u8; 48], [u8; 32]) {
    let (_, signature, randomness) = *chain.rounds.iter().find(|(round, _, _)| *round == drand_round).unwrap();
    (signature, randomness)
}

#[ink::test]
fn a_round_anchored_with_real_quicknet_data() {
    let drand_round = 30_662_982;
    let (mut h, chain) = anchored_harness(BeaconPolicy::FAST, drand_round);
    let (signature, randomness) = recorded(&chain, drand_round);
    h.at(commit_starts(0)).join(&[1, 2], 0);
    let binding = h.beacon.round(0).unwrap().drand.unwrap();
    assert_eq!(binding.drand_round, drand_round);
    assert_eq!(binding.reveal_cutoff, 1_000 * chain.round_time(drand_round) - BeaconPolicy::FAST.reveal_margin_ms);
    assert_eq!(binding.relay_deadline, round_ends(0) + BeaconPolicy::FAST.drand_timeout);
    assert_eq!(h.beacon.round_awaiting(drand_round), Some(0));
    h.at(reveal_starts(0)).reveal_all(&[1, 2], 0);
    h.at(round_ends(0) + 1);
    assert_eq!(h.finalise(0), Err(Error::AwaitingDrand));
    assert_eq!(h.relay(drand_round + 1, &signature), Err(Error::DrandRoundNotAwaited));
    let events = h.relay(drand_round, &signature).unwrap();
    assert_eq!(events, vec![Event::DrandRelayed(DrandRelayed { round: 0, drand_round, randomness })]);
    assert_eq!(h.relay(drand_round, &signature), Err(Error::DrandAlreadyRelayed));
    let events = h.finalise(0).unwrap();
    let output = expected_output(GENESIS_OUTPUT, 0, &[1, 2], Some(randomness));
    assert_eq!(events, vec![finalised(0, output, 2, 2, true)]);
    assert_eq!(h.randomness_at(1), Ok(output));
    assert_eq!(h.beacon.anchored_randomness_at(h.now, 1), Ok(output));
    assert_eq!(h.beacon.is_anchored_at(h.now, 1), Ok(true));
    assert_eq!(h.beacon.round_awaiting(drand_round), None);
    assert_eq!(h.relay(drand_round, &signature), Err(Error::DrandRoundNotAwaited));
    let liveness = h.beacon.liveness(h.now);
    assert_eq!(liveness.latest_output, Some((0, round_ends(0), true)));
    assert_eq!((liveness.unanchored_outputs, liveness.drand_configured), (0, true));
}

#[ink::test]
fn a_signature_of_another_round_or_under_another_key_is_refused() {
    let drand_round = 30_662_990;
    let (mut h, chain) = anchored_harness(BeaconPolicy::FAST, drand_round);
    h.at(commit_starts(0)).join(&[1], 0);
    h.at(reveal_starts(0)).reveal(1, 0).unwrap();
    h.at(round_ends(0) + 1);
    let (other_round, _) = recorded(&chain, 30_662_992);
    assert_eq!(h.relay(drand_round, &other_round), Err(Error::BadDrandSignature));
    let (mut signature, _) = recorded(&chain, drand_round);
    signature[47] ^= 1;
    assert!(matches!(h.relay(drand_round, &signature), Err(Error::BadDrandSignature | Error::InvalidDrandSignature)));
    signature[47] ^= 1;
    signature[0] ^= 0x80;
    assert_eq!(h.relay(drand_round, &signature), Err(Error::InvalidDrandSignature), "not compressed");
    signature[0] ^= 0x80;
    // Another key (drand's quicknet-t testnet): the real signature does not verify.
    let testnet: [u8; 96] = {
        let hex = concat!(
            "b15b65b46fb29104f6a4b5d1e11a8da6344463973d423661bb0804846a0ecd1ef93c25057f1c0baab2ac53e56c662b66",
            "072f6d84ee791a3382bfb055afab1e6a375538d8ffc451104ac971d2dc9b168e2d3246b0be2015969cbaac298f6502da"
        );
        let bytes: Vec<u8> = (0..96).map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap()).collect();
        bytes.try_into().unwrap()
    };
    let genuine = DrandChain { public_key: chain.public_key, genesis_time: chain.genesis_time, period: chain.period };
    h.set_drand(DrandChain { public_key: testnet, ..genuine }).unwrap();
    assert_eq!(h.relay(drand_round, &signature), Err(Error::BadDrandSignature));
    let mut broken = chain.public_key;
    broken[10] ^= 1;
    assert_eq!(h.set_drand(DrandChain { public_key: broken, ..genuine }), Err(Error::InvalidDrandKey));
    assert_eq!(h.set_drand(DrandChain { period: 0, ..genuine }), Err(Error::InvalidDrandKey));
    h.set_drand(genuine).unwrap();
    h.relay(drand_round, &signature).unwrap();
}

#[ink::test]
fn a_round_whose_drand_value_is_never_relayed_finalises_unanchored_after_the_timeout() {
    let drand_round = 30_663_002;
    let (mut h, chain) = anchored_harness(BeaconPolicy::FAST, drand_round);
    h.at(commit_starts(0)).join(&[1], 0);
    h.at(reveal_starts(0)).reveal(1, 0).unwrap();
    let deadline = round_ends(0) + BeaconPolicy::FAST.drand_timeout;
    for block in round_ends(0) + 1..=deadline {
        h.at(block);
        assert_eq!(h.finalise(0), Err(Error::AwaitingDrand));
        assert_eq!(h.randomness_at(1), Err(BeaconError::NotYetAvailable), "no older value meanwhile");
    }
    h.at(deadline + 1);
    let (signature, _) = recorded(&chain, drand_round);
    assert_eq!(h.relay(drand_round, &signature), Err(Error::RelayTooLate));
    let output = expected_output(GENESIS_OUTPUT, 0, &[1], None);
    assert_eq!(h.finalise(0).unwrap(), vec![finalised(0, output, 1, 1, false)]);
    assert_eq!(h.randomness_at(1), Ok(output));
    assert_eq!(h.beacon.anchored_randomness_at(h.now, 1), Err(AnchoredBeaconError::NotAnchored));
    assert_eq!(h.beacon.liveness(h.now).unanchored_outputs, 1);
}

#[ink::test]
fn reveals_stop_at_the_cut_off_however_slowly_blocks_come() {
    let drand_round = 30_662_982;
    let (mut h, chain) = anchored_harness(BeaconPolicy::FAST, drand_round);
    h.at(commit_starts(0)).join(&[1, 2, 3], 0);
    let cutoff = h.beacon.round(0).unwrap().drand.unwrap().reveal_cutoff;
    // Block 4 (the first reveal block) comes so late that the cut-off has passed.
    h.at(reveal_starts(0)).at_time(cutoff - 1);
    h.reveal(1, 0).unwrap();
    h.at_time(cutoff);
    assert_eq!(h.reveal(2, 0), Err(Error::RevealCutOff));
    // The withholders' windows are over: they can be settled before the round is finalised.
    assert_eq!(h.settle(2), Ok(PENALTY));
    let _ = chain;
}

#[ink::test]
fn no_reveal_is_taken_once_the_drand_value_is_on_chain() {
    let drand_round = 30_662_982;
    let (mut h, chain) = anchored_harness(BeaconPolicy::FAST, drand_round);
    let (signature, _) = recorded(&chain, drand_round);
    h.at(commit_starts(0)).join(&[1, 2], 0);
    h.at(reveal_starts(0)).reveal(1, 0).unwrap();
    // Whatever the timestamp says (a chain whose clock runs behind).
    h.relay(drand_round, &signature).unwrap();
    assert_eq!(h.reveal(2, 0), Err(Error::RevealCutOff));
}

#[ink::test]
fn a_commit_that_could_not_be_revealed_before_the_cut_off_is_refused() {
    let (mut h, _) = anchored_harness(BeaconPolicy::FAST, 30_662_982);
    h.at(commit_starts(0)).join(&[1], 0);
    let cutoff = h.beacon.round(0).unwrap().drand.unwrap().reveal_cutoff;
    h.bond(2, BOND).unwrap();
    h.bond(3, BOND).unwrap();
    // The last commit block arrives so late that the reveal phase would open after the cut-off.
    h.at(reveal_starts(0) - 1).at_time(cutoff - BLOCK_MS - 1);
    h.commit(2, 0).unwrap();
    h.at_time(cutoff - BLOCK_MS);
    assert_eq!(h.commit(3, 0), Err(Error::CommitTooLate));
}

#[ink::test]
fn later_rounds_open_while_one_waits_for_drand_and_all_finalise_in_order() {
    let drand_round = 30_662_982;
    let (mut h, chain) = anchored_harness(BeaconPolicy::FAST, drand_round);
    let (signature, randomness) = recorded(&chain, drand_round);
    h.at(commit_starts(0)).join(&[1], 0);
    h.at(reveal_starts(0)).reveal(1, 0).unwrap();
    // Round 1 opens while round 0 waits for drand (opening it finalises nothing), bound to a
    // later drand round.
    h.at(commit_starts(1)).join(&[2], 1);
    assert_eq!(h.beacon.round(0).unwrap().status, RoundStatus::Open);
    let later = h.beacon.round(1).unwrap().drand.unwrap().drand_round;
    assert!(later > drand_round);
    h.relay(drand_round, &signature).unwrap();
    h.at(reveal_starts(1)).reveal(2, 1).unwrap();
    h.at(round_ends(1) + 1);
    assert_eq!(h.finalise(1), Err(Error::EarlierRoundNotFinalised));
    assert_eq!(h.beacon.liveness(h.now).unfinalised_rounds, 2);
    h.finalise(0).unwrap();
    // Round 1's value is never relayed.
    assert_eq!(h.finalise(1), Err(Error::AwaitingDrand));
    h.at(round_ends(1) + BeaconPolicy::FAST.drand_timeout + 1);
    h.finalise(1).unwrap();
    let first = expected_output(GENESIS_OUTPUT, 0, &[1], Some(randomness));
    let second = expected_output(first, 1, &[2], None);
    assert_eq!(h.randomness_at(round_ends(0)), Ok(first));
    assert_eq!(h.randomness_at(round_ends(1)), Ok(second));
    assert_eq!(h.beacon.is_anchored_at(h.now, round_ends(0)), Ok(true));
    assert_eq!(h.beacon.is_anchored_at(h.now, round_ends(1)), Ok(false));
}

#[ink::test]
fn drand_bindings_follow_the_clock_and_never_repeat() {
    let chain = DrandChain { public_key: Quicknet::load().unwrap().public_key, genesis_time: 1_000, period: 3 };
    // Before genesis the first drand round is 1.
    assert_eq!(drand_round_at_or_after(&chain, 0), Some(1));
    assert_eq!(drand_round_at_or_after(&chain, 1_000_000), Some(1));
    assert_eq!(drand_round_at_or_after(&chain, 1_000_001), Some(2));
    assert_eq!(drand_round_at_or_after(&chain, 1_003_000), Some(2));
    assert_eq!(drand_time_ms(&chain, 2), Some(1_003_000));
    assert_eq!(drand_time_ms(&chain, 0), None);
    // A round's drand round is published after its expected end, plus the margin.
    let policy = BeaconPolicy { block_time_ms: 1_000, ..BeaconPolicy::FAST };
    let mut h = Harness::with_policy(policy);
    h.base = 2_000_000;
    h.set_drand(chain).unwrap();
    h.at(commit_starts(0)).join(&[1], 0);
    let binding = h.beacon.round(0).unwrap().drand.unwrap();
    let expected_end = h.base + BLOCK_MS * u64::from(START) + 1_000 * u64::from(round_ends(0) + 1 - START);
    assert!(drand_time_ms(&chain, binding.drand_round).unwrap() >= expected_end + policy.reveal_margin_ms);
    assert!(drand_time_ms(&chain, binding.drand_round - 1).unwrap() < expected_end + policy.reveal_margin_ms);
}
