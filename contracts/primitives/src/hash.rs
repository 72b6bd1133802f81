//! The two hashes of the suite, through ink!'s environment: inside a contract they are host
//! functions (cheap, no hashing code in the Wasm), natively they run ink!'s off-chain hashing.

use alloc::vec::Vec;
use ink::env::hash::{Blake2x256, CryptoHash, HashOutput, Sha2x256};

fn hash_parts<H: CryptoHash + HashOutput<Type = [u8; 32]>>(parts: &[&[u8]]) -> [u8; 32] {
    let mut output = [0u8; 32];
    if let [single] = parts {
        ink::env::hash_bytes::<H>(single, &mut output);
    } else {
        let len = parts.iter().map(|part| part.len()).sum();
        let mut input = Vec::with_capacity(len);
        for part in parts {
            input.extend_from_slice(part);
        }
        ink::env::hash_bytes::<H>(&input, &mut output);
    }
    output
}

/// SHA-256 of the concatenation of `parts`.
pub fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    hash_parts::<Sha2x256>(parts)
}

/// BLAKE2b with a 32-byte output (`blake2_256` of Substrate) of the concatenation of `parts`.
pub fn blake2_256(parts: &[&[u8]]) -> [u8; 32] {
    hash_parts::<Blake2x256>(parts)
}

/// Clears the two top bits so that 32 little-endian bytes are a canonical BLS12-381 scalar
/// (what Filecoin calls "truncating to 254 bits").
pub fn truncate_to_fr(mut bytes: [u8; 32]) -> [u8; 32] {
    bytes[31] &= 0x3f;
    bytes
}

// The tests of other modules decode hashes with it too.
#[cfg(test)]
pub(crate) use tests::hex32;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_match_known_values() {
        // SHA-256("abc") and BLAKE2b-256("abc"), from the standards' examples.
        assert_eq!(sha256(&[b"a", b"bc"]), hex32("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        assert_eq!(blake2_256(&[b"abc"]), hex32("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"));
    }

    pub(crate) fn hex32(text: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).unwrap();
        }
        out
    }
}
