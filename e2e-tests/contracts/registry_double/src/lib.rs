//! TEST-ONLY: a stand-in for the provider registry, so that sandbox tests and the benchmark can
//! call the market's registry-only messages (`verify_deals_for_activation`, `activate_deals`,
//! `on_sectors_terminate`) as the registry would, before the registry's sector flow exists.
//!
//! It is not the provider registry and must never be deployed as one: it forwards any call from
//! anyone to the market it was created with. It answers `is_registered_storage_provider` by
//! asking the real registry, so publishing still goes through real registration.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

#[ink::contract]
mod registry_double {
    use ink::codegen::TraitCallBuilder;
    use ink::prelude::vec::Vec;
    use polka_storage_primitives::call::answer;
    use polka_storage_primitives::commitment::Commitment;
    use polka_storage_primitives::market::{Market, MarketError, SectorDeal};
    use polka_storage_primitives::registry::StorageProviderValidation;
    use polka_storage_primitives::sector::SectorNumber;

    /// The double's wiring.
    #[ink(storage)]
    pub struct RegistryDouble {
        market: AccountId,
        registry: AccountId,
    }

    impl RegistryDouble {
        /// TEST-ONLY. Creates the double.
        ///
        /// `market`: the market whose registry-only messages this double calls.
        /// `registry`: the real provider registry that answers registration checks.
        #[ink(constructor, default)]
        pub fn new(market: AccountId, registry: AccountId) -> Self {
            Self { market, registry }
        }

        fn market(&self) -> ink::contract_ref!(Market) {
            self.market.into()
        }

        /// TEST-ONLY. Calls the market's `verify_deals_for_activation` as the registry would.
        ///
        /// `provider`: the provider pre-committing the sectors.
        /// `sector_deals`: the sectors and their deals.
        #[ink(message)]
        pub fn verify_deals_for_activation(
            &self,
            provider: AccountId,
            sector_deals: Vec<SectorDeal>,
        ) -> Result<Vec<Option<Commitment>>, MarketError> {
            answer(self.market().call().verify_deals_for_activation(provider, sector_deals).try_invoke())?
        }

        /// TEST-ONLY. Calls the market's `activate_deals` as the registry would.
        ///
        /// `provider`: the provider that proved the sectors.
        /// `sector_deals`: the sectors and their deals.
        #[ink(message)]
        pub fn activate_deals(
            &mut self,
            provider: AccountId,
            sector_deals: Vec<SectorDeal>,
        ) -> Result<(), MarketError> {
            answer(self.market().call_mut().activate_deals(provider, sector_deals).try_invoke())?
        }

        /// TEST-ONLY. Calls the market's `on_sectors_terminate` as the registry would.
        ///
        /// `provider`: the provider whose sectors were terminated.
        /// `sectors`: the sector numbers.
        #[ink(message)]
        pub fn on_sectors_terminate(
            &mut self,
            provider: AccountId,
            sectors: Vec<SectorNumber>,
        ) -> Result<(), MarketError> {
            answer(self.market().call_mut().on_sectors_terminate(provider, sectors).try_invoke())?
        }
    }

    impl StorageProviderValidation for RegistryDouble {
        /// Asks the real registry.
        #[ink(message)]
        fn is_registered_storage_provider(&self, provider: AccountId) -> bool {
            let registry: ink::contract_ref!(StorageProviderValidation) = self.registry.into();
            registry
                .call()
                .is_registered_storage_provider(provider)
                .try_invoke()
                .ok()
                .and_then(Result::ok)
                .unwrap_or(false)
        }
    }
}
