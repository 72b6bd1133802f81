//! Keeps the randomness beacon going on a chain: bonded participants commit and reveal in every
//! round and anyone finalises, so that consumers (the registry's tickets, seeds and challenges)
//! find an output for the blocks they ask about. Used by the demo, the tests and the benchmark:
//! a flow asks for "randomness up to block b" and the keeper runs the rounds that cover it.

use crate::chain::{Chain, Deployed};
use crate::runtime::UNIT;
use anyhow::{anyhow, bail, Context, Result};
use polka_storage_primitives::beacon::{commitment, BeaconError, CurrentRound, RandomnessError, RoundNumber};
use polka_storage_primitives::policy::BeaconPolicy;
use polka_storage_primitives::AccountId;
use scale::Encode;
use sp_runtime::AccountId32;

/// Most rounds one call runs: a bound, far above any flow's need.
const MAX_ROUNDS_PER_CALL: u32 = 1_000;

/// The beacon with its participants.
pub struct BeaconKeeper {
    /// The beacon contract.
    pub beacon: Deployed,
    /// Who commits and reveals in every round.
    pub participants: Vec<AccountId32>,
    policy: BeaconPolicy,
}

fn id(account: &AccountId32) -> AccountId {
    AccountId::from(<[u8; 32]>::from(account.clone()))
}

/// The secret `who` reveals in `round`: derived, so that a run is reproducible (and with it
/// every ticket and seed, and the proofs made for them).
pub fn secret_of(who: &AccountId32, round: RoundNumber) -> [u8; 32] {
    sp_core::blake2_256(&(who, round, "beacon keeper secret").encode())
}

impl BeaconKeeper {
    /// Bonds `participants` (10 units each) into `beacon`.
    pub fn start(chain: &mut Chain, beacon: &Deployed, participants: Vec<AccountId32>) -> Result<Self> {
        let policy: BeaconPolicy = chain.query(&participants[0], beacon, "policy", ())?;
        for who in &participants {
            let answer = chain.call::<_, Result<(), RandomnessError>>(who, beacon, "bond", (), 10 * UNIT)?;
            answer.value.map_err(|error| anyhow!("bonding {who}: {error:?}"))?;
        }
        Ok(Self { beacon: beacon.clone(), participants, policy })
    }

    /// The beacon's output for `block`, if a round covering it is final.
    pub fn randomness_at(&self, chain: &mut Chain, block: u32) -> Result<Result<[u8; 32], BeaconError>> {
        chain.query(&self.participants[0], &self.beacon, "randomness_at", (block,))
    }

    /// Runs rounds until the beacon answers for `block`, and returns that output. The chain
    /// ends a block after the finalised round.
    pub fn cover(&mut self, chain: &mut Chain, block: u32) -> Result<[u8; 32]> {
        for _ in 0..MAX_ROUNDS_PER_CALL {
            if let Ok(output) = self.randomness_at(chain, block)? {
                return Ok(output);
            }
            self.run_round(chain)?;
        }
        bail!("the beacon gave no output for block {block} after {MAX_ROUNDS_PER_CALL} rounds")
    }

    /// Commits, reveals and finalises the next round whose commit phase has not passed.
    pub fn run_round(&mut self, chain: &mut Chain) -> Result<RoundNumber> {
        let first = self.participants[0].clone();
        let mut round: CurrentRound =
            chain.query::<_, Option<CurrentRound>>(&first, &self.beacon, "current_round", ())?.context("no round")?;
        if chain.block_number() >= round.reveal_starts {
            chain.advance_to(round.ends.saturating_add(1));
            round = chain
                .query::<_, Option<CurrentRound>>(&first, &self.beacon, "current_round", ())?
                .context("no next round")?;
        }
        for who in self.participants.clone() {
            let sealed = commitment(round.round, &id(&who), &secret_of(&who, round.round));
            self.expect_ok(chain, &who, "commit", (round.round, sealed))?;
        }
        chain.advance_to(round.reveal_starts);
        for who in self.participants.clone() {
            self.expect_ok(chain, &who, "reveal", (round.round, secret_of(&who, round.round)))?;
        }
        chain.advance_to(round.ends.saturating_add(1));
        // Without a drand relay a round finalises unanchored once its drand timeout is over.
        if self.try_ok(chain, &first, "finalise", (round.round,))?.is_err() {
            chain.advance_to(round.ends.saturating_add(self.policy.drand_timeout).saturating_add(1));
            self.expect_ok(chain, &first, "finalise", (round.round,))?;
        }
        Ok(round.round)
    }

    fn try_ok<A: Encode>(
        &self,
        chain: &mut Chain,
        who: &AccountId32,
        message: &str,
        args: A,
    ) -> Result<Result<(), RandomnessError>> {
        Ok(chain.call::<_, Result<(), RandomnessError>>(who, &self.beacon, message, args, 0)?.value)
    }

    fn expect_ok<A: Encode>(&self, chain: &mut Chain, who: &AccountId32, message: &str, args: A) -> Result<()> {
        self.try_ok(chain, who, message, args)?.map_err(|error| anyhow!("beacon {message} by {who}: {error:?}"))
    }
}
