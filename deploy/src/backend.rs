//! The sandbox chain as a [`polka_storage_chain_api::Backend`]: the trait the node backend
//! (`deploy-node`) implements too, so the typed handles of `polka-storage-chain-api` run on both.
//! Existing call sites keep using [`Chain`]'s own methods.

use crate::bundle::Bundle;
use crate::chain::{Chain, Deployed};
use anyhow::Result;
use polka_storage_chain_api::{Account, Backend, Gas, Outcome, RawEvent};
use scale::{Decode, Encode, Input, Output};
use sp_runtime::AccountId32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Already-encoded arguments, appended as they are after the selector.
struct Raw<'a>(&'a [u8]);

impl Encode for Raw<'_> {
    fn size_hint(&self) -> usize {
        self.0.len()
    }
    fn encode_to<T: Output + ?Sized>(&self, dest: &mut T) {
        dest.write(self.0);
    }
}

/// The rest of an answer, undecoded.
struct Rest(Vec<u8>);

impl Decode for Rest {
    fn decode<I: Input>(input: &mut I) -> Result<Self, scale::Error> {
        let len = input.remaining_len()?.ok_or("an answer of unknown length")?;
        let mut bytes = vec![0; len];
        input.read(&mut bytes)?;
        Ok(Rest(bytes))
    }
}

/// ink!'s `Ok` of `Result<T, LangError>` around the message's own answer.
fn ink_answer(rest: Vec<u8>) -> Vec<u8> {
    let mut answer = Vec::with_capacity(rest.len().saturating_add(1));
    answer.push(0);
    answer.extend(rest);
    answer
}

impl Chain {
    /// [`Backend::instantiate`] by name (the inherent `instantiate` takes a bundle).
    pub fn instantiate_with(
        &mut self,
        caller: &Account,
        name: &str,
        constructor: &str,
        args: &[u8],
        value: u128,
    ) -> Result<Deployed> {
        <Chain as Backend>::instantiate(self, caller, name, constructor, args, value)
    }
}

/// Salts of the instantiations through the trait: every one differs.
static SALT: AtomicU64 = AtomicU64::new(0);

impl Backend for Chain {
    type Error = anyhow::Error;
    type Contract = Deployed;

    fn instantiate(
        &mut self,
        caller: &Account,
        name: &str,
        constructor: &str,
        args: &[u8],
        value: u128,
    ) -> Result<Deployed> {
        let bundle = Arc::new(Bundle::of(name)?);
        let salt = SALT.fetch_add(1, Ordering::Relaxed).to_le_bytes();
        Chain::instantiate(self, &AccountId32::from(*caller), &bundle, constructor, Raw(args), value, &salt)
    }

    fn address(&self, contract: &Deployed) -> Account {
        contract.account()
    }

    fn call(
        &mut self,
        caller: &Account,
        contract: &Deployed,
        message: &str,
        args: &[u8],
        value: u128,
    ) -> Result<Outcome> {
        let answer = Chain::call::<_, Rest>(self, &AccountId32::from(*caller), contract, message, Raw(args), value)?;
        Ok(Outcome {
            answer: ink_answer(answer.value.0),
            reverted: answer.reverted,
            gas: Gas { ref_time: answer.gas.ref_time, proof_size: answer.gas.proof_size },
            events: answer
                .events
                .into_iter()
                .map(|event| RawEvent {
                    contract: event.contract.into(),
                    topics: event.topics.into_iter().map(|topic| topic.0).collect(),
                    data: event.data,
                })
                .collect(),
        })
    }

    /// A view through the sandbox's dry-run; it reports no gas and no revert flag (the answer
    /// holds the message's `Err`, if any).
    fn dry_run(
        &mut self,
        caller: &Account,
        contract: &Deployed,
        message: &str,
        args: &[u8],
        _value: u128,
    ) -> Result<Outcome> {
        let rest = Chain::query::<_, Rest>(self, &AccountId32::from(*caller), contract, message, Raw(args))?;
        Ok(Outcome { answer: ink_answer(rest.0), reverted: false, gas: Gas::default(), events: Vec::new() })
    }

    fn advance_blocks(&mut self, n: u32) -> Result<u32> {
        Ok(Chain::advance_blocks(self, n))
    }

    fn block_number(&mut self) -> Result<u32> {
        Ok(Chain::block_number(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::dev_account;
    use polka_storage_chain_api::{MarketHandle, VerifierHandle};
    use polka_storage_primitives::market::BalanceAdded;
    use polka_storage_primitives::policy::MarketPolicy;
    use polka_storage_primitives::proofs::VerifyingKeyChanged;
    use polka_storage_primitives::sector::ProofType;
    use polka_storage_proofs::vectors::Vectors;

    /// The same handle code as deploy-node's `typed_handles` test, on the sandbox.
    #[test]
    fn typed_handles_drive_the_verifier_and_the_market_on_the_sandbox() -> Result<()> {
        let mut chain = Chain::new();
        let (alice, bob): (Account, Account) = (dev_account("Alice").into(), dev_account("Bob").into());
        let verifier = VerifierHandle::<Chain>::new(chain.instantiate_with(&alice, "proof_verifier", "new", &[], 0)?);
        let vectors = Vectors::load().map_err(anyhow::Error::msg)?;
        let seal_type = ProofType::Seal(vectors.seal.seal_proof);
        let (answer, outcome) = verifier.set_verifying_key(&mut chain, &alice, seal_type, &vectors.porep_key)?;
        assert_eq!(answer, Ok(()));
        let address = Backend::address(&chain, &verifier.contract);
        assert_eq!(outcome.events_of::<VerifyingKeyChanged>(&address)?.len(), 1);
        assert_eq!(verifier.verifying_key(&mut chain, &bob, seal_type)?, Some(vectors.porep_key.clone()));
        let (verdict, _) = verifier.verify_porep(&mut chain, &bob, &vectors.seal)?;
        assert_eq!(verdict, Ok(()));

        let domain = [9u8; 32];
        let args = (Option::<[u8; 32]>::None, MarketPolicy::FAST, domain).encode();
        let market = MarketHandle::<Chain>::new(chain.instantiate_with(&alice, "market", "with_policy", &args, 0)?);
        assert_eq!(market.domain(&mut chain, &bob)?, domain);
        let free_before = market.balance(&mut chain, &bob)?.free;
        let (answer, outcome) = market.add_balance(&mut chain, &bob, 5_000)?;
        assert_eq!(answer, Ok(()));
        assert_eq!(outcome.events_of::<BalanceAdded>(&Backend::address(&chain, &market.contract))?.len(), 1);
        assert_eq!(market.balance(&mut chain, &bob)?.free, free_before + 5_000);
        let (answer, outcome) = market.publish_storage_deals(&mut chain, &bob, &[])?;
        assert!(answer.is_err());
        assert!(outcome.reverted);
        let before = Backend::block_number(&mut chain)?;
        assert_eq!(Backend::advance_blocks(&mut chain, 2)?, before + 2);
        Ok(())
    }
}
