//! `terminate_sectors`: fees, released pledges, power, the market told, immutable deadlines.

use super::*;
use polka_storage_primitives::deadline::deadline_is_mutable;
use polka_storage_primitives::registry::{SectorDeclaration, SectorsTerminated};

/// Alice with 6 proven sectors, before her first period (every deadline mutable).
fn proven() -> (Harness, BTreeMap<SectorNumber, (u32, u32)>) {
    let mut h = Harness::new();
    h.provider_with(alice(), collateral_for(8));
    let now = h.now;
    h.pre_commit(
        alice(),
        (1..=6).map(|n| if n == 1 { deal_sector(1, now, &[5]) } else { cc_sector(n, now) }).collect(),
    )
    .unwrap();
    h.advance(POLICY.pre_commit_challenge_delay + 1);
    let (results, _) = h.prove(alice(), (1..=6).map(proof).collect()).unwrap();
    (h, placements(&results))
}

fn terminate(
    h: &mut Harness,
    deadline: u32,
    partition: u32,
    sectors: &[SectorNumber],
) -> Result<Vec<Event>, RegistryError> {
    let declaration = SectorDeclaration { deadline, partition, sectors: sectors.to_vec() };
    let result = h.state.terminate_sectors(&h.peers, alice(), h.now, vec![declaration]);
    h.check();
    result
}

#[test]
fn a_termination_pays_its_fee_from_the_pledge_releases_the_rest_and_tells_the_market() {
    let (mut h, placed) = proven();
    let (_, pledge) = amounts();
    let (deadline, partition) = placed[&1];
    let free = h.free(&alice());
    let slashed = h.state.funds().slashed;
    let events = terminate(&mut h, deadline, partition, &[1]).unwrap();
    let fee = POLICY.termination_fee(pledge, 0);
    assert!(fee > 0 && fee < pledge);
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::SectorsTerminated(SectorsTerminated { sectors, fees, released, .. })
        if *sectors == vec![1] && *fees == fee && *released == pledge - fee)));
    assert_eq!(h.free(&alice()), free + pledge - fee);
    assert_eq!(h.state.funds().slashed, slashed + fee);
    // Spec §8.3 #4: the market hears of every termination.
    assert_eq!(*h.peers.terminated.borrow(), vec![(alice(), vec![1])]);
    let view = h.state.partition(&alice(), deadline, partition).unwrap();
    assert!(view.terminated.contains(&1) && view.sectors.contains(&1));
    h.refuses(RegistryError::SectorsNotLive, |h| terminate(h, deadline, partition, &[1]));
}

#[test]
fn terminations_are_checked_and_refusals_change_nothing() {
    let (mut h, placed) = proven();
    let (deadline, partition) = placed[&2];
    h.refuses(RegistryError::NoDeclarations, |h| h.state.terminate_sectors(&h.peers, alice(), h.now, vec![]));
    h.refuses(RegistryError::EmptyDeclaration, |h| terminate(h, deadline, partition, &[]));
    h.refuses(RegistryError::SectorNotInPartition, |h| terminate(h, deadline, partition, &[2, 99]));
    h.refuses(RegistryError::InvalidPartition, |h| terminate(h, deadline, 77, &[2]));
    h.peers.activation_error = Some(RegistryError::Call(polka_storage_primitives::call::CallError::CalleeTrapped));
    h.refuses(RegistryError::Call(polka_storage_primitives::call::CallError::CalleeTrapped), |h| {
        terminate(h, deadline, partition, &[2])
    });
    h.peers.activation_error = None;
    // Once the period runs, the open deadline and the next one are immutable.
    let start = h.state.provider(&alice()).unwrap().proving_period_start;
    h.at(start);
    let immutable =
        (0..POLICY.wpost_period_deadlines).find(|d| !deadline_is_mutable(start, *d, h.now, &POLICY)).unwrap();
    if let Some((&sector, &(d, p))) = placed.iter().find(|(_, (d, _))| *d == immutable) {
        h.state.process_deadlines(&h.peers, alice(), h.now).unwrap();
        h.refuses(RegistryError::CannotTerminateImmutableDeadline, |h| terminate(h, d, p, &[sector]));
    }
}
