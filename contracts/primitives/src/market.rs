//! Deal types of the market (spec §3.1) and the interface the registry calls it through.

use crate::call::CallError;
use crate::commitment::{CidError, CommDError, Commitment};
use crate::sector::{RegisteredSealProof, SectorNumber};
use crate::{AccountId, Balance, BlockNumber, DealId};
use alloc::vec::Vec;

/// A storage deal as the client signs it. The SCALE encoding of this struct, field by field in
/// this order, is the signed message (spec §3.1), with block numbers of the chain's type.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
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

impl DealProposal {
    /// Blocks of storage paid for: `end_block − start_block` (0 if malformed).
    pub fn duration(&self) -> BlockNumber {
        self.end_block.saturating_sub(self.start_block)
    }

    /// What the client pays over the whole deal, or `None` on overflow.
    pub fn total_storage_fee(&self) -> Option<Balance> {
        self.storage_price_per_block.checked_mul(Balance::from(self.duration()))
    }
}

/// Where a deal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub enum DealState {
    /// Published, waiting for its sector to be proven.
    Published,
    /// Stored in a proven sector.
    Active(ActiveDealState),
}

/// The state of an active deal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
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
    /// The amount must be greater than zero.
    ZeroAmount,
    /// Not enough free balance.
    InsufficientFreeFunds,
    /// The transfer out of the contract failed.
    TransferFailed,
    /// An amount overflowed.
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
    /// The call to the provider registry failed.
    Call(CallError),
}

impl From<crate::ownership::NotOwner> for MarketError {
    fn from(_: crate::ownership::NotOwner) -> Self {
        MarketError::NotOwner
    }
}

impl From<CallError> for MarketError {
    fn from(error: CallError) -> Self {
        MarketError::Call(error)
    }
}

/// What the registry asks of the market.
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
    fn activate_deals(
        &mut self,
        provider: AccountId,
        sector_deals: Vec<SectorDeal>,
    ) -> Result<(), MarketError>;

    /// Settles the deals of terminated sectors: pays what has accrued, slashes the provider's
    /// collateral and refunds the rest to the client.
    #[ink(message)]
    fn on_sectors_terminate(
        &mut self,
        provider: AccountId,
        sectors: Vec<SectorNumber>,
    ) -> Result<(), MarketError>;
}
