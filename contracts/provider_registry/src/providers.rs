//! Storage provider registration (spec §2.2 (0)): a provider registers once with its libp2p
//! peer id and Window PoSt proof type, and gets a proving period start in the next global
//! proving period, offset pseudo-randomly so that providers' deadlines spread over the period.

use crate::state::{incr, RegistryState};
use ink::prelude::{vec, vec::Vec};
use polka_storage_primitives::hash::blake2_256;
use polka_storage_primitives::policy::MAX_PEER_ID_LEN;
use polka_storage_primitives::registry::{
    Collateral, DeadlineLoad, Event, PeerIdChanged, Power, ProviderState, RegistryError, StorageProviderInfo,
    StorageProviderRegistered, WorkerChanged,
};
use polka_storage_primitives::sector::RegisteredPoStProof;
use polka_storage_primitives::{AccountId, BlockNumber};

/// The provider's offset within a proving period: the first 8 bytes (big-endian) of
/// `blake2_256(account ‖ u64_le(now))`, modulo the period (spec `assign_proving_period_offset`,
/// with the suite's 256-bit BLAKE2 host hash instead of the pallet's 64-bit one).
pub fn proving_period_offset(
    provider: &AccountId,
    now: BlockNumber,
    period: BlockNumber,
) -> Result<BlockNumber, RegistryError> {
    let account: &[u8; 32] = provider.as_ref();
    let digest = blake2_256(&[account, &u64::from(now).to_le_bytes()]);
    let mut head = [0u8; 8];
    head.copy_from_slice(&digest[..8]);
    let offset = u64::from_be_bytes(head).checked_rem(u64::from(period)).ok_or(RegistryError::ArithmeticOverflow)?;
    BlockNumber::try_from(offset).map_err(|_| RegistryError::ArithmeticOverflow)
}

/// The start of the first proving period: `(now / period + 1) · period + offset`, always in a
/// later global period than `now`.
pub fn first_proving_period_start(
    now: BlockNumber,
    period: BlockNumber,
    offset: BlockNumber,
) -> Result<BlockNumber, RegistryError> {
    now.checked_div(period)
        .and_then(|periods| periods.checked_add(1))
        .and_then(|periods| periods.checked_mul(period))
        .and_then(|start| start.checked_add(offset))
        .ok_or(RegistryError::ArithmeticOverflow)
}

impl RegistryState {
    /// Registers `caller` at block `now` (spec §2.2 (0)); it is its own worker until it names one.
    pub fn register(
        &mut self,
        caller: AccountId,
        now: BlockNumber,
        peer_id: Vec<u8>,
        window_post_proof_type: RegisteredPoStProof,
    ) -> Result<Vec<Event>, RegistryError> {
        if self.providers.contains(caller) {
            return Err(RegistryError::StorageProviderExists);
        }
        if self.workers.contains(caller) {
            return Err(RegistryError::WorkerInUse);
        }
        check_peer_id(&peer_id)?;
        let period = self.policy.wpost_proving_period;
        let offset = proving_period_offset(&caller, now, period)?;
        let proving_period_start = first_proving_period_start(now, period, offset)?;
        let info = StorageProviderInfo {
            peer_id,
            window_post_proof_type,
            sector_size: window_post_proof_type.sector_size(),
            window_post_partition_sectors: window_post_proof_type.window_post_partition_sectors(),
        };
        let deadlines =
            usize::try_from(self.policy.wpost_period_deadlines).map_err(|_| RegistryError::InvalidPolicy)?;
        let state = ProviderState {
            info: info.clone(),
            worker: caller,
            proving_period_start,
            current_deadline: 0,
            power: Power::default(),
            collateral: Collateral::default(),
            pre_committed_sectors: 0,
            proven_sectors: 0,
            deadlines: vec![DeadlineLoad::default(); deadlines],
            expiry_queue_head: 0,
            expiry_queue_tail: 0,
        };
        let index = self.provider_count;
        self.provider_count = incr(index)?;
        self.provider_list.insert(index, &caller);
        self.providers.insert(caller, &state);
        Ok(vec![Event::StorageProviderRegistered(StorageProviderRegistered {
            owner: caller,
            info,
            proving_period_start,
        })])
    }

    /// Sets a new peer id for the provider `caller` (its owner or worker).
    pub fn change_peer_id(&mut self, caller: AccountId, peer_id: Vec<u8>) -> Result<Vec<Event>, RegistryError> {
        let (owner, mut state) = self.resolve(&caller)?;
        check_peer_id(&peer_id)?;
        state.info.peer_id = peer_id.clone();
        self.providers.insert(owner, &state);
        Ok(vec![Event::PeerIdChanged(PeerIdChanged { owner, peer_id })])
    }

    /// Names `worker` as the account that may submit sector and proof messages for the provider
    /// `caller`. Owner only; the worker may not be another provider or another's worker.
    pub fn change_worker(&mut self, caller: AccountId, worker: AccountId) -> Result<Vec<Event>, RegistryError> {
        let mut state = self.owner_state(&caller)?;
        if worker != caller
            && worker != state.worker
            && (self.providers.contains(worker) || self.workers.contains(worker))
        {
            return Err(RegistryError::WorkerInUse);
        }
        if state.worker != caller {
            self.workers.remove(state.worker);
        }
        if worker != caller {
            self.workers.insert(worker, &caller);
        }
        state.worker = worker;
        self.providers.insert(caller, &state);
        Ok(vec![Event::WorkerChanged(WorkerChanged { owner: caller, worker })])
    }

    /// The state of the provider whose owner account is `caller` (workers are refused).
    pub(crate) fn owner_state(&self, caller: &AccountId) -> Result<ProviderState, RegistryError> {
        match self.providers.get(caller) {
            Some(state) => Ok(state),
            None if self.workers.contains(caller) => Err(RegistryError::NotProviderOwner),
            None => Err(RegistryError::StorageProviderNotFound),
        }
    }
}

fn check_peer_id(peer_id: &[u8]) -> Result<(), RegistryError> {
    if peer_id.is_empty() || peer_id.len() > MAX_PEER_ID_LEN {
        return Err(RegistryError::InvalidPeerId);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use polka_storage_primitives::policy::ProvingPolicy;

    #[test]
    fn the_spec_example_lands_in_the_period_after_registration() {
        // Spec §3.4: registration at block 125 with offset 17 gives 3·60 + 17 = 197.
        assert_eq!(first_proving_period_start(125, 60, 17), Ok(197));
        assert_eq!(first_proving_period_start(120, 60, 0), Ok(180));
        assert_eq!(first_proving_period_start(1, 60, 59), Ok(119));
        assert_eq!(first_proving_period_start(BlockNumber::MAX, 60, 0), Err(RegistryError::ArithmeticOverflow));
    }

    #[test]
    fn offsets_depend_on_the_account_and_the_block_and_stay_in_the_period() {
        let period = ProvingPolicy::PRODUCTION.wpost_proving_period;
        let offsets: Vec<BlockNumber> =
            (0u8..16).map(|n| proving_period_offset(&AccountId::from([n; 32]), 7, period).unwrap()).collect();
        assert!(offsets.iter().all(|offset| *offset < period));
        assert!(offsets.windows(2).any(|pair| pair[0] != pair[1]));
        let alice = AccountId::from([1; 32]);
        assert_ne!(proving_period_offset(&alice, 7, period), proving_period_offset(&alice, 8, period));
        assert_eq!(proving_period_offset(&alice, 7, 0), Err(RegistryError::ArithmeticOverflow));
    }
}
