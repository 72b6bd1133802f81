#!/usr/bin/env bash
# Every test: set the machine up, build the contracts, then run the workspace's tests
# (unit tests of the logic and the contracts on the sandbox chain).
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$REPO_ROOT/scripts/setup.sh"
"$REPO_ROOT/scripts/build-contracts.sh"
cd "$REPO_ROOT"
echo "==> cargo test --workspace --release"
cargo test --workspace --release
