"""scripts/catalog_to_po.py: a key added in the style of the old Python dicts is ported into the
gettext catalogs mechanically, next to the key it follows, with its placeholder flag."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from handlers.catalog import DOMAIN, EN, LOCALE, ZH, Lang, load

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("catalog_to_po", ROOT / "scripts" / "catalog_to_po.py")
assert spec is not None and spec.loader is not None
script = importlib.util.module_from_spec(spec)
spec.loader.exec_module(script)


@pytest.fixture
def locale(tmp_path: Path) -> Path:
    shutil.copytree(LOCALE, tmp_path / "locale")
    return tmp_path / "locale"


def dicts_source(zh: dict[str, str], en: dict[str, str]) -> str:
    return f"from typing import Literal\nZH: dict[str, str] = {zh!r}\n\nEN: dict[str, str] = {en!r}\n"


def inserted(messages: dict[str, str], after: str, key: str, value: str) -> dict[str, str]:
    """``messages`` with ``key`` right after ``after``, as a branch adds a key next to related ones."""
    result = {}
    for k, v in messages.items():
        result[k] = v
        if k == after:
            result[key] = value
    return result


def test_a_new_key_lands_after_the_key_it_follows_in_both_languages(locale: Path, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    after = list(ZH)[10]
    zh = inserted(ZH, after, "brand_new", "新的 <b>{name}</b>")
    en = inserted(EN, after, "brand_new", "New <b>{name}</b>")
    source = tmp_path / "old_catalog.py"
    source.write_text(dicts_source(zh, en), "utf-8")

    assert script.main([str(source), "--locale-dir", str(locale)]) == 0

    languages: list[tuple[Lang, dict[str, str]]] = [("zh", zh), ("en", en)]
    for lang, expected in languages:
        ported = load(lang, locale)
        assert ported == expected and list(ported) == list(expected)  # in the dict's order
        text = (locale / lang / "LC_MESSAGES" / f"{DOMAIN}.po").read_text("utf-8")
        assert '#, python-brace-format\nmsgid "brand_new"\n' in text
    assert "zh: 1 added" in capsys.readouterr().err


def test_porting_the_catalogs_own_messages_changes_nothing(locale: Path, tmp_path: Path) -> None:
    before = {path: path.read_bytes() for path in locale.rglob("*.po")}
    source = tmp_path / "same.py"
    source.write_text(dicts_source(ZH, EN), "utf-8")
    assert script.main([str(source), "--locale-dir", str(locale)]) == 0
    assert script.main(["--locale-dir", str(locale)]) == 0  # the rewrite Babel would do, flags kept
    assert {path: path.read_bytes() for path in locale.rglob("*.po")} == before


def test_a_changed_text_is_reported_and_kept_unless_overwritten(locale: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "changed.py"
    source.write_text(dicts_source({}, {"btn_prev": "◀ Back"}), "utf-8")
    assert script.main([str(source), "--locale-dir", str(locale)]) == 0
    assert load("en", locale)["btn_prev"] == EN["btn_prev"]
    assert "en: btn_prev: text differs from the catalog's (kept)" in capsys.readouterr().err
    assert script.main([str(source), "--locale-dir", str(locale), "--overwrite"]) == 0
    assert load("en", locale)["btn_prev"] == "◀ Back"


def test_a_dry_run_prints_the_entries_and_writes_nothing(locale: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    before = {path: path.read_bytes() for path in locale.rglob("*.po")}
    source = tmp_path / "new.py"
    source.write_text(dicts_source({"brand_new": "第 {n} 条"}, {"brand_new": "Item {n}"}), "utf-8")
    assert script.main([str(source), "--locale-dir", str(locale), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert '#, python-brace-format\nmsgid "brand_new"\nmsgstr "Item {n}"' in out and "Project-Id-Version" not in out
    assert {path: path.read_bytes() for path in locale.rglob("*.po")} == before


def test_a_source_without_the_dicts_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "nothing.py"
    source.write_text("X = {'a': 'b'}\n", "utf-8")
    assert script.main([str(source), "--locale-dir", str(tmp_path)]) == 1
    assert "no ZH" in capsys.readouterr().err
