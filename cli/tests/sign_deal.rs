//! Deal signatures made by storage-cli verify with sp-core, as the market verifies them: sr25519
//! (context "substrate"), ed25519, and ecdsa recovered from `blake2_256(message)` with the account
//! `blake2_256(compressed key)`; over SCALE(proposal) or its `<Bytes>` wrapping.

use std::process::Command;

use polka_storage_primitives::market::{ClientDealProposal, ClientSignature, DealState};
use polka_storage_primitives::AccountId;
use scale::{Decode, Encode};
use sp_core::{blake2_256, ecdsa, ed25519, sr25519, Pair};
use storage_cli::deal::{report, sign_proposal, signed_message, ClientKey, ProposalInput, Scheme};

const PIECE_CID: &str = "baga6ea4seaqhxcaztleaacyt26ctnccla2lbh2yb5tzp6lpy7f2hb7hiswc66di";
const BOB: &str = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
const MNEMONIC: &str = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";

fn input() -> ProposalInput {
    ProposalInput::from_json(&format!(
        r#"{{"piece_cid": "{PIECE_CID}", "piece_size": 1024, "provider": "{BOB}", "label": "my data",
            "start_block": 100, "end_block": 1100, "storage_price_per_block": "1000000000000",
            "provider_collateral": 5000}}"#
    ))
    .unwrap()
}

/// Verifies like the market: the signature over `message` must be the account's.
fn verifies(signature: &ClientSignature, message: &[u8], account: &AccountId) -> bool {
    let account: [u8; 32] = *AsRef::<[u8; 32]>::as_ref(account);
    match signature {
        ClientSignature::Sr25519(bytes) => {
            sr25519::Pair::verify(&sr25519::Signature::from_raw(*bytes), message, &sr25519::Public::from_raw(account))
        }
        ClientSignature::Ed25519(bytes) => {
            ed25519::Pair::verify(&ed25519::Signature::from_raw(*bytes), message, &ed25519::Public::from_raw(account))
        }
        ClientSignature::Ecdsa(bytes) => {
            ecdsa::Signature::from_raw(*bytes).recover(message).is_some_and(|public| blake2_256(&public.0) == account)
        }
    }
}

#[test]
fn signatures_of_every_scheme_verify_with_sp_core() {
    for scheme in [Scheme::Sr25519, Scheme::Ed25519, Scheme::Ecdsa] {
        for suri in ["//Alice", MNEMONIC, "0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"] {
            for wrapped in [false, true] {
                let key = ClientKey::from_suri(suri, scheme).unwrap();
                let proposal = input().build(&key.account()).unwrap();
                let deal = sign_proposal(proposal.clone(), &key, wrapped).unwrap();
                let message = signed_message(&proposal, wrapped);
                let what = format!("{scheme:?} {suri} wrapped={wrapped}");
                assert!(verifies(&deal.client_signature, &message, &proposal.client), "{what}");
                // The same signature does not verify over the other form of the message...
                let other = signed_message(&proposal, !wrapped);
                assert!(!verifies(&deal.client_signature, &other, &proposal.client), "{what}");
                // ...nor over a changed proposal.
                let mut changed = proposal.clone();
                changed.storage_price_per_block += 1;
                let changed = signed_message(&changed, wrapped);
                assert!(!verifies(&deal.client_signature, &changed, &proposal.client), "{what}");
                // The message is the SCALE encoding of the proposal, optionally wrapped.
                let encoded = proposal.encode();
                if wrapped {
                    assert_eq!(message, [&b"<Bytes>"[..], &encoded, b"</Bytes>"].concat());
                } else {
                    assert_eq!(message, encoded);
                }
            }
        }
    }
}

#[test]
fn accounts_are_the_keys_as_substrate_defines_them() {
    let sr = ClientKey::from_suri("//Alice", Scheme::Sr25519).unwrap();
    assert_eq!(
        AsRef::<[u8; 32]>::as_ref(&sr.account()),
        &sr25519::Pair::from_string("//Alice", None).unwrap().public().0
    );
    let ec = ecdsa::Pair::from_string("//Alice", None).unwrap();
    let key = ClientKey::from_suri("//Alice", Scheme::Ecdsa).unwrap();
    assert_eq!(AsRef::<[u8; 32]>::as_ref(&key.account()), &blake2_256(&ec.public().0));
}

#[test]
fn proposals_are_checked_before_signing() {
    let key = ClientKey::from_suri("//Alice", Scheme::Sr25519).unwrap();
    let alice = key.account();
    let build = |json: &str| input().overridden_by(ProposalInput::from_json(json).unwrap()).build(&alice);
    assert!(build(r#"{"piece_size": 1000}"#).unwrap_err().to_string().contains("not a padded piece size"));
    assert!(build(r#"{"end_block": 100}"#).unwrap_err().to_string().contains("after start_block"));
    assert!(build(&format!(r#"{{"client": "{BOB}"}}"#)).unwrap_err().to_string().contains("client"));
    assert!(build(r#"{"piece_cid": "0x0182e2"}"#).is_err());
    assert!(build(&format!(r#"{{"label": "{}"}}"#, "x".repeat(129))).is_err());
    let proposal = build("{}").unwrap();
    assert_eq!(proposal.state, DealState::Published);
    assert_eq!(proposal.client, alice);
    assert_eq!(proposal.storage_price_per_block, 1_000_000_000_000);
    assert_eq!(proposal.label, b"my data");
    assert!(ClientKey::from_suri("not a key", Scheme::Sr25519).is_err());
}

#[test]
fn the_command_prints_a_client_deal_proposal_that_decodes_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("proposal.json");
    std::fs::write(
        &file,
        format!(
            r#"{{"piece_cid": "{PIECE_CID}", "piece_size": 1024, "provider": "{BOB}",
                "start_block": 100, "end_block": 1100, "storage_price_per_block": 7,
                "provider_collateral": 9}}"#
        ),
    )
    .unwrap();
    for (scheme, wrapped) in [("sr25519", false), ("ed25519", true), ("ecdsa", false)] {
        let mut command = Command::new(env!("CARGO_BIN_EXE_storage-cli"));
        command
            .args(["sign-deal", "--proposal"])
            .arg(&file)
            .args(["--label", "flag wins", "--scheme", scheme])
            .env("STORAGE_CLI_KEY", "//Alice");
        if wrapped {
            command.arg("--bytes-wrapped");
        }
        let output = command.output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let scale = hex::decode(printed["scale"].as_str().unwrap().trim_start_matches("0x")).unwrap();
        let deal = ClientDealProposal::decode(&mut &scale[..]).unwrap();
        assert_eq!(deal.proposal.label, b"flag wins");
        assert_eq!(deal.proposal.provider_collateral, 9);
        let message = signed_message(&deal.proposal, wrapped);
        assert!(verifies(&deal.client_signature, &message, &deal.proposal.client), "{scheme}");
        let vec = hex::decode(printed["scale_vec"].as_str().unwrap().trim_start_matches("0x")).unwrap();
        assert_eq!(Vec::<ClientDealProposal>::decode(&mut &vec[..]).unwrap(), vec![deal.clone()]);
        // The JSON view carries the same values.
        let view = serde_json::to_value(report(&deal, wrapped)).unwrap();
        assert_eq!(view["client_deal_proposal"], printed["client_deal_proposal"]);
        if scheme == "sr25519" {
            let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
            assert_eq!(printed["client_deal_proposal"]["proposal"]["client"], alice);
        }
    }
}
