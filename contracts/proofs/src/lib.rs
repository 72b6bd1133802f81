//! Filecoin-compatible proof verification, shared by the `proof_verifier` contract and the
//! off-chain tool.
//!
//! - [`porep`]: the 39 public inputs of a StackedDRG 2 KiB PoRep (spec §4.2), derived exactly as
//!   filecoin-proofs derives them: replica id, interactive challenges, DRG and expander parents;
//! - [`post`]: the 22 public inputs of a Window PoSt (FallbackPoSt, spec §4.3);
//! - [`groth16`]: verifying keys (spec §4.4 byte format), proofs (zcash-compressed A ‖ B ‖ C),
//!   single and batch verification over BLS12-381;
//! - [`drand`]: verification of drand `quicknet` beacons (BLS signatures on G1 with RFC 9380
//!   hash-to-curve) for the randomness beacon.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod blake2b;
pub mod bls12_381;
mod chacha8;
pub mod drand;
#[cfg(feature = "vectors")]
pub mod drand_vectors;
pub mod groth16;
pub mod porep;
pub mod post;
#[cfg(feature = "vectors")]
pub mod vectors;

/// A public input of a circuit as a scalar of BLS12-381.
///
/// Most inputs are node or leaf indices: keeping them small lets the verifier multiply by them
/// with a handful of additions instead of a full scalar multiplication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicInput {
    /// A small integer (a node, parent or leaf index).
    Small(u64),
    /// A full-width scalar as 32 little-endian bytes (replica id, CommD, CommR); must be
    /// canonical (below the group order), which verification checks.
    Full([u8; 32]),
}

use polka_storage_primitives::proofs::ProofError;

/// The verifier's answer for a Groth16 failure, for the contract and the tool alike.
impl From<groth16::Groth16Error> for ProofError {
    fn from(error: groth16::Groth16Error) -> Self {
        use groth16::Groth16Error;
        match error {
            Groth16Error::InvalidKeyLength | Groth16Error::InvalidKeyPoint => ProofError::InvalidVerifyingKey,
            Groth16Error::WrongInputCount => ProofError::WrongVerifyingKeySize,
            Groth16Error::InvalidProofLength => ProofError::InvalidProofLength,
            Groth16Error::InvalidProofPoint => ProofError::InvalidProofPoint,
            Groth16Error::NonCanonicalInput => ProofError::NonCanonicalFieldElement,
            Groth16Error::EmptyBatch => ProofError::InvalidBatchSize,
            Groth16Error::InvalidProof => ProofError::InvalidProof,
            Groth16Error::DegenerateKey => ProofError::DegenerateVerifyingKey,
        }
    }
}

/// PoRep inputs that cannot be derived: no proof can prove them.
impl From<porep::InputError> for ProofError {
    fn from(_: porep::InputError) -> Self {
        ProofError::InvalidProof
    }
}

/// The verifier's answer for unusable Window PoSt replicas or randomness.
impl From<post::PoStInputError> for ProofError {
    fn from(error: post::PoStInputError) -> Self {
        match error {
            post::PoStInputError::InvalidReplicaCount => ProofError::InvalidReplicaCount,
            post::PoStInputError::DuplicateReplica => ProofError::DuplicateReplica,
            post::PoStInputError::NonCanonicalRandomness => ProofError::NonCanonicalFieldElement,
        }
    }
}
