#!/usr/bin/env bash
# Benchmark of the step as the runner pays it, with cold caches: the released
# image pulled by digest and run, against the JavaScript action it replaces and
# against building the Dockerfile on every job.
#
#   bash bench/step.sh
#
# Rows (medians of STEP_RUNS runs; the page cache is dropped before every timed
# run when the kernel lets us, and the output says whether it did):
#   a. the release path: the image is removed (`podman rmi`) so the pull is
#      cold, then `podman pull` by digest from a private registry on 127.0.0.1
#      and `podman run` of one dispatch with the runner's flags and INPUT_*
#      variables (check-receiver off: the dispatch alone, as the JavaScript
#      action sends it) against the fake GitHub API over HTTPS; pull, run and their
#      sum (the median of the per-run sums);
#   b. the container runtime alone: `podman run --rm IMAGE --version`, the
#      image already pulled;
#   c. the JavaScript action's step reproduced: @actions/core and
#      @actions/github from npm (the ranges peter-evans/repository-dispatch
#      pins; the resolved versions are printed), a script doing what its
#      main.ts does, `node script.js` with the same INPUT_* variables,
#      GITHUB_API_URL at the same fake, NODE_EXTRA_CA_CERTS for its CA; and,
#      for information, the same script bundled into one file with ncc, the
#      form the action ships (dist/index.js), which loads faster;
#   e. the portable action (portable/, runs.using: node24) with its binary
#      already in the runner's tool cache: `node portable/main.js` under Node 24
#      (the runner's node24), the SHA-256 checked, then the same dispatch;
#   f. the same with an empty tool cache: the gzip asset downloaded from a
#      release host on 127.0.0.1 over HTTPS, through GitHub's redirect to
#      another host name (tests/portable/release_server.py), checked, stored,
#      then run; the asset's compressed size is reported;
#   d. the Dockerfile path: a clean `cargo build --release --locked --target
#      <arch>-unknown-linux-musl` with an empty CARGO_HOME and an empty
#      CARGO_TARGET_DIR, so crate downloads count (STEP_BUILD_RUNS times), and
#      the compressed size of the pinned build image, a recorded constant (the
#      image is not pulled here).
# Every timed run is checked: exit code 0 and, for a, c, e and f, exactly one
# dispatch at the fake with the expected body (f: and exactly the two requests
# of one download at the release host); otherwise the timing would be
# meaningless and the script stops with exit code 2. The node steps (c, e, f)
# run under the same Node 24 (install_node24), the runtime of node24 actions.
#
# Budgets (medians): a (pull + run) <= 2 x c; e <= c bundled; f <= 1.5 x c
# bundled (the JavaScript action ships bundled); d >= 30 x a; image <= 4.5 MB
# (4,500,000 bytes, uncompressed as podman stores it).
#
# Environment:
#   STEP_RUNS=7                 timed runs of a, b, c, e and f
#   STEP_BUILD_RUNS=1           clean builds for d (0 skips the row: "n/a")
#   REPOSITORY_DISPATCH_BINARY  put this static binary in the image instead of
#                               building one (d still builds from scratch)
#   CARGO_TARGET_DIR            where the image's binary is built (d always
#                               uses a new empty one)
#   KEEP_TEMP=1                 keep the temporary directory
#
# Prints one table; exits 1 if a budget is missed, 2 if the harness failed.
# Not part of the test command: timings depend on the machine and its load.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source-path=SCRIPTDIR/../tests/container source=lib.sh
. "$root/tests/container/lib.sh"

runs="${STEP_RUNS:-7}"
build_runs="${STEP_BUILD_RUNS:-1}"
# What peter-evans/repository-dispatch v4 pins in its package.json.
ACTIONS_CORE_RANGE='^1.11.1'
ACTIONS_GITHUB_RANGE='^6.0.1'
NCC_VERSION='0.38.4' # @vercel/ncc, which bundles the action's dist/index.js
# The build image the Dockerfile pins, as docker-library/repo-info records it
# (repos/rust/remote/1-alpine3.23.md, the entry for this index digest with
# RUST_VERSION=1.95.0): the linux/amd64 image's compressed transfer size.
RUST_IMAGE_TAG='1.95.0-alpine3.23'
RUST_IMAGE_DIGEST='sha256:606fd313a0f49743ee2a7bd49a0914bab7deedb12791f3a846a34a4711db7ed2'
RUST_IMAGE_AMD64_BYTES=348596215
export LC_NUMERIC=C # EPOCHREALTIME with a '.'

harness_failure() { echo "bench: $*" >&2; exit 2; }
case "$runs" in '' | *[!0-9]* | 0) harness_failure "STEP_RUNS must be a whole number of at least 1, not '$runs'" ;; esac
case "$build_runs" in '' | *[!0-9]*) harness_failure "STEP_BUILD_RUNS must be a whole number, not '$build_runs'" ;; esac

# --- prerequisites ---------------------------------------------------------------
step "prerequisites"
install_prerequisites curl docker-registry /usr/bin/time:time node:nodejs npm
cpu_model="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
podman_version="$(podman --version | awk '{print $3}')"
install_node24
node_version="$("$node24" --version)"

start_cleanup rd-bench-step
built="localhost/repository-dispatch-bench-step:$$"
cleanup_images+=("$built")

# Cold caches: drop the page cache before each timed run, if this kernel and
# user may (root outside a restricted container).
caches=kept
if (sync && echo 3 >/proc/sys/vm/drop_caches) 2>/dev/null; then caches=dropped; fi
drop_caches() {
    if [ "$caches" = dropped ]; then
        sync
        echo 3 >/proc/sys/vm/drop_caches
    fi
}

# busy_now: the share of all cores that other work kept busy over 2 s (from
# /proc/stat); timings taken on a busy machine are slower.
busy_now() {
    local a b i idle total=0
    read -r -a a </proc/stat
    sleep 2
    read -r -a b </proc/stat
    idle=$(((b[4] + b[5]) - (a[4] + a[5])))
    for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
    awk -v i="$idle" -v t="$total" 'BEGIN{ if (t > 0) printf "%.0f%%", 100 * (1 - i / t); else print "?" }'
}

# --- the image in a registry ------------------------------------------------------------
step "binary and image"
build_binary "$tmp/build"
build_image "$built" "$tmp/build"
image_bytes="$(podman image inspect --format '{{.Size}}' "$built")"
echo "image: $image_bytes bytes as podman stores it"

step "registry on 127.0.0.1"
start_registry
repository="$registry/octo-org/repository-dispatch"
push_index "$built" "$repository:bench"
image="$repository@$index_digest"
cleanup_images+=("$image")
# The download size: the platform manifest's config and layer blobs, compressed.
compressed_bytes="$(python3 - "$registry" "$index_digest" <<'PY'
import json, sys, urllib.request
registry, digest = sys.argv[1], sys.argv[2]
def get(ref, accept):
    request = urllib.request.Request(f"http://{registry}/v2/octo-org/repository-dispatch/manifests/{ref}",
                                     headers={"Accept": accept})
    return json.load(urllib.request.urlopen(request, timeout=10))
index = get(digest, "application/vnd.oci.image.index.v1+json")
manifest = get(index["manifests"][0]["digest"], "application/vnd.oci.image.manifest.v1+json")
print(manifest["config"]["size"] + sum(layer["size"] for layer in manifest["layers"]))
PY
)"
echo "pushed $image; download (compressed): $compressed_bytes bytes"
podman rmi --force "$built" >/dev/null
podman pull --quiet --tls-verify=false "$image" >/dev/null

# --- the fake GitHub API, and the JavaScript action's step -------------------------------
step "fake GitHub API"
# Octokit, as @actions/github ships it, sends `Authorization: token`, the v3
# Accept header and no X-GitHub-Api-Version; GitHub accepts all three.
start_fake "repository-dispatch bench CA" --accept-older-clients

step "the JavaScript action (npm: @actions/core@$ACTIONS_CORE_RANGE @actions/github@$ACTIONS_GITHUB_RANGE)"
js="$tmp/js"
mkdir -p "$js/home" "$js/temp"
echo '{}' >"$js/event.json"
(cd "$js" && npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix "$js" \
    "@actions/core@$ACTIONS_CORE_RANGE" "@actions/github@$ACTIONS_GITHUB_RANGE")
core_version="$(node -p "require('$js/node_modules/@actions/core/package.json').version")"
github_version="$(node -p "require('$js/node_modules/@actions/github/package.json').version")"
echo "resolved: @actions/core $core_version, @actions/github $github_version"
# What peter-evans/repository-dispatch's src/main.ts does.
cat >"$js/script.js" <<'JS'
const core = require('@actions/core')
const github = require('@actions/github')

async function run() {
  try {
    const token = core.getInput('token')
    const [owner, repo] = core.getInput('repository').split('/')
    const octokit = github.getOctokit(token)
    await octokit.rest.repos.createDispatchEvent({
      owner,
      repo,
      event_type: core.getInput('event-type'),
      client_payload: JSON.parse(core.getInput('client-payload'))
    })
  } catch (error) {
    core.setFailed(error.message)
  }
}

run()
JS
# The action ships that code bundled by ncc into one dist/index.js: one file
# to read instead of a node_modules tree.
npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix "$tmp/ncc" "@vercel/ncc@$NCC_VERSION"
"$tmp/ncc/node_modules/.bin/ncc" build "$js/script.js" --out "$js/dist" --quiet
echo "bundled with ncc $NCC_VERSION: dist/index.js, $(stat -c %s "$js/dist/index.js") bytes"

# --- the portable action: a release copy of portable/ and its asset on 127.0.0.1 ----------
step "the portable action (portable/, Node $NODE24_VERSION): a pinned table, the asset on a release host"
case "$(uname -m)" in x86_64) runner_arch=X64 ;; aarch64) runner_arch=ARM64 ;; *) harness_failure "no release platform for $(uname -m)" ;; esac
tag="v$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)"
releases="$tmp/releases"
asset="repository-dispatch-$tag-$target.gz"
mkdir -p "$releases/$tag"
gzip -9 -n -c "$tmp/build/out/repository-dispatch" >"$releases/$tag/$asset"
asset_bytes="$(stat -c %s "$releases/$tag/$asset")"
portable="$tmp/portable-action"
cp -r "$root/portable" "$portable"
# The table a release commit pins (.ci/pin-binaries.py), for this machine's platform.
python3 - "$tmp/build/out/repository-dispatch" "$tag" "Linux-$runner_arch" "$asset" >"$portable/release.json" <<'PY'
import hashlib, json, sys
binary, tag, key, asset = sys.argv[1:]
data = open(binary, "rb").read()
table = {"version": tag[1:], "tag": tag, "repository": "octo-org/repository-dispatch",
         "assets": {key: {"file": asset, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}}}
print(json.dumps(table, indent=2, sort_keys=True))
PY
start_release_host "$releases"
echo "asset $asset: $asset_bytes bytes (gzip -9 of $(stat -c %s "$tmp/build/out/repository-dispatch"))"

# --- one dispatch, three ways, each checked before anything is timed -----------------------
event="bench"
payload='{"image_tag":"v1.2.3","environment":"staging"}'
body="{\"event_type\":\"$event\",\"client_payload\":$payload}"
# check-receiver off (action.yml's default is warn): the comparison is the
# dispatch alone, the one POST the JavaScript action sends, without the
# receiver check's reads.
inputs=("INPUT_EVENT-TYPE=$event" "INPUT_CLIENT-PAYLOAD=$payload" "INPUT_CHECK-RECEIVER=off")

# node_env: the JavaScript step's environment: the container's INPUT_*
# variables (from prepare_run), and the runner's variables with host paths.
node_env() {
    local assignment
    node_vars=("PATH=$PATH" "HOME=$js/home" "NODE_EXTRA_CA_CERTS=$tls/ca.pem"
        "GITHUB_ACTIONS=true" "CI=true" "GITHUB_API_URL=$api" "GITHUB_REPOSITORY=$known_repo"
        "GITHUB_EVENT_NAME=push" "GITHUB_EVENT_PATH=$js/event.json" "RUNNER_TEMP=$js/temp")
    for assignment in "${run_env[@]}"; do
        case "$assignment" in INPUT_*) node_vars+=("$assignment") ;; esac
    done
}
node_dispatch_ok() { # node_dispatch_ok START: the one request since START is the JS action's dispatch
    python3 "$lib_dir/check.py" expect-request "$log" "$1" \
        --method POST --path "/repos/$known_repo/dispatches" \
        --header "Authorization: token $token" --body "$body" >/dev/null
}

# portable_env DIR TOOL_CACHE: the portable step's environment, as the runner
# gives a node24 step: action.yml's inputs and defaults, host paths.
portable_env() {
    mkdir -p "$1"/{workspace,temp,home}
    : >"$1/output"
    : >"$1/state"
    : >"$1/summary"
    mapfile -d '' portable_vars < <(python3 "$lib_dir/check.py" action-env "$portable/action.yml" \
        --github "token=$token" --github "repository=$known_repo")
    portable_vars+=("PATH=$PATH" "HOME=$1/home" "GITHUB_ACTIONS=true" "CI=true"
        "GITHUB_API_URL=$api" "GITHUB_SERVER_URL=https://github.com" "GITHUB_REPOSITORY=$known_repo"
        "GITHUB_EVENT_NAME=push" "GITHUB_EVENT_PATH=$js/event.json" "GITHUB_WORKSPACE=$1/workspace"
        "GITHUB_OUTPUT=$1/output" "GITHUB_STATE=$1/state" "GITHUB_STEP_SUMMARY=$1/summary"
        "RUNNER_OS=Linux" "RUNNER_ARCH=$runner_arch" "RUNNER_TEMP=$1/temp" "RUNNER_TOOL_CACHE=$2"
        "NODE_EXTRA_CA_CERTS=$tls/ca.pem" "SSL_CERT_FILE=$tls/ca.pem"
        "INPUT_BINARY-URL=$release_url/$tag" "${inputs[@]}")
}
release_requests() { wc -l <"$release_log"; }
# portable_run DIR: the portable step (after portable_env DIR ...), from its workspace.
portable_run() {
    (cd "$1/workspace" && env -i "${portable_vars[@]}" "$node24" "$portable/main.js" >"$1/stdout" 2>&1)
}
warm_cache="$tmp/tool-cache-warm"
# time_portable ROW TOOL_CACHE DOWNLOADS WHAT: one timed portable step (run
# ROW-$i), checked: one correct dispatch, and exactly DOWNLOADS requests at the
# release host (0 from the tool cache, 2 for one download and its redirect).
time_portable() {
    local before downloads t0 t1
    before=$(requests_so_far)
    downloads=$(release_requests)
    portable_env "$tmp/runs/$1-$i" "$2"
    drop_caches
    t0=$EPOCHREALTIME
    portable_run "$tmp/runs/$1-$i" || harness_failure "$4 failed: $(cat "$tmp/runs/$1-$i/stdout")"
    t1=$EPOCHREALTIME
    record "$1" "$t0" "$t1"
    expect_dispatch "$before" "$body" >/dev/null || harness_failure "$4: not one correct dispatch"
    [ "$(($(release_requests) - downloads))" -eq "$3" ] || harness_failure "$4: not $3 requests at the release host"
}

step "check: each way dispatches once, correctly"
before=$(requests_so_far)
run_action check-container "${inputs[@]}"
[ "$rc" -eq 0 ] || harness_failure "the container did not dispatch (exit $rc)"
expect_dispatch "$before" "$body" || harness_failure "the container's request is not the expected dispatch"
node_env
for script in script.js dist/index.js; do
    before=$(requests_so_far)
    env -i "${node_vars[@]}" "$node24" "$js/$script" || harness_failure "node $script failed"
    node_dispatch_ok "$before" || harness_failure "node $script: its request is not the expected dispatch"
    echo "node $script: POST /repos/$known_repo/dispatches, body $body, exit 0"
done
before=$(requests_so_far)
downloads=$(release_requests)
portable_env "$tmp/portable-check" "$warm_cache"
portable_run "$tmp/portable-check" || harness_failure "the portable step failed: $(cat "$tmp/portable-check/stdout")"
expect_dispatch "$before" "$body" >/dev/null || harness_failure "the portable step's request is not the expected dispatch"
[ "$(($(release_requests) - downloads))" -eq 2 ] || harness_failure "the portable step did not download through the redirect"
grep -q '^results=' "$tmp/portable-check/output" || grep -q '^results<<' "$tmp/portable-check/output" ||
    harness_failure "the portable step wrote no results output"
echo "portable: $(head -n 1 "$tmp/portable-check/stdout")"
version_line="$(podman run --rm "$image" --version)"
echo "podman run --rm IMAGE --version: $version_line"

# --- timed runs -----------------------------------------------------------------------------
times="$tmp/times.tsv"
: >"$times"
record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$times"; } # record ROW START END (EPOCHREALTIME)

step "timing a, b, c, e, f: $runs runs each, interleaved (page cache $caches before every run)"
busy_before="$(busy_now)"
echo "cores busy with other work before timing: $busy_before; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$runs"); do
    # a. the release path, cold: no local image.
    podman rmi --force "$image" >/dev/null
    ! podman image exists "$image" || harness_failure "the image is still there after podman rmi"
    drop_caches
    t0=$EPOCHREALTIME
    podman pull --quiet --tls-verify=false "$image" >/dev/null || harness_failure "pull $i failed"
    t1=$EPOCHREALTIME
    prepare_run "a-$i" "${inputs[@]}"
    before=$(requests_so_far)
    t2=$EPOCHREALTIME
    podman_run || harness_failure "run $i of the image failed: $(cat "$run/stdout" "$run/stderr")"
    t3=$EPOCHREALTIME
    record a-pull "$t0" "$t1"
    record a-run "$t2" "$t3"
    expect_dispatch "$before" "$body" >/dev/null || harness_failure "run $i of the image: not one correct dispatch"

    # b. the container runtime alone.
    drop_caches
    t0=$EPOCHREALTIME
    out="$(podman run --rm "$image" --version)" || harness_failure "podman run --version failed"
    t1=$EPOCHREALTIME
    record b "$t0" "$t1"
    [ "$out" = "$version_line" ] || harness_failure "--version printed $out"

    # c. the JavaScript action, as script.js and bundled.
    node_env
    for script in script.js dist/index.js; do
        before=$(requests_so_far)
        drop_caches
        t0=$EPOCHREALTIME
        env -i "${node_vars[@]}" "$node24" "$js/$script" >"$js/stdout" 2>&1 ||
            harness_failure "node $script, run $i, failed: $(cat "$js/stdout")"
        t1=$EPOCHREALTIME
        record "c-$script" "$t0" "$t1"
        node_dispatch_ok "$before" || harness_failure "node $script, run $i: not one correct dispatch"
    done

    # e. the portable step, its binary in the tool cache; f. with an empty one.
    time_portable e "$warm_cache" 0 "portable (cached), run $i"
    time_portable f "$tmp/tool-cache-cold-$i" 2 "portable (download), run $i"
    rm -rf "$tmp/tool-cache-cold-$i"
    printf 'run %d/%d done\n' "$i" "$runs"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
busy_build=n/a

# --- d. the Dockerfile path ---------------------------------------------------------------
if [ "$build_runs" -gt 0 ]; then
    step "timing d: clean release build, empty CARGO_HOME and CARGO_TARGET_DIR, $build_runs run(s)"
    busy_build="$(busy_now)"
    echo "cores busy with other work before the build: $busy_build"
    for i in $(seq "$build_runs"); do
        cargo_home="$(mktemp -d "${TMPDIR:-/tmp}/rd-bench-cargo-home.XXXXXX")"
        cargo_target="$(mktemp -d "${TMPDIR:-/tmp}/rd-bench-target.XXXXXX")"
        cleanup_dirs+=("$cargo_home" "$cargo_target")
        drop_caches
        t0=$EPOCHREALTIME
        (cd "$root" && env -u RUSTC_WRAPPER CARGO_HOME="$cargo_home" CARGO_TARGET_DIR="$cargo_target" \
            CARGO_INCREMENTAL=0 /usr/bin/time -f '%e s wall, %U s user, %S s sys' -o "$tmp/build-$i.time" \
            cargo build --release --locked --target "$target" >"$tmp/build-$i.log" 2>&1) ||
            { tail -n 20 "$tmp/build-$i.log"; harness_failure "clean build $i failed"; }
        t1=$EPOCHREALTIME
        record d "$t0" "$t1"
        crates="$(grep -c '^ *Downloaded ' "$tmp/build-$i.log" || true)"
        echo "build $i: $(cat "$tmp/build-$i.time"); $crates crates downloaded into the empty CARGO_HOME"
        rm -rf "$cargo_home" "$cargo_target"
    done
fi

# --- the table ---------------------------------------------------------------------------------
pinned="$(sed -n 's/^FROM [^ ]*rust:\([^@ ]*\)@\(sha256:[0-9a-f]*\).*/\1 \2/p' "$root/Dockerfile" | head -n 1)"
step "results"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: ${cpu_model:-unknown CPU}, $(nproc) cores, Linux $(uname -r)"
echo "cores busy with other work before timing: $busy_before (a, b, c), $busy_build (d)"
echo "tools: podman $podman_version (runc $(runc --version | awk 'NR==1{print $3}')), node $node_version, $(rustc --version)"
if [ "$caches" = dropped ]; then
    echo "page cache: dropped before every timed run (sync; echo 3 > /proc/sys/vm/drop_caches)"
else
    echo "page cache: NOT dropped (not permitted here); runs after the first read from a warm cache"
fi
echo
python3 - "$times" "$image_bytes" "$compressed_bytes" "$core_version" "$github_version" \
    "$pinned" "$RUST_IMAGE_TAG $RUST_IMAGE_DIGEST" "$RUST_IMAGE_AMD64_BYTES" "$asset_bytes" "$node_version" <<'PY'
import statistics, sys
from collections import defaultdict

times_file, image_bytes, compressed_bytes, core, gh, pinned, recorded, rust_bytes, asset_bytes, node = sys.argv[1:]
image_bytes, compressed_bytes, rust_bytes = int(image_bytes), int(compressed_bytes), int(rust_bytes)
ms = defaultdict(list)
for line in open(times_file):
    row, start, end = line.split("\t")
    ms[row].append((float(end) - float(start)) * 1000)
ms["a-sum"] = [p + r for p, r in zip(ms["a-pull"], ms["a-run"])]

def fmt(v):
    return "n/a" if v is None else (f"{v / 1000:.1f} s" if v >= 10000 else f"{v:.0f} ms")

def stats(row):
    v = ms.get(row) or []
    return (statistics.median(v), min(v), max(v), len(v)) if v else (None, None, None, 0)

rows, missed = [], []
def add(label, what, row, budget="", result=""):
    med, lo, hi, n = stats(row)
    rows.append((label, what, fmt(med), fmt(lo), fmt(hi), str(n), budget, result))

a, c, d = stats("a-sum")[0], stats("c-script.js")[0], stats("d")[0]
bundled = stats("c-dist/index.js")[0]
add("a. release path: pull", "`podman pull` by digest, local registry, no local image", "a-pull")
add("a. release path: run", "`podman run`, one dispatch, runner's flags and INPUT_*", "a-run")
ok = a <= 2 * c
add("a. release path: pull + run", "median of the per-run sums", "a-sum",
    f"≤ 2 × c = {fmt(2 * c)} (ratio {a / c:.2f})", "pass" if ok else "MISSED")
ok or missed.append("release path > 2 x node step")
add("b. container runtime alone", "`podman run --rm IMAGE --version`, image pulled", "b")
add("c. JavaScript action step", f"`node script.js` (Node {node}), @actions/core {core}, @actions/github {gh}", "c-script.js")
add("c. the same, bundled", "`node dist/index.js`, script.js bundled by ncc as the action ships it", "c-dist/index.js",
    f"informational: a = {a / bundled:.2f} × this")
e, f = stats("e")[0], stats("f")[0]
ok = e <= bundled
add("e. portable step, tool cache", "`node portable/main.js`, binary cached, SHA-256 checked, one dispatch", "e",
    f"≤ c bundled = {fmt(bundled)} (ratio {e / bundled:.2f})", "pass" if ok else "MISSED")
ok or missed.append("cached portable step > the JavaScript action's step")
ok = f <= 1.5 * bundled
add("f. portable step, download", f"empty tool cache: the {int(asset_bytes) / 1e6:.2f} MB gzip asset over HTTPS with a redirect, checked, stored, run", "f",
    f"≤ 1.5 × c bundled = {fmt(1.5 * bundled)} (ratio {f / bundled:.2f})", "pass" if ok else "MISSED")
ok or missed.append("downloading portable step > 1.5 x the JavaScript action's step")
if d is None:
    add("d. Dockerfile path: clean build", "skipped (STEP_BUILD_RUNS=0)", "d", "≥ 30 × a", "n/a")
else:
    ok = d >= 30 * a
    add("d. Dockerfile path: clean build", "empty CARGO_HOME and CARGO_TARGET_DIR (crate downloads count)", "d",
        f"≥ 30 × a = {fmt(30 * a)} (ratio {d / a:.0f})", "pass" if ok else "MISSED")
    ok or missed.append("clean build < 30 x release path")
if pinned == recorded:
    rust = f"{rust_bytes / 1e6:.1f} MB"
    note = "compressed, linux/amd64; recorded from docker-library/repo-info (repos/rust/remote/1-alpine3.23.md), not pulled here"
else:
    rust = "stale"
    note = f"the Dockerfile pins {pinned!r}, the recorded size is for {recorded!r}: update it"
tag, _, digest = recorded.partition(" ")
rows.append((f"d. build image rust:{tag}", f"{note}; index {digest[:19]}…", rust, "", "", "", "", ""))
ok = image_bytes <= 4_500_000
rows.append(("image", f"uncompressed (podman); download {compressed_bytes / 1e6:.2f} MB compressed",
             f"{image_bytes / 1e6:.2f} MB", "", "", "", "≤ 4.5 MB", "pass" if ok else "MISSED"))
ok or missed.append("image > 4.5 MB")

print("| row | what | median | min | max | runs | budget | result |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for r in rows:
    print("| " + " | ".join(r) + " |")
print()
if missed:
    print("budgets missed: " + "; ".join(missed))
    sys.exit(1)
print("all budgets met")
PY
