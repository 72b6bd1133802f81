//! Registration, peer ids and workers.

use super::*;
use crate::providers::{first_proving_period_start, proving_period_offset};
use polka_storage_primitives::policy::MAX_PEER_ID_LEN;
use polka_storage_primitives::registry::{StorageProviderInfo, StorageProviderRegistered, WorkerChanged};

#[test]
fn a_provider_registers_once_into_the_next_proving_period() {
    let mut h = Harness::new();
    h.at(125);
    let events = h.state.register(alice(), 125, b"peer".to_vec(), POST).unwrap();
    let offset = proving_period_offset(&alice(), 125, 60).unwrap();
    // Registered at 125 with a 60-block period: the next global period starts at 180.
    let info = StorageProviderInfo {
        peer_id: b"peer".to_vec(),
        window_post_proof_type: POST,
        sector_size: 2048,
        window_post_partition_sectors: 2,
    };
    assert_eq!(
        events,
        vec![Event::StorageProviderRegistered(StorageProviderRegistered {
            owner: alice(),
            info: info.clone(),
            proving_period_start: 180 + offset
        })]
    );
    assert_eq!(first_proving_period_start(125, 60, offset), Ok(180 + offset));
    let state = h.state.provider(&alice()).unwrap();
    assert_eq!((state.info, state.worker, state.proving_period_start), (info, alice(), 180 + offset));
    assert_eq!(state.deadlines.len(), 3);
    assert!(h.state.is_registered(&alice()) && !h.state.is_registered(&bob()));
    h.check();
    h.refuses(RegistryError::StorageProviderExists, |h| h.state.register(alice(), 126, b"other".to_vec(), POST));
}

#[test]
fn bad_peer_ids_are_named_errors() {
    let mut h = Harness::new();
    for peer_id in [Vec::new(), vec![7; MAX_PEER_ID_LEN + 1]] {
        h.refuses(RegistryError::InvalidPeerId, |h| h.state.register(alice(), 1, peer_id, POST));
    }
    h.state.register(alice(), 1, vec![7; MAX_PEER_ID_LEN], POST).unwrap();
    h.refuses(RegistryError::InvalidPeerId, |h| h.state.change_peer_id(alice(), Vec::new()));
    h.refuses(RegistryError::StorageProviderNotFound, |h| h.state.change_peer_id(bob(), b"p".to_vec()));
    h.state.change_peer_id(alice(), b"new".to_vec()).unwrap();
    assert_eq!(h.state.provider(&alice()).unwrap().info.peer_id, b"new".to_vec());
    h.check();
}

#[test]
fn an_unusable_policy_is_refused() {
    assert_eq!(
        RegistryState::new(ProvingPolicy { wpost_proving_period: 0, ..POLICY }).map(|_| ()),
        Err(RegistryError::InvalidPolicy)
    );
}

#[test]
fn the_providers_page_lists_in_registration_order() {
    let mut h = Harness::new();
    let accounts: Vec<AccountId> = (0u8..40).map(|n| AccountId::from([n; 32])).collect();
    for account in &accounts {
        h.register(*account);
    }
    let first = h.state.providers_page(0, 100);
    assert_eq!(first.len(), 32, "pages are capped");
    assert_eq!(first.iter().map(|p| p.provider).collect::<Vec<_>>(), accounts[..32].to_vec());
    let rest = h.state.providers_page(32, 32);
    assert_eq!(rest.iter().map(|p| p.provider).collect::<Vec<_>>(), accounts[32..].to_vec());
    assert!(h.state.providers_page(40, 5).is_empty());
    assert!(h.state.providers_page(u32::MAX, u32::MAX).is_empty());
}

#[test]
fn a_worker_acts_for_its_owner_but_cannot_withdraw_or_rename_the_worker() {
    let mut h = Harness::new();
    h.provider_with(alice(), collateral_for(1));
    let events = h.state.change_worker(alice(), worker()).unwrap();
    assert_eq!(events, vec![Event::WorkerChanged(WorkerChanged { owner: alice(), worker: worker() })]);
    assert_eq!(h.state.provider_of_worker(&worker()), Some(alice()));
    // The worker pre-commits and adds collateral for alice.
    h.state.add_collateral(worker(), 5).unwrap();
    h.pre_commit(worker(), vec![cc_sector(1, h.now)]).unwrap();
    let pre_commit = h.state.pre_commit(&alice(), 1).unwrap();
    // The ticket is drawn with the owner's account, not the worker's.
    assert_eq!(
        pre_commit.seal_ticket,
        draw_for_provider(&rbase(h.now - 1), DomainSeparationTag::SealRandomness, h.now - 1, &alice())
    );
    h.refuses(RegistryError::NotProviderOwner, |h| h.state.withdraw_collateral(worker(), 1));
    h.refuses(RegistryError::NotProviderOwner, |h| h.state.change_worker(worker(), bob()));
    // A worker cannot register, nor serve two providers; a provider cannot be a worker.
    h.refuses(RegistryError::WorkerInUse, |h| h.state.register(worker(), h.now, b"p".to_vec(), POST));
    h.register(bob());
    h.refuses(RegistryError::WorkerInUse, |h| h.state.change_worker(bob(), worker()));
    h.refuses(RegistryError::WorkerInUse, |h| h.state.change_worker(alice(), bob()));
    // Back to no worker: the old worker is nobody's.
    h.state.change_worker(alice(), alice()).unwrap();
    assert_eq!(h.state.provider_of_worker(&worker()), None);
    h.refuses(RegistryError::StorageProviderNotFound, |h| h.state.add_collateral(worker(), 1));
    h.check();
}
