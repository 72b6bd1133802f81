//! Iterated updates without copying results back.
//!
//! `x = x.square()` makes the compiler compute into a temporary and copy it back. ink! 5 links
//! `rlibc`, whose `memcpy` moves one byte per loop turn (about 20 Wasm instructions per byte), and
//! LLVM calls it for any value above 64 bytes: an Fp12 copy costs as much as 7 field
//! multiplications. Alternating between two buffers lets every step write its result in place.

/// Two buffers; each step reads the current one and writes the other.
pub struct PingPong<T> {
    buffers: [T; 2],
    first_is_current: bool,
}

impl<T> PingPong<T> {
    /// Starts from `initial`; `scratch` is overwritten by the first step.
    pub fn new(initial: T, scratch: T) -> Self {
        Self { buffers: [initial, scratch], first_is_current: true }
    }

    /// The current value.
    pub fn current(&self) -> &T {
        let [first, second] = &self.buffers;
        if self.first_is_current {
            first
        } else {
            second
        }
    }

    /// Replaces the current value by `step(current)`, written straight into the other buffer.
    #[inline(always)]
    pub fn step(&mut self, step: impl FnOnce(&T) -> T) {
        let [first, second] = &mut self.buffers;
        if self.first_is_current {
            *second = step(first);
        } else {
            *first = step(second);
        }
        self.first_is_current = !self.first_is_current;
    }

    /// The current value, consuming the buffers.
    pub fn into_current(self) -> T {
        let [first, second] = self.buffers;
        if self.first_is_current {
            first
        } else {
            second
        }
    }
}
