#!/usr/bin/env bash
# The suite's benchmark: prints a gas table and writes gas-report.json at the repository root.
# Arguments pick sections by contract name (e.g. `scripts/bench.sh proof_verifier`); none: all.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$REPO_ROOT/scripts/setup.sh"
"$REPO_ROOT/scripts/build-contracts.sh" e2e-tests/contracts/registry_double deploy/bench-contracts/groth16_baseline
cd "$REPO_ROOT"
# The bundles were just built: tests and tools load them instead of building again.
export SKIP_CONTRACT_BUILD=1
cargo run --release --quiet -p polka-storage-deploy --bin bench -- "$@"
