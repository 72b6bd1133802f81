#!/usr/bin/env bash
# Prepares a machine that has rustup: the pinned toolchain (with rustfmt and clippy) and
# cargo-contract 5.0.3.
# Idempotent, and quick when everything is already there.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

# rust-toolchain.toml pins 1.86.0 with rust-src and wasm32-unknown-unknown.
if ! rustup run 1.86.0 rustc --version >/dev/null 2>&1 \
    || ! rustup component list --toolchain 1.86.0 --installed 2>/dev/null | grep -q '^rust-src' \
    || ! rustup target list --toolchain 1.86.0 --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown'; then
  echo "==> installing the pinned toolchain (rust-toolchain.toml)"
  rustup toolchain install
fi
# The test command checks formatting and lints first: the pinned toolchain's rustfmt and clippy.
for component in rustfmt clippy; do
  if ! rustup component list --toolchain 1.86.0 --installed 2>/dev/null | grep -q "^$component"; then
    echo "==> installing $component for the pinned toolchain"
    rustup component add "$component" --toolchain 1.86.0
  fi
done

CARGO_CONTRACT_VERSION=5.0.3
if ! cargo contract --version 2>/dev/null | grep -q "cargo-contract-contract $CARGO_CONTRACT_VERSION\|$CARGO_CONTRACT_VERSION"; then
  echo "==> installing cargo-contract $CARGO_CONTRACT_VERSION (about 15 minutes on 2 cores, once per machine)"
  # Its own target directory, so that it does not mix with the suite's builds.
  CARGO_TARGET_DIR="$POLKA_STORAGE_CACHE/cargo-install" \
    cargo +1.86.0 install cargo-contract --version "$CARGO_CONTRACT_VERSION" --locked
fi
echo "==> toolchain $(rustc --version), $(cargo contract --version)"
