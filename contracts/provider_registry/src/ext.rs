//! Every call the registry makes to another contract (builtin-actors' `ext.rs`). The logic
//! reaches its peers only through [`Peers`], so unit tests answer for them with a scripted fake
//! instead of a chain.

use ink::codegen::TraitCallBuilder;
use ink::env::DefaultEnvironment;
use ink::prelude::vec::Vec;
use polka_storage_primitives::beacon::{AnchoredRandomnessBeacon, RandomnessBeacon};
use polka_storage_primitives::call::answer;
use polka_storage_primitives::commitment::Commitment;
use polka_storage_primitives::market::{Market, SectorDeal};
use polka_storage_primitives::policy::BeaconPolicy;
use polka_storage_primitives::proofs::{ProofVerification, PublicReplicaInfo, SealVerifyInfo};
use polka_storage_primitives::registry::RegistryError;
use polka_storage_primitives::sector::{RegisteredPoStProof, SectorNumber};
use polka_storage_primitives::{AccountId, BlockNumber};

/// What the registry asks of the beacon, the market and the verifier.
pub trait Peers {
    /// The beacon's output for `block` (`RandomnessNotYetAvailable` until the round that covers
    /// it is final, `RandomnessPruned` once it left the history).
    fn randomness_at(&self, block: BlockNumber) -> Result<[u8; 32], RegistryError>;

    /// The market's check of the sectors' deals and each sector's CommD from its pieces.
    fn verify_deals_for_activation(
        &self,
        provider: AccountId,
        sectors: Vec<SectorDeal>,
    ) -> Result<Vec<Option<Commitment>>, RegistryError>;

    /// Activates the deals of proven sectors in the market, all or nothing.
    fn activate_deals(&self, provider: AccountId, sectors: Vec<SectorDeal>) -> Result<(), RegistryError>;

    /// Tells the market that sectors were terminated, so it settles their deals.
    fn on_sectors_terminate(&self, provider: AccountId, sectors: Vec<SectorNumber>) -> Result<(), RegistryError>;

    /// Verifies PoRep proofs: one with `verify_porep`, several as one batch.
    fn verify_porep(&self, seals: Vec<SealVerifyInfo>) -> Result<(), RegistryError>;

    /// Verifies a Window PoSt over `replicas` for the challenge `randomness`.
    fn verify_post(
        &self,
        post_proof: RegisteredPoStProof,
        randomness: [u8; 32],
        replicas: Vec<PublicReplicaInfo>,
        proof: Vec<u8>,
    ) -> Result<(), RegistryError>;
}

/// The deployed peers, called through the traits of `primitives`.
#[derive(Debug, Clone, Copy)]
pub struct ChainPeers {
    /// The market, once wired.
    pub market: Option<AccountId>,
    /// The proof verifier.
    pub verifier: AccountId,
    /// The randomness beacon.
    pub beacon: AccountId,
    /// Whether only rounds anchored to drand count (the policy's `require_anchored_randomness`).
    pub anchored: bool,
}

impl ChainPeers {
    fn market(&self) -> Result<ink::contract_ref!(Market, DefaultEnvironment), RegistryError> {
        Ok(self.market.ok_or(RegistryError::MarketNotSet)?.into())
    }

    fn verifier(&self) -> ink::contract_ref!(ProofVerification, DefaultEnvironment) {
        self.verifier.into()
    }
}

impl Peers for ChainPeers {
    fn randomness_at(&self, block: BlockNumber) -> Result<[u8; 32], RegistryError> {
        if self.anchored {
            let beacon: ink::contract_ref!(AnchoredRandomnessBeacon, DefaultEnvironment) = self.beacon.into();
            return Ok(answer(beacon.call().anchored_randomness_at(block).try_invoke())??);
        }
        let beacon: ink::contract_ref!(RandomnessBeacon, DefaultEnvironment) = self.beacon.into();
        Ok(answer(beacon.call().randomness_at(block).try_invoke())??)
    }

    fn verify_deals_for_activation(
        &self,
        provider: AccountId,
        sectors: Vec<SectorDeal>,
    ) -> Result<Vec<Option<Commitment>>, RegistryError> {
        let market = self.market()?;
        Ok(answer(market.call().verify_deals_for_activation(provider, sectors).try_invoke())??)
    }

    fn activate_deals(&self, provider: AccountId, sectors: Vec<SectorDeal>) -> Result<(), RegistryError> {
        let mut market = self.market()?;
        Ok(answer(market.call_mut().activate_deals(provider, sectors).try_invoke())??)
    }

    fn on_sectors_terminate(&self, provider: AccountId, sectors: Vec<SectorNumber>) -> Result<(), RegistryError> {
        let mut market = self.market()?;
        Ok(answer(market.call_mut().on_sectors_terminate(provider, sectors).try_invoke())??)
    }

    fn verify_porep(&self, mut seals: Vec<SealVerifyInfo>) -> Result<(), RegistryError> {
        let verifier = self.verifier();
        // One proof through the single check; several share one final exponentiation.
        match (seals.pop(), seals.is_empty()) {
            (None, _) => Ok(()),
            (Some(seal), true) => Ok(answer(verifier.call().verify_porep(seal).try_invoke())??),
            (Some(seal), false) => {
                seals.push(seal);
                Ok(answer(verifier.call().verify_porep_batch(seals).try_invoke())??)
            }
        }
    }

    fn verify_post(
        &self,
        post_proof: RegisteredPoStProof,
        randomness: [u8; 32],
        replicas: Vec<PublicReplicaInfo>,
        proof: Vec<u8>,
    ) -> Result<(), RegistryError> {
        let verifier = self.verifier();
        Ok(answer(verifier.call().verify_post(post_proof, randomness, replicas, proof).try_invoke())??)
    }
}

/// The beacon's history in blocks, read from its `policy` view when the registry is wired to it
/// (the `RandomnessBeacon` trait stays the one message consumers need).
pub fn request_beacon_history(beacon: AccountId) -> Result<BlockNumber, RegistryError> {
    use ink::env::call::{build_call, ExecutionInput, Selector};
    let outcome = build_call::<ink::env::DefaultEnvironment>()
        .call(beacon)
        .exec_input(ExecutionInput::new(Selector::new(ink::selector_bytes!("policy"))))
        .returns::<BeaconPolicy>()
        .try_invoke();
    Ok(answer(outcome)?.history)
}
