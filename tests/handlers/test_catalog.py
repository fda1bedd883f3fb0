"""Catalogs: every message renders in both languages with exactly the arguments its callers pass.

Callers are found by reading the source: every ``text(lang, "key", a=…)`` and
``say(update, context, "key", a=…)`` call in ``handlers/`` must name a key that exists in both
catalogs and pass exactly the placeholders the key's templates use.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.fake.validate import parse_html
from handlers.catalog import CATALOGS, EN, MENU, ZH, Html, placeholders, text

HANDLERS = Path(__file__).resolve().parents[2] / "handlers"


def calls() -> list[tuple[str, str, frozenset[str]]]:
    found = []
    for path in HANDLERS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            position = {"text": 1, "say": 2, "_tell": 2}.get(node.func.id)
            if position is None or len(node.args) <= position:
                continue
            key = node.args[position]
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                found.append((f"{path.name}:{node.lineno}", key.value, frozenset(k.arg for k in node.keywords)))
    return found


CALLS = calls()


def test_both_catalogs_have_the_same_keys_and_placeholders() -> None:
    assert set(ZH) == set(EN)
    for key in ZH:
        assert placeholders(ZH[key]) == placeholders(EN[key]), key
    assert [c for c, _ in MENU["zh"]] == [c for c, _ in MENU["en"]]


def test_the_source_scan_found_the_callers() -> None:
    assert len(CALLS) > 50


@pytest.mark.parametrize(("where", "key", "args"), CALLS, ids=[c[0] for c in CALLS])
def test_every_caller_passes_exactly_the_placeholders(where: str, key: str, args: frozenset[str]) -> None:
    assert key in ZH, f"{where}: unknown key {key}"
    assert args == placeholders(ZH[key]), f"{where}: {key} expects {placeholders(ZH[key])}, gets {set(args)}"


@pytest.mark.parametrize("lang", list(CATALOGS))
@pytest.mark.parametrize("key", sorted(ZH))
def test_every_message_renders_as_valid_telegram_html(lang: str, key: str) -> None:
    rendered = text(lang, key, **{name: "<x&y>" for name in placeholders(ZH[key])})
    assert isinstance(rendered, Html)
    if rendered.strip():
        plain = parse_html(rendered)  # raises like Telegram would on bad markup
        if placeholders(ZH[key]):
            assert "<x&y>" in plain  # arguments are escaped, shown literally
