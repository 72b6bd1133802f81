//! BENCHMARK-ONLY contract: Groth16 verification with plain arkworks (`Groth16::verify_proof`
//! on a stored prepared key), the baseline the suite's `proof_verifier` is measured against.
//! It checks nothing about who stores keys; never deploy it.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

#[ink::contract]
mod groth16_baseline {
    use ark_bls12_381::{Bls12_381, Fr};
    use ark_ff::PrimeField;
    use ark_groth16::{Groth16, PreparedVerifyingKey, Proof};
    use ark_serialize::CanonicalDeserialize;
    use ink::prelude::vec::Vec;
    use ink::storage::Mapping;

    /// Prepared-key chunks (a storage cell holds at most 16 KiB).
    #[ink(storage)]
    #[derive(Default)]
    pub struct Groth16Baseline {
        chunks: Mapping<u8, Vec<u8>>,
        count: u8,
    }

    impl Groth16Baseline {
        /// An empty baseline verifier.
        #[ink(constructor, default)]
        pub fn new() -> Self {
            Self::default()
        }

        /// Stores chunk `index` of an arkworks `PreparedVerifyingKey` (uncompressed
        /// `CanonicalSerialize` bytes).
        #[ink(message)]
        pub fn store_key_chunk(&mut self, index: u8, bytes: Vec<u8>) {
            self.chunks.insert(index, &bytes);
            self.count = self.count.max(index.saturating_add(1));
        }

        /// Verifies a proof (arkworks compressed bytes) for public inputs given as 32-byte
        /// little-endian scalars.
        #[ink(message)]
        pub fn verify(&self, proof: Vec<u8>, inputs: Vec<[u8; 32]>) -> bool {
            let mut bytes = Vec::new();
            for index in 0..self.count {
                bytes.extend_from_slice(&self.chunks.get(index).unwrap_or_default());
            }
            let Ok(key) = PreparedVerifyingKey::<Bls12_381>::deserialize_uncompressed_unchecked(&bytes[..]) else {
                return false;
            };
            let Ok(proof) = Proof::<Bls12_381>::deserialize_compressed(&proof[..]) else {
                return false;
            };
            let inputs: Vec<Fr> = inputs.iter().map(|bytes| Fr::from_le_bytes_mod_order(bytes)).collect();
            Groth16::<Bls12_381>::verify_proof(&key, &proof, &inputs).unwrap_or(false)
        }
    }
}
