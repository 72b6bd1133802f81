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

/// Blocks between governance announcing the replacement of a trusted value (a verifying key,
/// the drand key, the contract code) and the first block it may take effect: two days for
/// providers and users to see it coming (view and event) and react.
pub const GOVERNANCE_DELAY: BlockNumber = 2 * DAYS;

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
/// Most deals one page of the market's `provider_deals` / `client_deals` views returns. A page at
/// its worst (every deal active, 39-byte CID, 128-byte label) encodes to 9,926 bytes: it must fit
/// [`MAX_VIEW_ANSWER_BYTES`] (64 such deals are ~20 KB, and the view would trap).
pub const MAX_DEALS_PER_PAGE: u32 = 32;
/// The most bytes a message's answer may encode to: ink! 5 encodes it into a 16 KiB buffer and
/// traps when it does not fit.
pub const MAX_VIEW_ANSWER_BYTES: usize = 16 * 1024;
/// Most declarations (deadline, partition, sectors) in one fault, recovery or termination call.
pub const MAX_DECLARATIONS_PER_CALL: usize = 32;
/// Most sectors in one declaration.
pub const MAX_SECTORS_PER_DECLARATION: usize = 32;
/// Most partitions a deadline may have (spec `MaxPartitionsPerDeadline`).
pub const MAX_PARTITIONS_PER_DEADLINE: u64 = 3000;
/// Most partitions one Window PoSt call may prove.
pub const MAX_PARTITIONS_PER_POST: usize = 4;
/// Most deadlines one `process_deadlines` call catches up on.
pub const MAX_DEADLINES_PER_CRANK: u32 = 8;
/// Most PoRep proofs in one batch verification.
pub const MAX_POREP_BATCH: usize = 8;
/// Most sectors one `prove_commit_sectors` call proves: their batch verification (1.57e12
/// ref_time for 8 in the sandbox) and the registry's own work must fit one block of both the
/// sandbox and the node.
pub const MAX_PROVE_COMMIT_SECTORS: usize = 8;
/// Most expired pre-commits one message (or one `expire_precommits` call) clears.
pub const MAX_PRECOMMIT_EXPIRIES_PER_CALL: u32 = 32;
/// Most partitions one page of the registry's `deadline_state` view returns.
pub const MAX_PARTITIONS_PER_PAGE: u32 = 16;
/// Most providers or sectors one page of the registry's list views returns.
pub const MAX_REGISTRY_PAGE: u32 = 32;
/// Longest peer id in bytes. The original allowed 32, but a libp2p peer id in binary form is a
/// multihash: 38 bytes for an Ed25519 key, 34 for a SHA-256 of a larger key.
pub const MAX_PEER_ID_LEN: usize = 64;
/// Longest CID the contracts accept (spec `CID_SIZE_IN_BYTES`).
pub const MAX_CID_LEN: usize = 64;
/// Largest padded piece: the largest Filecoin sector, 64 GiB.
pub const MAX_PADDED_PIECE_SIZE: u64 = 64 << 30;
/// Largest sector number (inclusive), as in the original pallets.
pub const MAX_SECTORS: crate::sector::SectorNumber = 32 << 20;
/// Size of a Groth16 proof over BLS12-381 in the zcash compressed format: A ‖ B ‖ C. The one
/// proof-size constant of the suite (PoRep and PoSt proofs are one Groth16 proof per partition).
pub const GROTH16_PROOF_BYTES: usize = 192;
/// Most IC points a verifying key may have (a PoRep key has 40, a PoSt key 23): bounds the
/// verifier's key size.
pub const MAX_IC_POINTS: usize = 64;
/// Days of earnings of a sector that its pre-commit deposit stands for (Filecoin: BR(q, 20 d)).
pub const PRE_COMMIT_DEPOSIT_DAYS: Balance = 20;
/// Days of earnings of a sector that its initial pledge stands for: Filecoin's 20-day storage
/// pledge plus a consensus pledge, which has no analogue without a token supply; fixed here at
/// 10 more days.
pub const INITIAL_PLEDGE_DAYS: Balance = 30;

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
    /// D of DESIGN.md: the expected daily earnings of one sector, in which every deposit,
    /// pledge and fee is priced.
    pub sector_daily_earnings: Balance,
    /// Blocks after a deadline closes during which anyone may dispute an optimistically accepted
    /// Window PoSt of it (FIP-0010); ends before the deadline opens again.
    pub wpost_dispute_window: BlockNumber,
    /// Whether tickets and seeds must come from beacon rounds anchored to drand
    /// (`anchored_randomness_at`) instead of any finalised round (`randomness_at`): production
    /// insists; chains without a drand relay (a local node, the demo) cannot.
    pub require_anchored_randomness: bool,
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
        // 0.01 of a 12-decimal unit a day.
        sector_daily_earnings: 10_000_000_000,
        // Filecoin: 2 × finality = 1800 epochs.
        wpost_dispute_window: 1_800,
        require_anchored_randomness: true,
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
        sector_daily_earnings: 1_000_000,
        wpost_dispute_window: 30,
        require_anchored_randomness: false,
    };

    /// How far back from a prove-commit the registry may ask the beacon for randomness: the seal
    /// ticket may be `max_seal_randomness_lookback` older than the pre-commit, which may be
    /// `max_prove_commit_duration` old.
    pub const fn longest_randomness_lookback(&self) -> BlockNumber {
        self.max_prove_commit_duration.saturating_add(self.max_seal_randomness_lookback)
    }

    /// Collateral locked per pre-committed sector: 20 days of its earnings (Filecoin's
    /// BR(q, 20 days)). Returned at prove-commit, slashed if the sector is not proven in time.
    pub const fn pre_commit_deposit(&self) -> Balance {
        self.sector_daily_earnings.saturating_mul(PRE_COMMIT_DEPOSIT_DAYS)
    }

    /// Collateral locked per proven sector for its life: 30 days of its earnings.
    pub const fn initial_pledge(&self) -> Balance {
        self.sector_daily_earnings.saturating_mul(INITIAL_PLEDGE_DAYS)
    }

    /// What an invalid Window PoSt costs the provider when disputed: 5.51 days of earnings per
    /// sector it claimed, plus a base penalty of one day's (Filecoin: BR(q, 5.51 d) + base).
    pub fn invalid_post_penalty(&self, sectors: u32) -> Balance {
        self.sector_daily_earnings
            .saturating_mul(551)
            .checked_div(100)
            .unwrap_or(0)
            .saturating_mul(Balance::from(sectors))
            .saturating_add(self.sector_daily_earnings)
    }

    /// The fault fee of `sectors` faulty sectors for one proving period: 3.51 days of earnings
    /// each (Filecoin: BR(q, 3.51 d)).
    pub fn fault_fee(&self, sectors: u32) -> Balance {
        self.sector_daily_earnings
            .saturating_mul(351)
            .checked_div(100)
            .unwrap_or(0)
            .saturating_mul(Balance::from(sectors))
    }

    /// The termination fee of a sector with `pledge` that has lived `age` blocks (the shape of
    /// FIP-0098): max(min(8.5 % of the pledge, 8.5 % × age / 140 days), max(2 % of the pledge,
    /// 1.05 × its fault fee)), never more than the pledge.
    pub fn termination_fee(&self, pledge: Balance, age: BlockNumber) -> Balance {
        let full = pledge.saturating_mul(85).checked_div(1_000).unwrap_or(0);
        let ramp =
            full.saturating_mul(Balance::from(age)).checked_div(Balance::from(DAYS).saturating_mul(140)).unwrap_or(0);
        let floor = pledge
            .saturating_mul(2)
            .checked_div(100)
            .unwrap_or(0)
            .max(self.fault_fee(1).saturating_mul(105).checked_div(100).unwrap_or(0));
        full.min(ramp).max(floor).min(pledge)
    }

    /// The flat reward of a successful disputer, paid out of the penalty: half a day of one
    /// sector's earnings.
    pub fn dispute_reward(&self) -> Balance {
        self.sector_daily_earnings.checked_div(2).unwrap_or(0)
    }

    /// Whether a registry can run with these values: the deadlines tile the proving period
    /// (3 to 48 of them), the challenge lookback and the fault cutoff fall within one proving
    /// period, the interactive seed comes before the prove-commit deadline, a sector can live
    /// at least its minimum, and the amounts do not overflow.
    pub const fn is_valid(&self) -> bool {
        let deadlines = self.wpost_period_deadlines;
        deadlines >= 3
            && deadlines <= 48
            && self.wpost_challenge_window >= 1
            && match self.wpost_challenge_window.checked_mul(deadlines) {
                Some(period) => period == self.wpost_proving_period,
                None => false,
            }
            && self.wpost_challenge_lookback < self.wpost_proving_period
            && self.fault_declaration_cutoff < self.wpost_proving_period
            && self.pre_commit_challenge_delay < self.max_prove_commit_duration
            && self.min_sector_expiration >= 1
            && self.min_sector_expiration < self.sector_maximum_lifetime
            && self.max_prove_commit_duration.checked_add(self.min_sector_expiration).is_some()
            && self.max_prove_commit_duration.saturating_add(self.min_sector_expiration) < self.max_sector_expiration
            && self.max_seal_randomness_lookback >= 1
            && self.fault_max_age >= self.wpost_proving_period
            && self.wpost_dispute_window >= 1
            && self.wpost_dispute_window <= self.wpost_proving_period.saturating_sub(self.wpost_challenge_window)
            && self.sector_daily_earnings >= 1
            && self.sector_daily_earnings.checked_mul(INITIAL_PLEDGE_DAYS).is_some()
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
///
/// What a withholder can buy with them (README, "randomness"): a participant who sees the other
/// reveals may withhold its own, at the price of `penalty`. In a round anchored to drand the
/// reveal cut-off comes before the drand value is public, so the withholder chooses between
/// outputs it cannot compute: no bias, only a failed round if the reveals drop below
/// `min_reveals`, which moves consumers to a later round whose output is just as unknown. In an
/// unanchored round (no drand chain set, or nobody relayed in time) each of k withheld reveals
/// doubles the outputs the withholder chooses from: k bits of choice for k penalties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[cfg_attr(feature = "std", derive(scale_info::TypeInfo, ink::storage::traits::StorageLayout))]
pub struct BeaconPolicy {
    /// Blocks in a round's commit phase.
    pub commit_phase: BlockNumber,
    /// Blocks in a round's reveal phase, right after the commit phase.
    pub reveal_phase: BlockNumber,
    /// Smallest bond a participant must hold to commit.
    pub min_bond: Balance,
    /// What a participant who commits and does not reveal loses from its bond (at most the
    /// minimum bond, so a bond that allowed the commit always covers it).
    pub penalty: Balance,
    /// Fewest reveals for a round to produce an output.
    pub min_reveals: u32,
    /// Blocks between asking to unbond and getting the bond back.
    pub unbond_delay: BlockNumber,
    /// How many blocks back `randomness_at` answers; older rounds are pruned. At least the
    /// registry's longest randomness lookback of the matching proving policy.
    pub history: BlockNumber,
    /// The chain's expected block time in milliseconds: a round opening at block b and time t
    /// expects its reveal phase to be over at `t + (ends + 1 − b) × block_time_ms`, and is bound
    /// to the first drand round published `reveal_margin_ms` after that.
    pub block_time_ms: u64,
    /// Milliseconds between a round's reveal cut-off and its drand round's time: covers block
    /// timestamps running behind the wall clock, so no reveal can follow the drand value.
    pub reveal_margin_ms: u64,
    /// Blocks after a round's end within which its drand value must be relayed; afterwards it
    /// finalises unanchored (`anchored: false`) and relays are refused.
    pub drand_timeout: BlockNumber,
}

impl BeaconPolicy {
    /// Highest `min_reveals` a policy may ask for (there is no cap on participants).
    pub const MAX_MIN_REVEALS: u32 = 1_000;
    /// Most finalised rounds one call prunes from the history.
    pub const MAX_ROUNDS_PRUNED_PER_CALL: u32 = 8;

    /// Production values: a round every 4 minutes of 6-second blocks, with a 3-minute reveal
    /// phase so a congested chain still takes every reveal; a missed reveal costs a tenth of
    /// the minimum bond; a drand value may be relayed for 10 minutes.
    pub const PRODUCTION: Self = Self {
        commit_phase: 10,
        reveal_phase: 30,
        min_bond: 1_000_000_000_000,
        penalty: 100_000_000_000,
        min_reveals: 2,
        unbond_delay: DAYS,
        history: ProvingPolicy::PRODUCTION.longest_randomness_lookback(),
        block_time_ms: 6_000,
        reveal_margin_ms: 6_000,
        drand_timeout: 10 * MINUTES,
    };

    /// Fast values for tests and the demo.
    pub const FAST: Self = Self {
        commit_phase: 3,
        reveal_phase: 2,
        min_bond: 1_000,
        penalty: 100,
        min_reveals: 1,
        unbond_delay: 10,
        history: ProvingPolicy::FAST.longest_randomness_lookback(),
        block_time_ms: 6_000,
        reveal_margin_ms: 1_000,
        drand_timeout: 3,
    };

    /// Blocks in a round.
    pub const fn round_length(&self) -> BlockNumber {
        self.commit_phase.saturating_add(self.reveal_phase)
    }

    /// Whether a beacon can run with these values: both phases last at least a block, the
    /// minimum bond is not zero, the penalty is between one and the minimum bond, a round needs
    /// between one and [`Self::MAX_MIN_REVEALS`] reveals, blocks take time, and the history
    /// covers at least a round and its drand timeout.
    pub const fn is_valid(&self) -> bool {
        self.commit_phase >= 1
            && self.reveal_phase >= 1
            && self.commit_phase.checked_add(self.reveal_phase).is_some()
            && self.min_bond >= 1
            && self.penalty >= 1
            && self.penalty <= self.min_bond
            && self.min_reveals >= 1
            && self.min_reveals <= Self::MAX_MIN_REVEALS
            && self.block_time_ms >= 1
            && self.history >= self.round_length().saturating_add(self.drand_timeout)
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
            assert!(policy.is_valid());
            assert!(policy.pre_commit_deposit() > 1);
            assert_eq!(policy.initial_pledge(), 30 * policy.sector_daily_earnings);
        }
        let fast = ProvingPolicy::FAST;
        for broken in [
            ProvingPolicy { wpost_proving_period: 0, ..fast },
            ProvingPolicy { wpost_period_deadlines: 2, wpost_challenge_window: 30, ..fast },
            ProvingPolicy { wpost_period_deadlines: 49, ..fast },
            ProvingPolicy { wpost_challenge_window: 21, ..fast },
            ProvingPolicy { pre_commit_challenge_delay: fast.max_prove_commit_duration, ..fast },
            ProvingPolicy { max_sector_expiration: 10, ..fast },
            ProvingPolicy { sector_daily_earnings: 0, ..fast },
            ProvingPolicy { sector_daily_earnings: Balance::MAX, ..fast },
            ProvingPolicy { wpost_challenge_lookback: 60, ..fast },
            ProvingPolicy { wpost_dispute_window: 0, ..fast },
            ProvingPolicy { wpost_dispute_window: 41, ..fast },
        ] {
            assert!(!broken.is_valid(), "{broken:?}");
        }
        assert_eq!(ProvingPolicy::PRODUCTION.wpost_proving_period, 14_400);
        assert_eq!(ProvingPolicy::FAST.fault_max_age, 2_100);
        assert_eq!(ProvingPolicy::PRODUCTION.pre_commit_challenge_delay, 750);
        assert_eq!(MarketPolicy::FAST.max_deal_duration, 1_800);
    }
}
