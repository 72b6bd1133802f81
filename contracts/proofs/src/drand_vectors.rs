//! Real beacons of drand's `quicknet` chain (`testdata/drand_quicknet.json`, each entry with
//! where it was copied from), for tests, the demo and the benchmark.

use alloc::string::String;
use alloc::vec::Vec;
use serde_json::Value;

/// The chain's public information and some of its signed rounds.
#[derive(Debug, Clone)]
pub struct Quicknet {
    /// The chain hash.
    pub chain_hash: [u8; 32],
    /// The group public key (compressed G2).
    pub public_key: [u8; 96],
    /// Unix time in seconds of round 1.
    pub genesis_time: u64,
    /// Seconds between rounds.
    pub period: u32,
    /// Signed rounds: (round, signature, randomness).
    pub rounds: Vec<(u64, [u8; 48], [u8; 32])>,
}

fn hex<const N: usize>(value: &Value) -> Result<[u8; N], String> {
    let text = value.as_str().ok_or("not a string")?;
    if text.len() != 2 * N {
        return Err(alloc::format!("expected {N} bytes of hex"));
    }
    let mut out = [0u8; N];
    for (index, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * index..2 * index + 2], 16).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

impl Quicknet {
    /// The recorded chain and rounds.
    pub fn load() -> Result<Self, String> {
        let data: Value =
            serde_json::from_str(include_str!("../testdata/drand_quicknet.json")).map_err(|e| e.to_string())?;
        let chain = &data["chain"];
        let rounds = data["rounds"]
            .as_array()
            .ok_or("no rounds")?
            .iter()
            .map(|entry| {
                let round = entry["round"].as_u64().ok_or("round")?;
                Ok((round, hex(&entry["signature"])?, hex(&entry["randomness"])?))
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Self {
            chain_hash: hex(&chain["hash"])?,
            public_key: hex(&chain["public_key"])?,
            genesis_time: chain["genesis_time"].as_u64().ok_or("genesis_time")?,
            period: chain["period_seconds"].as_u64().and_then(|p| u32::try_from(p).ok()).ok_or("period")?,
            rounds,
        })
    }

    /// Unix time in seconds at which `round` is published.
    pub fn round_time(&self, round: u64) -> u64 {
        self.genesis_time + (round - 1) * u64::from(self.period)
    }
}
