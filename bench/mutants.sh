#!/usr/bin/env bash
# Mutation testing: cargo-mutants changes one operator or return value at a
# time in the files below and reruns the tests; a change no test notices is a
# "missed" mutant. Prints the score per file: (caught + timed out) / viable.
#
# Not part of the test command: on 2 cores it took about an hour for the five
# core files before the redactor grew secret.rs; on 2026-12-05 there were 602
# mutants, tested at about 3 a minute on a busy machine (several hours).
#
#   bash bench/mutants.sh                  # every file below
#   bash bench/mutants.sh src/github/payload.rs  # some of them
#
# Two passes, so that the score is the whole suite's at a fraction of the cost:
#  1. every mutant against the unit tests and the integration tests that take
#     seconds (MUTANTS_TEST_ARGS overrides the list, in the form
#     "--lib --test=NAME ...");
#  2. only the mutants pass 1 missed, against every test (`--iterate` skips
#     what was caught), tests/hostile_http.rs included.
# Equivalent mutants (a change that cannot alter behaviour) are listed with
# their reason in .cargo/mutants.toml; nothing else is excluded.
set -euo pipefail

cd "$(dirname "$0")/.."

readonly MUTANTS_VERSION=27.1.0
files=("$@")
if [ "${#files[@]}" -eq 0 ]; then
  files=(src/github/payload.rs src/secret.rs src/send/dispatch.rs src/github/client.rs src/auth/clients.rs src/send/runs.rs)
fi
read -r -a test_args <<<"${MUTANTS_TEST_ARGS:---lib --test=dispatch --test=faults --test=hostile --test=hostile_local --test=proxy --test=receiver --test=runs --test=secrets --test=tls_proxy}"

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
common=(--no-shuffle --features scaled-time -j 1 --output "$out" "${file_args[@]}")
# cargo-mutants exits non-zero when a mutant is missed; the score says how many.
echo "--- pass 1: every mutant, the fast suites"
cargo mutants "${common[@]}" --timeout 120 "${cargo_args[@]}" || true
if [ -s "$out/mutants.out/missed.txt" ]; then
  echo "--- pass 2: the $(wc -l <"$out/mutants.out/missed.txt") missed, every test"
  cargo mutants "${common[@]}" --timeout 300 --iterate || true
fi

python3 - "$out/mutants.out" "${files[@]}" <<'EOF'
import collections
import pathlib
import sys

out = pathlib.Path(sys.argv[1])
wanted = sys.argv[2:]
# One mutant a line, "FILE:LINE:COLUMN: description"; after --iterate,
# previously_caught.txt holds what pass 1 caught.
lists = {
    "caught": ["caught.txt", "previously_caught.txt"],
    "timeout": ["timeout.txt"],
    "missed": ["missed.txt"],
    "unviable": ["unviable.txt"],
}
count = collections.defaultdict(collections.Counter)
missed = collections.defaultdict(list)
for kind, names in lists.items():
    for name in names:
        path = out / name
        if not path.exists():
            continue
        for line in filter(str.strip, path.read_text().splitlines()):
            f = line.split(":", 1)[0]
            count[f][kind] += 1
            if kind == "missed":
                missed[f].append(line)
print(f"{'file':<18} {'caught':>6} {'timeout':>7} {'missed':>6} {'unviable':>8}  score")
for f in wanted:
    c = count[f]
    viable = c["caught"] + c["timeout"] + c["missed"]
    score = f"{100 * (c['caught'] + c['timeout']) / viable:.1f}%" if viable else "n/a"
    print(f"{f:<18} {c['caught']:>6} {c['timeout']:>7} {c['missed']:>6} {c['unviable']:>8}  {score}")
for f in wanted:
    for name in missed[f]:
        print(f"missed: {name}")
EOF
echo "--- mutants: $(($(date +%s) - started)) s"
