//! Fp2 = Fp[u] / (u² + 1).

use super::fp::Fp;
use super::pingpong::PingPong;

/// `c0 + c1·u`.
#[derive(Clone, Copy, Debug)]
pub struct Fp2 {
    /// Real part.
    pub c0: Fp,
    /// Imaginary part.
    pub c1: Fp,
}

impl Fp2 {
    /// Zero.
    pub const ZERO: Fp2 = Fp2 { c0: Fp::ZERO, c1: Fp::ZERO };
    /// One.
    pub const ONE: Fp2 = Fp2 { c0: Fp::ONE, c1: Fp::ZERO };

    /// A copy made field by field. A whole-value copy of anything above 64 bytes compiles to a
    /// call of ink!'s byte-by-byte `memcpy` (see `pingpong`); two 56-byte copies are inlined.
    #[inline(always)]
    pub fn duplicate(&self) -> Fp2 {
        Fp2 { c0: self.c0, c1: self.c1 }
    }

    /// `self + other`.
    #[inline(never)]
    pub fn add(&self, other: &Fp2) -> Fp2 {
        Fp2 { c0: self.c0.add(&other.c0), c1: self.c1.add(&other.c1) }
    }

    /// `self − other`.
    #[inline(never)]
    pub fn sub(&self, other: &Fp2) -> Fp2 {
        Fp2 { c0: self.c0.sub(&other.c0), c1: self.c1.sub(&other.c1) }
    }

    /// `−self`.
    #[inline(never)]
    pub fn neg(&self) -> Fp2 {
        Fp2 { c0: self.c0.neg(), c1: self.c1.neg() }
    }

    /// `2·self`.
    #[inline(never)]
    pub fn double(&self) -> Fp2 {
        self.add(self)
    }

    /// `self · other` (Karatsuba: three base-field products).
    #[inline(never)]
    pub fn mul(&self, other: &Fp2) -> Fp2 {
        let v0 = self.c0.mul(&other.c0);
        let v1 = self.c1.mul(&other.c1);
        let cross = self.c0.add(&self.c1).mul(&other.c0.add(&other.c1));
        Fp2 { c0: v0.sub(&v1), c1: cross.sub(&v0).sub(&v1) }
    }

    /// `self²`: `(c0 + c1)(c0 − c1) + 2·c0·c1·u`.
    #[inline(never)]
    pub fn square(&self) -> Fp2 {
        let sum = self.c0.add(&self.c1);
        let difference = self.c0.sub(&self.c1);
        let cross = self.c0.mul(&self.c1);
        Fp2 { c0: sum.mul(&difference), c1: cross.double() }
    }

    /// `self · f` for `f` in the base field.
    #[inline(never)]
    pub fn mul_by_fp(&self, f: &Fp) -> Fp2 {
        Fp2 { c0: self.c0.mul(f), c1: self.c1.mul(f) }
    }

    /// `self · ξ` with ξ = 1 + u, the non-residue that builds Fp6.
    #[inline(never)]
    pub fn mul_by_nonresidue(&self) -> Fp2 {
        Fp2 { c0: self.c0.sub(&self.c1), c1: self.c0.add(&self.c1) }
    }

    /// `c0 − c1·u`: the Frobenius map.
    #[inline(never)]
    pub fn conjugate(&self) -> Fp2 {
        Fp2 { c0: self.c0, c1: self.c1.neg() }
    }

    /// `self^(p^power)`.
    pub fn frobenius(&self, power: usize) -> Fp2 {
        // Built field by field: a whole-Fp2 copy would go through rlibc's slow memcpy.
        Fp2 { c0: self.c0, c1: if power % 2 == 1 { self.c1.neg() } else { self.c1 } }
    }

    /// Whether the element is zero.
    pub fn is_zero(&self) -> bool {
        self.c0.is_zero() && self.c1.is_zero()
    }

    /// Whether two elements are equal.
    pub fn equals(&self, other: &Fp2) -> bool {
        self.c0.equals(&other.c0) && self.c1.equals(&other.c1)
    }

    /// `self⁻¹` (zero for zero).
    pub fn inverse(&self) -> Fp2 {
        let norm_inverse = self.c0.square().add(&self.c1.square()).inverse();
        Fp2 { c0: self.c0.mul(&norm_inverse), c1: self.c1.mul(&norm_inverse).neg() }
    }

    /// A square root, if the element is a square (Adj and Rodríguez-Henríquez, "Square root
    /// computation over even extension fields", algorithm 9, for p ≡ 3 mod 4).
    pub fn sqrt(&self) -> Option<Fp2> {
        let a1 = self.pow(&P_MINUS_3_DIV_4);
        let alpha = a1.mul(&a1.mul(self));
        let x0 = a1.mul(self);
        let minus_one = Fp2 { c0: Fp::ONE.neg(), c1: Fp::ZERO };
        let root = if alpha.equals(&minus_one) {
            // x0 · u
            Fp2 { c0: x0.c1.neg(), c1: x0.c0 }
        } else {
            let b = alpha.add(&Fp2::ONE).pow(&P_MINUS_1_DIV_2);
            b.mul(&x0)
        };
        root.square().equals(self).then_some(root)
    }

    /// `self ^ exponent`, public exponent as little-endian words.
    fn pow(&self, exponent: &[u64]) -> Fp2 {
        let mut result = PingPong::new(Fp2::ONE, Fp2::ZERO);
        for word in exponent.iter().rev() {
            for bit in (0..64u32).rev() {
                result.step(Fp2::square);
                if (word >> bit) & 1 == 1 {
                    result.step(|x| x.mul(self));
                }
            }
        }
        result.into_current()
    }

    /// The zcash "sign": c1 above (p−1)/2, or c1 zero and c0 above (p−1)/2.
    pub fn is_lexicographically_largest(&self) -> bool {
        if self.c1.is_zero() {
            self.c0.is_lexicographically_largest()
        } else {
            self.c1.is_lexicographically_largest()
        }
    }
}

/// (p − 3) / 4, little-endian words.
const P_MINUS_3_DIV_4: [u64; 6] = [
    0xee7f_bfff_ffff_eaaa,
    0x07aa_ffff_ac54_ffff,
    0xd9cc_34a8_3dac_3d89,
    0xd91d_d2e1_3ce1_44af,
    0x92c6_e9ed_90d2_eb35,
    0x0680_447a_8e5f_f9a6,
];

/// (p − 1) / 2, little-endian words.
const P_MINUS_1_DIV_2: [u64; 6] = [
    0xdcff_7fff_ffff_d555,
    0x0f55_ffff_58a9_ffff,
    0xb398_6950_7b58_7b12,
    0xb23b_a5c2_79c2_895f,
    0x258d_d3db_21a5_d66b,
    0x0d00_88f5_1cbf_f34d,
];
