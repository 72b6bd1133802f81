//! The suite deploys and wires on the sandbox chain, and the chain behaves like the node.

use polka_storage_deploy::chain::{dev_account, Chain};
use polka_storage_deploy::runtime::MAX_CODE_LEN;
use polka_storage_deploy::suite::{Suite, Timing};
use polka_storage_primitives::policy::{MarketPolicy, ProvingPolicy};

#[test]
fn suite_deploys_and_wires() -> anyhow::Result<()> {
    let mut chain = Chain::new();
    let suite = Suite::deploy(&mut chain, Timing::Fast)?;
    let alice = dev_account("Alice");

    let registry: Option<[u8; 32]> = chain.query(&alice, &suite.market, "registry", ())?;
    assert_eq!(registry, Some(suite.registry.account()));
    let peers: (Option<[u8; 32]>, [u8; 32], [u8; 32]) = chain.query(&alice, &suite.registry, "peers", ())?;
    assert_eq!(peers, (Some(suite.market.account()), suite.verifier.account(), suite.beacon.account()));
    let policy: ProvingPolicy = chain.query(&alice, &suite.registry, "policy", ())?;
    assert_eq!(policy, ProvingPolicy::FAST);
    let policy: MarketPolicy = chain.query(&alice, &suite.market, "policy", ())?;
    assert_eq!(policy, MarketPolicy::FAST);
    for contract in suite.contracts() {
        let owner: [u8; 32] = chain.query(&alice, contract, "owner", ())?;
        assert_eq!(owner, <[u8; 32]>::from(alice.clone()));
        assert!(contract.bundle.wasm.len() <= MAX_CODE_LEN as usize);
    }
    Ok(())
}

#[test]
fn wiring_is_owner_only_and_once() -> anyhow::Result<()> {
    use polka_storage_primitives::market::MarketError;
    let mut chain = Chain::new();
    let suite = Suite::deploy(&mut chain, Timing::Fast)?;
    let bob = dev_account("Bob");
    let answer = chain.call::<_, Result<(), MarketError>>(&bob, &suite.market, "set_registry", ([9u8; 32],), 0)?;
    assert_eq!(answer.value, Err(MarketError::NotOwner));
    assert!(answer.reverted);
    let answer =
        chain.call::<_, Result<(), MarketError>>(&suite.owner, &suite.market, "set_registry", ([9u8; 32],), 0)?;
    assert_eq!(answer.value, Err(MarketError::AlreadyWired));
    Ok(())
}

#[test]
fn blocks_advance() {
    let mut chain = Chain::new();
    assert_eq!(chain.block_number(), 1);
    assert_eq!(chain.advance_blocks(10), 11);
    assert_eq!(chain.advance_to(20), 20);
    assert_eq!(chain.advance_to(5), 20);
}
