//! The verifying-key registry: one key per proof type, stored prepared and split across storage
//! cells (a cell holds at most 16 KiB). The first key of a proof type takes effect at once; a
//! replacement is announced and takes effect only after the governance delay, so provers and
//! users see it coming; the owner can withdraw it meanwhile.

use ink::prelude::vec::Vec;
use ink::storage::traits::ManualKey;
use ink::storage::Mapping;
use polka_storage_primitives::hash::blake2_256;
use polka_storage_primitives::ownership::{GovernanceError, Pending};
use polka_storage_primitives::proofs::ProofError;
use polka_storage_primitives::sector::ProofType;
use polka_storage_primitives::BlockNumber;
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

/// A replacement key announced for a proof type: its hash and size, and when it may apply.
pub type PendingKeyInfo = Pending<([u8; 32], u32)>;

/// What proposing a key did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyChange {
    /// The proof type had no key: this one is in force now.
    Set(StoredKeyInfo),
    /// The proof type has a key: this one replaces it once due.
    Proposed(PendingKeyInfo),
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
    pending_info: Mapping<ProofType, PendingKeyInfo, ManualKey<0x7676_6b04>>,
    pending_raw: Mapping<ProofType, Vec<u8>, ManualKey<0x7676_6b05>>,
}

/// Parses and checks `bytes` as a key of `proof_type` (points, degeneracy, input count).
fn parse(proof_type: ProofType, bytes: &[u8]) -> Result<VerifyingKey, ProofError> {
    let key = VerifyingKey::from_bytes(bytes)?;
    if key.public_inputs() != proof_type.public_inputs() {
        return Err(ProofError::WrongVerifyingKeySize);
    }
    Ok(key)
}

impl KeyRegistry {
    /// Validates `bytes` as the key of `proof_type`: with no key in force it is set at once,
    /// otherwise it is announced at `now` and may replace the key `delay` blocks later
    /// (replacing an earlier announcement, whose delay does not carry over).
    pub fn propose(
        &mut self,
        proof_type: ProofType,
        bytes: &[u8],
        now: BlockNumber,
        delay: BlockNumber,
    ) -> Result<KeyChange, ProofError> {
        if self.info.get(proof_type).is_none() {
            return self.set(proof_type, bytes).map(KeyChange::Set);
        }
        parse(proof_type, bytes)?;
        let key_bytes = u32::try_from(bytes.len()).map_err(|_| ProofError::InvalidVerifyingKey)?;
        let pending = Pending::new((blake2_256(&[bytes]), key_bytes), now, delay)?;
        self.pending_raw.insert(proof_type, &bytes.to_vec());
        self.pending_info.insert(proof_type, &pending);
        Ok(KeyChange::Proposed(pending))
    }

    /// Puts the announced key of `proof_type` in force, once its delay has passed at `now`.
    pub fn apply(&mut self, proof_type: ProofType, now: BlockNumber) -> Result<StoredKeyInfo, ProofError> {
        let pending = self.pending_info.get(proof_type).ok_or(GovernanceError::NothingPending)?;
        pending.ensure_due(now)?;
        let bytes = self.pending_raw.get(proof_type).ok_or(GovernanceError::NothingPending)?;
        let info = self.set(proof_type, &bytes)?;
        self.pending_info.remove(proof_type);
        self.pending_raw.remove(proof_type);
        Ok(info)
    }

    /// Withdraws the announced key of `proof_type`.
    pub fn cancel(&mut self, proof_type: ProofType) -> Result<PendingKeyInfo, ProofError> {
        let pending = self.pending_info.get(proof_type).ok_or(GovernanceError::NothingPending)?;
        self.pending_info.remove(proof_type);
        self.pending_raw.remove(proof_type);
        Ok(pending)
    }

    /// The announced replacement key of `proof_type`, if any: (hash, size) and its timing.
    pub fn pending(&self, proof_type: ProofType) -> Option<PendingKeyInfo> {
        self.pending_info.get(proof_type)
    }

    /// The announced replacement key's bytes, for anyone to check before it applies.
    pub fn pending_raw(&self, proof_type: ProofType) -> Option<Vec<u8>> {
        self.pending_raw.get(proof_type)
    }

    /// Validates `bytes` as the key of `proof_type` and stores it, replacing any previous key.
    fn set(&mut self, proof_type: ProofType, bytes: &[u8]) -> Result<StoredKeyInfo, ProofError> {
        let key = parse(proof_type, bytes)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use polka_storage_primitives::sector::RegisteredSealProof;
    use polka_storage_proofs::vectors::Vectors;

    const SEAL: ProofType = ProofType::Seal(RegisteredSealProof::StackedDRG2KiBV1P1);

    #[test]
    fn the_first_key_is_set_at_once_and_a_replacement_waits_the_delay() {
        ink::env::test::set_callee::<ink::env::DefaultEnvironment>(ink::primitives::AccountId::from([0x76; 32]));
        let key = Vectors::load().unwrap().porep_key;
        let mut keys = KeyRegistry::default();
        let Ok(KeyChange::Set(first)) = keys.propose(SEAL, &key, 10, 5) else { panic!("the first key is set") };
        assert_eq!(keys.info(SEAL), Some(first));
        assert_eq!(keys.pending(SEAL), None);
        // A replacement is announced; the key in force stays until it is applied.
        let Ok(KeyChange::Proposed(pending)) = keys.propose(SEAL, &key, 12, 5) else { panic!("announced") };
        assert_eq!((pending.proposed_at, pending.effective_at), (12, 17));
        assert_eq!(keys.pending_raw(SEAL), Some(key.clone()));
        assert_eq!(keys.apply(SEAL, 16), Err(ProofError::Governance(GovernanceError::NotDue)));
        assert_eq!(keys.cancel(SEAL), Ok(pending));
        assert_eq!(keys.apply(SEAL, 17), Err(ProofError::Governance(GovernanceError::NothingPending)));
        assert!(matches!(keys.propose(SEAL, &key, 20, 5), Ok(KeyChange::Proposed(_))));
        assert_eq!(keys.apply(SEAL, 25), Ok(first));
        assert_eq!((keys.pending(SEAL), keys.pending_raw(SEAL)), (None, None));
        assert!(keys.prepared(SEAL).is_ok());
        // Degenerate replacements are refused at announcement: γ = δ.
        let mut degenerate = key.clone();
        degenerate.copy_within(192..288, 336);
        assert_eq!(keys.propose(SEAL, &degenerate, 30, 5), Err(ProofError::DegenerateVerifyingKey));
        assert_eq!(keys.pending(SEAL), None);
    }
}
