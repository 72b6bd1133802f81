//! Verifying keys built with arkworks from known trapdoors: the shape of Filecoin's ceremony keys
//! (γ the G2 generator) is accepted and verifies proofs, degenerate keys are refused.

use super::*;
use ark_bls12_381 as ark;
use ark_ec::{AffineRepr, CurveGroup, PrimeGroup};
use ark_ff::{Field, UniformRand};
use ark_serialize::CanonicalSerialize;
use ark_std::rand::{rngs::StdRng, SeedableRng};

/// Public inputs of the test keys.
const INPUTS: usize = 3;

fn g1(scalar: ark::Fr) -> Vec<u8> {
    let mut bytes = Vec::new();
    (ark::G1Projective::generator() * scalar).into_affine().serialize_compressed(&mut bytes).unwrap();
    bytes
}

fn g2(scalar: ark::Fr) -> Vec<u8> {
    let mut bytes = Vec::new();
    (ark::G2Projective::generator() * scalar).into_affine().serialize_compressed(&mut bytes).unwrap();
    bytes
}

/// A key's trapdoor: α, β, γ, δ and the discrete logs of the IC points.
struct Trapdoor {
    alpha: ark::Fr,
    beta: ark::Fr,
    gamma: ark::Fr,
    delta: ark::Fr,
    ic: Vec<ark::Fr>,
}

impl Trapdoor {
    /// Random trapdoor with γ = 1, as Filecoin's phase-2 keys have.
    fn ceremony_shaped(seed: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        Self {
            alpha: ark::Fr::rand(&mut rng),
            beta: ark::Fr::rand(&mut rng),
            gamma: ark::Fr::ONE,
            delta: ark::Fr::rand(&mut rng),
            ic: (0..=INPUTS).map(|_| ark::Fr::rand(&mut rng)).collect(),
        }
    }

    /// The key's parts in the order of the byte format.
    fn parts(&self) -> Vec<Vec<u8>> {
        let mut parts = vec![
            g1(self.alpha),
            g1(self.beta),
            g2(self.beta),
            g2(self.gamma),
            g1(self.delta),
            g2(self.delta),
            (self.ic.len() as u32).to_be_bytes().to_vec(),
        ];
        parts.extend(self.ic.iter().map(|t| g1(*t)));
        parts
    }

    /// A valid proof of `inputs` made with the trapdoor: A = a, B = b and C chosen so that
    /// ab = αβ + acc·γ + c·δ.
    fn proof(&self, inputs: &[u64], seed: u64) -> Vec<u8> {
        let mut rng = StdRng::seed_from_u64(seed);
        let (a, b) = (ark::Fr::rand(&mut rng), ark::Fr::rand(&mut rng));
        let acc = inputs.iter().zip(&self.ic[1..]).fold(self.ic[0], |acc, (x, t)| acc + ark::Fr::from(*x) * t);
        let c = (a * b - self.alpha * self.beta - acc * self.gamma) * self.delta.inverse().unwrap();
        [g1(a), g2(b), g1(c)].concat()
    }
}

fn small(inputs: &[u64]) -> Vec<PublicInput> {
    inputs.iter().map(|x| PublicInput::Small(*x)).collect()
}

#[test]
fn the_generators_are_the_arkworks_generators() {
    let mut bytes = Vec::new();
    ark::G1Affine::generator().serialize_compressed(&mut bytes).unwrap();
    assert_eq!(bytes, G1_GENERATOR_BYTES);
    bytes.clear();
    ark::G2Affine::generator().serialize_compressed(&mut bytes).unwrap();
    assert_eq!(bytes, G2_GENERATOR_BYTES);
}

#[test]
fn a_ceremony_shaped_key_with_gamma_the_generator_is_accepted_and_verifies() {
    let trapdoor = Trapdoor::ceremony_shaped(1);
    let parts = trapdoor.parts();
    assert_eq!(parts[3], G2_GENERATOR_BYTES, "γ is the G2 generator");
    let key = VerifyingKey::from_bytes(&parts.concat()).expect("ceremony-shaped key");
    assert_eq!(key.public_inputs(), INPUTS);
    let prepared = PreparedKey::from_bytes(&key.prepare().to_bytes()).unwrap();
    let inputs = [5, 7, 11];
    let proof = Proof::from_bytes(&trapdoor.proof(&inputs, 2)).unwrap();
    assert_eq!(verify(&prepared, &proof, &small(&inputs)), Ok(()));
    assert_eq!(verify(&prepared, &proof, &small(&[5, 7, 12])), Err(Groth16Error::InvalidProof));
}

/// The key of `trapdoor` with part `index` replaced by `bytes`.
fn with_part(trapdoor: &Trapdoor, index: usize, bytes: &[u8]) -> Vec<u8> {
    let mut parts = trapdoor.parts();
    parts[index] = bytes.to_vec();
    parts.concat()
}

#[test]
fn degenerate_keys_are_refused() {
    let trapdoor = Trapdoor::ceremony_shaped(3);
    let refused = |bytes: Vec<u8>| VerifyingKey::from_bytes(&bytes).map(|_| ());
    // γ = δ: C can absorb any change of the inputs' accumulator.
    let same = Trapdoor { gamma: trapdoor.delta, ..Trapdoor::ceremony_shaped(3) };
    assert_eq!(refused(same.parts().concat()), Err(Groth16Error::DegenerateKey));
    // δ = 1 in G2, or in G1: the trapdoor δ is public.
    assert_eq!(refused(with_part(&trapdoor, 5, &G2_GENERATOR_BYTES)), Err(Groth16Error::DegenerateKey));
    assert_eq!(refused(with_part(&trapdoor, 4, &G1_GENERATOR_BYTES)), Err(Groth16Error::DegenerateKey));
    // Two equal IC points: swapping the inputs they weigh gives the same accumulator.
    let first_ic = trapdoor.parts()[7].clone();
    assert_eq!(refused(with_part(&trapdoor, 9, &first_ic)), Err(Groth16Error::DegenerateKey));
    let last = trapdoor.parts().len() - 1;
    let second_ic = trapdoor.parts()[8].clone();
    assert_eq!(refused(with_part(&trapdoor, last, &second_ic)), Err(Groth16Error::DegenerateKey));
}

#[test]
fn the_identity_is_refused_in_every_position() {
    let trapdoor = Trapdoor::ceremony_shaped(4);
    let mut g1_identity = Vec::new();
    ark::G1Affine::identity().serialize_compressed(&mut g1_identity).unwrap();
    let mut g2_identity = Vec::new();
    ark::G2Affine::identity().serialize_compressed(&mut g2_identity).unwrap();
    let count = trapdoor.parts().len();
    for index in (0..count).filter(|index| *index != 6) {
        let identity = if matches!(index, 2 | 3 | 5) { &g2_identity } else { &g1_identity };
        let bytes = with_part(&trapdoor, index, identity);
        assert_eq!(VerifyingKey::from_bytes(&bytes).map(|_| ()), Err(Groth16Error::InvalidKeyPoint), "part {index}");
    }
}
