//! A pallet-contracts node over JSON-RPC: every mutating call is a signed extrinsic awaited until
//! it is in a block; dry-runs go through the `ContractsApi` runtime API and serve views and gas
//! estimates.

use crate::bundle::Bundle;
use crate::error::{NodeError, Result};
use scale::{Compact, Decode, Encode};
use std::str::FromStr;
use subxt::backend::legacy::LegacyRpcMethods;
use subxt::backend::rpc::RpcClient;
use subxt::config::polkadot::PolkadotExtrinsicParamsBuilder;
use subxt::config::PolkadotConfig;
use subxt::dynamic::Value;
use subxt::tx::TxStatus;
use subxt::OnlineClient;
use subxt_signer::sr25519::Keypair;
use subxt_signer::SecretUri;

/// A 32-byte account id, as contracts take it.
pub type Account = [u8; 32];

/// Gas: execution time (picoseconds of reference hardware) and state proof bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Encode, Decode)]
pub struct Weight {
    /// Execution time.
    #[codec(compact)]
    pub ref_time: u64,
    /// Proof bytes.
    #[codec(compact)]
    pub proof_size: u64,
}

impl Weight {
    /// `self` plus `percent` percent on both dimensions.
    pub fn with_margin(self, percent: u64) -> Self {
        let grow = |v: u64| v.saturating_add(v.saturating_mul(percent) / 100);
        Self { ref_time: grow(self.ref_time), proof_size: grow(self.proof_size) }
    }

    fn value(&self) -> Value {
        Value::named_composite([
            ("ref_time", Value::u128(self.ref_time.into())),
            ("proof_size", Value::u128(self.proof_size.into())),
        ])
    }
}

/// What a call charges to (positive) or refunds from (negative) the caller's storage deposit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Decode)]
pub enum StorageDeposit {
    /// Refunded.
    Refund(u128),
    /// Charged.
    Charge(u128),
}

impl StorageDeposit {
    /// The charge, or 0 for a refund.
    pub fn charge(&self) -> u128 {
        match self {
            StorageDeposit::Charge(amount) => *amount,
            StorageDeposit::Refund(_) => 0,
        }
    }

    /// Charge as a positive, refund as a negative amount.
    pub fn signed(&self) -> i128 {
        match self {
            StorageDeposit::Charge(amount) => i128::try_from(*amount).unwrap_or(i128::MAX),
            StorageDeposit::Refund(amount) => -i128::try_from(*amount).unwrap_or(i128::MAX),
        }
    }
}

/// `sp_runtime::DispatchError` as far as the suite needs it: module errors keep their pallet and
/// error index, the other kinds their variant index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DispatchError {
    /// `Module { index, error }`.
    Module {
        /// The pallet's index.
        index: u8,
        /// The error's index in the pallet.
        error: u8,
    },
    /// Any other kind, by its variant index in `DispatchError`.
    Other(u8),
}

impl Decode for DispatchError {
    fn decode<I: scale::Input>(input: &mut I) -> std::result::Result<Self, scale::Error> {
        let variant = input.read_byte()?;
        match variant {
            3 => {
                let index = input.read_byte()?;
                let error = <[u8; 4]>::decode(input)?;
                Ok(DispatchError::Module { index, error: error[0] })
            }
            // Token, Arithmetic, Transactional and Trie carry one byte.
            7 | 8 | 9 | 14 => {
                input.read_byte()?;
                Ok(DispatchError::Other(variant))
            }
            other => Ok(DispatchError::Other(other)),
        }
    }
}

/// A contract's answer: ink!'s return flags and data.
#[derive(Debug, Clone, PartialEq, Eq, Decode)]
pub struct ExecReturnValue {
    /// Bit 0: the contract reverted.
    pub flags: u32,
    /// The SCALE answer (for ink! 5, `Result<T, LangError>`).
    pub data: Vec<u8>,
}

impl ExecReturnValue {
    /// Whether the contract reverted its state.
    pub fn reverted(&self) -> bool {
        self.flags & 1 == 1
    }
}

/// The head of `pallet_contracts::ContractResult`: what a dry-run answers (the optional event
/// records that follow are not read).
#[derive(Debug, Clone)]
pub struct DryRun<R> {
    /// Gas consumed.
    pub gas_consumed: Weight,
    /// Gas required to run the call with a limit (at least the consumed gas).
    pub gas_required: Weight,
    /// The storage deposit it would charge or refund.
    pub storage_deposit: StorageDeposit,
    /// The contract's answer, or why the runtime refused.
    pub result: std::result::Result<R, DispatchError>,
}

impl<R: Decode> DryRun<R> {
    fn decode_head(bytes: &[u8]) -> std::result::Result<Self, scale::Error> {
        let input = &mut &bytes[..];
        let gas_consumed = Weight::decode(input)?;
        let gas_required = Weight::decode(input)?;
        let storage_deposit = StorageDeposit::decode(input)?;
        let _debug_message = Vec::<u8>::decode(input)?;
        let result = std::result::Result::<R, DispatchError>::decode(input)?;
        Ok(Self { gas_consumed, gas_required, storage_deposit, result })
    }
}

/// What an instantiation dry-run answers on success.
#[derive(Debug, Clone, Decode)]
pub struct InstantiateReturnValue {
    /// The constructor's answer.
    pub result: ExecReturnValue,
    /// The address the contract would get.
    pub account_id: Account,
}

/// An event a contract emitted, with its topics (the signature topic first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractEvent {
    /// The emitting contract.
    pub contract: Account,
    /// The event's topics.
    pub topics: Vec<[u8; 32]>,
    /// Its SCALE encoding.
    pub data: Vec<u8>,
}

impl ContractEvent {
    /// Decodes the event as the suite's ink! event type `E` if its signature topic is `E`'s.
    pub fn decode<E: ink::env::Event + Decode>(&self) -> Option<Result<E>> {
        let topic = E::SIGNATURE_TOPIC?;
        if self.topics.first() != Some(&topic) {
            return None;
        }
        Some(
            E::decode(&mut &self.data[..])
                .map_err(|e| NodeError::Decode { what: std::any::type_name::<E>().into(), reason: e.to_string() }),
        )
    }
}

/// The events of type `E` that `contract` emitted among `events`, decoded.
pub fn events_of<E: ink::env::Event + Decode>(events: &[ContractEvent], contract: &Account) -> Result<Vec<E>> {
    events.iter().filter(|event| &event.contract == contract).filter_map(ContractEvent::decode::<E>).collect()
}

/// A call included in a block.
#[derive(Debug, Clone)]
pub struct Included {
    /// The block's hash.
    pub block_hash: [u8; 32],
    /// The block's number.
    pub block: u32,
    /// The events contracts emitted in the extrinsic.
    pub events: Vec<ContractEvent>,
    /// Contracts instantiated by the extrinsic: (deployer, contract).
    pub instantiated: Vec<(Account, Account)>,
}

/// A call's outcome: the dry-run's answer and gas, and the block it was included in.
#[derive(Debug, Clone)]
pub struct CallOutcome {
    /// The contract's answer bytes from the dry-run (ink! 5: `Result<T, LangError>`).
    pub answer: Vec<u8>,
    /// Gas the dry-run required (what the block pays).
    pub gas_required: Weight,
    /// The storage deposit charged or refunded.
    pub storage_deposit: StorageDeposit,
    /// Where the extrinsic landed.
    pub included: Included,
}

impl CallOutcome {
    /// Decodes the answer as an ink! message's `Result<T, LangError>`.
    pub fn value<T: Decode>(&self) -> Result<T> {
        decode_answer(&self.answer)
    }
}

/// Decodes an ink! 5 answer `Result<T, LangError>` (a `LangError` is an error).
pub fn decode_answer<T: Decode>(answer: &[u8]) -> Result<T> {
    match std::result::Result::<T, u8>::decode(&mut &answer[..]) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(lang)) => Err(NodeError::Decode { what: "answer".into(), reason: format!("ink! LangError {lang}") }),
        Err(e) => Err(NodeError::Decode { what: "answer".into(), reason: e.to_string() }),
    }
}

/// Limits a caller can impose on every call; the dry-run's needs are checked against them
/// before anything is sent.
#[derive(Debug, Clone, Copy, Default)]
pub struct Limits {
    /// The gas limit of every call; `None`: the dry-run's requirement plus a margin.
    pub gas: Option<Weight>,
    /// The storage deposit limit; `None`: no limit.
    pub storage_deposit: Option<u128>,
}

/// Percent added to a dry-run's gas requirement: the state can move between dry-run and block.
pub const GAS_MARGIN_PERCENT: u64 = 20;
/// Fee allowance checked besides the storage deposit before a call (contracts-node's fees are
/// far below it).
pub const FEE_ALLOWANCE: u128 = 10_000_000_000;

/// A pallet-contracts node and the account that signs.
///
/// contracts-node seals a block per transaction but does not finalise them, so everything here
/// reads the best block (subxt's `at_latest` is the finalised one) and takes nonces from the
/// node's pool (`system_accountNextIndex`).
pub struct NodeChain {
    client: OnlineClient<PolkadotConfig>,
    rpc: LegacyRpcMethods<PolkadotConfig>,
    signer: Keypair,
    url: String,
    /// Limits applied to every call.
    pub limits: Limits,
}

/// Parses a secret URI (`//Alice`, a mnemonic with `//derivation`, …) into an sr25519 key pair.
pub fn keypair(suri: &str) -> Result<Keypair> {
    let uri = SecretUri::from_str(suri).map_err(|_| NodeError::InvalidSuri(suri.into()))?;
    Keypair::from_uri(&uri).map_err(|_| NodeError::InvalidSuri(suri.into()))
}

/// The account id of a key pair.
pub fn account_of(pair: &Keypair) -> Account {
    pair.public_key().0
}

impl NodeChain {
    /// Connects to the node at `url` (`ws://127.0.0.1:9944`) and signs with `suri`.
    pub async fn connect(url: &str, suri: &str) -> Result<Self> {
        let signer = keypair(suri)?;
        let unreachable = |reason: String| NodeError::Unreachable { url: url.into(), reason };
        let rpc_client = RpcClient::from_insecure_url(url).await.map_err(|e| unreachable(e.to_string()))?;
        let client = OnlineClient::<PolkadotConfig>::from_rpc_client(rpc_client.clone())
            .await
            .map_err(|e| unreachable(e.to_string()))?;
        let rpc = LegacyRpcMethods::new(rpc_client);
        Ok(Self { client, rpc, signer, url: url.into(), limits: Limits::default() })
    }

    /// The node's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The signing account.
    pub fn account(&self) -> Account {
        account_of(&self.signer)
    }

    /// The signing key pair.
    pub fn signer(&self) -> &Keypair {
        &self.signer
    }

    /// The subxt client.
    pub fn client(&self) -> &OnlineClient<PolkadotConfig> {
        &self.client
    }

    /// The chain's genesis hash (names a dev chain: `--tmp` makes a new one every start).
    pub fn genesis_hash(&self) -> [u8; 32] {
        self.client.genesis_hash().0
    }

    /// The best block's number.
    pub async fn block_number(&self) -> Result<u32> {
        let header = self.rpc.chain_get_header(None).await.map_err(|e| NodeError::rpc("best header", e.into()))?;
        header
            .map(|header| header.number)
            .ok_or_else(|| NodeError::Dispatch { what: "best header".into(), error: "none".into() })
    }

    /// The best block's hash.
    pub async fn best_hash(&self) -> Result<subxt::utils::H256> {
        let hash =
            self.rpc.chain_get_block_hash(None).await.map_err(|e| NodeError::rpc("best block hash", e.into()))?;
        hash.ok_or_else(|| NodeError::Dispatch { what: "best block hash".into(), error: "none".into() })
    }

    /// Free balance of `who`.
    pub async fn free_balance(&self, who: &Account) -> Result<u128> {
        let address = subxt::dynamic::storage("System", "Account", vec![Value::from_bytes(who)]);
        let key = self.client.storage().address_bytes(&address).map_err(|e| NodeError::rpc("System.Account key", e))?;
        let raw = self.storage_raw(key).await?;
        // AccountInfo { nonce, consumers, providers, sufficients: u32, data: { free, … } }
        let Some(raw) = raw else { return Ok(0) };
        let (_, _, _, _, free) = <(u32, u32, u32, u32, u128)>::decode(&mut &raw[..])
            .map_err(|e| NodeError::Decode { what: "System.Account".into(), reason: e.to_string() })?;
        Ok(free)
    }

    async fn storage_raw(&self, key: Vec<u8>) -> Result<Option<Vec<u8>>> {
        let at = self.client.storage().at(self.best_hash().await?);
        at.fetch_raw(key).await.map_err(|e| NodeError::rpc("storage", e))
    }

    /// The code hash of the contract at `address`, or `None` if no contract lives there.
    pub async fn code_hash_of(&self, address: &Account) -> Result<Option<[u8; 32]>> {
        let storage = subxt::dynamic::storage("Contracts", "ContractInfoOf", vec![Value::from_bytes(address)]);
        let key = self
            .client
            .storage()
            .address_bytes(&storage)
            .map_err(|e| NodeError::rpc("Contracts.ContractInfoOf key", e))?;
        let Some(raw) = self.storage_raw(key).await? else { return Ok(None) };
        // ContractInfo { trie_id: BoundedVec<u8>, code_hash: H256, … }
        let (_trie_id, code_hash) = <(Vec<u8>, [u8; 32])>::decode(&mut &raw[..])
            .map_err(|e| NodeError::Decode { what: "Contracts.ContractInfoOf".into(), reason: e.to_string() })?;
        Ok(Some(code_hash))
    }

    fn module_error_name(&self, error: DispatchError) -> String {
        match error {
            DispatchError::Module { index, error } => {
                let metadata = self.client.metadata();
                match metadata.pallet_by_index(index) {
                    Some(pallet) => match pallet.error_variant_by_index(error) {
                        Some(variant) => format!("{}::{}", pallet.name(), variant.name),
                        None => format!("{}::error #{error}", pallet.name()),
                    },
                    None => format!("pallet #{index} error #{error}"),
                }
            }
            DispatchError::Other(variant) => {
                const KINDS: [&str; 15] = [
                    "Other",
                    "CannotLookup",
                    "BadOrigin",
                    "Module",
                    "ConsumerRemaining",
                    "NoProviders",
                    "TooManyConsumers",
                    "Token (the account cannot pay: fund it)",
                    "Arithmetic",
                    "Transactional",
                    "Exhausted",
                    "Corruption",
                    "Unavailable",
                    "RootNotAllowed",
                    "Trie",
                ];
                format!("DispatchError::{}", KINDS.get(usize::from(variant)).copied().unwrap_or("unknown"))
            }
        }
    }

    async fn runtime_call(&self, function: &str, args: Vec<u8>) -> Result<Vec<u8>> {
        let api = self.client.runtime_api().at(self.best_hash().await?);
        api.call_raw(function, Some(&args)).await.map_err(|e| NodeError::rpc(function.to_string(), e))
    }

    /// Dry-runs message `selector ‖ args` of `contract` as `caller` through `ContractsApi_call`,
    /// with the block's gas limit. Serves views and gas estimates; changes nothing.
    pub async fn dry_run_call(
        &self,
        caller: &Account,
        contract: &Account,
        value: u128,
        input: &[u8],
    ) -> Result<DryRun<ExecReturnValue>> {
        let args = (caller, contract, value, Option::<Weight>::None, Option::<u128>::None, input.to_vec()).encode();
        let bytes = self.runtime_call("ContractsApi_call", args).await?;
        DryRun::decode_head(&bytes)
            .map_err(|e| NodeError::Decode { what: "ContractsApi_call answer".into(), reason: e.to_string() })
    }

    /// Dry-runs an instantiation with `code` through `ContractsApi_instantiate`.
    pub async fn dry_run_instantiate(
        &self,
        code: &[u8],
        value: u128,
        data: &[u8],
        salt: &[u8],
    ) -> Result<DryRun<InstantiateReturnValue>> {
        // Code::Upload(Vec<u8>) is variant 0.
        let mut code_arg = vec![0u8];
        code.to_vec().encode_to(&mut code_arg);
        let mut args = (self.account(), value, Option::<Weight>::None, Option::<u128>::None).encode();
        args.extend_from_slice(&code_arg);
        (data.to_vec(), salt.to_vec()).encode_to(&mut args);
        let bytes = self.runtime_call("ContractsApi_instantiate", args).await?;
        DryRun::decode_head(&bytes)
            .map_err(|e| NodeError::Decode { what: "ContractsApi_instantiate answer".into(), reason: e.to_string() })
    }

    /// Queries a view: a dry-run from the signer, its answer decoded as `T` (the message's own
    /// return type; the `LangError` wrapper is removed).
    pub async fn query<T: Decode>(&self, contract: &Account, input: &[u8]) -> Result<T> {
        let dry = self.dry_run_call(&self.account(), contract, 0, input).await?;
        let answer =
            dry.result.map_err(|e| NodeError::Dispatch { what: "view".into(), error: self.module_error_name(e) })?;
        decode_answer(&answer.data)
    }

    /// Checks a dry-run's needs against the limits and the signer's funds; answers the gas limit
    /// and storage deposit limit to send with.
    async fn admit(
        &self,
        what: &str,
        gas_required: Weight,
        deposit: StorageDeposit,
        value: u128,
    ) -> Result<(Weight, Option<u128>)> {
        let gas = match self.limits.gas {
            Some(limit) => {
                if limit.ref_time < gas_required.ref_time || limit.proof_size < gas_required.proof_size {
                    return Err(NodeError::GasLimitTooLow {
                        what: what.into(),
                        needed_ref_time: gas_required.ref_time,
                        needed_proof_size: gas_required.proof_size,
                        limit_ref_time: limit.ref_time,
                        limit_proof_size: limit.proof_size,
                    });
                }
                limit
            }
            None => gas_required.with_margin(GAS_MARGIN_PERCENT),
        };
        if let Some(limit) = self.limits.storage_deposit {
            if limit < deposit.charge() {
                return Err(NodeError::StorageDepositLimitTooLow {
                    what: what.into(),
                    needed: deposit.charge(),
                    limit,
                });
            }
        }
        let needed = deposit.charge().saturating_add(value).saturating_add(FEE_ALLOWANCE);
        let free = self.free_balance(&self.account()).await?;
        if free < needed {
            return Err(NodeError::InsufficientFunds {
                account: ss58(&self.account()),
                free,
                needed,
                what: what.into(),
            });
        }
        Ok((gas, self.limits.storage_deposit))
    }

    /// Instantiates `bundle` with its code through constructor `label` with SCALE `args`: a
    /// dry-run (which must not revert), then a signed `Contracts.instantiate_with_code` in a
    /// block. Answers the address, the dry-run and the inclusion.
    pub async fn instantiate(
        &self,
        bundle: &Bundle,
        label: &str,
        args: &[u8],
        value: u128,
        salt: &[u8],
    ) -> Result<(Account, DryRun<InstantiateReturnValue>, Included)> {
        let what = format!("{}::{label}", bundle.name);
        let mut data = bundle.constructor(label)?.to_vec();
        data.extend_from_slice(args);
        let dry = self.dry_run_instantiate(&bundle.wasm, value, &data, salt).await?;
        let answer = match &dry.result {
            Ok(answer) => answer,
            Err(error) => return Err(self.refused(&what, *error, dry.storage_deposit, value).await),
        };
        if answer.result.reverted() {
            return Err(NodeError::Reverted { what, answer: answer.result.data.clone() });
        }
        let (gas, deposit_limit) = self.admit(&what, dry.gas_required, dry.storage_deposit, value).await?;
        let tx = subxt::dynamic::tx(
            "Contracts",
            "instantiate_with_code",
            vec![
                Value::u128(value),
                gas.value(),
                option_value(deposit_limit),
                Value::from_bytes(&bundle.wasm),
                Value::from_bytes(&data),
                Value::from_bytes(salt),
            ],
        );
        let included = self.submit(&what, &tx).await?;
        let address = included
            .instantiated
            .iter()
            .find(|(deployer, _)| *deployer == self.account())
            .map(|(_, contract)| *contract)
            .ok_or_else(|| NodeError::Dispatch {
                what: what.clone(),
                error: "no Contracts.Instantiated event".into(),
            })?;
        Ok((address, dry, included))
    }

    /// Calls `contract` for real: a dry-run (refusing a call that would revert, i.e. an ink!
    /// message answering `Err`), then a signed `Contracts.call` in a block.
    pub async fn call(&self, what: &str, contract: &Account, value: u128, input: &[u8]) -> Result<CallOutcome> {
        let dry = self.dry_run_call(&self.account(), contract, value, input).await?;
        let answer = match dry.result.clone() {
            Ok(answer) => answer,
            Err(error) => return Err(self.refused(what, error, dry.storage_deposit, value).await),
        };
        if answer.reverted() {
            return Err(NodeError::Reverted { what: what.into(), answer: answer.data });
        }
        let (gas, deposit_limit) = self.admit(what, dry.gas_required, dry.storage_deposit, value).await?;
        let tx = subxt::dynamic::tx(
            "Contracts",
            "call",
            vec![
                Value::unnamed_variant("Id", [Value::from_bytes(contract)]),
                Value::u128(value),
                gas.value(),
                option_value(deposit_limit),
                Value::from_bytes(input),
            ],
        );
        let included = self.submit(what, &tx).await?;
        Ok(CallOutcome {
            answer: answer.data,
            gas_required: dry.gas_required,
            storage_deposit: dry.storage_deposit,
            included,
        })
    }

    /// Advances the chain by `n` blocks: contracts-node seals one block per transaction, so each
    /// block is a `System.remark` from the signer. Answers the best block afterwards.
    pub async fn advance_blocks(&self, n: u32) -> Result<u32> {
        for i in 0..n {
            let tx = subxt::dynamic::tx("System", "remark", vec![Value::from_bytes(format!("advance {i}").as_bytes())]);
            self.submit("System.remark", &tx).await?;
        }
        self.block_number().await
    }

    /// Advances until the best block is at least `block`.
    pub async fn advance_to(&self, block: u32) -> Result<u32> {
        let now = self.block_number().await?;
        if now < block {
            return self.advance_blocks(block - now).await;
        }
        Ok(now)
    }

    /// Signs and submits `tx`, waits until it is in a best block, fails on a dispatch error and
    /// answers the block and the extrinsic's contract events.
    async fn submit<Call: subxt::tx::Payload>(&self, what: &str, tx: &Call) -> Result<Included> {
        let account = subxt::utils::AccountId32(self.account());
        let nonce = self
            .rpc
            .system_account_next_index(&account)
            .await
            .map_err(|e| NodeError::rpc("account nonce", e.into()))?;
        let params = PolkadotExtrinsicParamsBuilder::new().immortal().nonce(nonce).build();
        let mut progress = self
            .client
            .tx()
            .sign_and_submit_then_watch(tx, &self.signer, params)
            .await
            .map_err(|e| self.submission_error(what, e))?;
        let in_block = loop {
            match progress.next().await {
                Some(Ok(TxStatus::InBestBlock(block) | TxStatus::InFinalizedBlock(block))) => break block,
                Some(Ok(
                    TxStatus::Error { message } | TxStatus::Invalid { message } | TxStatus::Dropped { message },
                )) => return Err(NodeError::Dispatch { what: what.into(), error: message }),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(NodeError::rpc(what.to_string(), e)),
                None => {
                    return Err(NodeError::Dispatch {
                        what: what.into(),
                        error: "the node stopped reporting the transaction".into(),
                    })
                }
            }
        };
        let events = in_block.wait_for_success().await.map_err(|e| match e {
            subxt::Error::Runtime(error) => NodeError::Dispatch { what: what.into(), error: error.to_string() },
            other => NodeError::rpc(what.to_string(), other),
        })?;
        let block_hash = in_block.block_hash();
        let block = self.client.blocks().at(block_hash).await.map_err(|e| NodeError::rpc("block", e))?.number();
        let mut included = Included { block_hash: block_hash.0, block, events: Vec::new(), instantiated: Vec::new() };
        for event in events.iter() {
            let event = event.map_err(|e| NodeError::rpc("events", e))?;
            if event.pallet_name() != "Contracts" {
                continue;
            }
            let fields = &mut event.field_bytes();
            match event.variant_name() {
                "ContractEmitted" => {
                    let (contract, data) = <(Account, Vec<u8>)>::decode(fields).map_err(|e| NodeError::Decode {
                        what: "Contracts.ContractEmitted".into(),
                        reason: e.to_string(),
                    })?;
                    let topics = event.topics().iter().map(|topic| topic.0).collect();
                    included.events.push(ContractEvent { contract, topics, data });
                }
                "Instantiated" => {
                    let pair = <(Account, Account)>::decode(fields).map_err(|e| NodeError::Decode {
                        what: "Contracts.Instantiated".into(),
                        reason: e.to_string(),
                    })?;
                    included.instantiated.push(pair);
                }
                _ => {}
            }
        }
        Ok(included)
    }

    /// Names a dry-run the runtime refused: a token error (the signer cannot pay the deposit or
    /// the value) is `InsufficientFunds`, anything else a named dispatch error.
    async fn refused(&self, what: &str, error: DispatchError, deposit: StorageDeposit, value: u128) -> NodeError {
        let cannot_pay = matches!(error, DispatchError::Other(7))
            || matches!(
                self.module_error_name(error).as_str(),
                "Contracts::StorageDepositNotEnoughFunds" | "Balances::InsufficientBalance"
            );
        if cannot_pay {
            let free = self.free_balance(&self.account()).await.unwrap_or(0);
            let needed = deposit.charge().saturating_add(value).saturating_add(FEE_ALLOWANCE);
            return NodeError::InsufficientFunds { account: ss58(&self.account()), free, needed, what: what.into() };
        }
        NodeError::Dispatch { what: what.into(), error: self.module_error_name(error) }
    }

    /// Names a refused submission: an account that cannot pay its fees is `InsufficientFunds`.
    fn submission_error(&self, what: &str, error: subxt::Error) -> NodeError {
        let text = error.to_string();
        if text.contains("Inability to pay some fees") {
            return NodeError::InsufficientFunds {
                account: ss58(&self.account()),
                free: 0,
                needed: 1,
                what: format!("{what} (fees): {text}"),
            };
        }
        NodeError::rpc(what.to_string(), error)
    }
}

fn option_value(value: Option<u128>) -> Value {
    match value {
        Some(amount) => Value::unnamed_variant("Some", [Value::u128(amount)]),
        None => Value::unnamed_variant("None", []),
    }
}

/// An account in SS58 with the generic Substrate prefix 42.
pub fn ss58(account: &Account) -> String {
    subxt::utils::AccountId32(*account).to_string()
}

/// Compact-encodes a length prefix for hand-made SCALE (e.g. a `Vec` of already-encoded items).
pub fn compact_len(len: usize) -> Vec<u8> {
    Compact(u32::try_from(len).unwrap_or(u32::MAX)).encode()
}
