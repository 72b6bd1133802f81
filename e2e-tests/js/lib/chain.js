// The suite as a Polkadot.js client sees it: bundles read from cargo-contract's `.contract` files,
// contracts instantiated and called with @polkadot/api-contract (the library Contracts UI is built
// on), every call dry-run first through the ContractsApi runtime API for its gas and storage
// deposit, then sent as a signed extrinsic and awaited until it is in a block.

import { readFileSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { Abi, CodePromise, ContractPromise } from '@polkadot/api-contract';
import { BN, hexToU8a, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';

/** The node the tests talk to (scripts/node.sh exports NODE_URL). */
export const NODE_URL = process.env.NODE_URL ?? 'ws://127.0.0.1:9944';

/**
 * Where cargo-contract put the bundles: $POLKA_STORAGE_INK_DIR/<name>/<name>.contract if set, else
 * $CARGO_TARGET_DIR/ink/<name>/<name>.contract (default ~/.cache/polka-storage/target).
 */
export function bundlePath(name) {
  const target = process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache', 'polka-storage', 'target');
  const ink = process.env.POLKA_STORAGE_INK_DIR ?? join(target, 'ink');
  return join(ink, name, `${name}.contract`);
}

/** A contract bundle: its metadata as an `Abi` and its Wasm code. */
export function loadBundle(name) {
  const path = bundlePath(name);
  if (!existsSync(path)) {
    throw new Error(`no bundle at ${path}: build the contracts first (scripts/build-contracts.sh)`);
  }
  const json = JSON.parse(readFileSync(path, 'utf8'));
  return { name, json, abi: new Abi(json), wasm: hexToU8a(json.source.wasm), codeHash: json.source.hash };
}

/** A call that failed: the dry-run's or the extrinsic's error, named. */
export class CallError extends Error {
  constructor(what, detail) {
    super(`${what}: ${detail}`);
    this.name = 'CallError';
    this.what = what;
    this.detail = detail;
  }
}

/** Connects, waits for the crypto, and makes the dev keyring (//Alice …). */
export async function connect(url = NODE_URL) {
  await cryptoWaitReady();
  const provider = new WsProvider(url, false);
  await provider.connect();
  await provider.isReadyOrError;
  const api = await ApiPromise.create({ provider, noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 ?? 42 });
  const dev = Object.fromEntries(
    ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'].map((n) => [n.toLowerCase(), keyring.addFromUri(`//${n}`)]),
  );
  return { api, keyring, dev };
}

/** Explains a `DispatchError` (module errors by pallet and name). */
export function explainDispatchError(api, error) {
  if (error.isModule) {
    const meta = api.registry.findMetaError(error.asModule);
    return `${meta.section}.${meta.name}`;
  }
  return error.toString();
}

/** The message of `abi` whose metadata label is `label` (e.g. `ProofVerification::verify_porep`). */
export function findMessage(abi, label) {
  const message = abi.messages.find((m) => m.identifier === label);
  if (!message) throw new Error(`no message ${label} in ${abi.info.contract.name}`);
  return message;
}

/** Extra gas over the dry-run's `gasRequired`, in percent: the state may move between the two. */
const GAS_MARGIN_PERCENT = 20;

function withMargin(api, weight) {
  const grow = (v) => new BN(v.toString()).muln(100 + GAS_MARGIN_PERCENT).divn(100);
  return api.registry.createType('WeightV2', { refTime: grow(weight.refTime), proofSize: grow(weight.proofSize) });
}

/**
 * Sends `tx` signed by `signer` and resolves once it is in a block, with the block hash, the
 * block number, its records and the decoded events of `contracts` (a map address → Abi).
 * Rejects with a CallError on a dispatch error.
 */
export function submit(api, tx, signer, what) {
  return new Promise((resolve, reject) => {
    let unsubscribe;
    tx.signAndSend(signer, { nonce: -1 }, (result) => {
      if (result.status.isInvalid || result.status.isDropped || result.status.isUsurped) {
        unsubscribe?.();
        reject(new CallError(what, `extrinsic ${result.status.type}`));
      }
      if (!result.status.isInBlock) return;
      unsubscribe?.();
      if (result.dispatchError) {
        reject(new CallError(what, explainDispatchError(api, result.dispatchError)));
        return;
      }
      api.rpc.chain
        .getHeader(result.status.asInBlock)
        .then((header) => resolve({ result, blockHash: result.status.asInBlock, block: header.number.toNumber() }))
        .catch(reject);
    })
      .then((u) => {
        unsubscribe = u;
      })
      .catch((e) => reject(new CallError(what, e.message)));
  });
}

/**
 * Decodes every `Contracts.ContractEmitted` record among `records` with the Abi of its emitter,
 * from `abis` (address → Abi). Answers `{ contract, name, event, args }` in order; an event whose
 * emitter is unknown or whose data does not decode throws.
 */
export function decodeContractEvents(api, records, abis) {
  const out = [];
  for (const record of records) {
    if (!api.events.contracts.ContractEmitted.is(record.event)) continue;
    const address = record.event.data[0].toString();
    const entry = abis.get(address);
    if (!entry) throw new Error(`event from unknown contract ${address}`);
    const decoded = entry.abi.decodeEvent(record);
    out.push({
      contract: entry.name,
      // The metadata names an event by its Rust path (`polka_storage_primitives::…::Bonded`).
      name: decoded.event.identifier.split('::').pop(),
      event: decoded.event,
      args: Object.fromEntries(decoded.event.args.map((arg, i) => [arg.name, decoded.args[i].toJSON()])),
    });
  }
  return out;
}

/** The whole suite on one node: its contracts by name, the Abi of each address, a gas log. */
export class Suite {
  constructor(api, dev) {
    this.api = api;
    this.dev = dev;
    /** name → { abi, contract, address, bundle } */
    this.contracts = new Map();
    /** address → { name, abi } */
    this.abis = new Map();
    /** Every call's gas, as the node measured it: { contract, message, refTime, proofSize, deposit }. */
    this.gas = [];
  }

  /** A weight big enough for any dry-run: the node caps it at its block's limit. */
  maxWeight() {
    const max = this.api.consts.system.blockWeights.perClass.normal.maxExtrinsic.unwrap();
    return this.api.registry.createType('WeightV2', { refTime: max.refTime, proofSize: max.proofSize });
  }

  /**
   * Instantiates `bundle` with its code through constructor `label` and `args`: dry-run for the
   * gas, then `instantiate_with_code` as a signed extrinsic. Answers the contract, the
   * constructor's events and the block.
   */
  async instantiate(bundle, label, args, { signer = this.dev.alice, value = 0, salt } = {}) {
    const { api } = this;
    const constructor = bundle.abi.constructors.find((c) => c.identifier === label);
    if (!constructor) throw new Error(`no constructor ${label} in ${bundle.name}`);
    const data = constructor.toU8a(args);
    // Hex strings: a Uint8Array given for `Bytes` is read as already length-prefixed.
    const saltBytes = u8aToHex(salt ?? crypto.getRandomValues(new Uint8Array(32)));
    const dry = await api.call.contractsApi.instantiate(
      signer.address, value, this.maxWeight(), null, { Upload: u8aToHex(bundle.wasm) }, data, saltBytes,
    );
    const what = `${bundle.name}.${label}`;
    if (dry.result.isErr) throw new CallError(what, `dry-run: ${explainDispatchError(api, dry.result.asErr)}`);
    if (dry.result.asOk.result.flags.isRevert) {
      const answer = bundle.abi.registry.createTypeUnsafe(
        constructor.returnType.lookupName || constructor.returnType.type, [dry.result.asOk.result.data.toU8a(true)],
      );
      throw new CallError(what, `reverted: ${JSON.stringify(answer.toHuman())}`);
    }
    const code = new CodePromise(api, bundle.abi, bundle.wasm);
    const tx = code.tx[constructor.method](
      { gasLimit: withMargin(api, dry.gasRequired), storageDepositLimit: null, value, salt: saltBytes }, ...args,
    );
    const { result, block } = await submit(api, tx, signer, what);
    if (!result.contract) throw new CallError(what, 'no Instantiated event');
    const address = result.contract.address.toString();
    const contract = new ContractPromise(api, bundle.abi, address);
    this.contracts.set(bundle.name, { abi: bundle.abi, contract, address, bundle });
    this.abis.set(address, { name: bundle.name, abi: bundle.abi });
    this.gas.push(gasRow(bundle.name, label, dry));
    return { contract, address, block, events: decodeContractEvents(api, result.events, this.abis) };
  }

  /** The deployed contract `name`. */
  get(name) {
    const entry = this.contracts.get(name);
    if (!entry) throw new Error(`${name} is not deployed`);
    return entry;
  }

  /**
   * Dry-runs message `label` of contract `name` through the ContractsApi runtime API (what a
   * view is, and what every call is before it is sent). Answers the decoded return value (as
   * JSON), the Codec, the gas required and the storage deposit.
   */
  async query(name, label, args = [], { caller = this.dev.alice, value = 0 } = {}) {
    const { contract, abi } = this.get(name);
    const message = findMessage(abi, label);
    const answer = await contract.query[message.method](caller.address, { gasLimit: this.maxWeight(), value, storageDepositLimit: null }, ...args);
    const what = `${name}.${label}`;
    if (answer.result.isErr) throw new CallError(what, `dry-run: ${explainDispatchError(this.api, answer.result.asErr)}`);
    // Every ink! message answers `Result<T, LangError>`: unwrap it, so `value` is the message's own.
    const output = answer.output;
    if (output?.isErr) throw new CallError(what, `LangError ${output.asErr.toString()}`);
    const inner = output?.isOk ? output.asOk : output;
    return {
      output: inner,
      value: inner?.toJSON(),
      reverted: answer.result.asOk.flags.isRevert,
      gasRequired: answer.gasRequired,
      storageDeposit: answer.storageDeposit,
      raw: answer,
    };
  }

  /**
   * Calls message `label` of `name` for real: a dry-run for the gas (and to refuse a call that
   * would answer `Err`), then a signed `Contracts.call` in a block. Answers the dry-run's value,
   * the block, and every contract event of the extrinsic decoded with its emitter's Abi.
   */
  async call(name, label, args = [], { signer = this.dev.alice, value = 0 } = {}) {
    const { contract, abi } = this.get(name);
    const message = findMessage(abi, label);
    const dry = await this.query(name, label, args, { caller: signer, value });
    const what = `${name}.${label}`;
    if (dry.reverted || (dry.output?.isErr === true)) {
      throw new CallError(what, `would fail: ${JSON.stringify(dry.value)}`);
    }
    const tx = contract.tx[message.method]({ gasLimit: withMargin(this.api, dry.gasRequired), storageDepositLimit: null, value }, ...args);
    const { result, block } = await submit(this.api, tx, signer, what);
    this.gas.push(gasRow(name, label, dry.raw));
    return { value: dry.value, block, events: decodeContractEvents(this.api, result.events, this.abis) };
  }

  /** The current best block number. */
  async blockNumber() {
    return (await this.api.rpc.chain.getHeader()).number.toNumber();
  }

  /**
   * Advances the chain by `n` blocks: contracts-node seals one block per transaction, so each
   * block is a `System.remark` signed by `signer`.
   */
  async advanceBlocks(n, signer = this.dev.ferdie) {
    for (let i = 0; i < n; i++) {
      await submit(this.api, this.api.tx.system.remark(`advance ${i}`), signer, 'System.remark');
    }
    return this.blockNumber();
  }

  /** Advances until the best block is at least `block`. */
  async advanceTo(block) {
    const now = await this.blockNumber();
    if (now < block) await this.advanceBlocks(block - now);
    return this.blockNumber();
  }
}

function gasRow(contract, message, dry) {
  const deposit = dry.storageDeposit;
  return {
    contract,
    message,
    refTime: dry.gasRequired.refTime.toBigInt(),
    proofSize: dry.gasRequired.proofSize.toBigInt(),
    deposit: deposit.isCharge ? deposit.asCharge.toBigInt() : -deposit.asRefund.toBigInt(),
  };
}
