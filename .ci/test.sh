#!/usr/bin/env bash
# The one test command (README "Test"): installs what it needs on a fresh
# machine, then runs every check. Exits non-zero at the first failing stage.
#
#   bash .ci/test.sh
#
# Stages: toolchain, formatting, clippy, the test suites, cargo-deny, the contract copy,
# lints of the packaging (action.yml, workflows, Dockerfile), the container
# test (the image built and run as the runner does) and a bounded fuzz run.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

stage() { printf '\n=== %s\n' "$*"; }

stage "toolchain"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
if ! command -v cargo-fmt >/dev/null || ! command -v cargo-clippy >/dev/null; then
    echo "rustfmt and clippy are needed: rustup component add rustfmt clippy" >&2
    exit 1
fi
cargo --version

stage "cargo fmt --check"
cargo fmt --all --check

stage "cargo clippy (pedantic, -D warnings)"
cargo clippy --all-targets --locked -- -D warnings

stage "cargo test"
cargo test --locked

stage "cargo deny: licences, bans, sources (deny.toml)"
if [ "$(cargo deny --version 2>/dev/null)" != "cargo-deny 0.20.2" ]; then
    cargo install cargo-deny --locked --version 0.20.2
fi
cargo deny --offline check licenses bans sources

stage "GitHub's OpenAPI contract: the tests' copy matches ../shared"
shared="$root/../shared/contracts/github-rest-api.json"
if [ -f "$shared" ]; then
    cmp "$shared" tests/contracts/github-rest-api.json
    echo "tests/contracts/github-rest-api.json is identical to $shared"
else
    echo "no $shared beside the checkout; the tests use their copy in tests/contracts"
fi

stage "lint: action.yml, workflows, examples, Dockerfile, scripts"
bash .ci/lint.sh

stage "container: build the image from the Dockerfile and run it as the runner does"
bash tests/container/run.sh

stage "fuzz: a bounded run of every target"
bash fuzz/run.sh

stage "all checks passed"
