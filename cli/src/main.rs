//! `storage-cli`: CommP, deal signing, parameters, sealing and proving for Polka Storage.
//! Results go to stdout as JSON; progress and hints go to stderr.
//! Exit codes: 0 done (or the proof is valid), 1 error, 2 bad arguments, 3 the proof is invalid.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use polka_storage_primitives::commitment::CommitmentKind;
use polka_storage_primitives::proofs::SealVerifyInfo;
use polka_storage_primitives::randomness::{derive_prover_id, DomainSeparationTag};
use polka_storage_primitives::sector::ProofType;
use polka_storage_primitives::sector::SectorNumber;
use polka_storage_primitives::BlockNumber;
use serde_json::json;
use storage_cli::deal::{self, ClientKey, ProposalInput, Scheme};
use storage_cli::format::hex0x;
use storage_cli::params::{self, Circuit, Outcome, POST_PROOF};
use storage_cli::randomness::RandomnessSource;
use storage_cli::sector::{self, SealRequest};
use storage_cli::verify;

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
    /// Check a proof natively as the verifier contract checks it, before spending gas: prints
    /// `valid`, or the contract's error and the check that failed (exit code 3).
    #[command(subcommand)]
    Verify(VerifyCommand),
}

/// Exit code of `verify` for a proof the contract would reject.
const INVALID_PROOF_EXIT: i32 = 3;

#[derive(Subcommand)]
enum VerifyCommand {
    /// A PoRep proof, as `verify_porep` checks it at prove-commit.
    Porep(VerifyPorepArgs),
    /// A Window PoSt proof, as `verify_post` checks it at submit_windowed_post.
    WindowPost(VerifyPostArgs),
}

#[derive(Args)]
struct VerifyCommon {
    /// The verifying key: spec §4.4 bytes as `params --export` writes them (or a file of 0x hex,
    /// as the contract's `verifying_key` view shows them).
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// The proof: 0x hex, or a file with its raw bytes (as `--out` writes them).
    #[arg(long, value_name = "HEX|FILE")]
    proof: String,
    /// Also print the public inputs the proof is checked against.
    #[arg(long)]
    show_inputs: bool,
}

#[derive(Args)]
struct VerifyPorepArgs {
    #[command(flatten)]
    common: VerifyCommon,
    /// Seal proof type: StackedDrg2KiBV1_1 (what `seal` seals with) or StackedDRG2KiBV1P1.
    #[arg(long, default_value = "StackedDrg2KiBV1_1")]
    seal_proof: String,
    /// Sector number.
    #[arg(long)]
    sector: SectorNumber,
    /// The provider's account (SS58 or 0x hex): the prover id is derived from it, and it is the
    /// entropy of the ticket and seed drawn from beacon outputs.
    #[arg(long, required_unless_present = "prover_id")]
    provider: Option<String>,
    /// The prover id itself (32 bytes hex), instead of --provider (ticket and seed then raw).
    #[arg(long, conflicts_with = "provider")]
    prover_id: Option<String>,
    #[command(flatten)]
    ticket: TicketArgs,
    #[command(flatten)]
    seed: SeedArgs,
    /// CommR: 32 bytes hex, or the sealed CID (`bagboea…` or its hex, as `seal` prints it).
    #[arg(long)]
    comm_r: String,
    /// CommD: 32 bytes hex, or the unsealed CID (`baga6ea4…` or its hex).
    #[arg(long)]
    comm_d: String,
}

#[derive(Args)]
struct VerifyPostArgs {
    #[command(flatten)]
    common: VerifyCommon,
    /// Window PoSt proof type.
    #[arg(long, default_value = "StackedDRGWindow2KiBV1P1")]
    post_proof: String,
    /// A challenged sector as SECTOR:COMMR (CommR as 32 bytes hex or sealed CID); repeat for
    /// each sector of the partition.
    #[arg(long = "replica", value_name = "SECTOR:COMMR", required = true)]
    replicas: Vec<String>,
    /// The challenge randomness (32 bytes hex).
    #[arg(long, conflicts_with_all = ["challenge_beacon", "challenge_block"])]
    randomness: Option<String>,
    /// Beacon output for the deadline's challenge block: the randomness is derived from it.
    #[arg(long, requires_all = ["challenge_block", "provider"])]
    challenge_beacon: Option<String>,
    /// The deadline's challenge block.
    #[arg(long, requires = "challenge_beacon")]
    challenge_block: Option<BlockNumber>,
    /// The provider's account: the entropy of the randomness drawn from the beacon.
    #[arg(long)]
    provider: Option<String>,
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("market").required(true).args(["domain", "deployment"])))]
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
    /// Sign `<Bytes>` ‖ payload ‖ `</Bytes>`, as Polkadot.js signRaw does.
    #[arg(long)]
    bytes_wrapped: bool,
    /// The market's signing domain (32 bytes hex, as its `domain` view shows): a deal signed
    /// for one market is refused by every other.
    #[arg(long, value_name = "HEX")]
    domain: Option<String>,
    /// A deployment JSON file whose `market_domain` field is the market's signing domain.
    #[arg(long, value_name = "FILE")]
    deployment: Option<PathBuf>,
}

/// The seal ticket: raw, or drawn from the beacon output of its block.
#[derive(Args)]
struct TicketArgs {
    /// The seal ticket (32 bytes hex), e.g. from the registry's view.
    #[arg(long, conflicts_with_all = ["ticket_beacon", "ticket_block"])]
    ticket: Option<String>,
    /// Beacon output for the seal randomness height: the ticket is derived from it.
    #[arg(long, requires = "ticket_block")]
    ticket_beacon: Option<String>,
    /// The seal randomness height (the block of `ticket_beacon`).
    #[arg(long, requires = "ticket_beacon")]
    ticket_block: Option<BlockNumber>,
}

impl TicketArgs {
    fn source(&self) -> Result<RandomnessSource> {
        RandomnessSource::from_args(
            "seal ticket (--ticket, or --ticket-beacon with --ticket-block)",
            self.ticket.as_deref(),
            self.ticket_beacon.as_deref(),
            self.ticket_block,
        )
    }
}

/// The interactive seal seed: raw, or drawn from the beacon output of its block.
#[derive(Args)]
struct SeedArgs {
    /// The interactive seed (32 bytes hex).
    #[arg(long, conflicts_with_all = ["seed_beacon", "seed_block"])]
    seed: Option<String>,
    /// Beacon output for the seed block: the seed is derived from it.
    #[arg(long, requires = "seed_block")]
    seed_beacon: Option<String>,
    /// The seed block (pre-commit block + pre-commit challenge delay).
    #[arg(long, requires = "seed_beacon")]
    seed_block: Option<BlockNumber>,
}

impl SeedArgs {
    fn source(&self) -> Result<RandomnessSource> {
        RandomnessSource::from_args(
            "interactive seed (--seed, or --seed-beacon with --seed-block)",
            self.seed.as_deref(),
            self.seed_beacon.as_deref(),
            self.seed_block,
        )
    }
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
    #[command(flatten)]
    ticket: TicketArgs,
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
    #[command(flatten)]
    seed: SeedArgs,
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
    match run(Cli::parse().command) {
        Ok(0) => {}
        Ok(code) => std::process::exit(code),
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::exit(1);
        }
    }
}

/// Runs a command; the exit code is 0 unless `verify` found the proof invalid.
fn run(command: Command) -> Result<i32> {
    match command {
        Command::Commp { file } => print(&storage_cli::commp::file_commitment(&file)?.report()),
        Command::SignDeal(args) => sign_deal(args),
        Command::Params { export } => parameters(export),
        Command::Seal(args) => seal(args),
        Command::ProveCommit(args) => prove_commit(args),
        Command::WindowPost(args) => window_post(args),
        Command::Verify(what) => return verify_proof(what),
    }
    .map(|()| 0)
}

fn sign_deal(args: SignDealArgs) -> Result<()> {
    let from_file = match &args.proposal {
        Some(path) => ProposalInput::from_json(
            &std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?,
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
    let domain = match (&args.domain, &args.deployment) {
        (Some(domain), _) => deal::parse_domain(domain)?,
        (None, Some(path)) => deal::domain_from_deployment(
            &std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?,
        )
        .with_context(|| format!("reading the market domain from {}", path.display()))?,
        (None, None) => anyhow::bail!("give the market's signing domain: --domain HEX or --deployment FILE"),
    };
    let key = ClientKey::from_suri(&args.key, args.scheme)?;
    let proposal = from_file.overridden_by(from_flags).build(&key.account())?;
    let signed = deal::sign_proposal(proposal, &domain, &key, args.bytes_wrapped)?;
    print(&deal::report(&signed, &domain, args.bytes_wrapped))
}

fn parameters(export: Option<PathBuf>) -> Result<()> {
    let mut keys = serde_json::Map::new();
    for circuit in Circuit::ALL {
        let outcome = params::ensure_parameters(circuit)?;
        let paths = params::require_parameters(circuit)?;
        let key = params::verifying_key_bytes(circuit)?;
        let mut entry = json!({
            "proof_type": verify::proof_type_text(circuit.proof_type()),
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
            std::fs::write(&file, &key).with_context(|| format!("cannot write {}", file.display()))?;
            entry["exported_to"] = json!(file);
        }
        keys.insert(circuit.key().to_string(), entry);
    }
    eprintln!(
        "Note: these parameters come from a public seed (deterministic test setup), good for tests \
         only: anyone can forge proofs under them; production must use Filecoin's ceremony parameters."
    );
    print(&json!({
        "parameter_dir": params::parameter_dir(),
        "trusted_setup": "LOCAL TEST SETUP - not for production; use Filecoin's ceremony parameters",
        "keys": keys,
    }))
}

fn seal(args: SealArgs) -> Result<()> {
    let store = sector::default_store(args.store.store.as_deref());
    let provider = storage_cli::format::parse_account(&args.provider)?;
    let source = args.ticket.source()?;
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
    let source = args.seed.source()?;
    let mut proofs = Vec::new();
    for &sector_number in &args.sectors {
        let record = store.load(sector_number)?;
        let seed = source.draw(DomainSeparationTag::InteractiveSealChallengeSeed, &record.provider_account());
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
    let randomness = source.draw(DomainSeparationTag::WindowedPoStChallengeSeed, &records[0].provider_account());
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

/// Prints the verdict; the exit code is 0 for a valid proof, 3 for an invalid one.
fn verify_proof(what: VerifyCommand) -> Result<i32> {
    let (common, proof_type, verdict) = match what {
        VerifyCommand::Porep(args) => {
            let seal_proof = verify::parse_seal_proof(&args.seal_proof)?;
            let provider = args.provider.as_deref().map(storage_cli::format::parse_account).transpose()?;
            let prover_id = match (&args.prover_id, &provider) {
                (Some(id), _) => storage_cli::format::parse_hex32(id)?,
                (None, Some(provider)) => derive_prover_id(provider),
                (None, None) => anyhow::bail!("give --provider or --prover-id"),
            };
            let ticket = args.ticket.source()?;
            let seed = args.seed.source()?;
            let seal = SealVerifyInfo {
                seal_proof,
                prover_id,
                sector_number: args.sector,
                ticket: draw(ticket, DomainSeparationTag::SealRandomness, provider.as_ref())?,
                seed: draw(seed, DomainSeparationTag::InteractiveSealChallengeSeed, provider.as_ref())?,
                comm_r: verify::parse_commitment(&args.comm_r, CommitmentKind::Sealed)?,
                comm_d: verify::parse_commitment(&args.comm_d, CommitmentKind::Unsealed)?,
                proof: verify::bytes_from_arg(&args.common.proof, "proof")?,
            };
            let key = read_key(&args.common.key)?;
            let verdict = verify::verify_porep(&key, &seal);
            (args.common, ProofType::Seal(seal_proof), verdict)
        }
        VerifyCommand::WindowPost(args) => {
            let post_proof = verify::parse_post_proof(&args.post_proof)?;
            let provider = args.provider.as_deref().map(storage_cli::format::parse_account).transpose()?;
            let source = RandomnessSource::from_args(
                "challenge randomness (--randomness, or --challenge-beacon with --challenge-block)",
                args.randomness.as_deref(),
                args.challenge_beacon.as_deref(),
                args.challenge_block,
            )?;
            let randomness = draw(source, DomainSeparationTag::WindowedPoStChallengeSeed, provider.as_ref())?;
            let replicas = args.replicas.iter().map(|text| verify::parse_replica(text)).collect::<Result<Vec<_>>>()?;
            let proof = verify::bytes_from_arg(&args.common.proof, "proof")?;
            let key = read_key(&args.common.key)?;
            let verdict = verify::verify_post(&key, post_proof, &randomness, &replicas, &proof);
            (args.common, ProofType::PoSt(post_proof), verdict)
        }
    };
    print(&verify::report(proof_type, &verdict, common.show_inputs))?;
    match verdict {
        Ok(_) => {
            eprintln!("valid: the verifier contract would accept this proof");
            Ok(0)
        }
        Err(rejection) => {
            eprintln!("invalid: {rejection}");
            Ok(INVALID_PROOF_EXIT)
        }
    }
}

/// A drawn value: raw, or derived from the beacon with the provider's account as entropy.
fn draw(
    source: RandomnessSource,
    tag: DomainSeparationTag,
    provider: Option<&polka_storage_primitives::AccountId>,
) -> Result<[u8; 32]> {
    match (source, provider) {
        (RandomnessSource::Raw(value), _) => Ok(value),
        (source, Some(provider)) => Ok(source.draw(tag, provider)),
        (_, None) => {
            anyhow::bail!("a value drawn from the beacon needs the provider's account as entropy: give --provider")
        }
    }
}

fn read_key(path: &std::path::Path) -> Result<Vec<u8>> {
    let text = path.to_str().context("the key path is not UTF-8")?;
    if !path.exists() {
        anyhow::bail!(
            "no verifying key at {}: export them with `storage-cli params --export DIR` (or scripts/params.sh, into ~/.cache/polka-storage/verifying-keys/)",
            path.display()
        );
    }
    verify::bytes_from_arg(text, "verifying key")
}
