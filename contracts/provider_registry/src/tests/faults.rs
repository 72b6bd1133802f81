//! Declared faults and recoveries, fault fees (FIP-0002) and verified recoveries (FIP-0010).

use super::*;
use polka_storage_primitives::deadline::DeadlineInfo;
use polka_storage_primitives::registry::{FeesCharged, SectorDeclaration};

const GOOD: u8 = 0x60;

/// Alice with sectors 1 and 2 proven into one partition, proven once (they have power).
fn powered() -> (Harness, u32, u32) {
    let mut h = Harness::new();
    h.provider_with(alice(), collateral_for(6));
    let now = h.now;
    h.pre_commit(alice(), vec![cc_sector(1, now), cc_sector(2, now)]).unwrap();
    h.advance(POLICY.pre_commit_challenge_delay + 1);
    let (results, _) = h.prove(alice(), vec![proof(1), proof(2)]).unwrap();
    assert_eq!((results[0].deadline, results[0].partition), (results[1].deadline, results[1].partition));
    let (deadline, partition) = (results[0].deadline, results[0].partition);
    let info = info(&h, deadline);
    h.at(info.open_at);
    post(&mut h, deadline, partition, GOOD).unwrap();
    h.at(info.close_at);
    (h, deadline, partition)
}

fn info(h: &Harness, deadline: u32) -> DeadlineInfo {
    h.state.deadline_info(&alice(), deadline, h.now).unwrap()
}

fn post(h: &mut Harness, deadline: u32, partition: u32, first: u8) -> Result<Vec<Event>, RegistryError> {
    let result =
        h.state.submit_windowed_post(&h.peers, alice(), h.now, deadline, vec![partition], vec![vec![first; 192]]);
    h.check();
    result
}

fn crank(h: &mut Harness) -> Vec<Event> {
    let (_, events) = h.state.process_deadlines(&h.peers, alice(), h.now).unwrap();
    h.check();
    events
}

fn fees(events: &[Event]) -> Vec<FeesCharged> {
    events.iter().filter_map(|e| if let Event::FeesCharged(f) = e { Some(f.clone()) } else { None }).collect()
}

fn declaration(deadline: u32, partition: u32, sectors: &[SectorNumber]) -> SectorDeclaration {
    SectorDeclaration { deadline, partition, sectors: sectors.to_vec() }
}

fn power(h: &Harness) -> u128 {
    h.state.provider_power(&alice()).unwrap().raw
}

#[test]
fn a_missed_proof_is_free_in_its_first_period_then_pays_until_a_verified_recovery() {
    let (mut h, deadline, partition) = powered();
    assert_eq!(power(&h), 2 * 2048);
    // Missed in the next period: faulty, no fee yet (FIP-0002).
    let next = info(&h, deadline);
    h.at(next.close_at);
    let events = crank(&mut h);
    assert!(fees(&events).is_empty(), "the first faulty period is free");
    assert_eq!(power(&h), 0);
    // Still faulty a period later: the fault fee of both sectors.
    let later = info(&h, deadline);
    h.at(later.close_at);
    let free = h.free(&alice());
    let events = crank(&mut h);
    let charged = fees(&events);
    assert_eq!(charged.len(), 1);
    assert_eq!((charged[0].sectors, charged[0].paid), (2, POLICY.fault_fee(2)));
    assert_eq!(h.free(&alice()), free - POLICY.fault_fee(2));
    // A recovery is declared before the cutoff, and proven with a verified PoSt.
    let target = info(&h, deadline);
    h.at(target.fault_cutoff - 1);
    h.state
        .declare_faults_recovered(&h.peers, alice(), h.now, vec![declaration(deadline, partition, &[1, 2])])
        .unwrap();
    h.check();
    assert_eq!(power(&h), 0, "still faulty until proven");
    h.at(target.open_at);
    // A recovery proof that does not verify is refused outright.
    h.refuses(RegistryError::Proof(polka_storage_primitives::proofs::ProofError::InvalidProof), |h| {
        post(h, deadline, partition, BAD_POST)
    });
    let verified_before = h.peers.posts_verified.borrow().len();
    post(&mut h, deadline, partition, GOOD).unwrap();
    assert_eq!(h.peers.posts_verified.borrow().len(), verified_before + 1, "verified on submission");
    assert!(h.state.kept_post(&alice(), deadline, partition).is_none(), "nothing left to dispute");
    assert_eq!(power(&h), 2 * 2048);
    h.at(target.close_at);
    assert!(fees(&crank(&mut h)).is_empty());
}

#[test]
fn a_declared_fault_loses_power_at_once_and_pays_at_its_deadline() {
    let (mut h, deadline, partition) = powered();
    let target = info(&h, deadline);
    h.at(target.fault_cutoff - 1);
    h.state.declare_faults(&h.peers, alice(), h.now, vec![declaration(deadline, partition, &[2])]).unwrap();
    h.check();
    assert_eq!(power(&h), 2048);
    // Sector 1 is proven in the window; sector 2, declared, pays the fee at the processing.
    h.at(target.open_at);
    post(&mut h, deadline, partition, GOOD).unwrap();
    h.at(target.close_at);
    let charged = fees(&crank(&mut h));
    assert_eq!(charged.len(), 1);
    assert_eq!(charged[0].sectors, 1);
    assert_eq!(power(&h), 2048);
}

#[test]
fn declarations_are_checked_and_refusals_change_nothing() {
    let (mut h, deadline, partition) = powered();
    let target = info(&h, deadline);
    h.at(target.fault_cutoff);
    h.refuses(RegistryError::FaultDeclarationTooLate, |h| {
        h.state.declare_faults(&h.peers, alice(), h.now, vec![declaration(deadline, partition, &[1])])
    });
    h.refuses(RegistryError::FaultRecoveryTooLate, |h| {
        h.state.declare_faults_recovered(&h.peers, alice(), h.now, vec![declaration(deadline, partition, &[1])])
    });
    h.at(target.fault_cutoff - 1);
    h.refuses(RegistryError::NoDeclarations, |h| h.state.declare_faults(&h.peers, alice(), h.now, vec![]));
    h.refuses(RegistryError::EmptyDeclaration, |h| {
        h.state.declare_faults(&h.peers, alice(), h.now, vec![declaration(deadline, partition, &[])])
    });
    let many: Vec<_> = (0..33).map(|_| declaration(deadline, partition, &[1])).collect();
    h.refuses(RegistryError::TooManyDeclarations, |h| h.state.declare_faults(&h.peers, alice(), h.now, many));
    // Spec §8.3 #18: the original only checked that the sector exists somewhere.
    h.refuses(RegistryError::SectorNotInPartition, |h| {
        h.state.declare_faults(&h.peers, alice(), h.now, vec![declaration(deadline, partition, &[1, 77])])
    });
    h.refuses(RegistryError::InvalidPartition, |h| {
        h.state.declare_faults(&h.peers, alice(), h.now, vec![declaration(deadline, 9, &[1])])
    });
    h.refuses(RegistryError::InvalidDeadline, |h| {
        h.state.declare_faults(&h.peers, alice(), h.now, vec![declaration(99, partition, &[1])])
    });
    h.refuses(RegistryError::SectorsNotFaulty, |h| {
        h.state.declare_faults_recovered(&h.peers, alice(), h.now, vec![declaration(deadline, partition, &[1])])
    });
    h.refuses(RegistryError::StorageProviderNotFound, |h| {
        h.state.declare_faults(&h.peers, bob(), h.now, vec![declaration(deadline, partition, &[1])])
    });
}
