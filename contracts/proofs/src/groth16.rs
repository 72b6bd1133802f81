//! Groth16 over BLS12-381 with Filecoin's byte formats (spec §4.4).
//!
//! - A proof is 192 bytes: A (G1, 48) ‖ B (G2, 96) ‖ C (G1, 48), zcash-compressed points.
//! - A verifying key is `alpha_g1 ‖ beta_g1 ‖ beta_g2 ‖ gamma_g2 ‖ delta_g1 ‖ delta_g2 ‖
//!   u32_be(ic_len) ‖ ic_len × G1`, compressed likewise.
//! - Keys are validated once and prepared (`e(α, β)`, the Miller-loop lines of −γ and −δ), so a
//!   verification pays for neither.
//! - A proof verifies iff `e(A, B) · e(acc, −γ) · e(C, −δ) = e(α, β)` with
//!   `acc = IC₀ + Σ inputᵢ · ICᵢ₊₁`.

use crate::PublicInput;
use alloc::vec::Vec;
use ark_bls12_381::{Bls12_381, Fq12, Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::pairing::{MillerLoopOutput, Pairing};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{Field, PrimeField, Zero};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};

type G2Prepared = <Bls12_381 as Pairing>::G2Prepared;

/// Bytes of a compressed G1 point.
pub const G1_BYTES: usize = 48;
/// Bytes of a compressed G2 point.
pub const G2_BYTES: usize = 96;
/// Bytes of a proof.
pub const PROOF_BYTES: usize = 2 * G1_BYTES + G2_BYTES;
/// Bytes of a key before its IC points.
const KEY_HEADER_BYTES: usize = 3 * G1_BYTES + 3 * G2_BYTES + 4;
/// Most IC points a key may have (a PoRep key has 40, a PoSt key 23).
pub const MAX_IC_POINTS: usize = 64;
/// Largest key in bytes.
pub const MAX_KEY_BYTES: usize = KEY_HEADER_BYTES + MAX_IC_POINTS * G1_BYTES;

/// Why a key, a proof or its inputs were rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Groth16Error {
    /// The key bytes are too short, too long, or their IC count disagrees with their length.
    InvalidKeyLength,
    /// A key point is malformed, off the curve or outside the prime-order subgroup.
    InvalidKeyPoint,
    /// The proof is not 192 bytes.
    InvalidProofLength,
    /// A proof point is malformed, off the curve or outside the prime-order subgroup.
    InvalidProofPoint,
    /// The number of public inputs does not match the key.
    WrongInputCount,
    /// A full-width input is not below the group order.
    NonCanonicalInput,
    /// A batch holds no proofs.
    EmptyBatch,
    /// The pairing check failed: the proof does not prove these inputs.
    InvalidProof,
}

fn read_g1(bytes: &[u8]) -> Option<G1Affine> {
    G1Affine::deserialize_with_mode(bytes, Compress::Yes, Validate::Yes).ok()
}

fn read_g2(bytes: &[u8]) -> Option<G2Affine> {
    G2Affine::deserialize_with_mode(bytes, Compress::Yes, Validate::Yes).ok()
}

/// A parsed and validated verifying key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyingKey {
    alpha_g1: G1Affine,
    beta_g2: G2Affine,
    gamma_g2: G2Affine,
    delta_g2: G2Affine,
    ic: Vec<G1Affine>,
}

impl VerifyingKey {
    /// Parses a key in the byte format of spec §4.4, checking every point.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Groth16Error> {
        if bytes.len() < KEY_HEADER_BYTES || bytes.len() > MAX_KEY_BYTES {
            return Err(Groth16Error::InvalidKeyLength);
        }
        let (header, ic_bytes) = bytes.split_at(KEY_HEADER_BYTES);
        let mut count = [0u8; 4];
        count.copy_from_slice(&header[KEY_HEADER_BYTES - 4..]);
        let ic_len = u32::from_be_bytes(count) as usize;
        if ic_len == 0 || ic_bytes.len() != ic_len.saturating_mul(G1_BYTES) {
            return Err(Groth16Error::InvalidKeyLength);
        }
        let g1 = |at: usize| read_g1(&header[at..at.saturating_add(G1_BYTES)]).ok_or(Groth16Error::InvalidKeyPoint);
        let g2 = |at: usize| read_g2(&header[at..at.saturating_add(G2_BYTES)]).ok_or(Groth16Error::InvalidKeyPoint);
        // alpha_g1 ‖ beta_g1 ‖ beta_g2 ‖ gamma_g2 ‖ delta_g1 ‖ delta_g2: beta_g1 and delta_g1 are
        // checked but not needed to verify.
        let alpha_g1 = g1(0)?;
        let _beta_g1 = g1(G1_BYTES)?;
        let beta_g2 = g2(2 * G1_BYTES)?;
        let gamma_g2 = g2(2 * G1_BYTES + G2_BYTES)?;
        let _delta_g1 = g1(2 * G1_BYTES + 2 * G2_BYTES)?;
        let delta_g2 = g2(3 * G1_BYTES + 2 * G2_BYTES)?;
        let ic = ic_bytes
            .chunks_exact(G1_BYTES)
            .map(|chunk| read_g1(chunk).ok_or(Groth16Error::InvalidKeyPoint))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { alpha_g1, beta_g2, gamma_g2, delta_g2, ic })
    }

    /// Number of public inputs the key verifies.
    pub fn public_inputs(&self) -> usize {
        self.ic.len().saturating_sub(1)
    }

    /// The key prepared for verification.
    pub fn prepare(&self) -> PreparedKey {
        PreparedKey {
            alpha_beta: Bls12_381::pairing(self.alpha_g1, self.beta_g2).0,
            neg_gamma: (-self.gamma_g2).into(),
            neg_delta: (-self.delta_g2).into(),
            ic: self.ic.clone(),
        }
    }
}

/// A verifying key ready to verify: `e(α, β)`, the lines of −γ and −δ, and the IC points.
#[derive(Debug, Clone, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct PreparedKey {
    alpha_beta: Fq12,
    neg_gamma: G2Prepared,
    neg_delta: G2Prepared,
    ic: Vec<G1Affine>,
}

impl PreparedKey {
    /// Serialises the prepared key for storage.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        self.serialize_uncompressed(&mut bytes).expect("writing to a Vec cannot fail");
        bytes
    }

    /// Reads a prepared key written by [`PreparedKey::to_bytes`]. Points are not re-validated:
    /// only keys that passed [`VerifyingKey::from_bytes`] are ever stored.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        Self::deserialize_uncompressed_unchecked(bytes).ok()
    }

    /// Number of public inputs the key verifies.
    pub fn public_inputs(&self) -> usize {
        self.ic.len().saturating_sub(1)
    }
}

/// A Groth16 proof with validated points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proof {
    a: G1Affine,
    b: G2Affine,
    c: G1Affine,
}

impl Proof {
    /// Parses 192 bytes A ‖ B ‖ C, checking that each point is on its curve and in the subgroup.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Groth16Error> {
        if bytes.len() != PROOF_BYTES {
            return Err(Groth16Error::InvalidProofLength);
        }
        let point = Groth16Error::InvalidProofPoint;
        Ok(Self {
            a: read_g1(&bytes[..G1_BYTES]).ok_or(point)?,
            b: read_g2(&bytes[G1_BYTES..G1_BYTES + G2_BYTES]).ok_or(point)?,
            c: read_g1(&bytes[G1_BYTES + G2_BYTES..]).ok_or(point)?,
        })
    }
}

/// Whether 32 little-endian bytes are a canonical scalar (below the group order).
pub fn is_canonical_scalar(bytes: &[u8; 32]) -> bool {
    scalar(&PublicInput::Full(*bytes)).is_ok()
}

fn scalar(input: &PublicInput) -> Result<Fr, Groth16Error> {
    match input {
        PublicInput::Small(value) => Ok(Fr::from(*value)),
        PublicInput::Full(bytes) => {
            let mut limbs = [0u64; 4];
            for (limb, chunk) in limbs.iter_mut().zip(bytes.chunks_exact(8)) {
                let mut word = [0u8; 8];
                word.copy_from_slice(chunk);
                *limb = u64::from_le_bytes(word);
            }
            Fr::from_bigint(ark_ff::BigInt(limbs)).ok_or(Groth16Error::NonCanonicalInput)
        }
    }
}

/// `IC₀ + Σ inputᵢ · ICᵢ₊₁`.
fn accumulate_inputs(key: &PreparedKey, inputs: &[PublicInput]) -> Result<G1Projective, Groth16Error> {
    if inputs.len() != key.public_inputs() {
        return Err(Groth16Error::WrongInputCount);
    }
    let mut acc = key.ic[0].into_group();
    for (input, base) in inputs.iter().zip(&key.ic[1..]) {
        acc += base.mul_bigint(scalar(input)?.into_bigint());
    }
    Ok(acc)
}

fn final_check(
    g1: Vec<G1Affine>,
    g2: Vec<G2Prepared>,
    expected: Fq12,
) -> Result<(), Groth16Error> {
    let miller = Bls12_381::multi_miller_loop(g1, g2);
    match Bls12_381::final_exponentiation(MillerLoopOutput(miller.0)) {
        Some(result) if result.0 == expected => Ok(()),
        _ => Err(Groth16Error::InvalidProof),
    }
}

/// Verifies `proof` for `inputs` under `key`.
pub fn verify(key: &PreparedKey, proof: &Proof, inputs: &[PublicInput]) -> Result<(), Groth16Error> {
    let acc = accumulate_inputs(key, inputs)?.into_affine();
    final_check(
        alloc::vec![proof.a, acc, proof.c],
        alloc::vec![proof.b.into(), key.neg_gamma.clone(), key.neg_delta.clone()],
        key.alpha_beta,
    )
}

/// Random-linear-combination coefficients for a batch: 128-bit scalars from a hash chain over
/// every proof and input, so no prover can choose them (there is no RNG in a contract).
fn batch_coefficients(items: &[(Proof, Vec<PublicInput>)]) -> Vec<Fr> {
    use polka_storage_primitives::hash::blake2_256;
    let mut transcript = Vec::new();
    for (proof, inputs) in items {
        for point in [proof.a, proof.c] {
            point.serialize_compressed(&mut transcript).expect("Vec");
        }
        proof.b.serialize_compressed(&mut transcript).expect("Vec");
        for input in inputs {
            match input {
                PublicInput::Small(value) => transcript.extend_from_slice(&value.to_le_bytes()),
                PublicInput::Full(bytes) => transcript.extend_from_slice(bytes),
            }
        }
    }
    let seed = blake2_256(&[b"polka-storage/groth16-batch", &transcript]);
    (0..items.len() as u64)
        .map(|index| {
            let digest = blake2_256(&[&seed, &index.to_le_bytes()]);
            Fr::from_le_bytes_mod_order(&digest[..16])
        })
        .collect()
}

/// Verifies several proofs under one key with one final exponentiation: for random `rᵢ`,
/// `Π e(rᵢAᵢ, Bᵢ) · e(Σ rᵢaccᵢ, −γ) · e(Σ rᵢCᵢ, −δ) = e(α, β)^Σrᵢ`. Fails if any proof fails.
pub fn verify_batch(
    key: &PreparedKey,
    items: &[(Proof, Vec<PublicInput>)],
) -> Result<(), Groth16Error> {
    if items.is_empty() {
        return Err(Groth16Error::EmptyBatch);
    }
    let coefficients = batch_coefficients(items);
    let mut g1 = Vec::with_capacity(items.len().saturating_add(2));
    let mut g2 = Vec::with_capacity(items.len().saturating_add(2));
    let mut acc = G1Projective::zero();
    let mut c = G1Projective::zero();
    let mut sum = Fr::zero();
    for ((proof, inputs), r) in items.iter().zip(&coefficients) {
        acc += accumulate_inputs(key, inputs)? * r;
        c += proof.c * r;
        g1.push((proof.a * r).into_affine());
        g2.push(proof.b.into());
        sum += r;
    }
    g1.extend([acc.into_affine(), c.into_affine()]);
    g2.extend([key.neg_gamma.clone(), key.neg_delta.clone()]);
    final_check(g1, g2, key.alpha_beta.pow(sum.into_bigint()))
}
