#!/usr/bin/env bash
# The suite's benchmark: prints a gas table and writes gas-report.json at the repository root.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$REPO_ROOT/scripts/setup.sh"
"$REPO_ROOT/scripts/build-contracts.sh"
cd "$REPO_ROOT"
SKIP_CONTRACT_BUILD=1 cargo run --release --quiet -p polka-storage-deploy --bin bench
