//! The randomness beacon: the interface consumers (the registry) call, and the types its users
//! see (DESIGN.md, "Randomness beacon"). Participants bond, commit
//! [`commitment`]`(round, participant, secret)` in a round's commit phase, reveal the secret in its
//! reveal phase, and anyone finalises the round afterwards.

// `#[derive(Encode)]` of parity-scale-codec 3.7.5 casts the index of enum variants with fields
// to `u8` without allowing the lint that cargo-contract denies (parity-scale-codec#747).
#![allow(clippy::cast_possible_truncation)]

use crate::call::CallError;
use crate::hash::blake2_256;
use crate::ownership::NotOwner;
use crate::{AccountId, Balance, BlockNumber};

/// Number of a beacon round, counted from the beacon's start block.
pub type RoundNumber = u32;

/// Domain tag of commitments, so a commitment can never be mistaken for another hash of the suite.
pub const COMMITMENT_DOMAIN: &[u8] = b"polka-storage/beacon/commitment/v1";

/// What a participant commits to: `blake2_256(COMMITMENT_DOMAIN ‖ SCALE(round) ‖ participant ‖
/// secret)`. Binding the round and the participant makes a commitment useless to anyone else and
/// in any other round.
pub fn commitment(round: RoundNumber, participant: &AccountId, secret: &[u8; 32]) -> [u8; 32] {
    let account: &[u8; 32] = participant.as_ref();
    blake2_256(&[COMMITMENT_DOMAIN, &round.to_le_bytes(), account, secret])
}

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

/// Why a message of the beacon contract was refused. Nothing changed when it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub enum RandomnessError {
    /// Only the owner may do this.
    NotOwner,
    /// The parameters are unusable: empty phases, a zero minimum bond, a minimum of reveals of
    /// zero or above the participant limit, or a history shorter than a round.
    InvalidPolicy,
    /// The bond is below the minimum: bond more before committing.
    BondTooSmall,
    /// Nothing was sent or asked for: the amount must be above zero.
    ZeroAmount,
    /// The round has not started yet: commit to the current round.
    RoundNotStarted,
    /// The round is not in its commit phase (its commit phase is over).
    NotCommitPhase,
    /// The round is not in its reveal phase (too early or too late).
    NotRevealPhase,
    /// The round's reveal phase is not over yet: finalise it afterwards.
    RevealPhaseNotOver,
    /// Nobody committed to this round, or it was pruned from the history.
    UnknownRound,
    /// The caller already committed to this round.
    AlreadyCommitted,
    /// Someone already committed this very value in this round: commit your own hash.
    CommitmentReused,
    /// The round already has the most participants a round may have.
    RoundFull,
    /// The caller did not commit to this round.
    NotCommitted,
    /// The caller already revealed in this round.
    AlreadyRevealed,
    /// The secret does not hash to the caller's commitment.
    BadReveal,
    /// The round is already finalised.
    AlreadyFinalised,
    /// The caller is committed to the round not yet finalised: wait for its finalisation
    /// (anyone may call `finalise` once its reveal phase is over).
    CommittedToOpenRound,
    /// The amount is more than the caller's active bond.
    UnbondExceedsBond,
    /// There is no unbonded amount to withdraw.
    NothingToWithdraw,
    /// The unbonding delay has not passed yet.
    UnbondNotDue,
    /// A sum overflowed.
    Overflow,
    /// The chain refused the payout.
    TransferFailed,
}

impl From<NotOwner> for RandomnessError {
    fn from(_: NotOwner) -> Self {
        RandomnessError::NotOwner
    }
}

/// The phase a round is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub enum RoundPhase {
    /// Bonded participants commit.
    Commit,
    /// Participants who committed reveal their secrets.
    Reveal,
}

/// The round in progress at a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct CurrentRound {
    /// Its number.
    pub round: RoundNumber,
    /// Its phase at the block.
    pub phase: RoundPhase,
    /// First block of its commit phase.
    pub commit_starts: BlockNumber,
    /// First block of its reveal phase.
    pub reveal_starts: BlockNumber,
    /// Last block of its reveal phase.
    pub ends: BlockNumber,
}

/// How a round turned out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub enum RoundStatus {
    /// Not finalised yet.
    Open,
    /// Finalised with enough reveals: its output.
    Succeeded([u8; 32]),
    /// Finalised with too few reveals: no output; consumers use the next successful round.
    Failed,
}

/// The state of a round that had commitments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct RoundInfo {
    /// Its number.
    pub round: RoundNumber,
    /// First block of its commit phase.
    pub commit_starts: BlockNumber,
    /// First block of its reveal phase.
    pub reveal_starts: BlockNumber,
    /// Last block of its reveal phase; it may be finalised from the next block on.
    pub ends: BlockNumber,
    /// Fewest reveals for it to produce an output.
    pub min_reveals: u32,
    /// Participants who committed.
    pub commits: u32,
    /// Participants who revealed.
    pub reveals: u32,
    /// Bonds taken from the participants who did not reveal.
    pub slashed: Balance,
    /// Open, succeeded (with its output) or failed.
    pub status: RoundStatus,
}

/// Bonded funds being withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct PendingUnbond {
    /// The amount.
    pub amount: Balance,
    /// First block at which it may be withdrawn.
    pub release_at: BlockNumber,
}

/// A participant's funds in the beacon.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct BondInfo {
    /// The bond at stake: it allows committing, and is lost for a commitment not revealed.
    pub active: Balance,
    /// Funds asked back and waiting for the unbonding delay; no longer at stake.
    pub unbonding: Option<PendingUnbond>,
}

/// A participant's commitment in a round not yet finalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct CommitmentInfo {
    /// The committed hash.
    pub commitment: [u8; 32],
    /// The secret, once revealed.
    pub revealed: Option<[u8; 32]>,
}

/// The funds the beacon holds: its balance is their sum (plus the chain's existential deposit).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct BeaconTotals {
    /// Every participant's bond, active and unbonding.
    pub bonded: Balance,
    /// Bonds slashed for withheld reveals: kept, never paid out.
    pub slashed: Balance,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commitment_binds_round_participant_and_secret() {
        let alice = AccountId::from([1; 32]);
        let bob = AccountId::from([2; 32]);
        let secret = [7u8; 32];
        let base = commitment(3, &alice, &secret);
        assert_eq!(base, blake2_256(&[COMMITMENT_DOMAIN, &[3, 0, 0, 0], &[1; 32], &[7; 32]]));
        assert_ne!(base, commitment(4, &alice, &secret));
        assert_ne!(base, commitment(3, &bob, &secret));
        assert_ne!(base, commitment(3, &alice, &[8u8; 32]));
    }
}
