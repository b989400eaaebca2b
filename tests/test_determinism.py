"""The case workflow's code and the domain model it runs read no clock, draw no random number, do no I/O and keep no
global state: a case replayed months later must take the same steps (issue 16).

The workers run ``MineCaseWorkflow`` outside the SDK's sandbox (``sandboxed=False``): the sandbox's per-payload cost was
a third of a worker's Python time. It never guarded ``models/`` anyway (the domain model is passed through, a real module
shared by every case). What it guarded is held here, statically, for the workflow module and ``models/case/``, and at
run time by ``tests/test_replay.py``, which replays every recorded history inside the sandbox.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECKED = [ROOT / "workflows" / "case_workflow.py", *sorted((ROOT / "models" / "case").glob("*.py"))]

FORBIDDEN_MODULES = frozenset({
    "os", "io", "pathlib", "socket", "subprocess", "threading", "multiprocessing", "time", "random", "secrets", "uuid",
    "tomllib", "sqlite3", "sqlalchemy", "sqlmodel", "httpx", "requests", "urllib", "chinese_calendar", "casefile",
    "activities", "operations", "runtime", "api", "web", "cli", "structlog", "logging",
})
"""Clocks, randomness, files, the network, databases and the parts of the product that do I/O. (The workflow module
imports the activity classes to name them; it never calls their code, which runs in the worker's thread pool.)"""

ALLOWED_IN_WORKFLOW = frozenset({"activities"})

FORBIDDEN_CALLS = frozenset({"now", "utcnow", "today", "time", "time_ns", "monotonic", "perf_counter", "uuid4", "uuid1",
                             "random", "randint", "choice", "token_hex", "getenv", "sleep"})
"""Method or function names that read the clock, the environment or chance (``workflow.now()`` and ``workflow.sleep``
are the workflow's own and allowed)."""

FORBIDDEN_BUILTINS = frozenset({"open", "input", "print", "exec", "eval", "__import__"})


def _violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    allowed = ALLOWED_IN_WORKFLOW if path.name == "case_workflow.py" else frozenset()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                top = name.split(".")[0]
                if node.__class__ is ast.ImportFrom and node.level:  # relative: inside models/case
                    continue
                if top in FORBIDDEN_MODULES and top not in allowed:
                    found.append(f"{where}:{node.lineno} imports {name}")
        elif isinstance(node, ast.Global | ast.Nonlocal):
            found.append(f"{where}:{node.lineno} changes state outside the case ({', '.join(node.names)})")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in FORBIDDEN_BUILTINS:
                found.append(f"{where}:{node.lineno} calls {func.id}()")
            elif isinstance(func, ast.Attribute) and func.attr in FORBIDDEN_CALLS:
                owner = func.value
                if isinstance(owner, ast.Name) and owner.id == "workflow":
                    continue  # workflow.now(), workflow.sleep(): the history's time
                if func.attr == "time" and (node.args or node.keywords):
                    continue  # dt.time(9, 0): a time of day, not the clock
                found.append(f"{where}:{node.lineno} calls .{func.attr}()")
    return found


@pytest.mark.parametrize("path", CHECKED, ids=[str(p.relative_to(ROOT)) for p in CHECKED])
def test_the_workflow_and_the_domain_model_read_no_clock_and_do_no_io(path: Path):
    assert _violations(path) == []


def test_the_check_finds_a_clock_read_an_import_and_a_global(tmp_path: Path):
    bad = tmp_path / "probe.py"
    bad.write_text("import random\nimport datetime as dt\nSEEN = []\n\n\ndef f():\n    global SEEN\n"
                   "    return dt.datetime.now(), open('x')\n", encoding="utf-8")
    found = _violations(bad)
    assert any("imports random" in v for v in found)
    assert any(".now()" in v for v in found)
    assert any("open()" in v for v in found)
    assert any("changes state outside the case" in v for v in found)


def test_the_case_workflow_runs_outside_the_sandbox_and_its_replays_inside():
    from workflows.case_workflow import MineCaseWorkflow

    defn = MineCaseWorkflow.__temporal_workflow_definition  # type: ignore[attr-defined]
    assert defn.sandboxed is False
    replay = (ROOT / "tests" / "test_replay.py").read_text(encoding="utf-8")
    assert "unsandboxed_workflow_runner=SandboxedWorkflowRunner()" in replay
