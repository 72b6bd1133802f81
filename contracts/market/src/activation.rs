//! Activation (spec §2.1, Market trait): the registry checks a sector's deals at pre-commit
//! (`verify_deals_for_activation`, which returns the sector's CommD computed from the pieces) and
//! activates them at prove-commit (`activate_deals`). Both run the same checks, and a sector
//! whose deals fail fails the whole call: nothing is skipped silently (spec §8.3 #9).

use crate::state::MarketState;
use ink::prelude::vec::Vec;
use polka_storage_primitives::commitment::{
    cid_to_commitment, compute_unsealed_sector_commitment, Commitment, CommitmentKind, PaddedPieceSize, PieceInfo,
};
use polka_storage_primitives::market::Event;
use polka_storage_primitives::market::{
    ActiveDealState, DealActivated, DealProposal, DealState, MarketError, SectorDeal,
};
use polka_storage_primitives::policy::{MAX_DEALS_PER_SECTOR, MAX_SECTORS_PER_CALL};
use polka_storage_primitives::{AccountId, BlockNumber, DealId};

/// A sector whose deals may be activated.
struct ValidSector {
    /// Each deal with its proposal hash.
    deals: Vec<(DealId, DealProposal, [u8; 32])>,
    comm_d: Option<Commitment>,
}

impl MarketState {
    /// Checks the deals of every sector for activation by `provider` at `now` and returns each
    /// sector's CommD (`None` for a sector without deals). Changes nothing.
    pub fn verify_deals_for_activation(
        &self,
        provider: &AccountId,
        now: BlockNumber,
        sectors: &[SectorDeal],
    ) -> Result<Vec<Option<Commitment>>, MarketError> {
        Ok(self.validate_sectors(provider, now, sectors)?.into_iter().map(|sector| sector.comm_d).collect())
    }

    /// Activates the deals of every sector, proven by `provider` at `now`. Fails, changing
    /// nothing, if any deal of any sector cannot be activated.
    pub fn activate_deals(
        &mut self,
        provider: &AccountId,
        now: BlockNumber,
        sectors: &[SectorDeal],
    ) -> Result<Vec<Event>, MarketError> {
        let valid = self.validate_sectors(provider, now, sectors)?;
        let mut events = Vec::new();
        let mut activated: u32 = 0;
        for (sector, valid) in sectors.iter().zip(valid) {
            if valid.deals.is_empty() {
                continue;
            }
            for (deal_id, mut proposal, hash) in valid.deals {
                self.deals.unmark_pending(&hash);
                // Until its start block passes, the signed proposal could be published again.
                self.deals.consume(&hash, proposal.start_block)?;
                proposal.state = DealState::Active(ActiveDealState {
                    sector_number: sector.sector_number,
                    sector_start_block: now,
                    last_updated_block: None,
                    slash_block: None,
                });
                self.deals.update(deal_id, &proposal);
                activated = activated.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?;
                events.push(Event::DealActivated(DealActivated {
                    deal_id,
                    client: proposal.client,
                    provider: *provider,
                    sector_number: sector.sector_number,
                }));
            }
            self.deals.set_sector_deals(provider, sector.sector_number, &sector.deal_ids);
        }
        if activated > 0 {
            self.deals.sub_pending(provider, activated)?;
        }
        Ok(events)
    }

    /// The checks of spec §2.1 (`proposals_for_deals`, `validate_deal_can_activate`,
    /// `validate_deals_for_sector`) for every sector, and each sector's CommD.
    fn validate_sectors(
        &self,
        provider: &AccountId,
        now: BlockNumber,
        sectors: &[SectorDeal],
    ) -> Result<Vec<ValidSector>, MarketError> {
        if sectors.len() > MAX_SECTORS_PER_CALL {
            return Err(MarketError::TooManySectors);
        }
        // A deal may go into one sector only, across the whole call.
        let mut seen: Vec<DealId> = Vec::new();
        let mut valid = Vec::with_capacity(sectors.len());
        for (index, sector) in sectors.iter().enumerate() {
            let listed_before = sectors.iter().take(index).any(|other| other.sector_number == sector.sector_number);
            if listed_before || self.deals.has_sector_deals(provider, sector.sector_number) {
                return Err(MarketError::SectorAlreadyActivated);
            }
            if sector.deal_ids.len() > MAX_DEALS_PER_SECTOR {
                return Err(MarketError::TooManyDealsInSector);
            }
            let mut deals = Vec::with_capacity(sector.deal_ids.len());
            let mut pieces = Vec::with_capacity(sector.deal_ids.len());
            let mut bytes: u64 = 0;
            for deal_id in &sector.deal_ids {
                if seen.contains(deal_id) {
                    return Err(MarketError::DuplicateDeal);
                }
                seen.push(*deal_id);
                let proposal = self.deals.get(*deal_id).ok_or(MarketError::DealNotFound)?;
                Self::check_can_activate(&proposal, provider, sector, now)?;
                let hash = proposal.hash();
                if self.deals.pending_deal(&hash) != Some(*deal_id) {
                    return Err(MarketError::DealNotPending);
                }
                bytes = bytes.checked_add(proposal.piece_size).ok_or(MarketError::DealsTooLargeToFitIntoSector)?;
                pieces.push(PieceInfo {
                    commitment: cid_to_commitment(&proposal.piece_cid, CommitmentKind::Unsealed)
                        .map_err(MarketError::InvalidPieceCid)?,
                    size: PaddedPieceSize::new(proposal.piece_size).map_err(|_| MarketError::InvalidPieceSize)?,
                });
                deals.push((*deal_id, proposal, hash));
            }
            let sector_size = sector.sector_type.padded_sector_size();
            if bytes > sector_size.get() {
                return Err(MarketError::DealsTooLargeToFitIntoSector);
            }
            let comm_d = if pieces.is_empty() {
                None
            } else {
                Some(compute_unsealed_sector_commitment(sector_size, &pieces).map_err(MarketError::CommD)?)
            };
            valid.push(ValidSector { deals, comm_d });
        }
        Ok(valid)
    }

    /// `validate_deal_can_activate` of the spec, in its order.
    fn check_can_activate(
        proposal: &DealProposal,
        provider: &AccountId,
        sector: &SectorDeal,
        now: BlockNumber,
    ) -> Result<(), MarketError> {
        if proposal.provider != *provider {
            return Err(MarketError::InvalidProvider);
        }
        if proposal.state != DealState::Published {
            return Err(MarketError::InvalidDealState);
        }
        if now > proposal.start_block {
            return Err(MarketError::StartBlockElapsed);
        }
        if sector.sector_expiry < proposal.end_block {
            return Err(MarketError::SectorExpiresBeforeDeal);
        }
        Ok(())
    }
}
