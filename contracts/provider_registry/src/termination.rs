//! `terminate_sectors` (spec §2.2 (6)): a provider ends sectors early. Each pays a termination
//! fee in the shape of FIP-0098 out of its own pledge (slashed), the rest of the pledge is
//! released to free collateral, the sectors lose their power, and the market settles their
//! deals at once (spec §8.3 #4: the original never told the market of voluntary
//! terminations). Sectors of the deadline being proven and of the next one cannot be
//! terminated, so that nothing moves under a Window PoSt or its dispute.

use crate::bitfield::SectorSet;
use crate::ext::Peers;
use crate::state::{add, RegistryState};
use ink::prelude::vec::Vec;
use polka_storage_primitives::deadline::deadline_is_mutable;
use polka_storage_primitives::policy::{MAX_DECLARATIONS_PER_CALL, MAX_SECTORS_PER_CALL, MAX_SECTORS_PER_DECLARATION};
use polka_storage_primitives::registry::{Event, RegistryError, SectorDeclaration, SectorsTerminated};
use polka_storage_primitives::sector::SectorNumber;
use polka_storage_primitives::{AccountId, Balance, BlockNumber};

impl RegistryState {
    /// Terminates the declared sectors of the provider `caller` acts for, at block `now`.
    pub fn terminate_sectors<P: Peers>(
        &mut self,
        peers: &P,
        caller: AccountId,
        now: BlockNumber,
        terminations: Vec<SectorDeclaration>,
    ) -> Result<Vec<Event>, RegistryError> {
        let (owner, mut state) = self.resolve(&caller)?;
        if terminations.is_empty() {
            return Err(RegistryError::NoDeclarations);
        }
        if terminations.len() > MAX_DECLARATIONS_PER_CALL
            || terminations.iter().any(|t| t.sectors.len() > MAX_SECTORS_PER_DECLARATION)
        {
            return Err(RegistryError::TooManyDeclarations);
        }
        let (_, mut events) = self.catch_up(peers, &owner, &mut state, now)?;
        // Checked before anything changes; one entry per partition.
        let mut partitions = Vec::new();
        let mut total: usize = 0;
        for termination in &terminations {
            let mut sectors = termination.sectors.clone();
            sectors.sort_unstable();
            sectors.dedup();
            let declared = SectorSet::from_sorted_unique(sectors).ok_or(RegistryError::EmptyDeclaration)?;
            if declared.is_empty() {
                return Err(RegistryError::EmptyDeclaration);
            }
            if termination.partition >= self.partition_count(&state, termination.deadline)? {
                return Err(RegistryError::InvalidPartition);
            }
            if !deadline_is_mutable(state.proving_period_start, termination.deadline, now, &self.policy) {
                return Err(RegistryError::CannotTerminateImmutableDeadline);
            }
            let key = (owner, termination.deadline, termination.partition);
            if partitions.iter().any(|(k, _, _)| *k == key) {
                return Err(RegistryError::DuplicatePartition);
            }
            let partition = self.partitions.get(key).ok_or(RegistryError::InvalidPartition)?;
            if !declared.is_subset(&partition.sectors) {
                return Err(RegistryError::SectorNotInPartition);
            }
            if !declared.is_subset(&partition.live()) {
                return Err(RegistryError::SectorsNotLive);
            }
            total = total.saturating_add(declared.len());
            partitions.push((key, partition, declared));
        }
        if total > MAX_SECTORS_PER_CALL {
            return Err(RegistryError::TooManySectors);
        }
        let terminated: Vec<SectorNumber> = partitions.iter().flat_map(|(_, _, d)| d.iter().copied()).collect();
        peers.on_sectors_terminate(owner, terminated.clone())?;

        let (mut fees, mut released): (Balance, Balance) = (0, 0);
        for (key, mut partition, declared) in partitions {
            let lost = partition.terminate(&declared)?;
            self.lose_power(&mut state, lost.len())?;
            for &number in declared.iter() {
                let mut sector = self.sectors.get((owner, number)).ok_or(RegistryError::SectorNotFound)?;
                let pledge = sector.initial_pledge;
                let fee = self.policy.termination_fee(pledge, now.saturating_sub(sector.activation)).min(pledge);
                self.release_pledge(&mut state, pledge, fee)?;
                fees = add(fees, fee)?;
                released = add(released, pledge.saturating_sub(fee))?;
                sector.initial_pledge = 0;
                self.sectors.insert((owner, number), &sector);
            }
            let load = usize::try_from(key.1)
                .ok()
                .and_then(|index| state.deadlines.get_mut(index))
                .ok_or(RegistryError::InvalidDeadline)?;
            let count = u32::try_from(declared.len()).map_err(|_| RegistryError::ArithmeticOverflow)?;
            load.live_sectors = load.live_sectors.checked_sub(count).ok_or(RegistryError::ArithmeticOverflow)?;
            self.partitions.insert(key, &partition);
            self.kept_posts.remove(key);
        }
        events.push(self.power_event(&owner, &state));
        self.providers.insert(owner, &state);
        events.push(Event::SectorsTerminated(SectorsTerminated {
            owner,
            sectors: terminated,
            block: now,
            fees,
            released,
        }));
        Ok(events)
    }
}
