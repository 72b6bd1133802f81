//! Every constant and bound of the suite. Time parameters come in two sets, like the original
//! runtime (spec §2.0): production values (6-second blocks) and a fast set for tests and demos;
//! a contract takes its set at instantiation. Bounds on loops are plain constants.

use crate::{Balance, BlockNumber};

/// Blocks per minute with the original's 6-second blocks.
pub const MINUTES: BlockNumber = 10;
/// Blocks per hour.
pub const HOURS: BlockNumber = 60 * MINUTES;
/// Blocks per day.
pub const DAYS: BlockNumber = 24 * HOURS;

/// Most sectors in one pre-commit, prove-commit or market activation call.
pub const MAX_SECTORS_PER_CALL: usize = 32;
/// Most deals one sector may hold (a 2 KiB sector holds at most 16 pieces).
pub const MAX_DEALS_PER_SECTOR: usize = 16;
/// Most deals in one `publish_storage_deals` call.
pub const MAX_DEALS_PER_PUBLISH: usize = 32;
/// Most deals in one `settle_deal_payments` or `process_deal_timeouts` call.
pub const MAX_DEALS_PER_SETTLEMENT: usize = 32;
/// Most deals a provider may have published and not yet activated (per provider, spec §8.3 #11).
pub const MAX_PENDING_DEALS_PER_PROVIDER: u32 = 128;
/// Longest deal label in bytes.
pub const MAX_LABEL_LEN: usize = 128;
/// Most deals one page of the market's `provider_deals` / `client_deals` views returns.
pub const MAX_DEALS_PER_PAGE: u32 = 64;
/// Most declarations (deadline, partition, sectors) in one fault, recovery or termination call.
pub const MAX_DECLARATIONS_PER_CALL: usize = 32;
/// Most sectors in one declaration.
pub const MAX_SECTORS_PER_DECLARATION: usize = 32;
/// Most partitions one Window PoSt call may prove.
pub const MAX_PARTITIONS_PER_POST: usize = 4;
/// Most deadlines one `process_deadlines` call catches up on.
pub const MAX_DEADLINES_PER_CRANK: u32 = 8;
/// Most PoRep proofs in one batch verification.
pub const MAX_POREP_BATCH: usize = 8;

/// Time parameters of the provider registry (spec §2.0, storage-provider constants).
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct ProvingPolicy {
    /// Blocks in a Window PoSt proving period.
    pub wpost_proving_period: BlockNumber,
    /// Blocks in one deadline's challenge window.
    pub wpost_challenge_window: BlockNumber,
    /// How many blocks before a deadline opens its challenge is drawn.
    pub wpost_challenge_lookback: BlockNumber,
    /// Deadlines per proving period (`period = deadlines × window`).
    pub wpost_period_deadlines: u32,
    /// Shortest sector life after activation.
    pub min_sector_expiration: BlockNumber,
    /// Latest expiration, counted from pre-commit.
    pub max_sector_expiration: BlockNumber,
    /// Longest sector life.
    pub sector_maximum_lifetime: BlockNumber,
    /// Blocks after pre-commit within which the sector must be proven.
    pub max_prove_commit_duration: BlockNumber,
    /// How long a sector may stay faulty before it is terminated.
    pub fault_max_age: BlockNumber,
    /// How many blocks before a deadline opens faults and recoveries must be declared.
    pub fault_declaration_cutoff: BlockNumber,
    /// Blocks between pre-commit and the interactive seed.
    pub pre_commit_challenge_delay: BlockNumber,
    /// How far before the pre-commit the seal ticket's block may lie (spec §8.3 #13).
    pub max_seal_randomness_lookback: BlockNumber,
}

impl ProvingPolicy {
    /// The production values of the original runtime.
    pub const PRODUCTION: Self = Self {
        wpost_proving_period: DAYS,
        wpost_challenge_window: 30 * MINUTES,
        wpost_challenge_lookback: 10 * MINUTES,
        wpost_period_deadlines: 48,
        min_sector_expiration: 180 * DAYS,
        max_sector_expiration: 1278 * DAYS,
        sector_maximum_lifetime: 5 * 365 * DAYS,
        max_prove_commit_duration: 30 * DAYS + 150,
        fault_max_age: 42 * DAYS,
        fault_declaration_cutoff: 10 * MINUTES + 125,
        pre_commit_challenge_delay: 75 * MINUTES,
        max_seal_randomness_lookback: 30 * DAYS,
    };

    /// The original's testnet values: fast enough for tests and the demo.
    pub const FAST: Self = Self {
        wpost_proving_period: 6 * MINUTES,
        wpost_challenge_window: 2 * MINUTES,
        wpost_challenge_lookback: MINUTES,
        wpost_period_deadlines: 3,
        min_sector_expiration: 5 * MINUTES,
        max_sector_expiration: 60 * MINUTES,
        sector_maximum_lifetime: 120 * MINUTES,
        max_prove_commit_duration: 5 * MINUTES,
        fault_max_age: 5 * MINUTES * 42,
        fault_declaration_cutoff: MINUTES,
        pre_commit_challenge_delay: MINUTES,
        max_seal_randomness_lookback: 5 * MINUTES,
    };

    /// How far back from a prove-commit the registry may ask the beacon for randomness: the seal
    /// ticket may be `max_seal_randomness_lookback` older than the pre-commit, which may be
    /// `max_prove_commit_duration` old.
    pub const fn longest_randomness_lookback(&self) -> BlockNumber {
        self.max_prove_commit_duration.saturating_add(self.max_seal_randomness_lookback)
    }
}

/// Parameters of the market (spec §2.0, market constants).
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct MarketPolicy {
    /// Shortest deal in blocks.
    pub min_deal_duration: BlockNumber,
    /// Longest deal in blocks.
    pub max_deal_duration: BlockNumber,
}

impl MarketPolicy {
    /// The production values of the original runtime.
    pub const PRODUCTION: Self = Self { min_deal_duration: 20 * DAYS, max_deal_duration: 1278 * DAYS };

    /// The original's testnet values.
    pub const FAST: Self = Self { min_deal_duration: 5 * MINUTES, max_deal_duration: 180 * MINUTES };

    /// Whether a market can run with these values: deals last at least a block, and the shortest
    /// is not longer than the longest.
    pub const fn is_valid(&self) -> bool {
        self.min_deal_duration >= 1 && self.min_deal_duration <= self.max_deal_duration
    }
}

/// Parameters of the randomness beacon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct BeaconPolicy {
    /// Blocks in a round's commit phase.
    pub commit_phase: BlockNumber,
    /// Blocks in a round's reveal phase, right after the commit phase.
    pub reveal_phase: BlockNumber,
    /// Smallest bond a participant must hold to commit.
    pub min_bond: Balance,
    /// Fewest reveals for a round to produce an output.
    pub min_reveals: u32,
    /// Blocks between asking to unbond and getting the bond back.
    pub unbond_delay: BlockNumber,
    /// How many blocks back `randomness_at` answers; older rounds are pruned. At least the
    /// registry's longest randomness lookback of the matching proving policy.
    pub history: BlockNumber,
}

impl BeaconPolicy {
    /// Most participants who may commit to one round: bounds the work of finalising it.
    pub const MAX_PARTICIPANTS_PER_ROUND: u32 = 32;
    /// Most finalised rounds one call prunes from the history.
    pub const MAX_ROUNDS_PRUNED_PER_CALL: u32 = 8;

    /// Production values: a round a minute.
    pub const PRODUCTION: Self = Self {
        commit_phase: 6,
        reveal_phase: 4,
        min_bond: 1_000_000_000_000,
        min_reveals: 2,
        unbond_delay: DAYS,
        history: ProvingPolicy::PRODUCTION.longest_randomness_lookback(),
    };

    /// Fast values for tests and the demo.
    pub const FAST: Self = Self {
        commit_phase: 3,
        reveal_phase: 2,
        min_bond: 1_000,
        min_reveals: 1,
        unbond_delay: 10,
        history: ProvingPolicy::FAST.longest_randomness_lookback(),
    };

    /// Blocks in a round.
    pub const fn round_length(&self) -> BlockNumber {
        self.commit_phase.saturating_add(self.reveal_phase)
    }

    /// Whether a beacon can run with these values: both phases last at least a block, the
    /// minimum bond is not zero, a round needs between one reveal and the participant limit,
    /// and the history covers at least a round.
    pub const fn is_valid(&self) -> bool {
        self.commit_phase >= 1
            && self.reveal_phase >= 1
            && self.commit_phase.checked_add(self.reveal_phase).is_some()
            && self.min_bond >= 1
            && self.min_reveals >= 1
            && self.min_reveals <= Self::MAX_PARTICIPANTS_PER_ROUND
            && self.history >= self.round_length()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_tile_the_proving_period() {
        for policy in [ProvingPolicy::PRODUCTION, ProvingPolicy::FAST] {
            assert_eq!(policy.wpost_period_deadlines * policy.wpost_challenge_window, policy.wpost_proving_period);
            assert!((3..=48).contains(&policy.wpost_period_deadlines));
        }
        assert_eq!(ProvingPolicy::PRODUCTION.wpost_proving_period, 14_400);
        assert_eq!(ProvingPolicy::FAST.fault_max_age, 2_100);
        assert_eq!(ProvingPolicy::PRODUCTION.pre_commit_challenge_delay, 750);
        assert_eq!(MarketPolicy::FAST.max_deal_duration, 1_800);
    }
}
