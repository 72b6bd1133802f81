//! The market's views for Contracts UI and clients on the sandbox chain: a deal by id, a
//! provider's and a client's deals page by page, and piece-inclusion proofs against a CommD.

mod market_support;
use market_support::*;
use polka_storage_primitives::commitment::{
    cid_to_commitment, commitment_to_cid, compute_unsealed_sector_commitment, zero_commitment, CidError,
    CommitmentKind, PaddedPieceSize, PieceInfo,
};
use polka_storage_primitives::sector::RegisteredSealProof;

#[test]
fn deals_are_listed_per_provider_and_per_client_page_by_page() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let deals: Vec<_> = (0..7u32).map(|n| m.signed(n as usize % 3, n, (10, 20), 1, 1)).collect();
    let ids = m.publish_ok(&deals)?;
    let provider = m.provider.clone();
    let page: DealPage = m.sandbox.view("provider_deals", (id(&provider), 2u32, 3u32))?;
    assert_eq!(page.total, 7);
    assert_eq!(page.deals.iter().map(|e| e.deal_id).collect::<Vec<_>>(), ids[2..5].to_vec());
    assert_eq!(page.deals[0].deal, DealLookup::Live(deals[2].proposal.clone()));
    let page: DealPage = m.sandbox.view("provider_deals", (id(&provider), 6u32, 64u32))?;
    assert_eq!(page.deals.len(), 1);
    let page: DealPage = m.sandbox.view("provider_deals", (id(&provider), 0u32, 1000u32))?;
    assert_eq!(page.deals.len(), 7);
    let page: DealPage = m.sandbox.view("client_deals", (id(&m.client(1)), 0u32, 64u32))?;
    assert_eq!((page.total, page.deals.iter().map(|e| e.deal_id).collect::<Vec<_>>()), (2, vec![1, 4]));
    let page: DealPage = m.sandbox.view("client_deals", (id(&dev_account("Eve")), 0u32, 64u32))?;
    assert_eq!(page, DealPage::default());
    assert_eq!(m.sandbox.deal(7)?, DealLookup::Unknown);
    assert_eq!(m.sandbox.view::<_, DealId>("next_deal_id", ())?, 7);
    // An ended deal stays listed, with how it ended.
    m.sandbox.chain.advance_to(11);
    m.sandbox.process_timeouts(&provider, &ids[..1])?;
    let page: DealPage = m.sandbox.view("client_deals", (id(&m.client(0)), 0u32, 1u32))?;
    assert_eq!(page.deals[0].deal, DealLookup::Ended(DealEnd { reason: DealEndReason::TimedOut, block: 11 }));
    Ok(())
}

/// Issue 14 #3: ink! 5 encodes an answer into a 16 KiB buffer, and a page of 64 deals with
/// 128-byte labels (~20 KB) trapped. The largest deals a view can show (active, settled, a
/// 128-byte label, a 39-byte CID), two full pages of them, answer in pages of at most
/// `MAX_DEALS_PER_PAGE`, whatever limit is asked for.
#[test]
fn every_view_answers_at_its_largest() -> anyhow::Result<()> {
    use polka_storage_primitives::policy::{
        MAX_DEALS_PER_PAGE, MAX_DEALS_PER_PUBLISH, MAX_DEALS_PER_SECTOR, MAX_LABEL_LEN, MAX_VIEW_ANSWER_BYTES,
    };
    use scale::Encode;
    let mut m = Market::new()?;
    let provider = m.provider.clone();
    let count = 2 * MAX_DEALS_PER_PAGE;
    let mut ids = Vec::new();
    for batch in 0..count / MAX_DEALS_PER_PUBLISH as u32 {
        let deals: Vec<_> = (0..MAX_DEALS_PER_PUBLISH as u32)
            .map(|n| {
                let mut p = m.proposal(0, batch * 100 + n, (10, 20), 1, 1);
                p.label = vec![b'L'; MAX_LABEL_LEN];
                m.sandbox.sign(&m.clients[0], p)
            })
            .collect();
        ids.extend(m.publish_ok(&deals)?);
    }
    let sectors: Vec<SectorDeal> =
        ids.chunks(MAX_DEALS_PER_SECTOR).zip(1u32..).map(|(deals, number)| sector(number, 30, deals)).collect();
    for pair in sectors.chunks(2) {
        m.activate_ok(pair)?;
    }
    m.sandbox.chain.advance_to(15);
    for batch in ids.chunks(32) {
        let answer = m.sandbox.settle(&provider, batch)?;
        assert!(matches!(&answer.value, Ok(report) if report.successful.len() == batch.len()), "{:?}", answer.value);
    }
    for (view, account) in [("provider_deals", provider.clone()), ("client_deals", m.client(0))] {
        for (from, limit) in [(0u32, count), (0, u32::MAX), (MAX_DEALS_PER_PAGE, MAX_DEALS_PER_PAGE)] {
            let page: DealPage = m.sandbox.view(view, (id(&account), from, limit))?;
            assert_eq!(page.total, count, "{view}");
            assert_eq!(page.deals.len(), MAX_DEALS_PER_PAGE as usize, "{view} from {from}");
            let first = page.deals.first().map(|entry| entry.deal_id);
            assert_eq!(first, Some(ids[from as usize]));
            for entry in &page.deals {
                let DealLookup::Live(deal) = &entry.deal else { panic!("{entry:?}") };
                assert_eq!((deal.label.len(), deal.piece_cid.len()), (MAX_LABEL_LEN, 39));
                assert!(matches!(deal.state, DealState::Active(a) if a.last_updated_block == Some(15)));
            }
            let size = page.encode().len() + 1;
            println!("{view}({from}, {limit}): {} deals, {size} of {MAX_VIEW_ANSWER_BYTES} bytes", page.deals.len());
            assert!(size <= MAX_VIEW_ANSWER_BYTES);
        }
    }
    let deal = m.sandbox.deal(ids[0])?;
    assert!(matches!(deal, DealLookup::Live(ref d) if d.label.len() == MAX_LABEL_LEN));
    let full: Vec<DealId> = m.sandbox.view("sector_deals", (id(&provider), 1u32))?;
    assert_eq!(full, ids[..MAX_DEALS_PER_SECTOR].to_vec());
    Ok(())
}

fn commitment(seed: u8) -> [u8; 32] {
    let mut c = sp_core::blake2_256(&[seed]);
    c[31] &= 0x3f;
    c
}

type Inclusion = Result<bool, MarketError>;

#[test]
fn piece_inclusion_proofs_verify_against_the_sector_commd() -> anyhow::Result<()> {
    let mut m = Market::new()?;
    let size = |n| PaddedPieceSize::new(n).unwrap();
    // A 2 KiB sector with a 512-byte piece at 0 and a 1024-byte piece at 1024.
    let (a, b) = (commitment(1), commitment(2));
    let pieces = [PieceInfo { commitment: a, size: size(512) }, PieceInfo { commitment: b, size: size(1024) }];
    let comm_d = compute_unsealed_sector_commitment(size(2048), &pieces).unwrap();
    let comm_d_cid = commitment_to_cid(&comm_d, CommitmentKind::Unsealed);
    let zero_512 = zero_commitment(size(512));
    let left_half = polka_storage_primitives::commitment::piece_hash(&a, &zero_512);
    let seal = RegisteredSealProof::StackedDRG2KiBV1P1;
    let cid = |c: &[u8; 32]| commitment_to_cid(c, CommitmentKind::Unsealed);
    let check = |m: &mut Market,
                 piece: &[u8; 32],
                 piece_size: u64,
                 offset: u64,
                 path: Vec<[u8; 32]>|
     -> anyhow::Result<Inclusion> {
        m.sandbox.view("verify_piece_inclusion", (comm_d_cid.clone(), seal, cid(piece), piece_size, offset, path))
    };
    assert_eq!(check(&mut m, &a, 512, 0, vec![zero_512, b])?, Ok(true));
    assert_eq!(check(&mut m, &b, 1024, 1024, vec![left_half])?, Ok(true));
    // Wrong offset, wrong sibling, wrong piece, wrong path length.
    assert_eq!(check(&mut m, &a, 512, 512, vec![zero_512, b])?, Ok(false));
    assert_eq!(check(&mut m, &a, 512, 0, vec![zero_512, a])?, Ok(false));
    assert_eq!(check(&mut m, &b, 512, 0, vec![zero_512, b])?, Ok(false));
    assert_eq!(check(&mut m, &b, 1024, 1024, vec![left_half, b])?, Ok(false));
    // Malformed inputs get named errors.
    let mut bad = comm_d_cid.clone();
    bad.pop();
    let answer: Inclusion =
        m.sandbox.view("verify_piece_inclusion", (bad, seal, cid(&a), 512u64, 0u64, vec![zero_512, b]))?;
    assert_eq!(answer, Err(MarketError::InvalidSectorCid(CidError::Truncated)));
    let sealed = commitment_to_cid(&a, CommitmentKind::Sealed);
    let answer: Inclusion = m
        .sandbox
        .view("verify_piece_inclusion", (comm_d_cid.clone(), seal, sealed, 512u64, 0u64, vec![zero_512, b]))?;
    assert_eq!(answer, Err(MarketError::InvalidPieceCid(CidError::WrongCodec)));
    assert_eq!(check(&mut m, &a, 500, 0, vec![zero_512, b])?, Err(MarketError::InvalidPieceSize));
    // The deal's own CID works as the piece.
    let deal = m.proposal(0, 1, (10, 20), 1, 1);
    let piece = cid_to_commitment(&deal.piece_cid, CommitmentKind::Unsealed).unwrap();
    let comm_d =
        compute_unsealed_sector_commitment(size(2048), &[PieceInfo { commitment: piece, size: size(128) }]).unwrap();
    let path: Vec<[u8; 32]> = [128, 256, 512, 1024].iter().map(|n| zero_commitment(size(*n))).collect();
    let answer: Inclusion = m.sandbox.view(
        "verify_piece_inclusion",
        (commitment_to_cid(&comm_d, CommitmentKind::Unsealed), seal, deal.piece_cid.clone(), 128u64, 0u64, path),
    )?;
    assert_eq!(answer, Ok(true));
    Ok(())
}
