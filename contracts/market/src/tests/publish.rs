//! `publish_storage_deals`: success, and every error in the spec's order.

use super::*;
use polka_storage_primitives::commitment::CidError;
use polka_storage_primitives::market::{wrap_bytes, ActiveDealState, DealsPublished, PublishedDeal, DEAL_SIGNING_TAG};
use polka_storage_primitives::policy::{MAX_DEALS_PER_PUBLISH, MAX_PENDING_DEALS_PER_PROVIDER};

/// A funded client of each signature kind and a funded provider.
fn funded() -> (Harness, Vec<Signer>) {
    let mut h = Harness::new();
    let clients = vec![Signer::sr25519("//Alice"), Signer::ed25519("//Bob"), Signer::ecdsa("//Charlie")];
    for client in &clients {
        h.deposit(client.account(), 1_000);
    }
    h.deposit(provider(), 1_000);
    (h, clients)
}

#[test]
fn publishing_locks_fees_and_collateral_and_lists_the_deals() {
    let (mut h, clients) = funded();
    let deals: Vec<_> = clients
        .iter()
        .enumerate()
        .map(|(i, client)| client.sign_deal(proposal(client, 10, 20, 5, 15, i as u8)))
        .collect();
    assert_eq!(h.publish(&deals), Ok(vec![0, 1, 2]));
    assert_eq!(
        h.events.last(),
        Some(&Event::DealsPublished(DealsPublished {
            provider: provider(),
            deals: clients
                .iter()
                .enumerate()
                .map(|(i, c)| PublishedDeal { client: c.account(), deal_id: i as u64 })
                .collect(),
        }))
    );
    for client in &clients {
        assert_eq!((h.free(&client.account()), h.locked(&client.account())), (950, 50));
        assert_eq!(h.state.deals_of(Party::Client, &client.account(), 0, 10).total, 1);
    }
    assert_eq!((h.free(&provider()), h.locked(&provider())), (955, 45));
    assert_eq!(h.state.pending_deals(&provider()), 3);
    let page = h.state.deals_of(Party::Provider, &provider(), 1, 1);
    assert_eq!(page.total, 3);
    assert_eq!(page.deals.len(), 1);
    assert_eq!(page.deals[0].deal_id, 1);
    assert_eq!(page.deals[0].deal, DealLookup::Live(deals[1].proposal.clone()));
    assert_eq!(h.state.deal(3), DealLookup::Unknown);
    h.check_state_invariants();
}

#[test]
fn a_polkadot_js_wrapped_signature_is_accepted_for_every_kind() {
    let (mut h, clients) = funded();
    let deals: Vec<_> = clients
        .iter()
        .enumerate()
        .map(|(i, client)| {
            let proposal = proposal(client, 10, 20, 5, 15, i as u8);
            let client_signature = client.sign(&wrap_bytes(&proposal.signing_payload(&DOMAIN)));
            ClientDealProposal { proposal, client_signature }
        })
        .collect();
    assert_eq!(h.publish(&deals), Ok(vec![0, 1, 2]));
    h.check_state_invariants();
}

#[test]
fn a_provider_may_be_its_own_client() {
    let mut h = Harness::new();
    let both = Signer::sr25519("//Provider");
    h.deposit(both.account(), 65);
    let mut own = proposal(&both, 10, 20, 5, 15, 1);
    own.provider = both.account();
    assert_eq!(h.publish_as(both.account(), &[both.sign_deal(own.clone())]), Ok(vec![0]));
    assert_eq!((h.free(&both.account()), h.locked(&both.account())), (0, 65));
    // Both lockups together count against the one free balance.
    let mut more = own;
    more.label = b"another".to_vec();
    h.expect_error(MarketError::InsufficientFreeFunds, |h| h.publish_as(both.account(), &[both.sign_deal(more)]));
    h.check_state_invariants();
}

#[test]
fn empty_and_oversized_batches_are_rejected() {
    let (mut h, clients) = funded();
    h.expect_error(MarketError::NoProposalsToBePublished, |h| h.publish(&[]));
    let deals: Vec<_> = (0..=MAX_DEALS_PER_PUBLISH as u8)
        .map(|i| clients[0].sign_deal(proposal(&clients[0], 10, 12, 1, 1, i)))
        .collect();
    h.expect_error(MarketError::TooManyProposals, |h| h.publish(&deals));
    h.check_state_invariants();
}

#[test]
fn every_deal_must_be_the_callers() {
    let (mut h, clients) = funded();
    let first = clients[0].sign_deal(proposal(&clients[0], 10, 20, 5, 15, 1));
    h.expect_error(MarketError::ProposalsPublishedByIncorrectStorageProvider, |h| {
        h.publish_as(other_provider(), &[first.clone()])
    });
    let mut second = proposal(&clients[1], 10, 20, 5, 15, 2);
    second.provider = other_provider();
    let second = clients[1].sign_deal(second);
    h.expect_error(MarketError::ProposalsPublishedByIncorrectStorageProvider, |h| h.publish(&[first, second]));
    h.check_state_invariants();
}

/// Each malformed proposal, properly signed, with the error it gets.
fn malformed(client: &Signer, now: BlockNumber) -> Vec<(DealProposal, MarketError)> {
    let base = proposal(client, 10, 20, 5, 15, 1);
    let with = |change: &dyn Fn(&mut DealProposal)| {
        let mut p = base.clone();
        change(&mut p);
        p
    };
    let mut short_digest = piece_cid(1);
    short_digest[6] = 31;
    short_digest.pop();
    vec![
        (with(&|p| p.piece_cid = short_digest.clone()), MarketError::InvalidPieceCid(CidError::WrongDigestLength)),
        (with(&|p| p.piece_cid.truncate(20)), MarketError::InvalidPieceCid(CidError::Truncated)),
        (with(&|p| p.piece_cid = vec![]), MarketError::InvalidPieceCid(CidError::Truncated)),
        (with(&|p| p.piece_cid[1] = 0x82), MarketError::InvalidPieceCid(CidError::WrongCodec)),
        (with(&|p| p.piece_cid.push(0)), MarketError::InvalidPieceCid(CidError::TrailingBytes)),
        (with(&|p| p.piece_cid = vec![0xff; 12]), MarketError::InvalidPieceCid(CidError::MalformedVarint)),
        (with(&|p| p.piece_size = 100), MarketError::InvalidPieceSize),
        (with(&|p| p.piece_size = 384), MarketError::InvalidPieceSize),
        (with(&|p| p.label = vec![b'x'; 129]), MarketError::LabelTooLong),
        (with(&|p| p.end_block = p.start_block), MarketError::DealEndBeforeStart),
        (
            with(&|p| {
                p.start_block = now - 1;
                p.end_block = now + 10
            }),
            MarketError::DealStartExpired,
        ),
        (
            with(&|p| {
                p.state = DealState::Active(ActiveDealState {
                    sector_number: 1,
                    sector_start_block: 10,
                    last_updated_block: None,
                    slash_block: None,
                })
            }),
            MarketError::DealNotPublished,
        ),
        (with(&|p| p.end_block = p.start_block + 1), MarketError::DealDurationOutOfBounds),
        (with(&|p| p.end_block = p.start_block + 31), MarketError::DealDurationOutOfBounds),
        (with(&|p| p.storage_price_per_block = 101), MarketError::InsufficientFreeFunds),
        (with(&|p| p.provider_collateral = 1_001), MarketError::InsufficientFreeFunds),
        (with(&|p| p.storage_price_per_block = Balance::MAX), MarketError::ArithmeticOverflow),
    ]
}

#[test]
fn every_malformed_proposal_gets_its_named_error_and_changes_nothing() {
    let (mut h, clients) = funded();
    h.now = 5;
    for (bad, error) in malformed(&clients[0], h.now) {
        let good = clients[1].sign_deal(proposal(&clients[1], 10, 20, 5, 15, 9));
        let bad = clients[0].sign_deal(bad);
        h.expect_error(error, |h| h.publish(&[bad.clone()]));
        // After a good deal too: all or nothing.
        h.expect_error(error, |h| h.publish(&[good, bad]));
    }
    h.check_state_invariants();
}

#[test]
fn fees_and_collateral_are_checked_cumulatively_over_the_batch() {
    let mut h = Harness::new();
    let client = Signer::sr25519("//Alice");
    h.deposit(client.account(), 100);
    h.deposit(provider(), 40);
    let deal = |seed, price, collateral| client.sign_deal(proposal(&client, 10, 20, price, collateral, seed));
    // Fees 50 + 60 > 100.
    h.expect_error(MarketError::InsufficientFreeFunds, |h| h.publish(&[deal(1, 5, 1), deal(2, 6, 1)]));
    // Collateral 20 + 21 > 40.
    h.expect_error(MarketError::InsufficientFreeFunds, |h| h.publish(&[deal(1, 1, 20), deal(2, 1, 21)]));
    assert_eq!(h.publish(&[deal(1, 5, 20), deal(2, 5, 20)]), Ok(vec![0, 1]));
    assert_eq!((h.free(&client.account()), h.free(&provider())), (0, 0));
    h.check_state_invariants();
}

#[test]
fn a_duplicate_deal_is_rejected_in_the_batch_and_once_pending() {
    let (mut h, clients) = funded();
    let deal = clients[0].sign_deal(proposal(&clients[0], 10, 20, 5, 15, 1));
    h.expect_error(MarketError::DuplicateDeal, |h| h.publish(&[deal.clone(), deal.clone()]));
    assert_eq!(h.publish(&[deal.clone()]), Ok(vec![0]));
    h.expect_error(MarketError::DuplicateDeal, |h| h.publish(&[deal]));
    h.check_state_invariants();
}

/// Spec §8.3 #11: the original's pending set was global, so one provider could block all.
#[test]
fn the_pending_limit_is_per_provider() {
    let mut h = Harness::new();
    let client = Signer::sr25519("//Alice");
    h.deposit(client.account(), 1_000_000);
    h.deposit(provider(), 1_000);
    h.deposit(other_provider(), 1_000);
    let mut seed: u32 = 0;
    let mut next = |provider: AccountId| {
        seed += 1;
        let mut p = proposal(&client, 10, 12, 1, 1, 1);
        p.label = seed.to_le_bytes().to_vec();
        p.provider = provider;
        client.sign_deal(p)
    };
    for _ in 0..MAX_PENDING_DEALS_PER_PROVIDER / MAX_DEALS_PER_PUBLISH as u32 {
        let batch: Vec<_> = (0..MAX_DEALS_PER_PUBLISH).map(|_| next(provider())).collect();
        h.publish(&batch).unwrap();
    }
    assert_eq!(h.state.pending_deals(&provider()), MAX_PENDING_DEALS_PER_PROVIDER);
    let one_more = next(provider());
    h.expect_error(MarketError::TooManyPendingDeals, |h| h.publish(&[one_more]));
    // Another provider is not affected.
    let theirs = next(other_provider());
    assert_eq!(h.publish_as(other_provider(), &[theirs]).map(|ids| ids.len()), Ok(1));
    h.check_state_invariants();
}

/// Batch verification keeps the spec's order: a deal's signature is checked before its other
/// checks, and deal by deal.
#[test]
fn errors_come_in_the_spec_order_despite_batch_verification() {
    let (mut h, clients) = funded();
    let good = clients[0].sign_deal(proposal(&clients[0], 10, 20, 5, 15, 1));
    let mut bad_signature = clients[1].sign_deal(proposal(&clients[1], 10, 20, 5, 15, 2));
    bad_signature.proposal.label = b"changed".to_vec();
    let mut bad_cid = proposal(&clients[2], 10, 20, 5, 15, 3);
    bad_cid.piece_cid.pop();
    let bad_cid = clients[2].sign_deal(bad_cid);
    let cid_error = MarketError::InvalidPieceCid(CidError::Truncated);
    let signature_error = MarketError::WrongClientSignatureOnProposal;
    h.expect_error(signature_error, |h| h.publish(&[good.clone(), bad_signature.clone(), bad_cid.clone()]));
    h.expect_error(cid_error, |h| h.publish(&[good.clone(), bad_cid.clone(), bad_signature.clone()]));
    // A bad signature and a bad CID in the same deal: the signature comes first.
    let mut both = bad_cid.clone();
    both.proposal.label = b"changed".to_vec();
    h.expect_error(signature_error, |h| h.publish(&[good, both]));
    h.check_state_invariants();
}

/// Activated deals of `client` with [`provider`], one per `(seed, start)`, activated at block 5
/// in 2 KiB sectors of up to 16 deals (numbered from `first_sector`).
fn activated(h: &mut Harness, client: &Signer, deals: &[(u8, BlockNumber)], first_sector: SectorNumber) -> Vec<DealId> {
    let signed: Vec<_> =
        deals.iter().map(|(seed, start)| client.sign_deal(proposal(client, *start, start + 10, 1, 1, *seed))).collect();
    let mut ids = Vec::new();
    for batch in signed.chunks(MAX_DEALS_PER_PUBLISH) {
        ids.extend(h.publish(batch).unwrap());
    }
    h.now = 5;
    let sectors: Vec<_> = ids
        .chunks(16)
        .zip(first_sector..)
        .map(|(deal_ids, sector_number)| sector(sector_number, 100, deal_ids))
        .collect();
    h.activate(&sectors).unwrap();
    ids
}

/// Issue 14 #1: activation took the proposal off the pending set, so the provider could publish
/// the same signed proposal again before its start block and charge the client twice.
#[test]
fn a_signed_deal_is_published_once_even_after_activation() {
    let (mut h, clients) = funded();
    let deal = clients[0].sign_deal(proposal(&clients[0], 10, 20, 5, 15, 1));
    assert_eq!(h.publish(&[deal.clone()]), Ok(vec![0]));
    h.now = 5;
    h.activate(&[sector(1, 30, &[0])]).unwrap();
    assert_eq!(h.state.pending_deals(&provider()), 0);
    let locked = h.locked(&clients[0].account());
    h.expect_error(MarketError::DuplicateDeal, |h| h.publish(&[deal.clone()]));
    // Up to and including its start block.
    h.now = 10;
    h.expect_error(MarketError::DuplicateDeal, |h| h.publish(&[deal.clone()]));
    assert_eq!(h.locked(&clients[0].account()), locked);
    // After it, the proposal is refused for its start anyway.
    h.now = 11;
    h.expect_error(MarketError::DealStartExpired, |h| h.publish(&[deal]));
    h.check_state_invariants();
}

#[test]
fn consumed_markers_are_pruned_once_their_start_block_has_passed() {
    let mut h = Harness::new();
    let client = Signer::sr25519("//Alice");
    h.deposit(client.account(), 10_000);
    h.deposit(provider(), 10_000);
    let ids = activated(&mut h, &client, &[(1, 10), (2, 12)], 1);
    let hash = |deal_id| match h.state.deal(deal_id) {
        DealLookup::Live(mut deal) => {
            deal.state = DealState::Published;
            deal.hash()
        }
        other => panic!("{other:?}"),
    };
    let (first, second) = (hash(ids[0]), hash(ids[1]));
    assert_eq!((h.state.deals.consumed_marker(&first), h.state.deals.consumed_marker(&second)), (Some(10), Some(12)));
    h.check_state_invariants();
    // A publish at 11 drops the marker of the deal that started at 10, not the other.
    h.now = 11;
    h.publish(&[client.sign_deal(proposal(&client, 20, 25, 1, 1, 3))]).unwrap();
    assert_eq!((h.state.deals.consumed_marker(&first), h.state.deals.consumed_marker(&second)), (None, Some(12)));
    assert_eq!(h.state.deals.consumed_count(), 1);
    h.check_state_invariants();
    // A failed publish changes nothing, pruning included.
    h.now = 13;
    let late = client.sign_deal(proposal(&client, 12, 22, 1, 1, 2));
    h.expect_error(MarketError::DealStartExpired, |h| h.publish(&[late]));
    assert_eq!(h.state.deals.consumed_marker(&second), Some(12));
    h.publish(&[client.sign_deal(proposal(&client, 20, 25, 1, 1, 4))]).unwrap();
    assert_eq!(h.state.deals.consumed_count(), 0);
    h.check_state_invariants();
}

#[test]
fn one_publish_prunes_at_most_as_many_markers_as_it_may_publish() {
    let mut h = Harness::new();
    let client = Signer::sr25519("//Alice");
    h.deposit(client.account(), 100_000);
    h.deposit(provider(), 100_000);
    let deals: Vec<(u8, BlockNumber)> = (0..MAX_DEALS_PER_PUBLISH as u8 + 3).map(|seed| (seed, 10)).collect();
    activated(&mut h, &client, &deals, 1);
    assert_eq!(h.state.deals.consumed_count(), MAX_DEALS_PER_PUBLISH as u64 + 3);
    h.now = 11;
    h.publish(&[client.sign_deal(proposal(&client, 20, 25, 1, 1, 200))]).unwrap();
    assert_eq!(h.state.deals.consumed_count(), 3);
    h.publish(&[client.sign_deal(proposal(&client, 20, 25, 1, 1, 201))]).unwrap();
    assert_eq!(h.state.deals.consumed_count(), 0);
    h.check_state_invariants();
}

/// Issue 14 #2: the signed message was the bare SCALE of the proposal, valid on every market.
#[test]
fn a_signature_for_another_domain_or_without_the_tag_is_refused() {
    let (mut h, clients) = funded();
    for client in &clients {
        let p = proposal(client, 10, 20, 5, 15, 1);
        let elsewhere = client.sign_deal_for(&[0xd1; 32], p.clone());
        h.expect_error(MarketError::WrongClientSignatureOnProposal, |h| h.publish(&[elsewhere]));
        let scale = scale::Encode::encode(&p);
        for message in [
            scale.clone(),
            wrap_bytes(&scale),
            [&DOMAIN[..], &scale].concat(),
            wrap_bytes(&p.signing_payload(&[0xd1; 32])),
            [DEAL_SIGNING_TAG, &scale].concat(),
        ] {
            let signed = ClientDealProposal { client_signature: client.sign(&message), proposal: p.clone() };
            h.expect_error(MarketError::WrongClientSignatureOnProposal, |h| h.publish(&[signed]));
        }
        // The same proposal signed for this market's domain is accepted.
        let here = client.sign_deal_for(&h.state.domain(), p);
        h.publish(&[here]).unwrap();
    }
    h.check_state_invariants();
}

#[test]
fn a_market_without_a_drawn_domain_is_refused() {
    assert_eq!(MarketState::new(MOCK_POLICY, [0; 32]).map(|_| ()), Err(MarketError::InvalidDomain));
    assert_eq!(MarketState::new(MOCK_POLICY, DOMAIN).map(|state| state.domain()), Ok(DOMAIN));
}

#[test]
fn only_a_registered_provider_publishes_and_the_registry_is_asked_first() {
    let (mut h, clients) = funded();
    let deal = clients[0].sign_deal(proposal(&clients[0], 10, 20, 5, 15, 0));
    h.peers.unregistered.push(provider());
    h.expect_error(MarketError::StorageProviderNotRegistered, |h| h.publish(&[deal.clone()]));
    // Before any check of the deals: even an empty call learns only that the caller is unknown.
    h.expect_error(MarketError::StorageProviderNotRegistered, |h| h.publish(&[]));
    h.peers.wired = false;
    h.expect_error(MarketError::RegistryNotSet, |h| h.publish(&[deal.clone()]));
    h.peers = FakePeers { wired: true, unregistered: Vec::new() };
    assert_eq!(h.publish(&[deal]), Ok(vec![0]));
    h.check_state_invariants();
}
