//! The suite-level invariants, across contracts (builtin-actors' `state/src/check.rs`): what no
//! single contract's `testing.rs` can see. Like those, the check lists violations instead of
//! panicking; fixtures feed it from the contracts' views.
//!
//! - every active deal lies in a live sector of its provider that lists it, and every deal a
//!   live sector lists is active in that sector.

use polka_storage_primitives::sector::SectorNumber;
use polka_storage_primitives::{AccountId, DealId};

/// An active deal as the market shows it: its id, provider and sector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActiveDeal {
    /// The deal.
    pub deal_id: DealId,
    /// Its provider.
    pub provider: AccountId,
    /// The sector the market says holds it.
    pub sector_number: SectorNumber,
}

/// A live sector as the registry shows it: its provider, number and deals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveSector {
    /// The provider.
    pub provider: AccountId,
    /// The sector.
    pub sector_number: SectorNumber,
    /// The deals it holds (`SectorOnChainInfo::deal_ids`).
    pub deal_ids: Vec<DealId>,
}

/// Checks the market's active deals against the registry's live sectors. Returns every
/// violation, in words.
pub fn check_suite_invariants(active: &[ActiveDeal], sectors: &[LiveSector]) -> Vec<String> {
    let mut violations = Vec::new();
    let sector_of = |provider: &AccountId, number| {
        sectors.iter().find(|sector| sector.provider == *provider && sector.sector_number == number)
    };
    for deal in active {
        match sector_of(&deal.provider, deal.sector_number) {
            Some(sector) if sector.deal_ids.contains(&deal.deal_id) => {}
            Some(_) => violations.push(format!("active deal {} is not listed by its sector", deal.deal_id)),
            None => violations.push(format!("active deal {} lies in no live sector", deal.deal_id)),
        }
    }
    for sector in sectors {
        for deal_id in &sector.deal_ids {
            let listed = active.iter().any(|deal| {
                deal.deal_id == *deal_id
                    && deal.provider == sector.provider
                    && deal.sector_number == sector.sector_number
            });
            if !listed {
                violations.push(format!("sector {} lists deal {deal_id}, not active in it", sector.sector_number));
            }
        }
    }
    violations
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_deals_and_live_sectors_must_agree() {
        let alice = AccountId::from([1; 32]);
        let bob = AccountId::from([2; 32]);
        let deal = |deal_id, provider, sector_number| ActiveDeal { deal_id, provider, sector_number };
        let sector = |provider, sector_number, deal_ids: &[DealId]| LiveSector {
            provider,
            sector_number,
            deal_ids: deal_ids.to_vec(),
        };
        let sectors = vec![sector(alice, 1, &[0, 1]), sector(bob, 1, &[2])];
        let active = vec![deal(0, alice, 1), deal(1, alice, 1), deal(2, bob, 1)];
        assert_eq!(check_suite_invariants(&active, &sectors), Vec::<String>::new());
        // A deal in a sector that does not exist, one in another provider's sector, and two
        // listed deals that are not active where they are listed.
        let wrong = vec![deal(0, alice, 1), deal(1, alice, 2), deal(2, alice, 1)];
        assert_eq!(check_suite_invariants(&wrong, &sectors).len(), 4);
    }
}
