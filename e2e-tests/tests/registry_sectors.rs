//! The registry's sector flow on the sandbox chain with real proofs (`deploy::storage_flow`):
//! a client's file gets its CommP from storage-cli, the provider publishes the signed deal,
//! seals the file with the ticket `seal_ticket` answers, pre-commits, waits for the seed
//! `interactive_seed` answers, proves with storage-cli and prove-commits; the verifier checks
//! the PoRep on-chain and the market shows the deal active in the sector. The registry's funds
//! are checked after every call. Needs the Groth16 parameters (`scripts/params.sh`) and the
//! built bundles; proofs come from the machine's proof cache after the first run.

use anyhow::{ensure, Context, Result};
use polka_storage_deploy::chain::dev_account;
use polka_storage_deploy::market_sandbox::id;
use polka_storage_deploy::runtime::UNIT;
use polka_storage_deploy::storage_flow::StorageFlow;
use polka_storage_primitives::market::{DealLookup, DealState};
use polka_storage_primitives::policy::ProvingPolicy;
use polka_storage_primitives::proofs::ProofError;
use polka_storage_primitives::registry::{
    PartitionView, PreCommitsExpired, RegistryError, RegistryFunds, SectorOnChainInfo, SectorsPreCommitted,
    SectorsProven,
};
use std::path::PathBuf;

fn work_dir(name: &str) -> Result<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// A client's file: 1,000 bytes, a 1 KiB piece once padded.
fn client_file(dir: &std::path::Path) -> Result<PathBuf> {
    let path = dir.join("client-file.bin");
    std::fs::write(&path, (0..1_000u32).map(|i| (i * 31 % 253) as u8).collect::<Vec<_>>())?;
    Ok(path)
}

/// The client's file sealed, pre-committed and proven with its deal; returns the flow, the
/// deal and where the sector went. The same calls in every test, so the PoRep comes from the
/// proof cache after the first.
fn deal_sector_flow(name: &str) -> Result<(StorageFlow, u64, polka_storage_primitives::registry::ProveCommitResult)> {
    let dir = work_dir(name)?;
    let mut flow = StorageFlow::new(&dir, 100 * UNIT)?;
    let policy: ProvingPolicy = flow.registry_view("policy", ())?;
    let file = client_file(&dir)?;
    let now = flow.chain.block_number();
    let (deal_id, _) = flow.publish_deal(&file, now + 80, now + 150)?;
    let (records, height) = flow.seal(&[(1, vec![file])])?;
    let expiration = flow.chain.block_number() + policy.max_prove_commit_duration + policy.min_sector_expiration + 60;
    let info = StorageFlow::pre_commit_info(&records[0], height, &[deal_id], expiration);
    let provider = flow.provider.clone();
    flow.registry_ok::<_, ()>(&provider, "pre_commit_sectors", (vec![info],), 0)?;
    let proof = flow.prove(1)?;
    let results = flow.prove_commit(&provider, vec![proof])?;
    Ok((flow, deal_id, results[0]))
}

#[test]
fn a_voluntary_termination_ends_the_deal_in_the_market_and_releases_the_pledge() -> Result<()> {
    use polka_storage_primitives::market::{BalanceEntry, DealTerminated};
    use polka_storage_primitives::registry::{SectorDeclaration, SectorsTerminated};
    let (mut flow, deal_id, placed) = deal_sector_flow("registry-terminate")?;
    let policy: ProvingPolicy = flow.registry_view("policy", ())?;
    let provider = flow.provider.clone();
    let (owner, market) = (flow.suite.owner.clone(), flow.suite.market.clone());
    let client = id(&flow.client.account());
    let client_before: BalanceEntry = flow.chain.query(&owner, &market, "balance", (client,))?;
    let free_before = flow.provider_state()?.collateral.free;
    let declaration = SectorDeclaration { deadline: placed.deadline, partition: placed.partition, sectors: vec![1] };
    let answer = flow.registry_call::<_, ()>(&provider, "terminate_sectors", (vec![declaration],), 0)?;
    ensure!(answer.value.is_ok(), "terminate_sectors: {:?}", answer.value);
    println!("terminate_sectors (1 sector with a deal): {:?}", answer.gas);
    let terminated: Vec<SectorsTerminated> = flow.suite.registry.events(&answer.events, "SectorsTerminated")?;
    ensure!(terminated.len() == 1 && terminated[0].sectors == vec![1], "{terminated:?}");
    let fee = policy.termination_fee(policy.initial_pledge(), 0);
    ensure!(terminated[0].fees == fee && terminated[0].released == policy.initial_pledge() - fee);
    ensure!(flow.provider_state()?.collateral.free == free_before + policy.initial_pledge() - fee);
    // Spec §8.3 #4: the market settled the deal (before its start: the client's fee comes back).
    let ended: Vec<DealTerminated> = flow.suite.market.events(&answer.events, "DealTerminated")?;
    ensure!(ended.len() == 1 && ended[0].deal_id == deal_id, "{ended:?}");
    ensure!(!matches!(flow.chain.query::<_, DealLookup>(&owner, &market, "deal", (deal_id,))?, DealLookup::Live(_)));
    let client_after: BalanceEntry = flow.chain.query(&owner, &market, "balance", (client,))?;
    ensure!(
        client_after.locked < client_before.locked && client_after.free > client_before.free,
        "the client was refunded"
    );
    // The sector is no longer live: terminating it again is refused.
    let declaration = SectorDeclaration { deadline: placed.deadline, partition: placed.partition, sectors: vec![1] };
    let again = flow.registry_call::<_, ()>(&provider, "terminate_sectors", (vec![declaration],), 0)?;
    ensure!(again.value == Err(RegistryError::SectorsNotLive), "{:?}", again.value);
    Ok(())
}

#[test]
fn a_clients_file_is_sealed_proven_on_chain_and_its_deal_activated() -> Result<()> {
    let dir = work_dir("registry-flow")?;
    let mut flow = StorageFlow::new(&dir, 100 * UNIT)?;
    let policy: ProvingPolicy = flow.registry_view("policy", ())?;
    let file = client_file(&dir)?;
    let now = flow.chain.block_number();
    let (start, end) = (now + 80, now + 150);
    let (deal_id, piece) = flow.publish_deal(&file, start, end)?;

    let (records, height) = flow.seal(&[(1, vec![file])])?;
    let record = &records[0];
    ensure!(record.pieces.len() == 1 && record.pieces[0].commp == piece.commitment, "sealed the client's piece");
    let expiration = flow.chain.block_number() + policy.max_prove_commit_duration + policy.min_sector_expiration + 60;
    let info = StorageFlow::pre_commit_info(record, height, &[deal_id], expiration);
    let provider = flow.provider.clone();
    let free_before = flow.provider_state()?.collateral.free;
    let answer = flow.registry_call::<_, ()>(&provider, "pre_commit_sectors", (vec![info.clone()],), 0)?;
    ensure!(answer.value.is_ok(), "pre_commit_sectors: {:?}", answer.value);
    let events: Vec<SectorsPreCommitted> = flow.suite.registry.events(&answer.events, "SectorsPreCommitted")?;
    ensure!(events.len() == 1 && events[0].sectors == vec![info], "SectorsPreCommitted: {events:?}");
    let state = flow.provider_state()?;
    ensure!(state.collateral.free == free_before - policy.pre_commit_deposit(), "the deposit is locked");
    ensure!(state.collateral.pre_commit_deposits == policy.pre_commit_deposit());

    let proof = flow.prove(1)?;
    let answer = flow.registry_call::<_, Vec<polka_storage_primitives::registry::ProveCommitResult>>(
        &provider,
        "prove_commit_sectors",
        (vec![proof],),
        0,
    )?;
    let results = answer.value.clone().map_err(|error| anyhow::anyhow!("prove_commit_sectors: {error:?}"))?;
    println!("prove_commit_sectors (1 sector, real PoRep): {:?}", answer.gas);
    let proven: Vec<SectorsProven> = flow.suite.registry.events(&answer.events, "SectorsProven")?;
    ensure!(proven.len() == 1 && proven[0].sectors == results, "SectorsProven: {proven:?}");

    // The market shows the deal active in that sector.
    let (owner, market) = (flow.suite.owner.clone(), flow.suite.market.clone());
    match flow.chain.query::<_, DealLookup>(&owner, &market, "deal", (deal_id,))? {
        DealLookup::Live(deal) => match deal.state {
            DealState::Active(active) => {
                ensure!(active.sector_number == 1, "active in sector {}", active.sector_number)
            }
            other => anyhow::bail!("the deal is {other:?}"),
        },
        other => anyhow::bail!("the deal is {other:?}"),
    }
    // The sector, its partition and the collateral as the views show them.
    let sector: SectorOnChainInfo =
        flow.registry_view::<_, Option<_>>("sector", (id(&provider), 1u32))?.context("the sector is proven")?;
    ensure!((sector.deadline, sector.partition) == (results[0].deadline, results[0].partition));
    ensure!(sector.deal_ids == vec![deal_id]);
    let partition: PartitionView = flow
        .registry_view::<_, Option<_>>("partition", (id(&provider), sector.deadline, sector.partition))?
        .context("the partition exists")?;
    ensure!(partition.sectors == vec![1] && partition.unproven == vec![1], "partition {partition:?}");
    let state = flow.provider_state()?;
    ensure!(state.collateral.pre_commit_deposits == 0, "the deposit came back");
    ensure!(state.collateral.initial_pledges == policy.initial_pledge(), "the pledge is locked");
    ensure!((state.proven_sectors, state.pre_committed_sectors) == (1, 0));
    let funds: RegistryFunds = flow.registry_view("funds", ())?;
    ensure!(funds.locked == policy.initial_pledge() && funds.slashed == 0, "{funds:?}");
    Ok(())
}

#[test]
fn a_worker_batch_proves_and_bad_proofs_and_late_pre_commits_are_handled() -> Result<()> {
    let dir = work_dir("registry-batch")?;
    let mut flow = StorageFlow::new(&dir, 100 * UNIT)?;
    let policy: ProvingPolicy = flow.registry_view("policy", ())?;
    let provider = flow.provider.clone();
    let worker = dev_account("Alice");
    flow.registry_ok::<_, ()>(&provider, "change_worker", (id(&worker),), 0)?;

    // Two committed-capacity sectors, sealed and pre-committed by the worker, and a third that
    // is never proven.
    let (records, height) = flow.seal(&[(1, vec![]), (2, vec![]), (3, vec![])])?;
    let expiration = flow.chain.block_number() + policy.max_prove_commit_duration + policy.min_sector_expiration + 5;
    let infos: Vec<_> =
        records.iter().map(|record| StorageFlow::pre_commit_info(record, height, &[], expiration)).collect();
    flow.registry_ok::<_, ()>(&worker, "pre_commit_sectors", (infos,), 0)?;
    let proofs = vec![flow.prove(1)?, flow.prove(2)?];

    // A proof of the wrong sector is refused by the verifier, and nothing changes.
    let mut swapped = proofs.clone();
    swapped[0].proof = proofs[1].proof.clone();
    let before = flow.provider_state()?;
    let refused = flow.registry_call::<_, Vec<polka_storage_primitives::registry::ProveCommitResult>>(
        &worker,
        "prove_commit_sectors",
        (swapped,),
        0,
    )?;
    ensure!(
        refused.value == Err(RegistryError::Proof(ProofError::InvalidProof)) && refused.reverted,
        "{:?}",
        refused.value
    );
    ensure!(flow.provider_state()? == before, "a refused prove-commit changed the provider");

    // The worker proves both in one call: one batch verification with the owner's prover id.
    let answer = flow.registry_call::<_, Vec<polka_storage_primitives::registry::ProveCommitResult>>(
        &worker,
        "prove_commit_sectors",
        (proofs,),
        0,
    )?;
    let results = answer.value.clone().map_err(|error| anyhow::anyhow!("prove_commit_sectors: {error:?}"))?;
    println!("prove_commit_sectors (2 sectors, real PoReps, batch): {:?}", answer.gas);
    ensure!(results.len() == 2);

    // The third expires when its window closes: anyone cranks, the deposit is slashed once.
    let pre_commit: polka_storage_primitives::registry::SectorPreCommitOnChainInfo =
        flow.registry_view::<_, Option<_>>("pre_commit", (id(&provider), 3u32))?.context("sector 3 waits")?;
    flow.chain.advance_to(pre_commit.pre_commit_block + policy.max_prove_commit_duration);
    let stranger = dev_account("Eve");
    let answer = flow.registry_call::<_, u32>(&stranger, "expire_precommits", (id(&provider),), 0)?;
    ensure!(answer.value == Ok(1), "expire_precommits: {:?}", answer.value);
    let expired: Vec<PreCommitsExpired> = flow.suite.registry.events(&answer.events, "PreCommitsExpired")?;
    ensure!(
        expired.len() == 1 && expired[0].sector_numbers == vec![3] && expired[0].slashed == policy.pre_commit_deposit()
    );
    let funds: RegistryFunds = flow.registry_view("funds", ())?;
    ensure!(funds.slashed == policy.pre_commit_deposit() && funds.locked == 2 * policy.initial_pledge(), "{funds:?}");
    // Only the owner withdraws: the worker is refused, the owner is paid.
    let refused = flow.registry_call::<_, ()>(&worker, "withdraw_collateral", (UNIT,), 0)?;
    ensure!(refused.value == Err(RegistryError::NotProviderOwner));
    let balance = flow.chain.balance(&provider);
    flow.registry_ok::<_, ()>(&provider, "withdraw_collateral", (UNIT,), 0)?;
    ensure!(flow.chain.balance(&provider) > balance, "the owner was paid");
    Ok(())
}
