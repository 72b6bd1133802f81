#!/usr/bin/env bash
# The suite's tests.
#   scripts/test.sh        everything (what CI runs): formatting and clippy first, then the
#                          contracts built, then the workspace's tests (unit tests of the logic, the
#                          contracts on the sandbox chain, storage-cli's proofs).
#   scripts/test.sh unit   the fast path for development: the plain-Rust unit tests of the logic
#                          (crates polka-storage-primitives, polka-storage-proofs, market,
#                          randomness and provider_registry), without cargo-contract, bundles or
#                          Groth16 parameters.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

# The crates whose tests need no chain, no bundle and no parameters.
UNIT_CRATES=(polka-storage-primitives polka-storage-proofs market randomness provider_registry)

case "${1:-all}" in
  unit)
    args=()
    for crate in "${UNIT_CRATES[@]}"; do args+=(-p "$crate"); done
    echo "==> cargo test --release ${args[*]} --lib --tests"
    exec cargo test --release "${args[@]}" --lib --tests
    ;;
  all) ;;
  *)
    echo "usage: $0 [unit]" >&2
    exit 2
    ;;
esac

"$REPO_ROOT/scripts/setup.sh"
# Formatting and lints first: they fail in seconds, before the long builds.
echo "==> cargo fmt --all --check"
cargo fmt --all --check
echo "==> cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings
# The market's tests also deploy the TEST-ONLY registry double.
"$REPO_ROOT/scripts/build-contracts.sh" e2e-tests/contracts/registry_double
# Groth16 parameters of the 2 KiB proofs: generated once per machine, then read from the cache.
"$REPO_ROOT/scripts/params.sh"
# The bundles were just built: tests and tools load them instead of building again.
export SKIP_CONTRACT_BUILD=1
echo "==> cargo test --workspace --release"
cargo test --workspace --release

# ---- The suite on a real node (issue 13) ----
# substrate-contracts-node 0.42 from scripts/node.sh (PATH, the cache, or built once), then the
# node backend's e2e tests (deploy-node: its own workspace, lockfile and target subdirectory) and
# the polkadot.js client tests (e2e-tests/js, @polkadot/api-contract under `node --test`).
node_step_started=$SECONDS
echo "==> deploy-node: cargo fmt --check, clippy, build"
(cd deploy-node && cargo fmt --check)
CARGO_TARGET_DIR="$CARGO_TARGET_DIR/deploy-node" cargo clippy --manifest-path deploy-node/Cargo.toml --all-targets --quiet -- -D warnings
CARGO_TARGET_DIR="$CARGO_TARGET_DIR/deploy-node" cargo build --manifest-path deploy-node/Cargo.toml --tests --bins --quiet
if ! command -v node >/dev/null 2>&1; then
  echo "==> installing Node.js (the polkadot.js client tests)"
  apt-get update -qq && apt-get install -y -qq nodejs npm
fi
if [ ! -d e2e-tests/js/node_modules ]; then (cd e2e-tests/js && npm ci --no-audit --no-fund); fi
echo "==> node e2e (deploy-node) and polkadot.js tests (e2e-tests/js) on substrate-contracts-node"
"$REPO_ROOT/scripts/node.sh" bash -c '
  set -euo pipefail
  CARGO_TARGET_DIR="$CARGO_TARGET_DIR/deploy-node" cargo test --manifest-path deploy-node/Cargo.toml -- --test-threads=1
  cd e2e-tests/js && node --test --test-concurrency=1 test/'
echo "==> node tests took $((SECONDS - node_step_started)) s"
