//! Filecoin data commitments: CIDs of CommP / CommD / CommR, padded piece sizes, the
//! sha256-trunc254 node hash, the zero-commitment table, CommD of a sector from its pieces
//! (spec §3.6) and piece-inclusion proofs against a sector's CommD.

use crate::hash::{sha256, truncate_to_fr};
use alloc::vec::Vec;

/// A raw 32-byte commitment (the digest inside a CID).
pub type Commitment = [u8; 32];

/// Multicodec of unsealed commitments (CommP, CommD).
pub const FIL_COMMITMENT_UNSEALED: u64 = 0xf101;
/// Multicodec of sealed commitments (CommR).
pub const FIL_COMMITMENT_SEALED: u64 = 0xf102;
/// Multihash of the SHA-256 binary tree with the top two bits of each node cleared.
pub const SHA2_256_TRUNC254_PADDED: u64 = 0x1012;
/// Multihash of the Poseidon tree (arity 2/8) over BLS12-381 used by CommR.
pub const POSEIDON_BLS12_381_A2_FC1: u64 = 0xb401;
/// Longest CID the contracts accept (spec `CID_SIZE_IN_BYTES`).
pub const MAX_CID_LEN: usize = 64;

/// Which commitment a CID must carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommitmentKind {
    /// CommP of a piece or CommD of a sector: codec 0xf101, multihash 0x1012.
    Unsealed,
    /// CommR of a sealed sector: codec 0xf102, multihash 0xb401.
    Sealed,
}

impl CommitmentKind {
    /// The multicodec of CIDs of this kind.
    pub const fn codec(self) -> u64 {
        match self {
            CommitmentKind::Unsealed => FIL_COMMITMENT_UNSEALED,
            CommitmentKind::Sealed => FIL_COMMITMENT_SEALED,
        }
    }

    /// The multihash code of CIDs of this kind.
    pub const fn multihash(self) -> u64 {
        match self {
            CommitmentKind::Unsealed => SHA2_256_TRUNC254_PADDED,
            CommitmentKind::Sealed => POSEIDON_BLS12_381_A2_FC1,
        }
    }
}

/// Why bytes are not a CID of the expected commitment kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub enum CidError {
    /// The bytes end in the middle of the CID.
    Truncated,
    /// A varint is longer than 9 bytes or not minimally encoded.
    MalformedVarint,
    /// Only CIDv1 is accepted.
    NotCidV1,
    /// The codec is not the one of this commitment kind.
    WrongCodec,
    /// The multihash code is not the one of this commitment kind.
    WrongMultihash,
    /// The digest is not 32 bytes long.
    WrongDigestLength,
    /// Bytes follow the digest.
    TrailingBytes,
}

/// Reads one unsigned LEB128 varint, minimally encoded, of at most 9 bytes (multiformats rule).
fn read_varint(bytes: &mut &[u8]) -> Result<u64, CidError> {
    let mut value: u64 = 0;
    for index in 0..9usize {
        let (&byte, rest) = bytes.split_first().ok_or(CidError::Truncated)?;
        *bytes = rest;
        let shift = index.saturating_mul(7);
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            // A trailing zero group (other than a lone 0) is a non-minimal encoding.
            if byte == 0 && index > 0 {
                return Err(CidError::MalformedVarint);
            }
            return Ok(value);
        }
    }
    Err(CidError::MalformedVarint)
}

fn write_varint(mut value: u64, out: &mut Vec<u8>) {
    loop {
        let low = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

/// Extracts the 32-byte commitment of a binary CIDv1 of the given kind.
pub fn cid_to_commitment(cid: &[u8], kind: CommitmentKind) -> Result<Commitment, CidError> {
    let mut rest = cid;
    if read_varint(&mut rest)? != 1 {
        return Err(CidError::NotCidV1);
    }
    if read_varint(&mut rest)? != kind.codec() {
        return Err(CidError::WrongCodec);
    }
    if read_varint(&mut rest)? != kind.multihash() {
        return Err(CidError::WrongMultihash);
    }
    if read_varint(&mut rest)? != 32 {
        return Err(CidError::WrongDigestLength);
    }
    let digest: Commitment = rest
        .get(..32)
        .and_then(|digest| digest.try_into().ok())
        .ok_or(CidError::Truncated)?;
    if rest.len() > 32 {
        return Err(CidError::TrailingBytes);
    }
    Ok(digest)
}

/// Encodes a commitment as a binary CIDv1 of the given kind (39 bytes unsealed, 40 sealed).
pub fn commitment_to_cid(commitment: &Commitment, kind: CommitmentKind) -> Vec<u8> {
    let mut cid = Vec::with_capacity(40);
    write_varint(1, &mut cid);
    write_varint(kind.codec(), &mut cid);
    write_varint(kind.multihash(), &mut cid);
    write_varint(32, &mut cid);
    cid.extend_from_slice(commitment);
    cid
}

/// Why a number is not a valid piece size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub enum PieceSizeError {
    /// A padded piece is at least 128 bytes (an unpadded one 127).
    TooSmall,
    /// A padded size is a power of two; an unpadded one 127 times a power of two.
    NotPowerOfTwo,
    /// Larger than the largest sector (64 GiB).
    TooLarge,
}

/// Largest padded piece: the largest Filecoin sector, 64 GiB.
pub const MAX_PADDED_PIECE_SIZE: u64 = 64 << 30;

/// A padded piece size: a power of two from 128 bytes up to 64 GiB (Fr32 padding expands every
/// 127 bytes of data to 128).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PaddedPieceSize(u64);

impl PaddedPieceSize {
    /// Checks that `size` is a valid padded piece size.
    pub const fn new(size: u64) -> Result<Self, PieceSizeError> {
        if size < 128 {
            Err(PieceSizeError::TooSmall)
        } else if !size.is_power_of_two() {
            Err(PieceSizeError::NotPowerOfTwo)
        } else if size > MAX_PADDED_PIECE_SIZE {
            Err(PieceSizeError::TooLarge)
        } else {
            Ok(Self(size))
        }
    }

    /// The size in bytes.
    pub const fn get(self) -> u64 {
        self.0
    }

    /// The number of data bytes that fit before Fr32 padding (127/128 of the padded size).
    pub const fn unpadded(self) -> u64 {
        self.0 - self.0 / 128
    }

    /// log2 of the number of 32-byte nodes: the height of the piece's Merkle tree.
    pub const fn tree_height(self) -> u32 {
        self.0.trailing_zeros() - 5
    }
}

/// An unpadded piece size: 127 · 2^k bytes, the data that fills a padded piece exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct UnpaddedPieceSize(u64);

impl UnpaddedPieceSize {
    /// Checks that `size` is 127 times a power of two, and at least 127.
    pub const fn new(size: u64) -> Result<Self, PieceSizeError> {
        if size < 127 {
            return Err(PieceSizeError::TooSmall);
        }
        if size % 127 != 0 || !(size / 127).is_power_of_two() {
            return Err(PieceSizeError::NotPowerOfTwo);
        }
        if size / 127 > MAX_PADDED_PIECE_SIZE / 128 {
            return Err(PieceSizeError::TooLarge);
        }
        Ok(Self(size))
    }

    /// The smallest unpadded piece size that holds `len` bytes of data.
    pub fn fitting(len: u64) -> Result<Self, PieceSizeError> {
        let mut size = 127u64;
        while size < len {
            size = size.checked_mul(2).ok_or(PieceSizeError::TooLarge)?;
        }
        Self::new(size)
    }

    /// The size in bytes.
    pub const fn get(self) -> u64 {
        self.0
    }

    /// The padded size: `unpadded + unpadded / 127`.
    pub const fn padded(self) -> PaddedPieceSize {
        PaddedPieceSize(self.0 + self.0 / 127)
    }
}

/// The node hash of Filecoin's piece and data trees: SHA-256 of both children, top two bits cleared.
pub fn piece_hash(left: &Commitment, right: &Commitment) -> Commitment {
    truncate_to_fr(sha256(&[left, right]))
}

const fn hex_commitment(text: &str) -> Commitment {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => panic!("not a lowercase hex digit"),
        }
    }
    let bytes = text.as_bytes();
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = (nibble(bytes[2 * i]) << 4) | nibble(bytes[2 * i + 1]);
        i += 1;
    }
    out
}

/// `ZERO_COMMITMENTS[h]` is the root of a tree of 2^h zero nodes, i.e. the commitment of
/// 32·2^h zero bytes (`z_32 = 0`, `z_2s = piece_hash(z_s, z_s)`), from 32 bytes up to 64 GiB.
pub const ZERO_COMMITMENTS: [Commitment; 32] = [
    hex_commitment("0000000000000000000000000000000000000000000000000000000000000000"),
    hex_commitment("f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb0b"),
    hex_commitment("3731bb99ac689f66eef5973e4a94da188f4ddcae580724fc6f3fd60dfd488333"),
    hex_commitment("642a607ef886b004bf2c1978463ae1d4693ac0f410eb2d1b7a47fe205e5e750f"),
    hex_commitment("57a2381a28652bf47f6bef7aca679be4aede5871ab5cf3eb2c08114488cb8526"),
    hex_commitment("1f7ac9595510e09ea41c460b176430bb322cd6fb412ec57cb17d989a4310372f"),
    hex_commitment("fc7e928296e516faade986b28f92d44a4f24b935485223376a799027bc18f833"),
    hex_commitment("08c47b38ee13bc43f41b915c0eed9911a26086b3ed62401bf9d58b8d19dff624"),
    hex_commitment("b2e47bfb11facd941f62af5c750f3ea5cc4df517d5c4f16db2b4d77baec1a32f"),
    hex_commitment("f9226160c8f927bfdcc418cdf203493146008eaefb7d02194d5e548189005108"),
    hex_commitment("2c1a964bb90b59ebfe0f6da29ad65ae3e417724a8f7c11745a40cac1e5e74011"),
    hex_commitment("fee378cef16404b199ede0b13e11b624ff9d784fbbed878d83297e795e024f02"),
    hex_commitment("8e9e2403fa884cf6237f60df25f83ee40dca9ed879eb6f6352d15084f5ad0d3f"),
    hex_commitment("752d9693fa167524395476e317a98580f00947afb7a30540d625a9291cc12a07"),
    hex_commitment("7022f60f7ef6adfa17117a52619e30cea82c68075adf1c667786ec506eef2d19"),
    hex_commitment("d99887b973573a96e11393645236c17b1f4c7034d723c7a99f709bb4da61162b"),
    hex_commitment("d0b530dbb0b4f25c5d2f2a28dfee808b53412a02931f18c499f5a254086b1326"),
    hex_commitment("84c0421ba0685a01bf795a2344064fe424bd52a9d24377b394ff4c4b4568e811"),
    hex_commitment("65f29e5d98d246c38b388cfc06db1f6b021303c5a289000bdce832a9c3ec421c"),
    hex_commitment("a2247508285850965b7e334b3127b0c042b1d046dc54402137627cd8799ce13a"),
    hex_commitment("dafdab6da9364453c26d33726b9fefe343be8f81649ec009aad3faff50617508"),
    hex_commitment("d941d5e0d6314a995c33ffbd4fbe69118d73d4e5fd2cd31f0f7c86ebdd14e706"),
    hex_commitment("514c435c3d04d349a5365fbd59ffc713629111785991c1a3c53af22079741a2f"),
    hex_commitment("ad06853969d37d34ff08e09f56930a4ad19a89def60cbfee7e1d3381c1e71c37"),
    hex_commitment("39560e7b13a93b07a243fd2720ffa7cb3e1d2e505ab3629e79f46313512cda06"),
    hex_commitment("ccc3c012f5b05e811a2bbfdd0f6833b84275b47bf229c0052a82484f3c1a5b3d"),
    hex_commitment("7df29b69773199e8f2b40b77919d048509eed768e2c7297b1f1437034fc3c62c"),
    hex_commitment("66ce05a3667552cf45c02bcc4e8392919bdeac35de2ff56271848e9f7b675107"),
    hex_commitment("d8610218425ab5e95b1ca6239d29a2e420d706a96f373e2f9c9a91d759d19b01"),
    hex_commitment("6d364b1ef846441a5a4a68862314acc0a46f016717e53443e839eedf83c2853c"),
    hex_commitment("077e5fde35c50a9303a55009e3498a4ebedff39c42b710b730d8ec7ac7afa63e"),
    hex_commitment("e64005a6bfe3777953b8ad6ef93f0fca1049b2041654f2a411f7702799cece02"),
];

/// The commitment of a piece or sector of `size` zero bytes.
pub const fn zero_commitment(size: PaddedPieceSize) -> Commitment {
    ZERO_COMMITMENTS[size.0.trailing_zeros() as usize - 5]
}

/// A piece as it enters CommD: its CommP and padded size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PieceInfo {
    /// CommP of the piece.
    pub commitment: Commitment,
    /// Padded size of the piece.
    pub size: PaddedPieceSize,
}

/// Why the pieces of a sector do not make a CommD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo))]
pub enum CommDError {
    /// The pieces, each aligned to its own size, do not fit in the sector.
    PiecesDoNotFit,
    /// More pieces than a sector of this size may hold (16 for 2 KiB).
    TooManyPieces,
}

/// Most pieces a sector of `sector_size` may hold: one per 127 bytes of its unpadded capacity.
pub const fn max_pieces(sector_size: PaddedPieceSize) -> u64 {
    sector_size.unpadded() / 127
}

/// CommD of a sector from its pieces in order (spec §3.6): each piece is aligned to its own size,
/// gaps and the tail are zero-filled. No pieces give the commitment of an empty sector.
pub fn compute_unsealed_sector_commitment(
    sector_size: PaddedPieceSize,
    pieces: &[PieceInfo],
) -> Result<Commitment, CommDError> {
    if pieces.is_empty() {
        return Ok(zero_commitment(sector_size));
    }
    if pieces.len() as u64 > max_pieces(sector_size) {
        return Err(CommDError::TooManyPieces);
    }
    // A stack of subtree roots of strictly decreasing size (a binary counter of the bytes laid
    // out so far); it never holds more entries than the sector's tree is high.
    let mut stack: Vec<(Commitment, u64)> = Vec::with_capacity(40);
    let push = |stack: &mut Vec<(Commitment, u64)>, node: (Commitment, u64)| {
        stack.push(node);
        while let [.., (left, left_size), (right, right_size)] = stack.as_slice() {
            if left_size != right_size {
                break;
            }
            let merged = (piece_hash(left, right), left_size.saturating_mul(2));
            stack.truncate(stack.len().saturating_sub(2));
            stack.push(merged);
        }
    };
    let pad = |stack: &mut Vec<(Commitment, u64)>| -> Result<(), CommDError> {
        let size = stack.last().map_or(0, |(_, size)| *size);
        let zero = PaddedPieceSize::new(size).map_err(|_| CommDError::PiecesDoNotFit)?;
        push(stack, (zero_commitment(zero), size));
        Ok(())
    };
    for piece in pieces {
        while stack.last().is_some_and(|(_, size)| *size < piece.size.get()) {
            pad(&mut stack)?;
        }
        push(&mut stack, (piece.commitment, piece.size.get()));
        if stack.first().is_some_and(|(_, size)| *size > sector_size.get()) {
            return Err(CommDError::PiecesDoNotFit);
        }
    }
    while !matches!(stack.as_slice(), [(_, size)] if *size >= sector_size.get()) {
        pad(&mut stack)?;
    }
    match stack.as_slice() {
        [(root, size)] if *size == sector_size.get() => Ok(*root),
        _ => Err(CommDError::PiecesDoNotFit),
    }
}

/// Checks a piece-inclusion proof: that the piece with CommP `piece` and size `piece_size` sits
/// at byte `offset` of a sector of `sector_size` whose CommD is `comm_d`. `path` holds the sibling
/// nodes from the piece's subtree root up to (not including) the sector root.
pub fn verify_piece_inclusion(
    comm_d: &Commitment,
    sector_size: PaddedPieceSize,
    piece: &Commitment,
    piece_size: PaddedPieceSize,
    offset: u64,
    path: &[Commitment],
) -> bool {
    if piece_size > sector_size || offset % piece_size.get() != 0 || offset >= sector_size.get() {
        return false;
    }
    let height = sector_size.tree_height().saturating_sub(piece_size.tree_height());
    if path.len() != height as usize {
        return false;
    }
    let mut index = offset / piece_size.get();
    let mut node = *piece;
    for sibling in path {
        node = if index % 2 == 0 { piece_hash(&node, sibling) } else { piece_hash(sibling, &node) };
        index /= 2;
    }
    node == *comm_d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::hex32;

    const SECTOR_2K: PaddedPieceSize = match PaddedPieceSize::new(2048) {
        Ok(size) => size,
        Err(_) => panic!(),
    };

    fn size(n: u64) -> PaddedPieceSize {
        PaddedPieceSize::new(n).unwrap()
    }

    #[test]
    fn zero_table_is_the_doubling_chain() {
        for level in 1..ZERO_COMMITMENTS.len() {
            let below = &ZERO_COMMITMENTS[level - 1];
            assert_eq!(piece_hash(below, below), ZERO_COMMITMENTS[level], "level {level}");
        }
    }

    #[test]
    fn empty_2kib_sector_commd_is_the_spec_value() {
        let comm_d = compute_unsealed_sector_commitment(SECTOR_2K, &[]).unwrap();
        assert_eq!(&comm_d[..4], &[0xfc, 0x7e, 0x92, 0x82]);
        assert_eq!(comm_d, hex32("fc7e928296e516faade986b28f92d44a4f24b935485223376a799027bc18f833"));
        assert_eq!(zero_commitment(size(128))[..4], [0x37, 0x31, 0xbb, 0x99]);
    }

    /// An independent CommD: lay the pieces out at their aligned offsets, then hash the sector's
    /// tree top-down, using a piece's CommP where it fills a node and zero commitments for gaps.
    fn commd_top_down(sector: u64, pieces: &[(Commitment, u64)]) -> Commitment {
        let mut placed = Vec::new();
        let mut offset = 0u64;
        for &(comm, len) in pieces {
            offset = offset.div_ceil(len) * len;
            placed.push((offset, len, comm));
            offset += len;
        }
        assert!(offset <= sector);
        fn node(start: u64, len: u64, placed: &[(u64, u64, Commitment)]) -> Commitment {
            if let Some(&(_, _, comm)) = placed.iter().find(|(s, l, _)| *s == start && *l == len) {
                return comm;
            }
            if !placed.iter().any(|(s, l, _)| *s < start + len && start < s + l) {
                return zero_commitment(PaddedPieceSize::new(len).unwrap());
            }
            let half = len / 2;
            piece_hash(&node(start, half, placed), &node(start + half, half, placed))
        }
        node(0, sector, &placed)
    }

    fn leaf(seed: u8) -> Commitment {
        truncate_to_fr(sha256(&[&[seed]]))
    }

    #[test]
    fn commd_of_mixed_pieces_matches_the_top_down_layout() {
        let cases: &[&[(u8, u64)]] = &[
            &[(1, 2048)],
            &[(1, 1024), (2, 1024)],
            &[(1, 128), (2, 1024)],
            &[(1, 128), (2, 256), (3, 128), (4, 512)],
            &[(1, 512), (2, 128), (3, 128), (4, 256), (5, 1024)],
            &[(1, 256), (2, 128)],
            &[(1, 128); 16],
        ];
        for pieces in cases {
            let infos: Vec<PieceInfo> = pieces
                .iter()
                .map(|&(seed, len)| PieceInfo { commitment: leaf(seed), size: size(len) })
                .collect();
            let raw: Vec<(Commitment, u64)> = pieces.iter().map(|&(s, l)| (leaf(s), l)).collect();
            assert_eq!(
                compute_unsealed_sector_commitment(SECTOR_2K, &infos).unwrap(),
                commd_top_down(2048, &raw),
                "pieces {pieces:?}"
            );
        }
    }

    #[test]
    fn commd_of_two_pieces_matches_a_python_computation() {
        // sha256-trunc254 tree of CommP(sha(1)) at 0..128 and CommP(sha(2)) at 1024..2048, by hand.
        let infos = [
            PieceInfo { commitment: leaf(1), size: size(128) },
            PieceInfo { commitment: leaf(2), size: size(1024) },
        ];
        let comm_d = compute_unsealed_sector_commitment(SECTOR_2K, &infos).unwrap();
        let z = |n: u64| zero_commitment(size(n));
        let left_256 = piece_hash(&leaf(1), &z(128));
        let left_512 = piece_hash(&left_256, &z(256));
        let left_1024 = piece_hash(&left_512, &z(512));
        assert_eq!(comm_d, piece_hash(&left_1024, &leaf(2)));
    }

    #[test]
    fn pieces_that_do_not_fit_are_rejected() {
        let p = |len| PieceInfo { commitment: leaf(0), size: size(len) };
        assert_eq!(
            compute_unsealed_sector_commitment(SECTOR_2K, &[p(4096)]),
            Err(CommDError::PiecesDoNotFit)
        );
        // Fits by total bytes, not once aligned: 128 then 1024 (fills to 2048) then 512.
        assert_eq!(
            compute_unsealed_sector_commitment(SECTOR_2K, &[p(128), p(1024), p(512)]),
            Err(CommDError::PiecesDoNotFit)
        );
        assert_eq!(
            compute_unsealed_sector_commitment(SECTOR_2K, &[p(128); 17]),
            Err(CommDError::TooManyPieces)
        );
    }

    #[test]
    fn cids_round_trip_with_the_spec_prefixes() {
        let digest = leaf(9);
        let unsealed = commitment_to_cid(&digest, CommitmentKind::Unsealed);
        assert_eq!(unsealed.len(), 39);
        assert_eq!(&unsealed[..7], &[0x01, 0x81, 0xe2, 0x03, 0x92, 0x20, 0x20]);
        let sealed = commitment_to_cid(&digest, CommitmentKind::Sealed);
        assert_eq!(sealed.len(), 40);
        assert_eq!(&sealed[..8], &[0x01, 0x82, 0xe2, 0x03, 0x81, 0xe8, 0x02, 0x20]);
        assert_eq!(cid_to_commitment(&unsealed, CommitmentKind::Unsealed), Ok(digest));
        assert_eq!(cid_to_commitment(&sealed, CommitmentKind::Sealed), Ok(digest));
    }

    #[test]
    fn every_malformed_cid_gets_a_named_error() {
        let good = commitment_to_cid(&leaf(3), CommitmentKind::Unsealed);
        let kind = CommitmentKind::Unsealed;
        assert_eq!(cid_to_commitment(&[], kind), Err(CidError::Truncated));
        assert_eq!(cid_to_commitment(&good[..38], kind), Err(CidError::Truncated));
        assert_eq!(cid_to_commitment(&good[..3], kind), Err(CidError::Truncated));
        let mut longer = good.clone();
        longer.push(0);
        assert_eq!(cid_to_commitment(&longer, kind), Err(CidError::TrailingBytes));
        let mut v0 = good.clone();
        v0[0] = 0;
        assert_eq!(cid_to_commitment(&v0, kind), Err(CidError::NotCidV1));
        assert_eq!(
            cid_to_commitment(&good, CommitmentKind::Sealed),
            Err(CidError::WrongCodec)
        );
        let mut wrong_hash = good.clone();
        wrong_hash[4] = 0x93;
        assert_eq!(cid_to_commitment(&wrong_hash, kind), Err(CidError::WrongMultihash));
        let mut short_digest = good.clone();
        short_digest[6] = 31;
        assert_eq!(cid_to_commitment(&short_digest, kind), Err(CidError::WrongDigestLength));
        // A 31-byte digest that claims 31 bytes: still rejected, never a panic.
        assert_eq!(
            cid_to_commitment(&short_digest[..38], kind),
            Err(CidError::WrongDigestLength)
        );
        assert_eq!(cid_to_commitment(&[0x81, 0x80, 0x00], kind), Err(CidError::MalformedVarint));
        assert_eq!(cid_to_commitment(&[0xff; 12], kind), Err(CidError::MalformedVarint));
    }

    #[test]
    fn piece_sizes_are_checked() {
        assert_eq!(PaddedPieceSize::new(127), Err(PieceSizeError::TooSmall));
        assert_eq!(PaddedPieceSize::new(0), Err(PieceSizeError::TooSmall));
        assert_eq!(PaddedPieceSize::new(384), Err(PieceSizeError::NotPowerOfTwo));
        assert_eq!(PaddedPieceSize::new(128 << 30), Err(PieceSizeError::TooLarge));
        assert_eq!(size(2048).unpadded(), 2032);
        assert_eq!(UnpaddedPieceSize::new(2032).unwrap().padded(), size(2048));
        assert_eq!(UnpaddedPieceSize::new(2000), Err(PieceSizeError::NotPowerOfTwo));
        assert_eq!(UnpaddedPieceSize::new(100), Err(PieceSizeError::TooSmall));
        assert_eq!(UnpaddedPieceSize::fitting(1000).unwrap().get(), 1016);
        assert_eq!(max_pieces(SECTOR_2K), 16);
    }

    #[test]
    fn piece_inclusion_proofs_verify_and_reject_tampering() {
        let infos = [
            PieceInfo { commitment: leaf(1), size: size(128) },
            PieceInfo { commitment: leaf(2), size: size(1024) },
        ];
        let comm_d = compute_unsealed_sector_commitment(SECTOR_2K, &infos).unwrap();
        let z = |n: u64| zero_commitment(size(n));
        let left_1024 = piece_hash(&piece_hash(&piece_hash(&leaf(1), &z(128)), &z(256)), &z(512));
        // Piece 2 at offset 1024: its only sibling is the left half.
        assert!(verify_piece_inclusion(&comm_d, SECTOR_2K, &leaf(2), size(1024), 1024, &[left_1024]));
        // Piece 1 at offset 0: siblings are zero nodes of 128, 256, 512 then piece 2.
        let path = [z(128), z(256), z(512), leaf(2)];
        assert!(verify_piece_inclusion(&comm_d, SECTOR_2K, &leaf(1), size(128), 0, &path));
        assert!(!verify_piece_inclusion(&comm_d, SECTOR_2K, &leaf(1), size(128), 128, &path));
        assert!(!verify_piece_inclusion(&comm_d, SECTOR_2K, &leaf(3), size(128), 0, &path));
        assert!(!verify_piece_inclusion(&comm_d, SECTOR_2K, &leaf(1), size(128), 0, &path[..3]));
        assert!(!verify_piece_inclusion(&comm_d, SECTOR_2K, &leaf(1), size(128), 64, &path));
    }
}
