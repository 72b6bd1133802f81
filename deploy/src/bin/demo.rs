//! The main job: build the four contracts, deploy and wire them on the sandbox chain, and run
//! the storage flow as far as the contracts carry it: governance loads the verifying keys that
//! `storage-cli params` exports; beacon participants keep rounds going; a provider registers
//! and adds collateral; a client computes the CommP of a file and signs a deal (sr25519, as a
//! Polkadot.js wallet signs) that the provider publishes; the provider seals the file with the
//! ticket drawn on chain, pre-commits, waits for the seed, proves (filecoin-proofs) and
//! prove-commits, which verifies the PoRep on chain and activates the deal; it then proves two
//! proving periods of Window PoSt and gains power; the client's payments are settled. Every
//! call's gas and every account's balances are printed at the end. Nothing is faked: where a
//! step is missing from the contracts, the demo says so.

use anyhow::{anyhow, Context, Result};
use polka_storage_deploy::bundle::{build_contracts, SUITE_CONTRACTS};
use polka_storage_deploy::chain::dev_account;
use polka_storage_deploy::market_sandbox::id;
use polka_storage_deploy::runtime::UNIT;
use polka_storage_deploy::storage_flow::StorageFlow;
use polka_storage_primitives::deadline::DeadlineInfo;
use polka_storage_primitives::market::{BalanceEntry, DealLookup, DealState, MarketError, SettlementReport};
use polka_storage_primitives::policy::ProvingPolicy;
use polka_storage_primitives::registry::{Power, RegistryError, RegistryFunds};
use std::time::Instant;

fn main() -> Result<()> {
    if std::env::var_os("SKIP_CONTRACT_BUILD").is_none() {
        println!("building the contracts with cargo-contract (release)…");
        build_contracts(&SUITE_CONTRACTS)?;
    }
    let work = std::env::temp_dir().join(format!("polka-storage-demo-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let mut flow = StorageFlow::new(&work, 100 * UNIT)?;
    let policy: ProvingPolicy = flow.registry_view("policy", ())?;
    println!("1. deployed and wired on the sandbox chain; verifying keys of storage-cli's parameters set:");
    for contract in flow.suite.contracts() {
        println!("   {:<18} {:<50} {:>7} B", contract.bundle.name, contract.address, contract.bundle.wasm.len());
    }
    println!(
        "2. Ferdie registered as a provider with 100 units of collateral; Bob, Charlie and Dave bond in the beacon"
    );

    // The client's file, its CommP, the signed deal.
    let file = work.join("client-file.txt");
    std::fs::write(&file, "Polka Storage on ink!: a client's file, sealed and proven on chain.\n".repeat(12))?;
    let now = flow.chain.block_number();
    let (deal_id, piece) = flow.publish_deal(&file, now + 80, now + 150)?;
    println!(
        "3. Eve computed CommP {} ({} bytes padded), signed deal {deal_id} (sr25519), Ferdie published it",
        hex(&piece.commitment),
        piece.padded_size.get()
    );

    // Sealing with the ticket from the chain, pre-commit, the seed, PoRep, prove-commit.
    let (records, height) = flow.seal(&[(1, vec![file.clone()])])?;
    println!("4. sealed sector 1 with the ticket of block {height} (CommR {})", hex(&records[0].comm_r));
    let expiration = flow.chain.block_number() + policy.max_prove_commit_duration + policy.min_sector_expiration + 300;
    let info = StorageFlow::pre_commit_info(&records[0], height, &[deal_id], expiration);
    let provider = flow.provider.clone();
    flow.registry_ok::<_, ()>(&provider, "pre_commit_sectors", (vec![info],), 0)?;
    println!("5. pre-committed at block {} (deposit {})", flow.chain.block_number(), policy.pre_commit_deposit());
    let started = Instant::now();
    let proof = flow.prove(1)?;
    println!("6. the seed became final; PoRep made in {:.0?} (filecoin-proofs, or the proof cache)", started.elapsed());
    let placed = flow.prove_commit(&provider, vec![proof])?;
    let (owner, market) = (flow.suite.owner.clone(), flow.suite.market.clone());
    let active = match flow.chain.query::<_, DealLookup>(&owner, &market, "deal", (deal_id,))? {
        DealLookup::Live(deal) => matches!(deal.state, DealState::Active(_)),
        _ => false,
    };
    println!(
        "7. prove_commit_sectors verified the PoRep on chain: sector 1 in deadline {} partition {}; deal {deal_id} active: {active}",
        placed[0].deadline, placed[0].partition
    );

    // Two proving periods of Window PoSt.
    for period in 1..=2 {
        let (index, partitions, proofs) = flow.window_post(placed[0].deadline)?;
        let window: DeadlineInfo = flow
            .registry_view::<_, Result<DeadlineInfo, RegistryError>>("deadline_info", (id(&provider), index))?
            .map_err(|e| anyhow!("deadline_info: {e:?}"))?;
        flow.registry_ok::<_, ()>(&provider, "submit_windowed_post", (index, partitions, proofs), 0)?;
        flow.chain.advance_to(window.close_at);
        let power: Option<Power> = flow.registry_view("provider_power", (id(&provider),))?;
        println!(
            "8.{period} Window PoSt of deadline {index} (blocks {}..{}) accepted; power {} bytes",
            window.open_at,
            window.close_at,
            power.map(|p| p.raw).unwrap_or(0)
        );
    }

    // Settlement.
    let start = now + 80;
    flow.chain.advance_to(start + 20);
    let settled = flow
        .chain
        .call::<_, Result<SettlementReport, MarketError>>(
            &provider,
            &market,
            "settle_deal_payments",
            (vec![deal_id],),
            0,
        )?
        .value
        .map_err(|e| anyhow!("settle_deal_payments: {e:?}"))?;
    println!("9. settled deal {deal_id} at block {}: {settled:?}", flow.chain.block_number());
    println!("   not yet in the contracts: the market's view of faults (faulty blocks unpaid) and piece inclusion by the client in this demo");

    println!("\ngas of every call (sandbox weights; block % of substrate-contracts-node's 2e12 ref_time):");
    println!("   {:<18} {:<28} {:>16} {:>12} {:>8}", "contract", "message", "ref_time", "proof_size", "block %");
    for record in &flow.chain.gas_log {
        println!(
            "   {:<18} {:<28} {:>16} {:>12} {:>7.2}%",
            record.contract,
            record.message,
            record.gas.ref_time,
            record.gas.proof_size,
            100.0 * record.gas.share_of_block()
        );
    }
    println!("\nbalances:");
    let client = flow.client.account();
    for (name, account) in [("Eve (client)", client.clone()), ("Ferdie (provider)", provider.clone())] {
        let entry: BalanceEntry = flow.chain.query(&owner, &market, "balance", (id(&account),))?;
        println!(
            "   {name:<18} native {:>22}  market free {:>16} locked {:>16}",
            flow.chain.balance(&account),
            entry.free,
            entry.locked
        );
    }
    let state = flow.provider_state()?;
    let funds: RegistryFunds = flow.registry_view("funds", ())?;
    println!("   Ferdie's collateral  {:?}", state.collateral);
    println!("   registry books       {funds:?}");
    for who in ["Bob", "Charlie", "Dave"] {
        println!("   {who:<18} native {:>22}", flow.chain.balance(&dev_account(who)));
    }
    flow.check_registry_funds().context("the books balance")?;
    println!("\nthe storage flow ran end to end on the sandbox chain.");
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
