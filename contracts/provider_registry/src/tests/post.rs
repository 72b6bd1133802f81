//! Window PoSt: deadline processing, optimistic submissions, disputes and power.

use super::*;
use polka_storage_primitives::deadline::DeadlineInfo;
use polka_storage_primitives::policy::MAX_PARTITIONS_PER_POST;
use polka_storage_primitives::registry::{DeadlineProcessed, PoStDisputed, Power};

const GOOD: u8 = 0x60;

/// Alice with `count` proven sectors (before her first proving period), and where they went.
fn proven(count: u32) -> (Harness, BTreeMap<SectorNumber, (u32, u32)>) {
    let mut h = Harness::new();
    h.provider_with(alice(), collateral_for(count + 4));
    let now = h.now;
    h.pre_commit(alice(), (1..=count).map(|n| cc_sector(n, now)).collect()).unwrap();
    h.advance(POLICY.pre_commit_challenge_delay + 1);
    let mut placed = BTreeMap::new();
    let numbers: Vec<u32> = (1..=count).collect();
    for chunk in numbers.chunks(8) {
        let (results, _) = h.prove(alice(), chunk.iter().copied().map(proof).collect()).unwrap();
        placed.extend(placements(&results));
    }
    (h, placed)
}

fn deadline(h: &Harness, index: u32) -> DeadlineInfo {
    h.state.deadline_info(&alice(), index, h.now).unwrap()
}

/// The partitions of `index` that hold sectors.
fn partitions_of(placed: &BTreeMap<SectorNumber, (u32, u32)>, index: u32) -> Vec<u32> {
    let mut partitions: Vec<u32> = placed.values().filter(|(d, _)| *d == index).map(|(_, p)| *p).collect();
    partitions.sort_unstable();
    partitions.dedup();
    partitions
}

fn post(h: &mut Harness, index: u32, partitions: Vec<u32>, first: u8) -> Result<Vec<Event>, RegistryError> {
    let proofs = partitions.iter().map(|_| vec![first; 192]).collect();
    let result = h.state.submit_windowed_post(&h.peers, alice(), h.now, index, partitions, proofs);
    h.check();
    result
}

/// Proves every deadline of one proving period, each at its opening block.
fn prove_period(h: &mut Harness, placed: &BTreeMap<SectorNumber, (u32, u32)>) {
    for index in 0..POLICY.wpost_period_deadlines {
        let info = deadline(h, index);
        h.at(info.open_at);
        let partitions = partitions_of(placed, index);
        if !partitions.is_empty() {
            post(h, index, partitions, GOOD).unwrap();
        }
    }
}

fn power(h: &Harness) -> u128 {
    h.state.provider_power(&alice()).unwrap().raw
}

#[test]
fn proving_two_whole_periods_gains_power_once_and_faults_nothing() {
    let (mut h, placed) = proven(5);
    assert_eq!(power(&h), 0, "proven sectors have no power before their first PoSt");
    prove_period(&mut h, &placed);
    assert_eq!(power(&h), 5 * 2048);
    assert_eq!(h.state.total_power(), Power { raw: 5 * 2048, quality_adjusted: 5 * 2048 });
    prove_period(&mut h, &placed);
    assert_eq!(power(&h), 5 * 2048);
    let kept = h.state.kept_post(&alice(), placed[&1].0, placed[&1].1).unwrap();
    assert!(kept.sectors.iter().any(|r| r.sector_number == 1 && r.comm_r == comm_r(1)));
    // Processing the rest changes nothing.
    let end = deadline(&h, POLICY.wpost_period_deadlines - 1).close_at;
    h.at(end);
    let (processed, events) = h.state.process_deadlines(&h.peers, alice(), h.now).unwrap();
    h.check();
    assert!(processed >= 1);
    for event in events {
        if let Event::DeadlineProcessed(DeadlineProcessed { faulted, .. }) = event {
            assert!(faulted.is_empty());
        }
    }
    assert_eq!(power(&h), 5 * 2048);
}

#[test]
fn a_missed_deadline_faults_its_partitions_and_removes_their_power() {
    let (mut h, placed) = proven(4);
    prove_period(&mut h, &placed);
    assert_eq!(power(&h), 4 * 2048);
    let (missed_deadline, _) = placed[&1];
    let info = deadline(&h, missed_deadline);
    h.at(info.close_at);
    let (_, events) = h.state.process_deadlines(&h.peers, alice(), h.now).unwrap();
    h.check();
    let faulted: Vec<SectorNumber> = events
        .iter()
        .filter_map(|event| match event {
            Event::DeadlineProcessed(e) if e.deadline == missed_deadline => Some(e.faulted.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    let in_deadline: Vec<SectorNumber> =
        placed.iter().filter(|(_, (d, _))| *d == missed_deadline).map(|(s, _)| *s).collect();
    assert_eq!(faulted, in_deadline);
    assert_eq!(power(&h), (4 - in_deadline.len() as u128) * 2048);
    let partition = h.state.partition(&alice(), missed_deadline, placed[&1].1).unwrap();
    assert!(partition.faults.contains(&1));
    // A faulty partition with nothing else to prove cannot be posted.
    let next = deadline(&h, missed_deadline);
    h.at(next.open_at);
    // The deadlines closed meanwhile are processed first (a refused call reverts its catch-up).
    h.state.process_deadlines(&h.peers, alice(), h.now).unwrap();
    let only_faulty = partitions_of(&placed, missed_deadline);
    h.refuses(RegistryError::NoSectorsToProve, |h| post(h, missed_deadline, only_faulty, GOOD));
}

#[test]
fn a_deadline_whose_challenge_never_came_is_excused() {
    let (mut h, placed) = proven(2);
    let (index, _) = placed[&1];
    let info = deadline(&h, index);
    h.peers.stalled_from = Some(info.challenge);
    h.at(info.close_at);
    let (_, events) = h.state.process_deadlines(&h.peers, alice(), h.now).unwrap();
    h.check();
    assert!(events.iter().any(|e| matches!(e, Event::DeadlineProcessed(d) if d.deadline == index && d.excused)));
    assert!(h.state.partition(&alice(), index, placed[&1].1).unwrap().faults.is_empty());
}

#[test]
fn only_the_open_deadline_takes_well_formed_proofs() {
    let (mut h, placed) = proven(3);
    let (index, partition) = placed[&1];
    let info = deadline(&h, index);
    h.at(info.open_at - 1);
    h.refuses(RegistryError::InvalidDeadlineSubmission, |h| post(h, index, vec![partition], GOOD));
    h.at(info.open_at);
    let other = (index + 1) % POLICY.wpost_period_deadlines;
    h.refuses(RegistryError::InvalidDeadlineSubmission, |h| post(h, other, vec![partition], GOOD));
    h.refuses(RegistryError::NoPartitions, |h| post(h, index, vec![], GOOD));
    h.refuses(RegistryError::TooManyPartitions, |h| post(h, index, vec![0; MAX_PARTITIONS_PER_POST + 1], GOOD));
    h.refuses(RegistryError::DuplicatePartition, |h| post(h, index, vec![partition, partition], GOOD));
    h.refuses(RegistryError::InvalidPartition, |h| post(h, index, vec![99], GOOD));
    h.refuses(RegistryError::ProofCountMismatch, |h| {
        h.state.submit_windowed_post(&h.peers, alice(), h.now, index, vec![partition], vec![])
    });
    h.refuses(RegistryError::InvalidProofLength, |h| {
        h.state.submit_windowed_post(&h.peers, alice(), h.now, index, vec![partition], vec![vec![1; 191]])
    });
    h.refuses(RegistryError::StorageProviderNotFound, |h| {
        h.state.submit_windowed_post(&h.peers, bob(), h.now, index, vec![partition], vec![vec![1; 192]])
    });
    post(&mut h, index, vec![partition], GOOD).unwrap();
    h.refuses(RegistryError::PartitionAlreadyProven, |h| post(h, index, vec![partition], GOOD));
    // The challenge was drawn from the beacon for the challenge block, with the owner's account.
    let kept = h.state.kept_post(&alice(), index, partition).unwrap();
    assert_eq!(
        kept.randomness,
        draw_for_provider(
            &rbase(info.challenge),
            DomainSeparationTag::WindowedPoStChallengeSeed,
            info.challenge,
            &alice()
        )
    );
    assert_eq!(kept.disputable_until, info.close_at + POLICY.wpost_dispute_window);
}

#[test]
fn a_bad_proof_is_accepted_then_disputed_and_punished_a_good_one_is_not() {
    let (mut h, placed) = proven(2);
    let (index, partition) = placed[&1];
    let info = deadline(&h, index);
    h.at(info.open_at);
    post(&mut h, index, vec![partition], BAD_POST).unwrap();
    let gained = power(&h);
    assert!(gained > 0, "accepted optimistically");
    let free = h.free(&alice());
    let slashed = h.state.funds().slashed;
    let (outcome, events) = h.state.dispute_windowed_post(&h.peers, bob(), h.now, alice(), index, partition).unwrap();
    h.check();
    let claimed = h.peers.posts_verified.borrow()[0].2.len() as u32;
    let penalty = POLICY.invalid_post_penalty(claimed);
    assert_eq!(outcome.reward, POLICY.dispute_reward());
    assert!(events.iter().any(|e| matches!(e, Event::PoStDisputed(PoStDisputed { penalty: p, reward: r, .. }) if *p == penalty && *r == outcome.reward)));
    assert_eq!(h.free(&alice()), free - penalty);
    assert_eq!(h.state.funds().slashed, slashed + penalty - outcome.reward);
    assert_eq!(power(&h), 0, "the disputed sectors lost their power");
    h.refuses(RegistryError::NoKeptProof, |h| {
        h.state.dispute_windowed_post(&h.peers, bob(), h.now, alice(), index, partition)
    });

    // A valid proof cannot be disputed; after its window nothing can be.
    let (index2, partition2) = placed[&2];
    let info2 = deadline(&h, index2);
    if index2 != index {
        h.at(info2.open_at);
        post(&mut h, index2, vec![partition2], GOOD).unwrap();
        h.refuses(RegistryError::PoStValid, |h| {
            h.state.dispute_windowed_post(&h.peers, bob(), h.now, alice(), index2, partition2)
        });
        h.at(info2.close_at + POLICY.wpost_dispute_window + 1);
        h.refuses(RegistryError::DisputeWindowOver, |h| {
            h.state.dispute_windowed_post(&h.peers, bob(), h.now, alice(), index2, partition2)
        });
    }
}

#[test]
fn a_penalty_beyond_the_collateral_becomes_fee_debt() {
    let (mut h, placed) = proven(1);
    let free = h.free(&alice());
    h.state.withdraw_collateral(alice(), free).unwrap();
    let (index, partition) = placed[&1];
    h.at(deadline(&h, index).open_at);
    post(&mut h, index, vec![partition], BAD_POST).unwrap();
    let (outcome, _) = h.state.dispute_windowed_post(&h.peers, bob(), h.now, alice(), index, partition).unwrap();
    h.check();
    assert_eq!(outcome.reward, 0, "nothing was taken, nothing is paid");
    assert_eq!(h.state.provider(&alice()).unwrap().collateral.fee_debt, POLICY.invalid_post_penalty(1));
}
