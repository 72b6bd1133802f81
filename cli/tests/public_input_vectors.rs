//! `tests/data/public-input-vectors.json`: replica id, PoRep challenges and their DRG and
//! expander parents, Window PoSt leaf challenges and the full public-input vectors, as
//! storage-proofs-porep/-post 18 compute them for fixed inputs. The contracts' own derivation
//! (spec §4.2, §4.3) is tested against this file; here it is regenerated and compared, so it
//! cannot drift. `STORAGE_CLI_BLESS=1` rewrites it.

use std::path::PathBuf;

use polka_storage_primitives::sector::{ProofType, RegisteredPoStProof, RegisteredSealProof};

fn vectors_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/public-input-vectors.json")
}

#[test]
fn public_input_vectors_match_filecoin_proofs() {
    let computed = storage_cli::vectors::compute().unwrap();

    // Shapes agree with the primitives the contracts size their keys by.
    let porep = &computed["porep"];
    assert_eq!(
        porep["public_inputs"].as_array().unwrap().len(),
        ProofType::Seal(RegisteredSealProof::StackedDrg2KiBV1_1).public_inputs()
    );
    assert_eq!(porep["challenges"].as_array().unwrap().len(), 2);
    for challenge in porep["challenges"].as_array().unwrap() {
        let node = challenge["node"].as_u64().unwrap();
        assert!((1..64).contains(&node));
        assert_eq!(challenge["drg_parents"].as_array().unwrap().len(), 6);
        assert_eq!(challenge["expander_parents"].as_array().unwrap().len(), 8);
    }
    assert_eq!(porep["porep_id"].as_str().unwrap()[..4], *"0x05");
    let post = &computed["window_post"];
    for key in ["public_inputs_two_sectors", "public_inputs_first_sector_only"] {
        assert_eq!(
            post[key].as_array().unwrap().len(),
            ProofType::PoSt(RegisteredPoStProof::StackedDRGWindow2KiBV1P1).public_inputs()
        );
    }
    for sector in post["leaf_challenges"].as_array().unwrap() {
        let leaves = sector["leaves"].as_array().unwrap();
        assert_eq!(leaves.len(), 10);
        assert!(leaves.iter().all(|leaf| leaf.as_u64().unwrap() < 64));
    }

    let text = format!("{}\n", serde_json::to_string_pretty(&computed).unwrap());
    let path = vectors_path();
    if std::env::var_os("STORAGE_CLI_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let stored = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing: run with STORAGE_CLI_BLESS=1 to write it", path.display()));
    let stored: serde_json::Value = serde_json::from_str(&stored).unwrap();
    assert_eq!(stored, computed, "filecoin-proofs now computes other public inputs than {} holds", path.display());
}
