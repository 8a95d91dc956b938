#!/usr/bin/env python3
"""Extracts every ```yaml block of the given Markdown files, checks that it is
YAML, and writes it out as a file the linters can read.

    python3 .ci/doc-snippets.py OUT_DIR README.md docs/*.md

Each block must be one of these shapes, so that a reader can paste it:

- a workflow (has `jobs`): written as it is;
- a job (has `steps`): wrapped in a workflow with `on: workflow_dispatch`
  (and `runs-on: ubuntu-24.04` if the job has none);
- steps (a list of mappings with `uses` or `run`): wrapped in such a job;
- workflow-level keys only (`run-name`, `on`, `permissions`, ...): completed
  with `on: workflow_dispatch` when it has no `on`, and a one-step job;
- an action metadata file (has `runs`).

Workflows land in OUT_DIR/workflows/, action metadata in OUT_DIR/actions/,
named after the Markdown file and the line the block starts on. Prints one
line per block. Exits 1 if a block is not YAML or has none of these shapes
(saying which file and line), 2 on a usage or I/O error.
"""

import re
import sys
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

WORKFLOW_KEYS = {"name", "run-name", "on", "permissions", "env", "defaults", "concurrency"}
FENCE = re.compile(r"^(\s*)```(\S*)\s*$")


def blocks(text):
    """Yields (line number of the fence, language, block text) for each fenced block."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m or not m.group(2):
            i += 1
            continue
        indent, lang, start = len(m.group(1)), m.group(2).lower(), i + 1
        body = []
        i += 1
        while i < len(lines) and not re.match(r"^\s*```\s*$", lines[i]):
            body.append(lines[i][indent:] if lines[i][:indent].strip() == "" else lines[i])
            i += 1
        yield start, lang, "\n".join(body) + "\n"
        i += 1


def is_steps(doc):
    return (
        isinstance(doc, list)
        and len(doc) > 0
        and all(isinstance(s, dict) and ("uses" in s or "run" in s) for s in doc)
    )


def shape(doc):
    """Returns (kind, document to write) or (None, reason)."""
    if isinstance(doc, dict) and "jobs" in doc:
        return "workflow", doc
    if isinstance(doc, dict) and "runs" in doc:
        return "action", doc
    if isinstance(doc, dict) and "steps" in doc:
        job = dict(doc)
        job.setdefault("runs-on", "ubuntu-24.04")
        return "job", {"on": "workflow_dispatch", "jobs": {"snippet": job}}
    if is_steps(doc):
        return "steps", {
            "on": "workflow_dispatch",
            "jobs": {"snippet": {"runs-on": "ubuntu-24.04", "steps": doc}},
        }
    if isinstance(doc, dict) and doc and set(doc) <= WORKFLOW_KEYS:
        workflow = dict(doc)
        workflow.setdefault("on", "workflow_dispatch")
        workflow["jobs"] = {"snippet": {"runs-on": "ubuntu-24.04", "steps": [{"run": "true"}]}}
        return "workflow keys", workflow
    return None, (
        "is not a workflow, a job, a list of steps, workflow-level keys or an action.yml; "
        "write it as one of those so that it can be pasted, or mark the block as text"
    )


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    out = Path(argv[1])
    (out / "workflows").mkdir(parents=True, exist_ok=True)
    (out / "actions").mkdir(parents=True, exist_ok=True)
    load = YAML(typ="safe")
    dump = YAML(typ="safe")
    dump.default_flow_style = False
    dump.width = 4096
    failed = 0
    count = 0
    for name in argv[2:]:
        try:
            text = Path(name).read_text(encoding="utf-8")
        except OSError as e:
            print(f"doc-snippets: cannot read {name}: {e}", file=sys.stderr)
            return 2
        for line, lang, body in blocks(text):
            if lang not in ("yaml", "yml"):
                continue
            count += 1
            where = f"{name}:{line}"
            try:
                doc = load.load(body)
            except YAMLError as e:
                print(f"{where}: not valid YAML: {' '.join(str(e).split())}")
                failed += 1
                continue
            kind, result = shape(doc)
            if kind is None:
                print(f"{where}: {result}")
                failed += 1
                continue
            stem = re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_") + f"_line{line}.yml"
            target = out / ("actions" if kind == "action" else "workflows") / stem
            with target.open("w", encoding="utf-8") as f:
                f.write(f"# {where} ({kind})\n")
                dump.dump(result, f)
            print(f"{where}: {kind} -> {target}")
    print(f"doc-snippets: {count} YAML block(s), {failed} invalid")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
