//! The node as a [`polka_storage_chain_api::Backend`]: the same trait the sandbox chain
//! implements, so typed handles run on both. The trait is synchronous (the sandbox is); this
//! adapter drives the async [`NodeChain`]s on its own tokio runtime, one per signing account.

use crate::bundle::{ink_dir, Bundle};
use crate::error::NodeError;
use crate::node::{Account, NodeChain};
use polka_storage_chain_api::{ApiError, Backend, Gas, Outcome, RawEvent};
use std::collections::HashMap;
use std::sync::Arc;

impl From<ApiError> for NodeError {
    fn from(error: ApiError) -> Self {
        NodeError::Decode { what: "answer".into(), reason: error.to_string() }
    }
}

/// A contract on the node: its address and bundle.
#[derive(Debug, Clone)]
pub struct NodeContract {
    /// Its address.
    pub address: Account,
    /// Its bundle (selectors).
    pub bundle: Arc<Bundle>,
}

/// A node behind the synchronous backend trait, with a signer per account.
pub struct BlockingNode {
    runtime: tokio::runtime::Runtime,
    url: String,
    signers: HashMap<Account, NodeChain>,
    bundles: HashMap<String, Arc<Bundle>>,
    salt: u64,
}

impl BlockingNode {
    /// Connects to `url` with the signers of `suris` (e.g. `["//Alice", "//Bob"]`).
    pub fn connect(url: &str, suris: &[&str]) -> Result<Self, NodeError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| NodeError::Unreachable { url: url.into(), reason: e.to_string() })?;
        let mut node = Self { runtime, url: url.into(), signers: HashMap::new(), bundles: HashMap::new(), salt: 0 };
        for suri in suris {
            node.add_signer(suri)?;
        }
        Ok(node)
    }

    /// Adds the signer of `suri`; answers its account.
    pub fn add_signer(&mut self, suri: &str) -> Result<Account, NodeError> {
        let chain = self.runtime.block_on(NodeChain::connect(&self.url, suri))?;
        let account = chain.account();
        self.signers.insert(account, chain);
        Ok(account)
    }

    fn signer(&self, caller: &Account) -> Result<&NodeChain, NodeError> {
        self.signers
            .get(caller)
            .ok_or_else(|| NodeError::InvalidSuri(format!("no signer for {}", crate::node::ss58(caller))))
    }

    fn bundle(&mut self, name: &str) -> Result<Arc<Bundle>, NodeError> {
        if let Some(bundle) = self.bundles.get(name) {
            return Ok(bundle.clone());
        }
        let bundle = Arc::new(Bundle::of(&ink_dir(), name)?);
        self.bundles.insert(name.into(), bundle.clone());
        Ok(bundle)
    }
}

fn raw_events(events: Vec<crate::node::ContractEvent>) -> Vec<RawEvent> {
    events.into_iter().map(|e| RawEvent { contract: e.contract, topics: e.topics, data: e.data }).collect()
}

impl Backend for BlockingNode {
    type Error = NodeError;
    type Contract = NodeContract;

    fn instantiate(
        &mut self,
        caller: &Account,
        name: &str,
        constructor: &str,
        args: &[u8],
        value: u128,
    ) -> Result<NodeContract, NodeError> {
        let bundle = self.bundle(name)?;
        self.salt = self.salt.wrapping_add(1);
        let salt: Vec<u8> = rand::random::<[u8; 24]>().iter().copied().chain(self.salt.to_le_bytes()).collect();
        let chain = self.signer(caller)?;
        let (address, _, _) = self.runtime.block_on(chain.instantiate(&bundle, constructor, args, value, &salt))?;
        Ok(NodeContract { address, bundle })
    }

    fn address(&self, contract: &NodeContract) -> Account {
        contract.address
    }

    fn call(
        &mut self,
        caller: &Account,
        contract: &NodeContract,
        message: &str,
        args: &[u8],
        value: u128,
    ) -> Result<Outcome, NodeError> {
        let input = contract.bundle.call_data(message, Raw(args))?;
        let chain = self.signer(caller)?;
        let what = format!("{}::{message}", contract.bundle.name);
        match self.runtime.block_on(chain.call(&what, &contract.address, value, &input)) {
            Ok(outcome) => Ok(Outcome {
                answer: outcome.answer,
                reverted: false,
                gas: Gas { ref_time: outcome.gas_required.ref_time, proof_size: outcome.gas_required.proof_size },
                events: raw_events(outcome.included.events),
            }),
            // A call that would revert is not sent: like the sandbox's, it changes nothing.
            Err(NodeError::Reverted { answer, .. }) => {
                Ok(Outcome { answer, reverted: true, gas: Gas::default(), events: Vec::new() })
            }
            Err(other) => Err(other),
        }
    }

    fn dry_run(
        &mut self,
        caller: &Account,
        contract: &NodeContract,
        message: &str,
        args: &[u8],
        value: u128,
    ) -> Result<Outcome, NodeError> {
        let input = contract.bundle.call_data(message, Raw(args))?;
        let chain = self.signer(caller)?;
        let dry = self.runtime.block_on(chain.dry_run_call(caller, &contract.address, value, &input))?;
        let gas = Gas { ref_time: dry.gas_required.ref_time, proof_size: dry.gas_required.proof_size };
        let answer = dry.result.map_err(|e| NodeError::Dispatch { what: message.into(), error: format!("{e:?}") })?;
        Ok(Outcome { reverted: answer.reverted(), answer: answer.data, gas, events: Vec::new() })
    }

    fn advance_blocks(&mut self, n: u32) -> Result<u32, NodeError> {
        let chain = self.signers.values().next().ok_or_else(|| NodeError::InvalidSuri("no signer".into()))?;
        self.runtime.block_on(chain.advance_blocks(n))
    }

    fn block_number(&mut self) -> Result<u32, NodeError> {
        let chain = self.signers.values().next().ok_or_else(|| NodeError::InvalidSuri("no signer".into()))?;
        self.runtime.block_on(chain.block_number())
    }
}

/// Already-encoded arguments, appended as they are after the selector.
struct Raw<'a>(&'a [u8]);

impl scale::Encode for Raw<'_> {
    fn size_hint(&self) -> usize {
        self.0.len()
    }
    fn encode_to<T: scale::Output + ?Sized>(&self, dest: &mut T) {
        dest.write(self.0);
    }
}
