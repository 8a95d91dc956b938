#!/usr/bin/env bash
# Benchmark: repository-dispatch against curl, side by side, with budgets.
#
#   bash bench/run.sh
#
# What it does, in order:
#  1. installs what is missing from Debian (nginx-light, curl, openssl, time,
#     musl-tools, podman + runc for the image size, hyperfine only with
#     BENCH_HYPERFINE=1) and the musl Rust target with rustup;
#  2. times a clean `cargo build --release --locked --target <arch>-unknown-linux-musl`
#     (fresh, empty CARGO_TARGET_DIR in a temp dir; dependencies fetched first, so
#     only compiling is timed); that build's static binary is the one measured;
#  3. measures the binary's size and the image's size (the Dockerfile's final
#     stage built with podman from that binary, as tests/container/run.sh does);
#  4. makes a throwaway CA and a server certificate for 127.0.0.1, starts nginx
#     on 127.0.0.1 with TLS (config, pid, logs and temp files in the temp dir;
#     `POST /repos/*/*/dispatches` -> 204, anything else -> 404/405);
#  5. runs bench/bench.py: checks once that both commands get 204 for the same
#     request, then alternates repository-dispatch (runner environment, CA via
#     SSL_CERT_FILE; check-receiver off by default, so one POST like curl's) and curl (same
#     method, URL, headers and body, --cacert the same CA) run by run, and quotes medians of wall time, CPU time (user+sys)
#     and peak RSS (fork + wait4 rusage, through bench/rusage_exec.c);
#  6. prints one table (metric, repository-dispatch, curl, ratio, budget,
#     result) and exits 1 if a budget is missed (2 if the harness itself failed).
#
# Budgets (medians, same run): wall <= 0.5 x curl; CPU <= 0.4 x curl;
# peak RSS <= 5 MiB; binary and image <= 4,500,000 bytes each (4.5 MB);
# clean build <= 45 s.
#
# Environment:
#   BENCH_PAIRS=50          timed pairs (A, B) after the warm-up
#   BENCH_WARMUP=5          warm-up pairs (not counted)
#   BENCH_SKIP_CLEAN_BUILD=1  do not time a clean build: build (incrementally)
#                           into CARGO_TARGET_DIR or target/ instead; "n/a" in the table
#   BENCH_SKIP_IMAGE=1      do not build the image; "n/a" in the table
#   BENCH_BINARY=PATH       measure this static binary (implies BENCH_SKIP_CLEAN_BUILD)
#   BENCH_HYPERFINE=1       also print hyperfine's view of the two commands (wall only)
#   BENCH_JSON=PATH         write every run's figures there as JSON
#   BENCH_CHECK_RECEIVER=off  repository-dispatch's check-receiver: off (one POST,
#                           like curl's), or warn (action.yml's default) / fail:
#                           nginx then answers the check's four reads as GitHub
#                           would for a receiver that listens; the reads are paced
#                           250 ms apart, so the wall and CPU rows are informational
#   KEEP_TEMP=1             keep the temp dir (certificates, nginx logs, outputs)
#
# Not part of the test command: timings are noisy on a shared machine. The
# harness prints the load average before and after; alternating the commands
# spreads any background load over both.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
here="$root/bench"
pairs="${BENCH_PAIRS:-50}"
warmup="${BENCH_WARMUP:-5}"
check_receiver="${BENCH_CHECK_RECEIVER:-off}"
case "$check_receiver" in
off) reads=0 ;;
warn | fail) reads=4 ;; # the repository, the folder, bench.yml, the workflows' states
*) echo "bench: BENCH_CHECK_RECEIVER is '$check_receiver': give off, warn or fail" >&2; exit 2 ;;
esac
arch="$(uname -m)"
target="$arch-unknown-linux-musl"
step() { printf '\n== %s\n' "$*"; }

# --- prerequisites ---------------------------------------------------------------
step "prerequisites"
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ -x /usr/bin/time ] || missing+=(time)
command -v musl-gcc >/dev/null 2>&1 || missing+=(musl-tools)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ "${BENCH_HYPERFINE:-}" = 1 ]; then
    command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
fi
if [ "${BENCH_SKIP_IMAGE:-}" != 1 ]; then
    command -v podman >/dev/null 2>&1 || missing+=(podman buildah)
    command -v runc >/dev/null 2>&1 || missing+=(runc)
fi
if [ "${#missing[@]}" -gt 0 ]; then
    bash "$root/.ci/apt-install.sh" "${missing[@]}"
fi
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
if [ -z "${BENCH_BINARY:-}" ] && ! rustup target list --installed | grep -qx "$target"; then
    rustup target add "$target"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/rd-bench.XXXXXX")"
nginx_pid=""
image=""
clean_target=""
# shellcheck disable=SC2317 # runs from the EXIT trap
cleanup() {
    local status=$?
    if [ -n "$nginx_pid" ]; then
        kill "$nginx_pid" 2>/dev/null || true
        wait "$nginx_pid" 2>/dev/null || true
    fi
    if [ -n "$image" ]; then podman rmi --force "$image" >/dev/null 2>&1 || true; fi
    if [ -n "$clean_target" ]; then rm -rf "$clean_target"; fi
    if [ "${KEEP_TEMP:-}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# busy_now: the share of all cores that other processes kept busy over the
# last 2 s (from /proc/stat), printed before each timed part: timings taken
# while the machine is busy (another build, a fuzzer) are slower.
busy_now() {
    local a b
    read -r -a a </proc/stat
    sleep 2
    read -r -a b </proc/stat
    local idle=$(((b[4] + b[5]) - (a[4] + a[5])))
    local total=0 i
    for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
    awk -v i="$idle" -v t="$total" 'BEGIN{ if (t > 0) printf "%.0f%%", 100 * (1 - i / t); else print "?" }'
}
cpu_model="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "machine: $(nproc) cores, ${cpu_model:-unknown CPU}, Linux $(uname -r)"
echo "tools: $(rustc --version), $(curl --version | head -n 1 | cut -d' ' -f1-2) ($(curl --version | head -n 1 | grep -o 'OpenSSL/[^ ]*' || true)), nginx $("$nginx_bin" -v 2>&1 | sed 's/.*nginx\///')"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- the binary and the clean build time ---------------------------------------------
build_seconds=na
if [ -n "${BENCH_BINARY:-}" ]; then
    step "binary (BENCH_BINARY)"
    binary="$BENCH_BINARY"
elif [ "${BENCH_SKIP_CLEAN_BUILD:-}" = 1 ]; then
    step "release build (incremental; BENCH_SKIP_CLEAN_BUILD=1)"
    (cd "$root" && RUSTFLAGS="--remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo" cargo build --release --locked --target "$target")
    binary="${CARGO_TARGET_DIR:-$root/target}/$target/release/repository-dispatch"
else
    step "clean release build"
    # Dependencies are downloaded first: only compiling and linking are timed.
    (cd "$root" && cargo fetch --locked --quiet)
    clean_target="$(mktemp -d "${TMPDIR:-/tmp}/rd-bench-target.XXXXXX")"
    echo "cores busy with other work before the build: $(busy_now)"
    (cd "$root" && /usr/bin/time -f '%e %U %S' -o "$tmp/build.time" \
        env -u RUSTC_WRAPPER CARGO_TARGET_DIR="$clean_target" CARGO_INCREMENTAL=0 \
        RUSTFLAGS="--remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo" \
        cargo build --release --locked --offline --target "$target")
    read -r build_seconds build_user build_sys <"$tmp/build.time"
    echo "clean build: ${build_seconds} s wall, $(awk -v u="$build_user" -v s="$build_sys" 'BEGIN{printf "%.1f", u+s}') s CPU (user+sys) (empty CARGO_TARGET_DIR, $(nproc) cores, load average now $(cut -d' ' -f1-3 /proc/loadavg))"
    binary="$clean_target/$target/release/repository-dispatch"
fi
cp "$binary" "$tmp/repository-dispatch"
binary="$tmp/repository-dispatch"
binary_bytes=$(stat -c %s "$binary")
echo "binary: $binary_bytes bytes; $(file -b "$binary" 2>/dev/null || echo 'file(1) not installed')"
if [ -n "$clean_target" ]; then rm -rf "$clean_target"; clean_target=""; fi

# --- the image ------------------------------------------------------------------------
image_bytes=na
if [ "${BENCH_SKIP_IMAGE:-}" = 1 ]; then
    echo "image: skipped (BENCH_SKIP_IMAGE=1)"
else
    step "image (final stage of the Dockerfile, from this binary)"
    export CONTAINERS_CONF="${CONTAINERS_CONF:-$root/.ci/containers.conf}"
    mkdir -p "$tmp/build/out"
    cp "$binary" "$tmp/build/out/repository-dispatch"
    image="localhost/repository-dispatch-bench:$$"
    # As tests/container/run.sh: the context is the Dockerfile's folder and the
    # `build` stage is replaced by a folder holding out/repository-dispatch.
    if podman build --quiet --layers=false --build-context "build=$tmp/build" \
        --tag "$image" --file "$root/Dockerfile" "$root" >"$tmp/podman-build.log" 2>&1; then
        image_bytes="$(podman image inspect --format '{{.Size}}' "$image")"
        echo "image: $image_bytes bytes"
    else
        echo "image: podman build failed, size n/a:"
        sed 's/^/   | /' "$tmp/podman-build.log"
        image=""
    fi
fi

# --- TLS and nginx ----------------------------------------------------------------------
step "nginx on https://127.0.0.1 with a throwaway CA"
tls="$tmp/tls"
bash "$root/.ci/make-test-ca.sh" "$tls" "repository-dispatch bench CA"

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
ngx="$tmp/nginx"
mkdir -p "$ngx/logs" "$ngx/temp"
# The receiver check's reads (BENCH_CHECK_RECEIVER=warn|fail), answered as
# GitHub does for o/r whose default branch holds one active workflow,
# .github/workflows/bench.yml, that listens for `bench`.
workflow="$(printf '%s\n' 'name: bench' 'on:' '  repository_dispatch:' '    types: [bench]' \
    'jobs:' '  a:' '    runs-on: ubuntu-latest' '    steps:' '      - run: echo received')"
workflow_bytes=$(($(printf '%s' "$workflow" | wc -c) + 1))
workflow_b64="$(printf '%s\n' "$workflow" | base64 -w 0)"
# Runs as any user: every path is under the temp dir, the port is unprivileged.
# As root, the workers would switch to `nobody`; they need nothing of the temp
# dir but what the master opens for them (logs, certificates).
cat >"$ngx/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $ngx/nginx.pid;
error_log $ngx/logs/error.log warn;
events { worker_connections 64; }
http {
    log_format bench escape=json '{"status":"\$status","request":"\$request","accept":"\$http_accept",'
        '"authorization":"\$http_authorization","content_type":"\$content_type",'
        '"user_agent":"\$http_user_agent","api_version":"\$http_x_github_api_version",'
        '"body_bytes":"\$content_length","ssl":"\$ssl_protocol \$ssl_cipher"}';
    access_log $ngx/logs/access.log bench;
    client_body_temp_path $ngx/temp/body;
    proxy_temp_path $ngx/temp/proxy;
    fastcgi_temp_path $ngx/temp/fastcgi;
    uwsgi_temp_path $ngx/temp/uwsgi;
    scgi_temp_path $ngx/temp/scgi;
    server_tokens off;
    server {
        listen 127.0.0.1:$port ssl;
        ssl_certificate $tls/server.pem;
        ssl_certificate_key $tls/server.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        default_type application/json;
        location ~ ^/repos/[^/]+/[^/]+/dispatches\$ {
            if (\$request_method != POST) { return 405 '{"message":"Method Not Allowed"}'; }
            return 204;
        }
        location = /repos/o/r { return 200 '{"full_name":"o/r","default_branch":"main"}'; }
        location = /repos/o/r/contents/.github/workflows {
            return 200 '[{"type":"file","name":"bench.yml","path":".github/workflows/bench.yml","size":$workflow_bytes}]';
        }
        location = /repos/o/r/contents/.github/workflows/bench.yml {
            return 200 '{"type":"file","path":".github/workflows/bench.yml","encoding":"base64","content":"$workflow_b64"}';
        }
        location = /repos/o/r/actions/workflows {
            return 200 '{"total_count":1,"workflows":[{"path":".github/workflows/bench.yml","state":"active"}]}';
        }
        location / { return 404 '{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}'; }
    }
}
EOF
"$nginx_bin" -p "$ngx/" -c "$ngx/nginx.conf" -e "$ngx/logs/error.log" &
nginx_pid=$!
api="https://127.0.0.1:$port"
for _ in $(seq 100); do
    if curl -s -o /dev/null --cacert "$tls/ca.pem" "$api/" 2>/dev/null; then break; fi
    kill -0 "$nginx_pid" 2>/dev/null || { cat "$ngx/logs/error.log"; echo "bench: nginx did not start"; exit 2; }
    sleep 0.1
done
probe="$(curl -s -o /dev/null -w '%{http_code}' --cacert "$tls/ca.pem" -X POST "$api/nope")"
[ "$probe" = 404 ] || { echo "bench: nginx answers $probe for an unknown path, expected 404"; exit 2; }
: >"$ngx/logs/access.log"
echo "nginx (pid $nginx_pid) on $api: POST /repos/*/*/dispatches -> 204, other paths -> 404"

# --- the two commands ----------------------------------------------------------------------
token="ghs_bench$(openssl rand -hex 16)"
payload='{"image_tag":"v1.2.3","environment":"staging"}'
body="{\"event_type\":\"bench\",\"client_payload\":$payload}"
user_agent="repository-dispatch/$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)"
mkdir -p "$tmp/runner/home" "$tmp/runner/temp" "$tmp/runner/file_commands"
: >"$tmp/runner/file_commands/set_output"
: >"$tmp/runner/file_commands/step_summary"
echo '{}' >"$tmp/runner/event.json"

# Both commands get the same environment: what the runner gives a container
# action (every input, action.yml's defaults for those not set).
TOKEN="$token" API="$api" CA="$tls/ca.pem" PAYLOAD="$payload" BODY="$body" UA="$user_agent" CHECK="$check_receiver" \
    BINARY="$binary" RUNNER="$tmp/runner" python3 - >"$tmp/spec.json" <<'PY'
import json, os
e = os.environ
env = {
    "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": f"{e['RUNNER']}/home",
    "GITHUB_ACTIONS": "true", "CI": "true",
    "GITHUB_API_URL": e["API"], "GITHUB_SERVER_URL": "https://github.com",
    "GITHUB_REPOSITORY": "o/r", "GITHUB_REPOSITORY_OWNER": "o", "GITHUB_EVENT_NAME": "push",
    "GITHUB_EVENT_PATH": f"{e['RUNNER']}/event.json", "GITHUB_WORKSPACE": f"{e['RUNNER']}/home",
    "GITHUB_WORKFLOW": "bench", "GITHUB_JOB": "bench", "GITHUB_RUN_ID": "1", "GITHUB_RUN_ATTEMPT": "1",
    "GITHUB_OUTPUT": f"{e['RUNNER']}/file_commands/set_output",
    "GITHUB_STEP_SUMMARY": f"{e['RUNNER']}/file_commands/step_summary",
    "RUNNER_OS": "Linux", "RUNNER_ARCH": "X64", "RUNNER_TEMP": f"{e['RUNNER']}/temp",
    "SSL_CERT_FILE": e["CA"],
    # The step's inputs; the rest are action.yml's defaults, which the runner passes too.
    "INPUT_TOKEN": e["TOKEN"], "INPUT_REPOSITORY": "o/r", "INPUT_EVENT-TYPE": "bench",
    "INPUT_CLIENT-PAYLOAD": e["PAYLOAD"],
    "INPUT_TIMEOUT": "10m", "INPUT_MAX-RETRY-WAIT": "5m", "INPUT_RETRIES": "3",
    "INPUT_RETRY-ON-SERVER-ERROR": "false", "INPUT_ALLOW-INSECURE-HTTP": "false",
    "INPUT_DISPATCH-INTERVAL": "1s", "INPUT_FAIL-FAST": "false", "INPUT_WAIT-FOR-RUN": "false",
    "INPUT_DISPATCH-ID-KEY": "dispatch_id", "INPUT_DISCOVERY-TIMEOUT": "2m",
    "INPUT_WAIT-TIMEOUT": "30m", "INPUT_FAIL-ON-RUN-FAILURE": "true",
    # off unless BENCH_CHECK_RECEIVER says otherwise: not action.yml's default
    # (warn), as the comparison is the dispatch alone, one POST against curl's
    # one POST. With warn, the check's reads come first, 250 ms apart.
    "INPUT_CHECK-RECEIVER": e["CHECK"],
}
curl = ["curl", "-sS", "-o", "/dev/null", "--fail", "--http1.1", "--cacert", e["CA"], "-X", "POST",
        "-H", "Accept: application/vnd.github+json",
        "-H", f"Authorization: Bearer {e['TOKEN']}",
        "-H", "Content-Type: application/json",
        "-H", f"User-Agent: {e['UA']}",
        "-H", "X-GitHub-Api-Version: 2022-11-28",
        "--data-raw", e["BODY"], f"{e['API']}/repos/o/r/dispatches"]
print(json.dumps({"commands": [
    {"name": "repository-dispatch", "argv": [e["BINARY"]], "env": env},
    {"name": "curl", "argv": curl, "env": env},
]}, indent=1))
PY

step "the request (repository-dispatch --dry-run)"
env -i PATH=/usr/bin:/bin "INPUT_TOKEN=$token" INPUT_REPOSITORY=o/r 'INPUT_EVENT-TYPE=bench' \
    "INPUT_CLIENT-PAYLOAD=$payload" GITHUB_ACTIONS=true "GITHUB_API_URL=$api" "$binary" --dry-run |
    sed 's/^/   | /'
echo "curl: the same method, URL, headers (Accept, Authorization, Content-Type, User-Agent, X-GitHub-Api-Version) and body: $body"

# --- measure -------------------------------------------------------------------------------
step "measure (alternating, $warmup warm-up pairs + $pairs timed pairs)"
echo "cores busy with other work before timing: $(busy_now)"
musl-gcc -static -O2 -o "$tmp/rusage_exec" "$here/rusage_exec.c" 2>/dev/null ||
    cc -static -O2 -o "$tmp/rusage_exec" "$here/rusage_exec.c"
if [ "${BENCH_HYPERFINE:-}" = 1 ]; then
    # Wall time only, not alternated; a cross-check of the medians below.
    python3 - "$tmp/spec.json" >"$tmp/hyperfine.args" <<'PY'
import json, shlex, sys
spec = json.load(open(sys.argv[1]))
for c in spec["commands"]:
    env = ["env", "-i"] + [f"{k}={v}" for k, v in c["env"].items()]
    print(shlex.join(env + c["argv"]))
PY
    mapfile -t hf <"$tmp/hyperfine.args"
    hyperfine -N --warmup 5 --runs "$pairs" -n repository-dispatch "${hf[0]}" -n curl "${hf[1]}" || true
    : >"$ngx/logs/access.log"
fi
set +e
python3 "$here/bench.py" --helper "$tmp/rusage_exec" --spec "$tmp/spec.json" \
    --access-log "$ngx/logs/access.log" --tmp "$tmp" --pairs "$pairs" --warmup "$warmup" --reads "$reads" \
    --binary-bytes "$binary_bytes" --image-bytes "$image_bytes" --build-seconds "$build_seconds" \
    ${BENCH_JSON:+--json "$BENCH_JSON"}
status=$?
set -e
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(nproc) cores, ${cpu_model:-unknown CPU}, Linux $(uname -r)"
exit "$status"
