//! `storage-cli`: the off-chain half of Polka Storage for clients and providers.
//!
//! Every subcommand is a function of this library (tests call them directly); `main.rs` only
//! parses arguments and prints. Shared types and derivations come from
//! `polka-storage-primitives`, so what the tool produces is what the contracts check.
//!
//! Byte formats (spec §4.4), for whoever checks the output:
//! - proofs: 192 bytes, zcash-compressed `A (G1) ‖ B (G2) ‖ C (G1)`: [`sector::prove_commit`],
//!   [`sector::window_post`];
//! - verifying keys: `alpha_g1 ‖ beta_g1 ‖ beta_g2 ‖ gamma_g2 ‖ delta_g1 ‖ delta_g2 ‖
//!   u32_be(ic_len) ‖ ic`, compressed points: [`params::verifying_key_bytes`];
//! - commitments: 32 bytes as filecoin-proofs writes them (little-endian field elements), CIDs in
//!   binary form as the contracts take them.

pub mod commp;
pub mod deal;
pub mod format;
pub mod logging;
pub mod params;
pub mod progress;
pub mod proof_cache;
pub mod randomness;
pub mod sector;
pub mod vectors;
pub mod verify;
