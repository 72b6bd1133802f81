//! Provider registry types (spec §3.3), its errors and events, and the check the market calls
//! it for.

use crate::ownership::{NotOwner, PeerError};
use crate::sector::{RegisteredPoStProof, RegisteredSealProof, SectorNumber};
use crate::{AccountId, BlockNumber, DealId};
use alloc::vec::Vec;

/// A sector the provider has sealed and commits to prove.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct SectorPreCommitInfo {
    /// The seal proof type the sector was sealed with.
    pub seal_proof: RegisteredSealProof,
    /// The sector number (unique per provider).
    pub sector_number: SectorNumber,
    /// CommR as a binary CID (codec 0xf102, multihash 0xb401, 40 bytes).
    pub sealed_cid: Vec<u8>,
    /// The block whose beacon randomness made the seal ticket.
    pub seal_randomness_height: BlockNumber,
    /// The deals stored in the sector, in piece order.
    pub deal_ids: Vec<DealId>,
    /// The block the sector expires at.
    pub expiration: BlockNumber,
    /// CommD as a binary CID (codec 0xf101, multihash 0x1012, 39 bytes).
    pub unsealed_cid: Vec<u8>,
}

/// A proven sector.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct SectorOnChainInfo {
    /// The sector number.
    pub sector_number: SectorNumber,
    /// The seal proof type.
    pub seal_proof: RegisteredSealProof,
    /// CommR as a binary CID.
    pub sealed_cid: Vec<u8>,
    /// The block the sector was proven in.
    pub activation: BlockNumber,
    /// The block the sector expires at.
    pub expiration: BlockNumber,
    /// CommD as a binary CID.
    pub unsealed_cid: Vec<u8>,
}

/// A PoRep proof for a pre-committed sector.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct ProveCommitSector {
    /// The pre-committed sector.
    pub sector_number: SectorNumber,
    /// The 192-byte Groth16 proof.
    pub proof: Vec<u8>,
}

/// A Window PoSt proof.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct PoStProof {
    /// The PoSt proof type (the provider's).
    pub post_proof: RegisteredPoStProof,
    /// The 192-byte Groth16 proof.
    pub proof_bytes: Vec<u8>,
}

/// A Window PoSt for some partitions of the open deadline.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct SubmitWindowedPoStParams {
    /// Index of the open deadline.
    pub deadline: u32,
    /// The partitions this proof covers.
    pub partitions: Vec<u32>,
    /// The proof.
    pub proof: PoStProof,
}

/// Sectors of one partition of one deadline: what a fault, recovery or termination declares.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct SectorDeclaration {
    /// Deadline index.
    pub deadline: u32,
    /// Partition number within the deadline.
    pub partition: u32,
    /// The sectors, each in that partition.
    pub sectors: Vec<SectorNumber>,
}

/// Sectors declared faulty.
pub type FaultDeclaration = SectorDeclaration;
/// Faulty sectors declared recovered.
pub type RecoveryDeclaration = SectorDeclaration;
/// Sectors to terminate.
pub type TerminationDeclaration = SectorDeclaration;

/// What the market asks of the provider registry.
#[ink::trait_definition]
pub trait StorageProviderValidation {
    /// Whether `provider` is a registered storage provider.
    #[ink(message)]
    fn is_registered_storage_provider(&self, provider: AccountId) -> bool;
}

/// Longest peer id in bytes. The original allowed 32, but a libp2p peer id in binary form is a
/// multihash: 38 bytes for an Ed25519 key, 34 for a SHA-256 of a larger key.
pub const MAX_PEER_ID_LEN: usize = 64;

/// What a provider registered with (spec §3.3 `StorageProviderInfo`).
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct StorageProviderInfo {
    /// The provider's libp2p peer id (binary multihash), where clients reach it.
    pub peer_id: Vec<u8>,
    /// The Window PoSt proof type its sectors are proven with.
    pub window_post_proof_type: RegisteredPoStProof,
    /// Bytes per sector.
    pub sector_size: u64,
    /// Sectors per partition of a deadline.
    pub window_post_partition_sectors: u64,
}

/// A registered provider.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct StorageProviderRecord {
    /// What it registered with.
    pub info: StorageProviderInfo,
    /// The first block of its first proving period.
    pub proving_period_start: BlockNumber,
}

/// Errors of the provider registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub enum RegistryError {
    /// Only the owner may do this.
    NotOwner,
    /// The market is already set; it is set only once.
    AlreadyWired,
    /// The caller is already a registered storage provider.
    StorageProviderExists,
    /// The peer id is empty or longer than 64 bytes.
    InvalidPeerId,
    /// A block number overflowed (e.g. a proving period of zero blocks).
    ArithmeticOverflow,
}

impl From<NotOwner> for RegistryError {
    fn from(_: NotOwner) -> Self {
        RegistryError::NotOwner
    }
}

impl From<PeerError> for RegistryError {
    fn from(error: PeerError) -> Self {
        match error {
            PeerError::NotOwner => RegistryError::NotOwner,
            PeerError::AlreadyWired => RegistryError::AlreadyWired,
        }
    }
}

/// The registry's events. ink! 5 lists every event linked into a contract in its metadata, so
/// they are compiled only where the `registry-events` feature asks for them (the registry, and
/// tools that decode its events).
#[cfg(feature = "registry-events")]
mod events {
    use super::*;

    /// A storage provider registered.
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct StorageProviderRegistered {
        /// The provider's account.
        #[ink(topic)]
        pub owner: AccountId,
        /// What it registered with.
        pub info: StorageProviderInfo,
        /// The first block of its first proving period.
        pub proving_period_start: BlockNumber,
    }
}
#[cfg(feature = "registry-events")]
pub use events::*;
