//! The suite on a running substrate-contracts-node (NODE_URL, default ws://127.0.0.1:9944;
//! `scripts/node.sh` starts one): deployment and its idempotence, messages of each contract sent
//! as signed extrinsics, their events decoded with the suite's types, the real PoRep and Window
//! PoSt of ../shared/vectors verified by the node, and the named errors of the backend.
//!
//! Run: `scripts/node.sh cargo test --manifest-path deploy-node/Cargo.toml -- --test-threads=1`
//! (one signer deploys in every test: the tests take turns).

use polka_storage_deploy_node::bundle::{ink_dir, Bundle};
use polka_storage_deploy_node::manifest::Deployment;
use polka_storage_deploy_node::node::{account_of, decode_answer, events_of, keypair, Account, Limits, Weight};
use polka_storage_deploy_node::suite::{deploy_suite, load_bundles};
use polka_storage_deploy_node::{NodeChain, NodeError};
use polka_storage_primitives::beacon::{
    Bonded, Committed, CurrentRound, RandomnessError, Revealed, RoundFinalised, RoundPhase, UnbondRequested,
};
use polka_storage_primitives::market::{
    BalanceAdded, BalanceWithdrawn, ClientDealProposal, ClientSignature, DealProposal, DealState, DealsPublished,
    MarketError,
};
use polka_storage_primitives::policy::{BeaconPolicy, MarketPolicy};
use polka_storage_primitives::proofs::{ProofError, VerifyingKeyChanged};
use polka_storage_primitives::registry::{
    CollateralAdded, CollateralWithdrawn, PeerIdChanged, RegistryError, StorageProviderRegistered, WorkerChanged,
};
use polka_storage_primitives::sector::{ProofType, RegisteredPoStProof};
use polka_storage_primitives::{AccountId, DealId};
use polka_storage_proofs::vectors::Vectors;
use std::collections::BTreeMap;
use std::path::PathBuf;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn url() -> String {
    std::env::var("NODE_URL").unwrap_or_else(|_| "ws://127.0.0.1:9944".into())
}

fn keys_dir() -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    std::env::var_os("POLKA_STORAGE_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".cache/polka-storage"))
        .join("verifying-keys")
}

/// A fresh suite on the node, deployed by //Alice, and the bundles.
struct Setup {
    alice: NodeChain,
    bundles: BTreeMap<String, Bundle>,
    deployment: Deployment,
}

impl Setup {
    async fn new() -> Result<Self, NodeError> {
        let alice = NodeChain::connect(&url(), "//Alice").await?;
        let bundles = load_bundles(&ink_dir())?;
        let (deployment, _) = deploy_suite(&alice, "e2e", &bundles, None, &keys_dir()).await?;
        Ok(Self { alice, bundles, deployment })
    }

    fn address(&self, name: &str) -> Account {
        let text = &self.deployment.contracts[name].account;
        hex::decode(text.trim_start_matches("0x")).expect("hex").try_into().expect("32 bytes")
    }

    fn input<A: scale::Encode>(&self, name: &str, label: &str, args: A) -> Vec<u8> {
        self.bundles[name].call_data(label, args).expect("the bundle has the message")
    }
}

async fn signer(suri: &str) -> NodeChain {
    NodeChain::connect(&url(), suri).await.expect("the node answers")
}

#[tokio::test]
async fn the_second_deployment_changes_nothing() -> TestResult {
    let setup = Setup::new().await?;
    for name in ["proof_verifier", "randomness", "market", "provider_registry"] {
        let on_chain = setup.alice.code_hash_of(&setup.address(name)).await?;
        assert_eq!(on_chain, Some(setup.bundles[name].code_hash), "{name}");
    }
    let (again, report) =
        deploy_suite(&setup.alice, "e2e", &setup.bundles, Some(&setup.deployment), &keys_dir()).await?;
    assert!(!report.changed, "{:?}", report.actions);
    assert_eq!(again, setup.deployment);
    // The manifest round-trips through its file.
    let path = std::env::temp_dir().join(format!("polka-storage-e2e-{}.json", std::process::id()));
    again.write(&path)?;
    assert_eq!(Deployment::read(&path)?, Some(again));
    std::fs::remove_file(path)?;
    Ok(())
}

#[tokio::test]
async fn the_node_verifies_the_shared_porep_and_window_post() -> TestResult {
    // A verifier of its own, holding the keys the vectors were proven under.
    let alice = NodeChain::connect(&url(), "//Alice").await?;
    let bundle = Bundle::of(&ink_dir(), "proof_verifier")?;
    let vectors = Vectors::load()?;
    let salt: [u8; 32] = rand::random();
    let (verifier, _, _) = alice.instantiate(&bundle, "new", &[], 0, &salt).await?;
    for (proof_type, key) in [
        (ProofType::Seal(vectors.seal.seal_proof), &vectors.porep_key),
        (ProofType::PoSt(vectors.post_proof), &vectors.post_key),
    ] {
        let set = bundle.call_data("set_verifying_key", (proof_type, key.clone()))?;
        let outcome = alice.call("set_verifying_key", &verifier, 0, &set).await?;
        let changed: Vec<VerifyingKeyChanged> = events_of(&outcome.included.events, &verifier)?;
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].proof_type, proof_type);
        eprintln!(
            "node set_verifying_key({proof_type:?}): ref_time {} proof_size {} deposit {}",
            outcome.gas_required.ref_time,
            outcome.gas_required.proof_size,
            outcome.storage_deposit.signed()
        );
    }
    let verify = bundle.call_data("ProofVerification::verify_porep", vectors.seal.clone())?;
    let dry = alice.dry_run_call(&alice.account(), &verifier, 0, &verify).await?;
    let verdict: Result<(), ProofError> = decode_answer(&dry.result.map_err(|e| format!("{e:?}"))?.data)?;
    assert_eq!(verdict, Ok(()));
    eprintln!("node verify_porep: ref_time {} proof_size {}", dry.gas_required.ref_time, dry.gas_required.proof_size);
    // The same check as a signed extrinsic, included in a block.
    let included = alice.call("verify_porep", &verifier, 0, &verify).await?;
    assert!(included.included.block > 0);
    let mut changed = vectors.seal.clone();
    changed.sector_number += 1;
    let wrong: Result<(), ProofError> =
        alice.query(&verifier, &bundle.call_data("ProofVerification::verify_porep", changed)?).await?;
    assert_eq!(wrong, Err(ProofError::InvalidProof));

    let post = bundle.call_data(
        "ProofVerification::verify_post",
        (vectors.post_proof, vectors.post_randomness, vectors.post_replicas.clone(), vectors.post_bytes.clone()),
    )?;
    let dry = alice.dry_run_call(&alice.account(), &verifier, 0, &post).await?;
    let verdict: Result<(), ProofError> = decode_answer(&dry.result.map_err(|e| format!("{e:?}"))?.data)?;
    assert_eq!(verdict, Ok(()));
    eprintln!("node verify_post: ref_time {} proof_size {}", dry.gas_required.ref_time, dry.gas_required.proof_size);
    let mut other = vectors.post_randomness;
    other[0] ^= 1;
    let post = bundle.call_data(
        "ProofVerification::verify_post",
        (vectors.post_proof, other, vectors.post_replicas.clone(), vectors.post_bytes.clone()),
    )?;
    let wrong: Result<(), ProofError> = alice.query(&verifier, &post).await?;
    assert_eq!(wrong, Err(ProofError::InvalidProof));
    Ok(())
}

#[tokio::test]
async fn a_beacon_round_runs_on_the_node_and_its_events_decode() -> TestResult {
    let setup = Setup::new().await?;
    let beacon = setup.address("randomness");
    let dave = signer("//Dave").await;
    let policy = BeaconPolicy::FAST;
    let bond = dave.call("bond", &beacon, policy.min_bond * 10, &setup.input("randomness", "bond", ())).await?;
    let bonded: Vec<Bonded> = events_of(&bond.included.events, &beacon)?;
    assert_eq!(bonded.len(), 1);
    assert_eq!(bonded[0].participant, AccountId::from(dave.account()));
    let bond_result: Result<(), RandomnessError> = bond.value()?;
    assert_eq!(bond_result, Ok(()));

    let current = loop {
        let current: Option<CurrentRound> =
            setup.alice.query(&beacon, &setup.input("randomness", "current_round", ())).await?;
        let now = setup.alice.block_number().await?;
        match current {
            Some(round) if round.phase == RoundPhase::Commit && now + 1 < round.reveal_starts => break round,
            _ => setup.alice.advance_blocks(1).await?,
        };
    };
    let secret = [7u8; 32];
    let commitment: [u8; 32] = setup
        .alice
        .query(
            &beacon,
            &setup.input("randomness", "commitment_for", (current.round, AccountId::from(dave.account()), secret)),
        )
        .await?;
    let committed =
        dave.call("commit", &beacon, 0, &setup.input("randomness", "commit", (current.round, commitment))).await?;
    assert_eq!(events_of::<Committed>(&committed.included.events, &beacon)?.len(), 1);
    // A dry-run sees the best block and the extrinsic runs in the next: both in the reveal phase.
    setup.alice.advance_to(current.reveal_starts).await?;
    let revealed =
        dave.call("reveal", &beacon, 0, &setup.input("randomness", "reveal", (current.round, secret))).await?;
    assert_eq!(events_of::<Revealed>(&revealed.included.events, &beacon)?.len(), 1);
    setup.alice.advance_to(current.ends + 1).await?;
    let finalised =
        setup.alice.call("finalise", &beacon, 0, &setup.input("randomness", "finalise", current.round)).await?;
    let rounds: Vec<RoundFinalised> = events_of(&finalised.included.events, &beacon)?;
    assert_eq!(rounds.len(), 1, "{:?}", finalised.included.events);
    let unbond = dave.call("unbond", &beacon, 0, &setup.input("randomness", "unbond", policy.min_bond)).await?;
    assert_eq!(events_of::<UnbondRequested>(&unbond.included.events, &beacon)?.len(), 1);
    Ok(())
}

#[tokio::test]
async fn a_provider_registers_and_publishes_a_deal_signed_as_a_wallet_signs() -> TestResult {
    let setup = Setup::new().await?;
    let (registry, market) = (setup.address("provider_registry"), setup.address("market"));
    let charlie = signer("//Charlie").await;
    let bob = signer("//Bob").await;
    let provider = AccountId::from(charlie.account());

    let input = setup.input(
        "provider_registry",
        "register_storage_provider",
        (b"12D3KooW-rust-e2e".to_vec(), RegisteredPoStProof::StackedDRGWindow2KiBV1P1),
    );
    let registered = charlie.call("register_storage_provider", &registry, 0, &input).await?;
    let event: Vec<StorageProviderRegistered> = events_of(&registered.included.events, &registry)?;
    assert_eq!(event.len(), 1);
    assert_eq!(event[0].owner, provider);
    let collateral = charlie
        .call("add_collateral", &registry, 10_000_000_000, &setup.input("provider_registry", "add_collateral", ()))
        .await?;
    assert_eq!(events_of::<CollateralAdded>(&collateral.included.events, &registry)?.len(), 1);
    let renamed = charlie
        .call(
            "change_peer_id",
            &registry,
            0,
            &setup.input("provider_registry", "change_peer_id", b"12D3KooW-renamed".to_vec()),
        )
        .await?;
    assert_eq!(events_of::<PeerIdChanged>(&renamed.included.events, &registry)?.len(), 1);
    let worker = AccountId::from(account_of(&keypair("//Eve")?));
    let changed =
        charlie.call("change_worker", &registry, 0, &setup.input("provider_registry", "change_worker", worker)).await?;
    assert_eq!(events_of::<WorkerChanged>(&changed.included.events, &registry)?.len(), 1);
    let answer: Result<(), RegistryError> = changed.value()?;
    assert_eq!(answer, Ok(()));
    let withdrawn = charlie
        .call("withdraw_collateral", &registry, 0, &setup.input("provider_registry", "withdraw_collateral", 1_000u128))
        .await?;
    assert_eq!(events_of::<CollateralWithdrawn>(&withdrawn.included.events, &registry)?.len(), 1);

    for chain in [&bob, &charlie] {
        let added =
            chain.call("add_balance", &market, 1_000_000_000, &setup.input("market", "add_balance", ())).await?;
        assert_eq!(events_of::<BalanceAdded>(&added.included.events, &market)?.len(), 1);
    }
    let withdrawn =
        bob.call("withdraw_balance", &market, 0, &setup.input("market", "withdraw_balance", 1_000u128)).await?;
    assert_eq!(events_of::<BalanceWithdrawn>(&withdrawn.included.events, &market)?.len(), 1);
    let domain: [u8; 32] =
        hex::decode(setup.deployment.market_domain.trim_start_matches("0x"))?.try_into().map_err(|_| "domain")?;
    let now = setup.alice.block_number().await?;
    let proposal = DealProposal {
        piece_cid: hex::decode("0181e2039220206a47b11ddbf2a369882def2c771ed499420ac8489a9e8845f704c053efdf2a20")?,
        piece_size: 2048,
        client: AccountId::from(bob.account()),
        provider,
        label: b"rust-e2e.bin".to_vec(),
        start_block: now + 60,
        end_block: now + 60 + 2 * MarketPolicy::FAST.min_deal_duration,
        storage_price_per_block: 1_000,
        provider_collateral: 1_000_000,
        state: DealState::Published,
    };
    // What Polkadot.js `signRaw` signs: the payload wrapped in <Bytes>…</Bytes>.
    let mut wrapped = b"<Bytes>".to_vec();
    wrapped.extend_from_slice(&proposal.signing_payload(&domain));
    wrapped.extend_from_slice(b"</Bytes>");
    let signature = keypair("//Bob")?.sign(&wrapped);
    let deal = ClientDealProposal { proposal, client_signature: ClientSignature::Sr25519(signature.0) };
    let publish = setup.input("market", "publish_storage_deals", vec![deal.clone()]);
    let published = charlie.call("publish_storage_deals", &market, 0, &publish).await?;
    let ids: Result<Vec<DealId>, MarketError> = published.value()?;
    let ids = ids.map_err(|e| format!("{e:?}"))?;
    assert_eq!(ids.len(), 1);
    let events: Vec<DealsPublished> = events_of(&published.included.events, &market)?;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].provider, provider);
    eprintln!(
        "node publish_storage_deals (1 sr25519 deal): ref_time {} proof_size {} deposit {}",
        published.gas_required.ref_time,
        published.gas_required.proof_size,
        published.storage_deposit.signed()
    );
    // The same signed deal is refused the second time.
    match charlie.call("publish_storage_deals", &market, 0, &publish).await {
        Err(NodeError::Reverted { answer, .. }) => {
            let again: Result<Vec<DealId>, MarketError> = decode_answer(&answer)?;
            assert_eq!(again, Err(MarketError::DuplicateDeal));
        }
        other => panic!("expected DuplicateDeal, got {other:?}"),
    }
    Ok(())
}

#[tokio::test]
async fn the_backend_names_what_went_wrong() -> TestResult {
    match NodeChain::connect("ws://127.0.0.1:1", "//Alice").await {
        Err(NodeError::Unreachable { .. }) => {}
        other => panic!("expected Unreachable, got {:?}", other.err()),
    }
    assert!(matches!(NodeChain::connect(&url(), "not a uri //").await, Err(NodeError::InvalidSuri(_))));
    let bundles = load_bundles(&ink_dir())?;
    let verifier = &bundles["proof_verifier"];
    let poor = signer("//NobodyFundedThis").await;
    match poor.instantiate(verifier, "new", &[], 0, &[1; 32]).await {
        Err(NodeError::InsufficientFunds { .. }) => {}
        other => panic!("expected InsufficientFunds, got {:?}", other.err()),
    }
    let mut alice = signer("//Alice").await;
    alice.limits = Limits { gas: Some(Weight { ref_time: 1_000, proof_size: 1_000 }), storage_deposit: None };
    assert!(matches!(
        alice.instantiate(verifier, "new", &[], 0, &[2; 32]).await,
        Err(NodeError::GasLimitTooLow { .. })
    ));
    alice.limits = Limits { gas: None, storage_deposit: Some(1) };
    assert!(matches!(
        alice.instantiate(verifier, "new", &[], 0, &[3; 32]).await,
        Err(NodeError::StorageDepositLimitTooLow { .. })
    ));
    Ok(())
}
