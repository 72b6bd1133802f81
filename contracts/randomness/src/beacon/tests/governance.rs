//! Governance of the policy and the drand key.

use super::*;

#[ink::test]
fn a_policy_change_waits_the_delay_and_never_shrinks_the_history() {
    let mut h = Harness::new();
    let fast = BeaconPolicy::FAST;
    let slow = BeaconPolicy { penalty: 7, ..fast };
    // With a delay of 12 blocks from block 2 the first round starting at or after block 14 is
    // round 3 (rounds of 5 blocks from block 1: 1, 6, 11, 16).
    let step = |beacon: &mut Beacon, now: Now| beacon.set_policy(now.block, 12, slow);
    let events = h.at(2).step(step).unwrap();
    let first = h.beacon.pending_policy(2).unwrap();
    assert_eq!(first, (3, 16, slow));
    assert_eq!(events, vec![Event::PolicyScheduled(PolicyScheduled { from_round: 3, from_block: 16, policy: slow })]);
    assert!(first.1 >= 14, "not before the delay: {first:?}");
    assert!(first.1 < 14 + fast.round_length(), "the first round after it: {first:?}");
    assert_eq!(h.beacon.policy_at(first.1 - 1), fast);
    // Shrinking the history would cut off blocks consumers rely on.
    let shorter = BeaconPolicy { history: fast.history - 1, ..fast };
    assert_eq!(h.set_policy(shorter), Err(Error::HistoryWouldShrink));
    let longer = BeaconPolicy { history: fast.history + 1, ..fast };
    assert!(h.set_policy(longer).is_ok());
}

#[ink::test]
fn a_replacement_drand_key_is_announced_and_waits_the_delay() {
    let mut h = Harness::new();
    let chain = Quicknet::load().unwrap();
    let genuine = DrandChain { public_key: chain.public_key, genesis_time: chain.genesis_time, period: chain.period };
    let first = h.step(|beacon, now| beacon.set_drand_chain(now.block, 10, genuine)).unwrap();
    assert!(matches!(first.as_slice(), [Event::DrandChainSet(_)]), "the first chain is set at once");
    let other = DrandChain { period: genuine.period + 1, ..genuine };
    let now = h.now;
    let events = h.step(|beacon, now| beacon.set_drand_chain(now.block, 10, other)).unwrap();
    assert!(matches!(events.as_slice(), [Event::DrandChainProposed(p)] if p.effective_at == now + 10));
    assert_eq!(h.beacon.drand_chain(), Some(genuine), "the key in force is untouched");
    assert_eq!(h.beacon.pending_drand_chain().map(|p| p.value), Some(other));
    assert_eq!(
        h.beacon.apply_drand_chain(now + 9),
        Err(Error::Governance(polka_storage_primitives::ownership::GovernanceError::NotDue))
    );
    assert!(h.beacon.cancel_drand_chain().is_ok());
    assert_eq!(h.beacon.pending_drand_chain(), None);
    assert_eq!(
        h.beacon.apply_drand_chain(now + 10),
        Err(Error::Governance(polka_storage_primitives::ownership::GovernanceError::NothingPending))
    );
    h.step(|beacon, now| beacon.set_drand_chain(now.block, 10, other)).unwrap();
    assert!(matches!(h.beacon.apply_drand_chain(now + 10).as_deref(), Ok([Event::DrandChainSet(_)])));
    assert_eq!(h.beacon.drand_chain(), Some(other));
    assert_eq!(h.beacon.pending_drand_chain(), None);
}
