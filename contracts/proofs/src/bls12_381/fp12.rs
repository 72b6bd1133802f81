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

    /// `self · other` (Karatsuba: three Fp6 products).
    pub fn mul(&self, other: &Fp12) -> Fp12 {
        let v0 = self.c0.mul(&other.c0);
        let v1 = self.c1.mul(&other.c1);
        let cross = self.c0.add(&self.c1).mul(&other.c0.add(&other.c1));
        Fp12 { c0: v0.add(&v1.mul_by_v()), c1: cross.sub(&v0).sub(&v1) }
    }

    /// `self²` (complex squaring: two Fp6 products).
    pub fn square(&self) -> Fp12 {
        let product = self.c0.mul(&self.c1);
        let mixed = self.c0.add(&self.c1).mul(&self.c0.add(&self.c1.mul_by_v()));
        Fp12 { c0: mixed.sub(&product).sub(&product.mul_by_v()), c1: product.add(&product) }
    }

    /// `self · ((c0 + c1·v) + (c4·v)·w)`: the shape of a line of the Miller loop on the M-type
    /// twist of BLS12-381.
    pub fn mul_by_014(&self, c0: &Fp2, c1: &Fp2, c4: &Fp2) -> Fp12 {
        let low = self.c0.mul_by_01(c0, c1);
        let high = self.c1.mul_by_1(c4);
        let cross = self.c0.add(&self.c1).mul_by_01(c0, &c1.add(c4)).sub(&low).sub(&high);
        Fp12 { c0: low.add(&high.mul_by_v()), c1: cross }
    }

    /// `c0 − c1·w`: `self^(p^6)`, the inverse in the cyclotomic subgroup.
    pub fn conjugate(&self) -> Fp12 {
        Fp12 { c0: self.c0, c1: self.c1.neg() }
    }

    /// `self⁻¹` (zero for zero).
    pub fn inverse(&self) -> Fp12 {
        let t = self.c0.square().sub(&self.c1.square().mul_by_v()).inverse();
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

    /// `self²` for an element of the cyclotomic subgroup (Granger–Scott: six Fp2 squarings'
    /// worth of work instead of a full squaring).
    pub fn cyclotomic_square(&self) -> Fp12 {
        // View the element as three Fp4 = Fp2[y]/(y² − ξ) elements (z0 + z1·y), (z2 + z3·y),
        // (z4 + z5·y) and square each.
        let (z0, z4, z3) = (self.c0.c0, self.c0.c1, self.c0.c2);
        let (z2, z1, z5) = (self.c1.c0, self.c1.c1, self.c1.c2);
        let fp4_square = |a: &Fp2, b: &Fp2| -> (Fp2, Fp2) {
            let product = a.mul(b);
            let t0 = a.add(b).mul(&b.mul_by_nonresidue().add(a)).sub(&product).sub(&product.mul_by_nonresidue());
            (t0, product.double())
        };
        let (t0, t1) = fp4_square(&z0, &z1);
        let (t2, t3) = fp4_square(&z2, &z3);
        let (t4, t5) = fp4_square(&z4, &z5);
        // 3·t − 2·z and 3·t + 2·z, as the Granger–Scott formulas combine them.
        let minus = |t: &Fp2, z: &Fp2| t.sub(z).double().add(t);
        let plus = |t: &Fp2, z: &Fp2| t.add(z).double().add(t);
        let xi_t5 = t5.mul_by_nonresidue();
        Fp12 {
            c0: Fp6 { c0: minus(&t0, &z0), c1: minus(&t2, &z4), c2: minus(&t4, &z3) },
            c1: Fp6 { c0: plus(&xi_t5, &z2), c1: plus(&t1, &z1), c2: plus(&t3, &z5) },
        }
    }

    /// Whether two elements are equal.
    pub fn equals(&self, other: &Fp12) -> bool {
        self.c0.equals(&other.c0) && self.c1.equals(&other.c1)
    }
}
