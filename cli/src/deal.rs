//! Deal proposals: build a `DealProposal` from flags or a JSON file, sign its payload for the
//! market's domain (`DealProposal::signing_payload`: tag ‖ domain ‖ SCALE, or the same bytes
//! wrapped in `<Bytes>…</Bytes>`, as Polkadot.js `signRaw` does) with the client's key, and print
//! the `ClientDealProposal` that the provider publishes.

use std::collections::BTreeMap;

use anyhow::{bail, ensure, Context, Result};
use polka_storage_primitives::commitment::{cid_to_commitment, CommitmentKind, PaddedPieceSize};
use polka_storage_primitives::hash::blake2_256;
use polka_storage_primitives::market::{
    wrap_bytes, ClientDealProposal, ClientSignature, DealProposal, DealState, MarketDomain,
};
use polka_storage_primitives::policy::MAX_LABEL_LEN;
use polka_storage_primitives::{AccountId, Balance, BlockNumber};
use scale::Encode;
use serde::{Deserialize, Serialize};
use sp_core::{ecdsa, ed25519, sr25519, Pair};

use crate::format::{account_to_ss58, cid_to_text, hex0x, parse_account, parse_cid, parse_hex, parse_hex32};

/// A market's signing domain from its hex (as the market's `domain` view shows it).
pub fn parse_domain(text: &str) -> Result<MarketDomain> {
    let domain =
        parse_hex32(text).context("the market domain is 32 bytes of hex, as the market's `domain` view shows")?;
    ensure!(domain != [0; 32], "the market domain is all zeros: no market has it (each draws its own)");
    Ok(domain)
}

/// The market's signing domain from a deployment JSON file: its `market_domain` field.
pub fn domain_from_deployment(text: &str) -> Result<MarketDomain> {
    let deployment: serde_json::Value = serde_json::from_str(text).context("the deployment file is not JSON")?;
    let domain = deployment
        .get("market_domain")
        .and_then(serde_json::Value::as_str)
        .context("the deployment file has no `market_domain` string")?;
    parse_domain(domain)
}

/// The signature schemes the market accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// Schnorrkel, signing context "substrate" (Polkadot.js default).
    Sr25519,
    /// Ed25519.
    Ed25519,
    /// Secp256k1 over `blake2_256(message)`; the account is `blake2_256(compressed key)`.
    Ecdsa,
}

/// A proposal as a user writes it: every field optional so that a JSON file and flags combine
/// (flags win). Numbers may be JSON numbers or decimal strings (balances exceed 2^53).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposalInput {
    /// Textual (`baga…`) or hex piece CID.
    pub piece_cid: Option<String>,
    /// Padded piece size.
    pub piece_size: Option<Number>,
    /// The client; defaults to the signing key's account and must match it.
    pub client: Option<String>,
    /// The provider (SS58 or hex).
    pub provider: Option<String>,
    /// UTF-8 label, or hex when it starts with `0x`.
    pub label: Option<String>,
    /// Block by which the deal must be active.
    pub start_block: Option<Number>,
    /// Block at which the deal ends.
    pub end_block: Option<Number>,
    /// Price per block.
    pub storage_price_per_block: Option<Number>,
    /// Provider collateral.
    pub provider_collateral: Option<Number>,
}

/// A non-negative integer given as a JSON number or a decimal string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "NumberText")]
pub struct Number(pub u128);

#[derive(Deserialize)]
#[serde(untagged)]
enum NumberText {
    // Larger values come as strings (JSON numbers lose precision beyond 2^53 anyway).
    Number(u64),
    Text(String),
}

impl TryFrom<NumberText> for Number {
    type Error = String;
    fn try_from(value: NumberText) -> Result<Self, String> {
        match value {
            NumberText::Number(number) => Ok(Number(number.into())),
            NumberText::Text(text) => text
                .trim()
                .replace('_', "")
                .parse()
                .map(Number)
                .map_err(|_| format!("`{text}` is not a non-negative integer")),
        }
    }
}

impl ProposalInput {
    /// Reads a JSON file with the fields of a proposal.
    pub fn from_json(text: &str) -> Result<Self> {
        serde_json::from_str(text).context("the proposal JSON does not have the fields of a DealProposal")
    }

    /// Fields of `other` that are set replace those of `self`.
    pub fn overridden_by(self, other: ProposalInput) -> ProposalInput {
        ProposalInput {
            piece_cid: other.piece_cid.or(self.piece_cid),
            piece_size: other.piece_size.or(self.piece_size),
            client: other.client.or(self.client),
            provider: other.provider.or(self.provider),
            label: other.label.or(self.label),
            start_block: other.start_block.or(self.start_block),
            end_block: other.end_block.or(self.end_block),
            storage_price_per_block: other.storage_price_per_block.or(self.storage_price_per_block),
            provider_collateral: other.provider_collateral.or(self.provider_collateral),
        }
    }

    /// The proposal, in state `Published`, for `client` (the signer's account). Checks what the
    /// market checks on the proposal alone, so a bad proposal fails here and not on-chain.
    pub fn build(&self, signer: &AccountId) -> Result<DealProposal> {
        fn need<T: Clone>(value: &Option<T>, flag: &str) -> Result<T> {
            value.clone().with_context(|| format!("missing `{flag}` (flag --{} or JSON field)", flag.replace('_', "-")))
        }
        fn block(value: &Option<Number>, flag: &str) -> Result<BlockNumber> {
            let Number(number) = need(value, flag)?;
            BlockNumber::try_from(number).with_context(|| format!("`{flag}` {number} is not a block number"))
        }
        let piece_cid = parse_cid(&need(&self.piece_cid, "piece_cid")?)?;
        cid_to_commitment(&piece_cid, CommitmentKind::Unsealed).map_err(|error| {
            anyhow::anyhow!(
                "the piece CID is not a CommP CID: {error:?}; use the `piece_cid` that `storage-cli commp` prints"
            )
        })?;
        let Number(piece_size) = need(&self.piece_size, "piece_size")?;
        let piece_size = u64::try_from(piece_size).context("piece_size too large")?;
        PaddedPieceSize::new(piece_size).map_err(|error| {
            anyhow::anyhow!("piece_size {piece_size} is not a padded piece size ({error:?}); use the `piece_size` that `storage-cli commp` prints")
        })?;
        let client = match &self.client {
            Some(client) => {
                let client = parse_account(client)?;
                ensure!(
                    client == *signer,
                    "the key signs for {} but the proposal's client is {}: sign with the client's key or drop `client`",
                    account_to_ss58(signer),
                    account_to_ss58(&client)
                );
                client
            }
            None => *signer,
        };
        let provider = parse_account(&need(&self.provider, "provider")?)?;
        let label = match self.label.as_deref() {
            None => Vec::new(),
            Some(text) if text.starts_with("0x") => parse_hex(text)?,
            Some(text) => text.as_bytes().to_vec(),
        };
        ensure!(label.len() <= MAX_LABEL_LEN, "the label is {} bytes; at most {MAX_LABEL_LEN}", label.len());
        let start_block = block(&self.start_block, "start_block")?;
        let end_block = block(&self.end_block, "end_block")?;
        ensure!(end_block > start_block, "end_block {end_block} must be after start_block {start_block}");
        let Number(storage_price_per_block) = need(&self.storage_price_per_block, "storage_price_per_block")?;
        let Number(provider_collateral) = need(&self.provider_collateral, "provider_collateral")?;
        let proposal = DealProposal {
            piece_cid,
            piece_size,
            client,
            provider,
            label,
            start_block,
            end_block,
            storage_price_per_block: storage_price_per_block as Balance,
            provider_collateral: provider_collateral as Balance,
            state: DealState::Published,
        };
        ensure!(proposal.total_storage_fee().is_some(), "price × duration overflows a balance");
        Ok(proposal)
    }
}

/// A client's key, from a secret URI (`//Alice`, a mnemonic with optional `//derivation`, or a
/// `0x` seed) in one of the three schemes.
#[allow(clippy::large_enum_variant)] // one key per process
pub enum ClientKey {
    /// Sr25519 key.
    Sr25519(sr25519::Pair),
    /// Ed25519 key.
    Ed25519(ed25519::Pair),
    /// Ecdsa key.
    Ecdsa(ecdsa::Pair),
}

impl ClientKey {
    /// Reads a secret URI for `scheme`.
    pub fn from_suri(suri: &str, scheme: Scheme) -> Result<Self> {
        let hint = |error| {
            anyhow::anyhow!(
                "the key is not a secret URI ({error:?}): give `//Alice`, a 12/24-word mnemonic (optionally with //derivation) or a 0x-prefixed 32-byte seed"
            )
        };
        Ok(match scheme {
            Scheme::Sr25519 => ClientKey::Sr25519(sr25519::Pair::from_string(suri, None).map_err(hint)?),
            Scheme::Ed25519 => ClientKey::Ed25519(ed25519::Pair::from_string(suri, None).map_err(hint)?),
            Scheme::Ecdsa => ClientKey::Ecdsa(ecdsa::Pair::from_string(suri, None).map_err(hint)?),
        })
    }

    /// The account this key signs for (the public key; for ecdsa its blake2_256).
    pub fn account(&self) -> AccountId {
        match self {
            ClientKey::Sr25519(pair) => AccountId::from(pair.public().0),
            ClientKey::Ed25519(pair) => AccountId::from(pair.public().0),
            ClientKey::Ecdsa(pair) => AccountId::from(blake2_256(&[&pair.public().0[..]])),
        }
    }

    /// Signs `message` as the market verifies it.
    pub fn sign(&self, message: &[u8]) -> ClientSignature {
        match self {
            ClientKey::Sr25519(pair) => ClientSignature::Sr25519(pair.sign(message).0),
            ClientKey::Ed25519(pair) => ClientSignature::Ed25519(pair.sign(message).0),
            // sp-core signs blake2_256(message), recoverable: r ‖ s ‖ v.
            ClientKey::Ecdsa(pair) => ClientSignature::Ecdsa(pair.sign(message).0),
        }
    }
}

/// The bytes a client signs for the market of `domain`: the proposal's signing payload,
/// optionally `<Bytes>`-wrapped.
pub fn signed_message(proposal: &DealProposal, domain: &MarketDomain, bytes_wrapped: bool) -> Vec<u8> {
    let payload = proposal.signing_payload(domain);
    if bytes_wrapped {
        wrap_bytes(&payload)
    } else {
        payload
    }
}

/// Signs `proposal` with `key` for the market of `domain`.
pub fn sign_proposal(
    proposal: DealProposal,
    domain: &MarketDomain,
    key: &ClientKey,
    bytes_wrapped: bool,
) -> Result<ClientDealProposal> {
    if proposal.client != key.account() {
        bail!("the proposal's client is not the key's account");
    }
    let client_signature = key.sign(&signed_message(&proposal, domain, bytes_wrapped));
    Ok(ClientDealProposal { proposal, client_signature })
}

/// A `DealProposal` in Contracts UI's terms: hex bytes, SS58 accounts, decimal numbers
/// (balances as strings, since they exceed 2^53), fields in SCALE order.
#[derive(Debug, Serialize)]
pub struct ProposalJson {
    /// Binary piece CID, hex.
    pub piece_cid: String,
    /// Padded piece size.
    pub piece_size: u64,
    /// Client (SS58).
    pub client: String,
    /// Provider (SS58).
    pub provider: String,
    /// Label bytes, hex.
    pub label: String,
    /// Start block.
    pub start_block: BlockNumber,
    /// End block.
    pub end_block: BlockNumber,
    /// Price per block, decimal.
    pub storage_price_per_block: String,
    /// Provider collateral, decimal.
    pub provider_collateral: String,
    /// Always `Published`.
    pub state: &'static str,
}

/// A `ClientDealProposal` in Contracts UI's terms.
#[derive(Debug, Serialize)]
pub struct ClientDealProposalJson {
    /// The proposal.
    pub proposal: ProposalJson,
    /// `{ "<Scheme>": "0x…" }`.
    pub client_signature: BTreeMap<&'static str, String>,
}

/// Output of `storage-cli sign-deal`.
#[derive(Debug, Serialize)]
pub struct SignedDealReport {
    /// The `ClientDealProposal`, field by field.
    pub client_deal_proposal: ClientDealProposalJson,
    /// The argument of `publish_storage_deals` for cargo-contract (`--args`), one deal.
    pub cargo_contract_args: String,
    /// SCALE of the `ClientDealProposal`.
    pub scale: String,
    /// SCALE of `Vec<ClientDealProposal>` with this one deal (the whole argument of
    /// `publish_storage_deals`).
    pub scale_vec: String,
    /// The market's signing domain the deal was signed for.
    pub market_domain: String,
    /// The exact bytes that were signed.
    pub signed_message: String,
    /// Whether the signed bytes are `<Bytes>`-wrapped.
    pub bytes_wrapped: bool,
    /// The piece CID in text form.
    pub piece_cid_text: String,
    /// The client account as hex.
    pub client_hex: String,
}

fn signature_parts(signature: &ClientSignature) -> (&'static str, String) {
    match signature {
        ClientSignature::Ed25519(bytes) => ("Ed25519", hex0x(bytes)),
        ClientSignature::Sr25519(bytes) => ("Sr25519", hex0x(bytes)),
        ClientSignature::Ecdsa(bytes) => ("Ecdsa", hex0x(bytes)),
    }
}

/// The report of a deal signed for the market of `domain`.
pub fn report(deal: &ClientDealProposal, domain: &MarketDomain, bytes_wrapped: bool) -> SignedDealReport {
    let proposal = &deal.proposal;
    let (variant, signature) = signature_parts(&deal.client_signature);
    let fields = ProposalJson {
        piece_cid: hex0x(&proposal.piece_cid),
        piece_size: proposal.piece_size,
        client: account_to_ss58(&proposal.client),
        provider: account_to_ss58(&proposal.provider),
        label: hex0x(&proposal.label),
        start_block: proposal.start_block,
        end_block: proposal.end_block,
        storage_price_per_block: proposal.storage_price_per_block.to_string(),
        provider_collateral: proposal.provider_collateral.to_string(),
        state: "Published",
    };
    let cargo_contract_args = format!(
        "[ClientDealProposal {{ proposal: DealProposal {{ piece_cid: {}, piece_size: {}, client: {}, provider: {}, label: {}, start_block: {}, end_block: {}, storage_price_per_block: {}, provider_collateral: {}, state: Published }}, client_signature: {variant}({signature}) }}]",
        fields.piece_cid,
        fields.piece_size,
        fields.client,
        fields.provider,
        fields.label,
        fields.start_block,
        fields.end_block,
        fields.storage_price_per_block,
        fields.provider_collateral,
    );
    SignedDealReport {
        client_deal_proposal: ClientDealProposalJson {
            proposal: fields,
            client_signature: BTreeMap::from([(variant, signature)]),
        },
        cargo_contract_args,
        scale: hex0x(&deal.encode()),
        scale_vec: hex0x(&vec![deal.clone()].encode()),
        market_domain: hex0x(domain),
        signed_message: hex0x(&signed_message(proposal, domain, bytes_wrapped)),
        bytes_wrapped,
        piece_cid_text: cid_to_text(&proposal.piece_cid),
        client_hex: hex0x(AsRef::<[u8; 32]>::as_ref(&proposal.client)),
    }
}
