//! The registry's wiring to its beacon on the sandbox chain: the beacon's history must cover
//! the registry's longest randomness lookback, and the policy chooses whether only rounds
//! anchored to drand count (a beacon without a drand relay then gives no tickets).

use anyhow::Result;
use polka_storage_deploy::beacon::BeaconKeeper;
use polka_storage_deploy::bundle::Bundle;
use polka_storage_deploy::chain::{dev_account, Chain};
use polka_storage_deploy::market_sandbox::id;
use polka_storage_primitives::policy::{BeaconPolicy, ProvingPolicy};
use polka_storage_primitives::registry::RegistryError;
use polka_storage_primitives::sector::RegisteredPoStProof;
use std::sync::Arc;

#[test]
fn a_beacon_with_too_short_a_history_is_refused() -> Result<()> {
    let mut chain = Chain::new();
    let owner = dev_account("Alice");
    let beacon_code = Arc::new(Bundle::of("randomness")?);
    let registry_code = Arc::new(Bundle::of("provider_registry")?);
    let policy = ProvingPolicy::FAST;
    let round = BeaconPolicy::FAST.round_length() + BeaconPolicy::FAST.drand_timeout;
    let short = BeaconPolicy { history: round.max(policy.longest_randomness_lookback() - 1), ..BeaconPolicy::FAST };
    let beacon = chain.instantiate(&owner, &beacon_code, "with_policy", (short,), 0, b"")?;
    let args = ([0u8; 32], beacon.account(), None::<[u8; 32]>, policy);
    let refused = chain.instantiate(&owner, &registry_code, "with_policy", args, 0, b"");
    assert!(refused.is_err(), "a registry wired to a beacon that forgets its seeds was created");
    // Not a beacon at all: refused too.
    let args = ([0u8; 32], [9u8; 32], None::<[u8; 32]>, policy);
    assert!(chain.instantiate(&owner, &registry_code, "with_policy", args, 0, b"").is_err());
    // The history that covers the lookback is accepted.
    let enough = BeaconPolicy { history: policy.longest_randomness_lookback(), ..BeaconPolicy::FAST };
    let beacon = chain.instantiate(&owner, &beacon_code, "with_policy", (enough,), 0, b"1")?;
    let args = ([0u8; 32], beacon.account(), None::<[u8; 32]>, policy);
    chain.instantiate(&owner, &registry_code, "with_policy", args, 0, b"")?;
    Ok(())
}

#[test]
fn a_registry_that_requires_anchored_randomness_names_an_unanchored_round() -> Result<()> {
    let mut chain = Chain::new();
    let owner = dev_account("Alice");
    let beacon_code = Arc::new(Bundle::of("randomness")?);
    let registry_code = Arc::new(Bundle::of("provider_registry")?);
    let beacon = chain.instantiate(&owner, &beacon_code, "with_policy", (BeaconPolicy::FAST,), 0, b"")?;
    let mut registries = Vec::new();
    for (salt, require_anchored_randomness) in [(b"anchored", true), (b"any-rnd!", false)] {
        let policy = ProvingPolicy { require_anchored_randomness, ..ProvingPolicy::FAST };
        let args = ([0u8; 32], beacon.account(), None::<[u8; 32]>, policy);
        registries.push(chain.instantiate(&owner, &registry_code, "with_policy", args, 0, salt)?);
    }
    let provider = dev_account("Ferdie");
    for registry in &registries {
        let answer = chain.call::<_, Result<(), RegistryError>>(
            &provider,
            registry,
            "register_storage_provider",
            (b"peer".to_vec(), RegisteredPoStProof::StackedDRGWindow2KiBV1P1),
            0,
        )?;
        assert_eq!(answer.value, Ok(()));
    }
    // The beacon knows no drand chain: its rounds finalise unanchored.
    let mut keeper = BeaconKeeper::start(&mut chain, &beacon, vec![dev_account("Bob"), dev_account("Charlie")])?;
    let height = chain.block_number();
    keeper.cover(&mut chain, height)?;
    let anchored: Result<[u8; 32], RegistryError> =
        chain.query(&owner, &registries[0], "seal_ticket", (id(&provider), height))?;
    assert_eq!(anchored, Err(RegistryError::RandomnessNotAnchored));
    let any: Result<[u8; 32], RegistryError> =
        chain.query(&owner, &registries[1], "seal_ticket", (id(&provider), height))?;
    assert!(any.is_ok(), "{any:?}");
    Ok(())
}
