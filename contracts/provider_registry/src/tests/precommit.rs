//! `pre_commit_sectors`: every check of spec §2.2 (1) in order, and the additions.

use super::*;
use polka_storage_primitives::commitment::CidError;
use polka_storage_primitives::market::MarketError;
use polka_storage_primitives::policy::{MAX_DEALS_PER_SECTOR, MAX_SECTORS_PER_CALL};
use polka_storage_primitives::registry::{RegistryFunds, SectorsPreCommitted};
use polka_storage_primitives::sector::MAX_SECTORS;

fn funded() -> Harness {
    let mut h = Harness::new();
    h.provider_with(alice(), collateral_for(40));
    h
}

#[test]
fn a_batch_locks_a_real_deposit_per_sector_and_keeps_the_ticket() {
    let mut h = funded();
    let (deposit, _) = amounts();
    assert!(deposit > 1, "a real deposit, not the original's one planck");
    let sectors = vec![cc_sector(1, h.now), deal_sector(2, h.now, &[7, 8])];
    let free = h.free(&alice());
    let events = h.pre_commit(alice(), sectors.clone()).unwrap();
    assert_eq!(
        events,
        vec![Event::SectorsPreCommitted(SectorsPreCommitted {
            owner: alice(),
            block: h.now,
            sectors,
            deposit: 2 * deposit
        })]
    );
    assert_eq!(h.free(&alice()), free - 2 * deposit);
    let state = h.state.provider(&alice()).unwrap();
    assert_eq!((state.pre_committed_sectors, state.collateral.pre_commit_deposits), (2, 2 * deposit));
    let pre_commit = h.state.pre_commit(&alice(), 2).unwrap();
    assert_eq!((pre_commit.pre_commit_block, pre_commit.pre_commit_deposit), (h.now, deposit));
    assert_eq!(
        pre_commit.seal_ticket,
        draw_for_provider(&rbase(h.now - 1), DomainSeparationTag::SealRandomness, h.now - 1, &alice())
    );
    // Both sectors' tickets come from one beacon answer (same height).
    assert_eq!(*h.peers.beacon_calls.borrow(), 1);
}

#[test]
fn the_checks_run_in_the_spec_order_with_named_errors() {
    let mut h = funded();
    let now = h.now;
    // InvalidProofType cannot arise yet: both 2 KiB seal types prove with the one PoSt type.
    h.refuses(RegistryError::NoSectors, |h| h.pre_commit(alice(), Vec::new()));
    let too_many = (0..=MAX_SECTORS_PER_CALL as u32).map(|n| cc_sector(n, now)).collect();
    h.refuses(RegistryError::TooManySectors, |h| h.pre_commit(alice(), too_many));
    h.refuses(RegistryError::StorageProviderNotFound, |h| h.pre_commit(bob(), vec![cc_sector(1, now)]));
    h.refuses(RegistryError::InvalidSectorNumber, |h| h.pre_commit(alice(), vec![cc_sector(MAX_SECTORS + 1, now)]));
    // Spec §8.3 #10: the original overwrote the first and counted the deposit twice.
    h.refuses(RegistryError::DuplicateSectorNumber, |h| {
        h.pre_commit(alice(), vec![cc_sector(3, now), cc_sector(4, now), cc_sector(3, now)])
    });
    let expiring = |expiration| SectorPreCommitInfo { expiration, ..cc_sector(1, now) };
    let activation = now + POLICY.max_prove_commit_duration;
    h.refuses(RegistryError::ExpirationBeforeActivation, |h| h.pre_commit(alice(), vec![expiring(activation - 1)]));
    h.refuses(RegistryError::ExpirationTooSoon, |h| {
        h.pre_commit(alice(), vec![expiring(activation + POLICY.min_sector_expiration - 1)])
    });
    h.refuses(RegistryError::ExpirationTooLong, |h| {
        h.pre_commit(alice(), vec![expiring(now + POLICY.max_sector_expiration)])
    });
    // Spec §8.3 #13: the ticket's height is bounded on both sides.
    let height = |seal_randomness_height| SectorPreCommitInfo { seal_randomness_height, ..cc_sector(1, now) };
    h.refuses(RegistryError::SealRandomnessInFuture, |h| h.pre_commit(alice(), vec![height(now)]));
    h.refuses(RegistryError::SealRandomnessTooOld, |h| {
        h.pre_commit(alice(), vec![height(now - POLICY.max_seal_randomness_lookback - 1)])
    });
    let oldest = height(now - POLICY.max_seal_randomness_lookback);
    // Strict CIDs: a CommD where the CommR goes, a truncated CID, trailing bytes.
    let sealed = |sealed_cid| SectorPreCommitInfo { sealed_cid, ..cc_sector(1, now) };
    let unsealed = |unsealed_cid| SectorPreCommitInfo { unsealed_cid, ..cc_sector(1, now) };
    let comm_d_cid = cc_sector(1, now).unsealed_cid;
    let mut trailing = cc_sector(1, now).sealed_cid;
    trailing.push(0);
    h.refuses(RegistryError::InvalidSealedCid(CidError::WrongCodec), |h| {
        h.pre_commit(alice(), vec![sealed(comm_d_cid.clone())])
    });
    h.refuses(RegistryError::InvalidSealedCid(CidError::TrailingBytes), |h| {
        h.pre_commit(alice(), vec![sealed(trailing)])
    });
    h.refuses(RegistryError::InvalidUnsealedCid(CidError::Truncated), |h| {
        h.pre_commit(alice(), vec![unsealed(comm_d_cid[..20].to_vec())])
    });
    let deals: Vec<DealId> = (0..=MAX_DEALS_PER_SECTOR as u64).collect();
    h.refuses(RegistryError::TooManyDeals, |h| h.pre_commit(alice(), vec![deal_sector(1, now, &deals)]));
    // The oldest allowed ticket height is accepted.
    h.pre_commit(alice(), vec![oldest]).unwrap();
    h.refuses(RegistryError::SectorNumberAlreadyUsed, |h| h.pre_commit(alice(), vec![cc_sector(1, now)]));
}

#[test]
fn comm_d_must_be_what_the_pieces_make_or_the_empty_sector() {
    let mut h = funded();
    let now = h.now;
    // Committed capacity: the original accepted any well-formed CommD.
    let mut cc = cc_sector(1, now);
    cc.unsealed_cid = commitment_to_cid(&deals_comm_d(&[1]), CommitmentKind::Unsealed);
    h.refuses(RegistryError::InvalidUnsealedCidForSector, |h| h.pre_commit(alice(), vec![cc]));
    h.peers.wrong_comm_d = true;
    h.refuses(RegistryError::InvalidUnsealedCidForSector, |h| h.pre_commit(alice(), vec![deal_sector(2, now, &[5])]));
    h.peers.wrong_comm_d = false;
    // The market's refusal comes through named.
    h.peers.market_error = Some(RegistryError::Market(MarketError::DealNotFound));
    h.refuses(RegistryError::Market(MarketError::DealNotFound), |h| {
        h.pre_commit(alice(), vec![deal_sector(2, now, &[5])])
    });
    h.peers.market_error = None;
    h.pre_commit(alice(), vec![deal_sector(2, now, &[5]), cc_sector(3, now)]).unwrap();
}

#[test]
fn the_deposit_must_be_covered_by_free_collateral() {
    let mut h = Harness::new();
    let (deposit, _) = amounts();
    h.provider_with(alice(), 2 * deposit - 1);
    let now = h.now;
    h.refuses(RegistryError::InsufficientCollateral, |h| {
        h.pre_commit(alice(), vec![cc_sector(1, now), cc_sector(2, now)])
    });
    h.pre_commit(alice(), vec![cc_sector(1, now)]).unwrap();
    assert_eq!(h.state.funds(), RegistryFunds { free: deposit - 1, locked: deposit, slashed: 0 });
}

#[test]
fn a_ticket_the_beacon_cannot_give_is_a_named_error() {
    let mut h = funded();
    let now = h.now;
    h.peers.stalled_from = Some(now - 1);
    h.refuses(RegistryError::RandomnessNotYetAvailable, |h| h.pre_commit(alice(), vec![cc_sector(1, now)]));
    h.peers.stalled_from = None;
    h.peers.pruned_before = now;
    h.refuses(RegistryError::RandomnessPruned, |h| h.pre_commit(alice(), vec![cc_sector(1, now)]));
}
