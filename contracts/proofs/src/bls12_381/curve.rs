//! Short Weierstrass curves `y² = x³ + b` (a = 0) over Fp (G1) and Fp2 (G2), in Jacobian
//! coordinates `(X, Y, Z) ↦ (X/Z², Y/Z³)`; Z = 0 is the point at infinity.

use super::fp::Fp;
use super::fp2::Fp2;
use super::pingpong::PingPong;

/// The field operations the curve arithmetic needs.
pub trait Field: Copy {
    /// Zero.
    const ZERO: Self;
    /// One.
    const ONE: Self;
    /// `a + b`.
    fn add(&self, other: &Self) -> Self;
    /// `a − b`.
    fn sub(&self, other: &Self) -> Self;
    /// `a · b`.
    fn mul(&self, other: &Self) -> Self;
    /// `a²`.
    fn square(&self) -> Self;
    /// `−a`.
    fn neg(&self) -> Self;
    /// `a⁻¹`.
    fn inverse(&self) -> Self;
    /// `a = 0`.
    fn is_zero(&self) -> bool;
    /// `a = b`.
    fn equals(&self, other: &Self) -> bool;
    /// A copy made field by field (see `Fp2::duplicate`).
    fn duplicate(&self) -> Self;
    /// `2a`.
    fn double(&self) -> Self {
        self.add(self)
    }
}

macro_rules! impl_field {
    ($field:ty) => {
        impl Field for $field {
            const ZERO: Self = <$field>::ZERO;
            const ONE: Self = <$field>::ONE;
            fn add(&self, other: &Self) -> Self {
                <$field>::add(self, other)
            }
            fn sub(&self, other: &Self) -> Self {
                <$field>::sub(self, other)
            }
            fn mul(&self, other: &Self) -> Self {
                <$field>::mul(self, other)
            }
            fn square(&self) -> Self {
                <$field>::square(self)
            }
            fn neg(&self) -> Self {
                <$field>::neg(self)
            }
            fn inverse(&self) -> Self {
                <$field>::inverse(self)
            }
            fn is_zero(&self) -> bool {
                <$field>::is_zero(self)
            }
            fn equals(&self, other: &Self) -> bool {
                <$field>::equals(self, other)
            }
            fn duplicate(&self) -> Self {
                <$field>::duplicate(self)
            }
        }
    };
}

impl_field!(Fp);
impl_field!(Fp2);

/// An affine point; `infinity` marks the point at infinity.
#[derive(Clone, Copy, Debug)]
pub struct Affine<F> {
    /// x.
    pub x: F,
    /// y.
    pub y: F,
    /// Whether this is the point at infinity.
    pub infinity: bool,
}

/// A point in Jacobian coordinates.
#[derive(Clone, Copy, Debug)]
pub struct Jacobian<F> {
    x: F,
    y: F,
    z: F,
}

impl<F: Field> Affine<F> {
    /// The point at infinity.
    pub const IDENTITY: Self = Affine { x: F::ZERO, y: F::ONE, infinity: true };

    /// `−self`.
    pub fn neg(&self) -> Self {
        Affine { x: self.x, y: self.y.neg(), infinity: self.infinity }
    }

    /// The point in Jacobian coordinates.
    pub fn to_jacobian(&self) -> Jacobian<F> {
        if self.infinity {
            Jacobian::IDENTITY
        } else {
            Jacobian { x: self.x, y: self.y, z: F::ONE }
        }
    }

    /// `[scalar]·self` for a scalar given as little-endian 64-bit words (double-and-add from
    /// the top set bit, so small scalars cost little). The reference of the MSM's tests.
    #[cfg(test)]
    pub fn mul_scalar(&self, scalar: &[u64]) -> Jacobian<F> {
        let mut result = PingPong::new(Jacobian::IDENTITY, Jacobian::IDENTITY);
        for word in scalar.iter().rev() {
            for bit in (0..64u32).rev() {
                if !result.current().is_identity() {
                    result.step(Jacobian::double);
                }
                if (word >> bit) & 1 == 1 {
                    result.step(|r| r.add_affine(self));
                }
            }
        }
        result.into_current()
    }
}

impl<F: Field> Jacobian<F> {
    /// The point at infinity.
    pub const IDENTITY: Self = Jacobian { x: F::ONE, y: F::ONE, z: F::ZERO };

    /// Whether this is the point at infinity.
    pub fn is_identity(&self) -> bool {
        self.z.is_zero()
    }

    /// `2·self` (dbl-2009-l: 2M + 5S).
    pub fn double(&self) -> Self {
        if self.is_identity() {
            return *self;
        }
        let a = self.x.square();
        let b = self.y.square();
        let c = b.square();
        let d = self.x.add(&b).square().sub(&a).sub(&c).double();
        let e = a.double().add(&a);
        let f = e.square();
        let x3 = f.sub(&d.double());
        let y3 = e.mul(&d.sub(&x3)).sub(&c.double().double().double());
        Jacobian { x: x3.duplicate(), y: y3.duplicate(), z: self.y.mul(&self.z).double() }
    }

    /// `self + other` for an affine `other` (madd-2007-bl: 7M + 4S).
    pub fn add_affine(&self, other: &Affine<F>) -> Self {
        if other.infinity {
            return *self;
        }
        if self.is_identity() {
            return other.to_jacobian();
        }
        let z1z1 = self.z.square();
        let u2 = other.x.mul(&z1z1);
        let s2 = other.y.mul(&self.z).mul(&z1z1);
        let h = u2.sub(&self.x);
        let r = s2.sub(&self.y).double();
        if h.is_zero() {
            return if r.is_zero() { self.double() } else { Self::IDENTITY };
        }
        let hh = h.square();
        let i = hh.double().double();
        let j = h.mul(&i);
        let v = self.x.mul(&i);
        let x3 = r.square().sub(&j).sub(&v.double());
        let y3 = r.mul(&v.sub(&x3)).sub(&self.y.mul(&j).double());
        Jacobian { x: x3.duplicate(), y: y3.duplicate(), z: self.z.add(&h).square().sub(&z1z1).sub(&hh) }
    }

    /// `self + other` (add-2007-bl: 11M + 5S).
    pub fn add(&self, other: &Self) -> Self {
        if other.is_identity() {
            return *self;
        }
        if self.is_identity() {
            return *other;
        }
        let z1z1 = self.z.square();
        let z2z2 = other.z.square();
        let u1 = self.x.mul(&z2z2);
        let u2 = other.x.mul(&z1z1);
        let s1 = self.y.mul(&other.z).mul(&z2z2);
        let s2 = other.y.mul(&self.z).mul(&z1z1);
        let h = u2.sub(&u1);
        let r = s2.sub(&s1).double();
        if h.is_zero() {
            return if r.is_zero() { self.double() } else { Self::IDENTITY };
        }
        let i = h.double().square();
        let j = h.mul(&i);
        let v = u1.mul(&i);
        let x3 = r.square().sub(&j).sub(&v.double());
        let y3 = r.mul(&v.sub(&x3)).sub(&s1.mul(&j).double());
        let z3 = self.z.add(&other.z).square().sub(&z1z1).sub(&z2z2).mul(&h);
        Jacobian { x: x3.duplicate(), y: y3.duplicate(), z: z3.duplicate() }
    }

    /// `−self`.
    pub fn neg(&self) -> Self {
        Jacobian { x: self.x, y: self.y.neg(), z: self.z }
    }

    /// `[scalar]·self` for a public 64-bit scalar (double-and-add from the top bit).
    pub fn mul_u64(&self, scalar: u64) -> Self {
        let mut result = PingPong::new(Self::IDENTITY, Self::IDENTITY);
        for bit in (0..64u32.saturating_sub(scalar.leading_zeros())).rev() {
            result.step(Jacobian::double);
            if (scalar >> bit) & 1 == 1 {
                result.step(|r| r.add(self));
            }
        }
        result.into_current()
    }

    /// The affine point (one inversion).
    pub fn to_affine(&self) -> Affine<F> {
        if self.is_identity() {
            return Affine::IDENTITY;
        }
        let z_inv = self.z.inverse();
        let z_inv2 = z_inv.square();
        Affine { x: self.x.mul(&z_inv2), y: self.y.mul(&z_inv2).mul(&z_inv), infinity: false }
    }

    /// Whether two points are equal (without inversions).
    pub fn equals(&self, other: &Self) -> bool {
        match (self.is_identity(), other.is_identity()) {
            (true, true) => true,
            (false, false) => {
                let z1z1 = self.z.square();
                let z2z2 = other.z.square();
                self.x.mul(&z2z2).equals(&other.x.mul(&z1z1))
                    && self.y.mul(&z2z2).mul(&other.z).equals(&other.y.mul(&z1z1).mul(&self.z))
            }
            _ => false,
        }
    }
}
