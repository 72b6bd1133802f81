//! Governance of a contract: one owner account (later a multisig) that sets keys, parameters
//! and wiring, and may hand the role over.

use crate::AccountId;

/// The caller is not the owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotOwner;

/// Why a peer address was not set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerError {
    /// The caller is not the owner.
    NotOwner,
    /// The peer is already set; it is set only once.
    AlreadyWired,
}

/// The owner of a contract, kept in its storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct Ownership {
    owner: AccountId,
}

impl Ownership {
    /// `owner` governs the contract.
    pub const fn new(owner: AccountId) -> Self {
        Self { owner }
    }

    /// The current owner.
    pub const fn owner(&self) -> AccountId {
        self.owner
    }

    /// Fails unless `caller` is the owner.
    pub fn ensure_owner(&self, caller: &AccountId) -> Result<(), NotOwner> {
        if *caller == self.owner {
            Ok(())
        } else {
            Err(NotOwner)
        }
    }

    /// Hands the role to `new_owner` if `caller` is the owner.
    pub fn transfer(&mut self, caller: &AccountId, new_owner: AccountId) -> Result<OwnershipTransferred, NotOwner> {
        self.ensure_owner(caller)?;
        let previous = core::mem::replace(&mut self.owner, new_owner);
        Ok(OwnershipTransferred { previous, new_owner })
    }

    /// Sets the peer `slot` (of `role`, e.g. "market") to `address` once, if `caller` is the
    /// owner; returns the event to emit.
    pub fn set_peer_once(
        &self,
        caller: &AccountId,
        slot: &mut Option<AccountId>,
        role: &str,
        address: AccountId,
    ) -> Result<PeerSet, PeerError> {
        self.ensure_owner(caller).map_err(|NotOwner| PeerError::NotOwner)?;
        if slot.is_some() {
            return Err(PeerError::AlreadyWired);
        }
        *slot = Some(address);
        Ok(PeerSet { role: role_topic(role), address })
    }
}

/// The owner of the contract changed.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnershipTransferred {
    /// The previous owner.
    #[ink(topic)]
    pub previous: AccountId,
    /// The new owner.
    #[ink(topic)]
    pub new_owner: AccountId,
}

/// A peer contract's address was set.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerSet {
    /// Which peer: "market", "provider_registry", "proof_verifier" or "randomness".
    #[ink(topic)]
    pub role: [u8; 32],
    /// Its address.
    #[ink(topic)]
    pub address: AccountId,
}

/// The 32-byte topic form of a peer role name, for [`PeerSet`].
pub fn role_topic(role: &str) -> [u8; 32] {
    let mut topic = [0u8; 32];
    let len = role.len().min(32);
    topic[..len].copy_from_slice(&role.as_bytes()[..len]);
    topic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_owner_may_transfer() {
        let alice = AccountId::from([1; 32]);
        let bob = AccountId::from([2; 32]);
        let mut ownership = Ownership::new(alice);
        assert_eq!(ownership.transfer(&bob, bob), Err(NotOwner));
        assert_eq!(ownership.owner(), alice);
        let event = ownership.transfer(&alice, bob).unwrap();
        assert_eq!(event, OwnershipTransferred { previous: alice, new_owner: bob });
        assert!(ownership.ensure_owner(&bob).is_ok());
        assert_eq!(ownership.ensure_owner(&alice), Err(NotOwner));
    }
}
