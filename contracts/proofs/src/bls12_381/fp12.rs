//! Fp12 = Fp6[w] / (w² − v): the target group GT of the pairing lives here.

use super::constants_generated::{FP12_FROBENIUS_C1_1, FP12_FROBENIUS_C1_2, FP12_FROBENIUS_C1_3};
use super::fp2::Fp2;
use super::fp6::Fp6;

/// `c0 + c1·w`.
#[derive(Clone, Copy, Debug)]
pub struct Fp12 {
    /// Coefficient of 1.
    pub c0: Fp6,
    /// Coefficient of w.
    pub c1: Fp6,
}

impl Fp12 {
    /// One.
    pub const ONE: Fp12 = Fp12 { c0: Fp6::ONE, c1: Fp6::ZERO };

    /// A copy made field by field (see [`Fp2::duplicate`]).
    pub fn duplicate(&self) -> Fp12 {
        Fp12 { c0: self.c0.duplicate(), c1: self.c1.duplicate() }
    }

    /// `self · other` (Karatsuba: three Fp6 products).
    #[inline(never)]
    pub fn mul(&self, other: &Fp12) -> Fp12 {
        let v0 = self.c0.mul(&other.c0);
        let v1 = self.c1.mul(&other.c1);
        let cross = self.c0.add(&self.c1).mul(&other.c0.add(&other.c1));
        Fp12 { c0: v0.add_mul_by_v(&v1), c1: cross.sub(&v0).sub(&v1) }
    }

    /// `self²` (complex squaring: two Fp6 products).
    #[inline(never)]
    pub fn square(&self) -> Fp12 {
        let product = self.c0.mul(&self.c1);
        let mixed = self.c0.add(&self.c1).mul(&self.c0.add_mul_by_v(&self.c1));
        Fp12 { c0: mixed.sub(&product).sub_mul_by_v(&product), c1: product.add(&product) }
    }

    /// `self · ((c0 + c1·v) + (c4·v)·w)`: the shape of a line of the Miller loop on the M-type
    /// twist of BLS12-381.
    #[inline(never)]
    pub fn mul_by_014(&self, c0: &Fp2, c1: &Fp2, c4: &Fp2) -> Fp12 {
        let low = self.c0.mul_by_01(c0, c1);
        let high = self.c1.mul_by_1(c4);
        Fp12 { c0: low.add_mul_by_v(&high), c1: self.c0.add(&self.c1).mul_by_01(c0, &c1.add(c4)).sub(&low).sub(&high) }
    }

    /// `c0 − c1·w`: `self^(p^6)`, the inverse in the cyclotomic subgroup.
    #[inline(never)]
    pub fn conjugate(&self) -> Fp12 {
        Fp12 { c0: self.c0.duplicate(), c1: self.c1.neg() }
    }

    /// `self⁻¹` (zero for zero).
    pub fn inverse(&self) -> Fp12 {
        let t = self.c0.square().sub_mul_by_v(&self.c1.square()).inverse();
        Fp12 { c0: self.c0.mul(&t), c1: self.c1.mul(&t).neg() }
    }

    /// `self^(p^power)` for power 1, 2 or 3.
    pub fn frobenius(&self, power: usize) -> Fp12 {
        let gamma = match power {
            1 => FP12_FROBENIUS_C1_1,
            2 => FP12_FROBENIUS_C1_2,
            _ => FP12_FROBENIUS_C1_3,
        };
        let c1 = self.c1.frobenius(power);
        Fp12 {
            c0: self.c0.frobenius(power),
            c1: Fp6 { c0: c1.c0.mul(&gamma), c1: c1.c1.mul(&gamma), c2: c1.c2.mul(&gamma) },
        }
    }

    /// `self²` for an element of the cyclotomic subgroup (Granger–Scott: six Fp2 products
    /// instead of a full squaring's twelve).
    #[inline(never)]
    pub fn cyclotomic_square(&self) -> Fp12 {
        // View the element as three Fp4 = Fp2[y]/(y² − ξ) elements (z0 + z1·y), (z2 + z3·y),
        // (z4 + z5·y) and square each: (a + b·y)² = (a² + ξb²) + 2ab·y.
        let (z0, z4, z3) = (&self.c0.c0, &self.c0.c1, &self.c0.c2);
        let (z2, z1, z5) = (&self.c1.c0, &self.c1.c1, &self.c1.c2);
        let p01 = z0.mul(z1);
        let p23 = z2.mul(z3);
        let p45 = z4.mul(z5);
        let t0 = fp4_square_real(z0, z1, &p01);
        let t2 = fp4_square_real(z2, z3, &p23);
        let t4 = fp4_square_real(z4, z5, &p45);
        let xi_t5 = p45.double().mul_by_nonresidue();
        // Every output is written straight into its place (see `Fp2::duplicate`).
        Fp12 {
            c0: Fp6 { c0: three_minus_two(&t0, z0), c1: three_minus_two(&t2, z4), c2: three_minus_two(&t4, z3) },
            c1: Fp6 {
                c0: three_plus_two(&xi_t5, z2),
                c1: three_plus_two(&p01.double(), z1),
                c2: three_plus_two(&p23.double(), z5),
            },
        }
    }

    /// Whether two elements are equal.
    pub fn equals(&self, other: &Fp12) -> bool {
        self.c0.equals(&other.c0) && self.c1.equals(&other.c1)
    }
}

/// `a² + ξ·b²` from `a·b`, as `(a + b)(a + ξb) − ab − ξab`.
#[inline(never)]
fn fp4_square_real(a: &Fp2, b: &Fp2, ab: &Fp2) -> Fp2 {
    a.add(b).mul(&b.mul_by_nonresidue().add(a)).sub(ab).sub(&ab.mul_by_nonresidue())
}

/// `3t − 2z`.
#[inline(never)]
fn three_minus_two(t: &Fp2, z: &Fp2) -> Fp2 {
    t.sub(z).double().add(t)
}

/// `3t + 2z`.
#[inline(never)]
fn three_plus_two(t: &Fp2, z: &Fp2) -> Fp2 {
    t.add(z).double().add(t)
}
