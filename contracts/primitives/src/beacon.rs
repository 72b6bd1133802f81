//! The randomness beacon interface: the registry draws seal tickets, interactive seeds and
//! Window PoSt challenges from it (DESIGN.md, "Randomness beacon").

use crate::call::CallError;
use crate::BlockNumber;

/// Why the beacon cannot give the randomness of a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub enum BeaconError {
    /// No round ending at or after the block has been finalised yet: try again later.
    NotYetAvailable,
    /// The block is older than the history the beacon keeps.
    Pruned,
    /// The call to the beacon failed.
    Call(CallError),
}

impl From<CallError> for BeaconError {
    fn from(error: CallError) -> Self {
        BeaconError::Call(error)
    }
}

/// The randomness of a block, as the beacon contract answers it.
#[ink::trait_definition]
pub trait RandomnessBeacon {
    /// The output of the first successfully finalised round that ends at or after `block`:
    /// unknown to anyone when `block` is chosen, fixed once that round is final.
    #[ink(message)]
    fn randomness_at(&self, block: BlockNumber) -> Result<[u8; 32], BeaconError>;
}
