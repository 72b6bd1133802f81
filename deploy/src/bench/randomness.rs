//! The randomness beacon: bond, commit, reveal, finalise with 1, 8 and 32 participants (the
//! most a round takes), the lazy finalisation a round's first commitment does, and
//! `randomness_at` over a short and a long output history.

use super::Measurement;
use crate::bundle::Bundle;
use crate::chain::{dev_account, Chain, Deployed, Gas};
use crate::market_sandbox::id;
use crate::runtime::UNIT;
use anyhow::{ensure, Context, Result};
use polka_storage_primitives::beacon::{commitment, BeaconError, CurrentRound, RandomnessError};
use polka_storage_primitives::policy::{BeaconPolicy, ProvingPolicy};
use scale::{Decode, Encode};
use sp_runtime::AccountId32;
use std::sync::Arc;

const CONTRACT: &str = "randomness";

/// The fast round lengths, with the production history so no output is pruned while measuring.
const POLICY: BeaconPolicy =
    BeaconPolicy { history: ProvingPolicy::PRODUCTION.longest_randomness_lookback(), ..BeaconPolicy::FAST };

struct Bench {
    chain: Chain,
    beacon: Deployed,
    participants: Vec<AccountId32>,
    out: Vec<Measurement>,
}

fn secret(who: &AccountId32, round: u32) -> [u8; 32] {
    sp_core::blake2_256(&(who, round, "bench").encode())
}

impl Bench {
    fn call<A: Encode, R: Decode + std::fmt::Debug>(
        &mut self,
        who: &AccountId32,
        message: &str,
        args: A,
        value: u128,
    ) -> Result<(Result<R, RandomnessError>, Gas)> {
        let beacon = self.beacon.clone();
        let answer = self.chain.call::<A, Result<R, RandomnessError>>(who, &beacon, message, args, value)?;
        Ok((answer.value, answer.gas))
    }

    fn ok(&mut self, who: &AccountId32, message: &str, args: impl Encode, value: u128) -> Result<Gas> {
        let (outcome, gas) = self.call::<_, ()>(who, message, args, value)?;
        ensure!(outcome.is_ok(), "{message} failed: {outcome:?}");
        Ok(gas)
    }

    fn record(&mut self, message: impl Into<String>, gas: Gas) {
        self.out.push(Measurement::new(CONTRACT, message, gas));
    }

    fn current(&mut self) -> Result<CurrentRound> {
        let owner = self.participants[0].clone();
        let current: Option<CurrentRound> = self.chain.query(&owner, &self.beacon, "current_round", ())?;
        current.context("the beacon has started")
    }

    /// Moves to the start of the next round's commit phase; returns that round.
    fn next_round(&mut self) -> Result<CurrentRound> {
        let current = self.current()?;
        self.chain.advance_to(current.ends + 1);
        self.current()
    }

    /// The round starting at this block, or else the next one.
    fn fresh_round(&mut self) -> Result<CurrentRound> {
        let current = self.current()?;
        if self.chain.block_number() == current.commit_starts {
            Ok(current)
        } else {
            self.next_round()
        }
    }

    fn commit(&mut self, who: &AccountId32, round: u32) -> Result<Gas> {
        let value = commitment(round, &id(who), &secret(who, round));
        self.ok(who, "commit", (round, value), 0)
    }

    /// One round: the first `count` participants commit, and reveal if `reveal`. Returns the
    /// round and the gas of its first commit, a later commit and a reveal.
    fn round(&mut self, count: usize, reveal: bool) -> Result<(CurrentRound, Gas, Gas, Option<Gas>)> {
        let round = self.fresh_round()?;
        let people: Vec<AccountId32> = self.participants[..count].to_vec();
        let mut first = Gas::default();
        let mut later = Gas::default();
        for (index, who) in people.iter().enumerate() {
            let gas = self.commit(who, round.round)?;
            if index == 0 {
                first = gas
            } else {
                later = gas
            }
        }
        let mut reveal_gas = None;
        if reveal {
            self.chain.advance_to(round.reveal_starts);
            for who in &people {
                reveal_gas = Some(self.ok(who, "reveal", (round.round, secret(who, round.round)), 0)?);
            }
        }
        self.chain.advance_to(round.ends + 1);
        Ok((round, first, later, reveal_gas))
    }

    fn randomness_at(&mut self, block: u32) -> Result<Gas> {
        let who = self.participants[0].clone();
        let beacon = self.beacon.clone();
        let answer =
            self.chain.call::<_, Result<[u8; 32], BeaconError>>(&who, &beacon, "randomness_at", (block,), 0)?;
        ensure!(answer.value.is_ok(), "randomness_at({block}) failed: {:?}", answer.value);
        Ok(answer.gas)
    }
}

/// Measures the beacon's messages.
pub fn measure() -> Result<Vec<Measurement>> {
    let mut chain = Chain::new();
    let owner = dev_account("Alice");
    let bundle = Arc::new(Bundle::of(CONTRACT)?);
    let beacon = chain.instantiate(&owner, &bundle, "with_policy", (POLICY,), 0, b"")?;
    let limit = BeaconPolicy::MAX_PARTICIPANTS_PER_ROUND as usize;
    let participants: Vec<AccountId32> = (0..limit).map(|i| dev_account(&format!("BeaconParticipant{i}"))).collect();
    for who in &participants {
        chain.endow(who, 1_000 * UNIT);
    }
    let mut bench = Bench { chain, beacon, participants, out: Vec::new() };

    let people = bench.participants.clone();
    let mut bond_gas = Gas::default();
    for who in &people {
        bond_gas = bench.ok(who, "bond", (), 10 * UNIT)?;
    }
    bench.record("bond", bond_gas);

    // Finalising after every participant revealed: 1, 8 and 32 participants.
    let mut finalised = Vec::new();
    for count in [1, 8, limit] {
        let (round, first, later, reveal) = bench.round(count, true)?;
        if count == 8 {
            bench.record("commit (first of a round)", first);
            bench.record("commit", later);
            bench.record("reveal", reveal.context("revealed")?);
        }
        let gas = bench.ok(&people[0], "finalise", (round.round,), 0)?;
        let plural = if count == 1 { "" } else { "s" };
        finalised.push(Measurement::new(CONTRACT, format!("finalise ({count} participant{plural})"), gas));
    }
    bench.out.extend(finalised);

    // Nobody reveals: finalising slashes all 32.
    let (round, _, _, _) = bench.round(limit, false)?;
    let gas = bench.ok(&people[0], "finalise", (round.round,), 0)?;
    bench.record(format!("finalise ({limit} participants, none revealed)"), gas);
    for who in &people {
        bench.ok(who, "bond", (), 10 * UNIT)?;
    }

    // The first commitment of a round finalises the open round of 32 participants on the way.
    bench.round(limit, true)?;
    let next = bench.fresh_round()?;
    let gas = bench.commit(&people[0], next.round)?;
    bench.record(format!("commit (first, finalising a round of {limit})"), gas);
    let first_block = next.commit_starts;

    // randomness_at: a few outputs kept, then a longer history (a binary search over them).
    let mut outputs = 4;
    let gas = bench.randomness_at(first_block.saturating_sub(1))?;
    bench.record(format!("randomness_at ({outputs} outputs kept)"), gas);
    let mut last_end = next.ends;
    while outputs < 64 {
        let current = bench.current()?;
        bench.chain.advance_to(current.reveal_starts);
        let round = current.round;
        bench.ok(&people[0], "reveal", (round, secret(&people[0], round)), 0)?;
        let next = bench.next_round()?;
        bench.commit(&people[0], next.round)?;
        last_end = current.ends;
        outputs += 1;
    }
    let gas = bench.randomness_at(first_block)?;
    bench.record(format!("randomness_at ({outputs} outputs kept, oldest)"), gas);
    let gas = bench.randomness_at(last_end)?;
    bench.record(format!("randomness_at ({outputs} outputs kept, newest)"), gas);
    Ok(bench.out)
}
