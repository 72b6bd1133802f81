//! The `proof_verifier` contract on the sandbox chain: the key registry, and the real proofs of
//! `shared/vectors` verifying through the deployed contract, with every failure a named error.

use anyhow::Result;
use polka_storage_deploy::bundle::Bundle;
use polka_storage_deploy::chain::{dev_account, Chain, Deployed};
use polka_storage_primitives::proofs::{ProofError, PublicReplicaInfo, SealVerifyInfo};
use polka_storage_primitives::sector::{ProofType, RegisteredPoStProof, RegisteredSealProof};
use polka_storage_proofs::vectors::Vectors;
use scale::{Encode, Output};
use sp_core::crypto::AccountId32;
use std::sync::Arc;

const SEAL: ProofType = ProofType::Seal(RegisteredSealProof::StackedDRG2KiBV1P1);
const POST: ProofType = ProofType::PoSt(RegisteredPoStProof::StackedDRGWindow2KiBV1P1);

struct Setup {
    chain: Chain,
    verifier: Deployed,
    owner: AccountId32,
    vectors: Vectors,
}

fn deploy(with_keys: bool) -> Result<Setup> {
    let mut chain = Chain::new();
    let owner = dev_account("Alice");
    let bundle = Arc::new(Bundle::of("proof_verifier")?);
    let verifier = chain.instantiate(&owner, &bundle, "new", (), 0, b"")?;
    let vectors = Vectors::load().map_err(anyhow::Error::msg)?;
    let mut setup = Setup { chain, verifier, owner, vectors };
    if with_keys {
        let (porep_key, post_key) = (setup.vectors.porep_key.clone(), setup.vectors.post_key.clone());
        assert_eq!(setup.set_key(SEAL, porep_key)?, Ok(()));
        assert_eq!(setup.set_key(POST, post_key)?, Ok(()));
    }
    Ok(setup)
}

impl Setup {
    fn set_key(&mut self, proof_type: ProofType, key: Vec<u8>) -> Result<Result<(), ProofError>> {
        let owner = self.owner.clone();
        Ok(self.chain.call(&owner, &self.verifier, "set_verifying_key", (proof_type, key), 0)?.value)
    }

    fn verify_porep(&mut self, seal: &SealVerifyInfo) -> Result<Result<(), ProofError>> {
        let caller = dev_account("Bob");
        Ok(self.chain.call(&caller, &self.verifier, "verify_porep", (seal.clone(),), 0)?.value)
    }

    fn verify_post(
        &mut self,
        randomness: [u8; 32],
        replicas: &[PublicReplicaInfo],
        proof: &[u8],
    ) -> Result<Result<(), ProofError>> {
        let caller = dev_account("Bob");
        let args = (self.vectors.post_proof, randomness, replicas.to_vec(), proof.to_vec());
        Ok(self.chain.call(&caller, &self.verifier, "verify_post", args, 0)?.value)
    }
}

#[test]
fn keys_are_owner_only_validated_and_viewable() -> Result<()> {
    let mut setup = deploy(false)?;
    let bob = dev_account("Bob");
    let key = setup.vectors.porep_key.clone();
    let answer = setup.chain.call::<_, Result<(), ProofError>>(
        &bob,
        &setup.verifier,
        "set_verifying_key",
        (SEAL, key.clone()),
        0,
    )?;
    assert_eq!(answer.value, Err(ProofError::NotOwner));
    // A PoSt key (23 IC points) cannot be set for a seal type (40), nor a mangled key at all.
    let post_key = setup.vectors.post_key.clone();
    assert_eq!(setup.set_key(SEAL, post_key)?, Err(ProofError::WrongVerifyingKeySize));
    assert_eq!(setup.set_key(SEAL, key[..500].to_vec())?, Err(ProofError::InvalidVerifyingKey));
    let mut off_curve = key.clone();
    off_curve[5] ^= 0x41;
    assert_eq!(setup.set_key(SEAL, off_curve)?, Err(ProofError::InvalidVerifyingKey));
    assert_eq!(setup.verify_porep(&setup.vectors.seal.clone())?, Err(ProofError::MissingVerifyingKey));

    let alice = setup.owner.clone();
    let answer = setup.chain.call::<_, Result<(), ProofError>>(
        &alice,
        &setup.verifier,
        "set_verifying_key",
        (SEAL, key.clone()),
        0,
    )?;
    assert_eq!(answer.value, Ok(()));
    assert_eq!(answer.events.len(), 1);
    let stored: Option<Vec<u8>> = setup.chain.query(&bob, &setup.verifier, "verifying_key", (SEAL,))?;
    assert_eq!(stored, Some(key));
    let other: Option<Vec<u8>> = setup.chain.query(&bob, &setup.verifier, "verifying_key", (POST,))?;
    assert_eq!(other, None);
    eprintln!("set_verifying_key (PoRep): {:?}", answer.gas);
    Ok(())
}

#[test]
fn the_porep_vector_verifies_on_chain_and_changed_inputs_fail() -> Result<()> {
    let mut setup = deploy(true)?;
    let seal = setup.vectors.seal.clone();
    let answer = setup.chain.call::<_, Result<(), ProofError>>(
        &dev_account("Bob"),
        &setup.verifier,
        "verify_porep",
        (seal.clone(),),
        0,
    )?;
    assert_eq!(answer.value, Ok(()));
    eprintln!("verify_porep: {:?}", answer.gas);

    let mut changed = seal.clone();
    changed.sector_number += 1;
    assert_eq!(setup.verify_porep(&changed)?, Err(ProofError::InvalidProof));
    let mut changed = seal.clone();
    changed.seed[3] ^= 8;
    assert_eq!(setup.verify_porep(&changed)?, Err(ProofError::InvalidProof));
    let mut changed = seal.clone();
    changed.ticket[0] ^= 1;
    assert_eq!(setup.verify_porep(&changed)?, Err(ProofError::InvalidProof));
    let mut changed = seal.clone();
    changed.comm_r[5] ^= 1;
    assert_eq!(setup.verify_porep(&changed)?, Err(ProofError::InvalidProof));
    let mut changed = seal.clone();
    changed.comm_d[5] ^= 1;
    assert_eq!(setup.verify_porep(&changed)?, Err(ProofError::InvalidProof));
    let mut changed = seal.clone();
    changed.prover_id[0] ^= 1;
    assert_eq!(setup.verify_porep(&changed)?, Err(ProofError::InvalidProof));
    let mut changed = seal.clone();
    changed.proof[100] ^= 1;
    assert!(matches!(setup.verify_porep(&changed)?, Err(ProofError::InvalidProof | ProofError::InvalidProofPoint)));
    let mut changed = seal.clone();
    changed.proof.pop();
    assert_eq!(setup.verify_porep(&changed)?, Err(ProofError::InvalidProofLength));
    let mut changed = seal.clone();
    changed.comm_r = [0xff; 32];
    assert_eq!(setup.verify_porep(&changed)?, Err(ProofError::NonCanonicalFieldElement));
    let mut changed = seal.clone();
    changed.proof[0] = 0x80; // compressed flag with x = 0: not a curve point
    changed.proof[1..48].fill(0);
    assert_eq!(setup.verify_porep(&changed)?, Err(ProofError::InvalidProofPoint));
    let mut changed = seal;
    changed.seal_proof = RegisteredSealProof::StackedDrg2KiBV1_1;
    assert_eq!(setup.verify_porep(&changed)?, Err(ProofError::MissingVerifyingKey));
    Ok(())
}

#[test]
fn batches_verify_on_chain() -> Result<()> {
    let mut setup = deploy(true)?;
    let seal = setup.vectors.seal.clone();
    let bob = dev_account("Bob");
    for size in [2usize, 4] {
        let answer = setup.chain.call::<_, Result<(), ProofError>>(
            &bob,
            &setup.verifier,
            "verify_porep_batch",
            (vec![seal.clone(); size],),
            0,
        )?;
        assert_eq!(answer.value, Ok(()), "batch of {size}");
        eprintln!("verify_porep_batch({size}): {:?}", answer.gas);
    }
    let mut bad = seal.clone();
    bad.ticket[0] ^= 1;
    let answer = setup.chain.call::<_, Result<(), ProofError>>(
        &bob,
        &setup.verifier,
        "verify_porep_batch",
        (vec![seal.clone(), bad],),
        0,
    )?;
    assert_eq!(answer.value, Err(ProofError::InvalidProof));
    let answer = setup.chain.call::<_, Result<(), ProofError>>(
        &bob,
        &setup.verifier,
        "verify_porep_batch",
        (Vec::<SealVerifyInfo>::new(),),
        0,
    )?;
    assert_eq!(answer.value, Err(ProofError::InvalidBatchSize));
    let answer = setup.chain.call::<_, Result<(), ProofError>>(
        &bob,
        &setup.verifier,
        "verify_porep_batch",
        (vec![seal; 9],),
        0,
    )?;
    assert_eq!(answer.value, Err(ProofError::InvalidBatchSize));
    Ok(())
}

#[test]
fn the_post_vector_verifies_on_chain_and_changed_inputs_fail() -> Result<()> {
    let mut setup = deploy(true)?;
    let (randomness, replicas, proof) =
        (setup.vectors.post_randomness, setup.vectors.post_replicas.clone(), setup.vectors.post_bytes.clone());
    assert_eq!(setup.verify_post(randomness, &replicas, &proof)?, Ok(()));
    let mut other = randomness;
    other[1] ^= 2;
    assert_eq!(setup.verify_post(other, &replicas, &proof)?, Err(ProofError::InvalidProof));
    let mut moved = replicas.clone();
    moved[0].sector_number += 1;
    assert_eq!(setup.verify_post(randomness, &moved, &proof)?, Err(ProofError::InvalidProof));
    assert_eq!(setup.verify_post(randomness, &[], &proof)?, Err(ProofError::InvalidReplicaCount));
    let three = vec![replicas[0]; 3];
    assert_eq!(setup.verify_post(randomness, &three, &proof)?, Err(ProofError::InvalidReplicaCount));
    let twice = vec![replicas[0]; 2];
    assert_eq!(setup.verify_post(randomness, &twice, &proof)?, Err(ProofError::DuplicateReplica));
    assert_eq!(setup.verify_post([0xff; 32], &replicas, &proof)?, Err(ProofError::NonCanonicalFieldElement));
    Ok(())
}

/// SCALE bytes passed through as they are: arguments that no type of the contract encodes.
struct Raw(Vec<u8>);

impl Encode for Raw {
    fn encode_to<T: Output + ?Sized>(&self, dest: &mut T) {
        dest.write(&self.0)
    }
}

#[test]
fn an_unknown_proof_type_is_refused_without_a_trap() -> Result<()> {
    let mut setup = deploy(false)?;
    let owner = setup.owner.clone();
    // `ProofType::Seal` (0) of seal proof 9: no such variant. ink! answers
    // `LangError::CouldNotReadInput` (a revert with a named error), the chain does not trap.
    let mut args = vec![0u8, 9];
    setup.vectors.porep_key.encode_to(&mut args);
    let answer =
        setup.chain.call::<_, Result<(), ProofError>>(&owner, &setup.verifier, "set_verifying_key", Raw(args), 0);
    let error = answer.expect_err("an unknown proof type cannot be accepted").to_string();
    assert!(error.contains("could not dispatch"), "{error}");
    assert!(!error.contains("trapped"), "{error}");
    let stored: Option<Vec<u8>> = setup.chain.query(&owner, &setup.verifier, "verifying_key", (SEAL,))?;
    assert_eq!(stored, None);
    Ok(())
}
