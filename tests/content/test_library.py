"""The library (``content.library``) and node ids scoped by their text (``content.model``)."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable
from datetime import date
from typing import Any, cast

import pytest

from content import Speech, parse_text
from content.answer import Searcher
from content.encoder import load_encoder
from content.library import (
    Book,
    Library,
    Makers,
    TextInfo,
    body_of,
    digest,
    node_count,
    normalise,
    parse_body,
    reminder_of,
    search_books,
)
from content.model import ORIGINAL, UnknownNodeError, scoped, split_scope, text_number
from content.naming import SHORT
from content.search import Hit, Tier
from content.shen import rank, reminder
from content.summaries import Summaries
from tests.conftest import CACHE_DIR


def tiny(number: int = 0) -> str:
    """A small valid speech, different for each ``number``."""
    return (f"同志们：\n今天讲{number}个问题。\n一、抓好第{number}项工作\n"
            f"（一）明确目标。一是定任务{number}。二是抓落实。\n（二）压实责任。各负其责。\n"
            "二、守住底线\n（一）严守纪律。要守规矩。\n同志们，共同努力。")


class FakeSearcher:
    """Answers with the hits it was given, whatever the query; counts the questions."""

    def __init__(self, hits: list[Hit]) -> None:
        self.hits = hits
        self.asked = 0

    def answer(self, query: str, limit: int = 5) -> list[Hit]:
        self.asked += 1
        return self.hits[:limit]


def makers(searcher: Callable[[Speech], Any] = lambda speech: FakeSearcher([]),
           ranking: Callable[[Speech], Any] = lambda speech: None) -> Makers:
    return Makers(searcher=searcher, summaries=lambda speech: cast(Summaries, None), ranking=ranking)


def info(text_id: int, title: str | None = None, body: str = "") -> TextInfo:
    return TextInfo(id=text_id, title=title, digest=digest(body) if body else "", source=f"t{text_id}.txt")


def outline(speech: Speech) -> list[tuple[str, str, str, str | None, str]]:
    return [(node.id, node.kind, node.label, node.title, node.text) for node in speech.nodes()]


# --- TextInfo, normalise, digest, body_of ---------------------------------------------------


@pytest.mark.parametrize(
    ("title", "short"),
    [("廉政党课", "廉政党课"), ("一二三四五六七八九十", "一二三四五六七八九十"),
     ("坚持慎字当头筑牢廉洁自律防线", "坚持慎字当头筑牢廉洁…"), ("  廉政党课 ", "廉政党课"), (None, "文本7"),
     ("   ", "文本7")],
)
def test_short_name_cuts_long_titles_and_names_untitled_texts(title: str | None, short: str) -> None:
    assert TextInfo(id=7, title=title).short == short
    assert len(TextInfo(id=7, title=title).short) <= SHORT + 1


def test_normalise_and_digest_ignore_line_ends_indentation_and_unicode_composition() -> None:
    body = "同志们：\n　　一、café 工作\n\n（一）要点。内容。\n"
    variants = [body.replace("\n", "\r\n"), body.replace("\n", "\r"), unicodedata.normalize("NFD", body),
                "  " + body.replace("\n", "  \n\n")]
    assert normalise(body) == "同志们：\n一、café 工作\n（一）要点。内容。"
    for variant in variants:
        assert normalise(variant) == normalise(body)
        assert digest(variant) == digest(body)
    assert digest(body) == hashlib.sha256(normalise(body).encode()).hexdigest()
    assert digest(body) != digest(body.replace("内容", "内客"))


def test_body_of_the_speech_parses_to_the_same_outline(speech: Speech) -> None:
    body = body_of(speech)
    assert body == normalise(body)
    again = parse_text(body)
    assert outline(again) == outline(speech)
    assert (again.title, again.salutation) == (speech.title, speech.salutation)
    assert body_of(again) == body


def test_an_upload_of_the_speech_file_is_known_as_text_1(speech: Speech) -> None:
    from content.formats import import_file
    from tests.documents import SEED

    assert digest(import_file(SEED).body) == digest(body_of(speech))


def test_body_of_keeps_a_title_line() -> None:
    speech = parse_text("廉政党课\n" + tiny(3))
    assert speech.title == "廉政党课"
    assert outline(parse_text(body_of(speech))) == outline(speech)
    assert node_count(speech) == 7  # two parts, three sections, one section's two points


def test_parse_body_scopes_every_id_by_the_text() -> None:
    body = tiny(2)
    speech = parse_body(info(2, "第二篇"), body)
    assert speech.text_id == 2 and speech.title == "第二篇"
    assert speech.ids == ["2:preface", "2:1", "2:1.1", "2:1.1.1", "2:1.1.2", "2:1.2", "2:2", "2:2.1", "2:closing"]
    assert speech.node("1.1.2").id == "2:1.1.2"
    assert speech.node("一（一）2").id == "2:1.1.2"
    assert speech.node("2:一（二）").id == "2:1.2"
    assert speech.node("2：前言").id == "2:preface"
    with pytest.raises(UnknownNodeError):
        speech.node("3:1.1")
    assert [n.label for n in speech.nodes()] == [n.label for n in parse_text(body).nodes()]
    original = parse_body(info(ORIGINAL), body)
    assert original.ids[:2] == ["preface", "1"] and original.title is None


# --- scoped ids (content.model) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "expected"),
    [("2:4.2", (2, "4.2")), ("2：4.2", (2, "4.2")), (" 12:四（二） ", (12, "四（二）")), ("4.2", (None, "4.2")),
     ("四（二）", (None, "四（二）")), ("1:4.2", (1, "4.2")), ("a:4.2", (None, "a:4.2"))],
)
def test_split_scope(ref: str, expected: tuple[int | None, str]) -> None:
    assert split_scope(ref) == expected


@pytest.mark.parametrize(
    ("ref", "expected"),
    [("2:四（二）", "2:4.2"), ("2：四（二）3", "2:4.2.3"), ("2:4-2", "2:4.2"), ("2:前言", "2:preface"),
     ("1:4.2", "4.2"), ("1：四（二）", "4.2"), ("0:4.2", None), ("2:3:4.2", None), ("2:garbage", None), ("2:", None)],
)
def test_canonical_id_keeps_a_scope_but_the_originals(ref: str, expected: str | None) -> None:
    assert Speech.canonical_id(ref) == expected


def test_scoped_leaves_the_originals_ids_alone() -> None:
    assert scoped(ORIGINAL, "4.2") == "4.2"
    assert scoped(2, "4.2") == "2:4.2"


def test_node_refuses_another_texts_scope(speech: Speech) -> None:
    assert speech.node("1:4.2").id == "4.2"
    assert speech.node("1：四（二）").id == "4.2"
    with pytest.raises(UnknownNodeError):
        speech.node("2:4.2")
    second = speech.scoped(2)
    assert second.node("4.2").id == "2:4.2"
    assert second.node("2:4.2").text == speech.node("4.2").text
    for ref in ("1:4.2", "3:4.2"):
        with pytest.raises(UnknownNodeError):
            second.node(ref)
    assert second.find("3:4.2") is None
    third = second.scoped(3)  # scoped again: built anew, no stale lookup of text 2's ids
    assert third.node("4.2").id == "3:4.2" and second.node("4.2").id == "2:4.2"
    assert third.scoped(ORIGINAL).ids == speech.ids


# --- Library ---------------------------------------------------------------------------------


def test_library_keeps_the_original_and_evicts_the_least_recently_used(speech: Speech) -> None:
    library = Library.of(speech, makers(), capacity=2)
    books = {n: library.add(info(n, body=tiny(n)), tiny(n)) for n in (2, 3)}
    assert library.get(2) is books[2]  # 2 is now the most recently used
    library.add(info(4, body=tiny(4)), tiny(4))
    assert library.get(3) is None and library.get(2) is books[2] and library.get(4) is not None
    for n in (5, 6, 7):
        library.add(info(n, body=tiny(n)), tiny(n))
    assert library.get(2) is None
    assert library.get(None) is library.original and library.get(ORIGINAL) is library.original
    assert library.original.speech is speech
    assert library.add(info(ORIGINAL, "讲话"), "ignored") is library.original
    assert library.original.info.title == "讲话"


def test_library_add_keeps_a_known_book_and_rebuilds_a_changed_one(speech: Speech) -> None:
    library = Library.of(speech, makers())
    first = library.add(info(2, "甲", tiny(2)), tiny(2))
    assert library.add(info(2, "甲", tiny(2)), tiny(2)) is first
    renamed = library.add(info(2, "乙", tiny(2)), tiny(2))
    assert renamed is not first and renamed.speech.title == "乙"
    library.drop(2)
    assert library.get(2) is None
    assert library.scope_of("2:4.2") == 2 and library.scope_of("4.2") == ORIGINAL


def test_a_book_builds_each_service_once() -> None:
    built: list[str] = []

    def searcher(speech: Speech) -> FakeSearcher:
        built.append(speech.ids[0])
        return FakeSearcher([])

    book = Book(info(2), parse_body(info(2), tiny()), makers(searcher))
    assert book.searcher is book.searcher
    assert book.ranking is None and book.ranking is None
    assert built == ["2:preface"] and book.id == 2


# --- search_books ----------------------------------------------------------------------------


def hit(node: str, tier: Tier, score: float) -> Hit:
    return Hit(id=node, score=score, text=f"{node} {tier}", tier=tier)


def shelf(answers: dict[int, list[Hit]]) -> list[Book]:
    return [Book(info(n), parse_body(info(n), tiny(n)), makers(lambda speech, hits=hits: FakeSearcher(hits)))
            for n, hits in answers.items()]


def test_search_books_merges_exact_then_related_by_score() -> None:
    books = shelf({2: [hit("2:1", "exact", 0.6), hit("2:2", "related", 0.9), hit("2:1.1", "nearest", 0.2)],
                   3: [hit("3:1", "related", 0.95), hit("3:2", "exact", 0.8)],
                   4: [hit("4:1", "nearest", 0.5)]})
    found = search_books(books, "问题", limit=5)
    assert [(book.id, h.id, h.tier) for book, h in found] == [
        (3, "3:2", "exact"), (2, "2:1", "exact"), (3, "3:1", "related"), (2, "2:2", "related")]
    assert [h.id for _, h in search_books(books, "问题", limit=3)] == ["3:2", "2:1", "3:1"]


def test_search_books_shows_nearest_only_when_no_text_answers() -> None:
    books = shelf({2: [hit("2:1", "nearest", 0.2)], 3: [hit("3:1", "nearest", 0.4), hit("3:2", "nearest", 0.1)],
                   4: []})
    found = search_books(books, "天气", limit=2)
    assert [(book.id, h.id) for book, h in found] == [(3, "3:1"), (2, "2:1")]
    assert search_books(shelf({2: [], 3: []}), "天气") == []


def test_search_books_equals_each_books_answer_merged(speech: Speech) -> None:
    """The real searchers of three texts: what the library finds is what each text finds, merged."""
    encoder = load_encoder("use")
    bound = makers(lambda s: Searcher(s, encoder, CACHE_DIR))
    library = Library.of(speech, bound)
    books = [library.original, library.add(info(2, body=tiny(2)), tiny(2)), library.add(info(3, body=tiny(3)), tiny(3))]
    order = {"exact": 0, "related": 1, "nearest": 2}
    for query in ("守规矩", "纪律", "how to stay honest", "今天天气怎么样", "抓落实"):
        merged = [(b.id, h) for b in books for h in b.searcher.answer(query, 5)]
        merged.sort(key=lambda pair: (order[pair[1].tier], -pair[1].score))
        if any(h.tier != "nearest" for _, h in merged):
            merged = [pair for pair in merged if pair[1].tier != "nearest"]
        assert [(b.id, h) for b, h in search_books(books, query, 5)] == merged[:5]


# --- reminder_of -----------------------------------------------------------------------------


UNRELATED = ("同志们：\n今天天气晴朗。\n一、春游安排\n（一）集合时间。早上八点在公园门口集合。\n"
             "（二）午饭。每人自带午饭和水。")


def test_reminder_falls_back_to_the_original_for_a_tiny_unrelated_text(speech: Speech) -> None:
    day = date(2024, 3, 5)
    library = Library.of(speech, makers())
    book = library.add(info(2, body=UNRELATED), UNRELATED)
    assert reminder_of(book, library.original, day) == (reminder(speech, day), True)
    assert reminder_of(library.original, library.original, day) == (reminder(speech, day), False)


def test_reminder_falls_back_with_the_encoders_ranking_too(speech: Speech) -> None:
    encoder = load_encoder("use")
    library = Library.of(speech, makers(ranking=lambda s: rank(s, encoder, CACHE_DIR)))
    book = library.add(info(2, body=UNRELATED), UNRELATED)
    for offset in range(4):  # every principle
        day = date(2024, 3, 5 + offset)
        found, fell_back = reminder_of(book, library.original, day)
        assert fell_back and found == reminder(speech, day, library.original.ranking)


@pytest.mark.parametrize(("written", "number"), [
    ("2", 2), ("#2", 2), ("２", 2), (" 12 ", 12), ("999999999", 999_999_999),
    ("0", None), ("1000000000", None), ("-2", None), ("2a", None), ("²", 2), ("", None), ("##2", None),
])
def test_one_reading_of_a_text_id(written: str, number: int | None) -> None:
    """/use, /describe, a button's data, a reference's scope and the reader's URL read a text id
    by the same rules (``text_number``)."""
    assert text_number(written) == number


def test_a_scope_is_read_as_a_text_id() -> None:
    assert split_scope("2:4.2") == (2, "4.2")
    assert split_scope("２：4.2") == (2, "4.2")
    assert split_scope("0:4.2") == (None, "0:4.2")
    assert split_scope("4.2") == (None, "4.2")
