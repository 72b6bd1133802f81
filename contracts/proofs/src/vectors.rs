//! The real proofs of `shared/vectors/polka-storage-2kib.json`, made by filecoin-proofs for
//! Polka Storage's 2 KiB seal proof type, with their keys and inputs.

use alloc::string::String;
use alloc::vec::Vec;
use polka_storage_primitives::proofs::{PublicReplicaInfo, SealVerifyInfo};
use polka_storage_primitives::sector::{RegisteredPoStProof, RegisteredSealProof};
use serde_json::Value;

/// The shared vectors.
#[derive(Debug, Clone)]
pub struct Vectors {
    /// A PoRep proof with everything it is checked against.
    pub seal: SealVerifyInfo,
    /// Its verifying key (spec §4.4 bytes).
    pub porep_key: Vec<u8>,
    /// A Window PoSt proof type.
    pub post_proof: RegisteredPoStProof,
    /// Its challenge randomness.
    pub post_randomness: [u8; 32],
    /// The sectors it proves.
    pub post_replicas: Vec<PublicReplicaInfo>,
    /// The proof.
    pub post_bytes: Vec<u8>,
    /// Its verifying key.
    pub post_key: Vec<u8>,
}

fn hex(text: &str) -> Result<Vec<u8>, String> {
    if text.len() % 2 != 0 {
        return Err("odd hex length".into());
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i.saturating_add(2)], 16).map_err(|e| e.to_string()))
        .collect()
}

fn field(value: &Value, name: &str) -> Result<Vec<u8>, String> {
    hex(value[name].as_str().ok_or_else(|| alloc::format!("missing {name}"))?)
}

fn field32(value: &Value, name: &str) -> Result<[u8; 32], String> {
    field(value, name)?.try_into().map_err(|_| alloc::format!("{name} is not 32 bytes"))
}

impl Vectors {
    /// Reads the vectors from `../shared/vectors` beside the repository.
    pub fn load() -> Result<Self, String> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/vectors/polka-storage-2kib.json");
        let text = std::fs::read_to_string(path).map_err(|e| alloc::format!("{path}: {e}"))?;
        Self::parse(&text)
    }

    /// Parses the vectors file.
    pub fn parse(text: &str) -> Result<Self, String> {
        let json: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let porep = &json["porep"];
        let post = &json["post"];
        let sector_number = porep["sector_number"].as_u64().ok_or("missing sector_number")?;
        let seal = SealVerifyInfo {
            seal_proof: RegisteredSealProof::StackedDRG2KiBV1P1,
            prover_id: field32(porep, "prover_id")?,
            sector_number: u32::try_from(sector_number).map_err(|e| e.to_string())?,
            ticket: field32(porep, "ticket")?,
            seed: field32(porep, "seed")?,
            comm_r: field32(porep, "comm_r")?,
            comm_d: field32(porep, "comm_d")?,
            proof: field(porep, "proof")?,
        };
        let post_replicas = post["replicas"]
            .as_array()
            .ok_or("missing replicas")?
            .iter()
            .map(|replica| {
                let sector = replica["sector_number"].as_u64().ok_or("missing sector_number")?;
                Ok(PublicReplicaInfo {
                    sector_number: u32::try_from(sector).map_err(|e| e.to_string())?,
                    comm_r: field32(replica, "comm_r")?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Self {
            seal,
            porep_key: field(porep, "verifying_key")?,
            post_proof: RegisteredPoStProof::StackedDRGWindow2KiBV1P1,
            post_randomness: field32(post, "randomness")?,
            post_replicas,
            post_bytes: field(post, "proof")?,
            post_key: field(post, "verifying_key")?,
        })
    }
}
