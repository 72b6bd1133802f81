//! Groth16 verification of Filecoin PoRep and Window PoSt proofs over BLS12-381 (the proofs
//! pallet of spec §2.3). Proofs made by filecoin-proofs verify unchanged: the public inputs are
//! derived on-chain exactly as filecoin-proofs derives them (`polka-storage-proofs`).
#![cfg_attr(not(feature = "std"), no_std, no_main)]

mod keys;

#[ink::contract]
mod proof_verifier {
    use crate::keys::{KeyChange, KeyRegistry, PendingKeyInfo, StoredKeyInfo};
    use ink::prelude::vec::Vec;
    use ink::storage::traits::ManualKey;
    use ink::storage::Lazy;
    use polka_storage_primitives::ownership::{GovernanceError, Ownership, Pending};
    use polka_storage_primitives::policy::MAX_POREP_BATCH;
    use polka_storage_primitives::proofs::{
        Event, ProofError, ProofVerification, PublicReplicaInfo, SealVerifyInfo, VerifyingKeyChanged,
    };
    use polka_storage_primitives::sector::{ProofType, RegisteredPoStProof};
    use polka_storage_proofs::groth16::{self, Proof};
    use polka_storage_proofs::{porep, post, PublicInput};

    /// A replacement verifying key was announced; it may be applied from `effective_at`.
    #[ink(event)]
    pub struct VerifyingKeyProposed {
        /// The proof type the key verifies.
        #[ink(topic)]
        proof_type: ProofType,
        /// BLAKE2b-256 of the announced key bytes (see `pending_verifying_key_bytes`).
        key_hash: [u8; 32],
        /// The first block `apply_verifying_key` succeeds at.
        effective_at: BlockNumber,
    }

    /// The owner withdrew an announced verifying key.
    #[ink(event)]
    pub struct VerifyingKeyProposalCancelled {
        /// The proof type.
        #[ink(topic)]
        proof_type: ProofType,
        /// BLAKE2b-256 of the withdrawn key bytes.
        key_hash: [u8; 32],
    }

    /// The verifier: its owner and the verifying key of each proof type.
    #[ink(storage)]
    pub struct ProofVerifier {
        /// Under an explicit key so that it survives code upgrades whatever the root holds.
        ownership: Lazy<Ownership, ManualKey<0x7076_6f77>>,
        keys: KeyRegistry,
    }

    impl ProofVerifier {
        /// Creates the verifier, governed by the caller, with no verifying keys yet: the owner
        /// then sets one per proof type with `set_verifying_key`. Replacements of a key or of
        /// the code wait the production governance delay.
        #[ink(constructor, default)]
        pub fn new() -> Self {
            Self::with_governance_delay(polka_storage_primitives::policy::GOVERNANCE_DELAY)
        }

        /// Creates the verifier with an explicit governance delay (e.g. a few blocks for tests).
        ///
        /// `delay`: blocks between announcing a replacement key or code hash and the first
        /// block it may be applied at.
        #[ink(constructor)]
        pub fn with_governance_delay(delay: BlockNumber) -> Self {
            let mut ownership = Lazy::new();
            ownership.set(&Ownership::with_delay(Self::env().caller(), delay));
            Self { ownership, keys: KeyRegistry::default() }
        }

        /// The stored governance; a missing value (these constructors always write it) reads
        /// as the zero owner, whom nobody can act as.
        fn governance(&self) -> Ownership {
            self.ownership.get().unwrap_or_else(|| Ownership::new(AccountId::from([0u8; 32])))
        }

        /// Runs a governance step on the stored ownership and writes it back.
        fn govern<T>(
            &mut self,
            step: impl FnOnce(&mut Ownership) -> Result<T, GovernanceError>,
        ) -> Result<T, ProofError> {
            let mut ownership = self.governance();
            let result = step(&mut ownership)?;
            self.ownership.set(&ownership);
            Ok(result)
        }

        /// The account that governs the verifier (sets the verifying keys).
        #[ink(message)]
        pub fn owner(&self) -> AccountId {
            self.governance().owner()
        }

        /// The account proposed to govern next, until it accepts or the owner cancels.
        #[ink(message)]
        pub fn proposed_owner(&self) -> Option<AccountId> {
            self.governance().proposed_owner()
        }

        /// Blocks between announcing a replacement (key or code) and the first block it applies.
        #[ink(message)]
        pub fn governance_delay(&self) -> BlockNumber {
            self.governance().delay()
        }

        /// Proposes `new_owner` to govern the verifier; nothing changes until it calls
        /// `accept_ownership`. Owner only; the zero account is refused.
        ///
        /// `new_owner`: the account (e.g. a multisig) that may accept governance.
        #[ink(message)]
        pub fn propose_owner(&mut self, new_owner: AccountId) -> Result<(), ProofError> {
            let caller = self.env().caller();
            let event = self.govern(|o| o.propose_owner(&caller, new_owner))?;
            self.env().emit_event(event);
            Ok(())
        }

        /// Takes governance of the verifier. Only the proposed owner.
        #[ink(message)]
        pub fn accept_ownership(&mut self) -> Result<(), ProofError> {
            let caller = self.env().caller();
            let event = self.govern(|o| o.accept_ownership(&caller))?;
            self.emit(Event::OwnershipTransferred(event));
            Ok(())
        }

        /// Withdraws the proposed hand-over. Owner only.
        #[ink(message)]
        pub fn cancel_owner_proposal(&mut self) -> Result<(), ProofError> {
            let caller = self.env().caller();
            let event = self.govern(|o| o.cancel_owner_proposal(&caller))?;
            self.env().emit_event(event);
            Ok(())
        }

        /// The code hash announced for an upgrade and when it may be applied, if any.
        #[ink(message)]
        pub fn pending_code_hash(&self) -> Option<Pending<[u8; 32]>> {
            self.governance().pending_code_hash()
        }

        /// Announces an upgrade of the verifier to the code uploaded under `code_hash`; it may
        /// be applied with `apply_code_hash` after the governance delay. Owner only.
        ///
        /// `code_hash`: the hash of the uploaded Wasm code (it must keep this storage layout).
        #[ink(message)]
        pub fn propose_code_hash(&mut self, code_hash: [u8; 32]) -> Result<(), ProofError> {
            let (caller, now) = (self.env().caller(), self.env().block_number());
            let event = self.govern(|o| o.propose_code_hash(&caller, code_hash, now))?;
            self.env().emit_event(event);
            Ok(())
        }

        /// Switches the verifier to the announced code once its delay has passed; the state is
        /// kept. Owner only.
        #[ink(message)]
        pub fn apply_code_hash(&mut self) -> Result<(), ProofError> {
            let (caller, now) = (self.env().caller(), self.env().block_number());
            let (code_hash, event) = self.govern(|o| o.take_due_code_hash(&caller, now))?;
            // A failed switch returns an error, which reverts the cleared announcement too.
            self.env()
                .set_code_hash(&Hash::from(code_hash))
                .map_err(|_| ProofError::from(GovernanceError::CodeNotFound))?;
            self.env().emit_event(event);
            Ok(())
        }

        /// Withdraws the announced upgrade. Owner only.
        #[ink(message)]
        pub fn cancel_code_hash(&mut self) -> Result<(), ProofError> {
            let caller = self.env().caller();
            let event = self.govern(|o| o.cancel_code_hash(&caller))?;
            self.env().emit_event(event);
            Ok(())
        }

        /// Which build of the verifier runs: 1, or 2 for the `upgrade-v2` build the upgrade
        /// test switches to.
        #[ink(message)]
        pub fn code_version(&self) -> u32 {
            if cfg!(feature = "upgrade-v2") {
                2
            } else {
                1
            }
        }

        /// Sets or replaces the Groth16 verifying key of a proof type. Owner only. The key is
        /// checked: every point on its curve, in the subgroup and not the identity; γ ≠ δ, δ
        /// not the generator, distinct IC points; one IC point per public input plus one. The
        /// first key of a proof type is in force at once, stored prepared so verifications pay
        /// no preparation; a replacement is announced (`pending_verifying_key`, an event) and
        /// applies after the governance delay with `apply_verifying_key`.
        ///
        /// `proof_type`: the seal (PoRep) or Window PoSt proof type the key verifies.
        /// `verifying_key`: the key as `storage-cli params` exports it (spec §4.4):
        /// alpha_g1 ‖ beta_g1 ‖ beta_g2 ‖ gamma_g2 ‖ delta_g1 ‖ delta_g2 ‖ u32_be(ic_len) ‖ IC,
        /// zcash-compressed points, with at most `MAX_IC_POINTS` (64) IC points.
        #[ink(message)]
        pub fn set_verifying_key(&mut self, proof_type: ProofType, verifying_key: Vec<u8>) -> Result<(), ProofError> {
            let governance = self.governance();
            let caller = self.env().caller();
            governance.ensure_owner(&caller)?;
            let now = self.env().block_number();
            match self.keys.propose(proof_type, &verifying_key, now, governance.delay())? {
                KeyChange::Set(info) => {
                    let key_hash = info.key_hash;
                    self.emit(Event::VerifyingKeyChanged(VerifyingKeyChanged { proof_type, by: caller, key_hash }));
                }
                KeyChange::Proposed(pending) => self.env().emit_event(VerifyingKeyProposed {
                    proof_type,
                    key_hash: pending.value.0,
                    effective_at: pending.effective_at,
                }),
            }
            Ok(())
        }

        /// Puts the announced key of a proof type in force, once its delay has passed. Anyone
        /// may call it: the change was public for the whole delay.
        ///
        /// `proof_type`: the proof type whose announced key to apply.
        #[ink(message)]
        pub fn apply_verifying_key(&mut self, proof_type: ProofType) -> Result<(), ProofError> {
            let info = self.keys.apply(proof_type, self.env().block_number())?;
            let by = self.env().caller();
            self.emit(Event::VerifyingKeyChanged(VerifyingKeyChanged { proof_type, by, key_hash: info.key_hash }));
            Ok(())
        }

        /// Withdraws the announced key of a proof type. Owner only.
        ///
        /// `proof_type`: the proof type whose announced key to withdraw.
        #[ink(message)]
        pub fn cancel_verifying_key(&mut self, proof_type: ProofType) -> Result<(), ProofError> {
            self.governance().ensure_owner(&self.env().caller())?;
            let pending = self.keys.cancel(proof_type)?;
            self.env().emit_event(VerifyingKeyProposalCancelled { proof_type, key_hash: pending.value.0 });
            Ok(())
        }

        /// The replacement key announced for a proof type: ((hash, size), proposed at,
        /// applicable from).
        ///
        /// `proof_type`: the seal (PoRep) or Window PoSt proof type.
        #[ink(message)]
        pub fn pending_verifying_key(&self, proof_type: ProofType) -> Option<PendingKeyInfo> {
            self.keys.pending(proof_type)
        }

        /// The bytes of the replacement key announced for a proof type, to check before it
        /// applies.
        ///
        /// `proof_type`: the seal (PoRep) or Window PoSt proof type.
        #[ink(message)]
        pub fn pending_verifying_key_bytes(&self, proof_type: ProofType) -> Option<Vec<u8>> {
            self.keys.pending_raw(proof_type)
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

        fn emit(&self, event: Event) {
            match event {
                Event::VerifyingKeyChanged(event) => self.env().emit_event(event),
                Event::OwnershipTransferred(event) => self.env().emit_event(event),
            }
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
        /// the proof of `GROTH16_PROOF_BYTES` (192) bytes.
        #[ink(message)]
        fn verify_porep(&self, seal: SealVerifyInfo) -> Result<(), ProofError> {
            let item = Self::seal_item(&seal)?;
            self.check(ProofType::Seal(seal.seal_proof), &[item])
        }

        /// Verifies up to `MAX_POREP_BATCH` (8) PoRep proofs of one seal proof type at once (a random linear
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
        /// `proof`: the proof, `GROTH16_PROOF_BYTES` (192) bytes.
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
