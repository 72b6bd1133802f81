//! `storage-cli verify`: checks a PoRep or Window PoSt proof natively with the verifier
//! contract's own code (`polka-storage-proofs`: the same public-input derivation, byte formats
//! and Groth16 checks, in the same order), so a proof the contract would reject is caught, with
//! the contract's named error, before any gas is spent.
//!
//! The contract validates its keys once, in `set_verifying_key`; here the key comes from a file,
//! so it is checked first, with the errors `set_verifying_key` would give.

use std::path::Path;

use anyhow::{bail, Context, Result};
use polka_storage_primitives::commitment::{cid_to_commitment, Commitment, CommitmentKind};
use polka_storage_primitives::proofs::{ProofError, PublicReplicaInfo, SealVerifyInfo};
use polka_storage_primitives::sector::{ProofType, RegisteredPoStProof, RegisteredSealProof};
use polka_storage_proofs::groth16::{self, Groth16Error, PreparedKey, Proof, VerifyingKey};
use polka_storage_proofs::{porep, post, PublicInput};
use serde::Serialize;
use serde_json::{json, Value};

use crate::format::{hex0x, parse_cid, parse_hex};

/// Which check of the verifier a proof failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Check {
    /// The key bytes (spec §4.4): their length and every point.
    KeyFormat,
    /// The key's IC points against the public inputs of the proof type.
    KeySize,
    /// The proof's length (192 bytes).
    ProofLength,
    /// The proof's points: valid encodings, on the curve, in the prime-order subgroup.
    ProofPoints,
    /// The challenged sectors of a Window PoSt: how many, and no sector twice.
    Replicas,
    /// The derivation of the public inputs from the given values.
    PublicInputs,
    /// CommR, CommD and the PoSt randomness are scalars below the group order.
    CanonicalInputs,
    /// The pairing equation: the proof proves exactly these public inputs under this key.
    Pairing,
}

/// Why a proof is invalid: the error the verifier contract answers, the check that failed, and
/// what to look at next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// What `verify_porep` / `verify_post` would return.
    pub error: ProofError,
    /// The check that failed.
    pub check: Check,
    /// What failed and what to check next.
    pub detail: String,
}

impl Rejection {
    fn new(error: ProofError, check: Check, detail: impl Into<String>) -> Self {
        Rejection { error, check, detail: detail.into() }
    }

    /// The contract's error as Contracts UI and cargo-contract show it (`InvalidProof`, …).
    pub fn reason(&self) -> String {
        format!("{:?}", self.error)
    }
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({:?} check): {}", self.reason(), self.check, self.detail)
    }
}

/// A proof that passed every check, with the public inputs it was checked against.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The public inputs, in circuit order.
    pub public_inputs: Vec<PublicInput>,
}

/// The verifier's error for a Groth16 failure (the mapping of the `proof_verifier` contract),
/// with the check it belongs to.
pub fn groth16_rejection(error: Groth16Error) -> (ProofError, Check) {
    let check = match error {
        Groth16Error::InvalidKeyLength | Groth16Error::InvalidKeyPoint | Groth16Error::DegenerateKey => {
            Check::KeyFormat
        }
        Groth16Error::WrongInputCount => Check::KeySize,
        Groth16Error::InvalidProofLength => Check::ProofLength,
        Groth16Error::InvalidProofPoint => Check::ProofPoints,
        Groth16Error::NonCanonicalInput => Check::CanonicalInputs,
        Groth16Error::EmptyBatch => Check::Replicas,
        Groth16Error::InvalidProof => Check::Pairing,
    };
    (ProofError::from(error), check)
}

fn from_groth16(error: Groth16Error, detail: &str) -> Rejection {
    let (proof_error, check) = groth16_rejection(error);
    // The Groth16 name adds to the contract's where the contract folds several into one.
    let (groth16_name, contract_name) = (format!("{error:?}"), format!("{proof_error:?}"));
    if groth16_name == contract_name {
        Rejection::new(proof_error, check, detail)
    } else {
        Rejection::new(proof_error, check, format!("{detail} ({groth16_name})"))
    }
}

/// Parses and prepares a verifying key for `proof_type`, as `set_verifying_key` checks it.
pub fn prepare_key(key: &[u8], proof_type: ProofType) -> Result<PreparedKey, Rejection> {
    let parsed = VerifyingKey::from_bytes(key).map_err(|error| {
        from_groth16(
            error,
            &format!(
                "the {}-byte key is not a verifying key in the format of spec §4.4 (export it with `storage-cli params --export DIR`)",
                key.len()
            ),
        )
    })?;
    let expected = proof_type.public_inputs();
    if parsed.public_inputs() != expected {
        return Err(Rejection::new(
            ProofError::WrongVerifyingKeySize,
            Check::KeySize,
            format!(
                "the key verifies {} public inputs, a {} proof has {expected}: it is the key of another proof type",
                parsed.public_inputs(),
                proof_type_text(proof_type)
            ),
        ));
    }
    Ok(parsed.prepare())
}

fn parse_proof(bytes: &[u8], proof_type: ProofType) -> Result<Proof, Rejection> {
    Proof::from_bytes(bytes).map_err(|error| {
        let detail = match error {
            Groth16Error::InvalidProofLength => format!(
                "the proof is {} bytes; a {} proof is {} bytes (A ‖ B ‖ C, compressed)",
                bytes.len(),
                proof_type_text(proof_type),
                polka_storage_primitives::policy::GROTH16_PROOF_BYTES
            ),
            _ => "a point of the proof is not a valid compressed point of its group (A, C in G1, B in G2): the bytes were damaged or are not a Groth16 proof".to_string(),
        };
        from_groth16(error, &detail)
    })
}

/// Names the first non-canonical value, as the contract rejects it with
/// `NonCanonicalFieldElement`.
fn check_canonical(values: &[(&str, &[u8; 32])]) -> Result<(), Rejection> {
    match values.iter().find(|(_, value)| !groth16::is_canonical_scalar(value)) {
        Some((name, value)) => Err(non_canonical(name, value)),
        None => Ok(()),
    }
}

fn non_canonical(name: &str, value: &[u8; 32]) -> Rejection {
    Rejection::new(
        ProofError::NonCanonicalFieldElement,
        Check::CanonicalInputs,
        format!(
            "{name} {} is not below the BLS12-381 group order: it cannot be a commitment or a drawn value",
            hex0x(value)
        ),
    )
}

fn pairing(key: &PreparedKey, proof: &Proof, inputs: &[PublicInput], hint: &str) -> Result<(), Rejection> {
    groth16::verify(key, proof, inputs).map_err(|error| {
        let detail = match error {
            Groth16Error::InvalidProof => {
                format!("the proof does not prove these public inputs under this key: {hint}")
            }
            _ => "the public inputs do not fit the key".to_string(),
        };
        from_groth16(error, &detail)
    })
}

/// Verifies a PoRep proof as `verify_porep` of the contract does, under the key bytes `key`.
pub fn verify_porep(key: &[u8], seal: &SealVerifyInfo) -> Result<Verified, Rejection> {
    let proof_type = ProofType::Seal(seal.seal_proof);
    let key = prepare_key(key, proof_type)?;
    let proof = parse_proof(&seal.proof, proof_type)?;
    let inputs = porep::public_inputs(seal).map_err(|error| {
        Rejection::new(
            ProofError::from(error),
            Check::PublicInputs,
            format!("the public inputs cannot be derived ({error:?})"),
        )
    })?;
    check_canonical(&[("comm_d", &seal.comm_d), ("comm_r", &seal.comm_r)])?;
    pairing(
        &key,
        &proof,
        &inputs,
        "check the sector number, prover id (provider), ticket, seed, CommR and CommD against the \
         values the sector was sealed and proven with (the seed of the pre-commit's challenge \
         block, the ticket of its seal_randomness_height), the seal proof type, and that the key \
         belongs to the parameters the proof was made with",
    )?;
    Ok(Verified { public_inputs: inputs })
}

/// Verifies a Window PoSt proof as `verify_post` of the contract does, under the key bytes `key`.
pub fn verify_post(
    key: &[u8],
    post_proof: RegisteredPoStProof,
    randomness: &[u8; 32],
    replicas: &[PublicReplicaInfo],
    proof: &[u8],
) -> Result<Verified, Rejection> {
    let proof_type = ProofType::PoSt(post_proof);
    let key = prepare_key(key, proof_type)?;
    let inputs = post::public_inputs(post_proof, randomness, replicas).map_err(|error| match error {
        post::PoStInputError::InvalidReplicaCount => Rejection::new(
            ProofError::from(error),
            Check::Replicas,
            format!(
                "{} sectors given; one Window PoSt proof covers 1 to {} sectors (one partition)",
                replicas.len(),
                post_proof.sector_count()
            ),
        ),
        post::PoStInputError::DuplicateReplica => {
            Rejection::new(ProofError::from(error), Check::Replicas, "a sector is listed twice")
        }
        post::PoStInputError::NonCanonicalRandomness => non_canonical("the randomness", randomness),
    })?;
    let proof = parse_proof(proof, proof_type)?;
    let comm_rs: Vec<(String, &[u8; 32])> = replicas
        .iter()
        .map(|replica| (format!("comm_r of sector {}", replica.sector_number), &replica.comm_r))
        .collect();
    let named: Vec<(&str, &[u8; 32])> = comm_rs.iter().map(|(name, value)| (name.as_str(), *value)).collect();
    check_canonical(&named)?;
    pairing(
        &key,
        &proof,
        &inputs,
        "check the challenge randomness (drawn for the deadline's challenge block), the sector \
         numbers and their CommRs (the proof covers exactly these sectors, all of them), and that \
         the key belongs to the parameters the proof was made with",
    )?;
    Ok(Verified { public_inputs: inputs })
}

/// SCON of a proof type, as cargo-contract and Contracts UI write it.
pub fn proof_type_text(proof_type: ProofType) -> String {
    format!("{proof_type:?}")
}

/// A seal proof type by its name (`StackedDrg2KiBV1_1`, `StackedDRG2KiBV1P1`; any case).
pub fn parse_seal_proof(text: &str) -> Result<RegisteredSealProof> {
    RegisteredSealProof::ALL
        .into_iter()
        .find(|proof| format!("{proof:?}").eq_ignore_ascii_case(text.trim()))
        .with_context(|| format!("`{text}` is not a seal proof type; known: {:?}", RegisteredSealProof::ALL))
}

/// A Window PoSt proof type by its name (`StackedDRGWindow2KiBV1P1`; any case).
pub fn parse_post_proof(text: &str) -> Result<RegisteredPoStProof> {
    RegisteredPoStProof::ALL
        .into_iter()
        .find(|proof| format!("{proof:?}").eq_ignore_ascii_case(text.trim()))
        .with_context(|| format!("`{text}` is not a Window PoSt proof type; known: {:?}", RegisteredPoStProof::ALL))
}

/// A commitment given as its 32 raw bytes (hex) or as its CID (`bagboea…`/`baga6ea4…` text, or
/// the hex of the binary CID, as `sealed_cid`/`unsealed_cid` of a pre-commit).
pub fn parse_commitment(text: &str, kind: CommitmentKind) -> Result<Commitment> {
    let text = text.trim();
    let bare_hex = text.len() == 64 && text.bytes().all(|byte| byte.is_ascii_hexdigit());
    if text.starts_with("0x") || bare_hex {
        let bytes = parse_hex(text)?;
        if let Ok(raw) = <[u8; 32]>::try_from(bytes.as_slice()) {
            return Ok(raw);
        }
    }
    let cid = parse_cid(text).with_context(|| format!("`{text}` is neither 32 bytes of hex nor a CID"))?;
    cid_to_commitment(&cid, kind).map_err(|error| {
        anyhow::anyhow!("`{text}` is neither 32 bytes of hex nor a {kind:?} commitment CID ({error:?})")
    })
}

/// A Window PoSt replica as `SECTOR:COMMR` (CommR as raw hex or sealed CID).
pub fn parse_replica(text: &str) -> Result<PublicReplicaInfo> {
    let Some((sector, comm_r)) = text.split_once(':') else {
        bail!("`{text}` is not SECTOR:COMMR (e.g. 7:0x830f…)");
    };
    Ok(PublicReplicaInfo {
        sector_number: sector.trim().parse().with_context(|| format!("`{sector}` is not a sector number"))?,
        comm_r: parse_commitment(comm_r, CommitmentKind::Sealed)?,
    })
}

/// Bytes given on the command line: `0x` hex, or a file holding the raw bytes (or hex text).
pub fn bytes_from_arg(text: &str, what: &str) -> Result<Vec<u8>> {
    if text.trim().starts_with("0x") {
        return parse_hex(text).with_context(|| format!("the {what} is not hex"));
    }
    let path = Path::new(text);
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read the {what} from {text}: give 0x-prefixed hex or a file"))?;
    // A file of hex text (what Contracts UI or `--out` of another tool printed) is read as hex.
    match std::str::from_utf8(&bytes) {
        Ok(contents) if contents.trim().starts_with("0x") => {
            parse_hex(contents).with_context(|| format!("{text} holds malformed hex"))
        }
        _ => Ok(bytes),
    }
}

/// A public input as JSON: a number for a node or leaf index, hex for a full scalar.
pub fn input_json(input: &PublicInput) -> Value {
    match input {
        PublicInput::Small(value) => json!(value),
        PublicInput::Full(bytes) => json!(hex0x(bytes)),
    }
}

/// What `storage-cli verify` prints: `valid`, and for an invalid proof the contract's error
/// (`reason`), the failed `check` and a `detail` that says what to look at.
pub fn report(proof_type: ProofType, verdict: &Result<Verified, Rejection>, show_inputs: bool) -> Value {
    let mut out = json!({
        "proof_type": proof_type_text(proof_type),
        "valid": verdict.is_ok(),
    });
    match verdict {
        Ok(verified) => {
            out["public_inputs_count"] = json!(verified.public_inputs.len());
            if show_inputs {
                out["public_inputs"] = verified.public_inputs.iter().map(input_json).collect();
            }
        }
        Err(rejection) => {
            out["reason"] = json!(rejection.reason());
            out["check"] = json!(rejection.check);
            out["detail"] = json!(rejection.detail);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use polka_storage_primitives::commitment::commitment_to_cid;

    use crate::format::cid_to_text;

    #[test]
    fn proof_types_parse_by_name() {
        assert_eq!(parse_seal_proof("StackedDrg2KiBV1_1").unwrap(), RegisteredSealProof::StackedDrg2KiBV1_1);
        assert_eq!(parse_seal_proof("stackeddrg2kibv1p1").unwrap(), RegisteredSealProof::StackedDRG2KiBV1P1);
        assert!(parse_seal_proof("StackedDrg32GiBV1").is_err());
        assert_eq!(
            parse_post_proof("StackedDRGWindow2KiBV1P1").unwrap(),
            RegisteredPoStProof::StackedDRGWindow2KiBV1P1
        );
    }

    #[test]
    fn commitments_parse_raw_or_as_cids() {
        let comm_r = [0x1f; 32];
        let cid = commitment_to_cid(&comm_r, CommitmentKind::Sealed);
        for text in [hex0x(&comm_r), hex0x(&cid), cid_to_text(&cid)] {
            assert_eq!(parse_commitment(&text, CommitmentKind::Sealed).unwrap(), comm_r);
        }
        // A CommD CID is not a CommR.
        let unsealed = commitment_to_cid(&comm_r, CommitmentKind::Unsealed);
        assert!(parse_commitment(&hex0x(&unsealed), CommitmentKind::Sealed).is_err());
        assert!(parse_commitment("0x1234", CommitmentKind::Sealed).is_err());
    }

    #[test]
    fn replicas_parse_as_sector_and_comm_r() {
        let replica = parse_replica(&format!("7:{}", hex0x(&[2; 32]))).unwrap();
        assert_eq!(replica, PublicReplicaInfo { sector_number: 7, comm_r: [2; 32] });
        assert!(parse_replica("7").is_err());
        assert!(parse_replica(&format!("x:{}", hex0x(&[2; 32]))).is_err());
    }

    #[test]
    fn malformed_keys_are_named_as_set_verifying_key_names_them() {
        let porep = ProofType::Seal(RegisteredSealProof::StackedDrg2KiBV1_1);
        let short = prepare_key(&[0u8; 100], porep).unwrap_err();
        assert_eq!((short.error, short.check), (ProofError::InvalidVerifyingKey, Check::KeyFormat));
    }

    #[test]
    fn groth16_errors_map_to_the_contracts_errors() {
        assert_eq!(groth16_rejection(Groth16Error::InvalidProof), (ProofError::InvalidProof, Check::Pairing));
        assert_eq!(groth16_rejection(Groth16Error::NonCanonicalInput).0, ProofError::NonCanonicalFieldElement);
        assert_eq!(groth16_rejection(Groth16Error::WrongInputCount).0, ProofError::WrongVerifyingKeySize);
    }
}
