//! The provider registry: storage providers register, hold collateral, pre-commit and
//! prove-commit sectors (the storage-provider pallet of spec §2.2).
//!
//! The rules live in plain modules over [`state::RegistryState`] (`providers`, `collateral`,
//! `precommit`, `prove_commit`, `expiry`), which take the caller and the block and return the
//! events; deadlines, assignment and partitions have a module each; every call to another
//! contract is in `ext`. The contract below only stores, calls and emits.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod assignment;
pub mod bitfield;
pub mod collateral;
pub mod declarations;
pub mod expiry;
pub mod ext;
pub mod partition;
pub mod post;
pub mod precommit;
pub mod prove_commit;
pub mod providers;
pub mod state;
pub mod termination;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
#[cfg(test)]
mod tests;

pub use polka_storage_primitives::registry::RegistryError;

#[ink::contract]
mod provider_registry {
    use crate::ext::{request_beacon_history, ChainPeers};
    use crate::state::RegistryState;
    use ink::prelude::vec::Vec;
    use polka_storage_primitives::deadline::DeadlineInfo;
    use polka_storage_primitives::ownership::{GovernanceError, Ownership, Pending};
    use polka_storage_primitives::policy::ProvingPolicy;
    use polka_storage_primitives::randomness::{draw_for_provider, DomainSeparationTag};
    use polka_storage_primitives::registry::{
        DeadlineState, Event, KeptPoSt, PartitionView, Power, ProveCommitResult, ProveCommitSector, ProviderState,
        ProviderSummary, RegistryError, RegistryFunds, SectorDeclaration, SectorOnChainInfo, SectorPreCommitInfo,
        SectorPreCommitOnChainInfo, StorageProviderValidation,
    };
    use polka_storage_primitives::sector::{RegisteredPoStProof, SectorNumber};

    /// The registry's state.
    #[ink(storage)]
    pub struct ProviderRegistry {
        ownership: Ownership,
        market: Option<AccountId>,
        verifier: AccountId,
        beacon: AccountId,
        state: RegistryState,
    }

    impl ProviderRegistry {
        /// Creates the registry with the production policy (one-day proving periods of 48
        /// deadlines, deposits and pledges of the production set).
        ///
        /// `verifier`: the `proof_verifier` contract that checks PoRep and Window PoSt proofs.
        /// `beacon`: the `randomness` contract that tickets, seeds and challenges are drawn from;
        /// its history must cover the policy's longest randomness lookback.
        /// `market`: the `market` contract, if it already exists; otherwise the owner sets it
        /// once with `set_market`.
        #[ink(constructor, default)]
        pub fn new(verifier: AccountId, beacon: AccountId, market: Option<AccountId>) -> Result<Self, RegistryError> {
            Self::with_policy(verifier, beacon, market, ProvingPolicy::PRODUCTION)
        }

        /// Creates the registry with an explicit policy (e.g. `ProvingPolicy::FAST`).
        ///
        /// `verifier`: the `proof_verifier` contract.
        /// `beacon`: the `randomness` contract; its history must cover
        /// `policy.longest_randomness_lookback()`.
        /// `market`: the `market` contract, if it already exists.
        /// `policy`: proving periods, deadlines, expirations and delays in blocks, and the
        /// daily earnings of a sector that deposits and pledges are priced in; must pass
        /// `ProvingPolicy::is_valid`.
        #[ink(constructor)]
        pub fn with_policy(
            verifier: AccountId,
            beacon: AccountId,
            market: Option<AccountId>,
            policy: ProvingPolicy,
        ) -> Result<Self, RegistryError> {
            let state = RegistryState::new(policy)?;
            if request_beacon_history(beacon)? < policy.longest_randomness_lookback() {
                return Err(RegistryError::BeaconHistoryTooShort);
            }
            Ok(Self { ownership: Ownership::new(Self::env().caller()), market, verifier, beacon, state })
        }

        /// The account that governs the registry.
        #[ink(message)]
        pub fn owner(&self) -> AccountId {
            self.ownership.owner()
        }

        /// The account proposed to govern next, until it accepts or the owner cancels.
        #[ink(message)]
        pub fn proposed_owner(&self) -> Option<AccountId> {
            self.ownership.proposed_owner()
        }

        /// Blocks between announcing an upgrade and the first block it may be applied at.
        #[ink(message)]
        pub fn governance_delay(&self) -> BlockNumber {
            self.ownership.delay()
        }

        /// Proposes `new_owner` to govern the registry; nothing changes until it calls
        /// `accept_ownership`. Owner only; the zero account is refused.
        ///
        /// `new_owner`: the account (e.g. a multisig) that may accept governance.
        #[ink(message)]
        pub fn propose_owner(&mut self, new_owner: AccountId) -> Result<(), RegistryError> {
            let event = self.ownership.propose_owner(&self.env().caller(), new_owner)?;
            self.emit(Event::OwnershipProposed(event));
            Ok(())
        }

        /// Takes governance of the registry. Only the proposed owner.
        #[ink(message)]
        pub fn accept_ownership(&mut self) -> Result<(), RegistryError> {
            let event = self.ownership.accept_ownership(&self.env().caller())?;
            self.emit(Event::OwnershipTransferred(event));
            Ok(())
        }

        /// Withdraws the proposed hand-over. Owner only.
        #[ink(message)]
        pub fn cancel_owner_proposal(&mut self) -> Result<(), RegistryError> {
            let event = self.ownership.cancel_owner_proposal(&self.env().caller())?;
            self.emit(Event::OwnershipProposalCancelled(event));
            Ok(())
        }

        /// The code hash announced for an upgrade and when it may be applied, if any.
        #[ink(message)]
        pub fn pending_code_hash(&self) -> Option<Pending<[u8; 32]>> {
            self.ownership.pending_code_hash()
        }

        /// Announces an upgrade of the registry to the code uploaded under `code_hash`; it may
        /// be applied with `apply_code_hash` after the governance delay. Owner only.
        ///
        /// `code_hash`: the hash of the uploaded Wasm code (it must keep this storage layout).
        #[ink(message)]
        pub fn propose_code_hash(&mut self, code_hash: [u8; 32]) -> Result<(), RegistryError> {
            let now = self.env().block_number();
            let event = self.ownership.propose_code_hash(&self.env().caller(), code_hash, now)?;
            self.emit(Event::CodeHashProposed(event));
            Ok(())
        }

        /// Switches the registry to the announced code once its delay has passed; the state is
        /// kept. Owner only.
        #[ink(message)]
        pub fn apply_code_hash(&mut self) -> Result<(), RegistryError> {
            let now = self.env().block_number();
            let (code_hash, event) = self.ownership.take_due_code_hash(&self.env().caller(), now)?;
            // A failed switch returns an error, which reverts the cleared announcement too.
            self.env().set_code_hash(&Hash::from(code_hash)).map_err(|_| GovernanceError::CodeNotFound)?;
            self.emit(Event::CodeHashApplied(event));
            Ok(())
        }

        /// Withdraws the announced upgrade. Owner only.
        #[ink(message)]
        pub fn cancel_code_hash(&mut self) -> Result<(), RegistryError> {
            let event = self.ownership.cancel_code_hash(&self.env().caller())?;
            self.emit(Event::CodeHashCancelled(event));
            Ok(())
        }

        /// Sets the market once. Owner only.
        ///
        /// `market`: the address of the `market` contract.
        #[ink(message)]
        pub fn set_market(&mut self, market: AccountId) -> Result<(), RegistryError> {
            let event = self.ownership.set_peer_once(&self.env().caller(), &mut self.market, "market", market)?;
            self.emit(Event::PeerSet(event));
            Ok(())
        }

        /// The peer contracts: (market, proof verifier, randomness beacon).
        #[ink(message)]
        pub fn peers(&self) -> (Option<AccountId>, AccountId, AccountId) {
            (self.market, self.verifier, self.beacon)
        }

        /// The registry's policy: time parameters in blocks and the sector's daily earnings
        /// (deposit = 20 days of it, initial pledge = 30 days).
        #[ink(message)]
        pub fn policy(&self) -> ProvingPolicy {
            self.state.policy()
        }

        /// Registers the caller as a storage provider. Its first proving period starts in the
        /// next global proving period, at an offset derived from its account and the block.
        ///
        /// `peer_id`: the provider's libp2p peer id in binary form (1 to 64 bytes,
        /// `MAX_PEER_ID_LEN`), where clients reach it.
        /// `window_post_proof_type`: the Window PoSt proof type of its sectors.
        #[ink(message)]
        pub fn register_storage_provider(
            &mut self,
            peer_id: Vec<u8>,
            window_post_proof_type: RegisteredPoStProof,
        ) -> Result<(), RegistryError> {
            let events =
                self.state.register(self.env().caller(), self.env().block_number(), peer_id, window_post_proof_type)?;
            self.emit_all(events);
            Ok(())
        }

        /// Adds the value sent with this call to your collateral (as a provider or its worker):
        /// fee debt is repaid first, the rest becomes free collateral, from which pre-commit
        /// deposits and initial pledges are locked.
        #[ink(message, payable)]
        pub fn add_collateral(&mut self) -> Result<(), RegistryError> {
            let events = self.state.add_collateral(self.env().caller(), self.env().transferred_value())?;
            self.emit_all(events);
            Ok(())
        }

        /// Pays `amount` of your free collateral out to your account. Provider owner only;
        /// refused while fees are owed.
        ///
        /// `amount`: how much to withdraw, at most your free collateral.
        #[ink(message)]
        pub fn withdraw_collateral(&mut self, amount: Balance) -> Result<(), RegistryError> {
            let caller = self.env().caller();
            let events = self.state.withdraw_collateral(caller, amount)?;
            self.env().transfer(caller, amount).map_err(|_| RegistryError::TransferFailed)?;
            self.emit_all(events);
            Ok(())
        }

        /// Changes the peer id clients reach your provider at (owner or worker).
        ///
        /// `peer_id`: the new libp2p peer id in binary form (1 to 64 bytes).
        #[ink(message)]
        pub fn change_peer_id(&mut self, peer_id: Vec<u8>) -> Result<(), RegistryError> {
            let events = self.state.change_peer_id(self.env().caller(), peer_id)?;
            self.emit_all(events);
            Ok(())
        }

        /// Names the worker account that may pre-commit, prove and add collateral for your
        /// provider. Owner only; the worker may not be another provider or another's worker.
        /// Randomness and the prover id stay those of the owner.
        ///
        /// `worker`: the worker account (your own account to have none).
        #[ink(message)]
        pub fn change_worker(&mut self, worker: AccountId) -> Result<(), RegistryError> {
            let events = self.state.change_worker(self.env().caller(), worker)?;
            self.emit_all(events);
            Ok(())
        }

        /// Pre-commits sealed sectors (owner or worker), all or nothing. Locks the policy's
        /// pre-commit deposit per sector from free collateral; refused while fees are owed.
        ///
        /// `sectors`: 1 to 32 sectors (`MAX_SECTORS_PER_CALL`), each with a number up to
        /// `MAX_SECTORS` used once, a seal ticket height in the past within
        /// `max_seal_randomness_lookback`, an expiration within the policy's bounds, CommR and
        /// CommD CIDs, and at most 16 deals whose pieces make the CommD (none: the CommD of an
        /// empty sector). Read the ticket first with `seal_ticket`.
        #[ink(message)]
        pub fn pre_commit_sectors(&mut self, sectors: Vec<SectorPreCommitInfo>) -> Result<(), RegistryError> {
            let peers = self.chain_peers();
            let events =
                self.state.pre_commit_sectors(&peers, self.env().caller(), self.env().block_number(), sectors)?;
            self.emit_all(events);
            Ok(())
        }

        /// Proves pre-committed sectors with their PoRep (owner or worker): verifies the proofs,
        /// activates the sectors' deals in the market, returns each deposit to free collateral
        /// and locks the initial pledge. Answers the deadline and partition of each sector.
        ///
        /// `sectors`: 1 to 8 sectors (`MAX_PROVE_COMMIT_SECTORS`), each with its 192-byte proof,
        /// made with the seed `interactive_seed` answers, from pre-commit block +
        /// `pre_commit_challenge_delay` until pre-commit block + `max_prove_commit_duration`.
        #[ink(message)]
        pub fn prove_commit_sectors(
            &mut self,
            sectors: Vec<ProveCommitSector>,
        ) -> Result<Vec<ProveCommitResult>, RegistryError> {
            let peers = self.chain_peers();
            let (results, events) =
                self.state.prove_commit_sectors(&peers, self.env().caller(), self.env().block_number(), sectors)?;
            self.emit_all(events);
            Ok(results)
        }

        /// Expires a provider's pre-commits whose prove-commit window is over (anyone may call;
        /// at most 32 per call, `MAX_PRECOMMIT_EXPIRIES_PER_CALL`): each deposit is slashed,
        /// or returned if the beacon never gave the sector's seed. Answers how many expired.
        ///
        /// `provider`: the provider.
        #[ink(message)]
        pub fn expire_precommits(&mut self, provider: AccountId) -> Result<u32, RegistryError> {
            let peers = self.chain_peers();
            let (expired, events) = self.state.expire_precommits(&peers, provider, self.env().block_number())?;
            self.emit_all(events);
            Ok(expired)
        }

        /// Submits the Window PoSt of partitions of the open deadline (owner or worker). Accepted
        /// optimistically: kept for `wpost_dispute_window` blocks after the deadline closes,
        /// during which anyone may dispute it. Sectors proven for the first time gain power.
        ///
        /// `deadline`: the index of the deadline open now (`current_deadline`).
        /// `partitions`: 1 to 4 partitions of it (`MAX_PARTITIONS_PER_POST`), each once.
        /// `proofs`: one 192-byte proof per partition, in the same order, over the partition's
        /// live, non-faulty sectors, for the challenge drawn from the beacon for the deadline's
        /// challenge block.
        #[ink(message)]
        pub fn submit_windowed_post(
            &mut self,
            deadline: u32,
            partitions: Vec<u32>,
            proofs: Vec<Vec<u8>>,
        ) -> Result<(), RegistryError> {
            let peers = self.chain_peers();
            let events = self.state.submit_windowed_post(
                &peers,
                self.env().caller(),
                self.env().block_number(),
                deadline,
                partitions,
                proofs,
            )?;
            self.emit_all(events);
            Ok(())
        }

        /// Disputes a kept Window PoSt (anyone, within its dispute window): the verifier checks
        /// it. If it is invalid, its sectors become faulty, the provider pays the penalty and
        /// you receive the reward out of it. If it is valid: `PoStValid`, nothing changes.
        ///
        /// `provider`: the provider.
        /// `deadline`: the deadline the proof was for.
        /// `partition`: the partition it proved.
        #[ink(message)]
        pub fn dispute_windowed_post(
            &mut self,
            provider: AccountId,
            deadline: u32,
            partition: u32,
        ) -> Result<Balance, RegistryError> {
            let disputer = self.env().caller();
            let peers = self.chain_peers();
            let (outcome, events) = self.state.dispute_windowed_post(
                &peers,
                disputer,
                self.env().block_number(),
                provider,
                deadline,
                partition,
            )?;
            if outcome.reward > 0 {
                self.env().transfer(disputer, outcome.reward).map_err(|_| RegistryError::TransferFailed)?;
            }
            self.emit_all(events);
            Ok(outcome.reward)
        }

        /// Declares sectors faulty before their deadline's fault cutoff (owner or worker): they
        /// lose their power now and pay the fault fee (3.51 days of earnings per sector and
        /// period) from the deadline's next processing on, instead of faulting by a missed proof.
        ///
        /// `faults`: 1 to 32 declarations (`MAX_DECLARATIONS_PER_CALL`), each a deadline, a
        /// partition of it and 1 to 32 of its sectors (`MAX_SECTORS_PER_DECLARATION`).
        #[ink(message)]
        pub fn declare_faults(&mut self, faults: Vec<SectorDeclaration>) -> Result<(), RegistryError> {
            let peers = self.chain_peers();
            let events = self.state.declare_faults(&peers, self.env().caller(), self.env().block_number(), faults)?;
            self.emit_all(events);
            Ok(())
        }

        /// Declares faulty sectors recovered before their deadline's fault cutoff (owner or
        /// worker): they stay faulty until the next Window PoSt of their partition, which is
        /// verified on submission.
        ///
        /// `recoveries`: 1 to 32 declarations, each a deadline, a partition of it and 1 to 32 of
        /// its faulty sectors.
        #[ink(message)]
        pub fn declare_faults_recovered(&mut self, recoveries: Vec<SectorDeclaration>) -> Result<(), RegistryError> {
            let peers = self.chain_peers();
            let events = self.state.declare_faults_recovered(
                &peers,
                self.env().caller(),
                self.env().block_number(),
                recoveries,
            )?;
            self.emit_all(events);
            Ok(())
        }

        /// Terminates sectors early (owner or worker): each pays the termination fee out of
        /// its pledge (a share growing with its age, with a floor), the rest of the pledge is
        /// released, the sectors lose their power and the market settles their deals now.
        /// Sectors of the deadline being proven and of the next one cannot be terminated.
        ///
        /// `terminations`: 1 to 32 declarations, each a deadline, a partition of it and 1 to 32
        /// of its live sectors; at most 32 sectors in all (`MAX_SECTORS_PER_CALL`).
        #[ink(message)]
        pub fn terminate_sectors(&mut self, terminations: Vec<SectorDeclaration>) -> Result<(), RegistryError> {
            let peers = self.chain_peers();
            let events =
                self.state.terminate_sectors(&peers, self.env().caller(), self.env().block_number(), terminations)?;
            self.emit_all(events);
            Ok(())
        }

        /// Processes a provider's closed deadlines (anyone may call; at most 8 per call,
        /// `MAX_DEADLINES_PER_CRANK`): partitions not proven in their window become faulty and
        /// lose their power. Answers how many deadlines were processed.
        ///
        /// `provider`: the provider.
        #[ink(message)]
        pub fn process_deadlines(&mut self, provider: AccountId) -> Result<u32, RegistryError> {
            let peers = self.chain_peers();
            let (processed, events) = self.state.process_deadlines(&peers, provider, self.env().block_number())?;
            self.emit_all(events);
            Ok(processed)
        }

        /// The deadline a provider proves now, or the next one to open: its index, window,
        /// challenge block and fault cutoff.
        ///
        /// `provider`: the provider.
        #[ink(message)]
        pub fn current_deadline(&self, provider: AccountId) -> Result<DeadlineInfo, RegistryError> {
            let state = self.state.provider_state(&provider)?;
            let now = self.env().block_number();
            match polka_storage_primitives::deadline::current_deadline(
                state.proving_period_start,
                now,
                &self.state.policy(),
            ) {
                Some(open) => Ok(open),
                None => self.state.deadline_info(&provider, 0, now),
            }
        }

        /// A deadline of a provider as it stands now, with a page of its partitions: each with
        /// its sectors, faults, recoveries, unproven and terminated sets, whether it is proven in
        /// the current window and until when its kept proof can be disputed.
        ///
        /// `provider`: the provider.
        /// `index`: the deadline index.
        /// `from`: the first partition of the page (0 for the first page).
        /// `limit`: page size (at most 16, `MAX_PARTITIONS_PER_PAGE`).
        #[ink(message)]
        pub fn deadline_state(
            &self,
            provider: AccountId,
            index: u32,
            from: u32,
            limit: u32,
        ) -> Result<DeadlineState, RegistryError> {
            self.state.deadline_state(&provider, index, self.env().block_number(), from, limit)
        }

        /// The Window PoSt of a partition kept for its dispute window: proof, challenge,
        /// sectors with their CommRs, and the last block it can be disputed in.
        ///
        /// `provider`: the provider.
        /// `deadline`: the deadline index.
        /// `partition`: the partition number.
        #[ink(message)]
        pub fn kept_post(&self, provider: AccountId, deadline: u32, partition: u32) -> Option<KeptPoSt> {
            self.state.kept_post(&provider, deadline, partition)
        }

        /// A provider's storage power (raw and quality-adjusted bytes), or `None`.
        ///
        /// `provider`: the provider.
        #[ink(message)]
        pub fn provider_power(&self, provider: AccountId) -> Option<Power> {
            self.state.provider_power(&provider)
        }

        /// The registry's total storage power.
        #[ink(message)]
        pub fn total_power(&self) -> Power {
            self.state.total_power()
        }

        /// The Window PoSt challenge of a provider for a deadline's challenge block: what
        /// `storage-cli window-post` proves with.
        ///
        /// `provider`: the provider (owner account).
        /// `challenge`: the deadline's challenge block (`deadline_info`).
        #[ink(message)]
        pub fn post_challenge(&self, provider: AccountId, challenge: BlockNumber) -> Result<[u8; 32], RegistryError> {
            self.state.provider_state(&provider)?;
            let rbase = crate::ext::Peers::randomness_at(&self.chain_peers(), challenge)?;
            Ok(draw_for_provider(&rbase, DomainSeparationTag::WindowedPoStChallengeSeed, challenge, &provider))
        }

        /// A registered provider (peer id, proof type, worker, proving period start,
        /// collateral: free, deposits, pledges, fee debt; sector counts and deadline loads),
        /// or `None`.
        ///
        /// `provider`: the provider's account.
        #[ink(message)]
        pub fn provider(&self, provider: AccountId) -> Option<ProviderState> {
            self.state.provider(&provider)
        }

        /// Registered providers in registration order, a page at a time: account, peer id,
        /// sector counts, collateral.
        ///
        /// `from`: position of the first provider of the page (0 for the first page).
        /// `limit`: page size (at most 32, `MAX_REGISTRY_PAGE`).
        #[ink(message)]
        pub fn providers(&self, from: u32, limit: u32) -> Vec<ProviderSummary> {
            self.state.providers_page(from, limit)
        }

        /// The provider a worker account works for, if any.
        ///
        /// `worker`: the worker account.
        #[ink(message)]
        pub fn provider_of_worker(&self, worker: AccountId) -> Option<AccountId> {
            self.state.provider_of_worker(&worker)
        }

        /// The registry's books: Σ free and Σ locked collateral and the slashed total. The
        /// contract holds exactly their sum plus its existential deposit.
        #[ink(message)]
        pub fn funds(&self) -> RegistryFunds {
            self.state.funds()
        }

        /// The seal ticket a provider seals with for `height`: drawn from the beacon's output
        /// for that block with the provider's account (only from rounds anchored to drand when
        /// the policy requires it). Pre-commit with the same height.
        ///
        /// `provider`: the provider (owner account).
        /// `height`: a block in the past, within `max_seal_randomness_lookback` of the
        /// pre-commit.
        #[ink(message)]
        pub fn seal_ticket(&self, provider: AccountId, height: BlockNumber) -> Result<[u8; 32], RegistryError> {
            self.state.provider_state(&provider)?;
            let rbase = crate::ext::Peers::randomness_at(&self.chain_peers(), height)?;
            Ok(draw_for_provider(&rbase, DomainSeparationTag::SealRandomness, height, &provider))
        }

        /// The interactive seed of a pre-committed sector, which its PoRep is made with: drawn
        /// from the beacon's output for pre-commit block + `pre_commit_challenge_delay`.
        /// `RandomnessNotYetAvailable` until that round is final.
        ///
        /// `provider`: the provider (owner account).
        /// `sector_number`: the pre-committed sector.
        #[ink(message)]
        pub fn interactive_seed(
            &self,
            provider: AccountId,
            sector_number: SectorNumber,
        ) -> Result<[u8; 32], RegistryError> {
            let pre_commit = self.state.pre_commit(&provider, sector_number).ok_or(RegistryError::PreCommitNotFound)?;
            let block = self.state.seed_block(&pre_commit)?;
            let rbase = crate::ext::Peers::randomness_at(&self.chain_peers(), block)?;
            Ok(draw_for_provider(&rbase, DomainSeparationTag::InteractiveSealChallengeSeed, block, &provider))
        }

        /// A pre-commit not yet proven or expired: what was committed, its deposit, block and
        /// seal ticket.
        ///
        /// `provider`: the provider.
        /// `sector_number`: the sector.
        #[ink(message)]
        pub fn pre_commit(
            &self,
            provider: AccountId,
            sector_number: SectorNumber,
        ) -> Option<SectorPreCommitOnChainInfo> {
            self.state.pre_commit(&provider, sector_number)
        }

        /// A proven sector with its deadline and partition.
        ///
        /// `provider`: the provider.
        /// `sector_number`: the sector.
        #[ink(message)]
        pub fn sector(&self, provider: AccountId, sector_number: SectorNumber) -> Option<SectorOnChainInfo> {
            self.state.sector(&provider, sector_number)
        }

        /// A provider's proven sectors in proving order, a page at a time.
        ///
        /// `provider`: the provider.
        /// `from`: position of the first sector of the page (0 for the first page).
        /// `limit`: page size (at most 32, `MAX_REGISTRY_PAGE`).
        #[ink(message)]
        pub fn sectors(&self, provider: AccountId, from: u32, limit: u32) -> Vec<SectorOnChainInfo> {
            self.state.sectors_page(&provider, from, limit)
        }

        /// A deadline of a provider as it stands now (this proving period's if it has not
        /// closed, else the next one's): open and close blocks, challenge block, fault cutoff.
        ///
        /// `provider`: the provider.
        /// `index`: the deadline index (below `wpost_period_deadlines`).
        #[ink(message)]
        pub fn deadline_info(&self, provider: AccountId, index: u32) -> Result<DeadlineInfo, RegistryError> {
            self.state.deadline_info(&provider, index, self.env().block_number())
        }

        /// The sectors of a partition, and which of them await their first Window PoSt.
        ///
        /// `provider`: the provider.
        /// `deadline`: the deadline index.
        /// `partition`: the partition number within the deadline.
        #[ink(message)]
        pub fn partition(&self, provider: AccountId, deadline: u32, partition: u32) -> Option<PartitionView> {
            self.state.partition(&provider, deadline, partition)
        }

        fn chain_peers(&self) -> ChainPeers {
            let anchored = self.state.policy().require_anchored_randomness;
            ChainPeers { market: self.market, verifier: self.verifier, beacon: self.beacon, anchored }
        }

        fn emit(&self, event: Event) {
            match event {
                Event::StorageProviderRegistered(event) => self.env().emit_event(event),
                Event::CollateralAdded(event) => self.env().emit_event(event),
                Event::CollateralWithdrawn(event) => self.env().emit_event(event),
                Event::PeerIdChanged(event) => self.env().emit_event(event),
                Event::WorkerChanged(event) => self.env().emit_event(event),
                Event::SectorsPreCommitted(event) => self.env().emit_event(event),
                Event::SectorsProven(event) => self.env().emit_event(event),
                Event::PreCommitsExpired(event) => self.env().emit_event(event),
                Event::DeadlineProcessed(event) => self.env().emit_event(event),
                Event::WindowedPoStSubmitted(event) => self.env().emit_event(event),
                Event::PoStDisputed(event) => self.env().emit_event(event),
                Event::PowerChanged(event) => self.env().emit_event(event),
                Event::FaultsDeclared(event) => self.env().emit_event(event),
                Event::RecoveriesDeclared(event) => self.env().emit_event(event),
                Event::FeesCharged(event) => self.env().emit_event(event),
                Event::SectorsTerminated(event) => self.env().emit_event(event),
                Event::SectorsEnded(event) => self.env().emit_event(event),
                Event::OwnershipTransferred(event) => self.env().emit_event(event),
                Event::OwnershipProposed(event) => self.env().emit_event(event),
                Event::OwnershipProposalCancelled(event) => self.env().emit_event(event),
                Event::CodeHashProposed(event) => self.env().emit_event(event),
                Event::CodeHashApplied(event) => self.env().emit_event(event),
                Event::CodeHashCancelled(event) => self.env().emit_event(event),
                Event::PeerSet(event) => self.env().emit_event(event),
            }
        }

        fn emit_all(&self, events: Vec<Event>) {
            for event in events {
                self.emit(event);
            }
        }
    }

    impl StorageProviderValidation for ProviderRegistry {
        /// Whether `provider` is a registered storage provider.
        #[ink(message)]
        fn is_registered_storage_provider(&self, provider: AccountId) -> bool {
            self.state.is_registered(&provider)
        }
    }
}
