//! The deployment manifest, `deploy/deployments/<network>.json`: what was deployed where, with
//! which code and arguments, so a second run deploys only what is missing.

use crate::error::{NodeError, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// One deployed contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeployedContract {
    /// Its address (SS58, prefix 42).
    pub address: String,
    /// Its address as 32 hex bytes (what other contracts take as `AccountId`).
    pub account: String,
    /// `blake2_256` of its code, hex.
    pub code_hash: String,
    /// The constructor it was instantiated with.
    pub constructor: String,
    /// The constructor's arguments, readable.
    pub args: serde_json::Value,
    /// The block it was instantiated in.
    pub block: u32,
}

/// A deployment of the suite on one chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deployment {
    /// The network's name (the manifest's file name).
    pub network: String,
    /// The node it was deployed through.
    pub url: String,
    /// The chain's genesis hash, hex: a manifest of another chain is not reused.
    pub genesis_hash: String,
    /// The deploying account (SS58), owner of every contract.
    pub deployer: String,
    /// The market's 32-byte deal-signing domain, hex (clients sign deals for it).
    pub market_domain: String,
    /// The contracts by name.
    pub contracts: BTreeMap<String, DeployedContract>,
}

impl Deployment {
    /// Reads a manifest; `None` if the file does not exist.
    pub fn read(path: &Path) -> Result<Option<Self>> {
        let error = |reason: String| NodeError::Manifest { path: path.display().to_string(), reason };
        match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text).map(Some).map_err(|e| error(e.to_string())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(error(e.to_string())),
        }
    }

    /// Writes the manifest (pretty JSON), creating its directory.
    pub fn write(&self, path: &Path) -> Result<()> {
        let error = |reason: String| NodeError::Manifest { path: path.display().to_string(), reason };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| error(e.to_string()))?;
        }
        let text = serde_json::to_string_pretty(self).map_err(|e| error(e.to_string()))?;
        std::fs::write(path, text + "\n").map_err(|e| error(e.to_string()))
    }
}
