//! Public inputs of a Window PoSt proof (FallbackPoSt, spec §4.3, API 1.2): for each sector in
//! ascending order its CommR and the index of each challenged leaf; the last sector's inputs
//! repeat until the proof's sector count is reached.

use crate::PublicInput;
use alloc::vec::Vec;
use polka_storage_primitives::hash::sha256;
use polka_storage_primitives::proofs::PublicReplicaInfo;
use polka_storage_primitives::sector::RegisteredPoStProof;

/// Why Window PoSt inputs could not be derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoStInputError {
    /// No sectors, or more than one proof covers.
    InvalidReplicaCount,
    /// The same sector twice.
    DuplicateReplica,
    /// The randomness is not a scalar below the group order, as filecoin-proofs requires.
    NonCanonicalRandomness,
}

/// The leaf challenged by challenge `index` of `sector`: `u64_le(SHA256(randomness ‖
/// u64_le(sector) ‖ u64_le(index))[..8]) mod leaves`.
pub fn leaf_challenge(randomness: &[u8; 32], sector: u64, index: u64, leaves: u64) -> u64 {
    let hash = sha256(&[randomness, &sector.to_le_bytes(), &index.to_le_bytes()]);
    let mut word = [0u8; 8];
    word.copy_from_slice(&hash[..8]);
    u64::from_le_bytes(word).checked_rem(leaves).unwrap_or(0)
}

/// The public inputs of a Window PoSt over `replicas` (any order) for `randomness`.
pub fn public_inputs(
    post_proof: RegisteredPoStProof,
    randomness: &[u8; 32],
    replicas: &[PublicReplicaInfo],
) -> Result<Vec<PublicInput>, PoStInputError> {
    let sector_count = post_proof.sector_count();
    if replicas.is_empty() || replicas.len() > sector_count {
        return Err(PoStInputError::InvalidReplicaCount);
    }
    // An insertion sort: at most `sector_count` (2) replicas, and the standard library's sort
    // would weigh kilobytes in the contract.
    let mut sorted: Vec<&PublicReplicaInfo> = Vec::with_capacity(replicas.len());
    for replica in replicas {
        let at = sorted.partition_point(|placed| placed.sector_number < replica.sector_number);
        if sorted.get(at).is_some_and(|placed| placed.sector_number == replica.sector_number) {
            return Err(PoStInputError::DuplicateReplica);
        }
        sorted.insert(at, replica);
    }
    if !crate::groth16::is_canonical_scalar(randomness) {
        return Err(PoStInputError::NonCanonicalRandomness);
    }
    let leaves = post_proof.sector_size() / 32;
    let challenges = post_proof.challenges_per_sector();
    let per_sector = challenges.saturating_add(1);
    let inputs_per_proof = sector_count.saturating_mul(per_sector);
    let mut inputs = Vec::with_capacity(inputs_per_proof);
    for replica in &sorted {
        inputs.push(PublicInput::Full(replica.comm_r));
        let sector = u64::from(replica.sector_number);
        inputs.extend(
            (0..challenges as u64).map(|index| PublicInput::Small(leaf_challenge(randomness, sector, index, leaves))),
        );
    }
    while inputs.len() < inputs_per_proof {
        let last = inputs[inputs.len().saturating_sub(per_sector)..].to_vec();
        inputs.extend(last);
    }
    Ok(inputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    const POST: RegisteredPoStProof = RegisteredPoStProof::StackedDRGWindow2KiBV1P1;

    fn replica(sector_number: u32) -> PublicReplicaInfo {
        PublicReplicaInfo { sector_number, comm_r: [sector_number as u8; 32] }
    }

    #[test]
    fn one_sector_is_repeated_to_fill_the_proof() {
        let inputs = public_inputs(POST, &[1; 32], &[replica(77)]).unwrap();
        assert_eq!(inputs.len(), 22);
        assert_eq!(inputs[..11], inputs[11..]);
        assert_eq!(inputs[0], PublicInput::Full([77; 32]));
    }

    #[test]
    fn sectors_are_taken_in_ascending_order() {
        let forward = public_inputs(POST, &[1; 32], &[replica(3), replica(9)]).unwrap();
        let backward = public_inputs(POST, &[1; 32], &[replica(9), replica(3)]).unwrap();
        assert_eq!(forward, backward);
        assert_eq!(forward[0], PublicInput::Full([3; 32]));
        assert_eq!(forward[11], PublicInput::Full([9; 32]));
    }

    #[test]
    fn replica_counts_and_duplicates_are_checked() {
        assert_eq!(public_inputs(POST, &[1; 32], &[]), Err(PoStInputError::InvalidReplicaCount));
        assert_eq!(
            public_inputs(POST, &[1; 32], &[replica(1), replica(2), replica(3)]),
            Err(PoStInputError::InvalidReplicaCount)
        );
        assert_eq!(public_inputs(POST, &[1; 32], &[replica(4), replica(4)]), Err(PoStInputError::DuplicateReplica));
    }
}
