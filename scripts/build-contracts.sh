#!/usr/bin/env bash
# Builds the four contracts in release mode with cargo-contract into $CARGO_TARGET_DIR/ink.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
for contract in proof_verifier randomness market provider_registry; do
  echo "==> cargo contract build --release contracts/$contract"
  cargo contract build --release --quiet --manifest-path "contracts/$contract/Cargo.toml"
done
