//! Governance of a contract: one owner account (later a multisig) that sets keys, parameters
//! and wiring, and may hand the role over.

use crate::policy::GOVERNANCE_DELAY;
use crate::{AccountId, BlockNumber};

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

/// Why a governance action (ownership hand-over, code upgrade, timelocked change) was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub enum GovernanceError {
    /// The caller is not the owner.
    NotOwner,
    /// The zero account was proposed: nobody holds its key, governance would be lost.
    ZeroAddress,
    /// The caller is not the proposed owner (or no hand-over is proposed).
    NotProposedOwner,
    /// Nothing is proposed to apply or cancel.
    NothingPending,
    /// The change is announced but its delay has not passed yet (see its `effective_at`).
    NotDue,
    /// A block number overflowed.
    Overflow,
    /// The chain refused the new code hash (no code uploaded under it).
    CodeNotFound,
}

impl From<NotOwner> for GovernanceError {
    fn from(_: NotOwner) -> Self {
        GovernanceError::NotOwner
    }
}

/// A change announced by governance that takes effect at `effective_at` unless cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct Pending<T> {
    /// What takes effect.
    pub value: T,
    /// The block it was proposed at.
    pub proposed_at: BlockNumber,
    /// The first block it may be applied at.
    pub effective_at: BlockNumber,
}

impl<T> Pending<T> {
    /// `value` proposed at `now`, due `delay` blocks later.
    pub fn new(value: T, now: BlockNumber, delay: BlockNumber) -> Result<Self, GovernanceError> {
        let effective_at = now.checked_add(delay).ok_or(GovernanceError::Overflow)?;
        Ok(Self { value, proposed_at: now, effective_at })
    }

    /// Fails with `NotDue` before `effective_at`.
    pub fn ensure_due(&self, now: BlockNumber) -> Result<(), GovernanceError> {
        if now >= self.effective_at {
            Ok(())
        } else {
            Err(GovernanceError::NotDue)
        }
    }
}

/// The owner of a contract, kept in its storage, with the hand-over and the code upgrade in
/// progress and the delay every replacement of a trusted value waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct Ownership {
    owner: AccountId,
    /// The account that may accept governance (two-step hand-over).
    proposed_owner: Option<AccountId>,
    /// A code hash announced for `set_code_hash`.
    pending_code: Option<Pending<[u8; 32]>>,
    /// Blocks between announcing a replacement (key, code) and the first block it may apply.
    delay: BlockNumber,
}

impl Ownership {
    /// `owner` governs the contract; replacements wait [`GOVERNANCE_DELAY`].
    pub const fn new(owner: AccountId) -> Self {
        Self::with_delay(owner, GOVERNANCE_DELAY)
    }

    /// `owner` governs the contract; replacements wait `delay` blocks.
    pub const fn with_delay(owner: AccountId, delay: BlockNumber) -> Self {
        Self { owner, proposed_owner: None, pending_code: None, delay }
    }

    /// The current owner.
    pub const fn owner(&self) -> AccountId {
        self.owner
    }

    /// Blocks a replacement waits between its announcement and its effect.
    pub const fn delay(&self) -> BlockNumber {
        self.delay
    }

    /// The account proposed as the next owner, if a hand-over is in progress.
    pub const fn proposed_owner(&self) -> Option<AccountId> {
        self.proposed_owner
    }

    /// Fails unless `caller` is the owner.
    pub fn ensure_owner(&self, caller: &AccountId) -> Result<(), NotOwner> {
        if *caller == self.owner {
            Ok(())
        } else {
            Err(NotOwner)
        }
    }

    /// Step one of a hand-over: the owner `caller` proposes `new_owner`, who must accept.
    /// Replaces an earlier proposal. The zero account is refused.
    pub fn propose_owner(
        &mut self,
        caller: &AccountId,
        new_owner: AccountId,
    ) -> Result<OwnershipProposed, GovernanceError> {
        self.ensure_owner(caller)?;
        if new_owner == AccountId::from([0u8; 32]) {
            return Err(GovernanceError::ZeroAddress);
        }
        self.proposed_owner = Some(new_owner);
        Ok(OwnershipProposed { owner: self.owner, proposed: new_owner })
    }

    /// Step two: the proposed owner `caller` takes the role.
    pub fn accept_ownership(&mut self, caller: &AccountId) -> Result<OwnershipTransferred, GovernanceError> {
        if self.proposed_owner != Some(*caller) {
            return Err(GovernanceError::NotProposedOwner);
        }
        self.proposed_owner = None;
        let previous = core::mem::replace(&mut self.owner, *caller);
        Ok(OwnershipTransferred { previous, new_owner: *caller })
    }

    /// The owner `caller` withdraws the proposed hand-over.
    pub fn cancel_owner_proposal(&mut self, caller: &AccountId) -> Result<OwnershipProposalCancelled, GovernanceError> {
        self.ensure_owner(caller)?;
        let proposed = self.proposed_owner.take().ok_or(GovernanceError::NothingPending)?;
        Ok(OwnershipProposalCancelled { owner: self.owner, proposed })
    }

    /// The code hash announced for an upgrade, with when it may be applied.
    pub const fn pending_code_hash(&self) -> Option<Pending<[u8; 32]>> {
        self.pending_code
    }

    /// The owner `caller` announces an upgrade to `code_hash` at `now`; it may be applied after
    /// the delay. Replaces an earlier announcement (whose delay does not carry over).
    pub fn propose_code_hash(
        &mut self,
        caller: &AccountId,
        code_hash: [u8; 32],
        now: BlockNumber,
    ) -> Result<CodeHashProposed, GovernanceError> {
        self.ensure_owner(caller)?;
        let pending = Pending::new(code_hash, now, self.delay)?;
        self.pending_code = Some(pending);
        Ok(CodeHashProposed { code_hash, effective_at: pending.effective_at })
    }

    /// The owner `caller` takes the announced code hash once due; the contract then calls
    /// `set_code_hash` with it (and reverts everything if that fails).
    pub fn take_due_code_hash(
        &mut self,
        caller: &AccountId,
        now: BlockNumber,
    ) -> Result<([u8; 32], CodeHashApplied), GovernanceError> {
        self.ensure_owner(caller)?;
        let pending = self.pending_code.ok_or(GovernanceError::NothingPending)?;
        pending.ensure_due(now)?;
        self.pending_code = None;
        Ok((pending.value, CodeHashApplied { code_hash: pending.value }))
    }

    /// The owner `caller` withdraws the announced upgrade.
    pub fn cancel_code_hash(&mut self, caller: &AccountId) -> Result<CodeHashCancelled, GovernanceError> {
        self.ensure_owner(caller)?;
        let pending = self.pending_code.take().ok_or(GovernanceError::NothingPending)?;
        Ok(CodeHashCancelled { code_hash: pending.value })
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

/// The owner proposed a new owner, who must accept (`accept_ownership`).
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnershipProposed {
    /// The current owner.
    #[ink(topic)]
    pub owner: AccountId,
    /// The account that may accept.
    #[ink(topic)]
    pub proposed: AccountId,
}

/// The owner withdrew a proposed hand-over.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnershipProposalCancelled {
    /// The owner.
    #[ink(topic)]
    pub owner: AccountId,
    /// The account that may no longer accept.
    #[ink(topic)]
    pub proposed: AccountId,
}

/// The owner announced a code upgrade, applicable from `effective_at`.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeHashProposed {
    /// The code hash the contract will run.
    #[ink(topic)]
    pub code_hash: [u8; 32],
    /// The first block `apply_code_hash` succeeds at.
    pub effective_at: BlockNumber,
}

/// The contract now runs new code.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeHashApplied {
    /// The code hash the contract runs.
    #[ink(topic)]
    pub code_hash: [u8; 32],
}

/// The owner withdrew an announced upgrade.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeHashCancelled {
    /// The code hash that will not be applied.
    #[ink(topic)]
    pub code_hash: [u8; 32],
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
    fn ownership_moves_in_two_steps() {
        let alice = AccountId::from([1; 32]);
        let bob = AccountId::from([2; 32]);
        let carol = AccountId::from([3; 32]);
        let mut ownership = Ownership::new(alice);
        assert_eq!(ownership.propose_owner(&bob, bob), Err(GovernanceError::NotOwner));
        assert_eq!(ownership.propose_owner(&alice, AccountId::from([0; 32])), Err(GovernanceError::ZeroAddress));
        assert_eq!(ownership.accept_ownership(&bob), Err(GovernanceError::NotProposedOwner));
        assert_eq!(ownership.cancel_owner_proposal(&alice), Err(GovernanceError::NothingPending));
        assert_eq!(ownership.propose_owner(&alice, bob), Ok(OwnershipProposed { owner: alice, proposed: bob }));
        // Proposing moves nothing: alice still governs, and only bob may accept.
        assert_eq!(ownership.owner(), alice);
        assert_eq!(ownership.proposed_owner(), Some(bob));
        assert_eq!(ownership.accept_ownership(&carol), Err(GovernanceError::NotProposedOwner));
        assert_eq!(ownership.cancel_owner_proposal(&bob), Err(GovernanceError::NotOwner));
        assert_eq!(
            ownership.cancel_owner_proposal(&alice),
            Ok(OwnershipProposalCancelled { owner: alice, proposed: bob })
        );
        assert_eq!(ownership.accept_ownership(&bob), Err(GovernanceError::NotProposedOwner));
        ownership.propose_owner(&alice, bob).unwrap();
        assert_eq!(ownership.accept_ownership(&bob), Ok(OwnershipTransferred { previous: alice, new_owner: bob }));
        assert_eq!(ownership.owner(), bob);
        assert_eq!(ownership.proposed_owner(), None);
        // The previous owner has no power left.
        assert_eq!(ownership.propose_owner(&alice, alice), Err(GovernanceError::NotOwner));
    }

    #[test]
    fn code_upgrades_wait_the_delay_and_can_be_cancelled() {
        let alice = AccountId::from([1; 32]);
        let bob = AccountId::from([2; 32]);
        let mut ownership = Ownership::with_delay(alice, 10);
        assert_eq!(ownership.propose_code_hash(&bob, [7; 32], 5), Err(GovernanceError::NotOwner));
        assert_eq!(ownership.take_due_code_hash(&alice, 5), Err(GovernanceError::NothingPending));
        let event = ownership.propose_code_hash(&alice, [7; 32], 5).unwrap();
        assert_eq!(event, CodeHashProposed { code_hash: [7; 32], effective_at: 15 });
        assert_eq!(ownership.pending_code_hash(), Some(Pending { value: [7; 32], proposed_at: 5, effective_at: 15 }));
        assert_eq!(ownership.take_due_code_hash(&alice, 14), Err(GovernanceError::NotDue));
        assert_eq!(ownership.take_due_code_hash(&bob, 15), Err(GovernanceError::NotOwner));
        assert_eq!(ownership.cancel_code_hash(&bob), Err(GovernanceError::NotOwner));
        assert_eq!(ownership.cancel_code_hash(&alice), Ok(CodeHashCancelled { code_hash: [7; 32] }));
        assert_eq!(ownership.take_due_code_hash(&alice, 15), Err(GovernanceError::NothingPending));
        ownership.propose_code_hash(&alice, [8; 32], 20).unwrap();
        assert_eq!(ownership.take_due_code_hash(&alice, 30), Ok(([8; 32], CodeHashApplied { code_hash: [8; 32] })));
        assert_eq!(ownership.pending_code_hash(), None);
        assert_eq!(Ownership::new(alice).delay(), GOVERNANCE_DELAY);
        assert_eq!(
            Ownership::with_delay(alice, BlockNumber::MAX).propose_code_hash(&alice, [1; 32], 1),
            Err(GovernanceError::Overflow)
        );
    }
}
