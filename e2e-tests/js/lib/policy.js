// The FAST policies of contracts/primitives/src/policy.rs (the testnet values the tests and the
// demo run with), by their Rust field names. `policyArg` builds a constructor argument from the
// fields the metadata lists, so a field added to a policy in Rust and not here is an error that
// names it, never a silently wrong encoding.

const MINUTES = 10;

/** `ProvingPolicy::FAST`. */
export const PROVING_POLICY_FAST = {
  wpost_proving_period: 6 * MINUTES,
  wpost_challenge_window: 2 * MINUTES,
  wpost_challenge_lookback: MINUTES,
  wpost_period_deadlines: 3,
  min_sector_expiration: 5 * MINUTES,
  max_sector_expiration: 60 * MINUTES,
  sector_maximum_lifetime: 120 * MINUTES,
  max_prove_commit_duration: 5 * MINUTES,
  fault_max_age: 5 * MINUTES * 42,
  fault_declaration_cutoff: MINUTES,
  pre_commit_challenge_delay: MINUTES,
  max_seal_randomness_lookback: 5 * MINUTES,
  sector_daily_earnings: 1_000_000,
  wpost_dispute_window: 30,
  require_anchored_randomness: false,
};

/** `MarketPolicy::FAST`. */
export const MARKET_POLICY_FAST = { min_deal_duration: 5 * MINUTES, max_deal_duration: 180 * MINUTES };

/** `BeaconPolicy::FAST`; its history is `ProvingPolicy::FAST.longest_randomness_lookback()`. */
export const BEACON_POLICY_FAST = {
  commit_phase: 3,
  reveal_phase: 2,
  min_bond: 1_000,
  penalty: 100,
  min_reveals: 1,
  unbond_delay: 10,
  history: PROVING_POLICY_FAST.max_prove_commit_duration + PROVING_POLICY_FAST.max_seal_randomness_lookback,
  block_time_ms: 6_000,
  reveal_margin_ms: 1_000,
  drand_timeout: 3,
};

/**
 * The value of struct type `typeName` (its last path segment, e.g. `ProvingPolicy`) in the
 * metadata of `abi`, from `values` by Rust field name: every field the metadata lists must be
 * there, and every value must be a field.
 */
export function policyArg(abi, typeName, values) {
  const entry = abi.json.types.find((t) => t.type.path?.[t.type.path.length - 1] === typeName);
  if (!entry?.type.def.composite) throw new Error(`no struct ${typeName} in ${abi.info.contract.name}'s metadata`);
  const fields = entry.type.def.composite.fields.map((f) => f.name);
  const missing = fields.filter((f) => !(f in values));
  const unknown = Object.keys(values).filter((f) => !fields.includes(f));
  if (missing.length || unknown.length) {
    throw new Error(`${typeName}: metadata fields without a FAST value: [${missing}], values the metadata lacks: [${unknown}]`);
  }
  return Object.fromEntries(fields.map((f) => [f, values[f]]));
}
