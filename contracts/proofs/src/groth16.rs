//! Groth16 over BLS12-381 with Filecoin's byte formats (spec §4.4).
//!
//! - A proof is 192 bytes: A (G1, 48) ‖ B (G2, 96) ‖ C (G1, 48), zcash-compressed points.
//! - A verifying key is `alpha_g1 ‖ beta_g1 ‖ beta_g2 ‖ gamma_g2 ‖ delta_g1 ‖ delta_g2 ‖
//!   u32_be(ic_len) ‖ ic_len × G1`, compressed likewise.
//! - Keys are validated once and prepared (`e(α, β)`, the Miller-loop lines of −γ and −δ), so a
//!   verification pays for neither.
//! - A proof verifies iff `e(A, B) · e(acc, −γ) · e(C, −δ) = e(α, β)` with
//!   `acc = IC₀ + Σ inputᵢ · ICᵢ₊₁`.

use crate::bls12_381::curve::{Affine, Jacobian};
use crate::bls12_381::fp::Fp;
use crate::bls12_381::fp12::Fp12;
use crate::bls12_381::fp2::Fp2;
use crate::bls12_381::fp6::Fp6;
use crate::bls12_381::msm::{multi_scalar_mul, Base};
use crate::bls12_381::pairing::{
    final_exponentiation, multi_miller_loop, pairing, prepare, Lines, LINES, LINE_ELEMENTS,
};
use crate::bls12_381::pingpong::PingPong;
use crate::bls12_381::points::{g1_from_compressed, g2_from_compressed, G1Affine, G2Affine};
use crate::PublicInput;
use alloc::vec::Vec;
use polka_storage_primitives::policy::{GROTH16_PROOF_BYTES, MAX_IC_POINTS};

/// Bytes of a compressed G1 point.
pub const G1_BYTES: usize = 48;
/// Bytes of a compressed G2 point.
pub const G2_BYTES: usize = 96;
/// Bytes of a key before its IC points.
const KEY_HEADER_BYTES: usize = 3 * G1_BYTES + 3 * G2_BYTES + 4;
/// Largest key in bytes: the header and `MAX_IC_POINTS` IC points.
pub const MAX_KEY_BYTES: usize = KEY_HEADER_BYTES + MAX_IC_POINTS * G1_BYTES;

/// The order r of the groups, little-endian words.
const GROUP_ORDER: [u64; 4] =
    [0xffff_ffff_0000_0001, 0x53bd_a402_fffe_5bfe, 0x3339_d808_09a1_d805, 0x73ed_a753_299d_7d48];

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
    /// The key's points are valid but degenerate: γ = δ, δ is the generator, or two IC points
    /// are equal. Such a key lets one proof be rewritten into proofs of other inputs.
    DegenerateKey,
}

/// The compressed generator of G1: δ_G1 equal to it means δ = 1, a public "toxic waste".
pub const G1_GENERATOR_BYTES: [u8; G1_BYTES] = [
    0x97, 0xf1, 0xd3, 0xa7, 0x31, 0x97, 0xd7, 0x94, 0x26, 0x95, 0x63, 0x8c, 0x4f, 0xa9, 0xac, 0x0f, 0xc3, 0x68, 0x8c,
    0x4f, 0x97, 0x74, 0xb9, 0x05, 0xa1, 0x4e, 0x3a, 0x3f, 0x17, 0x1b, 0xac, 0x58, 0x6c, 0x55, 0xe8, 0x3f, 0xf9, 0x7a,
    0x1a, 0xef, 0xfb, 0x3a, 0xf0, 0x0a, 0xdb, 0x22, 0xc6, 0xbb,
];

/// The compressed generator of G2 (γ may equal it: Filecoin's phase-2 keys keep γ = 1).
pub const G2_GENERATOR_BYTES: [u8; G2_BYTES] = [
    0x93, 0xe0, 0x2b, 0x60, 0x52, 0x71, 0x9f, 0x60, 0x7d, 0xac, 0xd3, 0xa0, 0x88, 0x27, 0x4f, 0x65, 0x59, 0x6b, 0xd0,
    0xd0, 0x99, 0x20, 0xb6, 0x1a, 0xb5, 0xda, 0x61, 0xbb, 0xdc, 0x7f, 0x50, 0x49, 0x33, 0x4c, 0xf1, 0x12, 0x13, 0x94,
    0x5d, 0x57, 0xe5, 0xac, 0x7d, 0x05, 0x5d, 0x04, 0x2b, 0x7e, 0x02, 0x4a, 0xa2, 0xb2, 0xf0, 0x8f, 0x0a, 0x91, 0x26,
    0x08, 0x05, 0x27, 0x2d, 0xc5, 0x10, 0x51, 0xc6, 0xe4, 0x7a, 0xd4, 0xfa, 0x40, 0x3b, 0x02, 0xb4, 0x51, 0x0b, 0x64,
    0x7a, 0xe3, 0xd1, 0x77, 0x0b, 0xac, 0x03, 0x26, 0xa8, 0x05, 0xbb, 0xef, 0xd4, 0x80, 0x56, 0xc8, 0xc1, 0x21, 0xbd,
    0xb8,
];

/// Refuses keys whose points are individually valid but together give forgeries. Decoding
/// accepts only canonical encodings (flags fixed, coordinates below p), so equal points have
/// equal bytes and byte comparison is point comparison.
fn check_not_degenerate(gamma_g2: &[u8], delta_g1: &[u8], delta_g2: &[u8], ic: &[u8]) -> Result<(), Groth16Error> {
    if gamma_g2 == delta_g2 || delta_g2 == G2_GENERATOR_BYTES || delta_g1 == G1_GENERATOR_BYTES {
        return Err(Groth16Error::DegenerateKey);
    }
    // At most MAX_IC_POINTS points: the quadratic scan is bounded (~2000 comparisons).
    let points: Vec<&[u8]> = ic.chunks_exact(G1_BYTES).collect();
    for (index, point) in points.iter().enumerate() {
        if points.iter().skip(index.saturating_add(1)).any(|other| other == point) {
            return Err(Groth16Error::DegenerateKey);
        }
    }
    Ok(())
}

fn key_g1(bytes: &[u8]) -> Result<G1Affine, Groth16Error> {
    let bytes: &[u8; G1_BYTES] = bytes.try_into().map_err(|_| Groth16Error::InvalidKeyLength)?;
    g1_from_compressed(bytes).map_err(|_| Groth16Error::InvalidKeyPoint)
}

fn key_g2(bytes: &[u8]) -> Result<G2Affine, Groth16Error> {
    let bytes: &[u8; G2_BYTES] = bytes.try_into().map_err(|_| Groth16Error::InvalidKeyLength)?;
    g2_from_compressed(bytes).map_err(|_| Groth16Error::InvalidKeyPoint)
}

/// A parsed and validated verifying key.
#[derive(Debug, Clone)]
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
        // alpha_g1 ‖ beta_g1 ‖ beta_g2 ‖ gamma_g2 ‖ delta_g1 ‖ delta_g2: beta_g1 and delta_g1 are
        // checked but not needed to verify.
        let (alpha, rest) = header.split_at(G1_BYTES);
        let (beta_g1, rest) = rest.split_at(G1_BYTES);
        let (beta_g2, rest) = rest.split_at(G2_BYTES);
        let (gamma_g2, rest) = rest.split_at(G2_BYTES);
        let (delta_g1, rest) = rest.split_at(G1_BYTES);
        let (delta_g2, _) = rest.split_at(G2_BYTES);
        let alpha_g1 = key_g1(alpha)?;
        key_g1(beta_g1)?;
        key_g1(delta_g1)?;
        let ic = ic_bytes.chunks_exact(G1_BYTES).map(key_g1).collect::<Result<Vec<_>, _>>()?;
        let gamma = key_g2(gamma_g2)?;
        let delta = key_g2(delta_g2)?;
        check_not_degenerate(gamma_g2, delta_g1, delta_g2, ic_bytes)?;
        Ok(Self { alpha_g1, beta_g2: key_g2(beta_g2)?, gamma_g2: gamma, delta_g2: delta, ic })
    }

    /// Number of public inputs the key verifies.
    pub fn public_inputs(&self) -> usize {
        self.ic.len().saturating_sub(1)
    }

    /// The key prepared for verification.
    pub fn prepare(&self) -> PreparedKey {
        PreparedKey {
            alpha_beta: pairing(&self.alpha_g1, &self.beta_g2),
            neg_gamma: prepare(&self.gamma_g2.neg()),
            neg_delta: prepare(&self.delta_g2.neg()),
            ic: self.ic.clone(),
        }
    }
}

/// A verifying key ready to verify: `e(α, β)`, the lines of −γ and −δ, and the IC points.
#[derive(Debug, Clone)]
pub struct PreparedKey {
    alpha_beta: Fp12,
    neg_gamma: Lines,
    neg_delta: Lines,
    ic: Vec<G1Affine>,
}

/// Field elements of a prepared key before its IC points: e(α, β) and two sets of lines.
const PREPARED_HEADER_ELEMENTS: usize = 12 + 2 * LINES * LINE_ELEMENTS;

/// Writes and reads the elements of a prepared key in their packed storage form.
struct Packer(Vec<u8>);

impl Packer {
    fn fp(&mut self, value: &Fp) {
        self.0.extend_from_slice(&value.to_packed());
    }
    fn fp2(&mut self, value: &Fp2) {
        self.fp(&value.c0);
        self.fp(&value.c1);
    }
    fn fp6(&mut self, value: &Fp6) {
        for part in [&value.c0, &value.c1, &value.c2] {
            self.fp2(part);
        }
    }
}

struct Unpacker<'a>(core::slice::ChunksExact<'a, u8>);

impl Unpacker<'_> {
    fn fp(&mut self) -> Option<Fp> {
        let chunk: &[u8; 48] = self.0.next()?.try_into().ok()?;
        Some(Fp::from_packed(chunk))
    }
    fn fp2(&mut self) -> Option<Fp2> {
        Some(Fp2 { c0: self.fp()?, c1: self.fp()? })
    }
    fn fp6(&mut self) -> Option<Fp6> {
        Some(Fp6 { c0: self.fp2()?, c1: self.fp2()?, c2: self.fp2()? })
    }
    fn lines(&mut self) -> Option<Lines> {
        let count = LINES.saturating_mul(LINE_ELEMENTS);
        let mut elements = Vec::with_capacity(count);
        for _ in 0..count {
            elements.push(self.fp()?);
        }
        Lines::from_elements(elements)
    }
}

impl PreparedKey {
    /// Serialises the prepared key for storage: every field element bit-packed in 48 bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let elements = PREPARED_HEADER_ELEMENTS.saturating_add(self.ic.len().saturating_mul(2));
        let mut packer = Packer(Vec::with_capacity(elements.saturating_mul(48)));
        packer.fp6(&self.alpha_beta.c0);
        packer.fp6(&self.alpha_beta.c1);
        for element in self.neg_gamma.elements().iter().chain(self.neg_delta.elements()) {
            packer.fp(element);
        }
        for point in &self.ic {
            packer.fp(&point.x);
            packer.fp(&point.y);
        }
        packer.0
    }

    /// Reads a prepared key written by [`PreparedKey::to_bytes`]. Points are not re-validated:
    /// only keys that passed [`VerifyingKey::from_bytes`] are ever stored.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() % 48 != 0 || bytes.len() / 48 < PREPARED_HEADER_ELEMENTS {
            return None;
        }
        let ic_elements = (bytes.len() / 48).checked_sub(PREPARED_HEADER_ELEMENTS)?;
        if ic_elements % 2 != 0 {
            return None;
        }
        let mut unpacker = Unpacker(bytes.chunks_exact(48));
        let alpha_beta = Fp12 { c0: unpacker.fp6()?, c1: unpacker.fp6()? };
        let neg_gamma = unpacker.lines()?;
        let neg_delta = unpacker.lines()?;
        let ic = (0..ic_elements / 2)
            .map(|_| Some(Affine { x: unpacker.fp()?, y: unpacker.fp()?, infinity: false }))
            .collect::<Option<Vec<_>>>()?;
        Some(Self { alpha_beta, neg_gamma, neg_delta, ic })
    }

    /// Number of public inputs the key verifies.
    pub fn public_inputs(&self) -> usize {
        self.ic.len().saturating_sub(1)
    }
}

/// A Groth16 proof with validated points.
#[derive(Debug, Clone)]
pub struct Proof {
    a: G1Affine,
    b: G2Affine,
    c: G1Affine,
    bytes: [u8; GROTH16_PROOF_BYTES],
}

impl Proof {
    /// Parses 192 bytes A ‖ B ‖ C, checking that each point is on its curve and in the subgroup.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Groth16Error> {
        let bytes: [u8; GROTH16_PROOF_BYTES] = bytes.try_into().map_err(|_| Groth16Error::InvalidProofLength)?;
        let (a, rest) = bytes.split_at(G1_BYTES);
        let (b, c) = rest.split_at(G2_BYTES);
        let point = |_| Groth16Error::InvalidProofPoint;
        let a: &[u8; G1_BYTES] = a.try_into().map_err(|_| Groth16Error::InvalidProofLength)?;
        let b: &[u8; G2_BYTES] = b.try_into().map_err(|_| Groth16Error::InvalidProofLength)?;
        let c: &[u8; G1_BYTES] = c.try_into().map_err(|_| Groth16Error::InvalidProofLength)?;
        Ok(Self {
            a: g1_from_compressed(a).map_err(point)?,
            b: g2_from_compressed(b).map_err(point)?,
            c: g1_from_compressed(c).map_err(point)?,
            bytes,
        })
    }
}

/// The input as little-endian words, checked to be below the group order.
fn scalar(input: &PublicInput) -> Result<[u64; 4], Groth16Error> {
    match input {
        PublicInput::Small(value) => Ok([*value, 0, 0, 0]),
        PublicInput::Full(bytes) => {
            let mut words = [0u64; 4];
            for (word, chunk) in words.iter_mut().zip(bytes.chunks_exact(8)) {
                let mut le = [0u8; 8];
                le.copy_from_slice(chunk);
                *word = u64::from_le_bytes(le);
            }
            // Compare from the most significant word.
            let below = words.iter().rev().cmp(GROUP_ORDER.iter().rev()) == core::cmp::Ordering::Less;
            below.then_some(words).ok_or(Groth16Error::NonCanonicalInput)
        }
    }
}

/// Whether 32 little-endian bytes are a canonical scalar (below the group order).
pub fn is_canonical_scalar(bytes: &[u8; 32]) -> bool {
    scalar(&PublicInput::Full(*bytes)).is_ok()
}

/// `IC₀ + Σ inputᵢ · ICᵢ₊₁`, as one multi-scalar multiplication.
fn accumulate_inputs(key: &PreparedKey, inputs: &[PublicInput]) -> Result<Jacobian<Fp>, Groth16Error> {
    if inputs.len() != key.public_inputs() {
        return Err(Groth16Error::WrongInputCount);
    }
    let mut terms = Vec::with_capacity(key.ic.len());
    let mut ic = key.ic.iter();
    if let Some(first) = ic.next() {
        terms.push((Base::Affine(first), [1, 0, 0, 0]));
    }
    for (input, base) in inputs.iter().zip(ic) {
        terms.push((Base::Affine(base), scalar(input)?));
    }
    Ok(multi_scalar_mul(&terms))
}

/// Verifies `proof` for `inputs` under `key`.
pub fn verify(key: &PreparedKey, proof: &Proof, inputs: &[PublicInput]) -> Result<(), Groth16Error> {
    let acc = accumulate_inputs(key, inputs)?.to_affine();
    let b_lines = prepare(&proof.b);
    let f = multi_miller_loop(&[(proof.a, &b_lines), (acc, &key.neg_gamma), (proof.c, &key.neg_delta)]);
    if final_exponentiation(&f).equals(&key.alpha_beta) {
        Ok(())
    } else {
        Err(Groth16Error::InvalidProof)
    }
}

/// Random-linear-combination coefficients for a batch: 128-bit scalars from a hash chain over
/// every proof and input, so no prover can choose them (there is no RNG in a contract).
fn batch_coefficients(items: &[(Proof, Vec<PublicInput>)]) -> Vec<[u64; 4]> {
    use polka_storage_primitives::hash::blake2_256;
    let mut transcript = Vec::new();
    for (proof, inputs) in items {
        transcript.extend_from_slice(&proof.bytes);
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
            let mut low = [0u8; 8];
            let mut high = [0u8; 8];
            low.copy_from_slice(&digest[..8]);
            high.copy_from_slice(&digest[8..16]);
            [u64::from_le_bytes(low), u64::from_le_bytes(high), 0, 0]
        })
        .collect()
}

/// `g^exponent` in GT (the cyclotomic subgroup), exponent as little-endian words.
fn gt_pow(g: &Fp12, exponent: &[u64]) -> Fp12 {
    let mut result = PingPong::new(Fp12::ONE, Fp12::ONE);
    let mut started = false;
    for word in exponent.iter().rev() {
        for bit in (0..64u32).rev() {
            if started {
                result.step(Fp12::cyclotomic_square);
            }
            if (word >> bit) & 1 == 1 {
                result.step(|r| r.mul(g));
                started = true;
            }
        }
    }
    result.into_current()
}

/// Verifies several proofs under one key with one final exponentiation: for random `rᵢ`,
/// `Π e(rᵢAᵢ, Bᵢ) · e(Σ rᵢaccᵢ, −γ) · e(Σ rᵢCᵢ, −δ) = e(α, β)^Σrᵢ`. Fails if any proof fails.
pub fn verify_batch(key: &PreparedKey, items: &[(Proof, Vec<PublicInput>)]) -> Result<(), Groth16Error> {
    if items.is_empty() {
        return Err(Groth16Error::EmptyBatch);
    }
    let coefficients = batch_coefficients(items);
    let mut coefficient_sum = [0u64; 4];
    let mut pairs = Vec::with_capacity(items.len().saturating_add(2));
    let mut b_lines = Vec::with_capacity(items.len());
    let mut accs = Vec::with_capacity(items.len());
    for ((proof, inputs), r) in items.iter().zip(&coefficients) {
        accs.push(accumulate_inputs(key, inputs)?);
        pairs.push(multi_scalar_mul(&[(Base::Affine(&proof.a), *r)]).to_affine());
        b_lines.push(prepare(&proof.b));
        // Σ rᵢ < 8 · 2^128: no reduction needed.
        let (low, carry) = coefficient_sum[0].overflowing_add(r[0]);
        coefficient_sum[0] = low;
        let (mid, carry2) = coefficient_sum[1].overflowing_add(r[1]);
        let (mid, carry3) = mid.overflowing_add(u64::from(carry));
        coefficient_sum[1] = mid;
        coefficient_sum[2] = coefficient_sum[2].wrapping_add(u64::from(carry2)).wrapping_add(u64::from(carry3));
    }
    // Σ rᵢ·accᵢ and Σ rᵢ·Cᵢ, each sharing its doublings across the batch.
    let acc_terms: Vec<(Base, [u64; 4])> =
        accs.iter().zip(&coefficients).map(|(acc, r)| (Base::Jacobian(acc), *r)).collect();
    let c_terms: Vec<(Base, [u64; 4])> =
        items.iter().zip(&coefficients).map(|((proof, _), r)| (Base::Affine(&proof.c), *r)).collect();
    let mut all: Vec<(G1Affine, &Lines)> = pairs.iter().zip(&b_lines).map(|(a, lines)| (*a, lines)).collect();
    all.push((multi_scalar_mul(&acc_terms).to_affine(), &key.neg_gamma));
    all.push((multi_scalar_mul(&c_terms).to_affine(), &key.neg_delta));
    let f = multi_miller_loop(&all);
    if final_exponentiation(&f).equals(&gt_pow(&key.alpha_beta, &coefficient_sum)) {
        Ok(())
    } else {
        Err(Groth16Error::InvalidProof)
    }
}

#[cfg(test)]
mod key_tests;
