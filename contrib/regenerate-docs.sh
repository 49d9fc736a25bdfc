#!/usr/bin/env bash
# Regenerates the man page and the shell completions from the CLI definition (src/cli.rs).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build -q --locked
bin=target/debug/duct
"$bin" --manual > man/duct.1
"$bin" --completions bash > contrib/completions/duct.bash
"$bin" --completions zsh > contrib/completions/_duct
"$bin" --completions fish > contrib/completions/duct.fish
"$bin" krb-status --manual > man/duct-krb-status.1
con=target/debug/con-duct
"$con" --manual > man/con-duct.1
for sub in ls pp plot; do
    "$con" "$sub" --manual > "man/con-duct-$sub.1"
done
for sub in run krb-status; do
    "$con" --manual-of "$sub" > "man/con-duct-$sub.1"
done
"$con" --completions bash > contrib/completions/con-duct.bash
"$con" --completions zsh > contrib/completions/_con-duct
"$con" --completions fish > contrib/completions/con-duct.fish
