//! The storage market: balances, client-signed deals published by providers, activation,
//! payment settlement and slashing (the market pallet of spec §2.1).
#![cfg_attr(not(feature = "std"), no_std, no_main)]

#[ink::contract]
mod market {
    use ink::prelude::vec::Vec;
    use polka_storage_primitives::commitment::Commitment;
    use polka_storage_primitives::market::{Market as MarketTrait, MarketError, SectorDeal};
    use polka_storage_primitives::ownership::{role_topic, Ownership, PeerSet};
    use polka_storage_primitives::policy::MarketPolicy;
    use polka_storage_primitives::sector::SectorNumber;

    /// The market's state.
    #[ink(storage)]
    pub struct Market {
        ownership: Ownership,
        registry: Option<AccountId>,
        policy: MarketPolicy,
    }


    impl Market {
        /// Creates the market with the production deal durations.
        ///
        /// `registry`: the provider registry contract, if it already exists; otherwise the owner
        /// sets it once with `set_registry`.
        #[ink(constructor, default)]
        pub fn new(registry: Option<AccountId>) -> Self {
            Self::with_policy(registry, MarketPolicy::PRODUCTION)
        }

        /// Creates the market with explicit parameters (e.g. `MarketPolicy::FAST` for tests).
        ///
        /// `registry`: the provider registry contract, if it already exists.
        /// `policy`: shortest and longest deal durations in blocks.
        #[ink(constructor)]
        pub fn with_policy(registry: Option<AccountId>, policy: MarketPolicy) -> Self {
            Self { ownership: Ownership::new(Self::env().caller()), registry, policy }
        }

        /// The account that governs the market.
        #[ink(message)]
        pub fn owner(&self) -> AccountId {
            self.ownership.owner()
        }

        /// Hands governance to `new_owner`. Owner only.
        ///
        /// `new_owner`: the account that governs the market from now on.
        #[ink(message)]
        pub fn transfer_ownership(&mut self, new_owner: AccountId) -> Result<(), MarketError> {
            let event = self.ownership.transfer(&self.env().caller(), new_owner)?;
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
            self.ownership.ensure_owner(&self.env().caller())?;
            if self.registry.is_some() {
                return Err(MarketError::AlreadyWired);
            }
            self.registry = Some(registry);
            self.env().emit_event(PeerSet { role: role_topic("provider_registry"), address: registry });
            Ok(())
        }

        /// The market's parameters.
        #[ink(message)]
        pub fn policy(&self) -> MarketPolicy {
            self.policy
        }
    }

    impl MarketTrait for Market {
        /// Checks the deals of each sector and returns each sector's CommD. Registry only.
        #[ink(message)]
        fn verify_deals_for_activation(
            &self,
            _provider: AccountId,
            _sector_deals: Vec<SectorDeal>,
        ) -> Result<Vec<Option<Commitment>>, MarketError> {
            Err(MarketError::InvalidCaller)
        }

        /// Activates the deals of proven sectors. Registry only.
        #[ink(message)]
        fn activate_deals(
            &mut self,
            _provider: AccountId,
            _sector_deals: Vec<SectorDeal>,
        ) -> Result<(), MarketError> {
            Err(MarketError::InvalidCaller)
        }

        /// Settles the deals of terminated sectors. Registry only.
        #[ink(message)]
        fn on_sectors_terminate(
            &mut self,
            _provider: AccountId,
            _sectors: Vec<SectorNumber>,
        ) -> Result<(), MarketError> {
            Err(MarketError::InvalidCaller)
        }
    }
}
