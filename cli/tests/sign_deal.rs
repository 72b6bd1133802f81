//! Deal signatures made by storage-cli verify with sp-core, as the market verifies them: sr25519
//! (context "substrate"), ed25519, and ecdsa recovered from `blake2_256(message)` with the account
//! `blake2_256(compressed key)`; over tag ‖ domain ‖ SCALE(proposal) or its `<Bytes>` wrapping,
//! for the market's domain only. The test vector of cli/README.md is checked here.

use std::process::Command;

use polka_storage_primitives::market::{ClientDealProposal, ClientSignature, DealState, DEAL_SIGNING_TAG};
use polka_storage_primitives::AccountId;
use scale::{Decode, Encode};
use sp_core::{blake2_256, ecdsa, ed25519, sr25519, Pair};
use storage_cli::deal::{
    domain_from_deployment, parse_domain, report, sign_proposal, signed_message, ClientKey, ProposalInput, Scheme,
};

const PIECE_CID: &str = "baga6ea4seaqhxcaztleaacyt26ctnccla2lbh2yb5tzp6lpy7f2hb7hiswc66di";
const BOB: &str = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
const MNEMONIC: &str = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";
/// A market's signing domain, and another market's.
const DOMAIN: [u8; 32] = [0x5a; 32];
const OTHER_DOMAIN: [u8; 32] = [0x5b; 32];

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
                let deal = sign_proposal(proposal.clone(), &DOMAIN, &key, wrapped).unwrap();
                let message = signed_message(&proposal, &DOMAIN, wrapped);
                let what = format!("{scheme:?} {suri} wrapped={wrapped}");
                assert!(verifies(&deal.client_signature, &message, &proposal.client), "{what}");
                // The same signature does not verify over the other form of the message...
                let other = signed_message(&proposal, &DOMAIN, !wrapped);
                assert!(!verifies(&deal.client_signature, &other, &proposal.client), "{what}");
                // ...nor for another market...
                let elsewhere = signed_message(&proposal, &OTHER_DOMAIN, wrapped);
                assert!(!verifies(&deal.client_signature, &elsewhere, &proposal.client), "{what}");
                // ...nor over a changed proposal.
                let mut changed = proposal.clone();
                changed.storage_price_per_block += 1;
                let changed = signed_message(&changed, &DOMAIN, wrapped);
                assert!(!verifies(&deal.client_signature, &changed, &proposal.client), "{what}");
                // The message is tag ‖ domain ‖ SCALE(proposal), optionally wrapped.
                let payload = [DEAL_SIGNING_TAG, &DOMAIN, &proposal.encode()].concat();
                if wrapped {
                    assert_eq!(message, [&b"<Bytes>"[..], &payload, b"</Bytes>"].concat());
                } else {
                    assert_eq!(message, payload);
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
    let deployment = dir.path().join("deployment.json");
    let domain_hex = format!("0x{}", hex::encode(DOMAIN));
    std::fs::write(&deployment, format!(r#"{{"market": "5C4hrfjw…", "market_domain": "{domain_hex}"}}"#)).unwrap();
    for (scheme, wrapped, from_file) in [("sr25519", false, false), ("ed25519", true, true), ("ecdsa", false, true)] {
        let mut command = Command::new(env!("CARGO_BIN_EXE_storage-cli"));
        command
            .args(["sign-deal", "--proposal"])
            .arg(&file)
            .args(["--label", "flag wins", "--scheme", scheme])
            .env("STORAGE_CLI_KEY", "//Alice");
        if wrapped {
            command.arg("--bytes-wrapped");
        }
        if from_file {
            command.arg("--deployment").arg(&deployment);
        } else {
            command.args(["--domain", &domain_hex]);
        }
        let output = command.output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let scale = hex::decode(printed["scale"].as_str().unwrap().trim_start_matches("0x")).unwrap();
        let deal = ClientDealProposal::decode(&mut &scale[..]).unwrap();
        assert_eq!(deal.proposal.label, b"flag wins");
        assert_eq!(deal.proposal.provider_collateral, 9);
        assert_eq!(printed["market_domain"], domain_hex.as_str());
        let message = signed_message(&deal.proposal, &DOMAIN, wrapped);
        assert!(verifies(&deal.client_signature, &message, &deal.proposal.client), "{scheme}");
        assert_eq!(printed["signed_message"], format!("0x{}", hex::encode(&message)).as_str());
        let vec = hex::decode(printed["scale_vec"].as_str().unwrap().trim_start_matches("0x")).unwrap();
        assert_eq!(Vec::<ClientDealProposal>::decode(&mut &vec[..]).unwrap(), vec![deal.clone()]);
        // The JSON view carries the same values.
        let view = serde_json::to_value(report(&deal, &DOMAIN, wrapped)).unwrap();
        assert_eq!(view["client_deal_proposal"], printed["client_deal_proposal"]);
        if scheme == "sr25519" {
            let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
            assert_eq!(printed["client_deal_proposal"]["proposal"]["client"], alice);
        }
    }
}

#[test]
fn the_command_needs_the_market_domain() {
    let sign = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_storage-cli"))
            .args(["sign-deal", "--piece-cid", PIECE_CID, "--piece-size", "1024", "--provider", BOB])
            .args(["--start-block", "100", "--end-block", "1100", "--storage-price-per-block", "1"])
            .args(["--provider-collateral", "1"])
            .args(extra)
            .env("STORAGE_CLI_KEY", "//Alice")
            .output()
            .unwrap()
    };
    let output = sign(&[]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("--domain"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!sign(&["--domain", "0x1234"]).status.success());
    assert!(!sign(&["--domain", &format!("0x{}", "00".repeat(32))]).status.success());
    assert!(sign(&["--domain", &hex::encode(DOMAIN)]).status.success());
    assert!(parse_domain(&"00".repeat(32)).is_err());
    assert!(domain_from_deployment(r#"{"market_domain": 5}"#).is_err());
    assert!(domain_from_deployment("{}").is_err());
    assert_eq!(domain_from_deployment(&format!(r#"{{"market_domain": "{}"}}"#, hex::encode(DOMAIN))).unwrap(), DOMAIN);
}

/// The test vector of cli/README.md (and of primitives' `signing_payload_test_vector`): the
/// README's example proposal, signed by //Alice for the market of domain 0x00 01 … 1f.
#[test]
fn the_documented_test_vector_is_what_the_cli_signs() {
    let domain: [u8; 32] = std::array::from_fn(|i| i as u8);
    let input = ProposalInput::from_json(
        r#"{"piece_cid": "baga6ea4seaqgur5rdxn7fi3jraw66ldxd3kjsqqkzbejvhuiix3qjqct57psuia", "piece_size": 1024,
            "provider": "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty", "label": "photo.txt",
            "start_block": 200, "end_block": 1200, "storage_price_per_block": 1000000,
            "provider_collateral": 500000000}"#,
    )
    .unwrap();
    let sr25519 = ClientKey::from_suri("//Alice", Scheme::Sr25519).unwrap();
    let proposal = input.build(&sr25519.account()).unwrap();
    let message = signed_message(&proposal, &domain, false);
    assert_eq!(hex::encode(&message), VECTOR_PAYLOAD);
    assert_eq!(
        hex::encode(signed_message(&proposal, &domain, true)),
        format!("3c42797465733e{VECTOR_PAYLOAD}3c2f42797465733e")
    );
    let deal = sign_proposal(proposal.clone(), &domain, &sr25519, false).unwrap();
    assert!(verifies(&deal.client_signature, &message, &proposal.client));
    // Ed25519 signatures are deterministic: //Alice's ed25519 key signs the vector's proposal (its
    // client being that key's account) to these bytes.
    let ed25519 = ClientKey::from_suri("//Alice", Scheme::Ed25519).unwrap();
    let proposal = input.build(&ed25519.account()).unwrap();
    let message = signed_message(&proposal, &domain, false);
    let deal = sign_proposal(proposal.clone(), &domain, &ed25519, false).unwrap();
    let ClientSignature::Ed25519(signature) = deal.client_signature else { panic!() };
    let client = hex::encode(AsRef::<[u8; 32]>::as_ref(&proposal.client));
    assert_eq!(client, "88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee");
    // The bytes of the sr25519 vector but for the client field.
    let alice_sr25519 = "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";
    assert_eq!(hex::encode(&message), VECTOR_PAYLOAD.replace(alice_sr25519, &client));
    assert!(verifies(&deal.client_signature, &message, &proposal.client));
    assert_eq!(hex::encode(signature), VECTOR_ED25519_SIGNATURE);
}

const VECTOR_PAYLOAD: &str = concat!(
    "706f6c6b612d73746f726167652f6d61726b65742f6465616c2d70726f706f73616c2f7631",
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
    "9c0181e2039220206a47b11ddbf2a369882def2c771ed499420ac8489a9e8845f704c053efdf2a20",
    "0004000000000000",
    "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d",
    "8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48",
    "2470686f746f2e747874",
    "c8000000",
    "b0040000",
    "40420f00000000000000000000000000",
    "0065cd1d000000000000000000000000",
    "00",
);
const VECTOR_ED25519_SIGNATURE: &str = concat!(
    "ee619d7526499931c0992998f27bf2e9debf94994d79c815603dba2a40da3094",
    "4c5bb4d2b744d7445b4eee46f7e27f473182b65822a737af143b80b344ecc604",
);
