//! Deploying and wiring the suite on a node, idempotently: contracts the manifest lists whose
//! code hash the chain confirms are kept, the others are instantiated and wired.
//!
//! Order and wiring: `proof_verifier::new`, `randomness::with_policy(BeaconPolicy::FAST)`,
//! `market::with_policy(None, MarketPolicy::FAST, domain)`,
//! `provider_registry::with_policy(verifier, beacon, Some(market), ProvingPolicy::FAST)`, then
//! `market.set_registry(registry)` (and `registry.set_market(market)` for a new market beside a
//! kept registry), then the verifying keys of a new verifier. The registry binds the verifier
//! and the beacon at instantiation, so a new verifier or beacon means a new registry.

use crate::bundle::{Bundle, SUITE_CONTRACTS};
use crate::error::{NodeError, Result};
use crate::manifest::{DeployedContract, Deployment};
use crate::node::{ss58, Account, NodeChain};
use polka_storage_primitives::policy::{BeaconPolicy, MarketPolicy, ProvingPolicy};
use polka_storage_primitives::sector::{ProofType, RegisteredPoStProof, RegisteredSealProof};
use scale::Encode;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The verifying keys `scripts/params.sh` exports, by proof type.
pub fn verifying_key_files(dir: &Path) -> [(ProofType, PathBuf); 2] {
    [
        (ProofType::Seal(RegisteredSealProof::StackedDrg2KiBV1_1), dir.join("porep.vk")),
        (ProofType::PoSt(RegisteredPoStProof::StackedDRGWindow2KiBV1P1), dir.join("window_post.vk")),
    ]
}

/// What a deployment run did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// One line per action (instantiated, wired, key set) or per contract kept.
    pub actions: Vec<String>,
    /// Whether anything on chain changed.
    pub changed: bool,
}

fn hex32(bytes: &[u8; 32]) -> String {
    format!("0x{}", hex::encode(bytes))
}

fn parse32(text: &str, what: &str) -> Result<[u8; 32]> {
    hex::decode(text.trim_start_matches("0x"))
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or_else(|| NodeError::Manifest { path: what.into(), reason: format!("{text} is not 32 hex bytes") })
}

/// The four bundles, by name.
pub fn load_bundles(ink_dir: &Path) -> Result<BTreeMap<String, Bundle>> {
    SUITE_CONTRACTS.iter().map(|name| Ok((name.to_string(), Bundle::of(ink_dir, name)?))).collect()
}

/// Deploys what `previous` does not already hold on this chain, wires it and sets the verifying
/// keys from `keys_dir`. Answers the new manifest and what was done.
pub async fn deploy_suite(
    chain: &NodeChain,
    network: &str,
    bundles: &BTreeMap<String, Bundle>,
    previous: Option<&Deployment>,
    keys_dir: &Path,
) -> Result<(Deployment, Report)> {
    let mut report = Report::default();
    let genesis = hex32(&chain.genesis_hash());
    let previous = previous.filter(|manifest| {
        let same = manifest.genesis_hash == genesis;
        if !same {
            report
                .actions
                .push(format!("the manifest is of another chain (genesis {}): deploying anew", manifest.genesis_hash));
        }
        same
    });
    // Kept: listed, and the chain holds the bundle's code at the address.
    let mut kept: BTreeMap<String, DeployedContract> = BTreeMap::new();
    if let Some(manifest) = previous {
        for (name, entry) in &manifest.contracts {
            let Some(bundle) = bundles.get(name) else { continue };
            let address = parse32(&entry.account, name)?;
            match chain.code_hash_of(&address).await? {
                Some(hash) if hash == bundle.code_hash => {
                    report.actions.push(format!("{name}: kept at {} (code {})", entry.address, hex32(&hash)));
                    kept.insert(name.clone(), entry.clone());
                }
                Some(hash) => report.actions.push(format!(
                    "{name}: the chain has code {} at {}, the bundle is {}: deploying the bundle",
                    hex32(&hash),
                    entry.address,
                    hex32(&bundle.code_hash)
                )),
                None => report.actions.push(format!("{name}: no contract at {}: deploying", entry.address)),
            }
        }
    }
    // The registry binds the verifier and the beacon at instantiation.
    if !kept.contains_key("proof_verifier") || !kept.contains_key("randomness") {
        kept.remove("provider_registry");
    }
    let domain: [u8; 32] = match (kept.get("market"), previous) {
        (Some(_), Some(manifest)) => parse32(&manifest.market_domain, "market_domain")?,
        _ => rand::random(),
    };
    let mut contracts = kept.clone();
    let salt: [u8; 32] = rand::random();
    let account = |contracts: &BTreeMap<String, DeployedContract>, name: &str| -> Result<Account> {
        parse32(&contracts[name].account, name)
    };

    let instantiate = |name: &'static str, label: &'static str, args: Vec<u8>, readable: serde_json::Value| {
        let bundle = &bundles[name];
        async move {
            let (address, _dry, included) = chain.instantiate(bundle, label, &args, 0, &salt).await?;
            Ok::<_, NodeError>((
                name,
                DeployedContract {
                    address: ss58(&address),
                    account: hex32(&address),
                    code_hash: hex32(&bundle.code_hash),
                    constructor: label.into(),
                    args: readable,
                    block: included.block,
                },
            ))
        }
    };

    if !contracts.contains_key("proof_verifier") {
        let (name, entry) = instantiate("proof_verifier", "new", vec![], serde_json::json!({})).await?;
        report.actions.push(format!("{name}: instantiated at {} in block {}", entry.address, entry.block));
        contracts.insert(name.into(), entry);
    }
    if !contracts.contains_key("randomness") {
        let policy = BeaconPolicy::FAST;
        let (name, entry) = instantiate(
            "randomness",
            "with_policy",
            policy.encode(),
            serde_json::json!({ "policy": format!("{policy:?}") }),
        )
        .await?;
        report.actions.push(format!("{name}: instantiated at {} in block {}", entry.address, entry.block));
        contracts.insert(name.into(), entry);
    }
    let new_market = !contracts.contains_key("market");
    if new_market {
        let policy = MarketPolicy::FAST;
        let args = (Option::<[u8; 32]>::None, policy, domain).encode();
        let readable =
            serde_json::json!({ "registry": null, "policy": format!("{policy:?}"), "domain": hex32(&domain) });
        let (name, entry) = instantiate("market", "with_policy", args, readable).await?;
        report.actions.push(format!("{name}: instantiated at {} in block {}", entry.address, entry.block));
        contracts.insert(name.into(), entry);
    }
    let new_registry = !contracts.contains_key("provider_registry");
    if new_registry {
        let policy = ProvingPolicy::FAST;
        let (verifier, beacon, market) = (
            account(&contracts, "proof_verifier")?,
            account(&contracts, "randomness")?,
            account(&contracts, "market")?,
        );
        let args = (verifier, beacon, Some(market), policy).encode();
        let readable = serde_json::json!({
            "verifier": contracts["proof_verifier"].address,
            "beacon": contracts["randomness"].address,
            "market": contracts["market"].address,
            "policy": format!("{policy:?}"),
        });
        let (name, entry) = instantiate("provider_registry", "with_policy", args, readable).await?;
        report.actions.push(format!("{name}: instantiated at {} in block {}", entry.address, entry.block));
        contracts.insert(name.into(), entry);
    }
    let (market, registry) = (account(&contracts, "market")?, account(&contracts, "provider_registry")?);
    if new_market || new_registry {
        let mut input = bundles["market"].message("set_registry")?.to_vec();
        registry.encode_to(&mut input);
        chain.call("market.set_registry", &market, 0, &input).await?;
        report.actions.push("market: set_registry(provider_registry)".into());
    }
    if new_market && !new_registry {
        let mut input = bundles["provider_registry"].message("set_market")?.to_vec();
        market.encode_to(&mut input);
        chain.call("provider_registry.set_market", &registry, 0, &input).await?;
        report.actions.push("provider_registry: set_market(market)".into());
    }
    let verifier = account(&contracts, "proof_verifier")?;
    for (proof_type, path) in verifying_key_files(keys_dir) {
        let mut view = bundles["proof_verifier"].message("verifying_key_info")?.to_vec();
        proof_type.encode_to(&mut view);
        let dry = chain.dry_run_call(&chain.account(), &verifier, 0, &view).await?;
        // Ok(Option<…>): 0x00 then the Option's tag; 0x01 means a key is in force.
        let has_key = matches!(dry.result.as_ref().map(|answer| answer.data.get(1).copied()), Ok(Some(1)));
        if has_key {
            report.actions.push(format!("proof_verifier: key {proof_type:?} already set"));
            continue;
        }
        let key = std::fs::read(&path).map_err(|e| NodeError::Bundle {
            bundle: path.display().to_string(),
            reason: format!("{e}: export the verifying keys with scripts/params.sh"),
        })?;
        let mut input = bundles["proof_verifier"].message("set_verifying_key")?.to_vec();
        (proof_type, key).encode_to(&mut input);
        chain.call("proof_verifier.set_verifying_key", &verifier, 0, &input).await?;
        report.actions.push(format!("proof_verifier: set_verifying_key({proof_type:?}) from {}", path.display()));
        report.changed = true;
    }
    report.changed |= contracts != kept;
    let deployment = Deployment {
        network: network.into(),
        url: chain.url().into(),
        genesis_hash: genesis,
        deployer: ss58(&chain.account()),
        market_domain: hex32(&domain),
        contracts,
    };
    Ok((deployment, report))
}
