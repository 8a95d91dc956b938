#!/usr/bin/env bash
# Container test: build the action's image from the real Dockerfile and run it
# the way the GitHub runner runs a container action, against a fake GitHub API
# (tests/container/fake_github.py) that enforces GitHub's published contract.
#
#   bash tests/container/run.sh
#
# Steps: install what is missing (podman, buildah, runc, musl tools, the musl
# Rust target, Python packages); build the static binary with --locked; build
# the image's final stage with the `build` stage replaced by the host-built
# binary (--build-context build=DIR, DIR/out/repository-dispatch); start the
# fake on https://127.0.0.1 with a throwaway CA; run the image like the runner
# (`--rm --workdir /github/workspace`, every value as `-e NAME` taken from the
# environment, the /github/* mounts, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as
# files in /github/file_commands) and check what it sent and wrote.
#
# Environment:
#   REPOSITORY_DISPATCH_BINARY  use this static binary instead of building one
#   KEEP_TEMP=1                 keep the temporary directory (for debugging)
#
# Prints PASS/FAIL per check and ends with "container: N passed, M failed";
# exits non-zero if any check failed. Cleans up after itself (fake server,
# containers, image, temporary files), also when interrupted.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tests/container"
export CONTAINERS_CONF="$root/.ci/containers.conf"

passed=0
failed=0
pass() { passed=$((passed + 1)); printf 'PASS: %s\n' "$*"; }
fail() { failed=$((failed + 1)); printf 'FAIL: %s\n' "$*"; }
# check DESCRIPTION COMMAND...: run COMMAND, PASS or FAIL by its exit status.
check() {
    local what=$1
    shift
    if "$@"; then pass "$what"; else fail "$what"; fi
}
step() { printf '\n== %s\n' "$*"; }

# --- prerequisites -----------------------------------------------------------
step "prerequisites"
sudo=()
if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
missing=()
for tool in podman buildah runc openssl; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ -z "${REPOSITORY_DISPATCH_BINARY:-}" ] && ! command -v musl-gcc >/dev/null 2>&1; then
    missing+=(musl-tools)
fi
if [ "${#missing[@]}" -gt 0 ]; then
    echo "installing with apt-get: ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! python3 -c 'import jsonschema, referencing, ruamel.yaml' 2>/dev/null; then
    echo "installing Python packages: jsonschema ruamel.yaml"
    python3 -m pip install --quiet 'jsonschema==4.26.0' 'ruamel.yaml==0.19.1'
fi
arch="$(uname -m)"
target="$arch-unknown-linux-musl"
if [ -z "${REPOSITORY_DISPATCH_BINARY:-}" ] && ! rustup target list --installed | grep -qx "$target"; then
    rustup target add "$target"
fi
echo "podman $(podman --version | awk '{print $3}'), runc $(runc --version | awk 'NR==1{print $3}'), python $(python3 -c 'import platform; print(platform.python_version())')"

# --- scratch space and cleanup -------------------------------------------------
tmp="$(mktemp -d "${TMPDIR:-/tmp}/rd-container-test.XXXXXX")"
image="localhost/repository-dispatch-container-test:$$"
fake_pid=""
containers=()
cleanup() {
    local status=$?
    if [ -n "$fake_pid" ]; then
        kill "$fake_pid" 2>/dev/null || true
        wait "$fake_pid" 2>/dev/null || true
    fi
    if [ "${#containers[@]}" -gt 0 ]; then
        podman rm --force --ignore "${containers[@]}" >/dev/null 2>&1 || true
    fi
    podman rmi --force "$image" >/dev/null 2>&1 || true
    if [ "${KEEP_TEMP:-}" = 1 ]; then
        echo "kept $tmp"
    else
        rm -rf "$tmp"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the binary -----------------------------------------------------------------
step "static binary"
mkdir -p "$tmp/build/out"
if [ -n "${REPOSITORY_DISPATCH_BINARY:-}" ]; then
    binary="$REPOSITORY_DISPATCH_BINARY"
    echo "using $binary (REPOSITORY_DISPATCH_BINARY)"
else
    (cd "$root" && cargo build --release --locked --target "$target")
    binary="${CARGO_TARGET_DIR:-$root/target}/$target/release/repository-dispatch"
fi
cp "$binary" "$tmp/build/out/repository-dispatch"
binary_bytes=$(stat -c %s "$tmp/build/out/repository-dispatch")
check "binary is a static ELF executable" python3 "$here/check.py" elf-static "$tmp/build/out/repository-dispatch"
printf 'binary: %d bytes (%s MiB)\n' "$binary_bytes" "$(awk -v b="$binary_bytes" 'BEGIN{printf "%.2f", b/1048576}')"
check "binary is at most 2.5 MiB" test "$binary_bytes" -le $((5 * 1024 * 1024 / 2))

# --- the image --------------------------------------------------------------------
step "image (final stage of $root/Dockerfile, build stage = $tmp/build)"
started=$(date +%s%N)
# The context is the Dockerfile's folder, as the runner's `docker build` uses;
# `build` (the Dockerfile's first stage) is replaced by the folder holding out/.
podman build --quiet --layers=false --build-context "build=$tmp/build" \
    --tag "$image" --file "$root/Dockerfile" "$root" >/dev/null
build_ms=$((($(date +%s%N) - started) / 1000000))
echo "final stage built in ${build_ms} ms"

inspect() { podman image inspect --format "$1" "$image"; }
image_bytes=$(inspect '{{.Size}}')
printf 'image: %d bytes (%s MiB)\n' "$image_bytes" "$(awk -v b="$image_bytes" 'BEGIN{printf "%.2f", b/1048576}')"
check "image is at most 3 MiB" test "$image_bytes" -le $((3 * 1024 * 1024))
check "image has exactly one layer (FROM scratch + one COPY)" test "$(inspect '{{len .RootFS.Layers}}')" = 1
check "image entrypoint is [\"/repository-dispatch\"]" test "$(inspect '{{json .Config.Entrypoint}}')" = '["/repository-dispatch"]'
check "image sets no USER" test -z "$(inspect '{{.Config.User}}')"
check "image sets no WORKDIR" test -z "$(inspect '{{.Config.WorkingDir}}')"
podman image save --quiet --format docker-archive --output "$tmp/image.tar" "$image"
image_files="$(python3 "$here/check.py" image-files "$tmp/image.tar")"
printf 'files in the image:\n%s\n' "$image_files"
check "image holds only /repository-dispatch" test "$(cut -f1 <<<"$image_files")" = repository-dispatch
no_shell() {
    containers+=("rd-test-$$-shell")
    ! podman run --rm --name "rd-test-$$-shell" --entrypoint /bin/sh "$image" -c true >/dev/null 2>&1
}
check "image has no shell (running /bin/sh fails)" no_shell

# --- the fake GitHub API ----------------------------------------------------------
step "fake GitHub API"
tls="$tmp/tls"
bash "$root/.ci/make-test-ca.sh" "$tls" "repository-dispatch test CA"

token="ghs_test$(openssl rand -hex 16)"
known_repo="octo-org/known-repo"
log="$tmp/requests.jsonl"
python3 "$here/fake_github.py" --contract "$root/tests/contracts/github-rest-api.json" \
    --cert "$tls/server.pem" --key "$tls/server.key" --log "$log" --port-file "$tmp/port" \
    --token "$token" --repo "$known_repo" 2>"$tmp/fake.log" &
fake_pid=$!
for _ in $(seq 100); do
    [ -s "$tmp/port" ] && break
    kill -0 "$fake_pid" 2>/dev/null || { cat "$tmp/fake.log"; echo "FAIL: the fake GitHub API did not start"; exit 1; }
    sleep 0.1
done
port="$(cat "$tmp/port")"
api="https://127.0.0.1:$port"
echo "listening on $api"

# --- running the action as the runner does ----------------------------------------
# run_action CASE [NAME=VALUE ...]: run the image with the runner's mounts and
# variables; the step's inputs are the action.yml defaults (the runner passes
# every input) overridden by the NAME=VALUE arguments. Leaves the exit status
# in $rc and the files in $run (stdout, stderr, file_commands/...).
run_action() {
    local case=$1
    shift
    run="$tmp/runs/$case"
    mkdir -p "$run"/{workspace,home,workflow,runner_temp,file_commands}
    local guid
    guid="$(cat /proc/sys/kernel/random/uuid)"
    cp "$tls/ca.pem" "$run/runner_temp/ca.pem"
    echo '{}' >"$run/workflow/event.json"
    for kind in set_output step_summary set_env add_path save_state; do
        : >"$run/file_commands/${kind}_$guid"
    done
    outputs_file="$run/file_commands/set_output_$guid"
    summary_file="$run/file_commands/step_summary_$guid"

    local vars=()
    # `uses: docker://IMAGE` has no action.yml: the runner then passes only the
    # step's `with:` values (NO_ACTION_DEFAULTS=1 run_action ...).
    if [ -z "${NO_ACTION_DEFAULTS:-}" ]; then
        mapfile -d '' vars < <(python3 "$here/check.py" action-env "$root/action.yml" \
            --github "token=$token" --github "repository=$known_repo")
    fi
    vars+=(
        "HOME=/github/home"
        "GITHUB_ACTIONS=true" "CI=true"
        "GITHUB_API_URL=$api" "GITHUB_SERVER_URL=https://github.com" "GITHUB_GRAPHQL_URL=$api/graphql"
        "GITHUB_REPOSITORY=$known_repo" "GITHUB_REPOSITORY_OWNER=${known_repo%%/*}"
        "GITHUB_EVENT_NAME=push" "GITHUB_EVENT_PATH=/github/workflow/event.json"
        "GITHUB_WORKSPACE=/github/workspace" "GITHUB_WORKFLOW=container-test" "GITHUB_JOB=test"
        "GITHUB_ACTION=dispatch" "GITHUB_ACTOR=octocat" "GITHUB_RUN_ID=1" "GITHUB_RUN_NUMBER=1"
        "GITHUB_RUN_ATTEMPT=1" "GITHUB_SHA=0000000000000000000000000000000000000000" "GITHUB_REF=refs/heads/main"
        "GITHUB_OUTPUT=/github/file_commands/set_output_$guid"
        "GITHUB_STEP_SUMMARY=/github/file_commands/step_summary_$guid"
        "GITHUB_ENV=/github/file_commands/set_env_$guid"
        "GITHUB_PATH=/github/file_commands/add_path_$guid"
        "GITHUB_STATE=/github/file_commands/save_state_$guid"
        "RUNNER_OS=Linux" "RUNNER_ARCH=X64" "RUNNER_NAME=container-test" "RUNNER_TEMP=/github/runner_temp"
        "SSL_CERT_FILE=/github/runner_temp/ca.pem"
        "$@"
    )
    # Later assignments win (an override replaces a default); keep one -e per name.
    local -A seen=()
    local flags=() assignment name
    for assignment in "${vars[@]}"; do
        name="${assignment%%=*}"
        if [ -z "${seen[$name]:-}" ]; then
            flags+=(-e "$name")
            seen[$name]=1
        fi
    done

    local container="rd-test-$$-$case"
    containers+=("$container")
    set +e
    # Values travel through podman's environment (`-e NAME` with no value), as
    # the runner hands them to the docker CLI: that is what lets a name such as
    # INPUT_EVENT-TYPE keep its hyphen.
    env "${vars[@]}" timeout 120 podman run --rm --name "$container" \
        --workdir /github/workspace --network host "${flags[@]}" \
        -v "$run/runner_temp:/github/runner_temp" \
        -v "$run/home:/github/home" \
        -v "$run/workflow:/github/workflow" \
        -v "$run/file_commands:/github/file_commands" \
        -v "$run/workspace:/github/workspace" \
        "$image" >"$run/stdout" 2>"$run/stderr"
    rc=$?
    set -e
    printf -- '-- %s: exit %d\n' "$case" "$rc"
    sed 's/^/   stdout| /' "$run/stdout"
    sed 's/^/   stderr| /' "$run/stderr"
}

requests_so_far() { wc -l <"$log"; }
first_line_masks_token() { test "$(head -n 1 "$run/stdout")" = "::add-mask::$token"; }
has_error_line() { grep -q '^::error' "$run/stdout"; }
no_error_line() { ! grep -q '^::error' "$run/stdout"; }
# The token may appear only in the ::add-mask:: line.
token_not_leaked() {
    ! tail -n +2 "$run/stdout" | grep -qF "$token" &&
        ! grep -qF "$token" "$run/stderr" "$outputs_file" "$summary_file"
}
no_new_requests() { test "$(requests_so_far)" -eq "$1"; }
outputs_parse() { python3 "$here/check.py" outputs "$outputs_file" >"$run/outputs.json"; }
output_value() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], ""))' "$run/outputs.json" "$1"; }
results_say() { # results_say REPOSITORY HTTP_STATUS: the results output has one entry like that
    python3 - "$run/outputs.json" "$1" "$2" <<'PY'
import json, sys
outputs = json.load(open(sys.argv[1]))
repo, status = sys.argv[2], int(sys.argv[3])
try:
    results = json.loads(outputs["results"])
except (KeyError, json.JSONDecodeError) as e:
    sys.exit(f"  no valid 'results' output: {e!r} in {outputs!r}")
keys = {"repository", "status", "http_status", "message", "run_id", "run_url", "conclusion"}
if not (isinstance(results, list) and len(results) == 1 and isinstance(results[0], dict)):
    sys.exit(f"  results is not a one-entry array: {results!r}")
entry = results[0]
if not keys <= entry.keys():
    sys.exit(f"  results entry lacks {sorted(keys - entry.keys())}: {entry!r}")
if entry["repository"] != repo or entry["http_status"] != status:
    sys.exit(f"  expected repository {repo!r} and http_status {status}: {entry!r}")
PY
}
summary_ok() { python3 "$here/check.py" summary "$summary_file" | sed 's/^/   summary| /'; }
summary_names() { grep -qF "$1" "$summary_file"; }

user_agent="repository-dispatch/$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)"
user_agent_matches() {
    python3 - "$log" "$1" "$user_agent" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()[int(sys.argv[2]):]
for line in lines:
    agents = [v for k, v in json.loads(line)["headers"] if k.lower() == "user-agent"]
    if agents != [sys.argv[3]]:
        sys.exit(f"  User-Agent {agents!r}, expected [{sys.argv[3]!r}]")
PY
}

# --- case: a successful dispatch ----------------------------------------------------
step "case: dispatch to a known repository"
event="deploy-prod"
# Whitespace to strip; escapes, number spellings and key order to keep as written.
payload='{
  "image_tag": "v1.2.3",
  "environment": "production",
  "nested": { "list": [1, 2.50, true, null, "a b"], "empty": {} },
  "text": "h\u00e9llo \u2713 \"quoted\" back\\slash",
  "big": 123456789012345678901234567890
}'
expected_body="{\"event_type\":\"$event\",\"client_payload\":$(python3 "$here/check.py" minify "$payload")}"
before=$(requests_so_far)
run_action success "INPUT_EVENT-TYPE=$event" "INPUT_CLIENT-PAYLOAD=$payload"
check "success: exit code 0" test "$rc" -eq 0
check "success: first line is ::add-mask:: of the token" first_line_masks_token
check "success: says what it dispatched" grep -qxF "dispatched '$event' to $known_repo" "$run/stdout"
check "success: no ::error line" no_error_line
check "success: the fake received exactly the expected request" \
    python3 "$here/check.py" expect-request "$log" "$before" \
    --method POST --path "/repos/$known_repo/dispatches" \
    --header "Accept: application/vnd.github+json" \
    --header "X-GitHub-Api-Version: 2022-11-28" \
    --header "User-Agent: $user_agent" \
    --header "Authorization: Bearer $token" \
    --header "Content-Type: application/json" \
    --header "Host: 127.0.0.1:$port" \
    --body "$expected_body"
check "success: GITHUB_OUTPUT is in the runner's file-command format" outputs_parse
check "success: results output reports $known_repo with HTTP 204" results_say "$known_repo" 204
check "success: step summary holds a Markdown table" summary_ok
check "success: step summary names the repository" summary_names "$known_repo"
check "success: the token appears nowhere but in ::add-mask::" token_not_leaked

# --- case: the docker:// fast path (no action.yml defaults) ----------------------------
step "case: docker:// use, only the step's inputs (token and event-type)"
before=$(requests_so_far)
NO_ACTION_DEFAULTS=1 run_action docker-uri "INPUT_TOKEN=$token" "INPUT_EVENT-TYPE=$event"
check "docker://: exit code 0" test "$rc" -eq 0
check "docker://: dispatched to GITHUB_REPOSITORY with an empty payload" \
    python3 "$here/check.py" expect-request "$log" "$before" \
    --method POST --path "/repos/$known_repo/dispatches" \
    --header "Authorization: Bearer $token" \
    --body "{\"event_type\":\"$event\",\"client_payload\":{}}"
check "docker://: GITHUB_OUTPUT is in the runner's file-command format" outputs_parse
check "docker://: the token appears nowhere but in ::add-mask::" token_not_leaked

# --- case: a repository GitHub does not know (404) ---------------------------------
step "case: dispatch to an unknown repository (404)"
before=$(requests_so_far)
run_action not-found "INPUT_EVENT-TYPE=$event" "INPUT_REPOSITORY=octo-org/no-such-repo"
check "404: exit code 1" test "$rc" -eq 1
check "404: an ::error line" has_error_line
check "404: exactly one request reached the fake" test "$(requests_so_far)" -eq $((before + 1))
check "404: it carried the User-Agent $user_agent" user_agent_matches "$before"
check "404: GITHUB_OUTPUT, if written, is in the runner's format" outputs_parse
check "404: the token appears nowhere but in ::add-mask::" token_not_leaked

# --- case: invalid input, nothing sent -----------------------------------------------
step "case: empty event-type (invalid input)"
before=$(requests_so_far)
run_action empty-event-type "INPUT_EVENT-TYPE="
check "empty event-type: exit code 2" test "$rc" -eq 2
check "empty event-type: an ::error line" has_error_line
check "empty event-type: the fake received nothing" no_new_requests "$before"
check "empty event-type: the token appears nowhere but in ::add-mask::" token_not_leaked

step "case: client-payload that is not JSON (invalid input)"
before=$(requests_so_far)
run_action bad-payload "INPUT_EVENT-TYPE=$event" 'INPUT_CLIENT-PAYLOAD={"unterminated": '
check "bad payload: exit code 2" test "$rc" -eq 2
check "bad payload: an ::error line" has_error_line
check "bad payload: the fake received nothing" no_new_requests "$before"

# --- case: the command-line interface in the same image --------------------------------
step "case: command line (--version, --dry-run)"
cli() { # cli CASE ARGS...: run the image with arguments, no runner variables
    local case=$1
    shift
    run="$tmp/runs/$case"
    mkdir -p "$run"
    containers+=("rd-test-$$-$case")
    set +e
    timeout 60 podman run --rm --name "rd-test-$$-$case" --network none "$image" "$@" >"$run/stdout" 2>"$run/stderr"
    rc=$?
    set -e
    printf -- '-- %s: exit %d\n' "$case" "$rc"
    sed 's/^/   stdout| /' "$run/stdout"
    sed 's/^/   stderr| /' "$run/stderr"
}
before=$(requests_so_far)
cli version --version
check "--version: prints the crate version" \
    grep -qxF "repository-dispatch ${user_agent#repository-dispatch/}" "$run/stdout"
cli dry-run --dry-run --repository "$known_repo" --event-type "$event" --client-payload "$payload"
check "--dry-run: exit code 0" test "$rc" -eq 0
check "--dry-run: prints the request line" grep -qxF "POST https://api.github.com/repos/$known_repo/dispatches" "$run/stdout"
check "--dry-run: prints the exact body" grep -qxF "$expected_body" "$run/stdout"
check "--dry-run: the fake received nothing" no_new_requests "$before"

# --- summary -----------------------------------------------------------------------
step "summary"
printf 'image %s: %d bytes (%s MiB), final stage built in %d ms; binary %d bytes\n' "$image" \
    "$image_bytes" "$(awk -v b="$image_bytes" 'BEGIN{printf "%.2f", b/1048576}')" "$build_ms" "$binary_bytes"
if [ "$failed" -gt 0 ]; then
    echo "requests the fake received:"
    python3 "$here/check.py" requests "$log" 0 | sed 's/^/   /'
    sed 's/^/   fake| /' "$tmp/fake.log"
fi
echo "container: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
