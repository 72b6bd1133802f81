//! Provider registry types (spec §3.3), its errors and events, and the check the market calls
//! it for.

// The SCALE derive of enums with fields casts variant indices to `u8` (see `sector`).
#![allow(clippy::cast_possible_truncation)]

use crate::beacon::{AnchoredBeaconError, BeaconError};
use crate::call::CallError;
use crate::commitment::CidError;
use crate::market::MarketError;
use crate::ownership::{NotOwner, PeerError};
use crate::proofs::ProofError;
use crate::sector::{RegisteredPoStProof, RegisteredSealProof, SectorNumber};
use crate::{AccountId, Balance, BlockNumber, DealId};
use alloc::vec::Vec;

/// A sector the provider has sealed and commits to prove.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct SectorPreCommitInfo {
    /// The seal proof type the sector was sealed with.
    pub seal_proof: RegisteredSealProof,
    /// The sector number (unique per provider).
    pub sector_number: SectorNumber,
    /// CommR as a binary CID (codec 0xf102, multihash 0xb401, 40 bytes).
    pub sealed_cid: Vec<u8>,
    /// The block whose beacon randomness made the seal ticket.
    pub seal_randomness_height: BlockNumber,
    /// The deals stored in the sector, in piece order.
    pub deal_ids: Vec<DealId>,
    /// The block the sector expires at.
    pub expiration: BlockNumber,
    /// CommD as a binary CID (codec 0xf101, multihash 0x1012, 39 bytes).
    pub unsealed_cid: Vec<u8>,
}

/// A pre-commit as the registry keeps it until the sector is proven or the pre-commit expires.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct SectorPreCommitOnChainInfo {
    /// What the provider pre-committed.
    pub info: SectorPreCommitInfo,
    /// Collateral locked for it; returned at prove-commit, slashed on expiry.
    pub pre_commit_deposit: Balance,
    /// The block it was pre-committed in; the interactive seed is drawn for this block plus
    /// `pre_commit_challenge_delay`, and it expires at this block plus
    /// `max_prove_commit_duration`.
    pub pre_commit_block: BlockNumber,
    /// The seal ticket drawn at pre-commit (kept, so pruning the beacon cannot strand it).
    pub seal_ticket: [u8; 32],
}

/// A proven sector.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct SectorOnChainInfo {
    /// The sector number.
    pub sector_number: SectorNumber,
    /// The seal proof type.
    pub seal_proof: RegisteredSealProof,
    /// CommR as a binary CID.
    pub sealed_cid: Vec<u8>,
    /// CommD as a binary CID.
    pub unsealed_cid: Vec<u8>,
    /// The deals stored in the sector, in piece order.
    pub deal_ids: Vec<DealId>,
    /// The block the sector was proven in.
    pub activation: BlockNumber,
    /// The block the sector expires at.
    pub expiration: BlockNumber,
    /// Collateral locked for the sector's life.
    pub initial_pledge: Balance,
    /// The deadline whose challenge window proves it.
    pub deadline: u32,
    /// Its partition within that deadline.
    pub partition: u32,
}

/// Where a proven sector went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct ProveCommitResult {
    /// The sector.
    pub sector_number: SectorNumber,
    /// The deadline it is proven in.
    pub deadline: u32,
    /// Its partition within the deadline.
    pub partition: u32,
}

/// A PoRep proof for a pre-committed sector.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct ProveCommitSector {
    /// The pre-committed sector.
    pub sector_number: SectorNumber,
    /// The 192-byte Groth16 proof.
    pub proof: Vec<u8>,
}

/// A Window PoSt proof.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct PoStProof {
    /// The PoSt proof type (the provider's).
    pub post_proof: RegisteredPoStProof,
    /// The 192-byte Groth16 proof.
    pub proof_bytes: Vec<u8>,
}

/// A Window PoSt for some partitions of the open deadline.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct SubmitWindowedPoStParams {
    /// Index of the open deadline.
    pub deadline: u32,
    /// The partitions this proof covers.
    pub partitions: Vec<u32>,
    /// The proof.
    pub proof: PoStProof,
}

/// Sectors of one partition of one deadline: what a fault, recovery or termination declares.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct SectorDeclaration {
    /// Deadline index.
    pub deadline: u32,
    /// Partition number within the deadline.
    pub partition: u32,
    /// The sectors, each in that partition.
    pub sectors: Vec<SectorNumber>,
}

/// Sectors declared faulty.
pub type FaultDeclaration = SectorDeclaration;
/// Faulty sectors declared recovered.
pub type RecoveryDeclaration = SectorDeclaration;
/// Sectors to terminate.
pub type TerminationDeclaration = SectorDeclaration;

/// What the market asks of the provider registry.
#[ink::trait_definition]
pub trait StorageProviderValidation {
    /// Whether `provider` is a registered storage provider.
    #[ink(message)]
    fn is_registered_storage_provider(&self, provider: AccountId) -> bool;
}

pub use crate::policy::MAX_PEER_ID_LEN;

/// What a provider registered with (spec §3.3 `StorageProviderInfo`).
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct StorageProviderInfo {
    /// The provider's libp2p peer id (binary multihash), where clients reach it.
    pub peer_id: Vec<u8>,
    /// The Window PoSt proof type its sectors are proven with.
    pub window_post_proof_type: RegisteredPoStProof,
    /// Bytes per sector.
    pub sector_size: u64,
    /// Sectors per partition of a deadline.
    pub window_post_partition_sectors: u64,
}

/// A provider's collateral in the registry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct Collateral {
    /// Withdrawable, and what deposits and pledges are locked from.
    pub free: Balance,
    /// Pre-commit deposits of sectors not yet proven.
    pub pre_commit_deposits: Balance,
    /// Initial pledges of proven sectors.
    pub initial_pledges: Balance,
    /// Fees the collateral could not cover: repaid first by `add_collateral`; while any is
    /// owed, nothing can be withdrawn or pre-committed.
    pub fee_debt: Balance,
}

impl Collateral {
    /// Locked collateral: pre-commit deposits plus initial pledges.
    pub fn locked(&self) -> Option<Balance> {
        self.pre_commit_deposits.checked_add(self.initial_pledges)
    }
}

/// Sectors of one deadline of a provider: how many are live (not terminated) and how many were
/// ever assigned (partitions fill in order, so partitions = ⌈total / partition size⌉).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct DeadlineLoad {
    /// Sectors not terminated.
    pub live_sectors: u32,
    /// Sectors ever assigned.
    pub total_sectors: u32,
}

/// A registered provider: its registration, worker, collateral and sector counts. Bounded in
/// size (the deadline loads are one per deadline, at most 48).
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct ProviderState {
    /// What it registered with.
    pub info: StorageProviderInfo,
    /// The account that may submit sector and proof messages for it (itself by default).
    pub worker: AccountId,
    /// The first block of the proving period of `current_deadline` (its first proving period
    /// until the first period is processed).
    pub proving_period_start: BlockNumber,
    /// The deadline not yet processed; it closes at the earliest in the period above.
    pub current_deadline: u32,
    /// Its storage power.
    pub power: Power,
    /// Its collateral.
    pub collateral: Collateral,
    /// Sectors pre-committed and neither proven nor expired.
    pub pre_committed_sectors: u32,
    /// Sectors proven (the length of its sector list).
    pub proven_sectors: u32,
    /// Sectors per deadline, indexed by deadline.
    pub deadlines: Vec<DeadlineLoad>,
    /// First entry of its pre-commit expiry queue not yet processed.
    pub expiry_queue_head: u32,
    /// One past the last entry of its pre-commit expiry queue.
    pub expiry_queue_tail: u32,
}

/// A provider as the `providers` page lists it.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct ProviderSummary {
    /// Its account.
    pub provider: AccountId,
    /// Its libp2p peer id.
    pub peer_id: Vec<u8>,
    /// Sectors proven.
    pub proven_sectors: u32,
    /// Sectors pre-committed and not yet proven.
    pub pre_committed_sectors: u32,
    /// Its collateral.
    pub collateral: Collateral,
}

/// The registry's books: what it owes providers and what it has slashed. The contract's native
/// balance is `free + locked + slashed` plus its existential deposit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct RegistryFunds {
    /// Σ free collateral.
    pub free: Balance,
    /// Σ locked collateral (pre-commit deposits and initial pledges).
    pub locked: Balance,
    /// Slashed collateral: held, owed to nobody, never withdrawable.
    pub slashed: Balance,
}

/// A partition's sectors.
#[derive(Debug, Clone, Default, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct PartitionView {
    /// Every sector assigned to it, ascending.
    pub sectors: Vec<SectorNumber>,
    /// Sectors not yet proven by a Window PoSt, ascending.
    pub unproven: Vec<SectorNumber>,
    /// Faulty sectors, ascending: they have no power until recovered.
    pub faults: Vec<SectorNumber>,
    /// Faulty sectors declared recovered, ascending: faulty until a verified Window PoSt.
    pub recoveries: Vec<SectorNumber>,
    /// Terminated sectors, ascending: no longer live, never proven again.
    pub terminated: Vec<SectorNumber>,
    /// The block the challenge window it was last proven in opened.
    pub posted_at: Option<BlockNumber>,
}

/// A partition as `deadline_state` lists it: its sets, whether it is proven in the current
/// window, and until when its kept Window PoSt can be disputed.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct PartitionSummary {
    /// The partition number.
    pub partition: u32,
    /// Its sets and when it was last proven.
    pub state: PartitionView,
    /// The last block its kept (optimistically accepted) proof can be disputed in, if one is kept.
    pub disputable_until: Option<BlockNumber>,
}

/// A deadline of a provider with a page of its partitions: what a provider reads to prove it
/// (`storage-cli window-post`) and what a disputer reads to check it.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub struct DeadlineState {
    /// The deadline's window in the current (or next) proving period.
    pub info: crate::deadline::DeadlineInfo,
    /// How many partitions it has.
    pub partition_count: u32,
    /// Partitions `from..from + limit`.
    pub partitions: Vec<PartitionSummary>,
}

/// Storage power (Filecoin's StoragePowerActor): raw bytes of the sectors that are proven,
/// not faulty and not terminated, and the quality-adjusted power (equal to raw while there are
/// no verified deals).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct Power {
    /// Raw-byte power.
    pub raw: u128,
    /// Quality-adjusted power.
    pub quality_adjusted: u128,
}

/// An optimistically accepted Window PoSt of one partition, kept for its dispute window: all
/// a dispute needs to verify it.
#[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct KeptPoSt {
    /// The 192-byte proof.
    pub proof: Vec<u8>,
    /// The challenge it was made for (drawn from the beacon for the deadline's challenge block).
    pub randomness: [u8; 32],
    /// The sectors it proved, with their CommRs, ascending.
    pub sectors: Vec<crate::proofs::PublicReplicaInfo>,
    /// The last block it can be disputed in.
    pub disputable_until: BlockNumber,
}

/// Errors of the provider registry. Nothing changed when a message answered one.
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
    /// A block number or amount overflowed.
    ArithmeticOverflow,
    /// The proving policy is unusable (`ProvingPolicy::is_valid`).
    InvalidPolicy,
    /// The beacon keeps less history than the registry's longest randomness lookback.
    BeaconHistoryTooShort,
    /// The caller is neither a registered provider nor a provider's worker.
    StorageProviderNotFound,
    /// Only the provider's owner account may do this (not its worker).
    NotProviderOwner,
    /// The account is already a provider or another provider's worker.
    WorkerInUse,
    /// The amount must be greater than zero.
    ZeroAmount,
    /// Not enough free collateral.
    InsufficientCollateral,
    /// The provider owes fees: add collateral first.
    FeeDebt,
    /// The payout failed.
    TransferFailed,
    /// The market is not wired yet.
    MarketNotSet,
    /// No sectors were given.
    NoSectors,
    /// More sectors than one call may handle.
    TooManySectors,
    /// The seal proof does not go with the provider's Window PoSt proof type.
    InvalidProofType,
    /// The sector number is above `MAX_SECTORS`.
    InvalidSectorNumber,
    /// The same sector number appears twice in the call (spec §8.3 #10).
    DuplicateSectorNumber,
    /// The sector number is already pre-committed or proven.
    SectorNumberAlreadyUsed,
    /// The seal randomness height is not in the past.
    SealRandomnessInFuture,
    /// The seal randomness height is older than `max_seal_randomness_lookback` (§8.3 #13).
    SealRandomnessTooOld,
    /// The expiration is before the latest activation.
    ExpirationBeforeActivation,
    /// The sector would live less than `min_sector_expiration` after activation.
    ExpirationTooSoon,
    /// The expiration is beyond `max_sector_expiration` from now.
    ExpirationTooLong,
    /// The sector would live longer than `sector_maximum_lifetime`.
    MaxSectorLifetimeExceeded,
    /// The sealed CID is not a CommR CID.
    InvalidSealedCid(CidError),
    /// The unsealed CID is not a CommD CID.
    InvalidUnsealedCid(CidError),
    /// A sector lists more deals than it may hold.
    TooManyDeals,
    /// The market answered for another number of sectors.
    CouldNotVerifySectorForPreCommit,
    /// The unsealed CID is not the CommD of the sector's deals (or, without deals, of an
    /// empty sector).
    InvalidUnsealedCidForSector,
    /// No pre-commit with this sector number.
    PreCommitNotFound,
    /// The interactive seed's block has not been reached: wait `pre_commit_challenge_delay`.
    ProveCommitTooEarly,
    /// The pre-commit's prove-commit window is over.
    ProveCommitAfterDeadline,
    /// The proof does not have the length of its proof type.
    InvalidProofLength,
    /// The beacon has not finalised a round for that block yet: try again later.
    RandomnessNotYetAvailable,
    /// The beacon no longer keeps that block's randomness.
    RandomnessPruned,
    /// The policy requires randomness anchored to drand, and the beacon round that answers for
    /// that block finalised without its drand value.
    RandomnessNotAnchored,
    /// No deadline can take new sectors.
    NoMutableDeadline,
    /// The deadline has its most partitions.
    MaxPartitionsReached,
    /// No proven sector with this number.
    SectorNotFound,
    /// No deadline with this index.
    InvalidDeadline,
    /// The deadline is not the one open now (a Window PoSt is for the current deadline only).
    InvalidDeadlineSubmission,
    /// No partitions were given.
    NoPartitions,
    /// More partitions than one Window PoSt call may prove (`MAX_PARTITIONS_PER_POST`).
    TooManyPartitions,
    /// There must be one proof per partition.
    ProofCountMismatch,
    /// A partition is listed twice.
    DuplicatePartition,
    /// No partition with this number in the deadline.
    InvalidPartition,
    /// The partition was already proven in this challenge window.
    PartitionAlreadyProven,
    /// The partition has no live, non-faulty sector to prove.
    NoSectorsToProve,
    /// No accepted Window PoSt of that partition is kept (none was made, it was disputed, or a
    /// newer one replaced it).
    NoKeptProof,
    /// The kept proof's dispute window is over.
    DisputeWindowOver,
    /// The disputed proof is valid: the dispute fails and nothing changes.
    PoStValid,
    /// No declarations were given.
    NoDeclarations,
    /// More declarations than one call may make, or more sectors in one.
    TooManyDeclarations,
    /// A declaration names no sectors.
    EmptyDeclaration,
    /// A declared sector is not in the declared partition (spec §8.3 #18).
    SectorNotInPartition,
    /// Faults for this deadline had to be declared before its fault cutoff.
    FaultDeclarationTooLate,
    /// Recoveries for this deadline had to be declared before its fault cutoff.
    FaultRecoveryTooLate,
    /// A sector declared recovered is not faulty.
    SectorsNotFaulty,
    /// Sectors of the deadline being proven and of the next one cannot be terminated.
    CannotTerminateImmutableDeadline,
    /// A sector to terminate is already terminated.
    SectorsNotLive,
    /// A call to a peer contract failed.
    Call(CallError),
    /// The verifier refused a proof.
    Proof(ProofError),
    /// The market refused the sectors' deals.
    Market(MarketError),
    /// A governance action was refused: hand-over, timelocked change or upgrade.
    Governance(crate::ownership::GovernanceError),
}

impl From<crate::ownership::GovernanceError> for RegistryError {
    fn from(error: crate::ownership::GovernanceError) -> Self {
        match error {
            crate::ownership::GovernanceError::NotOwner => RegistryError::NotOwner,
            other => RegistryError::Governance(other),
        }
    }
}

impl From<NotOwner> for RegistryError {
    fn from(_: NotOwner) -> Self {
        RegistryError::NotOwner
    }
}

impl From<PeerError> for RegistryError {
    fn from(error: PeerError) -> Self {
        match error {
            PeerError::NotOwner => RegistryError::NotOwner,
            PeerError::AlreadyWired => RegistryError::AlreadyWired,
        }
    }
}

impl From<CallError> for RegistryError {
    fn from(error: CallError) -> Self {
        RegistryError::Call(error)
    }
}

impl From<BeaconError> for RegistryError {
    fn from(error: BeaconError) -> Self {
        match error {
            BeaconError::NotYetAvailable => RegistryError::RandomnessNotYetAvailable,
            BeaconError::Pruned => RegistryError::RandomnessPruned,
            BeaconError::Call(error) => RegistryError::Call(error),
        }
    }
}

impl From<AnchoredBeaconError> for RegistryError {
    fn from(error: AnchoredBeaconError) -> Self {
        match error {
            AnchoredBeaconError::NotAnchored => RegistryError::RandomnessNotAnchored,
            AnchoredBeaconError::Beacon(error) => error.into(),
        }
    }
}

impl From<ProofError> for RegistryError {
    fn from(error: ProofError) -> Self {
        match error {
            ProofError::Call(error) => RegistryError::Call(error),
            error => RegistryError::Proof(error),
        }
    }
}

impl From<MarketError> for RegistryError {
    fn from(error: MarketError) -> Self {
        match error {
            MarketError::Call(error) => RegistryError::Call(error),
            error => RegistryError::Market(error),
        }
    }
}

/// The registry's events. ink! 5 lists every event linked into a contract in its metadata, so
/// they are compiled only where the `registry-events` feature asks for them (the registry, and
/// tools that decode its events).
#[cfg(feature = "registry-events")]
mod events {
    use super::*;
    use crate::ownership::{
        CodeHashApplied, CodeHashCancelled, CodeHashProposed, OwnershipProposalCancelled, OwnershipProposed,
        OwnershipTransferred, PeerSet,
    };

    /// A storage provider registered.
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct StorageProviderRegistered {
        /// The provider's account.
        #[ink(topic)]
        pub owner: AccountId,
        /// What it registered with.
        pub info: StorageProviderInfo,
        /// The first block of its first proving period.
        pub proving_period_start: BlockNumber,
    }

    /// A provider added collateral (after repaying any fee debt).
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct CollateralAdded {
        /// The provider.
        #[ink(topic)]
        pub owner: AccountId,
        /// What it sent.
        pub amount: Balance,
        /// The part of it that repaid fee debt.
        pub debt_repaid: Balance,
    }

    /// A provider withdrew free collateral.
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct CollateralWithdrawn {
        /// The provider.
        #[ink(topic)]
        pub owner: AccountId,
        /// The amount paid out.
        pub amount: Balance,
    }

    /// A provider changed its peer id.
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PeerIdChanged {
        /// The provider.
        #[ink(topic)]
        pub owner: AccountId,
        /// The new peer id.
        pub peer_id: Vec<u8>,
    }

    /// A provider changed its worker account.
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct WorkerChanged {
        /// The provider.
        #[ink(topic)]
        pub owner: AccountId,
        /// The new worker.
        #[ink(topic)]
        pub worker: AccountId,
    }

    /// Sectors were pre-committed (spec event 1).
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct SectorsPreCommitted {
        /// The provider.
        #[ink(topic)]
        pub owner: AccountId,
        /// The pre-commit block: the interactive seed is drawn for it plus the challenge delay.
        pub block: BlockNumber,
        /// The sectors.
        pub sectors: Vec<SectorPreCommitInfo>,
        /// Collateral locked for them.
        pub deposit: Balance,
    }

    /// Sectors were proven and their deals activated (spec event 2).
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct SectorsProven {
        /// The provider.
        #[ink(topic)]
        pub owner: AccountId,
        /// Each sector with its deadline and partition.
        pub sectors: Vec<ProveCommitResult>,
        /// Initial pledge locked for them.
        pub pledge: Balance,
    }

    /// Pre-commits expired without being proven (spec event 3, `SectorsSlashed`).
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PreCommitsExpired {
        /// The provider.
        #[ink(topic)]
        pub owner: AccountId,
        /// The expired sectors.
        pub sector_numbers: Vec<SectorNumber>,
        /// Deposits slashed.
        pub slashed: Balance,
        /// Deposits returned because the beacon never gave the sectors' interactive seed.
        pub refunded: Balance,
    }

    /// A closed deadline was processed: partitions not proven in its window became faulty
    /// (their first faulty period is free), unless the beacon never gave its challenge.
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct DeadlineProcessed {
        /// The provider.
        #[ink(topic)]
        pub owner: AccountId,
        /// The deadline index.
        pub deadline: u32,
        /// The block its challenge window opened.
        pub open_at: BlockNumber,
        /// Sectors that became faulty because their partition was not proven.
        pub faulted: Vec<SectorNumber>,
        /// Whether the deadline was excused: its challenge randomness never became available.
        pub excused: bool,
    }

    /// A Window PoSt was accepted (optimistically: it can be disputed until
    /// `disputable_until`).
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct WindowedPoStSubmitted {
        /// The provider.
        #[ink(topic)]
        pub owner: AccountId,
        /// The deadline.
        pub deadline: u32,
        /// The partitions proven.
        pub partitions: Vec<u32>,
        /// Sectors proven for the first time, which gained power.
        pub activated: Vec<SectorNumber>,
        /// The last block the proofs can be disputed in.
        pub disputable_until: BlockNumber,
    }

    /// A kept Window PoSt was disputed and did not verify: its sectors became faulty and the
    /// provider paid the penalty, out of which the disputer was rewarded.
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PoStDisputed {
        /// The provider.
        #[ink(topic)]
        pub owner: AccountId,
        /// Who disputed.
        #[ink(topic)]
        pub disputer: AccountId,
        /// The deadline.
        pub deadline: u32,
        /// The partition.
        pub partition: u32,
        /// Sectors that became faulty.
        pub faulted: Vec<SectorNumber>,
        /// The penalty taken from the provider (free collateral, then fee debt).
        pub penalty: Balance,
        /// What the disputer received of it; the rest is slashed.
        pub reward: Balance,
    }

    /// Sectors were declared faulty ahead of their deadline: they lose their power now and pay
    /// the fault fee from the deadline's next processing on.
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct FaultsDeclared {
        /// The provider.
        #[ink(topic)]
        pub owner: AccountId,
        /// The declarations, as given.
        pub faults: Vec<FaultDeclaration>,
    }

    /// Faulty sectors were declared recovered: they stay faulty until a verified Window PoSt of
    /// their partition.
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct RecoveriesDeclared {
        /// The provider.
        #[ink(topic)]
        pub owner: AccountId,
        /// The declarations, as given.
        pub recoveries: Vec<RecoveryDeclaration>,
    }

    /// Sectors were terminated early: each paid the termination fee out of its pledge, the
    /// rest of the pledge was released, and the market settled their deals.
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct SectorsTerminated {
        /// The provider.
        #[ink(topic)]
        pub owner: AccountId,
        /// The terminated sectors.
        pub sectors: Vec<SectorNumber>,
        /// The block the termination took effect.
        pub block: BlockNumber,
        /// Termination fees (slashed).
        pub fees: Balance,
        /// Pledge returned to free collateral.
        pub released: Balance,
    }

    /// Sectors ended at a deadline's close: at their expiration (the whole pledge released,
    /// their deals ended by then), or after `fault_max_age` blocks faulty (the termination fee
    /// taken from the pledge, their deals settled in the market).
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct SectorsEnded {
        /// The provider.
        #[ink(topic)]
        pub owner: AccountId,
        /// The sectors.
        pub sectors: Vec<SectorNumber>,
        /// The block they ended at (the deadline's close).
        pub block: BlockNumber,
        /// Whether they were terminated for being faulty too long (else they expired).
        pub fault_max_age: bool,
        /// Termination fees (slashed).
        pub fees: Balance,
        /// Pledge returned to free collateral by this processing.
        pub released: Balance,
    }

    /// A provider paid fees: the fault fee of sectors that stayed faulty over a deadline.
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct FeesCharged {
        /// The provider.
        #[ink(topic)]
        pub owner: AccountId,
        /// The deadline.
        pub deadline: u32,
        /// Faulty sectors charged.
        pub sectors: u32,
        /// Taken from free collateral (slashed).
        pub paid: Balance,
        /// What collateral could not cover: added to fee debt.
        pub debt: Balance,
    }

    /// A provider's storage power changed.
    #[ink::event]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PowerChanged {
        /// The provider.
        #[ink(topic)]
        pub owner: AccountId,
        /// Its power now.
        pub power: Power,
        /// The registry's total power now.
        pub total: Power,
    }

    /// Everything the registry emits: logic methods return these and the contract emits them.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Event {
        /// See [`StorageProviderRegistered`].
        StorageProviderRegistered(StorageProviderRegistered),
        /// See [`CollateralAdded`].
        CollateralAdded(CollateralAdded),
        /// See [`CollateralWithdrawn`].
        CollateralWithdrawn(CollateralWithdrawn),
        /// See [`PeerIdChanged`].
        PeerIdChanged(PeerIdChanged),
        /// See [`WorkerChanged`].
        WorkerChanged(WorkerChanged),
        /// See [`SectorsPreCommitted`].
        SectorsPreCommitted(SectorsPreCommitted),
        /// See [`SectorsProven`].
        SectorsProven(SectorsProven),
        /// See [`PreCommitsExpired`].
        PreCommitsExpired(PreCommitsExpired),
        /// See [`DeadlineProcessed`].
        DeadlineProcessed(DeadlineProcessed),
        /// See [`WindowedPoStSubmitted`].
        WindowedPoStSubmitted(WindowedPoStSubmitted),
        /// See [`PoStDisputed`].
        PoStDisputed(PoStDisputed),
        /// See [`PowerChanged`].
        PowerChanged(PowerChanged),
        /// See [`FaultsDeclared`].
        FaultsDeclared(FaultsDeclared),
        /// See [`RecoveriesDeclared`].
        RecoveriesDeclared(RecoveriesDeclared),
        /// See [`FeesCharged`].
        FeesCharged(FeesCharged),
        /// See [`SectorsTerminated`].
        SectorsTerminated(SectorsTerminated),
        /// See [`SectorsEnded`].
        SectorsEnded(SectorsEnded),
        /// See [`OwnershipTransferred`].
        OwnershipTransferred(OwnershipTransferred),
        /// See [`PeerSet`].
        PeerSet(PeerSet),
        /// See [`OwnershipProposed`].
        OwnershipProposed(OwnershipProposed),
        /// See [`OwnershipProposalCancelled`].
        OwnershipProposalCancelled(OwnershipProposalCancelled),
        /// See [`CodeHashProposed`].
        CodeHashProposed(CodeHashProposed),
        /// See [`CodeHashApplied`].
        CodeHashApplied(CodeHashApplied),
        /// See [`CodeHashCancelled`].
        CodeHashCancelled(CodeHashCancelled),
    }
}
#[cfg(feature = "registry-events")]
pub use events::*;
