//! The market's balances on the sandbox chain: `add_balance`, `withdraw_balance`, `balance`,
//! `funds`, with the funds invariant checked after every call.

mod market_support;
use market_support::*;

#[test]
fn funds_come_in_and_go_out_and_the_contract_holds_exactly_the_books() -> anyhow::Result<()> {
    let mut sandbox = MarketSandbox::new(MOCK_POLICY)?;
    let alice = dev_account("Alice");
    let before = sandbox.chain.balance(&alice);
    let answer = sandbox.add_balance(&alice, 700)?;
    assert_eq!(answer.value, Ok(()));
    let added: Vec<BalanceAdded> = sandbox.market.events(&answer.events, "BalanceAdded")?;
    assert_eq!(added, vec![BalanceAdded { who: id(&alice), amount: 700 }]);
    assert_eq!(sandbox.balance(&alice)?, BalanceEntry { free: 700, locked: 0 });
    let answer = sandbox.withdraw_balance(&alice, 300)?;
    assert_eq!(answer.value, Ok(()));
    let withdrawn: Vec<BalanceWithdrawn> = sandbox.market.events(&answer.events, "BalanceWithdrawn")?;
    assert_eq!(withdrawn, vec![BalanceWithdrawn { who: id(&alice), amount: 300 }]);
    assert_eq!(sandbox.balance(&alice)?, BalanceEntry { free: 400, locked: 0 });
    assert_eq!(sandbox.funds()?, FundsSummary { free: 400, locked: 0, slashed: 0 });
    // Alice paid 400 into the market, plus the storage deposit of her balance entry.
    assert!(before - sandbox.chain.balance(&alice) >= 400);
    assert_eq!(sandbox.chain.balance(&sandbox.market.address.clone()), sandbox.offset + 400);
    Ok(())
}

#[test]
fn zero_amounts_and_overdrafts_are_named_errors_that_change_nothing() -> anyhow::Result<()> {
    let mut sandbox = MarketSandbox::new(MOCK_POLICY)?;
    let alice = dev_account("Alice");
    let bob = dev_account("Bob");
    sandbox.add_balance(&alice, 100)?;
    expect_error(&mut sandbox, MarketError::ZeroAmount, |s| s.add_balance(&alice, 0))?;
    expect_error(&mut sandbox, MarketError::ZeroAmount, |s| s.withdraw_balance(&alice, 0))?;
    expect_error(&mut sandbox, MarketError::InsufficientFreeFunds, |s| s.withdraw_balance(&alice, 101))?;
    expect_error(&mut sandbox, MarketError::InsufficientFreeFunds, |s| s.withdraw_balance(&bob, 1))?;
    assert_eq!(sandbox.balance(&alice)?, BalanceEntry { free: 100, locked: 0 });
    Ok(())
}

#[test]
fn an_unusable_policy_is_refused_at_instantiation() -> anyhow::Result<()> {
    let mut chain = polka_storage_deploy::chain::Chain::new();
    let code = std::sync::Arc::new(polka_storage_deploy::bundle::Bundle::of("market")?);
    let owner = dev_account("Alice");
    for (policy, salt) in [
        (MarketPolicy { min_deal_duration: 0, max_deal_duration: 5 }, b"a"),
        (MarketPolicy { min_deal_duration: 6, max_deal_duration: 5 }, b"b"),
    ] {
        let args = (None::<[u8; 32]>, policy, random_domain()?);
        assert!(chain.instantiate(&owner, &code, "with_policy", args, 0, salt).is_err());
    }
    // Nor a domain left at zeros instead of drawn.
    assert!(chain.instantiate(&owner, &code, "new", (None::<[u8; 32]>, [0u8; 32]), 0, b"d").is_err());
    let domain = random_domain()?;
    let market = chain.instantiate(&owner, &code, "new", (None::<[u8; 32]>, domain), 0, b"c")?;
    let shown: [u8; 32] = chain.query(&owner, &market, "domain", ())?;
    assert_eq!(shown, domain);
    Ok(())
}
