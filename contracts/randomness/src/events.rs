//! The beacon's events. The logic returns them as [`Event`] values; the contract emits them.

use ink::primitives::AccountId;
use polka_storage_primitives::beacon::RoundNumber;
use polka_storage_primitives::policy::BeaconPolicy;
use polka_storage_primitives::{Balance, BlockNumber};

/// A participant added to its bond.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bonded {
    /// Who bonded.
    #[ink(topic)]
    pub participant: AccountId,
    /// The amount added.
    pub amount: Balance,
    /// The participant's active bond afterwards.
    pub active: Balance,
}

/// A participant asked for part of its bond back.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnbondRequested {
    /// Who unbonds.
    #[ink(topic)]
    pub participant: AccountId,
    /// The amount taken out of the active bond.
    pub amount: Balance,
    /// First block at which everything unbonding may be withdrawn.
    pub release_at: BlockNumber,
}

/// Unbonded funds were paid out.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawn {
    /// Who was paid.
    #[ink(topic)]
    pub participant: AccountId,
    /// The amount paid.
    pub amount: Balance,
}

/// A participant committed to a round.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    /// The round.
    #[ink(topic)]
    pub round: RoundNumber,
    /// Who committed.
    #[ink(topic)]
    pub participant: AccountId,
    /// The committed hash.
    pub commitment: [u8; 32],
}

/// A participant revealed its secret.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revealed {
    /// The round.
    #[ink(topic)]
    pub round: RoundNumber,
    /// Who revealed.
    #[ink(topic)]
    pub participant: AccountId,
    /// The secret.
    pub secret: [u8; 32],
}

/// A round was finalised with enough reveals and produced its output.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundFinalised {
    /// The round.
    #[ink(topic)]
    pub round: RoundNumber,
    /// Its output: the randomness of every block from the previous successful round's end on.
    pub output: [u8; 32],
    /// Participants who committed.
    pub commits: u32,
    /// Participants who revealed.
    pub reveals: u32,
}

/// A round was finalised with too few reveals: it has no output.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundFailed {
    /// The round.
    #[ink(topic)]
    pub round: RoundNumber,
    /// Participants who committed.
    pub commits: u32,
    /// Participants who revealed.
    pub reveals: u32,
    /// Reveals it needed.
    pub min_reveals: u32,
}

/// A participant who committed and did not reveal lost its active bond.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slashed {
    /// The round it did not reveal in.
    #[ink(topic)]
    pub round: RoundNumber,
    /// Who lost its bond.
    #[ink(topic)]
    pub participant: AccountId,
    /// The amount, added to the beacon's slashed total.
    pub amount: Balance,
}

/// New parameters were scheduled; they apply from a round that has not started yet.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyScheduled {
    /// The first round with the new parameters.
    #[ink(topic)]
    pub from_round: RoundNumber,
    /// The block that round starts at.
    pub from_block: BlockNumber,
    /// The new parameters.
    pub policy: BeaconPolicy,
}

/// Any event of the beacon's logic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// See [`Bonded`].
    Bonded(Bonded),
    /// See [`UnbondRequested`].
    UnbondRequested(UnbondRequested),
    /// See [`Withdrawn`].
    Withdrawn(Withdrawn),
    /// See [`Committed`].
    Committed(Committed),
    /// See [`Revealed`].
    Revealed(Revealed),
    /// See [`RoundFinalised`].
    RoundFinalised(RoundFinalised),
    /// See [`RoundFailed`].
    RoundFailed(RoundFailed),
    /// See [`Slashed`].
    Slashed(Slashed),
    /// See [`PolicyScheduled`].
    PolicyScheduled(PolicyScheduled),
}
