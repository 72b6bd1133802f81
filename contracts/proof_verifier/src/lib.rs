//! Groth16 verification of Filecoin PoRep and Window PoSt proofs over BLS12-381 (the proofs
//! pallet of spec §2.3). Proofs made by filecoin-proofs verify unchanged: the public inputs are
//! derived on-chain exactly as filecoin-proofs derives them (`polka-storage-proofs`).
#![cfg_attr(not(feature = "std"), no_std, no_main)]

mod keys;

#[ink::contract]
mod proof_verifier {
    use crate::keys::{KeyRegistry, StoredKeyInfo};
    use ink::prelude::vec::Vec;
    use polka_storage_primitives::ownership::Ownership;
    use polka_storage_primitives::policy::MAX_POREP_BATCH;
    use polka_storage_primitives::proofs::{ProofError, ProofVerification, PublicReplicaInfo, SealVerifyInfo};
    use polka_storage_primitives::sector::{ProofType, RegisteredPoStProof};
    use polka_storage_proofs::groth16::{self, Proof};
    use polka_storage_proofs::{porep, post, PublicInput};

    /// A verifying key was set or replaced.
    #[ink(event)]
    pub struct VerifyingKeyChanged {
        /// The proof type the key verifies.
        #[ink(topic)]
        proof_type: ProofType,
        /// The owner who set it.
        #[ink(topic)]
        by: AccountId,
        /// BLAKE2b-256 of the key bytes as given (spec §4.4 format).
        key_hash: [u8; 32],
    }

    /// The verifier: its owner and the verifying key of each proof type.
    #[ink(storage)]
    pub struct ProofVerifier {
        ownership: Ownership,
        keys: KeyRegistry,
    }

    impl ProofVerifier {
        /// Creates the verifier, governed by the caller, with no verifying keys yet: the owner
        /// then sets one per proof type with `set_verifying_key`.
        #[ink(constructor, default)]
        pub fn new() -> Self {
            Self { ownership: Ownership::new(Self::env().caller()), keys: KeyRegistry::default() }
        }

        /// The account that governs the verifier (sets the verifying keys).
        #[ink(message)]
        pub fn owner(&self) -> AccountId {
            self.ownership.owner()
        }

        /// Hands governance to `new_owner`. Owner only.
        ///
        /// `new_owner`: the account that governs the verifier from now on.
        #[ink(message)]
        pub fn transfer_ownership(&mut self, new_owner: AccountId) -> Result<(), ProofError> {
            let event = self.ownership.transfer(&self.env().caller(), new_owner)?;
            self.env().emit_event(event);
            Ok(())
        }

        /// Sets the Groth16 verifying key of a proof type. Owner only. The key is checked once
        /// (every point on its curve and in the subgroup, one IC point per public input plus one)
        /// and stored prepared, so verifications pay no preparation.
        ///
        /// `proof_type`: the seal (PoRep) or Window PoSt proof type the key verifies.
        /// `verifying_key`: the key as `storage-cli params` exports it (spec §4.4):
        /// alpha_g1 ‖ beta_g1 ‖ beta_g2 ‖ gamma_g2 ‖ delta_g1 ‖ delta_g2 ‖ u32_be(ic_len) ‖ IC,
        /// zcash-compressed points.
        #[ink(message)]
        pub fn set_verifying_key(&mut self, proof_type: ProofType, verifying_key: Vec<u8>) -> Result<(), ProofError> {
            let caller = self.env().caller();
            self.ownership.ensure_owner(&caller)?;
            let info = self.keys.set(proof_type, &verifying_key)?;
            self.env().emit_event(VerifyingKeyChanged { proof_type, by: caller, key_hash: info.key_hash });
            Ok(())
        }

        /// The verifying key of a proof type as it was set (spec §4.4 bytes), if any.
        ///
        /// `proof_type`: the seal (PoRep) or Window PoSt proof type.
        #[ink(message)]
        pub fn verifying_key(&self, proof_type: ProofType) -> Option<Vec<u8>> {
            self.keys.raw(proof_type)
        }

        /// What is stored for a proof type's key: its hash and size, and the size and storage cells of its prepared form.
        ///
        /// `proof_type`: the seal (PoRep) or Window PoSt proof type.
        #[ink(message)]
        pub fn verifying_key_info(&self, proof_type: ProofType) -> Option<StoredKeyInfo> {
            self.keys.info(proof_type)
        }

        fn check(&self, proof_type: ProofType, items: &[(Proof, Vec<PublicInput>)]) -> Result<(), ProofError> {
            let key = self.keys.prepared(proof_type)?;
            match items {
                [(proof, inputs)] => groth16::verify(&key, proof, inputs),
                _ => groth16::verify_batch(&key, items),
            }
            .map_err(ProofError::from)
        }

        fn seal_item(seal: &SealVerifyInfo) -> Result<(Proof, Vec<PublicInput>), ProofError> {
            let proof = Proof::from_bytes(&seal.proof)?;
            let inputs = porep::public_inputs(seal)?;
            Ok((proof, inputs))
        }
    }

    impl Default for ProofVerifier {
        fn default() -> Self {
            Self::new()
        }
    }

    impl ProofVerification for ProofVerifier {
        /// Verifies one PoRep proof; the 39 public inputs are derived from `seal` on-chain.
        ///
        /// `seal`: the seal proof type, prover id, sector number, ticket, seed, CommR, CommD and
        /// the 192-byte proof.
        #[ink(message)]
        fn verify_porep(&self, seal: SealVerifyInfo) -> Result<(), ProofError> {
            let item = Self::seal_item(&seal)?;
            self.check(ProofType::Seal(seal.seal_proof), &[item])
        }

        /// Verifies up to 8 PoRep proofs of one seal proof type at once (a random linear
        /// combination, one final exponentiation); fails if any of them fails.
        ///
        /// `seals`: the proofs with everything each is checked against.
        #[ink(message)]
        fn verify_porep_batch(&self, seals: Vec<SealVerifyInfo>) -> Result<(), ProofError> {
            let first = seals.first().ok_or(ProofError::InvalidBatchSize)?.seal_proof;
            if seals.len() > MAX_POREP_BATCH || seals.iter().any(|seal| seal.seal_proof != first) {
                return Err(ProofError::InvalidBatchSize);
            }
            let items = seals.iter().map(Self::seal_item).collect::<Result<Vec<_>, _>>()?;
            self.check(ProofType::Seal(first), &items)
        }

        /// Verifies a Window PoSt proof over `replicas` for the challenge `randomness`.
        ///
        /// `post_proof`: the Window PoSt proof type.
        /// `randomness`: the challenge randomness drawn for the deadline (a canonical scalar).
        /// `replicas`: the challenged sectors (sector number and CommR), at most 2.
        /// `proof`: the 192-byte proof.
        #[ink(message)]
        fn verify_post(
            &self,
            post_proof: RegisteredPoStProof,
            randomness: [u8; 32],
            replicas: Vec<PublicReplicaInfo>,
            proof: Vec<u8>,
        ) -> Result<(), ProofError> {
            let inputs = post::public_inputs(post_proof, &randomness, &replicas)?;
            let proof = Proof::from_bytes(&proof)?;
            self.check(ProofType::PoSt(post_proof), &[(proof, inputs)])
        }
    }
}
