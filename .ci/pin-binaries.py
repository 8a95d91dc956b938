#!/usr/bin/env python3
"""Writes portable/release.json, the table the portable (node24) action reads
to download, check and run a release binary.

    python3 .ci/pin-binaries.py --dist DIR --tag vX.Y.Z --repository OWNER/NAME [--output PATH]

DIR holds the release assets of the five platforms the portable action runs
on: for each, the binary `repository-dispatch-<tag>-<target>` (`.exe` on
Windows) and its gzip copy, the same name plus `.gz`. The table maps each
platform, named `RUNNER_OS-RUNNER_ARCH` as the runner does, to the .gz asset's
name and the SHA-256 and size of the uncompressed binary, which is what the
action executes after it gunzips the download:

    {"assets": {"Linux-X64": {"file": "...", "sha256": "...", "size": N}, ...},
     "repository": "OWNER/NAME", "tag": "vX.Y.Z", "version": "X.Y.Z"}

`.github/workflows/release.yml` puts it in the release commit, so that
`uses: OWNER/REPO/portable@vX` runs a verified binary of that very release.

Contract: each .gz must gunzip to exactly the bytes of its binary; every
platform must be there; the tag is `vX.Y.Z` or `vX.Y.Z-PRE` and the repository
`OWNER/NAME`. The output is JSON with sorted keys, a 2-space indent and a
final newline, so the same assets always give the same bytes.

Exit status: 0 written; 1 on an I/O error; 2 when the input is refused (the
reason is on stderr). Nothing is written unless the status is 0.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import zlib
from pathlib import Path

PROG = "pin-binaries"
NAME = "repository-dispatch"

# RUNNER_OS-RUNNER_ARCH -> (Rust target, suffix of the executable): the
# targets .github/workflows/release.yml builds.
PLATFORMS = {
    "Linux-X64": ("x86_64-unknown-linux-musl", ""),
    "Linux-ARM64": ("aarch64-unknown-linux-musl", ""),
    "macOS-X64": ("x86_64-apple-darwin", ""),
    "macOS-ARM64": ("aarch64-apple-darwin", ""),
    "Windows-X64": ("x86_64-pc-windows-msvc", ".exe"),
}

# vX.Y.Z as Cargo writes a version (no leading zeros), with an optional
# pre-release part (-rc.1, -pre); no build metadata (+...), which asset names
# and tags would carry badly.
_NUMBER = r"(?:0|[1-9][0-9]*)"
TAG_RE = re.compile(rf"v({_NUMBER}\.{_NUMBER}\.{_NUMBER}(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)")
# GitHub's rules: an owner is letters, digits and hyphens, not starting with a
# hyphen, at most 39 characters; a repository name letters, digits, '.', '-'
# and '_', at most 100 characters, and neither '.' nor '..'.
OWNER_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}")
REPO_NAME_RE = re.compile(r"[A-Za-z0-9._-]{1,100}")


class Refused(Exception):
    """The assets or the arguments cannot make a trustworthy table; the message
    says why and what to do (exit status 2)."""


def parse_tag(tag: str) -> str:
    """Returns the version the tag names (the tag without its `v`); raises
    Refused unless the tag is vX.Y.Z or vX.Y.Z-PRE."""
    m = TAG_RE.fullmatch(tag)
    if m is None:
        raise Refused(
            f"the tag {tag!r} is not a release tag: give vX.Y.Z or vX.Y.Z-PRE (such as v1.2.3 or v1.2.3-rc.1), "
            "the tag the release workflow runs for"
        )
    return m.group(1)


def parse_repository(repository: str) -> str:
    """Returns the repository as given; raises Refused unless it is OWNER/NAME."""
    owner, slash, name = repository.partition("/")
    if not slash or not OWNER_RE.fullmatch(owner) or not REPO_NAME_RE.fullmatch(name) or name in (".", ".."):
        raise Refused(
            f"the repository {repository!r} is not OWNER/NAME: give the repository the release belongs to, "
            "such as octo-org/repository-dispatch ($GITHUB_REPOSITORY in a workflow)"
        )
    return repository


def asset_names(tag: str) -> dict[str, tuple[str, str]]:
    """Platform -> (binary's file name, .gz file name) for this tag."""
    names = {}
    for platform, (target, suffix) in PLATFORMS.items():
        binary = f"{NAME}-{tag}-{target}{suffix}"
        names[platform] = (binary, f"{binary}.gz")
    return names


def read_bytes(path: Path) -> bytes:
    """The file's bytes; an OSError goes up (exit status 1)."""
    with open(path, "rb") as f:
        return f.read()


def gunzipped(path: Path, limit: int) -> bytes:
    """The uncompressed bytes of a gzip file, at most `limit` + 1 of them (one
    more than expected is enough to tell a longer content); raises Refused if
    it is not valid gzip. An OSError goes up (exit status 1)."""
    again = f"compress the binary again, gzip -9 -n -c {path.name[: -len('.gz')]} >{path.name}"
    with open(path, "rb") as raw:
        magic = raw.read(2)
    # Python reads an empty file as empty content; a gunzip does not.
    if magic != b"\x1f\x8b":
        raise Refused(f"{path.name} is not a gzip file (it does not start with the bytes 1f 8b): {again}")
    try:
        with gzip.open(path, "rb") as f:
            data = f.read(limit + 1)
            if len(data) <= limit:
                f.read(1)  # reads to the end, so the CRC and length are checked
            return data
    except (gzip.BadGzipFile, EOFError, zlib.error) as err:
        raise Refused(f"{path.name} is not a complete gzip file ({one_line(err)}): {again}") from None


def table(dist: Path, tag: str, repository: str) -> dict:
    """The release table for the assets in `dist`; raises Refused if an asset is
    missing or a .gz does not hold its binary."""
    version = parse_tag(tag)
    repository = parse_repository(repository)
    if not dist.is_dir():
        raise Refused(f"the dist folder {str(dist)!r} is not a folder: give the folder the binary artifacts were downloaded to")
    names = asset_names(tag)
    missing = [name for pair in names.values() for name in pair if not (dist / name).is_file()]
    if missing:
        raise Refused(
            f"the dist folder {str(dist)!r} lacks {', '.join(missing)}: a release needs the binary and its .gz "
            "for every platform; download every binary-* artifact of the release workflow into it"
        )
    assets = {}
    for platform, (binary_name, gz_name) in names.items():
        binary = read_bytes(dist / binary_name)
        if not binary:
            raise Refused(f"{binary_name} ({platform}) is empty: build it again")
        content = gunzipped(dist / gz_name, len(binary))
        if content != binary:
            size = f"{len(content)} bytes" if len(content) <= len(binary) else f"more than {len(binary)} bytes"
            raise Refused(
                f"{gz_name} does not gunzip to {binary_name} ({platform}): it holds {size}, sha256 "
                f"{hashlib.sha256(content).hexdigest()}, the binary {len(binary)} bytes, sha256 "
                f"{hashlib.sha256(binary).hexdigest()}; compress that binary again, gzip -9 -n -c {binary_name} >{gz_name}"
            )
        assets[platform] = {"file": gz_name, "sha256": hashlib.sha256(binary).hexdigest(), "size": len(binary)}
    return {"version": version, "tag": tag, "repository": repository, "assets": assets}


def render(value: dict) -> str:
    """The stable text of a table: sorted keys, 2-space indent, final newline."""
    return json.dumps(value, indent=2, sort_keys=True) + "\n"


def one_line(err: Exception) -> str:
    return " ".join(str(err).split()) or type(err).__name__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Write portable/release.json: each platform's .gz release asset and its binary's SHA-256 and size.",
    )
    parser.add_argument("--dist", required=True, metavar="DIR", help="the folder holding the release binaries and their .gz")
    parser.add_argument("--tag", required=True, metavar="TAG", help="the release tag, vX.Y.Z or vX.Y.Z-PRE")
    parser.add_argument("--repository", required=True, metavar="OWNER/NAME", help="the repository of the release")
    parser.add_argument("--output", metavar="PATH", help="where to write the table (default: stdout)")
    args = parser.parse_args(argv)

    try:
        text = render(table(Path(args.dist), args.tag, args.repository))
    except Refused as err:
        print(f"{PROG}: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"{PROG}: cannot read {err.filename or args.dist}: {err.strerror or err}", file=sys.stderr)
        return 1
    out = text.encode("utf-8")
    try:
        if args.output is None:
            sys.stdout.buffer.write(out)
            sys.stdout.buffer.flush()
        else:
            with open(args.output, "wb") as f:
                f.write(out)
    except OSError as err:
        target = args.output or "stdout"
        print(f"{PROG}: cannot write {target}: {err.strerror or err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
