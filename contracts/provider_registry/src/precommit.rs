//! `pre_commit_sectors` (spec §2.2 (1)): the provider commits to sealed sectors before proving
//! them. All or nothing; the checks run in the spec's order, with the original's gaps closed:
//! duplicate numbers in a batch (§8.3 #10), the seal ticket's age (§8.3 #13), strict CIDs, and
//! the CommD of committed-capacity sectors. A real deposit per sector moves from free to locked
//! collateral, and the seal ticket is drawn again and kept with the pre-commit.

use crate::ext::Peers;
use crate::state::{incr, RegistryState};
use ink::prelude::vec::Vec;
use polka_storage_primitives::commitment::{
    cid_to_commitment, compute_unsealed_sector_commitment, Commitment, CommitmentKind,
};
use polka_storage_primitives::market::SectorDeal;
use polka_storage_primitives::policy::{MAX_DEALS_PER_SECTOR, MAX_SECTORS_PER_CALL};
use polka_storage_primitives::randomness::{draw_for_provider, DomainSeparationTag};
use polka_storage_primitives::registry::{
    Event, RegistryError, SectorPreCommitInfo, SectorPreCommitOnChainInfo, SectorsPreCommitted,
};
use polka_storage_primitives::sector::{RegisteredPoStProof, MAX_SECTORS};
use polka_storage_primitives::{AccountId, Balance, BlockNumber};

impl RegistryState {
    /// Pre-commits `sectors` for the provider `caller` acts for, at block `now`.
    pub fn pre_commit_sectors<P: Peers>(
        &mut self,
        peers: &P,
        caller: AccountId,
        now: BlockNumber,
        sectors: Vec<SectorPreCommitInfo>,
    ) -> Result<Vec<Event>, RegistryError> {
        let (owner, mut state) = self.resolve(&caller)?;
        let mut events = self.expire_due(peers, &owner, &mut state, now)?;
        events.extend(self.catch_up(peers, &owner, &mut state, now)?.1);
        if state.collateral.fee_debt > 0 {
            return Err(RegistryError::FeeDebt);
        }
        if sectors.is_empty() {
            return Err(RegistryError::NoSectors);
        }
        if sectors.len() > MAX_SECTORS_PER_CALL {
            return Err(RegistryError::TooManySectors);
        }
        let post_proof = state.info.window_post_proof_type;
        let comm_ds = (0..sectors.len())
            .map(|index| self.check_pre_commit(&owner, post_proof, now, index, &sectors))
            .collect::<Result<Vec<_>, _>>()?;
        self.check_comm_ds(peers, &owner, &sectors, &comm_ds)?;

        // Tickets before anything changes: heights repeat, so the beacon is asked once each.
        let mut beacon_answer: Option<(BlockNumber, [u8; 32])> = None;
        let mut tickets = Vec::with_capacity(sectors.len());
        for sector in &sectors {
            let height = sector.seal_randomness_height;
            let rbase = match beacon_answer {
                Some((block, rbase)) if block == height => rbase,
                _ => {
                    let rbase = peers.randomness_at(height)?;
                    beacon_answer = Some((height, rbase));
                    rbase
                }
            };
            tickets.push(draw_for_provider(&rbase, DomainSeparationTag::SealRandomness, height, &owner));
        }

        let deposit = self.policy.pre_commit_deposit();
        let total = deposit
            .checked_mul(Balance::try_from(sectors.len()).map_err(|_| RegistryError::ArithmeticOverflow)?)
            .ok_or(RegistryError::ArithmeticOverflow)?;
        if state.collateral.free < total {
            return Err(RegistryError::InsufficientCollateral);
        }
        self.lock_deposit(&mut state, total)?;
        for (sector, seal_ticket) in sectors.iter().zip(tickets) {
            self.precommits.insert(
                (owner, sector.sector_number),
                &SectorPreCommitOnChainInfo {
                    info: sector.clone(),
                    pre_commit_deposit: deposit,
                    pre_commit_block: now,
                    seal_ticket,
                },
            );
            self.expiry_queue.insert((owner, state.expiry_queue_tail), &(sector.sector_number, now));
            state.expiry_queue_tail = incr(state.expiry_queue_tail)?;
            state.pre_committed_sectors = incr(state.pre_committed_sectors)?;
        }
        self.providers.insert(owner, &state);
        events.push(Event::SectorsPreCommitted(SectorsPreCommitted { owner, block: now, sectors, deposit: total }));
        Ok(events)
    }

    /// The per-sector checks of spec §2.2 (1) and the additions; returns the sector's CommD.
    fn check_pre_commit(
        &self,
        owner: &AccountId,
        post_proof: RegisteredPoStProof,
        now: BlockNumber,
        index: usize,
        sectors: &[SectorPreCommitInfo],
    ) -> Result<Commitment, RegistryError> {
        let sector = sectors.get(index).ok_or(RegistryError::NoSectors)?;
        if sector.seal_proof.registered_window_post_proof() != post_proof {
            return Err(RegistryError::InvalidProofType);
        }
        let number = sector.sector_number;
        if number > MAX_SECTORS {
            return Err(RegistryError::InvalidSectorNumber);
        }
        if sectors.iter().take(index).any(|earlier| earlier.sector_number == number) {
            return Err(RegistryError::DuplicateSectorNumber);
        }
        if self.precommits.contains((*owner, number)) || self.sectors.contains((*owner, number)) {
            return Err(RegistryError::SectorNumberAlreadyUsed);
        }
        self.check_expiration(now, sector.expiration)?;
        if sector.seal_randomness_height >= now {
            return Err(RegistryError::SealRandomnessInFuture);
        }
        if now.saturating_sub(sector.seal_randomness_height) > self.policy.max_seal_randomness_lookback {
            return Err(RegistryError::SealRandomnessTooOld);
        }
        cid_to_commitment(&sector.sealed_cid, CommitmentKind::Sealed).map_err(RegistryError::InvalidSealedCid)?;
        let comm_d = cid_to_commitment(&sector.unsealed_cid, CommitmentKind::Unsealed)
            .map_err(RegistryError::InvalidUnsealedCid)?;
        if sector.deal_ids.len() > MAX_DEALS_PER_SECTOR {
            return Err(RegistryError::TooManyDeals);
        }
        Ok(comm_d)
    }

    /// `validate_expiration` of the spec: activation is at the latest `now +
    /// max_prove_commit_duration`.
    fn check_expiration(&self, now: BlockNumber, expiration: BlockNumber) -> Result<(), RegistryError> {
        let policy = &self.policy;
        let overflow = RegistryError::ArithmeticOverflow;
        let activation = now.checked_add(policy.max_prove_commit_duration).ok_or(overflow)?;
        let life = expiration.checked_sub(activation).ok_or(RegistryError::ExpirationBeforeActivation)?;
        if life < policy.min_sector_expiration {
            return Err(RegistryError::ExpirationTooSoon);
        }
        if expiration >= now.checked_add(policy.max_sector_expiration).ok_or(overflow)? {
            return Err(RegistryError::ExpirationTooLong);
        }
        if life >= policy.sector_maximum_lifetime {
            return Err(RegistryError::MaxSectorLifetimeExceeded);
        }
        Ok(())
    }

    /// The declared CommD of each sector is what the market computes from its deals' pieces,
    /// or, for a sector without deals, the CommD of an empty sector (the original accepted
    /// any well-formed CID for those).
    fn check_comm_ds<P: Peers>(
        &self,
        peers: &P,
        owner: &AccountId,
        sectors: &[SectorPreCommitInfo],
        comm_ds: &[Commitment],
    ) -> Result<(), RegistryError> {
        let with_deals: Vec<SectorDeal> =
            sectors.iter().filter(|sector| !sector.deal_ids.is_empty()).map(sector_deal).collect();
        let mut computed = if with_deals.is_empty() {
            Vec::new().into_iter()
        } else {
            let asked = with_deals.len();
            let answer = peers.verify_deals_for_activation(*owner, with_deals)?;
            if answer.len() != asked {
                return Err(RegistryError::CouldNotVerifySectorForPreCommit);
            }
            answer.into_iter()
        };
        for (sector, declared) in sectors.iter().zip(comm_ds) {
            let expected = if sector.deal_ids.is_empty() {
                compute_unsealed_sector_commitment(sector.seal_proof.padded_sector_size(), &[])
                    .map_err(|_| RegistryError::CouldNotVerifySectorForPreCommit)?
            } else {
                computed.next().flatten().ok_or(RegistryError::CouldNotVerifySectorForPreCommit)?
            };
            if expected != *declared {
                return Err(RegistryError::InvalidUnsealedCidForSector);
            }
        }
        Ok(())
    }
}

/// The deals of a pre-committed sector as the market checks them.
pub(crate) fn sector_deal(sector: &SectorPreCommitInfo) -> SectorDeal {
    SectorDeal {
        sector_number: sector.sector_number,
        sector_expiry: sector.expiration,
        sector_type: sector.seal_proof,
        deal_ids: sector.deal_ids.clone(),
    }
}
