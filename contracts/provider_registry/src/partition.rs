//! A partition of a deadline (builtin-actors' `partition_state.rs`): the sectors a Window PoSt
//! proves together. Partitions fill in order up to the proof type's partition size (2 sectors
//! for 2 KiB), and a sector never moves, so every set here is bounded by that size.

use crate::bitfield::{SectorSet, SetFull};
use ink::prelude::vec::Vec;
use polka_storage_primitives::registry::{PartitionView, RegistryError};
use polka_storage_primitives::sector::SectorNumber;
use polka_storage_primitives::BlockNumber;

/// The sectors of one partition.
#[derive(Debug, Clone, Default, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct PartitionState {
    /// Every sector ever assigned.
    pub sectors: SectorSet,
    /// Sectors not yet proven by a Window PoSt: they have no power yet.
    pub unproven: SectorSet,
    /// Faulty sectors: no power until recovered.
    pub faults: SectorSet,
    /// Faulty sectors declared recovered: still faulty until a verified Window PoSt.
    pub recoveries: SectorSet,
    /// Terminated sectors: stay in `sectors` (partitions never shrink) but are no longer live.
    pub terminated: SectorSet,
    /// When each faulty sector became faulty (bounded by the partition's size), for
    /// `fault_max_age`.
    pub fault_since: Vec<(SectorNumber, BlockNumber)>,
    /// The block the challenge window this partition was last proven in opened.
    pub posted_at: Option<BlockNumber>,
}

impl PartitionState {
    /// Adds a newly proven sector (unproven until its first Window PoSt), if the partition has
    /// room for it.
    pub fn add_sector(&mut self, sector: SectorNumber, size: u64) -> Result<(), RegistryError> {
        let full = |_: SetFull| RegistryError::MaxPartitionsReached;
        if !self.sectors.insert(sector, size).map_err(full)? {
            return Err(RegistryError::SectorNumberAlreadyUsed);
        }
        self.unproven.insert(sector, size).map_err(full)?;
        Ok(())
    }

    /// Sectors a Window PoSt of this partition proves: live and not faulty, and the faulty
    /// ones declared recovered.
    pub fn provable(&self) -> SectorSet {
        let mut provable = self.live().difference(&self.faults);
        // Recoveries are a subset of the partition's sectors: the union stays within its size.
        let _ = provable.union_with(&self.recoveries, u64::MAX);
        provable
    }

    /// Sectors with power: proven, not faulty.
    pub fn active(&self) -> SectorSet {
        self.live().difference(&self.faults).difference(&self.unproven)
    }

    /// Sectors not terminated.
    pub fn live(&self) -> SectorSet {
        self.sectors.difference(&self.terminated)
    }

    /// Terminates `sectors` (live ones of this partition); returns those that had power.
    pub fn terminate(&mut self, sectors: &SectorSet) -> Result<SectorSet, RegistryError> {
        let lost = self.active().intersection(sectors);
        self.terminated.union_with(sectors, u64::MAX).map_err(|_: SetFull| RegistryError::SectorsNotLive)?;
        self.faults.retain_not_in(sectors);
        self.recoveries.retain_not_in(sectors);
        self.unproven.retain_not_in(sectors);
        self.fault_since.retain(|(sector, _)| !sectors.contains(*sector));
        Ok(lost)
    }

    /// Marks `sectors` faulty from block `now`; returns those that had power.
    pub fn fault(&mut self, sectors: &SectorSet, size: u64, now: BlockNumber) -> Result<SectorSet, RegistryError> {
        let lost = self.active().intersection(sectors);
        for &sector in sectors.difference(&self.faults).iter() {
            self.fault_since.push((sector, now));
        }
        self.faults.union_with(sectors, size).map_err(|_: SetFull| RegistryError::MaxPartitionsReached)?;
        // A sector that faults before its first proof gains power only when it recovers.
        self.unproven.retain_not_in(sectors);
        self.recoveries.retain_not_in(sectors);
        Ok(lost)
    }

    /// Ends the faults of the declared recoveries (after a verified proof); returns them.
    pub fn recover(&mut self) -> SectorSet {
        let recovered = core::mem::take(&mut self.recoveries);
        self.faults.retain_not_in(&recovered);
        self.fault_since.retain(|(sector, _)| !recovered.contains(*sector));
        recovered
    }

    /// Faulty sectors that became faulty at or before `block`.
    pub fn faulty_since(&self, block: BlockNumber) -> SectorSet {
        let mut old: Vec<SectorNumber> =
            self.fault_since.iter().filter(|(_, since)| *since <= block).map(|(sector, _)| *sector).collect();
        old.sort_unstable();
        SectorSet::from_sorted_unique(old).unwrap_or_default()
    }

    /// What the `partition` view shows.
    pub fn view(&self) -> PartitionView {
        PartitionView {
            sectors: self.sectors.as_slice().to_vec(),
            unproven: self.unproven.as_slice().to_vec(),
            faults: self.faults.as_slice().to_vec(),
            recoveries: self.recoveries.as_slice().to_vec(),
            terminated: self.terminated.as_slice().to_vec(),
            posted_at: self.posted_at,
        }
    }
}
