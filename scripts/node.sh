#!/usr/bin/env bash
# A local substrate-contracts-node 0.42.0 for the node tests, the node deployment and the demo.
#
# Run:    scripts/node.sh [COMMAND ARGS…]
#           with a command: starts a fresh dev chain (`--dev --tmp`, JSON-RPC on 127.0.0.1 only),
#           waits until it answers, runs the command with NODE_URL set, stops the node when the
#           command ends and exits with the command's status.
#           without one: starts the node and keeps it in the foreground until Ctrl-C.
# Source: source scripts/node.sh; node_start; …; (the node stops when the sourcing shell exits,
#           or at node_stop).
#
# The binary: `substrate-contracts-node` from PATH (CI puts ../shared/bin first), else the cache
# ($POLKA_STORAGE_CACHE/bin), else it is installed there from its crate: protobuf-compiler, clang
# and libclang-dev from apt, then `cargo +1.86.0 install contracts-node --version 0.42.0 --locked`
# with WASM_BUILD_WORKSPACE_HINT on the unpacked crate, so the runtime's wasm build resolves with
# the crate's own lockfile (otherwise it picks substrate-bip39 0.6.1, which needs Rust 1.87).
# About 90 minutes on 2 cores, once per machine.
#
# Environment: NODE_PORT (JSON-RPC port, default 9944), NODE_LOG (the node's log file, default
# $POLKA_STORAGE_CACHE/node-$NODE_PORT.log), NODE_START_TIMEOUT (seconds to wait for the RPC, default 60).
# An RPC already answering on NODE_PORT is an error: the tests need a fresh chain of their own.

# Strict mode only when run, not when sourced (the caller's shell keeps its options).
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then set -euo pipefail; fi
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

CONTRACTS_NODE_VERSION=0.42.0
NODE_PORT="${NODE_PORT:-9944}"
NODE_URL="ws://127.0.0.1:$NODE_PORT"
NODE_LOG="${NODE_LOG:-$POLKA_STORAGE_CACHE/node-$NODE_PORT.log}"
NODE_START_TIMEOUT="${NODE_START_TIMEOUT:-60}"
export NODE_URL
NODE_PID=""

# Prints the path of a substrate-contracts-node 0.42.x, installing it into the cache if needed.
node_binary() {
  local found
  for found in "$(command -v substrate-contracts-node 2>/dev/null)" "$POLKA_STORAGE_CACHE/bin/substrate-contracts-node"; do
    if [[ -n "$found" && -x "$found" ]] && "$found" --version 2>/dev/null | grep -q " ${CONTRACTS_NODE_VERSION%.*}\."; then
      echo "$found"
      return 0
    fi
  done
  node_install >&2 || return 1
  echo "$POLKA_STORAGE_CACHE/bin/substrate-contracts-node"
}

# Builds contracts-node 0.42.0 from its crate into $POLKA_STORAGE_CACHE/bin (once per machine).
node_install() {
  echo "==> installing substrate-contracts-node $CONTRACTS_NODE_VERSION into $POLKA_STORAGE_CACHE/bin (about 90 minutes on 2 cores, once per machine)"
  local missing=()
  command -v protoc >/dev/null 2>&1 || missing+=(protobuf-compiler)
  command -v clang >/dev/null 2>&1 || missing+=(clang)
  ldconfig -p 2>/dev/null | grep -q libclang || missing+=(libclang-dev)
  if ((${#missing[@]})); then
    local sudo=""
    [[ "$(id -u)" == 0 ]] || sudo=sudo
    $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" || {
      echo "error: could not install ${missing[*]} (needed to build contracts-node)" >&2
      return 1
    }
  fi
  # The crate's sources with its own Cargo.lock: cargo's unpacked copy when there is one, else the
  # published .crate from crates.io unpacked into the cache.
  local crate
  crate="$(ls -d "$HOME"/.cargo/registry/src/index.crates.io-*/contracts-node-$CONTRACTS_NODE_VERSION 2>/dev/null | head -n1)"
  if [[ -z "$crate" ]]; then
    crate="$POLKA_STORAGE_CACHE/src/contracts-node-$CONTRACTS_NODE_VERSION"
    if [[ ! -f "$crate/Cargo.lock" ]]; then
      mkdir -p "$POLKA_STORAGE_CACHE/src"
      curl -sfL "https://crates.io/api/v1/crates/contracts-node/$CONTRACTS_NODE_VERSION/download" \
        | tar -xz -C "$POLKA_STORAGE_CACHE/src" || {
        echo "error: could not download contracts-node $CONTRACTS_NODE_VERSION from crates.io" >&2
        return 1
      }
    fi
  fi
  mkdir -p "$POLKA_STORAGE_CACHE/bin"
  WASM_BUILD_WORKSPACE_HINT="$crate" CARGO_TARGET_DIR="$POLKA_STORAGE_CACHE/cargo-install" \
    cargo +1.86.0 install contracts-node --version "$CONTRACTS_NODE_VERSION" --locked --root "$POLKA_STORAGE_CACHE"
}

# Whether a JSON-RPC server answers `system_health` on NODE_PORT.
node_answers() {
  curl -sf -m 2 -H 'Content-Type: application/json' \
    -d '{"id":1,"jsonrpc":"2.0","method":"system_health","params":[]}' \
    "http://127.0.0.1:$NODE_PORT" >/dev/null 2>&1
}

# Starts a fresh dev chain in the background and waits until it answers; stops it at exit.
node_start() {
  if node_answers; then
    echo "error: something already answers JSON-RPC on 127.0.0.1:$NODE_PORT; stop it or set NODE_PORT" >&2
    return 1
  fi
  local binary
  binary="$(node_binary)" || return 1
  mkdir -p "$(dirname "$NODE_LOG")"
  # --dev: Alice's dev chain, a block sealed per transaction; --tmp: a fresh chain every start.
  # Without --rpc-external the RPC listens on 127.0.0.1 only; p2p too, on a free port (two nodes
  # on different NODE_PORTs do not collide).
  "$binary" --dev --tmp --rpc-port "$NODE_PORT" --listen-addr /ip4/127.0.0.1/tcp/0 \
    --no-prometheus --no-telemetry --no-mdns >"$NODE_LOG" 2>&1 &
  NODE_PID=$!
  trap node_stop EXIT
  local waited=0
  until node_answers; do
    if ! kill -0 "$NODE_PID" 2>/dev/null; then
      echo "error: substrate-contracts-node exited at start; its log ($NODE_LOG):" >&2
      tail -n 20 "$NODE_LOG" >&2
      NODE_PID=""
      return 1
    fi
    if ((waited >= NODE_START_TIMEOUT * 5)); then
      echo "error: substrate-contracts-node did not answer on $NODE_URL within ${NODE_START_TIMEOUT}s (log: $NODE_LOG)" >&2
      node_stop
      return 1
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  echo "==> $("$binary" --version) on $NODE_URL (pid $NODE_PID, log $NODE_LOG)"
}

# Stops the node this script started (only that process, by its id).
node_stop() {
  if [[ -n "$NODE_PID" ]] && kill -0 "$NODE_PID" 2>/dev/null; then
    kill "$NODE_PID" 2>/dev/null || true
    wait "$NODE_PID" 2>/dev/null || true
  fi
  NODE_PID=""
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  node_start
  if (($#)); then
    status=0
    "$@" || status=$?
    node_stop
    exit "$status"
  fi
  echo "==> Ctrl-C stops the node"
  wait "$NODE_PID"
fi
