//! The main job: build the four contracts, deploy and wire them on the sandbox chain, and run
//! the storage flow end to end.

use anyhow::Result;
use polka_storage_deploy::bundle::{build_contracts, SUITE_CONTRACTS};
use polka_storage_deploy::chain::Chain;
use polka_storage_deploy::suite::{Suite, Timing};

fn main() -> Result<()> {
    if std::env::var_os("SKIP_CONTRACT_BUILD").is_none() {
        println!("building the contracts with cargo-contract (release)…");
        build_contracts(&SUITE_CONTRACTS)?;
    }
    let mut chain = Chain::new();
    let suite = Suite::deploy(&mut chain, Timing::Fast)?;
    println!("deployed and wired on the sandbox chain (block {}):", chain.block_number());
    println!("  {:<18} {:<50} {:>10}", "contract", "address", "wasm bytes");
    for contract in suite.contracts() {
        println!("  {:<18} {:<50} {:>10}", contract.bundle.name, contract.address, contract.bundle.wasm.len());
    }
    Ok(())
}
