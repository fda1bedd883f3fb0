"""Screens (``Screen``: the HTML text and inline keyboard of a view) and the parts every screen is
made of (``button``, ``paginate``, ``shorten``, ☆ buttons, deep links), with the screens of
reading a text: the outline, a node's pages, search results, quotes, /today, summaries, the 慎
principles, plan days, /rank, /saved, /stats. A screen one feature alone shows is built beside
its handler from these parts: /texts (``handlers.texts``), /settings (``handlers.subscriptions``),
an upload's preview (``handlers.preview``), /notes (``handlers.ledger``), /plan's question
(``handlers.study``). All user-visible words come from ``handlers.catalog``; speech text and
anything a user typed is escaped there or here.

Length rules (Telegram: 4096 characters a message, counted in UTF-16 units after entities are
parsed): a node's text is cut into pages of at most ``PAGE_CHARS`` at sentence boundaries;
in groups a text longer than ``GROUP_CHARS`` is shown as its first sentences plus a "read
more in private" deep link, so the bot never floods a group.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo

from content import Node, Speech
from content.glosses import Glosses
from content.library import TextInfo
from content.model import ORIGINAL, cite, scoped, split_scope, text_number
from content.naming import MONTHS, TextName
from content.path import Stop, depth, introduction, is_intro, level_of, neighbours
from content.plan import Passage
from content.quotes import Quote
from content.search import Hit
from content.sentences import gist, split_sentences
from content.shen import Principle as PrincipleModel
from content.shen import Reminder, principles
from content.summarizer import Summary
from handlers import callbacks as cb
from handlers.caches import BoundedCache
from handlers.catalog import Html, Lang, tr
from handlers.context import WebAppLinks
from handlers.store import Standing, StatsReport

PAGE_CHARS = 3500
GROUP_CHARS = 1000
BUTTON_CHARS = 28


@dataclass
class Screen:
    """One message: HTML text and an optional inline keyboard."""

    text: Html
    buttons: list[list[InlineKeyboardButton]] = field(default_factory=list)

    @property
    def markup(self) -> InlineKeyboardMarkup | None:
        return InlineKeyboardMarkup(self.buttons) if self.buttons else None


def utf16_len(value: str) -> int:
    """Length as Telegram counts it."""
    return len(value.encode("utf-16-le")) // 2


def button(label: str, data: cb.Callback) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=cb.encode(data))


def shorten(value: str, limit: int = BUTTON_CHARS) -> str:
    """``value`` cut to ``limit`` characters with an ellipsis (button texts, titles)."""
    value = value.strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


def paginate(body: str, limit: int = PAGE_CHARS) -> list[str]:
    """Cut ``body`` into pages of at most ``limit`` UTF-16 units, at sentence boundaries."""
    pages: list[str] = []
    current = ""
    for sentence in split_sentences(body):
        while utf16_len(sentence) > limit:  # one enormous sentence: cut it hard
            head, sentence = sentence[:limit], sentence[limit:]
            if current:
                pages.append(current)
                current = ""
            pages.append(head)
        if utf16_len(current + sentence) > limit:
            pages.append(current)
            current = ""
        current += sentence
    if current or not pages:
        pages.append(current)
    return [page.strip("\n") for page in pages]


def titled(node: Node) -> str:
    """The node's label and title as one heading (三、坚持重点突破…, 四（二） 聚焦关键环节…); the
    preface and the closing, which have no title, with their first words."""
    title = node.title or gist(node.sentences[0])
    return f"{node.label}{title}" if node.label.endswith("、") else f"{node.label} {title}"


ENGLISH_BUTTON_CHARS = 40
"""Latin letters are about half as wide as Chinese characters: an English label may be longer."""


def _node_button_label(node: Node, glosses: Glosses | None = None) -> str:
    """A node's outline button: its label and heading; with ``glosses`` (English readers) the
    English heading (the preface's and closing's name themselves: Preface: …)."""
    english = glosses.heading(node.id) if glosses else None
    if english is None:
        return shorten(titled(node))
    if node.kind in ("preface", "closing"):
        return shorten(english, ENGLISH_BUTTON_CHARS)
    return shorten(f"{node.label}{english}" if node.label.endswith("、") else f"{node.label} {english}",
                   ENGLISH_BUTTON_CHARS)


# --- reading -----------------------------------------------------------------------------


# Keyed by id(speech) (hashing a Speech walks its whole tree); each entry keeps its speech, so
# that id cannot be reused by another speech while the entry lives, and is checked on a hit.
_SCREENS: BoundedCache[tuple[int, str, str, str, int], tuple[Speech, Screen]] = BoundedCache(4096)


def _cached(kind: str, speech: Speech, lang: Lang, node_id: str, page: int, build: Callable[[], Screen]) -> Screen:
    """Outline and reader screens depend only on their arguments: build each once (LRU).
    (Callers must not mutate the returned screen.)"""
    key = (id(speech), kind, lang, node_id, page)
    hit = _SCREENS.get(key)
    if hit is not None and hit[0] is speech:
        return hit[1]
    screen = build()
    _SCREENS.put(key, (speech, screen))
    return screen


def outline(speech: Speech, lang: Lang, node_id: str = "", info: TextInfo | None = None,
            glosses: Glosses | None = None) -> Screen:
    """The outline at the top level (headed by the text's title, speaker and date: ``info``) or
    inside a part/section with children (cached). With ``glosses`` (English readers of a text
    that has them) its buttons and a part's title carry the English headings, as search hits do."""
    named = TextName(info, lang).heading if info is not None else TextName.of_speech(speech, lang).title
    kind = "outline|" + ("en|" if glosses else "") + named
    return _cached(kind, speech, lang, node_id, 0, lambda: _outline(speech, lang, node_id, named, glosses))


def _outline(speech: Speech, lang: Lang, node_id: str, named: str, glosses: Glosses | None) -> Screen:
    if not node_id:
        rows = [[button(_node_button_label(n, glosses), cb.Outline(n.id) if n.children else cb.Read(n.id))]
                for n in speech.top]
        return Screen(tr(lang, "outline_title", title=named), rows)
    node = speech.node(node_id)
    rows = [[button(tr(lang, "btn_full_text"), cb.Read(node.id))]]
    rows += [[button(_node_button_label(child, glosses), cb.Outline(child.id) if child.children
                     else cb.Read(child.id))] for child in node.children]
    parent = speech.parent(node)
    rows.append([button(tr(lang, "btn_up"), cb.Outline(parent.id if parent else cb.top(speech.text_id)))])
    english = glosses.heading(node.id) if glosses else None
    if english and not node.label.endswith("、"):
        english = " " + english  # 四（二） Focus on…, as its button reads
    return Screen(tr(lang, "outline_part", label=node.label, heading=english or node.title or ""), rows)


def opening(speech: Speech, node: Node) -> str:
    """What a node opens with when it is read: the salutation (同志们：) before the preface."""
    return speech.salutation + "\n" if node.kind == "preface" and speech.salutation else ""


def _page_text(node: Node, lang: Lang, page: int, pages: list[str], intro: bool = False) -> Html:
    header = tr(lang, "node_intro_header" if intro else "node_header", label=cite(node.label))
    parts = [header, html.escape(pages[page], quote=False)]
    if len(pages) > 1:
        parts.append(tr(lang, "page_marker", page=page + 1, pages=len(pages)))
    return Html("\n".join(parts))


def _step(stop: Stop, level: int) -> cb.Step:
    return cb.Step(stop.id, 0, level)


def reader(speech: Speech, lang: Lang, node_id: str, page: int = 0, level: int = 0) -> Screen:
    """One page of a node, edited in place: page or node Prev/Next, and Back (cached). The node
    is read on the path of ``level`` (``content.path``; 0: its own): whole, or on a deeper
    level's path a part's introduction under its own header."""
    node = speech.node(node_id)
    level = level_of(speech, node.id, level)
    return _cached(f"reader{level}", speech, lang, node.id, page, lambda: _reader(speech, lang, node, page, level))


def _reader(speech: Speech, lang: Lang, node: Node, page: int, level: int) -> Screen:
    intro = is_intro(speech, node.id, level)
    pages = paginate(opening(speech, node) + (introduction(node) if intro else node.text))
    page = min(max(page, 0), len(pages) - 1)
    previous, following = neighbours(speech, node.id, level)
    row: list[InlineKeyboardButton] = []
    if page > 0:
        row.append(button(tr(lang, "btn_prev_page"), cb.Step(node.id, page - 1, level)))
    elif previous:
        row.append(button(tr(lang, "btn_prev"), _step(previous, level)))
    if page + 1 < len(pages):
        row.append(button(tr(lang, "btn_next_page"), cb.Step(node.id, page + 1, level)))
    elif following:
        row.append(button(tr(lang, "btn_next"), _step(following, level)))
    parent = speech.parent(node)
    back = [button(tr(lang, "btn_up"), cb.Outline(parent.id if parent else cb.top(speech.text_id))),
            save_button(lang, cb.bookmark("n", node.id))]
    return Screen(_page_text(node, lang, page, pages, intro), [row, back] if row else [back])


def show(speech: Speech, lang: Lang, node_id: str, in_group: bool, bot_username: str) -> list[Screen]:
    """``/show``: every page as its own message in private; one concise message in groups. Its
    Prev/Next walk the node's own level (``content.path``)."""
    node = speech.node(node_id)
    full = opening(speech, node) + node.text
    if in_group and utf16_len(full) > GROUP_CHARS:
        first = paginate(full, GROUP_CHARS)[0]
        body = Html("\n".join([tr(lang, "node_header", label=cite(node.label)), html.escape(first, quote=False),
                               tr(lang, "truncated")]))
        link = InlineKeyboardButton(tr(lang, "read_more_private"), url=deep_link(bot_username, payload("s", node.id)))
        return [Screen(body, [[link]])]
    pages = paginate(full)
    screens = [Screen(_page_text(node, lang, i, pages)) for i in range(len(pages))]
    level = depth(node.id)
    previous, following = neighbours(speech, node.id, level)
    row = []
    if previous:
        row.append(button(tr(lang, "btn_prev"), _step(previous, level)))
    row.append(button(tr(lang, "btn_outline"), cb.Outline(cb.top(speech.text_id))))
    if following:
        row.append(button(tr(lang, "btn_next"), _step(following, level)))
    screens[-1].buttons = [row, [save_button(lang, cb.bookmark("n", node.id))]]
    return screens


def reader_button(lang: Lang, links: WebAppLinks | None, bot_username: str, in_group: bool,
                  node_id: str = "", text_id: int | None = None) -> InlineKeyboardButton | None:
    """"📖 阅读器": the reader (Mini App) on the text of ``node_id`` (its scope) or ``text_id``, at
    ``node_id`` if given. A ``web_app`` button in private chats (``?text=2&node=4.2``; the
    original's ``?node=4.2``, and without a text the reader opens the member's current one, this
    chat's); in groups, where Telegram allows no ``web_app`` buttons, the Mini App's direct link
    (``t.me/<bot>/<short name>?startapp=t2s4-2``; the original's unscoped ``s4-2``,
    ``t1`` for its top). None without a reader, or in a group without its short name."""
    if links is None:
        return None
    scope, local = split_scope(node_id)
    text_id = scope or (ORIGINAL if node_id else text_id)
    if in_group:
        if not links.short_name:
            return None
        start = (f"t{text_id}" if text_id and (text_id != ORIGINAL or not local) else "") + (
            f"s{local.replace('.', '-')}" if local else "")
        link = f"https://t.me/{bot_username}/{links.short_name}" + (f"?startapp={start}" if start else "")
        return InlineKeyboardButton(tr(lang, "btn_reader"), url=link)
    query = "&".join(([f"text={text_id}"] if text_id and text_id != ORIGINAL else []) + (
        [f"node={local}"] if local else []))
    url = links.url + (("&" if "?" in links.url else "?") + query if query else "")
    return InlineKeyboardButton(tr(lang, "btn_reader"), web_app=WebAppInfo(url))


def deep_link(bot_username: str, payload: str) -> str:
    """``t.me`` link that opens a private chat with ``/start payload`` (payload: [A-Za-z0-9_-])."""
    return f"https://t.me/{bot_username}?start={payload.replace('.', '-')}"


def payload(kind: str, node_id: str) -> str:
    """The ``/start`` payload that opens a node (``s``) or a quote from it (``q``): ``s-4-2`` for
    the original's 4.2 (unscoped), ``s-t2-4-2`` for text 2's (Telegram allows
    only [A-Za-z0-9_-] there, at most 64 characters)."""
    scope, local = split_scope(node_id)
    within = f"t{scope}-" if scope is not None and scope != ORIGINAL else ""
    return f"{kind}-{within}{local.replace('.', '-')}"


def link_target(value: str) -> tuple[str, int, str] | None:
    """``(kind, text id, node ref)`` of a ``/start`` payload made by ``payload``; None for any
    other payload."""
    kind, dash, rest = value.partition("-")
    if kind not in ("s", "q") or not dash or not rest:
        return None
    scope, dash, local = rest.partition("-")
    number = text_number(scope[1:]) if scope[:1] == "t" and dash and local else None
    return (kind, number, local) if number is not None else (kind, ORIGINAL, rest)


# --- search, quotes, summaries, principles -----------------------------------------------


MESSAGE_CHARS = 4096
"""Telegram's limit on a message's text, in UTF-16 units after its HTML is parsed."""


def visible_len(value: str) -> int:
    """How long Telegram counts the HTML ``value``: its text without tags, entities decoded."""
    return utf16_len(html.unescape(re.sub(r"<[^>]*>", "", value)))


def _echo(query: str, room: int | None = None) -> str:
    """The query as the member typed it (whitespace folded), whole: cut, with …, only to fit
    ``room`` UTF-16 units (what a message leaves for it)."""
    query = " ".join(query.split())
    if room is None or utf16_len(query) <= room:
        return query
    kept, used = [], 1  # the … takes one unit
    for character in query:
        used += utf16_len(character)
        if used > room:
            break
        kept.append(character)
    return "".join(kept).rstrip() + "…"


def _echoed(lines: list[Html], head: Callable[[str], Html], query: str) -> Html:
    """``head`` (a line echoing ``query``) above ``lines``, joined by blank lines; the echo is cut
    only when the whole would pass Telegram's 4096 characters."""
    echo = _echo(query)
    body = Html("\n\n".join([head(echo), *lines]))
    over = visible_len(body) - MESSAGE_CHARS
    if over > 0:
        body = Html("\n\n".join([head(_echo(query, max(0, utf16_len(echo) - over))), *lines]))
    return body


HIT_CHARS = 300
"""The most of a hit's sentence a search result shows. The original's longest sentence has 189
characters; a run-on sentence of an uploaded text (commas only, or a PDF that lost its full
stops) is shown around its first match, so that five hits stay within one message."""


def _window(hit: Hit, limit: int) -> tuple[int, int]:
    """Where ``hit.text`` is cut to show at most ``limit`` characters: from a little before its
    first match (the whole text when it is short enough)."""
    if len(hit.text) <= limit:
        return 0, len(hit.text)
    first = min((start for start, _ in hit.spans), default=0)
    start = max(0, min(first - limit // 4, len(hit.text) - limit))
    return start, start + limit


def excerpt(hit: Hit, limit: int = HIT_CHARS) -> str:
    """A hit's sentence as plain text, cut to ``limit`` characters around its first match, with
    … where it was cut."""
    start, end = _window(hit, limit)
    return ("…" if start else "") + hit.text[start:end] + ("…" if end < len(hit.text) else "")


def highlighted(hit: Hit, limit: int = HIT_CHARS) -> Html:
    """A hit's sentence as HTML, its matches in bold, cut like ``excerpt``."""
    start, end = _window(hit, limit)
    spans = tuple((max(a, start) - start, min(b, end) - start) for a, b in hit.spans if a < end and b > start)
    shown = hit.model_copy(update={"text": hit.text[start:end], "spans": spans}).highlight()
    return Html(("…" if start else "") + shown + ("…" if end < len(hit.text) else ""))


def search_results(lang: Lang, query: str, hits: list[Hit], glosses: Glosses | None = None,
                   sentences: Sequence[int | None] = (), sources: Sequence[str] | None = None,
                   everywhere: bool = False) -> Screen:
    """Hits grouped by how sure the answer is (原文, 相关, 相近: ``content.answer``), each
    group under its own heading, the matched words in bold, a row of buttons per node. With
    ``glosses`` (English readers) each label carries the node's English heading. ``sentences``:
    where each hit's sentence stands among its node's (``content.quotes.sentence_index``), so
    its 🖼 draws the sentence shown and its ☆ saves it (``cb.hit_bookmark``); a hit without one
    gets a quote of its node, and saves the node. ``sources``
    (given for a search of the whole library) labels each hit with its text's name
    (``source_name``: 《某讲话》四（二）). ``everywhere``: a last row offers to search every text of the library.
    The query is echoed whole, cut only to keep the message within Telegram's 4096 characters."""
    extra = [[button(tr(lang, "btn_search_all"), cb.SearchAll(query))]] if everywhere else []
    if not hits:  # suggest where to look instead: the outline, the four principles
        suggestions = [button(tr(lang, "btn_outline"), cb.Outline()), button(tr(lang, "btn_shen"), cb.Principle())]
        return Screen(_echoed([], lambda echo: tr(lang, "search_all_none" if sources is not None else "search_none",
                                                    query=echo), query), [suggestions, *extra])
    claimed = any(hit.tier != "nearest" for hit in hits)
    every = sources is not None

    def head(echo: str) -> Html:
        return tr(lang, ("search_results_all" if every else "search_results") if claimed else
                    ("search_nearest_only_all" if every else "search_nearest_only"), query=echo)

    lines: list[Html] = []
    for number, hit in enumerate(hits, start=1):
        if claimed and (number == 1 or hits[number - 2].tier != hit.tier):
            lines.append(tr(lang, "search_exact" if hit.tier == "exact" else
                              "search_related" if hit.tier == "related" else "search_nearest"))
        gloss = glosses.heading(hit.id) if glosses else None
        label = cite(hit.label or hit.id)
        if sources is not None and number <= len(sources):
            label = f"{sources[number - 1]}{label}"
        lines.append(tr(lang, "search_hit", n=number, label=f"{label} · {gloss}" if gloss else label,
                          highlighted=highlighted(hit)))
    rows = []
    for number, hit in enumerate(hits):
        index = sentences[number] if number < len(sentences) else None
        card = _hit_card(hit, index)
        # Across texts two hits may share a label (一（三） of two texts): the button names its hit's number.
        shown = f"{number + 1}. {cite(hit.label or hit.id)}" if every else cite(hit.label or hit.id)
        rows.append([button(tr(lang, "btn_read", label=shorten(shown, 16)), cb.Send(hit.id)),
                     *([button(tr(lang, "btn_card"), card)] if card is not None else []),
                     save_button(lang, cb.hit_bookmark(hit.id, index))])
    return Screen(_echoed(lines, head, query), rows + extra)


CARD_CHARS = 280
"""The longest sentence a card holds: at its smallest size the card's box takes 15 lines of 21
characters (the original's longest sentence has 189). A longer one, a run-on sentence of an
uploaded text, is offered no card: it would run off the picture and past a caption's 1,024."""


def _hit_card(hit: Hit, sentence: int | None) -> cb.Callback | None:
    """A hit's 🖼: the card of its very sentence, or a quote of its node (no sentence index);
    none for a sentence no card can hold."""
    if len(hit.text) > CARD_CHARS:
        return None
    return cb.SentenceCard(hit.id, sentence) if sentence is not None else cb.Card("n", hit.id)


def quote(lang: Lang, item: Quote, keyword: str = "", node_id: str = "", number: int | None = None) -> Screen:
    """A quote with "another one", a button to read its section and (given the quote's
    ``number`` among the candidates) one for its card."""
    # "Another one" keeps to the quote's text (``2:`` is all of text 2) after the chat switched.
    rows = [[button(tr(lang, "btn_another"), cb.Another(node_id or cb.top(cb.text_of(item.id)), keyword)),
             button(tr(lang, "btn_read", label=item.label), cb.Send(item.id))]]
    if number is not None:
        ref = cb.quote_ref(cb.text_of(item.id), number)  # 3 in the original, 2:3 in text 2
        rows[0].append(button(tr(lang, "btn_card"), cb.Card("q", ref)))
        rows.append([save_button(lang, cb.bookmark("q", ref))])
    return Screen(tr(lang, "quote", text=item.in_quotes, label=item.label), rows)


def today(lang: Lang, day: date, reminder: Reminder, quote_of_day: Quote, text_id: int = ORIGINAL,
          fell_back: bool = False) -> Screen:
    """Today's 慎 principle and the quote of the day (the same message as the daily push) from
    text ``text_id``; ``fell_back``: no quote of that text fits the principle, so the quote is
    the original speech's, and the message says so."""
    principle = reminder.principle
    meaning = principle.meaning if lang == "zh" else principle.english
    explanation = principle.explanation if lang == "zh" else principle.english_explanation
    body = tr(lang, "today", date=day.isoformat(), principle=principle.name, meaning=meaning,
                explanation=explanation, quote=quote_of_day.in_quotes, label=quote_of_day.label,
                note=fallback_note(lang, reminder, fell_back))
    rows = [[button(tr(lang, "btn_read", label=quote_of_day.label), cb.Send(quote_of_day.id)),
             button(principle.name, cb.Principle(principles().index(principle))),
             button(tr(lang, "btn_card"), cb.Card("d", day_ref(text_id, day)))]]
    return Screen(body, rows)


def without_card_button(screen: Screen) -> Screen:
    """``screen`` without its 🖼 buttons (``cb.Card``): what goes under a card."""
    def card(item: InlineKeyboardButton) -> bool:
        return isinstance(item.callback_data, str) and isinstance(cb.parse(item.callback_data), cb.Card)

    rows = [[item for item in row if not card(item)] for row in screen.buttons]
    return Screen(screen.text, [row for row in rows if row])


def fallback_note(lang: Lang, reminder: Reminder, fell_back: bool) -> Html:
    """The line before a reminder's quote when it is the original speech's, because no quote of
    the chat's text fits the day's principle (empty otherwise)."""
    return Html(tr(lang, "today_fallback", principle=reminder.principle.name) + "\n") if fell_back else Html("")


def day_ref(text_id: int, day: date) -> str:
    """A daily card's value on its button: the date, scoped by the text whose reminder it is
    (``2:2026-11-28``; the original's is unscoped, ``2026-11-28``, so older buttons keep their meaning)."""
    return scoped(text_id, day.isoformat())


def day_of_ref(value: str) -> tuple[int, date] | None:
    """``(text id, date)`` of a daily card's value (``day_ref``); None for one that is not."""
    scope, rest = split_scope(value)
    try:
        return scope or ORIGINAL, date.fromisoformat(rest)
    except ValueError:
        return None


def summary(lang: Lang, result: Summary) -> Screen:
    """A summary with its keywords and a button to the full text (or the outline); a summary too
    long for one message (run-on sentences of an uploaded text) is cut at a sentence end (……)."""
    shown = result.summary
    if utf16_len(shown) > PAGE_CHARS:
        shown = paginate(shown, PAGE_CHARS)[0] + "……"
    body = tr(lang, "summary", label=cite(result.label), summary=shown, keywords="、".join(result.keywords))
    target: cb.Callback = cb.Outline() if result.id == "speech" else cb.Send(result.id)
    label = tr(lang, "btn_outline") if result.id == "speech" else tr(lang, "btn_full_text")
    return Screen(body, [[button(label, target)]])


def principle_list(lang: Lang) -> Screen:
    """The four principles, one button each."""
    items = principles()
    lines = "\n".join(tr(lang, "shen_item", name=p.name, meaning=p.meaning if lang == "zh" else p.english)
                      for p in items)
    return Screen(tr(lang, "shen_list", items=Html(lines)), [[button(p.name, cb.Principle(i)) for i, p in
                                                                 enumerate(items)]])


def principle_detail(speech: Speech, lang: Lang, item: PrincipleModel) -> Screen:
    """One principle: meaning, explanation, source and its passages as buttons."""
    passages = [speech.node(p) for p in item.passages]
    listing = "\n".join(tr(lang, "shen_passage", label=cite(n.label), title=n.title or gist(n.sentences[0]))
                        for n in passages)
    source = tr(lang, "shen_source", source=item.source) if item.source else Html("")
    english = lang == "en"  # English readers get the meaning and explanation in English
    body = tr(lang, "shen_detail", name=item.name, pinyin=item.pinyin,
                meaning=item.english if english else item.meaning,
                explanation=item.english_explanation if english else item.explanation, source=source,
                passages=Html(listing))
    rows = [[button(tr(lang, "btn_read", label=cite(n.label)), cb.Send(n.id)) for n in passages],
            [button(tr(lang, "btn_up"), cb.Principle(-1))]]
    return Screen(body, rows)


# --- the owner's report ------------------------------------------------------------------

STATS_ROWS = 10  # with the cuts below, the report stays far under 4,096 characters


def _lines(lang: Lang, items: list[Html]) -> Html:
    return Html("\n".join(items[:STATS_ROWS])) if items else tr(lang, "stats_none")


def stats(lang: Lang, report: StatsReport) -> list[Screen]:
    """/stats: counts only; each list capped at ``STATS_ROWS`` lines."""
    body = tr(
        lang, "stats",
        chats=_lines(lang, [tr(lang, "stats_chat", kind=k, count=n, active=a) for k, n, a in report.chats]),
        schedule=_lines(lang, [tr(lang, "stats_slot", zone=z, hour=f"{h:02d}", count=n)
                               for z, h, n in report.schedule]),
        deliveries=_lines(lang, [tr(lang, "stats_count", name=s, count=n) for s, n in report.deliveries]),
        failures=_lines(lang, [tr(lang, "stats_failure", outcome=o, reason=shorten(r or "-", 60), count=n)
                               for o, r, n in report.failures]),
        misses=_lines(lang, [tr(lang, "stats_miss", query=shorten(q, 60), count=n) for q, n in report.misses]),
    )
    return [Screen(body)]


# --- group study ---------------------------------------------------------------------------

PLAN_CHARS = 1500  # a plan day's text inline; the rest behind "continue"


def plan_name(lang: Lang, title: str | None) -> Html:
    """What a plan is called: 《标题》的学习计划, the text it reads named (学习计划 for an untitled one)."""
    return tr(lang, "plan_name", title=title) if title else tr(lang, "plan_name_plain")


def plan_day(lang: Lang, passage: Passage, days: int, title: str | None = None, removed: bool = False) -> Screen:
    """A plan day of the text titled ``title``: the passage (cut at a sentence end past
    ``PLAN_CHARS``), "done", "continue"; ``removed``: the text was taken out of the library since
    the plan started (the plan goes on reading it, and says so)."""
    shown = passage.text
    if utf16_len(shown) > PLAN_CHARS:
        shown = paginate(shown, PLAN_CHARS)[0]
    body = tr(lang, "plan_day", plan=plan_name(lang, title), day=passage.day, days=days,
                labels=plan_labels(passage), text=shown)
    if shown != passage.text:
        body = Html(body + "\n" + tr(lang, "plan_more"))
    if removed:
        body = Html(body + "\n\n" + tr(lang, "text_removed"))
    row = [button(tr(lang, "btn_done"), cb.Done(passage.day))]
    if shown != passage.text:
        row.append(button(tr(lang, "btn_continue"), cb.Send(passage.ids[0])))
    return Screen(body, [row])


def plan_labels(passage: Passage) -> str:
    """A plan day's places as they read: 第三部分、三（一）. A unit halved over several days is
    marked continued once (第三部分（续）), however often it was halved, and named once a day."""
    shown: dict[str, str] = {}
    for label in passage.labels:
        base = label.replace("（续）", "")
        shown.setdefault(cite(base), cite(base) + ("（续）" if base != label else ""))
    return "、".join(shown.values())


def with_plan(reminder_screen: Screen, lang: Lang, passage: Passage, days: int, title: str | None = None,
              removed: bool = False) -> Screen:
    """The daily reminder and the plan's passage as one message (under Telegram's limit)."""
    day = plan_day(lang, passage, days, title, removed)
    body = Html(reminder_screen.text + "\n\n" + day.text)
    if utf16_len(body) > PAGE_CHARS:  # never: the passage is cut at PLAN_CHARS; belt and braces
        return reminder_screen
    return Screen(body, reminder_screen.buttons + day.buttons)




def week_span(lang: Lang, week: str) -> str:
    """An ISO week (``2026-W49``, how rankings are kept) as the days it spans: 11月30日–12月6日,
    Nov 30 – Dec 6; the month once within a month, the years across a new year."""
    year, _, number = week.partition("-W")
    try:
        first = date.fromisocalendar(int(year), int(number), 1)
    except ValueError:
        return week
    last = first + timedelta(days=6)
    if lang != "en":
        if first.year != last.year:
            return f"{first.year}年{first.month}月{first.day}日–{last.year}年{last.month}月{last.day}日"
        tail = f"{last.day}日" if first.month == last.month else f"{last.month}月{last.day}日"
        return f"{first.month}月{first.day}日–{tail}"
    start, end = f"{MONTHS[first.month - 1]} {first.day}", f"{MONTHS[last.month - 1]} {last.day}"
    if first.year != last.year:
        return f"{start}, {first.year} – {end}, {last.year}"
    return f"{start} – {last.day}" if first.month == last.month else f"{start} – {end}"


def rank(lang: Lang, week: str, standings: list[Standing], anonymous: bool = False) -> Screen:
    """/rank: the week's standings (``week`` as stored, ``2026-W49``, shown as its days); in a
    group whose quizzes are ``anonymous`` (nobody's answer can be ranked), where to change that."""
    span = week_span(lang, week)
    note = Html("\n\n" + tr(lang, "rank_anonymous")) if anonymous else Html("")
    if not standings:
        return Screen(Html(tr(lang, "rank_none", week=span) + note))
    lines = "\n".join(tr(lang, "rank_line", n=n, name=shorten(s.name, 24), right=s.correct, answered=s.answered)
                      for n, s in enumerate(standings, start=1))
    return Screen(Html(tr(lang, "rank", week=span, lines=Html(lines)) + note))


SAVED_SHOWN = 20
"""Bookmarks /saved lists, each with its button: the newest (a member of several texts saves
more than a message of buttons holds), numbered as saved; the older are counted."""


def saved(lang: Lang, items: list[tuple[str, str, str, cb.Callback]]) -> Screen:
    """Bookmarks: ``(label, text, ref, open button data)`` each, oldest first: the newest
    ``SAVED_SHOWN`` listed, each with a button to open it, and how many older ones are not."""
    if not items:
        return Screen(tr(lang, "saved_none"))
    older = max(0, len(items) - SAVED_SHOWN)
    shown = list(enumerate(items, start=1))[older:]
    lines = [tr(lang, "saved_line", n=n, label=cite(label), text=shorten(body, 40))
             for n, (label, body, _, _) in shown]
    if older:
        lines.append(tr(lang, "saved_older", count=older))
    rows = [[button(f"{n}. {shorten(cite(label), 20)}", target)] for n, (label, _, _, target) in shown]
    return Screen(tr(lang, "saved", lines=Html("\n".join(lines))), rows)


def save_button(lang: Lang, ref: str, saved: bool = False) -> InlineKeyboardButton:
    """☆ (not saved) or ★ (saved); screens are built with ☆ and marked for the member by
    ``with_bookmarks`` (the cached screens are shared by everyone)."""
    return button(tr(lang, "btn_saved" if saved else "btn_save"), cb.Save(ref))


def bookmark_refs(keyboard: Sequence[Sequence[InlineKeyboardButton]]) -> list[str]:
    """The references of the bookmark buttons on a keyboard."""
    return [data.ref for row in keyboard for item in row
            if isinstance(data := cb.parse(_data(item)), cb.Save)]


def with_bookmarks(lang: Lang, keyboard: Sequence[Sequence[InlineKeyboardButton]],
                   saved: Collection[str]) -> list[list[InlineKeyboardButton]]:
    """``keyboard`` with each bookmark button showing whether its reference is in ``saved``
    (a new keyboard; the other buttons are kept as they are)."""
    return [[save_button(lang, data.ref, data.ref in saved) if isinstance(data := cb.parse(_data(item)), cb.Save)
             else item for item in row] for row in keyboard]


def _data(item: InlineKeyboardButton) -> str | None:
    return item.callback_data if isinstance(item.callback_data, str) else None
