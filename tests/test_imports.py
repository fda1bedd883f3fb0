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
