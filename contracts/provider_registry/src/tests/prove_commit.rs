//! `prove_commit_sectors`: checks of spec §2.2 (2), verification, activation, collateral and
//! the assignment to deadlines and partitions.

use super::*;
use polka_storage_primitives::market::MarketError;
use polka_storage_primitives::policy::MAX_PROVE_COMMIT_SECTORS;
use polka_storage_primitives::proofs::ProofError;
use polka_storage_primitives::randomness::derive_prover_id;
use polka_storage_primitives::registry::{RegistryFunds, SectorsProven};

/// Alice with `count` sectors pre-committed at block 100 (sector 1 holds deals 1 and 2), at
/// the first block she may prove them.
fn pre_committed(count: u32) -> Harness {
    let mut h = Harness::new();
    h.provider_with(alice(), collateral_for(count + 8));
    let now = h.now;
    let sectors = (1..=count).map(|n| if n == 1 { deal_sector(1, now, &[1, 2]) } else { cc_sector(n, now) }).collect();
    h.pre_commit(alice(), sectors).unwrap();
    h.advance(POLICY.pre_commit_challenge_delay + 1);
    h
}

#[test]
fn proving_verifies_activates_swaps_deposit_for_pledge_and_assigns_partitions() {
    let mut h = pre_committed(3);
    let (deposit, pledge) = amounts();
    let free = h.free(&alice());
    let (results, events) = h.prove(alice(), vec![proof(1), proof(2), proof(3)]).unwrap();
    // One batch of three, each with the owner's prover id, the kept ticket and the seed.
    let verified = h.peers.verified.borrow().clone();
    assert_eq!(verified.len(), 1);
    let seed_block = 100 + POLICY.pre_commit_challenge_delay;
    for seal in &verified[0] {
        assert_eq!(seal.prover_id, derive_prover_id(&alice()));
        assert_eq!(
            seal.seed,
            draw_for_provider(
                &rbase(seed_block),
                DomainSeparationTag::InteractiveSealChallengeSeed,
                seed_block,
                &alice()
            )
        );
        assert_eq!(seal.ticket, draw_for_provider(&rbase(99), DomainSeparationTag::SealRandomness, 99, &alice()));
        assert_eq!(seal.comm_r, comm_r(seal.sector_number));
    }
    // Only the sector with deals goes to the market.
    assert_eq!(h.peers.activated.borrow().len(), 1);
    assert_eq!(h.peers.activated.borrow()[0].1.iter().map(|s| s.sector_number).collect::<Vec<_>>(), vec![1]);
    // Spec §8.3 #3: the deposit comes back; the pledge is locked.
    assert_eq!(h.free(&alice()), free + 3 * deposit - 3 * pledge);
    let collateral = h.state.provider(&alice()).unwrap().collateral;
    assert_eq!((collateral.pre_commit_deposits, collateral.initial_pledges), (0, 3 * pledge));
    assert_eq!(h.state.funds().locked, 3 * pledge);
    assert_eq!(
        events,
        vec![Event::SectorsProven(SectorsProven { owner: alice(), sectors: results.clone(), pledge: 3 * pledge })]
    );
    // Before the first proving period every deadline takes sectors: the first fills its first
    // partition (2 sectors), the next sector goes to another deadline.
    let placed = placements(&results);
    assert_eq!(placed.len(), 3);
    let sector = h.state.sector(&alice(), 1).unwrap();
    assert_eq!((sector.deadline, sector.partition, sector.activation), (placed[&1].0, placed[&1].1, h.now));
    let partition = h.state.partition(&alice(), sector.deadline, sector.partition).unwrap();
    assert!(partition.sectors.contains(&1) && partition.unproven.contains(&1));
    assert!(partition.sectors.len() <= 2);
    assert!(h.state.pre_commit(&alice(), 1).is_none());
    assert_eq!(h.state.sectors_page(&alice(), 0, 10).len(), 3);
}

#[test]
fn too_early_too_late_unknown_and_malformed_are_named_and_change_nothing() {
    let mut h = pre_committed(2);
    h.refuses(RegistryError::NoSectors, |h| h.prove(alice(), Vec::new()));
    let many = (0..=MAX_PROVE_COMMIT_SECTORS as u32).map(proof).collect();
    h.refuses(RegistryError::TooManySectors, |h| h.prove(alice(), many));
    h.refuses(RegistryError::StorageProviderNotFound, |h| h.prove(bob(), vec![proof(1)]));
    h.refuses(RegistryError::PreCommitNotFound, |h| h.prove(alice(), vec![proof(9)]));
    h.refuses(RegistryError::DuplicateSectorNumber, |h| h.prove(alice(), vec![proof(1), proof(1)]));
    let short = ProveCommitSector { sector_number: 1, proof: vec![0; 191] };
    h.refuses(RegistryError::InvalidProofLength, |h| h.prove(alice(), vec![short]));
    h.at(100 + POLICY.max_prove_commit_duration);
    h.refuses(RegistryError::ProveCommitAfterDeadline, |h| h.prove(alice(), vec![proof(1)]));
}

#[test]
fn proving_before_the_challenge_delay_is_too_early() {
    let mut h = pre_committed(1);
    h.at(100 + POLICY.pre_commit_challenge_delay - 1);
    h.refuses(RegistryError::ProveCommitTooEarly, |h| h.prove(alice(), vec![proof(1)]));
}

#[test]
fn the_seed_must_be_final_before_proving() {
    let mut h = pre_committed(1);
    let seed_block = 100 + POLICY.pre_commit_challenge_delay;
    // At the seed block itself its round cannot be final yet.
    h.at(seed_block);
    h.refuses(RegistryError::RandomnessNotYetAvailable, |h| h.prove(alice(), vec![proof(1)]));
    h.advance(1);
    h.prove(alice(), vec![proof(1)]).unwrap();
}

#[test]
fn a_refused_proof_or_activation_fails_the_whole_call() {
    let mut h = pre_committed(2);
    h.peers.proof_error = Some(RegistryError::Proof(ProofError::InvalidProof));
    h.refuses(RegistryError::Proof(ProofError::InvalidProof), |h| h.prove(alice(), vec![proof(1), proof(2)]));
    h.peers.proof_error = None;
    // Spec §8.3 #9: the original skipped the sector's deals and activated it anyway.
    h.peers.activation_error = Some(RegistryError::Market(MarketError::DealNotPending));
    h.refuses(RegistryError::Market(MarketError::DealNotPending), |h| h.prove(alice(), vec![proof(1), proof(2)]));
    assert!(h.state.pre_commit(&alice(), 1).is_some() && h.state.pre_commit(&alice(), 2).is_some());
    h.peers.activation_error = None;
    h.prove(alice(), vec![proof(1), proof(2)]).unwrap();
}

#[test]
fn the_pledge_must_be_covered() {
    let mut h = Harness::new();
    let (deposit, pledge) = amounts();
    h.provider_with(alice(), deposit);
    h.pre_commit(alice(), vec![cc_sector(1, h.now)]).unwrap();
    h.advance(POLICY.pre_commit_challenge_delay + 1);
    h.refuses(RegistryError::InsufficientCollateral, |h| h.prove(alice(), vec![proof(1)]));
    h.state.add_collateral(alice(), pledge - deposit).unwrap();
    h.prove(alice(), vec![proof(1)]).unwrap();
    assert_eq!(h.state.funds(), RegistryFunds { free: 0, locked: pledge, slashed: 0 });
}

#[test]
fn after_the_period_starts_only_mutable_deadlines_take_sectors() {
    let mut h = Harness::new();
    h.provider_with(alice(), collateral_for(12));
    let start = h.state.provider(&alice()).unwrap().proving_period_start;
    // Inside the first period, deadline 0 open: deadlines 0 (open) and 1 (next) are immutable.
    h.at(start + 1);
    let now = h.now;
    let sectors: Vec<_> = (1..=6).map(|n| cc_sector(n, now)).collect();
    h.pre_commit(alice(), sectors).unwrap();
    h.advance(POLICY.pre_commit_challenge_delay + 1);
    let (results, _) = h.prove(alice(), (1..=6).map(proof).collect()).unwrap();
    let current = polka_storage_primitives::deadline::current_deadline(start, h.now, &POLICY).unwrap().index;
    for result in &results {
        assert!(
            polka_storage_primitives::deadline::deadline_is_mutable(start, result.deadline, h.now, &POLICY),
            "sector {} went to deadline {} while {current} is open",
            result.sector_number,
            result.deadline
        );
    }
    // Partitions fill in order: no partition holds more than 2, numbers are dense.
    let loads = h.state.provider(&alice()).unwrap().deadlines;
    assert_eq!(loads.iter().map(|l| l.total_sectors).sum::<u32>(), 6);
}

#[test]
fn the_worker_proves_with_the_owners_prover_id() {
    let mut h = pre_committed(1);
    h.state.change_worker(alice(), worker()).unwrap();
    h.prove(worker(), vec![proof(1)]).unwrap();
    assert_eq!(h.peers.verified.borrow()[0][0].prover_id, derive_prover_id(&alice()));
}
