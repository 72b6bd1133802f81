//! The market's state and its plain-Rust rules: every message of the contract is a method here
//! that takes the caller and the block explicitly and returns its result and its events. The
//! rules live in `publish`, `activation` and `settlement`; this module holds the state, the
//! balance messages and the views.

use crate::balances::Balances;
use crate::deals::{DealBook, Party};
use ink::prelude::vec::Vec;
use polka_storage_primitives::commitment::{
    cid_to_commitment, verify_piece_inclusion, CommitmentKind, PaddedPieceSize,
};
use polka_storage_primitives::market::{
    BalanceAdded, BalanceEntry, BalanceWithdrawn, DealLookup, DealPage, Event, FundsSummary, MarketDomain, MarketError,
};
use polka_storage_primitives::policy::MarketPolicy;
use polka_storage_primitives::sector::{RegisteredSealProof, SectorNumber};
use polka_storage_primitives::{AccountId, Balance, DealId};

/// The market: funds, deals, parameters and the domain its deals are signed for.
#[ink::storage_item]
#[derive(Debug)]
pub struct MarketState {
    pub(crate) balances: Balances,
    pub(crate) deals: DealBook,
    pub(crate) policy: MarketPolicy,
    pub(crate) domain: MarketDomain,
}

impl MarketState {
    /// An empty market with `policy` whose deals are signed for `domain`, if the policy is
    /// usable and the domain is not all zeros (a default left in place, not a random draw).
    pub fn new(policy: MarketPolicy, domain: MarketDomain) -> Result<Self, MarketError> {
        if !policy.is_valid() {
            return Err(MarketError::InvalidPolicy);
        }
        if domain == [0; 32] {
            return Err(MarketError::InvalidDomain);
        }
        Ok(Self { balances: Balances::default(), deals: DealBook::default(), policy, domain })
    }

    /// The market's parameters.
    pub fn policy(&self) -> MarketPolicy {
        self.policy
    }

    /// The domain clients sign this market's deals for (see `DealProposal::signing_payload`).
    pub fn domain(&self) -> MarketDomain {
        self.domain
    }

    /// Credits `amount`, which `caller` sent with the call, to its free balance.
    pub fn add_balance(&mut self, caller: AccountId, amount: Balance) -> Result<Vec<Event>, MarketError> {
        if amount == 0 {
            return Err(MarketError::ZeroAmount);
        }
        self.balances.deposit(&caller, amount)?;
        Ok(ink::prelude::vec![Event::BalanceAdded(BalanceAdded { who: caller, amount })])
    }

    /// Debits `amount` of `caller`'s free balance; the contract then pays it out.
    pub fn withdraw_balance(&mut self, caller: AccountId, amount: Balance) -> Result<Vec<Event>, MarketError> {
        if amount == 0 {
            return Err(MarketError::ZeroAmount);
        }
        self.balances.withdraw(&caller, amount)?;
        Ok(ink::prelude::vec![Event::BalanceWithdrawn(BalanceWithdrawn { who: caller, amount })])
    }

    /// An account's free and locked funds.
    pub fn balance(&self, who: &AccountId) -> BalanceEntry {
        self.balances.get(who)
    }

    /// The market's books.
    pub fn funds(&self) -> FundsSummary {
        self.balances.totals()
    }

    /// A deal by id.
    pub fn deal(&self, deal_id: DealId) -> DealLookup {
        self.deals.lookup(deal_id)
    }

    /// The id the next published deal gets (ids before it have been used).
    pub fn next_deal_id(&self) -> DealId {
        self.deals.next_deal_id()
    }

    /// A page of a provider's or client's deals.
    pub fn deals_of(&self, party: Party, account: &AccountId, from: u32, limit: u32) -> DealPage {
        self.deals.page(party, account, from, limit)
    }

    /// How many of `provider`'s deals wait for activation.
    pub fn pending_deals(&self, provider: &AccountId) -> u32 {
        self.deals.pending_count(provider)
    }

    /// The live deals of an active sector.
    pub fn sector_deals(&self, provider: &AccountId, sector: SectorNumber) -> Vec<DealId> {
        self.deals.sector_deals(provider, sector).unwrap_or_default()
    }
}

/// Whether the piece with CID `piece_cid` and padded size `piece_size` sits at byte `offset` of a
/// sector of type `sector_type` whose CommD CID is `comm_d`, given the Merkle `path` of sibling
/// nodes from the piece's subtree root up to the sector root.
pub fn piece_is_included(
    comm_d: &[u8],
    sector_type: RegisteredSealProof,
    piece_cid: &[u8],
    piece_size: u64,
    offset: u64,
    path: &[[u8; 32]],
) -> Result<bool, MarketError> {
    let comm_d = cid_to_commitment(comm_d, CommitmentKind::Unsealed).map_err(MarketError::InvalidSectorCid)?;
    let piece = cid_to_commitment(piece_cid, CommitmentKind::Unsealed).map_err(MarketError::InvalidPieceCid)?;
    let piece_size = PaddedPieceSize::new(piece_size).map_err(|_| MarketError::InvalidPieceSize)?;
    Ok(verify_piece_inclusion(&comm_d, sector_type.padded_sector_size(), &piece, piece_size, offset, path))
}
