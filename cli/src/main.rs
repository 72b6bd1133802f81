//! `storage-cli`: CommP, deal signing, parameters, sealing and proving for Polka Storage.
//! Results go to stdout as JSON; progress and hints go to stderr.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use polka_storage_primitives::randomness::DomainSeparationTag;
use polka_storage_primitives::sector::SectorNumber;
use polka_storage_primitives::BlockNumber;
use serde_json::json;
use storage_cli::deal::{self, ClientKey, ProposalInput, Scheme};
use storage_cli::format::hex0x;
use storage_cli::params::{self, Circuit, Outcome, POST_PROOF};
use storage_cli::randomness::RandomnessSource;
use storage_cli::sector::{self, SealRequest};

#[derive(Parser)]
#[command(
    name = "storage-cli",
    version,
    about = "Polka Storage off-chain tool: CommP, deal signing, sealing and proving (2 KiB sectors, filecoin-proofs 18)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// CommP (piece CID) and padded piece size of a file, for a deal proposal.
    Commp {
        /// The file; it is zero-filled to the next piece size (127·2^k bytes) before Fr32 padding.
        file: PathBuf,
    },
    /// Build a deal proposal, sign it with the client's key and print the ClientDealProposal.
    SignDeal(SignDealArgs),
    /// Generate (once per machine) and cache the Groth16 parameters; print the verifying keys.
    Params {
        /// Also write each verifying key (spec §4.4 bytes) to DIR/<porep|window_post>.vk.
        #[arg(long, value_name = "DIR")]
        export: Option<PathBuf>,
    },
    /// Seal a 2 KiB sector from piece files; print what pre_commit_sectors needs.
    Seal(SealArgs),
    /// Prove sealed sectors (PoRep) for the interactive seed; print the 192-byte proofs.
    ProveCommit(ProveCommitArgs),
    /// Prove Window PoSt over up to 2 sealed sectors for a challenge; print the 192-byte proof.
    WindowPost(WindowPostArgs),
}

#[derive(Args)]
struct SignDealArgs {
    /// JSON file with DealProposal fields (piece_cid, piece_size, client, provider, label,
    /// start_block, end_block, storage_price_per_block, provider_collateral); flags override it.
    #[arg(long, value_name = "FILE")]
    proposal: Option<PathBuf>,
    /// Piece CID (`baga…` or 0x hex), as `commp` prints it.
    #[arg(long)]
    piece_cid: Option<String>,
    /// Padded piece size, as `commp` prints it.
    #[arg(long)]
    piece_size: Option<u64>,
    /// The client account (defaults to the key's account; must match it).
    #[arg(long)]
    client: Option<String>,
    /// The provider account (SS58 or 0x hex).
    #[arg(long)]
    provider: Option<String>,
    /// Label: UTF-8 text, or 0x hex (at most 128 bytes).
    #[arg(long)]
    label: Option<String>,
    /// Block by which the deal must be active.
    #[arg(long)]
    start_block: Option<BlockNumber>,
    /// Block at which the deal ends.
    #[arg(long)]
    end_block: Option<BlockNumber>,
    /// Price per block of storage (smallest unit).
    #[arg(long)]
    storage_price_per_block: Option<u128>,
    /// Collateral the provider locks (smallest unit).
    #[arg(long)]
    provider_collateral: Option<u128>,
    /// The client's secret URI: `//Alice`, a mnemonic (with optional //derivation) or a 0x seed.
    /// Prefer the environment variable STORAGE_CLI_KEY to keep it out of the shell history.
    #[arg(long, env = "STORAGE_CLI_KEY", hide_env_values = true)]
    key: String,
    /// Signature scheme of the key.
    #[arg(long, value_enum, default_value = "sr25519")]
    scheme: Scheme,
    /// Sign `<Bytes>` ‖ SCALE ‖ `</Bytes>`, as Polkadot.js signRaw does.
    #[arg(long)]
    bytes_wrapped: bool,
}

#[derive(Args)]
struct StoreArg {
    /// Sector store directory (default: $STORAGE_CLI_STORE, else ./sectors).
    #[arg(long, value_name = "DIR")]
    store: Option<PathBuf>,
}

#[derive(Args)]
struct SealArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The provider's account (SS58 or 0x hex); the prover id is derived from it.
    #[arg(long)]
    provider: String,
    /// Sector number.
    #[arg(long)]
    sector: SectorNumber,
    /// The seal ticket (32 bytes hex), e.g. from the registry's view.
    #[arg(long, conflicts_with_all = ["ticket_beacon", "ticket_block"])]
    ticket: Option<String>,
    /// Beacon output for the seal randomness height: the ticket is derived from it.
    #[arg(long, requires = "ticket_block")]
    ticket_beacon: Option<String>,
    /// The seal randomness height (the block of `ticket_beacon`).
    #[arg(long, requires = "ticket_beacon")]
    ticket_block: Option<BlockNumber>,
    /// Piece files, in the order of the sector's deals (none: an empty sector).
    #[arg(long = "piece", value_name = "FILE")]
    pieces: Vec<PathBuf>,
}

#[derive(Args)]
struct ProveCommitArgs {
    #[command(flatten)]
    store: StoreArg,
    /// Sectors to prove (repeat; parameters are loaded once for all).
    #[arg(long = "sector", required = true)]
    sectors: Vec<SectorNumber>,
    /// The interactive seed (32 bytes hex).
    #[arg(long, conflicts_with_all = ["seed_beacon", "seed_block"])]
    seed: Option<String>,
    /// Beacon output for the seed block: the seed is derived from it.
    #[arg(long, requires = "seed_block")]
    seed_beacon: Option<String>,
    /// The seed block (pre-commit block + pre-commit challenge delay).
    #[arg(long, requires = "seed_beacon")]
    seed_block: Option<BlockNumber>,
    /// Also write the proofs (raw bytes) to DIR/porep-<sector>.proof.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

#[derive(Args)]
struct WindowPostArgs {
    #[command(flatten)]
    store: StoreArg,
    /// Sectors of the partition (1 or 2; repeat the flag).
    #[arg(long = "sector", required = true)]
    sectors: Vec<SectorNumber>,
    /// The challenge randomness (32 bytes hex).
    #[arg(long, conflicts_with_all = ["challenge_beacon", "challenge_block"])]
    randomness: Option<String>,
    /// Beacon output for the deadline's challenge block: the randomness is derived from it.
    #[arg(long, requires = "challenge_block")]
    challenge_beacon: Option<String>,
    /// The deadline's challenge block.
    #[arg(long, requires = "challenge_beacon")]
    challenge_block: Option<BlockNumber>,
    /// Also write the proof (raw bytes) to FILE.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

fn print(value: &impl serde::Serialize) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn main() {
    storage_cli::logging::init_from_env();
    if let Err(error) = run(Cli::parse().command) {
        eprintln!("error: {error:#}");
        std::process::exit(1);
    }
}

fn run(command: Command) -> Result<()> {
    match command {
        Command::Commp { file } => print(&storage_cli::commp::file_commitment(&file)?.report()),
        Command::SignDeal(args) => sign_deal(args),
        Command::Params { export } => parameters(export),
        Command::Seal(args) => seal(args),
        Command::ProveCommit(args) => prove_commit(args),
        Command::WindowPost(args) => window_post(args),
    }
}

fn sign_deal(args: SignDealArgs) -> Result<()> {
    let from_file = match &args.proposal {
        Some(path) => ProposalInput::from_json(
            &std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?,
        )?,
        None => ProposalInput::default(),
    };
    let from_flags = ProposalInput {
        piece_cid: args.piece_cid,
        piece_size: args.piece_size.map(|size| deal::Number(size.into())),
        client: args.client,
        provider: args.provider,
        label: args.label,
        start_block: args.start_block.map(|block| deal::Number(block.into())),
        end_block: args.end_block.map(|block| deal::Number(block.into())),
        storage_price_per_block: args.storage_price_per_block.map(deal::Number),
        provider_collateral: args.provider_collateral.map(deal::Number),
    };
    let key = ClientKey::from_suri(&args.key, args.scheme)?;
    let proposal = from_file.overridden_by(from_flags).build(&key.account())?;
    let signed = deal::sign_proposal(proposal, &key, args.bytes_wrapped)?;
    print(&deal::report(&signed, args.bytes_wrapped))
}

fn parameters(export: Option<PathBuf>) -> Result<()> {
    let mut keys = serde_json::Map::new();
    for circuit in Circuit::ALL {
        let outcome = params::ensure_parameters(circuit)?;
        let paths = params::require_parameters(circuit)?;
        let key = params::verifying_key_bytes(circuit)?;
        let mut entry = json!({
            "proof_type": params::proof_type_text(circuit),
            "verifying_key": hex0x(&key),
            "verifying_key_bytes": key.len(),
            "ic_len": circuit.proof_type().public_inputs() + 1,
            "params_file": paths.params,
            "generated_now": matches!(outcome, Outcome::Generated(_)),
        });
        if let Outcome::Generated(took) = outcome {
            entry["generation_seconds"] = json!(took.as_secs_f64());
        }
        if let Some(dir) = &export {
            std::fs::create_dir_all(dir)?;
            let file = dir.join(format!("{}.vk", circuit.key()));
            std::fs::write(&file, &key)
                .with_context(|| format!("cannot write {}", file.display()))?;
            entry["exported_to"] = json!(file);
        }
        keys.insert(circuit.key().to_string(), entry);
    }
    eprintln!(
        "Note: these parameters come from a local random setup, good for tests only; production \
         must use Filecoin's ceremony parameters."
    );
    print(&json!({
        "parameter_dir": params::parameter_dir(),
        "trusted_setup": "LOCAL TEST SETUP - not for production; use Filecoin's ceremony parameters",
        "keys": keys,
    }))
}

fn seal(args: SealArgs) -> Result<()> {
    let store = sector::default_store(args.store.store.as_deref());
    let provider = sector::provider_from_text(&args.provider)?;
    let source = RandomnessSource::from_args(
        "seal ticket (--ticket, or --ticket-beacon with --ticket-block)",
        args.ticket.as_deref(),
        args.ticket_beacon.as_deref(),
        args.ticket_block,
    )?;
    let request = SealRequest {
        provider,
        sector_number: args.sector,
        ticket: source.draw(DomainSeparationTag::SealRandomness, &provider),
        seal_randomness_height: source.block(),
        pieces: args.pieces,
    };
    let record = sector::seal(&store, &request)?;
    print(&record.report(&store))
}

fn prove_commit(args: ProveCommitArgs) -> Result<()> {
    let store = sector::default_store(args.store.store.as_deref());
    let source = RandomnessSource::from_args(
        "interactive seed (--seed, or --seed-beacon with --seed-block)",
        args.seed.as_deref(),
        args.seed_beacon.as_deref(),
        args.seed_block,
    )?;
    let mut proofs = Vec::new();
    for &sector_number in &args.sectors {
        let record = store.load(sector_number)?;
        let seed = source.draw(
            DomainSeparationTag::InteractiveSealChallengeSeed,
            &record.provider_account(),
        );
        let proof = sector::prove_commit(&store, sector_number, seed)?;
        if let Some(dir) = &args.out {
            std::fs::create_dir_all(dir)?;
            std::fs::write(dir.join(format!("porep-{sector_number}.proof")), &proof)?;
        }
        proofs.push(json!({
            "sector_number": sector_number,
            "seed": hex0x(&seed),
            "proof": hex0x(&proof),
        }));
    }
    print(&json!({ "prove_commit": proofs }))
}

fn window_post(args: WindowPostArgs) -> Result<()> {
    let store = sector::default_store(args.store.store.as_deref());
    let records = sector::post_records(&store, &args.sectors)?;
    let source = RandomnessSource::from_args(
        "challenge randomness (--randomness, or --challenge-beacon with --challenge-block)",
        args.randomness.as_deref(),
        args.challenge_beacon.as_deref(),
        args.challenge_block,
    )?;
    let randomness = source.draw(
        DomainSeparationTag::WindowedPoStChallengeSeed,
        &records[0].provider_account(),
    );
    let proof = sector::window_post(&store, &args.sectors, randomness)?;
    if let Some(file) = &args.out {
        std::fs::write(file, &proof).with_context(|| format!("cannot write {}", file.display()))?;
    }
    print(&json!({
        "post_proof": format!("{POST_PROOF:?}"),
        "randomness": hex0x(&randomness),
        "replicas": records.iter().map(|record| json!({
            "sector_number": record.sector_number,
            "comm_r": hex0x(&record.comm_r),
        })).collect::<Vec<_>>(),
        "proof_bytes": hex0x(&proof),
    }))
}
