//! Text forms of what the tool reads and prints: `0x` hex, accounts (SS58 or hex), textual CIDs
//! (multibase base32) and Groth16 byte formats of spec §4.4.

use anyhow::{bail, ensure, Context, Result};
use polka_storage_primitives::AccountId;
use sp_core::crypto::{AccountId32, Ss58Codec};

/// `0x`-prefixed lowercase hex.
pub fn hex0x(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

/// Bytes from hex, with or without `0x`.
pub fn parse_hex(text: &str) -> Result<Vec<u8>> {
    let digits = text.trim().strip_prefix("0x").unwrap_or(text.trim());
    hex::decode(digits).with_context(|| format!("`{text}` is not hex"))
}

/// 32 bytes from hex, with or without `0x`.
pub fn parse_hex32(text: &str) -> Result<[u8; 32]> {
    let bytes = parse_hex(text)?;
    bytes.as_slice().try_into().map_err(|_| anyhow::anyhow!("`{text}` is {} bytes, expected 32", bytes.len()))
}

/// An account from its SS58 address (any network prefix) or 32 bytes of hex.
pub fn parse_account(text: &str) -> Result<AccountId> {
    let text = text.trim();
    if text.starts_with("0x") || (text.len() == 64 && text.chars().all(|c| c.is_ascii_hexdigit())) {
        return Ok(AccountId::from(parse_hex32(text)?));
    }
    let account = AccountId32::from_ss58check(text)
        .map_err(|error| anyhow::anyhow!("`{text}` is not an SS58 address nor 32 bytes of hex ({error:?})"))?;
    Ok(AccountId::from(<[u8; 32]>::from(account)))
}

/// The SS58 address of an account (generic Substrate prefix 42, as Contracts UI shows it).
pub fn account_to_ss58(account: &AccountId) -> String {
    let bytes: [u8; 32] = *AsRef::<[u8; 32]>::as_ref(account);
    AccountId32::from(bytes).to_ss58check()
}

const BASE32: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// A binary CID in its textual form: multibase `b` + RFC 4648 base32, lowercase, no padding.
pub fn cid_to_text(cid: &[u8]) -> String {
    let mut text = String::with_capacity(1 + cid.len() * 8 / 5 + 1);
    text.push('b');
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in cid {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            text.push(BASE32[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        text.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    text
}

/// A CID given as text (`baga…`) or as hex of its binary form, in binary form.
pub fn parse_cid(text: &str) -> Result<Vec<u8>> {
    let text = text.trim();
    if let Some(digits) = text.strip_prefix('b') {
        let (mut buffer, mut bits, mut bytes) = (0u32, 0u32, Vec::new());
        for character in digits.bytes() {
            let value = BASE32
                .iter()
                .position(|symbol| *symbol == character.to_ascii_lowercase())
                .with_context(|| format!("`{text}` is not a base32 CID"))?;
            buffer = (buffer << 5) | value as u32;
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                bytes.push((buffer >> bits) as u8);
            }
        }
        return Ok(bytes);
    }
    if text.starts_with("0x") {
        return parse_hex(text);
    }
    bail!("`{text}` is neither a base32 CID (`baga…`) nor 0x-prefixed hex")
}

/// Groth16 byte formats of the verifier contract (spec §4.4): zcash compressed points.
pub mod groth16_bytes {
    use super::*;
    use bellperson::groth16::{Proof, VerifyingKey};
    use blstrs::Bls12;

    /// Bytes of a proof: `A (G1, 48) ‖ B (G2, 96) ‖ C (G1, 48)`.
    pub fn proof(proof: &Proof<Bls12>) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(192);
        bytes.extend_from_slice(&proof.a.to_compressed());
        bytes.extend_from_slice(&proof.b.to_compressed());
        bytes.extend_from_slice(&proof.c.to_compressed());
        bytes
    }

    /// Bytes of a verifying key, the argument of `set_verifying_key`:
    /// `alpha_g1 ‖ beta_g1 ‖ beta_g2 ‖ gamma_g2 ‖ delta_g1 ‖ delta_g2 ‖ u32_be(ic_len) ‖ ic`.
    pub fn verifying_key(key: &VerifyingKey<Bls12>) -> Result<Vec<u8>> {
        let mut bytes = Vec::with_capacity(436 + 48 * key.ic.len());
        bytes.extend_from_slice(&key.alpha_g1.to_compressed());
        bytes.extend_from_slice(&key.beta_g1.to_compressed());
        bytes.extend_from_slice(&key.beta_g2.to_compressed());
        bytes.extend_from_slice(&key.gamma_g2.to_compressed());
        bytes.extend_from_slice(&key.delta_g1.to_compressed());
        bytes.extend_from_slice(&key.delta_g2.to_compressed());
        let ic_len = u32::try_from(key.ic.len()).context("IC too long")?;
        bytes.extend_from_slice(&ic_len.to_be_bytes());
        for point in &key.ic {
            bytes.extend_from_slice(&point.to_compressed());
        }
        Ok(bytes)
    }

    /// A proof from its 192 bytes (points checked to be on the curve and in the subgroup).
    pub fn parse_proof(bytes: &[u8]) -> Result<Proof<Bls12>> {
        ensure!(bytes.len() == 192, "a Groth16 proof is 192 bytes, not {}", bytes.len());
        Proof::<Bls12>::read(bytes).context("the proof bytes are not valid curve points")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use polka_storage_primitives::commitment::{commitment_to_cid, CommitmentKind};

    #[test]
    fn piece_cids_print_as_filecoin_does() {
        let cid = commitment_to_cid(&[0u8; 32], CommitmentKind::Unsealed);
        let text = cid_to_text(&cid);
        assert!(text.starts_with("baga6ea4sea"), "{text}");
        assert_eq!(parse_cid(&text).unwrap(), cid);
        assert_eq!(parse_cid(&hex0x(&cid)).unwrap(), cid);
        let sealed = cid_to_text(&commitment_to_cid(&[0u8; 32], CommitmentKind::Sealed));
        assert!(sealed.starts_with("bagboea4b5abc"), "{sealed}");
    }

    #[test]
    fn accounts_parse_from_ss58_and_hex() {
        let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
        let account = parse_account(alice).unwrap();
        assert_eq!(account_to_ss58(&account), alice);
        let hex = hex0x(AsRef::<[u8; 32]>::as_ref(&account));
        assert_eq!(parse_account(&hex).unwrap(), account);
        assert!(parse_account("not an account").is_err());
    }
}

/// Serde of 32-byte values as `0x` hex strings.
pub mod hex32_serde {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes `0x…`.
    pub fn serialize<S: Serializer>(value: &[u8; 32], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::hex0x(value))
    }

    /// Reads hex with or without `0x`.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<[u8; 32], D::Error> {
        let text = String::deserialize(deserializer)?;
        super::parse_hex32(&text).map_err(serde::de::Error::custom)
    }
}
