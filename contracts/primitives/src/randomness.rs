//! Randomness derivation of spec §4.1: the beacon gives one output per round; every use draws
//! its own value from it with a domain tag, the block it was drawn for and the provider's account.

use crate::hash::{blake2_256, truncate_to_fr};
use crate::AccountId;

/// What a drawn value is used for (Filecoin's domain separation tags).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DomainSeparationTag {
    /// The seal ticket, bound into the replica id at pre-commit.
    SealRandomness = 1,
    /// The interactive seed that picks the PoRep challenges at prove-commit.
    InteractiveSealChallengeSeed = 2,
    /// The Window PoSt challenge of a deadline.
    WindowedPoStChallengeSeed = 3,
}

/// `blake2_256(i64_be(tag) ‖ rbase ‖ u64_be(round) ‖ entropy)` with the top two bits cleared, so
/// the value is a canonical BLS12-381 scalar (spec §4.1).
pub fn draw_randomness(rbase: &[u8; 32], tag: DomainSeparationTag, round: u64, entropy: &[u8]) -> [u8; 32] {
    let tag = (tag as i64).to_be_bytes();
    truncate_to_fr(blake2_256(&[&tag, rbase, &round.to_be_bytes(), entropy]))
}

/// [`draw_randomness`] for `provider` at `block`, as the registry draws every ticket, seed and
/// challenge (spec §4.1): the entropy is the provider's (owner's) account, the round the block.
pub fn draw_for_provider(
    rbase: &[u8; 32],
    tag: DomainSeparationTag,
    block: crate::BlockNumber,
    provider: &AccountId,
) -> [u8; 32] {
    let account: &[u8; 32] = provider.as_ref();
    draw_randomness(rbase, tag, u64::from(block), account)
}

/// The prover id of a provider: `blake2_256(SCALE(account))`, top two bits cleared (spec §4.1).
pub fn derive_prover_id(provider: &AccountId) -> [u8; 32] {
    let account: &[u8; 32] = provider.as_ref();
    truncate_to_fr(blake2_256(&[account]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::hex32;

    #[test]
    fn draw_randomness_matches_the_spec_vector() {
        let digest = hex32("18ea1bc64ae14b5862140d44614299337c6cc957f2e57cb76d0d202cf9de718b");
        let drawn = draw_randomness(&digest, DomainSeparationTag::SealRandomness, 0, &[68, 0, 153, 203, 52]);
        assert_eq!(drawn, hex32("1004941a552717ed7adaebeb4511b18ec86b7f54bd2891bbcd9f3aa1d139e204"));
    }

    #[test]
    fn tags_rounds_and_entropy_all_change_the_value() {
        let base = [7u8; 32];
        let drawn = draw_randomness(&base, DomainSeparationTag::SealRandomness, 5, b"sp");
        for other in [
            draw_randomness(&base, DomainSeparationTag::InteractiveSealChallengeSeed, 5, b"sp"),
            draw_randomness(&base, DomainSeparationTag::WindowedPoStChallengeSeed, 5, b"sp"),
            draw_randomness(&base, DomainSeparationTag::SealRandomness, 6, b"sp"),
            draw_randomness(&base, DomainSeparationTag::SealRandomness, 5, b"sq"),
            draw_randomness(&[8u8; 32], DomainSeparationTag::SealRandomness, 5, b"sp"),
        ] {
            assert_ne!(drawn, other);
            assert_eq!(other[31] & 0xc0, 0);
        }
    }

    #[test]
    fn prover_id_is_the_truncated_account_hash() {
        let account = AccountId::from([0xab; 32]);
        let expected = truncate_to_fr(blake2_256(&[&[0xab; 32]]));
        assert_eq!(derive_prover_id(&account), expected);
        assert_eq!(derive_prover_id(&account)[31] & 0xc0, 0);
    }
}
