"""The owner adds a text from chat, end to end against the fake Bot API: the document is fetched
with getFile and a download, previewed, then published, fixed or discarded."""

from __future__ import annotations

import asyncio
import html
import io
import os
import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.fake.local import LocalBot, Reply
from content.formats.blocks import Note
from content.model import Node, Speech
from handlers.preview import LIMIT, note_line, preview
from handlers.render import utf16_len
from handlers.uploads import BadDate, UnknownField, describe_fields
from tests import documents, hostile
from tests.conftest import bot_settings
from tests.helpers import wait_until

OWNER = 1001
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE = "坚持“慎”字当头 筑牢廉洁自律防线"


@pytest.fixture(scope="module")
def lines() -> list[str]:
    """A short speech (the seed's salutation, preface and first part): quick to index."""
    return documents.seed_lines()[:6]


@pytest.fixture(scope="module")
def word(lines: list[str]) -> bytes:
    """The Word file with a title block on top, a table and a footnote."""
    return documents.title_block_docx(lines)


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[LocalBot]:
    async with LocalBot(bot_settings(tmp_path, admin_ids=frozenset({OWNER}))) as running:
        yield running


def sent(reply: Reply) -> list[dict[str, Any]]:
    """What the bot sent, as the raw request parameters (chat id aside)."""
    return [{k: v for k, v in call.params.items() if k != "chat_id"}
            for call in reply.calls if call.method == "sendMessage"]


def broken_docx() -> bytes:
    import docx

    document = docx.Document()
    for paragraph in ["同志们：", "一、第一部分", "正文。", "三、跳过了二", "正文。"]:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


async def test_the_owner_uploads_sees_the_preview_and_publishes(bot: LocalBot, word: bytes) -> None:
    owner = bot.private(OWNER)
    reply = await owner.send_document(word, "讲话.docx", DOCX)
    assert [call.method for call in reply.calls] == ["getFile", "sendMessage"]
    (shown,) = reply.messages
    assert shown.text.startswith("📥 文本 #2（草稿，尚未发布）\n文件：讲话.docx\n")
    assert f"标题：{TITLE}\n讲话人：县长 张三\n日期：2023-05-10\n场合：全县政府系统廉政工作会议" in shown.text
    assert "提纲：1 个部分，3 个小节" in shown.text
    assert "\n前言\n一、树牢核心意识，不断强化“政治三力”，让旗帜更鲜明\n　（一）坚持对党绝对忠诚" in shown.text
    assert "没有导入的内容\n• 1 个表格（在第 6 段之后）\n• 1 个脚注" in shown.text
    assert [b["text"] for b in shown.buttons] == ["✅ 发布", "✏️ 修改信息", "🗑 放弃"]
    assert [t.id for t in await bot.store.texts.texts()] == [1]  # a draft is no part of the library yet

    pressed = await owner.press(shown, "发布")
    assert pressed.answers[0]["text"] == "正在发布，建立索引……"
    assert bot.fake.sent[(OWNER, shown.message_id)].buttons == []  # one press publishes
    # The services are built in the background (a first encoding takes a while), then the owner is told.
    published = await wait_until(lambda: [m for m in bot.fake.by_chat[OWNER] if m.text.startswith("✅")],
                                 timeout=240, what="the owner told the text is published")
    assert published[0].text.startswith(f"✅ 已发布：#2《{TITLE}》。") and "/use 2" in published[0].text
    (text,) = [t for t in await bot.store.texts.texts() if t.id != 1]
    assert (text.id, text.status, text.title, text.speaker, text.date) == (2, "live", TITLE, "县长 张三",
                                                                          date(2023, 5, 10))
    assert bot.app is not None and bot.app.bot_data.library is not None
    assert bot.app.bot_data.library.get(2) is not None  # its services were built here, once

    again = await owner.send_document(word, "副本.docx", DOCX)
    assert again.text == f"这篇已经在文本库里：#2《{TITLE}》，已发布。在群里发送 /use 2 切换到这篇。"
    assert len(await bot.store.texts.texts(("draft", "live"))) == 2


async def test_a_draft_uploaded_again_is_the_same_draft(bot: LocalBot, word: bytes) -> None:
    owner = bot.private(OWNER)
    first = (await owner.send_document(word, "讲话.docx", DOCX)).messages[0]
    second = (await owner.send_document(word, "讲话.docx", DOCX)).messages[0]
    assert first.text.startswith("📥 文本 #2（草稿，尚未发布）")
    assert second.text.startswith("📥 文本 #2（草稿：这个文件之前已经上传过）")


async def test_the_original_speech_sent_again_with_a_title_block_offers_its_details(bot: LocalBot) -> None:
    owner = bot.private(OWNER)
    original = await bot.store.texts.text(1)
    assert original is not None and (original.info.speaker, original.info.date) == (None, None)
    reply = await owner.send_document(documents.title_block_docx(documents.seed_lines()), "讲话.docx", DOCX)
    exists, offered = reply.messages
    assert exists.text.startswith("这篇已经在文本库里：#1")
    assert offered.text.startswith("📝 这个文件带有 #1 还没有的信息：\n")
    assert ("<code>讲话人=县长 张三</code>\n<code>日期=2023-05-10</code>\n<code>场合=全县政府系统廉政工作会议</code>"
            in offered.html)
    assert [b["text"] for b in offered.buttons] == ["✅ 采用这些信息"]

    taken = await owner.press(offered, "采用")
    assert taken.answers[0]["text"] == "已采用。"
    assert bot.fake.sent[(OWNER, offered.message_id)].buttons == []  # one press takes them
    (shown,) = taken.messages
    assert "讲话人：县长 张三\n日期：2023-05-10\n场合：全县政府系统廉政工作会议" in shown.text
    stored = await bot.store.texts.text(1)
    assert stored is not None and (stored.info.speaker, stored.info.date, stored.info.title) == (
        "县长 张三", date(2023, 5, 10), original.info.title or TITLE)

    again = await owner.send_document(documents.title_block_docx(documents.seed_lines()), "讲话.docx", DOCX)
    assert len(again.messages) == 1  # nothing left to offer
    stale = await owner.press_data(offered, "t|take|1")  # the offer pressed again: every detail is there
    assert stale.answers[0]["text"] == "#1 的这些信息已经填好了，没有改动。"


async def test_a_draft_sent_again_with_a_title_block_offers_only_what_it_lacks(bot: LocalBot, lines: list[str]) -> None:
    owner = bot.private(OWNER, language_code="en")
    plain = "\n".join(lines).encode()  # the same speech without its title block
    first = (await owner.send_document(plain, "speech.txt", "text/plain")).messages[0]
    assert first.text.startswith("📥 Text #2 (a draft, not published)")
    await owner.send("/describe 2 speaker=王五")
    reply = await owner.send_document(documents.title_block_docx(lines), "speech.docx", DOCX)
    preview_again, offered = reply.messages
    assert preview_again.text.startswith("📥 Text #2 (a draft: this file was uploaded before)")
    assert offered.text.startswith("📝 This file carries details #2 does not have yet:\n")
    assert "speaker=" not in offered.text and "<code>date=2023-05-10</code>" in offered.html  # 王五 stays
    taken = await owner.press(offered, "Take")
    assert "Speaker: 王五\nDate: 2023-05-10" in taken.messages[0].text


async def test_a_broken_file_is_one_message_naming_the_paragraph(bot: LocalBot) -> None:
    reply = await bot.private(OWNER).send_document(broken_docx(), "讲话.docx", DOCX)
    assert reply.text == ("❌ 无法导入这个文件：\n讲话.docx 第 4 段 「三、跳过了二」："
                          "部分的编号 三、 顺序不对（这里应是 二、）\n\n"
                          "请在原文件中改好后重新发送（.docx、.pdf 或 .txt）。")
    assert len(reply.messages) == 1 and "Traceback" not in reply.text
    assert [t.id for t in await bot.store.texts.texts(("draft", "live"))] == [1]  # nothing stored
    english = await bot.private(OWNER, language_code="en").send_document(broken_docx(), "speech.docx", DOCX)
    assert english.text == ("❌ This file cannot be imported:\nspeech.docx: paragraph 4 「三、跳过了二」: "
                            "part 三、 out of order (expected 二、)\n\n"
                            "Fix it in the original and send it again (.docx, .pdf or .txt).")


def _error_cases() -> list[tuple[str, bytes]]:
    """Files every reader and the parser refuse, each for another reason."""
    import docx

    def word(paragraphs: list[str]) -> bytes:
        document = docx.Document()
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()

    return [
        ("无结构.txt", "同志们：\n只有一段话。".encode()),
        ("小节在前.txt", "同志们：\n（一）小节。\n一、部分".encode()),
        ("小节乱序.docx", word(["同志们：", "一、第一部分", "（二）小节。"])),
        ("结束后标题.txt", "同志们：\n一、部分\n（一）小节。\n同志们，散会。\n二、又一部分".encode()),
        ("空.docx", word([])),
        ("旧版.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)),
        ("坏的.docx", b"PK\x03\x04" + bytes(100)),
        ("不是.pdf", b"%PDF-1.4\n%garbage"),
        ("扫描件.pdf", documents.scanned_pdf()),
        ("乱码.txt", b"\xff\x00\xfe\x01" * 10),
    ]


def test_every_import_error_reads_in_chinese() -> None:
    from content.formats import import_bytes
    from content.parser import SpeechFormatError
    from handlers.preview import import_error

    for name, data in _error_cases():
        with pytest.raises(SpeechFormatError) as raised:
            import_bytes(data, name)
        zh = import_error("zh", raised.value)
        assert name in zh, zh
        names = re.sub(r"UTF-8|Word|WPS|PDF|\.docx?|\.pdf|\.txt", "", zh.replace(name, ""))  # what zh calls them too
        assert not re.search(r"[A-Za-z]{3,}", names), zh
        english = import_error("en", raised.value)
        assert english.startswith(html.escape(str(raised.value).removesuffix(raised.value.message), quote=False))
        assert english != zh


async def test_a_text_file_without_a_name_is_named_by_its_type(bot: LocalBot, lines: list[str]) -> None:
    body = "\n".join([*documents.TITLE_BLOCK, *lines]).encode()
    shown = (await bot.private(OWNER).send_document(body, None, "text/plain")).messages[0]
    assert shown.text.startswith("📥 文本 #2（草稿，尚未发布）\n文件：document.txt\n")
    assert f"标题：{TITLE}" in shown.text and "没有导入的内容" not in shown.text


async def test_a_file_of_the_wrong_kind_is_told_which_kinds_are_read(bot: LocalBot) -> None:
    reply = await bot.private(OWNER).send_document(b"print('hello')\n", "<b>x</b>.py", "text/x-python")
    assert reply.html == ("❌ 无法导入“&lt;b&gt;x&lt;/b&gt;.py”："
                          "只能导入 Word（.docx）、PDF（.pdf）和纯文本（.txt）文件。")
    english = await bot.private(OWNER, language_code="en").send_document(b"x", "notes.odt", "application/x")
    assert english.text == ("❌ “notes.odt” cannot be imported: "
                            "send a Word (.docx), PDF (.pdf) or plain text (.txt) file.")


async def test_a_scanned_pdf_says_it_has_no_text_layer(bot: LocalBot) -> None:
    reply = await bot.private(OWNER).send_document(documents.scanned_pdf(), "扫描件.pdf", "application/pdf")
    assert reply.text.startswith("❌ 无法导入这个文件：\n扫描件.pdf：PDF 没有文字层：页面是图片（扫描件？）")


async def test_a_file_over_the_limit_is_refused_before_it_is_fetched(tmp_path: Path, word: bytes) -> None:
    async with LocalBot(bot_settings(tmp_path, admin_ids=frozenset({OWNER}), max_upload_bytes=20_000)) as bot:
        reply = await bot.private(OWNER).send_document(word, "讲话.docx", DOCX)
        assert reply.text == f"文件太大（{round(len(word) / 1000)} KB），最大 20 KB。请删去图片或拆分后再发送。"
        assert [call.method for call in reply.calls] == ["sendMessage"]  # no getFile


HOSTILE = {
    # name: (the file, built just past one limit; the one line the owner reads)
    "空段落.docx": (lambda: hostile.empty_paragraphs_docx(130_000), "段落超过 20,000 个，不像一篇讲话。"),
    "罗马编号.docx": (lambda: hostile.roman_numbering_docx(paragraphs=50, placeholders=480),
                  "有一个自动编号超过 64 个字符。"),
    "算子.pdf": (lambda: hostile.operators_pdf(320_000), "第 1 页的绘制指令超过 2 MB，不是一页文字。"),
    "膨胀.pdf": (lambda: hostile.inflating_pdf(3 * 1024 * 1024), "第 1 页的绘制指令超过 2 MB，不是一页文字。"),
    "长.pdf": (lambda: hostile.full_pages_pdf(151, lines=1), "共 151 页，超出上限（150 页）。"),
    "句号.txt": (lambda: hostile.periods_txt(200_000), "共 66,666 个字符，超出一篇文本的上限（60,000）。"),
}


async def test_hostile_files_are_refused_in_one_line_while_a_member_searches(tmp_path: Path) -> None:
    """Each hostile kind of file is one line naming its limit; meanwhile a member's search is
    answered, while the owner's import still runs in its child process (stopped at its wall time)."""
    settings = bot_settings(tmp_path, admin_ids=frozenset({OWNER}), import_seconds=8,
                            import_max_characters=10_000_000)
    async with LocalBot(settings) as bot:
        owner, member = bot.private(OWNER), bot.private(2002)
        slow = hostile.full_pages_pdf(100, lines=50)  # 450,000 characters: minutes for pdfplumber
        update = bot.fake.document(OWNER, owner.user, slow, "慢.pdf", "application/pdf", None)
        upload = asyncio.create_task(bot.process(update, timeout=60))

        children = await wait_until(importing, timeout=30, what="the import's child process")
        searched = await member.send("/search 慎独")
        assert "慎独" in searched.text and not upload.done()
        assert all(child.is_running() for child in children) and children[0].pid != os.getpid()
        refused = await upload
        assert refused.text == "❌ 无法导入 慢.pdf：读取超过 8 秒，已停止。"
        assert not importing()  # the child was killed, not left behind

    async with LocalBot(bot_settings(tmp_path, admin_ids=frozenset({OWNER}))) as bot:
        owner = bot.private(OWNER)
        for name, (build, reason) in HOSTILE.items():
            reply = await owner.send_document(build(), name, None)
            assert reply.text == f"❌ 无法导入 {name}：{reason}", name
        english = await bot.private(OWNER, language_code="en").send_document(
            hostile.periods_txt(200_000), "periods.txt", "text/plain")
        assert english.text == ("❌ periods.txt cannot be imported: 66,666 characters: more than one text may hold "
                                "(60,000).")
        assert [t.id for t in await bot.store.texts.texts(("draft", "live"))] == [1]  # nothing stored


def importing() -> list[Any]:
    """The import child processes of this test's bot (psutil.Process)."""
    import psutil

    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            if "content.formats.isolated" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:  # gone meanwhile
            continue
    return found


async def test_at_most_two_uploads_import_at_once(tmp_path: Path) -> None:
    """Each import's child may take SPEECHBOT_IMPORT_MEMORY_MB: with three owners uploading at
    once (one chat's updates come one after another anyway), the third waits its turn."""
    from handlers.context import IMPORT_SLOTS

    owners = [OWNER, OWNER + 1, OWNER + 2]
    async with LocalBot(bot_settings(tmp_path, admin_ids=frozenset(owners), import_seconds=3,
                                     import_max_characters=10_000_000)) as bot:
        slow = hostile.full_pages_pdf(100, lines=50)
        uploads = [asyncio.create_task(bot.process(bot.fake.document(
            owner, bot.private(owner).user, slow, f"慢{n}.pdf", "application/pdf", None), timeout=60))
            for n, owner in enumerate(owners)]
        most = 0
        while not all(upload.done() for upload in uploads):
            most = max(most, len(importing()))
            await asyncio.sleep(0.05)
        assert most == IMPORT_SLOTS == 2
        assert sorted(upload.result().text for upload in uploads) == [
            f"❌ 无法导入 慢{n}.pdf：读取超过 3 秒，已停止。" for n in range(3)]


PG_URL = os.environ.get("SPEECHBOT_TEST_DATABASE_URL")


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG_URL, reason="no PostgreSQL"))])
async def test_control_characters_are_dropped_from_an_upload_its_details_and_a_search(tmp_path: Path,
                                                                                      backend: str) -> None:
    """A NUL is what PostgreSQL refuses (CharacterNotInRepertoireError): an upload, /describe and
    a search without hits holding one are answered as without it, never with the apology."""
    url = PG_URL if backend == "postgresql" and PG_URL else f"sqlite+aiosqlite:///{tmp_path}/bot.sqlite3"
    if backend == "postgresql":
        from bot.fake.data import reset
        from bot.storage import Store

        store = await Store.open(bot_settings(tmp_path, database_url=url), lambda: datetime.now(UTC))
        await reset(store)
        await store.close()
    async with LocalBot(bot_settings(tmp_path, admin_ids=frozenset({OWNER}), database_url=url)) as bot:
        owner = bot.private(OWNER)
        shown = (await owner.send_document(hostile.control_txt(), "控制\x1b[2J.txt", "text/plain")).messages[0]
        found = re.match(r"📥 文本 #(\d+)（草稿，尚未发布）\n文件：控制 \[2J.txt\n", shown.text)
        assert found is not None, shown.text
        text_id = int(found[1])
        assert "• 6 个控制字符（已删除）" in shown.text
        record = await bot.store.texts.text(text_id)
        assert record is not None and "\x00" not in record.body and "\x1b" not in record.body
        described = await owner.send(f"/describe {text_id} 标题=a\x00b 讲话人=李\x1b[31m四")
        assert "标题：ab\n讲话人：李[31m四" in described.text
        record = await bot.store.texts.text(text_id)
        assert record is not None and (record.info.title, record.info.speaker) == ("ab", "李[31m四")
        missed = await bot.private(2002).send("/search 没有\x00这个词xyzzy")
        assert "抱歉，出了点问题" not in missed.text and "xyzzy" in missed.text
        assert [q for q, _ in (await bot.store.insights.report()).misses] == ["没有 这个词xyzzy"]


async def test_discard_removes_the_draft(bot: LocalBot, word: bytes) -> None:
    owner = bot.private(OWNER)
    shown = (await owner.send_document(word, "讲话.docx", DOCX)).messages[0]
    reply = await owner.press(shown, "放弃")
    assert reply.edited[0].text == "🗑 已放弃草稿 #2。" and reply.edited[0].buttons == []
    assert await bot.store.texts.text(2) is None
    stale = await owner.press_data(shown, "t|pub|2")  # Publish on a copy of the preview sent before
    assert stale.answers[0]["text"] == "文本 #2 已不存在（草稿已放弃？）。"


async def test_fix_metadata_by_replying_to_the_prompt_or_with_describe(bot: LocalBot, word: bytes) -> None:
    owner = bot.private(OWNER)
    shown = (await owner.send_document(word, "讲话.docx", DOCX)).messages[0]
    asked = await owner.press(shown, "修改信息")
    (prompt,) = asked.messages
    assert prompt.text.startswith("✏️ #2 修改信息：回复这条消息")
    assert f"<code>标题={TITLE}</code>\n<code>讲话人=县长 张三</code>\n<code>日期=2023-05-10</code>" in prompt.html
    call = next(c for c in asked.calls if c.method == "sendMessage")
    assert call.params["reply_markup"]["force_reply"] is True

    fixed = await owner.reply(prompt, "标题＝新的标题\n日期：2026年11月28日")
    (again,) = fixed.messages
    assert "标题：新的标题\n讲话人：县长 张三\n日期：2026-11-28" in again.text
    assert "提纲：1 个部分" in again.text and [b["text"] for b in again.buttons] == ["✅ 发布", "✏️ 修改信息", "🗑 放弃"]
    stored = await bot.store.texts.text(2)
    assert stored is not None and (stored.info.title, stored.info.date) == ("新的标题", date(2026, 11, 28))

    described = await owner.send("/describe 2 讲话人=李四 场合=-")
    assert "讲话人：李四\n日期：2026-11-28\n场合：（未找到）" in described.text
    assert (await owner.send("/describe 2 日期=明天")).text.startswith("看不懂日期“明天”")
    assert (await owner.send("/describe 2")).text.startswith("用法：/describe 编号")
    assert (await owner.send("/describe 9 标题=x")).text == "没有文本 #9。发送 /texts 查看文库里的文本。"
    search = await owner.send("标题=不是回复")  # not a reply to the prompt: an ordinary search
    assert "文本 #2" not in search.text


async def test_a_reply_with_synonyms_or_unknown_names_keeps_the_prompt_usable(bot: LocalBot, word: bytes) -> None:
    owner = bot.private(OWNER)
    shown = (await owner.send_document(word, "讲话.docx", DOCX)).messages[0]
    (prompt,) = (await owner.press(shown, "修改信息")).messages

    synonyms = await owner.reply(prompt, "作者=李四\n时间：2023年7月18日\n会议：全县大会")
    assert "讲话人：李四\n日期：2023-07-18\n场合：全县大会" in synonyms.messages[0].text

    unknown = await owner.reply(prompt, "标题=新标题 年份=2023")
    said, again = unknown.messages
    assert said.text.startswith("没有“年份”这一项。可以改的项：标题、讲话人、日期、场合")
    assert again.text.startswith("✏️ #2 修改信息：回复这条消息") and "<code>讲话人=李四</code>" in again.html
    call = [c for c in unknown.calls if c.method == "sendMessage"][-1]
    assert call.params["reply_markup"]["force_reply"] is True
    stored = await bot.store.texts.text(2)
    assert stored is not None and stored.info.title == TITLE  # nothing of a refused reply is applied

    nothing = await owner.reply(again, "李四")
    assert nothing.messages[0].text.startswith("没有看到要改的项。每行写一项，例如 讲话人=李四")
    assert nothing.messages[1].text.startswith("✏️ #2 修改信息")
    bad_date = await owner.reply(nothing.messages[1], "日期=下周")
    said_date, prompted = bad_date.messages
    assert said_date.text.startswith("看不懂日期“下周”") and prompted.text.startswith("✏️ #2 修改信息：回复这条消息")
    fixed = await owner.reply(prompted, "发言人=王五")
    assert "讲话人：王五" in fixed.messages[0].text

    english = bot.private(OWNER, language_code="en")
    (prompt_en,) = (await english.press(shown, "修改信息")).messages
    refused = await english.reply(prompt_en, "year=2023")
    assert refused.messages[0].text == ("There is no field “year”. "
                                        "The fields: title, speaker (or author), date, occasion.")
    assert refused.messages[1].text.startswith("✏️ #2 Fix the details")


async def test_anyone_else_gets_the_unknown_command_answer(bot: LocalBot, word: bytes) -> None:
    stranger = bot.private(2002)
    assert sent(await stranger.send_document(word, "讲话.docx", DOCX)) == sent(await stranger.send("/nosuchcommand"))
    assert sent(await stranger.send("/describe 2 标题=x")) == sent(await stranger.send("/nosuchcommand"))
    assert not bot.fake.calls_to("getFile")
    group = bot.group(chat_id=-7001, user_id=OWNER)  # documents in groups are ignored, the owner's too
    assert (await group.send_document(word, "讲话.docx", DOCX)).calls == []
    assert [t.id for t in await bot.store.texts.texts(("draft", "live"))] == [1]

    shown = (await bot.private(OWNER).send_document(word, "讲话.docx", DOCX)).messages[0]
    pressed = await bot.private(OWNER).press(shown, "发布", user=bot.fake.user(2002))
    assert pressed.answers[0]["text"] == "这个按钮已经过期，请重新发送命令。"
    assert (await bot.store.texts.text(2)).info.status == "draft"  # type: ignore[union-attr]


async def test_the_preview_in_english(bot: LocalBot, word: bytes) -> None:
    owner = bot.private(OWNER, language_code="en")
    shown = (await owner.send_document(word, "speech.docx", DOCX)).messages[0]
    assert shown.text.startswith("📥 Text #2 (a draft, not published)\nFile: speech.docx\n")
    assert "Left out\n• 1 table(s) (after paragraph 6)\n• 1 footnote(s)" in shown.text
    assert [b["text"] for b in shown.buttons] == ["✅ Publish", "✏️ Fix details", "🗑 Discard"]


def test_describe_fields_reads_what_a_phone_types() -> None:
    fields = describe_fields("标题：新的标题， 讲话人=李四\nDate = 2026/11/28 occasion＝ -").fields
    assert fields == {"title": "新的标题", "speaker": "李四", "date": date(2026, 11, 28), "occasion": None}
    assert describe_fields("没有字段").fields == {}
    assert describe_fields("标题=关于场合问题的讲话").fields == {"title": "关于场合问题的讲话"}
    assert describe_fields("作者=李四 讲话时间=2023-07-18 会议名称=全县大会").fields == {
        "speaker": "李四", "date": date(2023, 7, 18), "occasion": "全县大会"}
    assert describe_fields("标题=1+1=2：再论").fields == {"title": "1+1=2：再论"}
    with pytest.raises(UnknownField):
        describe_fields("标题=新标题 年份=2023")
    with pytest.raises(BadDate):
        describe_fields("日期=下周")


def _speech(parts: int, sections: int) -> Speech:
    def section(p: int, s: int) -> Node:
        points = tuple(Node(id=f"{p}.{s}.{n}", kind="point", label=f"{p}（{s}）{n}", title=None, text="一是。")
                       for n in range(1, 4))
        return Node(id=f"{p}.{s}", kind="section", label=f"{p}（{s}）", title="很长的小节标题" * 5, text="x",
                    children=points)

    top = tuple(Node(id=str(p), kind="part", label=f"{p}、", title="很长的部分标题" * 5, text="x",
                     children=tuple(section(p, s) for s in range(1, sections + 1))) for p in range(1, parts + 1))
    return Speech(title=None, salutation=None, top=top)


@pytest.mark.parametrize(("parts", "sections", "shows"), [(3, 4, "　（1）"), (40, 8, "8 小节"), (400, 2, "……还有")])
def test_a_long_outline_is_shortened_to_fit_one_message(parts: int, sections: int, shows: str) -> None:
    from content.library import TextInfo

    notes = [Note("tables", "2 table(s) left out (after paragraph 6, after paragraph 9)")]
    screen = preview("zh", TextInfo(id=3, title="题" * 200, source="a.docx", status="draft"),
                     _speech(parts, sections), notes)
    assert utf16_len(screen.text) <= LIMIT and shows in screen.text
    assert screen.text.endswith("• 2 个表格（在第 6、9 段之后）")


def test_notes_of_unknown_codes_show_the_importers_words() -> None:
    assert note_line("zh", Note("future_code", "2 drawings left out")) == "• 2 drawings left out"
    assert note_line("en", Note("page_furniture", "3 running header, footer or page-number line(s) left out")) == (
        "• 3 running header, footer or page-number line(s)")


def test_the_import_notes_on_encoding_and_format_read_in_chinese(lines: list[str]) -> None:
    from content.formats import import_bytes

    gbk = import_bytes("\n".join(lines).encode("gb18030"), "讲话.txt").notes
    misnamed = import_bytes(documents.title_block_docx(lines), "讲话.pdf").notes
    assert [note_line("zh", note) for note in gbk] == ["• 按 GB18030 (GBK) 编码读取（不是 UTF-8）"]
    assert note_line("zh", misnamed[0]) == "• 按 .docx 文件读取：文件名以 .pdf 结尾，内容却是 .docx"
    assert note_line("en", misnamed[0]) == "• read as .docx: the name ends in .pdf but the content is a .docx file"
