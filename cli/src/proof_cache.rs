//! A machine cache of proofs for tests, the demo and the benchmark. Each PoRep costs about
//! 100 s on 2 cores; under the deterministic TEST parameters (`params`) the same public inputs
//! always admit the same proofs, so a proof is stored under a hash of the verifying key and of
//! every public input, and checked natively (the contract's own verification) before it is
//! used again. A stale or corrupt entry is proven anew.

use std::path::PathBuf;

use anyhow::{Context, Result};
use polka_storage_primitives::sector::SectorNumber;
use scale::Encode;
use sha2::{Digest, Sha256};

use crate::params::{self, Circuit};
use crate::sector::{self, SectorStore};
use crate::verify;

/// Whether a proof came from the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Read from the cache and verified natively.
    Cached,
    /// Proven now (and stored).
    Proven,
}

/// Where cached proofs live: `<cache root>/proofs`.
pub fn proof_dir() -> PathBuf {
    params::cache_root().join("proofs")
}

/// The PoRep proof of a sealed sector of `store` for `seed`: from the cache if an entry for the
/// same key and inputs verifies, else proven by filecoin-proofs and stored.
pub fn prove_commit(store: &SectorStore, sector: SectorNumber, seed: [u8; 32]) -> Result<(Vec<u8>, Source)> {
    let record = store.load(sector)?;
    let key = params::verifying_key_bytes(Circuit::Porep)?;
    let inputs = record.seal_verify_info(seed, Vec::new());
    let mut hasher = Sha256::new();
    hasher.update(b"polka-storage/proof-cache/porep/v1");
    hasher.update(Sha256::digest(&key));
    hasher.update(inputs.encode());
    let path = proof_dir().join(format!("porep-{}.proof", hex::encode(hasher.finalize())));
    if let Ok(proof) = std::fs::read(&path) {
        if verify::verify_porep(&key, &record.seal_verify_info(seed, proof.clone())).is_ok() {
            return Ok((proof, Source::Cached));
        }
        // Corrupt or made under other parameters: prove again below.
        let _ = std::fs::remove_file(&path);
    }
    let proof = sector::prove_commit(store, sector, seed)?;
    std::fs::create_dir_all(proof_dir()).with_context(|| format!("cannot create {}", proof_dir().display()))?;
    params::write_atomically(&path, |file| std::io::Write::write_all(file, &proof))?;
    Ok((proof, Source::Proven))
}
