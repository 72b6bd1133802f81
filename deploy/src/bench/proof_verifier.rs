//! The proof verifier: key setting, PoRep and Window PoSt verification of the real proofs of
//! `shared/vectors`, batches of 2, 4 and 8 PoRep proofs, and in the same run the plain
//! arkworks baseline (`Groth16::verify_proof` on a stored prepared key, same inputs) so the
//! speed-up is a ratio within one engine.

use super::Measurement;
use crate::bundle::{standalone_bundle, Bundle};
use crate::chain::{dev_account, Chain, Deployed, Gas};
use anyhow::{ensure, Result};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use polka_storage_primitives::proofs::{ProofError, SealVerifyInfo};
use polka_storage_primitives::sector::{ProofType, RegisteredPoStProof, RegisteredSealProof};
use polka_storage_proofs::porep::public_inputs;
use polka_storage_proofs::vectors::Vectors;
use polka_storage_proofs::PublicInput;
use sp_runtime::AccountId32;
use std::sync::Arc;

const CONTRACT: &str = "proof_verifier";
const SEAL: ProofType = ProofType::Seal(RegisteredSealProof::StackedDRG2KiBV1P1);
const POST: ProofType = ProofType::PoSt(RegisteredPoStProof::StackedDRGWindow2KiBV1P1);

/// The verifier's answer and gas, failing unless it verified.
fn verified(
    chain: &mut Chain,
    caller: &AccountId32,
    verifier: &Deployed,
    message: &str,
    args: impl scale::Encode,
) -> Result<Gas> {
    let answer = chain.call::<_, Result<(), ProofError>>(caller, verifier, message, args, 0)?;
    ensure!(answer.value.is_ok(), "{message}: {:?}", answer.value);
    Ok(answer.gas)
}

/// Measures the suite's verifier and the arkworks baseline.
pub fn measure() -> Result<Vec<Measurement>> {
    let vectors = Vectors::load().map_err(anyhow::Error::msg)?;
    let mut chain = Chain::new();
    let owner = dev_account("Alice");
    let caller = dev_account("Bob");
    let verifier = chain.instantiate(&owner, &Arc::new(Bundle::of(CONTRACT)?), "new", (), 0, b"")?;
    let mut out = Vec::new();
    let gas = verified(&mut chain, &owner, &verifier, "set_verifying_key", (SEAL, vectors.porep_key.clone()))?;
    out.push(Measurement::new(CONTRACT, "set_verifying_key (PoRep, 40 IC points)", gas));
    let gas = verified(&mut chain, &owner, &verifier, "set_verifying_key", (POST, vectors.post_key.clone()))?;
    out.push(Measurement::new(CONTRACT, "set_verifying_key (Window PoSt, 23 IC points)", gas));

    let gas = verified(&mut chain, &caller, &verifier, "verify_porep", (vectors.seal.clone(),))?;
    out.push(Measurement::new(CONTRACT, "verify_porep", gas));
    let post_args =
        (vectors.post_proof, vectors.post_randomness, vectors.post_replicas.clone(), vectors.post_bytes.clone());
    let gas = verified(&mut chain, &caller, &verifier, "verify_post", post_args)?;
    out.push(Measurement::new(CONTRACT, "verify_post (1 sector)", gas));
    for size in [2usize, 4, 8] {
        let seals: Vec<SealVerifyInfo> = vec![vectors.seal.clone(); size];
        let gas = verified(&mut chain, &caller, &verifier, "verify_porep_batch", (seals,))?;
        out.push(Measurement::new(CONTRACT, format!("verify_porep_batch ({size} proofs)"), gas));
    }

    out.push(baseline(&mut chain, &vectors)?);
    Ok(out)
}

/// `Groth16::verify_proof` of arkworks 0.5 in a contract, on the same PoRep proof and inputs.
fn baseline(chain: &mut Chain, vectors: &Vectors) -> Result<Measurement> {
    let bundle = standalone_bundle("deploy/bench-contracts/groth16_baseline", "groth16_baseline")?;
    let owner = dev_account("Alice");
    let contract = chain.instantiate(&owner, &bundle, "new", (), 0, b"")?;
    // The key is prepared natively (arkworks' own format) and stored in 15 KiB cells.
    let key = ark_groth16::VerifyingKey::<ark_bls12_381::Bls12_381>::deserialize_compressed_unchecked(
        &filecoin_key_to_arkworks(&vectors.porep_key)?[..],
    )?;
    let prepared = ark_groth16::prepare_verifying_key(&key);
    let mut bytes = Vec::new();
    prepared.serialize_uncompressed(&mut bytes)?;
    for (index, chunk) in bytes.chunks(15 * 1024).enumerate() {
        chain.call::<_, ()>(&owner, &contract, "store_key_chunk", (index as u8, chunk.to_vec()), 0)?;
    }
    let inputs: Vec<[u8; 32]> = public_inputs(&vectors.seal)
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .iter()
        .map(|input| match input {
            PublicInput::Small(value) => {
                let mut bytes = [0u8; 32];
                bytes[..8].copy_from_slice(&value.to_le_bytes());
                bytes
            }
            PublicInput::Full(bytes) => *bytes,
        })
        .collect();
    let answer = chain.call::<_, bool>(&owner, &contract, "verify", (vectors.seal.proof.clone(), inputs), 0)?;
    ensure!(answer.value, "the arkworks baseline rejected the vector");
    Ok(Measurement::new("groth16_baseline", "verify (plain ark-groth16, same PoRep inputs)", answer.gas))
}

/// The spec §4.4 key bytes in arkworks' compressed `VerifyingKey` layout: the same zcash points
/// (alpha_g1, beta_g2, gamma_g2, delta_g2) and the IC list with a u64 little-endian length.
fn filecoin_key_to_arkworks(key: &[u8]) -> Result<Vec<u8>> {
    const G1: usize = 48;
    const G2: usize = 96;
    ensure!(key.len() > 3 * G1 + 3 * G2 + 4, "key too short");
    let mut out = Vec::with_capacity(key.len());
    out.extend_from_slice(&key[..G1]); // alpha_g1
    out.extend_from_slice(&key[2 * G1..2 * G1 + 2 * G2]); // beta_g2, gamma_g2
    out.extend_from_slice(&key[3 * G1 + 2 * G2..3 * G1 + 3 * G2]); // delta_g2
    let count_at = 3 * G1 + 3 * G2;
    let count = u32::from_be_bytes(key[count_at..count_at + 4].try_into()?);
    out.extend_from_slice(&u64::from(count).to_le_bytes());
    out.extend_from_slice(&key[count_at + 4..]);
    Ok(out)
}
