//! One test per behaviour and per error of the beacon's rules. Every step goes through the
//! [`Harness`], which checks the state invariants after it.
//!
//! With `BeaconPolicy::FAST` and the beacon started at block 1, round `r` commits in blocks
//! `1 + 5r ..= 3 + 5r`, reveals in `4 + 5r ..= 5 + 5r` and can be finalised from `6 + 5r` on.

use super::*;
use polka_storage_primitives::beacon::COMMITMENT_DOMAIN;

const START: BlockNumber = 1;
const BOND: Balance = 5_000;

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

/// The expected output: previous output, round, then the secrets ordered by participant.
fn expected_output(previous: [u8; 32], round: RoundNumber, mut revealed: Vec<(u8, [u8; 32])>) -> [u8; 32] {
    revealed.sort_by_key(|(who, _)| *who);
    let round_bytes = round.to_le_bytes();
    let mut parts: Vec<&[u8]> = vec![&previous, &round_bytes];
    for (_, secret) in &revealed {
        parts.push(secret);
    }
    blake2_256(&parts)
}

/// Drives a beacon block by block and checks its invariants after every step.
struct Harness {
    beacon: Beacon,
    now: BlockNumber,
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
        self
    }

    fn know(&mut self, who: AccountId) {
        if !self.known.contains(&who) {
            self.known.push(who);
        }
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
        let result = self.beacon.bond(account(who), self.now, value);
        if result.is_ok() {
            self.balance += value;
        }
        self.record(result)
    }

    fn unbond(&mut self, who: u8, amount: Balance) -> Result<Vec<Event>, Error> {
        let result = self.beacon.unbond(account(who), self.now, amount);
        self.record(result)
    }

    fn withdraw(&mut self, who: u8) -> Result<Balance, Error> {
        let result = self.beacon.withdraw(account(who), self.now);
        let amount = result.as_ref().map(|(amount, _)| *amount).ok();
        self.balance -= amount.unwrap_or(0);
        self.record(result.map(|(_, events)| events)).map(|_| amount.unwrap_or(0))
    }

    fn commit_raw(&mut self, who: u8, round: RoundNumber, value: [u8; 32]) -> Result<Vec<Event>, Error> {
        self.know(account(who));
        let result = self.beacon.commit(account(who), self.now, round, value);
        self.record(result)
    }

    fn commit(&mut self, who: u8, round: RoundNumber) -> Result<Vec<Event>, Error> {
        let value = commitment(round, &account(who), &secret_of(who, round));
        self.commit_raw(who, round, value)
    }

    fn reveal_raw(&mut self, who: u8, round: RoundNumber, secret: [u8; 32]) -> Result<Vec<Event>, Error> {
        let result = self.beacon.reveal(account(who), self.now, round, secret);
        self.record(result)
    }

    fn reveal(&mut self, who: u8, round: RoundNumber) -> Result<Vec<Event>, Error> {
        self.reveal_raw(who, round, secret_of(who, round))
    }

    fn finalise(&mut self, round: RoundNumber) -> Result<Vec<Event>, Error> {
        let result = self.beacon.finalise(self.now, round);
        self.record(result)
    }

    fn set_policy(&mut self, policy: BeaconPolicy) -> Result<Vec<Event>, Error> {
        let result = self.beacon.set_policy(self.now, policy);
        self.record(result)
    }

    fn randomness_at(&self, block: BlockNumber) -> Result<[u8; 32], BeaconError> {
        self.beacon.randomness_at(self.now, block)
    }

    /// Bonds `who` with [`BOND`] and commits it to `round`.
    fn join(&mut self, who: &[u8], round: RoundNumber) {
        for &participant in who {
            if self.beacon.bond_of(&account(participant)).active < BOND {
                self.bond(participant, BOND).unwrap();
            }
            self.commit(participant, round).unwrap();
        }
    }

    fn reveal_all(&mut self, who: &[u8], round: RoundNumber) {
        for &participant in who {
            self.reveal(participant, round).unwrap();
        }
    }

    /// Runs a whole round: `committers` commit, `revealers` reveal, then it is finalised.
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
        assert_eq!(self.slashed_in_events, totals.slashed, "every slash has its event");
        // The open round is the newest round with commitments, and its records are complete.
        if let Some(open) = self.beacon.open_round() {
            let info = self.beacon.round(open).expect("the open round has a record");
            assert_eq!(info.status, RoundStatus::Open);
            let records: Vec<CommitmentInfo> =
                self.known.iter().filter_map(|who| self.beacon.commitment_of(open, who)).collect();
            assert_eq!(records.len() as u32, info.commits);
            assert_eq!(records.iter().filter(|r| r.revealed.is_some()).count() as u32, info.reveals);
            assert!(info.commits <= BeaconPolicy::MAX_PARTICIPANTS_PER_ROUND);
            let newest = self.beacon.round_log.get(self.beacon.rounds_kept.end - 1);
            assert_eq!(newest, Some(open));
        }
        // The output log is sorted by round end and matches the rounds' outcomes.
        let outputs = self.beacon.outputs_kept;
        let mut previous_end = None;
        for index in outputs.start..outputs.end {
            let entry = self.beacon.output_log.get(index).expect("kept entries exist");
            assert!(previous_end.is_none_or(|end| end < entry.ends));
            previous_end = Some(entry.ends);
            let info = self.beacon.round(entry.round).expect("a kept output has its round");
            assert_eq!(info.status, RoundStatus::Succeeded(entry.output));
        }
        // Finalised rounds keep no per-participant records.
        for index in self.beacon.rounds_kept.start..self.beacon.rounds_kept.end {
            let round = self.beacon.round_log.get(index).expect("kept rounds exist");
            let info = self.beacon.round(round).expect("kept rounds have a record");
            if info.status != RoundStatus::Open {
                assert!(self.known.iter().all(|who| self.beacon.commitment_of(round, who).is_none()));
                assert!(self.beacon.participants.get((round, 0)).is_none());
            }
        }
    }
}

fn committed(events: &[Event]) -> usize {
    events.iter().filter(|e| matches!(e, Event::Committed(_))).count()
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
    assert_eq!((info.commits, info.reveals, info.status), (3, 0, RoundStatus::Open));
    assert_eq!((info.commit_starts, info.reveal_starts, info.ends), (1, 4, 5));
    // Reveals in an order other than the accounts' order: the output does not depend on it.
    h.at(reveal_starts(0));
    for who in [3, 1, 2] {
        let events = h.reveal(who, 0).unwrap();
        assert_eq!(
            events,
            vec![Event::Revealed(Revealed { round: 0, participant: account(who), secret: secret_of(who, 0) })]
        );
    }
    assert_eq!(h.randomness_at(1), Err(BeaconError::NotYetAvailable));
    let events = h.at(round_ends(0) + 1).finalise(0).unwrap();
    let output = expected_output(GENESIS_OUTPUT, 0, (1..=3).map(|w| (w, secret_of(w, 0))).collect());
    assert_eq!(events, vec![Event::RoundFinalised(RoundFinalised { round: 0, output, commits: 3, reveals: 3 })]);
    let info = h.beacon.round(0).unwrap();
    assert_eq!((info.commits, info.reveals, info.slashed), (3, 3, 0));
    assert_eq!(info.status, RoundStatus::Succeeded(output));
    assert_eq!(h.beacon.latest_output(), Some((0, output)));
    assert_eq!(h.beacon.open_round(), None);
    for block in 0..=round_ends(0) {
        assert_eq!(h.randomness_at(block), Ok(output));
    }
    assert_eq!(h.randomness_at(round_ends(0) + 1), Err(BeaconError::NotYetAvailable));
    for who in 1..=3 {
        assert_eq!(h.beacon.bond_of(&account(who)).active, BOND, "revealers keep their bond");
    }
}

#[ink::test]
fn each_output_chains_from_the_previous_successful_one() {
    let mut h = Harness::new();
    h.run_round(0, &[1, 2], &[1, 2]);
    let first = h.beacon.latest_output().unwrap().1;
    h.run_round(1, &[1, 2], &[2]);
    let second = h.beacon.latest_output().unwrap().1;
    assert_eq!(second, expected_output(first, 1, vec![(2, secret_of(2, 1))]));
    assert_eq!(h.randomness_at(commit_starts(1)), Ok(second));
    assert_eq!(h.randomness_at(round_ends(0)), Ok(first));
}

#[ink::test]
fn commit_and_reveal_follow_the_phase_boundaries() {
    let mut h = Harness::new();
    h.bond(1, BOND).unwrap();
    h.bond(2, BOND).unwrap();
    // Last commit block: committing works, revealing does not.
    h.at(reveal_starts(0) - 1);
    h.commit(1, 0).unwrap();
    assert_eq!(h.reveal(1, 0), Err(Error::NotRevealPhase));
    // First reveal block: committing is over, revealing works.
    h.at(reveal_starts(0));
    assert_eq!(h.commit(2, 0), Err(Error::NotCommitPhase));
    assert_eq!(h.commit(2, 1), Err(Error::RoundNotStarted));
    h.reveal(1, 0).unwrap();
    // Last reveal block: finalising must wait.
    h.at(round_ends(0));
    assert_eq!(h.finalise(0), Err(Error::RevealPhaseNotOver));
    // The block after: reveals are refused, finalisation works.
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

// ---- withheld reveals, slashing, failed rounds ----

#[ink::test]
fn a_withheld_reveal_loses_the_bond_and_the_round_still_succeeds_with_enough_reveals() {
    let mut h = Harness::new();
    h.bond(3, 2 * BOND).unwrap();
    let events = h.run_round(0, &[1, 2, 3], &[1, 2]);
    let output = expected_output(GENESIS_OUTPUT, 0, vec![(1, secret_of(1, 0)), (2, secret_of(2, 0))]);
    assert_eq!(
        events,
        vec![
            Event::Slashed(Slashed { round: 0, participant: account(3), amount: 2 * BOND }),
            Event::RoundFinalised(RoundFinalised { round: 0, output, commits: 3, reveals: 2 }),
        ]
    );
    assert_eq!(h.beacon.bond_of(&account(3)), BondInfo::default());
    assert_eq!(h.beacon.totals(), BeaconTotals { bonded: 2 * BOND, slashed: 2 * BOND });
    assert_eq!(h.beacon.round(0).unwrap().slashed, 2 * BOND);
    assert_eq!(h.randomness_at(1), Ok(output));
}

#[ink::test]
fn slashed_funds_are_never_paid_to_anyone() {
    let mut h = Harness::new();
    h.run_round(0, &[1, 2], &[1]);
    let slashed = h.beacon.totals().slashed;
    assert_eq!(slashed, BOND);
    // The revealer gets back exactly its own bond; the slashed participant gets nothing.
    h.unbond(1, BOND).unwrap();
    h.at(h.now + BeaconPolicy::FAST.unbond_delay);
    assert_eq!(h.withdraw(1), Ok(BOND));
    assert_eq!(h.withdraw(2), Err(Error::NothingToWithdraw));
    assert_eq!(h.unbond(2, 1), Err(Error::UnbondExceedsBond));
    assert_eq!(h.beacon.totals(), BeaconTotals { bonded: 0, slashed });
}

#[ink::test]
fn too_few_reveals_fail_the_round_and_consumers_move_on_to_the_next_success() {
    let policy = BeaconPolicy { min_reveals: 2, ..BeaconPolicy::FAST };
    let mut h = Harness::with_policy(policy);
    let events = h.run_round(0, &[1, 2], &[1]);
    assert_eq!(
        events,
        vec![
            Event::Slashed(Slashed { round: 0, participant: account(2), amount: BOND }),
            Event::RoundFailed(RoundFailed { round: 0, commits: 2, reveals: 1, min_reveals: 2 }),
        ]
    );
    assert_eq!(h.beacon.round(0).unwrap().status, RoundStatus::Failed);
    assert_eq!(h.beacon.latest_output(), None);
    assert_eq!(h.randomness_at(1), Err(BeaconError::NotYetAvailable));
    // Round 1 has no commitments at all; round 2 succeeds and answers for every block before.
    h.run_round(2, &[1, 3], &[1, 3]);
    let output = expected_output(GENESIS_OUTPUT, 2, vec![(1, secret_of(1, 2)), (3, secret_of(3, 2))]);
    for block in [1, round_ends(0), commit_starts(1), round_ends(1), round_ends(2)] {
        assert_eq!(h.randomness_at(block), Ok(output));
    }
    assert_eq!(h.randomness_at(round_ends(2) + 1), Err(BeaconError::NotYetAvailable));
}

#[ink::test]
fn a_round_with_no_reveal_fails() {
    let mut h = Harness::new();
    let events = h.run_round(0, &[1], &[]);
    assert!(matches!(events.last(), Some(Event::RoundFailed(failed)) if failed.reveals == 0));
}

#[ink::test]
fn unbonding_funds_are_not_at_stake() {
    let mut h = Harness::new();
    h.bond(1, 3 * BOND).unwrap();
    h.unbond(1, BOND).unwrap();
    h.run_round(0, &[1, 2], &[2]);
    let bond = h.beacon.bond_of(&account(1));
    assert_eq!(bond.active, 0);
    assert_eq!(bond.unbonding.map(|pending| pending.amount), Some(BOND));
    assert_eq!(h.beacon.totals().slashed, 2 * BOND);
}

// ---- lazy finalisation ----

#[ink::test]
fn the_first_commitment_of_a_new_round_finalises_the_open_round() {
    let mut h = Harness::new();
    h.at(commit_starts(0)).join(&[1, 2], 0);
    h.at(reveal_starts(0)).reveal(1, 0).unwrap();
    h.bond(3, BOND).unwrap();
    let events = h.at(commit_starts(2)).commit(3, 2).unwrap();
    let output = expected_output(GENESIS_OUTPUT, 0, vec![(1, secret_of(1, 0))]);
    assert_eq!(events.len(), 3);
    assert_eq!(events[0], Event::Slashed(Slashed { round: 0, participant: account(2), amount: BOND }));
    assert_eq!(events[1], Event::RoundFinalised(RoundFinalised { round: 0, output, commits: 2, reveals: 1 }));
    assert_eq!(committed(&events), 1);
    assert_eq!(h.beacon.open_round(), Some(2));
    assert_eq!(h.beacon.round(0).unwrap().status, RoundStatus::Succeeded(output));
    // Later commitments of the same round finalise nothing.
    let events = h.commit(1, 2).unwrap();
    assert_eq!(committed(&events), 1);
    assert_eq!(events.len(), 1);
}

#[ink::test]
fn a_participant_who_withheld_cannot_commit_to_the_next_round_and_nothing_changes() {
    let mut h = Harness::new();
    h.at(commit_starts(0)).join(&[1], 0);
    assert_eq!(h.at(commit_starts(1)).commit(1, 1), Err(Error::BondTooSmall));
    assert_eq!(h.beacon.open_round(), Some(0));
    assert_eq!(h.beacon.round(0).unwrap().status, RoundStatus::Open);
    assert_eq!(h.beacon.bond_of(&account(1)).active, BOND);
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
    let alices = h.beacon.commitment_of(0, &account(1)).unwrap().commitment;
    assert_eq!(h.commit_raw(2, 0, alices), Err(Error::CommitmentReused));
    assert_eq!(h.beacon.round(0).unwrap().commits, 1);
    // Even had it been accepted, the copy could never be revealed by the copier.
    h.commit(2, 0).unwrap();
    h.at(reveal_starts(0));
    assert_eq!(h.reveal_raw(2, 0, secret_of(1, 0)), Err(Error::BadReveal));
}

#[ink::test]
fn a_round_takes_at_most_the_participant_limit() {
    let mut h = Harness::new();
    let limit = BeaconPolicy::MAX_PARTICIPANTS_PER_ROUND as u8;
    let everyone: Vec<u8> = (1..=limit).collect();
    h.join(&everyone, 0);
    h.bond(limit + 1, BOND).unwrap();
    assert_eq!(h.commit(limit + 1, 0), Err(Error::RoundFull));
    // Finalising the full round does bounded work and slashes every non-revealer.
    h.at(reveal_starts(0)).reveal_all(&everyone[..16], 0);
    let events = h.at(round_ends(0) + 1).finalise(0).unwrap();
    assert_eq!(events.iter().filter(|e| matches!(e, Event::Slashed(_))).count(), 16);
}

#[ink::test]
fn commit_needs_the_minimum_bond() {
    let mut h = Harness::new();
    assert_eq!(h.commit(1, 0), Err(Error::BondTooSmall));
    h.bond(1, BeaconPolicy::FAST.min_bond).unwrap();
    h.unbond(1, 1).unwrap();
    assert_eq!(h.commit(1, 0), Err(Error::BondTooSmall));
    h.bond(1, 1).unwrap();
    h.commit(1, 0).unwrap();
}

// ---- reveal errors ----

#[ink::test]
fn reveal_in_a_round_without_commitments_is_refused() {
    let mut h = Harness::new();
    h.at(reveal_starts(0));
    assert_eq!(h.reveal(1, 0), Err(Error::UnknownRound));
    assert_eq!(h.reveal(1, 7), Err(Error::UnknownRound));
}

#[ink::test]
fn reveal_without_a_commitment_is_refused() {
    let mut h = Harness::new();
    h.join(&[1], 0);
    h.at(reveal_starts(0));
    assert_eq!(h.reveal(2, 0), Err(Error::NotCommitted));
}

#[ink::test]
fn reveal_twice_is_refused() {
    let mut h = Harness::new();
    h.join(&[1], 0);
    h.at(reveal_starts(0)).reveal(1, 0).unwrap();
    assert_eq!(h.reveal(1, 0), Err(Error::AlreadyRevealed));
}

#[ink::test]
fn a_secret_that_does_not_match_is_refused() {
    let mut h = Harness::new();
    h.join(&[1, 2], 0);
    h.at(reveal_starts(0));
    assert_eq!(h.reveal_raw(1, 0, [0; 32]), Err(Error::BadReveal));
    assert_eq!(h.reveal_raw(1, 0, secret_of(1, 1)), Err(Error::BadReveal), "another round's secret");
    assert_eq!(h.reveal_raw(2, 0, secret_of(1, 0)), Err(Error::BadReveal), "another participant's secret");
    assert_eq!(h.beacon.round(0).unwrap().reveals, 0);
}

#[ink::test]
fn reveal_after_finalisation_is_refused() {
    let mut h = Harness::new();
    h.run_round(0, &[1, 2], &[1]);
    assert_eq!(h.reveal(2, 0), Err(Error::NotRevealPhase));
}

// ---- finalise errors ----

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
    // Topping up by less than the minimum is fine once the bond is above it.
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
    // Still committed after the reveal phase, until someone finalises the round.
    h.at(round_ends(0) + 1);
    assert_eq!(h.unbond(1, 1), Err(Error::CommittedToOpenRound));
    h.finalise(0).unwrap();
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

// ---- randomness_at ----

#[ink::test]
fn randomness_is_unavailable_until_the_covering_round_is_finalised() {
    let mut h = Harness::new();
    h.join(&[1], 0);
    assert_eq!(h.randomness_at(1), Err(BeaconError::NotYetAvailable));
    h.at(reveal_starts(0)).reveal(1, 0).unwrap();
    assert_eq!(h.randomness_at(1), Err(BeaconError::NotYetAvailable));
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
fn randomness_at_finds_the_right_round_among_many() {
    let mut h = Harness::new();
    let mut outputs = Vec::new();
    // Rounds 0, 2, 3, 5, 6, 7 succeed, 4 fails (nobody reveals), 1 is empty.
    for round in [0, 2, 3, 4, 5, 6, 7] {
        let revealers: &[u8] = if round == 4 { &[] } else { &[1] };
        h.bond(1, BOND).unwrap();
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
    // At the finalisation of round 1 (block 11), round 0 (ends at 5) is still kept: 5 + 10 ≥ 11.
    assert!(h.beacon.round(0).is_some());
    assert_eq!(h.randomness_at(1), Ok(first));
    // Past the window the answer is `Pruned`, even before the record is dropped.
    h.at(round_ends(0) + 11);
    assert_eq!(h.randomness_at(round_ends(0)), Err(BeaconError::Pruned));
    assert_eq!(h.randomness_at(round_ends(0) + 1), Ok(second));
    assert_eq!(h.beacon.oldest_available_block(h.now), round_ends(0) + 1);
    assert_eq!(h.beacon.prune(h.now), 1);
    assert_eq!(h.beacon.round(0), None);
    assert_eq!(h.beacon.round(1).map(|info| info.status), Some(RoundStatus::Succeeded(second)));
    assert_eq!(h.randomness_at(round_ends(0) + 1), Ok(second));
    assert_eq!(h.beacon.prune(h.now), 0, "round 1 is still in the window");
    h.check_invariants();
}

#[ink::test]
fn a_longer_history_does_not_bring_pruned_rounds_back() {
    let policy = BeaconPolicy { history: 10, ..BeaconPolicy::FAST };
    let mut h = Harness::with_policy(policy);
    h.run_round(0, &[1], &[1]);
    h.run_round(4, &[1], &[1]);
    assert_eq!(h.beacon.round(0), None, "finalising round 4 pruned round 0");
    h.set_policy(BeaconPolicy { history: 1_000, ..policy }).unwrap();
    h.at(commit_starts(6));
    assert_eq!(h.beacon.policy_at(h.now).history, 1_000);
    assert_eq!(h.randomness_at(round_ends(0)), Err(BeaconError::Pruned));
    assert!(h.randomness_at(round_ends(0) + 1).is_ok());
}

#[ink::test]
fn pruning_is_bounded_per_call() {
    let policy = BeaconPolicy { history: 100, ..BeaconPolicy::FAST };
    let mut h = Harness::with_policy(policy);
    let rounds = BeaconPolicy::MAX_ROUNDS_PRUNED_PER_CALL + 3;
    // Every round is finalised (lazily, by the next) well within the history: nothing is pruned.
    for round in 0..rounds {
        h.bond(1, BOND).unwrap();
        h.at(commit_starts(round)).join(&[1], round);
        h.at(reveal_starts(round)).reveal(1, round).unwrap();
    }
    assert_eq!(h.beacon.rounds_kept.end - h.beacon.rounds_kept.start, rounds);
    h.at(round_ends(rounds) + 200);
    let pruned_by_finalise = {
        let before = h.beacon.rounds_kept.start;
        h.finalise(rounds - 1).unwrap();
        h.beacon.rounds_kept.start - before
    };
    assert_eq!(pruned_by_finalise, BeaconPolicy::MAX_ROUNDS_PRUNED_PER_CALL);
    assert_eq!(h.beacon.prune(h.now), 3);
    assert_eq!(h.beacon.prune(h.now), 0);
    assert_eq!(h.beacon.outputs_kept.start, h.beacon.outputs_kept.end);
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
        BeaconPolicy { min_reveals: 0, ..fast },
        BeaconPolicy { min_reveals: BeaconPolicy::MAX_PARTICIPANTS_PER_ROUND + 1, ..fast },
        BeaconPolicy { history: fast.round_length() - 1, ..fast },
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
    let slow = BeaconPolicy { commit_phase: 10, reveal_phase: 10, min_reveals: 2, ..BeaconPolicy::FAST };
    h.join(&[1], 0);
    let events = h.at(2).set_policy(slow).unwrap();
    assert_eq!(events, vec![Event::PolicyScheduled(PolicyScheduled { from_round: 1, from_block: 6, policy: slow })]);
    assert_eq!(h.beacon.pending_policy(h.now), Some((1, 6, slow)));
    // Round 0 keeps its phases and its minimum of reveals.
    assert_eq!(h.beacon.policy_at(5), BeaconPolicy::FAST);
    h.at(reveal_starts(0)).reveal(1, 0).unwrap();
    let events = h.at(6).finalise(0).unwrap();
    assert!(matches!(events.last(), Some(Event::RoundFinalised(_))), "one reveal is enough for round 0");
    // Round 1 runs with the new lengths: commit 6..=15, reveal 16..=25.
    assert_eq!(h.beacon.pending_policy(h.now), None);
    assert_eq!(h.beacon.policy_at(h.now), slow);
    let round = h.beacon.current_round(15).unwrap();
    assert_eq!((round.round, round.phase, round.reveal_starts, round.ends), (1, RoundPhase::Commit, 16, 25));
    h.at(15).commit(1, 1).unwrap();
    assert_eq!(h.beacon.round(1).unwrap().min_reveals, 2);
    assert_eq!(h.beacon.current_round(26).unwrap().round, 2);
}

#[ink::test]
fn a_later_change_replaces_a_pending_one_and_a_due_one_is_kept() {
    let mut h = Harness::new();
    let first = BeaconPolicy { commit_phase: 4, ..BeaconPolicy::FAST };
    let second = BeaconPolicy { commit_phase: 5, ..BeaconPolicy::FAST };
    h.set_policy(first).unwrap();
    h.set_policy(second).unwrap();
    assert_eq!(h.beacon.pending_policy(h.now), Some((1, 6, second)));
    // Once round 1 has started with `second`, a new change waits for round 2 (6 + 7 = 13).
    h.at(7).set_policy(first).unwrap();
    assert_eq!(h.beacon.policy_at(h.now), second);
    assert_eq!(h.beacon.pending_policy(h.now), Some((2, 13, first)));
    assert_eq!(h.beacon.current_round(13).unwrap().round, 2);
    assert_eq!(h.beacon.current_round(12).unwrap().round, 1);
}

#[ink::test]
fn commitments_are_the_domain_separated_hash() {
    let round_bytes = 4u32.to_le_bytes();
    let expected = blake2_256(&[COMMITMENT_DOMAIN, &round_bytes, &[1; 32], &secret_of(1, 4)]);
    assert_eq!(commitment(4, &account(1), &secret_of(1, 4)), expected);
}
