"""Cards in chats: /card and the 🖼 buttons send a picture with its text as caption; a card is
uploaded once and then sent by file_id (also by the daily push); a refused file_id is uploaded
again; the settings choose the reminder as a card; inline mode offers a card Telegram has."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.fake.data import seed_chats
from bot.fake.local import LocalBot
from bot.push import Pusher
from content import Speech
from content.quotes import in_quotes
from content.shen import reminder
from handlers.catalog import tr


async def test_card_sends_todays_card_once_uploaded_then_by_file_id(bot: LocalBot, speech: Speech) -> None:
    chat = bot.private()
    bot.travel(datetime(2026, 11, 27, 16, 0, 1, tzinfo=UTC))  # just after midnight in Shanghai: the 28th
    first = await chat.send("/card")
    photo = first.photos[0]
    assert bot.app is not None
    quote = reminder(speech, date(2026, 11, 28), bot.app.bot_data.ranking).quote
    assert "今日一慎" in photo.text and quote.text in photo.text  # the caption carries the text
    assert bot.fake.uploads == 1 and bot.fake.files[photo.photo].startswith(b"\x89PNG")  # type: ignore[index]
    again = await bot.private(user_id=1002).send("/card")
    assert again.photos[0].photo == photo.photo and bot.fake.uploads == 1  # sent by file_id


async def test_card_of_a_section_or_keyword_and_the_buttons(bot: LocalBot) -> None:
    chat = bot.private()
    by_id = (await chat.send("/card 4.2")).photos[0]
    assert by_id.text.endswith("四（二）3") or "\n出自 四（二）" in by_id.text
    assert "纪律" in (await chat.send("/card 纪律")).photos[0].text
    assert (await chat.send("/card 足球")).text.startswith("没有找到包含“足球”的金句")
    quote = (await chat.send("/quote 腐败")).messages[0]
    pressed = await chat.press(quote, "图片")
    assert pressed.photos and pressed.photos[0].text.split("\n出自 ")[0] == quote.text.split("\n出自 ")[0]
    hits = (await chat.send("/search 抓铁有痕")).messages[0]
    assert "二（一）" in (await chat.press(hits, "图片")).photos[0].text


async def test_a_refused_file_id_is_uploaded_again(bot: LocalBot) -> None:
    chat = bot.private()
    await chat.send("/card 1.1")
    bot.fake.fail("bad_file", chat.chat_id)
    again = await chat.send("/card 1.1")
    assert again.photos and bot.fake.uploads == 2
    assert [c.error.description for c in again.errors if c.error] == [
        "Bad Request: wrong file identifier/HTTP URL specified"]  # refused once, then uploaded


async def test_the_daily_push_as_cards_uploads_once(bot: LocalBot, speech: Speech) -> None:
    chat = bot.private()
    panel = (await chat.send("/settings")).messages[0]
    await chat.press(panel, "改为图片")
    assert "形式：图片" in panel.text
    ids = list(range(7000, 7030))
    bot.travel(datetime(2026, 11, 28, 0, 30, tzinfo=UTC))
    due = datetime(2026, 11, 28, 0, 29, tzinfo=UTC)
    await seed_chats(bot.store, ids, due)
    async with bot.store.db.sessions.begin() as session:  # half of them chose cards
        from sqlalchemy import update

        from bot.storage.tables import ChatRow

        await session.execute(update(ChatRow).where(ChatRow.chat_id < 7015).values(reminder_format="card"))
    uploads = bot.fake.uploads
    report = await Pusher(bot.app.bot, bot.store, speech).run_due()  # type: ignore[union-attr]
    assert report.sent == 30
    photos = [s for i in ids for s in bot.fake.by_chat[i] if s.photo]
    texts = [s for i in ids for s in bot.fake.by_chat[i] if not s.photo]
    assert len(photos) == 15 and len(texts) == 15 and "今日一慎" in photos[0].text
    assert bot.fake.uploads == uploads + 1  # one upload, fourteen sends by file_id


async def test_inline_mode_offers_a_card_telegram_already_has(bot: LocalBot) -> None:
    chat = bot.private()
    before = await chat.inline("")
    assert all(r["type"] == "article" for r in before.answers[0]["results"])
    await chat.send("/card")
    after = await chat.inline("")
    assert after.answers[0]["results"][0]["type"] == "photo"


async def test_the_card_under_a_search_hit_shows_that_hits_sentence(bot: LocalBot) -> None:
    """🖼 under hit N draws hit N's own sentence (it drew some quote of the hit's section)."""
    assert bot.app is not None and bot.app.bot_data.library is not None
    chat = bot.private()
    for query in ("纪律", "抓铁有痕", "领导干部能不能收礼"):
        results = (await chat.send(f"/search {query}")).messages[0]
        hits = bot.app.bot_data.library.original.searcher.answer(query, 5)
        cards = [b for b in results.buttons if "图片" in b["text"]]
        assert len(cards) == len(hits) >= 1, query
        for hit, button in zip(hits, cards, strict=True):
            assert hit.text in results.text
            caption = (await chat.press_data(results, button["callback_data"])).photos[0].text
            assert caption.split("\n出自 ")[0] == f"“{in_quotes(hit.text)}”", (query, hit.id)


async def test_old_and_stale_card_buttons_under_hits(bot: LocalBot) -> None:
    chat = bot.private()
    results = (await chat.send("/search 抓铁有痕")).messages[0]
    old = await chat.press_data(results, "k|n|2.1")  # a hit button from before: a quote of its section
    assert old.photos and "出自 二（一）" in old.photos[0].text
    gone = await chat.press_data(results, "u|2.1|999")  # a sentence this speech does not have
    assert not gone.photos and gone.answers[0].get("text") == tr("zh", "stale_button")
