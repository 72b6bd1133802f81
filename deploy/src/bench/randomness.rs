//! The randomness beacon: bond, commit, reveal, `relay_drand` (one BLS verification of a real
//! quicknet signature), `finalise` of anchored rounds with 1, 32 and 100 participants (O(1):
//! the same work for each), an unanchored `finalise` after the drand timeout, `settle` of a
//! withheld reveal, the lazy finalisation a round's first commitment does, and `randomness_at`
//! over a short and a long output history.
//!
//! The chain's clock is set so that rounds 0, 1 and 2 are bound to the recorded quicknet rounds
//! 30662982, 30662992 and 30663002 (fast rounds last 30 s, ten drand rounds).

use super::Measurement;
use crate::bundle::Bundle;
use crate::chain::{dev_account, Chain, Deployed, Gas};
use crate::market_sandbox::id;
use crate::runtime::UNIT;
use anyhow::{ensure, Context, Result};
use polka_storage_primitives::beacon::{
    commitment, BeaconError, BeaconTotals, Bonded, CurrentRound, Event, RandomnessError, Slashed, Withdrawn,
};
use polka_storage_primitives::policy::{BeaconPolicy, ProvingPolicy};
use polka_storage_proofs::drand_vectors::Quicknet;
use randomness::testing::{check_conservation, FollowedFunds};
use scale::{Decode, Encode};
use sp_runtime::AccountId32;
use std::sync::Arc;

const CONTRACT: &str = "randomness";

/// The fast round lengths, with the production history so no output is pruned while measuring.
const POLICY: BeaconPolicy =
    BeaconPolicy { history: ProvingPolicy::PRODUCTION.longest_randomness_lookback(), ..BeaconPolicy::FAST };

/// Participants of the largest round.
const MOST: usize = 100;

/// The drand rounds the first three beacon rounds are bound to.
const DRAND_ROUNDS: [u64; 3] = [30_662_982, 30_662_992, 30_663_002];

struct Bench {
    chain: Chain,
    beacon: Deployed,
    participants: Vec<AccountId32>,
    quicknet: Quicknet,
    out: Vec<Measurement>,
    /// The beacon's balance right after instantiation.
    offset: u128,
    /// The funds the beacon's events moved, for its conservation check.
    followed: FollowedFunds,
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
        for bonded in beacon.events::<Bonded>(&answer.events, "Bonded")? {
            self.followed.follow(&Event::Bonded(bonded));
        }
        for slashed in beacon.events::<Slashed>(&answer.events, "Slashed")? {
            self.followed.follow(&Event::Slashed(slashed));
        }
        for withdrawn in beacon.events::<Withdrawn>(&answer.events, "Withdrawn")? {
            self.followed.follow(&Event::Withdrawn(withdrawn));
        }
        Ok((answer.value, answer.gas))
    }

    fn ok(&mut self, who: &AccountId32, message: &str, args: impl Encode, value: u128) -> Result<Gas> {
        let (outcome, gas) = self.call::<_, ()>(who, message, args, value)?;
        ensure!(outcome.is_ok(), "{message} failed: {outcome:?}");
        Ok(gas)
    }

    /// The beacon's conservation invariant (`randomness::testing`): measuring changed no rule.
    fn check_conservation(&mut self) -> Result<()> {
        let owner = self.participants[0].clone();
        let totals: BeaconTotals = self.chain.query(&owner, &self.beacon, "totals", ())?;
        let held = self.chain.balance(&self.beacon.address).saturating_sub(self.offset);
        let violations = check_conservation(held, &totals, &self.followed);
        ensure!(violations.is_empty(), "beacon funds: {}", violations.join("; "));
        Ok(())
    }

    fn record(&mut self, message: impl Into<String>, gas: Gas) {
        self.out.push(Measurement::new(CONTRACT, message, gas));
    }

    fn current(&mut self) -> Result<CurrentRound> {
        let owner = self.participants[0].clone();
        let current: Option<CurrentRound> = self.chain.query(&owner, &self.beacon, "current_round", ())?;
        current.context("the beacon has started")
    }

    /// The round starting at this block, or else the next one.
    fn fresh_round(&mut self) -> Result<CurrentRound> {
        let current = self.current()?;
        if self.chain.block_number() == current.commit_starts {
            return Ok(current);
        }
        self.chain.advance_to(current.ends + 1);
        self.current()
    }

    fn commit(&mut self, who: &AccountId32, round: u32) -> Result<Gas> {
        let value = commitment(round, &id(who), &secret(who, round));
        self.ok(who, "commit", (round, value), 0)
    }

    /// One round: the first `count` participants commit and all but `withhold` reveal; the chain
    /// ends a block after the reveal phase. Returns the round and the gas of its first commit, a
    /// later commit and a reveal.
    fn round(&mut self, count: usize, withhold: usize) -> Result<(CurrentRound, Gas, Gas, Gas)> {
        let round = self.fresh_round()?;
        let people: Vec<AccountId32> = self.participants[..count].to_vec();
        let (mut first, mut later, mut reveal) = (Gas::default(), Gas::default(), Gas::default());
        for (index, who) in people.iter().enumerate() {
            let gas = self.commit(who, round.round)?;
            if index == 0 {
                first = gas
            } else {
                later = gas
            }
        }
        self.chain.advance_to(round.reveal_starts);
        for who in people.iter().skip(withhold) {
            reveal = self.ok(who, "reveal", (round.round, secret(who, round.round)), 0)?;
        }
        self.chain.advance_to(round.ends + 1);
        Ok((round, first, later, reveal))
    }

    fn relay(&mut self, drand_round: u64) -> Result<Gas> {
        let (_, signature, _) = *self
            .quicknet
            .rounds
            .iter()
            .find(|(round, _, _)| *round == drand_round)
            .context("a recorded quicknet round")?;
        let relayer = dev_account("Ferdie");
        self.ok(&relayer, "relay_drand", (drand_round, signature), 0)
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
    let quicknet = Quicknet::load().map_err(anyhow::Error::msg)?;
    // Round 0 opens in block 1 and is expected to be over 5 blocks (30 s) later; the margin
    // after that lands on the first recorded round.
    let published = 1_000 * quicknet.round_time(DRAND_ROUNDS[0]);
    let genesis = published - POLICY.reveal_margin_ms - u64::from(POLICY.round_length()) * 6_000;
    let mut chain = Chain::with_genesis_timestamp(genesis);
    let owner = dev_account("Alice");
    let bundle = Arc::new(Bundle::of(CONTRACT)?);
    let beacon = chain.instantiate(&owner, &bundle, "with_policy", (POLICY,), 0, b"")?;
    let participants: Vec<AccountId32> = (0..MOST).map(|i| dev_account(&format!("BeaconParticipant{i}"))).collect();
    for who in &participants {
        chain.endow(who, 1_000 * UNIT);
    }
    let offset = chain.balance(&beacon.address);
    let mut bench =
        Bench { chain, beacon, participants, quicknet, out: Vec::new(), offset, followed: FollowedFunds::default() };
    let key = (bench.quicknet.public_key, bench.quicknet.genesis_time, bench.quicknet.period);
    let gas = bench.ok(&owner, "set_drand_chain", key, 0)?;
    bench.record("set_drand_chain (quicknet key, prepared once)", gas);

    let people = bench.participants.clone();
    let mut bond_gas = Gas::default();
    for who in &people {
        bond_gas = bench.ok(who, "bond", (), 10 * UNIT)?;
    }
    bench.record("bond", bond_gas);

    // Anchored rounds of 1, 32 and 100 participants: relay, then finalise.
    let mut finalised = Vec::new();
    for (index, count) in [1, 32, MOST].into_iter().enumerate() {
        let (round, first, later, reveal) = bench.round(count, 0)?;
        let relay = bench.relay(DRAND_ROUNDS[index])?;
        if count == MOST {
            bench.record("commit (first of a round)", first);
            bench.record(format!("commit ({MOST}th of a round)"), later);
            bench.record(format!("reveal ({MOST}th of a round)"), reveal);
            bench.record("relay_drand (one BLS verification)", relay);
        }
        let gas = bench.ok(&people[0], "finalise", (round.round,), 0)?;
        let plural = if count == 1 { "" } else { "s" };
        finalised.push(Measurement::new(CONTRACT, format!("finalise ({count} participant{plural}, anchored)"), gas));
    }
    bench.out.extend(finalised);

    // A round nobody relays for, with 10 withholders: it finalises unanchored after the timeout,
    // and each withholder's penalty is collected on its own.
    let (round, _, _, _) = bench.round(MOST, 10)?;
    bench.chain.advance_to(round.ends + POLICY.drand_timeout + 1);
    let gas = bench.ok(&people[0], "finalise", (round.round,), 0)?;
    bench.record(format!("finalise ({MOST} participants, unanchored after the timeout)"), gas);
    let (outcome, gas) = bench.call::<_, u128>(&people[0], "settle", (id(&people[1]),), 0)?;
    ensure!(outcome == Ok(POLICY.penalty), "settle: {outcome:?}");
    bench.record("settle (a withheld reveal)", gas);

    // The first commitment of a round finalises the oldest round on the way (unanchored here).
    let (previous, _, _, _) = bench.round(MOST, 0)?;
    bench.chain.advance_to(previous.ends + POLICY.drand_timeout + 1);
    let next = bench.fresh_round()?;
    let gas = bench.commit(&people[0], next.round)?;
    bench.record(format!("commit (first, finalising a round of {MOST})"), gas);
    let first_block = previous.ends;

    // randomness_at: a few outputs kept, then a longer history (a binary search over them).
    let mut outputs = 5;
    let gas = bench.randomness_at(first_block)?;
    bench.record(format!("randomness_at ({outputs} outputs kept)"), gas);
    let mut last_end = next.ends;
    while outputs < 64 {
        let current = bench.current()?;
        bench.chain.advance_to(current.reveal_starts);
        let round = current.round;
        bench.ok(&people[0], "reveal", (round, secret(&people[0], round)), 0)?;
        bench.chain.advance_to(current.ends + POLICY.drand_timeout + 1);
        let next = bench.fresh_round()?;
        bench.commit(&people[0], next.round)?;
        last_end = current.ends;
        outputs += 1;
    }
    let gas = bench.randomness_at(first_block)?;
    bench.record(format!("randomness_at ({outputs} outputs kept, oldest)"), gas);
    let gas = bench.randomness_at(last_end)?;
    bench.record(format!("randomness_at ({outputs} outputs kept, newest)"), gas);
    bench.check_conservation()?;
    Ok(bench.out)
}
