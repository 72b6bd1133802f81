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
/// this order (spec §3.1, block numbers of the chain's type), is what the signed message ends
/// with: see [`DealProposal::signing_payload`].
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

/// What every signed deal message starts with: it keeps a wallet's signature of a deal from
/// being any other message, and the bytes of any other message from being taken for a deal.
pub const DEAL_SIGNING_TAG: &[u8] = b"polka-storage/market/deal-proposal/v1";

/// A market's 32-byte signing domain, fixed at instantiation and drawn at random by the
/// deployment: a signature made for one market does not verify on any other, on any chain.
pub type MarketDomain = [u8; 32];

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

    /// The bytes a client signs for the market of `domain`:
    /// [`DEAL_SIGNING_TAG`] ‖ `domain` ‖ SCALE(proposal, in state `Published`). The market also
    /// accepts a signature of these bytes wrapped by [`wrap_bytes`]. The one definition of the
    /// message: the contract, storage-cli and the tests all call this.
    pub fn signing_payload(&self, domain: &MarketDomain) -> Vec<u8> {
        let length = DEAL_SIGNING_TAG.len().saturating_add(domain.len()).saturating_add(self.size_hint());
        let mut payload = Vec::with_capacity(length);
        payload.extend_from_slice(DEAL_SIGNING_TAG);
        payload.extend_from_slice(domain);
        self.encode_to(&mut payload);
        payload
    }

    /// The identity of a proposal for de-duplication within a market: `blake2_256(SCALE(proposal))`
    /// (the domain is the same for every deal of a market).
    pub fn hash(&self) -> [u8; 32] {
        blake2_256(&[&self.encode()])
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
    /// The client's signature of [`DealProposal::signing_payload`] for the market's domain (or
    /// of it wrapped in `<Bytes>…</Bytes>`, as Polkadot.js `signRaw` makes it).
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
    use crate::ownership::{OwnershipTransferred, PeerSet};

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

    /// Everything the market emits: logic methods return these and the contract emits them.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Event {
        /// See [`BalanceAdded`].
        BalanceAdded(BalanceAdded),
        /// See [`BalanceWithdrawn`].
        BalanceWithdrawn(BalanceWithdrawn),
        /// See [`DealsPublished`].
        DealsPublished(DealsPublished),
        /// See [`DealActivated`].
        DealActivated(DealActivated),
        /// See [`DealsSettled`].
        DealsSettled(DealsSettled),
        /// See [`DealSlashed`].
        DealSlashed(DealSlashed),
        /// See [`DealTerminated`].
        DealTerminated(DealTerminated),
        /// See [`OwnershipTransferred`].
        OwnershipTransferred(OwnershipTransferred),
        /// See [`PeerSet`].
        PeerSet(PeerSet),
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
    /// The same signed proposal was already published here and its start block has not passed
    /// (pending or activated), or it is twice in the batch.
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
    /// The signing domain is all zeros: the deployment must draw it at random.
    InvalidDomain,
    /// A governance action was refused: hand-over, timelocked change or upgrade.
    Governance(crate::ownership::GovernanceError),
}

impl From<crate::ownership::GovernanceError> for MarketError {
    fn from(error: crate::ownership::GovernanceError) -> Self {
        match error {
            crate::ownership::GovernanceError::NotOwner => MarketError::NotOwner,
            other => MarketError::Governance(other),
        }
    }
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
        let bytes = proposal().encode();
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
        let domain = [9; 32];
        assert_eq!(proposal().signing_payload(&domain), [DEAL_SIGNING_TAG, &domain, &expected].concat());
    }

    fn hex(bytes: &[u8]) -> alloc::string::String {
        bytes.iter().map(|byte| alloc::format!("{byte:02x}")).collect()
    }

    fn unhex(text: &str) -> Vec<u8> {
        (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
    }

    /// The test vector of cli/README.md for wallet integrators: the proposal of its example
    /// (client //Alice, provider //Bob, sr25519) for the market of domain 0x00 01 … 1f.
    #[test]
    fn signing_payload_test_vector() {
        let vector = DealProposal {
            piece_cid: unhex("0181e2039220206a47b11ddbf2a369882def2c771ed499420ac8489a9e8845f704c053efdf2a20"),
            piece_size: 1024,
            client: AccountId::from(<[u8; 32]>::try_from(unhex(ALICE)).unwrap()),
            provider: AccountId::from(<[u8; 32]>::try_from(unhex(BOB)).unwrap()),
            label: b"photo.txt".to_vec(),
            start_block: 200,
            end_block: 1200,
            storage_price_per_block: 1_000_000,
            provider_collateral: 500_000_000,
            state: DealState::Published,
        };
        let domain: MarketDomain = core::array::from_fn(|i| i as u8);
        let payload = vector.signing_payload(&domain);
        assert_eq!(payload.len(), 232);
        assert_eq!(hex(&payload), VECTOR_PAYLOAD);
        assert_eq!(hex(&wrap_bytes(&payload)), ["3c42797465733e", VECTOR_PAYLOAD, "3c2f42797465733e"].concat());
        // What an ecdsa key signs.
        assert_eq!(hex(&blake2_256(&[&payload])), "d8aea82f8052819f448c8c01f8ec90294f60950dd07b392d5c1dfe2cb29bc976");
        // Another market's domain gives other bytes.
        assert_ne!(vector.signing_payload(&[0; 32]), payload);
    }

    const ALICE: &str = "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";
    const BOB: &str = "8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48";
    /// Tag (37 bytes) ‖ domain (32) ‖ SCALE(proposal) (163).
    const VECTOR_PAYLOAD: &str = concat!(
        "706f6c6b612d73746f726167652f6d61726b65742f6465616c2d70726f706f73616c2f7631",
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
        "9c0181e2039220206a47b11ddbf2a369882def2c771ed499420ac8489a9e8845f704c053efdf2a20",
        "0004000000000000",
        "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d",
        "8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48",
        "2470686f746f2e747874",
        "c8000000",
        "b0040000",
        "40420f00000000000000000000000000",
        "0065cd1d000000000000000000000000",
        "00",
    );

    /// The largest deal a view can show: active with every optional block set, the longest
    /// label, and a CommP CID (39 bytes, the only length `publish_storage_deals` accepts).
    fn largest_deal() -> DealProposal {
        DealProposal {
            piece_cid: crate::commitment::commitment_to_cid(&[0x3f; 32], crate::commitment::CommitmentKind::Unsealed),
            label: alloc::vec![0xff; crate::policy::MAX_LABEL_LEN],
            state: DealState::Active(ActiveDealState {
                sector_number: SectorNumber::MAX,
                sector_start_block: BlockNumber::MAX,
                last_updated_block: Some(BlockNumber::MAX),
                slash_block: Some(BlockNumber::MAX),
            }),
            ..proposal()
        }
    }

    /// ink! 5 answers `Result<T, LangError>`: one byte more than `T`.
    fn answer_len<T: Encode>(answer: &T) -> usize {
        Ok::<&T, ink::LangError>(answer).encode().len()
    }

    #[test]
    fn every_market_answer_fits_the_ink_buffer_at_its_largest() {
        use crate::policy::{
            MAX_DEALS_PER_PAGE, MAX_DEALS_PER_SECTOR, MAX_DEALS_PER_SETTLEMENT, MAX_SECTORS_PER_CALL,
            MAX_VIEW_ANSWER_BYTES,
        };
        let deal = largest_deal();
        assert_eq!(deal.piece_cid.len(), 39);
        let page = DealPage {
            total: u32::MAX,
            deals: (0..MAX_DEALS_PER_PAGE)
                .map(|_| DealPageEntry { deal_id: DealId::MAX, deal: DealLookup::Live(deal.clone()) })
                .collect(),
        };
        // `provider_deals` / `client_deals`: the figure of policy.rs.
        assert_eq!(answer_len(&page), 9_926);
        assert!(answer_len(&page) <= MAX_VIEW_ANSWER_BYTES);
        // The old page of 64 did not fit.
        let mut double = page.clone();
        double.deals.extend(page.deals.iter().cloned());
        assert!(answer_len(&double) > MAX_VIEW_ANSWER_BYTES);
        // `deal`, `sector_deals`, and the answers of the other messages.
        assert!(answer_len(&DealLookup::Live(deal)) <= MAX_VIEW_ANSWER_BYTES);
        let sector: Vec<DealId> = alloc::vec![DealId::MAX; MAX_DEALS_PER_SECTOR];
        assert!(answer_len(&sector) <= MAX_VIEW_ANSWER_BYTES);
        let settled = SettledDeal {
            deal_id: DealId::MAX,
            client: AccountId::from([0xff; 32]),
            provider: AccountId::from([0xff; 32]),
            amount: Balance::MAX,
            completed: true,
        };
        let report: Result<SettlementReport, MarketError> = Ok(SettlementReport {
            successful: alloc::vec![settled; MAX_DEALS_PER_SETTLEMENT],
            unsuccessful: Vec::new(),
        });
        assert!(answer_len(&report) <= MAX_VIEW_ANSWER_BYTES);
        let comm_ds: Result<Vec<Option<Commitment>>, MarketError> =
            Ok(alloc::vec![Some([0xff; 32]); MAX_SECTORS_PER_CALL]);
        assert!(answer_len(&comm_ds) <= MAX_VIEW_ANSWER_BYTES);
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
