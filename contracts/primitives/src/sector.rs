//! Sector and proof types shared by the registry, the market and the verifier (spec §3.2).

// The SCALE derive of enums with fields casts variant indices to `u8`; the indices are small
// literals. cargo-contract denies the lint, so it is allowed for this module's type definitions.
#![allow(clippy::cast_possible_truncation)]

use crate::commitment::PaddedPieceSize;

/// Number of a sector within its provider; at most [`MAX_SECTORS`].
pub type SectorNumber = u32;

use crate::policy::GROTH16_PROOF_BYTES;
pub use crate::policy::MAX_SECTORS;

/// Bytes in a 2 KiB sector.
pub const SECTOR_SIZE_2KIB: u64 = 2048;

/// A seal (PoRep) proof type: sector size, porep id and circuit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub enum RegisteredSealProof {
    /// Polka Storage's 2 KiB StackedDRG (API 1.2) with the all-zero porep id.
    StackedDRG2KiBV1P1,
    /// Filecoin's registered `StackedDrg2KiBV1_1` (proof id 5 in the porep id, API 1.2): what
    /// filecoin-proofs 18 seals 2 KiB sectors with.
    StackedDrg2KiBV1_1,
}

impl RegisteredSealProof {
    /// Every seal proof type, in index order.
    pub const ALL: [RegisteredSealProof; 2] =
        [RegisteredSealProof::StackedDRG2KiBV1P1, RegisteredSealProof::StackedDrg2KiBV1_1];

    /// Bytes in a sector sealed with this proof.
    pub const fn sector_size(self) -> u64 {
        SECTOR_SIZE_2KIB
    }

    /// The sector size as a padded piece size (for CommD).
    pub const fn padded_sector_size(self) -> PaddedPieceSize {
        match PaddedPieceSize::new(self.sector_size()) {
            Ok(size) => size,
            Err(_) => panic!("sector sizes are powers of two"),
        }
    }

    /// Filecoin's proof id, bound into the porep id.
    pub const fn proof_id(self) -> u64 {
        match self {
            RegisteredSealProof::StackedDRG2KiBV1P1 => 0,
            RegisteredSealProof::StackedDrg2KiBV1_1 => 5,
        }
    }

    /// The porep id: `u64_le(proof id) ‖ u64_le(nonce = 0) ‖ 16 zero bytes`.
    pub fn porep_id(self) -> [u8; 32] {
        let mut id = [0u8; 32];
        id[..8].copy_from_slice(&self.proof_id().to_le_bytes());
        id
    }

    /// Number of Groth16 partitions of a PoRep proof.
    pub const fn partitions(self) -> usize {
        1
    }

    /// Challenged nodes per partition.
    pub const fn challenges_per_partition(self) -> usize {
        2
    }

    /// Proof bytes: one Groth16 proof per partition.
    pub const fn proof_size(self) -> usize {
        GROTH16_PROOF_BYTES.saturating_mul(self.partitions())
    }

    /// The Window PoSt proof type that sectors sealed with this proof are proven with.
    pub const fn registered_window_post_proof(self) -> RegisteredPoStProof {
        RegisteredPoStProof::StackedDRGWindow2KiBV1P1
    }
}

/// A Window PoSt proof type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub enum RegisteredPoStProof {
    /// Window PoSt over 2 KiB sectors.
    StackedDRGWindow2KiBV1P1,
}

impl RegisteredPoStProof {
    /// Every PoSt proof type, in index order.
    pub const ALL: [RegisteredPoStProof; 1] = [RegisteredPoStProof::StackedDRGWindow2KiBV1P1];

    /// Bytes in a sector proven with this proof.
    pub const fn sector_size(self) -> u64 {
        SECTOR_SIZE_2KIB
    }

    /// Sectors in one partition of a deadline.
    pub const fn window_post_partition_sectors(self) -> u64 {
        2
    }

    /// Sectors one Groth16 proof covers (padded by repeating the last one).
    pub const fn sector_count(self) -> usize {
        2
    }

    /// Challenged leaves per sector.
    pub const fn challenges_per_sector(self) -> usize {
        10
    }

    /// Proof bytes.
    pub const fn proof_size(self) -> usize {
        GROTH16_PROOF_BYTES
    }
}

/// Kind of a Groth16 circuit that has a verifying key in the verifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub enum ProofType {
    /// A seal proof (PoRep).
    Seal(RegisteredSealProof),
    /// A Window PoSt proof.
    PoSt(RegisteredPoStProof),
}

impl ProofType {
    /// Number of public inputs of the circuit (the key's IC has one point more).
    pub const fn public_inputs(self) -> usize {
        match self {
            // replica id, comm_d, comm_r, then per challenge: the node, 6 DRG parents,
            // 8 expander parents and 3 more copies of the node.
            ProofType::Seal(seal) => seal.challenges_per_partition().saturating_mul(18).saturating_add(3),
            // Per sector: comm_r and one leaf index per challenge.
            ProofType::PoSt(post) => post.sector_count().saturating_mul(post.challenges_per_sector().saturating_add(1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proof_shapes_match_the_spec() {
        assert_eq!(ProofType::Seal(RegisteredSealProof::StackedDRG2KiBV1P1).public_inputs(), 39);
        assert_eq!(ProofType::PoSt(RegisteredPoStProof::StackedDRGWindow2KiBV1P1).public_inputs(), 22);
        assert_eq!(RegisteredSealProof::StackedDRG2KiBV1P1.porep_id(), [0u8; 32]);
        let filecoin = RegisteredSealProof::StackedDrg2KiBV1_1.porep_id();
        assert_eq!(filecoin[0], 5);
        assert!(filecoin[1..].iter().all(|b| *b == 0));
        assert_eq!(RegisteredSealProof::StackedDrg2KiBV1_1.proof_size(), 192);
        assert_eq!(RegisteredSealProof::StackedDRG2KiBV1P1.padded_sector_size().get(), 2048);
    }
}
