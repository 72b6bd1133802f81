//! CommP of files: storage-cli's streaming Fr32 + sha256-trunc254 tree against filecoin-proofs'
//! own `generate_piece_commitment`.

use std::process::Command;

use filecoin_proofs::{generate_piece_commitment, UnpaddedBytesAmount};
use rand::{RngCore, SeedableRng};
use storage_cli::commp::piece_commitment;

/// filecoin-proofs reads exactly the unpadded piece size; clients zero-fill to it (as Lotus does).
fn zero_filled(bytes: &[u8], unpadded: u64) -> Vec<u8> {
    let mut filled = bytes.to_vec();
    filled.resize(unpadded as usize, 0);
    filled
}

fn data(len: usize, seed: u64) -> Vec<u8> {
    let mut bytes = vec![0u8; len];
    rand::rngs::StdRng::seed_from_u64(seed).fill_bytes(&mut bytes);
    bytes
}

#[test]
fn commp_matches_filecoin_proofs_for_every_size_class() {
    // Exact piece sizes, one byte over (next size up), odd lengths, and a multi-KiB piece.
    for (index, len) in
        [1usize, 126, 127, 128, 254, 255, 1000, 1016, 2032, 2033, 5000, 65_024, 100_000].into_iter().enumerate()
    {
        let bytes = data(len, index as u64);
        let ours = piece_commitment(&bytes[..]).unwrap();
        let unpadded = ours.unpadded_size.get();
        let theirs =
            generate_piece_commitment(&zero_filled(&bytes, unpadded)[..], UnpaddedBytesAmount(unpadded)).unwrap();
        assert_eq!(ours.commitment, theirs.commitment, "CommP of {len} bytes");
        assert_eq!(ours.unpadded_size.get(), u64::from(theirs.size), "size of {len} bytes");
        assert_eq!(ours.padded_size.get(), ours.unpadded_size.get() / 127 * 128);
        assert!(ours.unpadded_size.get() >= len as u64 && ours.unpadded_size.get() < 2 * len as u64 + 127);
    }
}

#[test]
fn a_changed_byte_changes_the_commp() {
    let bytes = data(3000, 7);
    let mut changed = bytes.clone();
    changed[2999] ^= 1;
    assert_ne!(piece_commitment(&bytes[..]).unwrap().commitment, piece_commitment(&changed[..]).unwrap().commitment);
}

#[test]
fn the_command_prints_the_cid_and_size_a_deal_needs() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("piece.bin");
    let bytes = data(1500, 11);
    std::fs::write(&file, &bytes).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_storage-cli")).arg("commp").arg(&file).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let expected = generate_piece_commitment(&zero_filled(&bytes, 2032)[..], UnpaddedBytesAmount(2032)).unwrap();
    assert_eq!(report["piece_size"], 2048);
    assert_eq!(report["commp"], format!("0x{}", hex::encode(expected.commitment)));
    let cid = hex::decode(report["piece_cid_hex"].as_str().unwrap().trim_start_matches("0x")).unwrap();
    assert_eq!(
        polka_storage_primitives::commitment::cid_to_commitment(
            &cid,
            polka_storage_primitives::commitment::CommitmentKind::Unsealed
        ),
        Ok(expected.commitment)
    );
    assert!(report["piece_cid"].as_str().unwrap().starts_with("baga6ea4sea"));

    let missing =
        Command::new(env!("CARGO_BIN_EXE_storage-cli")).arg("commp").arg(dir.path().join("absent")).output().unwrap();
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot open the piece"));
}
