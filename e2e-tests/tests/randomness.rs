//! The randomness beacon alone on the sandbox chain, block by block, with block timestamps set
//! where the recorded drand `quicknet` rounds need them. After every step the beacon's balance
//! must equal its bonds plus its slashed total plus what it held right after instantiation (the
//! existential deposit pallet-contracts keeps there).

use polka_storage_deploy::bundle::Bundle;
use polka_storage_deploy::chain::{dev_account, Answer, Chain, Deployed};
use polka_storage_deploy::runtime::UNIT;
use polka_storage_primitives::beacon::{
    commitment, reveal_term, round_output, AnchoredBeaconError, BeaconError, BeaconTotals, BondInfo, Bonded,
    CommitmentInfo, Committed, CurrentRound, DrandChain, DrandRelayed, Event, Liveness, PolicyScheduled,
    RandomnessError, Revealed, RoundFailed, RoundFinalised, RoundInfo, RoundOpened, RoundPhase, RoundStatus, Slashed,
    UnbondRequested, Withdrawn,
};
use polka_storage_primitives::policy::BeaconPolicy;
use polka_storage_primitives::AccountId;
use polka_storage_proofs::drand_vectors::Quicknet;
use randomness::testing::{check_conservation, FollowedFunds};
use scale::{Decode, Encode};
use sp_core::crypto::AccountId32;
use std::sync::Arc;

type Outcome = Result<(), RandomnessError>;

const BOND: u128 = 10 * UNIT;

fn raw(account: &AccountId32) -> [u8; 32] {
    account.clone().into()
}

/// The account as the beacon's events carry it.
fn account(who: &AccountId32) -> AccountId {
    AccountId::from(raw(who))
}

fn secret_of(name: &str, round: u32) -> [u8; 32] {
    sp_core::blake2_256(&(name, round).encode())
}

/// The output a round must have: `blake2_256(tag ‖ previous ‖ round ‖ reveals ‖ XOR of the
/// reveal terms ‖ drand randomness if anchored)`, computed here with Substrate's hashing.
fn expected_output(
    previous: [u8; 32],
    round: u32,
    revealed: &[(&AccountId32, [u8; 32])],
    drand: Option<[u8; 32]>,
) -> [u8; 32] {
    let mut accumulator = [0u8; 32];
    for (who, secret) in revealed {
        let mut input = b"polka-storage/beacon/reveal/v1".to_vec();
        input.extend_from_slice(&round.to_le_bytes());
        input.extend_from_slice(&raw(who));
        input.extend_from_slice(secret);
        for (byte, term) in accumulator.iter_mut().zip(sp_core::blake2_256(&input)) {
            *byte ^= term;
        }
    }
    let mut input = b"polka-storage/beacon/output/v1".to_vec();
    input.extend_from_slice(&previous);
    input.extend_from_slice(&round.to_le_bytes());
    input.extend_from_slice(&(revealed.len() as u32).to_le_bytes());
    input.extend_from_slice(&accumulator);
    if let Some(randomness) = drand {
        input.extend_from_slice(&randomness);
    }
    let output = sp_core::blake2_256(&input);
    // The primitives' own functions agree.
    let mut check = [0u8; 32];
    for (who, secret) in revealed {
        for (byte, term) in check.iter_mut().zip(reveal_term(round, &AccountId::from(raw(who)), secret)) {
            *byte ^= term;
        }
    }
    assert_eq!(round_output(&previous, round, revealed.len() as u32, &check, drand.as_ref()), output);
    output
}

/// The recorded quicknet chain as the beacon's drand chain.
fn quicknet() -> (Quicknet, DrandChain) {
    let chain = Quicknet::load().expect("the recorded quicknet rounds load");
    let drand = DrandChain { public_key: chain.public_key, genesis_time: chain.genesis_time, period: chain.period };
    (chain, drand)
}

fn recorded(chain: &Quicknet, drand_round: u64) -> ([u8; 48], [u8; 32]) {
    let (_, signature, randomness) = *chain.rounds.iter().find(|(round, _, _)| *round == drand_round).unwrap();
    (signature, randomness)
}

/// The beacon on a fresh chain, with a model of the funds it must hold.
struct Fixture {
    chain: Chain,
    beacon: Deployed,
    owner: AccountId32,
    /// The beacon's balance right after instantiation.
    offset: u128,
    /// The funds the beacon's events moved.
    followed: FollowedFunds,
    /// Round 0's boundaries.
    round_zero: CurrentRound,
    /// (message, ref_time) of every call.
    gas: Vec<(String, u64)>,
}

impl Fixture {
    fn new(policy: BeaconPolicy) -> anyhow::Result<Self> {
        Self::on(Chain::new(), policy)
    }

    /// The fast beacon on a chain whose clock puts round 0's expected end (plus the reveal
    /// margin) exactly on the publication of recorded quicknet round `drand_round`, with the
    /// quicknet key set: round 0, opened in its first block, is bound to that drand round.
    fn anchored(drand_round: u64) -> anyhow::Result<(Self, Quicknet)> {
        let (recorded, drand) = quicknet();
        let policy = BeaconPolicy::FAST;
        let published = 1_000 * recorded.round_time(drand_round);
        let genesis = published - policy.reveal_margin_ms - u64::from(policy.round_length()) * 6_000;
        let mut fixture = Self::on(Chain::with_genesis_timestamp(genesis), policy)?;
        let owner = fixture.owner.clone();
        let answer = fixture.call::<_, ()>(
            &owner,
            "set_drand_chain",
            (drand.public_key, drand.genesis_time, drand.period),
            0,
        )?;
        assert_eq!(answer.value, Ok(()));
        let stored: Option<DrandChain> = fixture.query("drand_chain", ())?;
        assert_eq!(stored, Some(drand));
        Ok((fixture, recorded))
    }

    fn on(mut chain: Chain, policy: BeaconPolicy) -> anyhow::Result<Self> {
        let owner = dev_account("Alice");
        let bundle = Arc::new(Bundle::of("randomness")?);
        // No governance delay: replacements are announced and applied at once (the delay has
        // tests of its own in the beacon's unit tests and e2e-tests/tests/governance.rs).
        let beacon = chain.instantiate(&owner, &bundle, "with_policy_and_delay", (policy, 0u32), 0, b"")?;
        let offset = chain.balance(&beacon.address);
        let round_zero: Option<CurrentRound> = chain.query(&owner, &beacon, "current_round", ())?;
        let round_zero = round_zero.expect("round 0 starts at instantiation");
        assert_eq!(round_zero.round, 0);
        assert_eq!(round_zero.commit_starts, chain.block_number());
        let fixture =
            Self { chain, beacon, owner, offset, followed: FollowedFunds::default(), round_zero, gas: Vec::new() };
        Ok(fixture)
    }

    fn fast() -> anyhow::Result<Self> {
        Self::new(BeaconPolicy::FAST)
    }

    fn commit_starts(&self, round: u32) -> u32 {
        self.round_zero.commit_starts + round * BeaconPolicy::FAST.round_length()
    }

    fn reveal_starts(&self, round: u32) -> u32 {
        self.commit_starts(round) + BeaconPolicy::FAST.commit_phase
    }

    fn round_ends(&self, round: u32) -> u32 {
        self.commit_starts(round + 1) - 1
    }

    /// Conservation (`randomness::testing`), checked against the funds the events moved and
    /// against the beacon's own totals.
    fn check_conservation(&mut self) -> anyhow::Result<()> {
        let held = self.chain.balance(&self.beacon.address) - self.offset;
        let totals: BeaconTotals = self.query("totals", ())?;
        let violations = check_conservation(held, &totals, &self.followed);
        assert!(violations.is_empty(), "{violations:#?}");
        Ok(())
    }

    fn query<A: Encode, R: Decode>(&mut self, message: &str, args: A) -> anyhow::Result<R> {
        let owner = self.owner.clone();
        self.chain.query(&owner, &self.beacon, message, args)
    }

    /// Calls `message`, follows the funds its events move, and checks conservation afterwards;
    /// a refused call must revert and move nothing.
    fn call<A: Encode, R: Decode>(
        &mut self,
        caller: &AccountId32,
        message: &str,
        args: A,
        value: u128,
    ) -> anyhow::Result<Answer<Result<R, RandomnessError>>> {
        let beacon = self.beacon.clone();
        let answer = self.chain.call::<A, Result<R, RandomnessError>>(caller, &beacon, message, args, value)?;
        self.gas.push((message.to_string(), answer.gas.ref_time));
        assert_eq!(answer.reverted, answer.value.is_err(), "{message}: refused calls revert, others do not");
        if answer.value.is_err() {
            assert!(answer.events.is_empty(), "{message}: a refused call emits nothing");
        }
        for event in &answer.events {
            // Topics: the signature first, then every `#[ink(topic)]` field.
            assert!(event.topics.len() >= 2, "{message}: events carry topics");
        }
        for bonded in self.events::<Bonded>(&answer, "Bonded") {
            assert_eq!(bonded.amount, value, "the bond is what was sent");
            self.followed.follow(&Event::Bonded(bonded));
        }
        for slashed in self.events::<Slashed>(&answer, "Slashed") {
            self.followed.follow(&Event::Slashed(slashed));
        }
        for withdrawn in self.events::<Withdrawn>(&answer, "Withdrawn") {
            self.followed.follow(&Event::Withdrawn(withdrawn));
        }
        self.check_conservation()?;
        Ok(answer)
    }

    fn events<E: Decode>(&self, answer: &Answer<impl Sized>, label: &str) -> Vec<E> {
        self.beacon.events(&answer.events, label).expect("events decode")
    }

    fn bond(&mut self, who: &AccountId32, amount: u128) -> anyhow::Result<()> {
        let answer = self.call::<_, ()>(who, "bond", (), amount)?;
        assert_eq!(answer.value, Ok(()));
        let bonded: Vec<Bonded> = self.events(&answer, "Bonded");
        assert_eq!(bonded.len(), 1);
        assert_eq!((bonded[0].participant, bonded[0].amount), (account(who), amount));
        Ok(())
    }

    fn commit_value(&mut self, who: &AccountId32, round: u32, value: [u8; 32]) -> anyhow::Result<Answer<Outcome>> {
        self.call::<_, ()>(who, "commit", (round, value), 0)
    }

    fn commit(&mut self, who: &AccountId32, name: &str, round: u32) -> anyhow::Result<Answer<Outcome>> {
        let value = commitment(round, &AccountId::from(raw(who)), &secret_of(name, round));
        self.commit_value(who, round, value)
    }

    fn reveal(&mut self, who: &AccountId32, name: &str, round: u32) -> anyhow::Result<Answer<Outcome>> {
        self.call::<_, ()>(who, "reveal", (round, secret_of(name, round)), 0)
    }

    fn finalise(&mut self, who: &AccountId32, round: u32) -> anyhow::Result<Answer<Outcome>> {
        self.call::<_, ()>(who, "finalise", (round,), 0)
    }

    fn randomness_at(&mut self, block: u32) -> anyhow::Result<Result<[u8; 32], BeaconError>> {
        self.query("randomness_at", (block,))
    }

    fn anchored_randomness_at(&mut self, block: u32) -> anyhow::Result<Result<[u8; 32], AnchoredBeaconError>> {
        self.query("anchored_randomness_at", (block,))
    }

    fn relay(&mut self, drand_round: u64, signature: [u8; 48]) -> anyhow::Result<Answer<Outcome>> {
        let relayer = dev_account("Ferdie");
        self.call::<_, ()>(&relayer, "relay_drand", (drand_round, signature), 0)
    }

    fn settle(&mut self, who: &AccountId32) -> anyhow::Result<Answer<Result<u128, RandomnessError>>> {
        let anyone = dev_account("Eve");
        self.call::<_, u128>(&anyone, "settle", (raw(who),), 0)
    }

    /// The largest ref_time any call of `message` took.
    fn max_gas(&self, message: &str) -> u64 {
        self.gas.iter().filter(|(name, _)| name == message).map(|(_, gas)| *gas).max().unwrap_or(0)
    }

    fn round(&mut self, round: u32) -> anyhow::Result<RoundInfo> {
        let info: Option<RoundInfo> = self.query("round", (round,))?;
        Ok(info.expect("the round has commitments"))
    }

    fn advance_to(&mut self, block: u32) -> anyhow::Result<()> {
        assert_eq!(self.chain.advance_to(block), block);
        self.check_conservation()
    }
}

#[test]
fn a_full_round_with_three_participants() -> anyhow::Result<()> {
    let mut f = Fixture::fast()?;
    let people = [("Alice", dev_account("Alice")), ("Bob", dev_account("Bob")), ("Charlie", dev_account("Charlie"))];
    let dave = dev_account("Dave");
    f.check_conservation()?;

    for (_, who) in &people {
        f.bond(who, BOND)?;
    }
    for (name, who) in &people {
        let answer = f.commit(who, name, 0)?;
        assert_eq!(answer.value, Ok(()));
        let committed: Vec<Committed> = f.events(&answer, "Committed");
        assert_eq!(committed.len(), 1);
        assert_eq!((committed[0].round, committed[0].participant), (0, account(who)));
        // Topics: signature, round, participant (the first commitment also opens the round).
        assert_eq!(answer.events.last().map(|event| event.topics.len()), Some(3));
    }
    let current: Option<CurrentRound> = f.query("current_round", ())?;
    assert_eq!(current.map(|c| (c.round, c.phase)), Some((0, RoundPhase::Commit)));
    let info = f.round(0)?;
    assert_eq!((info.commits, info.reveals, info.status, info.drand), (3, 0, RoundStatus::Open, None));
    let bob_commitment: Option<CommitmentInfo> = f.query("commitment_of", (raw(&people[1].1),))?;
    assert_eq!(bob_commitment.map(|c| (c.round, c.revealed)), Some((0, None)));
    assert_eq!(f.randomness_at(f.commit_starts(0))?, Err(BeaconError::NotYetAvailable));

    f.advance_to(f.reveal_starts(0))?;
    let current: Option<CurrentRound> = f.query("current_round", ())?;
    assert_eq!(current.map(|c| (c.round, c.phase)), Some((0, RoundPhase::Reveal)));
    // Reveal in an order other than the accounts' order: the output does not depend on it.
    for (name, who) in people.iter().rev() {
        let answer = f.reveal(who, name, 0)?;
        assert_eq!(answer.value, Ok(()));
        let revealed: Vec<Revealed> = f.events(&answer, "Revealed");
        assert_eq!(revealed, vec![Revealed { round: 0, participant: account(who), secret: secret_of(name, 0) }]);
    }
    assert_eq!(f.randomness_at(f.commit_starts(0))?, Err(BeaconError::NotYetAvailable));

    // Anyone finalises, after the reveal phase.
    f.advance_to(f.round_ends(0) + 1)?;
    let answer = f.finalise(&dave, 0)?;
    assert_eq!(answer.value, Ok(()));
    let revealed: Vec<(&AccountId32, [u8; 32])> = people.iter().map(|(name, who)| (who, secret_of(name, 0))).collect();
    let output = expected_output([0; 32], 0, &revealed, None);
    let finalised: Vec<RoundFinalised> = f.events(&answer, "RoundFinalised");
    assert_eq!(finalised, vec![RoundFinalised { round: 0, output, commits: 3, reveals: 3, anchored: false }]);
    assert!(f.events::<Slashed>(&answer, "Slashed").is_empty());
    assert_eq!(f.round(0)?.status, RoundStatus::Succeeded { output, anchored: false });
    let latest: Option<(u32, [u8; 32])> = f.query("latest_output", ())?;
    assert_eq!(latest, Some((0, output)));
    for block in f.commit_starts(0)..=f.round_ends(0) {
        assert_eq!(f.randomness_at(block)?, Ok(output));
    }
    assert_eq!(f.randomness_at(f.round_ends(0) + 1)?, Err(BeaconError::NotYetAvailable));

    // Bonds come back after the unbonding delay, and only then.
    let bob = people[1].1.clone();
    let answer = f.call::<_, ()>(&bob, "unbond", (BOND,), 0)?;
    assert_eq!(answer.value, Ok(()));
    let requested: Vec<UnbondRequested> = f.events(&answer, "UnbondRequested");
    let release_at = f.chain.block_number() + BeaconPolicy::FAST.unbond_delay;
    assert_eq!(requested, vec![UnbondRequested { participant: account(&bob), amount: BOND, release_at }]);
    let answer = f.call::<_, u128>(&bob, "withdraw_unbonded", (), 0)?;
    assert_eq!(answer.value, Err(RandomnessError::UnbondNotDue));
    f.advance_to(release_at)?;
    let before = f.chain.balance(&bob);
    let answer = f.call::<_, u128>(&bob, "withdraw_unbonded", (), 0)?;
    assert_eq!(answer.value, Ok(BOND));
    let withdrawn: Vec<Withdrawn> = f.events(&answer, "Withdrawn");
    assert_eq!(withdrawn, vec![Withdrawn { participant: account(&bob), amount: BOND }]);
    // Bob also gets back the storage deposit of his bond record.
    assert!(f.chain.balance(&bob) >= before + BOND);
    let bond: BondInfo = f.query("bond_of", (raw(&bob),))?;
    assert_eq!(bond, BondInfo::default());
    assert_eq!(f.call::<_, u128>(&bob, "withdraw_unbonded", (), 0)?.value, Err(RandomnessError::NothingToWithdraw));
    Ok(())
}

#[test]
fn a_withheld_reveal_pays_the_policy_penalty_only() -> anyhow::Result<()> {
    // The fast policy needs one reveal: two of three suffice.
    let mut f = Fixture::fast()?;
    let penalty = BeaconPolicy::FAST.penalty;
    let (alice, bob, charlie) = (dev_account("Alice"), dev_account("Bob"), dev_account("Charlie"));
    f.bond(&alice, BOND)?;
    f.bond(&bob, BOND)?;
    f.bond(&charlie, 2 * BOND)?;
    for (name, who) in [("Alice", &alice), ("Bob", &bob), ("Charlie", &charlie)] {
        assert_eq!(f.commit(who, name, 0)?.value, Ok(()));
    }
    f.advance_to(f.reveal_starts(0))?;
    assert_eq!(f.reveal(&alice, "Alice", 0)?.value, Ok(()));
    assert_eq!(f.reveal(&bob, "Bob", 0)?.value, Ok(()));
    // Charlie withholds; while the reveal window is open he cannot pull his bond out.
    assert_eq!(f.call::<_, ()>(&charlie, "unbond", (BOND,), 0)?.value, Err(RandomnessError::CommittedToOpenRound));
    assert_eq!(f.settle(&charlie)?.value, Err(RandomnessError::NothingToSettle));
    f.advance_to(f.round_ends(0) + 1)?;

    let answer = f.finalise(&bob, 0)?;
    assert_eq!(answer.value, Ok(()));
    assert!(f.events::<Slashed>(&answer, "Slashed").is_empty(), "finalising touches no participant");
    let output = expected_output([0; 32], 0, &[(&alice, secret_of("Alice", 0)), (&bob, secret_of("Bob", 0))], None);
    let finalised: Vec<RoundFinalised> = f.events(&answer, "RoundFinalised");
    assert_eq!(finalised, vec![RoundFinalised { round: 0, output, commits: 3, reveals: 2, anchored: false }]);
    assert_eq!(f.randomness_at(f.commit_starts(0))?, Ok(output));

    // Anyone settles Charlie's commitment: he pays the penalty, not his bond.
    let answer = f.settle(&charlie)?;
    assert_eq!(answer.value, Ok(penalty));
    let slashed: Vec<Slashed> = f.events(&answer, "Slashed");
    assert_eq!(slashed, vec![Slashed { round: 0, participant: account(&charlie), amount: penalty }]);
    assert_eq!(f.round(0)?.slashed, penalty);
    let charlie_bond: BondInfo = f.query("bond_of", (raw(&charlie),))?;
    assert_eq!(charlie_bond.active, 2 * BOND - penalty);
    let alice_bond: BondInfo = f.query("bond_of", (raw(&alice),))?;
    assert_eq!(alice_bond.active, BOND);
    // He takes part again at once, and may take the rest of his bond out.
    f.advance_to(f.commit_starts(1))?;
    assert_eq!(f.commit(&charlie, "Charlie", 1)?.value, Ok(()));
    f.advance_to(f.round_ends(1) + 1)?;
    // His withheld reveal of round 1 is collected on the way out this time.
    let answer = f.call::<_, ()>(&charlie, "unbond", (2 * BOND - 2 * penalty,), 0)?;
    assert_eq!(answer.value, Ok(()));
    assert_eq!(f.events::<Slashed>(&answer, "Slashed").len(), 1);
    assert_eq!(f.followed.slashed, 2 * penalty);
    Ok(())
}

#[test]
fn randomness_before_and_after_finalisation_and_across_a_failed_round() -> anyhow::Result<()> {
    // Two reveals needed: a round where one of two participants withholds fails.
    let mut f = Fixture::new(BeaconPolicy { min_reveals: 2, ..BeaconPolicy::FAST })?;
    let (alice, bob, charlie) = (dev_account("Alice"), dev_account("Bob"), dev_account("Charlie"));
    for who in [&alice, &bob, &charlie] {
        f.bond(who, BOND)?;
    }
    // Round 0: Alice and Bob commit, only Alice reveals.
    assert_eq!(f.commit(&alice, "Alice", 0)?.value, Ok(()));
    assert_eq!(f.commit(&bob, "Bob", 0)?.value, Ok(()));
    f.advance_to(f.reveal_starts(0))?;
    assert_eq!(f.reveal(&alice, "Alice", 0)?.value, Ok(()));
    f.advance_to(f.round_ends(0) + 1)?;
    assert_eq!(f.randomness_at(f.commit_starts(0))?, Err(BeaconError::NotYetAvailable), "not finalised yet");
    let answer = f.finalise(&charlie, 0)?;
    assert_eq!(answer.value, Ok(()));
    let failed: Vec<RoundFailed> = f.events(&answer, "RoundFailed");
    assert_eq!(failed, vec![RoundFailed { round: 0, commits: 2, reveals: 1, min_reveals: 2 }]);
    assert!(f.events::<RoundFinalised>(&answer, "RoundFinalised").is_empty());
    assert_eq!(f.round(0)?.status, RoundStatus::Failed);
    assert_eq!(f.randomness_at(f.commit_starts(0))?, Err(BeaconError::NotYetAvailable), "a failed round has no output");

    // Round 1: nobody commits. Round 2: Alice and Charlie commit and reveal.
    f.advance_to(f.commit_starts(2))?;
    assert_eq!(f.commit(&alice, "Alice", 2)?.value, Ok(()));
    assert_eq!(f.commit(&charlie, "Charlie", 2)?.value, Ok(()));
    f.advance_to(f.reveal_starts(2))?;
    assert_eq!(f.reveal(&charlie, "Charlie", 2)?.value, Ok(()));
    assert_eq!(f.reveal(&alice, "Alice", 2)?.value, Ok(()));
    f.advance_to(f.round_ends(2) + 1)?;
    assert_eq!(f.randomness_at(f.commit_starts(0))?, Err(BeaconError::NotYetAvailable));

    // Nobody calls finalise: Alice's first commitment to round 3 finalises round 2 on the way.
    let answer = f.commit(&alice, "Alice", 3)?;
    assert_eq!(answer.value, Ok(()));
    let output =
        expected_output([0; 32], 2, &[(&alice, secret_of("Alice", 2)), (&charlie, secret_of("Charlie", 2))], None);
    let finalised: Vec<RoundFinalised> = f.events(&answer, "RoundFinalised");
    assert_eq!(finalised, vec![RoundFinalised { round: 2, output, commits: 2, reveals: 2, anchored: false }]);
    assert_eq!(f.events::<Committed>(&answer, "Committed").len(), 1);
    // Every block from round 0 to the end of round 2 draws round 2's output.
    for block in f.commit_starts(0)..=f.round_ends(2) {
        assert_eq!(f.randomness_at(block)?, Ok(output), "block {block}");
    }
    assert_eq!(f.randomness_at(f.commit_starts(3))?, Err(BeaconError::NotYetAvailable));
    assert_eq!(f.randomness_at(u32::MAX)?, Err(BeaconError::NotYetAvailable));
    let open: Option<u32> = f.query("next_to_finalise", ())?;
    assert_eq!(open, Some(3));
    let liveness: Liveness = f.query("liveness", ())?;
    assert_eq!(liveness.latest_output, Some((2, f.round_ends(2), false)));
    Ok(())
}

#[test]
fn a_copied_commitment_is_rejected() -> anyhow::Result<()> {
    let mut f = Fixture::fast()?;
    let (alice, bob) = (dev_account("Alice"), dev_account("Bob"));
    f.bond(&alice, BOND)?;
    f.bond(&bob, BOND)?;
    let answer = f.commit(&alice, "Alice", 0)?;
    let alices: Vec<Committed> = f.events(&answer, "Committed");
    // Bob copies Alice's commitment from her event.
    let answer = f.commit_value(&bob, 0, alices[0].commitment)?;
    assert_eq!(answer.value, Err(RandomnessError::CommitmentReused));
    assert_eq!(f.round(0)?.commits, 1);
    let bobs: Option<CommitmentInfo> = f.query("commitment_of", (raw(&bob),))?;
    assert_eq!(bobs, None);
    // Committing twice, or to a round that has not started, is refused too.
    assert_eq!(f.commit(&alice, "Alice", 0)?.value, Err(RandomnessError::AlreadyCommitted));
    assert_eq!(f.commit(&bob, "Bob", 1)?.value, Err(RandomnessError::RoundNotStarted));
    // Revealing Alice's secret as Bob does not match Bob's own commitment.
    assert_eq!(f.commit(&bob, "Bob", 0)?.value, Ok(()));
    f.advance_to(f.reveal_starts(0))?;
    let answer = f.call::<_, ()>(&bob, "reveal", (0u32, secret_of("Alice", 0)), 0)?;
    assert_eq!(answer.value, Err(RandomnessError::BadReveal));
    Ok(())
}

#[test]
fn reveals_one_block_before_and_after_each_phase_boundary() -> anyhow::Result<()> {
    let mut f = Fixture::fast()?;
    let people = [("Alice", dev_account("Alice")), ("Bob", dev_account("Bob")), ("Charlie", dev_account("Charlie"))];
    for (_, who) in &people {
        f.bond(who, BOND)?;
    }
    let [(alice_name, alice), (bob_name, bob), (charlie_name, charlie)] = &people;
    // The last block of the commit phase: commits are taken, reveals are not.
    f.advance_to(f.reveal_starts(0) - 1)?;
    for (name, who) in &people[..2] {
        assert_eq!(f.commit(who, name, 0)?.value, Ok(()));
    }
    assert_eq!(f.reveal(alice, alice_name, 0)?.value, Err(RandomnessError::NotRevealPhase));
    // The first block of the reveal phase: reveals are taken, commits are not.
    f.advance_to(f.reveal_starts(0))?;
    assert_eq!(f.commit(charlie, charlie_name, 0)?.value, Err(RandomnessError::NotCommitPhase));
    assert_eq!(f.reveal(alice, alice_name, 0)?.value, Ok(()));
    // The last block of the reveal phase: still taken; finalising is too early.
    f.advance_to(f.round_ends(0))?;
    assert_eq!(f.finalise(charlie, 0)?.value, Err(RandomnessError::RevealPhaseNotOver));
    let answer = f.reveal(bob, bob_name, 0)?;
    assert_eq!(answer.value, Ok(()));
    assert_eq!(f.round(0)?.reveals, 2);
    // The first block after the reveal phase: reveals are refused; finalising works.
    f.advance_to(f.round_ends(0) + 1)?;
    assert_eq!(f.reveal(bob, bob_name, 0)?.value, Err(RandomnessError::NotRevealPhase));
    assert_eq!(f.commit(charlie, charlie_name, 0)?.value, Err(RandomnessError::NotCommitPhase));
    assert_eq!(f.finalise(charlie, 0)?.value, Ok(()));
    assert_eq!(f.finalise(charlie, 0)?.value, Err(RandomnessError::AlreadyFinalised));
    assert_eq!(f.finalise(charlie, 1)?.value, Err(RandomnessError::UnknownRound));
    Ok(())
}

#[test]
fn refused_bonds_keep_nothing() -> anyhow::Result<()> {
    let mut f = Fixture::fast()?;
    let bob = dev_account("Bob");
    let before = f.chain.balance(&bob);
    let answer = f.call::<_, ()>(&bob, "bond", (), BeaconPolicy::FAST.min_bond - 1)?;
    assert_eq!(answer.value, Err(RandomnessError::BondTooSmall));
    assert_eq!(f.call::<_, ()>(&bob, "bond", (), 0)?.value, Err(RandomnessError::ZeroAmount));
    assert_eq!(f.chain.balance(&bob), before);
    assert_eq!(f.commit(&bob, "Bob", 0)?.value, Err(RandomnessError::BondTooSmall));
    Ok(())
}

#[test]
fn only_the_owner_changes_the_policy_and_only_from_the_next_round() -> anyhow::Result<()> {
    let mut f = Fixture::fast()?;
    let (alice, bob) = (dev_account("Alice"), dev_account("Bob"));
    let slow = BeaconPolicy { commit_phase: 6, reveal_phase: 4, ..BeaconPolicy::FAST };
    assert_eq!(f.call::<_, ()>(&bob, "set_policy", (slow,), 0)?.value, Err(RandomnessError::NotOwner));
    let invalid = BeaconPolicy { reveal_phase: 0, ..BeaconPolicy::FAST };
    assert_eq!(f.call::<_, ()>(&alice, "set_policy", (invalid,), 0)?.value, Err(RandomnessError::InvalidPolicy));

    f.bond(&bob, BOND)?;
    assert_eq!(f.commit(&bob, "Bob", 0)?.value, Ok(()));
    let answer = f.call::<_, ()>(&alice, "set_policy", (slow,), 0)?;
    assert_eq!(answer.value, Ok(()));
    let scheduled: Vec<PolicyScheduled> = f.events(&answer, "PolicyScheduled");
    let next = f.commit_starts(1);
    assert_eq!(scheduled, vec![PolicyScheduled { from_round: 1, from_block: next, policy: slow }]);
    let pending: Option<(u32, u32, BeaconPolicy)> = f.query("pending_policy", ())?;
    assert_eq!(pending, Some((1, next, slow)));
    // Round 0 keeps its phases.
    let policy: BeaconPolicy = f.query("policy", ())?;
    assert_eq!(policy, BeaconPolicy::FAST);
    f.advance_to(f.reveal_starts(0))?;
    assert_eq!(f.reveal(&bob, "Bob", 0)?.value, Ok(()));
    // From the boundary on, round 1 runs with the new lengths.
    f.advance_to(next)?;
    let policy: BeaconPolicy = f.query("policy", ())?;
    assert_eq!(policy, slow);
    let current: Option<CurrentRound> = f.query("current_round", ())?;
    assert_eq!(
        current,
        Some(CurrentRound {
            round: 1,
            phase: RoundPhase::Commit,
            commit_starts: next,
            reveal_starts: next + 6,
            ends: next + 9
        })
    );
    let answer = f.commit(&bob, "Bob", 1)?;
    assert_eq!(answer.value, Ok(()));
    assert_eq!(f.events::<RoundFinalised>(&answer, "RoundFinalised").len(), 1, "round 0 finalised lazily");
    f.advance_to(next + 5)?;
    assert_eq!(f.commit(&alice, "Alice", 1)?.value, Err(RandomnessError::BondTooSmall), "still the commit phase");
    f.advance_to(next + 6)?;
    assert_eq!(f.reveal(&bob, "Bob", 1)?.value, Ok(()));

    // Ownership moves on only at the owner's word, and once the new owner accepts.
    let answer = f.call::<_, ()>(&bob, "propose_owner", (raw(&bob),), 0)?;
    assert_eq!(answer.value, Err(RandomnessError::NotOwner));
    assert_eq!(f.call::<_, ()>(&alice, "propose_owner", (raw(&bob),), 0)?.value, Ok(()));
    let owner: [u8; 32] = f.query("owner", ())?;
    assert_eq!(owner, raw(&alice));
    assert_eq!(f.call::<_, ()>(&bob, "accept_ownership", (), 0)?.value, Ok(()));
    let owner: [u8; 32] = f.query("owner", ())?;
    assert_eq!(owner, raw(&bob));
    Ok(())
}

/// `count` endowed participants with names.
fn participants(f: &mut Fixture, count: usize) -> Vec<(String, AccountId32)> {
    (0..count)
        .map(|index| {
            let name = format!("BeaconParticipant{index}");
            let who = dev_account(&name);
            f.chain.endow(&who, 1_000 * UNIT);
            (name, who)
        })
        .collect()
}

/// One round of the first `count` participants (all reveal but `withhold`), finalised; returns
/// the finalise answer's gas.
fn round_of(f: &mut Fixture, people: &[(String, AccountId32)], round: u32, withhold: usize) -> anyhow::Result<u64> {
    f.advance_to(f.commit_starts(round))?;
    for (name, who) in people {
        assert_eq!(f.commit(who, name, round)?.value, Ok(()));
    }
    f.advance_to(f.reveal_starts(round))?;
    for (name, who) in people.iter().skip(withhold) {
        assert_eq!(f.reveal(who, name, round)?.value, Ok(()));
    }
    f.advance_to(f.round_ends(round) + 1)?;
    let anyone = dev_account("Eve");
    let answer = f.finalise(&anyone, round)?;
    assert_eq!(answer.value, Ok(()));
    Ok(answer.gas.ref_time)
}

#[test]
fn a_hundred_participants_in_one_round_with_bounded_gas_per_call() -> anyhow::Result<()> {
    let mut f = Fixture::fast()?;
    let people = participants(&mut f, 100);
    for (_, who) in &people {
        f.bond(who, BOND)?;
    }
    // One participant first, then all hundred, three of whom withhold.
    let single = round_of(&mut f, &people[..1], 0, 0)?;
    let hundred = round_of(&mut f, &people, 1, 3)?;
    let info = f.round(1)?;
    assert_eq!((info.commits, info.reveals), (100, 97));
    // Finalising is O(1): the same work for 1 and for 100 participants (within 10 %).
    let ratio = hundred as f64 / single as f64;
    assert!((0.9..=1.1).contains(&ratio), "finalise: {single} for 1, {hundred} for 100");
    // Every call is small, whatever the number of participants.
    for message in ["bond", "commit", "reveal", "finalise"] {
        let gas = f.max_gas(message);
        assert!(gas > 0 && gas < 20_000_000_000, "{message} took {gas}");
    }
    // The withholders pay the penalty each, collected one by one.
    for (_, who) in &people[..3] {
        assert_eq!(f.settle(who)?.value, Ok(BeaconPolicy::FAST.penalty));
    }
    assert_eq!(f.round(1)?.slashed, 3 * BeaconPolicy::FAST.penalty);
    assert!(f.max_gas("settle") < 20_000_000_000);
    Ok(())
}

#[test]
fn a_round_anchored_with_real_quicknet_data() -> anyhow::Result<()> {
    let drand_round = 30_662_982;
    let (mut f, chain) = Fixture::anchored(drand_round)?;
    let (signature, randomness) = recorded(&chain, drand_round);
    let (alice, bob) = (dev_account("Alice"), dev_account("Bob"));
    f.bond(&alice, BOND)?;
    f.bond(&bob, BOND)?;
    let answer = f.commit(&alice, "Alice", 0)?;
    let opened: Vec<RoundOpened> = f.events(&answer, "RoundOpened");
    let cutoff = 1_000 * chain.round_time(drand_round) - BeaconPolicy::FAST.reveal_margin_ms;
    let deadline = f.round_ends(0) + BeaconPolicy::FAST.drand_timeout;
    assert_eq!(
        opened,
        vec![RoundOpened {
            round: 0,
            drand_round: Some(drand_round),
            reveal_cutoff: Some(cutoff),
            relay_deadline: Some(deadline)
        }]
    );
    assert_eq!(f.commit(&bob, "Bob", 0)?.value, Ok(()));
    let awaiting: Option<u32> = f.query("round_awaiting", (drand_round,))?;
    assert_eq!(awaiting, Some(0));
    f.advance_to(f.reveal_starts(0))?;
    assert_eq!(f.reveal(&alice, "Alice", 0)?.value, Ok(()));
    assert_eq!(f.reveal(&bob, "Bob", 0)?.value, Ok(()));
    f.advance_to(f.round_ends(0) + 1)?;
    assert_eq!(f.finalise(&alice, 0)?.value, Err(RandomnessError::AwaitingDrand));

    // Anyone relays the real signature; one BLS verification in the contract.
    let answer = f.relay(drand_round, signature)?;
    assert_eq!(answer.value, Ok(()));
    assert!(answer.gas.ref_time <= 300_000_000_000, "relay_drand took {}", answer.gas.ref_time);
    let relayed: Vec<DrandRelayed> = f.events(&answer, "DrandRelayed");
    assert_eq!(relayed, vec![DrandRelayed { round: 0, drand_round, randomness }]);
    assert_eq!(f.round(0)?.drand.and_then(|binding| binding.randomness), Some(randomness));
    assert_eq!(f.relay(drand_round, signature)?.value, Err(RandomnessError::DrandAlreadyRelayed));

    let answer = f.finalise(&bob, 0)?;
    assert_eq!(answer.value, Ok(()));
    let output =
        expected_output([0; 32], 0, &[(&alice, secret_of("Alice", 0)), (&bob, secret_of("Bob", 0))], Some(randomness));
    let finalised: Vec<RoundFinalised> = f.events(&answer, "RoundFinalised");
    assert_eq!(finalised, vec![RoundFinalised { round: 0, output, commits: 2, reveals: 2, anchored: true }]);
    assert_eq!(f.round(0)?.status, RoundStatus::Succeeded { output, anchored: true });
    for block in f.commit_starts(0)..=f.round_ends(0) {
        assert_eq!(f.randomness_at(block)?, Ok(output));
        assert_eq!(f.anchored_randomness_at(block)?, Ok(output));
        let anchored: Result<bool, BeaconError> = f.query("is_anchored_at", (block,))?;
        assert_eq!(anchored, Ok(true));
    }
    assert_eq!(f.relay(drand_round, signature)?.value, Err(RandomnessError::DrandRoundNotAwaited));
    Ok(())
}

#[test]
fn a_round_whose_drand_value_is_never_relayed_finalises_unanchored_after_the_timeout() -> anyhow::Result<()> {
    let drand_round = 30_662_990;
    let (mut f, chain) = Fixture::anchored(drand_round)?;
    let alice = dev_account("Alice");
    f.bond(&alice, BOND)?;
    assert_eq!(f.commit(&alice, "Alice", 0)?.value, Ok(()));
    f.advance_to(f.reveal_starts(0))?;
    assert_eq!(f.reveal(&alice, "Alice", 0)?.value, Ok(()));
    let deadline = f.round_ends(0) + BeaconPolicy::FAST.drand_timeout;
    for block in f.round_ends(0) + 1..=deadline {
        f.advance_to(block)?;
        assert_eq!(f.finalise(&alice, 0)?.value, Err(RandomnessError::AwaitingDrand));
        assert_eq!(f.randomness_at(f.commit_starts(0))?, Err(BeaconError::NotYetAvailable), "never an older value");
    }
    f.advance_to(deadline + 1)?;
    let (signature, _) = recorded(&chain, drand_round);
    assert_eq!(f.relay(drand_round, signature)?.value, Err(RandomnessError::RelayTooLate));
    let answer = f.finalise(&alice, 0)?;
    assert_eq!(answer.value, Ok(()));
    let output = expected_output([0; 32], 0, &[(&alice, secret_of("Alice", 0))], None);
    let finalised: Vec<RoundFinalised> = f.events(&answer, "RoundFinalised");
    assert_eq!(finalised, vec![RoundFinalised { round: 0, output, commits: 1, reveals: 1, anchored: false }]);
    assert_eq!(f.randomness_at(f.commit_starts(0))?, Ok(output));
    assert_eq!(f.anchored_randomness_at(f.commit_starts(0))?, Err(AnchoredBeaconError::NotAnchored));
    let anchored: Result<bool, BeaconError> = f.query("is_anchored_at", (f.commit_starts(0),))?;
    assert_eq!(anchored, Ok(false));
    assert_eq!(
        f.anchored_randomness_at(f.round_ends(0) + 1)?,
        Err(AnchoredBeaconError::Beacon(BeaconError::NotYetAvailable))
    );
    let liveness: Liveness = f.query("liveness", ())?;
    assert_eq!((liveness.unanchored_outputs, liveness.drand_configured), (1, true));
    Ok(())
}

#[test]
fn a_signature_for_another_round_or_under_another_key_is_refused() -> anyhow::Result<()> {
    let drand_round = 30_662_992;
    let (mut f, chain) = Fixture::anchored(drand_round)?;
    let (alice, bob) = (dev_account("Alice"), dev_account("Bob"));
    f.bond(&alice, BOND)?;
    assert_eq!(f.commit(&alice, "Alice", 0)?.value, Ok(()));
    f.advance_to(f.round_ends(0) + 1)?;
    // Another round's real signature, relayed for this round or for its own unbound round.
    let (other, _) = recorded(&chain, 30_663_002);
    assert_eq!(f.relay(drand_round, other)?.value, Err(RandomnessError::BadDrandSignature));
    assert_eq!(f.relay(30_663_002, other)?.value, Err(RandomnessError::DrandRoundNotAwaited));
    // A changed bit.
    let (signature, randomness) = recorded(&chain, drand_round);
    let mut changed = signature;
    changed[0] ^= 0x20;
    assert_eq!(f.relay(drand_round, changed)?.value, Err(RandomnessError::BadDrandSignature));
    changed[0] ^= 0xa0;
    assert_eq!(f.relay(drand_round, changed)?.value, Err(RandomnessError::InvalidDrandSignature));
    // Under another key (the real signature, the key with the G2 generator instead).
    let (_, genuine) = quicknet();
    let mut generator = [0u8; 96];
    generator.copy_from_slice(
        &sp_core::bytes::from_hex(concat!(
            "93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e",
            "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8"
        ))
        .unwrap(),
    );
    let owner = f.owner.clone();
    let set = |key: [u8; 96]| (key, genuine.genesis_time, genuine.period);
    assert_eq!(f.call::<_, ()>(&bob, "set_drand_chain", set(generator), 0)?.value, Err(RandomnessError::NotOwner));
    assert_eq!(f.call::<_, ()>(&owner, "set_drand_chain", set(generator), 0)?.value, Ok(()));
    // A replacement is only announced: the genuine key stays in force until it is applied.
    let pending: Option<polka_storage_primitives::ownership::Pending<DrandChain>> =
        f.query("pending_drand_chain", ())?;
    assert_eq!(pending.map(|p| p.value.public_key), Some(generator));
    assert_eq!(f.call::<_, ()>(&bob, "cancel_drand_chain", (), 0)?.value, Err(RandomnessError::NotOwner));
    assert_eq!(f.call::<_, ()>(&bob, "apply_drand_chain", (), 0)?.value, Ok(()));
    assert_eq!(f.relay(drand_round, signature)?.value, Err(RandomnessError::BadDrandSignature));
    let mut broken = genuine.public_key;
    broken[40] ^= 1;
    assert_eq!(
        f.call::<_, ()>(&owner, "set_drand_chain", set(broken), 0)?.value,
        Err(RandomnessError::InvalidDrandKey)
    );
    // Back to the genuine key: the same signature verifies.
    assert_eq!(f.call::<_, ()>(&owner, "set_drand_chain", set(genuine.public_key), 0)?.value, Ok(()));
    assert_eq!(f.call::<_, ()>(&owner, "apply_drand_chain", (), 0)?.value, Ok(()));
    let answer = f.relay(drand_round, signature)?;
    assert_eq!(answer.value, Ok(()));
    assert_eq!(f.events::<DrandRelayed>(&answer, "DrandRelayed")[0].randomness, randomness);
    Ok(())
}

#[test]
fn reveals_are_refused_from_the_cut_off_when_blocks_come_late() -> anyhow::Result<()> {
    let drand_round = 30_662_982;
    let (mut f, chain) = Fixture::anchored(drand_round)?;
    let people = [("Alice", dev_account("Alice")), ("Bob", dev_account("Bob"))];
    for (name, who) in &people {
        f.bond(who, BOND)?;
        assert_eq!(f.commit(who, name, 0)?.value, Ok(()));
    }
    let cutoff = 1_000 * chain.round_time(drand_round) - BeaconPolicy::FAST.reveal_margin_ms;
    // The chain stalls: the first reveal block comes at the cut-off.
    f.advance_to(f.reveal_starts(0) - 1)?;
    let now = f.chain.timestamp();
    f.chain.set_block_time(cutoff - now);
    f.advance_to(f.reveal_starts(0))?;
    assert_eq!(f.chain.timestamp(), cutoff);
    let (name, who) = &people[0];
    assert_eq!(f.reveal(who, name, 0)?.value, Err(RandomnessError::RevealCutOff));
    // The round fails for want of reveals once its drand value is in; both pay the penalty.
    f.chain.set_block_time(6_000);
    f.advance_to(f.round_ends(0) + 1)?;
    let (signature, _) = recorded(&chain, drand_round);
    assert_eq!(f.relay(drand_round, signature)?.value, Ok(()));
    let answer = f.finalise(who, 0)?;
    let failed: Vec<RoundFailed> = f.events(&answer, "RoundFailed");
    assert_eq!(failed, vec![RoundFailed { round: 0, commits: 2, reveals: 0, min_reveals: 1 }]);
    for (_, who) in &people {
        assert_eq!(f.settle(who)?.value, Ok(BeaconPolicy::FAST.penalty));
    }
    Ok(())
}
