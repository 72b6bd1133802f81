//! Adding and withdrawing collateral, fee debt.

use super::*;
use polka_storage_primitives::registry::{CollateralAdded, CollateralWithdrawn, RegistryFunds};

#[test]
fn collateral_is_added_and_withdrawn_from_free_only() {
    let mut h = Harness::new();
    h.register(alice());
    let events = h.state.add_collateral(alice(), 1_000).unwrap();
    assert_eq!(events, vec![Event::CollateralAdded(CollateralAdded { owner: alice(), amount: 1_000, debt_repaid: 0 })]);
    assert_eq!(h.state.funds(), RegistryFunds { free: 1_000, locked: 0, slashed: 0 });
    h.refuses(RegistryError::InsufficientCollateral, |h| h.state.withdraw_collateral(alice(), 1_001));
    h.refuses(RegistryError::ZeroAmount, |h| h.state.withdraw_collateral(alice(), 0));
    h.refuses(RegistryError::ZeroAmount, |h| h.state.add_collateral(alice(), 0));
    h.refuses(RegistryError::StorageProviderNotFound, |h| h.state.add_collateral(bob(), 5));
    h.refuses(RegistryError::StorageProviderNotFound, |h| h.state.withdraw_collateral(bob(), 5));
    let events = h.state.withdraw_collateral(alice(), 400).unwrap();
    assert_eq!(events, vec![Event::CollateralWithdrawn(CollateralWithdrawn { owner: alice(), amount: 400 })]);
    assert_eq!(h.free(&alice()), 600);
    h.check();
}

#[test]
fn locked_collateral_cannot_be_withdrawn() {
    let mut h = Harness::new();
    let (deposit, _) = amounts();
    h.provider_with(alice(), deposit + 10);
    h.pre_commit(alice(), vec![cc_sector(1, h.now)]).unwrap();
    let collateral = h.state.provider(&alice()).unwrap().collateral;
    assert_eq!((collateral.free, collateral.pre_commit_deposits), (10, deposit));
    assert_eq!(h.state.funds(), RegistryFunds { free: 10, locked: deposit, slashed: 0 });
    h.refuses(RegistryError::InsufficientCollateral, |h| h.state.withdraw_collateral(alice(), 11));
    h.state.withdraw_collateral(alice(), 10).unwrap();
    h.check();
}

#[test]
fn fee_debt_is_repaid_first_and_blocks_withdrawals_and_pre_commits() {
    let mut h = Harness::new();
    h.provider_with(alice(), collateral_for(2));
    // Part 2 charges fees; here the debt is set directly to check how it is repaid.
    let mut state = h.state.provider(&alice()).unwrap();
    state.collateral.fee_debt = 30;
    h.state.providers.insert(alice(), &state);
    h.refuses(RegistryError::FeeDebt, |h| h.state.withdraw_collateral(alice(), 1));
    h.refuses(RegistryError::FeeDebt, |h| h.pre_commit(alice(), vec![cc_sector(1, h.now)]));
    let free = h.free(&alice());
    let events = h.state.add_collateral(alice(), 50).unwrap();
    assert_eq!(events, vec![Event::CollateralAdded(CollateralAdded { owner: alice(), amount: 50, debt_repaid: 30 })]);
    assert_eq!(h.free(&alice()), free + 20);
    assert_eq!(h.state.funds().slashed, 30);
    h.pre_commit(alice(), vec![cc_sector(1, h.now)]).unwrap();
    h.state.withdraw_collateral(alice(), 1).unwrap();
    h.check();
}
