//! `SectorSet`: the registry's stand-in for Filecoin's BitField (the pallet's
//! `BoundedBTreeSet<SectorNumber>`, spec §3.3). A partition's sets hold at most
//! `window_post_partition_sectors` sectors, so a sorted vector is both the smallest encoding and
//! the cheapest to merge; every set operation is one linear pass.

use core::cmp::Ordering;
use ink::prelude::vec::Vec;
use polka_storage_primitives::sector::SectorNumber;

/// The set already holds as many sectors as the caller allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetFull;

/// A set of sector numbers, kept sorted and free of duplicates. It SCALE-encodes exactly like
/// `Vec<u32>`; decoding rejects bytes that are not sorted and unique, so the invariant holds for
/// sets read from storage and from message arguments alike.
#[derive(Debug, Clone, Default, PartialEq, Eq, scale::Encode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct SectorSet(Vec<SectorNumber>);

impl scale::Decode for SectorSet {
    fn decode<I: scale::Input>(input: &mut I) -> Result<Self, scale::Error> {
        let sectors = Vec::<SectorNumber>::decode(input)?;
        Self::from_sorted_unique(sectors).ok_or_else(|| "SectorSet: sectors not strictly increasing".into())
    }
}

/// A capacity as a length bound. A capacity beyond `usize` cannot be reached by a `Vec` anyway,
/// so saturating to `usize::MAX` keeps the meaning "unbounded".
fn capacity(cap: u64) -> usize {
    usize::try_from(cap).unwrap_or(usize::MAX)
}

impl SectorSet {
    /// The set of `sectors` if they are strictly increasing, else `None`.
    pub fn from_sorted_unique(sectors: Vec<SectorNumber>) -> Option<Self> {
        let increasing = sectors.iter().zip(sectors.iter().skip(1)).all(|(a, b)| a < b);
        increasing.then_some(Self(sectors))
    }

    /// Adds `sector` unless the set already holds `cap` sectors: `Ok(false)` if it was already
    /// there (which never fails, even when full).
    pub fn insert(&mut self, sector: SectorNumber, cap: u64) -> Result<bool, SetFull> {
        match self.0.binary_search(&sector) {
            Ok(_) => Ok(false),
            Err(_) if self.0.len() >= capacity(cap) => Err(SetFull),
            Err(position) => {
                self.0.insert(position, sector);
                Ok(true)
            }
        }
    }

    /// Removes `sector`; whether it was there.
    pub fn remove(&mut self, sector: SectorNumber) -> bool {
        match self.0.binary_search(&sector) {
            Ok(position) => {
                self.0.remove(position);
                true
            }
            Err(_) => false,
        }
    }

    /// Whether `sector` is in the set.
    pub fn contains(&self, sector: SectorNumber) -> bool {
        self.0.binary_search(&sector).is_ok()
    }

    /// Number of sectors in the set.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The sectors in increasing order.
    pub fn as_slice(&self) -> &[SectorNumber] {
        &self.0
    }

    /// The sectors in increasing order.
    pub fn iter(&self) -> core::slice::Iter<'_, SectorNumber> {
        self.0.iter()
    }

    /// Adds every sector of `other`, unless that adds sectors and the union would hold more than
    /// `cap`; then the set is left unchanged. Counts first, so it allocates once and exactly.
    pub fn union_with(&mut self, other: &SectorSet, cap: u64) -> Result<(), SetFull> {
        let shared = count_common(&self.0, &other.0);
        // Cannot overflow: both lengths are lengths of allocated vectors of 4-byte items, and
        // `shared` is at most the smaller one; saturating would only make the check stricter.
        let union_len = self.0.len().saturating_add(other.0.len()).saturating_sub(shared);
        // Nothing new never fails, as with `insert` of a present sector.
        if union_len == self.0.len() {
            return Ok(());
        }
        if union_len > capacity(cap) {
            return Err(SetFull);
        }
        let mut merged = Vec::with_capacity(union_len);
        let (mut left, mut right) = (self.0.iter().peekable(), other.0.iter().peekable());
        loop {
            let next = match (left.peek(), right.peek()) {
                (Some(a), Some(b)) => match a.cmp(b) {
                    Ordering::Less => left.next(),
                    Ordering::Greater => right.next(),
                    Ordering::Equal => {
                        right.next();
                        left.next()
                    }
                },
                (Some(_), None) => left.next(),
                (None, Some(_)) => right.next(),
                (None, None) => break,
            };
            if let Some(&sector) = next {
                merged.push(sector);
            }
        }
        self.0 = merged;
        Ok(())
    }

    /// The sectors of `self` that are not in `other`.
    #[must_use]
    pub fn difference(&self, other: &SectorSet) -> SectorSet {
        let mut rest = self.clone();
        rest.retain_not_in(other);
        rest
    }

    /// The sectors in both sets.
    #[must_use]
    pub fn intersection(&self, other: &SectorSet) -> SectorSet {
        let mut cursor = other.0.iter().peekable();
        let common = self
            .0
            .iter()
            .copied()
            .filter(|&sector| {
                while cursor.next_if(|&&b| b < sector).is_some() {}
                cursor.next_if_eq(&&sector).is_some()
            })
            .collect();
        SectorSet(common)
    }

    /// Whether every sector of `self` is in `other`.
    pub fn is_subset(&self, other: &SectorSet) -> bool {
        self.0.len() <= other.0.len() && count_common(&self.0, &other.0) == self.0.len()
    }

    /// Removes every sector that is in `other`, in place.
    pub fn retain_not_in(&mut self, other: &SectorSet) {
        let mut cursor = other.0.iter().peekable();
        self.0.retain(|&sector| {
            while cursor.next_if(|&&b| b < sector).is_some() {}
            cursor.next_if_eq(&&sector).is_none()
        });
    }
}

impl<'a> IntoIterator for &'a SectorSet {
    type Item = &'a SectorNumber;
    type IntoIter = core::slice::Iter<'a, SectorNumber>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// How many values two strictly increasing slices share, in one pass.
fn count_common(a: &[SectorNumber], b: &[SectorNumber]) -> usize {
    let (mut left, mut right) = (a.iter().peekable(), b.iter().peekable());
    let mut shared = 0usize;
    while let (Some(x), Some(y)) = (left.peek(), right.peek()) {
        match x.cmp(y) {
            Ordering::Less => {
                left.next();
            }
            Ordering::Greater => {
                right.next();
            }
            Ordering::Equal => {
                // Cannot overflow: at most `a.len()`.
                shared = shared.saturating_add(1);
                left.next();
                right.next();
            }
        }
    }
    shared
}

#[cfg(test)]
mod tests {
    use super::*;
    use scale::{Decode, Encode};

    fn set(sectors: &[SectorNumber]) -> SectorSet {
        SectorSet::from_sorted_unique(sectors.to_vec()).expect("sorted and unique")
    }

    #[test]
    fn insert_keeps_order_and_respects_capacity() {
        let mut s = SectorSet::default();
        assert!(s.is_empty());
        assert_eq!(s.insert(7, 2), Ok(true));
        assert_eq!(s.insert(3, 2), Ok(true));
        assert_eq!(s.as_slice(), &[3, 7]);
        // Present: no change, even though the set is full.
        assert_eq!(s.insert(7, 2), Ok(false));
        assert_eq!(s.insert(5, 2), Err(SetFull));
        assert_eq!(s.as_slice(), &[3, 7]);
        assert_eq!(s.insert(5, 3), Ok(true));
        assert_eq!(s.as_slice(), &[3, 5, 7]);
        assert_eq!(s.insert(0, u64::MAX), Ok(true));
        assert_eq!(s.insert(u32::MAX, u64::MAX), Ok(true));
        assert_eq!(s.as_slice(), &[0, 3, 5, 7, u32::MAX]);
        assert_eq!(s.len(), 5);
        assert_eq!(SectorSet::default().insert(1, 0), Err(SetFull));
    }

    #[test]
    fn remove_and_contains() {
        let mut s = set(&[1, 4, 9]);
        assert!(s.contains(4) && !s.contains(5));
        assert!(s.remove(4));
        assert!(!s.remove(4));
        assert!(!s.contains(4));
        assert_eq!(s.as_slice(), &[1, 9]);
        assert!(s.remove(1) && s.remove(9));
        assert!(s.is_empty());
        assert!(!s.remove(0));
    }

    #[test]
    fn from_sorted_unique_validates() {
        assert_eq!(SectorSet::from_sorted_unique(Vec::new()), Some(SectorSet::default()));
        assert!(SectorSet::from_sorted_unique(vec![5]).is_some());
        assert!(SectorSet::from_sorted_unique(vec![1, 2, 10]).is_some());
        assert_eq!(SectorSet::from_sorted_unique(vec![1, 1]), None);
        assert_eq!(SectorSet::from_sorted_unique(vec![2, 1]), None);
        assert_eq!(SectorSet::from_sorted_unique(vec![1, 3, 2]), None);
    }

    #[test]
    fn union_merges_and_checks_capacity() {
        let mut s = set(&[1, 5, 9]);
        s.union_with(&set(&[0, 5, 6, 10]), 6).unwrap();
        assert_eq!(s.as_slice(), &[0, 1, 5, 6, 9, 10]);
        // Nothing new fits even at capacity.
        s.union_with(&set(&[1, 9]), 6).unwrap();
        s.union_with(&SectorSet::default(), 6).unwrap();
        assert_eq!(s.len(), 6);
        // One too many: unchanged.
        assert_eq!(s.union_with(&set(&[2, 5]), 6), Err(SetFull));
        assert_eq!(s.as_slice(), &[0, 1, 5, 6, 9, 10]);
        let mut empty = SectorSet::default();
        empty.union_with(&set(&[3, 4]), 2).unwrap();
        assert_eq!(empty.as_slice(), &[3, 4]);
        // Adding nothing never fails, even to a set over the capacity; adding something does.
        let mut big = set(&[1, 2, 3]);
        assert_eq!(big.union_with(&set(&[2]), 2), Ok(()));
        assert_eq!(big.union_with(&set(&[2, 4]), 2), Err(SetFull));
        assert_eq!(big.as_slice(), &[1, 2, 3]);
    }

    #[test]
    fn difference_intersection_subset() {
        let a = set(&[1, 2, 3, 7, 8]);
        let b = set(&[0, 2, 3, 4, 8, 9]);
        assert_eq!(a.difference(&b).as_slice(), &[1, 7]);
        assert_eq!(b.difference(&a).as_slice(), &[0, 4, 9]);
        assert_eq!(a.intersection(&b).as_slice(), &[2, 3, 8]);
        assert_eq!(b.intersection(&a), a.intersection(&b));
        assert_eq!(a.difference(&SectorSet::default()), a);
        assert!(a.intersection(&SectorSet::default()).is_empty());
        assert!(a.difference(&a).is_empty());
        assert!(set(&[2, 8]).is_subset(&a));
        assert!(SectorSet::default().is_subset(&a));
        assert!(a.is_subset(&a));
        assert!(!a.is_subset(&b));
        assert!(!set(&[2, 5]).is_subset(&a));
        assert!(!a.is_subset(&SectorSet::default()));
    }

    #[test]
    fn retain_not_in_removes_in_place() {
        let mut s = set(&[1, 2, 3, 7, 8, 20]);
        s.retain_not_in(&set(&[0, 2, 3, 4, 8, 9]));
        assert_eq!(s.as_slice(), &[1, 7, 20]);
        s.retain_not_in(&SectorSet::default());
        assert_eq!(s.as_slice(), &[1, 7, 20]);
        s.retain_not_in(&set(&[1, 7, 20, 21]));
        assert!(s.is_empty());
    }

    #[test]
    fn iterates_in_order() {
        let s = set(&[2, 4, 6]);
        assert_eq!(s.iter().copied().collect::<Vec<_>>(), vec![2, 4, 6]);
        assert_eq!((&s).into_iter().count(), 3);
    }

    #[test]
    fn encoding_equals_vec_u32() {
        for sectors in [vec![], vec![0u32], vec![1, 2, 300, u32::MAX]] {
            let s = SectorSet::from_sorted_unique(sectors.clone()).unwrap();
            assert_eq!(s.encode(), sectors.encode());
            assert_eq!(SectorSet::decode(&mut &sectors.encode()[..]), Ok(s));
        }
        // Bytes that are not a set do not decode.
        assert!(SectorSet::decode(&mut &vec![3u32, 1].encode()[..]).is_err());
        assert!(SectorSet::decode(&mut &vec![3u32, 3].encode()[..]).is_err());
    }

    #[test]
    fn random_operations_match_btreeset() {
        use std::collections::BTreeSet;
        // A small deterministic generator (xorshift): no dependency, same run every time.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            u32::try_from(state % 64).unwrap()
        };
        for _ in 0..200 {
            let (mut a, mut b) = (SectorSet::default(), SectorSet::default());
            let (mut ma, mut mb) = (BTreeSet::new(), BTreeSet::new());
            for _ in 0..20 {
                let (x, y) = (next(), next());
                assert_eq!(a.insert(x, 64), Ok(ma.insert(x)));
                assert_eq!(b.insert(y, 64), Ok(mb.insert(y)));
            }
            let z = next();
            assert_eq!(a.remove(z), ma.remove(&z));
            let as_set = |s: &SectorSet| s.iter().copied().collect::<BTreeSet<_>>();
            assert_eq!(as_set(&a.difference(&b)), &ma - &mb);
            assert_eq!(as_set(&a.intersection(&b)), &ma & &mb);
            assert_eq!(a.is_subset(&b), ma.is_subset(&mb));
            assert!(a.intersection(&b).is_subset(&a));
            let mut u = a.clone();
            u.union_with(&b, 64).unwrap();
            assert_eq!(as_set(&u), &ma | &mb);
            assert!(SectorSet::from_sorted_unique(u.as_slice().to_vec()).is_some());
            let mut r = a.clone();
            r.retain_not_in(&b);
            assert_eq!(r, a.difference(&b));
        }
    }
}
