//! Sealing and proving 2 KiB sectors with filecoin-proofs: the provider's sector store, `seal`
//! (pre-commit), `prove-commit` (PoRep) and `window-post`.
//!
//! Store layout, one directory per sector:
//! ```text
//! <store>/sector-<number>/unsealed     the pieces, Fr32-padded and aligned (the staged sector)
//! <store>/sector-<number>/sealed       the replica
//! <store>/sector-<number>/cache/       filecoin-proofs' trees and auxiliary files
//! <store>/sector-<number>/sector.json  what was sealed: `SectorRecord`
//! ```

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{bail, ensure, Context, Result};
use filecoin_proofs::{
    add_piece, generate_window_post, seal_commit_phase1, seal_commit_phase2, seal_pre_commit_phase1,
    seal_pre_commit_phase2, PieceInfo as FilPieceInfo, PrivateReplicaInfo, SealPreCommitOutput, UnpaddedBytesAmount,
};
use polka_storage_primitives::commitment::{
    commitment_to_cid, compute_unsealed_sector_commitment, zero_commitment, Commitment, CommitmentKind,
    PaddedPieceSize, PieceInfo,
};
use polka_storage_primitives::policy::{GROTH16_PROOF_BYTES, MAX_SECTORS};
use polka_storage_primitives::proofs::{PublicReplicaInfo, SealVerifyInfo};
use polka_storage_primitives::randomness::derive_prover_id;
use polka_storage_primitives::sector::SectorNumber;
use polka_storage_primitives::{AccountId, BlockNumber};
use serde::{Deserialize, Serialize};
use storage_proofs_core::sector::SectorId;

use crate::commp::file_commitment;
use crate::format::{account_to_ss58, cid_to_text, hex0x, hex32_serde};
use crate::params::{self, porep_config, window_post_config, Circuit, Tree, POST_PROOF, SEAL_PROOF};
use crate::progress::timed;

/// A provider's sector store.
#[derive(Debug, Clone)]
pub struct SectorStore {
    root: PathBuf,
}

impl SectorStore {
    /// The store rooted at `root` (created on first seal).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        SectorStore { root: root.into() }
    }

    /// The directory of one sector.
    pub fn sector_dir(&self, sector: SectorNumber) -> PathBuf {
        self.root.join(format!("sector-{sector}"))
    }

    /// The staged (unsealed) data of a sector.
    pub fn unsealed_path(&self, sector: SectorNumber) -> PathBuf {
        self.sector_dir(sector).join("unsealed")
    }

    /// The replica of a sector.
    pub fn sealed_path(&self, sector: SectorNumber) -> PathBuf {
        self.sector_dir(sector).join("sealed")
    }

    /// filecoin-proofs' cache directory of a sector.
    pub fn cache_path(&self, sector: SectorNumber) -> PathBuf {
        self.sector_dir(sector).join("cache")
    }

    fn record_path(&self, sector: SectorNumber) -> PathBuf {
        self.sector_dir(sector).join("sector.json")
    }

    /// The record of a sealed sector.
    pub fn load(&self, sector: SectorNumber) -> Result<SectorRecord> {
        let path = self.record_path(sector);
        let text = fs::read_to_string(&path).with_context(|| {
            format!(
                "sector {sector} is not sealed in the store {} (no {}): run `storage-cli seal` first, or pass the right --store",
                self.root.display(),
                path.display()
            )
        })?;
        serde_json::from_str(&text).with_context(|| format!("{} is damaged", path.display()))
    }
}

/// A piece as it sits in a sector.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PieceRecord {
    /// CommP.
    #[serde(with = "hex32_serde")]
    pub commp: Commitment,
    /// Textual piece CID.
    pub piece_cid: String,
    /// Padded piece size.
    pub piece_size: u64,
    /// The file the piece was read from.
    pub source: PathBuf,
}

/// What was sealed into a sector; `sector.json` of the store.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SectorRecord {
    /// Seal proof type (`StackedDrg2KiBV1_1`).
    pub seal_proof: String,
    /// The provider's account (hex).
    #[serde(with = "hex32_serde")]
    pub provider: [u8; 32],
    /// `derive_prover_id(provider)`.
    #[serde(with = "hex32_serde")]
    pub prover_id: [u8; 32],
    /// Sector number.
    pub sector_number: SectorNumber,
    /// The seal ticket.
    #[serde(with = "hex32_serde")]
    pub ticket: [u8; 32],
    /// The block the ticket was drawn for, when it was derived from the beacon.
    pub seal_randomness_height: Option<BlockNumber>,
    /// The pieces, in sector order.
    pub pieces: Vec<PieceRecord>,
    /// CommD.
    #[serde(with = "hex32_serde")]
    pub comm_d: Commitment,
    /// CommR.
    #[serde(with = "hex32_serde")]
    pub comm_r: Commitment,
}

impl SectorRecord {
    /// The provider's account.
    pub fn provider_account(&self) -> AccountId {
        AccountId::from(self.provider)
    }

    /// What the verifier contract checks a PoRep proof of this sector against
    /// (`ProofVerification::verify_porep`).
    pub fn seal_verify_info(&self, seed: [u8; 32], proof: Vec<u8>) -> SealVerifyInfo {
        SealVerifyInfo {
            seal_proof: SEAL_PROOF,
            prover_id: self.prover_id,
            sector_number: self.sector_number,
            ticket: self.ticket,
            seed,
            comm_r: self.comm_r,
            comm_d: self.comm_d,
            proof,
        }
    }

    /// This sector as a Window PoSt replica of `verify_post`.
    pub fn public_replica_info(&self) -> PublicReplicaInfo {
        PublicReplicaInfo { sector_number: self.sector_number, comm_r: self.comm_r }
    }

    /// The pieces as filecoin-proofs takes them: the deals' pieces, then the zero pieces that
    /// fill the rest of the sector.
    fn fil_piece_infos(&self) -> Result<Vec<FilPieceInfo>> {
        let sizes: Vec<u64> = self.pieces.iter().map(|piece| piece.piece_size).collect();
        let fillers = filler_sizes(&sizes)?;
        self.pieces
            .iter()
            .map(|piece| (piece.commp, piece.piece_size))
            .chain(fillers.into_iter().map(|size| (zero_piece(size), size)))
            .map(|(commitment, size)| {
                let size = PaddedPieceSize::new(size)
                    .map_err(|error| anyhow::anyhow!("bad piece size in sector.json: {error:?}"))?;
                FilPieceInfo::new(commitment, UnpaddedBytesAmount(size.unpadded()))
            })
            .collect()
    }

    /// What `pre_commit_sectors` needs.
    pub fn report(&self, store: &SectorStore) -> SealReport {
        let comm_d_cid = commitment_to_cid(&self.comm_d, CommitmentKind::Unsealed);
        let comm_r_cid = commitment_to_cid(&self.comm_r, CommitmentKind::Sealed);
        SealReport {
            seal_proof: self.seal_proof.clone(),
            sector_number: self.sector_number,
            sealed_cid: hex0x(&comm_r_cid),
            unsealed_cid: hex0x(&comm_d_cid),
            seal_randomness_height: self.seal_randomness_height,
            comm_r: hex0x(&self.comm_r),
            comm_d: hex0x(&self.comm_d),
            sealed_cid_text: cid_to_text(&comm_r_cid),
            unsealed_cid_text: cid_to_text(&comm_d_cid),
            ticket: hex0x(&self.ticket),
            prover_id: hex0x(&self.prover_id),
            provider: account_to_ss58(&self.provider_account()),
            pieces: self
                .pieces
                .iter()
                .map(|piece| PieceReport { piece_cid: piece.piece_cid.clone(), piece_size: piece.piece_size })
                .collect(),
            sector_dir: store.sector_dir(self.sector_number),
        }
    }
}

/// Output of `storage-cli seal`: the fields of `SectorPreCommitInfo` the seal fixes (the provider
/// adds `deal_ids` and `expiration`), and the raw values behind them.
#[derive(Debug, Serialize)]
pub struct SealReport {
    /// Seal proof type.
    pub seal_proof: String,
    /// Sector number.
    pub sector_number: SectorNumber,
    /// CommR as a binary CID, hex: `sealed_cid` of `SectorPreCommitInfo`.
    pub sealed_cid: String,
    /// CommD as a binary CID, hex: `unsealed_cid` of `SectorPreCommitInfo`.
    pub unsealed_cid: String,
    /// The ticket's block, when derived from the beacon: `seal_randomness_height`.
    pub seal_randomness_height: Option<BlockNumber>,
    /// Raw CommR.
    pub comm_r: String,
    /// Raw CommD.
    pub comm_d: String,
    /// Textual CommR CID.
    pub sealed_cid_text: String,
    /// Textual CommD CID.
    pub unsealed_cid_text: String,
    /// The ticket sealed with.
    pub ticket: String,
    /// The prover id sealed with.
    pub prover_id: String,
    /// The provider (SS58).
    pub provider: String,
    /// The pieces in sector order.
    pub pieces: Vec<PieceReport>,
    /// Where the replica and its cache are.
    pub sector_dir: PathBuf,
}

/// A piece of a sealed sector.
#[derive(Debug, Serialize)]
pub struct PieceReport {
    /// Textual piece CID.
    pub piece_cid: String,
    /// Padded size.
    pub piece_size: u64,
}

/// Everything `seal` needs.
#[derive(Debug, Clone)]
pub struct SealRequest {
    /// The provider that will pre-commit the sector.
    pub provider: AccountId,
    /// Sector number, unique per provider.
    pub sector_number: SectorNumber,
    /// The seal ticket.
    pub ticket: [u8; 32],
    /// The block the ticket was drawn for, if known (for `seal_randomness_height`).
    pub seal_randomness_height: Option<BlockNumber>,
    /// Piece files in deal order (each zero-filled to its piece size, as `commp` computes it).
    pub pieces: Vec<PathBuf>,
}

/// The zero pieces that fill a sector after pieces of these padded sizes, each piece aligned to
/// its own size (the layout of CommD, spec §3.6). filecoin-proofs' CommD check needs the pieces to
/// cover the whole sector, as Lotus's filler pieces do; their CommP is the zero commitment, so the
/// CommD is the one the market computes from the deals alone.
pub fn filler_sizes(piece_sizes: &[u64]) -> Result<Vec<u64>> {
    let sector_size = SEAL_PROOF.sector_size();
    let mut used: u64 = 0;
    for &size in piece_sizes {
        used = used.div_ceil(size) * size + size;
    }
    ensure!(used <= sector_size, "the pieces do not fit in the sector");
    // The remainder's bits from the lowest up: each filler starts aligned to its size.
    let remainder = sector_size - used;
    Ok((0..64).map(|bit| 1u64 << bit).filter(|size| remainder & size != 0).collect())
}

fn zero_piece(size: u64) -> Commitment {
    PaddedPieceSize::new(size).map(zero_commitment).unwrap_or([0u8; 32])
}

fn sector_id(sector: SectorNumber) -> SectorId {
    SectorId::from(u64::from(sector))
}

/// Seals a 2 KiB sector from `request.pieces` into `store`.
pub fn seal(store: &SectorStore, request: &SealRequest) -> Result<SectorRecord> {
    params::configure()?;
    let sector = request.sector_number;
    ensure!(sector <= MAX_SECTORS, "sector number {sector} is above the maximum {MAX_SECTORS}");
    let dir = store.sector_dir(sector);
    if store.record_path(sector).exists() {
        bail!(
            "sector {sector} is already sealed in {}: use another sector number, or delete that directory to reseal",
            dir.display()
        );
    }
    // Pieces first: a bad piece fails before anything is written.
    let mut pieces = Vec::with_capacity(request.pieces.len());
    for path in &request.pieces {
        let piece = file_commitment(path)?;
        pieces.push((path.clone(), piece));
    }
    let sector_size = SEAL_PROOF.padded_sector_size();
    let infos: Vec<PieceInfo> =
        pieces.iter().map(|(_, piece)| PieceInfo { commitment: piece.commitment, size: piece.padded_size }).collect();
    let expected_comm_d = compute_unsealed_sector_commitment(sector_size, &infos).map_err(|error| {
        anyhow::anyhow!(
            "the pieces do not fit in a 2 KiB sector ({error:?}): each piece is aligned to its own padded size and at most 2048 bytes fit"
        )
    })?;

    if dir.exists() {
        // Left over from an interrupted seal (no record): start afresh.
        fs::remove_dir_all(&dir).with_context(|| format!("cannot clear {}", dir.display()))?;
    }
    fs::create_dir_all(store.cache_path(sector)).with_context(|| format!("cannot create {}", dir.display()))?;

    let mut staged = File::create(store.unsealed_path(sector))?;
    let mut lengths: Vec<UnpaddedBytesAmount> = Vec::new();
    let mut piece_records = Vec::new();
    for (path, piece) in &pieces {
        let unpadded = piece.unpadded_size.get();
        let data = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let fill = std::io::repeat(0).take(unpadded - piece.data_len);
        let (info, written) =
            add_piece(data.take(piece.data_len).chain(fill), &mut staged, UnpaddedBytesAmount(unpadded), &lengths)
                .with_context(|| format!("cannot stage the piece {}", path.display()))?;
        ensure!(
            info.commitment == piece.commitment,
            "CommP of {} differs between storage-cli and filecoin-proofs",
            path.display()
        );
        lengths.push(written);
        piece_records.push(PieceRecord {
            commp: piece.commitment,
            piece_cid: cid_to_text(&piece.cid()),
            piece_size: piece.padded_size.get(),
            source: path.clone(),
        });
    }
    // Zero pieces fill the rest of the sector (written as zeros, like any piece).
    let sizes: Vec<u64> = piece_records.iter().map(|piece| piece.piece_size).collect();
    for size in filler_sizes(&sizes)? {
        let unpadded = PaddedPieceSize::new(size).map_err(|error| anyhow::anyhow!("{error:?}"))?.unpadded();
        let (info, written) =
            add_piece(std::io::repeat(0).take(unpadded), &mut staged, UnpaddedBytesAmount(unpadded), &lengths)?;
        ensure!(info.commitment == zero_piece(size), "a zero piece has a non-zero CommP");
        lengths.push(written);
    }
    staged.sync_all()?;
    drop(staged);
    File::create(store.sealed_path(sector))?;

    let prover_id = derive_prover_id(&request.provider);
    let mut record = SectorRecord {
        seal_proof: format!("{SEAL_PROOF:?}"),
        provider: *AsRef::<[u8; 32]>::as_ref(&request.provider),
        prover_id,
        sector_number: sector,
        ticket: request.ticket,
        seal_randomness_height: request.seal_randomness_height,
        pieces: piece_records,
        comm_d: [0u8; 32],
        comm_r: [0u8; 32],
    };
    let fil_pieces = record.fil_piece_infos()?;
    let config = porep_config();
    let (output, _) = timed("sealing (pre-commit phases 1 and 2)", || -> Result<_> {
        let phase1 = seal_pre_commit_phase1::<_, _, _, Tree>(
            &config,
            store.cache_path(sector),
            store.unsealed_path(sector),
            store.sealed_path(sector),
            prover_id,
            sector_id(sector),
            request.ticket,
            &fil_pieces,
        )?;
        seal_pre_commit_phase2::<_, _, Tree>(&config, phase1, store.cache_path(sector), store.sealed_path(sector))
    });
    let output = output.context("filecoin-proofs could not seal the sector")?;
    ensure!(
        output.comm_d == expected_comm_d,
        "CommD differs between filecoin-proofs and primitives::commitment: the contracts would reject this sector"
    );
    record.comm_d = output.comm_d;
    record.comm_r = output.comm_r;
    let text = serde_json::to_string_pretty(&record)?;
    let temporary = dir.join(".sector.json.partial");
    fs::write(&temporary, text)?;
    fs::rename(&temporary, store.record_path(sector))?;
    Ok(record)
}

/// The 192-byte PoRep proof of a sealed sector for the interactive `seed`.
pub fn prove_commit(store: &SectorStore, sector: SectorNumber, seed: [u8; 32]) -> Result<Vec<u8>> {
    params::configure()?;
    params::require_parameters(Circuit::Porep)?;
    let record = store.load(sector)?;
    ensure!(
        record.seal_proof == format!("{SEAL_PROOF:?}"),
        "sector {sector} was sealed as {}, this tool proves {SEAL_PROOF:?}",
        record.seal_proof
    );
    let config = porep_config();
    let pre_commit = SealPreCommitOutput { comm_r: record.comm_r, comm_d: record.comm_d };
    let pieces = record.fil_piece_infos()?;
    let (proof, _) = timed(&format!("proving sector {sector} (PoRep)"), || -> Result<Vec<u8>> {
        let phase1 = seal_commit_phase1::<_, Tree>(
            &config,
            store.cache_path(sector),
            store.sealed_path(sector),
            record.prover_id,
            sector_id(sector),
            record.ticket,
            seed,
            pre_commit,
            &pieces,
        )
        .context("the replica or its cache does not match the pre-committed sector")?;
        Ok(seal_commit_phase2::<Tree>(&config, phase1, record.prover_id, sector_id(sector))?.proof)
    });
    let proof = proof.with_context(|| format!("cannot prove sector {sector}"))?;
    ensure!(proof.len() == SEAL_PROOF.proof_size(), "filecoin-proofs made a {}-byte proof", proof.len());
    Ok(proof)
}

/// The sectors of one Window PoSt proof: distinct, sealed by one provider, at most
/// `sector_count` of them; sorted by number (the order of the public inputs).
pub fn post_records(store: &SectorStore, sectors: &[SectorNumber]) -> Result<Vec<SectorRecord>> {
    let mut numbers = sectors.to_vec();
    numbers.sort_unstable();
    numbers.dedup();
    ensure!(numbers.len() == sectors.len(), "a sector is listed twice");
    ensure!(!numbers.is_empty(), "name at least one sector");
    ensure!(
        numbers.len() <= POST_PROOF.sector_count(),
        "one Window PoSt proof covers at most {} sectors (one partition); run window-post once per partition",
        POST_PROOF.sector_count()
    );
    let records = numbers.iter().map(|sector| store.load(*sector)).collect::<Result<Vec<_>>>()?;
    ensure!(
        records.iter().all(|record| record.prover_id == records[0].prover_id),
        "the sectors were sealed by different providers"
    );
    Ok(records)
}

/// The 192-byte Window PoSt proof over `sectors` for the challenge `randomness`.
pub fn window_post(store: &SectorStore, sectors: &[SectorNumber], randomness: [u8; 32]) -> Result<Vec<u8>> {
    params::configure()?;
    params::require_parameters(Circuit::WindowPost)?;
    let records = post_records(store, sectors)?;
    let mut replicas = BTreeMap::new();
    for record in &records {
        let sector = record.sector_number;
        replicas.insert(
            sector_id(sector),
            PrivateReplicaInfo::<Tree>::new(store.sealed_path(sector), record.comm_r, store.cache_path(sector))
                .with_context(|| format!("sector {sector}'s replica or cache is missing"))?,
        );
    }
    let (proof, _) = timed("proving Window PoSt", || {
        generate_window_post::<Tree>(&window_post_config(), &randomness, &replicas, records[0].prover_id)
    });
    let proof = proof.context("cannot prove Window PoSt: a replica is damaged or does not match its CommR")?;
    ensure!(proof.len() == GROTH16_PROOF_BYTES, "filecoin-proofs made a {}-byte proof", proof.len());
    Ok(proof)
}

/// The sector store given on the command line, else `$STORAGE_CLI_STORE`, else `./sectors`.
pub fn default_store(given: Option<&Path>) -> SectorStore {
    match given {
        Some(path) => SectorStore::new(path),
        None => SectorStore::new(
            std::env::var_os("STORAGE_CLI_STORE").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("sectors")),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use polka_storage_primitives::commitment::piece_hash;

    #[test]
    fn fillers_complete_the_sector_in_aligned_powers_of_two() {
        assert_eq!(filler_sizes(&[]).unwrap(), vec![2048]);
        assert_eq!(filler_sizes(&[512]).unwrap(), vec![512, 1024]);
        assert_eq!(filler_sizes(&[1024, 512]).unwrap(), vec![512]);
        // 128 then 1024: the 1024 piece is aligned to 1024, leaving 128..1024 as a gap that the
        // alignment already zero-fills; nothing follows it.
        assert_eq!(filler_sizes(&[128, 1024]).unwrap(), Vec::<u64>::new());
        assert_eq!(filler_sizes(&[128, 128, 256]).unwrap(), vec![512, 1024]);
        assert!(filler_sizes(&[1024, 1024, 128]).is_err());
    }

    #[test]
    fn zero_pieces_do_not_change_commd() {
        let piece = PieceInfo { commitment: [7u8; 32], size: PaddedPieceSize::new(512).unwrap() };
        let sector = SEAL_PROOF.padded_sector_size();
        let alone = compute_unsealed_sector_commitment(sector, &[piece]).unwrap();
        let zero = |size| PieceInfo { commitment: zero_piece(size), size: PaddedPieceSize::new(size).unwrap() };
        let filled = compute_unsealed_sector_commitment(sector, &[piece, zero(512), zero(1024)]).unwrap();
        assert_eq!(alone, filled);
        assert_eq!(filled, piece_hash(&piece_hash(&[7u8; 32], &zero_piece(512)), &zero_piece(1024)));
    }
}
