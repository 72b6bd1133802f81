//! What can go wrong talking to a node, named so a user knows what to change.

use thiserror::Error;

/// An error of the node backend.
#[derive(Debug, Error)]
pub enum NodeError {
    /// Nothing answered at the URL (the node is not running, or listens elsewhere).
    #[error("cannot reach a node at {url}: {reason} (start one with scripts/node.sh)")]
    Unreachable {
        /// The URL tried.
        url: String,
        /// What the connection attempt said.
        reason: String,
    },
    /// The `--suri` secret does not parse.
    #[error("invalid secret URI {0:?} (expected e.g. //Alice or a mnemonic)")]
    InvalidSuri(String),
    /// The signer cannot pay: its free balance is below what the call needs.
    #[error("account {account} has {free} free, but {what} needs at least {needed} (storage deposit and fees): fund it first")]
    InsufficientFunds {
        /// The signer (SS58).
        account: String,
        /// Its free balance.
        free: u128,
        /// What the dry-run said the call charges, plus the fee allowance.
        needed: u128,
        /// The call.
        what: String,
    },
    /// The gas limit given is below what the dry-run measured.
    #[error("gas limit too low for {what}: it needs ref_time {needed_ref_time} / proof_size {needed_proof_size}, the limit is {limit_ref_time} / {limit_proof_size}")]
    GasLimitTooLow {
        /// The call.
        what: String,
        /// ref_time the dry-run required.
        needed_ref_time: u64,
        /// proof_size the dry-run required.
        needed_proof_size: u64,
        /// The limit's ref_time.
        limit_ref_time: u64,
        /// The limit's proof_size.
        limit_proof_size: u64,
    },
    /// The storage deposit limit given is below what the call charges.
    #[error("storage deposit limit too low for {what}: it charges {needed}, the limit is {limit}")]
    StorageDepositLimitTooLow {
        /// The call.
        what: String,
        /// The deposit the dry-run charged.
        needed: u128,
        /// The limit.
        limit: u128,
    },
    /// The chain refused the call: a dispatch error, named by pallet and variant.
    #[error("{what} failed on chain: {error}")]
    Dispatch {
        /// The call.
        what: String,
        /// `Pallet::Error` or the dispatch error's kind.
        error: String,
    },
    /// The contract trapped or reverted (for an ink! message answering `Err`, `answer` holds the
    /// SCALE bytes of the `Err`).
    #[error("{what} reverted (answer 0x{})", hex::encode(answer))]
    Reverted {
        /// The call.
        what: String,
        /// The contract's answer bytes.
        answer: Vec<u8>,
    },
    /// The bundle lacks a constructor, message or event, or cannot be read.
    #[error("bundle {bundle}: {reason}")]
    Bundle {
        /// The bundle's name or path.
        bundle: String,
        /// What is wrong.
        reason: String,
    },
    /// An answer or event did not decode as the suite's type.
    #[error("cannot decode {what}: {reason}")]
    Decode {
        /// What was decoded.
        what: String,
        /// The codec's message.
        reason: String,
    },
    /// An RPC or subxt error.
    #[error("{what}: {source}")]
    Rpc {
        /// What was being done.
        what: String,
        /// subxt's error.
        #[source]
        source: Box<subxt::Error>,
    },
    /// The deployment manifest cannot be read or written.
    #[error("manifest {path}: {reason}")]
    Manifest {
        /// Its path.
        path: String,
        /// What went wrong.
        reason: String,
    },
}

impl NodeError {
    /// Wraps a subxt error with what was being done.
    pub fn rpc(what: impl Into<String>, source: subxt::Error) -> Self {
        NodeError::Rpc { what: what.into(), source: Box::new(source) }
    }
}

/// Results of the node backend.
pub type Result<T, E = NodeError> = std::result::Result<T, E>;
