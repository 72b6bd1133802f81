//! Shared code of the Polka Storage contracts and their off-chain tools.
//!
//! Nothing in here is a contract: these are the SCALE types that cross contract boundaries, the
//! `#[ink::trait_definition]`s through which the contracts call each other, the policy constants,
//! the commitment (CID / CommP / CommD) math and the randomness derivation. Everything builds for
//! `wasm32-unknown-unknown` (inside a contract) and natively (tests, CLI).
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod beacon;
pub mod call;
pub mod commitment;
pub mod deadline;
pub mod hash;
pub mod market;
pub mod ownership;
pub mod policy;
pub mod proofs;
pub mod randomness;
pub mod registry;
pub mod sector;

/// Account identifier of the chain (32 bytes, as `AccountId32`).
pub type AccountId = ink::primitives::AccountId;
/// Native balance of the chain.
pub type Balance = <ink::env::DefaultEnvironment as ink::env::Environment>::Balance;
/// Block number of the chain (`u32` on substrate-contracts-node and in the sandbox).
pub type BlockNumber = <ink::env::DefaultEnvironment as ink::env::Environment>::BlockNumber;
/// Identifier of a published deal.
pub type DealId = u64;
