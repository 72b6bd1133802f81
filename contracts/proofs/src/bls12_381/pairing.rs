//! The optimal ate pairing of BLS12-381: Miller loop over the bits of |x| with lines from G2
//! points in homogeneous projective coordinates (Costello–Lange–Naehrig formulas for the M-type
//! twist), and the final exponentiation `f^((p¹²−1)/r)` with the hard part of Hayashida,
//! Hayasaka and Teruya (2020), which raises to 3·(p⁴−p²+1)/r: GT values are the cube of the
//! textbook pairing (as arkworks computes it too); cubing is a bijection on GT, so equations
//! between pairings hold or fail alike.

use super::constants_generated::{G2_B, TWO_INV, X_ABS};
use super::fp12::Fp12;
use super::fp2::Fp2;
use super::points::{G1Affine, G2Affine};
use alloc::vec::Vec;

/// The coefficients of one line of the Miller loop, before evaluation at a G1 point.
#[derive(Clone, Copy, Debug)]
pub struct LineCoefficients {
    /// Constant term.
    pub c0: Fp2,
    /// Coefficient multiplied by the G1 point's x.
    pub c1: Fp2,
    /// Coefficient multiplied by the G1 point's y.
    pub c2: Fp2,
}

/// Lines of the Miller loop: one per doubling (63) and one per set bit of |x| below the top (5).
pub const LINES: usize = 68;

/// A G2 point in homogeneous projective coordinates, walked along the loop.
struct Walker {
    x: Fp2,
    y: Fp2,
    z: Fp2,
}

impl Walker {
    fn doubling_step(&mut self) -> LineCoefficients {
        let a = self.x.mul(&self.y).mul_by_fp(&TWO_INV);
        let b = self.y.square();
        let c = self.z.square();
        let e = G2_B.mul(&c.double().add(&c));
        let f = e.double().add(&e);
        let g = b.add(&f).mul_by_fp(&TWO_INV);
        let h = self.y.add(&self.z).square().sub(&b.add(&c));
        let i = e.sub(&b);
        let j = self.x.square();
        let e_square = e.square();
        self.x = a.mul(&b.sub(&f));
        self.y = g.square().sub(&e_square.double().add(&e_square));
        self.z = b.mul(&h);
        LineCoefficients { c0: i, c1: j.double().add(&j), c2: h.neg() }
    }

    fn addition_step(&mut self, q: &G2Affine) -> LineCoefficients {
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
        self.z = self.z.mul(&e);
        let j = theta.mul(&q.x).sub(&lambda.mul(&q.y));
        LineCoefficients { c0: j, c1: theta.neg(), c2: lambda }
    }
}

/// Visits the bits of |x| below the top one, from the top: `true` where an addition follows the
/// doubling.
fn loop_bits() -> impl Iterator<Item = bool> {
    (0..63u32).rev().map(|bit| (X_ABS >> bit) & 1 == 1)
}

/// The 68 lines of the Miller loop for `q`, in loop order.
pub fn prepare(q: &G2Affine) -> Vec<LineCoefficients> {
    let mut lines = Vec::with_capacity(LINES);
    let mut walker = Walker { x: q.x, y: q.y, z: Fp2::ONE };
    for add in loop_bits() {
        lines.push(walker.doubling_step());
        if add {
            lines.push(walker.addition_step(q));
        }
    }
    lines
}

fn evaluate(f: &Fp12, line: &LineCoefficients, p: &G1Affine) -> Fp12 {
    f.mul_by_014(&line.c0, &line.c1.mul_by_fp(&p.x), &line.c2.mul_by_fp(&p.y))
}

/// `Π f_{|x|,Q}(P)` over the pairs, each G2 point given by its prepared lines; conjugated because
/// x is negative. Pairs with a point at infinity contribute 1.
pub fn multi_miller_loop(pairs: &[(G1Affine, &[LineCoefficients])]) -> Fp12 {
    let mut f = Fp12::ONE;
    let mut index = 0usize;
    let mut first = true;
    for add in loop_bits() {
        if !first {
            f = f.square();
        }
        first = false;
        let steps = if add { 2 } else { 1 };
        for step in 0..steps {
            for (p, lines) in pairs {
                if p.infinity {
                    continue;
                }
                if let Some(line) = lines.get(index.wrapping_add(step)) {
                    f = evaluate(&f, line, p);
                }
            }
        }
        index = index.wrapping_add(steps);
    }
    f.conjugate()
}

/// `g^x` for g in the cyclotomic subgroup (x negative: the conjugate of `g^|x|`).
fn cyclotomic_exp_by_x(g: &Fp12) -> Fp12 {
    let mut result = *g;
    for bit in (0..63u32).rev() {
        result = result.cyclotomic_square();
        if (X_ABS >> bit) & 1 == 1 {
            result = result.mul(g);
        }
    }
    result.conjugate()
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
