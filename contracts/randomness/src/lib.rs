//! A bonded commit-reveal randomness beacon: the seal tickets, interactive seeds and Window PoSt
//! challenges of the provider registry are drawn from its round outputs.
//!
//! The rules live in [`beacon`]; this module stores, pays and emits.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod beacon;
pub mod events;

#[ink::contract]
mod randomness {
    use crate::beacon::Beacon;
    use crate::events::Event;
    use ink::prelude::vec::Vec;
    use polka_storage_primitives::beacon::{
        commitment, BeaconError, BeaconTotals, BondInfo, CommitmentInfo, CurrentRound, RandomnessBeacon,
        RandomnessError, RoundInfo, RoundNumber,
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
        #[ink(constructor, default)]
        pub fn new() -> Result<Self, Error> {
            Self::with_policy(BeaconPolicy::PRODUCTION)
        }

        /// Creates the beacon with explicit round parameters (e.g. the fast test values);
        /// round 0 starts at this block.
        ///
        /// `policy`: commit and reveal phase lengths in blocks, minimum bond, fewest reveals for
        /// a round to produce an output, unbonding delay in blocks, and how many blocks of
        /// history `randomness_at` answers for.
        #[ink(constructor)]
        pub fn with_policy(policy: BeaconPolicy) -> Result<Self, Error> {
            let beacon = Beacon::new(Self::env().block_number(), policy)?;
            Ok(Self { ownership: Ownership::new(Self::env().caller()), beacon })
        }

        fn emit(&self, events: Vec<Event>) {
            for event in events {
                match event {
                    Event::Bonded(event) => self.env().emit_event(event),
                    Event::UnbondRequested(event) => self.env().emit_event(event),
                    Event::Withdrawn(event) => self.env().emit_event(event),
                    Event::Committed(event) => self.env().emit_event(event),
                    Event::Revealed(event) => self.env().emit_event(event),
                    Event::RoundFinalised(event) => self.env().emit_event(event),
                    Event::RoundFailed(event) => self.env().emit_event(event),
                    Event::Slashed(event) => self.env().emit_event(event),
                    Event::PolicyScheduled(event) => self.env().emit_event(event),
                }
            }
        }

        // ---- participation ----

        /// Adds the value sent with this call to your bond. Your active bond must reach the
        /// minimum bond (see `policy`) for the call to be accepted, and must be at least that
        /// minimum whenever you commit. You lose your active bond if you commit to a round and
        /// do not reveal in its reveal phase.
        #[ink(message, payable)]
        pub fn bond(&mut self) -> Result<(), Error> {
            let events =
                self.beacon.bond(self.env().caller(), self.env().block_number(), self.env().transferred_value())?;
            self.emit(events);
            Ok(())
        }

        /// Starts taking `amount` out of your active bond: it stops being at stake now and can
        /// be withdrawn with `withdraw_unbonded` after the unbonding delay. Refused while you
        /// are committed to a round that is not finalised yet.
        ///
        /// `amount`: how much of your active bond to unbond, in the chain's smallest unit.
        #[ink(message)]
        pub fn unbond(&mut self, amount: Balance) -> Result<(), Error> {
            let events = self.beacon.unbond(self.env().caller(), self.env().block_number(), amount)?;
            self.emit(events);
            Ok(())
        }

        /// Pays you everything you unbonded, once the unbonding delay has passed. Returns the
        /// amount paid.
        #[ink(message)]
        pub fn withdraw_unbonded(&mut self) -> Result<Balance, Error> {
            let caller = self.env().caller();
            let (amount, events) = self.beacon.withdraw(caller, self.env().block_number())?;
            self.env().transfer(caller, amount).map_err(|_| RandomnessError::TransferFailed)?;
            self.emit(events);
            Ok(amount)
        }

        /// Commits to a secret for the current round, during its commit phase. Needs an active
        /// bond of at least the minimum. Keep the secret: you must reveal it in the round's
        /// reveal phase or lose your bond.
        ///
        /// `round`: the current round (see `current_round`).
        /// `commitment`: `blake2_256("polka-storage/beacon/commitment/v1" ‖ round as 4
        /// little-endian bytes ‖ your 32-byte account ‖ your 32-byte secret)`; compute it
        /// locally (or with `commitment_for` on a node you trust) from a fresh random secret.
        #[ink(message)]
        pub fn commit(&mut self, round: RoundNumber, commitment: [u8; 32]) -> Result<(), Error> {
            let events = self.beacon.commit(self.env().caller(), self.env().block_number(), round, commitment)?;
            self.emit(events);
            Ok(())
        }

        /// Reveals the secret you committed to in `round`, during that round's reveal phase.
        ///
        /// `round`: the round you committed to.
        /// `secret`: the 32-byte secret your commitment was computed from.
        #[ink(message)]
        pub fn reveal(&mut self, round: RoundNumber, secret: [u8; 32]) -> Result<(), Error> {
            let events = self.beacon.reveal(self.env().caller(), self.env().block_number(), round, secret)?;
            self.emit(events);
            Ok(())
        }

        /// Finalises `round` once its reveal phase is over; anyone may call it. With enough
        /// reveals the round produces its output; otherwise it fails. Participants who
        /// committed and did not reveal lose their active bond, which the beacon keeps as
        /// slashed funds. Also prunes a few rounds that fell out of the history.
        ///
        /// `round`: the round to finalise (see `open_round`).
        #[ink(message)]
        pub fn finalise(&mut self, round: RoundNumber) -> Result<(), Error> {
            let events = self.beacon.finalise(self.env().block_number(), round)?;
            self.emit(events);
            Ok(())
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

        /// The state of a round: its boundaries, commits, reveals, slashed bonds, and whether
        /// it is open, succeeded (with its output) or failed. `None` if nobody committed to it
        /// or it was pruned.
        ///
        /// `round`: the round number.
        #[ink(message)]
        pub fn round(&self, round: RoundNumber) -> Option<RoundInfo> {
            self.beacon.round(round)
        }

        /// The latest round with commitments that is not finalised yet.
        #[ink(message)]
        pub fn open_round(&self) -> Option<RoundNumber> {
            self.beacon.open_round()
        }

        /// A participant's active bond and the funds it is unbonding.
        ///
        /// `participant`: the account to look at.
        #[ink(message)]
        pub fn bond_of(&self, participant: AccountId) -> BondInfo {
            self.beacon.bond_of(&participant)
        }

        /// A participant's commitment in a round that is not finalised yet, and its secret once
        /// revealed.
        ///
        /// `round`: the round number.
        /// `participant`: the account to look at.
        #[ink(message)]
        pub fn commitment_of(&self, round: RoundNumber, participant: AccountId) -> Option<CommitmentInfo> {
            self.beacon.commitment_of(round, &participant)
        }

        /// The funds the beacon holds: all bonds, and the slashed total nobody can withdraw.
        #[ink(message)]
        pub fn totals(&self) -> BeaconTotals {
            self.beacon.totals()
        }

        /// The latest successful round and its output.
        #[ink(message)]
        pub fn latest_output(&self) -> Option<(RoundNumber, [u8; 32])> {
            self.beacon.latest_output()
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

        /// Hands governance to `new_owner`. Owner only.
        ///
        /// `new_owner`: the account that governs the beacon from now on.
        #[ink(message)]
        pub fn transfer_ownership(&mut self, new_owner: AccountId) -> Result<(), Error> {
            let event = self.ownership.transfer(&self.env().caller(), new_owner)?;
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

        /// Schedules new round parameters from the next round on; the round in progress keeps
        /// its own. Replaces parameters scheduled earlier that have not taken effect. Owner only.
        ///
        /// `policy`: commit and reveal phase lengths in blocks, minimum bond, fewest reveals for
        /// a round to produce an output, unbonding delay in blocks, and how many blocks of
        /// history `randomness_at` answers for.
        #[ink(message)]
        pub fn set_policy(&mut self, policy: BeaconPolicy) -> Result<(), Error> {
            self.ownership.ensure_owner(&self.env().caller())?;
            let events = self.beacon.set_policy(self.env().block_number(), policy)?;
            self.emit(events);
            Ok(())
        }
    }

    impl RandomnessBeacon for Randomness {
        /// The randomness of `block`: the output of the first successfully finalised round that
        /// ends at or after it. `NotYetAvailable` until that round is finalised; `Pruned` for
        /// blocks older than the history.
        ///
        /// `block`: the block whose randomness you want.
        #[ink(message)]
        fn randomness_at(&self, block: BlockNumber) -> Result<[u8; 32], BeaconError> {
            self.beacon.randomness_at(self.env().block_number(), block)
        }
    }
}
