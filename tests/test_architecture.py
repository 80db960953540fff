"""The layers hold: each package imports only those below it, and no modules form a cycle;
and the analysis layer runs no model.

    scenarios (data) < sim (the model) < experiments < analysis < app < cli

Analysis is pure functions over stored (or in-memory) results: no module of ``analysis/``
may reach, through any chain of imports, one that runs a model (the engines, the backends
that run work on workers, a calibration's simulator).

Every ``import`` in the source counts, at module level or inside a function, except those
under ``if TYPE_CHECKING:`` (never run). Importing ``a.b.c`` also imports the packages
``a.b`` and ``a``, so those count too (but not the importer's own packages). The checker
is run on a small tree of its own first, to show that it finds what it should.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("scenarios", "sim", "experiments", "analysis", "app", "cli")  # bottom to top
BARE = {"sim", "experiments", "analysis", "app", "cli", "scenarios"}  # never imported bare
# What runs a model: anything that builds or steps one goes through these.
RUNS_A_MODEL = (
    "netmob.sim.model",  # the vectorised engine
    "netmob.sim.reference",  # the agent-by-agent engine
    "netmob.sim.run",  # a run, on either engine
    "netmob.experiments.backends",  # work shipped to workers (and its modules)
    "netmob.experiments.calibration.simulator",  # a calibration's studies
)


def modules(root: Path) -> dict[str, Path]:
    """Every module of the layers under ``root``, by its installed name."""
    out = {}
    for layer in LAYERS:
        for path in sorted((root / layer).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(("netmob", *parts))] = path
    return out


def _type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(test)


def imported_names(path: Path, name: str) -> list[str]:
    """The dotted names ``path`` imports (``from a import b`` gives ``a.b``; the caller
    keeps the longest that is a module), skipping ``if TYPE_CHECKING:`` blocks."""
    tree = ast.parse(path.read_text(), str(path))
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if _type_checking(node):
            return
        if isinstance(node, ast.Import):
            found.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the importer's package
                package = name.split(".")
                package = package[: len(package) - node.level + (path.stem == "__init__")]
                base = ".".join([*package, base] if base else package)
            found.extend(f"{base}.{a.name}" for a in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def resolve(dotted: str, known: dict[str, Path]) -> str | None:
    """The module ``dotted`` names (or the module it is an attribute of), if it is ours."""
    parts = dotted.split(".")
    for k in range(len(parts), 0, -1):
        candidate = ".".join(parts[:k])
        if candidate in known:
            return candidate
    return None


def layer(module: str) -> int:
    return LAYERS.index(module.split(".")[1])


def graph(root: Path) -> tuple[nx.DiGraph, list[str]]:
    """Module -> module edges (with the imported module's packages), and bare imports."""
    known = modules(root)
    g = nx.DiGraph()
    g.add_nodes_from(known)
    bare = []
    for name, path in known.items():
        own = {".".join(name.split(".")[:k]) for k in range(1, name.count(".") + 1)}
        for dotted in imported_names(path, name):
            if dotted.split(".")[0] in BARE:
                bare.append(f"{path.relative_to(root)} imports {dotted}")
            target = resolve(dotted, known)
            while target and target != "netmob":
                if target != name and target not in own:
                    g.add_edge(name, target)
                target = target.rpartition(".")[0]
    return g, bare


def upward(g: nx.DiGraph) -> list[str]:
    return sorted(f"{a} -> {b}" for a, b in g.edges if layer(b) > layer(a))


def cycles(g: nx.DiGraph) -> list[list[str]]:
    return [sorted(c) for c in nx.strongly_connected_components(g) if len(c) > 1]


def runs_a_model(module: str) -> bool:
    return any(module == m or module.startswith(m + ".") for m in RUNS_A_MODEL)


def reaching_a_model(g: nx.DiGraph, package: str = "netmob.analysis") -> list[str]:
    """Each module of ``package`` that reaches a module that runs a model through any chain
    of imports, with its shortest chain."""
    found = []
    for name in sorted(g):
        if name != package and not name.startswith(package + "."):
            continue
        paths = nx.single_source_shortest_path(g, name)
        chains = [p for target, p in paths.items() if runs_a_model(target)]
        if chains:
            found.append(" -> ".join(min(chains, key=lambda p: (len(p), p))))
    return found


def test_analysis_runs_no_model():
    g, _ = graph(ROOT)
    assert all(m in g for m in RUNS_A_MODEL)  # the names are still the code's
    assert [m for m in g if m.startswith("netmob.analysis.")]  # the walk saw analysis
    assert reaching_a_model(g, "netmob.cli")  # the CLI does reach them: the walk follows
    assert reaching_a_model(g) == []


def test_no_module_imports_a_layer_above_its_own():
    g, _ = graph(ROOT)
    assert g.number_of_edges() > 100  # the walk saw the code
    assert upward(g) == []


def test_no_cycles_between_modules():
    g, _ = graph(ROOT)
    assert cycles(g) == []


def test_every_import_uses_the_netmob_namespace():
    _, bare = graph(ROOT)
    assert bare == []


def test_five_places():
    for place in ("sim", "experiments", "analysis", "app", "cli"):
        assert (ROOT / place / "__init__.py").is_file(), place
    assert not (ROOT / "sim" / "cli.py").exists() and not list((ROOT / "sim").glob("app*.py"))


@pytest.fixture
def bad_tree(tmp_path):
    """A tree with an upward import (sim -> analysis), a cycle inside experiments through a
    package's ``__init__``, a bare import, and a TYPE_CHECKING import that must not count."""
    files = {
        "scenarios/__init__.py": "",
        "sim/__init__.py": "",
        "sim/model.py": "from netmob.analysis.report import render\n",
        "sim/ok.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from netmob.cli.main import app\n",
        "experiments/__init__.py": "",
        "experiments/kinds/__init__.py": "from netmob.experiments.runner import go\n",
        "experiments/kinds/sweep.py": "",
        "experiments/runner.py": "def go():\n    from netmob.experiments.kinds.sweep import x\n",
        "analysis/__init__.py": "",
        "analysis/report.py": "import sim.model\n",
        "app/__init__.py": "",
        "cli/__init__.py": "",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return tmp_path


def test_the_checker_finds_upward_imports_cycles_and_bare_imports(bad_tree):
    g, bare = graph(bad_tree)
    assert upward(g) == [
        "netmob.sim.model -> netmob.analysis",
        "netmob.sim.model -> netmob.analysis.report",
    ]
    assert cycles(g) == [["netmob.experiments.kinds", "netmob.experiments.runner"]]
    assert bare == ["analysis/report.py imports sim.model"]


@pytest.fixture
def model_tree(tmp_path):
    """Analysis modules that reach a model: one directly, one through a function-level
    import of an experiment that imports a backend; and two that do not (a pure experiment
    module; a TYPE_CHECKING import, never run)."""
    files = {
        "scenarios/__init__.py": "",
        "sim/__init__.py": "",
        "sim/model.py": "",
        "sim/run.py": "from netmob.sim.model import NetworkModel\n",
        "sim/reference.py": "",
        "sim/params.py": "",
        "experiments/__init__.py": "",
        "experiments/backends/__init__.py": "",
        "experiments/backends/local.py": "",
        "experiments/calibration/__init__.py": "",
        "experiments/calibration/simulator.py": "",
        "experiments/kind.py": "def go():\n    from netmob.experiments.backends.local import x\n",
        "experiments/tables.py": "from netmob.sim.params import Params\n",
        "analysis/__init__.py": "",
        "analysis/direct.py": "import netmob.sim.run\n",
        "analysis/indirect.py": "def f():\n    from netmob.experiments.kind import go\n",
        "analysis/pure.py": "from netmob.experiments.tables import Params\n",
        "analysis/typed.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from netmob.sim.model import NetworkModel\n",
        "app/__init__.py": "",
        "cli/__init__.py": "",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return tmp_path


def test_the_checker_finds_analysis_reaching_a_model(model_tree):
    g, _ = graph(model_tree)
    assert reaching_a_model(g) == [
        "netmob.analysis.direct -> netmob.sim.run",
        "netmob.analysis.indirect -> netmob.experiments.kind -> netmob.experiments.backends",
    ]
