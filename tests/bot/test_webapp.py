"""The reader's HTTP side against the real bot on the fake Bot API: the page, the API's answers,
and its security (signature, age, one's own data only, rate limit, CSP)."""

from __future__ import annotations

import asyncio
import io
import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import aiohttp
import pytest
from aiohttp import web

from bot.fake.local import LocalBot
from bot.http import MAX_BODY, SECRET_HEADER, SERVER_LOG, make_web_app, webhook_handler
from bot.http import runner as web_runner
from bot.reader.initdata import local_init_data
from bot.reader.routes import CSP, INIT_HEADER, PAGES, STATIC, RateLimiter
from handlers.catalog import tr
from tests.conftest import bot_settings


class Reader:
    """The reader's API as the page calls it, for one user."""

    def __init__(self, bot: LocalBot, base: str, http: aiohttp.ClientSession) -> None:
        self.bot, self.base, self.http = bot, base, http

    def init_data(self, user_id: int, language_code: str = "zh-hans", age: float = 0) -> str:
        now = self.bot.clock().timestamp() - age  # the bot's clock: initData's age is measured on it
        return local_init_data(self.bot.fake.token, user_id, f"U{user_id}", language_code, now)

    async def call(self, method: str, path: str, user: int | str | None = None, body: Any = None,
                   language_code: str = "zh-hans", text: str = "default") -> tuple[int, Any]:
        headers = {}
        if user is not None:
            headers[INIT_HEADER] = user if isinstance(user, str) else self.init_data(user, language_code)
        async with self.http.request(method, f"{self.base}/api/texts/{text}{path}", headers=headers,
                                     json=body) as response:
            return response.status, await response.json()


@pytest.fixture
async def reader(bot: LocalBot) -> AsyncIterator[Reader]:
    base = await bot.serve_reader()
    async with aiohttp.ClientSession() as http:
        yield Reader(bot, base, http)


async def test_the_page_is_small_strict_and_has_no_inline_script(reader: Reader) -> None:
    total = 0
    for name in PAGES:
        async with reader.http.get(f"{reader.base}/app/{'' if name == 'index.html' else name}") as response:
            body = await response.read()
            assert response.status == 200, name
            assert response.headers["Content-Security-Policy"] == CSP
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            total += len(body)
    assert total <= 150 * 1024
    page = (STATIC / "index.html").read_text("utf-8")
    assert '<html lang="zh-CN">' in page
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page))  # no inline script
    assert not re.search(r"\son\w+=|\sstyle=|<style", page)  # nor inline handlers or styles
    assert "unsafe-inline" not in CSP and "script-src 'self' https://telegram.org" in CSP
    assert not any("token" in path.read_text("utf-8").lower() for path in Path(STATIC).iterdir())
    async with reader.http.get(f"{reader.base}/app/reader.js", headers={"Accept-Encoding": "gzip"}) as response:
        assert response.headers["Content-Encoding"] == "gzip"  # compressed for a slow network


async def test_the_first_screen_is_compressed_when_the_browser_takes_it(reader: Reader) -> None:
    headers = {INIT_HEADER: reader.init_data(4150), "Accept-Encoding": "gzip"}
    async with reader.http.get(f"{reader.base}/api/texts/default/start", headers=headers) as response:
        assert response.status == 200 and response.headers["Content-Encoding"] == "gzip"
        assert (await response.json())["blocks"]


@pytest.mark.parametrize("how", ["missing", "forged", "tampered", "replayed", "garbage"])
async def test_the_api_refuses_init_data_telegram_did_not_sign_lately(reader: Reader, how: str) -> None:
    good = reader.init_data(4101)
    if how == "missing":
        init: str | None = None
    elif how == "forged":  # signed, but with another bot's token
        init = local_init_data("999999:SOMEONE-ELSES-token", 4101, "U", "zh-hans", reader.bot.clock().timestamp())
    elif how == "tampered":  # Telegram signed user 4101; someone changes the id to read 4102's
        fields = dict(parse_qsl(good))
        fields["user"] = fields["user"].replace("4101", "4102")
        init = "&".join(f"{k}={v}" for k, v in fields.items())
    elif how == "replayed":  # Telegram's, but older than SPEECHBOT_WEBAPP_MAX_AGE_SECONDS (a day)
        init = reader.init_data(4101, age=86400 + 60)
    else:
        init = "user=1&hash=" + "0" * 64
    for method, path, body in (("GET", "/start", None), ("GET", "/search?q=纪律", None),
                               ("PUT", "/bookmarks/n:4.2", None), ("PUT", "/position", {"at": 10})):
        status, answer = await reader.call(method, path, init, body)
        assert (status, answer) == (401, {"ok": False, "error": "unauthorized"}), (method, path)
    assert await reader.bot.store.study.bookmarks(4101) == []


async def test_the_first_screen_is_one_call_with_everything(reader: Reader) -> None:
    status, first = await reader.call("GET", "/start", 4201)
    assert status == 200
    assert first["lang"] == "zh" and first["ui"]["done"] == "✅ 读完了" and first["ui"]["exact"].startswith("📌 原文")
    assert [entry["id"] for entry in first["outline"]] == ["preface", "1", "2", "3", "4", "closing"]
    assert [child["id"] for child in first["outline"][4]["children"]] == ["4.1", "4.2", "4.3"]
    assert {tag for _, tag, _, _ in first["blocks"]} == {"h2", "h3", "h4", "p"}
    assert (first["position"], first["saved"], first["plan"], first["stored"]) == (None, [], None, True)
    status, english = await reader.call("GET", "/start", 4201, language_code="en")
    assert english["lang"] == "en" and english["ui"]["done"] == "✅ Done"
    assert english["outline"][4]["children"][1]["gloss"]  # English readers get each heading in English


async def test_search_answers_with_the_bots_tiers_and_marks_the_words_in_the_text(reader: Reader) -> None:
    status, first = await reader.call("GET", "/start", 4301)
    whole = {at: body for _, _, body, at in first["blocks"]}
    status, found = await reader.call("GET", "/search?q=抓铁有痕", 4301)
    assert status == 200 and found["hits"][0]["tier"] == "exact"
    (start, end), = found["hits"][0]["marks"][:1]
    block_at = max(at for at in whole if 0 <= at <= start)
    assert whole[block_at][start - block_at:end - block_at] == "抓铁有痕"
    status, asked = await reader.call("GET", "/search?q=当官的能不能收礼", 4301)
    assert status == 200 and asked["hits"] and {hit["tier"] for hit in asked["hits"]} <= {"exact", "related", "nearest"}
    assert (await reader.call("GET", "/search?q=%20", 4301))[0] == 400


async def test_unknown_texts_nodes_and_bookmarks_are_404(reader: Reader) -> None:
    assert (await reader.call("GET", "/nodes/4.2", 4401))[1]["label"] == "四（二）"
    assert (await reader.call("GET", "/nodes/9.9", 4401))[0] == 404
    for ref in ("n:9.9", "q:99999", "x:1", "n:四（二）"):
        assert (await reader.call("PUT", f"/bookmarks/{ref}", 4401))[0] == 404, ref
    async with reader.http.get(f"{reader.base}/api/texts/other/start",
                               headers={INIT_HEADER: reader.init_data(4401)}) as response:
        assert response.status == 404


async def test_bookmarks_are_the_chats_own_and_each_member_sees_only_theirs(reader: Reader) -> None:
    chat = reader.bot.private(4501)
    status, answer = await reader.call("PUT", "/bookmarks/n:4.2", 4501)
    assert status == 200 and [item["ref"] for item in answer["saved"]] == ["n:4.2"]
    assert (await reader.call("PUT", "/bookmarks/n:4.2", 4501))[1]["saved"] == answer["saved"]  # twice: still one
    saved = (await chat.send("/saved")).messages[0]
    assert "四（二）" in saved.text and len(saved.buttons) == 1
    section = (await chat.send("/show 4.2.3")).messages[-1]
    await chat.press(section, "收藏")  # the chat's ☆ shows in the reader
    refs = [item["ref"] for item in (await reader.call("GET", "/start", 4501))[1]["saved"]]
    assert refs == ["n:4.2", "n:4.2.3"]
    assert (await reader.call("GET", "/start", 4502))[1]["saved"] == []  # someone else sees none of it
    status, answer = await reader.call("DELETE", "/bookmarks/n:4.2", 4501)
    assert [item["ref"] for item in answer["saved"]] == ["n:4.2.3"]
    assert (await chat.send("/saved")).messages[0].text.count("四（二）") == 1  # only 四（二）3 is left


async def test_a_search_hits_sentence_bookmark_opens_the_reader_at_that_sentence(reader: Reader) -> None:
    chat = reader.bot.private(4511)
    hits = (await chat.send("/search 绝不能建设一个工程倒下一批干部")).messages[0]
    await chat.press(hits, "收藏")  # the first hit's ☆: its sentence
    status, start = await reader.call("GET", "/start", 4511)
    assert status == 200
    (item,) = start["saved"]
    assert item["ref"].startswith("s:4.2.3~") and item["node"] == "4.2.3" and "倒下一批干部" in item["text"]
    opening = next(at for node, _, _, at in start["blocks"] if node == "4.2.3")
    assert item["at"] > opening  # at the sentence, past the point's heading
    assert (await reader.call("DELETE", f"/bookmarks/{item['ref']}", 4511))[1]["saved"] == []
    assert (await chat.send("/saved")).text.startswith("还没有收藏")


async def test_the_place_is_kept_per_member(reader: Reader) -> None:
    status, first = await reader.call("GET", "/start", 4601)
    at = next(at for node, tag, _, at in first["blocks"] if node == "4.2.3" and tag == "p")
    status, answer = await reader.call("PUT", "/position", 4601, {"at": at + 5})  # within the block
    assert (status, answer) == (200, {"node": "4.2.3", "at": at})
    assert (await reader.call("GET", "/start", 4601))[1]["position"] == {"node": "4.2.3", "at": at}
    assert (await reader.call("GET", "/start", 4602))[1]["position"] is None
    for bad in ({"at": -1}, {"at": 10**9}, {"at": "5"}, {"where": 5}, [1]):
        assert (await reader.call("PUT", "/position", 4601, bad))[0] == 400, bad


async def test_the_plans_passage_of_the_day_and_done_share_the_chats_streak(reader: Reader) -> None:
    chat = reader.bot.private(4701)
    await chat.send("/plan 10")
    plan = (await reader.call("GET", "/start", 4701))[1]["plan"]
    assert plan["day"] == 1 and plan["days"] == 10 and plan["done"] is False and plan["ids"][0] == "preface"
    status, done = await reader.call("POST", "/plan/done", 4701, {"day": 1})
    assert (status, done["new"], done["message"]) == (200, True, tr("zh", "read_marked", streak=1))
    assert (await reader.call("GET", "/start", 4701))[1]["plan"]["done"] is True
    day_one = next(m for m in reversed(reader.bot.fake.sent.values()) if m.chat_id == 4701 and "第 1/10 天" in m.text)
    again = await chat.press(day_one, "读完了")  # the chat's ✅ knows the reader's
    assert again.answers[0]["text"] == tr("zh", "read_again", streak=1)
    assert (await reader.call("POST", "/plan/done", 4701, {"day": 11}))[0] == 404
    assert (await reader.call("POST", "/plan/done", 4702, {"day": 1}))[0] == 404  # no plan of theirs
    assert (await reader.call("GET", "/start", 4702))[1]["plan"] is None


async def test_a_text_of_the_library_is_read_by_its_id_with_its_own_place_bookmarks_and_plan(
        reader: Reader) -> None:
    """``/api/texts/2/…`` reads text 2: its title in the header, its outline and blocks (node ids
    scoped), its search, a place kept under "2" beside the original's "1" (``default`` is the
    original still), bookmarks of its own passages only, and the plan where the plan reads it.
    ``current`` is the member's private chat's text; a draft is not readable."""
    from sqlalchemy import select

    from bot.storage.tables import PositionRow
    from content.formats.blocks import Metadata
    from tests.library_texts import FITTING, add_text

    bot = reader.bot
    text_id = await add_text(bot.store, FITTING, "坚守廉洁底线")
    key = str(text_id)
    status, first = await reader.call("GET", "/start", 4901, text=key)
    assert status == 200 and first["text"] == key and first["title"] == "《坚守廉洁底线》"
    assert [entry["id"] for entry in first["outline"]] == [f"{key}:preface", f"{key}:1", f"{key}:2", f"{key}:closing"]
    assert all(node.startswith(f"{key}:") for node, _, _, _ in first["blocks"])
    assert "".join(body for _, _, body, _ in first["blocks"]).count("党员干部要慎独") == 1
    assert (await reader.call("GET", "/nodes/1.2", 4901, text=key))[1]["id"] == f"{key}:1.2"
    found = (await reader.call("GET", "/search?q=慎独", 4901, text=key))[1]["hits"]
    assert found and found[0]["id"].startswith(f"{key}:") and found[0]["tier"] == "exact"

    at = next(at for node, tag, _, at in first["blocks"] if node == f"{key}:2.1" and tag == "p")
    assert (await reader.call("PUT", "/position", 4901, {"at": at + 3}, text=key))[1] == {"node": f"{key}:2.1",
                                                                                        "at": at}
    assert (await reader.call("GET", "/start", 4901, text=key))[1]["position"] == {"node": f"{key}:2.1", "at": at}
    assert (await reader.call("GET", "/start", 4901))[1]["position"] is None  # the original's place is its own
    async with bot.store.db.sessions() as session:
        assert set(await session.scalars(select(PositionRow.text_id).where(PositionRow.user_id == 4901))) == {key}

    assert (await reader.call("PUT", f"/bookmarks/n:{key}:1.2", 4901, text=key))[0] == 200
    assert (await reader.call("PUT", "/bookmarks/n:4.2", 4901))[0] == 200  # the original's, in the original
    assert (await reader.call("PUT", "/bookmarks/n:4.2", 4901, text=key))[0] == 404  # not text 2's 4.2
    assert [item["ref"] for item in (await reader.call("GET", "/start", 4901, text=key))[1]["saved"]] == [
        f"n:{key}:1.2"]
    assert [item["ref"] for item in (await reader.call("GET", "/start", 4901))[1]["saved"]] == ["n:4.2"]

    assert (await reader.call("GET", "/start", 4901, text="current"))[1]["text"] == "1"  # never chose: the original
    await bot.store.chats.configure(4901, "private", text_id=text_id)
    chat = bot.private(4901)
    await chat.send("/plan 5")
    current = (await reader.call("GET", "/start", 4901, text="current"))[1]
    assert current["text"] == key and current["plan"]["ids"] == [f"{key}:preface"]
    assert (await reader.call("GET", "/start", 4901))[1]["plan"] is None  # the plan reads text 2, not this
    assert (await reader.call("POST", "/plan/done", 4901, {"day": 1}))[0] == 404
    assert (await reader.call("POST", "/plan/done", 4901, {"day": 1}, text=key))[1]["new"] is True

    draft, _ = await bot.store.texts.add("一、草稿\n还没有发布的一段话。", Metadata(title="草稿"), "d.txt", 1)
    for missing in (str(draft.id), "999", "0x2", "-1"):
        assert (await reader.call("GET", "/start", 4901, text=missing))[0] == 404, missing


async def test_the_api_is_rate_limited_per_member(tmp_path: Path) -> None:
    async with LocalBot(bot_settings(tmp_path, webapp_rate_per_minute=40)) as bot:
        base = await bot.serve_reader()
        async with aiohttp.ClientSession() as http:
            reader = Reader(bot, base, http)
            statuses = [(await reader.call("GET", "/outline", 4801))[0] for _ in range(12)]
            assert statuses[:10] == [200] * 10 and statuses[-1] == 429  # a burst of 10, then wait
            async with http.get(f"{base}/api/texts/default/outline",
                                headers={INIT_HEADER: reader.init_data(4801)}) as response:
                assert response.status == 429 and int(response.headers["Retry-After"]) >= 1
            assert (await reader.call("GET", "/outline", 4802))[0] == 200  # others are not held up


def test_the_rate_limiter_remembers_a_bounded_number_of_members() -> None:
    now = [0.0]
    limiter = RateLimiter(60, burst=2, size=100, clock=lambda: now[0])
    assert [limiter.take(1) for _ in range(3)] == [0, 0, pytest.approx(1.0)]
    now[0] += 1.0
    assert limiter.take(1) == 0  # a token a second comes back
    for user in range(1000):
        limiter.take(user + 10)
    assert len(limiter) == 100


# --- hostile requests (issue 24, item 24) ------------------------------------------------------


async def test_a_hostile_body_is_a_clear_400(reader: Reader) -> None:
    headers = {INIT_HEADER: reader.init_data(5001), "Content-Type": "application/json"}
    for body in ("[" * 4000, "{\"at\":" * 600 + "1" + "}" * 600, "{\"at\": 1" + " " * 5000 + "}"):
        async with reader.http.put(f"{reader.base}/api/texts/default/position", data=body,
                                   headers=headers) as response:
            assert response.status == 400, body[:20]
            assert (await response.json())["error"] in ("malformed JSON", "body too large")


async def test_a_body_that_arrives_in_pieces_is_read_whole(reader: Reader) -> None:
    async def pieces() -> AsyncIterator[bytes]:
        yield b'{"at"'
        await asyncio.sleep(0.2)  # the server has read the first piece alone by now
        yield b": 10}"

    headers = {INIT_HEADER: reader.init_data(5002), "Content-Type": "application/json"}
    async with reader.http.put(f"{reader.base}/api/texts/default/position", data=pieces(),
                               headers=headers) as response:
        assert (response.status, await response.json()) == (200, {"node": "preface", "at": 5})


async def test_a_signed_user_id_telegram_never_gives_is_refused(reader: Reader) -> None:
    for user_id in (10**23, 2**63, 2**52):
        status, answer = await reader.call("PUT", "/position", reader.init_data(user_id), {"at": 10})
        assert (status, answer) == (401, {"ok": False, "error": "unauthorized"}), user_id
    assert (await reader.call("PUT", "/position", 2**52 - 1, {"at": 10}))[0] == 200  # the largest Telegram gives


async def test_aiohttps_own_answers_carry_the_security_headers(bot: LocalBot) -> None:
    assert bot.app is not None
    server = web_runner(make_web_app(("hook", webhook_handler(bot.app, "s3cret")),
                                     reader=bot.services.reader(bot.app) if bot.services else None))
    await server.setup()
    await web.TCPSite(server, "127.0.0.1", 0).start()
    base = f"http://127.0.0.1:{server.addresses[0][1]}"
    try:
        async with aiohttp.ClientSession() as http:
            for method, path, body, status in (("GET", "/nowhere", None, 404), ("POST", "/app/", None, 405),
                                               ("POST", "/hook", io.BytesIO(b" " * (MAX_BODY + 1)), 413)):
                headers = {SECRET_HEADER: "s3cret", "Content-Type": "application/json"}
                async with http.request(method, base + path, data=body, headers=headers) as response:
                    assert response.status == status, path
                    assert response.headers["Content-Security-Policy"] == CSP, path
                    assert response.headers["X-Content-Type-Options"] == "nosniff", path
    finally:
        await server.cleanup()


async def test_an_oversized_header_is_one_line_in_the_log(reader: Reader, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        async with reader.http.get(f"{reader.base}/app/", headers={"X-Padding": "a" * 9000}) as response:
            assert response.status == 400
    refused = [record for record in caplog.records if record.name == SERVER_LOG.name]
    assert len(refused) == 1 and "\n" not in caplog.text.strip()
    assert refused[0].exc_info is None and "Got more than 8190 bytes" in refused[0].getMessage()
    assert "aaaa" not in caplog.text  # the client's bytes are not copied into the log
