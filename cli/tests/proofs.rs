//! Sealing and proving with storage-cli, checked by filecoin-proofs' own verifiers
//! (`verify_seal`, `verify_window_post`). Needs the Groth16 parameters in the machine cache:
//! `scripts/params.sh` makes them once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard, OnceLock};

use filecoin_proofs::{verify_seal, verify_window_post, PublicReplicaInfo};
use polka_storage_primitives::proofs::ProofError;
use polka_storage_primitives::randomness::{derive_prover_id, draw_randomness, DomainSeparationTag};
use polka_storage_primitives::AccountId;
use storage_cli::format::groth16_bytes;
use storage_cli::params::{self, porep_config, window_post_config, Circuit, Tree};
use storage_cli::sector::{self, SealRequest, SectorRecord, SectorStore};
use storage_cli::verify::{self, Check};
use storage_proofs_core::sector::SectorId;

const PROVIDER: [u8; 32] = [0x77; 32];
const BEACON: [u8; 32] = [0x5a; 32];

/// Fails (never skips) when the parameters are missing, saying how to make them.
fn require_parameters() {
    params::configure().unwrap();
    for circuit in Circuit::ALL {
        if let Err(error) = params::require_parameters(circuit) {
            panic!("{error:#}");
        }
    }
}

/// Proofs take all the cores: one at a time.
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

struct Fixture {
    _dir: tempfile::TempDir,
    store: SectorStore,
    root: PathBuf,
    pieces: Vec<PathBuf>,
}

/// A store with pieces on disk; sectors are sealed by each test.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        // Statics are never dropped: clear what earlier runs left (older than a day).
        remove_stale_stores(Path::new(env!("CARGO_TARGET_TMPDIR")));
        let dir =
            tempfile::Builder::new().prefix("storage-cli-proofs").tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let root = dir.path().join("store");
        let pieces: Vec<PathBuf> = [(300usize, 1u8), (700, 2)]
            .into_iter()
            .map(|(len, fill)| {
                let path = dir.path().join(format!("piece-{fill}.bin"));
                let bytes: Vec<u8> =
                    (0..len).map(|index| (index as u8).wrapping_mul(fill).wrapping_add(fill)).collect();
                std::fs::write(&path, bytes).unwrap();
                path
            })
            .collect();
        Fixture { store: SectorStore::new(&root), root, pieces, _dir: dir }
    })
}

fn remove_stale_stores(tmp: &Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let stale = entry
            .metadata()
            .and_then(|metadata| metadata.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age.as_secs() > 24 * 3600);
        if stale && entry.file_name().to_string_lossy().starts_with("storage-cli-proofs") {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn provider() -> AccountId {
    AccountId::from(PROVIDER)
}

fn seal(sector: u32, ticket: [u8; 32], pieces: &[PathBuf]) -> SectorRecord {
    let request = SealRequest {
        provider: provider(),
        sector_number: sector,
        ticket,
        seal_randomness_height: None,
        pieces: pieces.to_vec(),
    };
    sector::seal(&fixture().store, &request).unwrap()
}

fn verifies_seal(record: &SectorRecord, seed: [u8; 32], proof: &[u8]) -> bool {
    verify_seal::<Tree>(
        &porep_config(),
        record.comm_r,
        record.comm_d,
        record.prover_id,
        SectorId::from(u64::from(record.sector_number)),
        record.ticket,
        seed,
        proof,
    )
    .unwrap_or(false)
}

fn verifies_post(records: &[&SectorRecord], randomness: [u8; 32], proof: &[u8]) -> bool {
    let replicas: BTreeMap<SectorId, PublicReplicaInfo> = records
        .iter()
        .map(|record| (SectorId::from(u64::from(record.sector_number)), PublicReplicaInfo::new(record.comm_r).unwrap()))
        .collect();
    verify_window_post::<Tree>(&window_post_config(), &randomness, &replicas, records[0].prover_id, proof)
        .unwrap_or(false)
}

fn run(args: &[&str]) -> serde_json::Value {
    let output = Command::new(env!("CARGO_BIN_EXE_storage-cli")).args(args).output().unwrap();
    assert!(output.status.success(), "storage-cli {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Runs `storage-cli` and returns its exit code and JSON output, whatever the outcome.
fn run_status(args: &[&str]) -> (Option<i32>, serde_json::Value, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_storage-cli")).args(args).output().unwrap();
    let json = serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null);
    (output.status.code(), json, String::from_utf8_lossy(&output.stderr).into_owned())
}

/// The exported key of `circuit` in a file, as `storage-cli params --export` writes it.
fn exported_key(circuit: Circuit) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{}.vk", circuit.key()));
    std::fs::write(&path, params::verifying_key_bytes(circuit).unwrap()).unwrap();
    (dir, path)
}

fn hex_bytes(value: &serde_json::Value) -> Vec<u8> {
    hex::decode(value.as_str().unwrap().trim_start_matches("0x")).unwrap()
}

fn path_text(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The whole provider flow through the binary: the ticket and seed are derived from beacon
/// outputs exactly as the contracts derive them, and the proof verifies with filecoin-proofs.
#[test]
fn a_sector_sealed_and_proven_by_the_command_verifies() {
    require_parameters();
    let _guard = one_at_a_time();
    let fixture = fixture();
    let provider_hex = format!("0x{}", hex::encode(PROVIDER));
    let sealed = run(&[
        "seal",
        "--store",
        path_text(&fixture.root),
        "--provider",
        &provider_hex,
        "--sector",
        "1",
        "--ticket-beacon",
        &hex::encode(BEACON),
        "--ticket-block",
        "40",
        "--piece",
        path_text(&fixture.pieces[0]),
        "--piece",
        path_text(&fixture.pieces[1]),
    ]);
    let record = fixture.store.load(1).unwrap();
    let ticket = draw_randomness(&BEACON, DomainSeparationTag::SealRandomness, 40, &PROVIDER);
    assert_eq!(record.ticket, ticket);
    assert_eq!(record.prover_id, derive_prover_id(&provider()));
    assert_eq!(sealed["seal_randomness_height"], 40);
    assert_eq!(hex_bytes(&sealed["comm_r"]), record.comm_r);
    let sealed_cid = hex_bytes(&sealed["sealed_cid"]);
    assert_eq!(sealed_cid.len(), 40);
    assert_eq!(&sealed_cid[8..], &record.comm_r);

    let proven = run(&[
        "prove-commit",
        "--store",
        path_text(&fixture.root),
        "--sector",
        "1",
        "--seed-beacon",
        &hex::encode(BEACON),
        "--seed-block",
        "60",
    ]);
    let seed = draw_randomness(&BEACON, DomainSeparationTag::InteractiveSealChallengeSeed, 60, &PROVIDER);
    assert_eq!(hex_bytes(&proven["prove_commit"][0]["seed"]), seed);
    let proof = hex_bytes(&proven["prove_commit"][0]["proof"]);
    assert_eq!(proof.len(), 192);
    assert!(verifies_seal(&record, seed, &proof));
    // filecoin-proofs' proof bytes are the zcash compressed A ‖ B ‖ C of spec §4.4.
    assert_eq!(groth16_bytes::proof(&groth16_bytes::parse_proof(&proof).unwrap()), proof);

    // A wrong seed, ticket or commitment fails.
    let mut wrong_seed = seed;
    wrong_seed[0] ^= 1;
    assert!(!verifies_seal(&record, wrong_seed, &proof));
    let mut wrong_ticket = record.clone();
    wrong_ticket.ticket[0] ^= 1;
    assert!(!verifies_seal(&wrong_ticket, seed, &proof));
    let mut wrong_comm_d = record.clone();
    wrong_comm_d.comm_d = fixture.store.load(1).unwrap().comm_r;
    assert!(!verifies_seal(&wrong_comm_d, seed, &proof));
    let mut flipped = proof.clone();
    flipped[100] ^= 1;
    assert!(!verifies_seal(&record, seed, &flipped));

    // `storage-cli verify` (the contract's own checks) accepts it, from the values the other
    // commands printed: CommR and CommD as CIDs, ticket and seed from the beacon.
    let (_key_dir, key) = exported_key(Circuit::Porep);
    let verify_args = |seed_block: &str, proof: &[u8]| {
        let proof = hex::encode(proof);
        let args: Vec<String> = [
            "verify",
            "porep",
            "--key",
            path_text(&key),
            "--proof",
            &format!("0x{proof}"),
            "--sector",
            "1",
            "--provider",
            &provider_hex,
            "--ticket-beacon",
            &hex::encode(BEACON),
            "--ticket-block",
            "40",
            "--seed-beacon",
            &hex::encode(BEACON),
            "--seed-block",
            seed_block,
            "--comm-r",
            sealed["sealed_cid"].as_str().unwrap(),
            "--comm-d",
            sealed["unsealed_cid_text"].as_str().unwrap(),
        ]
        .iter()
        .map(|arg| arg.to_string())
        .collect();
        run_status(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let (code, json, stderr) = verify_args("60", &proof);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(json["valid"], true);
    assert_eq!(json["proof_type"], "Seal(StackedDrg2KiBV1_1)");
    let (code, json, _) = verify_args("61", &proof);
    assert_eq!((code, &json["reason"]), (Some(3), &serde_json::json!("InvalidProof")));

    // Library: each change fails with the reason the verifier contract gives.
    let key = params::verifying_key_bytes(Circuit::Porep).unwrap();
    let info = record.seal_verify_info(seed, proof.clone());
    assert!(verify::verify_porep(&key, &info).is_ok());
    let rejected = |info: &polka_storage_primitives::proofs::SealVerifyInfo| {
        let rejection = verify::verify_porep(&key, info).unwrap_err();
        eprintln!("{rejection}");
        (rejection.error, rejection.check)
    };
    let invalid = (ProofError::InvalidProof, Check::Pairing);
    let mut changed = info.clone();
    changed.seed = wrong_seed;
    assert_eq!(rejected(&changed), invalid, "wrong seed");
    let mut changed = info.clone();
    changed.comm_r[1] ^= 1;
    assert_eq!(rejected(&changed), invalid, "changed CommR");
    let mut changed = info.clone();
    changed.sector_number = 2;
    assert_eq!(rejected(&changed), invalid, "other sector number");
    let mut changed = info.clone();
    changed.proof[0] ^= 0x20; // the sign of A: still a point
    assert_eq!(rejected(&changed), invalid, "negated A");
    let mut changed = info.clone();
    changed.proof[100] ^= 1;
    assert_eq!(rejected(&changed), (ProofError::InvalidProofPoint, Check::ProofPoints));
}

/// Flips one bit of one node of a replica (the low bit: it stays a field element).
fn damage(path: &Path, node: usize) {
    let mut replica = std::fs::read(path).unwrap();
    replica[node * 32] ^= 1;
    std::fs::write(path, replica).unwrap();
}

#[test]
fn a_changed_replica_cannot_be_proven() {
    require_parameters();
    let _guard = one_at_a_time();
    let fixture = fixture();
    let record = seal(2, [0x21; 32], &fixture.pieces[..1]);
    // One changed node of 64 is enough: filecoin-proofs rebuilds the replica's tree and finds
    // that it no longer matches the sector's CommR.
    damage(&fixture.store.sealed_path(2), 37);
    let seed = [0x33; 32];
    match sector::prove_commit(&fixture.store, 2, seed) {
        Err(error) => eprintln!("PoRep of a changed replica refused: {error:#}"),
        Ok(proof) => assert!(!verifies_seal(&record, seed, &proof), "a changed replica was proven"),
    }
    match sector::window_post(&fixture.store, &[2], [0x07; 32]) {
        Err(error) => eprintln!("Window PoSt of a changed replica refused: {error:#}"),
        Ok(proof) => assert!(!verifies_post(&[&record], [0x07; 32], &proof), "a changed replica was proven"),
    }
}

#[test]
fn window_post_over_two_sectors_verifies_and_binds_its_challenge() {
    require_parameters();
    let _guard = one_at_a_time();
    let fixture = fixture();
    let first = seal(3, [0x31; 32], &fixture.pieces);
    let second = seal(4, [0x41; 32], &[]);
    let randomness = draw_randomness(&BEACON, DomainSeparationTag::WindowedPoStChallengeSeed, 90, &PROVIDER);
    let proof = sector::window_post(&fixture.store, &[4, 3], randomness).unwrap();
    assert_eq!(proof.len(), 192);
    assert!(verifies_post(&[&first, &second], randomness, &proof));
    let mut other = randomness;
    other[5] ^= 1;
    assert!(!verifies_post(&[&first, &second], other, &proof));
    assert!(!verifies_post(&[&first], randomness, &proof));

    // One sector alone (its inputs are repeated to fill the partition).
    let single = sector::window_post(&fixture.store, &[3], randomness).unwrap();
    assert!(verifies_post(&[&first], randomness, &single));
    assert!(!verifies_post(&[&second], randomness, &single));

    // `storage-cli verify` (the contract's own checks) agrees.
    let key = params::verifying_key_bytes(Circuit::WindowPost).unwrap();
    let post_proof = params::POST_PROOF;
    let both = [first.public_replica_info(), second.public_replica_info()];
    assert!(verify::verify_post(&key, post_proof, &randomness, &both, &proof).is_ok());
    assert!(verify::verify_post(&key, post_proof, &randomness, &both[..1], &single).is_ok());
    for (randomness, replicas, proof) in
        [(other, &both[..], &proof), (randomness, &both[..1], &proof), (randomness, &both[1..], &single)]
    {
        let rejection = verify::verify_post(&key, post_proof, &randomness, replicas, proof).unwrap_err();
        assert_eq!((rejection.error, rejection.check), (ProofError::InvalidProof, Check::Pairing));
    }
    let (_key_dir, key_file) = exported_key(Circuit::WindowPost);
    let provider_hex = format!("0x{}", hex::encode(PROVIDER));
    let replica = |record: &SectorRecord| format!("{}:0x{}", record.sector_number, hex::encode(record.comm_r));
    let (first_replica, second_replica) = (replica(&first), replica(&second));
    let proof_hex = format!("0x{}", hex::encode(&proof));
    let command = |block: &str| {
        run_status(&[
            "verify",
            "window-post",
            "--key",
            path_text(&key_file),
            "--proof",
            &proof_hex,
            "--replica",
            &second_replica,
            "--replica",
            &first_replica,
            "--challenge-beacon",
            &hex::encode(BEACON),
            "--challenge-block",
            block,
            "--provider",
            &provider_hex,
        ])
    };
    let (code, json, stderr) = command("90");
    assert_eq!((code, &json["valid"]), (Some(0), &serde_json::json!(true)), "{stderr}");
    let (code, json, _) = command("91");
    assert_eq!((code, &json["reason"]), (Some(3), &serde_json::json!("InvalidProof")));

    // More than one partition, duplicates and unknown sectors are refused with a reason.
    let too_many = sector::window_post(&fixture.store, &[2, 3, 4], randomness).unwrap_err();
    assert!(too_many.to_string().contains("at most 2 sectors"), "{too_many:#}");
    assert!(sector::window_post(&fixture.store, &[3, 3], randomness).is_err());
    let unknown = sector::window_post(&fixture.store, &[99], randomness).unwrap_err();
    assert!(format!("{unknown:#}").contains("storage-cli seal"), "{unknown:#}");
}

#[test]
fn sealing_refuses_what_the_contracts_would_reject() {
    require_parameters();
    let fixture = fixture();
    let request = |sector, pieces: Vec<PathBuf>| SealRequest {
        provider: provider(),
        sector_number: sector,
        ticket: [0x51; 32],
        seal_randomness_height: None,
        pieces,
    };
    // 2 × 1016 + 508 bytes of data do not fit in 2 KiB.
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.bin");
    std::fs::write(&big, vec![1u8; 1016]).unwrap();
    let error = sector::seal(&fixture.store, &request(50, vec![big.clone(), big.clone(), fixture.pieces[0].clone()]))
        .unwrap_err();
    assert!(error.to_string().contains("do not fit"), "{error:#}");
    assert!(!fixture.store.sector_dir(50).exists(), "nothing is written for a refused seal");
    let _guard = one_at_a_time();
    seal(51, [0x52; 32], &fixture.pieces[..1]);
    let again = sector::seal(&fixture.store, &request(51, vec![])).unwrap_err();
    assert!(again.to_string().contains("already sealed"), "{again:#}");
}

#[test]
fn verifying_keys_export_in_the_contract_format() {
    require_parameters();
    for (circuit, inputs) in [(Circuit::Porep, 39usize), (Circuit::WindowPost, 22)] {
        let key = params::verifying_key(circuit).unwrap();
        let bytes = params::verifying_key_bytes(circuit).unwrap();
        assert_eq!(key.ic.len(), inputs + 1);
        assert_eq!(bytes.len(), 436 + 48 * (inputs + 1));
        assert_eq!(&bytes[432..436], &((inputs + 1) as u32).to_be_bytes());
        let alpha = blstrs::G1Affine::from_compressed(bytes[..48].try_into().unwrap()).unwrap();
        assert_eq!(alpha, key.alpha_g1);
        let delta = blstrs::G2Affine::from_compressed(bytes[336..432].try_into().unwrap()).unwrap();
        assert_eq!(delta, key.delta_g2);
        let last = blstrs::G1Affine::from_compressed(bytes[bytes.len() - 48..].try_into().unwrap()).unwrap();
        assert_eq!(&last, key.ic.last().unwrap());
    }
}
