//! The registry's invariants, written once (builtin-actors' `testing.rs`): the unit tests, the
//! sandbox fixtures and the benchmark all check a state with [`check_state_invariants`], which
//! lists every violation instead of panicking. Walks whole providers: for tests only.

use crate::state::RegistryState;
use ink::prelude::{format, string::String, vec::Vec};
use polka_storage_primitives::registry::{ProviderState, RegistryFunds};
use polka_storage_primitives::{AccountId, Balance};

/// What the invariants found: the totals walked, and every violation.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct StateSummary {
    /// Providers walked.
    pub providers: u32,
    /// Pre-commits walked.
    pub pre_commits: u32,
    /// Proven sectors walked.
    pub sectors: u32,
    /// Σ free and Σ locked collateral over the providers.
    pub funds: RegistryFunds,
    /// Violations, in words.
    pub violations: Vec<String>,
}

impl StateSummary {
    /// Whether nothing was violated.
    pub fn is_ok(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Checks every invariant of the registry's state:
/// - Σ providers' free and locked collateral are the books' free and locked;
/// - a provider's deposits are the Σ of its pre-commits' deposits, its pledges the Σ of its
///   sectors' pledges, and its counts the number of each;
/// - every pre-commit is in the expiry queue;
/// - every proven sector is in exactly the partition it names, and the deadline loads count
///   the partitions' sectors.
pub fn check_state_invariants(state: &RegistryState) -> StateSummary {
    let mut summary = StateSummary::default();
    let mut free: Balance = 0;
    let mut locked: Balance = 0;
    for index in 0..state.provider_count {
        let Some(provider) = state.provider_list.get(index) else {
            summary.violations.push(format!("provider #{index} missing from the list"));
            continue;
        };
        let Some(provider_state) = state.providers.get(provider) else {
            summary.violations.push(format!("listed provider {provider:?} has no state"));
            continue;
        };
        summary.providers = summary.providers.saturating_add(1);
        free = free.saturating_add(provider_state.collateral.free);
        locked = locked.saturating_add(provider_state.collateral.locked().unwrap_or(Balance::MAX));
        check_provider(state, &provider, &provider_state, &mut summary);
    }
    summary.funds = RegistryFunds { free, locked, slashed: state.funds.slashed };
    let total = walk_power(state);
    if total != state.total_power {
        summary.violations.push(format!("providers' power sums to {total:?}, the total says {:?}", state.total_power));
    }
    if free != state.funds.free || locked != state.funds.locked {
        summary.violations.push(format!("books {:?} but providers hold free {free}, locked {locked}", state.funds));
    }
    summary
}

fn walk_power(state: &RegistryState) -> polka_storage_primitives::registry::Power {
    let mut total = polka_storage_primitives::registry::Power::default();
    for index in 0..state.provider_count {
        if let Some(p) = state.provider_list.get(index).and_then(|provider| state.providers.get(provider)) {
            total.raw = total.raw.saturating_add(p.power.raw);
            total.quality_adjusted = total.quality_adjusted.saturating_add(p.power.quality_adjusted);
        }
    }
    total
}

fn check_provider(
    state: &RegistryState,
    provider: &AccountId,
    provider_state: &ProviderState,
    summary: &mut StateSummary,
) {
    let mut violations = Vec::new();
    // Pre-commits: every live one is in the queue between head and tail.
    let mut deposits: Balance = 0;
    let mut pre_commits = 0u32;
    for position in provider_state.expiry_queue_head..provider_state.expiry_queue_tail {
        let Some((sector, block)) = state.expiry_queue.get((*provider, position)) else {
            violations.push(format!("queue entry {position} missing"));
            continue;
        };
        if let Some(pre_commit) = state.precommits.get((*provider, sector)) {
            if pre_commit.pre_commit_block == block {
                deposits = deposits.saturating_add(pre_commit.pre_commit_deposit);
                pre_commits = pre_commits.saturating_add(1);
            }
        }
    }
    if pre_commits != provider_state.pre_committed_sectors {
        violations
            .push(format!("{pre_commits} queued pre-commits, count says {}", provider_state.pre_committed_sectors));
    }
    if deposits != provider_state.collateral.pre_commit_deposits {
        violations
            .push(format!("deposits {deposits}, collateral says {}", provider_state.collateral.pre_commit_deposits));
    }
    // Sectors: each in the partition it names; loads count them.
    let mut pledges: Balance = 0;
    let mut per_deadline = ink::prelude::vec![0u32; provider_state.deadlines.len()];
    for position in 0..provider_state.proven_sectors {
        let Some(number) = state.sector_list.get((*provider, position)) else {
            violations.push(format!("sector list entry {position} missing"));
            continue;
        };
        let Some(sector) = state.sectors.get((*provider, number)) else {
            violations.push(format!("listed sector {number} has no info"));
            continue;
        };
        summary.sectors = summary.sectors.saturating_add(1);
        pledges = pledges.saturating_add(sector.initial_pledge);
        if state.precommits.contains((*provider, number)) {
            violations.push(format!("sector {number} is both proven and pre-committed"));
        }
        match state.partitions.get((*provider, sector.deadline, sector.partition)) {
            Some(partition) if partition.sectors.contains(number) => {}
            _ => violations
                .push(format!("sector {number} not in its partition {}/{}", sector.deadline, sector.partition)),
        }
        match usize::try_from(sector.deadline).ok().and_then(|d| per_deadline.get_mut(d)) {
            Some(count) => *count = count.saturating_add(1),
            None => violations.push(format!("sector {number} in deadline {} out of range", sector.deadline)),
        }
    }
    if pledges != provider_state.collateral.initial_pledges {
        violations.push(format!("pledges {pledges}, collateral says {}", provider_state.collateral.initial_pledges));
    }
    for (deadline, (load, counted)) in provider_state.deadlines.iter().zip(per_deadline).enumerate() {
        // Partitions fill in order: exactly ⌈total / size⌉ of them, each within its size, its
        // sets nested as they must be (recoveries ⊆ faults ⊆ live, unproven ⊆ live).
        let size = provider_state.info.window_post_partition_sectors;
        let partitions = u64::from(load.total_sectors).div_ceil(size.max(1));
        let deadline = u32::try_from(deadline).unwrap_or(u32::MAX);
        let mut terminated: u32 = 0;
        for partition in 0..=partitions {
            let stored = state.partitions.get((*provider, deadline, u32::try_from(partition).unwrap_or(u32::MAX)));
            match (partition < partitions, stored) {
                (true, Some(p))
                    if u64::try_from(p.sectors.len()).unwrap_or(u64::MAX) <= size
                        && p.unproven.is_subset(&p.live())
                        && p.faults.is_subset(&p.live())
                        && p.recoveries.is_subset(&p.faults)
                        && p.terminated.is_subset(&p.sectors) =>
                {
                    terminated = terminated.saturating_add(u32::try_from(p.terminated.len()).unwrap_or(u32::MAX));
                }
                (false, None) => {}
                (_, stored) => violations.push(format!("deadline {deadline} partition {partition}: {stored:?}")),
            }
        }
        if load.total_sectors != counted || load.live_sectors != counted.saturating_sub(terminated) {
            violations
                .push(format!("deadline {deadline} load {load:?}, {counted} sectors found, {terminated} terminated"));
        }
    }
    // Power: the active sectors (proven, not faulty) of every partition; faults and unproven
    // sectors are sectors of the partition.
    let size = provider_state.info.window_post_partition_sectors.max(1);
    let mut active: u128 = 0;
    for (deadline, load) in (0u32..).zip(&provider_state.deadlines) {
        let partitions = u32::try_from(u64::from(load.total_sectors).div_ceil(size)).unwrap_or(0);
        for partition in 0..partitions {
            let Some(p) = state.partitions.get((*provider, deadline, partition)) else { continue };
            if !p.faults.is_subset(&p.sectors) {
                violations.push(format!("partition {deadline}/{partition}: faults outside it"));
            }
            active = active.saturating_add(u128::try_from(p.active().len()).unwrap_or(u128::MAX));
        }
    }
    let expected = active.saturating_mul(u128::from(provider_state.info.sector_size));
    if provider_state.power.raw != expected || provider_state.power.quality_adjusted != expected {
        violations.push(format!("power {:?}, active sectors give {expected}", provider_state.power));
    }
    summary.pre_commits = summary.pre_commits.saturating_add(pre_commits);
    summary.violations.extend(violations.into_iter().map(|v| format!("{provider:?}: {v}")));
}

/// Every stored value a test can reach, SCALE-encoded in a fixed order: equal fingerprints
/// before and after a refused message show that nothing changed.
pub fn fingerprint(state: &RegistryState) -> Vec<u8> {
    use scale::Encode;
    let mut out = (state.policy, state.funds, state.provider_count, state.total_power).encode();
    for index in 0..state.provider_count {
        let Some(provider) = state.provider_list.get(index) else { continue };
        let Some(provider_state) = state.providers.get(provider) else { continue };
        (provider, &provider_state, state.workers.get(provider_state.worker)).encode_to(&mut out);
        for position in provider_state.expiry_queue_head..provider_state.expiry_queue_tail {
            let entry = state.expiry_queue.get((provider, position));
            let pre_commit = entry.and_then(|(sector, _)| state.precommits.get((provider, sector)));
            (entry, pre_commit).encode_to(&mut out);
        }
        for position in 0..provider_state.proven_sectors {
            let number = state.sector_list.get((provider, position));
            number.and_then(|number| state.sectors.get((provider, number))).encode_to(&mut out);
        }
        for (deadline, load) in (0u32..).zip(&provider_state.deadlines) {
            let size = provider_state.info.window_post_partition_sectors.max(1);
            let partitions = u32::try_from(u64::from(load.total_sectors).div_ceil(size)).unwrap_or(0);
            for partition in 0..partitions {
                state.partitions.get((provider, deadline, partition)).encode_to(&mut out);
                state.kept_posts.get((provider, deadline, partition)).encode_to(&mut out);
            }
        }
    }
    out
}
