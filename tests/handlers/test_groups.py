"""Groups: /cmd@BotName, introductions, quiet about other bots' commands, concise replies."""

from __future__ import annotations

from bot.fake.local import LocalBot


async def test_commands_addressed_to_the_bot_work_in_groups(bot: LocalBot) -> None:
    reply = await bot.group().send("/search@speech_test_bot 慎独")
    assert "<b>慎独</b>" in reply.html


async def test_other_bots_commands_and_unknown_ones_are_ignored_in_groups(bot: LocalBot) -> None:
    group = bot.group()
    assert (await group.send("/search@other_bot 慎独")).messages == []
    assert (await group.send("/foo")).messages == []
    assert (await group.send("/foo@speech_test_bot")).text == "不认识这个命令。发送 /help 查看全部命令。"


async def test_chinese_aliases_for_another_bot_are_ignored_too(bot: LocalBot) -> None:
    group = bot.group()
    assert (await group.send("/搜索@other_bot 慎独")).messages == []
    assert (await group.send("/目录@other_bot")).messages == []
    assert (await group.send("/目录@Speech_Test_Bot")).text.startswith("📖 目录")


async def test_unknown_command_in_private_gets_a_hint(bot: LocalBot) -> None:
    assert "/help" in (await bot.private().send("/whatever")).text
    assert "/help" in (await bot.private().send("/随便")).text


async def test_chinese_aliases_work_although_telegram_has_no_chinese_commands(bot: LocalBot) -> None:
    assert (await bot.private().send("/目录")).text.startswith("📖 目录")
    assert "<b>慎独</b>" in (await bot.private().send("/搜索 慎独")).html


async def test_added_to_a_group_it_introduces_itself_once(bot: LocalBot) -> None:
    admin = bot.fake.user(3001, "管理员")
    first = await bot.process(bot.fake.membership(-4100, admin, "left", "member"))
    assert "讲话学习助手" in first.text
    promoted = await bot.process(bot.fake.membership(-4100, admin, "member", "administrator"))
    assert promoted.messages == []  # still present: no second introduction
    await bot.process(bot.fake.membership(-4100, admin, "administrator", "left"))
    again = await bot.process(bot.fake.membership(-4100, admin, "left", "member"))
    assert "讲话学习助手" in again.text


async def test_group_search_is_concise(bot: LocalBot) -> None:
    def hits(text: str) -> int:
        return sum(1 for line in text.split("\n\n") if line[:2] in {f"{n}." for n in range(1, 10)})

    reply = await bot.group().send("/search 腐败")
    assert hits(reply.text) == 3  # three hits in a group
    private = await bot.private().send("/search 腐败")
    assert hits(private.text) == 4  # every node that says 腐败: up to five in private


async def test_edited_messages_are_not_answered_twice(bot: LocalBot) -> None:
    update = bot.fake.push({"edited_message": {"message_id": 99, "from": bot.fake.user(), "chat": {
        "id": 1001, "type": "private", "first_name": "x"}, "date": 0, "edit_date": 1, "text": "/today",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}})
    assert (await bot.process(update)).messages == []
