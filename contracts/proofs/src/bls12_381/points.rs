//! G1 and G2 of BLS12-381: zcash-compressed encodings, and membership of the prime-order
//! subgroups with the endomorphism tests of Scott ("A note on group membership tests for G1, G2
//! and GT on BLS pairing-friendly curves", 2021).

use super::constants_generated::{BETA, G1_B, G2_B, PSI_X, PSI_Y, X_ABS};
use super::curve::{Affine, Jacobian};
use super::fp::Fp;
use super::fp2::Fp2;

/// A point of G1 (or of the curve over Fp, before the subgroup check).
pub type G1Affine = Affine<Fp>;
/// A point of G2 (or of the twist over Fp2, before the subgroup check).
pub type G2Affine = Affine<Fp2>;

/// Why bytes are not a point of the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointError {
    /// The compression flag is not set, or the flags are inconsistent.
    InvalidFlags,
    /// The point at infinity, which a proof or key never contains.
    Infinity,
    /// A coordinate is not below p.
    NonCanonicalCoordinate,
    /// No point of the curve has this x.
    NotOnCurve,
    /// The point is on the curve but outside the prime-order subgroup.
    NotInSubgroup,
}

const COMPRESSED: u8 = 0x80;
const INFINITY: u8 = 0x40;
const SIGN: u8 = 0x20;

/// Splits the three flag bits off a compressed encoding's first byte.
fn read_flags(first: u8) -> Result<bool, PointError> {
    if first & COMPRESSED == 0 {
        return Err(PointError::InvalidFlags);
    }
    if first & INFINITY != 0 {
        return Err(PointError::Infinity);
    }
    Ok(first & SIGN != 0)
}

fn read_fp(bytes: &[u8], clear_flags: bool) -> Result<Fp, PointError> {
    let mut coordinate = [0u8; 48];
    coordinate.copy_from_slice(bytes);
    if clear_flags {
        coordinate[0] &= 0x1f;
    }
    Fp::from_be_bytes(&coordinate).ok_or(PointError::NonCanonicalCoordinate)
}

/// `[x]P` for a G1 point (x negative).
fn g1_mul_by_x(point: &Jacobian<Fp>) -> Jacobian<Fp> {
    point.mul_u64(X_ABS).neg()
}

/// Whether a G1 curve point is in the subgroup: φ(P) = [−x²]P, with φ(x, y) = (βx, y).
pub fn g1_in_subgroup(point: &G1Affine) -> bool {
    if point.infinity {
        return true;
    }
    let p = point.to_jacobian();
    let x_p = g1_mul_by_x(&p);
    // A point with [x]P = P would pass the test below without being in G1.
    if x_p.equals(&p) {
        return false;
    }
    let minus_x2_p = g1_mul_by_x(&x_p).neg();
    let phi_p = Affine { x: point.x.mul(&BETA), y: point.y, infinity: false };
    minus_x2_p.equals(&phi_p.to_jacobian())
}

/// ψ(x, y) = (x̄·c_x, ȳ·c_y): the untwist-Frobenius-twist endomorphism of G2.
fn psi(point: &G2Affine) -> G2Affine {
    Affine { x: point.x.conjugate().mul(&PSI_X), y: point.y.conjugate().mul(&PSI_Y), infinity: point.infinity }
}

/// Whether a G2 twist point is in the subgroup: ψ(Q) = [x]Q.
pub fn g2_in_subgroup(point: &G2Affine) -> bool {
    if point.infinity {
        return true;
    }
    let x_q = point.to_jacobian().mul_u64(X_ABS).neg();
    x_q.equals(&psi(point).to_jacobian())
}

/// Decodes a zcash-compressed G1 point (48 bytes) and checks it is in G1.
pub fn g1_from_compressed(bytes: &[u8; 48]) -> Result<G1Affine, PointError> {
    let sign = read_flags(bytes[0])?;
    let x = read_fp(bytes, true)?;
    let y_squared = x.square().mul(&x).add(&G1_B);
    let mut y = y_squared.sqrt().ok_or(PointError::NotOnCurve)?;
    if y.is_lexicographically_largest() != sign {
        y = y.neg();
    }
    let point = Affine { x, y, infinity: false };
    if !g1_in_subgroup(&point) {
        return Err(PointError::NotInSubgroup);
    }
    Ok(point)
}

/// Decodes a zcash-compressed G2 point (96 bytes: x.c1 ‖ x.c0) and checks it is in G2.
pub fn g2_from_compressed(bytes: &[u8; 96]) -> Result<G2Affine, PointError> {
    let sign = read_flags(bytes[0])?;
    let x = Fp2 { c0: read_fp(&bytes[48..], false)?, c1: read_fp(&bytes[..48], true)? };
    let y_squared = x.square().mul(&x).add(&G2_B);
    let mut y = y_squared.sqrt().ok_or(PointError::NotOnCurve)?;
    if y.is_lexicographically_largest() != sign {
        y = y.neg();
    }
    let point = Affine { x, y, infinity: false };
    if !g2_in_subgroup(&point) {
        return Err(PointError::NotInSubgroup);
    }
    Ok(point)
}
