//! The storage flow on a chain, as its users run it: governance loads the PoRep key that
//! `storage-cli params` exports; beacon participants keep rounds going; a provider registers
//! and adds collateral; a client computes the CommP of a file with storage-cli, signs a deal
//! and funds it; the provider publishes it, reads its seal ticket from the registry, seals
//! with storage-cli, pre-commits, waits for the interactive seed, proves (storage-cli, through
//! the proof cache) and prove-commits. The demo and the end-to-end tests drive this, and every
//! registry call is followed by the registry's funds check.

use crate::beacon::BeaconKeeper;
use crate::chain::{dev_account, Answer, Chain};
use crate::market_sandbox::{id, Client, KeyKind};
use crate::runtime::UNIT;
use crate::suite::{Suite, Timing};
use anyhow::{anyhow, ensure, Context, Result};
use polka_storage_primitives::commitment::{commitment_to_cid, CommitmentKind};
use polka_storage_primitives::market::{DealProposal, DealState, MarketDomain, MarketError};
use polka_storage_primitives::proofs::ProofError;
use polka_storage_primitives::registry::{
    ProveCommitResult, ProveCommitSector, ProviderState, RegistryError, RegistryFunds, SectorPreCommitInfo,
};
use polka_storage_primitives::sector::{ProofType, RegisteredPoStProof, SectorNumber};
use polka_storage_primitives::{Balance, BlockNumber, DealId};
use scale::{Decode, Encode};
use sp_runtime::AccountId32;
use std::path::{Path, PathBuf};
use storage_cli::commp::{file_commitment, PieceCommitment};
use storage_cli::params::{self, Circuit, SEAL_PROOF};
use storage_cli::proof_cache;
use storage_cli::sector::{self, SealRequest, SectorRecord, SectorStore};

/// The suite on a chain with the flow's actors.
pub struct StorageFlow {
    /// The chain.
    pub chain: Chain,
    /// The four contracts.
    pub suite: Suite,
    /// Keeps beacon rounds going (Bob, Charlie, Dave).
    pub keeper: BeaconKeeper,
    /// The storage provider (Ferdie).
    pub provider: AccountId32,
    /// The client (Eve, sr25519 as a Polkadot.js wallet signs).
    pub client: Client,
    /// The market's deal-signing domain.
    pub domain: MarketDomain,
    /// Where the provider's sectors are sealed.
    pub store: SectorStore,
    /// The registry's native balance right after instantiation: owed to nobody, constant.
    registry_offset: Balance,
    /// The market's, likewise.
    market_offset: Balance,
}

impl StorageFlow {
    /// Deploys the suite with the fast policies into a fresh chain, loads the PoRep key of the
    /// cached parameters, bonds the beacon participants and registers the provider with
    /// `collateral`. Sectors are sealed under `work_dir`.
    pub fn new(work_dir: &Path, collateral: Balance) -> Result<Self> {
        params::configure()?;
        let mut chain = Chain::new();
        let suite = Suite::deploy(&mut chain, Timing::Fast)?;
        for (proof_type, circuit) in
            [(ProofType::Seal(SEAL_PROOF), Circuit::Porep), (ProofType::PoSt(params::POST_PROOF), Circuit::WindowPost)]
        {
            let key = params::verifying_key_bytes(circuit)?;
            let answer = chain.call::<_, Result<(), ProofError>>(
                &suite.owner,
                &suite.verifier,
                "set_verifying_key",
                (proof_type, key),
                0,
            )?;
            answer.value.map_err(|error| anyhow!("set_verifying_key {proof_type:?}: {error:?}"))?;
        }
        let registry_offset = chain.balance(&suite.registry.address);
        let market_offset = chain.balance(&suite.market.address);
        let participants = ["Bob", "Charlie", "Dave"].into_iter().map(dev_account).collect();
        let keeper = BeaconKeeper::start(&mut chain, &suite.beacon, participants)?;
        let domain: MarketDomain = chain.query(&suite.owner, &suite.market, "domain", ())?;
        let mut flow = Self {
            chain,
            suite,
            keeper,
            provider: dev_account("Ferdie"),
            client: Client::new(KeyKind::Sr25519, "//Eve"),
            domain,
            store: SectorStore::new(work_dir.join("sectors")),
            registry_offset,
            market_offset,
        };
        let provider = flow.provider.clone();
        flow.registry_ok::<_, ()>(
            &provider,
            "register_storage_provider",
            (b"12D3KooW-flow-provider".to_vec(), RegisteredPoStProof::StackedDRGWindow2KiBV1P1),
            0,
        )?;
        if collateral > 0 {
            flow.registry_ok::<_, ()>(&provider, "add_collateral", (), collateral)?;
        }
        Ok(flow)
    }

    /// Calls a registry message and checks the registry's funds afterwards.
    pub fn registry_call<A: Encode, R: Decode>(
        &mut self,
        caller: &AccountId32,
        message: &str,
        args: A,
        value: Balance,
    ) -> Result<Answer<Result<R, RegistryError>>> {
        let registry = self.suite.registry.clone();
        let answer = self.chain.call(caller, &registry, message, args, value)?;
        self.check_registry_funds()?;
        self.check_suite()?;
        Ok(answer)
    }

    /// [`StorageFlow::registry_call`] that must succeed.
    pub fn registry_ok<A: Encode, R: Decode>(
        &mut self,
        caller: &AccountId32,
        message: &str,
        args: A,
        value: Balance,
    ) -> Result<R> {
        self.registry_call::<A, R>(caller, message, args, value)?.value.map_err(|error| anyhow!("{message}: {error:?}"))
    }

    /// A registry view.
    pub fn registry_view<A: Encode, R: Decode>(&mut self, message: &str, args: A) -> Result<R> {
        let (owner, registry) = (self.suite.owner.clone(), self.suite.registry.clone());
        self.chain.query(&owner, &registry, message, args)
    }

    /// The provider's state in the registry.
    pub fn provider_state(&mut self) -> Result<ProviderState> {
        let provider = id(&self.provider);
        self.registry_view::<_, Option<ProviderState>>("provider", (provider,))?.context("the provider is registered")
    }

    /// The registry and the market hold exactly what their books say (plus their existential
    /// deposits), and the registry's books are the sum of the provider's collateral.
    pub fn check_registry_funds(&mut self) -> Result<()> {
        let funds: RegistryFunds = self.registry_view("funds", ())?;
        let held = self.chain.balance(&self.suite.registry.address);
        let owed = self.registry_offset + funds.free + funds.locked + funds.slashed;
        ensure!(held == owed, "the registry holds {held} but owes {owed} ({funds:?})");
        let provider = id(&self.provider);
        let (owner, market) = (self.suite.owner.clone(), self.suite.market.clone());
        let books: polka_storage_primitives::market::FundsSummary = self.chain.query(&owner, &market, "funds", ())?;
        let held = self.chain.balance(&market.address);
        let owed = self.market_offset + books.free + books.locked + books.slashed;
        ensure!(held == owed, "the market holds {held} but owes {owed} ({books:?})");
        if let Some(state) = self.registry_view::<_, Option<ProviderState>>("provider", (provider,))? {
            let locked = state.collateral.locked().context("locked overflows")?;
            ensure!(
                (state.collateral.free, locked) == (funds.free, funds.locked),
                "the provider holds {:?}, the books say {funds:?}",
                state.collateral
            );
        }
        Ok(())
    }

    /// The client computes the CommP of `file`, funds the market and signs a deal for blocks
    /// `start..end`; the provider funds its collateral and publishes it. Returns the deal id.
    pub fn publish_deal(
        &mut self,
        file: &Path,
        start: BlockNumber,
        end: BlockNumber,
    ) -> Result<(DealId, PieceCommitment)> {
        let piece = file_commitment(file)?;
        let (client, provider) = (self.client.account(), self.provider.clone());
        let proposal = DealProposal {
            piece_cid: piece.cid(),
            piece_size: piece.padded_size.get(),
            client: id(&client),
            provider: id(&provider),
            label: b"storage flow".to_vec(),
            start_block: start,
            end_block: end,
            storage_price_per_block: 1_000,
            provider_collateral: 10 * UNIT,
            state: DealState::Published,
        };
        let fee = proposal.total_storage_fee().context("fee overflows")?;
        let market = self.suite.market.clone();
        for (who, amount) in [(client.clone(), fee), (provider.clone(), proposal.provider_collateral)] {
            let answer = self.chain.call::<_, Result<(), MarketError>>(&who, &market, "add_balance", (), amount)?;
            answer.value.map_err(|error| anyhow!("add_balance: {error:?}"))?;
        }
        let signed = self.client.sign_deal(&self.domain, proposal);
        let answer = self.chain.call::<_, Result<Vec<DealId>, MarketError>>(
            &provider,
            &market,
            "publish_storage_deals",
            (vec![signed],),
            0,
        )?;
        let ids = answer.value.map_err(|error| anyhow!("publish_storage_deals: {error:?}"))?;
        Ok((*ids.first().context("one deal published")?, piece))
    }

    /// Runs beacon rounds until the current block is covered, reads the provider's seal ticket
    /// for it, and seals each `(sector number, pieces)` with storage-cli under that ticket.
    /// Sealing takes no blocks, so the same calls on a fresh flow give the same tickets (and,
    /// pre-committed in the same block, the same seeds and proofs).
    pub fn seal(&mut self, sectors: &[(SectorNumber, Vec<PathBuf>)]) -> Result<(Vec<SectorRecord>, BlockNumber)> {
        let height = self.chain.block_number();
        self.keeper.cover(&mut self.chain, height)?;
        let provider = id(&self.provider);
        let ticket = self
            .registry_view::<_, Result<[u8; 32], RegistryError>>("seal_ticket", (provider, height))?
            .map_err(|error| anyhow!("seal_ticket: {error:?}"))?;
        let mut records = Vec::with_capacity(sectors.len());
        for (number, pieces) in sectors {
            let request = SealRequest {
                provider,
                sector_number: *number,
                ticket,
                seal_randomness_height: Some(height),
                pieces: pieces.clone(),
            };
            records.push(sector::seal(&self.store, &request)?);
        }
        Ok((records, height))
    }

    /// What the provider pre-commits for a sealed sector holding `deal_ids`.
    pub fn pre_commit_info(
        record: &SectorRecord,
        height: BlockNumber,
        deal_ids: &[DealId],
        expiration: BlockNumber,
    ) -> SectorPreCommitInfo {
        SectorPreCommitInfo {
            seal_proof: SEAL_PROOF,
            sector_number: record.sector_number,
            sealed_cid: commitment_to_cid(&record.comm_r, CommitmentKind::Sealed),
            seal_randomness_height: height,
            deal_ids: deal_ids.to_vec(),
            expiration,
            unsealed_cid: commitment_to_cid(&record.comm_d, CommitmentKind::Unsealed),
        }
    }

    /// Runs beacon rounds until the sector's interactive seed is final, reads it from the
    /// registry and proves the sector (storage-cli, through the proof cache).
    pub fn prove(&mut self, number: SectorNumber) -> Result<ProveCommitSector> {
        let provider = id(&self.provider);
        let pre_commit: polka_storage_primitives::registry::SectorPreCommitOnChainInfo = self
            .registry_view::<_, Option<_>>("pre_commit", (provider, number))?
            .context("the sector is pre-committed")?;
        let policy: polka_storage_primitives::policy::ProvingPolicy = self.registry_view("policy", ())?;
        let seed_block = pre_commit.pre_commit_block + policy.pre_commit_challenge_delay;
        self.chain.advance_to(seed_block);
        self.keeper.cover(&mut self.chain, seed_block)?;
        let seed = self
            .registry_view::<_, Result<[u8; 32], RegistryError>>("interactive_seed", (provider, number))?
            .map_err(|error| anyhow!("interactive_seed: {error:?}"))?;
        let (proof, _) = proof_cache::prove_commit(&self.store, number, seed)?;
        Ok(ProveCommitSector { sector_number: number, proof })
    }

    /// Prove-commits `sectors` as `caller` (the provider or its worker).
    pub fn prove_commit(
        &mut self,
        caller: &AccountId32,
        sectors: Vec<ProveCommitSector>,
    ) -> Result<Vec<ProveCommitResult>> {
        self.registry_ok(caller, "prove_commit_sectors", (sectors,), 0)
    }

    /// The suite-level invariant across the market and the registry (builtin-actors'
    /// `state/src/check.rs`): every active deal of the provider lies in a sector the registry
    /// has proven, which lists it, and the market's deals of each proven sector are the ones the
    /// sector was pre-committed with.
    pub fn check_suite(&mut self) -> Result<()> {
        use polka_storage_primitives::market::{DealLookup, DealPage};
        use polka_storage_primitives::policy::{MAX_DEALS_PER_PAGE, MAX_REGISTRY_PAGE};
        use polka_storage_primitives::registry::SectorOnChainInfo;
        let (owner, market, provider) = (self.suite.owner.clone(), self.suite.market.clone(), id(&self.provider));
        let mut from = 0u32;
        loop {
            let page: DealPage =
                self.chain.query(&owner, &market, "provider_deals", (provider, from, MAX_DEALS_PER_PAGE))?;
            for entry in &page.deals {
                if let DealLookup::Live(deal) = &entry.deal {
                    if let DealState::Active(active) = deal.state {
                        let sector: Option<SectorOnChainInfo> =
                            self.registry_view("sector", (provider, active.sector_number))?;
                        let sector = sector.with_context(|| {
                            format!(
                                "deal {} is active in sector {}, which the registry has not proven",
                                entry.deal_id, active.sector_number
                            )
                        })?;
                        ensure!(
                            sector.deal_ids.contains(&entry.deal_id),
                            "sector {} does not list deal {}",
                            sector.sector_number,
                            entry.deal_id
                        );
                    }
                }
            }
            from = from.saturating_add(u32::try_from(page.deals.len())?);
            if page.deals.is_empty() || from >= page.total {
                break;
            }
        }
        let mut from = 0u32;
        loop {
            let sectors: Vec<SectorOnChainInfo> = self.registry_view("sectors", (provider, from, MAX_REGISTRY_PAGE))?;
            for sector in &sectors {
                let deals: Vec<DealId> =
                    self.chain.query(&owner, &market, "sector_deals", (provider, sector.sector_number))?;
                ensure!(
                    deals.iter().all(|deal| sector.deal_ids.contains(deal)),
                    "the market keeps deals {deals:?} in sector {}, which holds {:?}",
                    sector.sector_number,
                    sector.deal_ids
                );
            }
            if sectors.len() < MAX_REGISTRY_PAGE as usize {
                break;
            }
            from = from.saturating_add(MAX_REGISTRY_PAGE);
        }
        Ok(())
    }

    /// The Window PoSt of deadline `index` (in its next window that has not closed) as the
    /// provider makes it: beacon rounds run until
    /// the deadline's challenge block is covered, the chain moves to the deadline's opening,
    /// the registry's `post_challenge` gives the challenge, and storage-cli proves each of the
    /// deadline's partitions over its live, non-faulty sectors. Returns the call's arguments.
    pub fn window_post(&mut self, index: u32) -> Result<(u32, Vec<u32>, Vec<Vec<u8>>)> {
        use polka_storage_primitives::deadline::DeadlineInfo;
        use polka_storage_primitives::registry::PartitionView;
        let provider = id(&self.provider);
        let info: DeadlineInfo = self
            .registry_view::<_, Result<DeadlineInfo, RegistryError>>("deadline_info", (provider, index))?
            .map_err(|error| anyhow!("deadline_info: {error:?}"))?;
        self.keeper.cover(&mut self.chain, info.challenge)?;
        ensure!(self.chain.block_number() < info.close_at, "the beacon rounds ran past deadline {index}");
        self.chain.advance_to(info.open_at);
        let randomness = self
            .registry_view::<_, Result<[u8; 32], RegistryError>>("post_challenge", (provider, info.challenge))?
            .map_err(|error| anyhow!("post_challenge: {error:?}"))?;
        let state = self.provider_state()?;
        let load = state.deadlines.get(usize::try_from(index)?).context("deadline index")?;
        let partitions = u64::from(load.total_sectors).div_ceil(state.info.window_post_partition_sectors.max(1));
        let (mut numbers, mut proofs) = (Vec::new(), Vec::new());
        for partition in 0..u32::try_from(partitions)? {
            let view: PartitionView = self
                .registry_view::<_, Option<_>>("partition", (provider, index, partition))?
                .context("the partition exists")?;
            let provable: Vec<SectorNumber> =
                view.sectors.iter().filter(|s| !view.faults.contains(s)).copied().collect();
            if provable.is_empty() {
                continue;
            }
            numbers.push(partition);
            proofs.push(sector::window_post(&self.store, &provable, randomness)?);
        }
        Ok((index, numbers, proofs))
    }
}
