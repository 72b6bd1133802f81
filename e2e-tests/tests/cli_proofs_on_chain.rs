//! Sectors sealed and proven by storage-cli (filecoin-proofs 18, Filecoin's `StackedDrg2KiBV1_1`)
//! verify through the deployed `proof_verifier` on the sandbox chain, under the keys `storage-cli
//! params` exports; changed inputs fail with a named error, the same one `storage-cli verify`
//! gives natively. Needs the Groth16 parameters in the machine cache (`scripts/params.sh`, once)
//! and the built contract (`scripts/build-contracts.sh`).
//!
//! Proving takes minutes, so the proofs are made once (two PoRep proofs, from the proof cache
//! after the first run on a machine, and two Window PoSt proofs) and shared by the tests.

use anyhow::Result;
use polka_storage_deploy::bundle::Bundle;
use polka_storage_deploy::chain::{dev_account, Chain, Deployed, Gas};
use polka_storage_primitives::proofs::{ProofError, PublicReplicaInfo, SealVerifyInfo};
use polka_storage_primitives::randomness::{draw_randomness, DomainSeparationTag};
use polka_storage_primitives::sector::{ProofType, RegisteredPoStProof, RegisteredSealProof};
use polka_storage_primitives::{AccountId, BlockNumber};
use sp_core::crypto::AccountId32;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use storage_cli::params::{self, Circuit, POST_PROOF, SEAL_PROOF};
use storage_cli::sector::{self, SealRequest, SectorStore};
use storage_cli::verify;

const SEAL: ProofType = ProofType::Seal(RegisteredSealProof::StackedDrg2KiBV1_1);
const POST: ProofType = ProofType::PoSt(RegisteredPoStProof::StackedDRGWindow2KiBV1P1);
/// The beacon output every value is drawn from (as `randomness_at` would answer it).
const BEACON: [u8; 32] = [0x3c; 32];
const TICKET_BLOCK: BlockNumber = 10;
const SEED_BLOCK: BlockNumber = 30;
const CHALLENGE_BLOCK: BlockNumber = 100;

/// What the tool proved, with everything the verifier checks it against.
struct ToolProofs {
    /// PoRep of sectors 1 (holding a piece) and 2 (empty), sealed and proven by the tool.
    seals: Vec<SealVerifyInfo>,
    /// The Window PoSt challenge randomness.
    randomness: [u8; 32],
    /// Sectors 1 and 2 with their CommR.
    replicas: Vec<PublicReplicaInfo>,
    /// Window PoSt over sector 1 alone.
    post_one: Vec<u8>,
    /// Window PoSt over sectors 1 and 2.
    post_two: Vec<u8>,
    /// The keys as `storage-cli params --export` writes them.
    porep_key: Vec<u8>,
    post_key: Vec<u8>,
}

fn provider() -> AccountId {
    AccountId::from(<[u8; 32]>::from(dev_account("Charlie")))
}

fn draw(tag: DomainSeparationTag, block: BlockNumber) -> [u8; 32] {
    let provider = provider();
    let entropy: &[u8; 32] = provider.as_ref();
    draw_randomness(&BEACON, tag, u64::from(block), entropy)
}

/// The key `scripts/params.sh` exported (`storage-cli params --export`), which must be the key
/// of the cached parameters the proofs are made with.
fn exported_key(circuit: Circuit) -> Result<Vec<u8>> {
    let key = params::verifying_key_bytes(circuit)?;
    let file = params::cache_root().join("verifying-keys").join(format!("{}.vk", circuit.key()));
    if let Ok(exported) = std::fs::read(&file) {
        anyhow::ensure!(
            exported == key,
            "{} is not the cached parameters' key: rerun scripts/params.sh",
            file.display()
        );
    }
    Ok(key)
}

/// The contract, read once before anything is proven: a missing bundle fails fast, and a
/// rebuild while the proofs are made does not change what the tests deploy.
fn bundle() -> Result<Arc<Bundle>> {
    static BUNDLE: OnceLock<Result<Arc<Bundle>, String>> = OnceLock::new();
    BUNDLE
        .get_or_init(|| Bundle::of("proof_verifier").map(Arc::new).map_err(|error| format!("{error:#}")))
        .clone()
        .map_err(anyhow::Error::msg)
}

/// The proofs, made by the first test that needs them; a failure is kept, so that the other
/// tests report it instead of proving again.
fn tool_proofs() -> &'static ToolProofs {
    static PROOFS: OnceLock<Result<ToolProofs, String>> = OnceLock::new();
    match PROOFS.get_or_init(|| make_proofs().map_err(|error| format!("{error:#}"))) {
        Ok(proofs) => proofs,
        Err(error) => panic!("{error}"),
    }
}

fn make_proofs() -> Result<ToolProofs> {
    params::configure()?;
    for circuit in Circuit::ALL {
        params::require_parameters(circuit)?;
    }
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-proofs-on-chain-{}", std::process::id()));
    std::fs::create_dir_all(&root)?;
    let piece = root.join("piece.bin");
    std::fs::write(&piece, (0..700u32).map(|i| (i * 7 % 251) as u8).collect::<Vec<_>>())?;
    let store = SectorStore::new(root.join("store"));
    let ticket = draw(DomainSeparationTag::SealRandomness, TICKET_BLOCK);
    let seed = draw(DomainSeparationTag::InteractiveSealChallengeSeed, SEED_BLOCK);
    let mut seals = Vec::new();
    let mut replicas = Vec::new();
    for (sector_number, pieces) in [(1u32, vec![piece.clone()]), (2, vec![])] {
        let request = SealRequest {
            provider: provider(),
            sector_number,
            ticket,
            seal_randomness_height: Some(TICKET_BLOCK),
            pieces,
        };
        let record = sector::seal(&store, &request)?;
        anyhow::ensure!(record.seal_proof == format!("{SEAL_PROOF:?}"), "sealed as {}", record.seal_proof);
        // Through the machine's proof cache: this test is about what the chain accepts; the
        // tool's proving itself is tested in cli/tests/proofs.rs.
        let (proof, _) = storage_cli::proof_cache::prove_commit(&store, sector_number, seed)?;
        seals.push(record.seal_verify_info(seed, proof));
        replicas.push(record.public_replica_info());
    }
    let randomness = draw(DomainSeparationTag::WindowedPoStChallengeSeed, CHALLENGE_BLOCK);
    let post_one = sector::window_post(&store, &[1], randomness)?;
    let post_two = sector::window_post(&store, &[1, 2], randomness)?;
    std::fs::remove_dir_all(&root)?;
    Ok(ToolProofs {
        seals,
        randomness,
        replicas,
        post_one,
        post_two,
        porep_key: exported_key(Circuit::Porep)?,
        post_key: exported_key(Circuit::WindowPost)?,
    })
}

struct Verifier {
    chain: Chain,
    contract: Deployed,
    caller: AccountId32,
}

/// A fresh chain with `proof_verifier` deployed and the tool's keys set by its owner.
fn deploy(proofs: &ToolProofs) -> Result<Verifier> {
    let mut chain = Chain::new();
    let owner = dev_account("Alice");
    let bundle = bundle()?;
    let contract = chain.instantiate(&owner, &bundle, "new", (), 0, b"")?;
    for (proof_type, key) in [(SEAL, &proofs.porep_key), (POST, &proofs.post_key)] {
        let answer = chain.call::<_, Result<(), ProofError>>(
            &owner,
            &contract,
            "set_verifying_key",
            (proof_type, key.clone()),
            0,
        )?;
        assert_eq!(answer.value, Ok(()), "set_verifying_key({proof_type:?})");
    }
    Ok(Verifier { chain, contract, caller: dev_account("Charlie") })
}

impl Verifier {
    fn porep(&mut self, seal: &SealVerifyInfo) -> Result<(Result<(), ProofError>, Gas)> {
        let answer = self.chain.call(&self.caller, &self.contract, "verify_porep", (seal.clone(),), 0)?;
        Ok((answer.value, answer.gas))
    }

    fn porep_batch(&mut self, seals: &[SealVerifyInfo]) -> Result<(Result<(), ProofError>, Gas)> {
        let answer = self.chain.call(&self.caller, &self.contract, "verify_porep_batch", (seals.to_vec(),), 0)?;
        Ok((answer.value, answer.gas))
    }

    fn post(
        &mut self,
        randomness: [u8; 32],
        replicas: &[PublicReplicaInfo],
        proof: &[u8],
    ) -> Result<(Result<(), ProofError>, Gas)> {
        let args = (POST_PROOF, randomness, replicas.to_vec(), proof.to_vec());
        let answer = self.chain.call(&self.caller, &self.contract, "verify_post", args, 0)?;
        Ok((answer.value, answer.gas))
    }
}

fn native_porep(proofs: &ToolProofs, seal: &SealVerifyInfo) -> Result<(), ProofError> {
    verify::verify_porep(&proofs.porep_key, seal).map(|_| ()).map_err(|rejection| rejection.error)
}

fn native_post(
    proofs: &ToolProofs,
    randomness: [u8; 32],
    replicas: &[PublicReplicaInfo],
    proof: &[u8],
) -> Result<(), ProofError> {
    verify::verify_post(&proofs.post_key, POST_PROOF, &randomness, replicas, proof)
        .map(|_| ())
        .map_err(|rejection| rejection.error)
}

fn report(what: &str, gas: Gas) {
    eprintln!(
        "{what}: ref_time {} ({:.1} % of a 2 s block), proof_size {}",
        gas.ref_time,
        100.0 * gas.share_of_block(),
        gas.proof_size
    );
}

#[test]
fn the_tools_porep_proofs_verify_on_chain_and_changes_fail_by_name() -> Result<()> {
    bundle()?;
    let proofs = tool_proofs();
    let mut verifier = deploy(proofs)?;
    for seal in &proofs.seals {
        assert_eq!(native_porep(proofs, seal), Ok(()));
        let (value, gas) = verifier.porep(seal)?;
        assert_eq!(value, Ok(()), "sector {}", seal.sector_number);
        report(&format!("verify_porep (sector {})", seal.sector_number), gas);
    }

    let seal = &proofs.seals[0];
    let mut wrong_seed = seal.clone();
    wrong_seed.seed = draw(DomainSeparationTag::InteractiveSealChallengeSeed, SEED_BLOCK + 1);
    let mut changed_comm_r = seal.clone();
    changed_comm_r.comm_r[0] ^= 1;
    let mut other_comm_r = seal.clone();
    other_comm_r.comm_r = proofs.seals[1].comm_r;
    let mut other_sector = seal.clone();
    other_sector.sector_number = 3;
    let mut negated_a = seal.clone();
    negated_a.proof[0] ^= 0x20; // the sign of A: -A is still a point
    let mut flipped_b = seal.clone();
    flipped_b.proof[100] ^= 1; // a bit of B's x: no longer a G2 subgroup point
    let mut off_range = seal.clone();
    off_range.comm_r = [0xff; 32];
    let cases = [
        ("wrong seed", wrong_seed, ProofError::InvalidProof),
        ("changed comm_r", changed_comm_r, ProofError::InvalidProof),
        ("another sector's comm_r", other_comm_r, ProofError::InvalidProof),
        ("other sector number", other_sector, ProofError::InvalidProof),
        ("negated A", negated_a, ProofError::InvalidProof),
        ("flipped bit of B", flipped_b, ProofError::InvalidProofPoint),
        ("comm_r above the group order", off_range, ProofError::NonCanonicalFieldElement),
    ];
    for (what, seal, expected) in cases {
        let (value, _) = verifier.porep(&seal)?;
        assert_eq!(value, Err(expected), "{what}");
        // `storage-cli verify` names the same error without spending gas.
        assert_eq!(native_porep(proofs, &seal), value, "{what}: storage-cli verify");
    }
    Ok(())
}

#[test]
fn a_batch_of_the_tools_two_porep_proofs_verifies_on_chain() -> Result<()> {
    bundle()?;
    let proofs = tool_proofs();
    let mut verifier = deploy(proofs)?;
    let (value, gas) = verifier.porep_batch(&proofs.seals)?;
    assert_eq!(value, Ok(()));
    report("verify_porep_batch (2 sectors)", gas);

    let mut wrong_seed = proofs.seals.clone();
    wrong_seed[1].seed[0] ^= 1;
    assert_eq!(verifier.porep_batch(&wrong_seed)?.0, Err(ProofError::InvalidProof));
    let mut swapped = proofs.seals.clone();
    let (first, second) = (swapped[0].comm_r, swapped[1].comm_r);
    swapped[0].comm_r = second;
    swapped[1].comm_r = first;
    assert_eq!(verifier.porep_batch(&swapped)?.0, Err(ProofError::InvalidProof));
    let mut flipped = proofs.seals.clone();
    flipped[0].proof[144] ^= 0x20; // the sign of C
    assert_eq!(verifier.porep_batch(&flipped)?.0, Err(ProofError::InvalidProof));
    Ok(())
}

/// What is changed, the randomness, replicas and proof given, and the error expected.
type PostCase<'a> = (&'a str, [u8; 32], &'a [PublicReplicaInfo], &'a [u8], ProofError);

#[test]
fn the_tools_window_post_proofs_verify_on_chain_and_changes_fail_by_name() -> Result<()> {
    bundle()?;
    let proofs = tool_proofs();
    let mut verifier = deploy(proofs)?;
    let (one, two) = (&proofs.replicas[..1], &proofs.replicas[..]);
    for (what, replicas, proof) in [("1 sector", one, &proofs.post_one), ("2 sectors", two, &proofs.post_two)] {
        assert_eq!(native_post(proofs, proofs.randomness, replicas, proof), Ok(()));
        let (value, gas) = verifier.post(proofs.randomness, replicas, proof)?;
        assert_eq!(value, Ok(()), "{what}");
        report(&format!("verify_post ({what})"), gas);
    }

    let other_randomness = draw(DomainSeparationTag::WindowedPoStChallengeSeed, CHALLENGE_BLOCK + 1);
    let mut changed_comm_r = proofs.replicas.clone();
    changed_comm_r[1].comm_r[2] ^= 1;
    let mut flipped = proofs.post_two.clone();
    flipped[0] ^= 0x20;
    let mut flipped_b = proofs.post_two.clone();
    flipped_b[100] ^= 1;
    let cases: [PostCase; 7] = [
        ("other randomness", other_randomness, two, &proofs.post_two, ProofError::InvalidProof),
        ("changed comm_r", proofs.randomness, &changed_comm_r, &proofs.post_two, ProofError::InvalidProof),
        ("a sector left out", proofs.randomness, one, &proofs.post_two, ProofError::InvalidProof),
        ("a sector added", proofs.randomness, two, &proofs.post_one, ProofError::InvalidProof),
        ("negated A", proofs.randomness, two, &flipped, ProofError::InvalidProof),
        ("flipped bit of B", proofs.randomness, two, &flipped_b, ProofError::InvalidProofPoint),
        ("a sector twice", proofs.randomness, &[proofs.replicas[0]; 2], &proofs.post_one, ProofError::DuplicateReplica),
    ];
    for (what, randomness, replicas, proof, expected) in cases {
        let (value, _) = verifier.post(randomness, replicas, proof)?;
        assert_eq!(value, Err(expected), "{what}");
        assert_eq!(native_post(proofs, randomness, replicas, proof), value, "{what}: storage-cli verify");
    }
    Ok(())
}
