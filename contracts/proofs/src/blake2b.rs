//! BLAKE2b-512 (RFC 7693) of a message of at most one block (128 bytes), unkeyed: the Feistel
//! round function of filecoin-proofs hashes 16 bytes. A compact loop rather than an unrolled
//! general implementation, for the contract's code size.

const IV: [u64; 8] = [
    0x6a09_e667_f3bc_c908,
    0xbb67_ae85_84ca_a73b,
    0x3c6e_f372_fe94_f82b,
    0xa54f_f53a_5f1d_36f1,
    0x510e_527f_ade6_82d1,
    0x9b05_688c_2b3e_6c1f,
    0x1f83_d9ab_fb41_bd6b,
    0x5be0_cd19_137e_2179,
];

const SIGMA: [[u8; 16]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
    [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
    [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
    [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
    [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];

/// Lanes (a, b, c, d) of the column then diagonal steps of a round.
const STEPS: [[usize; 4]; 8] = [
    [0, 4, 8, 12],
    [1, 5, 9, 13],
    [2, 6, 10, 14],
    [3, 7, 11, 15],
    [0, 5, 10, 15],
    [1, 6, 11, 12],
    [2, 7, 8, 13],
    [3, 4, 9, 14],
];

/// BLAKE2b-512 of `message`; `None` if it is longer than one block.
pub fn blake2b_512(message: &[u8]) -> Option<[u8; 64]> {
    if message.len() > 128 {
        return None;
    }
    let mut block = [0u8; 128];
    block.get_mut(..message.len())?.copy_from_slice(message);
    let mut m = [0u64; 16];
    for (word, chunk) in m.iter_mut().zip(block.chunks_exact(8)) {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        *word = u64::from_le_bytes(bytes);
    }
    // Parameter block: digest length 64, no key, fanout and depth 1.
    let mut h = IV;
    h[0] ^= 0x0101_0040;
    let mut v = [0u64; 16];
    v[..8].copy_from_slice(&h);
    v[8..].copy_from_slice(&IV);
    v[12] ^= message.len() as u64;
    v[14] = !v[14]; // last block
    for round in 0..12 {
        let sigma = &SIGMA[round % 10];
        for ([a, b, c, d], words) in STEPS.iter().zip(sigma.chunks_exact(2)) {
            let x = m[usize::from(words[0]) % 16];
            let y = m[usize::from(words[1]) % 16];
            v[*a] = v[*a].wrapping_add(v[*b]).wrapping_add(x);
            v[*d] = (v[*d] ^ v[*a]).rotate_right(32);
            v[*c] = v[*c].wrapping_add(v[*d]);
            v[*b] = (v[*b] ^ v[*c]).rotate_right(24);
            v[*a] = v[*a].wrapping_add(v[*b]).wrapping_add(y);
            v[*d] = (v[*d] ^ v[*a]).rotate_right(16);
            v[*c] = v[*c].wrapping_add(v[*d]);
            v[*b] = (v[*b] ^ v[*c]).rotate_right(63);
        }
    }
    let mut digest = [0u8; 64];
    for ((out, chain), (low, high)) in digest.chunks_exact_mut(8).zip(h).zip(v[..8].iter().zip(&v[8..])) {
        out.copy_from_slice(&(chain ^ low ^ high).to_le_bytes());
    }
    Some(digest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use blake2::{Blake2b512, Digest};

    #[test]
    fn matches_the_blake2_crate() {
        for len in [0usize, 1, 16, 63, 64, 127, 128] {
            let message: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
            let expected: [u8; 64] = Blake2b512::digest(&message).into();
            assert_eq!(blake2b_512(&message), Some(expected), "length {len}");
        }
        assert_eq!(blake2b_512(&[0u8; 129]), None);
    }
}
