//! How sectors end at their deadlines: each at its own expiration (spec §8.3 #8), or
//! terminated after `fault_max_age` faulty, with the market told (§8.3 #4).

use super::*;
use polka_storage_primitives::registry::SectorsEnded;

fn ended(events: &[Event]) -> Vec<SectorsEnded> {
    events.iter().filter_map(|e| if let Event::SectorsEnded(x) = e { Some(x.clone()) } else { None }).collect()
}

/// Processes every closed deadline up to now.
fn crank_all(h: &mut Harness) -> Vec<Event> {
    let mut all = Vec::new();
    loop {
        let (processed, events) = h.state.process_deadlines(&h.peers, alice(), h.now).unwrap();
        h.check();
        all.extend(events);
        if processed == 0 {
            return all;
        }
    }
}

#[test]
fn sectors_of_one_partition_expire_each_at_its_own_expiration() {
    let mut h = Harness::new();
    let (_, pledge) = amounts();
    h.provider_with(alice(), collateral_for(3));
    let now = h.now;
    let early = SectorPreCommitInfo { expiration: now + 250, ..cc_sector(1, now) };
    let late = SectorPreCommitInfo { expiration: now + 400, ..cc_sector(2, now) };
    h.pre_commit(alice(), vec![early, late]).unwrap();
    h.advance(POLICY.pre_commit_challenge_delay + 1);
    let (results, _) = h.prove(alice(), vec![proof(1), proof(2)]).unwrap();
    assert_eq!((results[0].deadline, results[0].partition), (results[1].deadline, results[1].partition));
    let free = h.free(&alice());
    h.at(now + 330);
    let events = crank_all(&mut h);
    let first = ended(&events);
    assert_eq!(first.len(), 1);
    assert_eq!((first[0].sectors.clone(), first[0].fault_max_age, first[0].fees), (vec![1], false, 0));
    // Never proven, the sectors were faulty meanwhile and paid fault fees from free collateral.
    let fees: Balance =
        events.iter().filter_map(|e| if let Event::FeesCharged(f) = e { Some(f.paid) } else { None }).sum();
    assert_eq!(h.free(&alice()), free + pledge - fees, "the whole pledge comes back at expiry");
    let partition = h.state.partition(&alice(), results[0].deadline, results[0].partition).unwrap();
    assert!(partition.terminated.contains(&1) && !partition.terminated.contains(&2));
    assert!(h.peers.terminated.borrow().is_empty(), "deals end by their sector's expiration: no market call");
    h.at(now + 480);
    let second = ended(&crank_all(&mut h));
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].sectors, vec![2]);
}

#[test]
fn a_sector_faulty_for_fault_max_age_is_terminated_and_the_market_told() {
    let policy = ProvingPolicy { fault_max_age: 120, ..POLICY };
    let mut h = Harness::with_policy(policy);
    let (_, pledge) = amounts();
    h.provider_with(alice(), collateral_for(2));
    let now = h.now;
    h.pre_commit(alice(), vec![cc_sector(1, now)]).unwrap();
    h.advance(POLICY.pre_commit_challenge_delay + 1);
    h.prove(alice(), vec![proof(1)]).unwrap();
    // Never proven: faulty at its first deadline, terminated 120 blocks later.
    let start = h.state.provider(&alice()).unwrap().proving_period_start;
    h.at(start + 3 * POLICY.wpost_proving_period);
    let events = crank_all(&mut h);
    let terminated: Vec<SectorsEnded> = ended(&events).into_iter().filter(|e| e.fault_max_age).collect();
    assert_eq!(terminated.len(), 1);
    assert_eq!(terminated[0].sectors, vec![1]);
    assert!(terminated[0].fees > 0 && terminated[0].fees < pledge);
    assert_eq!(*h.peers.terminated.borrow(), vec![(alice(), vec![1])]);
    assert_eq!(h.state.provider(&alice()).unwrap().collateral.initial_pledges, 0);
}
