//! Unit tests of the market's rules, one file per behaviour, each ending with
//! [`Harness::check_state_invariants`].

mod activation;
mod balances;
mod model;
mod publish;
mod settlement;
mod termination;
mod timeouts;

use crate::deals::Party;
use crate::ext::Peers;
use crate::state::MarketState;
use polka_storage_primitives::commitment::{commitment_to_cid, CommitmentKind};
use polka_storage_primitives::market::{
    ClientDealProposal, ClientSignature, DealLookup, DealProposal, DealState, Event, MarketDomain, MarketError,
    SectorDeal,
};
use polka_storage_primitives::policy::MarketPolicy;
use polka_storage_primitives::sector::{RegisteredSealProof, SectorNumber};
use polka_storage_primitives::{AccountId, Balance, BlockNumber, DealId};
use sp_core::{ecdsa, ed25519, sr25519, Pair};

/// A client key of each kind, and how it signs (sp-core, as wallets and the CLI do).
#[allow(clippy::large_enum_variant)] // a handful of test keys
pub(crate) enum Signer {
    Sr25519(sr25519::Pair),
    Ed25519(ed25519::Pair),
    Ecdsa(ecdsa::Pair),
}

impl Signer {
    pub(crate) fn sr25519(seed: &str) -> Self {
        Signer::Sr25519(sr25519::Pair::from_string(seed, None).unwrap())
    }

    pub(crate) fn ed25519(seed: &str) -> Self {
        Signer::Ed25519(ed25519::Pair::from_string(seed, None).unwrap())
    }

    pub(crate) fn ecdsa(seed: &str) -> Self {
        Signer::Ecdsa(ecdsa::Pair::from_string(seed, None).unwrap())
    }

    pub(crate) fn account(&self) -> AccountId {
        match self {
            Signer::Sr25519(pair) => AccountId::from(pair.public().0),
            Signer::Ed25519(pair) => AccountId::from(pair.public().0),
            Signer::Ecdsa(pair) => AccountId::from(sp_core::blake2_256(&pair.public().0)),
        }
    }

    pub(crate) fn sign(&self, message: &[u8]) -> ClientSignature {
        match self {
            Signer::Sr25519(pair) => ClientSignature::Sr25519(pair.sign(message).0),
            Signer::Ed25519(pair) => ClientSignature::Ed25519(pair.sign(message).0),
            Signer::Ecdsa(pair) => ClientSignature::Ecdsa(pair.sign(message).0),
        }
    }

    /// `proposal` with this signer's signature of its payload for the test market's domain.
    pub(crate) fn sign_deal(&self, proposal: DealProposal) -> ClientDealProposal {
        self.sign_deal_for(&DOMAIN, proposal)
    }

    /// `proposal` with this signer's signature of its payload for the market of `domain`.
    pub(crate) fn sign_deal_for(&self, domain: &MarketDomain, proposal: DealProposal) -> ClientDealProposal {
        let client_signature = self.sign(&proposal.signing_payload(domain));
        ClientDealProposal { proposal, client_signature }
    }
}

/// The signing domain of the markets of these tests.
pub(crate) const DOMAIN: MarketDomain = [0xd0; 32];

/// The policy of the original market mock (spec §2.0): deals of 2 to 30 blocks, so the spec's
/// worked examples run unchanged.
pub(crate) const MOCK_POLICY: MarketPolicy = MarketPolicy { min_deal_duration: 2, max_deal_duration: 30 };

pub(crate) fn provider() -> AccountId {
    AccountId::from([0xb0; 32])
}

pub(crate) fn other_provider() -> AccountId {
    AccountId::from([0xb1; 32])
}

/// A CommP CID whose digest is derived from `seed`.
pub(crate) fn piece_cid(seed: u8) -> Vec<u8> {
    let mut digest = [seed; 32];
    digest[31] &= 0x3f;
    commitment_to_cid(&digest, CommitmentKind::Unsealed)
}

/// A deal of `client` with [`provider`]: piece `seed` of 128 bytes, blocks `start..end`.
pub(crate) fn proposal(
    client: &Signer,
    start: BlockNumber,
    end: BlockNumber,
    price: Balance,
    collateral: Balance,
    seed: u8,
) -> DealProposal {
    DealProposal {
        piece_cid: piece_cid(seed),
        piece_size: 128,
        client: client.account(),
        provider: provider(),
        label: b"label".to_vec(),
        start_block: start,
        end_block: end,
        storage_price_per_block: price,
        provider_collateral: collateral,
        state: DealState::Published,
    }
}

/// The registry as the unit tests script it (every account registered unless listed).
pub(crate) struct FakePeers {
    /// Whether a registry is wired.
    pub wired: bool,
    /// The accounts it does not know.
    pub unregistered: Vec<AccountId>,
}

impl Peers for FakePeers {
    fn is_registered_storage_provider(&self, provider: AccountId) -> Result<bool, MarketError> {
        if !self.wired {
            return Err(MarketError::RegistryNotSet);
        }
        Ok(!self.unregistered.contains(&provider))
    }
}

/// A market with known participants, the money they brought in, and every event.
pub(crate) struct Harness {
    pub state: MarketState,
    pub now: BlockNumber,
    pub accounts: Vec<AccountId>,
    /// Σ deposits − Σ withdrawals: what the contract holds on behalf of the market.
    pub held: Balance,
    pub events: Vec<Event>,
    /// What the registry answers.
    pub peers: FakePeers,
}

impl Harness {
    pub(crate) fn new() -> Self {
        Self::with_policy(MOCK_POLICY)
    }

    pub(crate) fn with_policy(policy: MarketPolicy) -> Self {
        // Storage of the off-chain test engine belongs to the contract being called.
        ink::env::test::set_callee::<ink::env::DefaultEnvironment>(AccountId::from([0x4d; 32]));
        let state = MarketState::new(policy, DOMAIN).unwrap();
        let peers = FakePeers { wired: true, unregistered: Vec::new() };
        Self { state, now: 1, accounts: Vec::new(), held: 0, events: Vec::new(), peers }
    }

    fn know(&mut self, account: AccountId) {
        if !self.accounts.contains(&account) {
            self.accounts.push(account);
        }
    }

    pub(crate) fn deposit(&mut self, who: AccountId, amount: Balance) {
        self.know(who);
        let events = self.state.add_balance(who, amount).unwrap();
        self.events.extend(events);
        self.held += amount;
    }

    /// Publishes as [`provider`].
    pub(crate) fn publish(&mut self, deals: &[ClientDealProposal]) -> Result<Vec<DealId>, MarketError> {
        self.publish_as(provider(), deals)
    }

    pub(crate) fn publish_as(
        &mut self,
        caller: AccountId,
        deals: &[ClientDealProposal],
    ) -> Result<Vec<DealId>, MarketError> {
        let (ids, events) = self.state.publish_storage_deals(&self.peers, caller, self.now, deals)?;
        self.know(caller);
        for deal in deals {
            self.know(deal.proposal.client);
        }
        self.events.extend(events);
        Ok(ids)
    }

    pub(crate) fn activate(&mut self, sectors: &[SectorDeal]) -> Result<(), MarketError> {
        let events = self.state.activate_deals(&provider(), self.now, sectors)?;
        self.events.extend(events);
        Ok(())
    }

    pub(crate) fn settle(
        &mut self,
        deal_ids: &[DealId],
    ) -> Result<polka_storage_primitives::market::SettlementReport, MarketError> {
        let (report, events) = self.state.settle_deal_payments(self.now, deal_ids)?;
        self.events.extend(events);
        Ok(report)
    }

    pub(crate) fn terminate(&mut self, sectors: &[SectorNumber]) -> Result<(), MarketError> {
        let events = self.state.on_sectors_terminate(&provider(), self.now, sectors)?;
        self.events.extend(events);
        Ok(())
    }

    pub(crate) fn free(&self, who: &AccountId) -> Balance {
        self.state.balance(who).free
    }

    pub(crate) fn locked(&self, who: &AccountId) -> Balance {
        self.state.balance(who).locked
    }

    /// Everything a user could see, to compare before and after a failed call.
    pub(crate) fn snapshot(&self) -> String {
        let mut out = format!("{:?} next={} ", self.state.funds(), self.state.next_deal_id());
        for account in &self.accounts {
            out += &format!(
                "{:?} {:?} pending={} {:?} {:?}; ",
                account,
                self.state.balance(account),
                self.state.pending_deals(account),
                self.state.deals_of(Party::Provider, account, 0, 64),
                self.state.deals_of(Party::Client, account, 0, 64),
            );
        }
        for deal_id in 0..self.state.next_deal_id() {
            out += &format!("{:?}; ", self.state.deal(deal_id));
        }
        out
    }

    /// Runs `call`, expects `error`, and checks that nothing changed.
    pub(crate) fn expect_error<T: core::fmt::Debug>(
        &mut self,
        error: MarketError,
        call: impl FnOnce(&mut Self) -> Result<T, MarketError>,
    ) {
        let before = self.snapshot();
        let result = call(self);
        assert_eq!(result.map(|_| ()), Err(error));
        assert_eq!(self.snapshot(), before, "a failed call changed the state");
    }

    /// The market's invariants (`crate::testing`), after every test.
    pub(crate) fn check_state_invariants(&self) {
        let summary = crate::testing::check_state_invariants(&self.state, &self.accounts, self.now, self.held);
        assert!(summary.is_ok(), "{:#?}", summary.violations);
    }
}

/// A 2 KiB sector holding `deal_ids`, expiring at `expiry`.
pub(crate) fn sector(sector_number: SectorNumber, expiry: BlockNumber, deal_ids: &[DealId]) -> SectorDeal {
    SectorDeal {
        sector_number,
        sector_expiry: expiry,
        sector_type: RegisteredSealProof::StackedDRG2KiBV1P1,
        deal_ids: deal_ids.to_vec(),
    }
}
