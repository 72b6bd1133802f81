//! The market and the real provider registry on the sandbox chain: registration
//! (`register_storage_provider`, spec §2.2 (0)), the market's registration check, and the
//! market's registry wiring.

mod market_support;
use market_support::*;
use polka_storage_deploy::bundle::Bundle;
use polka_storage_deploy::chain::Chain;
use polka_storage_primitives::call::CallError;
use polka_storage_primitives::policy::ProvingPolicy;
use polka_storage_primitives::registry::{
    ProviderState, RegistryError, StorageProviderInfo, StorageProviderRegistered,
};
use polka_storage_primitives::sector::RegisteredPoStProof;
use std::sync::Arc;

const PROOF: RegisteredPoStProof = RegisteredPoStProof::StackedDRGWindow2KiBV1P1;

#[test]
fn a_provider_registers_once_into_the_next_proving_period() -> anyhow::Result<()> {
    let mut chain = Chain::new();
    let owner = dev_account("Alice");
    let code = Arc::new(Bundle::of("provider_registry")?);
    let beacon = deploy_beacon(&mut chain, &owner)?;
    let registry = chain.instantiate(
        &owner,
        &code,
        "with_policy",
        ([0u8; 32], beacon.account(), None::<[u8; 32]>, ProvingPolicy::FAST),
        0,
        b"",
    )?;
    chain.advance_to(125);
    let bob = dev_account("Bob");
    let peer_id = b"12D3KooWBobBobBobBobBobBobBobBobBob".to_vec();
    let answer = chain.call::<_, Result<(), RegistryError>>(
        &bob,
        &registry,
        "register_storage_provider",
        (peer_id.clone(), PROOF),
        0,
    )?;
    assert_eq!(answer.value, Ok(()));
    let events: Vec<StorageProviderRegistered> = registry.events(&answer.events, "StorageProviderRegistered")?;
    let info = StorageProviderInfo {
        peer_id,
        window_post_proof_type: PROOF,
        sector_size: 2048,
        window_post_partition_sectors: 2,
    };
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].owner, &events[0].info), (id(&bob), &info));
    // Registered at 125 with 60-block periods: the next period starts at 180, plus the offset.
    let start = events[0].proving_period_start;
    assert!((180..240).contains(&start), "proving period start {start}");
    let record: Option<ProviderState> = chain.query(&bob, &registry, "provider", (id(&bob),))?;
    let record = record.ok_or_else(|| anyhow::anyhow!("bob is not listed"))?;
    assert_eq!((record.info, record.proving_period_start, record.worker), (info, start, id(&bob)));
    let registered: bool = chain.query(&bob, &registry, "is_registered_storage_provider", (id(&bob),))?;
    assert!(registered);
    let unknown: Option<ProviderState> = chain.query(&bob, &registry, "provider", (id(&owner),))?;
    assert_eq!(unknown, None);
    // Once only; and peer ids must be 1 to 64 bytes.
    let again = chain.call::<_, Result<(), RegistryError>>(
        &bob,
        &registry,
        "register_storage_provider",
        (b"x".to_vec(), PROOF),
        0,
    )?;
    assert_eq!((again.value, again.reverted), (Err(RegistryError::StorageProviderExists), true));
    for peer_id in [vec![], vec![1u8; 65]] {
        let answer = chain.call::<_, Result<(), RegistryError>>(
            &owner,
            &registry,
            "register_storage_provider",
            (peer_id, PROOF),
            0,
        )?;
        assert_eq!(answer.value, Err(RegistryError::InvalidPeerId));
    }
    let registered: bool = chain.query(&owner, &registry, "is_registered_storage_provider", (id(&owner),))?;
    assert!(!registered);
    Ok(())
}

/// The market wired straight to the real registry: publishing needs a registration there, and
/// the registry-only messages refuse everyone else.
#[test]
fn the_market_asks_its_registry_whether_a_provider_is_registered() -> anyhow::Result<()> {
    let mut chain = Chain::new();
    let owner = dev_account("Alice");
    let market_code = Arc::new(Bundle::of("market")?);
    let registry_code = Arc::new(Bundle::of("provider_registry")?);
    let domain = random_domain()?;
    let market =
        chain.instantiate(&owner, &market_code, "with_policy", (None::<[u8; 32]>, MOCK_POLICY, domain), 0, b"")?;
    let beacon = deploy_beacon(&mut chain, &owner)?;
    let registry = chain.instantiate(
        &owner,
        &registry_code,
        "with_policy",
        ([0u8; 32], beacon.account(), Some(market.account()), ProvingPolicy::FAST),
        0,
        b"",
    )?;
    let client = Client::new(KeyKind::Sr25519, "//Alice");
    let bob = dev_account("Bob");
    let deal = client.sign_deal(&domain, proposal(&client.account(), &bob, 1, (10, 20), 1, 1));
    chain.call::<_, Result<(), MarketError>>(&client.account(), &market, "add_balance", (), 100)?;
    chain.call::<_, Result<(), MarketError>>(&bob, &market, "add_balance", (), 100)?;

    // No registry yet.
    let answer = chain.call::<_, Result<Vec<DealId>, MarketError>>(
        &bob,
        &market,
        "publish_storage_deals",
        (vec![deal.clone()],),
        0,
    )?;
    assert_eq!(answer.value, Err(MarketError::RegistryNotSet));
    let answer = chain.call::<_, Result<(), MarketError>>(
        &bob,
        &market,
        "activate_deals",
        (id(&bob), Vec::<SectorDeal>::new()),
        0,
    )?;
    assert_eq!(answer.value, Err(MarketError::RegistryNotSet));

    let answer = chain.call::<_, Result<(), MarketError>>(&owner, &market, "set_registry", (registry.account(),), 0)?;
    assert_eq!(answer.value, Ok(()));
    let answer = chain.call::<_, Result<Vec<DealId>, MarketError>>(
        &bob,
        &market,
        "publish_storage_deals",
        (vec![deal.clone()],),
        0,
    )?;
    assert_eq!((answer.value, answer.reverted), (Err(MarketError::StorageProviderNotRegistered), true));
    let answer = chain.call::<_, Result<(), RegistryError>>(
        &bob,
        &registry,
        "register_storage_provider",
        (b"peer".to_vec(), PROOF),
        0,
    )?;
    assert_eq!(answer.value, Ok(()));
    let answer =
        chain.call::<_, Result<Vec<DealId>, MarketError>>(&bob, &market, "publish_storage_deals", (vec![deal],), 0)?;
    assert_eq!(answer.value, Ok(vec![0]));
    // Only the registry may activate.
    let answer = chain.call::<_, Result<(), MarketError>>(
        &bob,
        &market,
        "activate_deals",
        (id(&bob), vec![sector(1, 30, &[0])]),
        0,
    )?;
    assert_eq!(answer.value, Err(MarketError::InvalidCaller));
    Ok(())
}

/// A registry address that is not a contract gives a named error, not a trap.
#[test]
fn a_registry_that_does_not_answer_is_a_named_error() -> anyhow::Result<()> {
    let mut chain = Chain::new();
    let owner = dev_account("Alice");
    let market_code = Arc::new(Bundle::of("market")?);
    let not_a_contract = dev_account("Ferdie");
    let domain = random_domain()?;
    let args = (Some(id(&not_a_contract)), MOCK_POLICY, domain);
    let market = chain.instantiate(&owner, &market_code, "with_policy", args, 0, b"")?;
    let client = Client::new(KeyKind::Sr25519, "//Alice");
    let bob = dev_account("Bob");
    let deal = client.sign_deal(&domain, proposal(&client.account(), &bob, 1, (10, 20), 1, 1));
    let answer =
        chain.call::<_, Result<Vec<DealId>, MarketError>>(&bob, &market, "publish_storage_deals", (vec![deal],), 0)?;
    assert_eq!(answer.value, Err(MarketError::Call(CallError::CalleeTrapped)));
    Ok(())
}

#[test]
fn governance_and_wiring_errors_are_named() -> anyhow::Result<()> {
    let mut chain = Chain::new();
    let owner = dev_account("Alice");
    let bob = dev_account("Bob");
    let market_code = Arc::new(Bundle::of("market")?);
    let args = (None::<[u8; 32]>, MOCK_POLICY, random_domain()?);
    let market = chain.instantiate(&owner, &market_code, "with_policy", args, 0, b"")?;
    // The registry-only messages without a registry.
    let answer =
        chain.call::<_, Result<(), MarketError>>(&bob, &market, "on_sectors_terminate", (id(&bob), vec![1u32]), 0)?;
    assert_eq!(answer.value, Err(MarketError::RegistryNotSet));
    let verified: Result<Vec<Option<[u8; 32]>>, MarketError> =
        chain.query(&bob, &market, "verify_deals_for_activation", (id(&bob), Vec::<SectorDeal>::new()))?;
    assert_eq!(verified, Err(MarketError::RegistryNotSet));
    // Only the owner wires, and only once; only the owner hands over governance.
    let answer = chain.call::<_, Result<(), MarketError>>(&bob, &market, "set_registry", ([7u8; 32],), 0)?;
    assert_eq!(answer.value, Err(MarketError::NotOwner));
    let answer = chain.call::<_, Result<(), MarketError>>(&owner, &market, "set_registry", ([7u8; 32],), 0)?;
    assert_eq!(answer.value, Ok(()));
    let answer = chain.call::<_, Result<(), MarketError>>(&owner, &market, "set_registry", ([8u8; 32],), 0)?;
    assert_eq!(answer.value, Err(MarketError::AlreadyWired));
    let answer = chain.call::<_, Result<(), MarketError>>(&bob, &market, "propose_owner", (id(&bob),), 0)?;
    assert_eq!(answer.value, Err(MarketError::NotOwner));
    let answer = chain.call::<_, Result<(), MarketError>>(&owner, &market, "propose_owner", (id(&bob),), 0)?;
    assert_eq!(answer.value, Ok(()));
    let answer = chain.call::<_, Result<(), MarketError>>(&bob, &market, "accept_ownership", (), 0)?;
    assert_eq!(answer.value, Ok(()));
    let now: [u8; 32] = chain.query(&owner, &market, "owner", ())?;
    assert_eq!(now, <[u8; 32]>::from(bob));
    Ok(())
}

#[test]
fn a_registry_with_an_unusable_proving_period_is_refused() -> anyhow::Result<()> {
    let mut chain = Chain::new();
    let owner = dev_account("Alice");
    let code = Arc::new(Bundle::of("provider_registry")?);
    let beacon = deploy_beacon(&mut chain, &owner)?;
    let broken = ProvingPolicy { wpost_proving_period: 0, ..ProvingPolicy::FAST };
    let args = ([0u8; 32], beacon.account(), None::<[u8; 32]>, broken);
    assert!(chain.instantiate(&owner, &code, "with_policy", args, 0, b"").is_err());
    Ok(())
}
