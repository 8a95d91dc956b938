#!/usr/bin/env bash
# The one test command (README "Development"): installs what it needs on a
# fresh machine, then runs every check. Exits non-zero at the first failing
# stage and prints how long each stage took.
#
#   bash .ci/test.sh
#
# Stages: toolchain and crates, formatting, the house check (.ci/house.py), clippy, the test suites, cargo-deny,
# the contract copy, lints of the packaging and the docs (action.yml,
# workflows, Dockerfile, scripts, every YAML snippet in README.md and docs/),
# the release pinning program, the container test (the image built and run as
# the runner does), the release path end to end (a local registry, the pinned
# action.yml, a pull by digest), the Windows binary (cross-compiled, linted and
# run under wine), the portable action (portable/, run by Node 24 with no docker
# or podman on PATH) and a bounded fuzz run.
#
# It honours CARGO_HOME and CARGO_TARGET_DIR; `bash .ci/run` runs it in a fresh
# clone with both fresh, as on a bare machine.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Tools that `cargo install` adds land in CARGO_HOME/bin; a fresh CARGO_HOME is
# not on PATH yet.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

stage_name=""
stage_started=0
timings=()
end_stage() {
    if [ -n "$stage_name" ]; then
        local took=$(($(date +%s) - stage_started))
        timings+=("$(printf '%5d s  %s' "$took" "$stage_name")")
        printf -- '--- %s: %d s\n' "$stage_name" "$took"
    fi
}
stage() {
    end_stage
    stage_name="$*"
    stage_started=$(date +%s)
    printf '\n=== %s\n' "$*"
}
started=$(date +%s)
report() {
    local status=$?
    end_stage
    stage_name=""
    printf '\n=== stage durations\n'
    printf '%s\n' "${timings[@]}"
    printf '%5d s  total\n' "$(($(date +%s) - started))"
    if [ "$status" -ne 0 ]; then echo "FAILED (exit $status)"; fi
}
trap report EXIT

stage "Python: a virtual environment for the PyPI tools"
# The linters and test helpers from PyPI go into .ci/venv (git-ignored), not
# into the system's Python: Debian's and Ubuntu's own Python refuse pip
# installs (PEP 668, "externally managed"). Every script below runs this
# venv's python3 and pip, and finds its console scripts, through PATH.
venv="$root/.ci/venv"
if [ ! -x "$venv/bin/python3" ]; then
    if ! python3 -m venv "$venv"; then
        echo "python3 -m venv failed; installing Debian's python3-venv"
        rm -rf "$venv"
        bash .ci/apt-install.sh python3-venv
        python3 -m venv "$venv"
    fi
fi
export VIRTUAL_ENV="$venv"
export PATH="$venv/bin:$PATH"
python3 --version

stage "toolchain and crates"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
    echo "rustfmt and clippy are needed: rustup component add rustfmt clippy" >&2
    exit 1
fi
cargo --version
# Every locked crate, for every target: `cargo build` fetches only the host's,
# and the offline steps below (cargo-deny) read the others too.
cargo fetch --locked

stage "cargo fmt --check"
cargo fmt --all --check

stage "house: no import cycle between top-level modules, no source file over 1,200 lines"
# The layout ARCHITECTURE.md draws, held by a check of the code's own imports
# (its self-test first shows that each rule, broken alone, fails it).
python3 .ci/house.py --self-test
python3 .ci/house.py

stage "cargo clippy (pedantic, -D warnings)"
# The tests and benchmarks build with `scaled-time`; the shipped binary
# without it, so both configurations are linted.
cargo clippy --all-targets --locked --features scaled-time -- -D warnings
cargo clippy --locked -- -D warnings

stage "cargo test"
# tests/runs.rs runs the binary in a pseudo-terminal with util-linux `script`
# (Debian's bsdutils, essential, but a slim image may lack it); tests/dispatch.rs
# loads the completion scripts into zsh and fish and the man page into groff;
# src/auth/app.rs's tests make their RSA keys with openssl (no key is committed).
debian=()
command -v script >/dev/null 2>&1 || debian+=(bsdutils)
command -v zsh >/dev/null 2>&1 || debian+=(zsh)
command -v fish >/dev/null 2>&1 || debian+=(fish)
command -v groff >/dev/null 2>&1 || debian+=(groff-base)
command -v openssl >/dev/null 2>&1 || debian+=(openssl)
if [ "${#debian[@]}" -gt 0 ]; then
    bash .ci/apt-install.sh "${debian[@]}"
fi
cargo test --locked --features scaled-time

stage "cargo deny: licences, bans, sources (deny.toml)"
if [ "$(cargo deny --version 2>/dev/null)" != "cargo-deny 0.20.2" ]; then
    cargo install cargo-deny --locked --version 0.20.2
fi
cargo deny --offline check licenses bans sources

stage "GitHub's OpenAPI contract: the tests' copy is the team's reference"
# The tests read tests/contracts/github-rest-api.json, a copy of GitHub's
# published OpenAPI fragments. The team keeps the reference in a folder
# ../shared beside the checkout; where that folder exists, the copy must be
# identical to it. A contributor's clone usually has no ../shared: then there is
# nothing to compare, and the committed copy is what the tests use.
shared="$root/../shared/contracts/github-rest-api.json"
if [ -f "$shared" ]; then
    if ! cmp "$shared" tests/contracts/github-rest-api.json; then
        echo "tests/contracts/github-rest-api.json differs from the reference $shared:" >&2
        echo "copy the reference over it, run the tests and commit both" >&2
        exit 1
    fi
    echo "tests/contracts/github-rest-api.json is identical to the reference $shared"
else
    echo "skipped: there is no ../shared folder beside this checkout, so there is no reference to"
    echo "compare with; the tests use the committed copy tests/contracts/github-rest-api.json"
fi

stage "lint: action.yml, workflows, examples, Dockerfile, scripts"
bash .ci/lint.sh

stage "release pinning: .ci/pin-image.py rewrites only runs.image"
# Its one dependency, at the version the release workflow installs; the tests
# also run check-jsonschema, which the lint stage installed.
if [ "$(python3 -m pip show ruamel.yaml 2>/dev/null | sed -n 's/^Version: //p')" != 0.19.1 ]; then
    python3 -m pip install --quiet 'ruamel.yaml==0.19.1'
fi
python3 -m unittest discover -s tests/release -p 'test_*.py'

stage "container: build the image from the Dockerfile and run it as the runner does"
bash tests/container/run.sh

stage "release path: a local registry, the pinned action.yml, a pull by digest, one dispatch"
bash tests/release/run.sh

stage "Windows: the .exe cross-compiled (x86_64-pc-windows-gnu), linted, and run under wine"
# The Windows code paths (src/util/files.rs, the signals) compile only there;
# ring's build script compiles its C and assembly with mingw-w64, even for clippy.
if ! rustup target list --installed | grep -qx x86_64-pc-windows-gnu; then
    rustup target add x86_64-pc-windows-gnu
fi
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || bash .ci/apt-install.sh gcc-mingw-w64-x86-64
cargo clippy --locked --target x86_64-pc-windows-gnu -- -D warnings
bash tests/windows/run.sh

stage "portable: the node24 shim run as the runner runs it"
bash tests/portable/run.sh

stage "fuzz: a bounded run of every target"
bash fuzz/run.sh

end_stage
stage_name=""
echo
echo "all checks passed"
