#!/usr/bin/env bash
# The main job: set the machine up, build the contracts, deploy and wire them on the sandbox
# chain and run the storage flow end to end.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$REPO_ROOT/scripts/setup.sh"
"$REPO_ROOT/scripts/build-contracts.sh"
# Groth16 parameters of the 2 KiB proofs (sealing and proving): made once per machine.
"$REPO_ROOT/scripts/params.sh"
cd "$REPO_ROOT"
SKIP_CONTRACT_BUILD=1 cargo run --release --quiet -p polka-storage-deploy --bin demo
