//! Client signatures on the sandbox chain, where the unstable sr25519 host function is absent:
//! sr25519 and ed25519 are verified in the contract's Wasm, ecdsa with `ecdsa_recover`. A wrong
//! key, a changed proposal or a wrong wrapper is rejected with its named error and no change.

mod market_support;
use market_support::*;
use polka_storage_primitives::commitment::CidError;

fn impostor(kind_of: &Client) -> Client {
    let kind = match kind_of {
        Client::Sr25519(_) => KeyKind::Sr25519,
        Client::Ed25519(_) => KeyKind::Ed25519,
        Client::Ecdsa(_) => KeyKind::Ecdsa,
    };
    Client::new(kind, "//Mallory")
}

#[test]
fn a_signature_from_the_wrong_key_is_rejected() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let provider = m.provider.clone();
    for i in 0..3 {
        let p = m.proposal(i, 1, (10, 20), 5, 15);
        for forged in [
            impostor(&m.clients[i]).sign_deal(&m.sandbox.domain, p.clone()),
            impostor(&m.clients[i]).sign_deal_wrapped(&m.sandbox.domain, p.clone()),
        ] {
            expect_error(&mut m.sandbox, MarketError::WrongClientSignatureOnProposal, |s| {
                s.publish(&provider, &[forged])
            })?;
        }
        // Another client's valid signature of its own copy does not carry over.
        let other = (i + 1) % 3;
        let mut stolen = m.signed(other, 1, (10, 20), 5, 15);
        stolen.proposal.client = id(&m.client(i));
        expect_error(&mut m.sandbox, MarketError::WrongClientSignatureOnProposal, |s| s.publish(&provider, &[stolen]))?;
    }
    Ok(())
}

/// Issue 14 #2: the signed message was the bare SCALE of the proposal, so a deal signed for one
/// market published on every other one where the client had funds. Each market has its own
/// domain, drawn at instantiation.
#[test]
fn a_signature_for_another_market_is_refused() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let mut other = Market::new()?;
    assert_ne!(m.sandbox.domain, other.sandbox.domain);
    let provider = m.provider.clone();
    for i in 0..3 {
        let p = m.proposal(i, 1, (10, 20), 5, 15);
        let scale = scale::Encode::encode(&p);
        let client = &m.clients[i];
        let foreign = [
            other.sandbox.sign(client, p.clone()),
            other.sandbox.sign_wrapped(client, p.clone()),
            // The message before domains, and the tag without a domain.
            ClientDealProposal { client_signature: client.sign(&scale), proposal: p.clone() },
            ClientDealProposal { client_signature: client.sign(&wrap_bytes(&scale)), proposal: p.clone() },
            ClientDealProposal {
                client_signature: client.sign(&[DEAL_SIGNING_TAG, &scale].concat()),
                proposal: p.clone(),
            },
        ];
        for deal in foreign {
            expect_error(&mut m.sandbox, MarketError::WrongClientSignatureOnProposal, |s| {
                s.publish(&provider, &[deal])
            })?;
        }
        // On its own market the same signature is good.
        let theirs = other.sandbox.sign(&other.clients[i], p.clone());
        assert_eq!(other.publish_ok(&[theirs])?, vec![i as DealId]);
    }
    Ok(())
}

#[test]
fn a_proposal_changed_after_signing_is_rejected() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let provider = m.provider.clone();
    type Change = (&'static str, fn(&mut DealProposal));
    let changes: [Change; 4] = [
        ("price", |p| p.storage_price_per_block -= 1),
        ("collateral", |p| p.provider_collateral -= 1),
        ("end block", |p| p.end_block += 1),
        ("label", |p| p.label.push(b'!')),
    ];
    for i in 0..3 {
        for (what, change) in changes {
            let mut deal = m.signed(i, 1, (10, 20), 5, 15);
            change(&mut deal.proposal);
            println!("client {i}: {what}");
            let good = m.signed((i + 1) % 3, 2, (10, 20), 5, 15);
            expect_error(&mut m.sandbox, MarketError::WrongClientSignatureOnProposal, |s| {
                s.publish(&provider, &[good, deal])
            })?;
        }
    }
    Ok(())
}

#[test]
fn a_wrong_wrapper_is_rejected() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let provider = m.provider.clone();
    for i in 0..3 {
        let p = m.proposal(i, 1, (10, 20), 5, 15);
        let payload = p.signing_payload(&m.sandbox.domain);
        for wrapped in [
            [b"<bytes>", &payload[..], b"</bytes>"].concat(),
            [b"<Bytes>", &payload[..]].concat(),
            [&payload[..], b"</Bytes>"].concat(),
            [b"<Bytes>", &payload[..], b"</Bytes>", b"\n"].concat(),
            [b"<Bytes>", &wrap_bytes(&payload)[..], b"</Bytes>"].concat(),
        ] {
            let deal = ClientDealProposal { client_signature: m.clients[i].sign(&wrapped), proposal: p.clone() };
            expect_error(&mut m.sandbox, MarketError::WrongClientSignatureOnProposal, |s| {
                s.publish(&provider, &[deal])
            })?;
        }
    }
    Ok(())
}

#[test]
fn a_batch_mixing_raw_and_wrapped_signatures_of_every_kind_verifies() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let deals: Vec<_> = (0..12u32)
        .map(|n| {
            let i = n as usize % 3;
            let p = m.proposal(i, n, (10, 20), 1, 1);
            if n % 2 == 0 {
                m.sandbox.sign(&m.clients[i], p)
            } else {
                m.sandbox.sign_wrapped(&m.clients[i], p)
            }
        })
        .collect();
    assert_eq!(m.publish_ok(&deals)?.len(), 12);
    Ok(())
}

/// The signatures of a call are verified as one batch, yet the error is the one the spec's
/// deal-by-deal order gives.
#[test]
fn errors_keep_the_spec_order_despite_batch_verification() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let provider = m.provider.clone();
    let good = m.signed(0, 1, (10, 20), 5, 15);
    let mut bad_signature = m.signed(1, 2, (10, 20), 5, 15);
    bad_signature.proposal.label = b"changed".to_vec();
    let mut bad_cid = m.proposal(2, 3, (10, 20), 5, 15);
    bad_cid.piece_cid.pop();
    let bad_cid = m.sandbox.sign(&m.clients[2], bad_cid);
    let cid_error = MarketError::InvalidPieceCid(CidError::Truncated);
    let signature_error = MarketError::WrongClientSignatureOnProposal;
    expect_error(&mut m.sandbox, signature_error, |s| {
        s.publish(&provider, &[good.clone(), bad_signature.clone(), bad_cid.clone()])
    })?;
    expect_error(&mut m.sandbox, cid_error, |s| s.publish(&provider, &[good, bad_cid, bad_signature]))?;
    Ok(())
}
