#!/usr/bin/env bash
# The one test command: bash contrib/test.sh
#
# Installs what the build and the tests need (contrib/setup-debian.sh), then
# builds, checks formatting and lints, and runs every test. Exits non-zero
# if any step fails.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

step "setup (contrib/setup-debian.sh)"
bash contrib/setup-debian.sh

# The compatibility tests run the reference implementation on duct's files.
export DUCT_CON_DUCT="$PWD/target/con-duct-venv/bin/con-duct"

step "cargo build --locked"
cargo build --locked

step "cargo fmt --check"
cargo fmt --check

step "cargo clippy --locked --workspace --all-targets -- -D warnings"
cargo clippy --locked --workspace --all-targets -- -D warnings

if cargo nextest --version >/dev/null 2>&1; then
    step "cargo nextest run --locked --workspace --no-fail-fast"
    cargo nextest run --locked --workspace --no-fail-fast
else
    step "cargo test --locked --workspace (cargo-nextest not installed)"
    cargo test --locked --workspace --no-fail-fast
fi
