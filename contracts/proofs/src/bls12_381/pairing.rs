//! The optimal ate pairing of BLS12-381: Miller loop over the bits of |x| with lines from G2
//! points in homogeneous projective coordinates (Costello–Lange–Naehrig formulas for the M-type
//! twist), and the final exponentiation `f^((p¹²−1)/r)` with the hard part of Hayashida,
//! Hayasaka and Teruya (2020), which raises to 3·(p⁴−p²+1)/r: GT values are the cube of the
//! textbook pairing (as arkworks computes it too); cubing is a bijection on GT, so equations
//! between pairings hold or fail alike.

use super::constants_generated::{G2_B, TWO_INV, X_ABS};
use super::fp::Fp;
use super::fp12::Fp12;
use super::fp2::Fp2;
use super::pingpong::PingPong;
use super::points::{G1Affine, G2Affine};
use alloc::vec::Vec;

/// Lines of the Miller loop: one per doubling (63) and one per set bit of |x| below the top (5).
pub const LINES: usize = 68;

/// Base-field elements per line: three Fp2 coefficients `(c0, c1, c2)`, evaluated at a G1 point
/// P as `c0 + c1·x_P + c2·y_P` (M-type twist).
pub const LINE_ELEMENTS: usize = 6;

/// The lines of the Miller loop for one G2 point, in loop order, stored flat (six base-field
/// elements per line) so that building and reading them moves 56-byte values only.
#[derive(Clone, Debug)]
pub struct Lines(Vec<Fp>);

impl Lines {
    fn with_capacity() -> Self {
        Lines(Vec::with_capacity(LINES.saturating_mul(LINE_ELEMENTS)))
    }

    fn push(&mut self, c0: &Fp2, c1: &Fp2, c2: &Fp2) {
        for coefficient in [c0, c1, c2] {
            self.0.push(coefficient.c0);
            self.0.push(coefficient.c1);
        }
    }

    /// The six elements of line `index`.
    fn line(&self, index: usize) -> Option<&[Fp]> {
        let start = index.checked_mul(LINE_ELEMENTS)?;
        self.0.get(start..start.checked_add(LINE_ELEMENTS)?)
    }

    /// Every element, for storage.
    pub fn elements(&self) -> &[Fp] {
        &self.0
    }

    /// Lines read back from [`Lines::elements`]; `None` unless there are exactly 68 lines.
    pub fn from_elements(elements: Vec<Fp>) -> Option<Self> {
        (elements.len() == LINES.saturating_mul(LINE_ELEMENTS)).then_some(Lines(elements))
    }
}

/// A G2 point in homogeneous projective coordinates, walked along the loop.
struct Walker {
    x: Fp2,
    y: Fp2,
    z: Fp2,
}

impl Walker {
    fn doubling_step(&mut self, lines: &mut Lines) {
        let a = self.x.mul(&self.y).mul_by_fp(&TWO_INV);
        let b = self.y.square();
        let c = self.z.square();
        let e = G2_B.mul(&c.double().add(&c));
        let f = e.double().add(&e);
        let g = b.add(&f).mul_by_fp(&TWO_INV);
        let h = self.y.add(&self.z).square().sub(&b.add(&c));
        let j = self.x.square();
        let e_square = e.square();
        self.x = a.mul(&b.sub(&f));
        self.y = g.square().sub(&e_square.double().add(&e_square));
        self.z = b.mul(&h);
        lines.push(&e.sub(&b), &j.double().add(&j), &h.neg());
    }

    fn addition_step(&mut self, q: &G2Affine, lines: &mut Lines) {
        let theta = self.y.sub(&q.y.mul(&self.z));
        let lambda = self.x.sub(&q.x.mul(&self.z));
        let c = theta.square();
        let d = lambda.square();
        let e = lambda.mul(&d);
        let f = self.z.mul(&c);
        let g = self.x.mul(&d);
        let h = e.add(&f).sub(&g.double());
        self.x = lambda.mul(&h);
        self.y = theta.mul(&g.sub(&h)).sub(&e.mul(&self.y));
        let z = self.z.mul(&e);
        self.z.c0 = z.c0;
        self.z.c1 = z.c1;
        lines.push(&theta.mul(&q.x).sub(&lambda.mul(&q.y)), &theta.neg(), &lambda);
    }
}

/// Visits the bits of |x| below the top one, from the top: `true` where an addition follows the
/// doubling.
fn loop_bits() -> impl Iterator<Item = bool> {
    (0..63u32).rev().map(|bit| (X_ABS >> bit) & 1 == 1)
}

/// The 68 lines of the Miller loop for `q`, in loop order.
pub fn prepare(q: &G2Affine) -> Lines {
    let mut lines = Lines::with_capacity();
    let mut walker = Walker { x: q.x.duplicate(), y: q.y.duplicate(), z: Fp2::ONE };
    for add in loop_bits() {
        walker.doubling_step(&mut lines);
        if add {
            walker.addition_step(q, &mut lines);
        }
    }
    lines
}

/// `f · line(P)`.
fn evaluate(f: &Fp12, line: &[Fp], p: &G1Affine) -> Fp12 {
    let [c00, c01, c10, c11, c20, c21] = line else {
        return f.duplicate();
    };
    let c0 = Fp2 { c0: *c00, c1: *c01 };
    let c1 = Fp2 { c0: c10.mul(&p.x), c1: c11.mul(&p.x) };
    let c2 = Fp2 { c0: c20.mul(&p.y), c1: c21.mul(&p.y) };
    f.mul_by_014(&c0, &c1, &c2)
}

/// `Π f_{|x|,Q}(P)` over the pairs, each G2 point given by its prepared lines; conjugated because
/// x is negative. Pairs with a point at infinity contribute 1.
pub fn multi_miller_loop(pairs: &[(G1Affine, &Lines)]) -> Fp12 {
    let mut f = PingPong::new(Fp12::ONE, Fp12::ONE);
    let mut index = 0usize;
    let mut first = true;
    for add in loop_bits() {
        if !first {
            f.step(Fp12::square);
        }
        first = false;
        let steps = if add { 2 } else { 1 };
        for step in 0..steps {
            for (p, lines) in pairs {
                if p.infinity {
                    continue;
                }
                if let Some(line) = lines.line(index.wrapping_add(step)) {
                    f.step(|f| evaluate(f, line, p));
                }
            }
        }
        index = index.wrapping_add(steps);
    }
    f.current().conjugate()
}

/// `g^x` for g in the cyclotomic subgroup (x negative: the conjugate of `g^|x|`).
fn cyclotomic_exp_by_x(g: &Fp12) -> Fp12 {
    // The top bit of |x| is set: start from g² rather than from a copy of g.
    let mut result = PingPong::new(g.cyclotomic_square(), Fp12::ONE);
    for bit in (0..63u32).rev() {
        if (X_ABS >> bit) & 1 == 1 {
            result.step(|r| r.mul(g));
        }
        if bit > 0 {
            result.step(Fp12::cyclotomic_square);
        }
    }
    result.current().conjugate()
}

/// `f^(3·(p¹²−1)/r)`.
pub fn final_exponentiation(f: &Fp12) -> Fp12 {
    // Easy part: f^((p⁶−1)(p²+1)) lands in the cyclotomic subgroup, where inversion is conjugation.
    let r = f.conjugate().mul(&f.inverse());
    let r = r.frobenius(2).mul(&r);
    // Hard part: 3·(p⁴−p²+1)/r = (x−1)²·(x+p)·(x²+p²−1) + 3.
    let t = cyclotomic_exp_by_x(&r).mul(&r.conjugate()); // r^(x−1)
    let a = cyclotomic_exp_by_x(&t).mul(&t.conjugate()); // r^((x−1)²)
    let b = cyclotomic_exp_by_x(&a).mul(&a.frobenius(1)); // a^(x+p)
    let c = cyclotomic_exp_by_x(&cyclotomic_exp_by_x(&b)).mul(&b.frobenius(2)).mul(&b.conjugate());
    c.mul(&r.cyclotomic_square()).mul(&r)
}

/// `e(P, Q)` (cubed, see the module documentation), as arkworks computes it.
pub fn pairing(p: &G1Affine, q: &G2Affine) -> Fp12 {
    let lines = prepare(q);
    final_exponentiation(&multi_miller_loop(&[(*p, &lines)]))
}
