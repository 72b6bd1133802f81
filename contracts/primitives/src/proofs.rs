//! The proof verification interface of the `proof_verifier` contract (the proofs pallet of
//! spec §2.3), called by the registry at prove-commit and Window PoSt.

// The SCALE derive of enums with fields casts variant indices to `u8` (see `sector`).
#![allow(clippy::cast_possible_truncation)]

use crate::call::CallError;
use crate::commitment::Commitment;
use crate::sector::{RegisteredPoStProof, RegisteredSealProof, SectorNumber};
use alloc::vec::Vec;

/// Everything a PoRep proof is checked against.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct SealVerifyInfo {
    /// The seal proof type the sector was sealed with.
    pub seal_proof: RegisteredSealProof,
    /// The prover id of the provider (`derive_prover_id`).
    pub prover_id: [u8; 32],
    /// The sector number.
    pub sector_number: SectorNumber,
    /// The seal ticket drawn at pre-commit.
    pub ticket: [u8; 32],
    /// The interactive seed drawn after the pre-commit delay.
    pub seed: [u8; 32],
    /// CommR of the sealed replica.
    pub comm_r: Commitment,
    /// CommD of the sector's data.
    pub comm_d: Commitment,
    /// The proof: 192 bytes per partition, zcash-compressed A ‖ B ‖ C.
    pub proof: Vec<u8>,
}

/// A sector challenged by a Window PoSt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct PublicReplicaInfo {
    /// The sector number.
    pub sector_number: SectorNumber,
    /// CommR of the sector.
    pub comm_r: Commitment,
}

/// Why a proof or a verifying key was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub enum ProofError {
    /// The caller is not the owner (governance) of the verifier.
    NotOwner,
    /// No verifying key is set for this proof type.
    MissingVerifyingKey,
    /// The verifying key bytes are malformed: wrong length, or a point that is not a valid
    /// compressed point of the right group.
    InvalidVerifyingKey,
    /// The key's IC does not have one point per public input plus one.
    WrongVerifyingKeySize,
    /// The proof does not have the length of its proof type.
    InvalidProofLength,
    /// A proof point is malformed, not on the curve or not in the prime-order subgroup.
    InvalidProofPoint,
    /// A commitment or randomness is not a canonical BLS12-381 scalar (≥ the group order).
    NonCanonicalFieldElement,
    /// No sectors, or more than one Window PoSt proof covers.
    InvalidReplicaCount,
    /// The same sector appears twice in a Window PoSt.
    DuplicateReplica,
    /// A batch is empty or larger than the verifier accepts in one call.
    InvalidBatchSize,
    /// The proof is well-formed but does not verify: it was made for other inputs.
    InvalidProof,
    /// The call to the verifier failed.
    Call(CallError),
    /// The key's points are valid but degenerate (γ = δ, δ the generator, repeated IC
    /// points): proofs under it could be forged.
    DegenerateVerifyingKey,
    /// A governance action was refused: hand-over, timelocked change or upgrade.
    Governance(crate::ownership::GovernanceError),
}

impl From<crate::ownership::GovernanceError> for ProofError {
    fn from(error: crate::ownership::GovernanceError) -> Self {
        match error {
            crate::ownership::GovernanceError::NotOwner => ProofError::NotOwner,
            other => ProofError::Governance(other),
        }
    }
}

impl From<crate::ownership::NotOwner> for ProofError {
    fn from(_: crate::ownership::NotOwner) -> Self {
        ProofError::NotOwner
    }
}

impl From<CallError> for ProofError {
    fn from(error: CallError) -> Self {
        ProofError::Call(error)
    }
}

/// Groth16 verification of Filecoin PoRep and Window PoSt proofs.
#[ink::trait_definition]
pub trait ProofVerification {
    /// Verifies one PoRep proof; the public inputs are derived from `seal` on-chain.
    #[ink(message)]
    fn verify_porep(&self, seal: SealVerifyInfo) -> Result<(), ProofError>;

    /// Verifies several PoRep proofs at once (one final exponentiation). Fails if any fails.
    #[ink(message)]
    fn verify_porep_batch(&self, seals: Vec<SealVerifyInfo>) -> Result<(), ProofError>;

    /// Verifies a Window PoSt proof over `replicas` for the challenge `randomness`.
    #[ink(message)]
    fn verify_post(
        &self,
        post_proof: RegisteredPoStProof,
        randomness: [u8; 32],
        replicas: Vec<PublicReplicaInfo>,
        proof: Vec<u8>,
    ) -> Result<(), ProofError>;
}

/// The verifier's events. ink! 5 lists every event linked into a contract in its metadata, so
/// they are compiled only where the `verifier-events` feature asks for them (the verifier, and
/// tools that decode its events).
#[cfg(feature = "verifier-events")]
mod events {
    use crate::ownership::OwnershipTransferred;
    use crate::sector::ProofType;
    use crate::AccountId;

    /// A verifying key was set or replaced.
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct VerifyingKeyChanged {
        /// The proof type the key verifies.
        #[ink(topic)]
        pub proof_type: ProofType,
        /// The owner who set it.
        #[ink(topic)]
        pub by: AccountId,
        /// BLAKE2b-256 of the key bytes as given (spec §4.4 format).
        pub key_hash: [u8; 32],
    }

    /// Everything the verifier emits: the contract emits what its logic gives it.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Event {
        /// See [`VerifyingKeyChanged`].
        VerifyingKeyChanged(VerifyingKeyChanged),
        /// See [`OwnershipTransferred`].
        OwnershipTransferred(OwnershipTransferred),
    }
}
#[cfg(feature = "verifier-events")]
pub use events::*;
