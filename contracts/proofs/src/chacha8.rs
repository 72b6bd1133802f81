//! The ChaCha8 keystream as `rand_chacha` 0.3's `ChaCha8Rng::from_seed` produces it (32-byte
//! key, 64-bit block counter from zero, stream zero), read as 64-bit words the way its
//! `next_u64` does. filecoin-proofs draws DRG parents from it. A compact loop rather than the
//! crate's unrolled block function: the contract's code size is part of every call's proof size.

/// A ChaCha8 keystream.
pub struct ChaCha8 {
    key: [u32; 8],
    block: [u32; 16],
    counter: u64,
    index: usize,
}

fn quarter_round(state: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
    state[a] = state[a].wrapping_add(state[b]);
    state[d] = (state[d] ^ state[a]).rotate_left(16);
    state[c] = state[c].wrapping_add(state[d]);
    state[b] = (state[b] ^ state[c]).rotate_left(12);
    state[a] = state[a].wrapping_add(state[b]);
    state[d] = (state[d] ^ state[a]).rotate_left(8);
    state[c] = state[c].wrapping_add(state[d]);
    state[b] = (state[b] ^ state[c]).rotate_left(7);
}

impl ChaCha8 {
    /// The keystream of `seed`.
    pub fn new(seed: &[u8; 32]) -> Self {
        let mut key = [0u32; 8];
        for (word, chunk) in key.iter_mut().zip(seed.chunks_exact(4)) {
            let mut bytes = [0u8; 4];
            bytes.copy_from_slice(chunk);
            *word = u32::from_le_bytes(bytes);
        }
        Self { key, block: [0; 16], counter: 0, index: 16 }
    }

    #[allow(clippy::cast_possible_truncation)] // splits the counter into its two words
    fn refill(&mut self) {
        let mut initial = [0u32; 16];
        // "expand 32-byte k"
        initial[..4].copy_from_slice(&[0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574]);
        initial[4..12].copy_from_slice(&self.key);
        initial[12] = self.counter as u32;
        initial[13] = (self.counter >> 32) as u32;
        let mut state = initial;
        for _ in 0..4 {
            quarter_round(&mut state, 0, 4, 8, 12);
            quarter_round(&mut state, 1, 5, 9, 13);
            quarter_round(&mut state, 2, 6, 10, 14);
            quarter_round(&mut state, 3, 7, 11, 15);
            quarter_round(&mut state, 0, 5, 10, 15);
            quarter_round(&mut state, 1, 6, 11, 12);
            quarter_round(&mut state, 2, 7, 8, 13);
            quarter_round(&mut state, 3, 4, 9, 14);
        }
        for ((out, mixed), start) in self.block.iter_mut().zip(state).zip(initial) {
            *out = mixed.wrapping_add(start);
        }
        self.counter = self.counter.wrapping_add(1);
        self.index = 0;
    }

    fn next_u32(&mut self) -> u32 {
        if self.index >= 16 {
            self.refill();
        }
        let word = self.block[self.index % 16];
        self.index = self.index.wrapping_add(1);
        word
    }

    /// The next 64 bits: two keystream words, the first one low.
    pub fn next_u64(&mut self) -> u64 {
        let low = u64::from(self.next_u32());
        low | (u64::from(self.next_u32()) << 32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::rand_core::{RngCore, SeedableRng};

    #[test]
    fn matches_rand_chacha() {
        for seed_byte in [0u8, 1, 0x5a, 0xff] {
            let mut seed = [seed_byte; 32];
            seed[28] = 7;
            let mut reference = rand_chacha::ChaCha8Rng::from_seed(seed);
            let mut ours = ChaCha8::new(&seed);
            for _ in 0..40 {
                assert_eq!(ours.next_u64(), reference.next_u64());
            }
        }
    }
}
