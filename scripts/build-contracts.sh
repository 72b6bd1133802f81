#!/usr/bin/env bash
# Builds the four contracts in release mode with cargo-contract into $CARGO_TARGET_DIR/ink.
# Arguments name more contract directories to build: the contracts only tests and the benchmark
# deploy (each its own workspace, never part of the suite).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
for manifest in contracts/proof_verifier contracts/randomness contracts/market contracts/provider_registry "$@"; do
  echo "==> cargo contract build --release $manifest"
  cargo contract build --release --quiet --manifest-path "$manifest/Cargo.toml"
done
