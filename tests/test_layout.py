"""The package layout: subpackages by concern, each importing only what its docstring allows, and no cycles.

Every import counts — at module level, inside functions and under TYPE_CHECKING — because each is a dependency
a reader has to follow, and a cycle hidden in a function is still a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "glossary"

#: What each part of `glossary` may import from the rest of it (its own modules are always allowed).
#: The same rule is stated in each subpackage's docstring; `cli` is the top layer and may import anything.
ALLOWED = {
    "base": set(),
    "search": {"base"},
    "check": {"base"},
    "export": {"base"},
    "imports": {"base", "export"},  # reads back the export formats' own names and columns
    "harvest": {"base", "check"},  # reads its bilingual input with the checker's draft readers
    "termbase": {"base", "search", "check"},
    "__init__": {"base", "termbase"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The modules of `glossary` that the module `name` imports, resolved to module (not package) names."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("glossary")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("glossary"):
                continue
            for alias in node.names:  # `from . import pinyin` imports the module glossary.base.pinyin
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in modules else target)
    return {module for module in found if module in modules and module != name}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_there_is_no_import_cycle() -> None:
    graph = _graph()
    # A package's __init__ re-exporting its own modules is not a dependency of those modules on each other.
    edges = {
        name: {t for t in targets if not (name.count(".") <= 1 and t.startswith(name + "."))}
        for name, targets in graph.items()
    }
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                cycles.append(trail[trail.index(target):] + [target] if target in trail else [node, target])
            elif target not in state:
                visit(target, trail + [target])
        state[node] = 2

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    assert cycles == []


@pytest.mark.parametrize("part", sorted(ALLOWED))
def test_each_part_imports_only_what_it_may(part: str) -> None:
    graph = _graph()
    wrong = sorted(
        f"{name} imports {target}"
        for name, targets in graph.items()
        if _part(name) == part
        for target in targets
        if _part(target) != part and _part(target) not in ALLOWED[part]
    )
    assert wrong == []


def test_every_subpackage_says_what_it_is_and_what_it_may_import() -> None:
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"{init.relative_to(ROOT)} has no docstring"
        if init.parent.name != "cli":
            assert "import" in doc, f"{init.relative_to(ROOT)}'s docstring does not say what it may import"


def test_the_flat_modules_are_gone() -> None:
    """Only the public API (`termbase`) and the package marker stand at the top; the rest is grouped."""
    assert sorted(p.name for p in PACKAGE.glob("*.py")) == ["__init__.py", "termbase.py"]


def test_the_public_api_is_unchanged() -> None:
    import glossary
    from glossary.check import CheckReport, CheckRequest
    from glossary.search import SearchResults

    assert {"Glossary", "Entry", "Rendering", "Source", "Status", "DataError"} <= set(dir(glossary))
    assert {CheckReport.__name__, CheckRequest.__name__, SearchResults.__name__} == {
        "CheckReport", "CheckRequest", "SearchResults"
    }
