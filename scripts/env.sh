# Sourced by the other scripts: one environment for every build of the suite.
# Builds of cargo-contract and the contracts resolve crates for the pinned Rust 1.86.
export CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback
# One target directory per machine, outside the clone, shared by CI runs and local work.
export POLKA_STORAGE_CACHE="${POLKA_STORAGE_CACHE:-$HOME/.cache/polka-storage}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$POLKA_STORAGE_CACHE/target}"
export PATH="$HOME/.cargo/bin:$PATH"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT
