//! `verify_deals_for_activation` and `activate_deals`.

use super::*;
use polka_storage_primitives::commitment::{
    cid_to_commitment, compute_unsealed_sector_commitment, CommDError, PaddedPieceSize, PieceInfo,
};
use polka_storage_primitives::market::{ActiveDealState, DealActivated};
use polka_storage_primitives::policy::{MAX_DEALS_PER_SECTOR, MAX_SECTORS_PER_CALL};

/// A market with deals of the given piece sizes published (blocks 10..20, price 1, collateral 1).
fn published(sizes: &[u64]) -> (Harness, Signer, Vec<DealId>) {
    let mut h = Harness::new();
    let client = Signer::sr25519("//Alice");
    h.deposit(client.account(), 10_000);
    h.deposit(provider(), 10_000);
    let deals: Vec<_> = sizes
        .iter()
        .enumerate()
        .map(|(i, size)| {
            let mut p = proposal(&client, 10, 20, 1, 1, i as u8);
            p.piece_size = *size;
            client.sign_deal(p)
        })
        .collect();
    let ids = if deals.is_empty() { Vec::new() } else { h.publish(&deals).unwrap() };
    (h, client, ids)
}

#[test]
fn verification_returns_the_commd_of_each_sectors_pieces_in_order() {
    let (h, _, ids) = published(&[512, 128, 1024]);
    let sectors = [sector(1, 30, &[ids[1], ids[0], ids[2]]), sector(2, 30, &[])];
    let comm_ds = h.state.verify_deals_for_activation(&provider(), 5, &sectors).unwrap();
    let pieces: Vec<PieceInfo> = [(1u8, 128u64), (0, 512), (2, 1024)]
        .iter()
        .map(|(seed, size)| PieceInfo {
            commitment: cid_to_commitment(&piece_cid(*seed), CommitmentKind::Unsealed).unwrap(),
            size: PaddedPieceSize::new(*size).unwrap(),
        })
        .collect();
    let expected = compute_unsealed_sector_commitment(PaddedPieceSize::new(2048).unwrap(), &pieces).unwrap();
    assert_eq!(comm_ds, vec![Some(expected), None]);
    h.check_state_invariants();
}

#[test]
fn activation_marks_deals_active_in_their_sector() {
    let (mut h, client, ids) = published(&[128, 128, 128]);
    h.now = 10;
    h.activate(&[sector(7, 30, &[ids[0], ids[2]]), sector(8, 30, &[ids[1]]), sector(9, 30, &[])]).unwrap();
    for (deal_id, sector_number) in [(ids[0], 7), (ids[2], 7), (ids[1], 8)] {
        let DealLookup::Live(deal) = h.state.deal(deal_id) else { panic!() };
        assert_eq!(
            deal.state,
            DealState::Active(ActiveDealState {
                sector_number,
                sector_start_block: 10,
                last_updated_block: None,
                slash_block: None
            })
        );
        assert!(h.events.contains(&Event::DealActivated(DealActivated {
            deal_id,
            client: client.account(),
            provider: provider(),
            sector_number
        })));
    }
    assert_eq!(h.state.sector_deals(&provider(), 7), vec![ids[0], ids[2]]);
    assert_eq!(h.state.sector_deals(&provider(), 9), Vec::<DealId>::new());
    assert_eq!(h.state.pending_deals(&provider()), 0);
    h.check_state_invariants();
}

#[test]
fn every_activation_error_is_named_and_changes_nothing() {
    let (mut h, client, ids) = published(&[1024, 1024, 128, 128]);
    // A deal of another provider.
    h.deposit(other_provider(), 100);
    let mut theirs = proposal(&client, 10, 20, 1, 1, 9);
    theirs.provider = other_provider();
    let theirs = h.publish_as(other_provider(), &[client.sign_deal(theirs)]).unwrap()[0];
    // An active deal.
    h.now = 10;
    h.activate(&[sector(1, 30, &[ids[3]])]).unwrap();

    let too_many_sectors: Vec<_> = (0..=MAX_SECTORS_PER_CALL as u32).map(|n| sector(100 + n, 30, &[])).collect();
    let cases: Vec<(Vec<SectorDeal>, MarketError)> = vec![
        (too_many_sectors, MarketError::TooManySectors),
        (vec![sector(2, 30, &[]), sector(2, 30, &[])], MarketError::SectorAlreadyActivated),
        (vec![sector(1, 30, &[ids[2]])], MarketError::SectorAlreadyActivated),
        (vec![sector(2, 30, &[ids[2]; MAX_DEALS_PER_SECTOR + 1])], MarketError::TooManyDealsInSector),
        (vec![sector(2, 30, &[ids[2], ids[2]])], MarketError::DuplicateDeal),
        // Spec §8.3 #9: the same deal in two sectors.
        (vec![sector(2, 30, &[ids[2]]), sector(3, 30, &[ids[2]])], MarketError::DuplicateDeal),
        (vec![sector(2, 30, &[99])], MarketError::DealNotFound),
        (vec![sector(2, 30, &[theirs])], MarketError::InvalidProvider),
        (vec![sector(2, 30, &[ids[3]])], MarketError::InvalidDealState),
        (vec![sector(2, 19, &[ids[2]])], MarketError::SectorExpiresBeforeDeal),
        (vec![sector(2, 30, &[ids[0], ids[1], ids[2]])], MarketError::DealsTooLargeToFitIntoSector),
    ];
    for (sectors, error) in cases {
        assert_eq!(h.state.verify_deals_for_activation(&provider(), h.now, &sectors), Err(error));
        h.expect_error(error, |h| h.activate(&sectors));
    }
    // Past the start block (spec §8.3 #9: a deal that timed out between pre-commit and
    // prove-commit fails the activation; the original skipped it and activated the sector).
    h.now = 11;
    let sectors = [sector(2, 30, &[ids[2]])];
    assert_eq!(h.state.verify_deals_for_activation(&provider(), h.now, &sectors), Err(MarketError::StartBlockElapsed));
    h.expect_error(MarketError::StartBlockElapsed, |h| h.activate(&sectors));
    h.check_state_invariants();
}

#[test]
fn pieces_that_fit_by_size_but_not_by_alignment_fail_commd() {
    let (mut h, client, _) = published(&[]);
    let deals: Vec<_> = [(1u8, 128u64), (2, 1024), (3, 512)]
        .iter()
        .map(|(seed, size)| {
            let mut p = proposal(&client, 10, 20, 1, 1, *seed);
            p.piece_size = *size;
            client.sign_deal(p)
        })
        .collect();
    let ids = h.publish(&deals).unwrap();
    // 128 + 1024 + 512 = 1664 bytes, but 128 at 0 pushes the 1024 piece to 1024 and the 512
    // piece past the end.
    let sectors = [sector(1, 30, &ids)];
    let error = MarketError::CommD(CommDError::PiecesDoNotFit);
    assert_eq!(h.state.verify_deals_for_activation(&provider(), 5, &sectors), Err(error));
    h.expect_error(error, |h| h.activate(&sectors));
    h.check_state_invariants();
}

#[test]
fn a_published_deal_that_is_not_pending_is_rejected() {
    // Cannot happen through the messages (published ⇔ pending); the check guards the books.
    let (mut h, _, ids) = published(&[128]);
    let DealLookup::Live(deal) = h.state.deal(ids[0]) else { panic!() };
    h.state.deals.unmark_pending(&deal.hash());
    let sectors = [sector(1, 30, &ids)];
    assert_eq!(h.state.verify_deals_for_activation(&provider(), 5, &sectors), Err(MarketError::DealNotPending));
    assert_eq!(h.activate(&sectors), Err(MarketError::DealNotPending));
}
