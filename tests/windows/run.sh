#!/usr/bin/env bash
# Windows, for real: the binary cross-compiled for x86_64-pc-windows-gnu
# (mingw-w64 from Debian) and run under wine as a Windows runner runs it, with
# the runner's variables and files: --version, a --dry-run, a dispatch to the
# fake GitHub API on 127.0.0.1 (tests/container/fake_github.py, TLS through
# SSL_CERT_FILE) with GITHUB_OUTPUT written and checked, a refusal of what is
# not a regular file, and the receiving step validating an event. Then the
# library's unit tests, cross-compiled and run under wine too (the Windows
# code of src/util/files.rs: a named pipe, NUL, CON, a folder).
#
#   bash tests/windows/run.sh
#
# Debian 12's wine 8 has no bcryptprimitives.dll, from which Rust's standard
# library takes ProcessPrng; a one-function stub (bcryptprimitives.c, built
# here with mingw) goes into the test's own WINEPREFIX, never into the binary
# (../shared/facts/runners-without-docker.md).
#
# Environment: WINDOWS_PROFILE=release (default debug: the same code, built
# incrementally; release adds the optimiser and the size figure of what ships),
# REPOSITORY_DISPATCH_WINDOWS_EXE (run this .exe instead of building one),
# CARGO_TARGET_DIR, KEEP_TEMP=1. The last line is `windows: N passed, N failed`;
# the exit status is non-zero if any check failed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tests/windows"
container="$root/tests/container"
# pass, fail, check, step, start_cleanup, start_fake, prepare_run, expect_*:
# the container test's helpers, shared with it.
# shellcheck source-path=SCRIPTDIR/../container source=lib.sh
. "$container/lib.sh"

target=x86_64-pc-windows-gnu
profile="${WINDOWS_PROFILE:-debug}"
wine=/usr/lib/wine/wine64

step "prerequisites"
missing=()
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || missing+=(gcc-mingw-w64-x86-64)
[ -x "$wine" ] || missing+=(wine64)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ "${#missing[@]}" -gt 0 ]; then bash "$root/.ci/apt-install.sh" "${missing[@]}"; fi
if ! python3 -c 'import jsonschema, referencing, ruamel.yaml' 2>/dev/null; then
    echo "installing Python packages: jsonschema ruamel.yaml"
    python3 -m pip install --quiet 'jsonschema==4.26.0' 'ruamel.yaml==0.19.1'
fi
if [ -z "${REPOSITORY_DISPATCH_WINDOWS_EXE:-}" ] && ! rustup target list --installed | grep -qx "$target"; then
    rustup target add "$target"
fi
echo "$("$wine" --version), $(x86_64-w64-mingw32-gcc --version | head -n 1)"

start_cleanup rd-windows-test
# The wine server of this test's prefix, kept running between the cases and
# stopped with it (only this prefix's: WINEPREFIX names it).
export WINEPREFIX="$tmp/wineprefix" WINEDEBUG=-all
stop_wine() {
    # -k asks it to stop, -w waits until it has: the prefix is removed next.
    if [ -d "$WINEPREFIX" ]; then
        wineserver -k >/dev/null 2>&1 || true
        wineserver -w >/dev/null 2>&1 || true
    fi
}
# shellcheck disable=SC2154 # status is set by the trap itself
trap 'status=$?; stop_wine; (exit "$status"); cleanup' EXIT

step "the .exe ($profile) and the wine prefix"
started=$(date +%s%N)
if [ -n "${REPOSITORY_DISPATCH_WINDOWS_EXE:-}" ]; then
    exe="$REPOSITORY_DISPATCH_WINDOWS_EXE"
    echo "using $exe (REPOSITORY_DISPATCH_WINDOWS_EXE)"
elif [ "$profile" = release ]; then
    (cd "$root" && RUSTFLAGS="$(release_rustflags)" cargo build --release --locked --target "$target")
    exe="${CARGO_TARGET_DIR:-$root/target}/$target/release/repository-dispatch.exe"
else
    (cd "$root" && cargo build --locked --target "$target")
    exe="${CARGO_TARGET_DIR:-$root/target}/$target/debug/repository-dispatch.exe"
fi
echo "built in $((($(date +%s%N) - started) / 1000000)) ms"
exe_bytes=$(stat -c %s "$exe")
printf '%s: %d bytes (%s MiB)\n' "$exe" "$exe_bytes" "$(awk -v b="$exe_bytes" 'BEGIN{printf "%.2f", b/1048576}')"
x86_64-w64-mingw32-gcc -O2 -s -shared -o "$tmp/bcryptprimitives.dll" \
    "$here/bcryptprimitives.c" "$here/bcryptprimitives.def" -ladvapi32
started=$(date +%s%N)
mkdir -p "$WINEPREFIX"
wineserver -p
"$wine" wineboot --init >/dev/null 2>&1
cp "$tmp/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"
echo "wine prefix made in $((($(date +%s%N) - started) / 1000000)) ms"

listened_types="deploy-prod trigger-deploy"
start_fake "repository-dispatch Windows test CA"

# win CASE [NAME=VALUE ...] -- ARGS...: run the .exe (or $program) under wine
# with only these variables (and wine's own), from $run/workspace;
# $run/stdout, $run/stderr, rc.
win() {
    local case=$1
    local -a vars=()
    shift
    while [ "$#" -gt 0 ] && [ "$1" != -- ]; do vars+=("$1"); shift; done
    [ "$#" -gt 0 ] && shift
    mkdir -p "$run/workspace"
    set +e
    (cd "$run/workspace" && env -i PATH=/usr/bin:/bin WINEPREFIX="$WINEPREFIX" WINEDEBUG=-all \
        "${vars[@]}" timeout 60 "$wine" "${program:-$exe}" "$@" >"$run/stdout" 2>"$run/stderr")
    rc=$?
    set -e
    printf -- '-- %s: exit %d\n' "$case" "$rc"
    sed 's/^/   stdout| /' "$run/stdout"
    sed 's/^/   stderr| /' "$run/stderr"
}
# cli CASE ARGS...: the .exe with arguments and no runner variables.
cli() {
    local case=$1
    shift
    run="$tmp/runs/$case"
    win "$case" -- "$@"
}
# run_step CASE [NAME=VALUE ...]: the step as the runner runs it (prepare_run:
# the inputs of $action_yml, its runs.args, the runner's variables), with the
# container's /github/... paths replaced by the folders behind them.
run_step() {
    local case=$1
    shift
    prepare_run "$case" "$@"
    run_prepared "$case"
}
run_prepared() {
    local assignment
    local -a vars=()
    for assignment in "${run_env[@]}"; do vars+=("${assignment//\/github\//$run/}"); done
    win "$1" "${vars[@]}" -- "${run_args[@]}"
}
no_error_line() { ! grep -q '^::error' "$run/stdout"; }
has_error_line() { grep -q '^::error' "$run/stdout"; }
no_new_requests() { [ "$(requests_so_far)" -eq "$1" ]; }

# --- the command line ------------------------------------------------------------
step "case: command line (--version, --dry-run)"
event="deploy-prod"
payload='{"image_tag": "v1.2.3", "text": "h\u00e9llo \u2713", "big": 123456789012345678901234567890}'
expected_body="{\"event_type\":\"$event\",\"client_payload\":$(python3 "$container/check.py" minify "$payload")}"
before=$(requests_so_far)
cli version --version
check "--version: prints the crate version" \
    grep -qxF "repository-dispatch ${user_agent#repository-dispatch/}" "$run/stdout"
cli dry-run --dry-run --repository "$known_repo" --event-type "$event" --client-payload "$payload"
check "--dry-run: exit code 0" test "$rc" -eq 0
check "--dry-run: prints the request line" grep -qxF "POST https://api.github.com/repos/$known_repo/dispatches" "$run/stdout"
check "--dry-run: prints the exact body" grep -qxF "$expected_body" "$run/stdout"
check "--dry-run: the fake received nothing" no_new_requests "$before"

# --- the sending step ------------------------------------------------------------
step "case: dispatch to a known repository (TLS to the fake, SSL_CERT_FILE, GITHUB_OUTPUT)"
before=$(requests_so_far)
run_step success "INPUT_EVENT-TYPE=$event" "INPUT_CLIENT-PAYLOAD=$payload"
check "success: exit code 0" test "$rc" -eq 0
check "success: says what it dispatched" grep -qxF "dispatched '$event' to $known_repo" "$run/stdout"
check "success: no ::error line" no_error_line
check "success: the fake received the receiver check's reads, then exactly the expected dispatch" \
    expect_checked_dispatch "$before" "$expected_body"
outputs_parse() { python3 "$container/check.py" outputs "$outputs_file" >"$run/outputs.json"; }
check "success: GITHUB_OUTPUT is in the runner's file-command format" outputs_parse
results_say() { # one results entry: the repository and HTTP 204
    python3 - "$run/outputs.json" "$known_repo" <<'PY'
import json, sys
results = json.loads(json.load(open(sys.argv[1]))["results"])
if not (len(results) == 1 and results[0]["repository"] == sys.argv[2] and results[0]["http_status"] == 204):
    sys.exit(f"  results {results!r}")
PY
}
check "success: the results output names the repository and 204" results_say
check "success: the step summary was written" test -s "$summary_file"

step "case: GITHUB_OUTPUT and GITHUB_STEP_SUMMARY are NUL (thrown away)"
before=$(requests_so_far)
run_step nul "INPUT_EVENT-TYPE=$event" "INPUT_CLIENT-PAYLOAD=$payload" INPUT_CHECK-RECEIVER=off \
    GITHUB_OUTPUT=NUL GITHUB_STEP_SUMMARY=NUL
check "nul: exit code 0" test "$rc" -eq 0
check "nul: the fake received exactly the dispatch" expect_dispatch "$before" "$expected_body"

step "case: GITHUB_OUTPUT is a folder or a console (refused before anything is sent)"
# A folder is named as one (src/util/files.rs). CON: without a console wine
# refuses the open itself ("Invalid handle"), before GetFileType would.
for bad in folder:/tmp:'not a regular file' CON:CON:'cannot be written'; do
    name="output-${bad%%:*}" says="${bad##*:}" value="${bad#*:}"
    value="${value%%:*}"
    before=$(requests_so_far)
    run_step "$name" "INPUT_EVENT-TYPE=$event" "GITHUB_OUTPUT=$value"
    check "$name: exit code 2" test "$rc" -eq 2
    check "$name: an ::error says GITHUB_OUTPUT $value $says" grep -q "^::error.*GITHUB_OUTPUT $value.*$says" "$run/stdout"
    check "$name: the fake received nothing" no_new_requests "$before"
    check "$name: the advice is not the container's (/github/file_commands)" \
        grep -q '^::error.*no env: of the workflow, job or step sets it' "$run/stdout"
done

# --- the receiving step ----------------------------------------------------------
# The event GitHub would deliver for a dispatch the sending step made, checked
# against the deployment request's schema (deploy_schema, from lib.sh), as
# tests/container/run.sh does.
receive_yml="$root/receive/action.yml"
bot="deploy-bot[bot]"
# dispatch_as CASE PAYLOAD EVENT_FILE: the sending step dispatches
# trigger-deploy; EVENT_FILE gets the event GitHub would deliver for it.
dispatch_as() {
    local before
    before=$(requests_so_far)
    run_step "$1" "INPUT_EVENT-TYPE=trigger-deploy" "INPUT_CLIENT-PAYLOAD=$2" INPUT_CHECK-RECEIVER=off
    check "$1: the sender exits 0" test "$rc" -eq 0
    python3 "$container/check.py" dispatch-event "$log" "$before" \
        --repository "$known_repo" --sender "$bot" --sender-type Bot >"$3"
}
receive() { # receive CASE EVENT_FILE: the receiving step for that event
    receive_before=$(requests_so_far)
    action_yml="$receive_yml" prepare_run "$1" \
        "GITHUB_EVENT_NAME=repository_dispatch" \
        "INPUT_SCHEMA-FILE=$schema_path" \
        "INPUT_SENDERS=release-manager,Deploy-Bot[bot]" \
        "INPUT_EVENT-TYPES=trigger-deploy" \
        "INPUT_ENV-PREFIX=DEPLOY_"
    cp "$2" "$run/workflow/event.json"
    mkdir -p "$run/workspace/.github"
    printf '%s\n' "$deploy_schema" >"$run/workspace/$schema_path"
    run_prepared "$1"
}
# shellcheck disable=SC2119 # the Windows stage adds no check to the valid case
receive_cases

# --- the unit tests ----------------------------------------------------------------
# Skipped: the tests that make RSA keys by running `openssl`, which wine's
# PATH has no Windows build of.
if [ -z "${REPOSITORY_DISPATCH_WINDOWS_EXE:-}" ]; then
    step "the library's unit tests under wine"
    unit_tests=$(cd "$root" && cargo test --locked --target "$target" --lib --no-run --message-format=json |
        python3 -c 'import json,sys; print([m["executable"] for m in map(json.loads, sys.stdin) if m.get("executable")][-1])')
    run="$tmp/runs/unit"
    program="$unit_tests" win unit -- --skip auth::app:: --skip send::inputs::tests::github_app
    check "unit tests: all pass under wine ($(grep -o '[0-9]* passed' "$run/stdout" | tail -n 1))" test "$rc" -eq 0
    check "unit tests: util::files ran (its Windows cases)" grep -q '^test util::files::tests::refuses_what_is_not_a_regular_file_at_once \.\.\. ok' "$run/stdout"
fi

# --- summary -----------------------------------------------------------------------
step "summary"
printf '%s (%s): %d bytes\n' "$(basename "$exe")" "$profile" "$exe_bytes"
if [ "$failed" -gt 0 ]; then
    echo "requests the fake received:"
    python3 "$container/check.py" requests "$log" 0 | sed 's/^/   /'
    sed 's/^/   fake| /' "$tmp/fake.log"
fi
echo "windows: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
