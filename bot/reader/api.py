"""The reader (a Telegram Mini App): what its JSON API answers (the shapes in
``bot.reader.schema``), for a user ``bot.reader.routes`` has already identified from Telegram's
signed initData. No HTTP here (that is ``bot.reader.routes``); the same services as the chat:
the search service with its tiers, the bookmarks of ``/saved``, the reading plan and its streak,
and the reader's own place in the text.

Texts are addressed by their library id (``/api/texts/2/…``; 1 is the original speech, which
``default`` also names), or ``current``: the text the member reads in their private chat with
the bot (``/use``), the original when they never chose. A draft is not readable; a removed text
is (what members saved keeps working). The place in a text is kept under its id as a string
(migration 0008 moved the places kept under ``default`` to ``1``). A member sees and changes
only their own bookmarks, place and readings: every function takes the user id from the caller,
never from the request's body.

Rules:
- the plan shown is the member's private chat's (the chat the Mini App is opened from in
  private; its id is the member's); without one the reader shows no plan.
- a bookmark set in the reader is a section bookmark (``n:<node id>``) of the block's node, so
  ``/saved`` lists it as a ☆ under that section would. A text shows the bookmarks of its own
  passages only (``n:2:4.2`` in text 2; an unscoped one is the original's).
- the plan shows in the text it reads, and only there.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.reader.schema import (
    Bookmark,
    Found,
    Hit,
    Kept,
    Marked,
    NodeText,
    OutlineEntry,
    Place,
    Plan,
    Saved,
    Start,
    UiStrings,
)
from content import Node, Speech
from content.answer import Searcher
from content.document import Document, document
from content.library import TextStatus
from content.model import ORIGINAL, cite, text_number
from content.naming import TextName
from content.plan import passage_on, plan, reading_key, streak
from content.quotes import Quote
from handlers import callbacks as cb
from handlers.catalog import Lang, tr
from handlers.render import plan_labels, titled
from handlers.shelf import Shelf
from handlers.store import ChatStore, Position, Positions, Study

CURRENT = "current"  # the member's current text (their private chat's), as the page asks without ?text=
LEGACY = "default"  # another name of the original speech, which older links use
SEARCH_LIMIT = 8
MAX_QUERY = 200


class NotFound(LookupError):
    """No such text, node or bookmark target: the API answers 404."""


class Invalid(ValueError):
    """A malformed request (an empty query, a position outside the text): the API answers 400."""


def ui(lang: Lang) -> UiStrings:
    """The reader's interface words in ``lang`` (plain text: the page sets them as text, never as
    markup). ``{day}`` and the like are filled in by the page."""
    return {
        "title": tr(lang, "reader_title"),
        "outline": tr(lang, "reader_outline"),
        "close": tr(lang, "reader_close"),
        "search": tr(lang, "reader_search"),
        "search_placeholder": tr(lang, "reader_search_placeholder"),
        "search_none": tr(lang, "reader_search_none"),
        "search_clear": tr(lang, "reader_search_clear"),
        "exact": tr(lang, "reader_tier_exact"),
        "related": tr(lang, "reader_tier_related"),
        "nearest": tr(lang, "reader_tier_nearest"),
        "hit_of": tr(lang, "reader_hit_of", n="{n}", total="{total}"),
        "prev_hit": tr(lang, "reader_prev_hit"),
        "next_hit": tr(lang, "reader_next_hit"),
        "hit_list": tr(lang, "reader_hit_list"),
        "save": tr(lang, "reader_save"),
        "saved": tr(lang, "reader_saved"),
        "saved_list": tr(lang, "reader_saved_list"),
        "saved_none": tr(lang, "reader_saved_none"),
        "plan": tr(lang, "reader_plan", day="{day}", days="{days}", labels="{labels}"),
        "done": tr(lang, "btn_done"),
        "done_already": tr(lang, "reader_done_already"),
        "font_smaller": tr(lang, "reader_font_smaller"),
        "font_larger": tr(lang, "reader_font_larger"),
        "send": tr(lang, "reader_send"),
        "error": tr(lang, "reader_error"),
        "offline": tr(lang, "reader_offline"),
    }


@dataclass(frozen=True)
class Opened:
    """A text as the reader serves it: its id (as the API and the places name it), its speech,
    search service and document."""

    key: str
    speech: Speech
    searcher: Searcher | None
    doc: Document

    @property
    def text_id(self) -> int:
        return int(self.key)


class Reader:
    """The reader's API over the bot's services; ``services`` gives them at call time (the
    database opens after the bot is built)."""

    def __init__(self, services: Callable[[], ReaderServices]) -> None:
        self._services = services

    @property
    def services(self) -> ReaderServices:
        return self._services()

    async def _text(self, which: str, user_id: int) -> Opened:
        """The text ``which`` names (an id, ``current`` or ``default``), or NotFound."""
        services = self.services
        if which == CURRENT:
            row = await services.chats.chat(user_id)
            text_id = row.text_id or ORIGINAL if row else ORIGINAL
        elif which == LEGACY:
            text_id = ORIGINAL
        elif (number := text_number(which)) is not None:
            text_id = number
        else:
            raise NotFound(f"no text {which!r}")
        if text_id == ORIGINAL:
            speech = services.speech
            return Opened(str(ORIGINAL), speech, services.searcher, document(speech))
        book = await services.shelf.book(text_id)  # fresh within TEXT_CHECK_SECONDS, as in the chat
        # A text held in memory may have become a draft since (removed, then uploaded again): the
        # database says at once, in one small read of the drafts' ids (no bodies).
        drafts = await services.shelf.texts.texts((TextStatus.DRAFT,))
        if book is None or text_id in {info.id for info in drafts}:
            raise NotFound(f"no text {which!r}")
        if book.info.status == TextStatus.DRAFT:  # not published: only its owner's preview shows it
            raise NotFound(f"no text {which!r}")
        return Opened(str(text_id), book.speech, book.searcher, document(book.speech))

    # --- reading ---------------------------------------------------------------------------

    async def start(self, which: str, user_id: int, lang: Lang) -> Start:
        """Everything the first screen needs, in one answer: the text's id and title, the
        words, the outline, the text, the member's place, bookmarks and the plan's passage of
        the day (when the plan reads this text)."""
        opened = await self._text(which, user_id)
        speech, services = opened.speech, self.services
        place, saved, today = await asyncio.gather(  # independent reads: on the pool's connections at once
            services.positions.position(user_id, opened.key),
            self._saved(opened, user_id), self._plan(opened, user_id, lang))
        return {
            "text": opened.key,
            "lang": lang,
            "title": _capital(TextName.of_speech(speech, lang).title),  # a heading: "The speech", not "the speech"
            "ui": ui(lang),
            "outline": [self._outline(opened, node, lang) for node in speech.top],
            "blocks": [(block.node, block.tag, block.text, block.at) for block in opened.doc.blocks],
            "position": Place(node=place.node_id, at=place.char_at) if place else None,
            "saved": saved,
            "plan": today,
            "stored": True,
        }

    def _outline(self, opened: Opened, node: Node, lang: Lang) -> OutlineEntry:
        glosses = opened.searcher.glosses if opened.searcher else None
        entry = OutlineEntry(id=node.id, title=titled(node))
        if lang == "en" and glosses is not None and (gloss := glosses.heading(node.id)):
            entry["gloss"] = gloss
        if node.children:
            entry["children"] = [self._outline(opened, child, lang) for child in node.children]
        return entry

    async def outline(self, which: str, user_id: int, lang: Lang) -> list[OutlineEntry]:
        opened = await self._text(which, user_id)
        return [self._outline(opened, node, lang) for node in opened.speech.top]

    async def node(self, which: str, user_id: int, node_id: str) -> NodeText:
        """One node: its label, heading, verbatim text and where it starts in the document."""
        opened = await self._text(which, user_id)
        node = opened.speech.find(node_id)
        if node is None:
            raise NotFound(f"no node {node_id!r}")
        return NodeText(id=node.id, label=cite(node.label), title=titled(node), text=node.text,
                        at=opened.doc.starts[node.id])

    # --- search ------------------------------------------------------------------------------

    async def search(self, which: str, user_id: int, query: str) -> Found:
        """The bot's own search (``Searcher.answer``, in a thread: it may encode the query), each
        hit with its tier and its matches as places in the document."""
        opened = await self._text(which, user_id)
        doc = opened.doc
        query = " ".join(query.split())[:MAX_QUERY]
        if not query:
            raise Invalid("empty query")
        searcher = opened.searcher
        hits = await asyncio.to_thread(searcher.answer, query, SEARCH_LIMIT) if searcher else []
        found: list[Hit] = []
        for hit in hits:
            at = doc.locate(hit.id, hit.text)
            start = doc.starts.get(hit.id, 0)
            marks = [(at + a, at + b) for a, b in sorted(hit.spans)] if at is not None else []
            where = (at, at + len(hit.text)) if at is not None else (start, start)
            found.append(Hit(id=hit.id, label=cite(hit.label or hit.id), tier=hit.tier, text=hit.text,
                             range=where, marks=marks or ([where] if at is not None else [])))
        return Found(query=query, hits=found)

    # --- the member's own ----------------------------------------------------------------------

    async def _saved(self, opened: Opened, user_id: int, refs: list[str] | None = None) -> list[Bookmark]:
        """The member's bookmarks in this text as the page lists them (``refs``: already read, in
        order); another text's are not this page's."""
        study, doc = self.services.study, opened.doc
        if refs is None:
            refs = await study.bookmarks(user_id)
        items: list[Bookmark] = []
        for ref in refs:
            target = resolve(opened.speech, ref)
            if isinstance(target, Quote):
                at = doc.locate(target.id, target.text)
                items.append(Bookmark(ref=ref, node=target.id, label=target.label, text=target.text,
                                      at=at if at is not None else doc.starts[target.id]))
            elif target is not None:
                items.append(Bookmark(ref=ref, node=target.id, label=cite(target.label), text=titled(target),
                                      at=doc.starts[target.id]))
        return items

    async def bookmark(self, which: str, user_id: int, ref: str, on: bool) -> Saved:
        """Save (``on``) or remove the bookmark ``ref``: the same bookmarks as ``/saved``; setting
        what is already so changes nothing (two taps, two devices)."""
        opened = await self._text(which, user_id)
        target = resolve(opened.speech, ref)
        if target is None or (isinstance(target, Node) and ref != cb.bookmark("n", target.id)):  # one spelling
            raise NotFound(f"no bookmark target {ref!r}")
        study = self.services.study
        refs = await study.bookmarks(user_id)
        if (ref in refs) != on:
            await study.toggle_bookmark(user_id, ref)
            refs = [*refs, ref] if on else [item for item in refs if item != ref]  # newest last, as stored
        return Saved(saved=await self._saved(opened, user_id, refs))

    async def place(self, which: str, user_id: int, at: int) -> Kept:
        """Remember where the member is reading: the block holding character ``at``."""
        opened = await self._text(which, user_id)
        if not 0 <= at <= len(opened.doc.text):
            raise Invalid("outside the text")
        block = opened.doc.block_at(at)
        positions = self.services.positions
        if block is not None:
            await positions.set_position(user_id, opened.key, Position(block.node, block.at))
        return Kept(node=block.node if block else None, at=block.at if block else 0)

    # --- the reading plan ---------------------------------------------------------------------

    async def _today(self, chat_id: int) -> datetime:
        services = self.services
        row = await services.chats.chat(chat_id)
        return services.clock().astimezone(ZoneInfo(row.timezone if row else services.timezone))

    async def _plan(self, opened: Opened, user_id: int, lang: Lang) -> Plan | None:
        study = self.services.study
        current = await study.plan(user_id)
        if current is None or current.text_id != opened.text_id:
            return None
        now, read = await asyncio.gather(self._today(user_id), study.passages_read(user_id))
        passage = passage_on(plan(opened.speech, current.days), current.start_date, now.date())
        if passage is None:
            return None
        return Plan(day=passage.day, days=current.days, labels=plan_labels(passage),
                    ids=list(dict.fromkeys(passage.ids)), at=opened.doc.starts[passage.ids[0]],
                    done=set(passage.ids) <= read)

    async def done(self, which: str, user_id: int, lang: Lang, day: int) -> Marked:
        """"✅ 读完了" for day ``day`` of the member's private chat's plan, when it reads this text:
        the same record and streak as the button in the chat."""
        opened = await self._text(which, user_id)
        study = self.services.study
        current = await study.plan(user_id)
        if current is None or current.text_id != opened.text_id or not 1 <= day <= current.days:
            raise NotFound("no such plan day")
        passage = plan(opened.speech, current.days)[day - 1]
        today = (await self._today(user_id)).date()
        new = await study.mark_read(user_id, user_id, reading_key(current.start_date, current.days, day),
                                    ",".join(dict.fromkeys(passage.ids)), today)
        count = streak(await study.reading_dates(user_id), today)
        return Marked(new=new, streak=count, message=tr(lang, "read_marked" if new else "read_again", streak=count))


@dataclass(frozen=True, kw_only=True)
class ReaderServices:
    """What the reader reads and writes: the bot's own services."""

    speech: Speech  # the original's
    searcher: Searcher | None  # the original's
    shelf: Shelf  # the library's texts, fresh across replicas: the same books the chat reads
    study: Study
    positions: Positions
    chats: ChatStore
    clock: Callable[[], datetime]
    timezone: str  # the bot's default zone, for a chat without settings


def _capital(title: str) -> str:
    return title[:1].upper() + title[1:]


def resolve(speech: Speech, ref: str) -> Quote | Node | None:
    """What a bookmark names: ``q:<number>`` a quote candidate, ``n:<id>`` a node; None for
    anything else (``callbacks.bookmarked``, as ``/saved`` reads them)."""
    return cb.bookmarked(speech, ref)
