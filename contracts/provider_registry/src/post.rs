//! Window PoSt (spec §2.2 (3)) the way Filecoin's FIP-0010 runs it: a proof is accepted
//! without verification and kept for a dispute window, during which anyone may dispute it; the
//! contract then verifies it, and an invalid proof costs its provider a penalty (a reward for
//! the disputer out of it, the rest slashed) and its sectors become faulty.
//!
//! Deadlines replace the original's per-block hook with lazy catch-up plus a crank
//! (`process_deadlines`): each closed deadline is processed once, in order, at most
//! [`MAX_DEADLINES_PER_CRANK`] per call; a partition not proven in its window becomes faulty
//! and loses its power. A deadline whose challenge randomness the beacon never gave is
//! excused. Only the PoSt of the open deadline is accepted, over the partition's live,
//! non-faulty sectors (spec §8.3 #7), several partitions per call (§8.3 #16).

use crate::bitfield::SectorSet;
use crate::ext::Peers;
use crate::state::{add, RegistryState};
use ink::prelude::vec::Vec;
use polka_storage_primitives::deadline::DeadlineInfo;
use polka_storage_primitives::policy::{
    GROTH16_PROOF_BYTES, MAX_DEADLINES_PER_CRANK, MAX_PARTITIONS_PER_DEADLINE, MAX_PARTITIONS_PER_PAGE,
    MAX_PARTITIONS_PER_POST,
};
use polka_storage_primitives::proofs::PublicReplicaInfo;
use polka_storage_primitives::randomness::{draw_for_provider, DomainSeparationTag};
use polka_storage_primitives::registry::{
    DeadlineProcessed, DeadlineState, Event, FeesCharged, KeptPoSt, PartitionSummary, PoStDisputed, Power,
    PowerChanged, ProviderState, RegistryError, SectorsEnded, WindowedPoStSubmitted,
};

use polka_storage_primitives::sector::SectorNumber;
use polka_storage_primitives::{AccountId, Balance, BlockNumber};

/// What a dispute did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeOutcome {
    /// Paid to the disputer by the contract.
    pub reward: Balance,
}

impl RegistryState {
    /// The crank: processes `provider`'s closed deadlines (anyone may call). Returns how many.
    pub fn process_deadlines<P: Peers>(
        &mut self,
        peers: &P,
        provider: AccountId,
        now: BlockNumber,
    ) -> Result<(u32, Vec<Event>), RegistryError> {
        let mut state = self.provider_state(&provider)?;
        let (processed, events) = self.catch_up(peers, &provider, &mut state, now)?;
        self.providers.insert(provider, &state);
        Ok((processed, events))
    }

    /// Processes the closed deadlines of `owner` into `state` (which the caller stores), in
    /// order, at most [`MAX_DEADLINES_PER_CRANK`].
    pub(crate) fn catch_up<P: Peers>(
        &mut self,
        peers: &P,
        owner: &AccountId,
        state: &mut ProviderState,
        now: BlockNumber,
    ) -> Result<(u32, Vec<Event>), RegistryError> {
        let mut events = Vec::new();
        let mut processed = 0u32;
        let power_before = state.power;
        for _ in 0..MAX_DEADLINES_PER_CRANK {
            let deadline = DeadlineInfo::new(state.proving_period_start, state.current_deadline, &self.policy)
                .ok_or(RegistryError::ArithmeticOverflow)?;
            if !deadline.has_elapsed(now) {
                break;
            }
            events.extend(self.process_deadline(peers, owner, state, &deadline)?);
            processed = processed.saturating_add(1);
            let next = state.current_deadline.saturating_add(1);
            if next >= self.policy.wpost_period_deadlines {
                state.current_deadline = 0;
                state.proving_period_start = state
                    .proving_period_start
                    .checked_add(self.policy.wpost_proving_period)
                    .ok_or(RegistryError::ArithmeticOverflow)?;
            } else {
                state.current_deadline = next;
            }
        }
        if state.power != power_before {
            events.push(self.power_event(owner, state));
        }
        Ok((processed, events))
    }

    /// One closed deadline: sectors that were already faulty pay the fault fee (declared
    /// faults, and faults of earlier periods; FIP-0002: the period a missed proof first faults
    /// a sector is free), then every partition not proven in its window becomes faulty.
    fn process_deadline<P: Peers>(
        &mut self,
        peers: &P,
        owner: &AccountId,
        state: &mut ProviderState,
        deadline: &DeadlineInfo,
    ) -> Result<Vec<Event>, RegistryError> {
        let size = state.info.window_post_partition_sectors;
        let partitions = self.partition_count(state, deadline.index)?;
        let mut events = Vec::new();
        let mut faulted = Vec::new();
        let mut still_faulty = 0u32;
        let mut excused: Option<bool> = None;
        let most = u32::try_from(MAX_PARTITIONS_PER_DEADLINE).unwrap_or(u32::MAX);
        for partition in 0..partitions.min(most) {
            let key = (*owner, deadline.index, partition);
            let Some(mut partition_state) = self.partitions.get(key) else { continue };
            let missed = if partition_state.posted_at == Some(deadline.open_at) {
                SectorSet::default()
            } else {
                partition_state.provable()
            };
            if missed.is_empty() && partition_state.faults.is_empty() {
                continue;
            }
            // Only a beacon that never gave the challenge excuses the deadline: no faults, no fees.
            let is_excused = *excused.get_or_insert_with(|| {
                matches!(
                    peers.randomness_at(deadline.challenge),
                    Err(RegistryError::RandomnessNotYetAvailable | RegistryError::Call(_))
                )
            });
            if is_excused {
                break;
            }
            let charged = u32::try_from(partition_state.faults.len()).map_err(|_| RegistryError::ArithmeticOverflow)?;
            still_faulty = still_faulty.checked_add(charged).ok_or(RegistryError::ArithmeticOverflow)?;
            if !missed.is_empty() {
                let lost = partition_state.fault(&missed, size, deadline.close_at)?;
                self.lose_power(state, lost.len())?;
                faulted.extend(missed.iter().copied());
                self.partitions.insert(key, &partition_state);
            }
        }
        events.extend(self.end_sectors(peers, owner, state, deadline, partitions.min(most))?);
        if still_faulty > 0 {
            let fee = self.policy.fault_fee(still_faulty);
            let paid = self.charge(state, fee)?;
            self.funds.slashed = add(self.funds.slashed, paid)?;
            events.push(Event::FeesCharged(FeesCharged {
                owner: *owner,
                deadline: deadline.index,
                sectors: still_faulty,
                paid,
                debt: fee.saturating_sub(paid),
            }));
        }
        events.push(Event::DeadlineProcessed(DeadlineProcessed {
            owner: *owner,
            deadline: deadline.index,
            open_at: deadline.open_at,
            faulted,
            excused: excused.unwrap_or(false),
        }));
        Ok(events)
    }

    /// At a deadline's close, its sectors whose life ends in it expire (spec §8.3 #8: per
    /// sector, each at its own expiration): their pledge is released in full and their deals
    /// have ended by then. Sectors faulty for `fault_max_age` are terminated: they pay the
    /// termination fee out of their pledge and the market settles their deals (§8.3 #4).
    fn end_sectors<P: Peers>(
        &mut self,
        peers: &P,
        owner: &AccountId,
        state: &mut ProviderState,
        deadline: &DeadlineInfo,
        partitions: u32,
    ) -> Result<Vec<Event>, RegistryError> {
        let too_old = deadline.close_at.saturating_sub(self.policy.fault_max_age);
        let (mut expired, mut terminated) = (Vec::new(), Vec::new());
        let (mut fees, mut released): (Balance, Balance) = (0, 0);
        for partition in 0..partitions {
            let key = (*owner, deadline.index, partition);
            let Some(mut partition_state) = self.partitions.get(key) else { continue };
            let live = partition_state.live();
            let mut ending: Vec<(SectorNumber, bool)> = Vec::new();
            let aged = if deadline.close_at >= self.policy.fault_max_age {
                partition_state.faulty_since(too_old)
            } else {
                SectorSet::default()
            };
            for &number in live.iter() {
                let sector = self.sectors.get((*owner, number)).ok_or(RegistryError::SectorNotFound)?;
                if sector.expiration <= deadline.last() {
                    ending.push((number, false));
                } else if aged.contains(number) {
                    ending.push((number, true));
                }
            }
            if ending.is_empty() {
                continue;
            }
            let numbers = SectorSet::from_sorted_unique(ending.iter().map(|(n, _)| *n).collect())
                .ok_or(RegistryError::ArithmeticOverflow)?;
            let lost = partition_state.terminate(&numbers)?;
            self.lose_power(state, lost.len())?;
            for (number, early) in ending {
                let mut sector = self.sectors.get((*owner, number)).ok_or(RegistryError::SectorNotFound)?;
                let pledge = sector.initial_pledge;
                let fee = if early {
                    self.policy.termination_fee(pledge, deadline.close_at.saturating_sub(sector.activation))
                } else {
                    0
                };
                self.release_pledge(state, pledge, fee)?;
                fees = add(fees, fee)?;
                released = add(released, pledge.saturating_sub(fee))?;
                sector.initial_pledge = 0;
                self.sectors.insert((*owner, number), &sector);
                if early {
                    terminated.push(number)
                } else {
                    expired.push(number)
                }
            }
            let load = usize::try_from(deadline.index)
                .ok()
                .and_then(|index| state.deadlines.get_mut(index))
                .ok_or(RegistryError::InvalidDeadline)?;
            let count = u32::try_from(numbers.len()).map_err(|_| RegistryError::ArithmeticOverflow)?;
            load.live_sectors = load.live_sectors.checked_sub(count).ok_or(RegistryError::ArithmeticOverflow)?;
            self.partitions.insert(key, &partition_state);
            self.kept_posts.remove(key);
        }
        let mut events = Vec::new();
        if !terminated.is_empty() {
            peers.on_sectors_terminate(*owner, terminated.clone())?;
        }
        for (sectors, early) in [(expired, false), (terminated, true)] {
            if !sectors.is_empty() {
                events.push(Event::SectorsEnded(SectorsEnded {
                    owner: *owner,
                    sectors,
                    block: deadline.close_at,
                    fault_max_age: early,
                    fees: if early { fees } else { 0 },
                    released,
                }));
            }
        }
        Ok(events)
    }

    /// Accepts a Window PoSt of `partitions` of the open deadline `deadline`, one 192-byte
    /// proof per partition, for the provider `caller` acts for.
    pub fn submit_windowed_post<P: Peers>(
        &mut self,
        peers: &P,
        caller: AccountId,
        now: BlockNumber,
        deadline: u32,
        partitions: Vec<u32>,
        proofs: Vec<Vec<u8>>,
    ) -> Result<Vec<Event>, RegistryError> {
        let (owner, mut state) = self.resolve(&caller)?;
        if partitions.is_empty() {
            return Err(RegistryError::NoPartitions);
        }
        if partitions.len() > MAX_PARTITIONS_PER_POST {
            return Err(RegistryError::TooManyPartitions);
        }
        if proofs.len() != partitions.len() {
            return Err(RegistryError::ProofCountMismatch);
        }
        if proofs.iter().any(|proof| proof.len() != GROTH16_PROOF_BYTES) {
            return Err(RegistryError::InvalidProofLength);
        }
        let (_, mut events) = self.catch_up(peers, &owner, &mut state, now)?;
        let open = DeadlineInfo::new(state.proving_period_start, state.current_deadline, &self.policy)
            .ok_or(RegistryError::ArithmeticOverflow)?;
        if !open.is_open(now) || open.index != deadline {
            return Err(RegistryError::InvalidDeadlineSubmission);
        }
        let rbase = peers.randomness_at(open.challenge)?;
        let randomness =
            draw_for_provider(&rbase, DomainSeparationTag::WindowedPoStChallengeSeed, open.challenge, &owner);
        let disputable_until =
            open.close_at.checked_add(self.policy.wpost_dispute_window).ok_or(RegistryError::ArithmeticOverflow)?;
        let partition_count = self.partition_count(&state, deadline)?;
        // Everything is checked before anything is written.
        let mut accepted = Vec::with_capacity(partitions.len());
        for (index, (&partition, proof)) in partitions.iter().zip(proofs).enumerate() {
            if partitions.iter().take(index).any(|earlier| *earlier == partition) {
                return Err(RegistryError::DuplicatePartition);
            }
            if partition >= partition_count {
                return Err(RegistryError::InvalidPartition);
            }
            let key = (owner, deadline, partition);
            let partition_state = self.partitions.get(key).ok_or(RegistryError::InvalidPartition)?;
            if partition_state.posted_at == Some(open.open_at) {
                return Err(RegistryError::PartitionAlreadyProven);
            }
            let provable = partition_state.provable();
            if provable.is_empty() {
                return Err(RegistryError::NoSectorsToProve);
            }
            let sectors = self.replicas(&owner, &provable)?;
            accepted.push((key, partition_state, KeptPoSt { proof, randomness, sectors, disputable_until }));
        }
        // FIP-0010: a proof that recovers faulty sectors is never optimistic.
        for (_, partition_state, kept) in &accepted {
            if !partition_state.recoveries.is_empty() {
                let post_proof = state.info.window_post_proof_type;
                peers.verify_post(post_proof, kept.randomness, kept.sectors.clone(), kept.proof.clone())?;
            }
        }
        let mut activated = Vec::new();
        for (key, mut partition_state, kept) in accepted {
            let verified = !partition_state.recoveries.is_empty();
            let first_proofs = partition_state.unproven.intersection(&partition_state.provable());
            partition_state.unproven.retain_not_in(&first_proofs);
            let recovered = partition_state.recover();
            partition_state.posted_at = Some(open.open_at);
            self.gain_power(&mut state, first_proofs.len().saturating_add(recovered.len()))?;
            activated.extend(first_proofs.iter().copied());
            activated.extend(recovered.iter().copied());
            self.partitions.insert(key, &partition_state);
            if verified {
                // Verified already: nothing to dispute.
                self.kept_posts.remove(key);
            } else {
                self.kept_posts.insert(key, &kept);
            }
        }
        if !activated.is_empty() {
            events.push(self.power_event(&owner, &state));
        }
        self.providers.insert(owner, &state);
        events.push(Event::WindowedPoStSubmitted(WindowedPoStSubmitted {
            owner,
            deadline,
            partitions,
            activated,
            disputable_until,
        }));
        Ok(events)
    }

    /// Disputes the kept Window PoSt of `provider`'s `partition` in `deadline` (anyone, within
    /// the dispute window): the verifier checks it; if it is invalid, the sectors it claimed
    /// become faulty and the provider pays the penalty, the disputer's reward out of it.
    pub fn dispute_windowed_post<P: Peers>(
        &mut self,
        peers: &P,
        disputer: AccountId,
        now: BlockNumber,
        provider: AccountId,
        deadline: u32,
        partition: u32,
    ) -> Result<(DisputeOutcome, Vec<Event>), RegistryError> {
        let mut state = self.provider_state(&provider)?;
        let key = (provider, deadline, partition);
        let kept = self.kept_posts.get(key).ok_or(RegistryError::NoKeptProof)?;
        if now > kept.disputable_until {
            return Err(RegistryError::DisputeWindowOver);
        }
        match peers.verify_post(
            state.info.window_post_proof_type,
            kept.randomness,
            kept.sectors.clone(),
            kept.proof.clone(),
        ) {
            Ok(()) => return Err(RegistryError::PoStValid),
            Err(RegistryError::Proof(polka_storage_primitives::proofs::ProofError::InvalidProof)) => {}
            Err(error) => return Err(error),
        }
        let (_, mut events) = self.catch_up(peers, &provider, &mut state, now)?;
        let mut partition_state = self.partitions.get(key).ok_or(RegistryError::InvalidPartition)?;
        let claimed = SectorSet::from_sorted_unique(kept.sectors.iter().map(|r| r.sector_number).collect())
            .ok_or(RegistryError::InvalidPartition)?;
        let faulted = claimed.intersection(&partition_state.provable());
        let lost = partition_state.fault(&faulted, state.info.window_post_partition_sectors, now)?;
        self.lose_power(&mut state, lost.len())?;
        let claimed_count = u32::try_from(claimed.len()).map_err(|_| RegistryError::ArithmeticOverflow)?;
        let penalty = self.policy.invalid_post_penalty(claimed_count);
        let taken = self.charge(&mut state, penalty)?;
        // The reward comes out of what was actually taken; the rest is slashed.
        let reward = self.policy.dispute_reward().min(taken);
        self.funds.slashed = add(self.funds.slashed, taken.saturating_sub(reward))?;
        self.kept_posts.remove(key);
        self.partitions.insert(key, &partition_state);
        if !lost.is_empty() {
            events.push(self.power_event(&provider, &state));
        }
        self.providers.insert(provider, &state);
        events.push(Event::PoStDisputed(PoStDisputed {
            owner: provider,
            disputer,
            deadline,
            partition,
            faulted: faulted.iter().copied().collect(),
            penalty,
            reward,
        }));
        Ok((DisputeOutcome { reward }, events))
    }

    /// Takes `amount` from `state`'s free collateral; what it cannot cover becomes fee debt.
    /// Returns what was taken (it left the provider's books; the caller decides where it goes).
    pub(crate) fn charge(&mut self, state: &mut ProviderState, amount: Balance) -> Result<Balance, RegistryError> {
        let taken = amount.min(state.collateral.free);
        state.collateral.free = state.collateral.free.saturating_sub(taken);
        self.funds.free = self.funds.free.checked_sub(taken).ok_or(RegistryError::ArithmeticOverflow)?;
        state.collateral.fee_debt = add(state.collateral.fee_debt, amount.saturating_sub(taken))?;
        Ok(taken)
    }

    /// The kept proof of a partition, if it is still disputable.
    pub fn kept_post(&self, provider: &AccountId, deadline: u32, partition: u32) -> Option<KeptPoSt> {
        self.kept_posts.get((*provider, deadline, partition))
    }

    /// Deadline `index` of `provider` at `now` with partitions `from..from + limit` (at most
    /// [`MAX_PARTITIONS_PER_PAGE`]).
    pub fn deadline_state(
        &self,
        provider: &AccountId,
        index: u32,
        now: BlockNumber,
        from: u32,
        limit: u32,
    ) -> Result<DeadlineState, RegistryError> {
        let info = self.deadline_info(provider, index, now)?;
        let state = self.provider_state(provider)?;
        let partition_count = self.partition_count(&state, index)?;
        let end = from.saturating_add(limit.min(MAX_PARTITIONS_PER_PAGE)).min(partition_count);
        let partitions = (from..end)
            .filter_map(|partition| {
                let key = (*provider, index, partition);
                self.partitions.get(key).map(|stored| PartitionSummary {
                    partition,
                    state: stored.view(),
                    disputable_until: self.kept_posts.get(key).map(|kept| kept.disputable_until),
                })
            })
            .collect();
        Ok(DeadlineState { info, partition_count, partitions })
    }

    /// A provider's power.
    pub fn provider_power(&self, provider: &AccountId) -> Option<Power> {
        self.providers.get(provider).map(|state| state.power)
    }

    /// The registry's total power.
    pub fn total_power(&self) -> Power {
        self.total_power
    }

    /// Partitions of a deadline: they fill in order, so ⌈total sectors / partition size⌉.
    pub(crate) fn partition_count(&self, state: &ProviderState, deadline: u32) -> Result<u32, RegistryError> {
        let index = usize::try_from(deadline).map_err(|_| RegistryError::InvalidDeadline)?;
        let load = state.deadlines.get(index).ok_or(RegistryError::InvalidDeadline)?;
        let size = state.info.window_post_partition_sectors.max(1);
        u32::try_from(u64::from(load.total_sectors).div_ceil(size)).map_err(|_| RegistryError::ArithmeticOverflow)
    }

    /// The sectors with their CommRs, as a PoSt proves them.
    fn replicas(&self, owner: &AccountId, sectors: &SectorSet) -> Result<Vec<PublicReplicaInfo>, RegistryError> {
        sectors
            .iter()
            .map(|&sector_number| {
                let info = self.sectors.get((*owner, sector_number)).ok_or(RegistryError::SectorNotFound)?;
                let comm_r = polka_storage_primitives::commitment::cid_to_commitment(
                    &info.sealed_cid,
                    polka_storage_primitives::commitment::CommitmentKind::Sealed,
                )
                .map_err(RegistryError::InvalidSealedCid)?;
                Ok(PublicReplicaInfo { sector_number, comm_r })
            })
            .collect()
    }

    fn sector_power(state: &ProviderState, sectors: usize) -> Result<u128, RegistryError> {
        u128::from(state.info.sector_size)
            .checked_mul(u128::try_from(sectors).map_err(|_| RegistryError::ArithmeticOverflow)?)
            .ok_or(RegistryError::ArithmeticOverflow)
    }

    fn gain_power(&mut self, state: &mut ProviderState, sectors: usize) -> Result<(), RegistryError> {
        let power = Self::sector_power(state, sectors)?;
        let overflow = RegistryError::ArithmeticOverflow;
        state.power.raw = state.power.raw.checked_add(power).ok_or(overflow)?;
        state.power.quality_adjusted = state.power.quality_adjusted.checked_add(power).ok_or(overflow)?;
        self.total_power.raw = self.total_power.raw.checked_add(power).ok_or(overflow)?;
        self.total_power.quality_adjusted = self.total_power.quality_adjusted.checked_add(power).ok_or(overflow)?;
        Ok(())
    }

    pub(crate) fn lose_power(&mut self, state: &mut ProviderState, sectors: usize) -> Result<(), RegistryError> {
        let power = Self::sector_power(state, sectors)?;
        let overflow = RegistryError::ArithmeticOverflow;
        state.power.raw = state.power.raw.checked_sub(power).ok_or(overflow)?;
        state.power.quality_adjusted = state.power.quality_adjusted.checked_sub(power).ok_or(overflow)?;
        self.total_power.raw = self.total_power.raw.checked_sub(power).ok_or(overflow)?;
        self.total_power.quality_adjusted = self.total_power.quality_adjusted.checked_sub(power).ok_or(overflow)?;
        Ok(())
    }

    pub(crate) fn power_event(&self, owner: &AccountId, state: &ProviderState) -> Event {
        Event::PowerChanged(PowerChanged { owner: *owner, power: state.power, total: self.total_power })
    }
}
