//! A bonded commit-reveal randomness beacon anchored to drand: the seal tickets, interactive
//! seeds and Window PoSt challenges of the provider registry are drawn from its round outputs.
//!
//! The rules live in [`beacon`]; this module stores, pays and emits.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod beacon;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

#[ink::contract]
mod randomness {
    use crate::beacon::{Beacon, Now};
    use ink::prelude::vec::Vec;
    use polka_storage_primitives::beacon::{
        commitment, AnchoredBeaconError, AnchoredRandomnessBeacon, BeaconError, BeaconTotals, BondInfo, CommitmentInfo,
        CurrentRound, DrandChain, Event, Liveness, RandomnessBeacon, RandomnessError, RoundInfo, RoundNumber,
    };
    use polka_storage_primitives::ownership::Ownership;
    use polka_storage_primitives::policy::BeaconPolicy;

    /// Errors of the beacon's own messages.
    pub type Error = RandomnessError;

    /// The beacon's state.
    #[ink(storage)]
    pub struct Randomness {
        ownership: Ownership,
        beacon: Beacon,
    }

    impl Randomness {
        /// Creates the beacon with the production round parameters; round 0 starts at this block.
        /// Rounds are anchored to drand once governance sets the chain (`set_drand_chain`).
        #[ink(constructor, default)]
        pub fn new() -> Result<Self, Error> {
            Self::with_policy(BeaconPolicy::PRODUCTION)
        }

        /// Creates the beacon with explicit round parameters (e.g. the fast test values);
        /// round 0 starts at this block.
        ///
        /// `policy`: commit and reveal phase lengths in blocks, minimum bond, the penalty of a
        /// missed reveal, fewest reveals for a round to produce an output, unbonding delay in
        /// blocks, how many blocks of history `randomness_at` answers for, the expected block
        /// time, the reveal margin before the drand round (ms) and the drand relay timeout
        /// (blocks).
        #[ink(constructor)]
        pub fn with_policy(policy: BeaconPolicy) -> Result<Self, Error> {
            Self::with_policy_and_delay(policy, polka_storage_primitives::policy::GOVERNANCE_DELAY)
        }

        /// Creates the beacon with explicit round parameters and governance delay (e.g. a few
        /// blocks for tests); round 0 starts at this block.
        ///
        /// `policy`: as for `with_policy`.
        /// `delay`: blocks between announcing a policy, drand chain or code replacement and the
        /// first block it may take effect at.
        #[ink(constructor)]
        pub fn with_policy_and_delay(policy: BeaconPolicy, delay: BlockNumber) -> Result<Self, Error> {
            let beacon = Beacon::new(Self::env().block_number(), policy)?;
            Ok(Self { ownership: Ownership::with_delay(Self::env().caller(), delay), beacon })
        }

        fn now(&self) -> Now {
            Now { block: self.env().block_number(), time: self.env().block_timestamp() }
        }

        fn emit(&self, events: Vec<Event>) {
            for event in events {
                match event {
                    Event::Bonded(event) => self.env().emit_event(event),
                    Event::UnbondRequested(event) => self.env().emit_event(event),
                    Event::Withdrawn(event) => self.env().emit_event(event),
                    Event::Committed(event) => self.env().emit_event(event),
                    Event::Revealed(event) => self.env().emit_event(event),
                    Event::RoundOpened(event) => self.env().emit_event(event),
                    Event::DrandRelayed(event) => self.env().emit_event(event),
                    Event::DrandChainSet(event) => self.env().emit_event(event),
                    Event::DrandChainProposed(event) => self.env().emit_event(event),
                    Event::DrandChainProposalCancelled(event) => self.env().emit_event(event),
                    Event::RoundFinalised(event) => self.env().emit_event(event),
                    Event::RoundFailed(event) => self.env().emit_event(event),
                    Event::Slashed(event) => self.env().emit_event(event),
                    Event::PolicyScheduled(event) => self.env().emit_event(event),
                    Event::OwnershipTransferred(event) => self.env().emit_event(event),
                }
            }
        }

        // ---- participation ----

        /// Adds the value sent with this call to your bond. Your active bond must reach the
        /// minimum bond (see `policy`) for the call to be accepted, and must be at least that
        /// minimum whenever you commit. If you commit to a round and do not reveal in time,
        /// the round's penalty is taken from your bond.
        #[ink(message, payable)]
        pub fn bond(&mut self) -> Result<(), Error> {
            let events = self.beacon.bond(self.env().caller(), self.now(), self.env().transferred_value())?;
            self.emit(events);
            Ok(())
        }

        /// Starts taking `amount` out of your active bond: it stops being at stake now and can
        /// be withdrawn with `withdraw_unbonded` after the unbonding delay. Refused while the
        /// reveal window of your latest commitment is open.
        ///
        /// `amount`: how much of your active bond to unbond, in the chain's smallest unit.
        #[ink(message)]
        pub fn unbond(&mut self, amount: Balance) -> Result<(), Error> {
            let events = self.beacon.unbond(self.env().caller(), self.now(), amount)?;
            self.emit(events);
            Ok(())
        }

        /// Pays you everything you unbonded, once the unbonding delay has passed. Returns the
        /// amount paid.
        #[ink(message)]
        pub fn withdraw_unbonded(&mut self) -> Result<Balance, Error> {
            let caller = self.env().caller();
            let (amount, events) = self.beacon.withdraw(caller, self.now())?;
            self.env().transfer(caller, amount).map_err(|_| RandomnessError::TransferFailed)?;
            self.emit(events);
            Ok(amount)
        }

        /// Commits to a secret for the current round, during its commit phase. Needs an active
        /// bond of at least the minimum. Keep the secret: reveal it in the round's reveal phase,
        /// before its reveal cut-off, or pay the round's penalty. The first commitment of a
        /// round binds it to a drand round (see `round`).
        ///
        /// `round`: the current round (see `current_round`).
        /// `commitment`: `blake2_256("polka-storage/beacon/commitment/v1" ‖ round as 4
        /// little-endian bytes ‖ your 32-byte account ‖ your 32-byte secret)`; compute it
        /// locally (or with `commitment_for` on a node you trust) from a fresh random secret.
        #[ink(message)]
        pub fn commit(&mut self, round: RoundNumber, commitment: [u8; 32]) -> Result<(), Error> {
            let events = self.beacon.commit(self.env().caller(), self.now(), round, commitment)?;
            self.emit(events);
            Ok(())
        }

        /// Reveals the secret you committed to in `round`, during that round's reveal phase and
        /// before its reveal cut-off (a block timestamp before its drand round's time minus the
        /// margin).
        ///
        /// `round`: the round you committed to.
        /// `secret`: the 32-byte secret your commitment was computed from.
        #[ink(message)]
        pub fn reveal(&mut self, round: RoundNumber, secret: [u8; 32]) -> Result<(), Error> {
            let events = self.beacon.reveal(self.env().caller(), self.now(), round, secret)?;
            self.emit(events);
            Ok(())
        }

        /// Relays drand's signature of `round`, which an unfinalised beacon round waits for;
        /// anyone may call it. The signature is verified against the drand chain's public key
        /// (a BLS signature on G1 of SHA-256 of the round number, RFC 9380 hash-to-curve).
        ///
        /// `round`: the drand round (see `round(..).drand` of the beacon round bound to it).
        /// `signature`: the round's 48-byte signature as drand relays serve it
        /// (`/{chain hash}/public/{round}`).
        #[ink(message)]
        pub fn relay_drand(&mut self, round: u64, signature: [u8; 48]) -> Result<(), Error> {
            let events = self.beacon.relay_drand(self.now(), round, &signature)?;
            self.emit(events);
            Ok(())
        }

        /// Finalises `round`; anyone may call it. It must be the oldest unfinalised round (see
        /// `next_to_finalise`), its reveal phase over, and its drand value relayed or its relay
        /// deadline passed (then it finalises unanchored). With enough reveals the round
        /// produces its output; otherwise it fails. Also prunes a few rounds that fell out of
        /// the history.
        ///
        /// `round`: the round to finalise.
        #[ink(message)]
        pub fn finalise(&mut self, round: RoundNumber) -> Result<(), Error> {
            let events = self.beacon.finalise(self.now(), round)?;
            self.emit(events);
            Ok(())
        }

        /// Collects the penalty `participant` owes for a withheld reveal, once that round's
        /// reveal window is over; anyone may call it (it happens anyway when the participant
        /// next acts). Returns the penalty collected.
        ///
        /// `participant`: the account whose latest commitment to settle.
        #[ink(message)]
        pub fn settle(&mut self, participant: AccountId) -> Result<Balance, Error> {
            let (amount, events) = self.beacon.settle(participant, self.now())?;
            self.emit(events);
            Ok(amount)
        }

        /// Drops a bounded number of finalised rounds that fell out of the history; anyone may
        /// call it. Returns how many rounds it dropped.
        #[ink(message)]
        pub fn prune_history(&mut self) -> u32 {
            self.beacon.prune(self.env().block_number())
        }

        // ---- views ----

        /// The round in progress now, its phase (commit or reveal) and its boundaries.
        #[ink(message)]
        pub fn current_round(&self) -> Option<CurrentRound> {
            self.beacon.current_round(self.env().block_number())
        }

        /// The state of a round: its boundaries, commits, reveals, penalties collected, its
        /// accumulator, the drand round it is bound to (with its reveal cut-off, relay deadline
        /// and randomness once relayed), and whether it is open, succeeded (with its output and
        /// whether it is anchored) or failed. `None` if nobody committed to it or it was pruned.
        ///
        /// `round`: the round number.
        #[ink(message)]
        pub fn round(&self, round: RoundNumber) -> Option<RoundInfo> {
            self.beacon.round(round)
        }

        /// The oldest round with commitments not finalised yet: the next one `finalise` takes.
        #[ink(message)]
        pub fn next_to_finalise(&self) -> Option<RoundNumber> {
            self.beacon.next_to_finalise()
        }

        /// The beacon round that waits for a drand round's value, if any: what a relayer needs.
        ///
        /// `drand_round`: the drand round.
        #[ink(message)]
        pub fn round_awaiting(&self, drand_round: u64) -> Option<RoundNumber> {
            self.beacon.round_awaiting(drand_round)
        }

        /// A participant's active bond and the funds it is unbonding.
        ///
        /// `participant`: the account to look at.
        #[ink(message)]
        pub fn bond_of(&self, participant: AccountId) -> BondInfo {
            self.beacon.bond_of(&participant)
        }

        /// A participant's latest commitment (its round, hash, secret once revealed and the
        /// penalty it risks) until it is settled.
        ///
        /// `participant`: the account to look at.
        #[ink(message)]
        pub fn commitment_of(&self, participant: AccountId) -> Option<CommitmentInfo> {
            self.beacon.commitment_of(&participant)
        }

        /// The funds the beacon holds: all bonds, and the penalties collected nobody can withdraw.
        #[ink(message)]
        pub fn totals(&self) -> BeaconTotals {
            self.beacon.totals()
        }

        /// The latest successful round and its output.
        #[ink(message)]
        pub fn latest_output(&self) -> Option<(RoundNumber, [u8; 32])> {
            self.beacon.latest_output()
        }

        /// How the beacon is doing: its latest output (and whether it was anchored), blocks
        /// without an output since, the rounds waiting to be finalised, how many outputs in the
        /// history are unanchored, and whether a drand chain is set.
        #[ink(message)]
        pub fn liveness(&self) -> Liveness {
            self.beacon.liveness(self.env().block_number())
        }

        /// The drand chain rounds are anchored to: public key, genesis time, period.
        #[ink(message)]
        pub fn drand_chain(&self) -> Option<DrandChain> {
            self.beacon.drand_chain()
        }

        /// The oldest block whose randomness the beacon still answers for.
        #[ink(message)]
        pub fn oldest_available_block(&self) -> BlockNumber {
            self.beacon.oldest_available_block(self.env().block_number())
        }

        /// Computes the commitment of a secret. This sends the secret to the node you query:
        /// use it only with a node you run yourself, or compute the hash locally.
        ///
        /// `round`: the round you will commit to.
        /// `participant`: the account that will commit (and reveal).
        /// `secret`: your 32-byte secret.
        #[ink(message)]
        pub fn commitment_for(&self, round: RoundNumber, participant: AccountId, secret: [u8; 32]) -> [u8; 32] {
            commitment(round, &participant, &secret)
        }

        // ---- governance ----

        /// The account that governs the beacon.
        #[ink(message)]
        pub fn owner(&self) -> AccountId {
            self.ownership.owner()
        }

        /// The account proposed to govern next, until it accepts or the owner cancels.
        #[ink(message)]
        pub fn proposed_owner(&self) -> Option<AccountId> {
            self.ownership.proposed_owner()
        }

        /// Blocks between announcing a replacement (code, and keys where the beacon has them)
        /// and the first block it may be applied at.
        #[ink(message)]
        pub fn governance_delay(&self) -> BlockNumber {
            self.ownership.delay()
        }

        /// Proposes `new_owner` to govern the beacon; nothing changes until it calls
        /// `accept_ownership`. Owner only; the zero account is refused.
        ///
        /// `new_owner`: the account (e.g. a multisig) that may accept governance.
        #[ink(message)]
        pub fn propose_owner(&mut self, new_owner: AccountId) -> Result<(), Error> {
            let event = self.ownership.propose_owner(&self.env().caller(), new_owner)?;
            self.env().emit_event(event);
            Ok(())
        }

        /// Takes governance of the beacon. Only the proposed owner.
        #[ink(message)]
        pub fn accept_ownership(&mut self) -> Result<(), Error> {
            let event = self.ownership.accept_ownership(&self.env().caller())?;
            self.env().emit_event(event);
            Ok(())
        }

        /// Withdraws the proposed hand-over. Owner only.
        #[ink(message)]
        pub fn cancel_owner_proposal(&mut self) -> Result<(), Error> {
            let event = self.ownership.cancel_owner_proposal(&self.env().caller())?;
            self.env().emit_event(event);
            Ok(())
        }

        /// The code hash announced for an upgrade and when it may be applied, if any.
        #[ink(message)]
        pub fn pending_code_hash(&self) -> Option<polka_storage_primitives::ownership::Pending<[u8; 32]>> {
            self.ownership.pending_code_hash()
        }

        /// Announces an upgrade of the beacon to the code uploaded under `code_hash`; it may be
        /// applied with `apply_code_hash` after the governance delay. Owner only.
        ///
        /// `code_hash`: the hash of the uploaded Wasm code (it must keep this storage layout).
        #[ink(message)]
        pub fn propose_code_hash(&mut self, code_hash: [u8; 32]) -> Result<(), Error> {
            let now = self.env().block_number();
            let event = self.ownership.propose_code_hash(&self.env().caller(), code_hash, now)?;
            self.env().emit_event(event);
            Ok(())
        }

        /// Switches the beacon to the announced code once its delay has passed; the state is
        /// kept. Owner only.
        #[ink(message)]
        pub fn apply_code_hash(&mut self) -> Result<(), Error> {
            let now = self.env().block_number();
            let (code_hash, event) = self.ownership.take_due_code_hash(&self.env().caller(), now)?;
            // A failed switch returns an error, which reverts the cleared announcement too.
            self.env()
                .set_code_hash(&Hash::from(code_hash))
                .map_err(|_| polka_storage_primitives::ownership::GovernanceError::CodeNotFound)?;
            self.env().emit_event(event);
            Ok(())
        }

        /// Withdraws the announced upgrade. Owner only.
        #[ink(message)]
        pub fn cancel_code_hash(&mut self) -> Result<(), Error> {
            let event = self.ownership.cancel_code_hash(&self.env().caller())?;
            self.env().emit_event(event);
            Ok(())
        }

        /// The round parameters in force now.
        #[ink(message)]
        pub fn policy(&self) -> BeaconPolicy {
            self.beacon.policy_at(self.env().block_number())
        }

        /// Parameters scheduled for a round that has not started yet: (first round, the block
        /// it starts at, the parameters).
        #[ink(message)]
        pub fn pending_policy(&self) -> Option<(RoundNumber, BlockNumber, BeaconPolicy)> {
            self.beacon.pending_policy(self.env().block_number())
        }

        /// Schedules new round parameters from the first round that starts at least the
        /// governance delay from now (never the round in progress), so participants can top up
        /// bonds and consumers see the change coming. Replaces parameters scheduled earlier that
        /// have not taken effect. The history may not shrink (`HistoryWouldShrink`). Owner only.
        ///
        /// `policy`: the same fields as the constructor `with_policy` takes.
        #[ink(message)]
        pub fn set_policy(&mut self, policy: BeaconPolicy) -> Result<(), Error> {
            self.ownership.ensure_owner(&self.env().caller())?;
            let events = self.beacon.set_policy(self.env().block_number(), self.ownership.delay(), policy)?;
            self.emit(events);
            Ok(())
        }

        /// Sets the drand chain that rounds opened from now on are anchored to; the key is
        /// checked (a point of G2) and stored prepared for verification. The first chain is in
        /// force at once; a replacement is announced (`pending_drand_chain`, an event) and
        /// applies with `apply_drand_chain` after the governance delay. Owner only.
        ///
        /// `public_key`: the chain's 96-byte compressed G2 public key (its `/info`).
        /// `genesis_time`: Unix time in seconds of drand round 1.
        /// `period`: seconds between drand rounds (3 for `quicknet`).
        #[ink(message)]
        pub fn set_drand_chain(&mut self, public_key: [u8; 96], genesis_time: u64, period: u32) -> Result<(), Error> {
            self.ownership.ensure_owner(&self.env().caller())?;
            let chain = DrandChain { public_key, genesis_time, period };
            let events = self.beacon.set_drand_chain(self.env().block_number(), self.ownership.delay(), chain)?;
            self.emit(events);
            Ok(())
        }

        /// Installs the announced drand chain once its delay has passed. Anyone may call it:
        /// the change was public for the whole delay.
        #[ink(message)]
        pub fn apply_drand_chain(&mut self) -> Result<(), Error> {
            let events = self.beacon.apply_drand_chain(self.env().block_number())?;
            self.emit(events);
            Ok(())
        }

        /// Withdraws the announced drand chain. Owner only.
        #[ink(message)]
        pub fn cancel_drand_chain(&mut self) -> Result<(), Error> {
            self.ownership.ensure_owner(&self.env().caller())?;
            let events = self.beacon.cancel_drand_chain()?;
            self.emit(events);
            Ok(())
        }

        /// The replacement drand chain announced, with when it may be applied.
        #[ink(message)]
        pub fn pending_drand_chain(&self) -> Option<polka_storage_primitives::ownership::Pending<DrandChain>> {
            self.beacon.pending_drand_chain()
        }
    }

    impl RandomnessBeacon for Randomness {
        /// The randomness of `block`: the output of the first successfully finalised round that
        /// ends at or after it. `NotYetAvailable` until that round is finalised (never an older
        /// output); `Pruned` for blocks older than the history.
        ///
        /// `block`: the block whose randomness you want.
        #[ink(message)]
        fn randomness_at(&self, block: BlockNumber) -> Result<[u8; 32], BeaconError> {
            self.beacon.randomness_at(self.env().block_number(), block)
        }
    }

    impl AnchoredRandomnessBeacon for Randomness {
        /// The same value as `randomness_at(block)`, only if the round answering for it mixed in
        /// its drand value; `NotAnchored` otherwise.
        ///
        /// `block`: the block whose randomness you want.
        #[ink(message)]
        fn anchored_randomness_at(&self, block: BlockNumber) -> Result<[u8; 32], AnchoredBeaconError> {
            self.beacon.anchored_randomness_at(self.env().block_number(), block)
        }

        /// Whether the answer for `block` is anchored to drand (errors as `randomness_at`).
        ///
        /// `block`: the block to look at.
        #[ink(message)]
        fn is_anchored_at(&self, block: BlockNumber) -> Result<bool, BeaconError> {
            self.beacon.is_anchored_at(self.env().block_number(), block)
        }
    }
}
