//! The market's invariants, written once (builtin-actors' `testing.rs`): the unit tests, the
//! sandbox fixtures and the benchmark all check a market with these functions, which list every
//! violation instead of panicking. The funds check takes only what the market's views show, so a
//! fixture on a chain runs the same check as the unit harness on the state. For tests only.

use crate::state::MarketState;
use ink::prelude::{format, string::String, vec::Vec};
use polka_storage_primitives::market::{BalanceEntry, DealLookup, DealState, FundsSummary};
use polka_storage_primitives::{AccountId, Balance, BlockNumber};

/// What the invariants found: the totals walked, and every violation.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct StateSummary {
    /// Deal ids walked (every id used so far).
    pub deals: u64,
    /// Deals still live (published or active).
    pub live_deals: u64,
    /// The market's books.
    pub funds: FundsSummary,
    /// Violations, in words.
    pub violations: Vec<String>,
}

impl StateSummary {
    /// Whether nothing was violated.
    pub fn is_ok(&self) -> bool {
        self.violations.is_empty()
    }
}

/// The funds invariants, on what anyone can read of a market:
/// - the books equal the sum of the participants' `balances`;
/// - with the slashed total they equal `held`, what the contract holds on the market's behalf
///   (its balance less what it held before any deposit).
pub fn check_funds(books: &FundsSummary, balances: &[BalanceEntry], held: Balance) -> Vec<String> {
    let mut violations = Vec::new();
    let mut free: Balance = 0;
    let mut locked: Balance = 0;
    for entry in balances {
        free = free.saturating_add(entry.free);
        locked = locked.saturating_add(entry.locked);
    }
    if (free, locked) != (books.free, books.locked) {
        violations.push(format!("the participants hold {free} free and {locked} locked, the books say {books:?}"));
    }
    let owed = books.free.saturating_add(books.locked).saturating_add(books.slashed);
    if held != owed {
        violations.push(format!("the market holds {held}, but owes {owed} ({books:?})"));
    }
    violations
}

/// Every invariant of a market whose participants are `accounts`, at block `now`, for which the
/// contract holds `held`:
/// - the funds invariants of [`check_funds`];
/// - each account's locked funds back exactly its live deals (a client's unpaid fee, a
///   provider's collateral);
/// - a deal is pending iff it is published, and the provider's pending count says so;
/// - an active deal is listed under its sector, and consumed until its start block passes;
/// - every used id is live or has ended.
pub fn check_state_invariants(
    state: &MarketState,
    accounts: &[AccountId],
    now: BlockNumber,
    held: Balance,
) -> StateSummary {
    let funds = state.funds();
    let balances: Vec<BalanceEntry> = accounts.iter().map(|account| state.balance(account)).collect();
    let mut summary = StateSummary { funds, violations: check_funds(&funds, &balances, held), ..Default::default() };

    let mut locked: Vec<(AccountId, Balance)> = accounts.iter().map(|account| (*account, 0)).collect();
    let mut pending: Vec<(AccountId, u32)> = Vec::new();
    for deal_id in 0..state.next_deal_id() {
        summary.deals = summary.deals.saturating_add(1);
        let deal = match state.deal(deal_id) {
            DealLookup::Live(deal) => deal,
            DealLookup::Ended(_) => continue,
            DealLookup::Unknown => {
                summary.violations.push(format!("deal {deal_id} vanished"));
                continue;
            }
        };
        summary.live_deals = summary.live_deals.saturating_add(1);
        let paid_through = match deal.state {
            DealState::Published => {
                if state.deals.pending_deal(&deal.hash()) != Some(deal_id) {
                    summary.violations.push(format!("published deal {deal_id} is not pending"));
                }
                match pending.iter_mut().find(|(provider, _)| *provider == deal.provider) {
                    Some((_, count)) => *count = count.saturating_add(1),
                    None => pending.push((deal.provider, 1)),
                }
                deal.start_block
            }
            DealState::Active(active) => {
                if !state.sector_deals(&deal.provider, active.sector_number).contains(&deal_id) {
                    summary.violations.push(format!("active deal {deal_id} is not listed under its sector"));
                }
                if state.deals.pending_deal(&deal.hash()).is_some() {
                    summary.violations.push(format!("active deal {deal_id} is still pending"));
                }
                let mut signed = deal.clone();
                signed.state = DealState::Published;
                if now <= deal.start_block && !state.deals.is_consumed(&signed.hash(), now) {
                    summary.violations.push(format!("active deal {deal_id} is not consumed before its start"));
                }
                active.last_updated_block.unwrap_or(deal.start_block).max(deal.start_block)
            }
        };
        let unpaid =
            deal.storage_price_per_block.saturating_mul(Balance::from(deal.end_block.saturating_sub(paid_through)));
        for (who, amount) in [(deal.client, unpaid), (deal.provider, deal.provider_collateral)] {
            match locked.iter_mut().find(|(account, _)| *account == who) {
                Some((_, total)) => *total = total.saturating_add(amount),
                None => summary.violations.push(format!("deal {deal_id} names {who:?}, not a participant")),
            }
        }
    }
    for (account, amount) in locked {
        let entry = state.balance(&account);
        if entry.locked != amount {
            summary.violations.push(format!("{account:?} has {} locked, its live deals {amount}", entry.locked));
        }
        let expected = pending.iter().find(|(provider, _)| *provider == account).map_or(0, |(_, count)| *count);
        let count = state.pending_deals(&account);
        if count != expected {
            summary.violations.push(format!("{account:?} has pending count {count}, {expected} deals pending"));
        }
    }
    summary
}
