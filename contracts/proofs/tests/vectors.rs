//! The real proofs of `shared/vectors/polka-storage-2kib.json` (made by filecoin-proofs) verify,
//! and changing any input or any bit of a proof makes them fail.

use polka_storage_primitives::proofs::{PublicReplicaInfo, SealVerifyInfo};
use polka_storage_primitives::sector::{RegisteredPoStProof, RegisteredSealProof};
use polka_storage_proofs::groth16::{verify, Groth16Error, PreparedKey, Proof, VerifyingKey};
use polka_storage_proofs::{porep, post};
use serde_json::Value;

fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/vectors/polka-storage-2kib.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("../shared/vectors beside the clone")).unwrap()
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

fn hex32(value: &Value) -> [u8; 32] {
    hex(value.as_str().unwrap()).try_into().unwrap()
}

fn seal_vector() -> (SealVerifyInfo, PreparedKey) {
    let v = &vectors()["porep"];
    let seal = SealVerifyInfo {
        seal_proof: RegisteredSealProof::StackedDRG2KiBV1P1,
        prover_id: hex32(&v["prover_id"]),
        sector_number: v["sector_number"].as_u64().unwrap() as u32,
        ticket: hex32(&v["ticket"]),
        seed: hex32(&v["seed"]),
        comm_r: hex32(&v["comm_r"]),
        comm_d: hex32(&v["comm_d"]),
        proof: hex(v["proof"].as_str().unwrap()),
    };
    let key = VerifyingKey::from_bytes(&hex(v["verifying_key"].as_str().unwrap())).unwrap();
    assert_eq!(key.public_inputs(), 39);
    (seal, key.prepare())
}

fn check_seal(seal: &SealVerifyInfo, key: &PreparedKey) -> Result<(), Groth16Error> {
    let proof = Proof::from_bytes(&seal.proof)?;
    verify(key, &proof, &porep::public_inputs(seal).unwrap())
}

#[test]
fn porep_vector_verifies_and_every_change_fails() {
    let (seal, key) = seal_vector();
    assert_eq!(check_seal(&seal, &key), Ok(()));
    let mut changes: Vec<SealVerifyInfo> = Vec::new();
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
    for changed in &changes {
        assert_eq!(check_seal(changed, &key), Err(Groth16Error::InvalidProof), "{changed:?}");
    }
}

#[test]
fn every_flipped_proof_bit_fails_with_a_named_error() {
    let (seal, key) = seal_vector();
    for bit in (0..192 * 8).step_by(7) {
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
fn post_vector_verifies_and_every_change_fails() {
    let v = &vectors()["post"];
    let key = VerifyingKey::from_bytes(&hex(v["verifying_key"].as_str().unwrap())).unwrap().prepare();
    let replicas: Vec<PublicReplicaInfo> = v["replicas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| PublicReplicaInfo {
            sector_number: r["sector_number"].as_u64().unwrap() as u32,
            comm_r: hex32(&r["comm_r"]),
        })
        .collect();
    let randomness = hex32(&v["randomness"]);
    let proof_bytes = hex(v["proof"].as_str().unwrap());
    let post_type = RegisteredPoStProof::StackedDRGWindow2KiBV1P1;
    let check = |randomness: &[u8; 32], replicas: &[PublicReplicaInfo], proof: &[u8]| {
        let proof = Proof::from_bytes(proof)?;
        verify(&key, &proof, &post::public_inputs(post_type, randomness, replicas).unwrap())
    };
    assert_eq!(check(&randomness, &replicas, &proof_bytes), Ok(()));
    let mut other = randomness;
    other[0] ^= 1;
    assert_eq!(check(&other, &replicas, &proof_bytes), Err(Groth16Error::InvalidProof));
    let mut moved = replicas.clone();
    moved[0].sector_number += 1;
    assert_eq!(check(&randomness, &moved, &proof_bytes), Err(Groth16Error::InvalidProof));
    let mut comm_r = replicas.clone();
    comm_r[0].comm_r[5] ^= 1;
    assert_eq!(check(&randomness, &comm_r, &proof_bytes), Err(Groth16Error::InvalidProof));
}
