//! CommP of a piece: Fr32-pad the data (every 127 bytes become four 254-bit field elements), fill
//! it with zeros up to the next valid unpadded piece size, and take the root of the
//! sha256-trunc254 binary tree over the 32-byte nodes. The node hash and the zero-subtree table
//! are the primitives' (`piece_hash`, `zero_commitment`), the very ones the market's CommD uses.

use std::io::{ErrorKind, Read};

use anyhow::{bail, Context, Result};
use polka_storage_primitives::commitment::{
    commitment_to_cid, piece_hash, Commitment, CommitmentKind, PaddedPieceSize, UnpaddedPieceSize, ZERO_COMMITMENTS,
};
use serde::Serialize;

use crate::format::{cid_to_text, hex0x};

/// Bytes of data in one Fr32 block.
const FR32_IN: usize = 127;
/// Bytes one Fr32 block expands to: four 32-byte nodes.
const FR32_OUT: usize = 128;

/// Expands 127 bytes of data into four 32-byte nodes: the 1016 input bits, little-endian within
/// each byte, are cut into four runs of 254 bits, each followed by two zero bits.
pub fn fr32_pad_block(input: &[u8; FR32_IN]) -> [u8; FR32_OUT] {
    let mut output = [0u8; FR32_OUT];
    for (quad, node) in output.chunks_exact_mut(32).enumerate() {
        let first_bit = quad * 254;
        let (offset, shift) = (first_bit / 8, (first_bit % 8) as u32);
        for (index, byte) in node.iter_mut().enumerate() {
            let low = input.get(offset + index).copied().unwrap_or(0);
            let high = input.get(offset + index + 1).copied().unwrap_or(0);
            *byte = if shift == 0 { low } else { (low >> shift) | (high << (8 - shift)) };
        }
        node[31] &= 0x3f;
    }
    output
}

/// A binary Merkle tree built left to right, holding only the roots of its complete subtrees.
struct TreeBuilder {
    /// (root, bytes covered), sizes strictly decreasing.
    stack: Vec<(Commitment, u64)>,
}

impl TreeBuilder {
    fn new() -> Self {
        TreeBuilder { stack: Vec::with_capacity(64) }
    }

    fn push(&mut self, node: Commitment, size: u64) {
        self.stack.push((node, size));
        while let [.., (left, left_size), (right, right_size)] = self.stack.as_slice() {
            if left_size != right_size {
                break;
            }
            let merged = (piece_hash(left, right), left_size * 2);
            self.stack.truncate(self.stack.len() - 2);
            self.stack.push(merged);
        }
    }

    /// Fills the rest of a tree of `size` bytes with zeros and returns its root.
    fn finish(mut self, size: PaddedPieceSize) -> Result<Commitment> {
        loop {
            match self.stack.as_slice() {
                [(root, covered)] if *covered == size.get() => return Ok(*root),
                [] => bail!("no data"),
                _ => {}
            }
            let (_, smallest) = *self.stack.last().context("no data")?;
            // Subtrees cover 2^k ≥ 128 bytes (data enters in 128-byte blocks).
            let zero = ZERO_COMMITMENTS[(smallest.trailing_zeros() - 5) as usize];
            self.push(zero, smallest);
            if self.stack.first().is_some_and(|(_, covered)| *covered > size.get()) {
                bail!("the data is larger than the piece");
            }
        }
    }
}

/// A piece's commitment and sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PieceCommitment {
    /// CommP (the digest inside the piece CID).
    pub commitment: Commitment,
    /// Bytes of data read.
    pub data_len: u64,
    /// The unpadded piece size the data was zero-filled to (127 · 2^k).
    pub unpadded_size: UnpaddedPieceSize,
    /// The padded piece size: the `piece_size` of a deal.
    pub padded_size: PaddedPieceSize,
}

impl PieceCommitment {
    /// The piece CID in binary form, as a deal proposal carries it.
    pub fn cid(&self) -> Vec<u8> {
        commitment_to_cid(&self.commitment, CommitmentKind::Unsealed)
    }

    /// The JSON a client puts in its deal proposal.
    pub fn report(&self) -> CommpReport {
        CommpReport {
            piece_cid: cid_to_text(&self.cid()),
            piece_cid_hex: hex0x(&self.cid()),
            commp: hex0x(&self.commitment),
            piece_size: self.padded_size.get(),
            unpadded_piece_size: self.unpadded_size.get(),
            data_len: self.data_len,
        }
    }
}

/// Output of `storage-cli commp`.
#[derive(Debug, Serialize)]
pub struct CommpReport {
    /// Textual CIDv1 (multibase base32, `baga6ea4sea…`).
    pub piece_cid: String,
    /// The binary CID as hex: the `piece_cid` argument of a `DealProposal`.
    pub piece_cid_hex: String,
    /// The raw 32-byte commitment.
    pub commp: String,
    /// Padded piece size: the `piece_size` of a `DealProposal`.
    pub piece_size: u64,
    /// The data is zero-filled to this many bytes before Fr32 padding.
    pub unpadded_piece_size: u64,
    /// Bytes in the file.
    pub data_len: u64,
}

fn read_full(reader: &mut impl Read, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(error) if error.kind() == ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}

/// CommP of everything `reader` yields, zero-filled to the smallest piece that holds it.
pub fn piece_commitment(mut reader: impl Read) -> Result<PieceCommitment> {
    let mut tree = TreeBuilder::new();
    let mut data_len: u64 = 0;
    let mut block = [0u8; FR32_IN];
    loop {
        let read = read_full(&mut reader, &mut block).context("cannot read the piece")?;
        if read == 0 {
            break;
        }
        block[read..].fill(0);
        data_len += read as u64;
        for node in fr32_pad_block(&block).chunks_exact(32) {
            tree.push(node.try_into().expect("32-byte chunk"), 32);
        }
        if read < FR32_IN {
            break;
        }
    }
    if data_len == 0 {
        bail!("the piece is empty: a deal needs at least one byte of data");
    }
    let unpadded_size = UnpaddedPieceSize::fitting(data_len)
        .map_err(|error| anyhow::anyhow!("{data_len} bytes do not fit in a piece: {error:?}"))?;
    let padded_size = unpadded_size.padded();
    let commitment = tree.finish(padded_size)?;
    Ok(PieceCommitment { commitment, data_len, unpadded_size, padded_size })
}

/// CommP of a file.
pub fn file_commitment(path: &std::path::Path) -> Result<PieceCommitment> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot open the piece {}", path.display()))?;
    piece_commitment(std::io::BufReader::with_capacity(1 << 20, file))
        .with_context(|| format!("CommP of {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use polka_storage_primitives::commitment::zero_commitment;

    #[test]
    fn fr32_keeps_every_bit_in_order() {
        let mut input = [0u8; FR32_IN];
        for (index, byte) in input.iter_mut().enumerate() {
            *byte = (index as u8).wrapping_mul(37).wrapping_add(11);
        }
        let output = fr32_pad_block(&input);
        let bit = |bytes: &[u8], index: usize| (bytes[index / 8] >> (index % 8)) & 1;
        for source in 0..FR32_IN * 8 {
            let target = (source / 254) * 256 + source % 254;
            assert_eq!(bit(&input, source), bit(&output, target), "bit {source}");
        }
        for quad in 0..4 {
            assert_eq!(output[quad * 32 + 31] & 0xc0, 0);
        }
    }

    #[test]
    fn zeros_give_the_zero_commitment() {
        let piece = piece_commitment(&[0u8; 2032][..]).unwrap();
        assert_eq!(piece.padded_size.get(), 2048);
        assert_eq!(piece.commitment, zero_commitment(piece.padded_size));
        let small = piece_commitment(&[0u8; 3][..]).unwrap();
        assert_eq!(small.padded_size.get(), 128);
        assert_eq!(small.commitment, zero_commitment(small.padded_size));
    }

    #[test]
    fn an_empty_piece_is_an_error() {
        assert!(piece_commitment(&[][..]).is_err());
    }
}
