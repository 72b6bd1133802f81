//! `storage-cli verify` on the real proofs of `shared/vectors` (made by filecoin-proofs for
//! Polka Storage's 2 KiB proof type): they verify, and every change fails with the error the
//! verifier contract answers and the check that failed. The tool's own proofs are checked in
//! `proofs.rs`, where they are made.

use std::process::{Command, Output};

use polka_storage_primitives::proofs::{ProofError, PublicReplicaInfo, SealVerifyInfo};
use polka_storage_primitives::sector::ProofType;
use polka_storage_proofs::vectors::Vectors;
use polka_storage_proofs::{porep, post};
use storage_cli::format::hex0x;
use storage_cli::verify::{self, Check, Rejection};

fn vectors() -> Vectors {
    Vectors::load().unwrap()
}

fn porep_rejection(key: &[u8], seal: &SealVerifyInfo) -> (ProofError, Check) {
    let rejection: Rejection = verify::verify_porep(key, seal).unwrap_err();
    eprintln!("{rejection}");
    (rejection.error, rejection.check)
}

fn post_rejection(
    vectors: &Vectors,
    randomness: [u8; 32],
    replicas: &[PublicReplicaInfo],
    proof: &[u8],
) -> (ProofError, Check) {
    let rejection =
        verify::verify_post(&vectors.post_key, vectors.post_proof, &randomness, replicas, proof).unwrap_err();
    eprintln!("{rejection}");
    (rejection.error, rejection.check)
}

#[test]
fn the_porep_vector_verifies_with_the_contracts_inputs() {
    let vectors = vectors();
    let verified = verify::verify_porep(&vectors.porep_key, &vectors.seal).unwrap();
    assert_eq!(verified.public_inputs, porep::public_inputs(&vectors.seal).unwrap());
    assert_eq!(verified.public_inputs.len(), ProofType::Seal(vectors.seal.seal_proof).public_inputs());
}

#[test]
fn a_changed_porep_input_fails_with_its_named_reason() {
    let vectors = vectors();
    let (key, seal) = (&vectors.porep_key, &vectors.seal);
    let invalid = (ProofError::InvalidProof, Check::Pairing);

    let mut changed = seal.clone();
    changed.seed[3] ^= 8;
    assert_eq!(porep_rejection(key, &changed), invalid, "wrong seed");
    let mut changed = seal.clone();
    changed.ticket[0] ^= 1;
    assert_eq!(porep_rejection(key, &changed), invalid, "wrong ticket");
    let mut changed = seal.clone();
    changed.sector_number += 1;
    assert_eq!(porep_rejection(key, &changed), invalid, "wrong sector");
    let mut changed = seal.clone();
    changed.comm_r[0] ^= 1; // still a canonical scalar
    assert_eq!(porep_rejection(key, &changed), invalid, "wrong CommR");
    let mut changed = seal.clone();
    changed.prover_id[5] ^= 1;
    assert_eq!(porep_rejection(key, &changed), invalid, "wrong prover id");

    // The sign bit of A: -A is a valid point, so only the pairing can tell.
    let mut changed = seal.clone();
    changed.proof[0] ^= 0x20;
    assert_eq!(porep_rejection(key, &changed), invalid, "negated A");
    // A bit of B's x coordinate: no longer a point of the G2 subgroup.
    let mut changed = seal.clone();
    changed.proof[100] ^= 1;
    assert_eq!(porep_rejection(key, &changed), (ProofError::InvalidProofPoint, Check::ProofPoints));
    let mut changed = seal.clone();
    changed.proof.pop();
    assert_eq!(porep_rejection(key, &changed), (ProofError::InvalidProofLength, Check::ProofLength));

    let mut changed = seal.clone();
    changed.comm_r = [0xff; 32];
    let rejection = verify::verify_porep(key, &changed).unwrap_err();
    assert_eq!((rejection.error, rejection.check), (ProofError::NonCanonicalFieldElement, Check::CanonicalInputs));
    assert!(rejection.detail.contains("comm_r"), "{rejection}");

    // Another proof type's key, and a damaged key.
    assert_eq!(porep_rejection(&vectors.post_key, seal), (ProofError::WrongVerifyingKeySize, Check::KeySize));
    let mut damaged = key.clone();
    damaged[5] ^= 0x41;
    assert_eq!(porep_rejection(&damaged, seal), (ProofError::InvalidVerifyingKey, Check::KeyFormat));
    // The seal proof type is bound into the inputs (porep id): the Filecoin type's inputs
    // differ, and so does its key size check.
    let mut changed = seal.clone();
    changed.seal_proof = storage_cli::params::SEAL_PROOF;
    assert_eq!(porep_rejection(key, &changed), invalid, "other seal type");
}

#[test]
fn the_post_vector_verifies_and_changes_fail_with_their_named_reason() {
    let vectors = vectors();
    let (randomness, replicas, proof) =
        (vectors.post_randomness, vectors.post_replicas.clone(), vectors.post_bytes.clone());
    let verified = verify::verify_post(&vectors.post_key, vectors.post_proof, &randomness, &replicas, &proof).unwrap();
    assert_eq!(verified.public_inputs, post::public_inputs(vectors.post_proof, &randomness, &replicas).unwrap());

    let invalid = (ProofError::InvalidProof, Check::Pairing);
    let mut other = randomness;
    other[1] ^= 2;
    assert_eq!(post_rejection(&vectors, other, &replicas, &proof), invalid);
    let mut moved = replicas.clone();
    moved[0].sector_number += 1;
    assert_eq!(post_rejection(&vectors, randomness, &moved, &proof), invalid);
    let mut changed = replicas.clone();
    changed[0].comm_r[0] ^= 1;
    assert_eq!(post_rejection(&vectors, randomness, &changed, &proof), invalid);
    let mut flipped = proof.clone();
    flipped[144] ^= 0x20; // sign of C
    assert_eq!(post_rejection(&vectors, randomness, &replicas, &flipped), invalid);
    assert_eq!(post_rejection(&vectors, randomness, &[], &proof), (ProofError::InvalidReplicaCount, Check::Replicas));
    assert_eq!(
        post_rejection(&vectors, randomness, &[replicas[0]; 2], &proof),
        (ProofError::DuplicateReplica, Check::Replicas)
    );
    assert_eq!(
        post_rejection(&vectors, [0xff; 32], &replicas, &proof),
        (ProofError::NonCanonicalFieldElement, Check::CanonicalInputs)
    );
    let rejection =
        verify::verify_post(&vectors.porep_key, vectors.post_proof, &randomness, &replicas, &proof).unwrap_err();
    assert_eq!(rejection.error, ProofError::WrongVerifyingKeySize);
}

fn storage_cli(args: &[&str]) -> (Output, serde_json::Value) {
    let output = Command::new(env!("CARGO_BIN_EXE_storage-cli")).args(args).output().unwrap();
    let json = serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null);
    (output, json)
}

struct PorepCase {
    dir: tempfile::TempDir,
    seal: SealVerifyInfo,
}

impl PorepCase {
    fn new(vectors: &Vectors) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("porep.vk"), &vectors.porep_key).unwrap();
        // The proof as a file of raw bytes, as `prove-commit --out` writes it.
        std::fs::write(dir.path().join("porep.proof"), &vectors.seal.proof).unwrap();
        PorepCase { dir, seal: vectors.seal.clone() }
    }

    fn run(&self, proof: &str) -> (Output, serde_json::Value) {
        let key = self.dir.path().join("porep.vk");
        let seal = &self.seal;
        storage_cli(&[
            "verify",
            "porep",
            "--seal-proof",
            "StackedDRG2KiBV1P1",
            "--key",
            key.to_str().unwrap(),
            "--proof",
            proof,
            "--sector",
            &seal.sector_number.to_string(),
            "--prover-id",
            &hex0x(&seal.prover_id),
            "--ticket",
            &hex0x(&seal.ticket),
            "--seed",
            &hex0x(&seal.seed),
            "--comm-r",
            &hex0x(&seal.comm_r),
            "--comm-d",
            &hex0x(&seal.comm_d),
        ])
    }
}

#[test]
fn the_command_prints_valid_or_the_named_reason_with_exit_code_3() {
    let vectors = vectors();
    let mut case = PorepCase::new(&vectors);
    let proof_file = case.dir.path().join("porep.proof");
    let (output, json) = case.run(proof_file.to_str().unwrap());
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(json["valid"], true);
    assert_eq!(json["proof_type"], "Seal(StackedDRG2KiBV1P1)");
    assert_eq!(json["public_inputs_count"], 39);

    case.seal.seed[0] ^= 1;
    let (output, json) = case.run(&hex0x(&vectors.seal.proof));
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(json["valid"], false);
    assert_eq!(json["reason"], "InvalidProof");
    assert_eq!(json["check"], "Pairing");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("invalid: InvalidProof"), "{stderr}");

    case.seal = vectors.seal.clone();
    let mut flipped = vectors.seal.proof.clone();
    flipped[100] ^= 1;
    let (output, json) = case.run(&hex0x(&flipped));
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(json["reason"], "InvalidProofPoint");

    // Bad arguments are errors (exit 1), not verdicts.
    let (output, _) = case.run("/nonexistent/proof");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot read the proof"), "{stderr}");
}

#[test]
fn the_command_verifies_window_post_with_replicas_as_cids() {
    let vectors = vectors();
    let dir = tempfile::tempdir().unwrap();
    // The key as the contract's `verifying_key` view shows it: 0x hex text.
    let key = dir.path().join("window_post.vk");
    std::fs::write(&key, hex0x(&vectors.post_key)).unwrap();
    let replicas: Vec<String> = vectors
        .post_replicas
        .iter()
        .map(|replica| {
            let cid = polka_storage_primitives::commitment::commitment_to_cid(
                &replica.comm_r,
                polka_storage_primitives::commitment::CommitmentKind::Sealed,
            );
            format!("{}:{}", replica.sector_number, storage_cli::format::cid_to_text(&cid))
        })
        .collect();
    let run = |randomness: [u8; 32]| {
        let mut args = vec![
            "verify".to_string(),
            "window-post".into(),
            "--key".into(),
            key.to_str().unwrap().into(),
            "--proof".into(),
            hex0x(&vectors.post_bytes),
            "--randomness".into(),
            hex0x(&randomness),
            "--show-inputs".into(),
        ];
        for replica in &replicas {
            args.extend(["--replica".to_string(), replica.clone()]);
        }
        storage_cli(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let (output, json) = run(vectors.post_randomness);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(json["valid"], true);
    let expected: Vec<serde_json::Value> =
        post::public_inputs(vectors.post_proof, &vectors.post_randomness, &vectors.post_replicas)
            .unwrap()
            .iter()
            .map(verify::input_json)
            .collect();
    assert_eq!(json["public_inputs"], serde_json::Value::Array(expected));

    let mut other = vectors.post_randomness;
    other[2] ^= 4;
    let (output, json) = run(other);
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(json["reason"], "InvalidProof");
}
