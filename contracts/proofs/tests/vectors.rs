//! The real proofs of `shared/vectors/polka-storage-2kib.json` (made by filecoin-proofs) verify,
//! and changing any input or any bit of a proof makes them fail.

use polka_storage_primitives::proofs::SealVerifyInfo;
use polka_storage_proofs::groth16::{verify, verify_batch, Groth16Error, PreparedKey, Proof, VerifyingKey};
use polka_storage_proofs::vectors::Vectors;
use polka_storage_proofs::{porep, post};

fn seal_vector() -> (SealVerifyInfo, PreparedKey) {
    let vectors = Vectors::load().unwrap();
    let key = VerifyingKey::from_bytes(&vectors.porep_key).unwrap();
    assert_eq!(key.public_inputs(), 39);
    (vectors.seal, key.prepare())
}

fn check_seal(seal: &SealVerifyInfo, key: &PreparedKey) -> Result<(), Groth16Error> {
    let proof = Proof::from_bytes(&seal.proof)?;
    verify(key, &proof, &porep::public_inputs(seal).unwrap())
}

/// The vector with each of its inputs changed in turn.
fn changed_seals(seal: &SealVerifyInfo) -> Vec<SealVerifyInfo> {
    let mut changes = Vec::new();
    let mut changed = seal.clone();
    changed.sector_number += 1;
    changes.push(changed);
    for field in 0..5 {
        let mut changed = seal.clone();
        let bytes = match field {
            0 => &mut changed.ticket,
            1 => &mut changed.seed,
            2 => &mut changed.comm_r,
            3 => &mut changed.comm_d,
            _ => &mut changed.prover_id,
        };
        bytes[0] ^= 1;
        changes.push(changed);
    }
    changes
}

#[test]
fn porep_vector_verifies_and_every_change_fails() {
    let (seal, key) = seal_vector();
    assert_eq!(check_seal(&seal, &key), Ok(()));
    for changed in changed_seals(&seal) {
        assert_eq!(check_seal(&changed, &key), Err(Groth16Error::InvalidProof), "{changed:?}");
    }
}

#[test]
fn every_flipped_proof_bit_fails_with_a_named_error() {
    let (seal, key) = seal_vector();
    for bit in 0..192 * 8 {
        let mut changed = seal.clone();
        changed.proof[bit / 8] ^= 1 << (bit % 8);
        let result = check_seal(&changed, &key);
        assert!(
            matches!(result, Err(Groth16Error::InvalidProof | Groth16Error::InvalidProofPoint)),
            "bit {bit}: {result:?}"
        );
    }
}

#[test]
fn batches_verify_and_one_bad_proof_fails_the_batch() {
    let (seal, key) = seal_vector();
    let item = |seal: &SealVerifyInfo| (Proof::from_bytes(&seal.proof).unwrap(), porep::public_inputs(seal).unwrap());
    for size in [1, 2, 4] {
        let items: Vec<_> = (0..size).map(|_| item(&seal)).collect();
        assert_eq!(verify_batch(&key, &items), Ok(()), "batch of {size}");
    }
    for changed in changed_seals(&seal) {
        let items = vec![item(&seal), item(&changed), item(&seal)];
        assert_eq!(verify_batch(&key, &items), Err(Groth16Error::InvalidProof));
    }
    assert_eq!(verify_batch(&key, &[]), Err(Groth16Error::EmptyBatch));
}

#[test]
fn post_vector_verifies_and_every_change_fails() {
    let vectors = Vectors::load().unwrap();
    let key = VerifyingKey::from_bytes(&vectors.post_key).unwrap().prepare();
    let check = |randomness: &[u8; 32], replicas: &[_], proof: &[u8]| {
        let proof = Proof::from_bytes(proof)?;
        verify(&key, &proof, &post::public_inputs(vectors.post_proof, randomness, replicas).unwrap())
    };
    let (randomness, replicas) = (vectors.post_randomness, vectors.post_replicas.clone());
    assert_eq!(check(&randomness, &replicas, &vectors.post_bytes), Ok(()));
    let mut other = randomness;
    other[0] ^= 1;
    assert_eq!(check(&other, &replicas, &vectors.post_bytes), Err(Groth16Error::InvalidProof));
    let mut moved = replicas.clone();
    moved[0].sector_number += 1;
    assert_eq!(check(&randomness, &moved, &vectors.post_bytes), Err(Groth16Error::InvalidProof));
    let mut comm_r = replicas.clone();
    comm_r[0].comm_r[5] ^= 1;
    assert_eq!(check(&randomness, &comm_r, &vectors.post_bytes), Err(Groth16Error::InvalidProof));
}

#[test]
fn malformed_keys_are_rejected() {
    let vectors = Vectors::load().unwrap();
    let key = &vectors.porep_key;
    assert_eq!(VerifyingKey::from_bytes(&key[..100]).err(), Some(Groth16Error::InvalidKeyLength));
    assert_eq!(VerifyingKey::from_bytes(&key[..key.len() - 1]).err(), Some(Groth16Error::InvalidKeyLength));
    let mut longer = key.clone();
    longer.extend_from_slice(&[0u8; 48]);
    assert_eq!(VerifyingKey::from_bytes(&longer).err(), Some(Groth16Error::InvalidKeyLength));
    assert_eq!(VerifyingKey::from_bytes(&vec![0u8; 100_000]).err(), Some(Groth16Error::InvalidKeyLength));
    let mut bad_point = key.clone();
    bad_point[10] ^= 0x55;
    assert_eq!(VerifyingKey::from_bytes(&bad_point).err(), Some(Groth16Error::InvalidKeyPoint));
}
