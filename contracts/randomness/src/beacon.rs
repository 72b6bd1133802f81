//! The rules of the beacon, without any chain: rounds, bonds, commitments, reveals, drand
//! anchoring, finalisation, the output history and its pruning. Every method takes the caller
//! and the time ([`Now`]: block and timestamp) explicitly and returns its events; the contract
//! stores, pays and emits.
//!
//! Rounds are numbered from the start block: round `r` of a schedule starts at
//! `first_block + (r − first_round) × round_length`, with its commit phase first and its reveal
//! phase right after. New parameters take effect from the next round boundary, so a round that
//! has started keeps the parameters it started with.
//!
//! Any number of participants may commit to a round. A reveal folds into the round's
//! accumulator (an XOR, so the order of reveals does not matter) in O(1); finalising is O(1);
//! a withheld reveal is settled per participant, when it next acts or by `settle`, so no loop
//! runs over a round's participants. Each participant has at most one unsettled commitment.
//!
//! A round opened while a drand chain is set is bound to the first drand round published
//! `reveal_margin_ms` after its expected end, and its reveals are refused from that drand
//! round's time minus the margin (by block timestamp), so no reveal follows the drand value.
//! Anyone relays the drand round; the signature is verified here. The round finalises anchored
//! once relayed, or unanchored once its relay deadline has passed.
//!
//! Rounds are finalised strictly in order (several may wait for drand while later ones open),
//! so the successful outputs form a log sorted by round end, `randomness_at` is a binary search
//! in it, and an answer once given never changes.

use ink::prelude::vec;
use ink::prelude::vec::Vec;
use ink::primitives::AccountId;
use ink::storage::traits::ManualKey;
use ink::storage::Mapping;
use polka_storage_primitives::beacon::{
    commitment, reveal_term, round_output, AnchoredBeaconError, BeaconError, BeaconTotals, BondInfo, Bonded,
    CommitmentInfo, Committed, CurrentRound, DrandBinding, DrandChain, DrandChainProposalCancelled, DrandChainProposed,
    DrandChainSet, DrandRelayed, Event, Liveness, PendingUnbond, PolicyScheduled, RandomnessError as Error, Revealed,
    RoundFailed, RoundFinalised, RoundInfo, RoundNumber, RoundOpened, RoundPhase, RoundStatus, Slashed,
    UnbondRequested, Withdrawn,
};
use polka_storage_primitives::hash::blake2_256;
use polka_storage_primitives::ownership::{GovernanceError, Pending};
use polka_storage_primitives::policy::BeaconPolicy;
use polka_storage_primitives::{Balance, BlockNumber};
use polka_storage_proofs::drand::{self, DrandError, PreparedPublicKey, PREPARED_KEY_BYTES};

/// The output the first successful round chains from.
pub const GENESIS_OUTPUT: [u8; 32] = [0u8; 32];

/// Bytes of the prepared drand key per storage cell (a cell holds at most 16 KiB).
const KEY_CELL_BYTES: usize = 15 * 1024;

// Storage keys of the mappings: fixed, so a code upgrade cannot shuffle them.
const BONDS_KEY: u32 = 0x6265_0001;
const ROUNDS_KEY: u32 = 0x6265_0002;
const ROUND_LOG_KEY: u32 = 0x6265_0003;
const OUTPUT_LOG_KEY: u32 = 0x6265_0004;
const COMMITMENTS_KEY: u32 = 0x6265_0006;
const USED_COMMITMENTS_KEY: u32 = 0x6265_0007;
const DRAND_ROUNDS_KEY: u32 = 0x6265_0008;
const DRAND_KEY_KEY: u32 = 0x6265_0009;

/// The time of a call: its block and the block's timestamp (Unix milliseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    /// The block number.
    pub block: BlockNumber,
    /// The block timestamp in milliseconds.
    pub time: u64,
}

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
    /// Whether the output mixes in the round's drand value.
    pub anchored: bool,
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
    /// Whether no entry is kept.
    pub fn is_empty(&self) -> bool {
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
    /// Output of the latest successful round ([`GENESIS_OUTPUT`] before the first).
    previous_output: [u8; 32],
    /// Every participant's bond, active and unbonding.
    total_bonded: Balance,
    /// Penalties collected for withheld reveals; nobody can withdraw them.
    slashed_total: Balance,
    /// Blocks up to which the history was pruned.
    pruned_through: Option<BlockNumber>,
    /// Bounds of `round_log`.
    pub(crate) rounds_kept: LogBounds,
    /// Index in `round_log` of the oldest round not finalised (`rounds_kept.end` if none).
    pub(crate) next_to_finalise: u32,
    /// Bounds of `output_log`.
    pub(crate) outputs_kept: LogBounds,
    /// Successful rounds in `output_log` that are not anchored.
    pub(crate) unanchored_outputs: u32,
    /// The drand chain rounds are bound to when they open.
    drand: Option<DrandChain>,
    /// A replacement drand chain announced by governance, applicable after the delay.
    pending_drand: Option<Pending<DrandChain>>,
    /// The latest drand round a beacon round was bound to: bindings strictly increase.
    last_drand_round: u64,
    bonds: Mapping<AccountId, BondInfo, ManualKey<BONDS_KEY>>,
    rounds: Mapping<RoundNumber, RoundInfo, ManualKey<ROUNDS_KEY>>,
    /// Every round with commitments, in order (for ordered finalisation and pruning).
    pub(crate) round_log: Mapping<u32, RoundNumber, ManualKey<ROUND_LOG_KEY>>,
    /// Every successful round, in order (for `randomness_at`).
    pub(crate) output_log: Mapping<u32, OutputEntry, ManualKey<OUTPUT_LOG_KEY>>,
    /// Each participant's latest commitment, until it is settled.
    commitments: Mapping<AccountId, CommitmentInfo, ManualKey<COMMITMENTS_KEY>>,
    /// The commitment values of unsettled commitments.
    pub(crate) used_commitments: UsedCommitments,
    /// The beacon round waiting for each bound drand round, until it is finalised.
    pub(crate) drand_rounds: Mapping<u64, RoundNumber, ManualKey<DRAND_ROUNDS_KEY>>,
    /// The prepared drand public key, in cells.
    drand_key: Mapping<u8, Vec<u8>, ManualKey<DRAND_KEY_KEY>>,
}

/// XORs `term` into `accumulator`.
fn fold(accumulator: &mut [u8; 32], term: &[u8; 32]) {
    for (byte, other) in accumulator.iter_mut().zip(term.iter()) {
        *byte ^= other;
    }
}

/// Unix milliseconds at which `drand_round` is published.
fn drand_time_ms(chain: &DrandChain, drand_round: u64) -> Option<u64> {
    let offset = drand_round.checked_sub(1)?.checked_mul(u64::from(chain.period))?;
    chain.genesis_time.checked_add(offset)?.checked_mul(1_000)
}

/// The first drand round published at or after `time_ms`.
fn drand_round_at_or_after(chain: &DrandChain, time_ms: u64) -> Option<u64> {
    let genesis_ms = chain.genesis_time.checked_mul(1_000)?;
    let period_ms = u64::from(chain.period).checked_mul(1_000)?;
    let Some(elapsed) = time_ms.checked_sub(genesis_ms) else { return Some(1) };
    elapsed.checked_add(period_ms.checked_sub(1)?)?.checked_div(period_ms)?.checked_add(1)
}

/// The beacon's error for a drand key or signature the proofs crate refused.
fn drand_error(error: DrandError) -> Error {
    match error {
        DrandError::InvalidPublicKey => Error::InvalidDrandKey,
        DrandError::InvalidSignature => Error::InvalidDrandSignature,
        DrandError::BadSignature => Error::BadDrandSignature,
    }
}

impl Beacon {
    /// A beacon whose round 0 starts at `now`.
    pub fn new(now: BlockNumber, policy: BeaconPolicy) -> Result<Self, Error> {
        validate_policy(&policy)?;
        Ok(Self {
            schedule: Schedule { first_round: 0, first_block: now, policy },
            next_schedule: None,
            previous_output: GENESIS_OUTPUT,
            total_bonded: 0,
            slashed_total: 0,
            pruned_through: None,
            rounds_kept: LogBounds::default(),
            next_to_finalise: 0,
            outputs_kept: LogBounds::default(),
            unanchored_outputs: 0,
            drand: None,
            pending_drand: None,
            last_drand_round: 0,
            bonds: Mapping::default(),
            rounds: Mapping::default(),
            round_log: Mapping::default(),
            output_log: Mapping::default(),
            commitments: Mapping::default(),
            used_commitments: Mapping::default(),
            drand_rounds: Mapping::default(),
            drand_key: Mapping::default(),
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

    /// The oldest round with commitments not finalised yet: the next one `finalise` takes.
    pub fn next_to_finalise(&self) -> Option<RoundNumber> {
        if self.next_to_finalise >= self.rounds_kept.end {
            return None;
        }
        self.round_log.get(self.next_to_finalise)
    }

    /// The beacon round waiting for `drand_round`, if any.
    pub fn round_awaiting(&self, drand_round: u64) -> Option<RoundNumber> {
        self.drand_rounds.get(drand_round)
    }

    /// `participant`'s bond.
    pub fn bond_of(&self, participant: &AccountId) -> BondInfo {
        self.bonds.get(participant).unwrap_or_default()
    }

    /// `participant`'s latest commitment, until it is settled.
    pub fn commitment_of(&self, participant: &AccountId) -> Option<CommitmentInfo> {
        self.commitments.get(participant)
    }

    /// Bonded and slashed funds.
    pub fn totals(&self) -> BeaconTotals {
        BeaconTotals { bonded: self.total_bonded, slashed: self.slashed_total }
    }

    /// The drand chain rounds are anchored to.
    pub fn drand_chain(&self) -> Option<DrandChain> {
        self.drand
    }

    fn latest_entry(&self) -> Option<OutputEntry> {
        if self.outputs_kept.is_empty() {
            return None;
        }
        self.output_log.get(self.outputs_kept.end.checked_sub(1)?)
    }

    /// The latest successful round and its output.
    pub fn latest_output(&self) -> Option<(RoundNumber, [u8; 32])> {
        self.latest_entry().map(|entry| (entry.round, entry.output))
    }

    /// How the beacon is doing at `now`.
    pub fn liveness(&self, now: BlockNumber) -> Liveness {
        let latest = self.latest_entry();
        let since = latest.map_or(self.schedule.first_block, |entry| entry.ends);
        Liveness {
            latest_output: latest.map(|entry| (entry.round, entry.ends, entry.anchored)),
            blocks_without_output: now.saturating_sub(since),
            next_to_finalise: self.next_to_finalise(),
            unfinalised_rounds: self.rounds_kept.end.saturating_sub(self.next_to_finalise),
            unanchored_outputs: self.unanchored_outputs,
            drand_configured: self.drand.is_some(),
        }
    }

    /// The oldest block `randomness_at` answers at `now`.
    pub fn oldest_available_block(&self, now: BlockNumber) -> BlockNumber {
        let window = now.saturating_sub(self.policy_at(now).history);
        match self.pruned_through.and_then(|block| block.checked_add(1)) {
            Some(after_pruned) => window.max(after_pruned),
            None => window,
        }
    }

    /// The log entry that answers for `block` at `now`: the first successful round ending at or
    /// after it.
    fn answer_for(&self, now: BlockNumber, block: BlockNumber) -> Result<OutputEntry, BeaconError> {
        if block < self.oldest_available_block(now) {
            return Err(BeaconError::Pruned);
        }
        // Binary search for the first kept entry that ends at or after `block`.
        let (mut low, mut high) = (self.outputs_kept.start, self.outputs_kept.end);
        let mut found = None;
        for _ in 0..=u32::BITS {
            if low >= high {
                break;
            }
            let middle = low.saturating_add(high.saturating_sub(low) / 2);
            match self.output_log.get(middle) {
                Some(entry) if entry.ends >= block => {
                    found = Some(entry);
                    high = middle;
                }
                Some(_) => low = middle.saturating_add(1),
                None => return Err(BeaconError::NotYetAvailable),
            }
        }
        found.ok_or(BeaconError::NotYetAvailable)
    }

    /// The randomness of `block` asked at `now`: the output of the first successful round that
    /// ends at or after it. While no such round is final (rounds keep failing, or wait for
    /// drand) the answer is `NotYetAvailable`, never an older output.
    pub fn randomness_at(&self, now: BlockNumber, block: BlockNumber) -> Result<[u8; 32], BeaconError> {
        self.answer_for(now, block).map(|entry| entry.output)
    }

    /// [`Beacon::randomness_at`], only if that round was anchored to drand.
    pub fn anchored_randomness_at(
        &self,
        now: BlockNumber,
        block: BlockNumber,
    ) -> Result<[u8; 32], AnchoredBeaconError> {
        let entry = self.answer_for(now, block)?;
        if entry.anchored {
            Ok(entry.output)
        } else {
            Err(AnchoredBeaconError::NotAnchored)
        }
    }

    /// Whether the answer for `block` is anchored to drand.
    pub fn is_anchored_at(&self, now: BlockNumber, block: BlockNumber) -> Result<bool, BeaconError> {
        self.answer_for(now, block).map(|entry| entry.anchored)
    }

    // ---- governance ----

    /// Schedules `policy` (the caller is the owner) from the first round that starts at least
    /// `delay` blocks after `now`, and never the round in progress: participants and consumers
    /// have the delay to react (top up bonds, see the new minimum reveals). It replaces
    /// parameters scheduled earlier that have not taken effect yet. The history may not shrink:
    /// consumers hold blocks whose randomness they will read within the history in force.
    pub fn set_policy(
        &mut self,
        now: BlockNumber,
        delay: BlockNumber,
        policy: BeaconPolicy,
    ) -> Result<Vec<Event>, Error> {
        validate_policy(&policy)?;
        let in_force = *self.schedule_at(now);
        if policy.history < in_force.policy.history {
            return Err(Error::HistoryWouldShrink);
        }
        let current = in_force.round_at(now).ok_or(Error::Overflow)?;
        let earliest = now.checked_add(delay).ok_or(Error::Overflow)?;
        let at_earliest = in_force.round_at(earliest).ok_or(Error::Overflow)?;
        // The round in progress at `earliest` started before it: take the one after.
        let first_after = if in_force.timing(at_earliest).ok_or(Error::Overflow)?.commit_starts >= earliest {
            at_earliest
        } else {
            at_earliest.checked_add(1).ok_or(Error::Overflow)?
        };
        let from_round = first_after.max(current.checked_add(1).ok_or(Error::Overflow)?);
        let from_block = in_force.timing(from_round).ok_or(Error::Overflow)?.commit_starts;
        self.schedule = in_force;
        self.next_schedule = Some(Schedule { first_round: from_round, first_block: from_block, policy });
        Ok(vec![Event::PolicyScheduled(PolicyScheduled { from_round, from_block, policy })])
    }

    /// Governance (the caller is the owner) sets the drand chain rounds opened from now on are
    /// bound to. The key is validated either way. The first chain is installed at once; a
    /// replacement is announced at `now` and may be applied `delay` blocks later (replacing an
    /// earlier announcement), so relayers and consumers see it coming. Rounds already bound keep
    /// their drand round and are verified against the key in force when relayed.
    pub fn set_drand_chain(
        &mut self,
        now: BlockNumber,
        delay: BlockNumber,
        chain: DrandChain,
    ) -> Result<Vec<Event>, Error> {
        let prepared = Self::validate_drand(&chain)?;
        if self.drand.is_none() {
            return Ok(self.install_drand(chain, &prepared));
        }
        let pending = Pending::new(chain, now, delay)?;
        self.pending_drand = Some(pending);
        Ok(vec![Event::DrandChainProposed(DrandChainProposed {
            key_hash: blake2_256(&[&chain.public_key]),
            genesis_time: chain.genesis_time,
            period: chain.period,
            effective_at: pending.effective_at,
        })])
    }

    /// Installs the announced drand chain once its delay has passed at `now` (anyone may).
    pub fn apply_drand_chain(&mut self, now: BlockNumber) -> Result<Vec<Event>, Error> {
        let pending = self.pending_drand.ok_or(GovernanceError::NothingPending)?;
        pending.ensure_due(now)?;
        let prepared = Self::validate_drand(&pending.value)?;
        self.pending_drand = None;
        Ok(self.install_drand(pending.value, &prepared))
    }

    /// Withdraws the announced drand chain (the caller is the owner).
    pub fn cancel_drand_chain(&mut self) -> Result<Vec<Event>, Error> {
        let pending = self.pending_drand.take().ok_or(GovernanceError::NothingPending)?;
        let key_hash = blake2_256(&[&pending.value.public_key]);
        Ok(vec![Event::DrandChainProposalCancelled(DrandChainProposalCancelled { key_hash })])
    }

    /// The replacement drand chain announced, with when it may be applied.
    pub fn pending_drand_chain(&self) -> Option<Pending<DrandChain>> {
        self.pending_drand
    }

    /// The prepared form of `chain`'s key, if the chain is usable.
    fn validate_drand(chain: &DrandChain) -> Result<Vec<u8>, Error> {
        if chain.period == 0 || drand_time_ms(chain, u64::from(u32::MAX)).is_none() {
            return Err(Error::InvalidDrandKey);
        }
        Ok(PreparedPublicKey::from_compressed(&chain.public_key).map_err(drand_error)?.to_bytes())
    }

    fn install_drand(&mut self, chain: DrandChain, prepared: &[u8]) -> Vec<Event> {
        for (index, cell) in (0u8..).zip(prepared.chunks(KEY_CELL_BYTES)) {
            self.drand_key.insert(index, &cell.to_vec());
        }
        self.drand = Some(chain);
        let key_hash = blake2_256(&[&chain.public_key]);
        vec![Event::DrandChainSet(DrandChainSet { key_hash, genesis_time: chain.genesis_time, period: chain.period })]
    }

    fn prepared_key(&self) -> Result<PreparedPublicKey, Error> {
        let mut bytes = Vec::with_capacity(PREPARED_KEY_BYTES);
        for index in 0..PREPARED_KEY_BYTES.div_ceil(KEY_CELL_BYTES) {
            let index = u8::try_from(index).map_err(|_| Error::DrandNotConfigured)?;
            bytes.extend_from_slice(&self.drand_key.get(index).ok_or(Error::DrandNotConfigured)?);
        }
        PreparedPublicKey::from_bytes(&bytes).ok_or(Error::DrandNotConfigured)
    }

    // ---- bonds ----

    /// Whether `info`'s reveal window is over at `now`: finalised, past its last block, or past
    /// its reveal cut-off (by time, or because its drand value is public).
    fn reveals_closed(info: &RoundInfo, now: Now) -> bool {
        info.status != RoundStatus::Open
            || now.block > info.ends
            || info.drand.is_some_and(|binding| now.time >= binding.reveal_cutoff || binding.randomness.is_some())
    }

    /// `participant`'s commitment if it can be settled at `now` (its round's reveal window is
    /// over), with the penalty it owes.
    fn settleable(&self, participant: &AccountId, now: Now) -> Option<(CommitmentInfo, Balance)> {
        let record = self.commitments.get(participant)?;
        let closed = self.rounds.get(record.round).is_none_or(|info| Self::reveals_closed(&info, now));
        if !closed {
            return None;
        }
        let owed = if record.revealed.is_some() { 0 } else { record.penalty };
        Some((record, owed))
    }

    /// Settles `participant`'s commitment if its window is over: forgets it and collects the
    /// penalty if it was not revealed. `bond` is the participant's bond, updated in place (the
    /// caller writes it). Returns whether there was anything to settle.
    fn settle_into(
        &mut self,
        participant: AccountId,
        now: Now,
        bond: &mut BondInfo,
        events: &mut Vec<Event>,
    ) -> Result<bool, Error> {
        let Some((record, owed)) = self.settleable(&participant, now) else { return Ok(false) };
        // A commit needs at least the minimum bond, which covers the penalty, and the bond
        // cannot be unbonded while the commitment is unsettled; `min` keeps this total anyway.
        let amount = owed.min(bond.active);
        let total_bonded = self.total_bonded.checked_sub(amount).ok_or(Error::Overflow)?;
        let slashed_total = self.slashed_total.checked_add(amount).ok_or(Error::Overflow)?;
        let mut round_info = self.rounds.get(record.round);
        if let Some(info) = round_info.as_mut() {
            info.slashed = info.slashed.checked_add(amount).ok_or(Error::Overflow)?;
        }
        bond.active = bond.active.saturating_sub(amount);
        self.total_bonded = total_bonded;
        self.slashed_total = slashed_total;
        if let (Some(info), true) = (round_info, amount > 0) {
            self.rounds.insert(record.round, &info);
        }
        self.commitments.remove(participant);
        self.used_commitments.remove((record.round, record.commitment));
        if amount > 0 {
            events.push(Event::Slashed(Slashed { round: record.round, participant, amount }));
        }
        Ok(true)
    }

    fn store_bond(&mut self, participant: AccountId, bond: &BondInfo) {
        if bond.active == 0 && bond.unbonding.is_none() {
            self.bonds.remove(participant);
        } else {
            self.bonds.insert(participant, bond);
        }
    }

    /// Anyone settles `participant`'s commitment once its round's reveal window is over: the
    /// penalty is collected if it did not reveal. Returns the penalty collected.
    pub fn settle(&mut self, participant: AccountId, now: Now) -> Result<(Balance, Vec<Event>), Error> {
        let mut bond = self.bond_of(&participant);
        let before = bond.active;
        let mut events = Vec::new();
        if !self.settle_into(participant, now, &mut bond, &mut events)? {
            return Err(Error::NothingToSettle);
        }
        self.store_bond(participant, &bond);
        Ok((before.saturating_sub(bond.active), events))
    }

    /// `participant` adds `value` (what it sent) to its active bond, which must reach the minimum
    /// (after any penalty it owes).
    pub fn bond(&mut self, participant: AccountId, now: Now, value: Balance) -> Result<Vec<Event>, Error> {
        if value == 0 {
            return Err(Error::ZeroAmount);
        }
        let mut bond = self.bond_of(&participant);
        let owed = self.settleable(&participant, now).map_or(0, |(_, owed)| owed.min(bond.active));
        let active = bond.active.saturating_sub(owed).checked_add(value).ok_or(Error::Overflow)?;
        if active < self.policy_at(now.block).min_bond {
            return Err(Error::BondTooSmall);
        }
        if self.total_bonded.checked_add(value).is_none() {
            return Err(Error::Overflow);
        }
        let mut events = Vec::new();
        self.settle_into(participant, now, &mut bond, &mut events)?;
        bond.active = active;
        self.store_bond(participant, &bond);
        // Settling only lowered the total: the check above covers this sum.
        self.total_bonded = self.total_bonded.checked_add(value).ok_or(Error::Overflow)?;
        events.push(Event::Bonded(Bonded { participant, amount: value, active }));
        Ok(events)
    }

    /// `participant` moves `amount` of its active bond to unbonding, withdrawable after the
    /// unbonding delay. Refused while its commitment's reveal window is open.
    pub fn unbond(&mut self, participant: AccountId, now: Now, amount: Balance) -> Result<Vec<Event>, Error> {
        if amount == 0 {
            return Err(Error::ZeroAmount);
        }
        let mut bond = self.bond_of(&participant);
        let settle = self.settleable(&participant, now);
        if settle.is_none() && self.commitments.contains(participant) {
            return Err(Error::CommittedToOpenRound);
        }
        let owed = settle.map_or(0, |(_, owed)| owed.min(bond.active));
        let available = bond.active.saturating_sub(owed);
        if amount > available {
            return Err(Error::UnbondExceedsBond);
        }
        let release_at = now.block.checked_add(self.policy_at(now.block).unbond_delay).ok_or(Error::Overflow)?;
        let already = bond.unbonding.map_or(0, |pending| pending.amount);
        let unbonding = already.checked_add(amount).ok_or(Error::Overflow)?;
        let mut events = Vec::new();
        self.settle_into(participant, now, &mut bond, &mut events)?;
        bond.active = bond.active.checked_sub(amount).ok_or(Error::Overflow)?;
        bond.unbonding = Some(PendingUnbond { amount: unbonding, release_at });
        self.store_bond(participant, &bond);
        events.push(Event::UnbondRequested(UnbondRequested { participant, amount, release_at }));
        Ok(events)
    }

    /// Releases `participant`'s unbonded funds once the delay has passed; the contract pays
    /// the returned amount.
    pub fn withdraw(&mut self, participant: AccountId, now: Now) -> Result<(Balance, Vec<Event>), Error> {
        let mut bond = self.bond_of(&participant);
        let pending = bond.unbonding.ok_or(Error::NothingToWithdraw)?;
        if now.block < pending.release_at {
            return Err(Error::UnbondNotDue);
        }
        if self.total_bonded < pending.amount {
            return Err(Error::Overflow);
        }
        let mut events = Vec::new();
        self.settle_into(participant, now, &mut bond, &mut events)?;
        bond.unbonding = None;
        self.store_bond(participant, &bond);
        // Settling took only from the active bond, which is counted apart from `pending`.
        self.total_bonded = self.total_bonded.checked_sub(pending.amount).ok_or(Error::Overflow)?;
        let amount = pending.amount;
        events.push(Event::Withdrawn(Withdrawn { participant, amount }));
        Ok((amount, events))
    }

    // ---- rounds ----

    /// The drand binding of a round opening at `now` whose reveal phase ends at block `ends`.
    fn bind(&self, now: Now, ends: BlockNumber, policy: &BeaconPolicy) -> Result<Option<DrandBinding>, Error> {
        let Some(chain) = self.drand else { return Ok(None) };
        let blocks_left = ends.checked_add(1).and_then(|after| after.checked_sub(now.block)).ok_or(Error::Overflow)?;
        let expected_end = u64::from(blocks_left)
            .checked_mul(policy.block_time_ms)
            .and_then(|span| now.time.checked_add(span))
            .ok_or(Error::Overflow)?;
        let target = expected_end.checked_add(policy.reveal_margin_ms).ok_or(Error::Overflow)?;
        let first = drand_round_at_or_after(&chain, target).ok_or(Error::Overflow)?;
        let drand_round = first.max(self.last_drand_round.checked_add(1).ok_or(Error::Overflow)?);
        let published = drand_time_ms(&chain, drand_round).ok_or(Error::Overflow)?;
        Ok(Some(DrandBinding {
            drand_round,
            reveal_cutoff: published.saturating_sub(policy.reveal_margin_ms),
            relay_deadline: ends.checked_add(policy.drand_timeout).ok_or(Error::Overflow)?,
            randomness: None,
        }))
    }

    /// `participant` commits `commitment` to `round`, which must be in its commit phase at `now`.
    /// Its previous commitment is settled first (its round is over). The first commitment of a
    /// round opens it (binding it to drand) and finalises the oldest unfinalised round if it can.
    pub fn commit(
        &mut self,
        participant: AccountId,
        now: Now,
        round: RoundNumber,
        commitment: [u8; 32],
    ) -> Result<Vec<Event>, Error> {
        let current = self.current_round(now.block).ok_or(Error::RoundNotStarted)?;
        if round > current.round {
            return Err(Error::RoundNotStarted);
        }
        if round < current.round || current.phase != RoundPhase::Commit {
            return Err(Error::NotCommitPhase);
        }
        let policy = self.policy_at(now.block);
        let previous = self.commitments.get(participant);
        if previous.is_some_and(|record| record.round == round) {
            return Err(Error::AlreadyCommitted);
        }
        if self.used_commitments.contains((round, commitment)) {
            return Err(Error::CommitmentReused);
        }
        let mut bond = self.bond_of(&participant);
        // Every earlier round's reveal phase is over: the previous commitment settles now.
        let owed = previous.map_or(0, |record| if record.revealed.is_some() { 0 } else { record.penalty });
        if bond.active.saturating_sub(owed) < policy.min_bond {
            return Err(Error::BondTooSmall);
        }
        let existing = self.rounds.get(round);
        let opening = existing.is_none();
        let mut info = match existing {
            Some(info) => info,
            None => RoundInfo {
                round,
                commit_starts: current.commit_starts,
                reveal_starts: current.reveal_starts,
                ends: current.ends,
                min_reveals: policy.min_reveals,
                penalty: policy.penalty,
                commits: 0,
                reveals: 0,
                accumulator: [0u8; 32],
                drand: self.bind(now, current.ends, &policy)?,
                slashed: 0,
                status: RoundStatus::Open,
            },
        };
        if let Some(binding) = info.drand {
            // Refuse a commitment that could not be revealed before the cut-off if blocks keep
            // the pace they are expected to.
            let blocks = info.reveal_starts.saturating_sub(now.block);
            let reveal_opens = now.time.saturating_add(u64::from(blocks).saturating_mul(policy.block_time_ms));
            if reveal_opens >= binding.reveal_cutoff {
                return Err(Error::CommitTooLate);
            }
        }
        info.commits = info.commits.checked_add(1).ok_or(Error::Overflow)?;
        let log_end = self.rounds_kept.end.checked_add(1).ok_or(Error::Overflow)?;

        // Writes.
        let mut events = Vec::new();
        if previous.is_some() {
            self.settle_into(participant, now, &mut bond, &mut events)?;
            self.store_bond(participant, &bond);
        }
        if opening {
            events.extend(self.finalise_next_if_due(now)?);
            self.round_log.insert(self.rounds_kept.end, &round);
            self.rounds_kept.end = log_end;
            if let Some(binding) = info.drand {
                self.drand_rounds.insert(binding.drand_round, &round);
                self.last_drand_round = binding.drand_round;
            }
            events.push(Event::RoundOpened(RoundOpened {
                round,
                drand_round: info.drand.map(|binding| binding.drand_round),
                reveal_cutoff: info.drand.map(|binding| binding.reveal_cutoff),
                relay_deadline: info.drand.map(|binding| binding.relay_deadline),
            }));
        }
        self.commitments
            .insert(participant, &CommitmentInfo { round, commitment, revealed: None, penalty: info.penalty });
        self.used_commitments.insert((round, commitment), &());
        self.rounds.insert(round, &info);
        events.push(Event::Committed(Committed { round, participant, commitment }));
        Ok(events)
    }

    /// `participant` reveals the `secret` of its commitment in `round`, in its reveal phase and
    /// before its reveal cut-off. The reveal folds into the round's accumulator.
    pub fn reveal(
        &mut self,
        participant: AccountId,
        now: Now,
        round: RoundNumber,
        secret: [u8; 32],
    ) -> Result<Vec<Event>, Error> {
        let mut info = self.rounds.get(round).ok_or(Error::UnknownRound)?;
        if info.status != RoundStatus::Open || now.block < info.reveal_starts || now.block > info.ends {
            return Err(Error::NotRevealPhase);
        }
        if Self::reveals_closed(&info, now) {
            return Err(Error::RevealCutOff);
        }
        let mut record =
            self.commitments.get(participant).filter(|record| record.round == round).ok_or(Error::NotCommitted)?;
        if record.revealed.is_some() {
            return Err(Error::AlreadyRevealed);
        }
        if commitment(round, &participant, &secret) != record.commitment {
            return Err(Error::BadReveal);
        }
        info.reveals = info.reveals.checked_add(1).ok_or(Error::Overflow)?;
        fold(&mut info.accumulator, &reveal_term(round, &participant, &secret));
        record.revealed = Some(secret);
        self.commitments.insert(participant, &record);
        self.rounds.insert(round, &info);
        Ok(vec![Event::Revealed(Revealed { round, participant, secret })])
    }

    /// Anyone relays the signature of `drand_round`, which an unfinalised round waits for: the
    /// signature is verified against the drand chain's key and its randomness stored.
    pub fn relay_drand(&mut self, now: Now, drand_round: u64, signature: &[u8; 48]) -> Result<Vec<Event>, Error> {
        if self.drand.is_none() {
            return Err(Error::DrandNotConfigured);
        }
        let round = self.drand_rounds.get(drand_round).ok_or(Error::DrandRoundNotAwaited)?;
        let mut info = self.rounds.get(round).ok_or(Error::DrandRoundNotAwaited)?;
        let mut binding = info.drand.ok_or(Error::DrandRoundNotAwaited)?;
        if binding.randomness.is_some() {
            return Err(Error::DrandAlreadyRelayed);
        }
        if info.status != RoundStatus::Open {
            return Err(Error::AlreadyFinalised);
        }
        if now.block > binding.relay_deadline {
            return Err(Error::RelayTooLate);
        }
        let randomness = drand::verify(&self.prepared_key()?, drand_round, signature).map_err(drand_error)?;
        binding.randomness = Some(randomness);
        info.drand = Some(binding);
        self.rounds.insert(round, &info);
        Ok(vec![Event::DrandRelayed(DrandRelayed { round, drand_round, randomness })])
    }

    /// Whether `info` can be finalised at `now`, and with which drand randomness.
    fn finalisable(info: &RoundInfo, now: Now) -> Result<Option<[u8; 32]>, Error> {
        if now.block <= info.ends {
            return Err(Error::RevealPhaseNotOver);
        }
        match info.drand {
            None => Ok(None),
            Some(DrandBinding { randomness: Some(randomness), .. }) => Ok(Some(randomness)),
            Some(binding) if now.block > binding.relay_deadline => Ok(None),
            Some(_) => Err(Error::AwaitingDrand),
        }
    }

    /// Finalises `round` at `now`: it must be the oldest unfinalised round, its reveal phase
    /// over, and its drand value relayed or its relay deadline passed. Then prunes old history.
    pub fn finalise(&mut self, now: Now, round: RoundNumber) -> Result<Vec<Event>, Error> {
        let info = self.rounds.get(round).ok_or(Error::UnknownRound)?;
        if info.status != RoundStatus::Open {
            return Err(Error::AlreadyFinalised);
        }
        if self.next_to_finalise() != Some(round) {
            return Err(Error::EarlierRoundNotFinalised);
        }
        let drand_randomness = Self::finalisable(&info, now)?;
        let events = self.finalise_open(info, drand_randomness)?;
        self.prune(now.block);
        Ok(events)
    }

    /// Finalises the oldest unfinalised round if it can be at `now` (a new round's first
    /// commitment does this on the way, so rounds finalise without a `finalise` call).
    fn finalise_next_if_due(&mut self, now: Now) -> Result<Vec<Event>, Error> {
        let Some(info) = self.next_to_finalise().and_then(|round| self.rounds.get(round)) else {
            return Ok(Vec::new());
        };
        match Self::finalisable(&info, now) {
            Ok(drand_randomness) => {
                let events = self.finalise_open(info, drand_randomness)?;
                self.prune(now.block);
                Ok(events)
            }
            Err(_) => Ok(Vec::new()),
        }
    }

    /// Finalises the oldest unfinalised round `info` in O(1): computes everything, then writes.
    fn finalise_open(&mut self, mut info: RoundInfo, drand_randomness: Option<[u8; 32]>) -> Result<Vec<Event>, Error> {
        let round = info.round;
        let anchored = drand_randomness.is_some();
        let succeeded = info.reveals >= info.min_reveals;
        let next_to_finalise = self.next_to_finalise.checked_add(1).ok_or(Error::Overflow)?;
        let outputs_end = self.outputs_kept.end.checked_add(1).ok_or(Error::Overflow)?;
        let unanchored = self.unanchored_outputs.saturating_add(u32::from(succeeded && !anchored));

        // Writes.
        let event = if succeeded {
            let output =
                round_output(&self.previous_output, round, info.reveals, &info.accumulator, drand_randomness.as_ref());
            info.status = RoundStatus::Succeeded { output, anchored };
            self.previous_output = output;
            self.output_log.insert(self.outputs_kept.end, &OutputEntry { round, ends: info.ends, output, anchored });
            self.outputs_kept.end = outputs_end;
            self.unanchored_outputs = unanchored;
            Event::RoundFinalised(RoundFinalised {
                round,
                output,
                commits: info.commits,
                reveals: info.reveals,
                anchored,
            })
        } else {
            info.status = RoundStatus::Failed;
            Event::RoundFailed(RoundFailed {
                round,
                commits: info.commits,
                reveals: info.reveals,
                min_reveals: info.min_reveals,
            })
        };
        if let Some(binding) = info.drand {
            self.drand_rounds.remove(binding.drand_round);
        }
        self.rounds.insert(round, &info);
        self.next_to_finalise = next_to_finalise;
        Ok(vec![event])
    }

    /// Drops finalised rounds that ended more than the history length before `now`, at most
    /// [`BeaconPolicy::MAX_ROUNDS_PRUNED_PER_CALL`] of them. Returns how many it dropped.
    pub fn prune(&mut self, now: BlockNumber) -> u32 {
        let history = self.policy_at(now).history;
        let mut pruned = 0u32;
        for _ in 0..BeaconPolicy::MAX_ROUNDS_PRUNED_PER_CALL {
            if self.rounds_kept.start >= self.next_to_finalise.min(self.rounds_kept.end) {
                break;
            }
            let Some(round) = self.round_log.get(self.rounds_kept.start) else { break };
            let Some(info) = self.rounds.get(round) else { break };
            let expired = info.ends.checked_add(history).is_some_and(|kept_until| kept_until < now);
            if info.status == RoundStatus::Open || !expired {
                break;
            }
            if let RoundStatus::Succeeded { anchored, .. } = info.status {
                self.output_log.remove(self.outputs_kept.start);
                self.outputs_kept.start = self.outputs_kept.start.saturating_add(1);
                if !anchored {
                    self.unanchored_outputs = self.unanchored_outputs.saturating_sub(1);
                }
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
