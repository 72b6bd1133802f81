//! Window PoSt on the sandbox chain with real proofs: sectors proven with real PoReps (from the
//! proof cache) are proven every deadline with Window PoSts made by storage-cli for the
//! challenge the registry draws from the beacon; they gain power, a missed deadline faults its
//! partition and removes its power, a bad proof is accepted, disputed by a third account and
//! punished (reward paid, rest slashed), and a valid proof cannot be disputed. The registry's
//! and the market's funds are checked after every call.

use anyhow::{ensure, Context, Result};
use polka_storage_deploy::chain::dev_account;
use polka_storage_deploy::market_sandbox::id;
use polka_storage_deploy::runtime::UNIT;
use polka_storage_deploy::storage_flow::StorageFlow;
use polka_storage_primitives::deadline::DeadlineInfo;
use polka_storage_primitives::policy::ProvingPolicy;
use polka_storage_primitives::registry::{
    DeadlineProcessed, PoStDisputed, Power, ProveCommitResult, RegistryError, RegistryFunds, WindowedPoStSubmitted,
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

/// Two committed-capacity sectors proven with real PoReps, the same inputs as the registry's
/// batch test so that the proofs come from the cache.
fn proven_flow(name: &str) -> Result<(StorageFlow, Vec<ProveCommitResult>)> {
    let dir = work_dir(name)?;
    let mut flow = StorageFlow::new(&dir, 100 * UNIT)?;
    let policy: ProvingPolicy = flow.registry_view("policy", ())?;
    let provider = flow.provider.clone();
    let (records, height) = flow.seal(&[(1, vec![]), (2, vec![])])?;
    let expiration = flow.chain.block_number() + policy.max_prove_commit_duration + policy.min_sector_expiration + 400;
    let infos: Vec<_> = records.iter().map(|r| StorageFlow::pre_commit_info(r, height, &[], expiration)).collect();
    flow.registry_ok::<_, ()>(&provider, "pre_commit_sectors", (infos,), 0)?;
    let proofs = vec![flow.prove(1)?, flow.prove(2)?];
    let results = flow.prove_commit(&provider, proofs)?;
    Ok((flow, results))
}

fn power(flow: &mut StorageFlow) -> Result<u128> {
    let provider = id(&flow.provider);
    Ok(flow.registry_view::<_, Option<Power>>("provider_power", (provider,))?.context("registered")?.raw)
}

/// Proves deadline `index` in its next window, then lets that window close.
fn submit(
    flow: &mut StorageFlow,
    index: u32,
) -> Result<polka_storage_deploy::chain::Answer<Result<(), RegistryError>>> {
    let args = flow.window_post(index)?;
    let provider = flow.provider.clone();
    let info: DeadlineInfo = flow
        .registry_view::<_, Result<DeadlineInfo, RegistryError>>("deadline_info", (id(&provider), index))?
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let answer = flow.registry_call::<_, ()>(&provider, "submit_windowed_post", args, 0)?;
    flow.chain.advance_to(info.close_at);
    Ok(answer)
}

/// The deadlines that hold the proven sectors.
fn deadlines_of(results: &[ProveCommitResult]) -> Vec<u32> {
    let mut deadlines: Vec<u32> = results.iter().map(|r| r.deadline).collect();
    deadlines.sort_unstable();
    deadlines.dedup();
    deadlines
}

#[test]
fn a_provider_proves_two_periods_gains_power_and_a_missed_deadline_faults() -> Result<()> {
    let (mut flow, results) = proven_flow("registry-post")?;
    ensure!(power(&mut flow)? == 0, "no power before the first Window PoSt");
    let deadlines = deadlines_of(&results);
    for period in 0..2 {
        for &index in &deadlines {
            let answer = submit(&mut flow, index)?;
            ensure!(answer.value.is_ok(), "period {period} deadline {index}: {:?}", answer.value);
            println!("submit_windowed_post (deadline {index}, real PoSt): {:?}", answer.gas);
            let events: Vec<WindowedPoStSubmitted> =
                flow.suite.registry.events(&answer.events, "WindowedPoStSubmitted")?;
            ensure!(events.len() == 1 && events[0].deadline == index, "{events:?}");
        }
        ensure!(power(&mut flow)? == 2 * 2048, "both sectors have power after period {period}");
    }
    let total: Power = flow.registry_view("total_power", ())?;
    ensure!(total.raw == 2 * 2048 && total.quality_adjusted == 2 * 2048);

    // The provider misses the first deadline of the third period: anyone's crank faults it.
    let missed = deadlines[0];
    let provider = id(&flow.provider);
    let info: DeadlineInfo = flow
        .registry_view::<_, Result<DeadlineInfo, RegistryError>>("deadline_info", (provider, missed))?
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    flow.keeper.cover(&mut flow.chain, info.close_at)?;
    let stranger = dev_account("Eve");
    let answer = flow.registry_call::<_, u32>(&stranger, "process_deadlines", (provider,), 0)?;
    ensure!(answer.value.is_ok(), "process_deadlines: {:?}", answer.value);
    let processed: Vec<DeadlineProcessed> = flow.suite.registry.events(&answer.events, "DeadlineProcessed")?;
    let faulted: Vec<u32> = processed.iter().filter(|e| e.deadline == missed).flat_map(|e| e.faulted.clone()).collect();
    let in_missed: Vec<u32> = results.iter().filter(|r| r.deadline == missed).map(|r| r.sector_number).collect();
    ensure!(faulted == in_missed && !faulted.is_empty(), "faulted {faulted:?}, expected {in_missed:?}");
    ensure!(power(&mut flow)? == (2 - in_missed.len() as u128) * 2048, "the faulty sectors lost their power");
    Ok(())
}

#[test]
fn a_bad_window_post_is_disputed_and_punished_a_valid_one_is_not() -> Result<()> {
    let (mut flow, results) = proven_flow("registry-dispute")?;
    let deadlines = deadlines_of(&results);
    let provider = flow.provider.clone();
    // A valid proof for the first deadline cannot be disputed.
    let answer = submit(&mut flow, deadlines[0])?;
    ensure!(answer.value.is_ok(), "{:?}", answer.value);
    let disputer = dev_account("Eve");
    let partition = results.iter().find(|r| r.deadline == deadlines[0]).context("a sector")?.partition;
    let refused =
        flow.registry_call::<_, u128>(&disputer, "dispute_windowed_post", (id(&provider), deadlines[0], partition), 0)?;
    ensure!(refused.value == Err(RegistryError::PoStValid) && refused.reverted, "{:?}", refused.value);
    println!("dispute_windowed_post (valid proof, refused): {:?}", refused.gas);

    // A proof made for another challenge is accepted, then disputed.
    let target = *deadlines.last().context("a deadline")?;
    let (index, partitions, mut proofs) = flow.window_post(target)?;
    let wrong = storage_cli::sector::window_post(
        &flow.store,
        &results.iter().filter(|r| r.deadline == target).map(|r| r.sector_number).collect::<Vec<_>>(),
        [0x11; 32],
    )?;
    proofs[0] = wrong;
    let answer =
        flow.registry_call::<_, ()>(&provider, "submit_windowed_post", (index, partitions.clone(), proofs), 0)?;
    ensure!(answer.value.is_ok(), "the bad proof is accepted optimistically: {:?}", answer.value);
    let before_power = power(&mut flow)?;
    let funds_before: RegistryFunds = flow.registry_view("funds", ())?;
    let balance_before = flow.chain.balance(&disputer);
    let answer =
        flow.registry_call::<_, u128>(&disputer, "dispute_windowed_post", (id(&provider), index, partitions[0]), 0)?;
    let reward = answer.value.map_err(|e| anyhow::anyhow!("dispute_windowed_post: {e:?}"))?;
    println!("dispute_windowed_post (invalid proof, punished): {:?}", answer.gas);
    let disputed: Vec<PoStDisputed> = flow.suite.registry.events(&answer.events, "PoStDisputed")?;
    ensure!(disputed.len() == 1 && disputed[0].reward == reward && reward > 0, "{disputed:?}");
    // The disputer also gets back the storage deposit of the kept proof it cleared.
    ensure!(flow.chain.balance(&disputer) >= balance_before + reward, "the disputer was paid");
    let funds: RegistryFunds = flow.registry_view("funds", ())?;
    ensure!(funds.slashed == funds_before.slashed + disputed[0].penalty - reward, "the rest is slashed: {funds:?}");
    ensure!(power(&mut flow)? < before_power, "the disputed sectors lost their power");
    let again =
        flow.registry_call::<_, u128>(&disputer, "dispute_windowed_post", (id(&provider), index, partitions[0]), 0)?;
    ensure!(again.value == Err(RegistryError::NoKeptProof), "{:?}", again.value);
    Ok(())
}
