//! Storage provider registration (spec §2.2 (0)): a provider registers once with its libp2p
//! peer id and Window PoSt proof type, and gets a proving period start in the next global
//! proving period, offset pseudo-randomly so that providers' deadlines spread over the period.

use ink::prelude::vec::Vec;
use ink::storage::{traits::ManualKey, Mapping};
use polka_storage_primitives::hash::blake2_256;
use polka_storage_primitives::policy::ProvingPolicy;
use polka_storage_primitives::registry::{
    RegistryError, StorageProviderInfo, StorageProviderRecord, StorageProviderRegistered, MAX_PEER_ID_LEN,
};
use polka_storage_primitives::sector::RegisteredPoStProof;
use polka_storage_primitives::{AccountId, BlockNumber};

/// Storage key of the provider records.
const PROVIDERS_KEY: u32 = 0x7072_0101;

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

/// Every registered provider.
#[ink::storage_item]
#[derive(Debug, Default)]
pub struct Providers {
    records: Mapping<AccountId, StorageProviderRecord, ManualKey<PROVIDERS_KEY>>,
}

impl Providers {
    /// Registers `caller` at block `now`.
    pub fn register(
        &mut self,
        caller: AccountId,
        now: BlockNumber,
        peer_id: Vec<u8>,
        window_post_proof_type: RegisteredPoStProof,
        policy: &ProvingPolicy,
    ) -> Result<StorageProviderRegistered, RegistryError> {
        if self.records.contains(caller) {
            return Err(RegistryError::StorageProviderExists);
        }
        if peer_id.is_empty() || peer_id.len() > MAX_PEER_ID_LEN {
            return Err(RegistryError::InvalidPeerId);
        }
        let period = policy.wpost_proving_period;
        let offset = proving_period_offset(&caller, now, period)?;
        let proving_period_start = first_proving_period_start(now, period, offset)?;
        let info = StorageProviderInfo {
            peer_id,
            window_post_proof_type,
            sector_size: window_post_proof_type.sector_size(),
            window_post_partition_sectors: window_post_proof_type.window_post_partition_sectors(),
        };
        let record = StorageProviderRecord { info: info.clone(), proving_period_start };
        self.records.insert(caller, &record);
        Ok(StorageProviderRegistered { owner: caller, info, proving_period_start })
    }

    /// A provider's record.
    pub fn get(&self, provider: &AccountId) -> Option<StorageProviderRecord> {
        self.records.get(provider)
    }

    /// Whether `provider` is registered.
    pub fn is_registered(&self, provider: &AccountId) -> bool {
        self.records.contains(provider)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROOF: RegisteredPoStProof = RegisteredPoStProof::StackedDRGWindow2KiBV1P1;

    fn providers() -> Providers {
        ink::env::test::set_callee::<ink::env::DefaultEnvironment>(AccountId::from([0x52; 32]));
        Providers::default()
    }

    #[test]
    fn a_provider_registers_once_into_the_next_proving_period() {
        let mut providers = providers();
        let alice = AccountId::from([1; 32]);
        let policy = ProvingPolicy::FAST;
        let event = providers.register(alice, 125, b"peer".to_vec(), PROOF, &policy).unwrap();
        let offset = proving_period_offset(&alice, 125, 60).unwrap();
        assert!(offset < 60);
        // Registered at 125 with a 60-block period: the next global period starts at 180.
        assert_eq!(event.proving_period_start, 180 + offset);
        assert_eq!(event.owner, alice);
        assert_eq!(
            event.info,
            StorageProviderInfo {
                peer_id: b"peer".to_vec(),
                window_post_proof_type: PROOF,
                sector_size: 2048,
                window_post_partition_sectors: 2
            }
        );
        assert_eq!(
            providers.get(&alice),
            Some(StorageProviderRecord { info: event.info.clone(), proving_period_start: event.proving_period_start })
        );
        assert!(providers.is_registered(&alice));
        assert!(!providers.is_registered(&AccountId::from([2; 32])));
        assert_eq!(
            providers.register(alice, 126, b"other".to_vec(), PROOF, &policy),
            Err(RegistryError::StorageProviderExists)
        );
        assert_eq!(providers.get(&alice).unwrap().info.peer_id, b"peer".to_vec());
    }

    #[test]
    fn the_spec_example_lands_in_the_period_after_registration() {
        // Spec §3.4: registration at block 125 with offset 17 gives 3·60 + 17 = 197.
        assert_eq!(first_proving_period_start(125, 60, 17), Ok(197));
        assert_eq!(first_proving_period_start(120, 60, 0), Ok(180));
        assert_eq!(first_proving_period_start(1, 60, 59), Ok(119));
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
    }

    #[test]
    fn bad_peer_ids_and_periods_are_named_errors() {
        let mut providers = providers();
        let alice = AccountId::from([1; 32]);
        let policy = ProvingPolicy::FAST;
        for peer_id in [Vec::new(), vec![7; MAX_PEER_ID_LEN + 1]] {
            assert_eq!(providers.register(alice, 1, peer_id, PROOF, &policy), Err(RegistryError::InvalidPeerId));
        }
        let broken = ProvingPolicy { wpost_proving_period: 0, ..policy };
        assert_eq!(providers.register(alice, 1, b"p".to_vec(), PROOF, &broken), Err(RegistryError::ArithmeticOverflow));
        assert_eq!(first_proving_period_start(BlockNumber::MAX, 60, 0), Err(RegistryError::ArithmeticOverflow));
        assert!(!providers.is_registered(&alice));
        assert!(providers.register(alice, 1, vec![7; MAX_PEER_ID_LEN], PROOF, &policy).is_ok());
    }
}
