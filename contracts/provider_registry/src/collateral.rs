//! Collateral (DESIGN.md, "Provider collateral, fees and penalties"): a provider adds funds,
//! which first repay any fee debt; deposits and pledges are locked from its free collateral;
//! only free collateral is withdrawn, by the owner, and never while fees are owed.

use crate::state::{add, sub, RegistryState};
use ink::prelude::{vec, vec::Vec};
use polka_storage_primitives::registry::{CollateralAdded, CollateralWithdrawn, Event, RegistryError};
use polka_storage_primitives::{AccountId, Balance};

impl RegistryState {
    /// Credits `amount`, which `caller` (a provider's owner or worker) sent with the call, to
    /// the provider: fee debt first (it goes to the slashed total), the rest to free collateral.
    pub fn add_collateral(&mut self, caller: AccountId, amount: Balance) -> Result<Vec<Event>, RegistryError> {
        if amount == 0 {
            return Err(RegistryError::ZeroAmount);
        }
        let (owner, mut state) = self.resolve(&caller)?;
        let debt_repaid = amount.min(state.collateral.fee_debt);
        let credited = sub(amount, debt_repaid)?;
        state.collateral.fee_debt = sub(state.collateral.fee_debt, debt_repaid)?;
        state.collateral.free = add(state.collateral.free, credited)?;
        self.funds.slashed = add(self.funds.slashed, debt_repaid)?;
        self.funds.free = add(self.funds.free, credited)?;
        self.providers.insert(owner, &state);
        Ok(vec![Event::CollateralAdded(CollateralAdded { owner, amount, debt_repaid })])
    }

    /// Debits `amount` of the free collateral of the provider whose owner is `caller`; the
    /// contract then pays it out.
    pub fn withdraw_collateral(&mut self, caller: AccountId, amount: Balance) -> Result<Vec<Event>, RegistryError> {
        if amount == 0 {
            return Err(RegistryError::ZeroAmount);
        }
        let mut state = self.owner_state(&caller)?;
        if state.collateral.fee_debt > 0 {
            return Err(RegistryError::FeeDebt);
        }
        state.collateral.free =
            state.collateral.free.checked_sub(amount).ok_or(RegistryError::InsufficientCollateral)?;
        self.funds.free = sub(self.funds.free, amount)?;
        self.providers.insert(caller, &state);
        Ok(vec![Event::CollateralWithdrawn(CollateralWithdrawn { owner: caller, amount })])
    }
}
