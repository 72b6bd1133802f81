//! The Polka Storage suite on a real pallet-contracts chain (substrate-contracts-node 0.42 or any
//! chain with pallet-contracts and its `ContractsApi`), over JSON-RPC with subxt.
//!
//! - [`node::NodeChain`]: instantiate with code, call (a signed extrinsic included in a block),
//!   dry-run through the `ContractsApi` runtime API (views and gas estimates), contract events
//!   with their topics, advancing blocks (contracts-node seals a block per transaction, so a block
//!   is a `System.remark`).
//! - [`bundle::Bundle`]: cargo-contract's `.contract` files (code, code hash, selectors, event
//!   signature topics).
//! - [`suite`]: deploying and wiring the four contracts, idempotently, against a manifest
//!   ([`manifest::Deployment`], `deploy/deployments/<network>.json`).
//!
//! Events decode with the suite's own types from `polka-storage-primitives`
//! ([`node::ContractEvent::decode`]): nothing here re-declares a contract type.
//!
//! This crate is its own workspace: subxt's dependency tree stays apart from the sandbox's
//! pallet-contracts 31 stack in `deploy/`.

pub mod backend;
pub mod bundle;
pub mod error;
pub mod manifest;
pub mod node;
pub mod suite;

pub use error::NodeError;
pub use node::NodeChain;
