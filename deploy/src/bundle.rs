//! Contract bundles as cargo-contract writes them (`<name>.contract`: Wasm plus metadata), and
//! building them.

use anyhow::{anyhow, bail, Context, Result};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The four contracts of the suite, in deployment order.
pub const SUITE_CONTRACTS: [&str; 4] = ["proof_verifier", "randomness", "market", "provider_registry"];

/// A built contract: its code and the selectors of its constructors, messages and events.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// Contract name (the crate name).
    pub name: String,
    /// The optimised Wasm code.
    pub wasm: Vec<u8>,
    constructors: HashMap<String, [u8; 4]>,
    messages: HashMap<String, [u8; 4]>,
    events: HashMap<String, [u8; 32]>,
}

fn hex_bytes(text: &str) -> Result<Vec<u8>> {
    let digits = text.strip_prefix("0x").unwrap_or(text);
    if digits.len() % 2 != 0 {
        bail!("odd number of hex digits");
    }
    (0..digits.len()).step_by(2).map(|i| u8::from_str_radix(&digits[i..i + 2], 16).map_err(Into::into)).collect()
}

fn fixed<const N: usize>(text: &str) -> Result<[u8; N]> {
    hex_bytes(text)?.try_into().map_err(|_| anyhow!("expected {N} bytes in {text}"))
}

fn labelled<const N: usize>(spec: &Value, section: &str, key: &str) -> Result<HashMap<String, [u8; N]>> {
    let mut out = HashMap::new();
    for entry in spec[section].as_array().into_iter().flatten() {
        let label = entry["label"].as_str().context("entry without label")?;
        // Anonymous events have no signature topic; the suite's events all have one.
        if let Some(value) = entry[key].as_str() {
            out.insert(label.to_string(), fixed::<N>(value)?);
        }
    }
    Ok(out)
}

impl Bundle {
    /// Reads a `.contract` file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}: build the contracts first", path.display()))?;
        let json: Value = serde_json::from_str(&text).with_context(|| format!("{}", path.display()))?;
        let wasm = hex_bytes(json["source"]["wasm"].as_str().context("bundle without Wasm")?)?;
        let spec = &json["spec"];
        Ok(Self {
            name: json["contract"]["name"].as_str().context("bundle without name")?.to_string(),
            wasm,
            constructors: labelled(spec, "constructors", "selector")?,
            messages: labelled(spec, "messages", "selector")?,
            events: labelled(spec, "events", "signature_topic")?,
        })
    }

    /// Loads the bundle of contract `name` from the artifacts directory.
    pub fn of(name: &str) -> Result<Self> {
        Self::load(&artifacts_dir()?.join(name).join(format!("{name}.contract")))
    }

    /// The selector of a constructor.
    pub fn constructor(&self, label: &str) -> Result<[u8; 4]> {
        self.constructors.get(label).copied().ok_or_else(|| {
            anyhow!("{} has no constructor `{label}` (it has {:?})", self.name, self.constructors.keys())
        })
    }

    /// The selector of a message; trait messages are labelled `Trait::message`.
    pub fn message(&self, label: &str) -> Result<[u8; 4]> {
        if let Some(selector) = self.messages.get(label) {
            return Ok(*selector);
        }
        let mut matches = self.messages.iter().filter(|(name, _)| name.rsplit("::").next() == Some(label));
        match (matches.next(), matches.next()) {
            (Some((_, selector)), None) => Ok(*selector),
            _ => Err(anyhow!("{} has no single message `{label}`", self.name)),
        }
    }

    /// The signature topic of an event.
    pub fn event_topic(&self, label: &str) -> Result<[u8; 32]> {
        self.events.get(label).copied().ok_or_else(|| anyhow!("{} has no event `{label}`", self.name))
    }
}

/// The repository root (the workspace of this crate).
pub fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("deploy/ is inside the repository").to_path_buf()
}

/// Where cargo-contract writes bundles: `$CONTRACTS_DIR`, else `<cargo target dir>/ink`.
pub fn artifacts_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("CONTRACTS_DIR") {
        return Ok(PathBuf::from(dir));
    }
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => repository_root().join("target"),
    };
    Ok(target.join("ink"))
}

/// Builds the suite's contracts in release mode with cargo-contract (fast when nothing changed).
pub fn build_contracts(names: &[&str]) -> Result<()> {
    for name in names {
        let manifest = repository_root().join("contracts").join(name).join("Cargo.toml");
        let status = Command::new("cargo")
            .args(["contract", "build", "--release", "--quiet", "--manifest-path"])
            .arg(&manifest)
            .env("CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS", "fallback")
            .status()
            .context("cannot run `cargo contract`: install it with scripts/setup.sh")?;
        if !status.success() {
            bail!("`cargo contract build` failed for {name}");
        }
    }
    Ok(())
}

/// A contract that is its own workspace (test or benchmark doubles, never part of the suite),
/// built with cargo-contract once per process unless `SKIP_CONTRACT_BUILD` is set and its bundle
/// exists. `manifest_dir` is relative to the repository root.
pub fn standalone_bundle(manifest_dir: &str, name: &str) -> Result<std::sync::Arc<Bundle>> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static BUILT: OnceLock<Mutex<HashMap<String, Result<(), String>>>> = OnceLock::new();
    let locate = || -> Result<PathBuf> {
        let dir = artifacts_dir()?;
        let nested = dir.join(name).join(format!("{name}.contract"));
        Ok(if nested.exists() { nested } else { dir.join(format!("{name}.contract")) })
    };
    let mut built = BUILT.get_or_init(Default::default).lock().map_err(|_| anyhow!("poisoned"))?;
    let outcome = built.entry(name.to_string()).or_insert_with(|| {
        if std::env::var_os("SKIP_CONTRACT_BUILD").is_some() && locate().map(|p| p.exists()).unwrap_or(false) {
            return Ok(());
        }
        let manifest = repository_root().join(manifest_dir).join("Cargo.toml");
        match Command::new("cargo")
            .args(["contract", "build", "--release", "--quiet", "--manifest-path"])
            .arg(&manifest)
            .env("CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS", "fallback")
            .status()
        {
            Ok(status) if status.success() => Ok(()),
            Ok(_) => Err(format!("building {name} failed")),
            Err(e) => Err(format!("cannot run cargo contract: {e}")),
        }
    });
    outcome.clone().map_err(|e| anyhow!(e))?;
    drop(built);
    Ok(std::sync::Arc::new(Bundle::load(&locate()?)?))
}
