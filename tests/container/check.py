#!/usr/bin/env python3
"""Helpers for tests/container/run.sh: read what the runner and the action wrote.

Also used by tests/release/run.sh and bench/step.sh (through tests/container/lib.sh).

Subcommands (each prints what is wrong and exits 1 when a check fails):

  action-env ACTION_YML --github NAME=VALUE ...
      The INPUT_* variables the runner would set for a step that gives no
      `with:`: every input, with its default (`${{ github.NAME }}` evaluated
      from --github) or, without one, empty, as the runner passes it
      (actions/runner, ActionManifestManager.ConvertInputs; actions/runner#924).
      Printed NUL-separated as NAME=VALUE.
  action-args ACTION_YML
      Print runs.args of an action.yml NUL-separated (nothing without args):
      what the runner passes after the image's entrypoint.
  action-image ACTION_YML
      Print runs.image of an action.yml (`Dockerfile` or `docker://REF`).
  action-post ACTION_YML
      Print runs.post-entrypoint of an action.yml.
  dispatch-event LOG START --repository OWNER/NAME --sender LOGIN [...]
      The event.json of the repository_dispatch the one dispatch request
      logged since line START would start: GitHub's webhook shape, with the
      request's event_type as `action` and its client_payload.
  workflow-step WORKFLOW JOB STEP_NAME --outputs STEP_ID=FILE ...
      The `env:` and `run:` of one step of a workflow file, as the runner
      hands them to the shell: each env value with its `${{ steps.ID.outputs.NAME }}`
      expressions evaluated from the outputs JSON of FILE (a missing output
      is empty). Printed NUL-separated: NAME=VALUE entries, then the script
      last. Fails if the script holds any `${{ }}`.
  minify JSON_TEXT
      JSON_TEXT with insignificant whitespace removed and nothing else changed
      (escapes, number spellings and key order kept byte for byte).
  outputs FILE
      Parse a GITHUB_OUTPUT (or GITHUB_ENV: the same format) file the way the
      runner does (NAME=VALUE lines and NAME<<DELIMITER heredocs) and print
      the outputs as a JSON object.
  summary FILE
      Check a GITHUB_STEP_SUMMARY file holds a Markdown table, print it.
  requests LOG START
      Print the requests the fake GitHub logged from line START on, as a JSON array.
  expect-request LOG START --method M --path P --header 'Name: value' ... --body TEXT
      Exactly one request arrived since START and it is exactly this one.
  expect-sequence LOG START --request 'METHOD PATH[?QUERY]' ... --header 'Name: value' ...
                  [--min-read-gap SECONDS]
      Exactly these requests arrived since START, in this order, each with
      exactly one of each header given; every GET with no body and no
      Content-Type; consecutive GETs at least SECONDS apart.
  elf-static FILE
      FILE is an ELF executable with no program interpreter (statically linked).
  image-files ARCHIVE
      List the files in the layers of a `podman save --format docker-archive` tar:
      name, size, mode and, for a symbolic link, its target (tab-separated).
"""

from __future__ import annotations

import argparse
import json
import re
import struct
import sys
import tarfile
from pathlib import Path


def fail(message: str) -> None:
    print(f"  {message}")
    sys.exit(1)


def action_env(args: argparse.Namespace) -> None:
    from ruamel.yaml import YAML  # check-jsonschema's YAML library

    github = dict(item.split("=", 1) for item in args.github)
    action = YAML(typ="safe").load(Path(args.action_yml).read_text(encoding="utf-8"))
    out = []
    for name, spec in (action.get("inputs") or {}).items():
        # The runner passes every input: one without a default as empty
        # (actions/runner, ActionManifestManager.ConvertInputs).
        value = str(spec["default"]) if "default" in (spec or {}) else ""

        def evaluate(match: re.Match[str]) -> str:
            key = match.group(1)
            if key not in github:
                fail(f"no value given for github.{key} (default of input {name!r})")
            return github[key]

        value = re.sub(r"\$\{\{\s*github\.([A-Za-z_]+)\s*\}\}", evaluate, value)
        # The runner's rule: INPUT_ + upper-cased name, spaces to '_', hyphens kept.
        out.append(f"INPUT_{name.replace(' ', '_').upper()}={value}")
    sys.stdout.write("\0".join(out) + "\0")


def action_args(args: argparse.Namespace) -> None:
    from ruamel.yaml import YAML

    action = YAML(typ="safe").load(Path(args.action_yml).read_text(encoding="utf-8"))
    given = (action.get("runs") or {}).get("args") or []
    if not isinstance(given, list) or not all(isinstance(a, str) for a in given):
        fail(f"{args.action_yml}: runs.args is not a list of strings: {given!r}")
    # The runner evaluates ${{ }} in args; this emulation passes them as written.
    if any("${{" in a for a in given):
        fail(f"{args.action_yml}: runs.args holds an expression, which this emulation does not evaluate")
    sys.stdout.write("".join(f"{a}\0" for a in given))


def dispatch_event(args: argparse.Namespace) -> None:
    import base64

    got = read_requests(args.log, args.start)
    dispatches = [r for r in got if r["method"] == "POST" and r["path"].endswith("/dispatches")]
    if len(dispatches) != 1:
        fail(f"expected exactly 1 dispatch since line {args.start}, the fake received {len(dispatches)}")
    body = json.loads(base64.b64decode(dispatches[0]["body_base64"]))
    owner, _, name = args.repository.partition("/")
    # GitHub's repository_dispatch webhook (webhook-repository-dispatch-sample):
    # `action` is the event_type sent, `sender` the token's account.
    event = {
        "action": body["event_type"],
        "branch": args.branch,
        "client_payload": body.get("client_payload"),
        "repository": {
            "id": 1296269,
            "node_id": "MDEwOlJlcG9zaXRvcnkxMjk2MjY5",
            "name": name,
            "full_name": args.repository,
            "private": True,
            "owner": {"login": owner, "id": 9919, "type": "Organization"},
            "html_url": f"https://github.com/{args.repository}",
            "default_branch": args.branch,
        },
        "organization": {"login": owner, "id": 9919},
        "sender": {
            "login": args.sender,
            "id": 41898282,
            "node_id": "MDM6Qm90NDE4OTgyODI=",
            "type": args.sender_type,
            "site_admin": False,
        },
        "installation": {"id": 12345678, "node_id": "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMTIzNDU2Nzg="},
    }
    print(json.dumps(event, ensure_ascii=False, indent=2))


def workflow_step(args: argparse.Namespace) -> None:
    from ruamel.yaml import YAML

    outputs = {}
    for spec in args.outputs:
        step_id, _, file = spec.partition("=")
        outputs[step_id] = json.loads(Path(file).read_text(encoding="utf-8"))
    doc = YAML(typ="safe").load(Path(args.workflow).read_text(encoding="utf-8"))
    steps = [s for s in (doc.get("jobs") or {}).get(args.job, {}).get("steps") or [] if s.get("name") == args.step]
    if len(steps) != 1:
        fail(f"{args.workflow}: job {args.job!r} has {len(steps)} steps named {args.step!r}, expected 1")
    step = steps[0]
    script = step.get("run")
    if not isinstance(script, str):
        fail(f"{args.workflow}: step {args.step!r} has no run: script")
    if "${{" in script:
        fail(f"{args.workflow}: step {args.step!r} pastes an expression into its script; pass it through env:")

    def evaluate(match: re.Match[str]) -> str:
        step_id, name = match.group(1), match.group(2)
        if step_id not in outputs:
            fail(f"{args.workflow}: step {args.step!r} reads steps.{step_id}, whose outputs were not given")
        return str(outputs[step_id].get(name, ""))

    out = []
    for name, value in (step.get("env") or {}).items():
        text = str(value)
        text = re.sub(r"\$\{\{\s*steps\.([A-Za-z_][A-Za-z0-9_-]*)\.outputs\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}", evaluate, text)
        if "${{" in text:
            fail(f"{args.workflow}: env {name} of step {args.step!r} holds an expression this emulation does not evaluate")
        out.append(f"{name}={text}")
    sys.stdout.write("".join(f"{entry}\0" for entry in out) + script + "\0")


def action_image(args: argparse.Namespace) -> None:
    from ruamel.yaml import YAML

    action = YAML(typ="safe").load(Path(args.action_yml).read_text(encoding="utf-8"))
    image = (action.get("runs") or {}).get("image")
    if not isinstance(image, str) or not image:
        fail(f"{args.action_yml}: no runs.image")
    print(image)


def minify(text: str) -> str:
    out = []
    in_string = escaped = False
    for ch in text:
        if in_string:
            out.append(ch)
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch in " \t\r\n":
            continue
        else:
            out.append(ch)
            in_string = ch == '"'
    return "".join(out)


def parse_outputs(path: Path) -> dict[str, str]:
    """The runner's file-command parser (actions/runner, FileCommandManager)."""
    raw = path.read_bytes()
    if not raw:
        return {}
    if not raw.endswith(b"\n"):
        fail(f"{path.name}: does not end with a newline")
    lines = raw.decode("utf-8").split("\n")[:-1]
    outputs: dict[str, str] = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line == "":
            continue
        eq, heredoc = line.find("="), line.find("<<")
        if heredoc >= 0 and (eq < 0 or heredoc < eq):
            name, delimiter = line[:heredoc], line[heredoc + 2 :]
            if not name or not delimiter:
                fail(f"{path.name}: bad heredoc header {line!r}")
            if not delimiter.startswith("ghadelimiter_") or len(delimiter) < len("ghadelimiter_") + 16:
                fail(f"{path.name}: delimiter {delimiter!r} is not a random ghadelimiter_ one")
            value = []
            while True:
                if i >= len(lines):
                    fail(f"{path.name}: no closing delimiter {delimiter!r} for {name!r}")
                if lines[i] == delimiter:
                    i += 1
                    break
                value.append(lines[i])
                i += 1
            outputs[name] = "\n".join(value)
        elif eq > 0:
            outputs[line[:eq]] = line[eq + 1 :]
        else:
            fail(f"{path.name}: line {line!r} is neither NAME=VALUE nor NAME<<DELIMITER")
    return outputs


def outputs(args: argparse.Namespace) -> None:
    print(json.dumps(parse_outputs(Path(args.file)), ensure_ascii=False))


def summary(args: argparse.Namespace) -> None:
    path = Path(args.file)
    text = path.read_text(encoding="utf-8")
    if not text.strip():
        fail(f"{path.name}: empty step summary")
    if len(text.encode()) > 1024 * 1024:
        fail(f"{path.name}: larger than the runner's 1 MiB limit")
    lines = text.splitlines()
    rows = [n for n, line in enumerate(lines) if line.strip().startswith("|") and line.strip().endswith("|")]
    separators = [n for n in rows if re.fullmatch(r"\|(\s*:?-{3,}:?\s*\|)+", lines[n].strip())]
    if not separators or separators[0] == 0 or separators[0] - 1 not in rows or separators[0] + 1 not in rows:
        fail(f"{path.name}: no Markdown table (header row, |---| separator, at least one row):\n{text}")
    print(text, end="" if text.endswith("\n") else "\n")


def read_requests(log: str, start: int) -> list[dict]:
    lines = Path(log).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[start:]]


def requests(args: argparse.Namespace) -> None:
    print(json.dumps(read_requests(args.log, args.start), ensure_ascii=False, indent=1))


def expect_request(args: argparse.Namespace) -> None:
    import base64

    got = read_requests(args.log, args.start)
    if len(got) != 1:
        fail(f"expected exactly 1 request, the fake received {len(got)}: {[(r['method'], r['path']) for r in got]}")
    req = got[0]
    problems = []
    if req["method"] != args.method:
        problems.append(f"method: expected {args.method!r}, got {req['method']!r}")
    if req["path"] != args.path or req["query"]:
        problems.append(f"path: expected {args.path!r}, got {req['path']!r} query {req['query']!r}")
    headers: dict[str, list[str]] = {}
    for name, value in req["headers"]:
        headers.setdefault(name.lower(), []).append(value)
    for spec in args.header:
        name, _, value = spec.partition(":")
        value = value.strip()
        seen = headers.get(name.strip().lower(), [])
        if seen != [value]:
            problems.append(f"header {name.strip()}: expected exactly [{value!r}], got {seen!r}")
    body = base64.b64decode(req["body_base64"])
    if body != args.body.encode("utf-8"):
        problems.append(f"body bytes differ:\n    expected {args.body.encode('utf-8')!r}\n    got      {body!r}")
    if problems:
        fail("\n  ".join(problems))
    print(f"  {req['method']} {req['path']} {len(body)} body bytes, headers: {sorted(headers)}")


def expect_sequence(args: argparse.Namespace) -> None:
    got = read_requests(args.log, args.start)
    seen = [f"{r['method']} {r['path']}" + (f"?{r['query']}" if r["query"] else "") for r in got]
    if seen != args.request:
        fail("requests since line {}:\n    got      {}\n    expected {}".format(
            args.start, "\n             ".join(seen) or "(none)", "\n             ".join(args.request)))
    problems = []
    last_get = None
    for line, req in zip(seen, got):
        headers: dict[str, list[str]] = {}
        for name, value in req["headers"]:
            headers.setdefault(name.lower(), []).append(value)
        for spec in args.header:
            name, _, value = spec.partition(":")
            have = headers.get(name.strip().lower(), [])
            if have != [value.strip()]:
                problems.append(f"{line}: header {name.strip()}: expected exactly [{value.strip()!r}], got {have!r}")
        if req["method"] == "GET":
            if req["body_base64"] or "content-type" in headers:
                problems.append(f"{line}: a GET with a body or a Content-Type: {req['body']!r} {headers.get('content-type')!r}")
            if last_get is not None and args.min_read_gap and req["time"] - last_get < args.min_read_gap:
                problems.append(f"{line}: {req['time'] - last_get:.3f} s after the read before it, under {args.min_read_gap} s")
            last_get = req["time"]
    if problems:
        fail("\n  ".join(problems))
    print("  " + "\n  ".join(seen))


def elf_static(args: argparse.Namespace) -> None:
    data = Path(args.file).read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        fail(f"{args.file}: not a 64-bit little-endian ELF file")
    (e_phoff,) = struct.unpack_from("<Q", data, 0x20)
    e_phentsize, e_phnum = struct.unpack_from("<HH", data, 0x36)
    kinds = [struct.unpack_from("<I", data, e_phoff + n * e_phentsize)[0] for n in range(e_phnum)]
    if 3 in kinds:  # PT_INTERP: needs a dynamic loader, which a scratch image lacks
        fail(f"{args.file}: dynamically linked (has a program interpreter)")


def action_post(args: argparse.Namespace) -> None:
    from ruamel.yaml import YAML

    action = YAML(typ="safe").load(Path(args.action_yml).read_text(encoding="utf-8"))
    post = (action.get("runs") or {}).get("post-entrypoint")
    if not isinstance(post, str) or not post:
        fail(f"{args.action_yml}: no runs.post-entrypoint")
    print(post)


def image_files(args: argparse.Namespace) -> None:
    files = []
    with tarfile.open(args.archive) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))  # type: ignore[arg-type]
        for layer in manifest[0]["Layers"]:
            with tarfile.open(fileobj=archive.extractfile(layer)) as tar:  # type: ignore[arg-type]
                files += [
                    f"{m.name}\t{m.size}\t{oct(m.mode)}\t{m.linkname if m.issym() else ''}"
                    for m in tar.getmembers()
                    if not m.isdir()
                ]
    print("\n".join(files))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(required=True)
    p = sub.add_parser("action-env")
    p.add_argument("action_yml")
    p.add_argument("--github", action="append", default=[])
    p.set_defaults(func=action_env)
    p = sub.add_parser("action-args")
    p.add_argument("action_yml")
    p.set_defaults(func=action_args)
    p = sub.add_parser("dispatch-event")
    p.add_argument("log")
    p.add_argument("start", type=int)
    p.add_argument("--repository", required=True)
    p.add_argument("--sender", required=True)
    p.add_argument("--sender-type", default="User")
    p.add_argument("--branch", default="main")
    p.set_defaults(func=dispatch_event)
    p = sub.add_parser("workflow-step")
    p.add_argument("workflow")
    p.add_argument("job")
    p.add_argument("step")
    p.add_argument("--outputs", action="append", default=[])
    p.set_defaults(func=workflow_step)
    p = sub.add_parser("action-image")
    p.add_argument("action_yml")
    p.set_defaults(func=action_image)
    p = sub.add_parser("action-post")
    p.add_argument("action_yml")
    p.set_defaults(func=action_post)
    p = sub.add_parser("minify")
    p.add_argument("text")
    p.set_defaults(func=lambda a: print(minify(a.text)))
    p = sub.add_parser("outputs")
    p.add_argument("file")
    p.set_defaults(func=outputs)
    p = sub.add_parser("summary")
    p.add_argument("file")
    p.set_defaults(func=summary)
    p = sub.add_parser("requests")
    p.add_argument("log")
    p.add_argument("start", type=int)
    p.set_defaults(func=requests)
    p = sub.add_parser("expect-request")
    p.add_argument("log")
    p.add_argument("start", type=int)
    p.add_argument("--method", required=True)
    p.add_argument("--path", required=True)
    p.add_argument("--header", action="append", default=[])
    p.add_argument("--body", required=True)
    p.set_defaults(func=expect_request)
    p = sub.add_parser("expect-sequence")
    p.add_argument("log")
    p.add_argument("start", type=int)
    p.add_argument("--request", action="append", default=[])
    p.add_argument("--header", action="append", default=[])
    p.add_argument("--min-read-gap", type=float, default=0.0)
    p.set_defaults(func=expect_sequence)
    p = sub.add_parser("elf-static")
    p.add_argument("file")
    p.set_defaults(func=elf_static)
    p = sub.add_parser("image-files")
    p.add_argument("archive")
    p.set_defaults(func=image_files)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
