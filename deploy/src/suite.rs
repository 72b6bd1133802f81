//! The four contracts deployed and wired together on the sandbox chain.

use crate::bundle::{Bundle, SUITE_CONTRACTS};
use crate::chain::{dev_account, Chain, Deployed};
use anyhow::{ensure, Result};
use polka_storage_primitives::market::MarketError;
use polka_storage_primitives::policy::{BeaconPolicy, MarketPolicy, ProvingPolicy};
use sp_runtime::AccountId32;
use std::sync::Arc;

/// Which parameter set the contracts are instantiated with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timing {
    /// The fast test set: minutes instead of days.
    Fast,
    /// The production values.
    Production,
}

/// The deployed suite.
pub struct Suite {
    /// The account that deployed and governs the contracts.
    pub owner: AccountId32,
    /// `proof_verifier`.
    pub verifier: Deployed,
    /// `randomness`.
    pub beacon: Deployed,
    /// `market`.
    pub market: Deployed,
    /// `provider_registry`.
    pub registry: Deployed,
}

/// The bundles of the four contracts, read from the artifacts directory.
pub fn load_bundles() -> Result<Vec<Arc<Bundle>>> {
    SUITE_CONTRACTS.iter().map(|name| Bundle::of(name).map(Arc::new)).collect()
}

impl Suite {
    /// Deploys the four contracts as `//Alice` and wires them: the registry knows the verifier,
    /// the beacon and the market; the market knows the registry.
    pub fn deploy(chain: &mut Chain, timing: Timing) -> Result<Self> {
        let bundles = load_bundles()?;
        let [verifier_code, beacon_code, market_code, registry_code] = &bundles[..] else {
            unreachable!("four bundles")
        };
        let owner = dev_account("Alice");
        let (proving, market_policy, beacon_policy) = match timing {
            Timing::Fast => (ProvingPolicy::FAST, MarketPolicy::FAST, BeaconPolicy::FAST),
            Timing::Production => (ProvingPolicy::PRODUCTION, MarketPolicy::PRODUCTION, BeaconPolicy::PRODUCTION),
        };
        let verifier = chain.instantiate(&owner, verifier_code, "new", (), 0, b"")?;
        let beacon = chain.instantiate(&owner, beacon_code, "with_policy", (beacon_policy,), 0, b"")?;
        let domain = crate::market_sandbox::random_domain()?;
        let market =
            chain.instantiate(&owner, market_code, "with_policy", (None::<[u8; 32]>, market_policy, domain), 0, b"")?;
        let registry = chain.instantiate(
            &owner,
            registry_code,
            "with_policy",
            (verifier.account(), beacon.account(), Some(market.account()), proving),
            0,
            b"",
        )?;
        let wired =
            chain.call::<_, Result<(), MarketError>>(&owner, &market, "set_registry", (registry.account(),), 0)?;
        ensure!(wired.value.is_ok(), "wiring the market failed: {:?}", wired.value);
        Ok(Self { owner, verifier, beacon, market, registry })
    }

    /// The four contracts, in deployment order.
    pub fn contracts(&self) -> [&Deployed; 4] {
        [&self.verifier, &self.beacon, &self.market, &self.registry]
    }
}
