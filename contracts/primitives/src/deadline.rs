//! Deadline arithmetic of Window PoSt (spec §3.4, `DeadlineInfo`).
//!
//! A provider's proving period of P blocks is tiled by D deadlines of W blocks each. Everything
//! here is computed from a period start, an index and the policy: nothing is stored, every step
//! is checked (block numbers are `u32`), and jumping over any number of elapsed periods is O(1).

use crate::policy::ProvingPolicy;
use crate::BlockNumber;

/// One deadline of one proving period, with the blocks that matter to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct DeadlineInfo {
    /// Index of the deadline within its proving period, `< wpost_period_deadlines`.
    pub index: u32,
    /// First block of the proving period this deadline belongs to.
    pub period_start: BlockNumber,
    /// First block of the deadline's challenge window: `period_start + index · W`.
    pub open_at: BlockNumber,
    /// First block after the challenge window (`open_at + W`): a PoSt must land before it.
    pub close_at: BlockNumber,
    /// `open_at − L`: the block whose beacon randomness makes this deadline's Window PoSt
    /// challenge, fixed before the window opens so the provider cannot choose it.
    pub challenge: BlockNumber,
    /// `open_at − C`: the first block at which faults and recoveries for this deadline can no
    /// longer be declared (they must be known before its challenge is proven).
    pub fault_cutoff: BlockNumber,
}

impl DeadlineInfo {
    /// Deadline `index` of the proving period starting at `period_start`; `None` if the index is
    /// not below `wpost_period_deadlines` (the original returned a sentinel instead) or its
    /// window does not fit in a `u32` block number.
    pub fn new(period_start: BlockNumber, index: u32, policy: &ProvingPolicy) -> Option<Self> {
        if index >= policy.wpost_period_deadlines {
            return None;
        }
        let open_at = index.checked_mul(policy.wpost_challenge_window)?.checked_add(period_start)?;
        let close_at = open_at.checked_add(policy.wpost_challenge_window)?;
        Some(Self {
            index,
            period_start,
            open_at,
            close_at,
            // Saturating: only the deadlines opening within L (or C) blocks of genesis reach 0,
            // and block 0 is then the earliest block there is to draw from (or declare by).
            challenge: open_at.saturating_sub(policy.wpost_challenge_lookback),
            fault_cutoff: open_at.saturating_sub(policy.fault_declaration_cutoff),
        })
    }

    /// Whether `now` lies in the challenge window, `[open_at, close_at)`.
    pub fn is_open(&self, now: BlockNumber) -> bool {
        self.open_at <= now && now < self.close_at
    }

    /// Whether the challenge window is over at `now`.
    pub fn has_elapsed(&self, now: BlockNumber) -> bool {
        now >= self.close_at
    }

    /// The last block of the challenge window.
    pub fn last(&self) -> BlockNumber {
        // Saturating: close_at is 0 only for an empty window at genesis, which has no last block.
        self.close_at.saturating_sub(1)
    }

    /// Whether faults and recoveries for this deadline can no longer be declared at `now`.
    pub fn fault_cutoff_passed(&self, now: BlockNumber) -> bool {
        now >= self.fault_cutoff
    }

    /// The same deadline one proving period later; `None` on overflow.
    pub fn next_period(self, policy: &ProvingPolicy) -> Option<Self> {
        Self::new(self.period_start.checked_add(policy.wpost_proving_period)?, self.index, policy)
    }

    /// `self` if its window has not closed at `now`, else the same deadline in the first later
    /// period whose window has not closed (however many periods were skipped, in O(1)). `None`
    /// on overflow or a zero proving period.
    pub fn next_not_elapsed(self, now: BlockNumber, policy: &ProvingPolicy) -> Option<Self> {
        if !self.has_elapsed(now) {
            return Some(self);
        }
        // now ≥ close_at: the k-th later period has close_at + k·P > now for the smallest
        // k = (now − close_at) / P + 1.
        self.skip_periods(now.checked_sub(self.close_at)?, policy)
    }

    /// `self` if its window has not opened at `now`, else the same deadline in the first later
    /// period whose window has not opened (in O(1)). `None` on overflow or a zero period.
    pub fn next_not_opened(self, now: BlockNumber, policy: &ProvingPolicy) -> Option<Self> {
        if now < self.open_at {
            return Some(self);
        }
        // now ≥ open_at: the smallest k with open_at + k·P > now is (now − open_at) / P + 1.
        self.skip_periods(now.checked_sub(self.open_at)?, policy)
    }

    /// The same deadline `past / P + 1` periods later.
    fn skip_periods(self, past: BlockNumber, policy: &ProvingPolicy) -> Option<Self> {
        let period = policy.wpost_proving_period;
        let shift = past.checked_div(period)?.checked_add(1)?.checked_mul(period)?;
        Self::new(self.period_start.checked_add(shift)?, self.index, policy)
    }
}

/// Whether deadline `index` may be changed at `now` (sectors assigned to it, moved or terminated):
/// it is neither the open deadline nor the next one to open, so no PoSt of it is being prepared
/// or awaited. `period_start` may be any earlier period start of the provider. Spec:
/// `d = new(..).next_not_elapsed(now)`, mutable iff `now < d.open_at − W`.
///
/// Before the provider's first period starts the spec treats every deadline as a candidate; that
/// rule belongs to the caller, this is only the arithmetic. An invalid index or an overflow
/// answers `false`: a deadline that cannot be placed must not be changed.
pub fn deadline_is_mutable(period_start: BlockNumber, index: u32, now: BlockNumber, policy: &ProvingPolicy) -> bool {
    match DeadlineInfo::new(period_start, index, policy).and_then(|d| d.next_not_elapsed(now, policy)) {
        // Saturating: a deadline opening within W blocks of genesis is the open or next one
        // from block 0 on, and `now < 0` is false as it should be.
        Some(d) => now < d.open_at.saturating_sub(policy.wpost_challenge_window),
        None => false,
    }
}

/// The first block of the proving period containing `now`, for a provider whose first proving
/// period starts at `proving_period_start`; `None` before that or for a zero period. O(1).
pub fn period_start_at(
    proving_period_start: BlockNumber,
    now: BlockNumber,
    policy: &ProvingPolicy,
) -> Option<BlockNumber> {
    let into_period = now.checked_sub(proving_period_start)?.checked_rem(policy.wpost_proving_period)?;
    now.checked_sub(into_period)
}

/// The deadline whose challenge window contains `now`, for a provider whose first proving period
/// starts at `proving_period_start`; `None` before that, or if the deadline's window does not fit
/// in a `u32` (the last period before `u32::MAX`). O(1) however many periods have passed.
pub fn current_deadline(
    proving_period_start: BlockNumber,
    now: BlockNumber,
    policy: &ProvingPolicy,
) -> Option<DeadlineInfo> {
    let period_start = period_start_at(proving_period_start, now, policy)?;
    let index = now.checked_sub(period_start)?.checked_div(policy.wpost_challenge_window)?;
    DeadlineInfo::new(period_start, index, policy)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAST: ProvingPolicy = ProvingPolicy::FAST;
    const PRODUCTION: ProvingPolicy = ProvingPolicy::PRODUCTION;
    /// The spec's worked example: registered at block 125 with offset 17, `pps = 3·60 + 17`.
    const PPS: BlockNumber = 197;

    fn dl(period_start: BlockNumber, index: u32) -> DeadlineInfo {
        DeadlineInfo::new(period_start, index, &FAST).expect("in range")
    }

    #[test]
    fn spec_worked_example() {
        assert_eq!((FAST.wpost_proving_period, FAST.wpost_challenge_window), (60, 20));
        assert_eq!(
            (FAST.wpost_challenge_lookback, FAST.wpost_period_deadlines, FAST.fault_declaration_cutoff),
            (10, 3, 10)
        );
        let windows = [(0, 197, 217), (1, 217, 237), (2, 237, 257)];
        for (index, open_at, close_at) in windows {
            let d = dl(PPS, index);
            assert_eq!(
                d,
                DeadlineInfo {
                    index,
                    period_start: PPS,
                    open_at,
                    close_at,
                    challenge: open_at - 10,
                    fault_cutoff: open_at - 10
                }
            );
            assert_eq!(d.last(), close_at - 1);
            assert_eq!(d.next_period(&FAST).unwrap().period_start, 257);
            assert_eq!(d.next_period(&FAST).unwrap().open_at, open_at + 60);
        }
        assert_eq!(DeadlineInfo::new(PPS, 3, &FAST), None);
        assert_eq!(DeadlineInfo::new(PPS, u32::MAX, &FAST), None);
    }

    #[test]
    fn window_predicates() {
        let d = dl(PPS, 1);
        assert!(!d.is_open(216) && d.is_open(217) && d.is_open(236) && !d.is_open(237));
        assert!(!d.has_elapsed(236) && d.has_elapsed(237) && d.has_elapsed(u32::MAX));
        assert!(!d.fault_cutoff_passed(206) && d.fault_cutoff_passed(207) && d.fault_cutoff_passed(236));
    }

    #[test]
    fn saturates_at_genesis() {
        let d = dl(0, 0);
        assert_eq!((d.open_at, d.close_at, d.challenge, d.fault_cutoff), (0, 20, 0, 0));
        let d = dl(5, 0);
        assert_eq!((d.challenge, d.fault_cutoff), (0, 0));
        let d = dl(0, 1);
        assert_eq!((d.challenge, d.fault_cutoff), (10, 10));
    }

    #[test]
    fn current_deadline_follows_the_periods() {
        assert_eq!(current_deadline(PPS, 196, &FAST), None);
        assert_eq!(period_start_at(PPS, 196, &FAST), None);
        for (now, index, period_start) in
            [(197, 0, 197), (216, 0, 197), (217, 1, 197), (236, 1, 197), (237, 2, 197), (256, 2, 197), (257, 0, 257)]
        {
            assert_eq!(period_start_at(PPS, now, &FAST), Some(period_start));
            let d = current_deadline(PPS, now, &FAST).unwrap();
            assert_eq!(d, dl(period_start, index), "at {now}");
            assert!(d.is_open(now));
        }
        // A million periods later, still O(1).
        let later = PPS + 60 * 1_000_000;
        assert_eq!(current_deadline(PPS, later + 45, &FAST), Some(dl(later, 2)));
        assert_eq!(period_start_at(PPS, later + 59, &FAST), Some(later));
        assert_eq!(period_start_at(PPS, later + 60, &FAST), Some(later + 60));
    }

    #[test]
    fn next_not_elapsed_and_not_opened() {
        let d = dl(PPS, 1);
        assert_eq!(d.next_not_elapsed(0, &FAST), Some(d));
        assert_eq!(d.next_not_elapsed(236, &FAST), Some(d));
        assert_eq!(d.next_not_elapsed(237, &FAST), Some(dl(257, 1)));
        assert_eq!(d.next_not_elapsed(296, &FAST), Some(dl(257, 1)));
        assert_eq!(d.next_not_elapsed(297, &FAST), Some(dl(317, 1)));
        assert_eq!(d.next_not_opened(216, &FAST), Some(d));
        assert_eq!(d.next_not_opened(217, &FAST), Some(dl(257, 1)));
        assert_eq!(d.next_not_opened(276, &FAST), Some(dl(257, 1)));
        assert_eq!(d.next_not_opened(277, &FAST), Some(dl(317, 1)));
        // Across many periods, from a stale period start: the first window still ahead.
        for periods in [1u32, 2, 7, 1_000, 5_000_000] {
            for into in 0..60 {
                let now = PPS + 60 * periods + into;
                for index in 0..3 {
                    let from = dl(PPS, index);
                    let next = from.next_not_elapsed(now, &FAST).unwrap();
                    assert_eq!(next.index, index);
                    assert!(!next.has_elapsed(now));
                    // ... and the first such: one period earlier it had elapsed.
                    assert!(next.period_start == PPS || dl(next.period_start - 60, index).has_elapsed(now));
                    let unopened = from.next_not_opened(now, &FAST).unwrap();
                    assert!(now < unopened.open_at);
                    assert!(unopened.open_at - 60 <= now);
                }
            }
        }
    }

    #[test]
    fn mutability_around_the_period_start() {
        let mutable = |now| -> [bool; 3] { [0, 1, 2].map(|i| deadline_is_mutable(PPS, i, now, &FAST)) };
        // Long before the first period: every deadline is far away.
        assert_eq!(mutable(100), [true, true, true]);
        assert_eq!(mutable(176), [true, true, true]);
        // Within W of deadline 0 opening it is the next one.
        assert_eq!(mutable(177), [false, true, true]);
        assert_eq!(mutable(196), [false, true, true]);
        // Deadline 0 open, deadline 1 next.
        assert_eq!(mutable(197), [false, false, true]);
        assert_eq!(mutable(216), [false, false, true]);
        // Deadline 1 open, deadline 2 next, deadline 0 is in the next period.
        assert_eq!(mutable(217), [true, false, false]);
        assert_eq!(mutable(236), [true, false, false]);
        // Deadline 2 open, deadline 0 of the next period next.
        assert_eq!(mutable(237), [false, true, false]);
        assert_eq!(mutable(256), [false, true, false]);
        assert_eq!(mutable(257), [false, false, true]);
        // The same pattern from a stale period start many periods later.
        let later = PPS + 60 * 12_345;
        assert_eq!([0, 1, 2].map(|i| deadline_is_mutable(PPS, i, later + 20, &FAST)), [true, false, false]);
        assert_eq!([0, 1, 2].map(|i| deadline_is_mutable(later, i, later + 40, &FAST)), [false, true, false]);
        // Invalid indices are never mutable.
        assert!(!deadline_is_mutable(PPS, 3, 100, &FAST));
        // At genesis deadline 0 is open and deadline 1 next.
        assert_eq!([0, 1, 2].map(|i| deadline_is_mutable(0, i, 0, &FAST)), [false, false, true]);
    }

    #[test]
    fn overflow_near_u32_max_is_none() {
        assert_eq!(DeadlineInfo::new(u32::MAX - 30, 2, &FAST), None);
        assert_eq!(DeadlineInfo::new(u32::MAX - 19, 0, &FAST), None);
        let last = DeadlineInfo::new(u32::MAX - 20, 0, &FAST).unwrap();
        assert_eq!((last.close_at, last.last()), (u32::MAX, u32::MAX - 1));
        assert_eq!(last.next_period(&FAST), None);
        assert_eq!(last.next_not_elapsed(u32::MAX, &FAST), None);
        assert_eq!(last.next_not_opened(u32::MAX - 20, &FAST), None);
        assert!(!deadline_is_mutable(u32::MAX - 20, 0, u32::MAX, &FAST));
        // u32::MAX = 60 · 71 582 788 + 15: the last whole period starts at 4 294 967 280 and none
        // of its windows fits; the one before still does.
        assert_eq!(period_start_at(0, u32::MAX, &FAST), Some(4_294_967_280));
        assert_eq!(current_deadline(0, 4_294_967_279, &FAST), Some(dl(4_294_967_220, 2)));
        assert_eq!(current_deadline(0, 4_294_967_280, &FAST), None);
        assert_eq!(current_deadline(0, u32::MAX, &FAST), None);
    }

    #[test]
    fn zero_period_is_none_not_a_panic() {
        let broken = ProvingPolicy { wpost_proving_period: 0, wpost_challenge_window: 0, ..FAST };
        assert_eq!(period_start_at(0, 10, &broken), None);
        assert_eq!(current_deadline(0, 10, &broken), None);
        let d = DeadlineInfo::new(0, 0, &broken).unwrap();
        assert_eq!(d.next_not_elapsed(10, &broken), None);
        assert_eq!(d.next_not_opened(10, &broken), None);
        assert!(!deadline_is_mutable(0, 0, 10, &broken));
    }

    #[test]
    fn production_set() {
        assert_eq!(PRODUCTION.wpost_period_deadlines * PRODUCTION.wpost_challenge_window, 14_400);
        let pps = 14_400 + 1_234;
        let d = DeadlineInfo::new(pps, 47, &PRODUCTION).unwrap();
        assert_eq!((d.open_at, d.close_at), (pps + 47 * 300, pps + 14_400));
        assert_eq!((d.challenge, d.fault_cutoff), (d.open_at - 100, d.open_at - 225));
        assert_eq!(DeadlineInfo::new(pps, 48, &PRODUCTION), None);
        assert_eq!(current_deadline(pps, pps + 14_399, &PRODUCTION), Some(d));
        let next = current_deadline(pps, pps + 14_400, &PRODUCTION).unwrap();
        assert_eq!((next.index, next.period_start, next.open_at), (0, pps + 14_400, pps + 14_400));
        assert_eq!(d.next_period(&PRODUCTION).unwrap().period_start, pps + 14_400);
        // 300 days on, deadline 10 open.
        let now = pps + 300 * 14_400 + 10 * 300 + 7;
        let open = current_deadline(pps, now, &PRODUCTION).unwrap();
        assert_eq!((open.index, open.period_start), (10, pps + 300 * 14_400));
        assert!(!deadline_is_mutable(pps, 10, now, &PRODUCTION));
        assert!(!deadline_is_mutable(pps, 11, now, &PRODUCTION));
        assert!(deadline_is_mutable(pps, 12, now, &PRODUCTION));
        assert!(deadline_is_mutable(pps, 9, now, &PRODUCTION));
        assert_eq!(
            DeadlineInfo::new(pps, 9, &PRODUCTION).unwrap().next_not_elapsed(now, &PRODUCTION).unwrap().period_start,
            pps + 301 * 14_400
        );
    }

    #[test]
    fn scale_round_trip() {
        use scale::{Decode, Encode};
        let d = dl(PPS, 2);
        let bytes = d.encode();
        assert_eq!(bytes.len(), 24);
        assert_eq!(DeadlineInfo::decode(&mut &bytes[..]).unwrap(), d);
    }
}
