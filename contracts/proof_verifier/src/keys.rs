//! The verifying-key registry: one key per proof type, stored prepared and split across storage
//! cells (a cell holds at most 16 KiB).

use ink::prelude::vec::Vec;
use ink::storage::traits::ManualKey;
use ink::storage::Mapping;
use polka_storage_primitives::hash::blake2_256;
use polka_storage_primitives::proofs::ProofError;
use polka_storage_primitives::sector::ProofType;
use polka_storage_proofs::groth16::{PreparedKey, VerifyingKey};

/// Bytes of prepared key per storage cell.
const CHUNK_BYTES: usize = 15 * 1024;

/// What is stored for one proof type's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct StoredKeyInfo {
    /// BLAKE2b-256 of the key bytes as they were set.
    pub key_hash: [u8; 32],
    /// Length of the key bytes as they were set.
    pub key_bytes: u32,
    /// Length of the prepared form that verification reads.
    pub prepared_bytes: u32,
    /// Storage cells the prepared form is split across.
    pub chunks: u8,
}

/// Which storage cell of which proof type's prepared key.
type ChunkKey = (ProofType, u8);

/// The keys of every proof type.
#[ink::storage_item]
#[derive(Debug, Default)]
pub struct KeyRegistry {
    info: Mapping<ProofType, StoredKeyInfo, ManualKey<0x7676_6b01>>,
    raw: Mapping<ProofType, Vec<u8>, ManualKey<0x7676_6b02>>,
    prepared: Mapping<ChunkKey, Vec<u8>, ManualKey<0x7676_6b03>>,
}

impl KeyRegistry {
    /// Validates `bytes` as the key of `proof_type` and stores it, replacing any previous key.
    pub fn set(&mut self, proof_type: ProofType, bytes: &[u8]) -> Result<StoredKeyInfo, ProofError> {
        let key = VerifyingKey::from_bytes(bytes)?;
        if key.public_inputs() != proof_type.public_inputs() {
            return Err(ProofError::WrongVerifyingKeySize);
        }
        let prepared = key.prepare().to_bytes();
        let too_large = |_| ProofError::InvalidVerifyingKey;
        let info = StoredKeyInfo {
            key_hash: blake2_256(&[bytes]),
            key_bytes: u32::try_from(bytes.len()).map_err(too_large)?,
            prepared_bytes: u32::try_from(prepared.len()).map_err(too_large)?,
            chunks: u8::try_from(prepared.chunks(CHUNK_BYTES).len()).map_err(too_large)?,
        };
        let previous_chunks = self.info.get(proof_type).map_or(0, |old| old.chunks);
        for (index, chunk) in (0..info.chunks).zip(prepared.chunks(CHUNK_BYTES)) {
            self.prepared.insert((proof_type, index), &chunk.to_vec());
        }
        for stale in info.chunks..previous_chunks {
            self.prepared.remove((proof_type, stale));
        }
        self.raw.insert(proof_type, &bytes.to_vec());
        self.info.insert(proof_type, &info);
        Ok(info)
    }

    /// The key bytes as they were set.
    pub fn raw(&self, proof_type: ProofType) -> Option<Vec<u8>> {
        self.raw.get(proof_type)
    }

    /// What is stored for the key of `proof_type`.
    pub fn info(&self, proof_type: ProofType) -> Option<StoredKeyInfo> {
        self.info.get(proof_type)
    }

    /// The prepared key of `proof_type`, ready to verify with.
    pub fn prepared(&self, proof_type: ProofType) -> Result<PreparedKey, ProofError> {
        let info = self.info.get(proof_type).ok_or(ProofError::MissingVerifyingKey)?;
        let mut bytes = Vec::with_capacity(info.prepared_bytes as usize);
        for index in 0..info.chunks {
            let chunk = self.prepared.get((proof_type, index)).ok_or(ProofError::MissingVerifyingKey)?;
            bytes.extend_from_slice(&chunk);
        }
        PreparedKey::from_bytes(&bytes).ok_or(ProofError::InvalidVerifyingKey)
    }
}
