//! Provider registry types (spec §3.3) and the check the market calls it for.

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
