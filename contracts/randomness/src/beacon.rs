//! The rules of the beacon, without any chain: rounds, bonds, commitments, reveals,
//! finalisation, the output history and its pruning. Every method takes the caller and the
//! block explicitly and returns its events; the contract stores, pays and emits.
//!
//! Rounds are numbered from the start block: round `r` of a schedule starts at
//! `first_block + (r − first_round) × round_length`, with its commit phase first and its reveal
//! phase right after. New parameters take effect from the next round boundary, so a round that
//! has started keeps the parameters it started with.
//!
//! Rounds are finalised strictly in order: only the latest round with commitments can be open,
//! and the first commitment of a later round finalises it. So the successful outputs form a log
//! sorted by round end, `randomness_at` is a binary search in it, and an answer once given
//! never changes.

use crate::events::{
    Bonded, Committed, Event, PolicyScheduled, Revealed, RoundFailed, RoundFinalised, Slashed, UnbondRequested,
    Withdrawn,
};
use ink::prelude::vec;
use ink::prelude::vec::Vec;
use ink::primitives::AccountId;
use ink::storage::traits::ManualKey;
use ink::storage::Mapping;
use polka_storage_primitives::beacon::{
    commitment, BeaconError, BeaconTotals, BondInfo, CommitmentInfo, CurrentRound, PendingUnbond,
    RandomnessError as Error, RoundInfo, RoundNumber, RoundPhase, RoundStatus,
};
use polka_storage_primitives::hash::blake2_256;
use polka_storage_primitives::policy::BeaconPolicy;
use polka_storage_primitives::{Balance, BlockNumber};

/// The output the first successful round chains from.
pub const GENESIS_OUTPUT: [u8; 32] = [0u8; 32];

// Storage keys of the mappings: fixed, so a code upgrade cannot shuffle them.
const BONDS_KEY: u32 = 0x6265_0001;
const ROUNDS_KEY: u32 = 0x6265_0002;
const ROUND_LOG_KEY: u32 = 0x6265_0003;
const OUTPUT_LOG_KEY: u32 = 0x6265_0004;
const PARTICIPANTS_KEY: u32 = 0x6265_0005;
const COMMITMENTS_KEY: u32 = 0x6265_0006;
const USED_COMMITMENTS_KEY: u32 = 0x6265_0007;

/// Parameters in force from `first_round`, whose commit phase starts at `first_block`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct Schedule {
    /// The first round these parameters apply to.
    pub first_round: RoundNumber,
    /// The block that round starts at.
    pub first_block: BlockNumber,
    /// The parameters.
    pub policy: BeaconPolicy,
}

/// The three boundaries of a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundTiming {
    /// First block of the commit phase.
    pub commit_starts: BlockNumber,
    /// First block of the reveal phase.
    pub reveal_starts: BlockNumber,
    /// Last block of the reveal phase.
    pub ends: BlockNumber,
}

impl Schedule {
    /// The round in progress at `block`, if the schedule has started by then.
    pub fn round_at(&self, block: BlockNumber) -> Option<RoundNumber> {
        let elapsed = block.checked_sub(self.first_block)?;
        let rounds = elapsed.checked_div(self.policy.round_length())?;
        self.first_round.checked_add(rounds)
    }

    /// When round `round` (not before `first_round`) runs.
    pub fn timing(&self, round: RoundNumber) -> Option<RoundTiming> {
        let offset = round.checked_sub(self.first_round)?;
        let commit_starts = self.first_block.checked_add(offset.checked_mul(self.policy.round_length())?)?;
        let reveal_starts = commit_starts.checked_add(self.policy.commit_phase)?;
        let ends = reveal_starts.checked_add(self.policy.reveal_phase)?.checked_sub(1)?;
        Some(RoundTiming { commit_starts, reveal_starts, ends })
    }
}

/// A successful round in the output log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct OutputEntry {
    /// The round.
    pub round: RoundNumber,
    /// Its last block.
    pub ends: BlockNumber,
    /// Its output.
    pub output: [u8; 32],
}

/// The kept part of an append-only log: entries `start..end`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct LogBounds {
    /// Index of the oldest kept entry.
    pub start: u32,
    /// Index the next entry gets.
    pub end: u32,
}

impl LogBounds {
    fn is_empty(&self) -> bool {
        self.start >= self.end
    }
}

/// Checks that parameters can run rounds (see [`BeaconPolicy::is_valid`]).
pub fn validate_policy(policy: &BeaconPolicy) -> Result<(), Error> {
    if policy.is_valid() {
        Ok(())
    } else {
        Err(Error::InvalidPolicy)
    }
}

/// The commitment values used in a round (a copied commitment is refused).
type UsedCommitments = Mapping<(RoundNumber, [u8; 32]), (), ManualKey<USED_COMMITMENTS_KEY>>;

/// The beacon's state.
#[ink::storage_item]
#[derive(Debug)]
pub struct Beacon {
    /// Parameters in force.
    schedule: Schedule,
    /// Parameters scheduled for a round that has not started when they were set.
    next_schedule: Option<Schedule>,
    /// The latest round with commitments, while it is not finalised.
    open_round: Option<RoundNumber>,
    /// Output of the latest successful round ([`GENESIS_OUTPUT`] before the first).
    previous_output: [u8; 32],
    /// Every participant's bond, active and unbonding.
    total_bonded: Balance,
    /// Bonds slashed for withheld reveals; nobody can withdraw them.
    slashed_total: Balance,
    /// Blocks up to which the history was pruned.
    pruned_through: Option<BlockNumber>,
    /// Bounds of `round_log`.
    rounds_kept: LogBounds,
    /// Bounds of `output_log`.
    outputs_kept: LogBounds,
    bonds: Mapping<AccountId, BondInfo, ManualKey<BONDS_KEY>>,
    rounds: Mapping<RoundNumber, RoundInfo, ManualKey<ROUNDS_KEY>>,
    /// Every round with commitments, in order (for pruning).
    round_log: Mapping<u32, RoundNumber, ManualKey<ROUND_LOG_KEY>>,
    /// Every successful round, in order (for `randomness_at`).
    output_log: Mapping<u32, OutputEntry, ManualKey<OUTPUT_LOG_KEY>>,
    /// The participants of the open round, by commit order.
    participants: Mapping<(RoundNumber, u32), AccountId, ManualKey<PARTICIPANTS_KEY>>,
    /// The commitments of the open round.
    commitments: Mapping<(RoundNumber, AccountId), CommitmentInfo, ManualKey<COMMITMENTS_KEY>>,
    /// The commitment values used in the open round.
    used_commitments: UsedCommitments,
}

impl Beacon {
    /// A beacon whose round 0 starts at `now`.
    pub fn new(now: BlockNumber, policy: BeaconPolicy) -> Result<Self, Error> {
        validate_policy(&policy)?;
        Ok(Self {
            schedule: Schedule { first_round: 0, first_block: now, policy },
            next_schedule: None,
            open_round: None,
            previous_output: GENESIS_OUTPUT,
            total_bonded: 0,
            slashed_total: 0,
            pruned_through: None,
            rounds_kept: LogBounds::default(),
            outputs_kept: LogBounds::default(),
            bonds: Mapping::default(),
            rounds: Mapping::default(),
            round_log: Mapping::default(),
            output_log: Mapping::default(),
            participants: Mapping::default(),
            commitments: Mapping::default(),
            used_commitments: Mapping::default(),
        })
    }

    // ---- views ----

    /// The schedule in force at `block` (at or after the last change).
    fn schedule_at(&self, block: BlockNumber) -> &Schedule {
        match &self.next_schedule {
            Some(next) if block >= next.first_block => next,
            _ => &self.schedule,
        }
    }

    /// The parameters in force at `now`.
    pub fn policy_at(&self, now: BlockNumber) -> BeaconPolicy {
        self.schedule_at(now).policy
    }

    /// Parameters scheduled for a future round at `now`: (first round, its start block, them).
    pub fn pending_policy(&self, now: BlockNumber) -> Option<(RoundNumber, BlockNumber, BeaconPolicy)> {
        self.next_schedule
            .filter(|next| now < next.first_block)
            .map(|next| (next.first_round, next.first_block, next.policy))
    }

    /// The round in progress at `now` and its phase.
    pub fn current_round(&self, now: BlockNumber) -> Option<CurrentRound> {
        let schedule = self.schedule_at(now);
        let round = schedule.round_at(now)?;
        let timing = schedule.timing(round)?;
        let phase = if now < timing.reveal_starts { RoundPhase::Commit } else { RoundPhase::Reveal };
        Some(CurrentRound {
            round,
            phase,
            commit_starts: timing.commit_starts,
            reveal_starts: timing.reveal_starts,
            ends: timing.ends,
        })
    }

    /// The state of `round`, if it had commitments and is still in the history.
    pub fn round(&self, round: RoundNumber) -> Option<RoundInfo> {
        self.rounds.get(round)
    }

    /// The latest round with commitments that is not finalised yet.
    pub fn open_round(&self) -> Option<RoundNumber> {
        self.open_round
    }

    /// `participant`'s bond.
    pub fn bond_of(&self, participant: &AccountId) -> BondInfo {
        self.bonds.get(participant).unwrap_or_default()
    }

    /// `participant`'s commitment in `round`, while that round is open.
    pub fn commitment_of(&self, round: RoundNumber, participant: &AccountId) -> Option<CommitmentInfo> {
        self.commitments.get((round, *participant))
    }

    /// Bonded and slashed funds.
    pub fn totals(&self) -> BeaconTotals {
        BeaconTotals { bonded: self.total_bonded, slashed: self.slashed_total }
    }

    /// The latest successful round and its output.
    pub fn latest_output(&self) -> Option<(RoundNumber, [u8; 32])> {
        if self.outputs_kept.is_empty() {
            return None;
        }
        let last = self.outputs_kept.end.checked_sub(1)?;
        self.output_log.get(last).map(|entry| (entry.round, entry.output))
    }

    /// The oldest block `randomness_at` answers at `now`.
    pub fn oldest_available_block(&self, now: BlockNumber) -> BlockNumber {
        let window = now.saturating_sub(self.policy_at(now).history);
        match self.pruned_through.and_then(|block| block.checked_add(1)) {
            Some(after_pruned) => window.max(after_pruned),
            None => window,
        }
    }

    /// The output of the first successful round ending at or after `block`, asked at `now`.
    pub fn randomness_at(&self, now: BlockNumber, block: BlockNumber) -> Result<[u8; 32], BeaconError> {
        if block < self.oldest_available_block(now) {
            return Err(BeaconError::Pruned);
        }
        // Binary search for the first kept entry that ends at or after `block`; the last entry
        // that qualified is the answer.
        let (mut low, mut high) = (self.outputs_kept.start, self.outputs_kept.end);
        let mut found = None;
        for _ in 0..=u32::BITS {
            if low >= high {
                break;
            }
            let middle = low.saturating_add(high.saturating_sub(low) / 2);
            match self.output_log.get(middle) {
                Some(entry) if entry.ends >= block => {
                    found = Some(entry.output);
                    high = middle;
                }
                Some(_) => low = middle.saturating_add(1),
                None => return Err(BeaconError::NotYetAvailable),
            }
        }
        found.ok_or(BeaconError::NotYetAvailable)
    }

    // ---- governance ----

    /// Schedules `policy` from the next round boundary after `now` (the caller is the owner).
    /// It replaces parameters scheduled earlier that have not taken effect yet.
    pub fn set_policy(&mut self, now: BlockNumber, policy: BeaconPolicy) -> Result<Vec<Event>, Error> {
        validate_policy(&policy)?;
        let in_force = *self.schedule_at(now);
        let current = in_force.round_at(now).ok_or(Error::Overflow)?;
        let from_round = current.checked_add(1).ok_or(Error::Overflow)?;
        let from_block = in_force.timing(from_round).ok_or(Error::Overflow)?.commit_starts;
        self.schedule = in_force;
        self.next_schedule = Some(Schedule { first_round: from_round, first_block: from_block, policy });
        Ok(vec![Event::PolicyScheduled(PolicyScheduled { from_round, from_block, policy })])
    }

    // ---- bonds ----

    /// `participant` adds `value` (what it sent) to its active bond, which must reach the minimum.
    pub fn bond(&mut self, participant: AccountId, now: BlockNumber, value: Balance) -> Result<Vec<Event>, Error> {
        if value == 0 {
            return Err(Error::ZeroAmount);
        }
        let mut bond = self.bond_of(&participant);
        let active = bond.active.checked_add(value).ok_or(Error::Overflow)?;
        if active < self.policy_at(now).min_bond {
            return Err(Error::BondTooSmall);
        }
        let total_bonded = self.total_bonded.checked_add(value).ok_or(Error::Overflow)?;
        bond.active = active;
        self.bonds.insert(participant, &bond);
        self.total_bonded = total_bonded;
        Ok(vec![Event::Bonded(Bonded { participant, amount: value, active })])
    }

    /// `participant` moves `amount` of its active bond to unbonding, withdrawable after the
    /// unbonding delay. Refused while it is committed to the open round.
    pub fn unbond(&mut self, participant: AccountId, now: BlockNumber, amount: Balance) -> Result<Vec<Event>, Error> {
        if amount == 0 {
            return Err(Error::ZeroAmount);
        }
        let mut bond = self.bond_of(&participant);
        if amount > bond.active {
            return Err(Error::UnbondExceedsBond);
        }
        if let Some(open) = self.open_round {
            if self.commitments.contains((open, participant)) {
                return Err(Error::CommittedToOpenRound);
            }
        }
        let release_at = now.checked_add(self.policy_at(now).unbond_delay).ok_or(Error::Overflow)?;
        let already = bond.unbonding.map_or(0, |pending| pending.amount);
        let unbonding = already.checked_add(amount).ok_or(Error::Overflow)?;
        bond.active = bond.active.checked_sub(amount).ok_or(Error::Overflow)?;
        bond.unbonding = Some(PendingUnbond { amount: unbonding, release_at });
        self.bonds.insert(participant, &bond);
        Ok(vec![Event::UnbondRequested(UnbondRequested { participant, amount, release_at })])
    }

    /// Releases `participant`'s unbonded funds once the delay has passed; the contract pays
    /// the returned amount.
    pub fn withdraw(&mut self, participant: AccountId, now: BlockNumber) -> Result<(Balance, Vec<Event>), Error> {
        let mut bond = self.bond_of(&participant);
        let pending = bond.unbonding.ok_or(Error::NothingToWithdraw)?;
        if now < pending.release_at {
            return Err(Error::UnbondNotDue);
        }
        let total_bonded = self.total_bonded.checked_sub(pending.amount).ok_or(Error::Overflow)?;
        bond.unbonding = None;
        if bond.active == 0 {
            self.bonds.remove(participant);
        } else {
            self.bonds.insert(participant, &bond);
        }
        self.total_bonded = total_bonded;
        let amount = pending.amount;
        Ok((amount, vec![Event::Withdrawn(Withdrawn { participant, amount })]))
    }

    // ---- rounds ----

    /// `participant` commits `commitment` to `round`, which must be in its commit phase at `now`.
    /// The first commitment of a round finalises the previous open round.
    pub fn commit(
        &mut self,
        participant: AccountId,
        now: BlockNumber,
        round: RoundNumber,
        commitment: [u8; 32],
    ) -> Result<Vec<Event>, Error> {
        let current = self.current_round(now).ok_or(Error::RoundNotStarted)?;
        if round > current.round {
            return Err(Error::RoundNotStarted);
        }
        if round < current.round || current.phase != RoundPhase::Commit {
            return Err(Error::NotCommitPhase);
        }
        let policy = self.policy_at(now);
        let existing = self.rounds.get(round);
        if self.commitments.contains((round, participant)) {
            return Err(Error::AlreadyCommitted);
        }
        if self.used_commitments.contains((round, commitment)) {
            return Err(Error::CommitmentReused);
        }
        let mut info = existing.unwrap_or(RoundInfo {
            round,
            commit_starts: current.commit_starts,
            reveal_starts: current.reveal_starts,
            ends: current.ends,
            min_reveals: policy.min_reveals,
            commits: 0,
            reveals: 0,
            slashed: 0,
            status: RoundStatus::Open,
        });
        if info.commits >= BeaconPolicy::MAX_PARTICIPANTS_PER_ROUND {
            return Err(Error::RoundFull);
        }
        // A new round first finalises the open one, which may slash this participant.
        let previous_open = self.open_round.filter(|_| existing.is_none());
        let slashed_first = previous_open
            .is_some_and(|open| self.commitments.get((open, participant)).is_some_and(|c| c.revealed.is_none()));
        let active = if slashed_first { 0 } else { self.bond_of(&participant).active };
        if active < policy.min_bond {
            return Err(Error::BondTooSmall);
        }
        let index = info.commits;
        info.commits = index.checked_add(1).ok_or(Error::Overflow)?;
        let mut events = Vec::new();
        if existing.is_none() {
            let log_end = self.rounds_kept.end.checked_add(1).ok_or(Error::Overflow)?;
            if let Some(open) = previous_open {
                let open_info = self.rounds.get(open).ok_or(Error::UnknownRound)?;
                events.extend(self.finalise_open(open, open_info)?);
                self.prune(now);
            }
            self.round_log.insert(self.rounds_kept.end, &round);
            self.rounds_kept.end = log_end;
            self.open_round = Some(round);
        }
        self.participants.insert((round, index), &participant);
        self.commitments.insert((round, participant), &CommitmentInfo { commitment, revealed: None });
        self.used_commitments.insert((round, commitment), &());
        self.rounds.insert(round, &info);
        events.push(Event::Committed(Committed { round, participant, commitment }));
        Ok(events)
    }

    /// `participant` reveals the `secret` of its commitment in `round`, in its reveal phase.
    pub fn reveal(
        &mut self,
        participant: AccountId,
        now: BlockNumber,
        round: RoundNumber,
        secret: [u8; 32],
    ) -> Result<Vec<Event>, Error> {
        let mut info = self.rounds.get(round).ok_or(Error::UnknownRound)?;
        if info.status != RoundStatus::Open || now < info.reveal_starts || now > info.ends {
            return Err(Error::NotRevealPhase);
        }
        let mut record = self.commitments.get((round, participant)).ok_or(Error::NotCommitted)?;
        if record.revealed.is_some() {
            return Err(Error::AlreadyRevealed);
        }
        if commitment(round, &participant, &secret) != record.commitment {
            return Err(Error::BadReveal);
        }
        info.reveals = info.reveals.checked_add(1).ok_or(Error::Overflow)?;
        record.revealed = Some(secret);
        self.commitments.insert((round, participant), &record);
        self.rounds.insert(round, &info);
        Ok(vec![Event::Revealed(Revealed { round, participant, secret })])
    }

    /// Finalises `round` once its reveal phase is over at `now`, then prunes old history.
    pub fn finalise(&mut self, now: BlockNumber, round: RoundNumber) -> Result<Vec<Event>, Error> {
        let info = self.rounds.get(round).ok_or(Error::UnknownRound)?;
        if info.status != RoundStatus::Open {
            return Err(Error::AlreadyFinalised);
        }
        if now <= info.ends {
            return Err(Error::RevealPhaseNotOver);
        }
        let events = self.finalise_open(round, info)?;
        self.prune(now);
        Ok(events)
    }

    /// Finalises the open round `round` whose stored state is `info` (its reveal phase is
    /// over): computes everything first, then writes.
    fn finalise_open(&mut self, round: RoundNumber, mut info: RoundInfo) -> Result<Vec<Event>, Error> {
        let mut revealed: Vec<(AccountId, [u8; 32])> = Vec::new();
        let mut withheld: Vec<(AccountId, BondInfo)> = Vec::new();
        let mut entries: Vec<(AccountId, [u8; 32])> = Vec::new();
        let mut slashed: Balance = 0;
        for index in 0..info.commits.min(BeaconPolicy::MAX_PARTICIPANTS_PER_ROUND) {
            let Some(participant) = self.participants.get((round, index)) else { continue };
            let Some(record) = self.commitments.get((round, participant)) else { continue };
            entries.push((participant, record.commitment));
            match record.revealed {
                Some(secret) => revealed.push((participant, secret)),
                None => {
                    let bond = self.bond_of(&participant);
                    slashed = slashed.checked_add(bond.active).ok_or(Error::Overflow)?;
                    withheld.push((participant, bond));
                }
            }
        }
        let total_bonded = self.total_bonded.checked_sub(slashed).ok_or(Error::Overflow)?;
        let slashed_total = self.slashed_total.checked_add(slashed).ok_or(Error::Overflow)?;
        let reveals = u32::try_from(revealed.len()).map_err(|_| Error::Overflow)?;
        let succeeded = reveals >= info.min_reveals;
        let output_index = self.outputs_kept.end;
        let outputs_end = output_index.checked_add(1).ok_or(Error::Overflow)?;

        // Writes.
        let mut events = Vec::new();
        for (participant, commitment) in entries {
            self.commitments.remove((round, participant));
            self.used_commitments.remove((round, commitment));
        }
        for index in 0..info.commits.min(BeaconPolicy::MAX_PARTICIPANTS_PER_ROUND) {
            self.participants.remove((round, index));
        }
        for (participant, mut bond) in withheld {
            let amount = bond.active;
            bond.active = 0;
            if bond.unbonding.is_none() {
                self.bonds.remove(participant);
            } else {
                self.bonds.insert(participant, &bond);
            }
            events.push(Event::Slashed(Slashed { round, participant, amount }));
        }
        self.total_bonded = total_bonded;
        self.slashed_total = slashed_total;
        info.slashed = slashed;
        if succeeded {
            // Canonical order: by participant account, whatever the order of the reveals.
            revealed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            let round_bytes = round.to_le_bytes();
            let mut parts: Vec<&[u8]> = Vec::with_capacity(revealed.len().saturating_add(2));
            parts.push(&self.previous_output);
            parts.push(&round_bytes);
            for (_, secret) in &revealed {
                parts.push(secret);
            }
            let output = blake2_256(&parts);
            info.status = RoundStatus::Succeeded(output);
            self.previous_output = output;
            self.output_log.insert(output_index, &OutputEntry { round, ends: info.ends, output });
            self.outputs_kept.end = outputs_end;
            events.push(Event::RoundFinalised(RoundFinalised { round, output, commits: info.commits, reveals }));
        } else {
            info.status = RoundStatus::Failed;
            events.push(Event::RoundFailed(RoundFailed {
                round,
                commits: info.commits,
                reveals,
                min_reveals: info.min_reveals,
            }));
        }
        info.reveals = reveals;
        self.rounds.insert(round, &info);
        self.open_round = None;
        Ok(events)
    }

    /// Drops finalised rounds that ended more than the history length before `now`, at most
    /// [`BeaconPolicy::MAX_ROUNDS_PRUNED_PER_CALL`] of them. Returns how many it dropped.
    pub fn prune(&mut self, now: BlockNumber) -> u32 {
        let history = self.policy_at(now).history;
        let mut pruned = 0u32;
        for _ in 0..BeaconPolicy::MAX_ROUNDS_PRUNED_PER_CALL {
            if self.rounds_kept.is_empty() {
                break;
            }
            let Some(round) = self.round_log.get(self.rounds_kept.start) else { break };
            let Some(info) = self.rounds.get(round) else { break };
            let expired = info.ends.checked_add(history).is_some_and(|kept_until| kept_until < now);
            if info.status == RoundStatus::Open || !expired {
                break;
            }
            if let RoundStatus::Succeeded(_) = info.status {
                self.output_log.remove(self.outputs_kept.start);
                self.outputs_kept.start = self.outputs_kept.start.saturating_add(1);
            }
            self.round_log.remove(self.rounds_kept.start);
            self.rounds.remove(round);
            self.rounds_kept.start = self.rounds_kept.start.saturating_add(1);
            self.pruned_through = Some(info.ends);
            pruned = pruned.saturating_add(1);
        }
        pruned
    }
}

#[cfg(test)]
mod tests;
