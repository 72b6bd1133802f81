//! One test per behaviour and per error of the beacon's rules. Every step goes through the
//! [`Harness`], which checks the state invariants after it (conservation among them) and that a
//! refused call changed nothing.
//!
//! With `BeaconPolicy::FAST` and the beacon started at block 1, round `r` commits in blocks
//! `1 + 5r ..= 3 + 5r`, reveals in `4 + 5r ..= 5 + 5r` and can be finalised from `6 + 5r` on.
//! Block `b` has timestamp `base + 6000·b` ms unless a test moves the clock.

use super::*;
use polka_storage_primitives::beacon::{COMMITMENT_DOMAIN, OUTPUT_DOMAIN, REVEAL_DOMAIN};
use polka_storage_proofs::drand_vectors::Quicknet;

const START: BlockNumber = 1;
const BOND: Balance = 5_000;
const PENALTY: Balance = BeaconPolicy::FAST.penalty;
const BLOCK_MS: u64 = 6_000;

fn account(n: u8) -> AccountId {
    AccountId::from([n; 32])
}

fn secret_of(who: u8, round: RoundNumber) -> [u8; 32] {
    blake2_256(&[b"test secret", &[who], &round.to_le_bytes()])
}

fn commit_starts(round: RoundNumber) -> BlockNumber {
    START + 5 * round
}

fn reveal_starts(round: RoundNumber) -> BlockNumber {
    START + 3 + 5 * round
}

fn round_ends(round: RoundNumber) -> BlockNumber {
    START + 4 + 5 * round
}

/// The accumulator of `revealed`, computed here term by term.
fn accumulator(round: RoundNumber, revealed: &[u8]) -> [u8; 32] {
    let mut sum = [0u8; 32];
    for &who in revealed {
        let term = blake2_256(&[REVEAL_DOMAIN, &round.to_le_bytes(), &[who; 32], &secret_of(who, round)]);
        for (byte, other) in sum.iter_mut().zip(term) {
            *byte ^= other;
        }
    }
    sum
}

/// The expected output: previous output, round, reveal count, accumulator, drand randomness.
fn expected_output(previous: [u8; 32], round: RoundNumber, revealed: &[u8], drand: Option<[u8; 32]>) -> [u8; 32] {
    let acc = accumulator(round, revealed);
    let reveals = (revealed.len() as u32).to_le_bytes();
    let round = round.to_le_bytes();
    match drand {
        Some(randomness) => blake2_256(&[OUTPUT_DOMAIN, &previous, &round, &reveals, &acc, &randomness]),
        None => blake2_256(&[OUTPUT_DOMAIN, &previous, &round, &reveals, &acc]),
    }
}

fn finalised(round: RoundNumber, output: [u8; 32], commits: u32, reveals: u32, anchored: bool) -> Event {
    Event::RoundFinalised(RoundFinalised { round, output, commits, reveals, anchored })
}

/// Drives a beacon block by block and checks its invariants after every step.
struct Harness {
    beacon: Beacon,
    now: BlockNumber,
    /// Timestamp of block 0 in ms; block `b` is at `base + 6000·b` unless `time` is set.
    base: u64,
    /// A timestamp set by the test for the current block (slow blocks).
    time: Option<u64>,
    /// Every account that ever touched the beacon.
    known: Vec<AccountId>,
    /// What the contract's balance would be: bonds paid in minus payouts.
    balance: Balance,
    /// Sum of the `Slashed` events.
    slashed_in_events: Balance,
    /// Every event so far.
    events: Vec<Event>,
}

impl Harness {
    fn new() -> Self {
        Self::with_policy(BeaconPolicy::FAST)
    }

    fn with_policy(policy: BeaconPolicy) -> Self {
        let harness = Self {
            beacon: Beacon::new(START, policy).expect("valid policy"),
            now: START,
            base: 0,
            time: None,
            known: Vec::new(),
            balance: 0,
            slashed_in_events: 0,
            events: Vec::new(),
        };
        harness.check_invariants();
        harness
    }

    fn at(&mut self, block: BlockNumber) -> &mut Self {
        assert!(block >= self.now, "time only moves forward");
        self.now = block;
        self.time = None;
        self
    }

    /// Sets the current block's timestamp (a chain whose blocks come late).
    fn at_time(&mut self, time: u64) -> &mut Self {
        assert!(time >= self.clock().time, "time only moves forward");
        self.time = Some(time);
        self
    }

    fn clock(&self) -> Now {
        Now { block: self.now, time: self.time.unwrap_or(self.base + BLOCK_MS * u64::from(self.now)) }
    }

    fn know(&mut self, who: AccountId) {
        if !self.known.contains(&who) {
            self.known.push(who);
        }
    }

    /// Runs `step`; records its events, or checks that a refusal changed nothing.
    fn step<T>(&mut self, step: impl FnOnce(&mut Beacon, Now) -> Result<T, Error>) -> Result<T, Error> {
        let before = format!("{:?}", self.beacon);
        let bonds: Vec<BondInfo> = self.known.iter().map(|who| self.beacon.bond_of(who)).collect();
        let now = self.clock();
        let result = step(&mut self.beacon, now);
        if result.is_err() {
            assert_eq!(before, format!("{:?}", self.beacon), "a refused call changes nothing");
            let after: Vec<BondInfo> = self.known.iter().map(|who| self.beacon.bond_of(who)).collect();
            assert_eq!(bonds, after, "a refused call changes no bond");
        }
        result
    }

    fn record(&mut self, result: Result<Vec<Event>, Error>) -> Result<Vec<Event>, Error> {
        if let Ok(events) = &result {
            for event in events {
                if let Event::Slashed(slashed) = event {
                    self.slashed_in_events += slashed.amount;
                }
            }
            self.events.extend(events.iter().cloned());
        }
        self.check_invariants();
        result
    }

    fn bond(&mut self, who: u8, value: Balance) -> Result<Vec<Event>, Error> {
        self.know(account(who));
        let result = self.step(|beacon, now| beacon.bond(account(who), now, value));
        if result.is_ok() {
            self.balance += value;
        }
        self.record(result)
    }

    fn unbond(&mut self, who: u8, amount: Balance) -> Result<Vec<Event>, Error> {
        let result = self.step(|beacon, now| beacon.unbond(account(who), now, amount));
        self.record(result)
    }

    fn withdraw(&mut self, who: u8) -> Result<Balance, Error> {
        let result = self.step(|beacon, now| beacon.withdraw(account(who), now));
        let amount = result.as_ref().map(|(amount, _)| *amount).ok();
        self.balance -= amount.unwrap_or(0);
        self.record(result.map(|(_, events)| events)).map(|_| amount.unwrap_or(0))
    }

    fn settle(&mut self, who: u8) -> Result<Balance, Error> {
        let result = self.step(|beacon, now| beacon.settle(account(who), now));
        let amount = result.as_ref().map(|(amount, _)| *amount).ok();
        self.record(result.map(|(_, events)| events)).map(|_| amount.unwrap_or(0))
    }

    fn commit_raw(&mut self, who: u8, round: RoundNumber, value: [u8; 32]) -> Result<Vec<Event>, Error> {
        self.know(account(who));
        let result = self.step(|beacon, now| beacon.commit(account(who), now, round, value));
        self.record(result)
    }

    fn commit(&mut self, who: u8, round: RoundNumber) -> Result<Vec<Event>, Error> {
        let value = commitment(round, &account(who), &secret_of(who, round));
        self.commit_raw(who, round, value)
    }

    fn reveal_raw(&mut self, who: u8, round: RoundNumber, secret: [u8; 32]) -> Result<Vec<Event>, Error> {
        let result = self.step(|beacon, now| beacon.reveal(account(who), now, round, secret));
        self.record(result)
    }

    fn reveal(&mut self, who: u8, round: RoundNumber) -> Result<Vec<Event>, Error> {
        self.reveal_raw(who, round, secret_of(who, round))
    }

    fn finalise(&mut self, round: RoundNumber) -> Result<Vec<Event>, Error> {
        let result = self.step(|beacon, now| beacon.finalise(now, round));
        self.record(result)
    }

    fn relay(&mut self, drand_round: u64, signature: &[u8; 48]) -> Result<Vec<Event>, Error> {
        let result = self.step(|beacon, now| beacon.relay_drand(now, drand_round, signature));
        self.record(result)
    }

    fn set_policy(&mut self, policy: BeaconPolicy) -> Result<Vec<Event>, Error> {
        let result = self.step(|beacon, now| beacon.set_policy(now.block, policy));
        self.record(result)
    }

    fn set_drand(&mut self, chain: DrandChain) -> Result<Vec<Event>, Error> {
        let result = self.step(|beacon, _| beacon.set_drand_chain(chain));
        self.record(result)
    }

    fn randomness_at(&self, block: BlockNumber) -> Result<[u8; 32], BeaconError> {
        self.beacon.randomness_at(self.now, block)
    }

    /// Bonds `who` up to [`BOND`] and commits it to `round`.
    fn join(&mut self, who: &[u8], round: RoundNumber) {
        for &participant in who {
            let active = self.beacon.bond_of(&account(participant)).active;
            if active < BOND {
                self.bond(participant, BOND - active.min(BOND - BeaconPolicy::FAST.min_bond)).unwrap();
            }
            self.commit(participant, round).unwrap();
        }
    }

    fn reveal_all(&mut self, who: &[u8], round: RoundNumber) {
        for &participant in who {
            self.reveal(participant, round).unwrap();
        }
    }

    /// Runs a whole unanchored round: `committers` commit, `revealers` reveal, then it is finalised.
    fn run_round(&mut self, round: RoundNumber, committers: &[u8], revealers: &[u8]) -> Vec<Event> {
        self.at(commit_starts(round)).join(committers, round);
        self.at(reveal_starts(round)).reveal_all(revealers, round);
        self.at(round_ends(round) + 1).finalise(round).unwrap()
    }

    /// The invariants of the beacon's state.
    fn check_invariants(&self) {
        let totals = self.beacon.totals();
        // Conservation: what came in and did not go out is bonded or slashed.
        assert_eq!(self.balance, totals.bonded + totals.slashed, "conservation");
        // The bonded total is the sum of every participant's bonds.
        let bonded: Balance = self
            .known
            .iter()
            .map(|who| {
                let bond = self.beacon.bond_of(who);
                bond.active + bond.unbonding.map_or(0, |pending| pending.amount)
            })
            .sum();
        assert_eq!(bonded, totals.bonded, "bonds add up");
        assert_eq!(self.slashed_in_events, totals.slashed, "every penalty has its event");
        // Every unsettled commitment is covered by its participant's active bond and is known.
        for who in &self.known {
            if let Some(record) = self.beacon.commitment_of(who) {
                assert!(self.beacon.bond_of(who).active >= record.penalty, "the bond covers the penalty");
                assert!(self.beacon.used_commitments.contains((record.round, record.commitment)));
            }
        }
        // Unfinalised rounds are a suffix of the round log; finalised ones come first.
        let kept = self.beacon.rounds_kept;
        assert!(kept.start <= self.beacon.next_to_finalise.max(kept.start));
        assert!(self.beacon.next_to_finalise <= kept.end);
        for index in kept.start..kept.end {
            let round = self.beacon.round_log.get(index).expect("kept rounds exist");
            let info = self.beacon.round(round).expect("kept rounds have a record");
            assert_eq!(info.status == RoundStatus::Open, index >= self.beacon.next_to_finalise, "order");
            assert!(info.reveals <= info.commits);
            if let Some(binding) = info.drand {
                let awaited = self.beacon.drand_rounds.get(binding.drand_round);
                assert_eq!(awaited.is_some(), info.status == RoundStatus::Open);
            }
        }
        // The output log is sorted by round end and matches the rounds' outcomes.
        let outputs = self.beacon.outputs_kept;
        let mut previous_end = None;
        let mut unanchored = 0;
        for index in outputs.start..outputs.end {
            let entry = self.beacon.output_log.get(index).expect("kept entries exist");
            assert!(previous_end.is_none_or(|end| end < entry.ends));
            previous_end = Some(entry.ends);
            let info = self.beacon.round(entry.round).expect("a kept output has its round");
            assert_eq!(info.status, RoundStatus::Succeeded { output: entry.output, anchored: entry.anchored });
            unanchored += u32::from(!entry.anchored);
        }
        assert_eq!(unanchored, self.beacon.unanchored_outputs);
    }
}

// ---- rounds and phases ----

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

// ---- withheld reveals and penalties ----

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

// ---- lazy finalisation and ordering ----

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

// ---- commit errors ----

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

// ---- reveal errors ----

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

// ---- drand anchoring ----

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

// ---- bonds ----

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

// ---- randomness_at and liveness ----

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

// ---- history and pruning ----

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

// ---- parameters ----

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
