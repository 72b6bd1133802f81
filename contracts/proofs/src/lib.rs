//! Filecoin-compatible proof verification, shared by the `proof_verifier` contract and the
//! off-chain tool.
//!
//! - [`porep`]: the 39 public inputs of a StackedDRG 2 KiB PoRep (spec §4.2), derived exactly as
//!   filecoin-proofs derives them: replica id, interactive challenges, DRG and expander parents;
//! - [`post`]: the 22 public inputs of a Window PoSt (FallbackPoSt, spec §4.3);
//! - [`groth16`]: verifying keys (spec §4.4 byte format), proofs (zcash-compressed A ‖ B ‖ C),
//!   single and batch verification over BLS12-381.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod blake2b;
pub mod bls12_381;
mod chacha8;
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
