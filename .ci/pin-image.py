#!/usr/bin/env python3
"""Pins a container action to a published image: rewrites `runs.image` of an
action.yml to `docker://REF`, where REF names the image by its digest.

    python3 .ci/pin-image.py --action action.yml --image REF [--output PATH]

REF is `HOST[:PORT]/PATH[:TAG]@sha256:<64 lower-case hex digits>`, with or
without a leading `docker://`. The result goes to PATH, or to stdout without
--output. `.github/workflows/release.yml` uses it for the release commit, so
that `uses: OWNER/REPO@vX` pulls the image instead of building the Dockerfile.

Contract: the output is the input with the characters of the `runs.image`
value replaced, and nothing else: inputs, defaults, comments, quoting, line
endings (LF or CRLF), a byte order mark and the final newline stay as they
were. The quoting style of the old value is kept (plain, 'single', "double").
The value is found through the YAML parser's position marks, not by a text
search, and the result is checked before anything is written: parsed again,
it must equal the input except for runs.image, and the text must differ in
that one line only.

Exit status: 0 written; 1 on an I/O error; 2 when the reference or the file
is refused (the reason is on stderr). Nothing is written unless the status
is 0.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode

PROG = "pin-image"
PREFIX = "docker://"
EXAMPLE = "ghcr.io/owner/repo@sha256:<64 hex digits>"

# The reference grammar of the distribution project (the one docker pull
# follows), narrowed to what the runner needs here: an explicit registry host,
# a lower-case repository path, an optional tag and a sha256 digest.
_HOST_COMPONENT = r"(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])"
HOST_RE = re.compile(rf"{_HOST_COMPONENT}(?:\.{_HOST_COMPONENT})*(?::[0-9]+)?")
PATH_COMPONENT_RE = re.compile(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*")
TAG_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
SHA256_HEX_RE = re.compile(r"[0-9a-f]{64}")
# Every character a valid reference can hold. Behind `docker://` none of them
# needs YAML quoting: they form no `: `, ` #`, quote, escape or line break.
REF_CHARS_RE = re.compile(r"[A-Za-z0-9._:/@-]*")

# Line breaks: CR LF, LF, CR, and the ones YAML 1.1 also counts (NEL, LS, PS).
LINE_BREAK_RE = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
QUOTES = {None: "", "'": "'", '"': '"'}


class Refused(Exception):
    """The reference or the file cannot be pinned safely; the message says why
    and what to do (exit status 2)."""


@dataclass(frozen=True)
class Value:
    """Where the runs.image value is in the text: [start, end) character
    offsets, its 1-based line, and its quoting (None, "'" or '"')."""

    start: int
    end: int
    line: int
    style: str | None


def parse_reference(raw: str) -> str:
    """Returns the reference without `docker://`; raises Refused unless it is
    HOST[:PORT]/PATH[:TAG]@sha256:<64 lower-case hex digits>."""
    ref = raw[len(PREFIX) :] if raw.startswith(PREFIX) else raw
    if not ref:
        raise Refused(f"the image reference is empty: give one such as {EXAMPLE}")
    bad = REF_CHARS_RE.match(ref).end()  # matches at least the empty string
    if bad < len(ref):
        raise Refused(
            f"the image reference {raw!r} holds {ref[bad]!r} at position {bad + 1}: a reference "
            f"has no whitespace, quotes or other characters YAML would need quoted; give {EXAMPLE}"
        )
    name, at, digest = ref.rpartition("@")
    if not at:
        raise Refused(
            f"the image reference {raw!r} has no digest: pin the image by the digest of its "
            f"index, {EXAMPLE}, which `docker buildx imagetools inspect` prints"
        )
    algorithm, colon, hex_digits = digest.partition(":")
    if not colon:
        raise Refused(f"the digest {digest!r} has no algorithm: write it as sha256:<64 hex digits>")
    if algorithm != "sha256":
        raise Refused(f"the digest algorithm {algorithm!r} is not supported: give the sha256 digest of the image index")
    if hex_digits != hex_digits.lower() and SHA256_HEX_RE.fullmatch(hex_digits.lower()):
        raise Refused(f"the digest sha256:{hex_digits} has upper-case letters: write it in lower case")
    if not SHA256_HEX_RE.fullmatch(hex_digits):
        raise Refused(
            f"the digest sha256:{hex_digits} is not 64 lower-case hex digits "
            f"({len(hex_digits)} characters): copy the whole digest of the image index"
        )
    if "@" in name:
        raise Refused(f"the image reference {raw!r} has more than one '@': give exactly one digest, {EXAMPLE}")
    host, slash, path = name.partition("/")
    if not slash or not path:
        raise Refused(
            f"the image reference {raw!r} has no repository path: write HOST/PATH@sha256:..., for example {EXAMPLE}"
        )
    # docker reads the first component as a registry only if it has a dot, a
    # port or is localhost; anything else would silently mean Docker Hub.
    if not HOST_RE.fullmatch(host) or not ("." in host or ":" in host or host == "localhost"):
        raise Refused(
            f"the image reference {raw!r} does not start with a registry host ({host!r}): "
            f"name the registry, for example {EXAMPLE}"
        )
    # A tag follows the first ":" of the path: path components hold none.
    path, colon, tag = path.partition(":")
    if colon and not TAG_RE.fullmatch(tag):
        raise Refused(
            f"the tag {tag!r} of {raw!r} is not a valid image tag: drop it or fix it, the digest is what pins"
        )
    for component in path.split("/"):
        if not PATH_COMPONENT_RE.fullmatch(component):
            hint = " (registries want lower case: lower-case OWNER/REPO)" if component.lower() != component else ""
            raise Refused(f"the repository path {path!r} of {raw!r} is not valid at {component!r}{hint}")
    return ref


def find_image_value(text: str) -> Value:
    """Finds runs.image in the text of an action.yml; raises Refused unless
    the file is a docker action whose image is a one-line scalar that can be
    replaced in place."""
    try:
        # The full load rejects what composing alone lets through, such as
        # duplicate keys; compose gives the positions.
        doc = YAML(typ="safe", pure=True).load(text)
        root = YAML(typ="rt").compose(text)
    except YAMLError as err:
        raise Refused(f"the action file is not valid YAML: {one_line(err)}; fix the file first") from None
    if not isinstance(doc, dict) or not isinstance(root, MappingNode):
        raise Refused("the action file is not a YAML mapping: give the action.yml of a container action")
    runs = doc.get("runs")
    if not isinstance(runs, dict):
        raise Refused("the action file has no `runs:` mapping: give the action.yml of a container action")
    using = runs.get("using")
    if using is None:
        raise Refused("runs has no `using:`: a container action says `using: docker`")
    if using != "docker":
        raise Refused(
            f"runs.using is {using!r}, not 'docker': only a container action (using: docker) has an image to pin"
        )
    if "image" not in runs:
        raise Refused(
            "the action file has no runs.image: a container action needs `image: Dockerfile` or `image: docker://...`"
        )
    if runs["image"] is None:
        raise Refused("runs.image is empty: write `image: Dockerfile` first")
    if not isinstance(runs["image"], str):
        raise Refused(f"runs.image is {runs['image']!r}, not a string: write `image: Dockerfile` first")

    runs_key, runs_node = only_item(root, "runs")
    if (
        not isinstance(runs_node, MappingNode)
        or runs_node.flow_style
        or runs_node.start_mark.index < runs_key.end_mark.index
    ):
        raise Refused(
            "runs is written in flow style ({...}) or through an alias: write it as a block mapping, one key a line"
        )
    key, node = only_item(runs_node, "image")
    where = f"line {line_of(text, node.start_mark.index)}"
    if not isinstance(node, ScalarNode) or node.start_mark.index < key.end_mark.index:
        raise Refused(f"runs.image ({where}) is an alias or not a scalar: write it as `image: VALUE`")
    if node.style not in QUOTES:
        raise Refused(f"runs.image ({where}) is a block scalar ({node.style}): write it on one line as `image: VALUE`")
    source = text[node.start_mark.index : node.end_mark.index]
    if LINE_BREAK_RE.search(source):
        raise Refused(f"runs.image ({where}) spans several lines: write it on one line as `image: VALUE`")
    quote = QUOTES[node.style]
    # The source must be the scalar alone, so that no tag or anchor in front
    # of it is lost. Escapes inside quotes do not matter: the whole quoted
    # scalar is replaced.
    if node.style is None:
        alone = source == node.value
    else:
        alone = len(source) >= 2 and source[0] == quote and source[-1] == quote
    if not alone:
        raise Refused(
            f"runs.image ({where}) is written as {source!r}, with a tag or an anchor: "
            "write it as a plain or quoted value, `image: VALUE`"
        )
    return Value(node.start_mark.index, node.end_mark.index, line_of(text, node.start_mark.index), node.style)


def only_item(mapping: MappingNode, name: str):
    """The (key, value) nodes of the one key `name`; raises Refused if it is
    missing, repeated or reached through a merge key."""
    items = [(k, v) for k, v in mapping.value if isinstance(k, ScalarNode) and k.value == name]
    if len(items) != 1:
        raise Refused(f"`{name}:` is not written exactly once as a plain key: write it once, without merge keys (<<)")
    return items[0]


def pin(text: str, raw_ref: str) -> str:
    """Returns `text` with runs.image set to docker://REF; raises Refused if
    the reference or the file cannot be pinned safely."""
    ref = parse_reference(raw_ref)
    value = find_image_value(text)
    quote = QUOTES[value.style]
    new_value = f"{PREFIX}{ref}"
    result = f"{text[: value.start]}{quote}{new_value}{quote}{text[value.end :]}"
    verify(text, result, new_value, value.line)
    return result


def verify(before: str, after: str, new_value: str, line: int) -> None:
    """Raises Refused unless `after` parses to `before` with only runs.image
    changed (to new_value), and the texts differ in line `line` only."""
    loader = YAML(typ="safe", pure=True)
    # A copy without shared parts: were runs an anchor used elsewhere, that
    # place would change too, and must then not change in `expected`.
    expected = unshared(loader.load(before))
    expected["runs"]["image"] = new_value
    try:
        got = loader.load(after)
    except YAMLError as err:
        raise Refused(f"the rewritten file does not parse ({one_line(err)}): edit runs.image by hand") from None
    if got != expected:
        raise Refused(
            "the rewritten file does not read back as the input with only runs.image changed: edit runs.image by hand"
        )
    old_lines, new_lines = split_lines(before), split_lines(after)
    if len(old_lines) != len(new_lines):
        raise Refused(f"the rewrite would add or remove lines near line {line}: edit runs.image by hand")
    changed = [n for n, (a, b) in enumerate(zip(old_lines, new_lines, strict=True), start=1) if a != b]
    if changed != [line]:
        raise Refused(f"the rewrite would change lines {changed}, not only line {line}: edit runs.image by hand")


def unshared(value):
    """A deep copy in which no two places hold the same dict or list."""
    if isinstance(value, dict):
        return {unshared(k): unshared(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unshared(v) for v in value]
    return value


def split_lines(text: str) -> list[str]:
    """The lines of `text`, each with its line break; joined, they are `text`."""
    lines, start = [], 0
    for m in LINE_BREAK_RE.finditer(text):
        lines.append(text[start : m.end()])
        start = m.end()
    lines.append(text[start:])
    return lines


def line_of(text: str, index: int) -> int:
    """The 1-based line of the character at `index`."""
    return len(LINE_BREAK_RE.findall(text, 0, index)) + 1


def one_line(err: Exception) -> str:
    return " ".join(str(err).split())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Set runs.image of a container action's action.yml to docker://REF, changing nothing else.",
    )
    parser.add_argument("--action", required=True, metavar="PATH", help="the action.yml to read")
    parser.add_argument(
        "--image", required=True, metavar="REF", help="HOST[:PORT]/PATH[:TAG]@sha256:DIGEST, docker:// optional"
    )
    parser.add_argument("--output", metavar="PATH", help="where to write the result (default: stdout)")
    args = parser.parse_args(argv)

    try:
        with open(args.action, "rb") as f:
            data = f.read()
    except OSError as err:
        print(f"{PROG}: cannot read {args.action}: {err.strerror or err}", file=sys.stderr)
        return 1
    try:
        # newline="" semantics: the bytes are decoded as they are, so CR, LF
        # and a byte order mark survive the round trip.
        text = data.decode("utf-8")
        result = pin(text, args.image)
    except UnicodeDecodeError as err:
        print(
            f"{PROG}: the action file {args.action} is not UTF-8 ({err.reason} at byte {err.start}): save it as UTF-8",
            file=sys.stderr,
        )
        return 2
    except Refused as err:
        print(f"{PROG}: {err}", file=sys.stderr)
        return 2
    out = result.encode("utf-8")
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
