//! The balance table: every participant's free and locked funds, and the books of the whole
//! market (Σ free, Σ locked, slashed), kept in step so that the contract's native balance is
//! always `free + locked + slashed` (plus its own existential deposit).

use ink::storage::{traits::ManualKey, Mapping};
use polka_storage_primitives::market::{BalanceEntry, FundsSummary, MarketError};
use polka_storage_primitives::{AccountId, Balance};

/// Storage key of the balance table.
const BALANCES_KEY: u32 = 0x6d6b_0101;

/// Every participant's funds.
#[ink::storage_item]
#[derive(Debug, Default)]
pub struct Balances {
    entries: Mapping<AccountId, BalanceEntry, ManualKey<BALANCES_KEY>>,
    totals: FundsSummary,
}

fn add(a: Balance, b: Balance) -> Result<Balance, MarketError> {
    a.checked_add(b).ok_or(MarketError::ArithmeticOverflow)
}

/// `a − b`; `error` if `b > a`.
fn sub(a: Balance, b: Balance, error: MarketError) -> Result<Balance, MarketError> {
    a.checked_sub(b).ok_or(error)
}

impl Balances {
    /// `who`'s funds (zero for an unknown account).
    pub fn get(&self, who: &AccountId) -> BalanceEntry {
        self.entries.get(who).unwrap_or_default()
    }

    /// The market's books.
    pub fn totals(&self) -> FundsSummary {
        self.totals
    }

    fn set(&mut self, who: &AccountId, entry: BalanceEntry) {
        if entry == BalanceEntry::default() {
            self.entries.remove(who);
        } else {
            self.entries.insert(who, &entry);
        }
    }

    /// Credits `amount` that arrived with a call to `who`'s free funds.
    pub fn deposit(&mut self, who: &AccountId, amount: Balance) -> Result<(), MarketError> {
        let mut entry = self.get(who);
        entry.free = add(entry.free, amount)?;
        self.totals.free = add(self.totals.free, amount)?;
        self.set(who, entry);
        Ok(())
    }

    /// Debits `amount` of `who`'s free funds that are about to be paid out.
    pub fn withdraw(&mut self, who: &AccountId, amount: Balance) -> Result<(), MarketError> {
        let mut entry = self.get(who);
        entry.free = sub(entry.free, amount, MarketError::InsufficientFreeFunds)?;
        self.totals.free = sub(self.totals.free, amount, MarketError::ArithmeticOverflow)?;
        self.set(who, entry);
        Ok(())
    }

    /// Moves `amount` of `who`'s funds from free to locked.
    pub fn lock(&mut self, who: &AccountId, amount: Balance) -> Result<(), MarketError> {
        let mut entry = self.get(who);
        entry.free = sub(entry.free, amount, MarketError::InsufficientFreeFunds)?;
        entry.locked = add(entry.locked, amount)?;
        self.totals.free = sub(self.totals.free, amount, MarketError::ArithmeticOverflow)?;
        self.totals.locked = add(self.totals.locked, amount)?;
        self.set(who, entry);
        Ok(())
    }

    /// Moves `amount` of `who`'s funds from locked back to free.
    pub fn unlock(&mut self, who: &AccountId, amount: Balance) -> Result<(), MarketError> {
        let mut entry = self.get(who);
        entry.locked = sub(entry.locked, amount, MarketError::ArithmeticOverflow)?;
        entry.free = add(entry.free, amount)?;
        self.totals.locked = sub(self.totals.locked, amount, MarketError::ArithmeticOverflow)?;
        self.totals.free = add(self.totals.free, amount)?;
        self.set(who, entry);
        Ok(())
    }

    /// Pays `amount` of `client`'s locked funds to `provider`'s free funds.
    pub fn pay(&mut self, client: &AccountId, provider: &AccountId, amount: Balance) -> Result<(), MarketError> {
        if amount == 0 {
            return Ok(());
        }
        let mut from = self.get(client);
        from.locked = sub(from.locked, amount, MarketError::ArithmeticOverflow)?;
        self.set(client, from);
        let mut to = self.get(provider);
        to.free = add(to.free, amount)?;
        self.set(provider, to);
        self.totals.locked = sub(self.totals.locked, amount, MarketError::ArithmeticOverflow)?;
        self.totals.free = add(self.totals.free, amount)?;
        Ok(())
    }

    /// Takes `amount` of `who`'s locked funds for good: it stays in the contract, counted as
    /// slashed, and nobody can withdraw it.
    pub fn slash(&mut self, who: &AccountId, amount: Balance) -> Result<(), MarketError> {
        let mut entry = self.get(who);
        entry.locked = sub(entry.locked, amount, MarketError::ArithmeticOverflow)?;
        self.totals.locked = sub(self.totals.locked, amount, MarketError::ArithmeticOverflow)?;
        self.totals.slashed = add(self.totals.slashed, amount)?;
        self.set(who, entry);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(n: u8) -> AccountId {
        AccountId::from([n; 32])
    }

    #[ink::test]
    fn funds_move_between_free_locked_and_slashed_and_the_books_follow() {
        let mut balances = Balances::default();
        let (client, provider) = (account(1), account(2));
        balances.deposit(&client, 100).unwrap();
        balances.deposit(&provider, 40).unwrap();
        balances.lock(&client, 60).unwrap();
        balances.lock(&provider, 30).unwrap();
        balances.pay(&client, &provider, 25).unwrap();
        balances.unlock(&client, 5).unwrap();
        balances.slash(&provider, 30).unwrap();
        balances.withdraw(&provider, 35).unwrap();
        assert_eq!(balances.get(&client), BalanceEntry { free: 45, locked: 30 });
        assert_eq!(balances.get(&provider), BalanceEntry { free: 0, locked: 0 });
        assert_eq!(balances.totals(), FundsSummary { free: 45, locked: 30, slashed: 30 });
    }

    #[ink::test]
    fn overdrafts_are_named_errors_and_change_nothing() {
        let mut balances = Balances::default();
        let who = account(1);
        balances.deposit(&who, 10).unwrap();
        assert_eq!(balances.withdraw(&who, 11), Err(MarketError::InsufficientFreeFunds));
        assert_eq!(balances.lock(&who, 11), Err(MarketError::InsufficientFreeFunds));
        assert_eq!(balances.unlock(&who, 1), Err(MarketError::ArithmeticOverflow));
        assert_eq!(balances.slash(&who, 1), Err(MarketError::ArithmeticOverflow));
        assert_eq!(balances.deposit(&who, Balance::MAX), Err(MarketError::ArithmeticOverflow));
        assert_eq!(balances.get(&who), BalanceEntry { free: 10, locked: 0 });
        assert_eq!(balances.totals(), FundsSummary { free: 10, locked: 0, slashed: 0 });
    }
}
