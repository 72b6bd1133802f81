#!/usr/bin/env bash
# Groth16 parameters of 2 KiB PoRep and Window PoSt, once per machine, in
# $POLKA_STORAGE_CACHE/filecoin-proof-parameters (outside the clone, shared by tests, CI and people).
# Idempotent: cached parameters are never regenerated; a second run waits for a running one.
# First run: 13 minutes on 2 free cores, 45 on busy ones, 5 GB of memory (the PoRep file is 1.1 GB).
#
# These are TEST parameters from a deterministic setup with a public seed (the same on every
# machine; anyone can forge proofs under them). Production must use the parameters of
# Filecoin's trusted-setup ceremony.
#
# Also writes the verifying keys in the verifier's byte format (spec §4.4) to
# $POLKA_STORAGE_CACHE/verifying-keys/{porep,window_post}.vk, for `set_verifying_key`.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
echo "==> building storage-cli"
cargo build --release -p storage-cli --quiet
mkdir -p "$POLKA_STORAGE_CACHE"
echo "==> parameters in ${FIL_PROOFS_PARAMETER_CACHE:-$POLKA_STORAGE_CACHE/filecoin-proof-parameters}"
"$CARGO_TARGET_DIR/release/storage-cli" params --export "$POLKA_STORAGE_CACHE/verifying-keys" \
  > "$POLKA_STORAGE_CACHE/verifying-keys.json"
echo "==> verifying keys: $POLKA_STORAGE_CACHE/verifying-keys/ (summary in $POLKA_STORAGE_CACHE/verifying-keys.json)"
