//! Fp6 = Fp2[v] / (v³ − ξ), ξ = 1 + u.

use super::constants_generated::{
    FP6_FROBENIUS_C1_1, FP6_FROBENIUS_C1_2, FP6_FROBENIUS_C1_3, FP6_FROBENIUS_C2_1, FP6_FROBENIUS_C2_2,
    FP6_FROBENIUS_C2_3,
};
use super::fp2::Fp2;

/// `c0 + c1·v + c2·v²`.
#[derive(Clone, Copy, Debug)]
pub struct Fp6 {
    /// Coefficient of 1.
    pub c0: Fp2,
    /// Coefficient of v.
    pub c1: Fp2,
    /// Coefficient of v².
    pub c2: Fp2,
}

impl Fp6 {
    /// Zero.
    pub const ZERO: Fp6 = Fp6 { c0: Fp2::ZERO, c1: Fp2::ZERO, c2: Fp2::ZERO };
    /// One.
    pub const ONE: Fp6 = Fp6 { c0: Fp2::ONE, c1: Fp2::ZERO, c2: Fp2::ZERO };

    /// A copy made field by field (see [`Fp2::duplicate`]).
    #[inline(always)]
    pub fn duplicate(&self) -> Fp6 {
        Fp6 { c0: self.c0.duplicate(), c1: self.c1.duplicate(), c2: self.c2.duplicate() }
    }

    /// `self + other`.
    #[inline(never)]
    pub fn add(&self, other: &Fp6) -> Fp6 {
        Fp6 { c0: self.c0.add(&other.c0), c1: self.c1.add(&other.c1), c2: self.c2.add(&other.c2) }
    }

    /// `self − other`.
    #[inline(never)]
    pub fn sub(&self, other: &Fp6) -> Fp6 {
        Fp6 { c0: self.c0.sub(&other.c0), c1: self.c1.sub(&other.c1), c2: self.c2.sub(&other.c2) }
    }

    /// `−self`.
    #[inline(never)]
    pub fn neg(&self) -> Fp6 {
        Fp6 { c0: self.c0.neg(), c1: self.c1.neg(), c2: self.c2.neg() }
    }

    /// `self · other` (Karatsuba: six Fp2 products).
    #[inline(never)]
    pub fn mul(&self, other: &Fp6) -> Fp6 {
        let v0 = self.c0.mul(&other.c0);
        let v1 = self.c1.mul(&other.c1);
        let v2 = self.c2.mul(&other.c2);
        let t12 = self.c1.add(&self.c2).mul(&other.c1.add(&other.c2)).sub(&v1).sub(&v2);
        let t01 = self.c0.add(&self.c1).mul(&other.c0.add(&other.c1)).sub(&v0).sub(&v1);
        let t02 = self.c0.add(&self.c2).mul(&other.c0.add(&other.c2)).sub(&v0).sub(&v2);
        Fp6 { c0: v0.add(&t12.mul_by_nonresidue()), c1: t01.add(&v2.mul_by_nonresidue()), c2: t02.add(&v1) }
    }

    /// `self²` (Chung–Hasan SQR2).
    #[inline(never)]
    pub fn square(&self) -> Fp6 {
        let s0 = self.c0.square();
        let s1 = self.c0.mul(&self.c1).double();
        let s2 = self.c0.sub(&self.c1).add(&self.c2).square();
        let s3 = self.c1.mul(&self.c2).double();
        let s4 = self.c2.square();
        Fp6 {
            c0: s0.add(&s3.mul_by_nonresidue()),
            c1: s1.add(&s4.mul_by_nonresidue()),
            c2: s1.add(&s2).add(&s3).sub(&s0).sub(&s4),
        }
    }

    /// `self + v·other` (v³ = ξ), without materialising `v·other`.
    #[inline(never)]
    pub fn add_mul_by_v(&self, other: &Fp6) -> Fp6 {
        Fp6 { c0: self.c0.add(&other.c2.mul_by_nonresidue()), c1: self.c1.add(&other.c0), c2: self.c2.add(&other.c1) }
    }

    /// `self − v·other`.
    #[inline(never)]
    pub fn sub_mul_by_v(&self, other: &Fp6) -> Fp6 {
        Fp6 { c0: self.c0.sub(&other.c2.mul_by_nonresidue()), c1: self.c1.sub(&other.c0), c2: self.c2.sub(&other.c1) }
    }

    /// `self · (b0 + b1·v)`.
    #[inline(never)]
    pub fn mul_by_01(&self, b0: &Fp2, b1: &Fp2) -> Fp6 {
        let v0 = self.c0.mul(b0);
        let v1 = self.c1.mul(b1);
        Fp6 {
            c0: v0.add(&self.c2.mul(b1).mul_by_nonresidue()),
            c1: self.c0.add(&self.c1).mul(&b0.add(b1)).sub(&v0).sub(&v1),
            c2: self.c2.mul(b0).add(&v1),
        }
    }

    /// `self · (b1·v)`.
    #[inline(never)]
    pub fn mul_by_1(&self, b1: &Fp2) -> Fp6 {
        Fp6 { c0: self.c2.mul(b1).mul_by_nonresidue(), c1: self.c0.mul(b1), c2: self.c1.mul(b1) }
    }

    /// `self⁻¹` (zero for zero).
    pub fn inverse(&self) -> Fp6 {
        let t0 = self.c0.square().sub(&self.c1.mul(&self.c2).mul_by_nonresidue());
        let t1 = self.c2.square().mul_by_nonresidue().sub(&self.c0.mul(&self.c1));
        let t2 = self.c1.square().sub(&self.c0.mul(&self.c2));
        let determinant = self.c0.mul(&t0).add(&self.c2.mul(&t1).add(&self.c1.mul(&t2)).mul_by_nonresidue()).inverse();
        Fp6 { c0: t0.mul(&determinant), c1: t1.mul(&determinant), c2: t2.mul(&determinant) }
    }

    /// `self^(p^power)` for power 1, 2 or 3.
    pub fn frobenius(&self, power: usize) -> Fp6 {
        let (c1, c2) = match power {
            1 => (FP6_FROBENIUS_C1_1, FP6_FROBENIUS_C2_1),
            2 => (FP6_FROBENIUS_C1_2, FP6_FROBENIUS_C2_2),
            _ => (FP6_FROBENIUS_C1_3, FP6_FROBENIUS_C2_3),
        };
        Fp6 {
            c0: self.c0.frobenius(power),
            c1: self.c1.frobenius(power).mul(&c1),
            c2: self.c2.frobenius(power).mul(&c2),
        }
    }

    /// Whether two elements are equal.
    pub fn equals(&self, other: &Fp6) -> bool {
        self.c0.equals(&other.c0) && self.c1.equals(&other.c1) && self.c2.equals(&other.c2)
    }
}
