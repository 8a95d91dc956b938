#!/usr/bin/env bash
# The bounded fuzz run of the test command: builds the cargo-fuzz targets, runs
# the saved regressions and the committed corpus once, then fuzzes each target
# for FUZZ_SECONDS (60) starting from a temporary copy of its corpus, so that a
# run never changes the git tree. Exits non-zero if any target crashes, fails an assertion, leaks,
# times out or runs out of memory.
#
#   bash fuzz/run.sh                       # every target, 60 s each
#   FUZZ_SECONDS=300 bash fuzz/run.sh payload
#
# Crash inputs are kept in fuzz/artifacts/<target>/ (git-ignored); reproduce one
# with `cargo +nightly fuzz run <target> fuzz/artifacts/<target>/crash-...` and see
# fuzz/README.md for what to do next.
set -euo pipefail
shopt -s nullglob

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
seconds=${FUZZ_SECONDS:-60}
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    targets=(payload inputs cli receive triggers)
fi

say() { printf 'fuzz: %s\n' "$*"; }

# libfuzzer-sys compiles libFuzzer, which is C++.
command -v c++ >/dev/null 2>&1 || bash .ci/apt-install.sh g++
# Nightly (libFuzzer's instrumentation needs it); a fresh machine may lack it.
if ! cargo +nightly --version >/dev/null 2>&1; then
    say "installing the nightly toolchain"
    rustup toolchain install nightly --profile minimal
fi
CARGO_FUZZ_VERSION=0.13.2
if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
    say "installing cargo-fuzz $CARGO_FUZZ_VERSION"
    cargo install cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION"
fi
say "$(cargo fuzz --version) with $(cargo +nightly --version)"

# Every committed input is first run once at full length (the payload seeds
# reach GitHub's 65,535-byte limit); the fuzzing itself then keeps inputs at
# most 4 KiB, which runs about six times as many of them a minute.
max_len=4096

start=$(date +%s)
for t in "${targets[@]}"; do
    cargo +nightly fuzz build "$t"
done
say "build: $(($(date +%s) - start)) s"

work=$(mktemp -d "${TMPDIR:-/tmp}/repository-dispatch-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Runs inputs once each, at full length: the saved regressions (files) or a
# corpus (a directory).
replay() {
    local t=$1
    shift
    cargo +nightly fuzz run "$t" "$@" -- -runs=0 -rss_limit_mb=2048 -timeout=10
}

# The finding first (panic message or sanitizer report), then the end of the log.
show() {
    grep -m 1 -A 6 -E "panicked at|ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)" "$1" || true
    echo "..."
    tail -n 25 "$1"
}

failed=()
summary=()
for t in "${targets[@]}"; do
    log="$work/$t.log"
    mkdir -p "$work/$t" "fuzz/artifacts/$t"
    cp -R "$root/fuzz/corpus/$t/." "$work/$t/"
    regressions=()
    if [ -d "fuzz/regressions/$t" ]; then
        regressions=("$root/fuzz/regressions/$t"/*)
    fi
    if [ "${#regressions[@]}" -gt 0 ] && ! replay "$t" "${regressions[@]}" >"$log" 2>&1; then
        show "$log"
        say "$t: a saved regression fails (fuzz/regressions/$t/)"
        failed+=("$t")
        summary+=("$t: FAILED on a saved regression")
        continue
    fi
    if ! replay "$t" "$work/$t" >"$log" 2>&1; then
        show "$log"
        say "$t: a committed corpus input fails; input saved in fuzz/artifacts/$t/"
        failed+=("$t")
        summary+=("$t: FAILED on a corpus input")
        continue
    fi
    say "$t: $(find "$work/$t" -type f | wc -l) corpus and ${#regressions[@]} regression inputs pass; fuzzing for ${seconds} s"
    set +e
    cargo +nightly fuzz run "$t" "$work/$t" -- \
        -max_total_time="$seconds" -max_len="$max_len" -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 >"$log" 2>&1
    rc=$?
    set -e
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    runs=${runs:-$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)}
    cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1 || true)
    if [ "$rc" -ne 0 ]; then
        show "$log"
        say "$t: FAILED (exit $rc) after ${runs:-?} executions; input saved in fuzz/artifacts/$t/"
        failed+=("$t")
        summary+=("$t: FAILED after ${runs:-?} executions")
    else
        summary+=("$t: ${runs:-?} executions in ${seconds} s, nothing found (${cov})")
    fi
done

for line in "${summary[@]}"; do say "$line"; done
say "total: $(($(date +%s) - start)) s"
if [ "${#failed[@]}" -gt 0 ]; then
    say "failed: ${failed[*]}"
    exit 1
fi
