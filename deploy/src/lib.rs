//! The Polka Storage suite on a chain.
//!
//! - [`runtime`]: the in-process sandbox chain, configured like substrate-contracts-node 0.42;
//! - [`backend`]: the sandbox behind `polka-storage-chain-api`'s backend trait (typed handles);
//! - [`chain`]: deploy, call by message name with typed arguments, advance blocks, read events,
//!   record gas;
//! - [`bundle`]: the contracts as cargo-contract builds them;
//! - [`suite`]: the four contracts deployed and wired;
//! - [`market_sandbox`]: the market with signed deals and its funds invariant, for tests and the
//!   benchmark;
//! - [`check`]: the suite-level invariants across contracts (active deals and live sectors).
//!
//! The `demo` binary runs the storage flow end to end; `bench` measures the suite.

pub mod backend;
pub mod beacon;
pub mod bench;
pub mod bundle;
pub mod chain;
pub mod check;
pub mod market_sandbox;
pub mod runtime;
pub mod storage_flow;
pub mod suite;
