//! Every view of the registry fits ink!'s 16 KiB answer buffer at its largest: the longest peer
//! ids, full pages, sectors with the most deals, the most deadlines.

use super::*;
use polka_storage_primitives::policy::{
    MAX_DEALS_PER_SECTOR, MAX_PEER_ID_LEN, MAX_PROVE_COMMIT_SECTORS, MAX_REGISTRY_PAGE, MAX_VIEW_ANSWER_BYTES,
};
use scale::Encode;

/// What ink! writes for a message's answer: `Result<answer, LangError>`.
fn answer_len<T: Encode>(value: &T) -> usize {
    Ok::<&T, ()>(value).encode().len()
}

#[test]
fn full_pages_and_the_largest_records_fit_the_answer_buffer() {
    let mut h = Harness::new();
    // The most providers a page lists, each with the longest peer id.
    for n in 0..MAX_REGISTRY_PAGE {
        let account = AccountId::from([n as u8 + 1; 32]);
        h.state.register(account, h.now, vec![0xff; MAX_PEER_ID_LEN], POST).unwrap();
        h.state.add_collateral(account, Balance::MAX / 1_000).unwrap();
    }
    let providers = h.state.providers_page(0, u32::MAX);
    assert_eq!(providers.len(), MAX_REGISTRY_PAGE as usize);
    // A provider with a full page of proven sectors, each holding the most deals.
    let provider = AccountId::from([1; 32]);
    let mut next_deal = 0u64;
    for batch in 0..MAX_REGISTRY_PAGE / MAX_PROVE_COMMIT_SECTORS as u32 {
        let now = h.now;
        let sectors: Vec<_> = (0..MAX_PROVE_COMMIT_SECTORS as u32)
            .map(|i| {
                let deals: Vec<DealId> = (next_deal..next_deal + MAX_DEALS_PER_SECTOR as u64).collect();
                next_deal += MAX_DEALS_PER_SECTOR as u64;
                deal_sector(batch * 8 + i, now, &deals)
            })
            .collect();
        h.pre_commit(provider, sectors).unwrap();
        h.advance(POLICY.pre_commit_challenge_delay + 1);
        h.prove(provider, (0..MAX_PROVE_COMMIT_SECTORS as u32).map(|i| proof(batch * 8 + i)).collect()).unwrap();
    }
    let sectors = h.state.sectors_page(&provider, 0, u32::MAX);
    assert_eq!(sectors.len(), MAX_REGISTRY_PAGE as usize);
    assert!(sectors.iter().all(|s| s.deal_ids.len() == MAX_DEALS_PER_SECTOR));
    let state = h.state.provider(&provider).unwrap();
    let lengths = [
        ("providers", answer_len(&providers)),
        ("sectors", answer_len(&sectors)),
        ("provider", answer_len(&Some(state.clone()))),
        ("sector", answer_len(&Some(sectors[0].clone()))),
        ("partition", answer_len(&h.state.partition(&provider, sectors[0].deadline, sectors[0].partition))),
        ("deadline_state", answer_len(&h.state.deadline_state(&provider, sectors[0].deadline, h.now, 0, u32::MAX))),
    ];
    for (view, length) in lengths {
        println!("{view}: {length} bytes at its largest");
        assert!(length < MAX_VIEW_ANSWER_BYTES, "{view} answers {length} bytes");
    }
    // A full page of partitions with every set full (two sectors each) and a kept proof.
    let full = polka_storage_primitives::registry::PartitionView {
        sectors: vec![u32::MAX; 2],
        unproven: vec![u32::MAX; 2],
        faults: vec![u32::MAX; 2],
        recoveries: vec![u32::MAX; 2],
        terminated: vec![u32::MAX; 2],
        posted_at: Some(u32::MAX),
    };
    let page = polka_storage_primitives::registry::DeadlineState {
        info: h.state.deadline_info(&provider, 0, h.now).unwrap(),
        partition_count: u32::MAX,
        partitions: (0..polka_storage_primitives::policy::MAX_PARTITIONS_PER_PAGE)
            .map(|partition| polka_storage_primitives::registry::PartitionSummary {
                partition,
                state: full.clone(),
                disputable_until: Some(u32::MAX),
            })
            .collect(),
    };
    println!("deadline_state (full page): {} bytes", answer_len(&Ok::<_, RegistryError>(page.clone())));
    assert!(answer_len(&Ok::<_, RegistryError>(page)) < MAX_VIEW_ANSWER_BYTES);
    // The production policy's 48 deadlines in one provider record.
    let mut production = state;
    production.deadlines = vec![Default::default(); 48];
    assert!(answer_len(&Some(production)) < 1_024);
    // A pre-commit with the most deals.
    let now = h.now;
    let deals: Vec<DealId> = (0..MAX_DEALS_PER_SECTOR as u64).collect();
    h.pre_commit(provider, vec![deal_sector(999, now, &deals)]).unwrap();
    assert!(answer_len(&h.state.pre_commit(&provider, 999)) < 1_024);
}
