#!/usr/bin/env bash
# Release test, offline and end to end: the image goes through a real OCI
# registry and comes back the way a released action.yml makes the runner
# fetch it, by digest.
#
#   bash tests/release/run.sh
#
# Steps: install what is missing (podman, buildah, runc, curl, Debian's
# docker-registry, musl tools, the musl Rust target, Python packages); build
# the static binary with --locked and the Dockerfile's final stage from it, as
# tests/container/run.sh does; start a private registry on 127.0.0.1 (its own
# configuration and storage in the temporary directory, a free port); push the
# image as an OCI image index (`podman manifest create`, `add`, `push --all`);
# write the release action.yml and receive/action.yml with .ci/pin-image.py,
# pointing at 127.0.0.1:PORT/OWNER/repository-dispatch@sha256:...; remove the
# local image; pull exactly the reference the generated action.yml names and
# run it like the runner runs a `docker://` image (its flags and mounts, the
# generated action.yml's defaults as INPUT_*) against the fake GitHub API;
# then run it as the generated receive/action.yml (its inputs and args).
#
# Checks: the registry serves an OCI index with that digest; each generated
# file differs from its source in the image line only, and both name the same
# image; the pulled image's RepoDigests hold the pushed digest; the image
# holds only /repository-dispatch; the fake received the receiver check's reads
# (check-receiver: warn, the action.yml default: the repository, its
# .github/workflows and the files up to the one that listens, the workflows'
# states) and then the dispatch exactly once with the exact body; the exit code is 0; the receiving action accepts a
# valid payload and sets its outputs.
#
# Environment:
#   REPOSITORY_DISPATCH_BINARY  use this static binary instead of building one
#   CARGO_TARGET_DIR            where cargo builds (default: target/ in the checkout)
#   KEEP_TEMP=1                 keep the temporary directory (for debugging)
#
# Prints PASS/FAIL per check and ends with "release: N passed, M failed";
# exits non-zero if any check failed. Cleans up after itself (registry, fake,
# containers, images, temporary files), also when interrupted.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tests/container"
# shellcheck source-path=SCRIPTDIR/../container source=lib.sh
. "$here/lib.sh"

owner="octo-org"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)"

# summary: the closing line; the exit status says whether every check passed.
summary() {
    step "summary"
    if [ "$failed" -gt 0 ] && [ -n "${log:-}" ] && [ -f "$log" ]; then
        echo "requests the fake received:"
        python3 "$here/check.py" requests "$log" 0 | sed 's/^/   /'
        sed 's/^/   fake| /' "$tmp/fake.log"
    fi
    echo "release: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
# require DESCRIPTION COMMAND...: a check the later steps cannot do without;
# when it fails, stop here with the summary.
require() {
    local before=$failed
    check "$@"
    if [ "$failed" -gt "$before" ]; then
        summary || exit 1
    fi
}

# --- prerequisites -----------------------------------------------------------
step "prerequisites"
install_prerequisites curl docker-registry

# --- scratch space and cleanup -------------------------------------------------
start_cleanup rd-release-test
built="localhost/repository-dispatch-release-test:$$"
cleanup_images+=("$built")

# --- the binary and the image (as tests/container/run.sh) ------------------------
step "static binary"
build_binary "$tmp/build"
printf 'binary: %d bytes\n' "$binary_bytes"

step "image (final stage of $root/Dockerfile, build stage = $tmp/build)"
build_image "$built" "$tmp/build"
built_id="$(podman image inspect --format '{{.Id}}' "$built")"
echo "built $built ($built_id) in ${build_ms} ms"

# --- push to a private registry as an image index -----------------------------------
step "registry on 127.0.0.1"
start_registry
repository="$registry/$owner/repository-dispatch"
# The release pushes one image per platform (linux/amd64 and linux/arm64) and
# joins them in one index. Only this host's half can be built here (the binary
# is built natively; no cross toolchain and no emulation). The index holds the
# one platform; pulling it exercises the same index lookup.
platform="linux/$(podman info --format '{{.Host.Arch}}')"
push_index "$built" "$repository:v$version"
echo "pushed $repository:v$version as an index: $index_digest"
require "the push reported an index digest (sha256:<64 hex>)" grep -qxE 'sha256:[0-9a-f]{64}' <<<"$index_digest"
check "the blobs landed in this registry's own storage" \
    test -d "$registry_dir/storage/docker/registry/v2/repositories/$owner/repository-dispatch/_manifests"

served_index() { # the registry serves an OCI image index for this host's platform under that digest
    curl -fsS -D "$tmp/index.headers" -o "$tmp/index.json" \
        -H 'Accept: application/vnd.oci.image.index.v1+json' \
        "http://$registry/v2/$owner/repository-dispatch/manifests/$index_digest" || return 1
    python3 - "$tmp/index.json" "$tmp/index.headers" "$index_digest" "$platform" <<'PY'
import hashlib, json, sys
raw = open(sys.argv[1], "rb").read()
headers = {k.strip().lower(): v.strip() for k, _, v in
           (line.partition(":") for line in open(sys.argv[2]).read().splitlines() if ":" in line)}
digest = "sha256:" + hashlib.sha256(raw).hexdigest()
index = json.loads(raw)
problems = []
if digest != sys.argv[3]:
    problems.append(f"the served bytes hash to {digest}, not {sys.argv[3]}")
if headers.get("content-type") != "application/vnd.oci.image.index.v1+json":
    problems.append(f"Content-Type {headers.get('content-type')!r}")
if index.get("mediaType") != "application/vnd.oci.image.index.v1+json":
    problems.append(f"mediaType {index.get('mediaType')!r}")
platforms = [(m.get("platform") or {}) for m in index.get("manifests", [])]
expected = tuple(sys.argv[4].split("/"))
if [(p.get("os"), p.get("architecture")) for p in platforms] != [expected]:
    problems.append(f"platforms {platforms!r}, expected {sys.argv[4]} alone")
if problems:
    sys.exit("  " + "\n  ".join(problems))
print(f"  {index['mediaType']}, {len(raw)} bytes, platforms: {sys.argv[4]} -> {index['manifests'][0]['digest']}")
PY
}
check "the registry serves an OCI image index ($platform) whose bytes hash to $index_digest" served_index

# --- the release action.yml and receive/action.yml ------------------------------------
step "release action.yml and receive/action.yml (.ci/pin-image.py)"
pinned_ref="$repository@$index_digest"
release_yml="$tmp/release/action.yml"
release_receive_yml="$tmp/release/receive/action.yml"
mkdir -p "$tmp/release/receive"
pin() { # pin FILE: the release copy of FILE (relative to the checkout)
    python3 "$root/.ci/pin-image.py" --action "$root/$1" --image "$pinned_ref" --output "$tmp/release/$1"
}
require "pin-image.py wrote the release action.yml for $pinned_ref" pin action.yml
require "pin-image.py wrote the release receive/action.yml for $pinned_ref" pin receive/action.yml

# lines_only OLD|NEW FILE: the lines only FILE (OLD) or only its release copy (NEW) has.
lines_only() {
    local old_format='' new_format=''
    if [ "$1" = OLD ]; then old_format='%L'; else new_format='%L'; fi
    diff --unchanged-line-format= --old-line-format="$old_format" --new-line-format="$new_format" \
        "$root/$2" "$tmp/release/$2" || true
}
image_line_changed_only() { # image_line_changed_only FILE: one line removed, runs.image's; one added in its place
    local image_line removed added
    image_line="$(grep -E '^[[:space:]]+image:' "$root/$1")"
    removed="$(lines_only OLD "$1")"
    added="$(lines_only NEW "$1")"
    diff "$root/$1" "$tmp/release/$1" | sed 's/^/   diff| /'
    [ "$removed" = "$image_line" ] && [ "$(grep -c '' <<<"$added")" -eq 1 ] &&
        [ "${added%%image:*}" = "${image_line%%image:*}" ] && [ "${added#*image:}" != "$added" ]
}
check "the release action.yml differs from action.yml only in the image line" image_line_changed_only action.yml
check "the release receive/action.yml differs from receive/action.yml only in the image line" \
    image_line_changed_only receive/action.yml
image_value="$(python3 "$here/check.py" action-image "$release_yml")"
echo "runs.image: $image_value"
require "its runs.image is docker://$pinned_ref" test "$image_value" = "docker://$pinned_ref"
check "the release receive/action.yml names the same image" \
    test "$(python3 "$here/check.py" action-image "$release_receive_yml")" = "docker://$pinned_ref"
check "the release receive/action.yml still passes args [receive]" \
    test "$(python3 "$here/check.py" action-args "$release_receive_yml" | tr '\0' ' ')" = "receive "

# --- fetch the image as the runner does ---------------------------------------------
step "pull by digest, as the runner fetches a docker:// image"
podman rmi --force "$built" >/dev/null
no_local_copy() { ! podman image exists "$built_id"; }
check "no local copy is left (the image must come from the registry)" no_local_copy
# Exactly the reference the generated action.yml names. The runner's
# `docker pull` treats 127.0.0.0/8 as an insecure registry; podman needs
# --tls-verify=false for the same plain HTTP.
image="${image_value#docker://}"
cleanup_images+=("$image")
pull() { podman pull --quiet --tls-verify=false "$image" >/dev/null; }
require "podman pull $image" pull
repo_digests="$(podman image inspect --format '{{json .RepoDigests}}' "$image")"
echo "RepoDigests: $repo_digests"
check "the pulled image's RepoDigests hold the pushed index digest" \
    python3 -c 'import json,sys; sys.exit(sys.argv[2] not in json.loads(sys.argv[1]))' "$repo_digests" "$pinned_ref"
check "the pulled image is the one built here ($built_id)" \
    test "$(podman image inspect --format '{{.Id}}' "$image")" = "$built_id"
podman image save --quiet --format docker-archive --output "$tmp/pulled.tar" "$built_id"
image_files="$(python3 "$here/check.py" image-files "$tmp/pulled.tar")"
printf 'files in the image:\n%s\n' "$image_files"
image_names="$(cut -f1 <<<"$image_files" | sort | tr '\n' ' ')"
check "the image holds only /repository-dispatch and /revoke" test "$image_names" = "repository-dispatch revoke "
check "the image's /revoke is a link to repository-dispatch (the post step)" \
    test "$(awk -F'\t' '$1 == "revoke" { print $4 }' <<<"$image_files")" = repository-dispatch

# --- run it as the runner does --------------------------------------------------------
step "fake GitHub API"
event="release-smoke"
listened_types="$event" # what the fake's known repository's cd.yml listens for
start_fake "repository-dispatch release test CA"

step "case: the released action dispatches once"
action_yml="$release_yml"
payload="{ \"version\": \"v$version\", \"image\": \"$pinned_ref\", \"note\": \"caf\u00e9 \\\"pinned\\\"\" }"
expected_body="{\"event_type\":\"$event\",\"client_payload\":$(python3 "$here/check.py" minify "$payload")}"
before=$(requests_so_far)
run_action release "INPUT_EVENT-TYPE=$event" "INPUT_CLIENT-PAYLOAD=$payload"
check "release: exit code 0" test "$rc" -eq 0
check "release: no ::error line" no_error_line
check "release: the fake received the receiver check's reads, then the dispatch exactly once, with the exact body" \
    expect_checked_dispatch "$before" "$expected_body"
check "release: the token appears nowhere but in ::add-mask::" token_not_leaked

step "case: the released receiving action accepts a valid payload"
action_yml="$release_receive_yml"
before=$(requests_so_far)
prepare_run release-receive "GITHUB_EVENT_NAME=workflow_dispatch" \
    'INPUT_SCHEMA={"type": "object", "properties": {"version": {"type": "string", "pattern": "^v[0-9]"}}, "required": ["version"], "additionalProperties": false}'
printf '{"inputs": {"version": "v%s"}, "ref": "refs/heads/main", "sender": {"login": "octocat", "type": "User"}}\n' \
    "$version" >"$run/workflow/event.json"
run_prepared release-receive
check "release-receive: exit code 0" test "$rc" -eq 0
check "release-receive: no ::error line" no_error_line
outputs_hold_version() {
    python3 - "$outputs_file" "$here/check.py" "v$version" <<'PY'
import json, subprocess, sys
got = json.loads(subprocess.run([sys.executable, sys.argv[2], "outputs", sys.argv[1]],
                                capture_output=True, text=True, check=True).stdout)
if got.get("version") != sys.argv[3] or json.loads(got.get("payload", "null")) != {"version": sys.argv[3]}:
    sys.exit(f"  outputs {got!r}")
PY
}
check "release-receive: the outputs are version and payload" outputs_hold_version
check "release-receive: no request to the API" no_new_requests "$before"

summary
