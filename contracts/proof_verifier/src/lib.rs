//! Groth16 verification of Filecoin PoRep and Window PoSt proofs over BLS12-381 (the proofs
//! pallet of spec §2.3).
#![cfg_attr(not(feature = "std"), no_std, no_main)]

#[ink::contract]
mod proof_verifier {
    use ink::prelude::vec::Vec;
    use polka_storage_primitives::ownership::{Ownership};
    use polka_storage_primitives::proofs::{
        ProofError, ProofVerification, PublicReplicaInfo, SealVerifyInfo,
    };
    use polka_storage_primitives::sector::RegisteredPoStProof;


    /// The verifier's state.
    #[ink(storage)]
    pub struct ProofVerifier {
        ownership: Ownership,
    }

    impl ProofVerifier {
        /// Creates the verifier, governed by the caller, with no verifying keys yet.
        #[ink(constructor, default)]
        pub fn new() -> Self {
            Self { ownership: Ownership::new(Self::env().caller()) }
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
    }

    impl Default for ProofVerifier {
        fn default() -> Self {
            Self::new()
        }
    }

    impl ProofVerification for ProofVerifier {
        /// Verifies one PoRep proof.
        #[ink(message)]
        fn verify_porep(&self, _seal: SealVerifyInfo) -> Result<(), ProofError> {
            Err(ProofError::MissingVerifyingKey)
        }

        /// Verifies several PoRep proofs at once.
        #[ink(message)]
        fn verify_porep_batch(&self, _seals: Vec<SealVerifyInfo>) -> Result<(), ProofError> {
            Err(ProofError::MissingVerifyingKey)
        }

        /// Verifies a Window PoSt proof.
        #[ink(message)]
        fn verify_post(
            &self,
            _post_proof: RegisteredPoStProof,
            _randomness: [u8; 32],
            _replicas: Vec<PublicReplicaInfo>,
            _proof: Vec<u8>,
        ) -> Result<(), ProofError> {
            Err(ProofError::MissingVerifyingKey)
        }
    }
}
