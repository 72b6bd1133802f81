//! The deal book: live deals by id, the record each ended deal leaves, the hashes of deals
//! pending activation, the consumed markers of activated deals, each provider's pending count,
//! the deals of each active sector, and each provider's and client's deals in publication order
//! (for paged views).

use ink::prelude::vec::Vec;
use ink::storage::{traits::ManualKey, Mapping};
use polka_storage_primitives::market::{
    DealEnd, DealEndReason, DealLookup, DealPage, DealPageEntry, DealProposal, MarketError,
};
use polka_storage_primitives::policy::MAX_DEALS_PER_PAGE;
use polka_storage_primitives::sector::SectorNumber;
use polka_storage_primitives::{AccountId, BlockNumber, DealId};

const PROPOSALS_KEY: u32 = 0x6d6b_0201;
const ENDED_KEY: u32 = 0x6d6b_0202;
const PENDING_KEY: u32 = 0x6d6b_0203;
const PENDING_COUNT_KEY: u32 = 0x6d6b_0204;
const SECTOR_DEALS_KEY: u32 = 0x6d6b_0205;
const PARTY_DEALS_KEY: u32 = 0x6d6b_0206;
const PARTY_DEAL_COUNT_KEY: u32 = 0x6d6b_0207;
const CONSUMED_KEY: u32 = 0x6d6b_0208;
const CONSUMED_QUEUE_KEY: u32 = 0x6d6b_0209;

/// Whose list of deals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// The deals an account published as provider.
    Provider = 0,
    /// The deals an account is the client of.
    Client = 1,
}

/// (provider, sector) → the sector's deals.
type SectorDeals = Mapping<(AccountId, SectorNumber), Vec<DealId>, ManualKey<SECTOR_DEALS_KEY>>;
/// (party, account, position) → deal: each account's deals as provider and as client.
type PartyDeals = Mapping<(u8, AccountId, u32), DealId, ManualKey<PARTY_DEALS_KEY>>;
/// Position → (proposal hash, start block): the consumed markers in the order they were made.
type ConsumedQueue = Mapping<u64, ([u8; 32], BlockNumber), ManualKey<CONSUMED_QUEUE_KEY>>;

/// Every deal of the market.
#[ink::storage_item]
#[derive(Debug, Default)]
pub struct DealBook {
    next_deal_id: DealId,
    proposals: Mapping<DealId, DealProposal, ManualKey<PROPOSALS_KEY>>,
    ended: Mapping<DealId, DealEnd, ManualKey<ENDED_KEY>>,
    /// `blake2_256(SCALE(proposal))` of each published, not yet activated deal → its id.
    pending: Mapping<[u8; 32], DealId, ManualKey<PENDING_KEY>>,
    pending_count: Mapping<AccountId, u32, ManualKey<PENDING_COUNT_KEY>>,
    sector_deals: SectorDeals,
    party_deals: PartyDeals,
    party_deal_count: Mapping<(u8, AccountId), u32, ManualKey<PARTY_DEAL_COUNT_KEY>>,
    /// The hash of each activated deal → its start block: until that block has passed, the same
    /// signed proposal must not be published again. Kept until pruned.
    consumed: Mapping<[u8; 32], BlockNumber, ManualKey<CONSUMED_KEY>>,
    consumed_queue: ConsumedQueue,
    /// Position of the oldest marker not yet pruned.
    consumed_first: u64,
    /// Position the next marker gets.
    consumed_next: u64,
}

impl DealBook {
    /// The id the next published deal gets.
    pub fn next_deal_id(&self) -> DealId {
        self.next_deal_id
    }

    /// A live (published or active) deal.
    pub fn get(&self, deal_id: DealId) -> Option<DealProposal> {
        self.proposals.get(deal_id)
    }

    /// A deal as users see it: live, ended (and how), or unknown.
    pub fn lookup(&self, deal_id: DealId) -> DealLookup {
        if let Some(proposal) = self.proposals.get(deal_id) {
            DealLookup::Live(proposal)
        } else if let Some(end) = self.ended.get(deal_id) {
            DealLookup::Ended(end)
        } else {
            DealLookup::Unknown
        }
    }

    /// The pending deal with this proposal hash, if any.
    pub fn pending_deal(&self, hash: &[u8; 32]) -> Option<DealId> {
        self.pending.get(hash)
    }

    /// How many of `provider`'s deals wait for activation.
    pub fn pending_count(&self, provider: &AccountId) -> u32 {
        self.pending_count.get(provider).unwrap_or(0)
    }

    fn set_pending_count(&mut self, provider: &AccountId, count: u32) {
        if count == 0 {
            self.pending_count.remove(provider);
        } else {
            self.pending_count.insert(provider, &count);
        }
    }

    /// Stores a newly published deal under a fresh id and marks it pending. The caller adds the
    /// deal to the party lists with [`DealBook::append`] and counts it with
    /// [`DealBook::add_pending`].
    pub fn insert_published(&mut self, proposal: &DealProposal, hash: &[u8; 32]) -> Result<DealId, MarketError> {
        let deal_id = self.next_deal_id;
        self.next_deal_id = deal_id.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?;
        self.proposals.insert(deal_id, proposal);
        self.pending.insert(hash, &deal_id);
        Ok(deal_id)
    }

    /// Counts `count` more pending deals of `provider`.
    pub fn add_pending(&mut self, provider: &AccountId, count: u32) -> Result<(), MarketError> {
        let total = self.pending_count(provider).checked_add(count).ok_or(MarketError::ArithmeticOverflow)?;
        self.set_pending_count(provider, total);
        Ok(())
    }

    /// The deal with this hash is no longer pending (activated or timed out).
    pub fn unmark_pending(&mut self, hash: &[u8; 32]) {
        self.pending.remove(hash);
    }

    /// Marks the proposal with this hash, just activated, as consumed until `start_block` has
    /// passed.
    pub fn consume(&mut self, hash: &[u8; 32], start_block: BlockNumber) -> Result<(), MarketError> {
        let position = self.consumed_next;
        self.consumed_next = position.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?;
        self.consumed.insert(hash, &start_block);
        self.consumed_queue.insert(position, &(*hash, start_block));
        Ok(())
    }

    /// Whether the proposal with this hash was activated and its start block has not passed
    /// by `now`.
    pub fn is_consumed(&self, hash: &[u8; 32], now: BlockNumber) -> bool {
        self.consumed.get(hash).is_some_and(|start_block| start_block >= now)
    }

    /// The start block of a consumed marker, if it is still stored.
    pub fn consumed_marker(&self, hash: &[u8; 32]) -> Option<BlockNumber> {
        self.consumed.get(hash)
    }

    /// Drops up to `most` of the oldest markers whose start block has passed by `now` (a
    /// proposal that starts before `now` cannot be published anyway), stopping at the first one
    /// still needed. Returns how many were dropped.
    pub fn prune_consumed(&mut self, now: BlockNumber, most: usize) -> usize {
        let mut pruned: usize = 0;
        while pruned < most && self.consumed_first < self.consumed_next {
            let position = self.consumed_first;
            if let Some((hash, start_block)) = self.consumed_queue.get(position) {
                if start_block >= now {
                    break;
                }
                self.consumed.remove(hash);
                self.consumed_queue.remove(position);
            }
            // Below `consumed_next`, so it cannot overflow.
            self.consumed_first = position.saturating_add(1);
            pruned = pruned.saturating_add(1);
        }
        pruned
    }

    /// How many consumed markers are stored.
    pub fn consumed_count(&self) -> u64 {
        self.consumed_next.saturating_sub(self.consumed_first)
    }

    /// Counts `count` fewer pending deals of `provider`.
    pub fn sub_pending(&mut self, provider: &AccountId, count: u32) -> Result<(), MarketError> {
        let total = self.pending_count(provider).checked_sub(count).ok_or(MarketError::ArithmeticOverflow)?;
        self.set_pending_count(provider, total);
        Ok(())
    }

    /// Stores a changed live deal.
    pub fn update(&mut self, deal_id: DealId, proposal: &DealProposal) {
        self.proposals.insert(deal_id, proposal);
    }

    /// Removes a deal that ended and keeps how it ended.
    pub fn end(&mut self, deal_id: DealId, reason: DealEndReason, block: BlockNumber) {
        self.proposals.remove(deal_id);
        self.ended.insert(deal_id, &DealEnd { reason, block });
    }

    /// Appends deals to an account's list.
    pub fn append(&mut self, party: Party, account: &AccountId, deal_ids: &[DealId]) -> Result<(), MarketError> {
        let party = party as u8;
        let mut next = self.party_deal_count.get((party, *account)).unwrap_or(0);
        for deal_id in deal_ids {
            self.party_deals.insert((party, *account, next), deal_id);
            next = next.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?;
        }
        self.party_deal_count.insert((party, *account), &next);
        Ok(())
    }

    /// Up to `limit` (at most [`MAX_DEALS_PER_PAGE`]) of an account's deals from position `from`.
    pub fn page(&self, party: Party, account: &AccountId, from: u32, limit: u32) -> DealPage {
        let party = party as u8;
        let total = self.party_deal_count.get((party, *account)).unwrap_or(0);
        let end = from.saturating_add(limit.min(MAX_DEALS_PER_PAGE)).min(total);
        let deals = (from..end)
            .filter_map(|position| self.party_deals.get((party, *account, position)))
            .map(|deal_id| DealPageEntry { deal_id, deal: self.lookup(deal_id) })
            .collect();
        DealPage { total, deals }
    }

    /// The deals of an active sector, in piece order.
    pub fn sector_deals(&self, provider: &AccountId, sector: SectorNumber) -> Option<Vec<DealId>> {
        self.sector_deals.get((*provider, sector))
    }

    /// Whether a sector of `provider` already holds active deals.
    pub fn has_sector_deals(&self, provider: &AccountId, sector: SectorNumber) -> bool {
        self.sector_deals.contains((*provider, sector))
    }

    /// Records the deals of a newly active sector.
    pub fn set_sector_deals(&mut self, provider: &AccountId, sector: SectorNumber, deal_ids: &Vec<DealId>) {
        self.sector_deals.insert((*provider, sector), deal_ids);
    }

    /// Removes and returns the deals of a sector.
    pub fn take_sector_deals(&mut self, provider: &AccountId, sector: SectorNumber) -> Option<Vec<DealId>> {
        self.sector_deals.take((*provider, sector))
    }

    /// Drops one ended deal from its sector's list (and the list once it is empty).
    pub fn remove_from_sector(&mut self, provider: &AccountId, sector: SectorNumber, deal_id: DealId) {
        if let Some(mut deal_ids) = self.sector_deals.get((*provider, sector)) {
            deal_ids.retain(|id| *id != deal_id);
            if deal_ids.is_empty() {
                self.sector_deals.remove((*provider, sector));
            } else {
                self.sector_deals.insert((*provider, sector), &deal_ids);
            }
        }
    }
}
