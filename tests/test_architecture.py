"""The package layout is the pipeline: every import of kb/ goes down the
layers (errors, file reading and terminal output → text → tree → conditions → content →
render → codes → project → check, diagnose → site → cli), no module imports itself back through others, and
no private name (``_name``) is used outside the package that defines it.

The import graph is read from the source (every ``import`` statement,
function-level ones included), so a lazy import cannot hide a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

KB = Path(__file__).resolve().parent.parent / "kb"

#: Lowest first: a package may import only from its own layer and below.
LAYERS = ("errors", "files", "terminal", "markup", "conditions", "content", "render", "codes", "project", "check",
          "diagnose", "site", "cli")


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(KB.rglob("*.py")):
        parts = list(path.relative_to(KB.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()
TREES = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in MODULES.items()}


def package(module: str) -> str:
    """``kb.render.html`` → ``render``; ``kb.errors`` → ``errors``; ``kb`` → ``kb``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "kb"


def _imports(module: str) -> list[tuple[str, str | None, int]]:
    """(imported module, imported name or None, line) of every import."""
    out = []
    for node in ast.walk(TREES[module]):
        if isinstance(node, ast.Import):
            out.extend((alias.name, None, node.lineno) for alias in node.names if alias.name.startswith("kb"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kb") and not node.level:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                out.append((sub, None, node.lineno) if sub in MODULES else (node.module, alias.name, node.lineno))
    return out


def test_every_package_has_a_layer():
    assert {package(m) for m in MODULES} - {"kb"} <= set(LAYERS)


def test_imports_go_down_the_layers():
    upward = []
    for module in MODULES:
        mine = package(module)
        if mine == "kb":  # the lazy public API names modules only as strings
            continue
        for target, _, line in _imports(module):
            theirs = package(target)
            if theirs != "kb" and LAYERS.index(theirs) > LAYERS.index(mine):
                upward.append(f"{module}:{line} imports {target} ({mine} → {theirs})")
    assert not upward, "\n".join(upward)


def test_no_import_cycle():
    graph = {m: sorted({t for t, _, _ in _imports(m) if t in MODULES and t != m}) for m in MODULES}
    # A package's __init__ gathering its own modules is not a cycle of the design.
    for m, targets in graph.items():
        graph[m] = [t for t in targets if not (t.startswith(m + ".") and MODULES[m].name == "__init__.py")]
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        path.append(m)
        for t in graph[m]:
            if state.get(t) == 1:
                return path[path.index(t):] + [t]
            if t not in state:
                found = visit(t)
                if found:
                    return found
        path.pop()
        state[m] = 2
        return None

    for m in graph:
        if m not in state:
            cycle = visit(m)
            assert cycle is None, " → ".join(cycle)


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _defined_private_names(pkg: str) -> set[str]:
    """Private names a package defines: functions, classes, variables,
    attributes it assigns and slots it declares."""
    names: set[str] = set()
    for module, tree in TREES.items():
        if package(module) != pkg:
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _private(node.value):
                names.add(node.value)  # __slots__ entries, setattr names
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.keyword) and node.arg:
                names.add(node.arg)  # argparse's set_defaults(_module=…)
    return {name for name in names if _private(name)}


#: Python's own double-underscore names; any other (a library's
#: ``ruler.__rules__``) is a private part of someone else's code.
PYTHON_DUNDERS = set(dir(object)) | set(dir(type)) | {"__dict__", "__slots__", "__file__", "__wrapped__"}


def test_no_library_internals_are_touched():
    touched = []
    for module, tree in TREES.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr.startswith("__") and node.attr not in PYTHON_DUNDERS:
                touched.append(f"{module}:{node.lineno} uses .{node.attr}")
    assert not touched, "\n".join(touched)


def test_no_private_name_crosses_a_package():
    crossing = []
    defined = {pkg: _defined_private_names(pkg) for pkg in {package(m) for m in MODULES}}
    for module, tree in TREES.items():
        mine = package(module)
        for target, name, line in _imports(module):
            if name and _private(name):  # a module's private names are its own
                crossing.append(f"{module}:{line} imports {target}.{name}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _private(node.attr):
                owner = node.value
                if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                    continue
                if node.attr not in defined[mine]:
                    crossing.append(f"{module}:{node.lineno} uses .{node.attr}, which {mine} does not define")
    assert not crossing, "\n".join(crossing)
