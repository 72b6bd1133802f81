//! Verification of drand beacons of the `quicknet` kind (scheme `bls-unchained-g1-rfc9380`):
//! the signature of round `r` is a BLS signature on G1 (48 bytes, zcash-compressed) of
//! `SHA-256(r as 8 big-endian bytes)`, hashed to G1 with RFC 9380 under
//! [`QUICKNET_DST`], by the group's public key on G2 (96 bytes). It verifies iff
//! `e(signature, −g₂) · e(H(message), public key) = 1`, one two-pair pairing check. The round's
//! randomness is `SHA-256(signature)`.
//!
//! The public key is validated once and stored prepared: the Miller-loop lines of `−g₂` and of
//! the key, so a verification pays for neither.

use crate::bls12_381::fp::Fp;
use crate::bls12_381::fp12::Fp12;
use crate::bls12_381::hash_to_curve::hash_to_g1;
use crate::bls12_381::pairing::{final_exponentiation, multi_miller_loop, prepare, Lines, LINES, LINE_ELEMENTS};
use crate::bls12_381::points::{g1_from_compressed, g2_from_compressed};
use alloc::vec::Vec;
use polka_storage_primitives::hash::sha256;

/// Domain separation tag of drand's G1 signatures (RFC 9380 suite, "NUL" scheme).
pub const QUICKNET_DST: &[u8] = b"BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_";
/// Bytes of a signature: a compressed G1 point.
pub const SIGNATURE_BYTES: usize = 48;
/// Bytes of a public key: a compressed G2 point.
pub const PUBLIC_KEY_BYTES: usize = 96;
/// Bytes of a prepared public key in storage: two sets of lines, 48 bytes per field element.
pub const PREPARED_KEY_BYTES: usize = 2 * LINES * LINE_ELEMENTS * 48;

/// The generator of G2, zcash-compressed.
const G2_GENERATOR: [u8; PUBLIC_KEY_BYTES] = [
    0x93, 0xe0, 0x2b, 0x60, 0x52, 0x71, 0x9f, 0x60, 0x7d, 0xac, 0xd3, 0xa0, 0x88, 0x27, 0x4f, 0x65, 0x59, 0x6b, 0xd0,
    0xd0, 0x99, 0x20, 0xb6, 0x1a, 0xb5, 0xda, 0x61, 0xbb, 0xdc, 0x7f, 0x50, 0x49, 0x33, 0x4c, 0xf1, 0x12, 0x13, 0x94,
    0x5d, 0x57, 0xe5, 0xac, 0x7d, 0x05, 0x5d, 0x04, 0x2b, 0x7e, 0x02, 0x4a, 0xa2, 0xb2, 0xf0, 0x8f, 0x0a, 0x91, 0x26,
    0x08, 0x05, 0x27, 0x2d, 0xc5, 0x10, 0x51, 0xc6, 0xe4, 0x7a, 0xd4, 0xfa, 0x40, 0x3b, 0x02, 0xb4, 0x51, 0x0b, 0x64,
    0x7a, 0xe3, 0xd1, 0x77, 0x0b, 0xac, 0x03, 0x26, 0xa8, 0x05, 0xbb, 0xef, 0xd4, 0x80, 0x56, 0xc8, 0xc1, 0x21, 0xbd,
    0xb8,
];

/// Why a drand key or beacon was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrandError {
    /// The public key is not a valid compressed point of G2 (or is the identity).
    InvalidPublicKey,
    /// The signature is not a valid compressed point of G1 (or is the identity).
    InvalidSignature,
    /// The signature is a valid point but not the chain's signature of this round.
    BadSignature,
}

/// The message drand signs for `round`: `SHA-256(round as 8 big-endian bytes)`.
pub fn message(round: u64) -> [u8; 32] {
    sha256(&[&round.to_be_bytes()])
}

/// The randomness of a beacon: `SHA-256(signature)`.
pub fn randomness(signature: &[u8; SIGNATURE_BYTES]) -> [u8; 32] {
    sha256(&[signature])
}

/// A drand chain's public key, prepared for verification.
#[derive(Debug, Clone)]
pub struct PreparedPublicKey {
    neg_generator: Lines,
    key: Lines,
}

impl PreparedPublicKey {
    /// Validates a compressed public key (on the curve, in G2, not the identity) and prepares it.
    pub fn from_compressed(bytes: &[u8; PUBLIC_KEY_BYTES]) -> Result<Self, DrandError> {
        let key = g2_from_compressed(bytes).map_err(|_| DrandError::InvalidPublicKey)?;
        let generator = g2_from_compressed(&G2_GENERATOR).map_err(|_| DrandError::InvalidPublicKey)?;
        Ok(Self { neg_generator: prepare(&generator.neg()), key: prepare(&key) })
    }

    /// The storage form: every field element of both sets of lines bit-packed in 48 bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(PREPARED_KEY_BYTES);
        for element in self.neg_generator.elements().iter().chain(self.key.elements()) {
            bytes.extend_from_slice(&element.to_packed());
        }
        bytes
    }

    /// Reads [`PreparedPublicKey::to_bytes`] output back; `None` if the length is wrong. Only for
    /// trusted storage: the lines are not re-validated.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != PREPARED_KEY_BYTES {
            return None;
        }
        let half = PREPARED_KEY_BYTES / 2;
        let lines = |part: &[u8]| {
            let elements = part
                .chunks_exact(48)
                .map(|chunk| chunk.try_into().ok().map(|packed: &[u8; 48]| Fp::from_packed(packed)))
                .collect::<Option<Vec<Fp>>>()?;
            Lines::from_elements(elements)
        };
        Some(Self { neg_generator: lines(&bytes[..half])?, key: lines(&bytes[half..])? })
    }
}

/// Verifies drand's signature of `round` under `key`; returns the round's randomness.
pub fn verify(key: &PreparedPublicKey, round: u64, signature: &[u8; SIGNATURE_BYTES]) -> Result<[u8; 32], DrandError> {
    let point = g1_from_compressed(signature).map_err(|_| DrandError::InvalidSignature)?;
    let hashed = hash_to_g1(&message(round), QUICKNET_DST).map_err(|_| DrandError::BadSignature)?;
    let f = multi_miller_loop(&[(point, &key.neg_generator), (hashed, &key.key)]);
    if final_exponentiation(&f).equals(&Fp12::ONE) {
        Ok(randomness(signature))
    } else {
        Err(DrandError::BadSignature)
    }
}

#[cfg(test)]
mod tests;
