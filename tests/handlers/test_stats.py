"""/stats: the owner's report for SPEECHBOT_ADMIN_IDS, and exactly an unknown command for everyone else."""

from __future__ import annotations

from pathlib import Path

from bot.fake.local import LocalBot
from tests.conftest import bot_settings

OWNER = 1001


def sent(reply: object) -> list[dict[str, object]]:
    """What the bot sent, as the raw request parameters (chat id aside)."""
    return [{k: v for k, v in call.params.items() if k != "chat_id"}
            for call in reply.calls if call.method == "sendMessage"]  # type: ignore[attr-defined]


async def test_the_owner_sees_counts_and_searches_that_found_nothing(tmp_path: Path) -> None:
    async with LocalBot(bot_settings(tmp_path, admin_ids=frozenset({OWNER}))) as bot:
        owner = bot.private(OWNER)
        await owner.send("/subscribe 07:30")
        for text in ("足球比赛", "足球比赛", "/search 量子计算机", "慎独"):  # two texts miss, one finds
            await owner.send(text)
        report = (await owner.send("/stats")).text
        assert report.startswith("📊 运行概况")
        assert "• private：1 / 1" in report and "• Asia/Shanghai 07 点：1" in report
        assert "• “足球比赛”：2 次\n• “量子计算机”：1 次" in report and "慎独" not in report
        assert str(OWNER) not in report  # counts, never ids


async def test_for_anyone_else_stats_is_exactly_an_unknown_command(tmp_path: Path) -> None:
    async with LocalBot(bot_settings(tmp_path, admin_ids=frozenset({OWNER}))) as bot:
        stranger = bot.private(2002)
        assert sent(await stranger.send("/stats")) == sent(await stranger.send("/nosuchcommand"))
        member = bot.group(chat_id=-7001, user_id=2003)
        assert (await member.send("/stats")).calls == [] == (await member.send("/nosuchcommand")).calls
        addressed = sent(await member.send("/stats@speech_test_bot"))
        assert addressed and addressed == sent(await member.send("/nosuchcommand@speech_test_bot"))
        owner_in_group = bot.group(chat_id=-7001, user_id=OWNER)
        assert (await owner_in_group.send("/stats")).text.startswith("📊")  # the owner, wherever they ask
