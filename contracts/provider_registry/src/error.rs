//! Errors of the provider registry.

use polka_storage_primitives::ownership::NotOwner;

/// Errors of the provider registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub enum RegistryError {
    /// Only the owner may do this.
    NotOwner,
    /// The market is already set; it is set only once.
    AlreadyWired,
    /// The caller is already a registered storage provider.
    StorageProviderExists,
    /// The peer id is empty or longer than 64 bytes.
    InvalidPeerId,
    /// A block number overflowed (e.g. a proving period of zero blocks).
    ArithmeticOverflow,
}

impl From<NotOwner> for RegistryError {
    fn from(_: NotOwner) -> Self {
        RegistryError::NotOwner
    }
}
