//! Model-based random operation sequences: deposits, withdrawals, publications, block advances,
//! timeouts and settlements by several accounts, against a plain model of every account's free
//! and locked funds. Deposits, withdrawals and publications are predicted exactly; timeouts and
//! settlements (whose amounts the unit tests pin down) are checked by the invariants, then the
//! model adopts the new balances. After every step the market's invariants hold (funds conserved
//! to the unit) and the model agrees with the state.
//!
//! `MARKET_MODEL_OPS` (default 600, ~12 s in a debug build) and `MARKET_MODEL_SEED` set the run's length and seed.

use super::*;
use polka_storage_primitives::policy::MAX_PENDING_DEALS_PER_PROVIDER;
use std::collections::BTreeMap;

/// A small deterministic generator (xorshift64*): the sequence is reproducible from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `low..=high`.
    fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }
}

/// Free and locked funds of each account, as the model predicts them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Model {
    funds: BTreeMap<AccountId, (Balance, Balance)>,
}

impl Model {
    fn free(&self, who: &AccountId) -> Balance {
        self.funds.get(who).map_or(0, |f| f.0)
    }

    fn adopt(&mut self, h: &Harness) {
        for account in &h.accounts {
            self.funds.insert(*account, (h.free(account), h.locked(account)));
        }
    }

    fn check(&self, h: &Harness, step: usize, op: &str) {
        for account in &h.accounts {
            let expected = self.funds.get(account).copied().unwrap_or((0, 0));
            assert_eq!((h.free(account), h.locked(account)), expected, "step {step} ({op}): {account:?}");
        }
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn random_operation_sequences_agree_with_the_model() {
    let ops = env_u64("MARKET_MODEL_OPS", 600) as usize;
    let mut rng = Rng(env_u64("MARKET_MODEL_SEED", 0x5eed_cafe) | 1);
    let mut h = Harness::new();
    let clients = [Signer::sr25519("//Alice"), Signer::ed25519("//Charlie"), Signer::ecdsa("//Dave")];
    let provider = provider();
    let mut accounts: Vec<AccountId> = clients.iter().map(Signer::account).collect();
    accounts.push(provider);
    let mut model = Model::default();
    let (mut published, mut seed, mut refused, mut checks) = (Vec::<DealId>::new(), 0u32, 0usize, 0usize);
    for step in 0..ops {
        let op;
        match rng.range(0, 9) {
            0..=2 => {
                let who = accounts[rng.range(0, 3) as usize];
                let amount = Balance::from(rng.range(1, 500) as u32);
                op = format!("deposit {amount}");
                h.deposit(who, amount);
                model.funds.entry(who).or_default().0 += amount;
            }
            3 => {
                let who = accounts[rng.range(0, 3) as usize];
                let amount = Balance::from(rng.range(0, 1_500) as u32);
                op = format!("withdraw {amount}");
                let before = h.snapshot();
                match h.state.withdraw_balance(who, amount) {
                    Ok(events) => {
                        assert!(amount > 0 && amount <= model.free(&who), "step {step}: {op} succeeded");
                        h.events.extend(events);
                        h.held -= amount;
                        model.funds.entry(who).or_default().0 -= amount;
                    }
                    Err(error) => {
                        let expected =
                            if amount == 0 { MarketError::ZeroAmount } else { MarketError::InsufficientFreeFunds };
                        assert_eq!(error, expected, "step {step}: {op}");
                        assert!(amount == 0 || amount > model.free(&who), "step {step}: {op} refused");
                        assert_eq!(h.snapshot(), before, "step {step}: a refusal changed the state");
                        refused += 1;
                    }
                }
            }
            4..=6 => {
                let client = &clients[rng.range(0, 2) as usize];
                let start = h.now + rng.range(1, 8) as BlockNumber;
                let end = start + rng.range(2, 30) as BlockNumber;
                let (price, collateral) =
                    (Balance::from(rng.range(0, 12) as u32), Balance::from(rng.range(0, 80) as u32));
                // Each proposal is distinct: its piece and its label differ.
                seed += 1;
                let mut deal = proposal(client, start, end, price, collateral, (seed % 251) as u8);
                deal.label = format!("deal {seed}").into_bytes();
                let fee = price * Balance::from(end - start);
                op = format!("publish fee {fee} collateral {collateral}");
                let affordable = model.free(&client.account()) >= fee && model.free(&provider) >= collateral;
                let room = h.state.pending_deals(&provider) < MAX_PENDING_DEALS_PER_PROVIDER;
                let before = h.snapshot();
                match h.publish(&[client.sign_deal(deal)]) {
                    Ok(ids) => {
                        assert!(affordable && room, "step {step}: {op} succeeded without the funds");
                        published.extend(ids);
                        let entry = model.funds.entry(client.account()).or_default();
                        *entry = (entry.0 - fee, entry.1 + fee);
                        let entry = model.funds.entry(provider).or_default();
                        *entry = (entry.0 - collateral, entry.1 + collateral);
                    }
                    Err(error) => {
                        assert!(!(affordable && room), "step {step}: {op} refused with the funds: {error:?}");
                        assert_eq!(h.snapshot(), before, "step {step}: a refusal changed the state");
                        refused += 1;
                    }
                }
            }
            7 => {
                let blocks = rng.range(1, 6) as BlockNumber;
                op = format!("advance {blocks}");
                h.now += blocks;
            }
            8 => {
                op = "timeouts".into();
                let ids: Vec<DealId> = published.iter().rev().take(32).copied().collect();
                if !ids.is_empty() {
                    let before = h.snapshot();
                    match h.state.process_deal_timeouts(h.now, &ids) {
                        Ok((_, events)) => h.events.extend(events),
                        Err(_) => assert_eq!(h.snapshot(), before, "step {step}: a refusal changed the state"),
                    }
                    model.adopt(&h);
                }
            }
            _ => {
                op = "settle".into();
                let ids: Vec<DealId> = published.iter().rev().take(32).copied().collect();
                if !ids.is_empty() {
                    let before = h.snapshot();
                    if h.settle(&ids).is_err() {
                        assert_eq!(h.snapshot(), before, "step {step}: a refusal changed the state");
                    }
                    model.adopt(&h);
                }
            }
        }
        model.check(&h, step, &op);
        h.check_state_invariants();
        checks += 1;
    }
    println!(
        "market model: {ops} operations, {} deals published, {refused} refusals, {checks} invariant checks passed",
        published.len()
    );
}
