//! Money after publication: paying providers as their deals run (`settle_deal_payments`, spec
//! §2.1 (2)), slashing deals not activated by their start block (the original's `on_finalize`
//! hook, here lazy in settlement and the permissionless crank `process_deal_timeouts`), and
//! terminated sectors (`on_sectors_terminate`, called by the registry).
//!
//! A deal's client has locked `price × (end − paid_through)`, where `paid_through` is the last
//! settled block (the start block before the first settlement): every payment, refund and slash
//! below comes out of exactly that amount and the provider's collateral.

use crate::state::MarketState;
use ink::prelude::vec::Vec;
use polka_storage_primitives::market::Event;
use polka_storage_primitives::market::{
    DealEndReason, DealProposal, DealSettlementError, DealSlashed, DealState, DealTerminated, DealsSettled,
    MarketError, SettledDeal, SettlementReport,
};
use polka_storage_primitives::policy::{MAX_DEALS_PER_SETTLEMENT, MAX_SECTORS_PER_CALL};
use polka_storage_primitives::sector::SectorNumber;
use polka_storage_primitives::{AccountId, Balance, BlockNumber, DealId};

/// `price × blocks`.
fn fee(proposal: &DealProposal, blocks: BlockNumber) -> Result<Balance, MarketError> {
    proposal.fee_for(blocks).ok_or(MarketError::ArithmeticOverflow)
}

fn blocks_between(from: BlockNumber, to: BlockNumber) -> BlockNumber {
    to.saturating_sub(from)
}

/// Checks the size of a list of deal ids.
fn check_deal_ids(deal_ids: &[DealId]) -> Result<(), MarketError> {
    if deal_ids.is_empty() {
        return Err(MarketError::NoDealIds);
    }
    if deal_ids.len() > MAX_DEALS_PER_SETTLEMENT {
        return Err(MarketError::TooManyDealIds);
    }
    Ok(())
}

impl MarketState {
    /// Pays the providers of `deal_ids` what their deals have earned up to `now`; a deal that
    /// has ended is completed (the provider's collateral unlocked). A deal that timed out is
    /// slashed. Each deal succeeds or fails on its own.
    pub fn settle_deal_payments(
        &mut self,
        now: BlockNumber,
        deal_ids: &[DealId],
    ) -> Result<(SettlementReport, Vec<Event>), MarketError> {
        check_deal_ids(deal_ids)?;
        let mut report = SettlementReport::default();
        let mut events = Vec::new();
        for deal_id in deal_ids {
            let Some(mut proposal) = self.deals.get(*deal_id) else {
                report.unsuccessful.push((*deal_id, DealSettlementError::DealNotFound));
                continue;
            };
            let active = match proposal.state {
                DealState::Published if now > proposal.start_block => {
                    events.push(self.slash_timed_out(*deal_id, &proposal, now)?);
                    report.unsuccessful.push((*deal_id, DealSettlementError::SlashedDeal));
                    continue;
                }
                _ if proposal.start_block > now => {
                    report.unsuccessful.push((*deal_id, DealSettlementError::EarlySettlement));
                    continue;
                }
                DealState::Published => {
                    report.unsuccessful.push((*deal_id, DealSettlementError::DealNotActive));
                    continue;
                }
                DealState::Active(active) => active,
            };
            let paid_through = active.last_updated_block.unwrap_or(proposal.start_block).max(proposal.start_block);
            let completed = now >= proposal.end_block;
            let settle_to = if completed { proposal.end_block } else { now };
            let amount = fee(&proposal, blocks_between(paid_through, settle_to))?;
            self.balances.pay(&proposal.client, &proposal.provider, amount)?;
            if completed {
                self.balances.unlock(&proposal.provider, proposal.provider_collateral)?;
                self.deals.end(*deal_id, DealEndReason::Completed, now);
                self.deals.remove_from_sector(&proposal.provider, active.sector_number, *deal_id);
            } else {
                let mut updated = active;
                updated.last_updated_block = Some(now);
                proposal.state = DealState::Active(updated);
                self.deals.update(*deal_id, &proposal);
            }
            report.successful.push(SettledDeal {
                deal_id: *deal_id,
                client: proposal.client,
                provider: proposal.provider,
                amount,
                completed,
            });
        }
        events.push(Event::DealsSettled(DealsSettled {
            successful: report.successful.clone(),
            unsuccessful: report.unsuccessful.clone(),
        }));
        Ok((report, events))
    }

    /// The crank: slashes every deal of `deal_ids` that was not activated by its start block.
    /// Other deals are left alone (someone may have been quicker). Returns the slashed ids.
    pub fn process_deal_timeouts(
        &mut self,
        now: BlockNumber,
        deal_ids: &[DealId],
    ) -> Result<(Vec<DealId>, Vec<Event>), MarketError> {
        check_deal_ids(deal_ids)?;
        let mut slashed = Vec::new();
        let mut events = Vec::new();
        for deal_id in deal_ids {
            let Some(proposal) = self.deals.get(*deal_id) else { continue };
            if proposal.state == DealState::Published && now > proposal.start_block {
                events.push(self.slash_timed_out(*deal_id, &proposal, now)?);
                slashed.push(*deal_id);
            }
        }
        Ok((slashed, events))
    }

    /// A deal not activated by its start block: the client gets its whole fee back, the
    /// provider's collateral is slashed, the deal is no longer pending.
    fn slash_timed_out(
        &mut self,
        deal_id: DealId,
        proposal: &DealProposal,
        now: BlockNumber,
    ) -> Result<Event, MarketError> {
        let fee = proposal.total_storage_fee().ok_or(MarketError::ArithmeticOverflow)?;
        self.balances.unlock(&proposal.client, fee)?;
        self.balances.slash(&proposal.provider, proposal.provider_collateral)?;
        self.deals.unmark_pending(&proposal.hash());
        self.deals.sub_pending(&proposal.provider, 1)?;
        self.deals.end(deal_id, DealEndReason::TimedOut, now);
        Ok(Event::DealSlashed(DealSlashed {
            deal_id,
            amount: proposal.provider_collateral,
            client: proposal.client,
            provider: proposal.provider,
        }))
    }

    /// The registry terminated `sectors` of `provider` at `now`: each of their running deals
    /// pays the provider what has accrued, loses the provider's collateral and refunds the rest
    /// to the client. Deals that already ended (settled to completion, or past their end block
    /// and left for settlement) are done, not an error (spec §8.3 #5).
    pub fn on_sectors_terminate(
        &mut self,
        provider: &AccountId,
        now: BlockNumber,
        sectors: &[SectorNumber],
    ) -> Result<Vec<Event>, MarketError> {
        if sectors.len() > MAX_SECTORS_PER_CALL {
            return Err(MarketError::TooManySectors);
        }
        let mut events = Vec::new();
        for sector in sectors {
            let Some(deal_ids) = self.deals.take_sector_deals(provider, *sector) else { continue };
            for deal_id in deal_ids {
                let Some(proposal) = self.deals.get(deal_id) else { continue };
                let DealState::Active(active) = proposal.state else { continue };
                if proposal.end_block <= now || proposal.provider != *provider {
                    continue;
                }
                let paid_through = active.last_updated_block.unwrap_or(proposal.start_block).max(proposal.start_block);
                // Saturating: a sector may be terminated before its deals start (spec §8.3 #6).
                let pay_end = now.max(paid_through);
                let paid = fee(&proposal, blocks_between(paid_through, pay_end))?;
                let refunded = fee(&proposal, blocks_between(pay_end, proposal.end_block))?;
                self.balances.pay(&proposal.client, provider, paid)?;
                self.balances.slash(provider, proposal.provider_collateral)?;
                self.balances.unlock(&proposal.client, refunded)?;
                self.deals.end(deal_id, DealEndReason::Terminated, now);
                events.push(Event::DealTerminated(DealTerminated {
                    deal_id,
                    client: proposal.client,
                    provider: *provider,
                    paid,
                    slashed: proposal.provider_collateral,
                    refunded,
                }));
            }
        }
        Ok(events)
    }
}
