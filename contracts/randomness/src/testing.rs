//! The beacon's invariants, written once (builtin-actors' `testing.rs`): the unit tests and the
//! sandbox fixtures check a beacon with these functions, which list every violation instead of
//! panicking. Conservation takes only what anyone can read of a deployed beacon, so a fixture on
//! a chain runs the same check as the unit harness on the state. For tests only.

use crate::beacon::Beacon;
use ink::prelude::{format, string::String, vec::Vec};
use polka_storage_primitives::beacon::{BeaconTotals, Event, RoundStatus};
use polka_storage_primitives::{AccountId, Balance};

/// What the invariants found: the totals walked, and every violation.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct StateSummary {
    /// Participants walked.
    pub participants: u32,
    /// Rounds kept in the round log.
    pub rounds: u32,
    /// Outputs kept in the output log.
    pub outputs: u32,
    /// The beacon's totals.
    pub totals: BeaconTotals,
    /// Violations, in words.
    pub violations: Vec<String>,
}

impl StateSummary {
    /// Whether nothing was violated.
    pub fn is_ok(&self) -> bool {
        self.violations.is_empty()
    }
}

/// The funds the beacon's events moved, followed event by event: what a fixture compares the
/// beacon's totals with.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct FollowedFunds {
    /// Σ bonded − Σ slashed − Σ withdrawn.
    pub bonded: Balance,
    /// Σ slashed.
    pub slashed: Balance,
}

impl FollowedFunds {
    /// Follows `event`: `Bonded` adds to the bonds, `Slashed` moves a penalty out of them,
    /// `Withdrawn` pays unbonded funds out.
    pub fn follow(&mut self, event: &Event) {
        match event {
            Event::Bonded(bonded) => self.bonded = self.bonded.saturating_add(bonded.amount),
            Event::Slashed(slashed) => {
                self.bonded = self.bonded.saturating_sub(slashed.amount);
                self.slashed = self.slashed.saturating_add(slashed.amount);
            }
            Event::Withdrawn(withdrawn) => self.bonded = self.bonded.saturating_sub(withdrawn.amount),
            _ => {}
        }
    }
}

/// Conservation, on what anyone can read of a beacon: `held` (what the contract holds on the
/// beacon's behalf: its balance less what it held at instantiation) is its bonds plus its
/// slashed total, and the totals are what its events moved.
pub fn check_conservation(held: Balance, totals: &BeaconTotals, followed: &FollowedFunds) -> Vec<String> {
    let mut violations = Vec::new();
    let owed = totals.bonded.saturating_add(totals.slashed);
    if held != owed {
        violations.push(format!("the beacon holds {held}, but its bonds and slashed total are {owed}"));
    }
    if (totals.bonded, totals.slashed) != (followed.bonded, followed.slashed) {
        violations.push(format!("totals {totals:?}, but the events moved {followed:?}"));
    }
    violations
}

/// Every invariant of a beacon whose participants are `participants`, for which the contract
/// holds `held` and whose events moved `followed`:
/// - conservation ([`check_conservation`]);
/// - the bonded total is the sum of every participant's bonds;
/// - every unsettled commitment is covered by its participant's active bond and is known;
/// - unfinalised rounds are a suffix of the round log, and a round waits for drand iff it is
///   open;
/// - the output log is sorted by round end and matches the rounds' outcomes.
pub fn check_state_invariants(
    beacon: &Beacon,
    participants: &[AccountId],
    held: Balance,
    followed: &FollowedFunds,
) -> StateSummary {
    let totals = beacon.totals();
    let mut summary =
        StateSummary { totals, violations: check_conservation(held, &totals, followed), ..Default::default() };
    let mut bonded: Balance = 0;
    for who in participants {
        summary.participants = summary.participants.saturating_add(1);
        let bond = beacon.bond_of(who);
        bonded = bonded.saturating_add(bond.active).saturating_add(bond.unbonding.map_or(0, |pending| pending.amount));
        if let Some(record) = beacon.commitment_of(who) {
            if bond.active < record.penalty {
                summary.violations.push(format!("{who:?}: the bond does not cover the penalty"));
            }
            if !beacon.used_commitments.contains((record.round, record.commitment)) {
                summary.violations.push(format!("{who:?}: its commitment is not marked used"));
            }
        }
    }
    if bonded != totals.bonded {
        summary.violations.push(format!("bonds add up to {bonded}, the total says {}", totals.bonded));
    }
    let kept = beacon.rounds_kept;
    if beacon.next_to_finalise > kept.end {
        summary
            .violations
            .push(format!("next to finalise {} outside the kept rounds {kept:?}", beacon.next_to_finalise));
    }
    for index in kept.start..kept.end {
        summary.rounds = summary.rounds.saturating_add(1);
        let Some(round) = beacon.round_log.get(index) else {
            summary.violations.push(format!("kept round #{index} missing"));
            continue;
        };
        let Some(info) = beacon.round(round) else {
            summary.violations.push(format!("kept round {round} has no record"));
            continue;
        };
        let open = info.status == RoundStatus::Open;
        if open != (index >= beacon.next_to_finalise) {
            summary.violations.push(format!("round {round} is {:?} out of order", info.status));
        }
        if info.reveals > info.commits {
            summary.violations.push(format!("round {round} has more reveals than commits"));
        }
        if let Some(binding) = info.drand {
            if beacon.drand_rounds.get(binding.drand_round).is_some() != open {
                summary.violations.push(format!("round {round} waits for drand iff open: {:?}", info.status));
            }
        }
    }
    let outputs = beacon.outputs_kept;
    let mut previous_end = None;
    let mut unanchored = 0u32;
    for index in outputs.start..outputs.end {
        summary.outputs = summary.outputs.saturating_add(1);
        let Some(entry) = beacon.output_log.get(index) else {
            summary.violations.push(format!("kept output #{index} missing"));
            continue;
        };
        if previous_end.is_some_and(|end| end >= entry.ends) {
            summary.violations.push(format!("output #{index} is not sorted by round end"));
        }
        previous_end = Some(entry.ends);
        let succeeded = RoundStatus::Succeeded { output: entry.output, anchored: entry.anchored };
        if beacon.round(entry.round).map(|info| info.status) != Some(succeeded) {
            summary.violations.push(format!("output #{index} does not match round {}", entry.round));
        }
        unanchored = unanchored.saturating_add(u32::from(!entry.anchored));
    }
    if unanchored != beacon.unanchored_outputs {
        summary
            .violations
            .push(format!("{unanchored} unanchored outputs, the count says {}", beacon.unanchored_outputs));
    }
    summary
}
