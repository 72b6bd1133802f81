//! The randomness beacon: the interface consumers (the registry) call, and the types its users
//! see (DESIGN.md, "Randomness beacon"). Participants bond, commit
//! [`commitment`]`(round, participant, secret)` in a round's commit phase, reveal the secret in its
//! reveal phase, and anyone finalises the round afterwards. A round opened while the beacon knows
//! a drand chain is bound to one of its rounds, published after the round's reveal phase; once
//! anyone relays that drand round's signature, the round's output mixes its randomness in
//! (`anchored`), and a round whose drand value is not relayed in time finalises without it.

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

/// Why the beacon gives no anchored randomness for a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub enum AnchoredBeaconError {
    /// The round that answers for the block finalised without a drand value (none was relayed
    /// in time, or the beacon knew no drand chain when the round opened): its output rests on
    /// the participants' secrets alone.
    NotAnchored,
    /// The beacon has no answer for the block at all (see [`BeaconError`]).
    Beacon(BeaconError),
}

impl From<BeaconError> for AnchoredBeaconError {
    fn from(error: BeaconError) -> Self {
        AnchoredBeaconError::Beacon(error)
    }
}

impl From<CallError> for AnchoredBeaconError {
    fn from(error: CallError) -> Self {
        AnchoredBeaconError::Beacon(BeaconError::Call(error))
    }
}

/// The randomness of a block, only where drand anchored it: for consumers that insist.
#[ink::trait_definition]
pub trait AnchoredRandomnessBeacon {
    /// The same value as `randomness_at(block)`, but only if the round that answers for
    /// `block` mixed in its drand value; [`AnchoredBeaconError::NotAnchored`] otherwise.
    #[ink(message)]
    fn anchored_randomness_at(&self, block: BlockNumber) -> Result<[u8; 32], AnchoredBeaconError>;

    /// Whether the answer for `block` is anchored to drand, once the beacon has one.
    #[ink(message)]
    fn is_anchored_at(&self, block: BlockNumber) -> Result<bool, BeaconError>;
}

/// Why a message of the beacon contract was refused. Nothing changed when it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub enum RandomnessError {
    /// Only the owner may do this.
    NotOwner,
    /// The parameters are unusable: empty phases, a zero minimum bond, a penalty of zero or
    /// above the minimum bond, a minimum of reveals of zero or above its limit, a zero block
    /// time, or a history shorter than a round plus its drand timeout.
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
    /// The block timestamp reached the round's reveal cut-off (its drand round's time minus the
    /// policy margin), or its drand value was already relayed: no reveal can follow the drand
    /// value.
    RevealCutOff,
    /// Nobody committed to this round, or it was pruned from the history.
    UnknownRound,
    /// The caller already committed to this round.
    AlreadyCommitted,
    /// Someone already committed this very value in this round: commit your own hash.
    CommitmentReused,
    /// By the block timestamp, the round's reveal window (which closes before its drand round
    /// is published) would already be over when its reveal phase starts: commit to a later round.
    CommitTooLate,
    /// The caller did not commit to this round.
    NotCommitted,
    /// The caller already revealed in this round.
    AlreadyRevealed,
    /// The secret does not hash to the caller's commitment.
    BadReveal,
    /// The round is already finalised.
    AlreadyFinalised,
    /// An earlier round is not finalised yet: rounds finalise in order, finalise that one first
    /// (see `next_to_finalise`).
    EarlierRoundNotFinalised,
    /// The round waits for its drand value: relay it (`relay_drand`), or finalise it unanchored
    /// once its relay deadline has passed.
    AwaitingDrand,
    /// The beacon knows no drand chain: governance sets it with `set_drand_chain`.
    DrandNotConfigured,
    /// The drand public key is not a valid compressed G2 point, or the period is zero.
    InvalidDrandKey,
    /// No unfinalised round waits for this drand round (see `round` for the drand round each
    /// beacon round is bound to).
    DrandRoundNotAwaited,
    /// This drand round was already relayed.
    DrandAlreadyRelayed,
    /// The round's relay deadline has passed: it finalises unanchored.
    RelayTooLate,
    /// The signature is not a valid compressed G1 point.
    InvalidDrandSignature,
    /// The signature is not the drand chain's signature of this round under its public key.
    BadDrandSignature,
    /// The participant owes nothing and has nothing to settle.
    NothingToSettle,
    /// The caller's commitment is in a round whose reveal window is still open: reveal, then
    /// unbond once that window is over.
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
    /// A governance action was refused: hand-over, timelocked change or upgrade.
    Governance(crate::ownership::GovernanceError),
    /// The new round parameters would shrink the history consumers read randomness from.
    HistoryWouldShrink,
}

impl From<crate::ownership::GovernanceError> for RandomnessError {
    fn from(error: crate::ownership::GovernanceError) -> Self {
        match error {
            crate::ownership::GovernanceError::NotOwner => RandomnessError::NotOwner,
            other => RandomnessError::Governance(other),
        }
    }
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
    /// Finalised with enough reveals: its output, and whether it mixed in its drand value.
    Succeeded {
        /// The output.
        output: [u8; 32],
        /// Whether the output mixes in the round's drand value.
        anchored: bool,
    },
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
    /// What each participant who committed and did not reveal pays.
    pub penalty: Balance,
    /// Participants who committed.
    pub commits: u32,
    /// Participants who revealed.
    pub reveals: u32,
    /// XOR of `blake2_256(tag ‖ round ‖ participant ‖ secret)` over the reveals: independent of
    /// their order.
    pub accumulator: [u8; 32],
    /// The drand round it is bound to, if the beacon knew a drand chain when it opened.
    pub drand: Option<DrandBinding>,
    /// Penalties collected so far from its withholders (each is collected when the withholder
    /// next acts, or by `settle`).
    pub slashed: Balance,
    /// Open, succeeded (with its output) or failed.
    pub status: RoundStatus,
}

/// The drand round a beacon round is bound to when it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct DrandBinding {
    /// The drand round: the first one published at least the reveal margin after the beacon
    /// round's expected end.
    pub drand_round: u64,
    /// Unix time in milliseconds from which reveals are refused: the drand round's time minus
    /// the reveal margin.
    pub reveal_cutoff: u64,
    /// Last block at which its drand value may be relayed; afterwards the round finalises
    /// unanchored.
    pub relay_deadline: BlockNumber,
    /// The drand randomness (SHA-256 of the signature) once relayed.
    pub randomness: Option<[u8; 32]>,
}

/// The drand chain the beacon anchors to, as governance set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct DrandChain {
    /// The group public key: a compressed G2 point (96 bytes).
    pub public_key: [u8; 96],
    /// Unix time in seconds of drand round 1.
    pub genesis_time: u64,
    /// Seconds between drand rounds.
    pub period: u32,
}

/// How the beacon is doing, for consumers and Contracts UI.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct Liveness {
    /// The latest successful round, the block it ended at and whether it was anchored.
    pub latest_output: Option<(RoundNumber, BlockNumber, bool)>,
    /// Blocks since that round ended (all blocks since the start if none succeeded): the
    /// randomness of every block after it is not available yet.
    pub blocks_without_output: BlockNumber,
    /// The oldest round with commitments not finalised yet: the next to finalise.
    pub next_to_finalise: Option<RoundNumber>,
    /// Rounds with commitments not finalised yet.
    pub unfinalised_rounds: u32,
    /// Finalised rounds in the history that succeeded without their drand value.
    pub unanchored_outputs: u32,
    /// Whether a drand chain is set: rounds opened from now on are anchored.
    pub drand_configured: bool,
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

/// A participant's latest commitment, kept until it is settled (its penalty collected if it
/// did not reveal) when the participant next acts or anyone calls `settle`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct CommitmentInfo {
    /// The round.
    pub round: RoundNumber,
    /// The committed hash.
    pub commitment: [u8; 32],
    /// The secret, once revealed.
    pub revealed: Option<[u8; 32]>,
    /// What it costs if not revealed (the round's penalty).
    pub penalty: Balance,
}

/// The funds the beacon holds: its balance is their sum (plus the chain's existential deposit).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct BeaconTotals {
    /// Every participant's bond, active and unbonding.
    pub bonded: Balance,
    /// Penalties collected for withheld reveals: kept, never paid out.
    pub slashed: Balance,
}

/// Domain tag of the round accumulator's terms.
pub const REVEAL_DOMAIN: &[u8] = b"polka-storage/beacon/reveal/v1";

/// A reveal's term in the round accumulator: `blake2_256(REVEAL_DOMAIN ‖ SCALE(round) ‖
/// participant ‖ secret)`. The accumulator is the XOR of the terms, so it does not depend on the
/// order of the reveals.
pub fn reveal_term(round: RoundNumber, participant: &AccountId, secret: &[u8; 32]) -> [u8; 32] {
    let account: &[u8; 32] = participant.as_ref();
    blake2_256(&[REVEAL_DOMAIN, &round.to_le_bytes(), account, secret])
}

/// Domain tag of round outputs.
pub const OUTPUT_DOMAIN: &[u8] = b"polka-storage/beacon/output/v1";

/// A round's output: `blake2_256(OUTPUT_DOMAIN ‖ previous output ‖ SCALE(round) ‖ reveals
/// (4 little-endian bytes) ‖ accumulator ‖ drand randomness, if anchored)`.
pub fn round_output(
    previous: &[u8; 32],
    round: RoundNumber,
    reveals: u32,
    accumulator: &[u8; 32],
    drand: Option<&[u8; 32]>,
) -> [u8; 32] {
    let round = round.to_le_bytes();
    let reveals = reveals.to_le_bytes();
    match drand {
        Some(randomness) => blake2_256(&[OUTPUT_DOMAIN, previous, &round, &reveals, accumulator, randomness]),
        None => blake2_256(&[OUTPUT_DOMAIN, previous, &round, &reveals, accumulator]),
    }
}

/// The beacon's events. ink! 5 lists every event linked into a contract in its metadata, so they
/// are compiled only where the `beacon-events` feature asks for them (the beacon, and tools that
/// decode its events).
#[cfg(feature = "beacon-events")]
mod events {
    use super::*;
    use crate::ownership::OwnershipTransferred;
    use crate::policy::BeaconPolicy;

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

    /// Governance announced a replacement drand chain, applicable from `effective_at`.
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct DrandChainProposed {
        /// BLAKE2b-256 of the announced compressed public key.
        #[ink(topic)]
        pub key_hash: [u8; 32],
        /// Unix time in seconds of drand round 1.
        pub genesis_time: u64,
        /// Seconds between drand rounds.
        pub period: u32,
        /// The first block `apply_drand_chain` succeeds at.
        pub effective_at: BlockNumber,
    }

    /// Governance withdrew an announced drand chain.
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct DrandChainProposalCancelled {
        /// BLAKE2b-256 of the withdrawn public key.
        #[ink(topic)]
        pub key_hash: [u8; 32],
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
        /// See [`DrandChainProposed`].
        DrandChainProposed(DrandChainProposed),
        /// See [`DrandChainProposalCancelled`].
        DrandChainProposalCancelled(DrandChainProposalCancelled),
        /// See [`RoundFinalised`].
        RoundFinalised(RoundFinalised),
        /// See [`RoundFailed`].
        RoundFailed(RoundFailed),
        /// See [`Slashed`].
        Slashed(Slashed),
        /// See [`PolicyScheduled`].
        PolicyScheduled(PolicyScheduled),
        /// See [`OwnershipTransferred`].
        OwnershipTransferred(OwnershipTransferred),
    }
}
#[cfg(feature = "beacon-events")]
pub use events::*;

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
