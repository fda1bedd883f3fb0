"""Text folding for search: one normal form for what users type and what the speech says.

``fold`` maps text to simplified Chinese (OpenCC t2s), NFKC (full-width → half-width),
lower case, and drops everything that is not a letter or digit (punctuation, quotation marks,
spaces). ``pinyin`` maps each Chinese character to its most common toneless reading, with ü
written u, as one private-use character per syllable, so that pinyin is matched by the same
string machinery as characters. Both can return, per output character, the index of the
source character it came from, for highlighting.

pypinyin's full API imports its phrase dictionary (~300 ms); we read its per-character table
(``pinyin_dict.json``) directly instead, and convert a character's reading when it is first
seen, so start-up stays fast. The cost:
polyphonic characters get their most common reading only (长 is zhang, not chang).
"""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Protocol

_NOT_WORD = re.compile(r"[\W_]+")
_PINYIN_QUERY = re.compile(r"^[a-z' ]+$")
_SYLLABLE_BASE = 0xE000  # BMP private-use area: 6,400 code points, ~1,400 syllables needed.
_syllable_codes: dict[str, str] = {}


class _Converter(Protocol):
    """What this module calls of an ``opencc.OpenCC``."""

    def convert(self, text: str) -> str: ...


@cache
def _t2s() -> _Converter:
    import opencc

    converter: _Converter = opencc.OpenCC("t2s")  # opencc ships no types: its one method we call, typed
    return converter


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese (OpenCC t2s)."""
    return _t2s().convert(text) if text else text


def fold(text: str) -> str:
    """The searchable form of ``text`` (fast path, no position map)."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", to_simplified(text)).lower())


def _per_char_simplified(text: str) -> str:
    simplified = to_simplified(text)
    if len(simplified) == len(text):
        return simplified
    return "".join(c if len(s := to_simplified(c)) != 1 else s for c in text)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Like ``fold`` but also returns, per output character, its index in ``text``."""
    out: list[str] = []
    positions: list[int] = []
    for i, ch in enumerate(_per_char_simplified(text)):
        for c in unicodedata.normalize("NFKC", ch).lower():
            if c.isalnum():
                out.append(c)
                positions.append(i)
    return "".join(out), positions


@cache
def _raw_readings() -> dict[str, str]:
    """pypinyin's per-character table: decimal code point → comma-separated toned readings."""
    spec = importlib.util.find_spec("pypinyin")
    assert spec and spec.submodule_search_locations, "pypinyin is not installed"
    path = Path(next(iter(spec.submodule_search_locations))) / "pinyin_dict.json"
    readings: dict[str, str] = json.loads(path.read_text("utf-8"))
    return readings


def _reading(code: int) -> str | None:
    """The most common toneless reading of the character ``code``, or None."""
    readings = _raw_readings().get(str(code))
    return _toneless(readings.split(",")[0]) if readings else None


class _Translation(dict[int, str]):
    """``str.translate`` table filled on first sight of each character: converting all 42,000
    readings up front cost ~90 ms of every start, and the speech uses about a thousand."""

    def __missing__(self, code: int) -> str:
        syllable = _reading(code)
        if syllable is None:
            raise LookupError(code)  # translate() leaves the character as it is
        self[code] = value = syllable_code(syllable)
        return value


_TRANSLATION = _Translation()


def _toneless(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("v", "u")


def syllable_code(syllable: str) -> str:
    """The private-use character that stands for one toneless syllable."""
    code = _syllable_codes.get(syllable)
    if code is None:
        code = chr(_SYLLABLE_BASE + len(_syllable_codes))
        _syllable_codes[syllable] = code
    return code


def pinyin_with_map(text: str) -> tuple[str, list[int]]:
    """Each Chinese character of ``text`` as a syllable code, with source indices."""
    out: list[str] = []
    positions: list[int] = []
    for i, ch in enumerate(_per_char_simplified(text)):
        syllable = _reading(ord(ch))
        if syllable:
            out.append(syllable_code(syllable))
            positions.append(i)
    return "".join(out), positions


_NOT_SYLLABLE = re.compile("[^\ue000-\uf8ff]+")


def pinyin(text: str) -> str:
    """The syllable-code string of ``text`` (fast path, no position map)."""
    return _NOT_SYLLABLE.sub("", to_simplified(text).translate(_TRANSLATION))


def pinyin_query(query: str) -> str | None:
    """Segment a typed pinyin query (shendu, yi gang shuang ze, lü/lv) into syllable codes.

    Returns None when the query is not pinyin or cannot be segmented into known syllables.
    Segmentation prefers the fewest syllables (xian → xian, not xi an) within each
    space-separated chunk.
    """
    text = unicodedata.normalize("NFKC", query).lower().replace("ü", "u").replace("v", "u")
    if not _PINYIN_QUERY.match(text) or sum(c.isalpha() for c in text) < 2:
        return None
    known = _known_syllables()
    codes: list[str] = []
    for chunk in re.split(r"[' ]+", text.strip(" '")):
        best: list[list[str] | None] = [None] * (len(chunk) + 1)
        best[0] = []
        for end in range(1, len(chunk) + 1):
            for start in range(max(0, end - 6), end):
                prefix = best[start]
                if prefix is not None and chunk[start:end] in known:
                    candidate = [*prefix, chunk[start:end]]
                    if best[end] is None or len(candidate) < len(best[end] or ()):
                        best[end] = candidate
        segmented = best[len(chunk)]
        if segmented is None:
            return None
        codes.extend(syllable_code(s) for s in segmented)
    return "".join(codes)


@cache
def _known_syllables() -> frozenset[str]:
    return frozenset(filter(None, (_reading(int(code)) for code in _raw_readings())))
