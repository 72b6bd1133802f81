//! Deal types of the market (spec §3.1), its events and errors, and the interface the registry
//! calls it through.

// `#[derive(Encode)]` of parity-scale-codec 3.7.5 casts the index of enum variants with fields
// to `u8` without allowing the lint that cargo-contract denies (parity-scale-codec#747).
#![allow(clippy::cast_possible_truncation)]

use crate::call::CallError;
use crate::commitment::{CidError, CommDError, Commitment};
use crate::hash::blake2_256;
use crate::sector::{RegisteredSealProof, SectorNumber};
use crate::{AccountId, Balance, BlockNumber, DealId};
use alloc::vec::Vec;
use scale::Encode;

/// A storage deal as the client signs it. The SCALE encoding of this struct, field by field in
/// this order, is the signed message (spec §3.1), with block numbers of the chain's type.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct DealProposal {
    /// CommP of the piece as a binary CIDv1 (codec 0xf101, multihash 0x1012, 39 bytes).
    pub piece_cid: Vec<u8>,
    /// Padded piece size in bytes: a power of two, at least 128.
    pub piece_size: u64,
    /// The client that pays for the storage.
    pub client: AccountId,
    /// The provider that stores the piece.
    pub provider: AccountId,
    /// Free-form label chosen by the client (at most 128 bytes).
    pub label: Vec<u8>,
    /// Block by which the deal must be active; payment starts here.
    pub start_block: BlockNumber,
    /// Block at which the deal ends.
    pub end_block: BlockNumber,
    /// Price the client pays per block of storage.
    pub storage_price_per_block: Balance,
    /// Collateral the provider locks and loses if it fails the deal.
    pub provider_collateral: Balance,
    /// `Published` when signed and published; `Active` once its sector is proven.
    pub state: DealState,
}

/// What Polkadot.js `signRaw` puts before the bytes it signs.
pub const BYTES_WRAPPER_PREFIX: &[u8] = b"<Bytes>";
/// What Polkadot.js `signRaw` puts after the bytes it signs.
pub const BYTES_WRAPPER_SUFFIX: &[u8] = b"</Bytes>";

/// `<Bytes>message</Bytes>`: the message as a Polkadot.js wallet's `signRaw` signs it.
pub fn wrap_bytes(message: &[u8]) -> Vec<u8> {
    let mut wrapped = Vec::with_capacity(
        message.len().saturating_add(BYTES_WRAPPER_PREFIX.len()).saturating_add(BYTES_WRAPPER_SUFFIX.len()),
    );
    wrapped.extend_from_slice(BYTES_WRAPPER_PREFIX);
    wrapped.extend_from_slice(message);
    wrapped.extend_from_slice(BYTES_WRAPPER_SUFFIX);
    wrapped
}

impl DealProposal {
    /// Blocks of storage paid for: `end_block − start_block` (0 if malformed).
    pub fn duration(&self) -> BlockNumber {
        self.end_block.saturating_sub(self.start_block)
    }

    /// What the client pays over the whole deal, or `None` on overflow.
    pub fn total_storage_fee(&self) -> Option<Balance> {
        self.fee_for(self.duration())
    }

    /// What `blocks` of storage cost under this deal, or `None` on overflow.
    pub fn fee_for(&self, blocks: BlockNumber) -> Option<Balance> {
        self.storage_price_per_block.checked_mul(Balance::from(blocks))
    }

    /// The bytes a client signs: the SCALE encoding of the proposal (in state `Published`).
    pub fn signing_payload(&self) -> Vec<u8> {
        self.encode()
    }

    /// The identity of a proposal for de-duplication: `blake2_256(SCALE(proposal))`.
    pub fn hash(&self) -> [u8; 32] {
        Self::hash_of_payload(&self.signing_payload())
    }

    /// [`DealProposal::hash`] of a proposal whose signing payload is already at hand.
    pub fn hash_of_payload(payload: &[u8]) -> [u8; 32] {
        blake2_256(&[payload])
    }
}

/// Where a deal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub enum DealState {
    /// Published, waiting for its sector to be proven.
    Published,
    /// Stored in a proven sector.
    Active(ActiveDealState),
}

/// The state of an active deal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct ActiveDealState {
    /// The sector that holds the deal's piece.
    pub sector_number: SectorNumber,
    /// The block the sector was proven in.
    pub sector_start_block: BlockNumber,
    /// The block up to which the deal has been paid.
    pub last_updated_block: Option<BlockNumber>,
    /// The block the deal was slashed in, if it was.
    pub slash_block: Option<BlockNumber>,
}

/// A client's signature of a proposal, shaped like Substrate's `MultiSignature` (same SCALE
/// indices): the signer is the proposal's `client`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub enum ClientSignature {
    /// Ed25519 signature; the account is the public key.
    Ed25519([u8; 64]),
    /// Sr25519 (schnorrkel, context "substrate") signature; the account is the public key.
    Sr25519([u8; 64]),
    /// Secp256k1 recoverable signature of `blake2_256(message)`; the account is the
    /// `blake2_256` of the compressed public key.
    Ecdsa([u8; 65]),
}

/// A proposal with its client's signature, as the provider publishes it.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct ClientDealProposal {
    /// The proposal, in state `Published`.
    pub proposal: DealProposal,
    /// The client's signature of the SCALE encoding of `proposal` (or of it wrapped in
    /// `<Bytes>…</Bytes>`, as Polkadot.js `signRaw` makes it).
    pub client_signature: ClientSignature,
}

/// A participant's funds in the market.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct BalanceEntry {
    /// Withdrawable funds.
    pub free: Balance,
    /// Funds backing deal fees (clients) and collateral (providers).
    pub locked: Balance,
}

/// The market's books: what it owes its participants and what it has slashed. The contract's
/// native balance is `free + locked + slashed` plus its own existential deposit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct FundsSummary {
    /// Σ free balances.
    pub free: Balance,
    /// Σ locked balances.
    pub locked: Balance,
    /// Slashed collateral: held by the contract, owed to nobody, never withdrawable.
    pub slashed: Balance,
}

/// The deals a sector is to hold, as the registry passes them at pre-commit and prove-commit.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct SectorDeal {
    /// The sector.
    pub sector_number: SectorNumber,
    /// The block the sector expires at; every deal must end by then.
    pub sector_expiry: BlockNumber,
    /// The seal proof type, which fixes the sector size.
    pub sector_type: RegisteredSealProof,
    /// The deals, in the order their pieces are laid out in the sector.
    pub deal_ids: Vec<DealId>,
}

/// A deal of a `DealsPublished` event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct PublishedDeal {
    /// The client of the deal.
    pub client: AccountId,
    /// The id the deal got.
    pub deal_id: DealId,
}

/// A payment made by `settle_deal_payments`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct SettledDeal {
    /// The deal.
    pub deal_id: DealId,
    /// Who paid.
    pub client: AccountId,
    /// Who was paid.
    pub provider: AccountId,
    /// The amount moved from the client's locked to the provider's free balance.
    pub amount: Balance,
    /// Whether the deal has ended with this payment (its collateral went back to the provider).
    pub completed: bool,
}

/// Why one deal of a `settle_deal_payments` call was not settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub enum DealSettlementError {
    /// No live deal has this id (never published, or already ended).
    DealNotFound,
    /// The deal has not started yet.
    EarlySettlement,
    /// The deal is published but not active yet.
    DealNotActive,
    /// The deal was not activated by its start block: this call slashed it (client refunded,
    /// provider collateral slashed).
    SlashedDeal,
}

/// What `settle_deal_payments` did, deal by deal.
#[derive(Debug, Clone, Default, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct SettlementReport {
    /// The deals paid, in call order.
    pub successful: Vec<SettledDeal>,
    /// The deals not paid, with the reason, in call order.
    pub unsuccessful: Vec<(DealId, DealSettlementError)>,
}

/// How a deal left the market.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub enum DealEndReason {
    /// Paid in full: the provider got its collateral back.
    Completed,
    /// Its sector was terminated early: accrued pay went to the provider, the collateral was
    /// slashed, the rest refunded to the client.
    Terminated,
    /// Not activated by its start block: the client was refunded, the collateral slashed.
    TimedOut,
}

/// The record an ended deal leaves behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct DealEnd {
    /// How it ended.
    pub reason: DealEndReason,
    /// The block it ended in.
    pub block: BlockNumber,
}

/// A deal as the `deal` view shows it.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub enum DealLookup {
    /// No deal was ever published with this id.
    Unknown,
    /// A live deal; its `state` says whether it is published or active (and in which sector).
    Live(DealProposal),
    /// The deal has ended.
    Ended(DealEnd),
}

/// One deal of a page of a provider's or client's deals.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct DealPageEntry {
    /// The deal's id.
    pub deal_id: DealId,
    /// The deal.
    pub deal: DealLookup,
}

/// A page of a provider's or client's deals, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct DealPage {
    /// How many deals the account has ever had (the end of the last page).
    pub total: u32,
    /// The deals of this page.
    pub deals: Vec<DealPageEntry>,
}

/// The market's events. ink! 5 lists every event linked into a contract in its metadata, so they
/// are compiled only where the `market-events` feature asks for them (the market, and tools that
/// decode its events).
#[cfg(feature = "market-events")]
mod events {
    use super::*;

    /// Funds were added to an account's free balance.
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct BalanceAdded {
        /// The account.
        #[ink(topic)]
        pub who: AccountId,
        /// The amount added.
        pub amount: Balance,
    }

    /// Free funds were paid out to their owner.
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct BalanceWithdrawn {
        /// The account.
        #[ink(topic)]
        pub who: AccountId,
        /// The amount paid out.
        pub amount: Balance,
    }

    /// A provider published deals (one event per call).
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct DealsPublished {
        /// The provider.
        #[ink(topic)]
        pub provider: AccountId,
        /// The deals, in call order, with their new ids.
        pub deals: Vec<PublishedDeal>,
    }

    /// A deal became active: its sector was proven.
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct DealActivated {
        /// The deal.
        #[ink(topic)]
        pub deal_id: DealId,
        /// Its client.
        #[ink(topic)]
        pub client: AccountId,
        /// Its provider.
        #[ink(topic)]
        pub provider: AccountId,
        /// The sector that holds it.
        pub sector_number: SectorNumber,
    }

    /// Deal payments were settled (one event per call).
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct DealsSettled {
        /// The deals paid.
        pub successful: Vec<SettledDeal>,
        /// The deals not paid, with the reason.
        pub unsuccessful: Vec<(DealId, DealSettlementError)>,
    }

    /// A deal was not activated by its start block: the client got its fee back and the provider's
    /// collateral was slashed.
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct DealSlashed {
        /// The deal.
        #[ink(topic)]
        pub deal_id: DealId,
        /// The collateral slashed.
        pub amount: Balance,
        /// Its client.
        #[ink(topic)]
        pub client: AccountId,
        /// Its provider.
        #[ink(topic)]
        pub provider: AccountId,
    }

    /// A deal's sector was terminated early.
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct DealTerminated {
        /// The deal.
        #[ink(topic)]
        pub deal_id: DealId,
        /// Its client.
        #[ink(topic)]
        pub client: AccountId,
        /// Its provider.
        #[ink(topic)]
        pub provider: AccountId,
        /// Accrued pay moved to the provider.
        pub paid: Balance,
        /// The provider collateral slashed.
        pub slashed: Balance,
        /// The fee not yet earned, returned to the client's free balance.
        pub refunded: Balance,
    }
}
#[cfg(feature = "market-events")]
pub use events::*;

/// Errors of the market contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub enum MarketError {
    /// Only the owner may do this.
    NotOwner,
    /// Only the provider registry may call this.
    InvalidCaller,
    /// The provider registry is not wired yet.
    RegistryNotSet,
    /// The provider registry is already set; it is set only once.
    AlreadyWired,
    /// The policy is unusable: the shortest deal must be at least a block and not longer than
    /// the longest.
    InvalidPolicy,
    /// The amount must be greater than zero.
    ZeroAmount,
    /// Not enough free balance.
    InsufficientFreeFunds,
    /// The transfer out of the contract failed.
    TransferFailed,
    /// An amount overflowed (or the books would go negative, which the rules never allow).
    ArithmeticOverflow,
    /// No deals were given.
    NoProposalsToBePublished,
    /// More deals than one call may publish.
    TooManyProposals,
    /// The caller is not the provider of every deal.
    ProposalsPublishedByIncorrectStorageProvider,
    /// The caller is not a registered storage provider.
    StorageProviderNotRegistered,
    /// The client's signature does not verify for this proposal.
    WrongClientSignatureOnProposal,
    /// The piece CID is not a CommP CID.
    InvalidPieceCid(CidError),
    /// The piece size is not a padded piece size.
    InvalidPieceSize,
    /// The label is longer than 128 bytes.
    LabelTooLong,
    /// `end_block` is not after `start_block`.
    DealEndBeforeStart,
    /// `start_block` has already passed.
    DealStartExpired,
    /// A proposal must be submitted in state `Published`.
    DealNotPublished,
    /// The deal is shorter or longer than the policy allows.
    DealDurationOutOfBounds,
    /// The same proposal is already pending, or twice in the batch.
    DuplicateDeal,
    /// The provider has too many deals waiting for activation.
    TooManyPendingDeals,
    /// No deal with this id.
    DealNotFound,
    /// The deal belongs to another provider.
    InvalidProvider,
    /// The deal is not in the state this needs.
    InvalidDealState,
    /// The deal's start block has passed: it can no longer be activated.
    StartBlockElapsed,
    /// The sector expires before the deal ends.
    SectorExpiresBeforeDeal,
    /// The deal is not pending activation.
    DealNotPending,
    /// A sector lists more deals than it may hold.
    TooManyDealsInSector,
    /// The pieces of the sector's deals do not fit in it.
    DealsTooLargeToFitIntoSector,
    /// The pieces do not make a CommD.
    CommD(CommDError),
    /// Too many sectors in one call.
    TooManySectors,
    /// The sector is listed twice, or already holds active deals.
    SectorAlreadyActivated,
    /// No deal ids were given.
    NoDealIds,
    /// More deal ids than one call may handle.
    TooManyDealIds,
    /// The sector's CommD CID is not an unsealed-commitment CID.
    InvalidSectorCid(CidError),
    /// The call to the provider registry failed.
    Call(CallError),
}

impl From<crate::ownership::NotOwner> for MarketError {
    fn from(_: crate::ownership::NotOwner) -> Self {
        MarketError::NotOwner
    }
}

impl From<crate::ownership::PeerError> for MarketError {
    fn from(error: crate::ownership::PeerError) -> Self {
        match error {
            crate::ownership::PeerError::NotOwner => MarketError::NotOwner,
            crate::ownership::PeerError::AlreadyWired => MarketError::AlreadyWired,
        }
    }
}

impl From<CallError> for MarketError {
    fn from(error: CallError) -> Self {
        MarketError::Call(error)
    }
}

/// What the registry asks of the market. The market accepts these calls from its registry only.
#[ink::trait_definition]
pub trait Market {
    /// Checks the deals of each sector for activation and returns each sector's CommD computed
    /// from its deals' pieces (`None` for a sector without deals). Changes nothing.
    #[ink(message)]
    fn verify_deals_for_activation(
        &self,
        provider: AccountId,
        sector_deals: Vec<SectorDeal>,
    ) -> Result<Vec<Option<Commitment>>, MarketError>;

    /// Activates the deals of proven sectors; fails (changing nothing) if any sector's deals
    /// cannot be activated.
    #[ink(message)]
    fn activate_deals(&mut self, provider: AccountId, sector_deals: Vec<SectorDeal>) -> Result<(), MarketError>;

    /// Settles the deals of terminated sectors: pays what has accrued, slashes the provider's
    /// collateral and refunds the rest to the client. Deals that already ended are skipped.
    #[ink(message)]
    fn on_sectors_terminate(&mut self, provider: AccountId, sectors: Vec<SectorNumber>) -> Result<(), MarketError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proposal() -> DealProposal {
        DealProposal {
            piece_cid: alloc::vec![1, 2],
            piece_size: 128,
            client: AccountId::from([1; 32]),
            provider: AccountId::from([2; 32]),
            label: alloc::vec![7],
            start_block: 0x0a0b0c0d,
            end_block: 0x01020304,
            storage_price_per_block: 5,
            provider_collateral: 6,
            state: DealState::Published,
        }
    }

    #[test]
    fn proposal_encodes_in_the_spec_field_order() {
        let bytes = proposal().signing_payload();
        let mut expected = alloc::vec![8, 1, 2];
        expected.extend_from_slice(&128u64.to_le_bytes());
        expected.extend_from_slice(&[1; 32]);
        expected.extend_from_slice(&[2; 32]);
        expected.extend_from_slice(&[4, 7]);
        expected.extend_from_slice(&0x0a0b0c0du32.to_le_bytes());
        expected.extend_from_slice(&0x01020304u32.to_le_bytes());
        expected.extend_from_slice(&5u128.to_le_bytes());
        expected.extend_from_slice(&6u128.to_le_bytes());
        expected.push(0);
        assert_eq!(bytes, expected);
        assert_eq!(proposal().hash(), blake2_256(&[&expected]));
    }

    #[test]
    fn wrapping_is_the_polkadot_js_one() {
        assert_eq!(wrap_bytes(b"abc"), b"<Bytes>abc</Bytes>".to_vec());
    }

    #[test]
    fn active_state_encodes_after_the_published_tag() {
        let state = DealState::Active(ActiveDealState {
            sector_number: 3,
            sector_start_block: 4,
            last_updated_block: Some(5),
            slash_block: None,
        });
        assert_eq!(
            state.encode(),
            [&[1u8][..], &3u32.to_le_bytes(), &4u32.to_le_bytes(), &[1], &5u32.to_le_bytes(), &[0]].concat()
        );
    }
}
