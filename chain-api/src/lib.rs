//! One chain interface, two backends: the in-process sandbox (`deploy::chain::Chain`) and a node
//! over RPC (`polka_storage_deploy_node::backend::BlockingNode`) implement [`Backend`]; typed
//! handles ([`MarketHandle`], [`VerifierHandle`]) are written once against it, so each message
//! name is spelled in one place and each answer has its type.
//!
//! Calls carry SCALE-encoded arguments (a tuple of the message's arguments) and answer the raw
//! ink! answer (`Result<T, LangError>`); [`Outcome::value`] decodes it.

use polka_storage_primitives::market::{BalanceEntry, ClientDealProposal, MarketError};
use polka_storage_primitives::proofs::{ProofError, SealVerifyInfo};
use polka_storage_primitives::sector::ProofType;
use polka_storage_primitives::DealId;
use scale::{Decode, Encode};

/// A 32-byte account id.
pub type Account = [u8; 32];

/// Gas of one call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Gas {
    /// Execution time in picoseconds of reference hardware.
    pub ref_time: u64,
    /// Bytes of state proof.
    pub proof_size: u64,
}

/// An event a contract emitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEvent {
    /// The emitter.
    pub contract: Account,
    /// Its topics, the signature topic first.
    pub topics: Vec<[u8; 32]>,
    /// Its SCALE encoding.
    pub data: Vec<u8>,
}

/// What a call or dry-run answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The ink! answer: `Result<T, LangError>`, SCALE.
    pub answer: Vec<u8>,
    /// Whether the contract reverted (ink! reverts every message answering `Err`); a reverted
    /// call changed nothing (a node backend does not send it).
    pub reverted: bool,
    /// Gas it consumed (sandbox) or required (node dry-run).
    pub gas: Gas,
    /// Events it emitted (none for a dry-run).
    pub events: Vec<RawEvent>,
}

/// A message's typed answer with the call's outcome (gas, events).
pub type Answered<T, E> = (Result<T, E>, Outcome);

/// What the interface itself can get wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// ink! could not dispatch the call (`LangError`).
    LangError(u8),
    /// The answer did not decode as the message's type.
    Decode(String),
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::LangError(code) => write!(f, "ink! could not dispatch the call (LangError {code})"),
            ApiError::Decode(reason) => write!(f, "cannot decode the answer: {reason}"),
        }
    }
}

impl std::error::Error for ApiError {}

impl Outcome {
    /// Decodes the answer as the message's return type `T`.
    pub fn value<T: Decode>(&self) -> Result<T, ApiError> {
        match Result::<T, u8>::decode(&mut &self.answer[..]) {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(code)) => Err(ApiError::LangError(code)),
            Err(e) => Err(ApiError::Decode(e.to_string())),
        }
    }

    /// The events of type `E` that `contract` emitted in this call.
    pub fn events_of<E: ink::env::Event + Decode>(&self, contract: &Account) -> Result<Vec<E>, ApiError> {
        events_of(&self.events, contract)
    }
}

/// The events of type `E` (matched by its signature topic) that `contract` emitted.
pub fn events_of<E: ink::env::Event + Decode>(events: &[RawEvent], contract: &Account) -> Result<Vec<E>, ApiError> {
    let Some(topic) = E::SIGNATURE_TOPIC else { return Ok(Vec::new()) };
    events
        .iter()
        .filter(|event| &event.contract == contract && event.topics.first() == Some(&topic))
        .map(|event| E::decode(&mut &event.data[..]).map_err(|e| ApiError::Decode(e.to_string())))
        .collect()
}

/// A chain the suite runs on: instantiate, call, dry-run, events, blocks.
pub trait Backend {
    /// The backend's error; interface errors convert into it.
    type Error: std::fmt::Debug + std::fmt::Display + From<ApiError>;
    /// A deployed contract as the backend knows it (address and metadata).
    type Contract: Clone;

    /// Instantiates bundle `name` (`proof_verifier`, `market`, …) as `caller` through
    /// `constructor` with SCALE `args`.
    fn instantiate(
        &mut self,
        caller: &Account,
        name: &str,
        constructor: &str,
        args: &[u8],
        value: u128,
    ) -> Result<Self::Contract, Self::Error>;
    /// The contract's address.
    fn address(&self, contract: &Self::Contract) -> Account;
    /// Calls `message` for real (a node: a signed extrinsic in a block).
    fn call(
        &mut self,
        caller: &Account,
        contract: &Self::Contract,
        message: &str,
        args: &[u8],
        value: u128,
    ) -> Result<Outcome, Self::Error>;
    /// Runs `message` without changing the chain (views, gas estimates).
    fn dry_run(
        &mut self,
        caller: &Account,
        contract: &Self::Contract,
        message: &str,
        args: &[u8],
        value: u128,
    ) -> Result<Outcome, Self::Error>;
    /// Advances the chain by `n` blocks; answers the block number after.
    fn advance_blocks(&mut self, n: u32) -> Result<u32, Self::Error>;
    /// The current block number.
    fn block_number(&mut self) -> Result<u32, Self::Error>;
}

/// The market, typed.
#[derive(Debug, Clone)]
pub struct MarketHandle<B: Backend> {
    /// The deployed market.
    pub contract: B::Contract,
}

impl<B: Backend> MarketHandle<B> {
    /// The market at `contract`.
    pub fn new(contract: B::Contract) -> Self {
        Self { contract }
    }

    /// `add_balance`: deposits `amount` as the caller's free funds.
    pub fn add_balance(
        &self,
        chain: &mut B,
        caller: &Account,
        amount: u128,
    ) -> Result<Answered<(), MarketError>, B::Error> {
        let outcome = chain.call(caller, &self.contract, "add_balance", &().encode(), amount)?;
        Ok((outcome.value()?, outcome))
    }

    /// `publish_storage_deals`: the provider publishes client-signed deals; their new ids.
    pub fn publish_storage_deals(
        &self,
        chain: &mut B,
        caller: &Account,
        deals: &[ClientDealProposal],
    ) -> Result<Answered<Vec<DealId>, MarketError>, B::Error> {
        let outcome = chain.call(caller, &self.contract, "publish_storage_deals", &deals.to_vec().encode(), 0)?;
        Ok((outcome.value()?, outcome))
    }

    /// `balance`: an account's free and locked funds.
    pub fn balance(&self, chain: &mut B, account: &Account) -> Result<BalanceEntry, B::Error> {
        let outcome = chain.dry_run(account, &self.contract, "balance", &account.encode(), 0)?;
        Ok(outcome.value()?)
    }

    /// `domain`: the market's 32-byte deal-signing domain.
    pub fn domain(&self, chain: &mut B, caller: &Account) -> Result<[u8; 32], B::Error> {
        Ok(chain.dry_run(caller, &self.contract, "domain", &[], 0)?.value()?)
    }
}

/// The proof verifier, typed.
#[derive(Debug, Clone)]
pub struct VerifierHandle<B: Backend> {
    /// The deployed verifier.
    pub contract: B::Contract,
}

impl<B: Backend> VerifierHandle<B> {
    /// The verifier at `contract`.
    pub fn new(contract: B::Contract) -> Self {
        Self { contract }
    }

    /// `set_verifying_key` (owner only).
    pub fn set_verifying_key(
        &self,
        chain: &mut B,
        caller: &Account,
        proof_type: ProofType,
        key: &[u8],
    ) -> Result<Answered<(), ProofError>, B::Error> {
        let outcome =
            chain.call(caller, &self.contract, "set_verifying_key", &(proof_type, key.to_vec()).encode(), 0)?;
        Ok((outcome.value()?, outcome))
    }

    /// `verifying_key`: the key in force for a proof type.
    pub fn verifying_key(
        &self,
        chain: &mut B,
        caller: &Account,
        proof_type: ProofType,
    ) -> Result<Option<Vec<u8>>, B::Error> {
        Ok(chain.dry_run(caller, &self.contract, "verifying_key", &proof_type.encode(), 0)?.value()?)
    }

    /// `ProofVerification::verify_porep`, as a dry-run: the verdict and its gas.
    pub fn verify_porep(
        &self,
        chain: &mut B,
        caller: &Account,
        seal: &SealVerifyInfo,
    ) -> Result<(Result<(), ProofError>, Gas), B::Error> {
        let outcome = chain.dry_run(caller, &self.contract, "ProofVerification::verify_porep", &seal.encode(), 0)?;
        Ok((outcome.value()?, outcome.gas))
    }
}
