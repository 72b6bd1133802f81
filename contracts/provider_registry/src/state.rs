//! The registry's state: every provider, pre-commit, sector and partition in `Mapping`s keyed
//! by provider (and sector, deadline, partition) on explicit storage keys, and the books of its
//! collateral. The rules live in one module per message (`providers`, `collateral`,
//! `precommit`, `prove_commit`, `expiry`); each takes the caller and the block and returns the
//! events to emit. No stored value grows with the number of sectors.

use crate::partition::PartitionState;
use ink::prelude::vec::Vec;
use ink::storage::{traits::ManualKey, Mapping};
use polka_storage_primitives::deadline::DeadlineInfo;
use polka_storage_primitives::policy::{ProvingPolicy, MAX_REGISTRY_PAGE};
use polka_storage_primitives::registry::{
    KeptPoSt, PartitionView, Power, ProviderState, ProviderSummary, RegistryError, RegistryFunds, SectorOnChainInfo,
    SectorPreCommitOnChainInfo,
};
use polka_storage_primitives::sector::SectorNumber;
use polka_storage_primitives::{AccountId, Balance, BlockNumber};

const PROVIDERS_KEY: u32 = 0x7072_0101;
const PROVIDER_LIST_KEY: u32 = 0x7072_0102;
const WORKERS_KEY: u32 = 0x7072_0103;
const PRECOMMITS_KEY: u32 = 0x7072_0201;
const EXPIRY_QUEUE_KEY: u32 = 0x7072_0202;
const SECTORS_KEY: u32 = 0x7072_0301;
const SECTOR_LIST_KEY: u32 = 0x7072_0302;
const PARTITIONS_KEY: u32 = 0x7072_0401;
const KEPT_POSTS_KEY: u32 = 0x7072_0402;

/// A pre-commit waiting in its provider's expiry queue: the queue is in pre-commit order, which
/// is also expiry order, so the crank only ever looks at its head.
pub type QueuedPreCommit = (SectorNumber, BlockNumber);

/// The key of a partition: (provider, deadline, partition).
pub type PartitionKey = (AccountId, u32, u32);

/// The registry.
#[ink::storage_item]
#[derive(Debug)]
pub struct RegistryState {
    pub(crate) policy: ProvingPolicy,
    pub(crate) funds: RegistryFunds,
    pub(crate) provider_count: u32,
    pub(crate) providers: Mapping<AccountId, ProviderState, ManualKey<PROVIDERS_KEY>>,
    /// Providers in registration order, for the `providers` page.
    pub(crate) provider_list: Mapping<u32, AccountId, ManualKey<PROVIDER_LIST_KEY>>,
    /// Worker → the provider it works for.
    pub(crate) workers: Mapping<AccountId, AccountId, ManualKey<WORKERS_KEY>>,
    pub(crate) precommits: Mapping<(AccountId, SectorNumber), SectorPreCommitOnChainInfo, ManualKey<PRECOMMITS_KEY>>,
    pub(crate) expiry_queue: Mapping<(AccountId, u32), QueuedPreCommit, ManualKey<EXPIRY_QUEUE_KEY>>,
    pub(crate) sectors: Mapping<(AccountId, SectorNumber), SectorOnChainInfo, ManualKey<SECTORS_KEY>>,
    /// A provider's sectors in proving order, for the `sectors` page.
    pub(crate) sector_list: Mapping<(AccountId, u32), SectorNumber, ManualKey<SECTOR_LIST_KEY>>,
    pub(crate) partitions: Mapping<PartitionKey, PartitionState, ManualKey<PARTITIONS_KEY>>,
    /// Optimistically accepted Window PoSts, per partition, for their dispute window.
    pub(crate) kept_posts: Mapping<PartitionKey, KeptPoSt, ManualKey<KEPT_POSTS_KEY>>,
    /// Σ providers' power.
    pub(crate) total_power: Power,
}

pub(crate) fn add(a: Balance, b: Balance) -> Result<Balance, RegistryError> {
    a.checked_add(b).ok_or(RegistryError::ArithmeticOverflow)
}

pub(crate) fn sub(a: Balance, b: Balance) -> Result<Balance, RegistryError> {
    a.checked_sub(b).ok_or(RegistryError::ArithmeticOverflow)
}

pub(crate) fn incr(value: u32) -> Result<u32, RegistryError> {
    value.checked_add(1).ok_or(RegistryError::ArithmeticOverflow)
}

pub(crate) fn decr(value: u32) -> Result<u32, RegistryError> {
    value.checked_sub(1).ok_or(RegistryError::ArithmeticOverflow)
}

impl RegistryState {
    /// An empty registry with `policy`, if the policy is usable.
    pub fn new(policy: ProvingPolicy) -> Result<Self, RegistryError> {
        if !policy.is_valid() {
            return Err(RegistryError::InvalidPolicy);
        }
        Ok(Self {
            policy,
            funds: RegistryFunds::default(),
            provider_count: 0,
            providers: Mapping::default(),
            provider_list: Mapping::default(),
            workers: Mapping::default(),
            precommits: Mapping::default(),
            expiry_queue: Mapping::default(),
            sectors: Mapping::default(),
            sector_list: Mapping::default(),
            partitions: Mapping::default(),
            kept_posts: Mapping::default(),
            total_power: Power::default(),
        })
    }

    /// The registry's time parameters and amounts.
    pub fn policy(&self) -> ProvingPolicy {
        self.policy
    }

    /// The registry's books.
    pub fn funds(&self) -> RegistryFunds {
        self.funds
    }

    /// The provider a caller acts for: itself if it is a provider, else the provider it is the
    /// worker of.
    pub fn resolve(&self, caller: &AccountId) -> Result<(AccountId, ProviderState), RegistryError> {
        if let Some(state) = self.providers.get(caller) {
            return Ok((*caller, state));
        }
        let owner = self.workers.get(caller).ok_or(RegistryError::StorageProviderNotFound)?;
        let state = self.providers.get(owner).ok_or(RegistryError::StorageProviderNotFound)?;
        Ok((owner, state))
    }

    /// A provider's state, for messages that name the provider (cranks, views).
    pub fn provider_state(&self, provider: &AccountId) -> Result<ProviderState, RegistryError> {
        self.providers.get(provider).ok_or(RegistryError::StorageProviderNotFound)
    }

    /// A registered provider, or `None`.
    pub fn provider(&self, provider: &AccountId) -> Option<ProviderState> {
        self.providers.get(provider)
    }

    /// The provider `worker` works for, if any.
    pub fn provider_of_worker(&self, worker: &AccountId) -> Option<AccountId> {
        self.workers.get(worker)
    }

    /// Whether `provider` is registered.
    pub fn is_registered(&self, provider: &AccountId) -> bool {
        self.providers.contains(provider)
    }

    /// Up to `limit` (at most [`MAX_REGISTRY_PAGE`]) providers from position `from`, in
    /// registration order.
    pub fn providers_page(&self, from: u32, limit: u32) -> Vec<ProviderSummary> {
        let end = from.saturating_add(limit.min(MAX_REGISTRY_PAGE)).min(self.provider_count);
        (from..end)
            .filter_map(|index| self.provider_list.get(index))
            .filter_map(|provider| {
                self.providers.get(provider).map(|state| ProviderSummary {
                    provider,
                    peer_id: state.info.peer_id,
                    proven_sectors: state.proven_sectors,
                    pre_committed_sectors: state.pre_committed_sectors,
                    collateral: state.collateral,
                })
            })
            .collect()
    }

    /// A pre-commit not yet proven or expired.
    pub fn pre_commit(&self, provider: &AccountId, sector: SectorNumber) -> Option<SectorPreCommitOnChainInfo> {
        self.precommits.get((*provider, sector))
    }

    /// A proven sector.
    pub fn sector(&self, provider: &AccountId, sector: SectorNumber) -> Option<SectorOnChainInfo> {
        self.sectors.get((*provider, sector))
    }

    /// Up to `limit` (at most [`MAX_REGISTRY_PAGE`]) of a provider's proven sectors from
    /// position `from`, in proving order.
    pub fn sectors_page(&self, provider: &AccountId, from: u32, limit: u32) -> Vec<SectorOnChainInfo> {
        let count = self.providers.get(provider).map(|state| state.proven_sectors).unwrap_or(0);
        let end = from.saturating_add(limit.min(MAX_REGISTRY_PAGE)).min(count);
        (from..end)
            .filter_map(|index| self.sector_list.get((*provider, index)))
            .filter_map(|sector| self.sectors.get((*provider, sector)))
            .collect()
    }

    /// A partition's sectors.
    pub fn partition(&self, provider: &AccountId, deadline: u32, partition: u32) -> Option<PartitionView> {
        self.partitions.get((*provider, deadline, partition)).map(|state| state.view())
    }

    /// Deadline `index` of `provider` as it stands at `now`: in the current proving period if it
    /// has not closed yet, else in the next one (before the first period: in the first).
    pub fn deadline_info(
        &self,
        provider: &AccountId,
        index: u32,
        now: BlockNumber,
    ) -> Result<DeadlineInfo, RegistryError> {
        let state = self.provider_state(provider)?;
        let first =
            DeadlineInfo::new(state.proving_period_start, index, &self.policy).ok_or(RegistryError::InvalidDeadline)?;
        first.next_not_elapsed(now, &self.policy).ok_or(RegistryError::ArithmeticOverflow)
    }

    /// Moves `amount` of `state`'s free collateral into its pre-commit deposits.
    pub(crate) fn lock_deposit(&mut self, state: &mut ProviderState, amount: Balance) -> Result<(), RegistryError> {
        let collateral = &mut state.collateral;
        Self::lock(&mut self.funds, &mut collateral.free, &mut collateral.pre_commit_deposits, amount)
    }

    /// Takes `amount` out of `state`'s pre-commit deposits: back to its free collateral, or to
    /// the slashed total.
    pub(crate) fn release_deposit(
        &mut self,
        state: &mut ProviderState,
        amount: Balance,
        slash: bool,
    ) -> Result<(), RegistryError> {
        state.collateral.pre_commit_deposits = sub(state.collateral.pre_commit_deposits, amount)?;
        self.funds.locked = sub(self.funds.locked, amount)?;
        if slash {
            self.funds.slashed = add(self.funds.slashed, amount)?;
        } else {
            state.collateral.free = add(state.collateral.free, amount)?;
            self.funds.free = add(self.funds.free, amount)?;
        }
        Ok(())
    }

    /// Moves `amount` of `state`'s free collateral into its initial pledges.
    pub(crate) fn lock_pledge(&mut self, state: &mut ProviderState, amount: Balance) -> Result<(), RegistryError> {
        let collateral = &mut state.collateral;
        Self::lock(&mut self.funds, &mut collateral.free, &mut collateral.initial_pledges, amount)
    }

    /// Releases a sector's `pledge` to free collateral, less `fee` (slashed).
    pub(crate) fn release_pledge(
        &mut self,
        state: &mut ProviderState,
        pledge: Balance,
        fee: Balance,
    ) -> Result<(), RegistryError> {
        let fee = fee.min(pledge);
        state.collateral.initial_pledges = sub(state.collateral.initial_pledges, pledge)?;
        state.collateral.free = add(state.collateral.free, pledge.saturating_sub(fee))?;
        self.funds.locked = sub(self.funds.locked, pledge)?;
        self.funds.free = add(self.funds.free, pledge.saturating_sub(fee))?;
        self.funds.slashed = add(self.funds.slashed, fee)?;
        Ok(())
    }

    /// Moves `amount` from a provider's `free` collateral to one of its `locked` buckets, and
    /// the registry's books with it.
    fn lock(
        funds: &mut RegistryFunds,
        free: &mut Balance,
        locked: &mut Balance,
        amount: Balance,
    ) -> Result<(), RegistryError> {
        *free = free.checked_sub(amount).ok_or(RegistryError::InsufficientCollateral)?;
        *locked = add(*locked, amount)?;
        funds.free = sub(funds.free, amount)?;
        funds.locked = add(funds.locked, amount)?;
        Ok(())
    }
}
