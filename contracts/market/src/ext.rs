//! Every call the market makes to another contract (builtin-actors' `ext.rs`). The logic reaches
//! its peers only through [`Peers`], so unit tests answer for them with a scripted fake instead
//! of a chain.

use ink::codegen::TraitCallBuilder;
use ink::env::DefaultEnvironment;
use polka_storage_primitives::call::answer;
use polka_storage_primitives::market::MarketError;
use polka_storage_primitives::registry::StorageProviderValidation;
use polka_storage_primitives::AccountId;

/// What the market asks of the provider registry.
pub trait Peers {
    /// Whether `provider` is a registered storage provider (`RegistryNotSet` before the registry
    /// is wired).
    fn is_registered_storage_provider(&self, provider: AccountId) -> Result<bool, MarketError>;
}

/// The deployed peers, called through the traits of `primitives`.
#[derive(Debug, Clone, Copy)]
pub struct ChainPeers {
    /// The provider registry, once wired.
    pub registry: Option<AccountId>,
}

impl Peers for ChainPeers {
    fn is_registered_storage_provider(&self, provider: AccountId) -> Result<bool, MarketError> {
        let registry: ink::contract_ref!(StorageProviderValidation, DefaultEnvironment) =
            self.registry.ok_or(MarketError::RegistryNotSet)?.into();
        Ok(answer(registry.call().is_registered_storage_provider(provider).try_invoke())?)
    }
}
