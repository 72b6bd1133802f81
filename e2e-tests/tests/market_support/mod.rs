//! What the market's sandbox tests share: the fixture of `polka_storage_deploy::market_sandbox`
//! (market + real registry + TEST-ONLY registry double, funds invariant checked after every
//! call), funded participants, and a check that a failed call changed nothing.
#![allow(dead_code)]

pub use polka_storage_deploy::chain::{dev_account, Answer};
pub use polka_storage_deploy::market_sandbox::*;
pub use polka_storage_primitives::market::*;
pub use polka_storage_primitives::policy::MarketPolicy;
pub use polka_storage_primitives::DealId;
pub use sp_core::crypto::AccountId32;

use anyhow::{ensure, Result};

/// The policy of the original market mock (spec §2.0): deals of 2 to 30 blocks, so the spec's
/// worked examples (10-block deals) run unchanged.
pub const MOCK_POLICY: MarketPolicy = MarketPolicy { min_deal_duration: 2, max_deal_duration: 30 };

/// Funds every participant brings into the market.
pub const FUNDS: u128 = 1_000;

/// A market with a registered provider (`//Bob`) and a client of each kind (`//Alice` sr25519,
/// `//Charlie` ed25519, `//Dave` ecdsa), each with [`FUNDS`] free in the market.
pub struct Market {
    pub sandbox: MarketSandbox,
    pub provider: AccountId32,
    pub clients: Vec<Client>,
}

impl Market {
    pub fn new() -> Result<Self> {
        Self::with_policy(MOCK_POLICY)
    }

    pub fn with_policy(policy: MarketPolicy) -> Result<Self> {
        let mut sandbox = MarketSandbox::new(policy)?;
        let provider = dev_account("Bob");
        ensure!(sandbox.register_provider(&provider)?.value.is_ok());
        ensure!(sandbox.add_balance(&provider, FUNDS)?.value.is_ok());
        let clients = vec![
            Client::new(KeyKind::Sr25519, "//Alice"),
            Client::new(KeyKind::Ed25519, "//Charlie"),
            Client::new(KeyKind::Ecdsa, "//Dave"),
        ];
        for client in &clients {
            let account = client.account();
            sandbox.endow(&account, 1_000_000_000_000_000);
            ensure!(sandbox.add_balance(&account, FUNDS)?.value.is_ok());
        }
        Ok(Self { sandbox, provider, clients })
    }

    /// A proposal of client `index` with the provider.
    pub fn proposal(
        &self,
        client: usize,
        seed: u32,
        blocks: (u32, u32),
        price: u128,
        collateral: u128,
    ) -> DealProposal {
        proposal(&self.clients[client].account(), &self.provider, seed, blocks, price, collateral)
    }

    /// The same, signed by the client.
    pub fn signed(
        &self,
        client: usize,
        seed: u32,
        blocks: (u32, u32),
        price: u128,
        collateral: u128,
    ) -> ClientDealProposal {
        self.sandbox.sign(&self.clients[client], self.proposal(client, seed, blocks, price, collateral))
    }

    /// Publishes and expects success.
    pub fn publish_ok(&mut self, deals: &[ClientDealProposal]) -> Result<Vec<DealId>> {
        let provider = self.provider.clone();
        let answer = self.sandbox.publish(&provider, deals)?;
        ensure!(!answer.reverted, "publishing reverted: {:?}", answer.value);
        answer.value.map_err(|e| anyhow::anyhow!("publishing failed: {e:?}"))
    }

    /// Activates through the registry double and expects success.
    pub fn activate_ok(&mut self, sectors: &[SectorDeal]) -> Result<()> {
        let provider = self.provider.clone();
        let answer = self.sandbox.activate(&provider, sectors)?;
        ensure!(answer.value.is_ok() && !answer.reverted, "activation failed: {:?}", answer.value);
        Ok(())
    }

    pub fn client(&self, index: usize) -> AccountId32 {
        self.clients[index].account()
    }

    /// (free, locked) of `who`.
    pub fn funds_of(&mut self, who: &AccountId32) -> Result<(u128, u128)> {
        let entry = self.sandbox.balance(who)?;
        Ok((entry.free, entry.locked))
    }
}

/// Runs `call`, expects it to answer `Err(error)`, be reverted and leave every view unchanged.
pub fn expect_error<R: std::fmt::Debug>(
    sandbox: &mut MarketSandbox,
    error: MarketError,
    call: impl FnOnce(&mut MarketSandbox) -> Result<Answer<Result<R, MarketError>>>,
) -> Result<()> {
    let before = sandbox.snapshot()?;
    let answer = call(sandbox)?;
    ensure!(matches!(&answer.value, Err(e) if *e == error), "expected {error:?}, got {:?}", answer.value);
    ensure!(answer.reverted, "a failed call was not reverted");
    ensure!(answer.events.is_empty(), "a failed call emitted events");
    ensure!(sandbox.snapshot()? == before, "a failed call changed the market");
    Ok(())
}
