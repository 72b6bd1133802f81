//! Sector → deadline assignment (spec §3.4 "Sector → deadline assignment", Filecoin's
//! `deadline_assignment`): new sectors go to the mutable deadlines so that partitions fill up
//! before new ones open and the live load spreads over the proving period.

use core::cmp::Ordering;
use ink::prelude::vec::Vec;
use polka_storage_primitives::sector::SectorNumber;

/// What assignment needs to know of one candidate deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineLoad {
    /// The deadline's index in the proving period.
    pub index: u32,
    /// Its sectors that are not terminated (faulty ones included).
    pub live_sectors: u64,
    /// Every sector ever assigned to it, dead ones included: they still fill partitions.
    pub total_sectors: u64,
}

/// Why sectors could not be assigned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignmentError {
    /// There is no candidate deadline (the original asserted instead).
    NoMutableDeadline,
    /// The chosen deadline already has `max_partitions` full partitions.
    MaxPartitionsReached,
    /// A count overflowed, or the partition size is zero.
    Overflow,
}

/// The order keys of one candidate, smallest first (spec keys 1–6; key 4 compares a pair).
struct Key {
    /// Partitions its live sectors would span after taking one more.
    live_partitions: u64,
    /// Partitions all its sectors would span after taking one more.
    total_partitions: u64,
    /// Whether its last partition is full (or it has none), so one more opens a new partition.
    full: bool,
    total: u64,
    live: u64,
    index: u32,
}

/// `ceil(n / d)` without the `n + d − 1` overflow; `None` for `d = 0`.
fn div_ceil(n: u64, d: u64) -> Option<u64> {
    let whole = n.checked_div(d)?;
    let part = u64::from(n.checked_rem(d)? != 0);
    whole.checked_add(part)
}

impl Key {
    fn of(load: &DeadlineLoad, partition_size: u64) -> Option<Key> {
        Some(Key {
            live_partitions: div_ceil(load.live_sectors.checked_add(1)?, partition_size)?,
            total_partitions: div_ceil(load.total_sectors.checked_add(1)?, partition_size)?,
            full: load.total_sectors.checked_rem(partition_size)? == 0,
            total: load.total_sectors,
            live: load.live_sectors,
            index: load.index,
        })
    }

    /// `Less` if `self` should take the next sector before `other`.
    fn compare(&self, other: &Key) -> Ordering {
        self.live_partitions
            .cmp(&other.live_partitions)
            .then(self.total_partitions.cmp(&other.total_partitions))
            // Non-full first: filling an open partition beats opening a new one.
            .then(self.full.cmp(&other.full))
            .then(if !self.full && !other.full {
                // Both non-full: the fuller one first, to close its partition.
                other.total.cmp(&self.total)
            } else {
                Ordering::Equal
            })
            .then(self.live.cmp(&other.live))
            .then(self.index.cmp(&other.index))
    }
}

/// Assigns each of `sectors` (in the caller's order; the registry passes them sorted) to the
/// candidate smallest in the spec's order, then counts it there: `candidates` end with the loads
/// after assignment. Returns `(sector, deadline index)` in the order of `sectors`.
///
/// Errors as the spec: no candidates; the chosen candidate already holds
/// `partition_size · max_partitions` sectors (it is not skipped for another, as in the original);
/// or an overflow. Work is `sectors.len() × candidates.len()` comparisons, both bounded by the
/// caller (a prove-commit batch and at most 48 deadlines), with no heap.
pub fn assign_deadlines(
    candidates: &mut [DeadlineLoad],
    partition_size: u64,
    max_partitions: u64,
    sectors: &[SectorNumber],
) -> Result<Vec<(SectorNumber, u32)>, AssignmentError> {
    if candidates.is_empty() {
        return Err(AssignmentError::NoMutableDeadline);
    }
    if partition_size == 0 {
        return Err(AssignmentError::Overflow);
    }
    // Saturating: a limit beyond u64 cannot be reached by a u64 count, so u64::MAX means the same.
    let max_sectors = partition_size.saturating_mul(max_partitions);
    let mut assigned = Vec::with_capacity(sectors.len());
    for &sector in sectors {
        let mut best: Option<(&mut DeadlineLoad, Key)> = None;
        for load in candidates.iter_mut() {
            let key = Key::of(load, partition_size).ok_or(AssignmentError::Overflow)?;
            let better = match &best {
                Some((_, best_key)) => key.compare(best_key) == Ordering::Less,
                None => true,
            };
            if better {
                best = Some((load, key));
            }
        }
        let (load, _) = best.ok_or(AssignmentError::NoMutableDeadline)?;
        if load.total_sectors >= max_sectors {
            return Err(AssignmentError::MaxPartitionsReached);
        }
        load.live_sectors = load.live_sectors.checked_add(1).ok_or(AssignmentError::Overflow)?;
        load.total_sectors = load.total_sectors.checked_add(1).ok_or(AssignmentError::Overflow)?;
        assigned.push((sector, load.index));
    }
    Ok(assigned)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Partition size of 2 KiB sectors.
    const PS: u64 = 2;
    /// The original's partition bound per deadline.
    const MAX: u64 = 3000;

    fn load(index: u32, live_sectors: u64, total_sectors: u64) -> DeadlineLoad {
        DeadlineLoad { index, live_sectors, total_sectors }
    }

    fn empty(count: u32) -> Vec<DeadlineLoad> {
        (0..count).map(|i| load(i, 0, 0)).collect()
    }

    /// The deadline the single next sector goes to.
    fn pick(mut candidates: Vec<DeadlineLoad>, partition_size: u64) -> u32 {
        assign_deadlines(&mut candidates, partition_size, MAX, &[1]).unwrap()[0].1
    }

    #[test]
    fn fills_a_partition_before_opening_another_and_spreads() {
        let mut candidates = empty(3);
        let got = assign_deadlines(&mut candidates, PS, MAX, &[1, 2, 3, 4, 5, 6, 7]).unwrap();
        assert_eq!(got, vec![(1, 0), (2, 0), (3, 1), (4, 1), (5, 2), (6, 2), (7, 0)]);
        assert_eq!(candidates, vec![load(0, 3, 3), load(1, 2, 2), load(2, 2, 2)]);
    }

    #[test]
    fn keeps_the_callers_order() {
        let mut candidates = empty(2);
        let got = assign_deadlines(&mut candidates, PS, MAX, &[9, 3, 5]).unwrap();
        assert_eq!(got, vec![(9, 0), (3, 0), (5, 1)]);
        let got = assign_deadlines(&mut candidates, PS, MAX, &[]).unwrap();
        assert!(got.is_empty());
    }

    #[test]
    fn spreads_over_many_deadlines() {
        let mut candidates = empty(48);
        let sectors: Vec<SectorNumber> = (0..96 * 3).collect();
        let got = assign_deadlines(&mut candidates, PS, MAX, &sectors).unwrap();
        assert_eq!(got.len(), sectors.len());
        // Three full partitions everywhere, each filled by consecutive sectors.
        assert!(candidates.iter().all(|c| c.live_sectors == 6 && c.total_sectors == 6));
        assert_eq!(&got[..4], &[(0, 0), (1, 0), (2, 1), (3, 1)]);
        assert_eq!(got[96], (96, 0));
    }

    #[test]
    fn key_1_fewer_live_partitions_first() {
        // Deadline 1 has many dead sectors but no live one: its live load wins over totals.
        assert_eq!(pick(vec![load(0, 4, 4), load(1, 0, 10)], PS), 1);
    }

    #[test]
    fn key_2_fewer_total_partitions_first() {
        // Both live loads fit one partition; deadline 0's dead sectors span more partitions.
        assert_eq!(pick(vec![load(0, 0, 4), load(1, 0, 0)], PS), 1);
    }

    #[test]
    fn key_3_non_full_first() {
        // Same partition counts (2 and 2 after one more), deadline 1 has an open slot; it wins
        // over deadline 0's smaller live count and index.
        assert_eq!(pick(vec![load(0, 0, 2), load(1, 1, 3)], PS), 1);
    }

    #[test]
    fn key_4_both_non_full_larger_total_first() {
        // Partitions of 4: totals 5 and 6 both leave a partial partition; the fuller one wins
        // over the smaller live count and index.
        assert_eq!(pick(vec![load(0, 0, 5), load(1, 1, 6)], 4), 1);
    }

    #[test]
    fn key_5_smaller_live_first() {
        // Both full with the same total.
        assert_eq!(pick(vec![load(0, 2, 4), load(1, 1, 4)], 4), 1);
        // Both non-full with the same total.
        assert_eq!(pick(vec![load(0, 2, 5), load(1, 1, 5)], 4), 1);
    }

    #[test]
    fn key_6_lower_index_first() {
        assert_eq!(pick(vec![load(2, 1, 3), load(1, 1, 3), load(5, 1, 3)], PS), 1);
        assert_eq!(pick(vec![load(7, 0, 0), load(3, 0, 0)], PS), 3);
    }

    #[test]
    fn max_partitions_reached() {
        let mut candidates = empty(1);
        assert_eq!(assign_deadlines(&mut candidates, PS, 1, &[1, 2]).unwrap().len(), 2);
        assert_eq!(assign_deadlines(&mut candidates, PS, 1, &[3]), Err(AssignmentError::MaxPartitionsReached));
        // As in the spec, the chosen deadline errors even if another still has room: deadline 0
        // wins on live partitions but its dead sectors fill both its partitions.
        let mut candidates = vec![load(0, 0, 4), load(1, 2, 2)];
        assert_eq!(assign_deadlines(&mut candidates, PS, 2, &[1]), Err(AssignmentError::MaxPartitionsReached));
        // No partitions allowed at all.
        assert_eq!(assign_deadlines(&mut empty(3), PS, 0, &[1]), Err(AssignmentError::MaxPartitionsReached));
    }

    #[test]
    fn no_candidates() {
        assert_eq!(assign_deadlines(&mut [], PS, MAX, &[1]), Err(AssignmentError::NoMutableDeadline));
        assert_eq!(assign_deadlines(&mut [], PS, MAX, &[]), Err(AssignmentError::NoMutableDeadline));
    }

    #[test]
    fn overflow_and_zero_partition_size() {
        assert_eq!(assign_deadlines(&mut empty(2), 0, MAX, &[1]), Err(AssignmentError::Overflow));
        let mut candidates = vec![load(0, 0, u64::MAX)];
        assert_eq!(assign_deadlines(&mut candidates, PS, u64::MAX, &[1]), Err(AssignmentError::Overflow));
        assert_eq!(candidates, vec![load(0, 0, u64::MAX)]);
        // Huge limits saturate instead of overflowing.
        let mut candidates = empty(1);
        assert_eq!(assign_deadlines(&mut candidates, u64::MAX, u64::MAX, &[1]).unwrap(), vec![(1, 0)]);
    }
}
