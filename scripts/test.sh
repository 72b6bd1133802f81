#!/usr/bin/env bash
# Every test: set the machine up, build the contracts, then run the workspace's tests
# (unit tests of the logic, the contracts on the sandbox chain, storage-cli's proofs).
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$REPO_ROOT/scripts/setup.sh"
# The market's tests also deploy the TEST-ONLY registry double.
"$REPO_ROOT/scripts/build-contracts.sh" e2e-tests/contracts/registry_double
# Groth16 parameters of the 2 KiB proofs: generated once per machine, then read from the cache.
"$REPO_ROOT/scripts/params.sh"
cd "$REPO_ROOT"
# The bundles were just built: tests and tools load them instead of building again.
export SKIP_CONTRACT_BUILD=1
echo "==> cargo test --workspace --release"
cargo test --workspace --release
