"""Catalogs: every message renders in both languages with exactly the arguments its callers pass.

Callers are found by reading the source: every ``tr(lang, "key", a=…)`` and
``say(update, context, "key", a=…)`` call in ``handlers/`` and in the reader's API
(``bot/reader/``, the Mini App's words) must name a key that exists in both
catalogs and pass exactly the placeholders the key's templates use. A key the scan cannot
read (a variable, a computed string) fails the test, except inside the pass-through wrappers
themselves (``say``, ``_tell``), whose own callers are scanned; ``"a" if c else "b"`` counts as
both keys. The messages themselves are gettext catalogs (``handlers/locale``): the files must
parse strictly and hold the same keys, each translated, with the same placeholders.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import PoFileError, read_po

from bot.fake.validate import parse_html
from handlers.catalog import CATALOGS, DOMAIN, EN, LOCALE, MENU, MENU_COMMANDS, ZH, Html, load, placeholders, tr

ROOT = Path(__file__).resolve().parents[2]
SOURCES = (ROOT / "handlers", ROOT / "bot" / "reader")  # every module that calls the catalogs


KEY_POSITION = {"tr": 1, "say": 2, "_tell": 2}  # the catalog functions and the key's argument
WRAPPERS = {"say", "_tell"}  # pass their ``key`` parameter on; their callers are scanned


def literal_keys(node: ast.expr) -> list[str] | None:
    """The keys an argument can be: a string literal, or a conditional of them; None otherwise."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = literal_keys(node.body), literal_keys(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def scan() -> tuple[list[tuple[str, str, frozenset[str]]], list[str]]:
    """(where, key, argument names) for every catalog call, and the calls whose key is unreadable."""
    found, unreadable = [], []
    for path in sorted(path for folder in SOURCES for path in folder.glob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]:
            for node in ast.walk(function):
                if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                    continue
                position = KEY_POSITION.get(node.func.id)
                if position is None:
                    continue
                where = f"{path.name}:{node.lineno}"
                if len(node.args) <= position:
                    unreadable.append(f"{where}: key not passed positionally")
                    continue
                key = node.args[position]
                keys = literal_keys(key)
                if keys is None:
                    passed_on = (function.name in WRAPPERS and isinstance(key, ast.Name)
                                 and key.id in {a.arg for a in function.args.args})
                    if not passed_on:
                        unreadable.append(f"{where}: {ast.unparse(node)}")
                    continue
                names = frozenset(k.arg for k in node.keywords if k.arg is not None)
                if any(k.arg is None for k in node.keywords):
                    unreadable.append(f"{where}: **arguments hide the placeholders")
                found += [(where, k, names) for k in keys]
    return found, unreadable


CALLS, UNREADABLE = scan()


def test_every_key_is_readable_by_the_scan() -> None:
    assert not UNREADABLE, "\n".join(UNREADABLE)


def test_both_catalogs_have_the_same_keys_and_placeholders() -> None:
    assert set(ZH) == set(EN)
    for key in ZH:
        assert placeholders(ZH[key]) == placeholders(EN[key]), key
    assert [c for c, _ in MENU["zh"]] == [c for c, _ in MENU["en"]]


def po(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def entries(lang: str) -> list[tuple[str, set[str]]]:
    """(msgid, flags) of each entry, read from the file as written (Babel recomputes some flags)."""
    found = []
    for block in po(lang).read_text("utf-8").split("\n\n"):
        msgid = re.search(r'^msgid "(.*)"$', block, re.M)
        flags = re.search(r"^#, (.*)$", block, re.M)
        if msgid and msgid[1]:
            found.append((msgid[1], {f.strip() for f in flags[1].split(",")} if flags else set()))
    return found


@pytest.mark.parametrize("lang", list(CATALOGS))
def test_each_po_file_parses_strictly_and_translates_every_key(lang: str) -> None:
    with po(lang).open("rb") as file:
        catalog = read_po(file, locale=lang, domain=DOMAIN, abort_invalid=True)
    assert str(catalog.locale) == lang and not catalog.fuzzy and not catalog.obsolete
    messages = [m for m in catalog if m.id]
    keys = [key for key, _ in entries(lang)]
    assert len(keys) == len(set(keys)) == len(messages)  # no duplicate msgid
    untranslated = [m.id for m in messages if not m.string or m.fuzzy or m.context or m.pluralizable]
    assert not untranslated, f"{lang}: empty, fuzzy, with a context or plural: {untranslated}"
    assert CATALOGS[lang] == {m.id: m.string for m in messages}


def test_both_po_files_list_the_keys_in_the_same_order() -> None:
    """Related messages sit together, in the same place in both files: a diff of one reads like the other."""
    assert [key for key, _ in entries("zh")] == [key for key, _ in entries("en")] == list(ZH)


@pytest.mark.parametrize("lang", list(CATALOGS))
def test_entries_with_placeholders_are_flagged_python_brace_format(lang: str) -> None:
    """The flag tells editors (and ``msgfmt --check``) to keep each ``{name}`` in a translation."""
    flagged = {key for key, flags in entries(lang) if "python-brace-format" in flags}
    assert flagged == {key for key, template in CATALOGS[lang].items() if placeholders(template)}


def test_an_empty_or_fuzzy_translation_falls_back_to_chinese(tmp_path: Path) -> None:
    """gettext treats both as untranslated: ``load`` leaves them out, so ``text`` shows the Chinese."""
    catalog = tmp_path / "en" / "LC_MESSAGES" / f"{DOMAIN}.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                       'msgid "btn_prev"\nmsgstr ""\n\n#, fuzzy\nmsgid "btn_next"\nmsgstr "Next ▶"\n\n'
                       '#, python-brace-format\nmsgid "outline_title"\nmsgstr "📖 {title}"\n', "utf-8")
    assert load("en", tmp_path) == {"outline_title": "📖 {title}"}


def test_a_malformed_po_file_fails_at_load(tmp_path: Path) -> None:
    catalog = tmp_path / "zh" / "LC_MESSAGES" / f"{DOMAIN}.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text('msgid "btn_prev"\nmsgstr "◀ 上一节"\nmsgid\n', "utf-8")
    with pytest.raises(PoFileError):
        load("zh", tmp_path)


def test_the_source_scan_found_the_callers() -> None:
    assert len(CALLS) > 50
    assert {key for _, key, _ in CALLS} >= {"sub_off", "sub_none", "zone_pick", "bad_zone", "not_admin"}


def test_every_message_is_used_somewhere() -> None:
    menu = {f"menu_{command}" for command in MENU_COMMANDS}  # read by ``catalog.menu``
    assert set(ZH) - {key for _, key, _ in CALLS} - menu == set()


@pytest.mark.parametrize(("where", "key", "args"), CALLS, ids=[c[0] for c in CALLS])
def test_every_caller_passes_exactly_the_placeholders(where: str, key: str, args: frozenset[str]) -> None:
    assert key in ZH, f"{where}: unknown key {key}"
    assert args == placeholders(ZH[key]), f"{where}: {key} expects {placeholders(ZH[key])}, gets {set(args)}"


@pytest.mark.parametrize("lang", list(CATALOGS))
@pytest.mark.parametrize("key", sorted(ZH))
def test_every_message_renders_as_valid_telegram_html(lang: str, key: str) -> None:
    rendered = tr(lang, key, **{name: "<x&y>" for name in placeholders(ZH[key])})
    assert isinstance(rendered, Html)
    if rendered.strip():
        plain = parse_html(rendered)  # raises like Telegram would on bad markup
        if placeholders(ZH[key]):
            assert "<x&y>" in plain  # arguments are escaped, shown literally


@pytest.mark.parametrize("lang", list(CATALOGS))
def test_the_fix_metadata_prompt_reads_back_its_text_and_its_fields(lang: str) -> None:
    """The ✏️ prompt's number is read back from the message replied to, and the owner copies its
    field lines: both must survive Telegram's rendering in every language."""
    from datetime import date

    from handlers.uploads import PROMPT, describe_fields

    fields = tr(lang, "describe_fields", title="新的<标题>", speaker="李四", date="2026-11-28", occasion="")
    prompt = parse_html(tr(lang, "describe_prompt", id=27, fields=fields))
    found = PROMPT.match(prompt)
    assert found is not None and found[1] == "27"
    assert describe_fields(parse_html(fields)).fields == {"title": "新的<标题>", "speaker": "李四",
                                                           "date": date(2026, 11, 28), "occasion": None}
    assert len(tr(lang, "describe_placeholder")) <= 64  # Telegram's limit for a ForceReply placeholder
    answers = [tr(lang, "upload_publishing"), tr(lang, "upload_gone", id=99999),
               tr(lang, "upload_not_draft", id=99999)]
    assert all(len(answer) <= 200 for answer in answers)  # what a callback answer may say


@pytest.mark.parametrize("lang", list(CATALOGS))
def test_the_library_commands_are_in_the_menu_and_the_help(lang: str) -> None:
    """/texts and /use reach members through the command menu and /help; so does searching every text."""
    assert {"texts", "use"} <= {command for command, _ in MENU[lang]}
    help_text = parse_html(tr(lang, "help", bot="speech_test_bot"))
    assert "/texts" in help_text and "/use 2" in help_text and "/use 1" in help_text
    assert ("/search 全部 慎独" if lang == "zh" else "/search all 慎独") in help_text
    answers = [tr(lang, "use_not_admin"), tr(lang, "use_no_store"), tr(lang, "use_unknown", ref=2**31)]
    assert all(len(answer) <= 200 for answer in answers)  # also a callback answer's alert under /texts
    assert len(tr(lang, "btn_search_all")) <= 30 and tr(lang, "texts_current").strip() == "✅"
