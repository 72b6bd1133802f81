//! One test per behaviour and per error of the beacon's rules, one file per behaviour. Every step
//! goes through the [`Harness`], which checks the state invariants after it (`crate::testing`,
//! conservation among them) and that a refused call changed nothing.
//!
//! With `BeaconPolicy::FAST` and the beacon started at block 1, round `r` commits in blocks
//! `1 + 5r ..= 3 + 5r`, reveals in `4 + 5r ..= 5 + 5r` and can be finalised from `6 + 5r` on.
//! Block `b` has timestamp `base + 6000·b` ms unless a test moves the clock.

mod bonds;
mod commit_errors;
mod drand;
mod finalisation;
mod governance;
mod history;
mod penalties;
mod policy;
mod randomness_at;
mod reveal_errors;
mod rounds;

use super::*;
use crate::testing::{check_state_invariants, FollowedFunds};
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
    /// The funds the events moved.
    followed: FollowedFunds,
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
            followed: FollowedFunds::default(),
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
                self.followed.follow(event);
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
        let result = self.step(|beacon, now| beacon.set_policy(now.block, 0, policy));
        self.record(result)
    }

    fn set_drand(&mut self, chain: DrandChain) -> Result<Vec<Event>, Error> {
        // No delay: a replacement is announced and applied in one step.
        let result = self.step(|beacon, now| {
            let mut events = beacon.set_drand_chain(now.block, 0, chain)?;
            if beacon.pending_drand_chain().is_some() {
                events.extend(beacon.apply_drand_chain(now.block)?);
            }
            Ok(events)
        });
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

    /// The invariants of the beacon's state (`crate::testing`), after every step.
    fn check_invariants(&self) {
        let summary = check_state_invariants(&self.beacon, &self.known, self.balance, &self.followed);
        assert!(summary.is_ok(), "{:#?}", summary.violations);
    }
}
