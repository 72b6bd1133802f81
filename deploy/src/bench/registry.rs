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
use polka_storage_primitives::registry::{ProveCommitResult, SectorPreCommitInfo, SectorPreCommitOnChainInfo};
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
fn prove_commit_once(count: u32) -> Result<(Gas, Gas)> {
    let mut flow = StorageFlow::new(&work_dir(&format!("prove-{count}"))?, 10_000 * UNIT)?;
    let policy: ProvingPolicy = flow.registry_view("policy", ())?;
    let provider = flow.provider.clone();
    let numbers: Vec<(SectorNumber, Vec<PathBuf>)> = (1..=count).map(|n| (n, Vec::new())).collect();
    let (records, height) = flow.seal(&numbers)?;
    // One expiration for every batch size, so that the sectors' inputs repeat.
    let expiration = flow.chain.block_number() + policy.max_prove_commit_duration + policy.min_sector_expiration + 10;
    let infos: Vec<_> = records.iter().map(|r| StorageFlow::pre_commit_info(r, height, &[], expiration)).collect();
    flow.registry_ok::<_, ()>(&provider, "pre_commit_sectors", (infos,), 0)?;
    let mut proofs = Vec::new();
    let mut seals: Vec<SealVerifyInfo> = Vec::new();
    for record in &records {
        let proof = flow.prove(record.sector_number)?;
        let pre_commit: SectorPreCommitOnChainInfo = flow
            .registry_view::<_, Option<_>>("pre_commit", (crate::market_sandbox::id(&provider), record.sector_number))?
            .context("pre-committed")?;
        let seed_block = pre_commit.pre_commit_block + policy.pre_commit_challenge_delay;
        let seed = polka_storage_primitives::randomness::draw_randomness(
            &flow.keeper.randomness_at(&mut flow.chain, seed_block)?.map_err(|e| anyhow!("{e:?}"))?,
            polka_storage_primitives::randomness::DomainSeparationTag::InteractiveSealChallengeSeed,
            u64::from(seed_block),
            flow.provider.as_ref(),
        );
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
    answer.value.map_err(|error| anyhow!("prove_commit_sectors: {error:?}"))?;
    Ok((answer.gas, direct.gas))
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
        let (gas, verification) = prove_commit_once(count)?;
        out.push(Measurement::new(CONTRACT, format!("prove_commit_sectors ({count} sectors, real PoRep)"), gas));
        let added = Gas {
            ref_time: gas.ref_time.saturating_sub(verification.ref_time) / u64::from(count),
            proof_size: gas.proof_size.saturating_sub(verification.proof_size) / u64::from(count),
        };
        out.push(Measurement::new(CONTRACT, format!("  of which per sector beyond verification ({count})"), added));
    }
    Ok(out)
}
