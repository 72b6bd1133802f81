// Deal signing as a Polkadot.js wallet does it: the market's payload (DealProposal::signing_payload
// in contracts/primitives/src/market.rs) encoded with the types of the market's own metadata, and
// signed the way `signRaw` signs, over `<Bytes>` ‖ payload ‖ `</Bytes>`.

import { stringToU8a, u8aConcat, u8aToHex, u8aWrapBytes } from '@polkadot/util';

/** What every signed deal message starts with (`DEAL_SIGNING_TAG`). */
export const DEAL_SIGNING_TAG = stringToU8a('polka-storage/market/deal-proposal/v1');

/** The lookup name of the metadata type whose path ends with `name` (e.g. `DealProposal`). */
export function typeName(abi, name) {
  const entry = abi.json.types.find((t) => t.type.path && t.type.path[t.type.path.length - 1] === name);
  if (!entry) throw new Error(`no type ${name} in the metadata of ${abi.info.contract.name}`);
  const def = abi.registry.lookup.getTypeDef(entry.id);
  return def.lookupName || def.type;
}

/** SCALE of a `DealProposal` (given as JSON with camelCase fields), typed by the market's metadata. */
export function encodeProposal(marketAbi, proposal) {
  return marketAbi.registry.createTypeUnsafe(typeName(marketAbi, 'DealProposal'), [proposal]).toU8a();
}

/** The bytes a client signs for `proposal` on the market of 32-byte `domain`. */
export function signingPayload(marketAbi, domain, proposal) {
  if (domain.length !== 32) throw new Error(`a market domain has 32 bytes, not ${domain.length}`);
  return u8aConcat(DEAL_SIGNING_TAG, domain, encodeProposal(marketAbi, proposal));
}

/**
 * A `ClientDealProposal` for `proposal`, signed by the sr25519 `pair` as `signRaw` signs:
 * over the payload wrapped in `<Bytes>…</Bytes>`.
 */
export function signDeal(marketAbi, domain, proposal, pair) {
  const payload = signingPayload(marketAbi, domain, proposal);
  const signature = pair.sign(u8aWrapBytes(payload));
  return { proposal, clientSignature: { Sr25519: u8aToHex(signature) } };
}
