"""propgen's modules import each other without cycles, and the library package
(finding and reading library files) knows nothing of the stages that use it: the
library lint, which runs the pipeline, is a tool above it (``propgen.lint``)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from support import ROOT

SOURCE = ROOT / "src"


def _modules() -> dict[str, ast.Module]:
    modules = {}
    for path in sorted((SOURCE / "propgen").rglob("*.py")):
        name = ".".join(path.relative_to(SOURCE).with_suffix("").parts)
        modules[name.removesuffix(".__init__")] = ast.parse(path.read_text(encoding="utf-8"))
    return modules


def _imports(tree: ast.Module, known: set[str]) -> Iterator[str]:
    """Every propgen module ``tree`` imports anywhere (functions and TYPE_CHECKING
    blocks included), except the root package, whose names are lazy."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                yield child if child in known else node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {
        name: {t for t in _imports(tree, known) if t in known and t not in (name, "propgen")}
        for name, tree in modules.items()
    }


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle, or [] (depth-first search with colours)."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[module] = 2
        return []

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return []


def test_the_import_graph_has_no_cycle() -> None:
    graph = _graph()
    assert len(graph) > 30
    assert _cycle(graph) == []


def test_the_cycle_finder_finds_one() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_governance_does_not_know_the_plan() -> None:
    assert "propgen.plan" not in _graph()["propgen.governance"]


def test_the_library_package_does_not_reach_the_pipeline() -> None:
    stages = {
        "propgen.pipeline",
        "propgen.plan",
        "propgen.pricing",
        "propgen.context",
        "propgen.assemble",
        "propgen.render",
    }
    graph = _graph()
    for module, targets in graph.items():
        if module.startswith("propgen.library"):
            assert not targets & stages, (module, targets & stages)


def test_no_module_uses_another_modules_private_names() -> None:
    """``from propgen.x import _y`` or ``x._y`` with ``x`` a propgen module: a private
    name is the owner's to change; what others need is public."""
    found = []
    modules = _modules()
    for name, tree in modules.items():
        aliases = set()
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("propgen")
            ):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        found.append(f"{name}: from {node.module} import {alias.name}")
                    if f"{node.module}.{alias.name}" in modules:
                        aliases.add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                aliases |= {a.asname for a in node.names if a.asname and a.name in modules}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                found.append(f"{name}: {node.value.id}.{node.attr}")
    assert found == []
