"""The project's import graph has no cycle, and every module imports on its own (issue 9).

The graph is read statically, with ``ast``, from every ``import`` of every module of the project —
top-level, inside functions and under ``if TYPE_CHECKING:`` alike, relative names resolved — so an
import hidden in a function cannot hide a cycle. ``bench/`` and ``tests/`` are not the product and
are left out.

A package importing its own submodule is not a cycle; the submodule importing back a name defined
in the package's ``__init__`` is. So ``from pkg import sub`` (``sub`` a submodule) is an edge to
``pkg.sub``, ``from pkg import name`` (``name`` defined in ``__init__``) and ``import pkg`` are
edges to ``pkg``, and ``import pkg.sub`` is an edge to ``pkg.sub``. Importing ``pkg.sub`` from outside
``pkg`` runs ``pkg/__init__.py`` first, so it is also an edge to ``pkg`` (this is how ``web.pages``
importing ``api.routes`` closed a cycle through ``api/__init__.py`` → ``api.app`` → ``web.pages``).
"""

from __future__ import annotations

import ast
import itertools
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOT_THE_PRODUCT = frozenset({"bench", "tests"})
EXPECTED_TOP_LEVEL = frozenset({"models", "workflows", "activities", "casefile", "operations", "runtime", "cli", "api", "web",
                                "worker", "starter"})

ALLOWED_CYCLES: frozenset[frozenset[str]] = frozenset()  # none: the domain split into models/case/ removed the last one


# --- the graph ---------------------------------------------------------------------------------------------


@dataclass
class ImportGraph:
    modules: dict[str, Path]
    """Module name → file (a package's name → its ``__init__.py``)."""
    edges: dict[str, dict[str, str]] = field(default_factory=dict)
    """Importer → imported module → where (``path:line``) the first such import is."""
    external: set[str] = field(default_factory=set)
    """Absolute names imported from outside the project (the standard library and dependencies)."""

    def packages(self) -> set[str]:
        return {name for name, path in self.modules.items() if path.name == "__init__.py"}


def project_modules(root: Path) -> dict[str, Path]:
    """Every module of the project under ``root``: its packages (a folder with ``__init__.py``) and
    top-level ``.py`` files, except ``bench/`` and ``tests/``."""
    found: dict[str, Path] = {}
    for path in sorted(root.glob("*.py")):
        found[path.stem] = path
    for init in sorted(root.glob("*/__init__.py")):
        if init.parent.name in NOT_THE_PRODUCT:
            continue
        for path in sorted(init.parent.rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if "__pycache__" in parts or not all((root.joinpath(*parts[:i]) / "__init__.py").exists() for i in range(1, len(parts))):
                continue  # a loose script in a data folder is not a module of the package
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _absolute(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute name ``from <node.module>`` means inside ``module``."""
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    if node.level - 1 > len(base) - 1:
        raise ImportError(f"{module}: relative import beyond the top-level package")
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imported_names(graph: ImportGraph, packages: set[str], module: str, root: Path) -> Iterator[tuple[str, str]]:
    """(absolute name, ``path:line``) for every name every ``import`` of ``module`` brings in."""
    path = graph.modules[module]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, module in packages, node)
            # each name is a submodule, or else a name defined in ``source``
            names = [f"{source}.{a.name}" if f"{source}.{a.name}" in graph.modules else source for a in node.names]
        else:
            continue
        where = f"{path.relative_to(root)}:{node.lineno}"
        for name in names:
            yield name, where


def import_graph(root: Path) -> ImportGraph:
    graph = ImportGraph(project_modules(root))
    top_level = {name.split(".")[0] for name in graph.modules}
    packages = graph.packages()

    def owner(name: str) -> str | None:
        """The longest prefix of ``name`` that is a module of the project."""
        parts = name.split(".")
        for end in range(len(parts), 0, -1):
            if ".".join(parts[:end]) in graph.modules:
                return ".".join(parts[:end])
        return None

    for module in graph.modules:
        targets: dict[str, str] = {}
        implicit: dict[str, str] = {}
        for name, where in _imported_names(graph, packages, module, root):
            if name.split(".")[0] not in top_level:
                graph.external.add(name)
                continue
            target = owner(name)
            if target is None:
                continue
            if target != module:
                targets.setdefault(target, where)
            # Importing ``a.b.c`` first runs ``a/__init__.py`` and ``a/b/__init__.py``: an edge to
            # each, unless the importer is inside that package (then it is already running).
            parts = target.split(".")
            for end in range(1, len(parts)):
                package = ".".join(parts[:end])
                if module != package and not module.startswith(package + "."):
                    implicit.setdefault(package, f"{where}, running {package.replace('.', '/')}/__init__.py")
        graph.edges[module] = {**implicit, **targets}
    return graph


def strongly_connected(edges: dict[str, dict[str, str]]) -> list[set[str]]:
    """Tarjan's strongly connected components of more than one module (each holds a cycle)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return components


def a_cycle(edges: dict[str, dict[str, str]], component: set[str]) -> str:
    """One cycle through ``component``, each import with its place: ``a (a.py:3) → b (b.py:9) → a``."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(edges[node]):
            if nxt == start:
                cycle = paths[node] + [start]
                return " → ".join(f"{a} ({edges[a][b]})" for a, b in itertools.pairwise(cycle)) + f" → {start}"
            if nxt in component and nxt not in paths:
                paths[nxt] = paths[node] + [nxt]
                queue.append(nxt)
    raise AssertionError(f"no cycle found in {component}")  # pragma: no cover - a component always has one


def cycles(graph: ImportGraph, allowed: frozenset[frozenset[str]] = frozenset()) -> list[str]:
    return sorted(a_cycle(graph.edges, c) for c in strongly_connected(graph.edges) if frozenset(c) not in allowed)


@pytest.fixture(scope="module")
def graph() -> ImportGraph:
    return import_graph(ROOT)


# --- the project -------------------------------------------------------------------------------------------


def test_no_module_imports_a_module_that_imports_it_back(graph):
    assert {name.split(".")[0] for name in graph.modules} >= EXPECTED_TOP_LEVEL, "the project's modules were not found"
    found = cycles(graph, ALLOWED_CYCLES)
    assert not found, "import cycles:\n" + "\n".join(found)


def test_the_api_and_the_web_pages_meet_only_in_the_app_factory(graph):
    web_to_api = {(a, b) for a, targets in graph.edges.items() for b in targets if a.startswith("web") and b.startswith("api")}
    api_to_web = {(a, b) for a, targets in graph.edges.items() for b in targets if a.startswith("api") and b.startswith("web")}
    assert not web_to_api
    assert {a for a, _ in api_to_web} <= {"api.app"}


def test_every_module_imports_on_its_own_with_no_other_module_of_the_project_loaded(graph):
    """One interpreter loads the dependencies once, then forks a child per module: each child starts
    with no module of the project imported, as a fresh interpreter would, and imports just that one."""
    if not hasattr(os, "fork"):
        pytest.skip("needs os.fork")
    script = textwrap.dedent("""
        import importlib, json, os, sys, traceback
        externals, modules, top_level = json.loads(sys.argv[1]), json.loads(sys.argv[2]), set(json.loads(sys.argv[3]))
        for name in externals:
            try:
                importlib.import_module(name)
            except Exception:
                pass  # an optional dependency or a name, not a module: the child imports what it needs
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in top_level)
        failures = {"(before forking)": "project modules loaded by dependencies: " + ", ".join(loaded)} if loaded else {}
        for name in modules:
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read)
                code = 0
                try:
                    importlib.import_module(name)
                except BaseException:
                    os.write(write, traceback.format_exc().encode())
                    code = 1
                os.close(write)
                os._exit(code)
            os.close(write)
            with os.fdopen(read, "rb") as pipe:
                message = pipe.read().decode()
            _, status = os.waitpid(pid, 0)
            if status:
                failures[name] = message or f"exit status {status}"
        print(json.dumps(failures))
    """)
    top_level = sorted({name.split(".")[0] for name in graph.modules})
    run = subprocess.run(
        [sys.executable, "-c", script, json.dumps(sorted(graph.external)), json.dumps(sorted(graph.modules)), json.dumps(top_level)],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
    )
    assert run.returncode == 0, run.stderr
    failures = json.loads(run.stdout.strip().splitlines()[-1])
    assert not failures, "\n\n".join(f"{name}:\n{error}" for name, error in failures.items())


# --- the checker itself: it must see what it is meant to see -----------------------------------------------


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def test_a_package_importing_its_own_submodules_is_not_a_cycle(tmp_path):
    root = write(tmp_path, {
        "pkg/__init__.py": "from pkg.app import make\nfrom . import routes\n",
        "pkg/app.py": "from pkg import routes, errors\nimport pkg.errors\n\ndef make():\n    return routes\n",
        "pkg/routes.py": "from .errors import Refused\n",
        "pkg/errors.py": "class Refused(Exception):\n    pass\n",
    })
    graph = import_graph(root)
    assert graph.edges["pkg"] == {"pkg.app": "pkg/__init__.py:1", "pkg.routes": "pkg/__init__.py:2"}
    assert set(graph.edges["pkg.app"]) == {"pkg.routes", "pkg.errors"}
    assert cycles(graph) == []


def test_a_submodule_importing_a_name_of_its_packages_init_back_is_a_cycle(tmp_path):
    root = write(tmp_path, {
        "pkg/__init__.py": "from pkg.app import make\nVERSION = 1\n",
        "pkg/app.py": "from pkg import VERSION\n\ndef make():\n    return VERSION\n",
    })
    assert cycles(import_graph(root)) == ["pkg (pkg/__init__.py:1) → pkg.app (pkg/app.py:1) → pkg"]


def test_importing_a_submodule_from_outside_its_package_runs_the_package_init_first(tmp_path):
    """The api ↔ web cycle as it was: the factory imports the pages, which import the API's routes."""
    root = write(tmp_path, {
        "api/__init__.py": "from api.app import create_app\n",
        "api/app.py": "from api import routes\n\ndef create_app():\n    from web.pages import install\n    return install\n",
        "api/routes.py": "SESSION_KEY = 'user'\n",
        "web/__init__.py": "",
        "web/pages.py": "from api.routes import SESSION_KEY\n",
    })
    assert cycles(import_graph(root)) == [
        "api (api/__init__.py:1) → api.app (api/app.py:4) → web.pages (web/pages.py:1, running api/__init__.py) → api",
    ]


def test_imports_in_functions_under_type_checking_and_relative_ones_all_count(tmp_path):
    root = write(tmp_path, {
        "desk/__init__.py": "",
        "desk/api/__init__.py": "",
        "desk/api/app.py": "def create():\n    from desk.web.pages import install\n    return install\n",
        "desk/web/__init__.py": "",
        "desk/web/pages.py": """
            from typing import TYPE_CHECKING
            if TYPE_CHECKING:
                from ..api.app import create
            def install():
                pass
        """,
        "models/__init__.py": "",
        "models/case.py": "from .cancel_path import Rules\n",
        "models/cancel_path.py": "def rule():\n    from models import case\n",
        "worker.py": "import models.case\nimport json\n",
    })
    graph = import_graph(root)
    assert cycles(graph) == [
        "desk.api.app (desk/api/app.py:2) → desk.web.pages (desk/web/pages.py:4) → desk.api.app",
        "models.cancel_path (models/cancel_path.py:2) → models.case (models/case.py:1) → models.cancel_path",
    ]
    allowed = frozenset({frozenset({"models.case", "models.cancel_path"})})
    assert cycles(graph, allowed) == ["desk.api.app (desk/api/app.py:2) → desk.web.pages (desk/web/pages.py:4) → desk.api.app"]
    assert graph.edges["worker"] == {"models": "worker.py:1, running models/__init__.py", "models.case": "worker.py:1"}
    assert {"json", "typing"} <= graph.external
