//! Differential tests against ark-bls12-381, and a check that the generated files are current.

use super::constants_generated::{G1_GENERATOR, G2_GENERATOR};
use super::curve::Affine;
use super::fp::Fp;
use super::fp12::Fp12;
use super::fp2::Fp2;
use super::fp6::Fp6;
use super::pairing::{final_exponentiation, multi_miller_loop, pairing, prepare};
use super::points::{g1_from_compressed, g1_in_subgroup, g2_from_compressed, g2_in_subgroup, PointError};
use ark_bls12_381 as ark;
use ark_ec::pairing::Pairing;
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{BigInteger, Field, PrimeField, UniformRand};
use ark_serialize::CanonicalSerialize;
use ark_std::rand::{rngs::StdRng, SeedableRng};

fn rng() -> StdRng {
    StdRng::seed_from_u64(0x5eed)
}

fn fp(x: &ark::Fq) -> Fp {
    let bytes: [u8; 48] = x.into_bigint().to_bytes_be().try_into().unwrap();
    Fp::from_be_bytes(&bytes).unwrap()
}

fn fp2(x: &ark::Fq2) -> Fp2 {
    Fp2 { c0: fp(&x.c0), c1: fp(&x.c1) }
}

fn fp6(x: &ark::Fq6) -> Fp6 {
    Fp6 { c0: fp2(&x.c0), c1: fp2(&x.c1), c2: fp2(&x.c2) }
}

fn fp12(x: &ark::Fq12) -> Fp12 {
    Fp12 { c0: fp6(&x.c0), c1: fp6(&x.c1) }
}

fn same_fp(a: &Fp, b: &ark::Fq) -> bool {
    a.to_be_bytes().to_vec() == b.into_bigint().to_bytes_be()
}

fn same12(a: &Fp12, b: &ark::Fq12) -> bool {
    a.equals(&fp12(b))
}

#[test]
fn base_field_matches_ark() {
    let mut rng = rng();
    let edge = [ark::Fq::from(0u64), ark::Fq::from(1u64), -ark::Fq::from(1u64), -ark::Fq::from(2u64)];
    for round in 0..200 {
        let a = if round < 4 { edge[round] } else { ark::Fq::rand(&mut rng) };
        let b = if round < 4 { edge[3 - round] } else { ark::Fq::rand(&mut rng) };
        let (x, y) = (fp(&a), fp(&b));
        assert!(same_fp(&x.add(&y), &(a + b)));
        assert!(same_fp(&x.sub(&y), &(a - b)));
        assert!(same_fp(&x.neg(), &(-a)));
        assert!(same_fp(&x.mul(&y), &(a * b)));
        assert!(same_fp(&x.square(), &a.square()));
        assert!(same_fp(&x.double().add(&y).mul(&x.sub(&y)), &((a + a + b) * (a - b))));
        if a != ark::Fq::from(0u64) {
            assert!(same_fp(&x.inverse(), &a.inverse().unwrap()));
        }
        match (x.sqrt(), a.sqrt()) {
            (Some(root), Some(_)) => assert!(root.square().equals(&x)),
            (None, None) => {}
            other => panic!("sqrt disagrees: {other:?}"),
        }
        assert_eq!(x.is_lexicographically_largest(), a > -a);
    }
    let mut too_big = [0xffu8; 48];
    too_big[0] = 0x1a;
    assert!(Fp::from_be_bytes(&too_big).is_none());
}

#[test]
fn tower_matches_ark() {
    let mut rng = rng();
    for _ in 0..20 {
        let (a, b) = (ark::Fq2::rand(&mut rng), ark::Fq2::rand(&mut rng));
        assert!(fp2(&a).mul(&fp2(&b)).equals(&fp2(&(a * b))));
        assert!(fp2(&a).square().equals(&fp2(&a.square())));
        assert!(fp2(&a).inverse().equals(&fp2(&a.inverse().unwrap())));
        match (fp2(&a).sqrt(), a.sqrt()) {
            (Some(root), Some(_)) => assert!(root.square().equals(&fp2(&a))),
            (None, None) => {}
            other => panic!("Fp2 sqrt disagrees: {other:?}"),
        }
        let square = a.square();
        assert!(fp2(&square).sqrt().is_some());

        let (c, d) = (ark::Fq6::rand(&mut rng), ark::Fq6::rand(&mut rng));
        assert!(fp6(&c).mul(&fp6(&d)).equals(&fp6(&(c * d))));
        assert!(fp6(&c).square().equals(&fp6(&c.square())));
        assert!(fp6(&c).inverse().equals(&fp6(&c.inverse().unwrap())));
        for power in 1..=3 {
            let mut frob = c;
            frob.frobenius_map_in_place(power);
            assert!(fp6(&c).frobenius(power).equals(&fp6(&frob)));
        }

        let (e, f) = (ark::Fq12::rand(&mut rng), ark::Fq12::rand(&mut rng));
        assert!(same12(&fp12(&e).mul(&fp12(&f)), &(e * f)));
        assert!(same12(&fp12(&e).square(), &e.square()));
        assert!(same12(&fp12(&e).inverse(), &e.inverse().unwrap()));
        for power in 1..=3 {
            let mut frob = e;
            frob.frobenius_map_in_place(power);
            assert!(same12(&fp12(&e).frobenius(power), &frob));
        }
        let (l0, l1, l4) = (ark::Fq2::rand(&mut rng), ark::Fq2::rand(&mut rng), ark::Fq2::rand(&mut rng));
        let mut sparse = e;
        sparse.mul_by_014(&l0, &l1, &l4);
        assert!(same12(&fp12(&e).mul_by_014(&fp2(&l0), &fp2(&l1), &fp2(&l4)), &sparse));
        // An element of the cyclotomic subgroup: e^((p⁶−1)(p²+1)).
        let easy = fp12(&e).conjugate().mul(&fp12(&e).inverse());
        let cyclotomic = easy.frobenius(2).mul(&easy);
        assert!(cyclotomic.cyclotomic_square().equals(&cyclotomic.square()));
    }
}

fn g1_bytes(point: &ark::G1Affine) -> [u8; 48] {
    let mut bytes = [0u8; 48];
    point.serialize_compressed(&mut bytes[..]).unwrap();
    bytes
}

fn g2_bytes(point: &ark::G2Affine) -> [u8; 96] {
    let mut bytes = [0u8; 96];
    point.serialize_compressed(&mut bytes[..]).unwrap();
    bytes
}

#[test]
fn points_decode_like_ark_and_subgroups_are_checked() {
    let mut rng = rng();
    for _ in 0..10 {
        let p = ark::G1Projective::rand(&mut rng).into_affine();
        let decoded = g1_from_compressed(&g1_bytes(&p)).unwrap();
        assert!(same_fp(&decoded.x, &p.x().unwrap()) && same_fp(&decoded.y, &p.y().unwrap()));
        let q = ark::G2Projective::rand(&mut rng).into_affine();
        let decoded = g2_from_compressed(&g2_bytes(&q)).unwrap();
        assert!(decoded.x.equals(&fp2(&q.x().unwrap())) && decoded.y.equals(&fp2(&q.y().unwrap())));
    }
    // Curve points outside the subgroups: some x on the curve, no cofactor clearing.
    let mut outside_g1 = 0;
    let mut outside_g2 = 0;
    for seed in 1..40u64 {
        let x = ark::Fq::from(seed);
        if let Some(point) = ark::G1Affine::get_point_from_x_unchecked(x, false) {
            let mine = Affine { x: fp(&point.x), y: fp(&point.y), infinity: false };
            assert_eq!(g1_in_subgroup(&mine), point.is_in_correct_subgroup_assuming_on_curve());
            if !g1_in_subgroup(&mine) {
                outside_g1 += 1;
                assert_eq!(g1_from_compressed(&g1_bytes(&point)).err(), Some(PointError::NotInSubgroup));
            }
        }
        let x2 = ark::Fq2::new(ark::Fq::from(seed), ark::Fq::from(seed + 7));
        if let Some(point) = ark::G2Affine::get_point_from_x_unchecked(x2, false) {
            let mine = Affine { x: fp2(&point.x), y: fp2(&point.y), infinity: false };
            assert_eq!(g2_in_subgroup(&mine), point.is_in_correct_subgroup_assuming_on_curve());
            if !g2_in_subgroup(&mine) {
                outside_g2 += 1;
            }
        }
    }
    assert!(outside_g1 > 5 && outside_g2 > 5);
    assert_eq!(g1_from_compressed(&[0u8; 48]).err(), Some(PointError::InvalidFlags));
    let mut infinity = [0u8; 48];
    infinity[0] = 0xc0;
    assert_eq!(g1_from_compressed(&infinity).err(), Some(PointError::Infinity));
}

#[test]
fn pairing_matches_ark() {
    let mut rng = rng();
    let g1 = Affine { x: G1_GENERATOR.0, y: G1_GENERATOR.1, infinity: false };
    let g2 = Affine { x: G2_GENERATOR.0, y: G2_GENERATOR.1, infinity: false };
    assert!(g1_in_subgroup(&g1) && g2_in_subgroup(&g2));
    let expected = ark::Bls12_381::pairing(ark::G1Affine::generator(), ark::G2Affine::generator()).0;
    // Both raise to 3·(p¹²−1)/r in the final exponentiation (see `pairing`).
    assert!(same12(&pairing(&g1, &g2), &expected));
    for _ in 0..3 {
        let p = ark::G1Projective::rand(&mut rng).into_affine();
        let q = ark::G2Projective::rand(&mut rng).into_affine();
        let mine_p = g1_from_compressed(&g1_bytes(&p)).unwrap();
        let mine_q = g2_from_compressed(&g2_bytes(&q)).unwrap();
        let expected = ark::Bls12_381::pairing(p, q).0;
        assert!(same12(&pairing(&mine_p, &mine_q), &expected));
        // Two pairs in one Miller loop: e(P, Q)·e(−P, Q) = 1.
        let lines = prepare(&mine_q);
        let product = multi_miller_loop(&[(mine_p, &lines), (mine_p.neg(), &lines)]);
        assert!(final_exponentiation(&product).equals(&Fp12::ONE));
    }
}

#[test]
fn generated_files_are_current() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/gen/gen_fp.py");
    let output = std::process::Command::new("python3").arg(root).arg("--check").output().expect("python3");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}
