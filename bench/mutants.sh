#!/usr/bin/env bash
# Mutation testing: cargo-mutants changes one operator or return value at a
# time in the files below and reruns the tests; a change no test notices is a
# "missed" mutant. Prints the score per file: (caught + timed out) / viable.
#
# Not part of the test command: on 2 cores it takes tens of minutes per file.
#
#   bash bench/mutants.sh                  # every file below
#   bash bench/mutants.sh src/payload.rs   # some of them
#
# Each mutant runs the library's unit tests and the integration tests that
# take a second or two (MUTANTS_TEST_ARGS overrides the list, in the form
# "--lib --test=NAME ..."). The slower
# suites (tests/runs.rs, tests/hostile_http.rs) are left out to keep a run in
# minutes, so the score printed is a lower bound of the score of the whole
# suite. Equivalent mutants (a change that cannot alter behaviour) are listed
# with their reason in .cargo/mutants.toml; nothing else is excluded.
set -euo pipefail

cd "$(dirname "$0")/.."

readonly MUTANTS_VERSION=27.1.0
files=("$@")
if [ "${#files[@]}" -eq 0 ]; then
  files=(src/payload.rs src/secret.rs src/dispatch.rs src/github.rs src/runs.rs)
fi
read -r -a test_args <<<"${MUTANTS_TEST_ARGS:---lib --test=dispatch --test=faults --test=hostile --test=hostile_local --test=proxy --test=secrets --test=tls_proxy}"

if ! cargo mutants --version 2>/dev/null | grep -q "$MUTANTS_VERSION"; then
  echo "--- installing cargo-mutants $MUTANTS_VERSION"
  cargo install --locked "cargo-mutants@$MUTANTS_VERSION"
fi

out="${CARGO_TARGET_DIR:-target}/mutants"
mkdir -p "$out"
file_args=()
for f in "${files[@]}"; do
  file_args+=(--file "$f")
done
# --cargo-arg, not `-- ARGS`: arguments after `--` reach only the test run,
# so every mutant would build all the test targets (about three times
# slower); --cargo-arg limits the build to the targets that run.
cargo_args=()
for a in "${test_args[@]}"; do
  cargo_args+=("--cargo-arg=$a")
done
started=$(date +%s)
# cargo-mutants exits non-zero when a mutant is missed; the score says how many.
cargo mutants --no-shuffle --features scaled-time -j 1 --timeout 120 --output "$out" "${file_args[@]}" "${cargo_args[@]}" || true

python3 - "$out/mutants.out/outcomes.json" "${files[@]}" <<'EOF'
import collections
import json
import sys

outcomes = json.load(open(sys.argv[1]))["outcomes"]
wanted = sys.argv[2:]
count = collections.defaultdict(collections.Counter)
missed = collections.defaultdict(list)
for o in outcomes:
    mutant = o["scenario"].get("Mutant") if isinstance(o["scenario"], dict) else None
    if not mutant:
        continue
    count[mutant["file"]][o["summary"]] += 1
    if o["summary"] == "MissedMutant":
        missed[mutant["file"]].append(mutant["name"])
print(f"{'file':<18} {'caught':>6} {'timeout':>7} {'missed':>6} {'unviable':>8}  score")
for f in wanted:
    c = count[f]
    caught, timeout, miss = c["CaughtMutant"], c["Timeout"], c["MissedMutant"]
    viable = caught + timeout + miss
    score = f"{100 * (caught + timeout) / viable:.1f}%" if viable else "n/a"
    print(f"{f:<18} {caught:>6} {timeout:>7} {miss:>6} {c['Unviable']:>8}  {score}")
for f in wanted:
    for name in missed[f]:
        print(f"missed: {name}")
EOF
echo "--- mutants: $(($(date +%s) - started)) s"
