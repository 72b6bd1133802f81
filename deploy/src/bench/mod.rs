//! The suite's benchmark: every measured message, on the sandbox chain, as a table and as
//! `gas-report.json` at the repository root.
//!
//! Each contract has a module here with a `measure` function that deploys what it needs on a
//! fresh [`Chain`] and returns its [`Measurement`]s. Measurements are taken, never asserted.

pub mod market;
pub mod proof_verifier;
pub mod randomness;
pub mod registry;

use crate::bundle::{repository_root, Bundle};
use crate::chain::Gas;
use crate::runtime::BLOCK_REF_TIME;
use anyhow::Result;
use std::fmt::Write as _;

/// The gas of one measured call.
#[derive(Debug, Clone)]
pub struct Measurement {
    /// Contract name.
    pub contract: String,
    /// What was measured: the message, with its size parameter (e.g. `finalise (32 participants)`).
    pub message: String,
    /// Gas consumed.
    pub gas: Gas,
}

impl Measurement {
    /// A measurement of `message` of `contract`.
    pub fn new(contract: &str, message: impl Into<String>, gas: Gas) -> Self {
        Self { contract: contract.to_string(), message: message.into(), gas }
    }
}

/// One benchmark section: a contract's measurements.
pub type Section = fn() -> Result<Vec<Measurement>>;

/// Every section of the suite's benchmark.
pub fn sections() -> Vec<(&'static str, Section)> {
    vec![
        ("proof_verifier", proof_verifier::measure),
        ("randomness", randomness::measure),
        ("market", market::measure),
        ("provider_registry", registry::measure),
    ]
}

/// Renders measurements as a table with each call's share of a substrate-contracts-node block.
pub fn table(measurements: &[Measurement]) -> String {
    let mut out = String::new();
    let _ =
        writeln!(out, "{:<18} {:<44} {:>18} {:>12} {:>9}", "contract", "message", "ref_time", "proof_size", "block %");
    for m in measurements {
        let _ = writeln!(
            out,
            "{:<18} {:<44} {:>18} {:>12} {:>8.2}%",
            m.contract,
            m.message,
            m.gas.ref_time,
            m.gas.proof_size,
            100.0 * m.gas.share_of_block()
        );
    }
    out
}

/// Writes `gas-report.json` at the repository root, merged with the rows already there: a list of
/// `{contract, message, ref_time, proof_size, share_of_block, wasm_size}`.
pub fn write_report(measurements: &[Measurement]) -> Result<std::path::PathBuf> {
    let entries: Vec<serde_json::Value> = measurements
        .iter()
        .map(|m| {
            let wasm_size = Bundle::of(&m.contract).map(|b| b.wasm.len()).ok();
            serde_json::json!({
                "contract": m.contract,
                "message": m.message,
                "ref_time": m.gas.ref_time,
                "proof_size": m.gas.proof_size,
                "share_of_block": m.gas.ref_time as f64 / BLOCK_REF_TIME as f64,
                "wasm_size": wasm_size,
            })
        })
        .collect();
    let path = repository_root().join("gas-report.json");
    // A run of some sections keeps the rows of the others (rows are keyed by contract and
    // message; a re-measured row replaces its old one).
    let key = |row: &serde_json::Value| (row["contract"].clone(), row["message"].clone());
    let measured: Vec<_> = entries.iter().map(key).collect();
    let mut rows: Vec<serde_json::Value> = std::fs::read(&path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Vec<serde_json::Value>>(&bytes).ok())
        .unwrap_or_default()
        .into_iter()
        .filter(|row| !measured.contains(&key(row)))
        .collect();
    rows.extend(entries);
    std::fs::write(&path, serde_json::to_string_pretty(&rows)? + "\n")?;
    Ok(path)
}
