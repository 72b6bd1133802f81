//! `prove_commit_sectors` (spec §2.2 (2)): the provider proves pre-committed sectors with their
//! PoRep. The interactive seed is drawn from the beacon for the pre-commit block plus
//! `pre_commit_challenge_delay` and the prover id is the owner's (spec §4.1); the proofs are
//! verified by `proof_verifier` (one batch for several) and the sectors' deals activated in
//! the market, all or nothing (§8.3 #9). The deposit returns to free collateral (§8.3 #3) and
//! the initial pledge is locked instead. Each sector is assigned a deadline and partition by
//! the rule of spec §3.4 and starts unproven: power comes with its first Window PoSt.

use crate::assignment::{assign_deadlines, AssignmentError, DeadlineLoad as Candidate};
use crate::ext::Peers;
use crate::precommit::sector_deal;
use crate::state::{decr, incr, RegistryState};
use ink::prelude::vec::Vec;
use polka_storage_primitives::commitment::{cid_to_commitment, CommitmentKind};
use polka_storage_primitives::deadline::deadline_is_mutable;
use polka_storage_primitives::market::SectorDeal;
use polka_storage_primitives::policy::{MAX_PARTITIONS_PER_DEADLINE, MAX_PROVE_COMMIT_SECTORS};
use polka_storage_primitives::proofs::SealVerifyInfo;
use polka_storage_primitives::randomness::{derive_prover_id, draw_for_provider, DomainSeparationTag};
use polka_storage_primitives::registry::{
    Event, ProveCommitResult, ProveCommitSector, ProviderState, RegistryError, SectorOnChainInfo,
    SectorPreCommitOnChainInfo, SectorsProven,
};
use polka_storage_primitives::sector::SectorNumber;
use polka_storage_primitives::{AccountId, Balance, BlockNumber};

impl From<AssignmentError> for RegistryError {
    fn from(error: AssignmentError) -> Self {
        match error {
            AssignmentError::NoMutableDeadline => RegistryError::NoMutableDeadline,
            AssignmentError::MaxPartitionsReached => RegistryError::MaxPartitionsReached,
            AssignmentError::Overflow => RegistryError::ArithmeticOverflow,
        }
    }
}

impl RegistryState {
    /// Proves `sectors` for the provider `caller` acts for, at block `now`. Returns where each
    /// sector went.
    pub fn prove_commit_sectors<P: Peers>(
        &mut self,
        peers: &P,
        caller: AccountId,
        now: BlockNumber,
        sectors: Vec<ProveCommitSector>,
    ) -> Result<(Vec<ProveCommitResult>, Vec<Event>), RegistryError> {
        let (owner, mut state) = self.resolve(&caller)?;
        if sectors.is_empty() {
            return Err(RegistryError::NoSectors);
        }
        if sectors.len() > MAX_PROVE_COMMIT_SECTORS {
            return Err(RegistryError::TooManySectors);
        }
        // Checked before the lazy expiry runs, so that a late proof says so instead of finding
        // its pre-commit gone.
        let mut pre_commits = Vec::with_capacity(sectors.len());
        let mut seals = Vec::with_capacity(sectors.len());
        for (index, sector) in sectors.iter().enumerate() {
            if sectors.iter().take(index).any(|earlier| earlier.sector_number == sector.sector_number) {
                return Err(RegistryError::DuplicateSectorNumber);
            }
            let pre_commit =
                self.precommits.get((owner, sector.sector_number)).ok_or(RegistryError::PreCommitNotFound)?;
            seals.push(self.seal_to_verify(peers, &owner, now, &pre_commit, sector)?);
            pre_commits.push(pre_commit);
        }
        let mut events = self.expire_due(peers, &owner, &mut state, now)?;
        events.extend(self.catch_up(peers, &owner, &mut state, now)?.1);

        peers.verify_porep(seals)?;

        // Everything that can still fail is checked before anything changes.
        let mut numbers: Vec<SectorNumber> = pre_commits.iter().map(|pc| pc.info.sector_number).collect();
        numbers.sort_unstable();
        let assigned = self.assign(&state, now, &numbers)?;
        let pledge = self.policy.initial_pledge();
        let count = Balance::try_from(pre_commits.len()).map_err(|_| RegistryError::ArithmeticOverflow)?;
        let pledged = pledge.checked_mul(count).ok_or(RegistryError::ArithmeticOverflow)?;
        let deposits = pre_commits
            .iter()
            .try_fold(0 as Balance, |sum, pc| sum.checked_add(pc.pre_commit_deposit))
            .ok_or(RegistryError::ArithmeticOverflow)?;
        if state.collateral.free.checked_add(deposits).ok_or(RegistryError::ArithmeticOverflow)? < pledged {
            return Err(RegistryError::InsufficientCollateral);
        }
        let with_deals: Vec<SectorDeal> = pre_commits
            .iter()
            .filter(|pre_commit| !pre_commit.info.deal_ids.is_empty())
            .map(|pre_commit| sector_deal(&pre_commit.info))
            .collect();
        if !with_deals.is_empty() {
            peers.activate_deals(owner, with_deals)?;
        }

        for pre_commit in &pre_commits {
            self.release_deposit(&mut state, pre_commit.pre_commit_deposit, false)?;
            self.lock_pledge(&mut state, pledge)?;
        }
        let mut results = Vec::with_capacity(assigned.len());
        for (number, deadline) in assigned {
            let pre_commit = pre_commits
                .iter()
                .find(|pc| pc.info.sector_number == number)
                .ok_or(RegistryError::PreCommitNotFound)?;
            let partition = self.add_to_deadline(&owner, &mut state, deadline, number)?;
            let info = &pre_commit.info;
            self.sectors.insert(
                (owner, number),
                &SectorOnChainInfo {
                    sector_number: number,
                    seal_proof: info.seal_proof,
                    sealed_cid: info.sealed_cid.clone(),
                    unsealed_cid: info.unsealed_cid.clone(),
                    deal_ids: info.deal_ids.clone(),
                    activation: now,
                    expiration: info.expiration,
                    initial_pledge: pledge,
                    deadline,
                    partition,
                },
            );
            self.sector_list.insert((owner, state.proven_sectors), &number);
            state.proven_sectors = incr(state.proven_sectors)?;
            self.precommits.remove((owner, number));
            state.pre_committed_sectors = decr(state.pre_committed_sectors)?;
            results.push(ProveCommitResult { sector_number: number, deadline, partition });
        }
        self.providers.insert(owner, &state);
        events.push(Event::SectorsProven(SectorsProven { owner, sectors: results.clone(), pledge: pledged }));
        Ok((results, events))
    }

    /// The checks of spec §2.2 (2) for one sector, and what its proof is verified against.
    fn seal_to_verify<P: Peers>(
        &self,
        peers: &P,
        owner: &AccountId,
        now: BlockNumber,
        pre_commit: &SectorPreCommitOnChainInfo,
        sector: &ProveCommitSector,
    ) -> Result<SealVerifyInfo, RegistryError> {
        let overflow = RegistryError::ArithmeticOverflow;
        let deadline =
            pre_commit.pre_commit_block.checked_add(self.policy.max_prove_commit_duration).ok_or(overflow)?;
        if now >= deadline {
            return Err(RegistryError::ProveCommitAfterDeadline);
        }
        let seed_block = self.seed_block(pre_commit)?;
        if now < seed_block {
            return Err(RegistryError::ProveCommitTooEarly);
        }
        let info = &pre_commit.info;
        if sector.proof.len() != info.seal_proof.proof_size() {
            return Err(RegistryError::InvalidProofLength);
        }
        let rbase = peers.randomness_at(seed_block)?;
        let seed = draw_for_provider(&rbase, DomainSeparationTag::InteractiveSealChallengeSeed, seed_block, owner);
        Ok(SealVerifyInfo {
            seal_proof: info.seal_proof,
            prover_id: derive_prover_id(owner),
            sector_number: info.sector_number,
            ticket: pre_commit.seal_ticket,
            seed,
            comm_r: cid_to_commitment(&info.sealed_cid, CommitmentKind::Sealed)
                .map_err(RegistryError::InvalidSealedCid)?,
            comm_d: cid_to_commitment(&info.unsealed_cid, CommitmentKind::Unsealed)
                .map_err(RegistryError::InvalidUnsealedCid)?,
            proof: sector.proof.clone(),
        })
    }

    /// The block whose beacon output makes a pre-commit's interactive seed.
    pub(crate) fn seed_block(&self, pre_commit: &SectorPreCommitOnChainInfo) -> Result<BlockNumber, RegistryError> {
        pre_commit
            .pre_commit_block
            .checked_add(self.policy.pre_commit_challenge_delay)
            .ok_or(RegistryError::ArithmeticOverflow)
    }

    /// Spec §3.4: before its first proving period every deadline takes sectors, afterwards
    /// only those that are neither open nor next.
    fn assign(
        &self,
        state: &ProviderState,
        now: BlockNumber,
        sectors: &[SectorNumber],
    ) -> Result<Vec<(SectorNumber, u32)>, RegistryError> {
        let started = now >= state.proving_period_start;
        let mut candidates: Vec<Candidate> = Vec::with_capacity(state.deadlines.len());
        for (index, load) in (0u32..).zip(state.deadlines.iter()) {
            if started && !deadline_is_mutable(state.proving_period_start, index, now, &self.policy) {
                continue;
            }
            candidates.push(Candidate {
                index,
                live_sectors: u64::from(load.live_sectors),
                total_sectors: u64::from(load.total_sectors),
            });
        }
        let partition_size = state.info.window_post_partition_sectors;
        Ok(assign_deadlines(&mut candidates, partition_size, MAX_PARTITIONS_PER_DEADLINE, sectors)?)
    }

    /// Puts `sector` in the last partition of `deadline`, opening a new one when it is full
    /// (partitions fill in order and sectors never move). Returns the partition.
    fn add_to_deadline(
        &mut self,
        owner: &AccountId,
        state: &mut ProviderState,
        deadline: u32,
        sector: SectorNumber,
    ) -> Result<u32, RegistryError> {
        let size = state.info.window_post_partition_sectors;
        let index = usize::try_from(deadline).map_err(|_| RegistryError::InvalidDeadline)?;
        let load = state.deadlines.get_mut(index).ok_or(RegistryError::InvalidDeadline)?;
        let partition = u64::from(load.total_sectors).checked_div(size).ok_or(RegistryError::ArithmeticOverflow)?;
        let partition = u32::try_from(partition).map_err(|_| RegistryError::ArithmeticOverflow)?;
        let key = (*owner, deadline, partition);
        let mut partition_state = self.partitions.get(key).unwrap_or_default();
        partition_state.add_sector(sector, size)?;
        self.partitions.insert(key, &partition_state);
        load.live_sectors = incr(load.live_sectors)?;
        load.total_sectors = incr(load.total_sectors)?;
        Ok(partition)
    }
}
