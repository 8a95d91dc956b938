# Image of the repository-dispatch container action.
#
# The runner builds this file on every job that uses the action from main or a
# branch (`docker build -f Dockerfile <folder of this file>`), so the build is
# kept to one toolchain image, one dependency layer and one release build. A
# release tag does not build it: its action.yml names the published image.
#
# Contract with the rest of the project: everything the final stage takes from
# the build stage lives under /out/ in the stage named `build`: the binary, and
# `revoke`, a symbolic link to it. That lets the final stage be built from a
# binary compiled elsewhere, e.g.
#   podman build --build-context build=DIR .
# with DIR/out/repository-dispatch and DIR/out/revoke -> repository-dispatch.
# which is what tests/container/run.sh and .github/workflows/release.yml do.

# Official Rust image, toolchain 1.95.0 (= rust-version in Cargo.toml) on
# Alpine 3.23: musl is the host C library there, so the binary is static
# without a cross toolchain, on amd64 and arm64 alike. The digest is the
# multi-platform index recorded for this image in docker-library/repo-info
# (repos/rust/remote/1-alpine3.23.md, RUST_VERSION=1.95.0); dependabot bumps it.
FROM docker.io/library/rust:1.95.0-alpine3.23@sha256:606fd313a0f49743ee2a7bd49a0914bab7deedb12791f3a846a34a4711db7ed2 AS build

# Panic locations name each crate's source file under CARGO_HOME; remapped to
# /cargo, as host builds do (tests/container/lib.sh: release_rustflags), the
# same sources give the same bytes in any build folder.
ENV RUSTFLAGS="--remap-path-prefix=${CARGO_HOME}=/cargo"

# Dependency layer: compile every dependency against a stub main, so that an
# edit under src/ rebuilds only the crate itself.
COPY Cargo.toml Cargo.lock /src/
RUN target="$(uname -m)-unknown-linux-musl" \
    && mkdir /src/src \
    && echo 'fn main() {}' > /src/src/main.rs \
    && cargo build --release --locked --target "$target" --manifest-path /src/Cargo.toml \
    && rm -rf /src/src

COPY src /src/src
# COPY keeps the files' modification times, which may be older than the stub
# build's outputs: touch them so cargo rebuilds the crate.
RUN target="$(uname -m)-unknown-linux-musl" \
    && find /src/src -type f -exec touch {} + \
    && cargo build --release --locked --target "$target" --manifest-path /src/Cargo.toml \
    && mkdir /out \
    && cp "/src/target/$target/release/repository-dispatch" /out/repository-dispatch \
    && ln -s repository-dispatch /out/revoke

# The action itself: the static binary and nothing else. No USER (the runner
# needs root to write the files it mounts under /github) and no WORKDIR (the
# runner passes --workdir /github/workspace).
# /revoke is a link to it: the post step (action.yml's post-entrypoint) runs
# it by that name to revoke GitHub App tokens a cancelled step left.
FROM scratch
COPY --from=build /out/ /
ENTRYPOINT ["/repository-dispatch"]
