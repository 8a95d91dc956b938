#!/usr/bin/env python3
"""The house's two rules, from the code's own imports.

1. No import cycle between the top-level modules of src/ (a folder, or a
   loose file, is one module; main.rs and lib.rs are the roof and not counted).
2. No source file under src/ over 1,200 lines.

Reads `crate::` paths in every .rs file under src/, test modules included
(a test that reaches up is still an arrow up). Exits 1 naming the cycle or
the file.
"""
import pathlib
import re
import sys

SRC = pathlib.Path(__file__).resolve().parent.parent / "src"
MAX_LINES = 1200
ROOF = {"main", "lib"}
PATH = re.compile(r"\bcrate::([A-Za-z_][A-Za-z0-9_]*)")
GROUP = re.compile(r"\buse\s+crate::\{([^;]*)\}", re.S)
SUPER = re.compile(r"\b((?:super::)+)([A-Za-z_][A-Za-z0-9_]*)")


def top(root: pathlib.Path, path: pathlib.Path) -> str:
    rel = path.relative_to(root)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def module_path(root: pathlib.Path, path: pathlib.Path) -> list[str]:
    """The module a file is: src/a/b.rs is a::b, src/a/mod.rs is a."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "mod" or (len(parts) == 1 and parts[0] in ROOF):
        parts.pop()
    return parts


def root_names(root: pathlib.Path, modules: set[str]) -> dict[str, set[str]]:
    """What a name at the crate root stands for, besides a top-level module:
    lib.rs's re-exports (`pub use a::b::Env;`) and its inline modules
    (`pub mod flow { pub use crate::send::run; }`), each mapped to the
    top-level modules it reaches."""
    lib = root / "lib.rs"
    if not lib.exists():
        return {}
    text = lib.read_text(encoding="utf-8")
    names: dict[str, set[str]] = {}
    for name, body in re.findall(r"\bpub\s+mod\s+(\w+)\s*\{(.*?)\n\}", text, re.S):
        names[name] = {m for m in PATH.findall(body) if m in modules}
    for path, alias in re.findall(r"\bpub\s+use\s+(?:crate::)?([\w:]+?)(?:\s+as\s+(\w+))?\s*;", text):
        first, last = path.split("::")[0], path.split("::")[-1]
        if first in modules:
            names.setdefault(alias or last, set()).add(first)
    return names


def check(root: pathlib.Path) -> bool:
    """Prints what breaks a rule; returns whether the house keeps both."""
    failed = False
    modules = {top(root, p) for p in root.rglob("*.rs")} - ROOF
    at_root = root_names(root, modules)
    edges: dict[str, set[str]] = {m: set() for m in modules}
    for path in sorted(root.rglob("*.rs")):
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n") + (not text.endswith("\n"))
        if lines > MAX_LINES:
            print(f"{path.relative_to(root.parent)}: {lines} lines, over {MAX_LINES}: split it")
            failed = True
        me = top(root, path)
        if me in ROOF:
            continue
        names = set(PATH.findall(text))
        for group in GROUP.findall(text):
            names |= {g.strip().split("::")[0] for g in group.split(",") if g.strip()}
        # `super::` chains that climb to the crate root, from the file's
        # module or from a module inline in it (`mod tests`).
        here = module_path(root, path)
        for supers, name in SUPER.findall(text):
            up = supers.count("super::")
            if up in (len(here), len(here) + 1):
                names.add(name)
        for name in names:
            for target in {name} if name in modules else at_root.get(name, set()):
                if target != me:
                    edges[me].add(target)
    # Any cycle: depth-first search with colours.
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in sorted(edges[m]):
            if state.get(n) == 1:
                return stack[stack.index(n):] + [n]
            if n not in state and (c := visit(n)):
                return c
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(modules):
        if m not in state and (cycle := visit(m)):
            print("import cycle between top-level modules: " + " -> ".join(cycle))
            failed = True
            break
    if not failed:
        print(f"ok: {len(modules)} top-level modules, no cycle; no file over {MAX_LINES} lines")
    return not failed


def self_test() -> None:
    """The check fails on each rule broken alone, and passes a sound house."""
    import tempfile

    def house(files: dict[str, str]) -> bool:
        with tempfile.TemporaryDirectory() as tmp:
            root = pathlib.Path(tmp) / "src"
            for name, text in files.items():
                (root / name).parent.mkdir(parents=True, exist_ok=True)
                (root / name).write_text(text, encoding="utf-8")
            return check(root)

    sound = {
        "lib.rs": "pub mod a;\npub mod b;\n",
        "a/mod.rs": "use crate::b::x;\n",
        "b.rs": "pub fn x() {}\n",
    }
    assert house(sound), "a sound house was refused"
    cycle = dict(sound, **{"b.rs": "use crate::a::y;\n"})
    assert not house(cycle), "a cycle (a -> b -> a) passed"
    grouped = dict(sound, **{"b.rs": "use crate::{a::y, c};\n"})
    assert not house(grouped), "a cycle through a grouped import passed"
    climbing = dict(sound, **{"b.rs": "mod t {\n    use super::super::a::y;\n}\n"})
    assert not house(climbing), "a cycle through super::super passed"
    from_mod = dict(sound, **{"c/mod.rs": "use super::a::y;\n", "a/mod.rs": "use crate::c::z;\n"})
    assert not house(from_mod), "a cycle through super:: from a mod.rs passed"
    reexported = {
        "lib.rs": "pub mod a;\npub mod b;\npub use b::Thing;\npub mod flow {\n    pub use crate::b::run;\n}\n",
        "a/mod.rs": "use crate::Thing;\n",
        "b.rs": "use crate::a::y;\n",
    }
    assert not house(reexported), "a cycle through a re-export at the root passed"
    inline = dict(reexported, **{"a/mod.rs": "use crate::flow::run;\n"})
    assert not house(inline), "a cycle through an inline module at the root passed"
    long = dict(sound, **{"b.rs": "// line\n" * (MAX_LINES + 1)})
    assert not house(long), f"a file of {MAX_LINES + 1} lines passed"
    print("self-test: ok")


if __name__ == "__main__":
    if sys.argv[1:] == ["--self-test"]:
        self_test()
        sys.exit(0)
    sys.exit(0 if check(SRC) else 1)
