//! The storage market: balances, client-signed deals published by providers, activation,
//! payment settlement and slashing (the market pallet of spec §2.1).
//!
//! The rules live in plain modules (`balances`, `deals`, `publish`, `activation`, `settlement`,
//! `signature`, `state`), every call to another contract in `ext`; the contract below stores the
//! state, checks callers and emits the events its logic returns.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod activation;
pub mod balances;
pub mod deals;
pub mod ext;
pub mod publish;
pub mod settlement;
pub mod signature;
pub mod state;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
#[cfg(test)]
mod tests;

#[ink::contract]
mod market {
    use crate::deals::Party;
    use crate::ext::ChainPeers;
    use crate::state::{piece_is_included, MarketState};
    use ink::prelude::vec::Vec;
    use polka_storage_primitives::commitment::Commitment;
    use polka_storage_primitives::market::{
        BalanceEntry, ClientDealProposal, DealLookup, DealPage, Event, FundsSummary, Market as MarketTrait,
        MarketDomain, MarketError, SectorDeal, SettlementReport,
    };
    use polka_storage_primitives::ownership::Ownership;
    use polka_storage_primitives::policy::MarketPolicy;
    use polka_storage_primitives::sector::{RegisteredSealProof, SectorNumber};
    use polka_storage_primitives::DealId;

    /// The market's state.
    #[ink(storage)]
    pub struct Market {
        ownership: Ownership,
        registry: Option<AccountId>,
        state: MarketState,
    }

    impl Market {
        /// Creates the market with the production deal durations (20 to 1278 days).
        ///
        /// `registry`: the provider registry contract, if it already exists; otherwise the owner
        /// sets it once with `set_registry`.
        /// `domain`: 32 bytes drawn at random for this market (not all zeros), fixed for its
        /// life: clients sign deals for it, so a signed deal is valid on this market only.
        #[ink(constructor, default)]
        pub fn new(registry: Option<AccountId>, domain: MarketDomain) -> Result<Self, MarketError> {
            Self::with_policy(registry, MarketPolicy::PRODUCTION, domain)
        }

        /// Creates the market with explicit parameters (e.g. `MarketPolicy::FAST` for tests).
        ///
        /// `registry`: the provider registry contract, if it already exists.
        /// `policy`: shortest and longest deal durations in blocks (shortest ≥ 1, ≤ longest).
        /// `domain`: 32 bytes drawn at random for this market (not all zeros), fixed for its
        /// life: clients sign deals for it.
        #[ink(constructor)]
        pub fn with_policy(
            registry: Option<AccountId>,
            policy: MarketPolicy,
            domain: MarketDomain,
        ) -> Result<Self, MarketError> {
            let state = MarketState::new(policy, domain)?;
            Ok(Self { ownership: Ownership::new(Self::env().caller()), registry, state })
        }

        /// The account that governs the market.
        #[ink(message)]
        pub fn owner(&self) -> AccountId {
            self.ownership.owner()
        }

        /// The account proposed to govern next, until it accepts or the owner cancels.
        #[ink(message)]
        pub fn proposed_owner(&self) -> Option<AccountId> {
            self.ownership.proposed_owner()
        }

        /// Blocks between announcing a replacement (code, and keys where the market has them)
        /// and the first block it may be applied at.
        #[ink(message)]
        pub fn governance_delay(&self) -> BlockNumber {
            self.ownership.delay()
        }

        /// Proposes `new_owner` to govern the market; nothing changes until it calls
        /// `accept_ownership`. Owner only; the zero account is refused.
        ///
        /// `new_owner`: the account (e.g. a multisig) that may accept governance.
        #[ink(message)]
        pub fn propose_owner(&mut self, new_owner: AccountId) -> Result<(), MarketError> {
            let event = self.ownership.propose_owner(&self.env().caller(), new_owner)?;
            self.env().emit_event(event);
            Ok(())
        }

        /// Takes governance of the market. Only the proposed owner.
        #[ink(message)]
        pub fn accept_ownership(&mut self) -> Result<(), MarketError> {
            let event = self.ownership.accept_ownership(&self.env().caller())?;
            self.env().emit_event(event);
            Ok(())
        }

        /// Withdraws the proposed hand-over. Owner only.
        #[ink(message)]
        pub fn cancel_owner_proposal(&mut self) -> Result<(), MarketError> {
            let event = self.ownership.cancel_owner_proposal(&self.env().caller())?;
            self.env().emit_event(event);
            Ok(())
        }

        /// The code hash announced for an upgrade and when it may be applied, if any.
        #[ink(message)]
        pub fn pending_code_hash(&self) -> Option<polka_storage_primitives::ownership::Pending<[u8; 32]>> {
            self.ownership.pending_code_hash()
        }

        /// Announces an upgrade of the market to the code uploaded under `code_hash`; it may be
        /// applied with `apply_code_hash` after the governance delay. Owner only.
        ///
        /// `code_hash`: the hash of the uploaded Wasm code (it must keep this storage layout).
        #[ink(message)]
        pub fn propose_code_hash(&mut self, code_hash: [u8; 32]) -> Result<(), MarketError> {
            let now = self.env().block_number();
            let event = self.ownership.propose_code_hash(&self.env().caller(), code_hash, now)?;
            self.env().emit_event(event);
            Ok(())
        }

        /// Switches the market to the announced code once its delay has passed; the state is
        /// kept. Owner only.
        #[ink(message)]
        pub fn apply_code_hash(&mut self) -> Result<(), MarketError> {
            let now = self.env().block_number();
            let (code_hash, event) = self.ownership.take_due_code_hash(&self.env().caller(), now)?;
            // A failed switch returns an error, which reverts the cleared announcement too.
            self.env()
                .set_code_hash(&Hash::from(code_hash))
                .map_err(|_| polka_storage_primitives::ownership::GovernanceError::CodeNotFound)?;
            self.env().emit_event(event);
            Ok(())
        }

        /// Withdraws the announced upgrade. Owner only.
        #[ink(message)]
        pub fn cancel_code_hash(&mut self) -> Result<(), MarketError> {
            let event = self.ownership.cancel_code_hash(&self.env().caller())?;
            self.env().emit_event(event);
            Ok(())
        }

        /// The provider registry this market trusts, if set.
        #[ink(message)]
        pub fn registry(&self) -> Option<AccountId> {
            self.registry
        }

        /// Sets the provider registry once. Owner only.
        ///
        /// `registry`: the address of the `provider_registry` contract.
        #[ink(message)]
        pub fn set_registry(&mut self, registry: AccountId) -> Result<(), MarketError> {
            let event = self.ownership.set_peer_once(
                &self.env().caller(),
                &mut self.registry,
                "provider_registry",
                registry,
            )?;
            self.emit(Event::PeerSet(event));
            Ok(())
        }

        /// The market's parameters.
        #[ink(message)]
        pub fn policy(&self) -> MarketPolicy {
            self.state.policy()
        }

        /// The market's signing domain: clients sign `DealProposal::signing_payload(domain)`,
        /// the tag "polka-storage/market/deal-proposal/v1" ‖ domain ‖ SCALE(proposal).
        #[ink(message)]
        pub fn domain(&self) -> MarketDomain {
            self.state.domain()
        }

        /// Adds the value sent with this call to your free balance in the market. Clients need
        /// free balance for the fees of their deals, providers for their collateral.
        #[ink(message, payable)]
        pub fn add_balance(&mut self) -> Result<(), MarketError> {
            let events = self.state.add_balance(self.env().caller(), self.env().transferred_value())?;
            self.emit_all(events);
            Ok(())
        }

        /// Pays `amount` of your free balance out to your account.
        ///
        /// `amount`: how much to withdraw, at most your free balance.
        #[ink(message)]
        pub fn withdraw_balance(&mut self, amount: Balance) -> Result<(), MarketError> {
            let caller = self.env().caller();
            let events = self.state.withdraw_balance(caller, amount)?;
            self.env().transfer(caller, amount).map_err(|_| MarketError::TransferFailed)?;
            self.emit_all(events);
            Ok(())
        }

        /// An account's funds in the market: `free` (withdrawable) and `locked` (backing deal
        /// fees and collateral).
        ///
        /// `account`: the client or provider.
        #[ink(message)]
        pub fn balance(&self, account: AccountId) -> BalanceEntry {
            self.state.balance(&account)
        }

        /// The market's books: Σ free, Σ locked and the slashed total (never withdrawable).
        /// The contract holds exactly their sum plus its existential deposit.
        #[ink(message)]
        pub fn funds(&self) -> FundsSummary {
            self.state.funds()
        }

        /// Publishes client-signed deals. The caller must be a registered storage provider and
        /// the provider of every deal. All or nothing: locks each client's fee
        /// (`price × (end − start)`) and the provider's collateral. Returns the new deal ids.
        /// A signed proposal is published once: again before its start block it is a
        /// `DuplicateDeal`, pending or activated.
        ///
        /// `deals`: at most `MAX_DEALS_PER_PUBLISH` (32) proposals (state `Published`, labels of at
        /// most `MAX_LABEL_LEN` bytes), each with its client's signature
        /// (Sr25519, Ed25519 or Ecdsa) of tag ‖ `domain()` ‖ SCALE(proposal), raw or wrapped
        /// in `<Bytes>…</Bytes>`.
        #[ink(message)]
        pub fn publish_storage_deals(&mut self, deals: Vec<ClientDealProposal>) -> Result<Vec<DealId>, MarketError> {
            let peers = ChainPeers { registry: self.registry };
            let (deal_ids, events) =
                self.state.publish_storage_deals(&peers, self.env().caller(), self.env().block_number(), &deals)?;
            self.emit_all(events);
            Ok(deal_ids)
        }

        /// Pays providers what their active deals have earned so far (anyone may call). A deal
        /// past its end block completes: the provider's collateral is unlocked. A deal that was
        /// not activated by its start block is slashed. Each deal succeeds or fails on its own;
        /// the answer lists both.
        ///
        /// `deal_ids`: 1 to `MAX_DEALS_PER_SETTLEMENT` (32) deal ids.
        #[ink(message)]
        pub fn settle_deal_payments(&mut self, deal_ids: Vec<DealId>) -> Result<SettlementReport, MarketError> {
            let (report, events) = self.state.settle_deal_payments(self.env().block_number(), &deal_ids)?;
            self.emit_all(events);
            Ok(report)
        }

        /// Slashes deals that were not activated by their start block (anyone may call): the
        /// client gets its fee back, the provider's collateral is slashed. Other deals are left
        /// alone. Returns the ids slashed.
        ///
        /// `deal_ids`: 1 to `MAX_DEALS_PER_SETTLEMENT` (32) deal ids.
        #[ink(message)]
        pub fn process_deal_timeouts(&mut self, deal_ids: Vec<DealId>) -> Result<Vec<DealId>, MarketError> {
            let (slashed, events) = self.state.process_deal_timeouts(self.env().block_number(), &deal_ids)?;
            self.emit_all(events);
            Ok(slashed)
        }

        /// A deal: `Live` with its proposal (its `state` says published, or active and in which
        /// sector), `Ended` with how and when, or `Unknown`.
        ///
        /// `deal_id`: the id from `DealsPublished`.
        #[ink(message)]
        pub fn deal(&self, deal_id: DealId) -> DealLookup {
            self.state.deal(deal_id)
        }

        /// The id the next published deal will get.
        #[ink(message)]
        pub fn next_deal_id(&self) -> DealId {
            self.state.next_deal_id()
        }

        /// A provider's deals, oldest first, a page at a time.
        ///
        /// `provider`: the provider.
        /// `from`: position of the first deal of the page (0 for the first page).
        /// `limit`: page size (at most `MAX_DEALS_PER_PAGE`, 32, so that the answer fits ink!'s
        /// `MAX_VIEW_ANSWER_BYTES`, 16 KiB, buffer).
        #[ink(message)]
        pub fn provider_deals(&self, provider: AccountId, from: u32, limit: u32) -> DealPage {
            self.state.deals_of(Party::Provider, &provider, from, limit)
        }

        /// A client's deals, oldest first, a page at a time.
        ///
        /// `client`: the client.
        /// `from`: position of the first deal of the page (0 for the first page).
        /// `limit`: page size (at most `MAX_DEALS_PER_PAGE`, 32, so that the answer fits ink!'s
        /// `MAX_VIEW_ANSWER_BYTES`, 16 KiB, buffer).
        #[ink(message)]
        pub fn client_deals(&self, client: AccountId, from: u32, limit: u32) -> DealPage {
            self.state.deals_of(Party::Client, &client, from, limit)
        }

        /// How many of a provider's deals wait for activation (at most
        /// `MAX_PENDING_DEALS_PER_PROVIDER`, 128).
        ///
        /// `provider`: the provider.
        #[ink(message)]
        pub fn pending_deals(&self, provider: AccountId) -> u32 {
            self.state.pending_deals(&provider)
        }

        /// The running deals of a provider's active sector, in piece order.
        ///
        /// `provider`: the provider.
        /// `sector_number`: the sector.
        #[ink(message)]
        pub fn sector_deals(&self, provider: AccountId, sector_number: SectorNumber) -> Vec<DealId> {
            self.state.sector_deals(&provider, sector_number)
        }

        /// Whether a piece is part of a sector: checks a Merkle path of sha256-trunc254 nodes
        /// from the piece to the sector's CommD.
        ///
        /// `comm_d`: the sector's CommD as a binary CID (39 bytes, as in the pre-commit).
        /// `sector_type`: the sector's seal proof type (fixes its size).
        /// `piece_cid`: the piece's CommP as a binary CID.
        /// `piece_size`: the piece's padded size in bytes.
        /// `offset`: the piece's byte offset in the sector (a multiple of its size).
        /// `path`: the sibling nodes from the piece's root up to the sector root.
        #[ink(message)]
        pub fn verify_piece_inclusion(
            &self,
            comm_d: Vec<u8>,
            sector_type: RegisteredSealProof,
            piece_cid: Vec<u8>,
            piece_size: u64,
            offset: u64,
            path: Vec<[u8; 32]>,
        ) -> Result<bool, MarketError> {
            piece_is_included(&comm_d, sector_type, &piece_cid, piece_size, offset, &path)
        }

        fn ensure_registry(&self) -> Result<AccountId, MarketError> {
            match self.registry {
                None => Err(MarketError::RegistryNotSet),
                Some(registry) if registry == self.env().caller() => Ok(registry),
                Some(_) => Err(MarketError::InvalidCaller),
            }
        }

        fn emit(&self, event: Event) {
            match event {
                Event::BalanceAdded(event) => self.env().emit_event(event),
                Event::BalanceWithdrawn(event) => self.env().emit_event(event),
                Event::DealsPublished(event) => self.env().emit_event(event),
                Event::DealActivated(event) => self.env().emit_event(event),
                Event::DealsSettled(event) => self.env().emit_event(event),
                Event::DealSlashed(event) => self.env().emit_event(event),
                Event::DealTerminated(event) => self.env().emit_event(event),
                Event::OwnershipTransferred(event) => self.env().emit_event(event),
                Event::PeerSet(event) => self.env().emit_event(event),
            }
        }

        fn emit_all(&self, events: Vec<Event>) {
            for event in events {
                self.emit(event);
            }
        }
    }

    impl MarketTrait for Market {
        /// Checks the deals of each sector and returns each sector's CommD computed from its
        /// pieces (`None` for a sector without deals). Registry only; changes nothing.
        ///
        /// `provider`: the provider pre-committing the sectors.
        /// `sector_deals`: at most `MAX_SECTORS_PER_CALL` (32) sectors, each with at most
        /// `MAX_DEALS_PER_SECTOR` (16) deals in piece order.
        #[ink(message)]
        fn verify_deals_for_activation(
            &self,
            provider: AccountId,
            sector_deals: Vec<SectorDeal>,
        ) -> Result<Vec<Option<Commitment>>, MarketError> {
            self.ensure_registry()?;
            self.state.verify_deals_for_activation(&provider, self.env().block_number(), &sector_deals)
        }

        /// Activates the deals of proven sectors. Registry only; fails, changing nothing, if any
        /// sector's deals cannot be activated.
        ///
        /// `provider`: the provider that proved the sectors.
        /// `sector_deals`: at most `MAX_SECTORS_PER_CALL` (32) sectors, each with at most
        /// `MAX_DEALS_PER_SECTOR` (16) deals in piece order.
        #[ink(message)]
        fn activate_deals(&mut self, provider: AccountId, sector_deals: Vec<SectorDeal>) -> Result<(), MarketError> {
            self.ensure_registry()?;
            let events = self.state.activate_deals(&provider, self.env().block_number(), &sector_deals)?;
            self.emit_all(events);
            Ok(())
        }

        /// Settles the deals of terminated sectors: pays the provider what has accrued, slashes
        /// its collateral and refunds the rest to the client. Registry only.
        ///
        /// `provider`: the provider whose sectors were terminated.
        /// `sectors`: at most `MAX_SECTORS_PER_CALL` (32) sector numbers.
        #[ink(message)]
        fn on_sectors_terminate(&mut self, provider: AccountId, sectors: Vec<SectorNumber>) -> Result<(), MarketError> {
            self.ensure_registry()?;
            let events = self.state.on_sectors_terminate(&provider, self.env().block_number(), &sectors)?;
            self.emit_all(events);
            Ok(())
        }
    }
}
