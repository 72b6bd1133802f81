//! drand verification with real `quicknet` beacons, and the hash to G1 against RFC 9380's
//! published vectors and against arkworks.

use super::*;
use crate::bls12_381::hash_to_curve::{
    expand_message_xmd, hash_to_field, hash_to_g1, iso_map, map_to_curve_simple_swu, HashToCurveError,
};
use crate::bls12_381::points::G1Affine;
use crate::drand_vectors::Quicknet;
use serde_json::Value;

fn hex(text: &str) -> Vec<u8> {
    let text = text.trim_start_matches("0x");
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

fn fp(text: &str) -> Fp {
    let bytes: [u8; 48] = hex(text).try_into().unwrap();
    Fp::from_be_bytes(&bytes).unwrap()
}

fn point(value: &Value) -> (Fp, Fp) {
    (fp(value["x"].as_str().unwrap()), fp(value["y"].as_str().unwrap()))
}

fn same(point: &G1Affine, expected: (Fp, Fp)) -> bool {
    !point.infinity && point.x.equals(&expected.0) && point.y.equals(&expected.1)
}

fn quicknet() -> (Quicknet, PreparedPublicKey) {
    let chain = Quicknet::load().unwrap();
    let key = PreparedPublicKey::from_compressed(&chain.public_key).unwrap();
    (chain, key)
}

#[test]
fn expand_message_xmd_matches_rfc_9380() {
    let data: Value =
        serde_json::from_str(include_str!("../../testdata/rfc9380_expand_message_xmd_sha256.json")).unwrap();
    let dst = data["dst"].as_str().unwrap().as_bytes();
    let mut checked = 0;
    for test in data["tests"].as_array().unwrap() {
        if test["len_in_bytes"] != "0x80" {
            continue; // only the 128-byte output of two field elements is implemented
        }
        let out = expand_message_xmd(test["msg"].as_str().unwrap().as_bytes(), dst).unwrap();
        assert_eq!(out.to_vec(), hex(test["uniform_bytes"].as_str().unwrap()));
        checked += 1;
    }
    assert_eq!(checked, 5);
    assert_eq!(expand_message_xmd(b"", b""), Err(HashToCurveError::InvalidDst));
    assert_eq!(expand_message_xmd(b"", &[b'x'; 256]), Err(HashToCurveError::InvalidDst));
}

#[test]
fn hash_to_g1_matches_rfc_9380_at_every_step() {
    let data: Value = serde_json::from_str(include_str!("../../testdata/rfc9380_bls12381g1_ro.json")).unwrap();
    let dst = data["dst"].as_str().unwrap().as_bytes();
    assert_eq!(dst, b"QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_RO_");
    let vectors = data["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 5);
    for vector in vectors {
        let msg = vector["msg"].as_str().unwrap().as_bytes();
        let u = hash_to_field(msg, dst).unwrap();
        for (index, element) in u.iter().enumerate() {
            assert!(element.equals(&fp(vector["u"][index].as_str().unwrap())), "u[{index}]");
        }
        for (index, name) in ["Q0", "Q1"].into_iter().enumerate() {
            let (x, y) = map_to_curve_simple_swu(&u[index]).unwrap();
            assert!(same(&iso_map(&x, &y), point(&vector[name])), "{name}");
        }
        assert!(same(&hash_to_g1(msg, dst).unwrap(), point(&vector["P"])), "P");
    }
}

#[test]
fn hash_to_g1_matches_arkworks() {
    use ark_bls12_381 as ark;
    use ark_ec::hashing::curve_maps::wb::WBMap;
    use ark_ec::hashing::map_to_curve_hasher::MapToCurveBasedHasher;
    use ark_ec::hashing::HashToCurve;
    use ark_ff::field_hashers::DefaultFieldHasher;
    use ark_ff::{BigInteger, PrimeField};
    type Hasher =
        MapToCurveBasedHasher<ark::G1Projective, DefaultFieldHasher<sha2::Sha256, 128>, WBMap<ark::g1::Config>>;
    let hasher = <Hasher as HashToCurve<ark::G1Projective>>::new(QUICKNET_DST).unwrap();
    for round in [0u64, 1, 2, 1_000, 657_413, 30_662_982, u64::MAX] {
        let msg = message(round);
        let expected: ark::G1Affine = hasher.hash(&msg).unwrap();
        let ours = hash_to_g1(&msg, QUICKNET_DST).unwrap();
        assert_eq!(ours.x.to_be_bytes().to_vec(), expected.x.into_bigint().to_bytes_be(), "x of round {round}");
        assert_eq!(ours.y.to_be_bytes().to_vec(), expected.y.into_bigint().to_bytes_be(), "y of round {round}");
    }
}

#[test]
fn every_recorded_quicknet_round_verifies_and_gives_its_randomness() {
    let (chain, key) = quicknet();
    assert!(chain.rounds.len() >= 8);
    for (round, signature, expected) in &chain.rounds {
        assert_eq!(verify(&key, *round, signature), Ok(*expected), "round {round}");
        assert_eq!(randomness(signature), *expected);
    }
    assert_eq!(chain.round_time(1), 1_692_803_367);
}

#[test]
fn a_signature_relayed_for_another_round_is_refused() {
    let (chain, key) = quicknet();
    for (round, signature, _) in &chain.rounds {
        assert_eq!(verify(&key, round + 1, signature), Err(DrandError::BadSignature));
        assert_eq!(verify(&key, round - 1, signature), Err(DrandError::BadSignature));
    }
}

#[test]
fn a_changed_signature_bit_is_refused() {
    let (chain, key) = quicknet();
    let (round, signature, _) = chain.rounds[3];
    for bit in [0usize, 2, 3, 7, 100, 200, 383] {
        let mut changed = signature;
        changed[bit / 8] ^= 1 << (7 - bit % 8);
        let outcome = verify(&key, round, &changed);
        // Flag bits and most x-coordinates give no point of G1; the rest a wrong signature.
        assert!(matches!(outcome, Err(DrandError::InvalidSignature | DrandError::BadSignature)), "bit {bit}");
    }
    // The sign bit gives the negated point: a valid point, the wrong signature.
    let mut negated = signature;
    negated[0] ^= 0x20;
    assert_eq!(verify(&key, round, &negated), Err(DrandError::BadSignature));
}

#[test]
fn another_key_is_refused_and_invalid_keys_are_rejected() {
    let (chain, _) = quicknet();
    // quicknet-t, drand's testnet chain of the same scheme (drand's quicknet announcement).
    let testnet: [u8; 96] = hex(concat!(
        "b15b65b46fb29104f6a4b5d1e11a8da6344463973d423661bb0804846a0ecd1ef93c25057f1c0baab2ac53e56c662b66",
        "072f6d84ee791a3382bfb055afab1e6a375538d8ffc451104ac971d2dc9b168e2d3246b0be2015969cbaac298f6502da"
    ))
    .try_into()
    .unwrap();
    let other = PreparedPublicKey::from_compressed(&testnet).unwrap();
    let generator = PreparedPublicKey::from_compressed(&G2_GENERATOR).unwrap();
    for (round, signature, _) in &chain.rounds {
        assert_eq!(verify(&other, *round, signature), Err(DrandError::BadSignature));
        assert_eq!(verify(&generator, *round, signature), Err(DrandError::BadSignature));
    }
    let mut broken = chain.public_key;
    broken[95] ^= 1;
    assert_eq!(PreparedPublicKey::from_compressed(&broken).err(), Some(DrandError::InvalidPublicKey));
    let mut infinity = [0u8; 96];
    infinity[0] = 0xc0;
    assert_eq!(PreparedPublicKey::from_compressed(&infinity).err(), Some(DrandError::InvalidPublicKey));
}

#[test]
fn the_prepared_key_round_trips_through_storage_bytes() {
    let (chain, key) = quicknet();
    let bytes = key.to_bytes();
    assert_eq!(bytes.len(), PREPARED_KEY_BYTES);
    let back = PreparedPublicKey::from_bytes(&bytes).unwrap();
    let (round, signature, expected) = chain.rounds[0];
    assert_eq!(verify(&back, round, &signature), Ok(expected));
    assert!(PreparedPublicKey::from_bytes(&bytes[1..]).is_none());
    // The identity of G1 is no signature.
    let mut identity = [0u8; 48];
    identity[0] = 0xc0;
    assert_eq!(verify(&key, round, &identity), Err(DrandError::InvalidSignature));
}
