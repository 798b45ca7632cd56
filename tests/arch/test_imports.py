"""The architecture, checked: layers import only downwards, no cycles, Gradio and the CLI stay at the edge.

Every import statement of ``index/``, ``qa/``, ``prompts/`` and ``app.py`` counts, including those inside
functions and under ``TYPE_CHECKING``: an import that points up is a design error wherever it hides.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("index", "qa", "prompts")

# Layers, lowest first: a module may import its own layer and the layers before it. ``qa.audit`` sits beside
# the answer path and may use only the document side and the contract.
INDEX_LAYERS = ["index.core", "index.read", "index.store", "index.search", "index.ingest"]
QA_LAYERS = [
    ["qa.contract"],
    ["qa.understand", "qa.catalog", "qa.evidence", "qa.export"],
    ["qa.figures"],
    ["qa.answer"],
    ["qa.examples"],
    ["qa.services"],
    ["qa.evaluation", "qa.web"],
    ["qa.cli"],
    ["app"],
]
AUDIT_MAY_IMPORT = ("index.", "qa.contract", "qa.audit")
EDGE_LIBRARIES = {"gradio": ("qa.web",), "argparse": ("qa.cli",)}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    files = [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")] + [ROOT / "app.py"]
    return {module_name(p): p for p in files}


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """Project modules and top-level libraries ``path`` imports (``from pkg import sub`` counts as pkg.sub)."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in known)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = project_modules()
    known = set(modules)
    return {name: imports_of(path, name, known) for name, path in modules.items()}


def project_edges(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    known = set(graph)
    return {a: {b for b in targets if b in known and b != a} for a, targets in graph.items()}


def layer_of(module: str) -> tuple[str, int] | None:
    for i, prefix in enumerate(INDEX_LAYERS):
        if module == prefix or module.startswith(prefix + "."):
            return "index", i
    for i, group in enumerate(QA_LAYERS):
        if any(module == p or module.startswith(p + ".") for p in group):
            return "qa", i
    return None


def test_every_module_has_a_layer(graph):
    unplaced = [m for m in graph if layer_of(m) is None and m not in ("index", "qa", "prompts", "qa.audit")
                and not m.startswith(("qa.audit.", "prompts"))]
    assert not unplaced, f"modules outside every layer: {unplaced}"


def test_document_side_never_imports_the_question_side(graph):
    upward = sorted((a, b) for a, targets in graph.items() if a.startswith("index") for b in targets
                    if b == "qa" or b.startswith("qa.") or b == "app")
    assert not upward, upward


def test_no_import_points_up(graph):
    upward = []
    for a, targets in project_edges(graph).items():
        if a.startswith("qa.audit"):
            upward += [(a, b) for b in targets if b.startswith("qa") and not b.startswith(AUDIT_MAY_IMPORT)]
            continue
        la = layer_of(a)
        for b in targets:
            lb = layer_of(b)
            if la and lb and la[0] == lb[0] and lb[1] > la[1]:
                upward.append((a, b))
    assert not upward, f"imports pointing up a layer: {sorted(upward)}"


def test_no_import_cycles(graph):
    edges = project_edges(graph)
    # Tarjan's strongly connected components; any component of two or more modules is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    assert not cycles, f"import cycles: {cycles}"


def test_gradio_and_the_cli_stay_at_the_edge(graph):
    wrong = []
    for a, targets in graph.items():
        for library, homes in EDGE_LIBRARIES.items():
            if library in targets and not a.startswith(homes):
                wrong.append((a, library))
        if any(b == "qa.cli" or b.startswith("qa.cli.") for b in targets) and not a.startswith(("qa.cli", "app")):
            wrong.append((a, "qa.cli"))
        if any(b.startswith("qa.web") for b in targets) and not a.startswith(("qa.web", "qa.cli", "app")):
            wrong.append((a, "qa.web"))
    assert not wrong, f"edge imports below the edge: {sorted(wrong)}"


def test_packages_are_small_at_the_top(graph):
    for package in ("qa", "index"):
        top = [p.name for p in (ROOT / package).glob("*.py") if p.name != "__init__.py"]
        assert len(top) <= 8, f"{package}/ holds {len(top)} modules directly: {sorted(top)}"
