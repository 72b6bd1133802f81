//! Groth16 parameters of the two circuits the suite verifies: where they are cached, how they are
//! made once per machine, and their verifying keys in the byte format of the verifier contract.
//!
//! Nothing can be downloaded here, so the parameters are generated locally from a fixed, public
//! seed ([`SETUP_SEED_LABEL`]): every machine makes the same parameters, so a proof made on one
//! verifies on every other and proofs can be cached by their inputs. Anyone who knows the seed
//! can forge proofs: these parameters are for tests and demos only, never for production, which
//! must use the parameters of Filecoin's trusted-setup ceremony (same files, same cache layout).

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Once;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use bellperson::groth16;
use blstrs::Bls12;
use filecoin_proofs::parameters::{public_params, window_post_public_params};
use filecoin_proofs::{
    DefaultPieceHasher, PoRepConfig, PoStConfig, PoStType, SectorShape2KiB, SectorSize, WINDOW_POST_CHALLENGE_COUNT,
    WINDOW_POST_SECTOR_COUNT,
};
use fs2::FileExt;
use polka_storage_primitives::sector::{RegisteredPoStProof, RegisteredSealProof, SECTOR_SIZE_2KIB};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use storage_proofs_core::api_version::ApiVersion;
use storage_proofs_core::compound_proof::CompoundProof;
use storage_proofs_core::parameter_cache::{
    parameter_cache_metadata_path, parameter_cache_params_path, parameter_cache_verifying_key_path, CacheEntryMetadata,
};
use storage_proofs_porep::stacked::{StackedCompound, StackedDrg};
use storage_proofs_post::fallback::{FallbackPoSt, FallbackPoStCircuit, FallbackPoStCompound};

use crate::progress::Ticker;

/// What the deterministic TEST setup is seeded with (see the module documentation). Changing it
/// changes every parameter file and verifying key, so it carries a version.
pub const SETUP_SEED_LABEL: &str = "polka-storage/test-parameters/v1";

/// The merkle tree shape of 2 KiB sectors.
pub type Tree = SectorShape2KiB;

/// Overrides the machine cache (default `$HOME/.cache/polka-storage`), shared with `scripts/env.sh`.
pub const CACHE_ENV: &str = "POLKA_STORAGE_CACHE";
/// filecoin-proofs' own setting for the parameter directory; honoured when set.
pub const FIL_PARAMETER_CACHE_ENV: &str = "FIL_PROOFS_PARAMETER_CACHE";
/// filecoin-proofs' setting for the cache of graph parents.
pub const FIL_PARENT_CACHE_ENV: &str = "FIL_PROOFS_PARENT_CACHE";

/// The seal proof the tool seals with: Filecoin's registered 2 KiB proof, which filecoin-proofs
/// 18 accepts with API 1.2 (with the all-zero porep id it rejects its own parent cache).
pub const SEAL_PROOF: RegisteredSealProof = RegisteredSealProof::StackedDrg2KiBV1_1;
/// The Window PoSt proof of those sectors.
pub const POST_PROOF: RegisteredPoStProof = SEAL_PROOF.registered_window_post_proof();
/// API version of sealing and PoSt (1.2: per-sector PoSt challenge indices, as spec §4.3).
pub const API_VERSION: ApiVersion = ApiVersion::V1_2_0;

/// The per-machine cache: `$POLKA_STORAGE_CACHE`, else `$HOME/.cache/polka-storage`.
pub fn cache_root() -> PathBuf {
    if let Some(dir) = std::env::var_os(CACHE_ENV).filter(|dir| !dir.is_empty()) {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/var/tmp"));
    home.join(".cache").join("polka-storage")
}

/// Where the Groth16 parameters live: `$FIL_PROOFS_PARAMETER_CACHE` if set, else
/// `<cache root>/filecoin-proof-parameters`.
pub fn parameter_dir() -> PathBuf {
    match std::env::var_os(FIL_PARAMETER_CACHE_ENV).filter(|dir| !dir.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => cache_root().join("filecoin-proof-parameters"),
    }
}

/// Points filecoin-proofs at the machine cache. filecoin-proofs reads its settings once, on first
/// use, from the environment: call this before anything else touches it (every entry point of
/// this crate does).
pub fn configure() -> Result<()> {
    static CONFIGURE: Once = Once::new();
    CONFIGURE.call_once(|| {
        if std::env::var_os(FIL_PARAMETER_CACHE_ENV).filter(|dir| !dir.is_empty()).is_none() {
            std::env::set_var(FIL_PARAMETER_CACHE_ENV, parameter_dir());
        }
        if std::env::var_os(FIL_PARENT_CACHE_ENV).filter(|dir| !dir.is_empty()).is_none() {
            std::env::set_var(FIL_PARENT_CACHE_ENV, cache_root().join("filecoin-parents"));
        }
    });
    let configured = Path::new(&storage_proofs_core::settings::SETTINGS.parameter_cache).to_path_buf();
    ensure!(
        configured == parameter_dir(),
        "filecoin-proofs already reads parameters from {} instead of {}",
        configured.display(),
        parameter_dir().display()
    );
    Ok(())
}

/// filecoin-proofs' configuration of 2 KiB sealing.
pub fn porep_config() -> PoRepConfig {
    PoRepConfig::new_groth16(SEAL_PROOF.sector_size(), SEAL_PROOF.porep_id(), API_VERSION)
}

/// filecoin-proofs' configuration of 2 KiB Window PoSt.
pub fn window_post_config() -> PoStConfig {
    PoStConfig {
        sector_size: SectorSize(POST_PROOF.sector_size()),
        challenge_count: POST_PROOF.challenges_per_sector(),
        sector_count: POST_PROOF.sector_count(),
        typ: PoStType::Window,
        priority: false,
        api_version: API_VERSION,
    }
}

/// The two circuits with Groth16 parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Circuit {
    /// StackedDRG 2 KiB PoRep (`StackedDrg2KiBV1_1`).
    Porep,
    /// 2 KiB Window PoSt.
    WindowPost,
}

impl Circuit {
    /// Both circuits, the small one first (so a quick failure shows before the long wait).
    pub const ALL: [Circuit; 2] = [Circuit::WindowPost, Circuit::Porep];

    /// Human name.
    pub fn name(self) -> &'static str {
        match self {
            Circuit::Porep => "PoRep (StackedDRG 2 KiB)",
            Circuit::WindowPost => "Window PoSt (2 KiB)",
        }
    }

    /// Short key used in JSON and file names.
    pub fn key(self) -> &'static str {
        match self {
            Circuit::Porep => "porep",
            Circuit::WindowPost => "window_post",
        }
    }

    /// What generation took on the 2-core reference machine, shown while waiting.
    fn expected(self) -> &'static str {
        match self {
            Circuit::Porep => "13 min on 2 free cores, 45 min on busy ones, 5 GB of memory; the file is 1.1 GB",
            Circuit::WindowPost => "well under a minute; the file is 11.5 MB",
        }
    }

    /// The proof type the contracts know this circuit's key under.
    pub fn proof_type(self) -> polka_storage_primitives::sector::ProofType {
        use polka_storage_primitives::sector::ProofType;
        match self {
            Circuit::Porep => ProofType::Seal(SEAL_PROOF),
            Circuit::WindowPost => ProofType::PoSt(POST_PROOF),
        }
    }

    /// filecoin-proofs' cache identifier (the file stem of the cached files).
    pub fn cache_identifier(self) -> Result<String> {
        configure()?;
        match self {
            Circuit::Porep => porep_config().get_cache_identifier::<Tree>(),
            Circuit::WindowPost => window_post_config().get_cache_identifier::<Tree>(),
        }
    }

    /// The cached files: parameters, verifying key, metadata.
    pub fn paths(self) -> Result<CachePaths> {
        let id = self.cache_identifier()?;
        Ok(CachePaths {
            params: parameter_cache_params_path(&id),
            verifying_key: parameter_cache_verifying_key_path(&id),
            setup: parameter_cache_metadata_path(&id).with_extension("setup"),
            metadata: parameter_cache_metadata_path(&id),
        })
    }

    /// The seed of this circuit's TEST setup: SHA-256 of the label and the circuit's key.
    pub fn setup_seed(self) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        hasher.update(SETUP_SEED_LABEL.as_bytes());
        hasher.update(b"/");
        hasher.update(self.key().as_bytes());
        hasher.finalize().into()
    }

    fn generate(self) -> Result<groth16::Parameters<Bls12>> {
        // Deterministic TEST setup: the toxic waste is derived from a public seed.
        let mut rng = ChaCha20Rng::from_seed(self.setup_seed());
        let parameters = match self {
            Circuit::Porep => {
                let vanilla = public_params::<Tree>(&porep_config())?;
                let circuit = <StackedCompound<Tree, DefaultPieceHasher> as CompoundProof<
                    StackedDrg<'_, Tree, DefaultPieceHasher>,
                    _,
                >>::blank_circuit(&vanilla);
                groth16::generate_random_parameters::<Bls12, _, _>(circuit, &mut rng)?
            }
            Circuit::WindowPost => {
                let vanilla = window_post_public_params::<Tree>(&window_post_config())?;
                let circuit = <FallbackPoStCompound<Tree> as CompoundProof<
                    FallbackPoSt<'_, Tree>,
                    FallbackPoStCircuit<Tree>,
                >>::blank_circuit(&vanilla);
                groth16::generate_random_parameters::<Bls12, _, _>(circuit, &mut rng)?
            }
        };
        Ok(parameters)
    }
}

/// The files filecoin-proofs reads for one circuit.
#[derive(Debug, Clone)]
pub struct CachePaths {
    /// Groth16 proving parameters (`.params`).
    pub params: PathBuf,
    /// Verifying key in bellperson's uncompressed format (`.vk`).
    pub verifying_key: PathBuf,
    /// Sector size metadata (`.meta`).
    pub metadata: PathBuf,
    /// The seed label the files were made from (`.setup`); files without it came from an
    /// older random setup and are made again.
    pub setup: PathBuf,
}

impl CachePaths {
    /// Whether every file is present and made from [`SETUP_SEED_LABEL`] (files appear only
    /// complete: they are renamed into place).
    pub fn complete(&self) -> bool {
        self.params.is_file()
            && self.verifying_key.is_file()
            && self.metadata.is_file()
            && fs::read_to_string(&self.setup).map(|label| label == SETUP_SEED_LABEL).unwrap_or(false)
    }
}

/// Checks that filecoin-proofs' constants agree with the primitives the contracts use.
pub fn check_shapes() -> Result<()> {
    let post_sectors = WINDOW_POST_SECTOR_COUNT
        .read()
        .map_err(|_| anyhow::anyhow!("filecoin-proofs' sector count table is poisoned"))?
        .get(&SECTOR_SIZE_2KIB)
        .copied();
    ensure!(
        post_sectors == Some(POST_PROOF.sector_count())
            && WINDOW_POST_CHALLENGE_COUNT == POST_PROOF.challenges_per_sector(),
        "filecoin-proofs' Window PoSt shape differs from primitives::sector"
    );
    Ok(())
}

/// What `ensure_parameters` did for a circuit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Already in the cache; nothing was done.
    Cached,
    /// Generated now.
    Generated(Duration),
}

/// Makes sure the parameters of `circuit` are in the cache, generating them if they are not.
/// Concurrent callers (tests, CI jobs, people) wait on a lock file instead of generating twice;
/// files are written under a temporary name and renamed, so an interrupted run leaves nothing
/// that looks complete.
pub fn ensure_parameters(circuit: Circuit) -> Result<Outcome> {
    configure()?;
    check_shapes()?;
    let paths = circuit.paths()?;
    if paths.complete() {
        return Ok(Outcome::Cached);
    }
    let dir = parameter_dir();
    fs::create_dir_all(&dir).with_context(|| format!("cannot create the parameter cache {}", dir.display()))?;
    let lock_path = dir.join(format!(".{}.lock", circuit.key()));
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .with_context(|| format!("cannot open {}", lock_path.display()))?;
    if lock.try_lock_exclusive().is_err() {
        eprintln!(
            "Another process is generating the {} parameters (lock {}); waiting for it.",
            circuit.name(),
            lock_path.display()
        );
        lock.lock_exclusive()?;
    }
    let result = generate_locked(circuit, &paths);
    let _ = FileExt::unlock(&lock);
    result
}

fn generate_locked(circuit: Circuit, paths: &CachePaths) -> Result<Outcome> {
    if paths.complete() {
        return Ok(Outcome::Cached);
    }
    eprintln!(
        "Generating {} parameters into {} ({}).\n\
         These are TEST parameters from a public seed ({SETUP_SEED_LABEL}): anyone can forge \
         proofs under them. Production must use the parameters of Filecoin's ceremony.",
        circuit.name(),
        parameter_dir().display(),
        circuit.expected()
    );
    let started = Instant::now();
    let parameters = {
        let _ticker = Ticker::start(format!("generating {} parameters", circuit.name()));
        circuit.generate()?
    };
    let generated = started.elapsed();
    eprintln!("Writing {} ...", paths.params.display());
    write_atomically(&paths.params, |file| parameters.write(file))?;
    write_atomically(&paths.verifying_key, |file| parameters.vk.write(file))?;
    let metadata = CacheEntryMetadata { sector_size: SECTOR_SIZE_2KIB };
    write_atomically(&paths.metadata, |file| serde_json::to_writer(file, &metadata).map_err(std::io::Error::from))?;
    // Last: its presence says the files above are complete and seeded.
    write_atomically(&paths.setup, |file| file.write_all(SETUP_SEED_LABEL.as_bytes()))?;
    eprintln!("{} parameters ready after {:.0?}.", circuit.name(), started.elapsed());
    Ok(Outcome::Generated(generated))
}

pub(crate) fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<&File>) -> std::io::Result<()>,
) -> Result<()> {
    let name = path.file_name().context("cache path without a file name")?.to_string_lossy();
    let temporary = path.with_file_name(format!(".{name}.partial"));
    let file = File::create(&temporary).with_context(|| format!("cannot write {}", temporary.display()))?;
    {
        let mut writer = BufWriter::with_capacity(1 << 20, &file);
        write(&mut writer).with_context(|| format!("cannot write {}", temporary.display()))?;
        writer.flush()?;
    }
    file.sync_all()?;
    fs::rename(&temporary, path).with_context(|| format!("cannot move {} into place", temporary.display()))?;
    Ok(())
}

/// The verifying key of `circuit` as filecoin-proofs reads it from the cache.
pub fn verifying_key(circuit: Circuit) -> Result<groth16::VerifyingKey<Bls12>> {
    let paths = require_parameters(circuit)?;
    let file =
        File::open(&paths.verifying_key).with_context(|| format!("cannot read {}", paths.verifying_key.display()))?;
    groth16::VerifyingKey::read(std::io::BufReader::new(file))
        .with_context(|| format!("{} is not a verifying key", paths.verifying_key.display()))
}

/// The cache paths of `circuit`, or an error that says how to make them.
pub fn require_parameters(circuit: Circuit) -> Result<CachePaths> {
    let paths = circuit.paths()?;
    if !paths.complete() {
        bail!(
            "the {} parameters are not in {}: run `scripts/params.sh` (or `storage-cli params`) \
             once on this machine; it generates them (13 to 45 min on 2 cores) and caches them",
            circuit.name(),
            parameter_dir().display()
        );
    }
    Ok(paths)
}

/// The verifying key of `circuit` in the verifier contract's byte format (spec §4.4): the
/// `key` argument of `set_verifying_key`. Checks its size against the circuit's public inputs.
pub fn verifying_key_bytes(circuit: Circuit) -> Result<Vec<u8>> {
    let key = verifying_key(circuit)?;
    let expected_ic = circuit.proof_type().public_inputs() + 1;
    ensure!(
        key.ic.len() == expected_ic,
        "the cached {} key has {} IC points, the contracts expect {expected_ic}",
        circuit.name(),
        key.ic.len()
    );
    crate::format::groth16_bytes::verifying_key(&key)
}
