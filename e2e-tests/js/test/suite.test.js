// The suite from @polkadot/api-contract against a running substrate-contracts-node (NODE_URL,
// default ws://127.0.0.1:9944; scripts/node.sh starts one): what Contracts UI does. Deploys and
// wires the four contracts from their `.contract` bundles, runs a flow through every contract
// (governance, beacon round, provider registration, a deal signed as `signRaw` signs and
// published), decodes every event the flow emits with the emitter's metadata, and queries every
// view of every contract. Run: `node --test` in e2e-tests/js.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { u8aToHex, hexToU8a } from '@polkadot/util';
import { blake2AsU8a, signatureVerify } from '@polkadot/util-crypto';
import { connect, loadBundle, Suite, findMessage } from '../lib/chain.js';
import { policyArg, PROVING_POLICY_FAST, MARKET_POLICY_FAST, BEACON_POLICY_FAST } from '../lib/policy.js';
import { signDeal, signingPayload, DEAL_SIGNING_TAG } from '../lib/deal.js';
import { u8aConcat, u8aWrapBytes, stringToU8a, u8aToU8a } from '@polkadot/util';

const CACHE = process.env.POLKA_STORAGE_CACHE ?? join(homedir(), '.cache', 'polka-storage');
/** The CommP CID of cli/README.md's test vector (39 bytes). */
const PIECE_CID = '0x0181e2039220206a47b11ddbf2a369882def2c771ed499420ac8489a9e8845f704c053efdf2a20';
const PEER_ID = u8aToHex(stringToU8a('12D3KooW-js-e2e-provider'));

let api;
let dev;
let suite;
const bundles = {};
/** Every contract event the flow emitted, decoded: { contract, name, args }. */
const events = [];
const domain = crypto.getRandomValues(new Uint8Array(32));
let dealId;

/** Runs a real call and keeps its decoded events. */
async function call(name, label, args = [], options = {}) {
  const answer = await suite.call(name, label, args, options);
  events.push(...answer.events);
  return answer;
}

/** The `Ok` value of a `Result` answer (as JSON), failing on `Err`. */
function ok(value) {
  assert.ok(value && typeof value === 'object' && 'ok' in value, `expected Ok, got ${JSON.stringify(value)}`);
  return value.ok;
}

/**
 * Arguments for a view whose parameters are all accounts or integers: the provider for an
 * account, 0 for a number. `undefined` when a parameter is of any other type.
 */
function simpleArgs(message, account) {
  const values = message.args.map((arg) => {
    const type = arg.type.type;
    if (type === 'AccountId') return account;
    if (/^(u|i)(8|16|32|64|128)$/.test(type)) return 0;
    return undefined;
  });
  return values.includes(undefined) ? undefined : values;
}

before(async () => {
  ({ api, dev } = await connect());
  suite = new Suite(api, dev);
  for (const name of ['proof_verifier', 'randomness', 'market', 'provider_registry']) bundles[name] = loadBundle(name);
});

after(async () => {
  if (suite) {
    console.log('node gas (dry-run gasRequired) and storage deposits:');
    for (const row of suite.gas) {
      console.log(`  ${row.contract}.${row.message}: ref_time ${row.refTime}, proof_size ${row.proofSize}, deposit ${row.deposit}`);
    }
  }
  await api?.disconnect();
});

describe('the metadata as Contracts UI reads it', () => {
  it('reads every constructor, message and event type of the four bundles', () => {
    for (const bundle of Object.values(bundles)) {
      const { abi } = bundle;
      for (const c of abi.constructors) for (const a of c.args) assert.ok(a.type.type, `${bundle.name}.${c.identifier}(${a.name})`);
      for (const m of abi.messages) {
        for (const a of m.args) assert.ok(a.type.type, `${bundle.name}.${m.identifier}(${a.name}): unreadable type`);
        assert.ok(!m.returnType || m.returnType.type, `${bundle.name}.${m.identifier}: unreadable return type`);
      }
      for (const e of abi.events) {
        assert.ok(e.signatureTopic, `${bundle.name} event ${e.identifier} has no signature topic`);
        for (const a of e.args) assert.ok(a.type.type, `${bundle.name} event ${e.identifier}.${a.name}: unreadable type`);
      }
    }
  });

  it('encodes cli/README.md\'s deal test vector byte for byte', () => {
    const vectorDomain = Uint8Array.from({ length: 32 }, (_, i) => i);
    const proposal = {
      pieceCid: PIECE_CID,
      pieceSize: 1024,
      client: dev.alice.address,
      provider: dev.bob.address,
      label: u8aToHex(stringToU8a('photo.txt')),
      startBlock: 200,
      endBlock: 1200,
      storagePricePerBlock: 1_000_000,
      providerCollateral: 500_000_000,
      state: 'Published',
    };
    const payload = signingPayload(bundles.market.abi, vectorDomain, proposal);
    assert.equal(payload.length, 232);
    assert.equal(
      u8aToHex(payload),
      '0x706f6c6b612d73746f726167652f6d61726b65742f6465616c2d70726f706f73616c2f7631' +
        '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f' +
        '9c0181e2039220206a47b11ddbf2a369882def2c771ed499420ac8489a9e8845f704c053efdf2a20' +
        '0004000000000000' +
        'd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d' +
        '8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48' +
        '2470686f746f2e747874' + 'c8000000' + 'b0040000' +
        '40420f00000000000000000000000000' + '0065cd1d000000000000000000000000' + '00',
    );
    assert.equal(u8aToHex(blake2AsU8a(payload)), '0xd8aea82f8052819f448c8c01f8ec90294f60950dd07b392d5c1dfe2cb29bc976');
    const signed = signDeal(bundles.market.abi, vectorDomain, proposal, dev.alice);
    const wrapped = u8aConcat(stringToU8a('<Bytes>'), payload, stringToU8a('</Bytes>'));
    assert.deepEqual(u8aWrapBytes(payload), wrapped);
    assert.ok(signatureVerify(wrapped, signed.clientSignature.Sr25519, dev.alice.address).isValid);
    assert.equal(DEAL_SIGNING_TAG.length, 37);
  });
});

describe('the suite on substrate-contracts-node', { timeout: 600_000 }, () => {
  it('deploys and wires the four contracts from JS', async () => {
    const verifier = await suite.instantiate(bundles.proof_verifier, 'new', []);
    const beacon = await suite.instantiate(bundles.randomness, 'with_policy', [
      policyArg(bundles.randomness.abi, 'BeaconPolicy', BEACON_POLICY_FAST),
    ]);
    const market = await suite.instantiate(bundles.market, 'with_policy', [
      null,
      policyArg(bundles.market.abi, 'MarketPolicy', MARKET_POLICY_FAST),
      u8aToHex(domain),
    ]);
    const registry = await suite.instantiate(bundles.provider_registry, 'with_policy', [
      verifier.address,
      beacon.address,
      market.address,
      policyArg(bundles.provider_registry.abi, 'ProvingPolicy', PROVING_POLICY_FAST),
    ]);
    for (const deployed of [verifier, beacon, market, registry]) events.push(...deployed.events);
    await call('market', 'set_registry', [registry.address]);

    assert.equal((await suite.query('market', 'registry')).value, registry.address);
    assert.equal((await suite.query('market', 'domain')).value, u8aToHex(domain));
    const policy = (await suite.query('provider_registry', 'policy')).value;
    assert.equal(policy.wpostProvingPeriod, PROVING_POLICY_FAST.wpost_proving_period);
    const peers = (await suite.query('provider_registry', 'peers')).value;
    assert.ok(JSON.stringify(peers).includes(verifier.address) || JSON.stringify(peers).includes(u8aToHex(api.createType('AccountId', verifier.address).toU8a())), JSON.stringify(peers));
  });

  it('sets the verifying keys (governance)', async () => {
    const keys = [
      [{ Seal: 'StackedDrg2KiBV1_1' }, 'porep.vk'],
      [{ PoSt: 'StackedDRGWindow2KiBV1P1' }, 'window_post.vk'],
    ];
    for (const [proofType, file] of keys) {
      const key = readFileSync(join(CACHE, 'verifying-keys', file));
      await call('proof_verifier', 'set_verifying_key', [proofType, u8aToHex(key)]);
      const info = (await suite.query('proof_verifier', 'verifying_key_info', [proofType])).value;
      assert.ok(info, `no key info for ${file}`);
    }
  });

  it('runs a beacon round: bond, commit, reveal, finalise', async () => {
    const participant = dev.dave;
    await call('randomness', 'bond', [], { signer: participant, value: BEACON_POLICY_FAST.min_bond * 10 });
    // Wait for a commit phase with at least two blocks left (the call lands in the next block).
    let current;
    for (let tries = 0; ; tries++) {
      assert.ok(tries <= 2 * (BEACON_POLICY_FAST.commit_phase + BEACON_POLICY_FAST.reveal_phase), 'no commit phase came');
      current = (await suite.query('randomness', 'current_round')).value;
      const now = await suite.blockNumber();
      if (current && current.phase === 'Commit' && now + 1 < current.revealStarts) break;
      await suite.advanceBlocks(1);
    }
    const round = current.round;
    const secret = u8aToHex(crypto.getRandomValues(new Uint8Array(32)));
    const commitment = (await suite.query('randomness', 'commitment_for', [round, participant.address, secret])).value;
    // The documented formula, computed locally, agrees with the contract's view.
    const local = blake2AsU8a(u8aConcat(
      stringToU8a('polka-storage/beacon/commitment/v1'),
      api.createType('u32', round).toU8a(),
      api.createType('AccountId', participant.address).toU8a(),
      hexToU8a(secret),
    ));
    assert.equal(commitment, u8aToHex(local));
    await call('randomness', 'commit', [round, commitment], { signer: participant });
    // A dry-run sees the best block, the extrinsic runs in the next one: both in the reveal phase.
    await suite.advanceTo(current.revealStarts);
    await call('randomness', 'reveal', [round, secret], { signer: participant });
    await suite.advanceTo(current.ends + 1);
    await call('randomness', 'finalise', [round]);
    const info = (await suite.query('randomness', 'round', [round])).value;
    assert.ok(JSON.stringify(info.status).includes('succeeded'), JSON.stringify(info));
    await call('randomness', 'unbond', [BEACON_POLICY_FAST.min_bond], { signer: participant });
  });

  it('registers a provider with collateral, a worker and a new peer id', async () => {
    const provider = dev.charlie;
    await call('provider_registry', 'register_storage_provider', [PEER_ID, 'StackedDRGWindow2KiBV1P1'], { signer: provider });
    await call('provider_registry', 'add_collateral', [], { signer: provider, value: 10_000_000_000 });
    await call('provider_registry', 'withdraw_collateral', [1_000], { signer: provider });
    await call('provider_registry', 'change_peer_id', [u8aToHex(stringToU8a('12D3KooW-js-e2e-renamed'))], { signer: provider });
    await call('provider_registry', 'change_worker', [dev.eve.address], { signer: provider });
    const registered = (await suite.query('provider_registry', 'StorageProviderValidation::is_registered_storage_provider', [provider.address])).value;
    assert.equal(registered, true);
  });

  it('publishes a deal whose client signed it as signRaw signs', async () => {
    const client = dev.bob;
    const provider = dev.charlie;
    const now = await suite.blockNumber();
    const proposal = {
      pieceCid: PIECE_CID,
      pieceSize: 2048,
      client: client.address,
      provider: provider.address,
      label: u8aToHex(stringToU8a('js-e2e.bin')),
      startBlock: now + 60,
      endBlock: now + 60 + MARKET_POLICY_FAST.min_deal_duration * 2,
      storagePricePerBlock: 1_000,
      providerCollateral: 1_000_000,
      state: 'Published',
    };
    const signed = signDeal(bundles.market.abi, domain, proposal, client);
    assert.ok(signatureVerify(u8aWrapBytes(signingPayload(bundles.market.abi, domain, proposal)), signed.clientSignature.Sr25519, client.address).isValid);
    await call('market', 'add_balance', [], { signer: client, value: 1_000_000_000 });
    await call('market', 'add_balance', [], { signer: provider, value: 1_000_000_000 });
    await call('market', 'withdraw_balance', [1_000], { signer: client });
    const published = await call('market', 'publish_storage_deals', [[signed]], { signer: provider });
    const ids = ok(published.value);
    assert.equal(ids.length, 1);
    dealId = ids[0];
    const deal = (await suite.query('market', 'deal', [dealId])).value;
    assert.ok(deal, 'the published deal is readable');
    // The same signature cannot publish the deal twice.
    const again = await suite.query('market', 'publish_storage_deals', [[signed]], { caller: provider });
    assert.ok(JSON.stringify(again.value).includes('err'), JSON.stringify(again.value));
  });

  it('hands ownership over and back', async () => {
    // Two-step governance (propose, accept) where the contract has it, else a direct transfer.
    for (const name of ['proof_verifier', 'randomness', 'market', 'provider_registry']) {
      const { abi } = suite.get(name);
      const twoStep = abi.messages.some((m) => m.identifier === 'propose_owner');
      for (const [from, to] of [[dev.alice, dev.bob], [dev.bob, dev.alice]]) {
        if (twoStep) {
          await call(name, 'propose_owner', [to.address], { signer: from });
          assert.equal((await suite.query(name, 'proposed_owner')).value, to.address);
          await call(name, 'accept_ownership', [], { signer: to });
        } else {
          await call(name, 'transfer_ownership', [to.address], { signer: from });
        }
        assert.equal((await suite.query(name, 'owner')).value, to.address);
      }
    }
  });

  it('decoded every event of the flow with the emitter\'s metadata', () => {
    const seen = new Set(events.map((e) => `${e.contract}.${e.name}`));
    const expected = [
      'proof_verifier.VerifyingKeyChanged',
      'randomness.Bonded', 'randomness.Committed', 'randomness.Revealed', 'randomness.RoundFinalised', 'randomness.UnbondRequested',
      'market.PeerSet', 'market.BalanceAdded', 'market.BalanceWithdrawn', 'market.DealsPublished',
      'provider_registry.StorageProviderRegistered', 'provider_registry.CollateralAdded', 'provider_registry.CollateralWithdrawn',
      'provider_registry.PeerIdChanged', 'provider_registry.WorkerChanged',
      ...['proof_verifier', 'randomness', 'market', 'provider_registry'].map((name) => `${name}.OwnershipTransferred`),
    ];
    for (const name of expected) assert.ok(seen.has(name), `no ${name} among ${[...seen].join(', ')}`);
    for (const e of events) for (const value of Object.values(e.args)) assert.notEqual(value, undefined, `${e.contract}.${e.name}`);
  });

  it('queries every view of every contract', async () => {
    const provider = dev.charlie.address;
    const alice = dev.alice.address;
    const zero = u8aToHex(new Uint8Array(32));
    const now = await suite.blockNumber();
    const args = {
      proof_verifier: {
        pending_verifying_key: [{ Seal: 'StackedDrg2KiBV1_1' }],
        pending_verifying_key_bytes: [{ PoSt: 'StackedDRGWindow2KiBV1P1' }],
        verifying_key: [{ Seal: 'StackedDrg2KiBV1_1' }],
        verifying_key_info: [{ PoSt: 'StackedDRGWindow2KiBV1P1' }],
        'ProofVerification::verify_porep': null,
        'ProofVerification::verify_porep_batch': [[]],
        'ProofVerification::verify_post': ['StackedDRGWindow2KiBV1P1', zero, [], '0x'],
      },
      randomness: {
        round: [0], round_awaiting: [1], bond_of: [dev.dave.address], commitment_of: [dev.dave.address],
        commitment_for: [1, alice, zero],
        'RandomnessBeacon::randomness_at': [Math.max(1, now - 10)],
        'AnchoredRandomnessBeacon::anchored_randomness_at': [Math.max(1, now - 10)],
        'AnchoredRandomnessBeacon::is_anchored_at': [Math.max(1, now - 10)],
      },
      market: {
        balance: [dev.bob.address], deal: [dealId ?? 0], provider_deals: [provider, 0, 10], client_deals: [dev.bob.address, 0, 10], pending_deals: [provider],
        sector_deals: [provider, 0],
        verify_piece_inclusion: [zero, 'StackedDrg2KiBV1_1', PIECE_CID, 2048, 0, []],
        'MarketTrait::verify_deals_for_activation': [provider, []],
      },
      provider_registry: {
        provider: [provider], providers: [0, 10], provider_of_worker: [dev.eve.address], seal_ticket: [provider, Math.max(1, now - 5)], interactive_seed: [provider, 0], pre_commit: [provider, 0],
        sector: [provider, 0], sectors: [provider, 0, 10], deadline_info: [provider, 0], partition: [provider, 0, 0],
        'StorageProviderValidation::is_registered_storage_provider': [provider],
      },
    };
    // Views without arguments are queried with none; these are the arguments of the others.
    // verify_porep's argument is a whole SealVerifyInfo: a zeroed one (the answer is an error).
    const sealInfo = (abi) => {
      const message = findMessage(abi, 'ProofVerification::verify_porep');
      return [abi.registry.createTypeUnsafe(message.args[0].type.lookupName || message.args[0].type.type, []).toJSON()];
    };
    args.proof_verifier['ProofVerification::verify_porep'] = sealInfo(bundles.proof_verifier.abi);
    for (const [name, views] of Object.entries(args)) {
      const { abi } = suite.get(name);
      for (const message of abi.messages.filter((m) => !m.isMutating)) {
        const viewArgs = views[message.identifier] ?? simpleArgs(message, provider);
        assert.ok(viewArgs, `no arguments for view ${name}.${message.identifier}: add them to this test`);
        const answer = await suite.query(name, message.identifier, viewArgs);
        assert.ok(answer.output !== null, `${name}.${message.identifier} did not answer`);
        // A view answering `Err` reverts (ink! does for every `Err`); its answer still decodes.
        assert.notEqual(answer.value, undefined, `${name}.${message.identifier}: answer did not decode`);
      }
      for (const label of Object.keys(views)) {
        assert.ok(abi.messages.some((m) => m.identifier === label && !m.isMutating), `${name}.${label} is not a view any more`);
      }
    }
  });
});
