//! The registry's benchmark section. Pre-commits and the expiry crank are measured with
//! committed-capacity sectors (no sealing needed: their CommD is the empty sector's); every
//! prove-commit is measured with real PoReps made by storage-cli over sectors sealed in the
//! storage flow. Each batch size runs on a fresh flow that does the same calls, so sector k
//! gets the same ticket and seed in every run and its proof comes from the proof cache after
//! the first: the whole section needs 8 PoReps once per machine.
//!
//! What prove-commit adds on top of its PoRep verification is measured as the difference with
//! `verify_porep` / `verify_porep_batch` of the same proofs called on the verifier directly.

use super::Measurement;
use crate::chain::Gas;
use crate::runtime::UNIT;
use crate::storage_flow::StorageFlow;
use anyhow::{anyhow, Context, Result};
use polka_storage_primitives::commitment::{commitment_to_cid, compute_unsealed_sector_commitment, CommitmentKind};
use polka_storage_primitives::policy::{ProvingPolicy, MAX_PROVE_COMMIT_SECTORS, MAX_SECTORS_PER_CALL};
use polka_storage_primitives::proofs::{ProofError, SealVerifyInfo};
use polka_storage_primitives::registry::{ProveCommitResult, RegistryError, SectorPreCommitInfo};
use polka_storage_primitives::sector::SectorNumber;
use std::path::PathBuf;
use storage_cli::params::SEAL_PROOF;

const CONTRACT: &str = "provider_registry";

fn work_dir(name: &str) -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("polka-storage-bench-{name}-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// `count` committed-capacity pre-commits from sector `first` at the flow's block (CommR made
/// up: pre-commit does not verify it).
fn cc_pre_commits(
    flow: &mut StorageFlow,
    first: SectorNumber,
    count: u32,
    policy: &ProvingPolicy,
) -> Result<Vec<SectorPreCommitInfo>> {
    let height = flow.chain.block_number().saturating_sub(1);
    flow.keeper.cover(&mut flow.chain, height)?;
    let now = flow.chain.block_number();
    let zero =
        compute_unsealed_sector_commitment(SEAL_PROOF.padded_sector_size(), &[]).map_err(|e| anyhow!("{e:?}"))?;
    Ok((first..first + count)
        .map(|number| {
            let mut comm_r = sp_core::blake2_256(&number.to_le_bytes());
            comm_r[31] &= 0x3f;
            SectorPreCommitInfo {
                seal_proof: SEAL_PROOF,
                sector_number: number,
                sealed_cid: commitment_to_cid(&comm_r, CommitmentKind::Sealed),
                seal_randomness_height: height,
                deal_ids: Vec::new(),
                expiration: now + policy.max_prove_commit_duration + policy.min_sector_expiration + 10,
                unsealed_cid: commitment_to_cid(&zero, CommitmentKind::Unsealed),
            }
        })
        .collect())
}

fn pre_commit_rows(out: &mut Vec<Measurement>) -> Result<()> {
    let mut flow = StorageFlow::new(&work_dir("pre-commit")?, 10_000 * UNIT)?;
    let policy: ProvingPolicy = flow.registry_view("policy", ())?;
    let provider = flow.provider.clone();
    let mut next = 1;
    for count in [1u32, 8, MAX_SECTORS_PER_CALL as u32] {
        let sectors = cc_pre_commits(&mut flow, next, count, &policy)?;
        next += count;
        let answer = flow.registry_call::<_, ()>(&provider, "pre_commit_sectors", (sectors,), 0)?;
        answer.value.map_err(|error| anyhow!("pre_commit_sectors: {error:?}"))?;
        out.push(Measurement::new(CONTRACT, format!("pre_commit_sectors ({count} sectors)"), answer.gas));
    }
    // Every one of them expires: the crank clears 32 of them.
    flow.chain.advance_blocks(policy.max_prove_commit_duration + 1);
    let crank =
        flow.registry_call::<_, u32>(&provider, "expire_precommits", (crate::market_sandbox::id(&provider),), 0)?;
    let expired = crank.value.map_err(|error| anyhow!("expire_precommits: {error:?}"))?;
    out.push(Measurement::new(CONTRACT, format!("expire_precommits ({expired} expired)"), crank.gas));
    Ok(())
}

/// A fresh flow that seals, pre-commits and proves sectors 1..=count, and prove-commits them in
/// one call. Returns the prove-commit's gas and that of verifying the same proofs directly.
fn prove_commit_once(count: u32) -> Result<(Gas, Gas, StorageFlow, Vec<ProveCommitResult>)> {
    let mut flow = StorageFlow::new(&work_dir(&format!("prove-{count}"))?, 10_000 * UNIT)?;
    let policy: ProvingPolicy = flow.registry_view("policy", ())?;
    let provider = flow.provider.clone();
    let numbers: Vec<(SectorNumber, Vec<PathBuf>)> = (1..=count).map(|n| (n, Vec::new())).collect();
    let (records, height) = flow.seal(&numbers)?;
    // As late as allowed, so that the Window PoSt rows run before the sectors expire (the
    // expiration is no PoRep input: the proofs still come from the cache).
    let expiration = flow.chain.block_number() + policy.max_sector_expiration - 1;
    let infos: Vec<_> = records.iter().map(|r| StorageFlow::pre_commit_info(r, height, &[], expiration)).collect();
    flow.registry_ok::<_, ()>(&provider, "pre_commit_sectors", (infos,), 0)?;
    let mut proofs = Vec::new();
    let mut seals: Vec<SealVerifyInfo> = Vec::new();
    for record in &records {
        let proof = flow.prove(record.sector_number)?;
        // The seed the proof was made with, as the registry answers it.
        let seed = flow
            .registry_view::<_, Result<[u8; 32], RegistryError>>(
                "interactive_seed",
                (crate::market_sandbox::id(&provider), record.sector_number),
            )?
            .map_err(|e| anyhow!("interactive_seed: {e:?}"))?;
        seals.push(record.seal_verify_info(seed, proof.proof.clone()));
        proofs.push(proof);
    }
    let (owner, verifier) = (flow.suite.owner.clone(), flow.suite.verifier.clone());
    let direct = if seals.len() == 1 {
        flow.chain.call::<_, Result<(), ProofError>>(&owner, &verifier, "verify_porep", (seals[0].clone(),), 0)?
    } else {
        flow.chain.call::<_, Result<(), ProofError>>(&owner, &verifier, "verify_porep_batch", (seals,), 0)?
    };
    direct.value.map_err(|error| anyhow!("direct verification: {error:?}"))?;
    let answer = flow.registry_call::<_, Vec<ProveCommitResult>>(&provider, "prove_commit_sectors", (proofs,), 0)?;
    let results = answer.value.map_err(|error| anyhow!("prove_commit_sectors: {error:?}"))?;
    Ok((answer.gas, direct.gas, flow, results))
}

/// Window PoSt, disputes, declarations, the crank and termination on the 8 proven sectors, with
/// real Window PoSts made by storage-cli.
fn post_rows(out: &mut Vec<Measurement>, mut flow: StorageFlow, results: &[ProveCommitResult]) -> Result<()> {
    use polka_storage_primitives::deadline::DeadlineInfo;
    use polka_storage_primitives::registry::SectorDeclaration;
    let provider = flow.provider.clone();
    let account = crate::market_sandbox::id(&provider);
    let mut deadlines: Vec<u32> = results.iter().map(|r| r.deadline).collect();
    deadlines.sort_unstable();
    deadlines.dedup();
    let info = |flow: &mut StorageFlow, index: u32| -> Result<DeadlineInfo> {
        flow.registry_view::<_, Result<DeadlineInfo, RegistryError>>("deadline_info", (account, index))?
            .map_err(|e| anyhow!("deadline_info: {e:?}"))
    };
    // Every deadline proven once, each submission measured.
    for &index in &deadlines {
        let (index, partitions, proofs) = flow.window_post(index)?;
        let count = partitions.len();
        let window = info(&mut flow, index)?;
        let answer = flow.registry_call::<_, ()>(&provider, "submit_windowed_post", (index, partitions, proofs), 0)?;
        answer.value.map_err(|e| anyhow!("submit_windowed_post: {e:?}"))?;
        out.push(Measurement::new(
            CONTRACT,
            format!("submit_windowed_post ({count} partitions, optimistic)"),
            answer.gas,
        ));
        flow.chain.advance_to(window.close_at);
    }
    // A bad proof of the first deadline, disputed by a stranger.
    let first = deadlines[0];
    let (index, partitions, mut proofs) = flow.window_post(first)?;
    let window = info(&mut flow, index)?;
    let sectors: Vec<SectorNumber> = results
        .iter()
        .filter(|r| r.deadline == first && r.partition == partitions[0])
        .map(|r| r.sector_number)
        .collect();
    proofs[0] = storage_cli::sector::window_post(&flow.store, &sectors, [0x11; 32])?;
    flow.registry_ok::<_, ()>(&provider, "submit_windowed_post", (index, partitions.clone(), proofs), 0)?;
    let disputer = crate::chain::dev_account("Eve");
    let answer =
        flow.registry_call::<_, u128>(&disputer, "dispute_windowed_post", (account, index, partitions[0]), 0)?;
    answer.value.map_err(|e| anyhow!("dispute_windowed_post: {e:?}"))?;
    out.push(Measurement::new(CONTRACT, "dispute_windowed_post (invalid proof, punished)", answer.gas));
    flow.chain.advance_to(window.close_at);
    // Declarations for the last deadline, ahead of its cutoff.
    let last = *deadlines.last().context("a deadline")?;
    let target = results.iter().find(|r| r.deadline == last).context("a sector")?;
    let window = info(&mut flow, last)?;
    let before_cutoff = window.fault_cutoff.saturating_sub(1);
    flow.chain.advance_to(before_cutoff);
    let declaration =
        SectorDeclaration { deadline: last, partition: target.partition, sectors: vec![target.sector_number] };
    let answer = flow.registry_call::<_, ()>(&provider, "declare_faults", (vec![declaration.clone()],), 0)?;
    answer.value.map_err(|e| anyhow!("declare_faults: {e:?}"))?;
    out.push(Measurement::new(CONTRACT, "declare_faults (1 sector)", answer.gas));
    let answer = flow.registry_call::<_, ()>(&provider, "declare_faults_recovered", (vec![declaration],), 0)?;
    answer.value.map_err(|e| anyhow!("declare_faults_recovered: {e:?}"))?;
    out.push(Measurement::new(CONTRACT, "declare_faults_recovered (1 sector)", answer.gas));
    // The crank over a whole proving period nobody proved.
    let policy: ProvingPolicy = flow.registry_view("policy", ())?;
    flow.chain.advance_blocks(policy.wpost_proving_period);
    let covered = flow.chain.block_number().saturating_sub(1);
    flow.keeper.cover(&mut flow.chain, covered)?;
    let answer = flow.registry_call::<_, u32>(&disputer, "process_deadlines", (account,), 0)?;
    let processed = answer.value.map_err(|e| anyhow!("process_deadlines: {e:?}"))?;
    out.push(Measurement::new(
        CONTRACT,
        format!("process_deadlines ({processed} deadlines, 8 sectors faulting)"),
        answer.gas,
    ));
    // A termination of a sector in a mutable deadline.
    let now = flow.chain.block_number();
    let state = flow.provider_state()?;
    if let Some(sector) = results.iter().find(|r| {
        polka_storage_primitives::deadline::deadline_is_mutable(state.proving_period_start, r.deadline, now, &policy)
    }) {
        let declaration = SectorDeclaration {
            deadline: sector.deadline,
            partition: sector.partition,
            sectors: vec![sector.sector_number],
        };
        let answer = flow.registry_call::<_, ()>(&provider, "terminate_sectors", (vec![declaration],), 0)?;
        answer.value.map_err(|e| anyhow!("terminate_sectors: {e:?}"))?;
        out.push(Measurement::new(CONTRACT, "terminate_sectors (1 sector)", answer.gas));
    }
    Ok(())
}

/// The registry's benchmark section.
pub fn measure() -> Result<Vec<Measurement>> {
    let mut out = Vec::new();
    pre_commit_rows(&mut out)?;
    let mut sizes = vec![1u32, 2, 4];
    if !sizes.contains(&(MAX_PROVE_COMMIT_SECTORS as u32)) {
        sizes.push(MAX_PROVE_COMMIT_SECTORS as u32);
    }
    for count in sizes {
        let (gas, verification, flow, results) = prove_commit_once(count)?;
        out.push(Measurement::new(CONTRACT, format!("prove_commit_sectors ({count} sectors, real PoRep)"), gas));
        let added = Gas {
            ref_time: gas.ref_time.saturating_sub(verification.ref_time) / u64::from(count),
            proof_size: gas.proof_size.saturating_sub(verification.proof_size) / u64::from(count),
        };
        out.push(Measurement::new(CONTRACT, format!("  of which per sector beyond verification ({count})"), added));
        if count == MAX_PROVE_COMMIT_SECTORS as u32 {
            post_rows(&mut out, flow, &results)?;
        }
    }
    Ok(out)
}
