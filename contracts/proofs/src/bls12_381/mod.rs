//! BLS12-381 for Groth16 verification inside a contract: the base field with 29-bit limbs (no
//! 128-bit arithmetic, which wasm32 emulates slowly), its tower up to Fp12, the two groups with
//! zcash encodings and fast subgroup checks, and the pairing.

mod constants_generated;
pub mod curve;
pub mod fp;
pub mod fp12;
pub mod fp2;
pub mod fp6;
mod fp_generated;
pub mod msm;
pub mod pairing;
pub(crate) mod pingpong;
pub mod points;

#[cfg(test)]
mod tests;
