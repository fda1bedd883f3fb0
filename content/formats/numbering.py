"""Word's automatic numbering: the "一、" that is not in a paragraph's text but in numbering.xml.

A numbered paragraph names a list (``w:numPr/w:numId``) and a level (``w:ilvl``); the list
points at an abstract definition whose level gives the start, the format (``w:numFmt``:
chineseCounting, decimal, …) and the text (``w:lvlText``, e.g. ``%1、`` or ``（%2）``, where
``%n`` is level n's counter). The counters run in document order as Word runs them: lists that
share an abstract definition share its counters unless a list restarts a level
(``w:lvlOverride/w:startOverride``); a level restarts when a level above it advances (unless
``w:lvlRestart`` says otherwise). The reconstructed marker is what the reader sees in Word.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from content.formats.limits import check_label

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


class Element(Protocol):
    """An XML element as lxml (and python-docx over it) gives it: the part of its API the Word
    reader uses (lxml ships no types)."""

    @property
    def tag(self) -> object: ...  # a Clark name (str); a function for comments and processing instructions

    @property
    def text(self) -> str | None: ...

    def get(self, key: str) -> str | None: ...

    def find(self, path: str) -> Element | None: ...

    def findall(self, path: str) -> list[Element]: ...

    def iter(self, tag: str) -> Iterator[Element]: ...

    def iterancestors(self) -> Iterator[Element]: ...

    def __iter__(self) -> Iterator[Element]: ...


def w(tag: str) -> str:
    """The Clark name of a WordprocessingML tag (``w:numId`` → ``{…}numId``)."""
    return f"{{{W}}}{tag}"


def val(element: Element | None, default: str | None = None) -> str | None:
    """The ``w:val`` of ``element``, or ``default``."""
    if element is None:
        return default
    value = element.get(w("val"))
    return default if value is None else str(value)


def number(text: str | None, default: int) -> int:
    """A decimal attribute of a (possibly hand-edited or damaged) document: ``default`` when it
    is missing or not a number, never below 0 nor absurdly large."""
    try:
        return min(max(int(text), 0), 32767) if text is not None else default
    except ValueError:
        return default


_TEN_STEMS = "甲乙丙丁戊己庚辛壬癸"
_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"
_IDEOGRAPH_DIGITS = "〇一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PARENTHESISED = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_FULL_STOP = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"
_CIRCLED_IDEOGRAPHS = "㊀㊁㊂㊃㊄㊅㊆㊇㊈㊉"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


@dataclass(frozen=True)
class _Counting:
    """How one counting system writes a number: its digits (〇 for 0 alone), its units (十 百 千
    万), whether it says 零 for a gap and whether it keeps 一 before 十 (壹拾 in the legal forms)."""

    digits: str
    units: str
    zero: bool = True  # 一百零一 (Chinese), not 百一 (Japanese)
    leading_one: bool = False  # 10 is 壹拾 (legal forms), not 十
    one_before_units: bool = True  # 100 is 一百 (Chinese), not 百 (Japanese)


_CHINESE = _Counting("〇一二三四五六七八九", "十百千万")
_LEGAL_SIMPLIFIED = _Counting("零壹贰叁肆伍陆柒捌玖", "拾佰仟万", leading_one=True)
_LEGAL_TRADITIONAL = _Counting("零壹貳參肆伍陸柒捌玖", "拾佰仟萬", leading_one=True)
_JAPANESE = _Counting("〇一二三四五六七八九", "十百千万", zero=False, one_before_units=False)
_COUNTING = {
    # Word writes chineseCounting for its "一, 二, 三 (简)"; LibreOffice saves the same list as
    # taiwaneseCountingThousand; WPS writes chineseCountingThousand: all read 一 … 十 十一 … 一百零一.
    "chineseCounting": _CHINESE, "chineseCountingThousand": _CHINESE, "taiwaneseCounting": _CHINESE,
    "taiwaneseCountingThousand": _CHINESE, "koreanCounting": _CHINESE, "japaneseCounting": _JAPANESE,
    "chineseLegalSimplified": _LEGAL_SIMPLIFIED, "ideographLegalTraditional": _LEGAL_TRADITIONAL,
}


def _counted(value: int, system: _Counting) -> str:
    """``value`` (0 … 99,999,999) in a counting system: 十一, 一百零一, 壹拾贰, 百一."""
    if value == 0:
        return system.digits[0]
    if value >= 10_000:
        high, low = divmod(value, 10_000)
        rest = _counted(low, system) if low else ""
        gap = system.zero and 0 < low < 1000
        return _counted(high, system) + system.units[3] + ("零" if gap else "") + rest
    out: list[str] = []
    pending_zero = False
    for power in (3, 2, 1, 0):
        digit = value // 10**power % 10
        if digit == 0:
            pending_zero = bool(out)
            continue
        if pending_zero and system.zero:
            out.append("零")
        pending_zero = False
        unit = system.units[power - 1] if power else ""
        first = not out
        if digit == 1 and power and not system.one_before_units:
            out.append(unit)
        elif digit == 1 and power == 1 and first and not system.leading_one:
            out.append(unit)  # 十一, not 一十一
        else:
            out.append(system.digits[digit] + unit)
    return "".join(out)


def _roman(value: int) -> str:
    result = ""
    for number, letters in _ROMAN:
        while value >= number:
            result += letters
            value -= number
    return result


def _letters(value: int) -> str:
    # Word's letters repeat rather than carry: 27 is "aa", 28 "bb".
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)


def _nth(value: int, symbols: str) -> str:
    """The ``value``-th of a closed set of symbols (①…⑳), decimal past its end as Word shows it."""
    return symbols[value - 1] if 1 <= value <= len(symbols) else str(value)


def format_number(value: int, fmt: str) -> str:
    """``value`` in Word's number format ``fmt`` (ST_NumberFormat) as Word, WPS and LibreOffice
    show it; unknown formats read as decimal."""
    if fmt in _COUNTING:
        return _counted(value, _COUNTING[fmt])
    if fmt == "ideographTraditional":
        return _nth(value, _TEN_STEMS)
    if fmt == "ideographZodiac":
        return _nth(value, _ZODIAC)
    if fmt == "ideographZodiacTraditional":  # the sixty-year cycle: 甲子, 乙丑, …
        return _TEN_STEMS[(value - 1) % 10] + _ZODIAC[(value - 1) % 12] if 1 <= value <= 60 else str(value)
    if fmt in ("ideographDigital", "japaneseDigitalTenThousand", "taiwaneseDigital"):
        return "".join(_IDEOGRAPH_DIGITS[int(d)] for d in str(value))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _nth(value, _CIRCLED)
    if fmt == "ideographEnclosedCircle":
        return _nth(value, _CIRCLED_IDEOGRAPHS)
    if fmt == "decimalEnclosedParen":
        return _nth(value, _PARENTHESISED)
    if fmt == "decimalEnclosedFullstop":
        return _nth(value, _FULL_STOP)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(ord("０") + int(d)) for d in str(value))
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "upperRoman":
        return _roman(value).upper()
    if fmt == "lowerRoman":
        return _roman(value)
    if fmt == "upperLetter":
        return _letters(value).upper()
    if fmt == "lowerLetter":
        return _letters(value)
    if fmt in ("none", "bullet"):
        return ""
    return str(value)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # w:lvlRestart: restart after this level (1-based); 0 never
    legal: bool = False  # w:isLgl: every counter in decimal
    suffix: str = "tab"


@dataclass
class _List:
    abstract: str
    overrides: dict[int, int] = field(default_factory=dict)  # level → startOverride
    levels: dict[int, _Level] = field(default_factory=dict)  # full w:lvl overrides
    used: bool = False


def _level(element: Element) -> _Level:
    restart = val(element.find(w("lvlRestart")))
    lvl_text = element.find(w("lvlText"))
    return _Level(
        start=number(val(element.find(w("start"))), 1),
        fmt=val(element.find(w("numFmt")), "decimal") or "decimal",
        text=val(lvl_text, "") or "",
        restart=number(restart, 0) if restart is not None else None,
        legal=element.find(w("isLgl")) is not None and val(element.find(w("isLgl")), "1") not in ("0", "false"),
        suffix=val(element.find(w("suff")), "tab") or "tab",
    )


class Numbering:
    """The numbering definitions of one document and the counters as its paragraphs advance them."""

    def __init__(self, numbering: Element | None, styles: Mapping[str | None, Element] | None = None) -> None:
        # Keyed by the documents' ids as given: None for a definition or list without one.
        self._abstract: dict[str | None, dict[int, _Level]] = {}
        self._style_links: dict[str | None, str] = {}  # abstractNumId → style whose numPr names the real list
        self._lists: dict[str | None, _List] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._styles = styles or {}
        if numbering is None:
            return
        for abstract in numbering.findall(w("abstractNum")):
            key = abstract.get(w("abstractNumId"))
            self._abstract[key] = {number(lvl.get(w("ilvl")), 0): _level(lvl) for lvl in abstract.findall(w("lvl"))}
            link = abstract.find(w("numStyleLink"))
            if link is not None:
                self._style_links[key] = val(link) or ""
        for num in numbering.findall(w("num")):
            entry = _List(abstract=val(num.find(w("abstractNumId")), "") or "")
            for override in num.findall(w("lvlOverride")):
                ilvl = number(override.get(w("ilvl")), 0)
                start = override.find(w("startOverride"))
                if start is not None:
                    entry.overrides[ilvl] = number(val(start), 1)
                lvl = override.find(w("lvl"))
                if lvl is not None:
                    entry.levels[ilvl] = _level(lvl)
            self._lists[num.get(w("numId"))] = entry

    def _levels(self, entry: _List, depth: int = 0) -> tuple[str, dict[int, _Level]]:
        """The abstract definition of a list, following a numStyleLink to the style's list."""
        abstract = entry.abstract
        style_id = self._style_links.get(abstract)
        if style_id and depth < 3:
            style = self._styles.get(style_id)
            num_id = val(style.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}")) if style is not None else None
            linked = self._lists.get(num_id or "")
            if linked is not None and linked.abstract != abstract:
                return self._levels(linked, depth + 1)
        return abstract, self._abstract.get(abstract, {})

    def marker(self, num_id: str, ilvl: int) -> str | None:
        """Advance list ``num_id`` at level ``ilvl`` and return the marker Word shows (None: not numbered)."""
        entry = self._lists.get(num_id)
        if entry is None or num_id == "0":
            return None
        abstract, levels = self._levels(entry)
        levels = {**levels, **entry.levels}
        level = levels.get(ilvl)
        if level is None:
            return None
        counters = self._counters.setdefault(abstract, {})
        if not entry.used:
            entry.used = True
            for overridden, start in entry.overrides.items():
                counters[overridden] = start - 1
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart != 0 and (restart is None or restart - 1 >= ilvl):
                del counters[deeper]
        if level.fmt == "bullet":
            return None
        text = level.text
        for n in range(9):
            placeholder = f"%{n + 1}"
            if placeholder in text:
                source = levels.get(n, _Level())
                value = counters.get(n, source.start)
                fmt = "decimal" if level.legal and n != ilvl else source.fmt
                text = text.replace(placeholder, format_number(value, fmt))
        if not text:
            return None
        # The suffix after the marker: a tab or a space reads as a space; none when the text ends in 、 or ）.
        if level.suffix in ("tab", "space") and text[-1:].isalnum():
            text += " "
        check_label(text)  # a label of thousands of numerals would make the text millions of characters
        return text
