//! Multi-scalar multiplication in G1: `Σ sᵢ·Pᵢ` with the doublings shared by all terms
//! (Straus). Scalars wider than [`TABLE_THRESHOLD_BITS`] use 4-bit windows over a table of
//! their base's first 15 multiples; narrow ones (node indices) add their base at each set bit.

use super::curve::{Affine, Jacobian};
use super::fp::Fp;
use super::pingpong::PingPong;
use alloc::vec::Vec;

/// Scalars at most this wide are added bit by bit instead of through a window table.
const TABLE_THRESHOLD_BITS: u32 = 12;
const WINDOW_BITS: u32 = 4;

/// A term of the sum: a base point in Jacobian or affine form (mixed additions are cheaper).
#[derive(Clone, Copy)]
pub enum Base<'a> {
    /// An affine base.
    Affine(&'a Affine<Fp>),
    /// A Jacobian base.
    Jacobian(&'a Jacobian<Fp>),
}

impl Base<'_> {
    fn add_to(&self, acc: &Jacobian<Fp>) -> Jacobian<Fp> {
        match self {
            Base::Affine(point) => acc.add_affine(point),
            Base::Jacobian(point) => acc.add(point),
        }
    }

    fn jacobian(&self) -> Jacobian<Fp> {
        match self {
            Base::Affine(point) => point.to_jacobian(),
            Base::Jacobian(point) => **point,
        }
    }
}

fn bit_length(scalar: &[u64; 4]) -> u32 {
    for (index, word) in scalar.iter().enumerate().rev() {
        if *word != 0 {
            let index = u32::try_from(index).unwrap_or(0);
            return index.wrapping_mul(64).wrapping_add(64u32.wrapping_sub(word.leading_zeros()));
        }
    }
    0
}

fn bit(scalar: &[u64; 4], position: u32) -> bool {
    let word = scalar.get((position / 64) as usize).copied().unwrap_or(0);
    (word >> (position % 64)) & 1 == 1
}

fn window(scalar: &[u64; 4], start: u32) -> usize {
    (0..WINDOW_BITS)
        .rev()
        .fold(0usize, |digit, offset| (digit << 1) | usize::from(bit(scalar, start.wrapping_add(offset))))
}

/// `[P, 2P, …, 15P]`.
fn multiples(base: &Base) -> Vec<Jacobian<Fp>> {
    let mut table = Vec::with_capacity(15);
    table.push(base.jacobian());
    for index in 1..15usize {
        let next = base.add_to(&table[index.wrapping_sub(1)]);
        table.push(next);
    }
    table
}

/// `Σ scalarᵢ · baseᵢ`, scalars as little-endian 64-bit words.
pub fn multi_scalar_mul(terms: &[(Base, [u64; 4])]) -> Jacobian<Fp> {
    let mut wide = Vec::new();
    let mut narrow = Vec::new();
    let mut top = 0u32;
    for (base, scalar) in terms {
        let bits = bit_length(scalar);
        top = top.max(bits);
        if bits > TABLE_THRESHOLD_BITS {
            wide.push((multiples(base), scalar));
        } else if bits > 0 {
            narrow.push((base, scalar));
        }
    }
    let mut acc = PingPong::new(Jacobian::IDENTITY, Jacobian::IDENTITY);
    for position in (0..top).rev() {
        if !acc.current().is_identity() {
            acc.step(Jacobian::double);
        }
        if position % WINDOW_BITS == 0 {
            for (table, scalar) in &wide {
                let digit = window(scalar, position);
                if let Some(multiple) = digit.checked_sub(1).and_then(|index| table.get(index)) {
                    acc.step(|acc| acc.add(multiple));
                }
            }
        }
        for (base, scalar) in &narrow {
            if bit(scalar, position) {
                acc.step(|acc| base.add_to(acc));
            }
        }
    }
    acc.into_current()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bls12_381::constants_generated::G1_GENERATOR;

    fn generator() -> Affine<Fp> {
        Affine { x: G1_GENERATOR.0, y: G1_GENERATOR.1, infinity: false }
    }

    #[test]
    fn straus_matches_separate_multiplications() {
        let g = generator();
        let bases: Vec<Affine<Fp>> = (1..6u64).map(|k| g.mul_scalar(&[k * 1_000_003, 0, 0, 0]).to_affine()).collect();
        let scalars: [[u64; 4]; 5] = [
            [0x1234_5678_9abc_def0, 0x0fed_cba9_8765_4321, 0x1111_2222_3333_4444, 0x0123_4567_89ab_cdef],
            [37, 0, 0, 0],
            [0, 0, 0, 0],
            [1, 0, 0, 0],
            [u64::MAX, u64::MAX, 0, 0],
        ];
        let mut expected = Jacobian::IDENTITY;
        for (base, scalar) in bases.iter().zip(&scalars) {
            expected = expected.add(&base.mul_scalar(scalar));
        }
        let jacobian_base = bases[4].to_jacobian();
        let terms: Vec<(Base, [u64; 4])> = bases
            .iter()
            .zip(scalars)
            .enumerate()
            .map(|(i, (base, s))| (if i == 4 { Base::Jacobian(&jacobian_base) } else { Base::Affine(base) }, s))
            .collect();
        assert!(multi_scalar_mul(&terms).equals(&expected));
        assert!(multi_scalar_mul(&[]).is_identity());
    }
}
