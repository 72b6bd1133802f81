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

/// A round got its first commitment: it is open, and bound to a drand round if the beacon knows
/// a drand chain.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundOpened {
    /// The round.
    #[ink(topic)]
    pub round: RoundNumber,
    /// The drand round whose value it waits for (relay it with `relay_drand`).
    pub drand_round: Option<u64>,
    /// Unix time in milliseconds from which its reveals are refused.
    pub reveal_cutoff: Option<u64>,
    /// Last block at which its drand value may be relayed.
    pub relay_deadline: Option<BlockNumber>,
}

/// Someone relayed a beacon round's drand value and the contract verified its signature.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrandRelayed {
    /// The beacon round bound to it.
    #[ink(topic)]
    pub round: RoundNumber,
    /// The drand round.
    #[ink(topic)]
    pub drand_round: u64,
    /// Its randomness: SHA-256 of the signature.
    pub randomness: [u8; 32],
}

/// Governance set the drand chain rounds are anchored to from now on.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrandChainSet {
    /// BLAKE2b-256 of the compressed public key.
    #[ink(topic)]
    pub key_hash: [u8; 32],
    /// Unix time in seconds of drand round 1.
    pub genesis_time: u64,
    /// Seconds between drand rounds.
    pub period: u32,
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
    /// Whether the output mixes in the round's drand value.
    pub anchored: bool,
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

/// A participant who committed and did not reveal paid the round's penalty from its bond
/// (collected when it next acted, or by `settle`).
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slashed {
    /// The round it did not reveal in.
    #[ink(topic)]
    pub round: RoundNumber,
    /// Who paid.
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
    /// See [`RoundOpened`].
    RoundOpened(RoundOpened),
    /// See [`DrandRelayed`].
    DrandRelayed(DrandRelayed),
    /// See [`DrandChainSet`].
    DrandChainSet(DrandChainSet),
    /// See [`RoundFinalised`].
    RoundFinalised(RoundFinalised),
    /// See [`RoundFailed`].
    RoundFailed(RoundFailed),
    /// See [`Slashed`].
    Slashed(Slashed),
    /// See [`PolicyScheduled`].
    PolicyScheduled(PolicyScheduled),
}
