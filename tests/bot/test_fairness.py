"""Fair update processing: a burst in one chat does not hold up the others, one chat's updates
run one at a time in order, and the lanes table empties."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update, User

from bot.fairness import FairUpdateProcessor, lane_of
from bot.fake.local import LocalBot


def message_update(update_id: int, chat_id: int) -> Update:
    user = User(id=abs(chat_id), first_name="x", is_bot=False)
    chat = Chat(id=chat_id, type="private")
    return Update(update_id, message=Message(update_id, None, chat, from_user=user))  # type: ignore[arg-type]


async def test_a_burst_in_one_chat_does_not_hold_up_another() -> None:
    processor = FairUpdateProcessor(max_running=4)
    order: list[str] = []
    release = asyncio.Event()

    async def slow(name: str) -> None:
        await release.wait()
        order.append(name)

    async def fast(name: str) -> None:
        order.append(name)

    burst = [asyncio.create_task(processor.process_update(message_update(i, 1), slow(f"a{i}"))) for i in range(40)]
    await asyncio.sleep(0)
    other = asyncio.create_task(processor.process_update(message_update(99, 2), fast("b")))
    await asyncio.wait_for(other, 1)  # done while all forty of chat 1 still wait
    assert order == ["b"] and processor.busy_lanes == 1
    release.set()
    await asyncio.gather(*burst)
    assert order[1:] == [f"a{i}" for i in range(40)]  # one at a time, in the order they came
    assert processor.busy_lanes == 0


async def test_updates_without_a_chat_or_user_still_run() -> None:
    processor = FairUpdateProcessor(max_running=1)
    done: list[int] = []

    async def work() -> None:
        done.append(1)

    await processor.process_update(object(), work())
    assert done == [1] and lane_of(object()) is None


async def test_the_bot_answers_another_chat_during_a_burst_of_searches(bot: LocalBot) -> None:
    searcher, reader = bot.private(user_id=6001), bot.private(user_id=6002)
    await searcher.send("/search 慎独")  # the encoder is loaded
    burst = [bot.fake.message(6001, searcher.user, f"/search 纪律 {n}") for n in range(30)]
    today = await reader.send("/today")  # answered while the burst waits in its own lane
    assert "今日一慎" in today.text
    for update in burst:
        await bot.process(update, timeout=60)
    assert len(bot.fake.calls_to("sendMessage", 6001)) == 1 + len(burst)  # every search answered
