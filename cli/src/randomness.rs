//! Tickets, seeds and PoSt challenges: either the raw 32 bytes a contract view returned, or
//! derived here exactly as the contracts derive them (`primitives::randomness::draw_randomness`
//! over the beacon output of a block, with the provider's account as entropy).

use anyhow::{bail, Result};
use polka_storage_primitives::randomness::{draw_for_provider, DomainSeparationTag};
use polka_storage_primitives::{AccountId, BlockNumber};

use crate::format::parse_hex32;

/// Where a drawn value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RandomnessSource {
    /// The value itself.
    Raw([u8; 32]),
    /// The beacon output (`randomness_at(block)`) and the block it was drawn for.
    Beacon {
        /// The beacon's output for the round covering `block`.
        output: [u8; 32],
        /// The block the value is drawn for (the round of `draw_randomness`).
        block: BlockNumber,
    },
}

impl RandomnessSource {
    /// From command-line text: `raw`, or `beacon` together with `block`.
    pub fn from_args(what: &str, raw: Option<&str>, beacon: Option<&str>, block: Option<BlockNumber>) -> Result<Self> {
        match (raw, beacon, block) {
            (Some(raw), None, None) => Ok(RandomnessSource::Raw(parse_hex32(raw)?)),
            (None, Some(beacon), Some(block)) => Ok(RandomnessSource::Beacon { output: parse_hex32(beacon)?, block }),
            _ => bail!(
                "give the {what} either as 32 bytes of hex, or as the beacon output and its block \
                 (see `storage-cli help`)"
            ),
        }
    }

    /// The value for `provider` and the use `tag`.
    pub fn draw(self, tag: DomainSeparationTag, provider: &AccountId) -> [u8; 32] {
        match self {
            RandomnessSource::Raw(value) => value,
            RandomnessSource::Beacon { output, block } => draw_for_provider(&output, tag, block, provider),
        }
    }

    /// The block, when derived from the beacon.
    pub fn block(self) -> Option<BlockNumber> {
        match self {
            RandomnessSource::Raw(_) => None,
            RandomnessSource::Beacon { block, .. } => Some(block),
        }
    }
}
