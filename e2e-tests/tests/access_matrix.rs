//! The access matrix: every access-controlled message of every contract of the deployed suite,
//! called by each account that must not be allowed to (a stranger, a client for provider
//! messages, a provider or the owner for registry-only messages, the previous owner after a
//! hand-over), answers a named error, is reverted, emits nothing and changes no view. The test
//! prints the matrix.
//!
//! Messages every account may call (views, bonds, deposits, settlements, relays) are listed as
//! open; their refusals are named errors too and are covered by the contracts' own tests.

use anyhow::{ensure, Result};
use polka_storage_deploy::chain::{dev_account, Chain, Deployed};
use polka_storage_deploy::market_sandbox::{proposal, Client as Signer, KeyKind};
use polka_storage_deploy::suite::{Suite, Timing};
use polka_storage_primitives::beacon::RandomnessError;
use polka_storage_primitives::market::{MarketDomain, MarketError};
use polka_storage_primitives::ownership::GovernanceError;
use polka_storage_primitives::policy::BeaconPolicy;
use polka_storage_primitives::proofs::ProofError;
use polka_storage_primitives::registry::RegistryError;
use polka_storage_primitives::sector::{ProofType, RegisteredPoStProof, RegisteredSealProof};
use polka_storage_proofs::vectors::Vectors;
use scale::{Decode, Encode, Input, Output};
use sp_core::crypto::AccountId32;
use std::fmt::Write as _;

const SEAL: ProofType = ProofType::Seal(RegisteredSealProof::StackedDRG2KiBV1P1);

/// Already SCALE-encoded call arguments.
struct RawArgs(Vec<u8>);

impl Encode for RawArgs {
    fn size_hint(&self) -> usize {
        self.0.len()
    }
    fn encode_to<T: Output + ?Sized>(&self, dest: &mut T) {
        dest.write(&self.0);
    }
}

/// An answer's bytes, whatever its type.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Raw(Vec<u8>);

impl Decode for Raw {
    fn decode<I: Input>(input: &mut I) -> Result<Self, scale::Error> {
        let len = input.remaining_len()?.unwrap_or(0);
        let mut bytes = vec![0u8; len];
        input.read(&mut bytes)?;
        Ok(Raw(bytes))
    }
}

/// The roles of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Stranger,
    Client,
    Provider,
    PreviousOwner,
    Owner,
}

impl Role {
    const ALL: [Role; 5] = [Role::Stranger, Role::Client, Role::Provider, Role::PreviousOwner, Role::Owner];

    fn account(self) -> AccountId32 {
        dev_account(match self {
            Role::Stranger => "Eve",
            Role::Client => "Bob",
            Role::Provider => "Charlie",
            Role::PreviousOwner => "Alice",
            Role::Owner => "Dave",
        })
    }

    fn label(self) -> &'static str {
        match self {
            Role::Stranger => "stranger",
            Role::Client => "client",
            Role::Provider => "provider",
            Role::PreviousOwner => "previous owner",
            Role::Owner => "owner",
        }
    }
}

/// Which contract of the suite.
#[derive(Debug, Clone, Copy)]
enum Which {
    Verifier,
    Beacon,
    Market,
    Registry,
}

/// One message and the refusal each role not allowed to call it gets.
struct Row {
    contract: Which,
    message: &'static str,
    args: Vec<u8>,
    refusals: Vec<(Role, String, Vec<u8>)>,
}

/// What a call of `row` sends: payable messages refuse a zero amount before they look at the
/// caller, so they get a unit (refunded when the call is refused).
fn value(row: &Row) -> u128 {
    if row.message == "add_collateral" {
        1
    } else {
        0
    }
}

/// `error` for each of `roles`.
fn refused<E: Encode + std::fmt::Debug>(roles: &[Role], error: E) -> Vec<(Role, String, Vec<u8>)> {
    roles.iter().map(|role| (*role, format!("{error:?}"), error.encode())).collect()
}

fn deployed(suite: &Suite, which: Which) -> &Deployed {
    match which {
        Which::Verifier => &suite.verifier,
        Which::Beacon => &suite.beacon,
        Which::Market => &suite.market,
        Which::Registry => &suite.registry,
    }
}

fn name(which: Which) -> &'static str {
    match which {
        Which::Verifier => "proof_verifier",
        Which::Beacon => "randomness",
        Which::Market => "market",
        Which::Registry => "provider_registry",
    }
}

/// Hands every contract's governance from Alice to Dave (two steps where the contract has them).
fn hand_over(chain: &mut Chain, suite: &Suite) -> Result<()> {
    let (alice, dave) = (Role::PreviousOwner.account(), Role::Owner.account());
    let dave_raw: [u8; 32] = dave.clone().into();
    for contract in suite.contracts() {
        if contract.bundle.message("accept_ownership").is_ok() {
            let answer = chain.call::<_, Raw>(&alice, contract, "propose_owner", (dave_raw,), 0)?;
            ensure!(!answer.reverted, "{} propose_owner", contract.bundle.name);
            let answer = chain.call::<_, Raw>(&dave, contract, "accept_ownership", (), 0)?;
            ensure!(!answer.reverted, "{} accept_ownership", contract.bundle.name);
        } else {
            let answer = chain.call::<_, Raw>(&alice, contract, "transfer_ownership", (dave_raw,), 0)?;
            ensure!(!answer.reverted, "{} transfer_ownership", contract.bundle.name);
        }
        let owner: [u8; 32] = chain.query(&alice, contract, "owner", ())?;
        ensure!(owner == dave_raw, "{} did not move to Dave", contract.bundle.name);
    }
    Ok(())
}

/// Everything the matrix checks is unchanged by a refused call: views of every contract and the
/// native balances of the caller and of every contract.
fn snapshot(chain: &mut Chain, suite: &Suite, caller: &AccountId32) -> Result<String> {
    let viewer = Role::Stranger.account();
    let caller_id: [u8; 32] = caller.clone().into();
    let provider_id: [u8; 32] = Role::Provider.account().into();
    let mut out = String::new();
    let views: Vec<(Which, &str, Vec<u8>)> = vec![
        (Which::Verifier, "owner", vec![]),
        (Which::Verifier, "proposed_owner", vec![]),
        (Which::Verifier, "pending_code_hash", vec![]),
        (Which::Verifier, "verifying_key_info", SEAL.encode()),
        (Which::Verifier, "pending_verifying_key", SEAL.encode()),
        (Which::Beacon, "owner", vec![]),
        (Which::Beacon, "proposed_owner", vec![]),
        (Which::Beacon, "pending_code_hash", vec![]),
        (Which::Beacon, "policy", vec![]),
        (Which::Beacon, "pending_policy", vec![]),
        (Which::Beacon, "drand_chain", vec![]),
        (Which::Beacon, "pending_drand_chain", vec![]),
        (Which::Beacon, "totals", vec![]),
        (Which::Beacon, "bond_of", caller_id.encode()),
        (Which::Market, "owner", vec![]),
        (Which::Market, "proposed_owner", vec![]),
        (Which::Market, "pending_code_hash", vec![]),
        (Which::Market, "registry", vec![]),
        (Which::Market, "funds", vec![]),
        (Which::Market, "next_deal_id", vec![]),
        (Which::Market, "balance", caller_id.encode()),
        (Which::Registry, "owner", vec![]),
        (Which::Registry, "peers", vec![]),
        (Which::Registry, "funds", vec![]),
        (Which::Registry, "total_power", vec![]),
        (Which::Registry, "provider", provider_id.encode()),
        (Which::Registry, "provider", caller_id.encode()),
    ];
    for (which, view, args) in views {
        let contract = deployed(suite, which);
        let answer: Raw = chain.query(&viewer, contract, view, RawArgs(args))?;
        let _ = write!(out, "{}::{view}={:?}; ", name(which), answer.0);
    }
    for contract in suite.contracts() {
        let _ = write!(out, "{} holds {}; ", contract.bundle.name, chain.balance(&contract.address));
    }
    let _ = write!(out, "caller holds {}", chain.balance(caller));
    Ok(out)
}

/// The owner-only governance messages every contract with two-step ownership has.
fn governance_rows(contract: Which, not_owners: &[Role], error: impl Fn(GovernanceError) -> Vec<u8>) -> Vec<Row> {
    let named = |roles: &[Role], e: GovernanceError| -> Vec<(Role, String, Vec<u8>)> {
        let label = match e {
            GovernanceError::NotOwner => "NotOwner".to_string(),
            other => format!("Governance({other:?})"),
        };
        roles.iter().map(|role| (*role, label.clone(), error(e))).collect()
    };
    let stranger: [u8; 32] = Role::Stranger.account().into();
    let mut everyone_but_owner = not_owners.to_vec();
    everyone_but_owner.push(Role::Owner);
    vec![
        Row {
            contract,
            message: "propose_owner",
            args: stranger.encode(),
            refusals: named(not_owners, GovernanceError::NotOwner),
        },
        Row {
            contract,
            message: "cancel_owner_proposal",
            args: vec![],
            refusals: named(not_owners, GovernanceError::NotOwner),
        },
        // Nobody was proposed: nobody, the owner included, may accept.
        Row {
            contract,
            message: "accept_ownership",
            args: vec![],
            refusals: named(&everyone_but_owner, GovernanceError::NotProposedOwner),
        },
        Row {
            contract,
            message: "propose_code_hash",
            args: [9u8; 32].encode(),
            refusals: named(not_owners, GovernanceError::NotOwner),
        },
        Row {
            contract,
            message: "apply_code_hash",
            args: vec![],
            refusals: named(not_owners, GovernanceError::NotOwner),
        },
        Row {
            contract,
            message: "cancel_code_hash",
            args: vec![],
            refusals: named(not_owners, GovernanceError::NotOwner),
        },
    ]
}

fn rows(vectors: &Vectors, domain: &MarketDomain) -> Vec<Row> {
    use Role::*;
    let not_owners = [Stranger, Client, Provider, PreviousOwner];
    let provider_id: [u8; 32] = Provider.account().into();
    let stranger_id: [u8; 32] = Stranger.account().into();
    let mut rows = Vec::new();

    // proof_verifier
    rows.extend(governance_rows(Which::Verifier, &not_owners, |e| ProofError::from(e).encode()));
    rows.push(Row {
        contract: Which::Verifier,
        message: "set_verifying_key",
        args: (SEAL, vectors.porep_key.clone()).encode(),
        refusals: refused(&not_owners, ProofError::NotOwner),
    });
    rows.push(Row {
        contract: Which::Verifier,
        message: "cancel_verifying_key",
        args: SEAL.encode(),
        refusals: refused(&not_owners, ProofError::NotOwner),
    });

    // randomness
    rows.extend(governance_rows(Which::Beacon, &not_owners, |e| RandomnessError::from(e).encode()));
    rows.push(Row {
        contract: Which::Beacon,
        message: "set_policy",
        args: BeaconPolicy::FAST.encode(),
        refusals: refused(&not_owners, RandomnessError::NotOwner),
    });
    rows.push(Row {
        contract: Which::Beacon,
        message: "set_drand_chain",
        args: ([0x93u8; 96], 1_692_803_367u64, 3u32).encode(),
        refusals: refused(&not_owners, RandomnessError::NotOwner),
    });
    rows.push(Row {
        contract: Which::Beacon,
        message: "cancel_drand_chain",
        args: vec![],
        refusals: refused(&not_owners, RandomnessError::NotOwner),
    });
    rows.push(Row {
        contract: Which::Beacon,
        message: "withdraw_unbonded",
        args: vec![],
        refusals: refused(&[Stranger], RandomnessError::NothingToWithdraw),
    });

    // market
    rows.extend(governance_rows(Which::Market, &not_owners, |e| MarketError::from(e).encode()));
    rows.push(Row {
        contract: Which::Market,
        message: "set_registry",
        args: stranger_id.encode(),
        refusals: refused(&not_owners, MarketError::NotOwner),
    });
    for message in ["verify_deals_for_activation", "activate_deals"] {
        rows.push(Row {
            contract: Which::Market,
            message,
            args: (provider_id, Vec::<polka_storage_primitives::market::SectorDeal>::new()).encode(),
            refusals: refused(&[Stranger, Client, Provider, PreviousOwner, Owner], MarketError::InvalidCaller),
        });
    }
    rows.push(Row {
        contract: Which::Market,
        message: "on_sectors_terminate",
        args: (provider_id, Vec::<u64>::new()).encode(),
        refusals: refused(&[Stranger, Client, Provider, PreviousOwner, Owner], MarketError::InvalidCaller),
    });
    // A deal the client signed with the provider, published by someone else than a provider.
    let client = Signer::new(KeyKind::Sr25519, "//Bob");
    let deal = client.sign_deal(domain, proposal(&Client.account(), &Provider.account(), 1, (200, 300), 1, 1));
    rows.push(Row {
        contract: Which::Market,
        message: "publish_storage_deals",
        args: vec![deal].encode(),
        refusals: refused(&[Stranger, Client, PreviousOwner, Owner], MarketError::StorageProviderNotRegistered),
    });
    rows.push(Row {
        contract: Which::Market,
        message: "withdraw_balance",
        args: 1u128.encode(),
        refusals: refused(&[Stranger], MarketError::InsufficientFreeFunds),
    });

    // provider_registry, as it is now: one-step hand-over, peers set once.
    let registry_owner_only: Vec<(&'static str, Vec<u8>)> = vec![
        ("transfer_ownership", stranger_id.encode()),
        ("set_market", stranger_id.encode()),
        ("propose_owner", stranger_id.encode()),
        ("cancel_owner_proposal", vec![]),
        ("propose_code_hash", [9u8; 32].encode()),
        ("apply_code_hash", vec![]),
        ("cancel_code_hash", vec![]),
    ];
    for (message, args) in registry_owner_only {
        rows.push(Row {
            contract: Which::Registry,
            message,
            args,
            refusals: refused(&not_owners, RegistryError::NotOwner),
        });
    }
    let not_providers = [Stranger, Client, PreviousOwner, Owner];
    let provider_only: Vec<(&'static str, Vec<u8>)> = vec![
        ("add_collateral", vec![]),
        ("withdraw_collateral", 1u128.encode()),
        ("change_peer_id", b"12D3KooW-other".to_vec().encode()),
        ("change_worker", stranger_id.encode()),
        ("pre_commit_sectors", Vec::<polka_storage_primitives::registry::SectorPreCommitInfo>::new().encode()),
        ("prove_commit_sectors", Vec::<polka_storage_primitives::registry::ProveCommitSector>::new().encode()),
        ("submit_windowed_post", (0u32, vec![0u32], vec![vec![0u8; 192]]).encode()),
    ];
    for (message, args) in provider_only {
        rows.push(Row {
            contract: Which::Registry,
            message,
            args,
            refusals: refused(&not_providers, RegistryError::StorageProviderNotFound),
        });
    }
    rows
}

#[test]
fn every_account_not_allowed_gets_a_named_error_and_changes_nothing() -> Result<()> {
    let mut chain = Chain::new();
    let suite = Suite::deploy(&mut chain, Timing::Fast)?;
    let vectors = Vectors::load().map_err(anyhow::Error::msg)?;
    let alice = Role::PreviousOwner.account();
    // State worth protecting: a verifying key, a registered provider, market balances.
    let set =
        chain.call::<_, Raw>(&alice, &suite.verifier, "set_verifying_key", (SEAL, vectors.porep_key.clone()), 0)?;
    ensure!(!set.reverted, "setting the key");
    let provider = Role::Provider.account();
    let registered = chain.call::<_, Raw>(
        &provider,
        &suite.registry,
        "register_storage_provider",
        (b"12D3KooW-matrix".to_vec(), RegisteredPoStProof::StackedDRGWindow2KiBV1P1),
        0,
    )?;
    ensure!(!registered.reverted, "registering the provider");
    for role in [Role::Client, Role::Provider] {
        let answer = chain.call::<_, Raw>(&role.account(), &suite.market, "add_balance", (), 1_000)?;
        ensure!(!answer.reverted, "funding the {}", role.label());
    }
    hand_over(&mut chain, &suite)?;
    let domain: MarketDomain = chain.query(&alice, &suite.market, "domain", ())?;

    let rows = rows(&vectors, &domain);
    let mut report = String::from("contract::message");
    for role in Role::ALL {
        let _ = write!(report, " | {}", role.label());
    }
    report.push('\n');
    let (mut cells, mut failures, mut missing) = (0usize, Vec::new(), Vec::new());
    for row in &rows {
        let contract = deployed(&suite, row.contract);
        if contract.bundle.message(row.message).is_err() {
            // The registry gains two-step ownership and upgrades separately: until then its row
            // is skipped (and listed); every other contract must have every message.
            if matches!(row.contract, Which::Registry) {
                missing.push(format!("{}::{}", name(row.contract), row.message));
            } else {
                failures.push(format!("{}::{} does not exist", name(row.contract), row.message));
            }
            continue;
        }
        let _ = write!(report, "{}::{}", name(row.contract), row.message);
        for role in Role::ALL {
            let Some((_, label, expected)) = row.refusals.iter().find(|(r, _, _)| *r == role) else {
                report.push_str(" | allowed");
                continue;
            };
            let caller = role.account();
            let before = snapshot(&mut chain, &suite, &caller)?;
            let answer = chain.call::<_, Raw>(&caller, contract, row.message, RawArgs(row.args.clone()), value(row))?;
            let after = snapshot(&mut chain, &suite, &caller)?;
            cells += 1;
            let mut want = vec![1u8];
            want.extend_from_slice(expected);
            let ok = answer.value.0 == want && answer.reverted && answer.events.is_empty() && before == after;
            let _ = write!(report, " | {}{label}", if ok { "" } else { "FAILED " });
            if !ok {
                failures.push(format!(
                    "{}::{} by {}: expected {label} ({want:?}), answered {:?}, reverted {}, {} events, state {}",
                    name(row.contract),
                    row.message,
                    role.label(),
                    answer.value.0,
                    answer.reverted,
                    answer.events.len(),
                    if before == after { "unchanged" } else { "CHANGED" },
                ));
            }
        }
        report.push('\n');
    }
    let open = [
        "proof_verifier: verify_porep, verify_porep_batch, verify_post, apply_verifying_key (anyone, once due), views",
        "randomness: bond, unbond, withdraw_unbonded, commit, reveal, relay_drand, finalise, settle, prune_history, apply_drand_chain (anyone, once due), views",
        "market: add_balance, withdraw_balance (own funds), settle_deal_payments, process_deal_timeouts, views",
        "provider_registry: register_storage_provider, expire_precommits, dispute_windowed_post, process_deadlines, views",
    ];
    println!("access matrix ({} messages, {cells} refusals checked):\n{report}", rows.len());
    println!("open to every account:\n  {}", open.join("\n  "));
    if !missing.is_empty() {
        println!("not in this build of the registry yet: {}", missing.join(", "));
    }
    ensure!(failures.is_empty(), "{} cells failed:\n{}", failures.len(), failures.join("\n"));
    Ok(())
}
