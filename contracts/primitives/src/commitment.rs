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
    let digest: Commitment = rest.get(..32).and_then(|digest| digest.try_into().ok()).ok_or(CidError::Truncated)?;
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

pub use crate::policy::MAX_PADDED_PIECE_SIZE;

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
        self.0.saturating_sub(self.0 / 128)
    }

    /// log2 of the number of 32-byte nodes: the height of the piece's Merkle tree.
    pub const fn tree_height(self) -> u32 {
        self.0.trailing_zeros().saturating_sub(5)
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
        PaddedPieceSize(self.0.saturating_add(self.0 / 127))
    }
}

/// The node hash of Filecoin's piece and data trees: SHA-256 of both children, top two bits cleared.
pub fn piece_hash(left: &Commitment, right: &Commitment) -> Commitment {
    truncate_to_fr(sha256(&[left, right]))
}

/// `ZERO_COMMITMENTS[h]` is the root of a tree of 2^h zero nodes, i.e. the commitment of
/// 32·2^h zero bytes (`z_32 = 0`, `z_2s = piece_hash(z_s, z_s)`), from 32 bytes up to 64 GiB.
pub const ZERO_COMMITMENTS: [Commitment; 32] = [
    [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ],
    [
        0xf5, 0xa5, 0xfd, 0x42, 0xd1, 0x6a, 0x20, 0x30, 0x27, 0x98, 0xef, 0x6e, 0xd3, 0x09, 0x97, 0x9b, 0x43, 0x00,
        0x3d, 0x23, 0x20, 0xd9, 0xf0, 0xe8, 0xea, 0x98, 0x31, 0xa9, 0x27, 0x59, 0xfb, 0x0b,
    ],
    [
        0x37, 0x31, 0xbb, 0x99, 0xac, 0x68, 0x9f, 0x66, 0xee, 0xf5, 0x97, 0x3e, 0x4a, 0x94, 0xda, 0x18, 0x8f, 0x4d,
        0xdc, 0xae, 0x58, 0x07, 0x24, 0xfc, 0x6f, 0x3f, 0xd6, 0x0d, 0xfd, 0x48, 0x83, 0x33,
    ],
    [
        0x64, 0x2a, 0x60, 0x7e, 0xf8, 0x86, 0xb0, 0x04, 0xbf, 0x2c, 0x19, 0x78, 0x46, 0x3a, 0xe1, 0xd4, 0x69, 0x3a,
        0xc0, 0xf4, 0x10, 0xeb, 0x2d, 0x1b, 0x7a, 0x47, 0xfe, 0x20, 0x5e, 0x5e, 0x75, 0x0f,
    ],
    [
        0x57, 0xa2, 0x38, 0x1a, 0x28, 0x65, 0x2b, 0xf4, 0x7f, 0x6b, 0xef, 0x7a, 0xca, 0x67, 0x9b, 0xe4, 0xae, 0xde,
        0x58, 0x71, 0xab, 0x5c, 0xf3, 0xeb, 0x2c, 0x08, 0x11, 0x44, 0x88, 0xcb, 0x85, 0x26,
    ],
    [
        0x1f, 0x7a, 0xc9, 0x59, 0x55, 0x10, 0xe0, 0x9e, 0xa4, 0x1c, 0x46, 0x0b, 0x17, 0x64, 0x30, 0xbb, 0x32, 0x2c,
        0xd6, 0xfb, 0x41, 0x2e, 0xc5, 0x7c, 0xb1, 0x7d, 0x98, 0x9a, 0x43, 0x10, 0x37, 0x2f,
    ],
    [
        0xfc, 0x7e, 0x92, 0x82, 0x96, 0xe5, 0x16, 0xfa, 0xad, 0xe9, 0x86, 0xb2, 0x8f, 0x92, 0xd4, 0x4a, 0x4f, 0x24,
        0xb9, 0x35, 0x48, 0x52, 0x23, 0x37, 0x6a, 0x79, 0x90, 0x27, 0xbc, 0x18, 0xf8, 0x33,
    ],
    [
        0x08, 0xc4, 0x7b, 0x38, 0xee, 0x13, 0xbc, 0x43, 0xf4, 0x1b, 0x91, 0x5c, 0x0e, 0xed, 0x99, 0x11, 0xa2, 0x60,
        0x86, 0xb3, 0xed, 0x62, 0x40, 0x1b, 0xf9, 0xd5, 0x8b, 0x8d, 0x19, 0xdf, 0xf6, 0x24,
    ],
    [
        0xb2, 0xe4, 0x7b, 0xfb, 0x11, 0xfa, 0xcd, 0x94, 0x1f, 0x62, 0xaf, 0x5c, 0x75, 0x0f, 0x3e, 0xa5, 0xcc, 0x4d,
        0xf5, 0x17, 0xd5, 0xc4, 0xf1, 0x6d, 0xb2, 0xb4, 0xd7, 0x7b, 0xae, 0xc1, 0xa3, 0x2f,
    ],
    [
        0xf9, 0x22, 0x61, 0x60, 0xc8, 0xf9, 0x27, 0xbf, 0xdc, 0xc4, 0x18, 0xcd, 0xf2, 0x03, 0x49, 0x31, 0x46, 0x00,
        0x8e, 0xae, 0xfb, 0x7d, 0x02, 0x19, 0x4d, 0x5e, 0x54, 0x81, 0x89, 0x00, 0x51, 0x08,
    ],
    [
        0x2c, 0x1a, 0x96, 0x4b, 0xb9, 0x0b, 0x59, 0xeb, 0xfe, 0x0f, 0x6d, 0xa2, 0x9a, 0xd6, 0x5a, 0xe3, 0xe4, 0x17,
        0x72, 0x4a, 0x8f, 0x7c, 0x11, 0x74, 0x5a, 0x40, 0xca, 0xc1, 0xe5, 0xe7, 0x40, 0x11,
    ],
    [
        0xfe, 0xe3, 0x78, 0xce, 0xf1, 0x64, 0x04, 0xb1, 0x99, 0xed, 0xe0, 0xb1, 0x3e, 0x11, 0xb6, 0x24, 0xff, 0x9d,
        0x78, 0x4f, 0xbb, 0xed, 0x87, 0x8d, 0x83, 0x29, 0x7e, 0x79, 0x5e, 0x02, 0x4f, 0x02,
    ],
    [
        0x8e, 0x9e, 0x24, 0x03, 0xfa, 0x88, 0x4c, 0xf6, 0x23, 0x7f, 0x60, 0xdf, 0x25, 0xf8, 0x3e, 0xe4, 0x0d, 0xca,
        0x9e, 0xd8, 0x79, 0xeb, 0x6f, 0x63, 0x52, 0xd1, 0x50, 0x84, 0xf5, 0xad, 0x0d, 0x3f,
    ],
    [
        0x75, 0x2d, 0x96, 0x93, 0xfa, 0x16, 0x75, 0x24, 0x39, 0x54, 0x76, 0xe3, 0x17, 0xa9, 0x85, 0x80, 0xf0, 0x09,
        0x47, 0xaf, 0xb7, 0xa3, 0x05, 0x40, 0xd6, 0x25, 0xa9, 0x29, 0x1c, 0xc1, 0x2a, 0x07,
    ],
    [
        0x70, 0x22, 0xf6, 0x0f, 0x7e, 0xf6, 0xad, 0xfa, 0x17, 0x11, 0x7a, 0x52, 0x61, 0x9e, 0x30, 0xce, 0xa8, 0x2c,
        0x68, 0x07, 0x5a, 0xdf, 0x1c, 0x66, 0x77, 0x86, 0xec, 0x50, 0x6e, 0xef, 0x2d, 0x19,
    ],
    [
        0xd9, 0x98, 0x87, 0xb9, 0x73, 0x57, 0x3a, 0x96, 0xe1, 0x13, 0x93, 0x64, 0x52, 0x36, 0xc1, 0x7b, 0x1f, 0x4c,
        0x70, 0x34, 0xd7, 0x23, 0xc7, 0xa9, 0x9f, 0x70, 0x9b, 0xb4, 0xda, 0x61, 0x16, 0x2b,
    ],
    [
        0xd0, 0xb5, 0x30, 0xdb, 0xb0, 0xb4, 0xf2, 0x5c, 0x5d, 0x2f, 0x2a, 0x28, 0xdf, 0xee, 0x80, 0x8b, 0x53, 0x41,
        0x2a, 0x02, 0x93, 0x1f, 0x18, 0xc4, 0x99, 0xf5, 0xa2, 0x54, 0x08, 0x6b, 0x13, 0x26,
    ],
    [
        0x84, 0xc0, 0x42, 0x1b, 0xa0, 0x68, 0x5a, 0x01, 0xbf, 0x79, 0x5a, 0x23, 0x44, 0x06, 0x4f, 0xe4, 0x24, 0xbd,
        0x52, 0xa9, 0xd2, 0x43, 0x77, 0xb3, 0x94, 0xff, 0x4c, 0x4b, 0x45, 0x68, 0xe8, 0x11,
    ],
    [
        0x65, 0xf2, 0x9e, 0x5d, 0x98, 0xd2, 0x46, 0xc3, 0x8b, 0x38, 0x8c, 0xfc, 0x06, 0xdb, 0x1f, 0x6b, 0x02, 0x13,
        0x03, 0xc5, 0xa2, 0x89, 0x00, 0x0b, 0xdc, 0xe8, 0x32, 0xa9, 0xc3, 0xec, 0x42, 0x1c,
    ],
    [
        0xa2, 0x24, 0x75, 0x08, 0x28, 0x58, 0x50, 0x96, 0x5b, 0x7e, 0x33, 0x4b, 0x31, 0x27, 0xb0, 0xc0, 0x42, 0xb1,
        0xd0, 0x46, 0xdc, 0x54, 0x40, 0x21, 0x37, 0x62, 0x7c, 0xd8, 0x79, 0x9c, 0xe1, 0x3a,
    ],
    [
        0xda, 0xfd, 0xab, 0x6d, 0xa9, 0x36, 0x44, 0x53, 0xc2, 0x6d, 0x33, 0x72, 0x6b, 0x9f, 0xef, 0xe3, 0x43, 0xbe,
        0x8f, 0x81, 0x64, 0x9e, 0xc0, 0x09, 0xaa, 0xd3, 0xfa, 0xff, 0x50, 0x61, 0x75, 0x08,
    ],
    [
        0xd9, 0x41, 0xd5, 0xe0, 0xd6, 0x31, 0x4a, 0x99, 0x5c, 0x33, 0xff, 0xbd, 0x4f, 0xbe, 0x69, 0x11, 0x8d, 0x73,
        0xd4, 0xe5, 0xfd, 0x2c, 0xd3, 0x1f, 0x0f, 0x7c, 0x86, 0xeb, 0xdd, 0x14, 0xe7, 0x06,
    ],
    [
        0x51, 0x4c, 0x43, 0x5c, 0x3d, 0x04, 0xd3, 0x49, 0xa5, 0x36, 0x5f, 0xbd, 0x59, 0xff, 0xc7, 0x13, 0x62, 0x91,
        0x11, 0x78, 0x59, 0x91, 0xc1, 0xa3, 0xc5, 0x3a, 0xf2, 0x20, 0x79, 0x74, 0x1a, 0x2f,
    ],
    [
        0xad, 0x06, 0x85, 0x39, 0x69, 0xd3, 0x7d, 0x34, 0xff, 0x08, 0xe0, 0x9f, 0x56, 0x93, 0x0a, 0x4a, 0xd1, 0x9a,
        0x89, 0xde, 0xf6, 0x0c, 0xbf, 0xee, 0x7e, 0x1d, 0x33, 0x81, 0xc1, 0xe7, 0x1c, 0x37,
    ],
    [
        0x39, 0x56, 0x0e, 0x7b, 0x13, 0xa9, 0x3b, 0x07, 0xa2, 0x43, 0xfd, 0x27, 0x20, 0xff, 0xa7, 0xcb, 0x3e, 0x1d,
        0x2e, 0x50, 0x5a, 0xb3, 0x62, 0x9e, 0x79, 0xf4, 0x63, 0x13, 0x51, 0x2c, 0xda, 0x06,
    ],
    [
        0xcc, 0xc3, 0xc0, 0x12, 0xf5, 0xb0, 0x5e, 0x81, 0x1a, 0x2b, 0xbf, 0xdd, 0x0f, 0x68, 0x33, 0xb8, 0x42, 0x75,
        0xb4, 0x7b, 0xf2, 0x29, 0xc0, 0x05, 0x2a, 0x82, 0x48, 0x4f, 0x3c, 0x1a, 0x5b, 0x3d,
    ],
    [
        0x7d, 0xf2, 0x9b, 0x69, 0x77, 0x31, 0x99, 0xe8, 0xf2, 0xb4, 0x0b, 0x77, 0x91, 0x9d, 0x04, 0x85, 0x09, 0xee,
        0xd7, 0x68, 0xe2, 0xc7, 0x29, 0x7b, 0x1f, 0x14, 0x37, 0x03, 0x4f, 0xc3, 0xc6, 0x2c,
    ],
    [
        0x66, 0xce, 0x05, 0xa3, 0x66, 0x75, 0x52, 0xcf, 0x45, 0xc0, 0x2b, 0xcc, 0x4e, 0x83, 0x92, 0x91, 0x9b, 0xde,
        0xac, 0x35, 0xde, 0x2f, 0xf5, 0x62, 0x71, 0x84, 0x8e, 0x9f, 0x7b, 0x67, 0x51, 0x07,
    ],
    [
        0xd8, 0x61, 0x02, 0x18, 0x42, 0x5a, 0xb5, 0xe9, 0x5b, 0x1c, 0xa6, 0x23, 0x9d, 0x29, 0xa2, 0xe4, 0x20, 0xd7,
        0x06, 0xa9, 0x6f, 0x37, 0x3e, 0x2f, 0x9c, 0x9a, 0x91, 0xd7, 0x59, 0xd1, 0x9b, 0x01,
    ],
    [
        0x6d, 0x36, 0x4b, 0x1e, 0xf8, 0x46, 0x44, 0x1a, 0x5a, 0x4a, 0x68, 0x86, 0x23, 0x14, 0xac, 0xc0, 0xa4, 0x6f,
        0x01, 0x67, 0x17, 0xe5, 0x34, 0x43, 0xe8, 0x39, 0xee, 0xdf, 0x83, 0xc2, 0x85, 0x3c,
    ],
    [
        0x07, 0x7e, 0x5f, 0xde, 0x35, 0xc5, 0x0a, 0x93, 0x03, 0xa5, 0x50, 0x09, 0xe3, 0x49, 0x8a, 0x4e, 0xbe, 0xdf,
        0xf3, 0x9c, 0x42, 0xb7, 0x10, 0xb7, 0x30, 0xd8, 0xec, 0x7a, 0xc7, 0xaf, 0xa6, 0x3e,
    ],
    [
        0xe6, 0x40, 0x05, 0xa6, 0xbf, 0xe3, 0x77, 0x79, 0x53, 0xb8, 0xad, 0x6e, 0xf9, 0x3f, 0x0f, 0xca, 0x10, 0x49,
        0xb2, 0x04, 0x16, 0x54, 0xf2, 0xa4, 0x11, 0xf7, 0x70, 0x27, 0x99, 0xce, 0xce, 0x02,
    ],
];

/// The commitment of a piece or sector of `size` zero bytes.
pub const fn zero_commitment(size: PaddedPieceSize) -> Commitment {
    // A padded size is a power of two in [2^7, 2^36]: its height is in the table.
    ZERO_COMMITMENTS[size.tree_height() as usize]
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
    if piece_size > sector_size || offset.checked_rem(piece_size.get()) != Some(0) || offset >= sector_size.get() {
        return false;
    }
    let height = sector_size.tree_height().saturating_sub(piece_size.tree_height());
    if path.len() != height as usize {
        return false;
    }
    let mut index = offset.checked_div(piece_size.get()).unwrap_or_default();
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
            let infos: Vec<PieceInfo> =
                pieces.iter().map(|&(seed, len)| PieceInfo { commitment: leaf(seed), size: size(len) }).collect();
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
        let infos =
            [PieceInfo { commitment: leaf(1), size: size(128) }, PieceInfo { commitment: leaf(2), size: size(1024) }];
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
        assert_eq!(compute_unsealed_sector_commitment(SECTOR_2K, &[p(4096)]), Err(CommDError::PiecesDoNotFit));
        // Fits by total bytes, not once aligned: 128 then 1024 (fills to 2048) then 512.
        assert_eq!(
            compute_unsealed_sector_commitment(SECTOR_2K, &[p(128), p(1024), p(512)]),
            Err(CommDError::PiecesDoNotFit)
        );
        assert_eq!(compute_unsealed_sector_commitment(SECTOR_2K, &[p(128); 17]), Err(CommDError::TooManyPieces));
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
        assert_eq!(cid_to_commitment(&good, CommitmentKind::Sealed), Err(CidError::WrongCodec));
        let mut wrong_hash = good.clone();
        wrong_hash[4] = 0x93;
        assert_eq!(cid_to_commitment(&wrong_hash, kind), Err(CidError::WrongMultihash));
        let mut short_digest = good.clone();
        short_digest[6] = 31;
        assert_eq!(cid_to_commitment(&short_digest, kind), Err(CidError::WrongDigestLength));
        // A 31-byte digest that claims 31 bytes: still rejected, never a panic.
        assert_eq!(cid_to_commitment(&short_digest[..38], kind), Err(CidError::WrongDigestLength));
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
        let infos =
            [PieceInfo { commitment: leaf(1), size: size(128) }, PieceInfo { commitment: leaf(2), size: size(1024) }];
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
