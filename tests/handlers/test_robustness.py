"""Bad input: whatever a user types, the bot answers within Telegram's limits and never crashes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import BotThread

COMMANDS = ["/search", "/show", "/quote", "/summary", "/shen", "/start", "/settime", "/timezone", "/subscribe",
            "/today", "/outline", "/help", "/card", "/plan", "/progress", "/quiz", "/rank", "/saved", "/privacy",
            "/forget", "/stats"]
ARGUMENTS = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=50),
    st.sampled_from(["4.2", "四（二）", "０", "-1", "99.99.99", "<b>", "&amp;", "\u202e", "\u200b", "🙂" * 100,
                     "25:99", "Mars/Phobos", "../../etc/passwd", "慎" * 5000, "\x00"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(command=st.sampled_from(COMMANDS), argument=ARGUMENTS)
def test_any_command_argument_gets_an_answer_within_limits(bot_thread: BotThread, command: str,
                                                           argument: str) -> None:
    chat = bot_thread.bot.private(user_id=5001)
    reply = bot_thread.run(chat.send(f"{command} {argument}"))
    assert reply.messages or reply.photos or reply.polls, f"no answer to {command} {argument!r}"
    assert not reply.errors, [c.error.description for c in reply.errors if c.error]
    for message in reply.messages:
        assert len(message.text.encode("utf-16-le")) // 2 <= 4096
        assert "抱歉，出了点问题" not in message.text  # the error handler was not needed
    for photo in reply.photos:
        assert len(photo.text.encode("utf-16-le")) // 2 <= 1024


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=300).filter(lambda s: s.strip() and not s.startswith("/")))
def test_any_private_text_is_answered(bot_thread: BotThread, text: str) -> None:
    reply = bot_thread.run(bot_thread.bot.private(user_id=5002).send(text))
    assert reply.messages and not reply.errors
