//! Publishing client-signed deals (spec §2.1 (3)): all or nothing, with the spec's checks in
//! the spec's order.
//!
//! Per deal, in call order: the client's signature; the piece CID (then, additions of this
//! contract, the piece size and the label length); the provider; start before end; start not
//! passed; state `Published`; duration within the policy; the client's and the provider's free
//! funds for everything this call locks so far; no duplicate (pending, activated before its
//! start block, or earlier in the call); the provider's pending limit.
//!
//! The signature is over `DealProposal::signing_payload(domain)` with this market's domain, so a
//! deal signed for another market (or chain) does not verify here.
//!
//! Signatures are verified as one batch (see `signature`), after the other checks: those run in
//! order and stop at the first failing deal; then the signatures of the deals up to and including
//! it are verified. A bad one among them is what the spec's order reports first, so the error is
//! the same as with one-by-one checks.

use crate::deals::Party;
use crate::ext::Peers;
use crate::signature::{verify_all, SignedMessage};
use crate::state::MarketState;
use ink::prelude::vec::Vec;
use polka_storage_primitives::commitment::{cid_to_commitment, CommitmentKind, PaddedPieceSize};
use polka_storage_primitives::market::Event;
use polka_storage_primitives::market::{ClientDealProposal, DealState, DealsPublished, MarketError, PublishedDeal};
use polka_storage_primitives::policy::{MAX_DEALS_PER_PUBLISH, MAX_LABEL_LEN, MAX_PENDING_DEALS_PER_PROVIDER};
use polka_storage_primitives::{AccountId, Balance, BlockNumber, DealId};

/// What each account must have free for the deals checked so far (fees of clients, collateral
/// of providers; one account may be both).
#[derive(Default)]
struct Lockups(Vec<(AccountId, Balance)>);

impl Lockups {
    /// Adds `amount` to `who`'s lockup and checks it against its free funds.
    fn add(&mut self, state: &MarketState, who: &AccountId, amount: Balance) -> Result<(), MarketError> {
        let index = match self.0.iter().position(|(account, _)| account == who) {
            Some(index) => index,
            None => {
                self.0.push((*who, 0));
                self.0.len().saturating_sub(1)
            }
        };
        let entry = self.0.get_mut(index).ok_or(MarketError::ArithmeticOverflow)?;
        entry.1 = entry.1.checked_add(amount).ok_or(MarketError::ArithmeticOverflow)?;
        if entry.1 > state.balances.get(who).free {
            return Err(MarketError::InsufficientFreeFunds);
        }
        Ok(())
    }
}

/// A deal that passed every check but its signature.
struct Checked {
    payload: Vec<u8>,
    hash: [u8; 32],
}

impl MarketState {
    /// Publishes `deals` for provider `caller` at block `now`, once `peers` (the registry) has
    /// found the caller registered. Returns the new deal ids, in call order, and the
    /// `DealsPublished` event.
    pub fn publish_storage_deals(
        &mut self,
        peers: &impl Peers,
        caller: AccountId,
        now: BlockNumber,
        deals: &[ClientDealProposal],
    ) -> Result<(Vec<DealId>, Vec<Event>), MarketError> {
        // The registry first, as before any check of the deals: an unregistered caller learns
        // nothing about them.
        if !peers.is_registered_storage_provider(caller)? {
            return Err(MarketError::StorageProviderNotRegistered);
        }
        let first = deals.first().ok_or(MarketError::NoProposalsToBePublished)?;
        if deals.len() > MAX_DEALS_PER_PUBLISH {
            return Err(MarketError::TooManyProposals);
        }
        if first.proposal.provider != caller {
            return Err(MarketError::ProposalsPublishedByIncorrectStorageProvider);
        }
        let mut lockups = Lockups::default();
        let mut checked: Vec<Checked> = Vec::with_capacity(deals.len());
        let mut failure = None;
        for deal in deals {
            match self.check_deal(&caller, now, deal, &mut lockups, &checked) {
                Ok(deal) => checked.push(deal),
                Err(error) => {
                    failure = Some(error);
                    break;
                }
            }
        }
        // The deals checked so far, and the failing one (whose signature the spec checks first).
        let signed = checked.len().saturating_add(usize::from(failure.is_some()));
        let payloads: Vec<Vec<u8>> = deals
            .iter()
            .take(signed)
            .enumerate()
            .map(|(index, deal)| match checked.get(index) {
                Some(checked) => checked.payload.clone(),
                None => deal.proposal.signing_payload(&self.domain),
            })
            .collect();
        let items: Vec<SignedMessage> = deals
            .iter()
            .zip(&payloads)
            .map(|(deal, payload)| SignedMessage {
                signer: &deal.proposal.client,
                signature: &deal.client_signature,
                message: payload,
            })
            .collect();
        if !verify_all(&items) {
            return Err(MarketError::WrongClientSignatureOnProposal);
        }
        if let Some(error) = failure {
            return Err(error);
        }
        self.apply(caller, now, deals, &checked, &lockups)
    }

    /// Every check of one deal but its signature, against the deals before it in the call.
    fn check_deal(
        &self,
        caller: &AccountId,
        now: BlockNumber,
        deal: &ClientDealProposal,
        lockups: &mut Lockups,
        earlier: &[Checked],
    ) -> Result<Checked, MarketError> {
        let proposal = &deal.proposal;
        cid_to_commitment(&proposal.piece_cid, CommitmentKind::Unsealed).map_err(MarketError::InvalidPieceCid)?;
        PaddedPieceSize::new(proposal.piece_size).map_err(|_| MarketError::InvalidPieceSize)?;
        if proposal.label.len() > MAX_LABEL_LEN {
            return Err(MarketError::LabelTooLong);
        }
        if proposal.provider != *caller {
            return Err(MarketError::ProposalsPublishedByIncorrectStorageProvider);
        }
        if proposal.start_block >= proposal.end_block {
            return Err(MarketError::DealEndBeforeStart);
        }
        if proposal.start_block < now {
            return Err(MarketError::DealStartExpired);
        }
        if proposal.state != DealState::Published {
            return Err(MarketError::DealNotPublished);
        }
        let duration = proposal.duration();
        if duration < self.policy.min_deal_duration || duration > self.policy.max_deal_duration {
            return Err(MarketError::DealDurationOutOfBounds);
        }
        let fee = proposal.total_storage_fee().ok_or(MarketError::ArithmeticOverflow)?;
        lockups.add(self, &proposal.client, fee)?;
        lockups.add(self, &proposal.provider, proposal.provider_collateral)?;
        let payload = proposal.signing_payload(&self.domain);
        let hash = proposal.hash();
        // An activated deal is no longer pending, but its signature must not publish it again.
        let published_before = self.deals.pending_deal(&hash).is_some() || self.deals.is_consumed(&hash, now);
        if published_before || earlier.iter().any(|deal| deal.hash == hash) {
            return Err(MarketError::DuplicateDeal);
        }
        let pending = self.deals.pending_count(caller);
        let batch = u32::try_from(earlier.len()).map_err(|_| MarketError::TooManyPendingDeals)?;
        if pending.saturating_add(batch) >= MAX_PENDING_DEALS_PER_PROVIDER {
            return Err(MarketError::TooManyPendingDeals);
        }
        Ok(Checked { payload, hash })
    }

    /// Writes the checked deals: locks the funds, stores the deals, lists them; and drops
    /// consumed markers whose start block has passed, as many as this call could later add.
    fn apply(
        &mut self,
        provider: AccountId,
        now: BlockNumber,
        deals: &[ClientDealProposal],
        checked: &[Checked],
        lockups: &Lockups,
    ) -> Result<(Vec<DealId>, Vec<Event>), MarketError> {
        self.deals.prune_consumed(now, MAX_DEALS_PER_PUBLISH);
        for (account, amount) in &lockups.0 {
            self.balances.lock(account, *amount)?;
        }
        let mut deal_ids = Vec::with_capacity(deals.len());
        let mut published = Vec::with_capacity(deals.len());
        let mut by_client: Vec<(AccountId, Vec<DealId>)> = Vec::new();
        for (deal, checked) in deals.iter().zip(checked) {
            let deal_id = self.deals.insert_published(&deal.proposal, &checked.hash)?;
            let client = deal.proposal.client;
            match by_client.iter_mut().find(|(account, _)| *account == client) {
                Some((_, ids)) => ids.push(deal_id),
                None => by_client.push((client, ink::prelude::vec![deal_id])),
            }
            deal_ids.push(deal_id);
            published.push(PublishedDeal { client, deal_id });
        }
        self.deals.append(Party::Provider, &provider, &deal_ids)?;
        for (client, ids) in &by_client {
            self.deals.append(Party::Client, client, ids)?;
        }
        let count = u32::try_from(deal_ids.len()).map_err(|_| MarketError::TooManyProposals)?;
        self.deals.add_pending(&provider, count)?;
        Ok((deal_ids, ink::prelude::vec![Event::DealsPublished(DealsPublished { provider, deals: published })]))
    }
}
