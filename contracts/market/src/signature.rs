//! Client signatures of deal proposals, verified inside the contract (no unstable host function):
//! Sr25519 with schnorrkel, Ed25519 with ed25519-dalek, Ecdsa with the stable `ecdsa_recover`
//! host function.
//!
//! A client signs its proposal's `signing_payload` for this market's domain (tag ‖ domain ‖
//! SCALE), or the same bytes wrapped in `<Bytes>…</Bytes>` (Polkadot.js `signRaw`). The signatures of one publish call are checked
//! together: Sr25519 and Ed25519 signatures with one random-linear-combination batch equation per
//! scheme (32 sr25519 signatures of one client cost about a third of 32 single checks). A
//! contract has no randomness, so the coefficients are derived by hashing every signature, key
//! and message of the batch: a forger would have to fix them before knowing them.
//!
//! A batch is tried with every message raw, then with every message wrapped; only a batch that
//! mixes both (or holds a bad signature) falls back to checking signature by signature.

use ink::prelude::vec::Vec;
use polka_storage_primitives::hash::blake2_256;
use polka_storage_primitives::market::{wrap_bytes, ClientSignature};
use polka_storage_primitives::AccountId;

/// Schnorrkel signing context of Substrate's sr25519 signatures.
const SUBSTRATE_CONTEXT: &[u8] = b"substrate";
/// Domain of the seed the batch coefficients are drawn from.
const BATCH_SEED_DOMAIN: &[u8] = b"polka-storage/market/signature-batch/v1";

/// A signature to check: `signer` signed `message` (a proposal's signing payload), raw or
/// wrapped in `<Bytes>…</Bytes>`.
pub struct SignedMessage<'a> {
    /// The account that must have signed: the proposal's client.
    pub signer: &'a AccountId,
    /// The signature.
    pub signature: &'a ClientSignature,
    /// The unwrapped message.
    pub message: &'a [u8],
}

/// Whether every signature verifies, each over its message or the message's `<Bytes>` wrapping.
pub fn verify_all(items: &[SignedMessage]) -> bool {
    let mut sr25519 = Vec::new();
    let mut ed25519 = Vec::new();
    for item in items {
        match item.signature {
            ClientSignature::Sr25519(signature) => sr25519.push((item, signature)),
            ClientSignature::Ed25519(signature) => ed25519.push((item, signature)),
            ClientSignature::Ecdsa(signature) => {
                if !verify_ecdsa(item.signer, signature, item.message) {
                    return false;
                }
            }
        }
    }
    sr25519::verify(&sr25519) && ed25519::verify(&ed25519)
}

/// Ecdsa over secp256k1 as Substrate's `MultiSignature`: the signature is of
/// `blake2_256(message)` and the account is `blake2_256(compressed public key)`.
fn verify_ecdsa(signer: &AccountId, signature: &[u8; 65], message: &[u8]) -> bool {
    let signs = |message: &[u8]| {
        let mut public = [0u8; 33];
        let digest = blake2_256(&[message]);
        ink::env::ecdsa_recover(signature, &digest, &mut public).is_ok()
            && blake2_256(&[&public]) == *AsRef::<[u8; 32]>::as_ref(signer)
    };
    signs(message) || signs(&wrap_bytes(message))
}

/// How the messages of a batch are to be read.
#[derive(Clone, Copy)]
enum Wrapping {
    /// Every message as it is.
    Raw,
    /// Every message wrapped in `<Bytes>…</Bytes>`.
    Wrapped,
}

/// The messages of a batch, each as the wrapping says.
fn messages<S>(batch: &[(&SignedMessage, S)], wrapping: Wrapping) -> Vec<Vec<u8>> {
    batch
        .iter()
        .map(|(item, _)| match wrapping {
            Wrapping::Raw => item.message.to_vec(),
            Wrapping::Wrapped => wrap_bytes(item.message),
        })
        .collect()
}

/// Checks a batch as a whole: first every message raw, then every message wrapped (one client
/// tool signs one way); a batch that mixes both is checked signature by signature.
fn verify_batch_or_each<S: Copy>(
    batch: &[(&SignedMessage, S)],
    verify_batch: impl Fn(&[Vec<u8>]) -> bool,
    verify_one: impl Fn(usize, &[u8]) -> bool,
) -> bool {
    if batch.is_empty() {
        return true;
    }
    for wrapping in [Wrapping::Raw, Wrapping::Wrapped] {
        if verify_batch(&messages(batch, wrapping)) {
            return true;
        }
    }
    batch
        .iter()
        .enumerate()
        .all(|(index, (item, _))| verify_one(index, item.message) || verify_one(index, &wrap_bytes(item.message)))
}

/// The seed of the batch coefficients: a hash of every key, signature and message of the batch.
fn batch_seed<S: AsRef<[u8]>>(batch: &[(&SignedMessage, S)], messages: &[Vec<u8>]) -> [u8; 32] {
    let mut input = Vec::new();
    input.extend_from_slice(BATCH_SEED_DOMAIN);
    for ((item, signature), message) in batch.iter().zip(messages) {
        input.extend_from_slice(AsRef::<[u8; 32]>::as_ref(item.signer));
        input.extend_from_slice(signature.as_ref());
        input.extend_from_slice(&(message.len() as u64).to_le_bytes());
        input.extend_from_slice(message);
    }
    blake2_256(&[&input])
}

/// A deterministic generator keyed by a batch seed: `blake2_256(seed ‖ counter)` blocks. It only
/// feeds the batch coefficients, which must be unpredictable before the batch is fixed, not
/// secret.
struct SeededRng {
    seed: [u8; 32],
    counter: u64,
}

impl rand_core::RngCore for SeededRng {
    fn next_u32(&mut self) -> u32 {
        rand_core::impls::next_u32_via_fill(self)
    }

    fn next_u64(&mut self) -> u64 {
        rand_core::impls::next_u64_via_fill(self)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(32) {
            let block = blake2_256(&[&self.seed, &self.counter.to_le_bytes()]);
            self.counter = self.counter.wrapping_add(1);
            chunk.copy_from_slice(&block[..chunk.len()]);
        }
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl rand_core::CryptoRng for SeededRng {}

mod sr25519 {
    use super::*;
    use schnorrkel::{signing_context, PublicKey, Signature};

    /// Verifies Substrate sr25519 signatures (schnorrkel, context "substrate").
    pub(super) fn verify(batch: &[(&SignedMessage, &[u8; 64])]) -> bool {
        if batch.is_empty() {
            return true;
        }
        // Signatures of one key next to each other: schnorrkel then adds up their key terms and
        // decompresses the key once.
        let mut batch: Vec<(&SignedMessage, &[u8; 64])> = batch.to_vec();
        batch.sort_by(|(a, _), (b, _)| AsRef::<[u8; 32]>::as_ref(a.signer).cmp(AsRef::<[u8; 32]>::as_ref(b.signer)));
        let mut keys = Vec::with_capacity(batch.len());
        let mut signatures = Vec::with_capacity(batch.len());
        for (item, signature) in &batch {
            let key = match keys.last() {
                Some((bytes, key)) if bytes == item.signer => *key,
                _ => match PublicKey::from_bytes(AsRef::<[u8; 32]>::as_ref(item.signer)) {
                    Ok(key) => key,
                    Err(_) => return false,
                },
            };
            keys.push((*item.signer, key));
            match Signature::from_bytes(&signature[..]) {
                Ok(signature) => signatures.push(signature),
                Err(_) => return false,
            }
        }
        let keys: Vec<PublicKey> = keys.into_iter().map(|(_, key)| key).collect();
        let context = signing_context(SUBSTRATE_CONTEXT);
        verify_batch_or_each(
            &batch,
            |messages| {
                let rng = SeededRng { seed: batch_seed(&batch, messages), counter: 0 };
                let transcripts = messages.iter().map(|message| context.bytes(message));
                schnorrkel::verify_batch_rng(transcripts, &signatures, &keys, true, rng).is_ok()
            },
            |index, message| match (keys.get(index), signatures.get(index)) {
                (Some(key), Some(signature)) => key.verify_simple(SUBSTRATE_CONTEXT, message, signature).is_ok(),
                _ => false,
            },
        )
    }
}

mod ed25519 {
    use super::*;
    use ed25519_dalek::{Signature, Verifier, VerifyingKey};

    /// Verifies ed25519 signatures.
    pub(super) fn verify(batch: &[(&SignedMessage, &[u8; 64])]) -> bool {
        if batch.is_empty() {
            return true;
        }
        let mut keys: Vec<VerifyingKey> = Vec::with_capacity(batch.len());
        let mut signatures = Vec::with_capacity(batch.len());
        for (item, signature) in batch {
            let bytes = AsRef::<[u8; 32]>::as_ref(item.signer);
            // One decompression per key: a client's deals usually share it.
            let known =
                batch.iter().zip(&keys).find(|((other, _), _)| other.signer == item.signer).map(|(_, key)| *key);
            let key = match known {
                Some(key) => key,
                None => match VerifyingKey::from_bytes(bytes) {
                    Ok(key) => key,
                    Err(_) => return false,
                },
            };
            keys.push(key);
            signatures.push(Signature::from_bytes(signature));
        }
        verify_batch_or_each(
            batch,
            |messages| {
                let messages: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
                ed25519_dalek::verify_batch(&messages, &signatures, &keys).is_ok()
            },
            |index, message| match (keys.get(index), signatures.get(index)) {
                (Some(key), Some(signature)) => key.verify(message, signature).is_ok(),
                _ => false,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::Signer;

    fn signers() -> Vec<Signer> {
        vec![
            Signer::sr25519("//Alice"),
            Signer::ed25519("//Bob"),
            Signer::ecdsa("//Charlie"),
            Signer::sr25519("//Dave"),
            Signer::ed25519("//Eve"),
        ]
    }

    fn check(entries: &[(AccountId, ClientSignature, Vec<u8>)]) -> bool {
        let items: Vec<SignedMessage> =
            entries.iter().map(|(signer, signature, message)| SignedMessage { signer, signature, message }).collect();
        verify_all(&items)
    }

    /// Every signer signs `count` messages, raw or wrapped as `wrap(signer, message)` says.
    fn signed(count: u8, wrap: impl Fn(usize, u8) -> bool) -> Vec<(AccountId, ClientSignature, Vec<u8>)> {
        let mut entries = Vec::new();
        for (index, signer) in signers().iter().enumerate() {
            for n in 0..count {
                let message = vec![index as u8, n, 0xaa, 0x55];
                let signed = if wrap(index, n) { wrap_bytes(&message) } else { message.clone() };
                entries.push((signer.account(), signer.sign(&signed), message));
            }
        }
        entries
    }

    #[test]
    fn raw_wrapped_and_mixed_batches_of_every_kind_verify() {
        assert!(check(&signed(3, |_, _| false)));
        assert!(check(&signed(3, |_, _| true)));
        assert!(check(&signed(3, |signer, n| (signer + n as usize) % 2 == 0)));
        assert!(check(&[]));
    }

    #[test]
    fn one_bad_signature_fails_the_batch_whatever_its_kind() {
        let good = signed(2, |_, n| n == 1);
        for index in 0..good.len() {
            // A changed message.
            let mut entries = good.clone();
            entries[index].2.push(0);
            assert!(!check(&entries), "changed message {index}");
            // The wrong key: someone else's account.
            let mut entries = good.clone();
            let other = (index + 2) % entries.len();
            entries[index].0 = entries[other].0;
            assert!(!check(&entries), "wrong signer {index}");
        }
    }

    #[test]
    fn a_wrong_wrapper_is_rejected() {
        let signer = Signer::sr25519("//Ferdie");
        let message = b"proposal".to_vec();
        let mut wrong = b"<Bytes>".to_vec();
        wrong.extend_from_slice(&message);
        wrong.extend_from_slice(b"</bytes>");
        for signature in [signer.sign(&wrong), signer.sign(&[b"<Bytes>", &message[..]].concat())] {
            assert!(!check(&[(signer.account(), signature, message.clone())]));
        }
        let ecdsa = Signer::ecdsa("//Ferdie");
        assert!(!check(&[(ecdsa.account(), ecdsa.sign(&wrong), message.clone())]));
    }

    #[test]
    fn malformed_keys_and_signatures_are_rejected_without_panic() {
        let signer = Signer::sr25519("//Alice");
        let message = b"m".to_vec();
        let ClientSignature::Sr25519(mut bytes) = signer.sign(&message) else { unreachable!() };
        // Schnorrkel marks its signatures in the top bit of the last byte.
        bytes[63] &= 0x7f;
        assert!(!check(&[(signer.account(), ClientSignature::Sr25519(bytes), message.clone())]));
        // Not a point on the curve.
        let not_a_key = AccountId::from([0xff; 32]);
        assert!(!check(&[(not_a_key, signer.sign(&message), message.clone())]));
        assert!(!check(&[(not_a_key, ClientSignature::Ed25519([0; 64]), message.clone())]));
        assert!(!check(&[(not_a_key, ClientSignature::Ecdsa([0; 65]), message)]));
    }

    #[test]
    fn coefficients_depend_on_every_signature_key_and_message() {
        let entries = signed(1, |_, _| false);
        let items: Vec<SignedMessage> =
            entries.iter().map(|(signer, signature, message)| SignedMessage { signer, signature, message }).collect();
        let batch: Vec<(&SignedMessage, [u8; 1])> = items.iter().map(|item| (item, [1u8])).collect();
        let messages: Vec<Vec<u8>> = entries.iter().map(|(_, _, m)| m.clone()).collect();
        let seed = batch_seed(&batch, &messages);
        let mut changed = messages.clone();
        changed[0].push(1);
        assert_ne!(seed, batch_seed(&batch, &changed));
        let other: Vec<(&SignedMessage, [u8; 1])> = items.iter().map(|item| (item, [2u8])).collect();
        assert_ne!(seed, batch_seed(&other, &messages));
    }
}
