#!/usr/bin/env bash
# Fan-out benchmark: 200 repositories against a fake GitHub API that
# enforces GitHub's secondary limit of 80 content-creating requests a minute,
# scaled down in time.
#
#   bash bench/fanout.sh
#
# Steps: builds the static release binary (--locked); starts bench/fanout_fake.py
# on http://127.0.0.1 (plain HTTP: the binary allows it to loopback); runs the
# binary as the runner would, with INPUT_REPOSITORY = o/r000 ... o/r199 (one per
# line), INPUT_DISPATCH-INTERVAL=0 (only the 80-a-minute window paces it),
# INPUT_TIMEOUT=1h, INPUT_CHECK-RECEIVER=off (the pacing of the dispatches
# alone, without the receiver check's reads) and
# REPOSITORY_DISPATCH_TIME_SCALE=SCALE; then checks that
#   - every repository was dispatched exactly once (200 requests, 200 distinct)
#     and the `results` output lists 200 dispatched,
#   - the fake counted zero rate-limit rejections and zero concurrent writes,
#   - the exit code is 0,
#   - the total time is within 10% of the minimum the limit allows:
#       T_min = floor((N - 1) / 80) x 60 s x SCALE
#     (request k cannot arrive before floor((k-1)/80) windows after the first:
#     the 161st not before 120 s; for N = 200 that is 2 windows, 6 s at 0.05).
# Then, for information (no pass/fail on time), the same fan-out with the
# default dispatch-interval of 1s: T_min = 199 x 1 s x SCALE (9.95 s at 0.05).
#
# Environment:
#   FANOUT_SCALE=0.05         time scale (0.05: a minute is 3 s)
#   FANOUT_REPOS=200          number of repositories
#   FANOUT_SKIP_DEFAULT=1     skip the informational run with dispatch-interval 1s
#   BENCH_BINARY=PATH         use this binary (built with --features scaled-time)
#   KEEP_TEMP=1               keep the temp dir (fake's request log, outputs)
#
# Exits 1 if a check fails (for the 1s run every check but the time one).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
here="$root/bench"
scale="${FANOUT_SCALE:-0.05}"
repos="${FANOUT_REPOS:-200}"
target="$(uname -m)-unknown-linux-musl"
step() { printf '\n== %s\n' "$*"; }

step "binary"
if [ -n "${BENCH_BINARY:-}" ]; then
    binary="$BENCH_BINARY"
else
    command -v musl-gcc >/dev/null 2>&1 || bash "$root/.ci/apt-install.sh" musl-tools
    rustup target list --installed | grep -qx "$target" || rustup target add "$target"
    # scaled-time: this benchmark runs GitHub's minute-long rules in seconds.
    (cd "$root" && cargo build --release --locked --features scaled-time --target "$target")
    binary="${CARGO_TARGET_DIR:-$root/target}/$target/release/repository-dispatch"
fi
echo "binary: $binary"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/rd-fanout.XXXXXX")"
fake_pid=""
stop_fake() {
    if [ -n "$fake_pid" ]; then
        kill "$fake_pid" 2>/dev/null || true
        wait "$fake_pid" 2>/dev/null || true
        fake_pid=""
    fi
}
# shellcheck disable=SC2317 # runs from the EXIT trap
cleanup() {
    local status=$?
    stop_fake
    if [ "${KEEP_TEMP:-}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

repo_list="$(for i in $(seq 0 $((repos - 1))); do printf 'o/r%03d\n' "$i"; done)"

# fan_out NAME INTERVAL TOLERANCE: a fresh fake, one run of the binary, the checks.
# TOLERANCE "" means time is informational. Returns the check's exit status.
fan_out() {
    local name=$1 interval=$2 tolerance=$3
    local dir="$tmp/$name"
    mkdir -p "$dir"
    python3 "$here/fanout_fake.py" serve --scale "$scale" --port-file "$dir/port" --log "$dir/requests.jsonl" \
        2>"$dir/fake.log" &
    fake_pid=$!
    for _ in $(seq 100); do
        [ -s "$dir/port" ] && break
        kill -0 "$fake_pid" 2>/dev/null || { cat "$dir/fake.log"; echo "fake did not start"; return 2; }
        sleep 0.05
    done
    local port
    port="$(cat "$dir/port")"
    : >"$dir/set_output"
    : >"$dir/step_summary"
    echo "fake GitHub API on http://127.0.0.1:$port: at most 80 dispatches in any $(awk -v s="$scale" 'BEGIN{printf "%g", 60*s}') s window (60 s x $scale)"
    echo "running: $repos repositories, dispatch-interval $interval, REPOSITORY_DISPATCH_TIME_SCALE=$scale"
    local started ended rc
    started=$(date +%s%N)
    set +e
    env -i PATH=/usr/bin:/bin HOME="$dir" GITHUB_ACTIONS=true CI=true \
        GITHUB_API_URL="http://127.0.0.1:$port" GITHUB_REPOSITORY=o/bench \
        GITHUB_OUTPUT="$dir/set_output" GITHUB_STEP_SUMMARY="$dir/step_summary" \
        REPOSITORY_DISPATCH_TIME_SCALE="$scale" \
        INPUT_TOKEN="ghs_fanout$(openssl rand -hex 16 2>/dev/null || echo 0123456789abcdef)" \
        INPUT_REPOSITORY="$repo_list" 'INPUT_EVENT-TYPE=bench' \
        'INPUT_CLIENT-PAYLOAD={"image_tag":"v1.2.3","environment":"staging"}' \
        "INPUT_DISPATCH-INTERVAL=$interval" INPUT_TIMEOUT=1h 'INPUT_CHECK-RECEIVER=off' \
        "$binary" >"$dir/stdout" 2>"$dir/stderr"
    rc=$?
    set -e
    ended=$(date +%s%N)
    stop_fake
    local elapsed
    elapsed="$(awk -v ns="$((ended - started))" 'BEGIN{printf "%.3f", ns/1e9}')"
    echo "exit code $rc; $(grep -c '^dispatched ' "$dir/stdout" || true) 'dispatched' lines; stderr: $(wc -l <"$dir/stderr") lines"
    grep -v '^dispatched \|^::add-mask::' "$dir/stdout" | head -n 20 | sed 's/^/   stdout| /' || true
    head -n 20 "$dir/stderr" | sed 's/^/   stderr| /'
    local interval_s
    interval_s="$(python3 -c 'import sys,re; t=sys.argv[1]; m=re.fullmatch(r"([0-9.]+)(ms|s|m|h)?", t); v=float(m.group(1)); print(v*{"ms":0.001,"s":1,None:1,"m":60,"h":3600}[m.group(2)])' "$interval")"
    python3 "$here/fanout_fake.py" check --log "$dir/requests.jsonl" --scale "$scale" --repos "$repos" \
        --elapsed "$elapsed" --exit-code "$rc" --outputs "$dir/set_output" --interval "$interval_s" \
        ${tolerance:+--tolerance "$tolerance"}
}

echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), Linux $(uname -r); load average $(cut -d' ' -f1-3 /proc/loadavg)"

step "fan-out, dispatch-interval 0 (paced by the 80-a-minute window only)"
status=0
fan_out interval-0 0 0.10 || status=$?

if [ "${FANOUT_SKIP_DEFAULT:-}" != 1 ]; then
    step "fan-out, dispatch-interval 1s (the default; informational)"
    fan_out interval-1s 1s "" || status=$?
fi

echo
if [ "$status" -eq 0 ]; then echo "fanout: PASS"; else echo "fanout: FAIL"; fi
exit "$status"
