//! The provider registry: storage providers register, pre-commit and prove-commit sectors,
//! submit Window PoSt, declare faults and recoveries and terminate sectors (the storage-provider
//! pallet of spec §2.2).
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod providers;

pub use polka_storage_primitives::registry::RegistryError;

#[ink::contract]
mod provider_registry {
    use crate::providers::Providers;
    use ink::prelude::vec::Vec;
    use polka_storage_primitives::ownership::Ownership;
    use polka_storage_primitives::policy::ProvingPolicy;
    use polka_storage_primitives::registry::{RegistryError, StorageProviderRecord, StorageProviderValidation};
    use polka_storage_primitives::sector::RegisteredPoStProof;

    /// The registry's state.
    #[ink(storage)]
    pub struct ProviderRegistry {
        ownership: Ownership,
        market: Option<AccountId>,
        verifier: AccountId,
        beacon: AccountId,
        policy: ProvingPolicy,
        providers: Providers,
    }

    impl ProviderRegistry {
        /// Creates the registry with the production proving periods.
        ///
        /// `verifier`: the `proof_verifier` contract that checks PoRep and Window PoSt proofs.
        /// `beacon`: the `randomness` contract that tickets, seeds and challenges are drawn from.
        /// `market`: the `market` contract, if it already exists; otherwise the owner sets it
        /// once with `set_market`.
        #[ink(constructor, default)]
        pub fn new(verifier: AccountId, beacon: AccountId, market: Option<AccountId>) -> Self {
            Self::with_policy(verifier, beacon, market, ProvingPolicy::PRODUCTION)
        }

        /// Creates the registry with explicit time parameters (e.g. `ProvingPolicy::FAST`).
        ///
        /// `verifier`: the `proof_verifier` contract.
        /// `beacon`: the `randomness` contract.
        /// `market`: the `market` contract, if it already exists.
        /// `policy`: proving periods, deadlines, expirations and delays in blocks.
        #[ink(constructor)]
        pub fn with_policy(
            verifier: AccountId,
            beacon: AccountId,
            market: Option<AccountId>,
            policy: ProvingPolicy,
        ) -> Self {
            Self {
                ownership: Ownership::new(Self::env().caller()),
                market,
                verifier,
                beacon,
                policy,
                providers: Providers::default(),
            }
        }

        /// The account that governs the registry.
        #[ink(message)]
        pub fn owner(&self) -> AccountId {
            self.ownership.owner()
        }

        /// Hands governance to `new_owner`. Owner only.
        ///
        /// `new_owner`: the account that governs the registry from now on.
        #[ink(message)]
        pub fn transfer_ownership(&mut self, new_owner: AccountId) -> Result<(), RegistryError> {
            let event = self.ownership.transfer(&self.env().caller(), new_owner)?;
            self.env().emit_event(event);
            Ok(())
        }

        /// Sets the market once. Owner only.
        ///
        /// `market`: the address of the `market` contract.
        #[ink(message)]
        pub fn set_market(&mut self, market: AccountId) -> Result<(), RegistryError> {
            let event = self.ownership.set_peer_once(&self.env().caller(), &mut self.market, "market", market)?;
            self.env().emit_event(event);
            Ok(())
        }

        /// The peer contracts: (market, proof verifier, randomness beacon).
        #[ink(message)]
        pub fn peers(&self) -> (Option<AccountId>, AccountId, AccountId) {
            (self.market, self.verifier, self.beacon)
        }

        /// The registry's time parameters.
        #[ink(message)]
        pub fn policy(&self) -> ProvingPolicy {
            self.policy
        }

        /// Registers the caller as a storage provider. Its first proving period starts in the
        /// next global proving period, at an offset derived from its account and the block.
        ///
        /// `peer_id`: the provider's libp2p peer id in binary form (1 to 64 bytes), where
        /// clients reach it.
        /// `window_post_proof_type`: the Window PoSt proof type of its sectors.
        #[ink(message)]
        pub fn register_storage_provider(
            &mut self,
            peer_id: Vec<u8>,
            window_post_proof_type: RegisteredPoStProof,
        ) -> Result<(), RegistryError> {
            let event = self.providers.register(
                self.env().caller(),
                self.env().block_number(),
                peer_id,
                window_post_proof_type,
                &self.policy,
            )?;
            self.env().emit_event(event);
            Ok(())
        }

        /// A registered provider: its peer id, proof type, sector size and first proving period
        /// start, or `None` if the account is not registered.
        ///
        /// `provider`: the provider's account.
        #[ink(message)]
        pub fn provider(&self, provider: AccountId) -> Option<StorageProviderRecord> {
            self.providers.get(&provider)
        }
    }

    impl StorageProviderValidation for ProviderRegistry {
        /// Whether `provider` is a registered storage provider.
        #[ink(message)]
        fn is_registered_storage_provider(&self, provider: AccountId) -> bool {
            self.providers.is_registered(&provider)
        }
    }
}
