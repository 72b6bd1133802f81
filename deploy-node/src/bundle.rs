//! Contract bundles as cargo-contract writes them: `<name>.contract` holds the Wasm, its code
//! hash and the metadata (constructor and message selectors, event signature topics).

use crate::error::{NodeError, Result};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The four contracts of the suite, in deployment order.
pub const SUITE_CONTRACTS: [&str; 4] = ["proof_verifier", "randomness", "market", "provider_registry"];

/// A built contract.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// The contract's name.
    pub name: String,
    /// Its optimised Wasm.
    pub wasm: Vec<u8>,
    /// `blake2_256` of the Wasm, as cargo-contract recorded it.
    pub code_hash: [u8; 32],
    constructors: HashMap<String, [u8; 4]>,
    messages: HashMap<String, [u8; 4]>,
    events: HashMap<String, [u8; 32]>,
}

fn bytes_of(text: &str) -> std::result::Result<Vec<u8>, String> {
    hex::decode(text.strip_prefix("0x").unwrap_or(text)).map_err(|e| e.to_string())
}

fn labelled<const N: usize>(
    spec: &Value,
    section: &str,
    key: &str,
) -> std::result::Result<HashMap<String, [u8; N]>, String> {
    let mut out = HashMap::new();
    for entry in spec[section].as_array().into_iter().flatten() {
        let label = entry["label"].as_str().ok_or("an entry without label")?;
        if let Some(value) = entry[key].as_str() {
            let bytes: [u8; N] = bytes_of(value)?.try_into().map_err(|_| format!("{label}: {key} is not {N} bytes"))?;
            out.insert(label.to_string(), bytes);
        }
    }
    Ok(out)
}

impl Bundle {
    /// Reads a `.contract` file.
    pub fn load(path: &Path) -> Result<Self> {
        let error = |reason: String| NodeError::Bundle { bundle: path.display().to_string(), reason };
        let text = std::fs::read_to_string(path)
            .map_err(|e| error(format!("{e}: build the contracts first (scripts/build-contracts.sh)")))?;
        let json: Value = serde_json::from_str(&text).map_err(|e| error(e.to_string()))?;
        let wasm = bytes_of(json["source"]["wasm"].as_str().ok_or_else(|| error("no Wasm".into()))?).map_err(error)?;
        let code_hash: [u8; 32] =
            bytes_of(json["source"]["hash"].as_str().ok_or_else(|| error("no code hash".into()))?)
                .map_err(error)?
                .try_into()
                .map_err(|_| error("code hash is not 32 bytes".into()))?;
        let spec = &json["spec"];
        Ok(Self {
            name: json["contract"]["name"].as_str().ok_or_else(|| error("no contract name".into()))?.to_string(),
            wasm,
            code_hash,
            constructors: labelled(spec, "constructors", "selector").map_err(error)?,
            messages: labelled(spec, "messages", "selector").map_err(error)?,
            events: labelled(spec, "events", "signature_topic").map_err(error)?,
        })
    }

    /// The bundle of contract `name` under `ink_dir` (`<ink_dir>/<name>/<name>.contract`).
    pub fn of(ink_dir: &Path, name: &str) -> Result<Self> {
        Self::load(&ink_dir.join(name).join(format!("{name}.contract")))
    }

    fn missing(&self, what: &str, label: &str) -> NodeError {
        NodeError::Bundle { bundle: self.name.clone(), reason: format!("no {what} {label}") }
    }

    /// The selector of constructor `label`.
    pub fn constructor(&self, label: &str) -> Result<[u8; 4]> {
        self.constructors.get(label).copied().ok_or_else(|| self.missing("constructor", label))
    }

    /// The selector of message `label` (trait messages as `Trait::message`).
    pub fn message(&self, label: &str) -> Result<[u8; 4]> {
        self.messages.get(label).copied().ok_or_else(|| self.missing("message", label))
    }

    /// The input of message `label` with SCALE `args`: selector ‖ args.
    pub fn call_data<A: scale::Encode>(&self, label: &str, args: A) -> Result<Vec<u8>> {
        let mut input = self.message(label)?.to_vec();
        args.encode_to(&mut input);
        Ok(input)
    }

    /// Every message label of the contract.
    pub fn message_labels(&self) -> Vec<String> {
        let mut labels: Vec<String> = self.messages.keys().cloned().collect();
        labels.sort();
        labels
    }

    /// The signature topic of event `label`.
    pub fn event_topic(&self, label: &str) -> Result<[u8; 32]> {
        self.events.get(label).copied().ok_or_else(|| self.missing("event", label))
    }
}

/// Where the bundles are: `$POLKA_STORAGE_INK_DIR` if set, else `$CARGO_TARGET_DIR/ink` (default
/// `~/.cache/polka-storage/target/ink`).
pub fn ink_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("POLKA_STORAGE_INK_DIR") {
        return PathBuf::from(dir);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| {
        let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("."));
        home.join(".cache/polka-storage/target")
    });
    // This crate builds into $CARGO_TARGET_DIR/deploy-node: the bundles are one level up.
    let target =
        if target.ends_with("deploy-node") { target.parent().map(Path::to_path_buf).unwrap_or(target) } else { target };
    target.join("ink")
}
