//! A bonded commit-reveal randomness beacon: the seal tickets, interactive seeds and Window PoSt
//! challenges of the provider registry are drawn from its round outputs.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

#[ink::contract]
mod randomness {
    use polka_storage_primitives::beacon::{BeaconError, RandomnessBeacon};
    use polka_storage_primitives::ownership::{NotOwner, Ownership};
    use polka_storage_primitives::policy::BeaconPolicy;

    /// Errors of the beacon's own messages.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
    #[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
    pub enum Error {
        /// Only the owner may do this.
        NotOwner,
    }

    impl From<NotOwner> for Error {
        fn from(_: NotOwner) -> Self {
            Error::NotOwner
        }
    }

    /// The beacon's state.
    #[ink(storage)]
    pub struct Randomness {
        ownership: Ownership,
        policy: BeaconPolicy,
    }

    impl Randomness {
        /// Creates the beacon with the production round parameters.
        #[ink(constructor, default)]
        pub fn new() -> Self {
            Self::with_policy(BeaconPolicy::PRODUCTION)
        }

        /// Creates the beacon with explicit round parameters (e.g. `BeaconPolicy::FAST`).
        ///
        /// `policy`: phase lengths in blocks, minimum bond and reveals, unbonding delay.
        #[ink(constructor)]
        pub fn with_policy(policy: BeaconPolicy) -> Self {
            Self { ownership: Ownership::new(Self::env().caller()), policy }
        }

        /// The account that governs the beacon.
        #[ink(message)]
        pub fn owner(&self) -> AccountId {
            self.ownership.owner()
        }

        /// Hands governance to `new_owner`. Owner only.
        ///
        /// `new_owner`: the account that governs the beacon from now on.
        #[ink(message)]
        pub fn transfer_ownership(&mut self, new_owner: AccountId) -> Result<(), Error> {
            let event = self.ownership.transfer(&self.env().caller(), new_owner)?;
            self.env().emit_event(event);
            Ok(())
        }

        /// The beacon's round parameters.
        #[ink(message)]
        pub fn policy(&self) -> BeaconPolicy {
            self.policy
        }
    }

    impl Default for Randomness {
        fn default() -> Self {
            Self::new()
        }
    }

    impl RandomnessBeacon for Randomness {
        /// The randomness of `block`: the output of the first finalised round ending at or after it.
        #[ink(message)]
        fn randomness_at(&self, _block: BlockNumber) -> Result<[u8; 32], BeaconError> {
            Err(BeaconError::NotYetAvailable)
        }
    }
}
