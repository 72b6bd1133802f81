//! The suite's benchmark: measures every listed message on the sandbox chain, prints a table and
//! writes `gas-report.json` at the repository root.

use anyhow::Result;
use polka_storage_deploy::bench::{sections, table, write_report};
use polka_storage_deploy::bundle::{build_contracts, Bundle, SUITE_CONTRACTS};
use polka_storage_deploy::runtime::{BLOCK_REF_TIME, MAX_CODE_LEN};

fn main() -> Result<()> {
    if std::env::var_os("SKIP_CONTRACT_BUILD").is_none() {
        build_contracts(&SUITE_CONTRACTS)?;
    }
    println!("Wasm sizes (release, cargo-contract 5.0.3; the pallet's default code limit is 123 KiB,");
    println!("substrate-contracts-node allows {} KiB):", MAX_CODE_LEN / 1024);
    for name in SUITE_CONTRACTS {
        let bundle = Bundle::of(name)?;
        println!("  {:<18} {:>7} bytes ({:.1} KiB)", name, bundle.wasm.len(), bundle.wasm.len() as f64 / 1024.0);
    }
    // `bench proof_verifier market` measures only those sections.
    let only: Vec<String> = std::env::args().skip(1).collect();
    let mut measurements = Vec::new();
    for (name, section) in sections().into_iter().filter(|(name, _)| only.is_empty() || only.iter().any(|o| o == name))
    {
        eprintln!("measuring {name}…");
        measurements.extend(section()?);
    }
    println!();
    println!("Gas on the sandbox chain (pallet-contracts 31 weights); block % is ref_time / {BLOCK_REF_TIME:e}:");
    print!("{}", table(&measurements));
    let path = write_report(&measurements)?;
    println!("\nwrote {}", path.display());
    Ok(())
}
