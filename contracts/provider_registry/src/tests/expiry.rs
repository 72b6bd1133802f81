//! Pre-commit expiry: the crank and the lazy catch-up.

use super::*;
use polka_storage_primitives::policy::MAX_PRECOMMIT_EXPIRIES_PER_CALL;
use polka_storage_primitives::registry::{PreCommitsExpired, RegistryFunds};

#[test]
fn an_unproven_pre_commit_expires_at_its_deadline_and_loses_its_deposit_once() {
    let mut h = Harness::new();
    let (deposit, _) = amounts();
    h.provider_with(alice(), collateral_for(2));
    h.pre_commit(alice(), vec![cc_sector(1, h.now)]).unwrap();
    let free = h.free(&alice());
    // The last block it can be proven in: nothing expires.
    h.at(100 + POLICY.max_prove_commit_duration - 1);
    assert_eq!(h.expire(alice()).unwrap().0, 0);
    h.advance(1);
    let (expired, events) = h.expire(alice()).unwrap();
    assert_eq!(expired, 1);
    assert_eq!(
        events,
        vec![Event::PreCommitsExpired(PreCommitsExpired {
            owner: alice(),
            sector_numbers: vec![1],
            slashed: deposit,
            refunded: 0
        })]
    );
    // Spec §8.3 #2: slashed once (the original took the deposit and the same again from free).
    assert_eq!(h.free(&alice()), free);
    assert_eq!(h.state.funds(), RegistryFunds { free, locked: 0, slashed: deposit });
    assert!(h.state.pre_commit(&alice(), 1).is_none());
    // Again: nothing left, nothing slashed twice.
    assert_eq!(h.expire(alice()).unwrap().0, 0);
    assert_eq!(h.state.funds().slashed, deposit);
    h.refuses(RegistryError::StorageProviderNotFound, |h| h.expire(bob()));
}

#[test]
fn every_providers_pre_commits_expire() {
    // Spec §8.3 #1: the original hook stopped at the first provider with nothing to expire.
    let mut h = Harness::new();
    h.provider_with(alice(), collateral_for(1));
    h.provider_with(bob(), collateral_for(1));
    h.pre_commit(bob(), vec![cc_sector(1, h.now)]).unwrap();
    h.advance(POLICY.max_prove_commit_duration);
    assert_eq!(h.expire(alice()).unwrap().0, 0);
    assert_eq!(h.expire(bob()).unwrap().0, 1);
}

#[test]
fn a_stalled_beacon_refunds_the_deposit() {
    let mut h = Harness::new();
    let (deposit, _) = amounts();
    h.provider_with(alice(), collateral_for(1));
    h.pre_commit(alice(), vec![cc_sector(1, h.now)]).unwrap();
    let free = h.free(&alice());
    h.peers.stalled_from = Some(100);
    h.advance(POLICY.max_prove_commit_duration);
    let (_, events) = h.expire(alice()).unwrap();
    assert_eq!(
        events,
        vec![Event::PreCommitsExpired(PreCommitsExpired {
            owner: alice(),
            sector_numbers: vec![1],
            slashed: 0,
            refunded: deposit
        })]
    );
    assert_eq!(h.free(&alice()), free + deposit);
    assert_eq!(h.state.funds().slashed, 0);
}

#[test]
fn expiry_runs_lazily_and_in_bounded_steps() {
    let mut h = Harness::new();
    h.provider_with(alice(), collateral_for(70));
    for batch in 0..2u32 {
        let now = h.now;
        h.pre_commit(alice(), (0..32).map(|n| cc_sector(batch * 32 + n, now)).collect()).unwrap();
        h.advance(1);
    }
    let now = h.now;
    h.pre_commit(alice(), vec![cc_sector(64, now)]).unwrap();
    // A proven one is skipped by the queue.
    h.advance(POLICY.pre_commit_challenge_delay + 1);
    h.prove(alice(), vec![proof(64)]).unwrap();
    h.at(now + POLICY.max_prove_commit_duration);
    // The next message of the provider expires the first 32; the crank the rest.
    h.state.change_peer_id(alice(), b"x".to_vec()).unwrap();
    h.pre_commit(alice(), vec![cc_sector(100, h.now)]).unwrap();
    assert_eq!(h.state.provider(&alice()).unwrap().pre_committed_sectors, 33);
    assert_eq!(h.expire(alice()).unwrap().0, MAX_PRECOMMIT_EXPIRIES_PER_CALL);
    assert_eq!(h.expire(alice()).unwrap().0, 0);
    assert_eq!(h.state.provider(&alice()).unwrap().pre_committed_sectors, 1);
    assert!(h.state.sector(&alice(), 64).is_some());
    // An expired number can be pre-committed again.
    h.pre_commit(alice(), vec![cc_sector(0, h.now)]).unwrap();
}
