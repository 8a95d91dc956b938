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
# files in /github/file_commands) and check what it sent and wrote. The
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
check "binary is at most 2.5 MiB" test "$binary_bytes" -le $((5 * 1024 * 1024 / 2))

# --- the image --------------------------------------------------------------------
step "image (final stage of $root/Dockerfile, build stage = $tmp/build)"
build_image "$image" "$tmp/build"
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
check "success: the fake received exactly the expected request" \
    expect_dispatch "$before" "$expected_body"
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
