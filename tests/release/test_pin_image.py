"""Tests of .ci/pin-image.py, the program that writes the release commit's
action.yml and receive/action.yml, through its command line.

    python3 -m unittest discover -s tests/release -p 'test_*.py'

Needs ruamel.yaml==0.19.1 (the program's YAML library) and
check-jsonschema==0.39.0 (the GitHub action schema check):
    python3 -m pip install 'ruamel.yaml==0.19.1' 'check-jsonschema==0.39.0'

Every accepted case states the exact bytes expected; every refused case the
exit status 2, an empty stdout, and a phrase of the one-line reason.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import unittest
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIN = ROOT / ".ci" / "pin-image.py"

HEX = "0123456789abcdef" * 4
REF = f"ghcr.io/owner/repo@sha256:{HEX}"
PINNED = f"docker://{REF}"
HEAD = "name: t\ndescription: d\n"
# Text that looks like the image line, and another key named image.
DECOYS = "# image: Dockerfile\nname: 'image: Dockerfile'\ninputs:\n  image:\n    default: Dockerfile\n"


def act(*runs_lines: str, head: str = HEAD, nl: str = "\n") -> str:
    """A small docker action: `head`, then `runs:` with `using: docker` and the
    given lines, each ended by `nl`."""
    lines = ["runs:", "  using: docker", *runs_lines]
    return head.replace("\n", nl) + "".join(f"{line}{nl}" for line in lines)


@dataclass(frozen=True)
class Refused:
    """Expected outcome: exit 2, nothing on stdout, `phrase` in the reason."""

    phrase: str


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(PIN), *args], capture_output=True, timeout=60, check=False)


class PinImage(unittest.TestCase):
    def setUp(self) -> None:
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.dir = Path(tmp.name)

    def write(self, name: str, data: bytes) -> Path:
        path = self.dir / name
        path.write_bytes(data)
        return path

    def check(self, action: str | bytes, image: str, expected: str | bytes | Refused) -> None:
        """Runs the program on `action` with --image `image` and compares
        stdout with `expected` byte for byte, or checks the refusal."""
        data = action.encode() if isinstance(action, str) else action
        path = self.write("action.yml", data)
        got = run("--action", str(path), f"--image={image}")  # = lets an image start with '-'
        if isinstance(expected, Refused):
            self.assert_refused(got, expected.phrase)
        else:
            want = expected.encode() if isinstance(expected, str) else expected
            self.assertEqual(got.stderr.decode(), "")
            self.assertEqual(got.returncode, 0)
            self.assertEqual(got.stdout, want)
        self.assertEqual(path.read_bytes(), data, "the input file must never change")

    def assert_refused(self, got: subprocess.CompletedProcess, phrase: str, status: int = 2) -> None:
        err = got.stderr.decode()
        self.assertEqual(got.returncode, status, err)
        self.assertEqual(got.stdout, b"", "a refusal writes nothing")
        self.assertIn(phrase, err)
        self.assertRegex(err, r"\Apin-image: [a-z`\"'(]")  # lower-case, no traceback
        self.assertEqual(err.count("\n"), 1, f"one line: {err!r}")
        self.assertFalse(err.rstrip("\n").endswith("."), f"no trailing period: {err!r}")

    # --- the references -------------------------------------------------------------

    def test_references(self) -> None:
        base = act("  image: Dockerfile")
        cases = [
            # accepted, with or without docker:// (never doubled)
            (REF, act(f"  image: {PINNED}")),
            (PINNED, act(f"  image: {PINNED}")),
            (f"ghcr.io/owner/repo:v1.2.3@sha256:{HEX}", act(f"  image: docker://ghcr.io/owner/repo:v1.2.3@sha256:{HEX}")),
            (f"localhost:5000/a/b@sha256:{HEX}", act(f"  image: docker://localhost:5000/a/b@sha256:{HEX}")),
            (f"ghcr.io/my-org/sub/my_repo.x@sha256:{HEX}", act(f"  image: docker://ghcr.io/my-org/sub/my_repo.x@sha256:{HEX}")),
            (f"Registry.Example.COM/o/r@sha256:{HEX}", act(f"  image: docker://Registry.Example.COM/o/r@sha256:{HEX}")),
            # no digest: a tag is not a pin
            ("ghcr.io/owner/repo:v1", Refused("has no digest")),
            ("ghcr.io/owner/repo", Refused("has no digest")),
            ("docker://ghcr.io/owner/repo:v1.2.3", Refused("has no digest")),
            # malformed digests
            (f"ghcr.io/owner/repo@sha256:{HEX[:63]}", Refused("not 64 lower-case hex digits (63 characters)")),
            (f"ghcr.io/owner/repo@sha256:{HEX}0", Refused("(65 characters)")),
            (f"ghcr.io/owner/repo@sha256:{HEX.upper()}", Refused("has upper-case letters")),
            (f"ghcr.io/owner/repo@sha256:{HEX[:63]}g", Refused("not 64 lower-case hex digits")),
            (f"ghcr.io/owner/repo@sha512:{HEX}{HEX}", Refused("algorithm 'sha512' is not supported")),
            (f"ghcr.io/owner/repo@SHA256:{HEX}", Refused("algorithm 'SHA256' is not supported")),
            (f"ghcr.io/owner/repo@{HEX}", Refused("has no algorithm")),
            ("ghcr.io/owner/repo@", Refused("has no algorithm")),
            ("ghcr.io/owner/repo@sha256:", Refused("(0 characters)")),
            # characters YAML would need quoted, and others a reference cannot hold
            (f"{REF} ", Refused("holds ' ' at position 91")),
            (f" {REF}", Refused("holds ' ' at position 1")),
            (f"ghcr.io/owner/repo\n@sha256:{HEX}", Refused("holds '\\n'")),
            (f"ghcr.io/owner/repo\t@sha256:{HEX}", Refused("holds '\\t'")),
            (f'"{REF}"', Refused("holds '\"'")),
            (f"'{REF}'", Refused("holds \"'\"")),
            (f"ghcr.io/owner/repo#x@sha256:{HEX}", Refused("holds '#'")),
            (f"ghcr.io/owner/repo@sha256:{HEX}\r", Refused("holds '\\r'")),
            (f"ghcr.io/ówner/repo@sha256:{HEX}", Refused("holds 'ó'")),
            (f"ghcr.io/owner/repo:{{x}}@sha256:{HEX}", Refused("holds '{'")),
            ("", Refused("the image reference is empty")),
            ("docker://", Refused("the image reference is empty")),
            # the name part
            (f"docker://docker://ghcr.io/o/r@sha256:{HEX}", Refused("does not start with a registry host")),
            (f"owner/repo@sha256:{HEX}", Refused("does not start with a registry host ('owner')")),
            (f"-ghcr.io/o/r@sha256:{HEX}", Refused("does not start with a registry host")),
            (f"ghcr.io@sha256:{HEX}", Refused("has no repository path")),
            (f"ghcr.io/@sha256:{HEX}", Refused("has no repository path")),
            (f"ghcr.io/Owner/repo@sha256:{HEX}", Refused("lower-case OWNER/REPO")),
            (f"ghcr.io/owner//repo@sha256:{HEX}", Refused("is not valid at ''")),
            (f"ghcr.io/owner/repo-@sha256:{HEX}", Refused("is not valid at 'repo-'")),
            (f"ghcr.io/owner/repo:-v1@sha256:{HEX}", Refused("the tag '-v1'")),
            (f"ghcr.io/owner/repo@x@sha256:{HEX}", Refused("more than one '@'")),
        ]
        for image, expected in cases:
            with self.subTest(image=image):
                self.check(base, image, expected)

    # --- the action file -------------------------------------------------------------

    def test_action_files(self) -> None:
        cases = [
            # the value is replaced, its quoting and everything around it kept
            (act("  image: Dockerfile"), act(f"  image: {PINNED}")),
            (act("  image: Dockerfile # built in every job"), act(f"  image: {PINNED} # built in every job")),
            (act("  image:    Dockerfile   #c"), act(f"  image:    {PINNED}   #c")),
            (act("  image: 'Dockerfile'"), act(f"  image: '{PINNED}'")),
            (act('  image: "Dockerfile"  # c'), act(f'  image: "{PINNED}"  # c')),
            (act("  image: ''"), act(f"  image: '{PINNED}'")),
            (act('  "image": Dockerfile'), act(f'  "image": {PINNED}')),
            (act("  image:", "    Dockerfile"), act("  image:", f"    {PINNED}")),
            (act(f"  image: docker://ghcr.io/old/one@sha256:{'f' * 64}"), act(f"  image: {PINNED}")),
            (act("  image: docker://alpine:3.20"), act(f"  image: {PINNED}")),
            (act("  image: Dockerfile", "  args: [a, 'b']", "  env: {X: y}"),
             act(f"  image: {PINNED}", "  args: [a, 'b']", "  env: {X: y}")),
            (act("  image: Dockerfile", "branding: {icon: send}  # after runs"),
             act(f"  image: {PINNED}", "branding: {icon: send}  # after runs")),
            # other keys named image, and the text "image: Dockerfile" elsewhere, stay
            (act("  image: Dockerfile", head=DECOYS), act(f"  image: {PINNED}", head=DECOYS)),
            # line endings, no final newline, byte order mark, non-ASCII text
            (act("  image: Dockerfile", nl="\r\n"), act(f"  image: {PINNED}", nl="\r\n")),
            (act("  image: Dockerfile # c", head="name: t\ndescription: d\r\n"),
             act(f"  image: {PINNED} # c", head="name: t\ndescription: d\r\n")),
            ("runs:\r\n  using: docker\r\n  image: Dockerfile", f"runs:\r\n  using: docker\r\n  image: {PINNED}"),
            ("runs:\n  using: docker\n  image: Dockerfile\n\n\n", f"runs:\n  using: docker\n  image: {PINNED}\n\n\n"),
            ("\ufeff" + act("  image: Dockerfile"), "\ufeff" + act(f"  image: {PINNED}")),
            (act("  image: Dockerfile", head="name: é ü 😀\ndescription: d\n"),
             act(f"  image: {PINNED}", head="name: é ü 😀\ndescription: d\n")),
            (act("  image: Dockerfile", head="name: t\ndescription: \"a\u2028b\"\n"),
             act(f"  image: {PINNED}", head="name: t\ndescription: \"a\u2028b\"\n")),
            ("runs:\n  image: Dockerfile\n  using: 'docker'\n", f"runs:\n  image: {PINNED}\n  using: 'docker'\n"),
            ("runs:\n    using: docker\n    image: Dockerfile\n", f"runs:\n    using: docker\n    image: {PINNED}\n"),
            # not a container action
            ("runs:\n  using: node20\n  main: dist/index.js\n", Refused("runs.using is 'node20', not 'docker'")),
            ("runs:\n  using: composite\n  steps: []\n", Refused("runs.using is 'composite', not 'docker'")),
            ("runs:\n  using: Docker\n  image: Dockerfile\n", Refused("runs.using is 'Docker'")),
            ("runs:\n  image: Dockerfile\n", Refused("runs has no `using:`")),
            ("name: t\n", Refused("has no `runs:` mapping")),
            ("runs: docker\n", Refused("has no `runs:` mapping")),
            ("- runs\n", Refused("not a YAML mapping")),
            ("", Refused("not a YAML mapping")),
            ("# only a comment\n", Refused("not a YAML mapping")),
            # no image to rewrite, or one that cannot be rewritten in place
            ("runs:\n  using: docker\n", Refused("has no runs.image")),
            (act("  image:"), Refused("runs.image is empty")),
            (act("  image: 42"), Refused("runs.image is 42, not a string")),
            (act("  image: [Dockerfile]"), Refused("not a string")),
            ("runs: {using: docker, image: Dockerfile}\n", Refused("flow style")),
            (act("  image: |", "    Dockerfile"), Refused("is a block scalar (|)")),
            (act("  image: >-", "    Dockerfile"), Refused("is a block scalar (>)")),
            (act("  image: Docker", "    file"), Refused("runs.image (line 5) spans several lines")),
            (act('  image: "Docker', '    file"'), Refused("spans several lines")),
            (act('  image: "Docker\\x66ile"'), act(f'  image: "{PINNED}"')),
            (act("  image: 'Docker''file'"), act(f"  image: '{PINNED}'")),
            (act("  image: !!str Dockerfile"), Refused("with a tag or an anchor")),
            (act("  image: &img Dockerfile", "  entrypoint: *img"), Refused("with a tag or an anchor")),
            ("runs: &r\n  using: docker\n  image: Dockerfile\nalso: *r\n", Refused("does not read back as the input")),
            ("x: &img Dockerfile\nruns:\n  using: docker\n  image: *img\n", Refused("is an alias or not a scalar")),
            ("base: &b\n  image: Dockerfile\nruns:\n  <<: *b\n  using: docker\n", Refused("`image:` is not written")),
            ("r: &r\n  using: docker\n  image: Dockerfile\nruns: *r\n", Refused("through an alias")),
            # not valid YAML (for GitHub either)
            ("runs: [\n", Refused("not valid YAML")),
            (act("  image: Dockerfile", "  image: Dockerfile"), Refused("not valid YAML: while constructing")),
            (act("  image: Dockerfile") + "---\nname: u\n", Refused("expected a single document")),
            (act("  image: Dockerfile", head="name: \x01\n"), Refused("not valid YAML")),
            (act("  image: Dockerfile", head="name: t\n").encode() + b"# \xff\n", Refused("is not UTF-8")),
            (act("  image: Dockerfile").encode("utf-16"), Refused("is not UTF-8")),
        ]
        for action, expected in cases:
            with self.subTest(action=action):
                self.check(action, REF, expected)

    # --- the real action.yml ---------------------------------------------------------

    # The release commit pins both actions of the repository to the same image:
    # each file, the image line as main has it, and the rest of that line.
    REAL_ACTIONS = [
        ("action.yml", b"  image: Dockerfile", b"\n"),
        (
            "receive/action.yml",
            b"  image: ../Dockerfile",
            b" # zizmor: ignore[unpinned-images] -- a Dockerfile, not an image\n",
        ),
    ]

    def test_real_action_ymls(self) -> None:
        """In action.yml and receive/action.yml exactly one line changes, the
        image value to the pinned image (a comment after it stays), and each
        result is still a valid action by GitHub's schema."""
        for name, before, rest in self.REAL_ACTIONS:
            with self.subTest(action=name):
                original = (ROOT / name).read_bytes()
                line = before + rest
                self.assertEqual(original.count(line), 1, f"{name} on main builds the Dockerfile")
                after = f"  image: {PINNED}".encode() + rest
                expected = original.replace(line, after)
                out = self.dir / name.replace("/", "_")
                got = run("--action", str(ROOT / name), "--image", REF, "--output", str(out))
                self.assertEqual((got.returncode, got.stdout, got.stderr), (0, b"", b""))
                result = out.read_bytes()
                self.assertEqual(result, expected)
                old_lines, new_lines = original.splitlines(keepends=True), result.splitlines(keepends=True)
                self.assertEqual(len(old_lines), len(new_lines))
                changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
                self.assertEqual(changed, [(line, after)])
                self.assert_valid_action(out)

    def test_receive_keeps_its_args(self) -> None:
        """The pinned receive/action.yml still runs the image with args
        [receive], the image the root action runs."""
        from ruamel.yaml import YAML

        outs = {}
        for name in ("action.yml", "receive/action.yml"):
            out = self.dir / name.replace("/", "_")
            got = run("--action", str(ROOT / name), "--image", REF, "--output", str(out))
            self.assertEqual(got.returncode, 0, got.stderr.decode())
            outs[name] = YAML(typ="safe").load(out.read_text(encoding="utf-8"))["runs"]
        self.assertEqual(outs["action.yml"]["image"], PINNED)
        self.assertEqual(outs["receive/action.yml"]["image"], PINNED)
        self.assertEqual(outs["receive/action.yml"]["args"], ["receive"])
        self.assertNotIn("args", outs["action.yml"])

    def test_schema_check_can_fail(self) -> None:
        """The schema check used above rejects a docker action without an image."""
        broken = self.write("action.yml", b"name: t\ndescription: d\nruns:\n  using: docker\n")
        got = self.validate(broken)
        self.assertEqual(got.returncode, 1, (got.stdout + got.stderr).decode())
        self.assertIn(b"Schema validation errors were encountered", got.stdout)

    def validate(self, path: Path) -> subprocess.CompletedProcess:
        try:
            return subprocess.run(
                [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-actions", str(path)],
                capture_output=True,
                timeout=120,
                check=False,
            )
        except FileNotFoundError as err:  # pragma: no cover - the interpreter itself vanished
            self.fail(f"cannot run check-jsonschema: {err}")

    def assert_valid_action(self, path: Path) -> None:
        got = self.validate(path)
        if b"No module named check_jsonschema" in got.stderr:
            self.fail("check-jsonschema is missing: python3 -m pip install 'check-jsonschema==0.39.0'")
        self.assertEqual(got.returncode, 0, (got.stdout + got.stderr).decode())

    # --- input and output ------------------------------------------------------------

    def test_output_file(self) -> None:
        action = self.write("in.yml", act("  image: Dockerfile").encode())
        out = self.dir / "out.yml"
        got = run("--action", str(action), "--image", REF, "--output", str(out))
        self.assertEqual((got.returncode, got.stdout, got.stderr), (0, b"", b""))
        self.assertEqual(out.read_bytes(), act(f"  image: {PINNED}").encode())

    def test_output_in_place(self) -> None:
        action = self.write("action.yml", act("  image: Dockerfile", nl="\r\n").encode())
        got = run("--action", str(action), "--image", REF, "--output", str(action))
        self.assertEqual((got.returncode, got.stdout, got.stderr), (0, b"", b""))
        self.assertEqual(action.read_bytes(), act(f"  image: {PINNED}", nl="\r\n").encode())

    def test_refusal_writes_no_output(self) -> None:
        action = self.write("in.yml", act("  image: Dockerfile").encode())
        out = self.dir / "out.yml"
        got = run("--action", str(action), "--image", "ghcr.io/owner/repo:v1", "--output", str(out))
        self.assert_refused(got, "has no digest")
        self.assertFalse(out.exists())

    def test_refusal_leaves_existing_output(self) -> None:
        action = self.write("in.yml", b"runs:\n  using: composite\n  steps: []\n")
        out = self.write("out.yml", b"untouched\n")
        got = run("--action", str(action), "--image", REF, "--output", str(out))
        self.assert_refused(got, "not 'docker'")
        self.assertEqual(out.read_bytes(), b"untouched\n")

    def test_io_errors(self) -> None:
        action = self.write("in.yml", act("  image: Dockerfile").encode())
        cases = [
            (["--action", str(self.dir / "missing.yml"), "--image", REF], "cannot read"),
            (["--action", str(self.dir), "--image", REF], "cannot read"),
            (["--action", str(action), "--image", REF, "--output", str(self.dir / "no" / "such" / "dir.yml")],
             "cannot write"),
            (["--action", str(action), "--image", REF, "--output", str(self.dir)], "cannot write"),
        ]
        for args, phrase in cases:
            with self.subTest(args=args):
                self.assert_refused(run(*args), phrase, status=1)

    def test_usage_errors(self) -> None:
        for args in (["--image", REF], ["--action", "action.yml"], ["--action", "a", "--image", REF, "extra"]):
            with self.subTest(args=args):
                got = run(*args)
                self.assertEqual(got.returncode, 2)
                self.assertEqual(got.stdout, b"")
                self.assertIn(b"usage: pin-image", got.stderr)


if __name__ == "__main__":
    os.chdir(ROOT)
    unittest.main()
