//! Pre-commit expiry (spec §8.3 #1 and #2): a pre-commit can be proven until its block plus
//! `max_prove_commit_duration` and expires from that block on, for every provider, losing its
//! deposit once, to the slashed total. It runs lazily at the start of each message of the
//! provider and through the crank `expire_precommits`, at most
//! [`MAX_PRECOMMIT_EXPIRIES_PER_CALL`] queue entries per call. If the beacon never gave the
//! sector's interactive seed, the provider could not prove it: the deposit goes back instead.

use crate::ext::Peers;
use crate::state::{decr, RegistryState};
use ink::prelude::vec::Vec;
use polka_storage_primitives::policy::MAX_PRECOMMIT_EXPIRIES_PER_CALL;
use polka_storage_primitives::registry::{Event, PreCommitsExpired, ProviderState, RegistryError};
use polka_storage_primitives::{AccountId, Balance, BlockNumber};

impl RegistryState {
    /// The crank: expires `provider`'s due pre-commits (anyone may call). Returns how many
    /// expired.
    pub fn expire_precommits<P: Peers>(
        &mut self,
        peers: &P,
        provider: AccountId,
        now: BlockNumber,
    ) -> Result<(u32, Vec<Event>), RegistryError> {
        let mut state = self.provider_state(&provider)?;
        let events = self.expire_due(peers, &provider, &mut state, now)?;
        self.providers.insert(provider, &state);
        let expired = events
            .iter()
            .map(|event| match event {
                Event::PreCommitsExpired(expired) => expired.sector_numbers.len(),
                _ => 0,
            })
            .sum::<usize>();
        Ok((u32::try_from(expired).map_err(|_| RegistryError::ArithmeticOverflow)?, events))
    }

    /// Expires the due pre-commits at the head of `owner`'s queue into `state` (which the
    /// caller stores), at most [`MAX_PRECOMMIT_EXPIRIES_PER_CALL`] entries.
    pub(crate) fn expire_due<P: Peers>(
        &mut self,
        peers: &P,
        owner: &AccountId,
        state: &mut ProviderState,
        now: BlockNumber,
    ) -> Result<Vec<Event>, RegistryError> {
        let mut sector_numbers = Vec::new();
        let (mut slashed, mut refunded): (Balance, Balance) = (0, 0);
        // The seed of every pre-commit of one block comes from the same beacon answer.
        let mut seed_known: Option<(BlockNumber, bool)> = None;
        for _ in 0..MAX_PRECOMMIT_EXPIRIES_PER_CALL {
            if state.expiry_queue_head >= state.expiry_queue_tail {
                break;
            }
            let Some((sector, pre_commit_block)) = self.expiry_queue.get((*owner, state.expiry_queue_head)) else {
                break;
            };
            let expires_at = pre_commit_block
                .checked_add(self.policy.max_prove_commit_duration)
                .ok_or(RegistryError::ArithmeticOverflow)?;
            if now < expires_at {
                // The queue is in pre-commit order: nothing behind the head is due either.
                break;
            }
            self.expiry_queue.remove((*owner, state.expiry_queue_head));
            state.expiry_queue_head =
                state.expiry_queue_head.checked_add(1).ok_or(RegistryError::ArithmeticOverflow)?;
            let Some(pre_commit) = self.precommits.get((*owner, sector)) else { continue };
            if pre_commit.pre_commit_block != pre_commit_block {
                // Proven, and the number pre-committed again later: that one has its own entry.
                continue;
            }
            let seed_block = pre_commit_block
                .checked_add(self.policy.pre_commit_challenge_delay)
                .ok_or(RegistryError::ArithmeticOverflow)?;
            let seed_was_given = match seed_known {
                Some((block, given)) if block == seed_block => given,
                _ => {
                    // Only a beacon that never finalised the seed's round excuses the provider;
                    // a pruned seed was there to be used.
                    let given = !matches!(
                        peers.randomness_at(seed_block),
                        Err(RegistryError::RandomnessNotYetAvailable | RegistryError::Call(_))
                    );
                    seed_known = Some((seed_block, given));
                    given
                }
            };
            self.precommits.remove((*owner, sector));
            state.pre_committed_sectors = decr(state.pre_committed_sectors)?;
            let deposit = pre_commit.pre_commit_deposit;
            self.release_deposit(state, deposit, seed_was_given)?;
            if seed_was_given {
                slashed = slashed.checked_add(deposit).ok_or(RegistryError::ArithmeticOverflow)?;
            } else {
                refunded = refunded.checked_add(deposit).ok_or(RegistryError::ArithmeticOverflow)?;
            }
            sector_numbers.push(sector);
        }
        if sector_numbers.is_empty() {
            return Ok(Vec::new());
        }
        Ok(ink::prelude::vec![Event::PreCommitsExpired(PreCommitsExpired {
            owner: *owner,
            sector_numbers,
            slashed,
            refunded
        })])
    }
}
