"""Tests of .ci/pin-binaries.py, the program that writes the release commit's
portable/release.json, through its command line.

    python3 -m unittest discover -s tests/release -p 'test_*.py'

Standard library only. The accepted case states the exact bytes expected;
every refused case the exit status, an empty stdout, no output file, and a
phrase of the one-line reason.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIN = ROOT / ".ci" / "pin-binaries.py"

TAG = "v1.2.3"
REPOSITORY = "octo-org/repository-dispatch"
# The platforms of the portable action (RUNNER_OS-RUNNER_ARCH) and the Rust
# targets the release builds for them.
TARGETS = {
    "Linux-X64": "x86_64-unknown-linux-musl",
    "Linux-ARM64": "aarch64-unknown-linux-musl",
    "macOS-X64": "x86_64-apple-darwin",
    "macOS-ARM64": "aarch64-apple-darwin",
    "Windows-X64": "x86_64-pc-windows-msvc",
}


def binary_name(target: str, tag: str = TAG) -> str:
    suffix = ".exe" if "windows" in target else ""
    return f"repository-dispatch-{tag}-{target}{suffix}"


def content(target: str) -> bytes:
    """A stand-in binary, different for each target."""
    return f"\x00binary for {target}\n".encode() * 3


# The table for the stand-ins, written out by hand: names, SHA-256 and sizes
# of the uncompressed binaries, in the program's stable form.
EXPECTED = """{
  "assets": {
    "Linux-ARM64": {
      "file": "repository-dispatch-v1.2.3-aarch64-unknown-linux-musl.gz",
      "sha256": "62bcf621f4bdfa324ba7cf4feba0d8bea2aa94abfa138ae068121ea8368bd1a8",
      "size": 117
    },
    "Linux-X64": {
      "file": "repository-dispatch-v1.2.3-x86_64-unknown-linux-musl.gz",
      "sha256": "2a67138c329975ea69d4f0631bf594a835894973a333f736243a4ef41e1675e7",
      "size": 114
    },
    "Windows-X64": {
      "file": "repository-dispatch-v1.2.3-x86_64-pc-windows-msvc.exe.gz",
      "sha256": "9f2ec91b9e2caf51340a059555519ac5753de3edbb6a779e572214c818f4fe56",
      "size": 105
    },
    "macOS-ARM64": {
      "file": "repository-dispatch-v1.2.3-aarch64-apple-darwin.gz",
      "sha256": "4e7904fc89a396a0c6be2bf3efb919758b49939737a227e99184f8a76d7b2705",
      "size": 99
    },
    "macOS-X64": {
      "file": "repository-dispatch-v1.2.3-x86_64-apple-darwin.gz",
      "sha256": "dd5fd3d5fd07f2c3ab629edd6bb0af563c897fae9b8e1ea7b2c7260797680aa0",
      "size": 96
    }
  },
  "repository": "octo-org/repository-dispatch",
  "tag": "v1.2.3",
  "version": "1.2.3"
}
"""


@dataclass(frozen=True)
class Refused:
    """Expected outcome: exit `status`, nothing on stdout, `phrase` in the reason."""

    phrase: str
    status: int = 2


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(PIN), *args], capture_output=True, timeout=60, check=False)


class PinBinaries(unittest.TestCase):
    def setUp(self) -> None:
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.dir = Path(tmp.name)
        self.dist = self.dir / "dist"

    def make_dist(self, tag: str = TAG) -> Path:
        """A dist folder as the release job downloads it: each binary, its .gz
        (as `gzip -9 -n` makes it) and the .sha256 files, which the program
        does not read. A new folder each time: cases change it."""
        shutil.rmtree(self.dist, ignore_errors=True)
        self.dist.mkdir()
        for target in TARGETS.values():
            name = binary_name(target, tag)
            data = content(target)
            self.put(name, data)
            self.put(f"{name}.gz", gzip.compress(data, compresslevel=9, mtime=0))
            self.put(f"{name}.sha256", b"not read\n")
        return self.dist

    def put(self, name: str, data: bytes) -> None:
        (self.dist / name).write_bytes(data)

    def pin(self, *extra: str, dist: Path | None = None, tag: str = TAG, repository: str = REPOSITORY):
        return run("--dist", str(dist or self.dist), f"--tag={tag}", f"--repository={repository}", *extra)

    def assert_refused(self, got: subprocess.CompletedProcess, expected: Refused) -> None:
        err = got.stderr.decode()
        self.assertEqual(got.returncode, expected.status, err)
        self.assertEqual(got.stdout, b"", "a refusal writes nothing")
        self.assertIn(expected.phrase, err)
        self.assertRegex(err, r"\Apin-binaries: [a-z`\"'(]")  # lower-case, no traceback
        self.assertEqual(err.count("\n"), 1, f"one line: {err!r}")
        self.assertFalse(err.rstrip("\n").endswith("."), f"no trailing period: {err!r}")

    # --- the table ------------------------------------------------------------------

    def test_table(self) -> None:
        """Every platform, its .gz asset, and the SHA-256 and size of the
        uncompressed binary, byte for byte."""
        self.make_dist()
        got = self.pin()
        self.assertEqual((got.returncode, got.stderr.decode()), (0, ""))
        self.assertEqual(got.stdout.decode(), EXPECTED)

    def test_round_trip(self) -> None:
        """The output parses to the table, prints back to the same bytes, is the
        same on a second run, and --output writes exactly what stdout shows."""
        self.make_dist()
        first, second = self.pin(), self.pin()
        self.assertEqual(first.returncode, 0, first.stderr.decode())
        self.assertEqual(first.stdout, second.stdout)
        text = first.stdout.decode()
        value = json.loads(text)
        self.assertEqual(json.dumps(value, indent=2, sort_keys=True) + "\n", text)
        self.assertEqual(sorted(value["assets"]), sorted(TARGETS))
        for platform, target in TARGETS.items():
            with self.subTest(platform=platform):
                asset = value["assets"][platform]
                self.assertEqual(asset["file"], f"{binary_name(target)}.gz")
                self.assertIsInstance(asset["size"], int)
                self.assertEqual(asset["size"], len(content(target)))
        out = self.dir / "release.json"
        written = self.pin("--output", str(out))
        self.assertEqual((written.returncode, written.stdout, written.stderr), (0, b"", b""))
        self.assertEqual(out.read_bytes(), first.stdout)

    def test_tags(self) -> None:
        """The version is the tag without its v; pre-releases are tags too."""
        for tag, version in [("v0.1.0", "0.1.0"), ("v1.2.3-pre", "1.2.3-pre"), ("v10.20.30-rc.1", "10.20.30-rc.1")]:
            with self.subTest(tag=tag):
                self.make_dist(tag)
                got = self.pin(tag=tag)
                self.assertEqual(got.returncode, 0, got.stderr.decode())
                value = json.loads(got.stdout)
                self.assertEqual((value["tag"], value["version"]), (tag, version))
                self.assertEqual(value["assets"]["Windows-X64"]["file"], f"{binary_name(TARGETS['Windows-X64'], tag)}.gz")

    def test_gzip_of_several_members(self) -> None:
        """What a gunzip reads (node's zlib too) counts, not how it was cut."""
        self.make_dist()
        name = binary_name(TARGETS["macOS-X64"])
        data = content(TARGETS["macOS-X64"])
        self.put(f"{name}.gz", gzip.compress(data[:10], mtime=0) + gzip.compress(data[10:], mtime=0))
        got = self.pin()
        self.assertEqual((got.returncode, got.stdout.decode()), (0, EXPECTED))

    # --- refusals -------------------------------------------------------------------

    def test_refusals(self) -> None:
        linux = binary_name(TARGETS["Linux-X64"])
        mac = binary_name(TARGETS["macOS-ARM64"])
        windows = binary_name(TARGETS["Windows-X64"])

        def remove(name: str) -> Callable[[PinBinaries], None]:
            return lambda t: (t.dist / name).unlink()

        def write(name: str, data: bytes) -> Callable[[PinBinaries], None]:
            return lambda t: t.put(name, data)

        def gz(data: bytes) -> bytes:
            return gzip.compress(data, mtime=0)

        mac_data = content(TARGETS["macOS-ARM64"])
        cases: list[tuple[str, Callable[[PinBinaries], None], Refused]] = [
            # a platform missing, its binary or its .gz
            *[
                (f"no {name}", remove(name), Refused(f"lacks {name}: a release needs the binary and its .gz"))
                for target in TARGETS.values()
                for name in (binary_name(target), f"{binary_name(target)}.gz")
            ],
            ("two missing, both named", lambda t: (remove(linux)(t), remove(f"{windows}.gz")(t)),
             Refused(f"lacks {linux}, {windows}.gz:")),
            ("a folder in place of a binary", lambda t: (remove(mac)(t), (t.dist / mac).mkdir()), Refused(f"lacks {mac}:")),
            # a .gz that does not hold its binary
            ("another binary's .gz", write(f"{mac}.gz", gz(content(TARGETS["macOS-X64"]))),
             Refused(f"{mac}.gz does not gunzip to {mac} (macOS-ARM64): it holds 96 bytes")),
            ("one byte more", write(f"{mac}.gz", gz(mac_data + b"\x00")),
             Refused(f"{mac}.gz does not gunzip to {mac} (macOS-ARM64): it holds more than 99 bytes")),
            ("one byte less", write(f"{mac}.gz", gz(mac_data[:-1])), Refused("it holds 98 bytes, sha256 ")),
            ("one byte changed", write(f"{mac}.gz", gz(mac_data[:-1] + b"?")),
             Refused("it holds 99 bytes, sha256 ")),
            ("an empty .gz content", write(f"{mac}.gz", gz(b"")),
             Refused("it holds 0 bytes, sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")),
            ("the binary changed after compression", write(windows, b"MZ other"),
             Refused(f"{windows}.gz does not gunzip to {windows} (Windows-X64)")),
            ("not gzip", write(f"{windows}.gz", content(TARGETS["Windows-X64"])),
             Refused(f"{windows}.gz is not a gzip file (it does not start with the bytes 1f 8b): compress")),
            ("a truncated .gz", write(f"{linux}.gz", gz(content(TARGETS["Linux-X64"]))[:-5]),
             Refused(f"{linux}.gz is not a complete gzip file")),
            ("a wrong CRC", write(f"{linux}.gz", gz(content(TARGETS["Linux-X64"]))[:-8] + bytes(8)),
             Refused(f"{linux}.gz is not a complete gzip file")),
            ("an empty .gz file", write(f"{linux}.gz", b""), Refused(f"{linux}.gz is not a gzip file")),
            ("only the magic bytes", write(f"{linux}.gz", b"\x1f\x8b"), Refused(f"{linux}.gz is not a complete gzip file")),
            ("trailing bytes", write(f"{linux}.gz", gz(content(TARGETS["Linux-X64"])) + b"junk"),
             Refused(f"{linux}.gz is not a complete gzip file")),
            ("an empty binary", lambda t: (write(linux, b"")(t), write(f"{linux}.gz", gz(b""))(t)),
             Refused(f"{linux} (Linux-X64) is empty: build it again")),
        ]
        for label, change, expected in cases:
            with self.subTest(case=label):
                self.make_dist()
                change(self)
                self.check_refused(expected)

    def test_refused_tags(self) -> None:
        for tag in ["1.2.3", "v1.2", "v1.2.3.4", "V1.2.3", "v01.2.3", "v1.02.3", "v1.2.3-", "v1.2.3-rc..1",
                    "v1.2.3+build.1", "v1.2.3 ", " v1.2.3", "v1.2.3\n", "", "v", "refs/tags/v1.2.3", "v1.2.3-r/c",
                    "v١.2.3"]:
            with self.subTest(tag=tag):
                self.make_dist()
                self.check_refused(Refused(f"the tag {tag!r} is not a release tag: give vX.Y.Z or vX.Y.Z-PRE"),
                                   tag=tag)

    def test_repositories(self) -> None:
        for repository in ["Octo-Org/Repository.Dispatch_2", "a/b", "a-1/.github", f"{'o' * 39}/{'r' * 100}"]:
            with self.subTest(repository=repository):
                self.make_dist()
                got = self.pin(repository=repository)
                self.assertEqual(got.returncode, 0, got.stderr.decode())
                self.assertEqual(json.loads(got.stdout)["repository"], repository)
        for repository in ["octo-org", "octo-org/", "/repository-dispatch", "octo-org/a/b", "octo org/r", "-octo/r",
                           "o/.", "o/..", "o/r?x", "o/r#x", "", "/", "o_o/r", f"{'o' * 40}/r", f"o/{'r' * 101}",
                           "https://github.com/o/r", "o/r\n"]:
            with self.subTest(repository=repository):
                self.make_dist()
                self.check_refused(Refused(f"the repository {repository!r} is not OWNER/NAME"),
                                   repository=repository)

    def test_refused_dist(self) -> None:
        cases = [
            ("no such folder", self.dir / "missing", Refused("is not a folder")),
            ("a file", self.dir / "file", Refused("is not a folder")),
            ("an empty folder", self.dir / "empty", Refused("repository-dispatch-v1.2.3-x86_64-unknown-linux-musl, ")),
        ]
        (self.dir / "file").write_bytes(b"")
        (self.dir / "empty").mkdir()
        for label, dist, expected in cases:
            with self.subTest(case=label):
                self.check_refused(expected, dist=dist)

    def test_another_tag_s_assets(self) -> None:
        """Assets named for another tag are not this release's."""
        self.make_dist("v1.2.4")
        self.check_refused(Refused("lacks repository-dispatch-v1.2.3-x86_64-unknown-linux-musl, "))

    def check_refused(self, expected: Refused, **kwargs) -> None:
        """Runs the program with --output and checks the refusal and that the
        output file is left as it was."""
        out = self.dir / "release.json"
        out.write_bytes(b"untouched\n")
        self.assert_refused(self.pin("--output", str(out), **kwargs), expected)
        self.assertEqual(out.read_bytes(), b"untouched\n")
        self.assert_refused(self.pin(**kwargs), expected)

    # --- input and output -----------------------------------------------------------

    def test_io_errors(self) -> None:
        self.make_dist()
        for output in (self.dir / "no" / "such" / "dir.json", self.dir):
            with self.subTest(output=output):
                self.assert_refused(self.pin("--output", str(output)), Refused("cannot write", status=1))

    @unittest.skipIf(os.name != "posix" or os.geteuid() == 0, "root reads any file")
    def test_unreadable_binary(self) -> None:  # pragma: no cover - the test command runs as root
        self.make_dist()
        (self.dist / binary_name(TARGETS["Linux-X64"])).chmod(0)
        self.assert_refused(self.pin(), Refused("cannot read", status=1))

    def test_usage_errors(self) -> None:
        for args in (["--tag", TAG, "--repository", REPOSITORY], ["--dist", "d", "--repository", REPOSITORY],
                     ["--dist", "d", "--tag", TAG], ["--dist", "d", "--tag", TAG, "--repository", REPOSITORY, "x"]):
            with self.subTest(args=args):
                got = run(*args)
                self.assertEqual(got.returncode, 2)
                self.assertEqual(got.stdout, b"")
                self.assertIn(b"usage: pin-binaries", got.stderr)

    # --- the repository's own files ---------------------------------------------------

    def test_branch_table_is_unpinned(self) -> None:
        """Only a release commit pins binaries: on a branch, portable/release.json
        is the empty table the portable action reads as "no pinned checksums"."""
        self.assertEqual(
            (ROOT / "portable" / "release.json").read_bytes(),
            b'{\n  "assets": {},\n  "repository": null,\n  "tag": null,\n  "version": null\n}\n',
        )

    def test_workflow_builds_every_platform(self) -> None:
        """The release workflow builds exactly the targets the table needs, and
        writes the table with this program."""
        workflow = (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
        built = re.findall(r"^ +- target: (\S+)$", workflow, flags=re.M)
        self.assertEqual(sorted(built), sorted(TARGETS.values()))
        self.assertIn(".ci/pin-binaries.py", workflow)


if __name__ == "__main__":
    unittest.main()
