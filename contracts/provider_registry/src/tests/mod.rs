//! Unit tests of the registry's rules, one file per behaviour. Peers are a scripted fake
//! ([`FakePeers`], in the manner of builtin-actors' `MockRuntime::expect_send`), and every test
//! checks [`check_state_invariants`] after each step; a refused message must leave the
//! [`fingerprint`] of the state unchanged.

mod collateral;
mod expiry;
mod faults;
mod lifecycle;
mod post;
mod precommit;
mod prove_commit;
mod registration;
mod termination;
mod views;

use crate::ext::Peers;
use crate::state::RegistryState;
use crate::testing::{check_state_invariants, fingerprint};
use polka_storage_primitives::commitment::{
    commitment_to_cid, compute_unsealed_sector_commitment, Commitment, CommitmentKind,
};
use polka_storage_primitives::hash::blake2_256;
use polka_storage_primitives::market::SectorDeal;
use polka_storage_primitives::policy::ProvingPolicy;
use polka_storage_primitives::proofs::{PublicReplicaInfo, SealVerifyInfo};
pub(crate) use polka_storage_primitives::randomness::{draw_for_provider, DomainSeparationTag};
use polka_storage_primitives::registry::{
    Event, ProveCommitResult, ProveCommitSector, RegistryError, SectorPreCommitInfo,
};
use polka_storage_primitives::sector::{RegisteredPoStProof, RegisteredSealProof, SectorNumber};
use polka_storage_primitives::{AccountId, Balance, BlockNumber, DealId};
use std::cell::RefCell;
use std::collections::BTreeMap;

pub(crate) const POST: RegisteredPoStProof = RegisteredPoStProof::StackedDRGWindow2KiBV1P1;
pub(crate) const SEAL: RegisteredSealProof = RegisteredSealProof::StackedDrg2KiBV1_1;
pub(crate) const POLICY: ProvingPolicy = ProvingPolicy::FAST;

pub(crate) fn alice() -> AccountId {
    AccountId::from([0xa1; 32])
}

pub(crate) fn bob() -> AccountId {
    AccountId::from([0xb0; 32])
}

pub(crate) fn worker() -> AccountId {
    AccountId::from([0x77; 32])
}

/// The beacon output the fake answers for `block`.
pub(crate) fn rbase(block: BlockNumber) -> [u8; 32] {
    blake2_256(&[b"fake beacon", &block.to_le_bytes()])
}

/// The CommD of an empty 2 KiB sector.
pub(crate) fn zero_comm_d() -> Commitment {
    compute_unsealed_sector_commitment(SEAL.padded_sector_size(), &[]).unwrap()
}

/// A CommD the fake market computes for a sector's deals.
pub(crate) fn deals_comm_d(deals: &[DealId]) -> Commitment {
    let mut digest = blake2_256(&[b"fake commd", &scale::Encode::encode(deals)]);
    digest[31] &= 0x3f;
    digest
}

/// The scripted peers: a beacon that has finalised every block before `now` (unless stalled
/// or pruned), a market that computes [`deals_comm_d`] and records activations, a verifier
/// that accepts every proof unless told otherwise and records what it was asked.
#[derive(Default)]
pub(crate) struct FakePeers {
    pub now: BlockNumber,
    /// Blocks from here on have no finalised round.
    pub stalled_from: Option<BlockNumber>,
    /// Blocks before this were pruned.
    pub pruned_before: BlockNumber,
    pub market_error: Option<RegistryError>,
    pub activation_error: Option<RegistryError>,
    pub proof_error: Option<RegistryError>,
    /// Deal lists answered with another CommD (as if the pieces differed).
    pub wrong_comm_d: bool,
    pub verified: RefCell<Vec<Vec<SealVerifyInfo>>>,
    /// Window PoSts whose proof bytes start with 0xbd do not verify.
    pub posts_verified: RefCell<Vec<VerifiedPoSt>>,
    pub activated: RefCell<Vec<(AccountId, Vec<SectorDeal>)>>,
    pub terminated: RefCell<Vec<(AccountId, Vec<SectorNumber>)>>,
    pub beacon_calls: RefCell<u32>,
}

impl Peers for FakePeers {
    fn randomness_at(&self, block: BlockNumber) -> Result<[u8; 32], RegistryError> {
        *self.beacon_calls.borrow_mut() += 1;
        if block >= self.now || self.stalled_from.is_some_and(|stall| block >= stall) {
            return Err(RegistryError::RandomnessNotYetAvailable);
        }
        if block < self.pruned_before {
            return Err(RegistryError::RandomnessPruned);
        }
        Ok(rbase(block))
    }

    fn verify_deals_for_activation(
        &self,
        _provider: AccountId,
        sectors: Vec<SectorDeal>,
    ) -> Result<Vec<Option<Commitment>>, RegistryError> {
        if let Some(error) = self.market_error {
            return Err(error);
        }
        Ok(sectors
            .iter()
            .map(|sector| {
                let mut comm_d = deals_comm_d(&sector.deal_ids);
                if self.wrong_comm_d {
                    comm_d[0] ^= 1;
                }
                Some(comm_d)
            })
            .collect())
    }

    fn activate_deals(&self, provider: AccountId, sectors: Vec<SectorDeal>) -> Result<(), RegistryError> {
        if let Some(error) = self.activation_error {
            return Err(error);
        }
        self.activated.borrow_mut().push((provider, sectors));
        Ok(())
    }

    fn on_sectors_terminate(&self, provider: AccountId, sectors: Vec<SectorNumber>) -> Result<(), RegistryError> {
        if let Some(error) = self.activation_error {
            return Err(error);
        }
        self.terminated.borrow_mut().push((provider, sectors));
        Ok(())
    }

    fn verify_porep(&self, seals: Vec<SealVerifyInfo>) -> Result<(), RegistryError> {
        if let Some(error) = self.proof_error {
            return Err(error);
        }
        self.verified.borrow_mut().push(seals);
        Ok(())
    }

    fn verify_post(
        &self,
        post_proof: RegisteredPoStProof,
        randomness: [u8; 32],
        replicas: Vec<PublicReplicaInfo>,
        proof: Vec<u8>,
    ) -> Result<(), RegistryError> {
        self.posts_verified.borrow_mut().push((post_proof, randomness, replicas));
        if proof.first() == Some(&BAD_POST) {
            return Err(RegistryError::Proof(polka_storage_primitives::proofs::ProofError::InvalidProof));
        }
        Ok(())
    }
}

/// A Window PoSt the fake verifier was asked about: proof type, challenge, sectors.
pub(crate) type VerifiedPoSt = (RegisteredPoStProof, [u8; 32], Vec<PublicReplicaInfo>);

/// The first byte of a Window PoSt the fake verifier refuses.
pub(crate) const BAD_POST: u8 = 0xbd;

/// The registry with fake peers at a block.
pub(crate) struct Harness {
    pub state: RegistryState,
    pub peers: FakePeers,
    pub now: BlockNumber,
}

impl Harness {
    /// An empty registry with the fast policy at block 100 (one per test: the off-chain
    /// storage of ink! lives as long as the test thread).
    pub fn new() -> Self {
        Self::with_policy(POLICY)
    }

    /// An empty registry with `policy` at block 100.
    pub fn with_policy(policy: ProvingPolicy) -> Self {
        ink::env::test::set_callee::<ink::env::DefaultEnvironment>(AccountId::from([0x52; 32]));
        let mut harness = Self { state: RegistryState::new(policy).unwrap(), peers: FakePeers::default(), now: 0 };
        harness.at(100);
        harness
    }

    /// Moves to block `now`.
    pub fn at(&mut self, now: BlockNumber) {
        self.now = now;
        self.peers.now = now;
    }

    /// Moves `blocks` ahead.
    pub fn advance(&mut self, blocks: BlockNumber) {
        self.at(self.now + blocks);
    }

    /// Asserts the invariants.
    pub fn check(&self) {
        let summary = check_state_invariants(&self.state);
        assert!(summary.is_ok(), "invariants violated: {:#?}", summary.violations);
    }

    /// Asserts that `result` is `error` and that the state did not change. On chain a refused
    /// message reverts everything, its lazy catch-up included; here the caller cranks first.
    pub fn refuses<T: core::fmt::Debug>(
        &mut self,
        error: RegistryError,
        run: impl FnOnce(&mut Self) -> Result<T, RegistryError>,
    ) {
        let before = fingerprint(&self.state);
        let result = run(self);
        assert_eq!(result.map(|_| ()).unwrap_err(), error);
        assert_eq!(fingerprint(&self.state), before, "a refused call changed the state");
        self.check();
    }

    /// Registers `who`.
    pub fn register(&mut self, who: AccountId) {
        self.state.register(who, self.now, b"peer".to_vec(), POST).unwrap();
        self.check();
    }

    /// Registers `who` and funds it with `amount` of collateral.
    pub fn provider_with(&mut self, who: AccountId, amount: Balance) {
        self.register(who);
        if amount > 0 {
            self.state.add_collateral(who, amount).unwrap();
        }
        self.check();
    }

    pub fn pre_commit(
        &mut self,
        caller: AccountId,
        sectors: Vec<SectorPreCommitInfo>,
    ) -> Result<Vec<Event>, RegistryError> {
        let result = self.state.pre_commit_sectors(&self.peers, caller, self.now, sectors);
        self.check();
        result
    }

    pub fn prove(
        &mut self,
        caller: AccountId,
        sectors: Vec<ProveCommitSector>,
    ) -> Result<(Vec<ProveCommitResult>, Vec<Event>), RegistryError> {
        let result = self.state.prove_commit_sectors(&self.peers, caller, self.now, sectors);
        self.check();
        result
    }

    pub fn expire(&mut self, provider: AccountId) -> Result<(u32, Vec<Event>), RegistryError> {
        let result = self.state.expire_precommits(&self.peers, provider, self.now);
        self.check();
        result
    }

    /// A provider's free collateral.
    pub fn free(&self, who: &AccountId) -> Balance {
        self.state.provider(who).unwrap().collateral.free
    }
}

/// A valid committed-capacity pre-commit of sector `number` at `now`: ticket from `now − 1`,
/// expiring as late as the fast policy allows.
pub(crate) fn cc_sector(number: SectorNumber, now: BlockNumber) -> SectorPreCommitInfo {
    SectorPreCommitInfo {
        seal_proof: SEAL,
        sector_number: number,
        sealed_cid: commitment_to_cid(&comm_r(number), CommitmentKind::Sealed),
        seal_randomness_height: now - 1,
        deal_ids: Vec::new(),
        // As late as the policy allows: the tests that run for proving periods see no expiry.
        expiration: now + POLICY.max_sector_expiration - 1,
        unsealed_cid: commitment_to_cid(&zero_comm_d(), CommitmentKind::Unsealed),
    }
}

/// A pre-commit of sector `number` holding `deals`, with the CommD the fake market computes.
pub(crate) fn deal_sector(number: SectorNumber, now: BlockNumber, deals: &[DealId]) -> SectorPreCommitInfo {
    SectorPreCommitInfo {
        deal_ids: deals.to_vec(),
        unsealed_cid: commitment_to_cid(&deals_comm_d(deals), CommitmentKind::Unsealed),
        ..cc_sector(number, now)
    }
}

/// A CommR derived from the sector number (canonical: top bits cleared).
pub(crate) fn comm_r(number: SectorNumber) -> Commitment {
    let mut digest = blake2_256(&[b"comm r", &number.to_le_bytes()]);
    digest[31] &= 0x3f;
    digest
}

/// A proof of the right length for sector `number`.
pub(crate) fn proof(number: SectorNumber) -> ProveCommitSector {
    ProveCommitSector { sector_number: number, proof: vec![number as u8; SEAL.proof_size()] }
}

/// Enough collateral for `sectors` deposits and pledges.
pub(crate) fn collateral_for(sectors: u32) -> Balance {
    (POLICY.pre_commit_deposit() + POLICY.initial_pledge()) * Balance::from(sectors)
}

/// `(deposit, pledge)` of the fast policy.
pub(crate) fn amounts() -> (Balance, Balance) {
    (POLICY.pre_commit_deposit(), POLICY.initial_pledge())
}

/// The sectors a harness knows as `(number → (deadline, partition))`.
pub(crate) fn placements(results: &[ProveCommitResult]) -> BTreeMap<SectorNumber, (u32, u32)> {
    results.iter().map(|r| (r.sector_number, (r.deadline, r.partition))).collect()
}
