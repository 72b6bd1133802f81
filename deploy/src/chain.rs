//! A typed handle on the sandbox chain: deploy bundles, call messages by name with SCALE-encoded
//! arguments, advance blocks, read events and record the gas of every call.

use crate::bundle::Bundle;
use crate::runtime::{Balance, StorageRuntime, StorageSandbox, BLOCK_PROOF_SIZE, BLOCK_REF_TIME, BLOCK_TIME_MS, UNIT};
use anyhow::{anyhow, Result};
use frame_support::weights::Weight;
use ink_sandbox::api::prelude::{BalanceAPI, ContractAPI, SystemAPI};
use ink_sandbox::Sandbox;
use pallet_contracts::Determinism;
use scale::{Decode, Encode};
use sp_core::{crypto::Pair as _, sr25519, H256};
use sp_runtime::AccountId32;
use std::sync::Arc;

/// Names of the well-known development accounts (`//Alice` …), endowed at genesis.
pub const DEV_ACCOUNTS: [&str; 6] = ["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"];

/// The sr25519 key pair of a development account (`//Alice` for "Alice").
pub fn dev_pair(name: &str) -> sr25519::Pair {
    sr25519::Pair::from_string(&format!("//{name}"), None).expect("dev seeds are valid")
}

/// The account id of a development account.
pub fn dev_account(name: &str) -> AccountId32 {
    dev_pair(name).public().into()
}

/// Gas of one call: what it adds to a block.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Gas {
    /// Execution time in picoseconds of reference hardware.
    pub ref_time: u64,
    /// Bytes of state proof (code and storage read).
    pub proof_size: u64,
}

impl Gas {
    /// The fraction of a substrate-contracts-node block (2e12 ref_time) this call fills.
    pub fn share_of_block(&self) -> f64 {
        self.ref_time as f64 / BLOCK_REF_TIME as f64
    }
}

/// The gas of one call, with what was called.
#[derive(Debug, Clone)]
pub struct GasRecord {
    /// Contract name.
    pub contract: String,
    /// Message or constructor label.
    pub message: String,
    /// Gas consumed.
    pub gas: Gas,
}

/// An event a contract emitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractEvent {
    /// The emitting contract.
    pub contract: AccountId32,
    /// Topics: the event's signature topic first, then its `#[ink(topic)]` fields.
    pub topics: Vec<H256>,
    /// The SCALE-encoded event.
    pub data: Vec<u8>,
}

/// A contract on the chain.
#[derive(Debug, Clone)]
pub struct Deployed {
    /// Its address.
    pub address: AccountId32,
    /// Its code and metadata.
    pub bundle: Arc<Bundle>,
}

impl Deployed {
    /// The contract's address as the 32 raw bytes other contracts take as `AccountId`.
    pub fn account(&self) -> [u8; 32] {
        self.address.clone().into()
    }

    /// Decodes the events of type `label` this contract emitted among `events`.
    pub fn events<E: Decode>(&self, events: &[ContractEvent], label: &str) -> Result<Vec<E>> {
        let topic = H256(self.bundle.event_topic(label)?);
        events
            .iter()
            .filter(|event| event.contract == self.address && event.topics.first() == Some(&topic))
            .map(|event| E::decode(&mut &event.data[..]).map_err(|e| anyhow!("event {label}: {e}")))
            .collect()
    }
}

/// What a message answered.
#[derive(Debug, Clone)]
pub struct Answer<R> {
    /// The decoded return value (for `Result` messages, the `Result`).
    pub value: R,
    /// Gas the call consumed.
    pub gas: Gas,
    /// Whether the contract reverted its state (ink! reverts when a message returns `Err`).
    pub reverted: bool,
    /// Events emitted by this call.
    pub events: Vec<ContractEvent>,
}

/// The sandbox chain with the suite's helpers.
pub struct Chain {
    sandbox: StorageSandbox,
    /// Milliseconds between blocks (the sandbox's clock pace).
    block_ms: u64,
    /// Gas of every call and instantiation so far, in order.
    pub gas_log: Vec<GasRecord>,
}

impl Default for Chain {
    fn default() -> Self {
        Self::new()
    }
}

impl Chain {
    /// A fresh chain at block 1; every development account holds a million units.
    pub fn new() -> Self {
        let accounts = DEV_ACCOUNTS.iter().map(|name| (dev_account(name), 1_000_000 * UNIT)).collect();
        Self { sandbox: StorageSandbox::with_accounts(accounts), block_ms: BLOCK_TIME_MS, gas_log: Vec::new() }
    }

    /// Direct access to the underlying sandbox (e.g. for drink's `Session` style helpers).
    pub fn sandbox(&mut self) -> &mut StorageSandbox {
        &mut self.sandbox
    }

    /// The current block number.
    pub fn block_number(&mut self) -> u32 {
        self.sandbox.block_number()
    }

    /// A fresh chain whose current block (block 1) has timestamp `timestamp_ms` (Unix
    /// milliseconds), the blocks after it 6 seconds apart: to put recorded drand rounds where
    /// a test needs them.
    pub fn with_genesis_timestamp(timestamp_ms: u64) -> Self {
        let mut chain = Self::new();
        chain.set_timestamp(timestamp_ms);
        chain
    }

    /// The current block's timestamp in Unix milliseconds.
    pub fn timestamp(&mut self) -> u64 {
        self.sandbox.timestamp()
    }

    /// Sets the current block's timestamp; the following blocks keep the current pace from it.
    pub fn set_timestamp(&mut self, timestamp_ms: u64) {
        let pace = self.block_time();
        self.sandbox.set_clock(timestamp_ms, pace);
    }

    /// Sets the milliseconds between the blocks built from now on (slow or fast blocks); the
    /// current block keeps its timestamp.
    pub fn set_block_time(&mut self, block_ms: u64) {
        let now = self.timestamp();
        self.sandbox.set_clock(now, block_ms);
        self.block_ms = block_ms;
    }

    fn block_time(&self) -> u64 {
        self.block_ms
    }

    /// Builds `n` blocks; returns the new block number.
    pub fn advance_blocks(&mut self, n: u32) -> u32 {
        self.sandbox.build_blocks(n)
    }

    /// Builds blocks until the chain is at `block` (no-op if it is already there or beyond).
    pub fn advance_to(&mut self, block: u32) -> u32 {
        let now = self.block_number();
        self.advance_blocks(block.saturating_sub(now))
    }

    /// Free native balance of an account (or contract).
    pub fn balance(&mut self, who: &AccountId32) -> Balance {
        self.sandbox.free_balance(who)
    }

    /// Mints `amount` into `who`.
    pub fn endow(&mut self, who: &AccountId32, amount: Balance) {
        self.sandbox.mint_into(who, amount).expect("minting in the sandbox succeeds");
    }

    fn events_since(&mut self, count: usize) -> Vec<ContractEvent> {
        self.sandbox.execute_with(|| {
            frame_system::Pallet::<StorageRuntime>::events()
                .into_iter()
                .skip(count)
                .filter_map(|record| match record.event {
                    crate::runtime::RuntimeEvent::Contracts(pallet_contracts::Event::ContractEmitted {
                        contract,
                        data,
                    }) => Some(ContractEvent { contract, topics: record.topics, data }),
                    _ => None,
                })
                .collect()
        })
    }

    fn event_count(&mut self) -> usize {
        self.sandbox.execute_with(|| frame_system::Pallet::<StorageRuntime>::event_count() as usize)
    }

    fn gas_limit() -> Weight {
        Weight::from_parts(BLOCK_REF_TIME, BLOCK_PROOF_SIZE)
    }

    /// Uploads `bundle` (if new) and instantiates it with constructor `constructor` and the
    /// SCALE-encoded `args` (a tuple of the constructor's arguments).
    pub fn instantiate<A: Encode>(
        &mut self,
        caller: &AccountId32,
        bundle: &Arc<Bundle>,
        constructor: &str,
        args: A,
        value: Balance,
        salt: &[u8],
    ) -> Result<Deployed> {
        let mut data = bundle.constructor(constructor)?.to_vec();
        args.encode_to(&mut data);
        let result = self.sandbox.deploy_contract(
            bundle.wasm.clone(),
            value,
            data,
            salt.to_vec(),
            caller.clone(),
            Self::gas_limit(),
            None,
        );
        let gas = Gas { ref_time: result.gas_consumed.ref_time(), proof_size: result.gas_consumed.proof_size() };
        self.gas_log.push(GasRecord { contract: bundle.name.clone(), message: constructor.into(), gas });
        let debug = String::from_utf8_lossy(&result.debug_message).into_owned();
        let outcome = result.result.map_err(|e| anyhow!("instantiating {}: {e:?} {debug}", bundle.name))?;
        if outcome.result.did_revert() {
            return Err(anyhow!("constructor {constructor} of {} reverted: {debug}", bundle.name));
        }
        Ok(Deployed { address: outcome.account_id, bundle: bundle.clone() })
    }

    /// Calls `message` of `contract` as `caller`, sending `value`, with the SCALE-encoded `args`
    /// (a tuple of the message's arguments), and decodes the answer as `R`.
    ///
    /// A trap (panic, out of gas) is an `Err`; a message that returns `Err(..)` is an `Ok`
    /// answer whose `value` is that `Err` and whose state changes were reverted.
    pub fn call<A: Encode, R: Decode>(
        &mut self,
        caller: &AccountId32,
        contract: &Deployed,
        message: &str,
        args: A,
        value: Balance,
    ) -> Result<Answer<R>> {
        let mut data = contract.bundle.message(message)?.to_vec();
        args.encode_to(&mut data);
        let before = self.event_count();
        let result = self.sandbox.call_contract(
            contract.address.clone(),
            value,
            data,
            caller.clone(),
            Self::gas_limit(),
            None,
            Determinism::Enforced,
        );
        let gas = Gas { ref_time: result.gas_consumed.ref_time(), proof_size: result.gas_consumed.proof_size() };
        self.gas_log.push(GasRecord { contract: contract.bundle.name.clone(), message: message.into(), gas });
        let debug = String::from_utf8_lossy(&result.debug_message).into_owned();
        let outcome =
            result.result.map_err(|e| anyhow!("{}::{message} trapped: {e:?} {debug}", contract.bundle.name))?;
        // ink! wraps every answer in `Result<_, LangError>`.
        let value = match outcome.data.split_first() {
            Some((0, mut rest)) => R::decode(&mut rest)
                .map_err(|e| anyhow!("{}::{message}: cannot decode the answer: {e}", contract.bundle.name))?,
            _ => return Err(anyhow!("{}::{message}: ink! could not dispatch the call", contract.bundle.name)),
        };
        let events = self.events_since(before);
        Ok(Answer { value, gas, reverted: outcome.did_revert(), events })
    }

    /// Like [`Chain::call`], but leaves no trace on the chain: a read-only view.
    pub fn query<A: Encode, R: Decode>(
        &mut self,
        caller: &AccountId32,
        contract: &Deployed,
        message: &str,
        args: A,
    ) -> Result<R> {
        let mut data = contract.bundle.message(message)?.to_vec();
        args.encode_to(&mut data);
        let address = contract.address.clone();
        let caller = caller.clone();
        let result = self.sandbox.dry_run(|sandbox| {
            sandbox.call_contract(address, 0, data, caller, Self::gas_limit(), None, Determinism::Enforced)
        });
        let outcome = result.result.map_err(|e| anyhow!("{}::{message} trapped: {e:?}", contract.bundle.name))?;
        match outcome.data.split_first() {
            Some((0, mut rest)) => R::decode(&mut rest).map_err(|e| anyhow!("{message}: {e}")),
            _ => Err(anyhow!("{}::{message}: ink! could not dispatch the call", contract.bundle.name)),
        }
    }
}
