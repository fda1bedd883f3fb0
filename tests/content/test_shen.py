"""The four 慎 principles and the daily reminder."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from pydantic import ValidationError

from content import Speech
from content.answer import Searcher
from content.quotes import candidates
from content.shen import (
    FLOOR,
    NAMES,
    SHEN_FILE,
    Ranking,
    fitting,
    month_quotes,
    passages_quotes,
    principle,
    principles,
    rank,
    reminder,
)
from tests.conftest import CACHE_DIR

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"


def test_principles_are_complete_and_point_at_real_passages(speech: Speech) -> None:
    loaded = principles()
    assert tuple(p.name for p in loaded) == NAMES
    for item in loaded:
        assert 2 <= len(item.passages) <= 4
        assert all(speech.find(p) for p in item.passages)
        assert " " not in item.explanation
    assert principle("慎獨") is principle("shendu") is principle("独") is loaded[2]
    assert principle("慎重") is None


@pytest.fixture(scope="module")
def ranking(speech: Speech, searcher: Searcher) -> Ranking:
    """The ranking as the bot computes it: the real encoder, the shared cache."""
    found = rank(speech, searcher.encoder, CACHE_DIR)
    assert found is not None
    return found


def test_principle_rotates_daily(speech: Speech, ranking: Ranking) -> None:
    start = date(2026, 11, 23)
    names = [reminder(speech, start + timedelta(days=i), ranking).principle.name for i in range(8)]
    assert sorted(names[:4]) == sorted(NAMES) and names[:4] == names[4:]


MONTHS = [(year, month) for year in (2026, 2027) for month in range(1, 13)]


@pytest.mark.parametrize("with_encoder", [True, False])
def test_no_quote_two_days_running_and_at_least_15_a_month(
    speech: Speech, ranking: Ranking, with_encoder: bool
) -> None:
    """Issue 24.11: December 2026 quoted the same sentence on consecutive days four times and
    only 11 distinct ones. Every month of 2026–2027, from the day before its first on: never
    yesterday's quote, at least 15 distinct, each a fitting quote of the day's principle."""
    used = ranking if with_encoder else None
    for year, month in MONTHS:
        first = date(year, month, 1)
        days = [first - timedelta(days=1)] + [first + timedelta(days=i) for i in range(31) if
                                              (first + timedelta(days=i)).month == month]
        shown = [reminder(speech, day, used) for day in days]
        quotes = [r.quote for r in shown]
        repeats = [days[i + 1] for i in range(len(quotes) - 1) if quotes[i] == quotes[i + 1]]
        assert not repeats, (year, month)
        assert len(set(quotes[1:])) >= 15, (year, month, len(set(quotes[1:])))
        assert all(r.quote in fitting(speech, r.principle, used) for r in shown)


def test_the_reminder_of_a_day_does_not_depend_on_what_was_asked_before(speech: Speech, ranking: Ranking) -> None:
    """Every replica and the push agree: a day's quote is the same whatever was computed before."""
    days = [date(2027, 3, 1), date(2026, 12, 31), date(2027, 1, 1), date(2026, 12, 3)]
    before = [reminder(speech, day, ranking).quote for day in days]
    month_quotes.cache_clear()
    assert [reminder(speech, day, ranking).quote for day in reversed(days)] == before[::-1]


def test_every_quote_of_a_year_fits_its_principle_and_is_verbatim(speech: Speech, ranking: Ranking) -> None:
    """The issue's complaint: 慎初 with the "四个500强" investment drive, 慎独 with the property
    market. Every reminder of a year quotes one of its principle's fitting quotes, none of them
    from parts 二 and 三 (the county's development work) or from 4.2.4 (financial and property risks)."""
    units = {text for _, text in speech.sentence_units()}
    for offset in range(366):
        result = reminder(speech, date(2026, 1, 1) + timedelta(days=offset), ranking)
        quote = result.quote
        assert quote in fitting(speech, result.principle, ranking)
        assert quote.text in speech.node(quote.id).text and quote in candidates(speech)
        assert all(s in units for s in _sentences(quote.text, units))  # whole sentences of the speech
        assert quote.id.split(".")[0] not in ("2", "3") and quote.id != "4.2.4", (result.principle.name, quote)
        assert "500强" not in quote.text and "房地产" not in quote.text


def _sentences(text: str, units: set[str]) -> list[str]:
    """``text`` as the sentence units it is made of (a quote is one or two whole sentences)."""
    for cut in range(1, len(text)):
        if text[:cut] in units and text[cut:] in units:
            return [text[:cut], text[cut:]]
    return [text]


def test_fitting_quotes_are_the_principles_passages_then_close_ones(speech: Speech, ranking: Ranking) -> None:
    pool = candidates(speech)
    for item in principles():
        fits = fitting(speech, item, ranking)
        own = passages_quotes(speech, item)
        scores = dict(zip(pool, ranking.scores[item.name], strict=True))
        named = [q for q in fits if q in own]
        assert fits[: len(named)] == tuple(named) and named, item.name  # its passages first
        others = fits[len(named):]
        assert all(scores[q] >= FLOOR for q in others), item.name
        assert [scores[q] for q in named] == sorted((scores[q] for q in named), reverse=True)
        assert [scores[q] for q in others] == sorted((scores[q] for q in others), reverse=True)
        assert len(set(fits)) == len(fits)
    assert "慎初、慎微、慎独、慎友" in fitting(speech, principles()[0], ranking)[0].text  # the preface's, for 慎初


def test_without_an_encoder_the_principles_passages_in_order(speech: Speech) -> None:
    for item in principles():
        assert fitting(speech, item, None) == tuple(passages_quotes(speech, item))
    assert rank(speech, None) is None


class FakeEncoder:
    """Deterministic unit vectors from the text's characters; counts its calls."""

    def __init__(self, name: str = "fake:1", fail: bool = False) -> None:
        self.name = name
        self.fail = fail
        self.calls = 0

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        self.calls += 1
        if self.fail:
            raise RuntimeError("no model here")
        rows = np.zeros((len(texts), 64), dtype=np.float32)
        for number, text in enumerate(texts):
            for char in text:
                rows[number, ord(char) % 64] += 1
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _scores(speech: Speech, encoder: FakeEncoder, folder: Path) -> dict[str, tuple[float, ...]]:
    found = rank(speech, encoder, folder)
    assert found is not None
    return found.scores


def test_the_ranking_is_kept_on_disk_and_read_without_the_encoder(speech: Speech, tmp_path: Path) -> None:
    first = FakeEncoder()
    computed = _scores(speech, first, tmp_path)
    assert first.calls == 2 and list(computed) == list(NAMES)  # the quotes, then every statement
    (stored,) = tmp_path.glob("shen-*.json")
    unloadable = FakeEncoder(fail=True)  # another process: the same name, a model that cannot run
    assert _scores(speech, unloadable, tmp_path) == computed and unloadable.calls == 0
    data = json.loads(stored.read_text("utf-8"))
    data["scores"]["慎独"] = data["scores"]["慎独"][:-1]  # damaged: recomputed, never trusted
    stored.write_text(json.dumps(data), encoding="utf-8")
    again = FakeEncoder()
    assert _scores(speech, again, tmp_path) == computed and again.calls == 2
    _scores(speech, FakeEncoder(name="fake:2"), tmp_path)  # another encoder: another file
    assert len(list(tmp_path.glob("shen-*.json"))) == 2


def test_an_encoder_that_fails_leaves_the_rule_without_it(speech: Speech, tmp_path: Path) -> None:
    assert rank(speech, FakeEncoder(name="fake:broken", fail=True), tmp_path) is None
    assert not list(tmp_path.glob("shen-*.json"))


@pytest.mark.parametrize("days", range(0, 120, 5))
def test_reminder_quote_is_verbatim(speech: Speech, days: int) -> None:
    result = reminder(speech, date(2026, 1, 1) + timedelta(days=days))
    assert result.quote.text in speech.node(result.quote.id).text
    data = result.to_dict()
    assert set(data) == {"date", "principle", "meaning", "text", "quote"}
    assert result.quote.in_quotes in data["text"] and result.principle.name in data["text"]  # as shown in “…”
    assert data["text"].startswith(f"{data['date']} 今日一慎：")


def test_bad_principles_file_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "shen.yaml"
    bad.write_text("- name: 慎重\n  pinyin: x\n  meaning: 不对\n", encoding="utf-8")
    with pytest.raises(ValidationError):
        principles(bad)


def test_pinyin_has_tone_marks_and_reads_the_name() -> None:
    from content.folding import pinyin, pinyin_query

    for item in principles():
        syllables = item.pinyin.split()
        assert len(syllables) == len(item.name) and all(any(c in TONED for c in s) for s in syllables), item.pinyin
        assert item.plain_pinyin.isascii() and pinyin_query(item.plain_pinyin) == pinyin(item.name), item.pinyin
    assert [p.pinyin for p in principles()] == ["shèn chū", "shèn wēi", "shèn dú", "shèn yǒu"]


def test_every_principle_is_explained_in_english() -> None:
    for item in principles():
        text = item.english_explanation
        assert sum(c.isascii() for c in text) / len(text) > 0.95, item.name  # English, not Chinese
        assert len(text.split()) >= 20 and "  " not in text


@pytest.mark.parametrize("field", ["pinyin: shen chu", "pinyin: shèn", "pinyin: shèn chū wēi"])
def test_toneless_or_miscounted_pinyin_is_rejected(tmp_path: Path, field: str) -> None:
    good = SHEN_FILE.read_text("utf-8")
    bad = tmp_path / "shen.yaml"
    bad.write_text(good.replace("pinyin: shèn chū", field, 1), encoding="utf-8")
    with pytest.raises(ValidationError):
        principles(bad)
