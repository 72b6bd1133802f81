//! Hashing to G1 with RFC 9380's suite `BLS12381G1_XMD:SHA-256_SSWU_RO_` (the random-oracle
//! encoding): `expand_message_xmd` with SHA-256 into two field elements, the simplified SWU map
//! to the 11-isogenous curve E', the isogeny map to G1's curve, the sum of the two points and
//! the cofactor clearing by `h_eff`. The domain separation tag is the caller's (drand's
//! `quicknet` signs with `BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_`).
//!
//! SHA-256 is the chain's host function inside a contract (`polka_storage_primitives::hash`).

use super::curve::Affine;
use super::fp::Fp;
use super::h2c_constants::{ISO_A_B_Z, X_DEN, X_NUM, Y_DEN, Y_NUM};
use super::points::G1Affine;
use polka_storage_primitives::hash::sha256;

/// Bytes `expand_message_xmd` makes for two field elements (L = 64 each); the encoding of this
/// length is written out below.
pub const UNIFORM_BYTES: usize = 128;
/// Bytes per field element drawn (L = ceil((381 + 128) / 8)).
const ELEMENT_BYTES: usize = 64;
/// SHA-256's input block: the zero padding in front of the message.
const BLOCK_BYTES: usize = 64;
/// The effective cofactor of G1 (RFC 9380, section 8.8.1): `1 − x`.
const H_EFF: u64 = 0xd201_0000_0001_0001;

/// Why a message could not be hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashToCurveError {
    /// The domain separation tag is empty or longer than 255 bytes.
    InvalidDst,
    /// The map found no square root where theory says one exists (never happens for this curve;
    /// reported rather than panicking).
    MapFailed,
}

/// A field element from its big-endian bytes; the constants of this module are all below p.
fn constant(bytes: &[u8; 48]) -> Fp {
    Fp::from_be_bytes(bytes).unwrap_or(Fp::ZERO)
}

/// `expand_message_xmd(msg, dst, 128)` with SHA-256 (RFC 9380, section 5.3.1).
pub fn expand_message_xmd(msg: &[u8], dst: &[u8]) -> Result<[u8; UNIFORM_BYTES], HashToCurveError> {
    let dst_len = u8::try_from(dst.len()).map_err(|_| HashToCurveError::InvalidDst)?;
    if dst_len == 0 {
        return Err(HashToCurveError::InvalidDst);
    }
    let dst_len = [dst_len];
    // I2OSP(len_in_bytes, 2): 128 = 0x0080.
    let length = [0u8, 0x80];
    let b0 = sha256(&[&[0u8; BLOCK_BYTES], msg, &length, &[0], dst, &dst_len]);
    let mut out = [0u8; UNIFORM_BYTES];
    let mut previous = sha256(&[&b0, &[1], dst, &dst_len]);
    out[..32].copy_from_slice(&previous);
    for (index, chunk) in (2u8..).zip(out.chunks_exact_mut(32).skip(1)) {
        let mut mixed = b0;
        for (byte, prev) in mixed.iter_mut().zip(previous.iter()) {
            *byte ^= prev;
        }
        previous = sha256(&[&mixed, &[index], dst, &dst_len]);
        chunk.copy_from_slice(&previous);
    }
    Ok(out)
}

/// A 64-byte big-endian integer reduced modulo p: `high · 2²⁵⁶ + low` with both halves below p.
fn reduce_64_bytes(bytes: &[u8]) -> Fp {
    let mut high = [0u8; 48];
    let mut low = [0u8; 48];
    high[16..].copy_from_slice(bytes.get(..32).unwrap_or(&[0; 32]));
    low[16..].copy_from_slice(bytes.get(32..ELEMENT_BYTES).unwrap_or(&[0; 32]));
    let mut two_256 = [0u8; 48];
    two_256[15] = 1;
    constant(&high).mul(&constant(&two_256)).add(&constant(&low))
}

/// `hash_to_field(msg, 2)` (RFC 9380, section 5.2) over the base field.
pub fn hash_to_field(msg: &[u8], dst: &[u8]) -> Result<[Fp; 2], HashToCurveError> {
    let uniform = expand_message_xmd(msg, dst)?;
    let (first, second) = uniform.split_at(ELEMENT_BYTES);
    Ok([reduce_64_bytes(first), reduce_64_bytes(second)])
}

/// `sgn0` for a prime field: the parity of the canonical value.
fn sgn0(value: &Fp) -> bool {
    value.to_be_bytes()[47] & 1 == 1
}

/// `y² = x³ + A'x + B'` on E'.
fn iso_curve_rhs(x: &Fp, a: &Fp, b: &Fp) -> Fp {
    x.square().add(a).mul(x).add(b)
}

/// The simplified SWU map to E' (RFC 9380, section 6.6.2), in its straight-line form: one
/// inversion and at most two square roots.
pub fn map_to_curve_simple_swu(u: &Fp) -> Result<(Fp, Fp), HashToCurveError> {
    let [a, b, z, minus_b_over_a, b_over_za] = ISO_A_B_Z.map(|bytes| constant(&bytes));
    let z_u2 = z.mul(&u.square());
    let tv1 = z_u2.square().add(&z_u2);
    let x1 = if tv1.is_zero() { b_over_za } else { minus_b_over_a.mul(&Fp::ONE.add(&tv1.inverse())) };
    let (x, mut y) = match iso_curve_rhs(&x1, &a, &b).sqrt() {
        Some(y1) => (x1, y1),
        None => {
            let x2 = z_u2.mul(&x1);
            let y2 = iso_curve_rhs(&x2, &a, &b).sqrt().ok_or(HashToCurveError::MapFailed)?;
            (x2, y2)
        }
    };
    if sgn0(u) != sgn0(&y) {
        y = y.neg();
    }
    Ok((x, y))
}

/// A polynomial with coefficients lowest degree first, at `x` (Horner).
fn evaluate(coefficients: &[[u8; 48]], x: &Fp) -> Fp {
    coefficients.iter().rev().fold(Fp::ZERO, |sum, k| sum.mul(x).add(&constant(k)))
}

/// The 11-isogeny from E' to G1's curve (RFC 9380, appendix E.2), with one inversion for both
/// denominators. A pole maps to the point at infinity.
pub fn iso_map(x: &Fp, y: &Fp) -> G1Affine {
    let x_num = evaluate(&X_NUM, x);
    let x_den = evaluate(&X_DEN, x);
    let y_num = evaluate(&Y_NUM, x);
    let y_den = evaluate(&Y_DEN, x);
    let denominators = x_den.mul(&y_den);
    if denominators.is_zero() {
        return Affine::IDENTITY;
    }
    let inverse = denominators.inverse();
    Affine { x: x_num.mul(&y_den).mul(&inverse), y: y.mul(&y_num).mul(&x_den).mul(&inverse), infinity: false }
}

/// `hash_to_curve(msg)` for G1 under `dst`: a point of the prime-order subgroup.
pub fn hash_to_g1(msg: &[u8], dst: &[u8]) -> Result<G1Affine, HashToCurveError> {
    let [u0, u1] = hash_to_field(msg, dst)?;
    let (x0, y0) = map_to_curve_simple_swu(&u0)?;
    let (x1, y1) = map_to_curve_simple_swu(&u1)?;
    let sum = iso_map(&x0, &y0).to_jacobian().add_affine(&iso_map(&x1, &y1));
    Ok(sum.mul_u64(H_EFF).to_affine())
}
