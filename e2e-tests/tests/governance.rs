//! Governance of the verifier on the sandbox chain: degenerate keys refused, key replacements and
//! code upgrades announced and delayed, two-step ownership, and an upgrade to a second build of
//! the verifier (`--features upgrade-v2`) that reads every kind of state back.

use anyhow::{bail, Context, Result};
use polka_storage_deploy::bundle::{artifacts_dir, repository_root, Bundle};
use polka_storage_deploy::chain::{dev_account, Chain, Deployed};
use polka_storage_primitives::ownership::{GovernanceError, Pending};
use polka_storage_primitives::proofs::ProofError;
use polka_storage_primitives::sector::{ProofType, RegisteredPoStProof, RegisteredSealProof};
use polka_storage_proofs::vectors::Vectors;
use sp_core::crypto::AccountId32;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

const SEAL: ProofType = ProofType::Seal(RegisteredSealProof::StackedDRG2KiBV1P1);
const POST: ProofType = ProofType::PoSt(RegisteredPoStProof::StackedDRGWindow2KiBV1P1);
/// The governance delay the tests deploy with, in blocks.
const DELAY: u32 = 5;

type Answer = Result<(), ProofError>;
type PendingKey = Option<Pending<([u8; 32], u32)>>;
/// `StoredKeyInfo`: key hash, key bytes, prepared bytes, storage cells.
type KeyInfo = ([u8; 32], u32, u32, u8);

fn raw(account: &AccountId32) -> [u8; 32] {
    account.clone().into()
}

struct Setup {
    chain: Chain,
    verifier: Deployed,
    alice: AccountId32,
    bob: AccountId32,
    vectors: Vectors,
}

fn deploy() -> Result<Setup> {
    let mut chain = Chain::new();
    let alice = dev_account("Alice");
    let bundle = Arc::new(Bundle::of("proof_verifier")?);
    let verifier = chain.instantiate(&alice, &bundle, "with_governance_delay", (DELAY,), 0, b"")?;
    let vectors = Vectors::load().map_err(anyhow::Error::msg)?;
    Ok(Setup { chain, verifier, alice, bob: dev_account("Bob"), vectors })
}

impl Setup {
    fn call(&mut self, who: &AccountId32, message: &str, args: impl scale::Encode) -> Result<Answer> {
        let answer = self.chain.call::<_, Answer>(who, &self.verifier, message, args, 0)?;
        // A refusal changes nothing: ink! reverts the state of an `Err` answer.
        if answer.value.is_err() {
            assert!(answer.reverted, "{message} refused without reverting");
        }
        Ok(answer.value)
    }

    fn query<R: scale::Decode>(&mut self, message: &str, args: impl scale::Encode) -> Result<R> {
        let bob = self.bob.clone();
        self.chain.query(&bob, &self.verifier, message, args)
    }
}

/// `key` with the point at `range` replaced by the bytes at `from`.
fn with_copied(key: &[u8], from: std::ops::Range<usize>, to: usize) -> Vec<u8> {
    let mut out = key.to_vec();
    let bytes = key[from.clone()].to_vec();
    out[to..to + bytes.len()].copy_from_slice(&bytes);
    out
}

#[test]
fn degenerate_keys_are_refused_on_chain() -> Result<()> {
    let mut s = deploy()?;
    let key = s.vectors.porep_key.clone();
    let alice = s.alice.clone();
    // Offsets of the spec §4.4 format: γ_G2 at 192, δ_G2 at 336, IC from 436.
    let gamma_is_delta = with_copied(&key, 192..288, 336);
    assert_eq!(s.call(&alice, "set_verifying_key", (SEAL, gamma_is_delta))?, Err(ProofError::DegenerateVerifyingKey));
    let repeated_ic = with_copied(&key, 436..484, 484);
    assert_eq!(s.call(&alice, "set_verifying_key", (SEAL, repeated_ic))?, Err(ProofError::DegenerateVerifyingKey));
    let mut identity_ic = key.clone();
    identity_ic[436] = 0xc0;
    identity_ic[437..484].fill(0);
    assert_eq!(s.call(&alice, "set_verifying_key", (SEAL, identity_ic))?, Err(ProofError::InvalidVerifyingKey));
    let stored: Option<Vec<u8>> = s.query("verifying_key", (SEAL,))?;
    assert_eq!(stored, None, "nothing was stored");
    // Filecoin's ceremony key (γ the G2 generator) is accepted.
    assert_eq!(s.call(&alice, "set_verifying_key", (SEAL, key))?, Ok(()));
    Ok(())
}

#[test]
fn a_replacement_key_is_announced_and_waits_the_delay() -> Result<()> {
    let mut s = deploy()?;
    let (alice, bob) = (s.alice.clone(), s.bob.clone());
    let key = s.vectors.porep_key.clone();
    // The first key of a proof type takes effect at once.
    assert_eq!(s.call(&alice, "set_verifying_key", (SEAL, key.clone()))?, Ok(()));
    assert_eq!(
        s.chain.call::<_, Answer>(&bob, &s.verifier, "verify_porep", (s.vectors.seal.clone(),), 0)?.value,
        Ok(())
    );
    let pending: PendingKey = s.query("pending_verifying_key", (SEAL,))?;
    assert_eq!(pending, None);

    // A replacement (here the PoSt key's shape would not fit: use the same bytes again) is only
    // announced: visible, with an event, and the key in force is untouched.
    let start = s.chain.block_number();
    let answer = s.chain.call::<_, Answer>(&alice, &s.verifier, "set_verifying_key", (SEAL, key.clone()), 0)?;
    assert_eq!(answer.value, Ok(()));
    assert_eq!(answer.events.len(), 1);
    let announced = s.verifier.events::<(ProofType, [u8; 32], u32)>(&answer.events, "VerifyingKeyProposed")?;
    assert_eq!(announced.len(), 1);
    assert_eq!(announced[0].2, start + DELAY);
    let pending: PendingKey = s.query("pending_verifying_key", (SEAL,))?;
    let pending = pending.context("announced")?;
    assert_eq!(pending.proposed_at, start);
    assert_eq!(pending.effective_at, start + DELAY);
    let bytes: Option<Vec<u8>> = s.query("pending_verifying_key_bytes", (SEAL,))?;
    assert_eq!(bytes, Some(key.clone()));

    // Not before the delay, by nobody; only the owner cancels.
    assert_eq!(s.call(&bob, "apply_verifying_key", (SEAL,))?, Err(ProofError::Governance(GovernanceError::NotDue)));
    assert_eq!(s.call(&bob, "cancel_verifying_key", (SEAL,))?, Err(ProofError::NotOwner));
    assert_eq!(s.call(&alice, "cancel_verifying_key", (SEAL,))?, Ok(()));
    let gone: PendingKey = s.query("pending_verifying_key", (SEAL,))?;
    assert_eq!(gone, None);
    assert_eq!(
        s.call(&alice, "cancel_verifying_key", (SEAL,))?,
        Err(ProofError::Governance(GovernanceError::NothingPending))
    );
    s.chain.advance_blocks(DELAY);
    assert_eq!(
        s.call(&bob, "apply_verifying_key", (SEAL,))?,
        Err(ProofError::Governance(GovernanceError::NothingPending)),
        "a cancelled key never applies"
    );

    // Announced again, it applies once due; anyone may apply it.
    assert_eq!(s.call(&alice, "set_verifying_key", (SEAL, key.clone()))?, Ok(()));
    s.chain.advance_blocks(DELAY - 1);
    assert_eq!(s.call(&bob, "apply_verifying_key", (SEAL,))?, Err(ProofError::Governance(GovernanceError::NotDue)));
    s.chain.advance_blocks(1);
    assert_eq!(s.call(&bob, "apply_verifying_key", (SEAL,))?, Ok(()));
    let gone: PendingKey = s.query("pending_verifying_key", (SEAL,))?;
    assert_eq!(gone, None);
    assert_eq!(
        s.chain.call::<_, Answer>(&bob, &s.verifier, "verify_porep", (s.vectors.seal.clone(),), 0)?.value,
        Ok(())
    );
    // A stranger cannot announce a key either.
    assert_eq!(s.call(&bob, "set_verifying_key", (POST, s.vectors.post_key.clone()))?, Err(ProofError::NotOwner));
    Ok(())
}

#[test]
fn ownership_moves_in_two_steps() -> Result<()> {
    let mut s = deploy()?;
    let (alice, bob, charlie) = (s.alice.clone(), s.bob.clone(), dev_account("Charlie"));
    let governance = |e| Err(ProofError::Governance(e));
    assert_eq!(s.call(&alice, "propose_owner", ([0u8; 32],))?, governance(GovernanceError::ZeroAddress));
    assert_eq!(s.call(&bob, "propose_owner", (raw(&bob),))?, Err(ProofError::NotOwner));
    assert_eq!(s.call(&alice, "propose_owner", (raw(&bob),))?, Ok(()));
    let proposed: Option<[u8; 32]> = s.query("proposed_owner", ())?;
    assert_eq!(proposed, Some(raw(&bob)));
    let owner: [u8; 32] = s.query("owner", ())?;
    assert_eq!(owner, raw(&alice), "proposing moves nothing");
    assert_eq!(s.call(&charlie, "accept_ownership", ())?, governance(GovernanceError::NotProposedOwner));
    assert_eq!(s.call(&bob, "cancel_owner_proposal", ())?, Err(ProofError::NotOwner));
    assert_eq!(s.call(&alice, "cancel_owner_proposal", ())?, Ok(()));
    assert_eq!(s.call(&bob, "accept_ownership", ())?, governance(GovernanceError::NotProposedOwner));
    assert_eq!(s.call(&alice, "propose_owner", (raw(&bob),))?, Ok(()));
    assert_eq!(s.call(&bob, "accept_ownership", ())?, Ok(()));
    let owner: [u8; 32] = s.query("owner", ())?;
    assert_eq!(owner, raw(&bob));
    // The previous owner has no power left.
    assert_eq!(s.call(&alice, "set_verifying_key", (SEAL, s.vectors.porep_key.clone()))?, Err(ProofError::NotOwner));
    assert_eq!(s.call(&alice, "propose_owner", (raw(&alice),))?, Err(ProofError::NotOwner));
    assert_eq!(s.call(&alice, "propose_code_hash", ([1u8; 32],))?, Err(ProofError::NotOwner));
    Ok(())
}

/// The `upgrade-v2` build of the verifier, built once per machine into its own target directory
/// beside the suite's (seeded from the suite's build so only the verifier recompiles).
fn v2_bundle() -> Result<Arc<Bundle>> {
    let artifacts = artifacts_dir()?;
    let target: PathBuf = match std::env::var_os("POLKA_STORAGE_CACHE") {
        Some(cache) => PathBuf::from(cache).join("upgrade-v2"),
        None => artifacts.parent().context("artifacts dir has a parent")?.join("upgrade-v2"),
    };
    let bundle = target.join("ink/proof_verifier/proof_verifier.contract");
    if std::env::var_os("SKIP_CONTRACT_BUILD").is_none() || !bundle.exists() {
        let seed = target.join("ink/proof_verifier");
        if !seed.exists() && artifacts.join("proof_verifier").exists() {
            std::fs::create_dir_all(target.join("ink"))?;
            let status = Command::new("cp").arg("-a").arg(artifacts.join("proof_verifier")).arg(&seed).status()?;
            if !status.success() {
                bail!("cannot seed {}", seed.display());
            }
        }
        let manifest = repository_root().join("contracts/proof_verifier/Cargo.toml");
        let status = Command::new("cargo")
            .args(["contract", "build", "--release", "--quiet", "--features", "upgrade-v2", "--manifest-path"])
            .arg(&manifest)
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS", "fallback")
            .status()
            .context("cannot run cargo contract")?;
        if !status.success() {
            bail!("building the upgrade-v2 verifier failed");
        }
    }
    Ok(Arc::new(Bundle::load(&bundle)?))
}

#[test]
fn the_verifier_upgrades_to_a_second_build_and_keeps_its_state() -> Result<()> {
    let v2 = v2_bundle()?;
    let mut s = deploy()?;
    let (alice, bob) = (s.alice.clone(), s.bob.clone());
    let (porep_key, post_key) = (s.vectors.porep_key.clone(), s.vectors.post_key.clone());
    // Every kind of state: keys in force (raw, info, prepared cells), a pending replacement, the
    // owner, a proposed owner and the delay.
    assert_eq!(s.call(&alice, "set_verifying_key", (SEAL, porep_key.clone()))?, Ok(()));
    assert_eq!(s.call(&alice, "set_verifying_key", (POST, post_key.clone()))?, Ok(()));
    assert_eq!(s.call(&alice, "set_verifying_key", (SEAL, porep_key.clone()))?, Ok(()));
    assert_eq!(s.call(&alice, "propose_owner", (raw(&bob),))?, Ok(()));
    let version: u32 = s.query("code_version", ())?;
    assert_eq!(version, 1);
    let info_before: Option<KeyInfo> = s.query("verifying_key_info", (SEAL,))?;
    assert!(info_before.is_some());
    let pending_before: PendingKey = s.query("pending_verifying_key", (SEAL,))?;

    // The new code is on chain (instantiated once, which uploads it); its hash is announced.
    s.chain.instantiate(&alice, &v2, "new", (), 0, b"v2")?;
    let code_hash = sp_core::blake2_256(&v2.wasm);
    assert_eq!(s.call(&bob, "propose_code_hash", (code_hash,))?, Err(ProofError::NotOwner));
    assert_eq!(s.call(&alice, "propose_code_hash", (code_hash,))?, Ok(()));
    let pending: Option<Pending<[u8; 32]>> = s.query("pending_code_hash", ())?;
    assert_eq!(pending.map(|p| p.value), Some(code_hash));
    assert_eq!(s.call(&alice, "apply_code_hash", ())?, Err(ProofError::Governance(GovernanceError::NotDue)));
    s.chain.advance_blocks(DELAY);
    assert_eq!(s.call(&bob, "apply_code_hash", ())?, Err(ProofError::NotOwner));
    assert_eq!(s.call(&alice, "apply_code_hash", ())?, Ok(()));

    // The same address now runs v2 and reads everything back.
    let version: u32 = s.query("code_version", ())?;
    assert_eq!(version, 2);
    let owner: [u8; 32] = s.query("owner", ())?;
    assert_eq!(owner, raw(&alice));
    let proposed: Option<[u8; 32]> = s.query("proposed_owner", ())?;
    assert_eq!(proposed, Some(raw(&bob)));
    let delay: u32 = s.query("governance_delay", ())?;
    assert_eq!(delay, DELAY);
    let stored: Option<Vec<u8>> = s.query("verifying_key", (SEAL,))?;
    assert_eq!(stored, Some(porep_key));
    let stored: Option<Vec<u8>> = s.query("verifying_key", (POST,))?;
    assert_eq!(stored, Some(post_key));
    let info_after: Option<KeyInfo> = s.query("verifying_key_info", (SEAL,))?;
    assert_eq!(info_after, info_before);
    let pending_after: PendingKey = s.query("pending_verifying_key", (SEAL,))?;
    assert_eq!(pending_after, pending_before);
    assert!(pending_after.is_some());
    let pending: Option<Pending<[u8; 32]>> = s.query("pending_code_hash", ())?;
    assert_eq!(pending, None);
    // The prepared key cells are read back by a real verification.
    let seal = s.vectors.seal.clone();
    assert_eq!(s.chain.call::<_, Answer>(&bob, &s.verifier, "verify_porep", (seal,), 0)?.value, Ok(()));
    // Governance still works after the upgrade.
    assert_eq!(s.call(&bob, "accept_ownership", ())?, Ok(()));
    Ok(())
}
