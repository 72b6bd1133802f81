//! The base field Fp of BLS12-381 in Montgomery form with 14 limbs of 29 bits.
//!
//! Invariants of an [`Fp`]: every limb is below 2^29 and the value is below 2p. Sums and
//! differences are brought back below 2p by one conditional subtraction of 2p; products come out
//! of the Montgomery reduction below 2p already. Only comparisons and serialisation need the
//! canonical value below p.

use super::fp_generated::{
    add, limbs_from_be_bytes, mont_mul, mont_square, sub, subtract_if_not_below, LIMBS, MODULUS, R2_MOD_P, R_MOD_P,
};

const BITS: u32 = 29;

/// An element of the base field.
#[derive(Clone, Copy, Debug)]
pub struct Fp(pub(super) [u32; LIMBS]);

#[allow(clippy::cast_possible_truncation)] // keeps the low bits on purpose
fn limbs_to_be_bytes(limbs: &[u32; LIMBS]) -> [u8; 48] {
    let mut bytes = [0u8; 48];
    let mut accumulator = 0u64;
    let mut bits = 0u32;
    let mut out = bytes.iter_mut().rev();
    for limb in limbs {
        accumulator |= u64::from(*limb) << bits;
        bits = bits.wrapping_add(BITS);
        while bits >= 8 {
            if let Some(byte) = out.next() {
                *byte = accumulator as u8;
            }
            accumulator >>= 8;
            bits = bits.wrapping_sub(8);
        }
    }
    if let Some(byte) = out.next() {
        *byte = accumulator as u8;
    }
    bytes
}

impl Fp {
    /// Zero.
    pub const ZERO: Fp = Fp([0; LIMBS]);
    /// One.
    pub const ONE: Fp = Fp(R_MOD_P);

    /// An element from a value below 2p in Montgomery form (for precomputed constants).
    pub(super) const fn from_montgomery_limbs(limbs: [u32; LIMBS]) -> Self {
        Fp(limbs)
    }

    /// A copy (56 bytes: the compiler copies it inline).
    #[inline(always)]
    pub fn duplicate(&self) -> Fp {
        *self
    }

    /// `self + other`.
    #[inline]
    pub fn add(&self, other: &Fp) -> Fp {
        add(self, other)
    }

    /// `self - other`.
    #[inline]
    pub fn sub(&self, other: &Fp) -> Fp {
        sub(self, other)
    }

    /// `-self`.
    #[inline]
    pub fn neg(&self) -> Fp {
        Fp::ZERO.sub(self)
    }

    /// `2 · self`.
    #[inline]
    pub fn double(&self) -> Fp {
        self.add(self)
    }

    /// `self · other`.
    #[inline]
    pub fn mul(&self, other: &Fp) -> Fp {
        mont_mul(self, other)
    }

    /// `self²`.
    #[inline]
    pub fn square(&self) -> Fp {
        mont_square(self)
    }

    /// The canonical limbs (value below p) in Montgomery form.
    fn canonical(&self) -> [u32; LIMBS] {
        subtract_if_not_below(&self.0, &MODULUS)
    }

    /// Whether the element is zero.
    pub fn is_zero(&self) -> bool {
        self.canonical() == [0; LIMBS]
    }

    /// Whether two elements are equal.
    pub fn equals(&self, other: &Fp) -> bool {
        self.canonical() == other.canonical()
    }

    /// The element whose canonical big-endian encoding is `bytes`, if it is below p.
    pub fn from_be_bytes(bytes: &[u8; 48]) -> Option<Fp> {
        let limbs = limbs_from_be_bytes(bytes);
        if subtract_if_not_below(&limbs, &MODULUS) != limbs {
            return None;
        }
        Some(mont_mul(&Fp(limbs), &Fp(R2_MOD_P)))
    }

    /// The canonical big-endian encoding.
    pub fn to_be_bytes(&self) -> [u8; 48] {
        let mut one = [0u32; LIMBS];
        one[0] = 1;
        limbs_to_be_bytes(&mont_mul(self, &Fp(one)).canonical())
    }

    /// A compact storage form: the Montgomery limbs bit-packed into 48 bytes (the value is below
    /// 2p < 2^382). Reading it back costs shifts, not a multiplication.
    pub fn to_packed(&self) -> [u8; 48] {
        limbs_to_be_bytes(&self.0)
    }

    /// Reads [`Fp::to_packed`] output. Only for trusted storage: the value is not range-checked.
    pub fn from_packed(bytes: &[u8; 48]) -> Fp {
        Fp(limbs_from_be_bytes(bytes))
    }

    /// `self ^ exponent` for a public exponent given as little-endian 64-bit words, with a
    /// 4-bit fixed window.
    pub fn pow(&self, exponent: &[u64]) -> Fp {
        let mut table = [Fp::ONE; 16];
        for index in 1..16 {
            table[index] = table[index.wrapping_sub(1)].mul(self);
        }
        let mut result = Fp::ONE;
        for word in exponent.iter().rev() {
            for nibble in (0..16u32).rev() {
                for _ in 0..4 {
                    result = result.square();
                }
                let digit = ((word >> nibble.wrapping_mul(4)) & 0xf) as usize;
                if digit != 0 {
                    result = result.mul(&table[digit]);
                }
            }
        }
        result
    }

    /// `self⁻¹` (Fermat: `self^(p−2)`), or zero for zero.
    pub fn inverse(&self) -> Fp {
        self.pow(&P_MINUS_2)
    }

    /// A square root, if the element is a square. p ≡ 3 (mod 4): `self^((p+1)/4)`.
    pub fn sqrt(&self) -> Option<Fp> {
        let root = self.pow(&P_PLUS_1_DIV_4);
        root.square().equals(self).then_some(root)
    }

    /// Whether the canonical value is larger than (p−1)/2: the "sign" of the zcash encoding.
    pub fn is_lexicographically_largest(&self) -> bool {
        let bytes = self.to_be_bytes();
        bytes > P_MINUS_1_DIV_2_BE
    }
}

/// p − 2, little-endian words.
const P_MINUS_2: [u64; 6] = [
    0xb9fe_ffff_ffff_aaa9,
    0x1eab_fffe_b153_ffff,
    0x6730_d2a0_f6b0_f624,
    0x6477_4b84_f385_12bf,
    0x4b1b_a7b6_434b_acd7,
    0x1a01_11ea_397f_e69a,
];

/// (p + 1) / 4, little-endian words.
const P_PLUS_1_DIV_4: [u64; 6] = [
    0xee7f_bfff_ffff_eaab,
    0x07aa_ffff_ac54_ffff,
    0xd9cc_34a8_3dac_3d89,
    0xd91d_d2e1_3ce1_44af,
    0x92c6_e9ed_90d2_eb35,
    0x0680_447a_8e5f_f9a6,
];

/// (p − 1) / 2, big-endian bytes.
const P_MINUS_1_DIV_2_BE: [u8; 48] = [
    0x0d, 0x00, 0x88, 0xf5, 0x1c, 0xbf, 0xf3, 0x4d, 0x25, 0x8d, 0xd3, 0xdb, 0x21, 0xa5, 0xd6, 0x6b, 0xb2, 0x3b, 0xa5,
    0xc2, 0x79, 0xc2, 0x89, 0x5f, 0xb3, 0x98, 0x69, 0x50, 0x7b, 0x58, 0x7b, 0x12, 0x0f, 0x55, 0xff, 0xff, 0x58, 0xa9,
    0xff, 0xff, 0xdc, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xd5, 0x55,
];
