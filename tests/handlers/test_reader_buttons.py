"""The "📖 阅读器" button: a web_app button in private chats, the Mini App's direct link in groups
(Telegram refuses web_app buttons there), none without SPEECHBOT_WEBAPP_URL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.fake.local import LocalBot
from bot.fake.validate import ApiError, check_markup
from tests.conftest import bot_settings

URL = "https://reader.example.org/app/"


@pytest.fixture
async def with_reader(tmp_path: Path) -> AsyncIterator[LocalBot]:
    async with LocalBot(bot_settings(tmp_path, webapp_url=URL, webapp_short_name="reader")) as running:
        yield running


def reader_buttons(buttons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [b for b in buttons if "阅读器" in b["text"] or "Reader" in b["text"]]


async def test_private_chats_get_a_web_app_button_in_start_outline_and_under_each_section(
        with_reader: LocalBot) -> None:
    chat = with_reader.private(5101)
    (start,) = (await chat.send("/start")).messages
    assert reader_buttons(start.buttons) == [{"text": "📖 阅读器", "web_app": {"url": URL}}]
    (outline,) = (await chat.send("/outline")).messages
    assert reader_buttons(outline.buttons) == [{"text": "📖 阅读器", "web_app": {"url": URL}}]
    shown = (await chat.send("/show 四（二）")).messages
    assert reader_buttons(shown[-1].buttons) == [{"text": "📖 阅读器", "web_app": {"url": URL + "?node=4.2"}}]
    part = (await chat.press(outline, "四、")).edited[-1]  # in place: the part's outline
    points = (await chat.press(part, "四（二）")).edited[-1]  # the section's points
    section = (await chat.press(points, "阅读全文")).edited[-1]  # its text, in place
    assert reader_buttons(section.buttons) == [{"text": "📖 阅读器", "web_app": {"url": URL + "?node=4.2"}}]
    english = with_reader.private(5102, language_code="en")
    assert reader_buttons((await english.send("/start")).messages[0].buttons)[0]["text"] == "📖 Reader"


async def test_groups_get_the_direct_link_with_the_section_to_open(with_reader: LocalBot) -> None:
    group = with_reader.group(-5201, 5201)
    (outline,) = (await group.send("/outline")).messages
    # The group's text, named: without it the reader would open the member's own current text.
    assert reader_buttons(outline.buttons) == [{"text": "📖 阅读器",
                                                "url": "https://t.me/speech_test_bot/reader?startapp=t1"}]
    shown = (await group.send("/show 4.2")).messages
    assert reader_buttons(shown[-1].buttons) == [
        {"text": "📖 阅读器", "url": "https://t.me/speech_test_bot/reader?startapp=s4-2"}]
    assert not (await group.send("/show 4.2")).errors


async def test_a_texts_reader_button_names_it(with_reader: LocalBot) -> None:
    from tests.library_texts import FITTING, add_text

    text_id = await add_text(with_reader.store, FITTING, "坚守廉洁底线")
    await with_reader.store.chats.configure(-5301, "group", text_id=text_id)
    await with_reader.store.chats.configure(5301, "private", text_id=text_id)
    group, chat = with_reader.group(-5301, 5301), with_reader.private(5301)
    assert reader_buttons((await group.send("/outline")).messages[0].buttons) == [
        {"text": "📖 阅读器", "url": f"https://t.me/speech_test_bot/reader?startapp=t{text_id}"}]
    assert reader_buttons((await group.send("/show 1.2")).messages[-1].buttons) == [
        {"text": "📖 阅读器", "url": f"https://t.me/speech_test_bot/reader?startapp=t{text_id}s1-2"}]
    assert reader_buttons((await chat.send("/show 1.2")).messages[-1].buttons) == [
        {"text": "📖 阅读器", "web_app": {"url": URL + f"?text={text_id}&node=1.2"}}]


async def test_without_a_reader_url_there_is_no_button(bot: LocalBot) -> None:
    chat = bot.private(5301)
    for command in ("/start", "/outline", "/show 4.2"):
        assert not reader_buttons((await chat.send(command)).messages[-1].buttons), command


async def test_without_a_short_name_groups_get_no_button(tmp_path: Path) -> None:
    async with LocalBot(bot_settings(tmp_path, webapp_url=URL)) as running:
        assert not reader_buttons((await running.group(-5401, 5401).send("/outline")).messages[0].buttons)
        assert reader_buttons((await running.private(5401).send("/outline")).messages[0].buttons)


def test_the_fake_refuses_web_app_buttons_where_telegram_does() -> None:
    markup = {"inline_keyboard": [[{"text": "📖", "web_app": {"url": URL}}]]}
    assert check_markup(markup, 5) == markup
    with pytest.raises(ApiError, match="BUTTON_TYPE_INVALID"):
        check_markup(markup, -5)
    with pytest.raises(ApiError, match="BUTTON_URL_INVALID"):
        check_markup({"inline_keyboard": [[{"text": "📖", "web_app": {"url": "http://x/app/"}}]]}, 5)


def test_the_reader_url_must_be_https() -> None:
    from bot.settings import SettingsError, load_settings

    with pytest.raises(SettingsError, match="https"):
        load_settings(webapp_url="http://reader.example.org/app/", token=None)
