//! `declare_faults` and `declare_faults_recovered` (spec §2.2 (4)-(5)): a provider declares
//! sectors faulty before their deadline's fault cutoff (they lose power now and pay the fault
//! fee from the deadline's next processing, instead of faulting by a missed proof), or
//! declares faulty sectors recovered (they stay faulty until a verified Window PoSt of their
//! partition). Every declared sector must be in the declared partition (spec §8.3 #18).

use crate::bitfield::SectorSet;
use crate::ext::Peers;
use crate::partition::PartitionState;
use crate::state::{PartitionKey, RegistryState};
use ink::prelude::vec::Vec;
use polka_storage_primitives::policy::{MAX_DECLARATIONS_PER_CALL, MAX_SECTORS_PER_DECLARATION};
use polka_storage_primitives::registry::{
    Event, FaultsDeclared, ProviderState, RecoveriesDeclared, RegistryError, SectorDeclaration,
};
use polka_storage_primitives::{AccountId, BlockNumber};

/// Which declaration is being made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Declared {
    Faults,
    Recoveries,
}

impl RegistryState {
    /// Declares sectors faulty for the provider `caller` acts for.
    pub fn declare_faults<P: Peers>(
        &mut self,
        peers: &P,
        caller: AccountId,
        now: BlockNumber,
        faults: Vec<SectorDeclaration>,
    ) -> Result<Vec<Event>, RegistryError> {
        let (owner, mut state, mut events, partitions) =
            self.declarations(peers, caller, now, &faults, Declared::Faults)?;
        let size = state.info.window_post_partition_sectors;
        for (key, mut partition, declared) in partitions {
            let lost = partition.fault(&declared, size, now)?;
            self.lose_power(&mut state, lost.len())?;
            self.partitions.insert(key, &partition);
        }
        events.push(self.power_event(&owner, &state));
        self.providers.insert(owner, &state);
        events.push(Event::FaultsDeclared(FaultsDeclared { owner, faults }));
        Ok(events)
    }

    /// Declares faulty sectors recovered for the provider `caller` acts for.
    pub fn declare_faults_recovered<P: Peers>(
        &mut self,
        peers: &P,
        caller: AccountId,
        now: BlockNumber,
        recoveries: Vec<SectorDeclaration>,
    ) -> Result<Vec<Event>, RegistryError> {
        let (owner, state, mut events, partitions) =
            self.declarations(peers, caller, now, &recoveries, Declared::Recoveries)?;
        for (key, mut partition, declared) in partitions {
            partition.recoveries.union_with(&declared, u64::MAX).map_err(|_| RegistryError::SectorNotInPartition)?;
            self.partitions.insert(key, &partition);
        }
        self.providers.insert(owner, &state);
        events.push(Event::RecoveriesDeclared(RecoveriesDeclared { owner, recoveries }));
        Ok(events)
    }

    /// The checks both declarations share; answers each declared partition with its sectors.
    #[allow(clippy::type_complexity)]
    fn declarations<P: Peers>(
        &mut self,
        peers: &P,
        caller: AccountId,
        now: BlockNumber,
        declarations: &[SectorDeclaration],
        kind: Declared,
    ) -> Result<(AccountId, ProviderState, Vec<Event>, Vec<(PartitionKey, PartitionState, SectorSet)>), RegistryError>
    {
        let (owner, mut state) = self.resolve(&caller)?;
        if declarations.is_empty() {
            return Err(RegistryError::NoDeclarations);
        }
        if declarations.len() > MAX_DECLARATIONS_PER_CALL
            || declarations.iter().any(|d| d.sectors.len() > MAX_SECTORS_PER_DECLARATION)
        {
            return Err(RegistryError::TooManyDeclarations);
        }
        let (_, events) = self.catch_up(peers, &owner, &mut state, now)?;
        let mut partitions: Vec<(PartitionKey, PartitionState, SectorSet)> = Vec::new();
        for declaration in declarations {
            let mut sectors = declaration.sectors.clone();
            sectors.sort_unstable();
            sectors.dedup();
            let declared = SectorSet::from_sorted_unique(sectors).ok_or(RegistryError::EmptyDeclaration)?;
            if declared.is_empty() {
                return Err(RegistryError::EmptyDeclaration);
            }
            let target = self.deadline_info(&owner, declaration.deadline, now)?;
            if target.fault_cutoff_passed(now) {
                return Err(match kind {
                    Declared::Faults => RegistryError::FaultDeclarationTooLate,
                    Declared::Recoveries => RegistryError::FaultRecoveryTooLate,
                });
            }
            if declaration.partition >= self.partition_count(&state, declaration.deadline)? {
                return Err(RegistryError::InvalidPartition);
            }
            let key = (owner, declaration.deadline, declaration.partition);
            // A partition declared twice in one call keeps one entry, its sets merged.
            let position = partitions.iter().position(|(k, _, _)| *k == key);
            let partition = match position {
                Some(index) => partitions.get(index).map(|(_, p, _)| p.clone()),
                None => self.partitions.get(key),
            }
            .ok_or(RegistryError::InvalidPartition)?;
            if !declared.is_subset(&partition.sectors) {
                return Err(RegistryError::SectorNotInPartition);
            }
            if kind == Declared::Recoveries && !declared.is_subset(&partition.faults) {
                return Err(RegistryError::SectorsNotFaulty);
            }
            match position.and_then(|index| partitions.get_mut(index)) {
                Some((_, _, merged)) => {
                    merged.union_with(&declared, u64::MAX).map_err(|_| RegistryError::SectorNotInPartition)?
                }
                None => partitions.push((key, partition, declared)),
            }
        }
        Ok((owner, state, events, partitions))
    }
}
