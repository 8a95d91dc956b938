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
# files in /github/file_commands) and check what it sent and wrote; then run it
# as the receiving action (receive/action.yml: its inputs and args) on the
# event GitHub would deliver for a dispatch the fake recorded, and check its
# outputs, its GITHUB_ENV lines and its refusals. With action.yml's defaults
# (check-receiver: warn) every dispatch is preceded by the receiver check's
# reads of the target's workflows, which the fake serves (lib.sh, start_fake);
# check-receiver: off sends the one POST alone, and fail sends nothing to a
# repository where no active workflow listens. The
# reusable parts (installing, building, the fake, running like the runner, the
# PASS/FAIL helpers) live in tests/container/lib.sh, shared with
# tests/release/run.sh and bench/step.sh.
#
# Environment:
#   REPOSITORY_DISPATCH_BINARY  use this static binary instead of building one
#   CARGO_TARGET_DIR            where cargo builds (default: target/ in the checkout)
#   KEEP_TEMP=1                 keep the temporary directory (for debugging)
#
# Prints PASS/FAIL per check and ends with "container: N passed, M failed";
# exits non-zero if any check failed. Cleans up after itself (fake server,
# containers, image, temporary files), also when interrupted.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tests/container"
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"

# --- prerequisites -----------------------------------------------------------
step "prerequisites"
# shellcheck disable=SC2119 # no tools beyond the container ones
install_prerequisites

# --- scratch space and cleanup -------------------------------------------------
start_cleanup rd-container-test
image="localhost/repository-dispatch-container-test:$$"
cleanup_images+=("$image")

# --- the binary -----------------------------------------------------------------
step "static binary"
build_binary "$tmp/build"
check "binary is a static ELF executable" python3 "$here/check.py" elf-static "$tmp/build/out/repository-dispatch"
printf 'binary: %d bytes (%s MiB)\n' "$binary_bytes" "$(awk -v b="$binary_bytes" 'BEGIN{printf "%.2f", b/1048576}')"
printf 'binary gzipped at level 9: %d bytes\n' "$(gzip -9c "$tmp/build/out/repository-dispatch" | wc -c)"
# Reproducible bytes: no path of this machine's cargo home or checkout inside
# (release_rustflags remaps them), unless the binary was given ready-made.
holds_no_path() { ! grep -aqF -e "$1" -e "$2" "$3"; }
if [ -z "${REPOSITORY_DISPATCH_BINARY:-}" ]; then
    check "binary holds no path of the build machine (${CARGO_HOME:-$HOME/.cargo}, $root)" \
        holds_no_path "${CARGO_HOME:-$HOME/.cargo}/" "$root/" "$tmp/build/out/repository-dispatch"
fi
# The size budget: the image stays at most 4.5 MB (4 MB before 2026-12-05), and
# the binary is all of it.
check "binary is at most 4,500,000 bytes" test "$binary_bytes" -le 4500000

# --- the image --------------------------------------------------------------------
step "image (final stage of $root/Dockerfile, build stage = $tmp/build)"
build_image "$image" "$tmp/build"
echo "final stage built in ${build_ms} ms"

inspect() { podman image inspect --format "$1" "$image"; }
image_bytes=$(inspect '{{.Size}}')
printf 'image: %d bytes (%s MiB)\n' "$image_bytes" "$(awk -v b="$image_bytes" 'BEGIN{printf "%.2f", b/1048576}')"
check "image is at most 4,500,000 bytes" test "$image_bytes" -le 4500000
check "image has exactly one layer (FROM scratch + one COPY)" test "$(inspect '{{len .RootFS.Layers}}')" = 1
check "image entrypoint is [\"/repository-dispatch\"]" test "$(inspect '{{json .Config.Entrypoint}}')" = '["/repository-dispatch"]'
check "image sets no USER" test -z "$(inspect '{{.Config.User}}')"
check "image sets no WORKDIR" test -z "$(inspect '{{.Config.WorkingDir}}')"
podman image save --quiet --format docker-archive --output "$tmp/image.tar" "$image"
image_files="$(python3 "$here/check.py" image-files "$tmp/image.tar")"
printf 'files in the image:\n%s\n' "$image_files"
image_names="$(cut -f1 <<<"$image_files" | sort | tr '\n' ' ')"
check "image holds only /repository-dispatch and /revoke" test "$image_names" = "repository-dispatch revoke "
check "image's /revoke is a link to repository-dispatch (the post step)" \
    test "$(awk -F'\t' '$1 == "revoke" { print $4 }' <<<"$image_files")" = repository-dispatch
no_shell() { # podman exits 127 when the command is not in the image, not for other failures
    containers+=("rd-test-$$-shell")
    local status=0
    podman run --rm --name "rd-test-$$-shell" --entrypoint /bin/sh "$image" -c true >/dev/null 2>&1 || status=$?
    [ "$status" -eq 127 ]
}
check "image has no shell (podman: /bin/sh not found, exit 127)" no_shell

# --- the fake GitHub API ----------------------------------------------------------
step "fake GitHub API"
# The event types the known repository's cd.yml listens for: what the cases send.
listened_types="deploy-prod trigger-deploy"
start_fake "repository-dispatch test CA"

# --- helpers for the cases (running the action: run_action in lib.sh) -------------
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
no_warning_or_notice() { ! grep -qE '^::(warning|notice)' "$run/stdout"; }
check "success: no ::warning or ::notice line (cd.yml listens)" no_warning_or_notice
check "success: the fake received the receiver check's reads, then exactly the expected dispatch" \
    expect_checked_dispatch "$before" "$expected_body"
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
# No INPUT_CHECK-RECEIVER: the binary's own default, warn, as action.yml's.
mapfile -d '' reads < <(known_repo_reads)
check "docker://: the receiver check's reads (warn, the binary's default), then the dispatch" \
    expect_requests "$before" "${reads[@]}" "POST /repos/$known_repo/dispatches"
check "docker://: dispatched to GITHUB_REPOSITORY with an empty payload" \
    python3 "$here/check.py" expect-request "$log" "$((before + ${#reads[@]}))" \
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
notice_once() { test "$(grep -c '^::notice' "$run/stdout")" -eq 1; }
check "404: one ::notice line (the check cannot read the repository, the dispatch goes unchecked)" notice_once
check "404: exactly two requests reached the fake: the check's read of the repository (404), then the dispatch" \
    expect_requests "$before" "GET /repos/octo-org/no-such-repo" "POST /repos/octo-org/no-such-repo/dispatches"
check "404: they carried the User-Agent $user_agent" user_agent_matches "$before"
check "404: GITHUB_OUTPUT, if written, is in the runner's format" outputs_parse
check "404: the token appears nowhere but in ::add-mask::" token_not_leaked

# --- case: check-receiver off, the drop-in request sequence ---------------------------
step "case: check-receiver off (the request sequence of peter-evans/repository-dispatch)"
before=$(requests_so_far)
run_action check-off "INPUT_EVENT-TYPE=$event" "INPUT_CLIENT-PAYLOAD=$payload" "INPUT_CHECK-RECEIVER=off"
check "off: exit code 0" test "$rc" -eq 0
check "off: says what it dispatched" grep -qxF "dispatched '$event' to $known_repo" "$run/stdout"
check "off: no ::error line" no_error_line
check "off: the fake received exactly one request, the dispatch (no read)" \
    expect_dispatch "$before" "$expected_body"
check "off: GITHUB_OUTPUT is in the runner's file-command format" outputs_parse
check "off: results output reports $known_repo with HTTP 204" results_say "$known_repo" 204
check "off: the token appears nowhere but in ::add-mask::" token_not_leaked

# --- case: no active workflow listens -------------------------------------------------
# $silent_repo: ci.yml (on: push), deploy.yml (types: [deploy-staging]) and
# old-deploy.yml (listens for $event, but disabled_manually).
silent_contents="/repos/$silent_repo/contents/.github/workflows"
silent_reads=("GET /repos/$silent_repo" "GET $silent_contents" "GET $silent_contents/ci.yml"
    "GET $silent_contents/deploy.yml" "GET $silent_contents/old-deploy.yml"
    "GET /repos/$silent_repo/actions/workflows?per_page=100")
# says_why LEVEL: one ::LEVEL line naming the repository, the event type, the
# file listening for another type and the disabled one.
says_why() {
    local line
    line="$(grep "^::$1" "$run/stdout")" || return 1
    test "$(grep -c '' <<<"$line")" -eq 1 &&
        grep -qF "$silent_repo" <<<"$line" && grep -qF "$event" <<<"$line" &&
        grep -qF "deploy.yml listens for deploy-staging" <<<"$line" &&
        grep -qF "old-deploy.yml would start but is disabled (disabled_manually)" <<<"$line"
}
results_status() { # results_status STATUS: the one results entry has this status
    python3 -c 'import json,sys; r = json.loads(json.load(open(sys.argv[1]))["results"]); sys.exit(not (len(r) == 1 and r[0]["status"] == sys.argv[2]) and f"  results {r!r}")' \
        "$run/outputs.json" "$1"
}

step "case: check-receiver warn (the default) to a repository where no active workflow listens"
before=$(requests_so_far)
run_action silent-warn "INPUT_EVENT-TYPE=$event" "INPUT_CLIENT-PAYLOAD=$payload" "INPUT_REPOSITORY=$silent_repo"
check "silent, warn: exit code 0" test "$rc" -eq 0
check "silent, warn: no ::error line" no_error_line
check "silent, warn: one ::warning line says why nothing would start" says_why warning
check "silent, warn: the reads (every workflow file, the states), then the dispatch all the same" \
    expect_requests "$before" "${silent_reads[@]}" "POST /repos/$silent_repo/dispatches"
check "silent, warn: GITHUB_OUTPUT is in the runner's file-command format" outputs_parse
check "silent, warn: results output reports $silent_repo with HTTP 204" results_say "$silent_repo" 204
check "silent, warn: the token appears nowhere but in ::add-mask::" token_not_leaked

step "case: check-receiver fail to a repository where no active workflow listens (not sent)"
before=$(requests_so_far)
run_action silent-fail "INPUT_EVENT-TYPE=$event" "INPUT_CLIENT-PAYLOAD=$payload" \
    "INPUT_REPOSITORY=$silent_repo" "INPUT_CHECK-RECEIVER=fail"
check "silent, fail: exit code 1" test "$rc" -eq 1
check "silent, fail: an ::error title=No workflow listens:: line says why" says_why "error title=No workflow listens::"
check "silent, fail: the reads only, nothing POSTed" expect_requests "$before" "${silent_reads[@]}"
check "silent, fail: GITHUB_OUTPUT is in the runner's file-command format" outputs_parse
check "silent, fail: results output reports $silent_repo as not-sent" results_status not-sent
check "silent, fail: the token appears nowhere but in ::add-mask::" token_not_leaked

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

# --- case: the post step --------------------------------------------------------------
# A cancelled step leaves its GitHub App tokens in its state; the runner starts
# the post step with action.yml's post-entrypoint and the state as STATE_*.
step "case: the post step revokes the tokens the main step left"
left_one="ghs_LeftByACancelledStep0000000000000001"
left_two="ghs_$(printf 'x%.0s' $(seq 1 300)).stateless.token"
revocations_ok() { # revocations_ok START TOKEN...: one DELETE /installation/token per token, with it
    python3 - "$log" "$@" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()[int(sys.argv[2]):]
tokens = sys.argv[3:]
seen = []
for line in lines:
    r = json.loads(line)
    auth = [v for k, v in r["headers"] if k.lower() == "authorization"]
    seen.append((r["method"], r["path"], auth))
expected = [("DELETE", "/installation/token", [f"Bearer {t}"]) for t in tokens]
if seen != expected:
    sys.exit(f"  requests {seen!r}, expected {expected!r}")
PY
}
before=$(requests_so_far)
run_post post-revoke "STATE_dispatch_tokens=$left_one
$left_two"
check "post: exit code 0 (a revocation never fails the job)" test "$rc" -eq 0
check "post: one DELETE /installation/token per token left, each sent with that token" \
    revocations_ok "$before" "$left_one" "$left_two"
check "post: each token is masked before anything else" \
    test "$(head -n 2 "$run/stdout")" = "::add-mask::$left_one
::add-mask::$left_two"
left_not_leaked() {
    ! tail -n +3 "$run/stdout" | grep -qF -e "$left_one" -e "$left_two" &&
        ! grep -qF -e "$left_one" -e "$left_two" "$run/stderr"
}
check "post: the tokens appear nowhere but in ::add-mask::" left_not_leaked
step "case: the post step with nothing left (a token, or all revoked) does nothing"
before=$(requests_so_far)
run_post post-nothing "STATE_dispatch_tokens="
check "post, nothing left: exit code 0" test "$rc" -eq 0
check "post, nothing left: no request" no_new_requests "$before"
check "post, nothing left: prints nothing" test ! -s "$run/stdout" -a ! -s "$run/stderr"
quiet_success() { test "$rc" -eq 0 && no_new_requests "$before" && test ! -s "$run/stdout" -a ! -s "$run/stderr"; }
run_post post-no-state
check "post, no state: exit code 0, no request, nothing printed" quiet_success

# --- the receiving action (receive/action.yml) ------------------------------------------
# The image run as `uses: OWNER/REPO/receive@v1` runs it: receive/action.yml's
# inputs (every one empty unless given) and its args, [receive]. The event is
# what GitHub would deliver for the dispatch the sending action made above:
# the fake's record of the request, in GitHub's repository_dispatch webhook
# shape, at GITHUB_EVENT_PATH; the schema is deploy_schema (lib.sh).
receive_yml="$root/receive/action.yml"
# The App whose installation token made the dispatch: GitHub names the sender
# `<slug>[bot]`, and senders are compared case-insensitively.
bot="deploy-bot[bot]"
receive_senders="release-manager,Deploy-Bot[bot]"

# dispatch_as CASE EVENT_TYPE PAYLOAD EVENT_FILE: the sending action
# dispatches; EVENT_FILE gets the event GitHub would deliver for it.
dispatch_as() {
    local before
    before=$(requests_so_far)
    run_action "$1" "INPUT_EVENT-TYPE=$2" "INPUT_CLIENT-PAYLOAD=$3"
    check "$1: the sender exits 0" test "$rc" -eq 0
    check "$1: the fake received the receiver check's reads, then exactly that dispatch" \
        expect_checked_dispatch "$before" "{\"event_type\":\"$2\",\"client_payload\":$(python3 "$here/check.py" minify "$3")}"
    python3 "$here/check.py" dispatch-event "$log" "$before" \
        --repository "$known_repo" --sender "$bot" --sender-type Bot >"$4"
}
# receive CASE EVENT_FILE [NAME=VALUE ...]: run the receiving action for that
# event, the schema file in the workspace; the step's inputs are the schema
# file, the senders, the event type and the env prefix, overridden by the
# NAME=VALUE arguments.
receive() {
    local case=$1 event=$2
    shift 2
    receive_before=$(requests_so_far)
    # As the runner does, every input it leaves out is passed empty.
    action_yml="$receive_yml" prepare_run "$case" \
        "GITHUB_EVENT_NAME=repository_dispatch" \
        "INPUT_SCHEMA-FILE=$schema_path" \
        "INPUT_SENDERS=$receive_senders" \
        "INPUT_EVENT-TYPES=trigger-deploy" \
        "INPUT_ENV-PREFIX=DEPLOY_" \
        "$@"
    cp "$event" "$run/workflow/event.json"
    mkdir -p "$run/workspace/.github"
    printf '%s\n' "$deploy_schema" >"$run/workspace/$schema_path"
    run_prepared "$case"
}
# parsed FILE: a GITHUB_OUTPUT or GITHUB_ENV file as JSON, in $run/FILE.json.
parsed() { python3 "$here/check.py" outputs "$1" >"$1.json"; }
# payload_is JSON: the payload output is that object, as compact JSON.
payload_is() {
    python3 - "$outputs_file.json" "$1" "$here/check.py" <<'PY'
import json, subprocess, sys
payload = json.load(open(sys.argv[1])).get("payload")
if payload is None:
    sys.exit("  no payload output")
if json.loads(payload) != json.loads(sys.argv[2]):
    sys.exit(f"  payload {payload!r}, expected {sys.argv[2]!r}")
compact = subprocess.run([sys.executable, sys.argv[3], "minify", payload], capture_output=True, text=True).stdout.rstrip("\n")
if compact != payload:
    sys.exit(f"  payload {payload!r} is not compact JSON")
PY
}
no_request_from_receive() { no_new_requests "$receive_before"; }
error_names() { grep -q "^::error.*$1" "$run/stdout"; }
# No line the step printed is a workflow command other than its ::error lines:
# a value from the payload cannot start a line of its own.
only_error_commands() { ! grep -v '^::error' "$run/stdout" | grep -q '^::'; }
refused() { # refused CASE EXIT: the checks every refusal must pass
    check "$1: exit code $2" test "$rc" -eq "$2"
    check "$1: an ::error line" has_error_line
    check "$1: nothing written to GITHUB_OUTPUT or GITHUB_ENV" nothing_written
    check "$1: no workflow command but ::error" only_error_commands
    check "$1: no request to the API" no_request_from_receive
}

step "case: receive a valid deployment request (repository_dispatch)"
dispatch_as receive-send trigger-deploy "$deploy_payload" "$tmp/deploy-event.json"
receive receive-valid "$tmp/deploy-event.json"
check "receive: exit code 0" test "$rc" -eq 0
check "receive: no ::error line" no_error_line
check "receive: GITHUB_OUTPUT is in the runner's file-command format" parsed "$outputs_file"
check "receive: the outputs are image_tag, environment and payload" \
    holds_exactly "$outputs_file" '{"image_tag": "sha-0123abc", "environment": "staging", "payload": true}'
check "receive: payload is the client_payload sent, as compact JSON" payload_is "$deploy_payload"
check "receive: GITHUB_ENV is in the runner's file-command format" parsed "$env_file"
check "receive: GITHUB_ENV holds DEPLOY_IMAGE_TAG and DEPLOY_ENVIRONMENT only" \
    holds_exactly "$env_file" '{"DEPLOY_IMAGE_TAG": "sha-0123abc", "DEPLOY_ENVIRONMENT": "staging"}'
check "receive: no request to the API" no_request_from_receive
receive_outputs="$outputs_file.json"
receive_env="$env_file.json"

# The deploy step of examples/cd.yml as the runner runs it: its env: values
# evaluated from the receiving step's outputs, its script unchanged, run by
# `bash -e -o pipefail`; the values reach it only as environment variables.
deploy_step() {
    local script
    local -a step
    mapfile -d '' step < <(python3 "$here/check.py" workflow-step "$root/examples/cd.yml" deploy Deploy \
        --outputs "request=$receive_outputs") || return 1
    [ "${#step[@]}" -gt 0 ] || return 1
    script="${step[-1]}"
    unset 'step[-1]'
    env -i PATH="$PATH" HOME="$tmp" GITHUB_STEP_SUMMARY="$tmp/deploy-summary.md" "${step[@]}" \
        bash --noprofile --norc -e -o pipefail -c "$script" >"$tmp/deploy-step.out" 2>&1 || return 1
    sed 's/^/   deploy| /' "$tmp/deploy-step.out"
    grep -qF "sha-0123abc" "$tmp/deploy-step.out" && grep -qF staging "$tmp/deploy-step.out"
}
check "receive: examples/cd.yml's deploy step gets image_tag and environment through env:" deploy_step
# A later step's environment holds what GITHUB_ENV set.
later_step_env() {
    local -a assignments
    mapfile -t assignments < <(python3 -c 'import json,sys; [print(f"{k}={v}") for k, v in json.load(open(sys.argv[1])).items()]' "$receive_env")
    # shellcheck disable=SC2016 # expanded by the inner shell
    env -i PATH="$PATH" "${assignments[@]}" bash --noprofile --norc -e -c \
        'test "$DEPLOY_IMAGE_TAG" = sha-0123abc && test "$DEPLOY_ENVIRONMENT" = staging'
}
check "receive: a later step sees DEPLOY_IMAGE_TAG and DEPLOY_ENVIRONMENT" later_step_env

step "case: receive a hostile payload (shell and workflow-command injection)"
dispatch_as receive-send-hostile trigger-deploy "$hostile_payload" "$tmp/hostile-event.json"
receive receive-hostile "$tmp/hostile-event.json"
refused receive-hostile 1
check "receive-hostile: an ::error names /image_tag" error_names /image_tag

# The same valid request from other senders, event types, events and schemas.
edit_event() { # edit_event OUT PYTHON: OUT is the valid deployment event changed by PYTHON (on `event`)
    python3 - "$tmp/deploy-event.json" "$1" "$2" <<'PY'
import json, sys
event = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(event, open(sys.argv[2], "w"))
PY
}
step "case: receive from a sender not in senders"
edit_event "$tmp/mallory-event.json" 'event["sender"].update(login="mallory", type="User")'
receive receive-sender "$tmp/mallory-event.json"
refused receive-sender 1

step "case: receive an event type not in event-types"
edit_event "$tmp/other-type-event.json" 'event["action"] = "trigger-teardown"'
receive receive-event-type "$tmp/other-type-event.json"
refused receive-event-type 1

step "case: receive for an event that is neither dispatch (push)"
receive receive-push "$tmp/deploy-event.json" "GITHUB_EVENT_NAME=push"
refused receive-push 1

step "case: receive a workflow_dispatch's inputs"
python3 - "$tmp/workflow-event.json" "$known_repo" <<'PY'
import json, sys
json.dump({"inputs": {"image_tag": "sha-89abcdef", "environment": "production"}, "ref": "refs/heads/main",
           "workflow": ".github/workflows/cd.yml", "repository": {"full_name": sys.argv[2]},
           "sender": {"login": "release-manager", "type": "User"}}, open(sys.argv[1], "w"))
PY
receive receive-workflow "$tmp/workflow-event.json" "GITHUB_EVENT_NAME=workflow_dispatch" "INPUT_EVENT-TYPES="
check "receive-workflow: exit code 0" test "$rc" -eq 0
check "receive-workflow: GITHUB_OUTPUT is in the runner's file-command format" parsed "$outputs_file"
check "receive-workflow: the outputs are image_tag, environment and payload" \
    holds_exactly "$outputs_file" '{"image_tag": "sha-89abcdef", "environment": "production", "payload": true}'
check "receive-workflow: payload is the inputs, as compact JSON" \
    payload_is '{"image_tag": "sha-89abcdef", "environment": "production"}'

step "case: a schema given inline whose pattern has a look-ahead (refused, exit 2)"
receive receive-bad-schema "$tmp/deploy-event.json" "INPUT_SCHEMA-FILE=" \
    'INPUT_SCHEMA={"type": "object", "properties": {"image_tag": {"type": "string", "pattern": "^(?=sha-)"}}}'
refused receive-bad-schema 2

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
