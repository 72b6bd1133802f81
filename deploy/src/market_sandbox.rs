//! The market on the sandbox chain: a fixture that deploys it with the real provider registry and
//! the test-only registry double, signs deals with real keys, and checks the funds invariant after
//! every call. Shared by the market's sandbox tests and its benchmark section.
//!
//! The market accepts `verify_deals_for_activation`, `activate_deals` and `on_sectors_terminate`
//! from its registry only. Until the registry's sector flow exists, the market is wired to
//! `registry_double` (e2e-tests/contracts/registry_double, TEST-ONLY), which forwards those calls
//! and answers `is_registered_storage_provider` by asking the real registry, where providers
//! register with `register_storage_provider`.
//!
//! Each market is instantiated with a signing domain drawn at random ([`random_domain`]), as a
//! deployment must; clients sign deals for it.

use crate::bundle::{standalone_bundle, Bundle};
use crate::chain::{dev_account, Answer, Chain, Deployed};
use crate::runtime::Balance;
use anyhow::{ensure, Result};
use polka_storage_primitives::commitment::{commitment_to_cid, Commitment, CommitmentKind};
use polka_storage_primitives::market::{
    wrap_bytes, BalanceEntry, ClientDealProposal, ClientSignature, DealLookup, DealPage, DealProposal, DealState,
    FundsSummary, MarketDomain, MarketError, SectorDeal, SettlementReport,
};
use polka_storage_primitives::policy::{BeaconPolicy, MarketPolicy, ProvingPolicy, MAX_DEALS_PER_PAGE};
use polka_storage_primitives::registry::RegistryError;
use polka_storage_primitives::sector::{RegisteredPoStProof, RegisteredSealProof, SectorNumber};
use polka_storage_primitives::{AccountId, BlockNumber, DealId};
use scale::{Decode, Encode};
use sp_core::{ecdsa, ed25519, sr25519, Pair};
use sp_runtime::AccountId32;
use std::io::Read;
use std::sync::Arc;

/// A market signing domain drawn from the operating system's random source, as every deployment
/// of the market draws one (the market's constructors take it).
pub fn random_domain() -> Result<MarketDomain> {
    let mut domain = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut source| source.read_exact(&mut domain))
        .map_err(|error| anyhow::anyhow!("drawing the market's signing domain from /dev/urandom: {error}"))?;
    ensure!(domain != [0; 32], "the random source gave 32 zero bytes");
    Ok(domain)
}

/// The signature scheme of a client key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// Schnorrkel over Ristretto (Polkadot.js default).
    Sr25519,
    /// Ed25519.
    Ed25519,
    /// Secp256k1 ECDSA; the account is the blake2 of the compressed key.
    Ecdsa,
}

impl KeyKind {
    /// Every kind.
    pub const ALL: [KeyKind; 3] = [KeyKind::Sr25519, KeyKind::Ed25519, KeyKind::Ecdsa];

    /// The scheme's usual name.
    pub const fn label(self) -> &'static str {
        match self {
            KeyKind::Sr25519 => "sr25519",
            KeyKind::Ed25519 => "ed25519",
            KeyKind::Ecdsa => "ecdsa",
        }
    }
}

/// A client's key pair, as sp-core (wallets, the CLI) makes and uses it.
#[allow(clippy::large_enum_variant)] // a handful of test keys
pub enum Client {
    /// An sr25519 key.
    Sr25519(sr25519::Pair),
    /// An ed25519 key.
    Ed25519(ed25519::Pair),
    /// An ecdsa key.
    Ecdsa(ecdsa::Pair),
}

impl Client {
    /// The key of `kind` derived from the secret URI `seed` (e.g. `//Alice`).
    pub fn new(kind: KeyKind, seed: &str) -> Self {
        match kind {
            KeyKind::Sr25519 => Client::Sr25519(sr25519::Pair::from_string(seed, None).expect("valid seed")),
            KeyKind::Ed25519 => Client::Ed25519(ed25519::Pair::from_string(seed, None).expect("valid seed")),
            KeyKind::Ecdsa => Client::Ecdsa(ecdsa::Pair::from_string(seed, None).expect("valid seed")),
        }
    }

    /// The client's account: the public key, or for ecdsa the blake2 of the compressed key.
    pub fn account(&self) -> AccountId32 {
        match self {
            Client::Sr25519(pair) => pair.public().into(),
            Client::Ed25519(pair) => pair.public().into(),
            Client::Ecdsa(pair) => AccountId32::new(sp_core::blake2_256(&pair.public().0)),
        }
    }

    /// Signs `message`.
    pub fn sign(&self, message: &[u8]) -> ClientSignature {
        match self {
            Client::Sr25519(pair) => ClientSignature::Sr25519(pair.sign(message).0),
            Client::Ed25519(pair) => ClientSignature::Ed25519(pair.sign(message).0),
            Client::Ecdsa(pair) => ClientSignature::Ecdsa(pair.sign(message).0),
        }
    }

    /// `proposal` signed over its signing payload for the market of `domain` (as the CLI signs).
    pub fn sign_deal(&self, domain: &MarketDomain, proposal: DealProposal) -> ClientDealProposal {
        ClientDealProposal { client_signature: self.sign(&proposal.signing_payload(domain)), proposal }
    }

    /// `proposal` signed over `<Bytes>payload</Bytes>` (as Polkadot.js `signRaw` signs).
    pub fn sign_deal_wrapped(&self, domain: &MarketDomain, proposal: DealProposal) -> ClientDealProposal {
        ClientDealProposal { client_signature: self.sign(&wrap_bytes(&proposal.signing_payload(domain))), proposal }
    }
}

/// The contracts' `AccountId` of a chain account.
pub fn id(account: &AccountId32) -> AccountId {
    AccountId::from(<[u8; 32]>::from(account.clone()))
}

/// A CommP CID whose digest is derived from `seed`.
pub fn piece_cid(seed: u32) -> Vec<u8> {
    let mut digest: Commitment = sp_core::blake2_256(&seed.to_le_bytes());
    digest[31] &= 0x3f;
    commitment_to_cid(&digest, CommitmentKind::Unsealed)
}

/// A proposal of a 128-byte piece `seed` between `client` and `provider` for blocks
/// `start..end`, in state `Published`.
pub fn proposal(
    client: &AccountId32,
    provider: &AccountId32,
    seed: u32,
    (start, end): (BlockNumber, BlockNumber),
    price: Balance,
    collateral: Balance,
) -> DealProposal {
    DealProposal {
        piece_cid: piece_cid(seed),
        piece_size: 128,
        client: id(client),
        provider: id(provider),
        label: format!("piece {seed}").into_bytes(),
        start_block: start,
        end_block: end,
        storage_price_per_block: price,
        provider_collateral: collateral,
        state: DealState::Published,
    }
}

/// A 2 KiB sector `sector_number` holding `deal_ids`, expiring at `expiry`.
pub fn sector(sector_number: SectorNumber, expiry: BlockNumber, deal_ids: &[DealId]) -> SectorDeal {
    SectorDeal {
        sector_number,
        sector_expiry: expiry,
        sector_type: RegisteredSealProof::StackedDRG2KiBV1P1,
        deal_ids: deal_ids.to_vec(),
    }
}

/// A randomness beacon with the fast test values, deployed by `owner`: the registry checks at
/// instantiation that its beacon's history covers the proving policy's randomness lookback.
pub fn deploy_beacon(chain: &mut Chain, owner: &AccountId32) -> Result<Deployed> {
    let code = Arc::new(Bundle::of("randomness")?);
    chain.instantiate(owner, &code, "with_policy", (BeaconPolicy::FAST,), 0, b"")
}

/// The registry double's bundle (built with cargo-contract once per process).
pub fn registry_double_bundle() -> Result<Arc<Bundle>> {
    standalone_bundle("e2e-tests/contracts/registry_double", "registry_double")
}

/// The market, the real registry and the registry double on a fresh chain, with the funds
/// invariant checked after every call made through it.
pub struct MarketSandbox {
    /// The chain.
    pub chain: Chain,
    /// `//Alice`, who deployed and owns the contracts.
    pub owner: AccountId32,
    /// The market, wired to the double.
    pub market: Deployed,
    /// The real provider registry.
    pub registry: Deployed,
    /// The randomness beacon the registry was created with (registration draws nothing from it).
    pub beacon: Deployed,
    /// The TEST-ONLY registry double (the market's registry).
    pub double: Deployed,
    /// The market's signing domain, drawn at instantiation.
    pub domain: MarketDomain,
    /// The market's native balance right after instantiation (its existential deposit): owed to
    /// nobody, and constant.
    pub offset: Balance,
    /// Every account that has dealt with the market.
    pub participants: Vec<AccountId32>,
}

impl MarketSandbox {
    /// Deploys the market with `policy` and a random domain, the registry (fast proving periods,
    /// with a beacon; no verifier needed for registration) and the double, and wires the market
    /// to the double.
    pub fn new(policy: MarketPolicy) -> Result<Self> {
        let mut chain = Chain::new();
        let owner = dev_account("Alice");
        let market_code = Arc::new(Bundle::of("market")?);
        let registry_code = Arc::new(Bundle::of("provider_registry")?);
        let domain = random_domain()?;
        let market =
            chain.instantiate(&owner, &market_code, "with_policy", (None::<[u8; 32]>, policy, domain), 0, b"")?;
        let offset = chain.balance(&market.address);
        let beacon = deploy_beacon(&mut chain, &owner)?;
        let unused = [0u8; 32];
        let registry = chain.instantiate(
            &owner,
            &registry_code,
            "with_policy",
            (unused, beacon.account(), Some(market.account()), ProvingPolicy::FAST),
            0,
            b"",
        )?;
        let double = chain.instantiate(
            &owner,
            &registry_double_bundle()?,
            "new",
            (market.account(), registry.account()),
            0,
            b"",
        )?;
        let wired =
            chain.call::<_, Result<(), MarketError>>(&owner, &market, "set_registry", (double.account(),), 0)?;
        ensure!(wired.value.is_ok(), "wiring the market failed: {:?}", wired.value);
        let mut sandbox =
            Self { chain, owner, market, registry, beacon, double, domain, offset, participants: Vec::new() };
        let shown: MarketDomain = sandbox.view("domain", ())?;
        ensure!(shown == domain, "the market shows the domain {shown:?}, it was created with {domain:?}");
        sandbox.check_funds()?;
        Ok(sandbox)
    }

    fn note(&mut self, account: &AccountId32) {
        if !self.participants.contains(account) {
            self.participants.push(account.clone());
        }
    }

    /// Calls a market message and checks the funds invariant afterwards.
    pub fn call_market<A: Encode, R: Decode>(
        &mut self,
        caller: &AccountId32,
        message: &str,
        args: A,
        value: Balance,
    ) -> Result<Answer<R>> {
        let market = self.market.clone();
        let answer = self.chain.call(caller, &market, message, args, value)?;
        if !answer.reverted {
            self.note(caller);
        }
        self.check_funds()?;
        Ok(answer)
    }

    /// Calls a double message (as the registry would call the market) and checks the invariant.
    pub fn call_double<A: Encode, R: Decode>(&mut self, message: &str, args: A) -> Result<Answer<R>> {
        let double = self.double.clone();
        let caller = self.owner.clone();
        let answer = self.chain.call(&caller, &double, message, args, 0)?;
        self.check_funds()?;
        Ok(answer)
    }

    /// `client`'s signature of `proposal` for this market.
    pub fn sign(&self, client: &Client, proposal: DealProposal) -> ClientDealProposal {
        client.sign_deal(&self.domain, proposal)
    }

    /// `client`'s `<Bytes>`-wrapped signature of `proposal` for this market.
    pub fn sign_wrapped(&self, client: &Client, proposal: DealProposal) -> ClientDealProposal {
        client.sign_deal_wrapped(&self.domain, proposal)
    }

    /// Registers `provider` with the real registry (`register_storage_provider`).
    pub fn register_provider(&mut self, provider: &AccountId32) -> Result<Answer<Result<(), RegistryError>>> {
        let registry = self.registry.clone();
        let answer = self.chain.call(
            provider,
            &registry,
            "register_storage_provider",
            (b"12D3KooW-test-peer".to_vec(), RegisteredPoStProof::StackedDRGWindow2KiBV1P1),
            0,
        )?;
        self.check_funds()?;
        Ok(answer)
    }

    /// Gives `who` native funds (for clients that are not development accounts).
    pub fn endow(&mut self, who: &AccountId32, amount: Balance) {
        self.chain.endow(who, amount);
    }

    /// `add_balance` with `amount` attached.
    pub fn add_balance(&mut self, who: &AccountId32, amount: Balance) -> Result<Answer<Result<(), MarketError>>> {
        self.call_market(who, "add_balance", (), amount)
    }

    /// `withdraw_balance(amount)`.
    pub fn withdraw_balance(&mut self, who: &AccountId32, amount: Balance) -> Result<Answer<Result<(), MarketError>>> {
        self.call_market(who, "withdraw_balance", (amount,), 0)
    }

    /// `publish_storage_deals(deals)` by `provider`.
    pub fn publish(
        &mut self,
        provider: &AccountId32,
        deals: &[ClientDealProposal],
    ) -> Result<Answer<Result<Vec<DealId>, MarketError>>> {
        let answer = self.call_market(provider, "publish_storage_deals", (deals.to_vec(),), 0)?;
        if !answer.reverted {
            for deal in deals {
                self.note(&AccountId32::new(*deal.proposal.client.as_ref()));
            }
        }
        Ok(answer)
    }

    /// `verify_deals_for_activation` through the double.
    pub fn verify(
        &mut self,
        provider: &AccountId32,
        sectors: &[SectorDeal],
    ) -> Result<Answer<Result<Vec<Option<Commitment>>, MarketError>>> {
        self.call_double("verify_deals_for_activation", (id(provider), sectors.to_vec()))
    }

    /// `activate_deals` through the double.
    pub fn activate(
        &mut self,
        provider: &AccountId32,
        sectors: &[SectorDeal],
    ) -> Result<Answer<Result<(), MarketError>>> {
        self.call_double("activate_deals", (id(provider), sectors.to_vec()))
    }

    /// `on_sectors_terminate` through the double.
    pub fn terminate(
        &mut self,
        provider: &AccountId32,
        sectors: &[SectorNumber],
    ) -> Result<Answer<Result<(), MarketError>>> {
        self.call_double("on_sectors_terminate", (id(provider), sectors.to_vec()))
    }

    /// `settle_deal_payments(deal_ids)` by `caller`.
    pub fn settle(
        &mut self,
        caller: &AccountId32,
        deal_ids: &[DealId],
    ) -> Result<Answer<Result<SettlementReport, MarketError>>> {
        self.call_market(caller, "settle_deal_payments", (deal_ids.to_vec(),), 0)
    }

    /// `process_deal_timeouts(deal_ids)` by `caller`.
    pub fn process_timeouts(
        &mut self,
        caller: &AccountId32,
        deal_ids: &[DealId],
    ) -> Result<Answer<Result<Vec<DealId>, MarketError>>> {
        self.call_market(caller, "process_deal_timeouts", (deal_ids.to_vec(),), 0)
    }

    /// A read-only view of the market.
    pub fn view<A: Encode, R: Decode>(&mut self, message: &str, args: A) -> Result<R> {
        let market = self.market.clone();
        let caller = self.owner.clone();
        self.chain.query(&caller, &market, message, args)
    }

    /// `balance(who)`.
    pub fn balance(&mut self, who: &AccountId32) -> Result<BalanceEntry> {
        self.view("balance", (id(who),))
    }

    /// `funds()`.
    pub fn funds(&mut self) -> Result<FundsSummary> {
        self.view("funds", ())
    }

    /// `deal(deal_id)`.
    pub fn deal(&mut self, deal_id: DealId) -> Result<DealLookup> {
        self.view("deal", (deal_id,))
    }

    /// The funds invariant: the market's native balance is the existential deposit it was
    /// created with plus Σ(free + locked) of every participant plus the slashed total, and the
    /// market's own books agree with the participants' balances.
    pub fn check_funds(&mut self) -> Result<()> {
        let funds = self.funds()?;
        let balances =
            self.participants.clone().iter().map(|account| self.balance(account)).collect::<Result<Vec<_>>>()?;
        // What the contract holds for the market: all but what it held before any deposit.
        let held = self.chain.balance(&self.market.address).saturating_sub(self.offset);
        let violations = market::testing::check_funds(&funds, &balances, held);
        ensure!(violations.is_empty(), "market funds (offset {}): {}", self.offset, violations.join("; "));
        Ok(())
    }

    /// Every page of `view` (`provider_deals` or `client_deals`) of `account`, in order.
    pub fn all_deals(&mut self, view: &str, account: &AccountId32) -> Result<Vec<DealPage>> {
        let mut pages = Vec::new();
        let mut from = 0u32;
        loop {
            let page: DealPage = self.view(view, (id(account), from, MAX_DEALS_PER_PAGE))?;
            let read = u32::try_from(page.deals.len())?;
            let total = page.total;
            pages.push(page);
            from = from.saturating_add(read);
            if read == 0 || from >= total {
                return Ok(pages);
            }
        }
    }

    /// Everything users can see of the market, to compare before and after a failed call.
    pub fn snapshot(&mut self) -> Result<String> {
        let next: DealId = self.view("next_deal_id", ())?;
        let mut out = format!("{:?}; next={next}; ", self.funds()?);
        for account in self.participants.clone() {
            let balance = self.balance(&account)?;
            let pending: u32 = self.view("pending_deals", (id(&account),))?;
            let provided = self.all_deals("provider_deals", &account)?;
            let bought = self.all_deals("client_deals", &account)?;
            out += &format!("{account}: {balance:?} pending={pending} {provided:?} {bought:?}; ");
        }
        for deal_id in 0..next {
            out += &format!("{:?}; ", self.deal(deal_id)?);
        }
        Ok(out)
    }
}
