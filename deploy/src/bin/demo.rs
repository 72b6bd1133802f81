//! The main job: build the four contracts, deploy and wire them on the sandbox chain, and run
//! the storage flow as far as the contracts carry it today: governance loads the verifying keys,
//! beacon participants produce a round of randomness, a provider registers, a client funds the
//! market and signs a deal that the provider publishes, and real filecoin-proofs proofs verify
//! through the deployed verifier. Every call's gas is printed at the end.

use anyhow::{anyhow, ensure, Context, Result};
use polka_storage_deploy::bundle::{build_contracts, SUITE_CONTRACTS};
use polka_storage_deploy::chain::{dev_account, Chain, Deployed};
use polka_storage_deploy::market_sandbox::{id, proposal, Client, KeyKind};
use polka_storage_deploy::runtime::UNIT;
use polka_storage_deploy::suite::{Suite, Timing};
use polka_storage_primitives::beacon::{commitment, BeaconError, CurrentRound, RandomnessError};
use polka_storage_primitives::market::{BalanceEntry, DealLookup, MarketDomain, MarketError};
use polka_storage_primitives::proofs::ProofError;
use polka_storage_primitives::randomness::{draw_randomness, DomainSeparationTag};
use polka_storage_primitives::registry::RegistryError;
use polka_storage_primitives::sector::{ProofType, RegisteredPoStProof, RegisteredSealProof};
use polka_storage_primitives::DealId;
use polka_storage_proofs::vectors::Vectors;
use scale::{Decode, Encode};
use sp_runtime::AccountId32;

fn main() -> Result<()> {
    if std::env::var_os("SKIP_CONTRACT_BUILD").is_none() {
        println!("building the contracts with cargo-contract (release)…");
        build_contracts(&SUITE_CONTRACTS)?;
    }
    let mut chain = Chain::new();
    let suite = Suite::deploy(&mut chain, Timing::Fast)?;
    println!("1. deployed and wired on the sandbox chain (block {}):", chain.block_number());
    println!("   {:<18} {:<50} {:>10}", "contract", "address", "wasm bytes");
    for contract in suite.contracts() {
        println!("   {:<18} {:<50} {:>10}", contract.bundle.name, contract.address, contract.bundle.wasm.len());
    }

    let vectors = Vectors::load().map_err(|e| anyhow!("reading ../shared/vectors: {e}"))?;
    load_keys(&mut chain, &suite, &vectors)?;
    let (output, block) = beacon_round(&mut chain, &suite.beacon)?;
    deal_flow(&mut chain, &suite, &output, block)?;
    verify_proofs(&mut chain, &suite.verifier, &vectors)?;

    println!("\ngas of every call (sandbox weights; block % of substrate-contracts-node's 2e12 ref_time):");
    println!("   {:<18} {:<28} {:>16} {:>12} {:>8}", "contract", "message", "ref_time", "proof_size", "block %");
    for record in &chain.gas_log {
        println!(
            "   {:<18} {:<28} {:>16} {:>12} {:>7.2}%",
            record.contract,
            record.message,
            record.gas.ref_time,
            record.gas.proof_size,
            100.0 * record.gas.share_of_block()
        );
    }
    println!("\nthe storage flow ran end to end on the sandbox chain.");
    Ok(())
}

/// Calls a message that answers `Result<R, E>` and fails the demo on an `Err`.
fn call_ok<A: Encode, R: Decode, E: Decode + std::fmt::Debug>(
    chain: &mut Chain,
    caller: &AccountId32,
    contract: &Deployed,
    message: &str,
    args: A,
    value: u128,
) -> Result<R> {
    let answer = chain.call::<A, Result<R, E>>(caller, contract, message, args, value)?;
    answer.value.map_err(|error| anyhow!("{}::{message} failed: {error:?}", contract.bundle.name))
}

/// Governance sets the verifying keys of the 2 KiB PoRep and Window PoSt (the keys of the
/// shared vectors; `storage-cli params --export` makes those of Filecoin's StackedDrg2KiBV1_1).
fn load_keys(chain: &mut Chain, suite: &Suite, vectors: &Vectors) -> Result<()> {
    let seal = ProofType::Seal(RegisteredSealProof::StackedDRG2KiBV1P1);
    let post = ProofType::PoSt(vectors.post_proof);
    for (proof_type, key) in [(seal, &vectors.porep_key), (post, &vectors.post_key)] {
        call_ok::<_, (), ProofError>(
            chain,
            &suite.owner,
            &suite.verifier,
            "set_verifying_key",
            (proof_type, key.clone()),
            0,
        )?;
    }
    println!("2. governance set the verifying keys of {seal:?} and {post:?}");
    Ok(())
}

/// Three participants bond, commit and reveal; anyone finalises. Returns the round's output and
/// its last block.
fn beacon_round(chain: &mut Chain, beacon: &Deployed) -> Result<([u8; 32], u32)> {
    let people: Vec<AccountId32> = ["Bob", "Charlie", "Dave"].into_iter().map(dev_account).collect();
    for who in &people {
        call_ok::<_, (), RandomnessError>(chain, who, beacon, "bond", (), 10 * UNIT)?;
    }
    let current: Option<CurrentRound> = chain.query(&people[0], beacon, "current_round", ())?;
    let mut round = current.context("the beacon runs from its instantiation")?;
    if chain.block_number() > round.commit_starts {
        chain.advance_to(round.ends.saturating_add(1));
        let next: Option<CurrentRound> = chain.query(&people[0], beacon, "current_round", ())?;
        round = next.context("the next round")?;
    }
    let secret = |who: &AccountId32| sp_core::blake2_256(&(who, round.round, "demo secret").encode());
    for who in &people {
        let sealed = commitment(round.round, &id(who), &secret(who));
        call_ok::<_, (), RandomnessError>(chain, who, beacon, "commit", (round.round, sealed), 0)?;
    }
    chain.advance_to(round.reveal_starts);
    for who in &people {
        call_ok::<_, (), RandomnessError>(chain, who, beacon, "reveal", (round.round, secret(who)), 0)?;
    }
    chain.advance_to(round.ends.saturating_add(1));
    call_ok::<_, (), RandomnessError>(chain, &people[0], beacon, "finalise", (round.round,), 0)?;
    let output = chain
        .call::<_, Result<[u8; 32], BeaconError>>(&people[0], beacon, "randomness_at", (round.ends,), 0)?
        .value
        .map_err(|error| anyhow!("randomness_at: {error:?}"))?;
    println!(
        "3. beacon round {} (blocks {}..={}): 3 participants committed and revealed; output 0x{}",
        round.round,
        round.commit_starts,
        round.ends,
        hex(&output)
    );
    Ok((output, round.ends))
}

/// A provider registers; a client funds the market and signs a deal (sr25519, as Polkadot.js
/// signs); the provider publishes it.
fn deal_flow(chain: &mut Chain, suite: &Suite, beacon_output: &[u8; 32], block: u32) -> Result<()> {
    let provider = dev_account("Ferdie");
    let answer = chain.call::<_, Result<(), RegistryError>>(
        &provider,
        &suite.registry,
        "register_storage_provider",
        (b"12D3KooW-demo-provider".to_vec(), RegisteredPoStProof::StackedDRGWindow2KiBV1P1),
        0,
    )?;
    ensure!(matches!(answer.value, Ok(())), "register_storage_provider failed: {:?}", answer.value);
    let ticket =
        draw_randomness(beacon_output, DomainSeparationTag::SealRandomness, u64::from(block), id(&provider).as_ref());
    println!("4. provider {provider} registered; its seal ticket for block {block} is 0x{}", hex(&ticket));

    let client = Client::new(KeyKind::Sr25519, "//DemoClient");
    chain.endow(&client.account(), 1_000 * UNIT);
    call_ok::<_, (), MarketError>(chain, &client.account(), &suite.market, "add_balance", (), 100 * UNIT)?;
    call_ok::<_, (), MarketError>(chain, &provider, &suite.market, "add_balance", (), 100 * UNIT)?;
    let start = chain.block_number().saturating_add(100);
    // Deals are signed for the market's own domain, which it shows.
    let domain: MarketDomain = chain.query(&provider, &suite.market, "domain", ())?;
    let deal =
        client.sign_deal(&domain, proposal(&client.account(), &provider, 1, (start, start + 1_000), UNIT / 100, UNIT));
    let ids: Vec<DealId> =
        call_ok::<_, _, MarketError>(chain, &provider, &suite.market, "publish_storage_deals", (vec![deal],), 0)?;
    let deal_id = *ids.first().context("one deal published")?;
    let lookup: DealLookup = chain.query(&provider, &suite.market, "deal", (deal_id,))?;
    let funds: BalanceEntry = chain.query(&provider, &suite.market, "balance", (id(&client.account()),))?;
    println!(
        "5. client {} signed a deal (sr25519), provider published it as deal {deal_id}: {}",
        client.account(),
        match lookup {
            DealLookup::Live(proposal) =>
                format!("{:?}, blocks {}..{}", proposal.state, proposal.start_block, proposal.end_block),
            other => format!("{other:?}"),
        }
    );
    println!("   client funds in the market: free {}, locked {} (the deal's fee)", funds.free, funds.locked);
    Ok(())
}

/// The proofs of ../shared/vectors, made by filecoin-proofs, verify through the deployed
/// verifier, as the registry will call it in prove-commit and Window PoSt.
fn verify_proofs(chain: &mut Chain, verifier: &Deployed, vectors: &Vectors) -> Result<()> {
    let caller = dev_account("Ferdie");
    call_ok::<_, (), ProofError>(chain, &caller, verifier, "verify_porep", (vectors.seal.clone(),), 0)?;
    let args = (vectors.post_proof, vectors.post_randomness, vectors.post_replicas.clone(), vectors.post_bytes.clone());
    call_ok::<_, (), ProofError>(chain, &caller, verifier, "verify_post", args, 0)?;
    let mut tampered = vectors.seal.clone();
    tampered.seed[0] ^= 1;
    let rejected = chain.call::<_, Result<(), ProofError>>(&caller, verifier, "verify_porep", (tampered,), 0)?.value;
    ensure!(rejected == Err(ProofError::InvalidProof), "a tampered seed must be refused, got {rejected:?}");
    println!(
        "6. filecoin-proofs PoRep of sector {} and Window PoSt of {} sector(s) verified on-chain; the same PoRep with another seed: {:?}",
        vectors.seal.sector_number,
        vectors.post_replicas.len(),
        rejected.unwrap_err()
    );
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
