//! The market's benchmark section, on the fixture of `market_sandbox`.

use super::Measurement;
use crate::bundle::Bundle;
use crate::chain::{dev_account, Answer, Chain};
use crate::market_sandbox::{deploy_beacon, proposal, sector, Client, KeyKind, MarketSandbox};
use crate::runtime::UNIT;
use anyhow::{anyhow, ensure, Context, Result};
use polka_storage_primitives::market::{ClientDealProposal, MarketError};
use polka_storage_primitives::policy::{MarketPolicy, ProvingPolicy};
use polka_storage_primitives::registry::RegistryError;
use polka_storage_primitives::sector::RegisteredPoStProof;
use sp_runtime::AccountId32;
use std::sync::Arc;

/// A provider and clients of every kind, funded in the market, on a market with `policy`.
fn funded_market(policy: MarketPolicy, clients: &[Client]) -> Result<(MarketSandbox, AccountId32)> {
    let mut sandbox = MarketSandbox::new(policy)?;
    let provider = dev_account("Bob");
    sandbox.register_provider(&provider)?.value.map_err(|e| anyhow!("registration failed: {e:?}"))?;
    sandbox.add_balance(&provider, 10_000 * UNIT)?.value.map_err(|e| anyhow!("{e:?}"))?;
    for client in clients {
        let account = client.account();
        sandbox.endow(&account, 100_000 * UNIT);
        sandbox.add_balance(&account, 10_000 * UNIT)?.value.map_err(|e| anyhow!("{e:?}"))?;
    }
    Ok((sandbox, provider))
}

/// `n` deals of `client` with `provider`, numbered from `first`, signed for `sandbox`'s market.
fn deals(
    sandbox: &MarketSandbox,
    client: &Client,
    provider: &AccountId32,
    first: u32,
    n: u32,
) -> Vec<ClientDealProposal> {
    (first..first + n)
        .map(|seed| sandbox.sign(client, proposal(&client.account(), provider, seed, (100, 200), 1_000, 1_000)))
        .collect()
}

fn measured<R: std::fmt::Debug>(answer: &Answer<Result<R, MarketError>>, what: &str) -> Result<()> {
    match &answer.value {
        Ok(_) if !answer.reverted => Ok(()),
        other => Err(anyhow!("{what} failed: {other:?}")),
    }
}

/// The market's benchmark section. Publishing is measured with all deals of one client (the
/// usual case: a client stores many pieces) and with 32 clients (no key shared, the worst case
/// for batch verification). The registry-only messages are called through the registry double,
/// and publishing asks the real registry through it: both add one call frame that a deployment
/// wired to the real registry does not have.
pub fn measure() -> Result<Vec<Measurement>> {
    let mut out = Vec::new();
    let policy = MarketPolicy::FAST;
    for kind in KeyKind::ALL {
        let client = Client::new(kind, "//BenchClient");
        let (mut sandbox, provider) = funded_market(policy, std::slice::from_ref(&client))?;
        let mut first = 0;
        for n in [1u32, 8, 32] {
            let batch = deals(&sandbox, &client, &provider, first, n);
            let answer = sandbox.publish(&provider, &batch)?;
            measured(&answer, "publish_storage_deals")?;
            out.push(Measurement::new("market", format!("publish_storage_deals ({n} {})", kind.label()), answer.gas));
            first += n;
        }
    }
    // 32 deals of 32 different sr25519 clients: no key is shared, so batching saves less.
    let clients: Vec<Client> = (0..32).map(|i| Client::new(KeyKind::Sr25519, &format!("//BenchClient{i}"))).collect();
    let (mut sandbox, provider) = funded_market(policy, &clients)?;
    let batch: Vec<_> =
        clients.iter().enumerate().flat_map(|(i, c)| deals(&sandbox, c, &provider, i as u32, 1)).collect();
    let answer = sandbox.publish(&provider, &batch)?;
    measured(&answer, "publish_storage_deals")?;
    out.push(Measurement::new("market", "publish_storage_deals (32 sr25519, 32 keys)", answer.gas));

    // Activation, settlement, termination and timeouts on 32 deals of one client.
    let client = Client::new(KeyKind::Sr25519, "//BenchClient");
    let (mut sandbox, provider) = funded_market(policy, std::slice::from_ref(&client))?;
    let batch = deals(&sandbox, &client, &provider, 0, 32);
    let mut ids = sandbox.publish(&provider, &batch)?.value.map_err(|e| anyhow!("{e:?}"))?;
    let batch = deals(&sandbox, &client, &provider, 32, 1);
    ids.extend(sandbox.publish(&provider, &batch)?.value.map_err(|e| anyhow!("{e:?}"))?);
    let answer = sandbox.verify(&provider, &[sector(1, 300, &ids[..16]), sector(2, 300, &ids[16..32])])?;
    measured(&answer, "verify_deals_for_activation")?;
    out.push(Measurement::new("market", "verify_deals_for_activation (2 × 16 deals)", answer.gas));
    let answer = sandbox.activate(&provider, &[sector(3, 300, &ids[32..])])?;
    measured(&answer, "activate_deals")?;
    out.push(Measurement::new("market", "activate_deals (1 sector, 1 deal)", answer.gas));
    let answer = sandbox.activate(&provider, &[sector(1, 300, &ids[..16]), sector(2, 300, &ids[16..32])])?;
    measured(&answer, "activate_deals")?;
    out.push(Measurement::new("market", "activate_deals (2 sectors × 16 deals)", answer.gas));
    sandbox.chain.advance_to(150);
    let answer = sandbox.settle(&provider, &ids[..1])?;
    measured(&answer, "settle_deal_payments")?;
    out.push(Measurement::new("market", "settle_deal_payments (1 deal)", answer.gas));
    let answer = sandbox.settle(&provider, &ids[..32])?;
    measured(&answer, "settle_deal_payments")?;
    out.push(Measurement::new("market", "settle_deal_payments (32 deals)", answer.gas));
    let answer = sandbox.terminate(&provider, &[1])?;
    measured(&answer, "on_sectors_terminate")?;
    out.push(Measurement::new("market", "on_sectors_terminate (1 sector × 16 deals)", answer.gas));
    sandbox.chain.advance_to(200);
    let answer = sandbox.settle(&provider, &ids[16..32])?;
    measured(&answer, "settle_deal_payments")?;
    out.push(Measurement::new("market", "settle_deal_payments (16 deals completing)", answer.gas));

    let (mut sandbox, provider) = funded_market(policy, std::slice::from_ref(&client))?;
    let batch = deals(&sandbox, &client, &provider, 0, 32);
    let ids = sandbox.publish(&provider, &batch)?.value.map_err(|e| anyhow!("{e:?}"))?;
    sandbox.chain.advance_to(101);
    let answer = sandbox.process_timeouts(&provider, &ids)?;
    measured(&answer, "process_deal_timeouts")?;
    out.push(Measurement::new("market", "process_deal_timeouts (32 deals)", answer.gas));
    let answer = sandbox.add_balance(&provider, UNIT)?;
    measured(&answer, "add_balance")?;
    out.push(Measurement::new("market", "add_balance", answer.gas));
    let answer = sandbox.withdraw_balance(&provider, UNIT)?;
    measured(&answer, "withdraw_balance")?;
    out.push(Measurement::new("market", "withdraw_balance", answer.gas));

    let mut chain = Chain::new();
    let owner = dev_account("Alice");
    let registry_code = Arc::new(Bundle::of("provider_registry").context("provider_registry bundle")?);
    let beacon = deploy_beacon(&mut chain, &owner)?;
    let registry = chain.instantiate(
        &owner,
        &registry_code,
        "with_policy",
        ([0u8; 32], beacon.account(), None::<[u8; 32]>, ProvingPolicy::FAST),
        0,
        b"",
    )?;
    let answer = chain.call::<_, Result<(), RegistryError>>(
        &dev_account("Bob"),
        &registry,
        "register_storage_provider",
        (b"12D3KooW-bench-peer".to_vec(), RegisteredPoStProof::StackedDRGWindow2KiBV1P1),
        0,
    )?;
    ensure!(!answer.reverted, "register_storage_provider failed");
    out.push(Measurement::new("provider_registry", "register_storage_provider", answer.gas));
    Ok(out)
}
