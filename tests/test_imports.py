"""Layers import one way: ``bot`` → ``handlers`` → ``content``, never back (after click's
``tests/test_imports.py``). Checked twice: statically over every import statement (also those
inside functions and under TYPE_CHECKING), and at run time in a fresh interpreter."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "content": {"bot", "handlers", "telegram", "sqlalchemy", "alembic", "aiohttp", "pydantic_settings", "httpx"},
    "handlers": {"bot", "sqlalchemy", "alembic", "aiohttp", "pydantic_settings"},
}
FAKE_USERS = {"bot/cli/run.py"}  # the console command; tests and benchmarks are outside the packages


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports, as dotted names."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def module_name(path: Path) -> str:
    """``bot/cli/__init__.py`` → ``bot.cli``; ``bot/http.py`` → ``bot.http``."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(packages: tuple[str, ...] = ("bot", "handlers", "content")) -> dict[str, set[str]]:
    """Module → the modules of ``packages`` it imports (every import statement, also those inside
    functions and under TYPE_CHECKING: deferring an import leaves the circle in the design).
    ``from a import b`` counts as importing ``a.b`` when that is a module, else ``a``; relative
    imports are resolved."""
    paths = {module_name(path): path for package in packages for path in modules(package)}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names if alias.name in paths)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = here.split(".")[: len(here.split(".")) - node.level + 1]
                    base = ".".join([*parent, *([node.module] if node.module else [])])
                for alias in node.names:
                    target = f"{base}.{alias.name}"
                    found.add(target if target in paths else base)
        graph[name] = (found & paths.keys()) - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_no_module_takes_part_in_an_import_circle() -> None:
    """A circle means two modules hold one concept between them: the shared piece belongs in
    one place that both import (issue 25)."""
    found = cycles(import_graph())
    assert not found, "\n".join(" ↔ ".join(component) for component in found)


def test_the_circle_check_sees_circles() -> None:
    """Guard against a graph or a search that finds nothing and so passes for nothing."""
    graph = import_graph()
    assert "bot.cli.common" in graph["bot.cli.content"] and "bot.storage" in graph["bot.cli.common"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({**graph, "content": graph["content"] | {"bot.cli"}}) != []


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_lower_layers_never_import_upper_ones_or_infrastructure(package: str) -> None:
    offences = [f"{path.relative_to(ROOT)} imports {name}" for path in modules(package)
                for name in sorted(imports(path)) if name.split(".")[0] in FORBIDDEN[package]]
    assert not offences, "\n".join(offences)


def test_only_the_console_command_imports_the_fake_telegram() -> None:
    users = {str(path.relative_to(ROOT)) for path in modules("bot")
             if "fake" not in path.parts and any(n == "bot.fake" or n.startswith("bot.fake.") for n in imports(path))}
    assert users == FAKE_USERS


def test_nothing_imports_python_telegram_bots_private_modules() -> None:
    """``telegram._…`` may change in any release; PTB's public API says the same (the transport
    compares a timeout with ``BaseRequest.DEFAULT_NONE`` instead of importing ``DefaultValue``)."""
    offences = [f"{path.relative_to(ROOT)} imports {name}" for package in ("bot", "handlers", "content")
                for path in modules(package) for name in sorted(imports(path))
                if name.split(".")[0] == "telegram" and any(part.startswith("_") for part in name.split(".")[1:])]
    assert not offences, "\n".join(offences)


def test_the_checks_see_real_imports() -> None:
    """Guard against a scan that finds nothing and so passes for nothing."""
    assert "content.timerules" in imports(ROOT / "bot" / "storage" / "chats.py")
    assert "handlers.store" in imports(ROOT / "bot" / "storage" / "chats.py")
    assert "telegram" in imports(ROOT / "handlers" / "common.py")


PROBE = """
import importlib, json, pkgutil, sys
import {package}
for info in pkgutil.walk_packages({package}.__path__, "{package}."):
    importlib.import_module(info.name)
print(json.dumps(sorted({{name.split(".")[0] for name in sys.modules}})))
"""


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_importing_a_layer_loads_nothing_above_it(package: str) -> None:
    result = subprocess.run([sys.executable, "-c", PROBE.format(package=package)], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    loaded = set(json.loads(result.stdout))
    assert package in loaded and not loaded & FORBIDDEN[package]


def test_the_cli_imports_no_telegram_database_or_http_stack_until_a_command_needs_it() -> None:
    probe = "import bot.cli, json, sys; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    loaded = {name.split(".")[0] for name in json.loads(result.stdout)}
    assert not loaded & {"telegram", "sqlalchemy", "aiohttp", "alembic", "handlers", "jieba"}
