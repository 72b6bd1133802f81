//! `deploy`: deploys and wires the suite on a node and writes its manifest.
//!
//! ```text
//! deploy [--url ws://127.0.0.1:9944] [--suri //Alice] [--network local] [--manifest PATH]
//!        [--build] [--keys DIR] [--gas-limit REF_TIME,PROOF_SIZE] [--storage-deposit-limit AMOUNT]
//! ```
//!
//! Bundles come from `$CARGO_TARGET_DIR/ink` (`--build` runs scripts/build-contracts.sh first);
//! verifying keys from `~/.cache/polka-storage/verifying-keys` (scripts/params.sh exports them);
//! the manifest goes to `deploy/deployments/<network>.json`. A second run with the same manifest
//! checks the code hashes on chain and deploys only what is missing.

use polka_storage_deploy_node::bundle::ink_dir;
use polka_storage_deploy_node::manifest::Deployment;
use polka_storage_deploy_node::node::{Limits, Weight};
use polka_storage_deploy_node::suite::{deploy_suite, load_bundles};
use polka_storage_deploy_node::NodeChain;
use std::path::PathBuf;
use std::process::ExitCode;

/// The command line.
struct Options {
    url: String,
    suri: String,
    network: String,
    manifest: Option<PathBuf>,
    build: bool,
    keys: PathBuf,
    limits: Limits,
}

fn repository_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().map(PathBuf::from).unwrap_or_default()
}

fn parse() -> Result<Options, String> {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    let cache =
        std::env::var_os("POLKA_STORAGE_CACHE").map(PathBuf::from).unwrap_or_else(|| home.join(".cache/polka-storage"));
    let mut options = Options {
        url: "ws://127.0.0.1:9944".into(),
        suri: "//Alice".into(),
        network: "local".into(),
        manifest: None,
        build: false,
        keys: cache.join("verifying-keys"),
        limits: Limits::default(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--url" => options.url = value()?,
            "--suri" => options.suri = value()?,
            "--network" => options.network = value()?,
            "--manifest" => options.manifest = Some(value()?.into()),
            "--keys" => options.keys = value()?.into(),
            "--build" => options.build = true,
            "--gas-limit" => {
                let text = value()?;
                let (ref_time, proof_size) = text.split_once(',').ok_or("--gas-limit takes REF_TIME,PROOF_SIZE")?;
                options.limits.gas = Some(Weight {
                    ref_time: ref_time.trim().parse().map_err(|e| format!("--gas-limit ref_time: {e}"))?,
                    proof_size: proof_size.trim().parse().map_err(|e| format!("--gas-limit proof_size: {e}"))?,
                });
            }
            "--storage-deposit-limit" => {
                options.limits.storage_deposit =
                    Some(value()?.parse().map_err(|e| format!("--storage-deposit-limit: {e}"))?)
            }
            "-h" | "--help" => {
                println!("deploy [--url URL] [--suri SURI] [--network NAME] [--manifest PATH] [--build] [--keys DIR] [--gas-limit REF,PROOF] [--storage-deposit-limit AMOUNT]");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other} (see --help)")),
        }
    }
    Ok(options)
}

async fn run(options: Options) -> Result<(), String> {
    if options.build {
        let script = repository_root().join("scripts/build-contracts.sh");
        let status = std::process::Command::new(&script).status().map_err(|e| format!("{}: {e}", script.display()))?;
        if !status.success() {
            return Err(format!("{} failed", script.display()));
        }
    }
    let bundles = load_bundles(&ink_dir()).map_err(|e| e.to_string())?;
    let manifest_path = options
        .manifest
        .clone()
        .unwrap_or_else(|| repository_root().join("deploy/deployments").join(format!("{}.json", options.network)));
    let previous = Deployment::read(&manifest_path).map_err(|e| e.to_string())?;
    let mut chain = NodeChain::connect(&options.url, &options.suri).await.map_err(|e| e.to_string())?;
    chain.limits = options.limits;
    let (deployment, report) = deploy_suite(&chain, &options.network, &bundles, previous.as_ref(), &options.keys)
        .await
        .map_err(|e| e.to_string())?;
    for action in &report.actions {
        println!("  {action}");
    }
    if report.changed || previous.as_ref() != Some(&deployment) {
        deployment.write(&manifest_path).map_err(|e| e.to_string())?;
        println!("==> wrote {}", manifest_path.display());
    } else {
        println!("==> nothing to do: {} matches the chain", manifest_path.display());
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    match run(options).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
