"""A group's 学习台账 at size: the record built from the database and exported, a month and a year.

One group of ``--members`` members (``--joined`` of them joined by name) with a year (2026) of
daily plan days (21-day plans of the original speech, one after the other), about 60 % of the
members marking each day ✅, a quiz a day answered by about a fifth of them, and ``--notes``
心得, inserted in bulk into SQLite (a temporary file) and PostgreSQL (``--database-url``: a
scratch database on that server, dropped after). Then, on each backend: ``collect`` (the store's
queries and ``build_ledger``: what /ledger and ``speechbot ledger`` run) for December and for the
whole year, and the exports (``to_xlsx``, ``to_docx``) of each, the median of ``--runs``; the
files' sizes and the process's peak RSS so far (SQLite first, so PostgreSQL's includes it).

Run: ``.venv/bin/python -m benchmarks.ledger [--database-url postgresql+asyncpg://…] [--json]``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks._report import report, scratch_database

CHAT = -100_500_500
PLAN_DAYS = 21
YEAR = 2026


async def seed(store: Any, members: int, joined: int, notes: int) -> dict[str, int]:
    """The year of one group, in bulk; how many rows of each kind."""
    from sqlalchemy import insert

    from bot.storage.tables import AnswerRow, LedgerMemberRow, LedgerRow, PlanDayRow, QuizRow, ReadingRow, ReflectionRow
    from content import load_speech
    from content.plan import plan, reading_key
    from content.quiz import all_questions

    rng = random.Random(26)
    speech = load_speech()
    passages = plan(speech, PLAN_DAYS)
    questions = all_questions(speech)
    at = datetime(YEAR, 1, 1, tzinfo=UTC)
    users = list(range(10_000, 10_000 + members))
    days, readings, quizzes, answers = [], [], [], []
    first = date(YEAR, 1, 1)
    for n in range(365):
        today = first + timedelta(days=n)
        start = first + timedelta(days=n - n % PLAN_DAYS)
        day = n % PLAN_DAYS + 1
        days.append({"chat_id": CHAT, "local_date": today, "text_id": 1, "start_date": start, "days": PLAN_DAYS,
                     "day": day, "members": members + rng.randint(-5, 5), "posted_at": at})
        ids = ",".join(dict.fromkeys(passages[day - 1].ids))[:200]
        key = reading_key(start, PLAN_DAYS, day)
        readings += [{"user_id": u, "chat_id": CHAT, "day": key, "passage": ids, "read_on": today}
                     for u in users if rng.random() < 0.6]
        poll = f"bench-{n}"
        sent = datetime(today.year, today.month, today.day, 1, 0, tzinfo=UTC)
        question = questions[n % len(questions)]
        quizzes.append({"poll_id": poll, "chat_id": CHAT, "question": question.key, "correct": question.correct,
                        "anonymous": False, "sent_at": sent})
        answers += [{"poll_id": poll, "user_id": u, "chat_id": CHAT, "name": f"成员{u}", "correct": rng.random() < 0.7,
                     "week": "2026-W01", "answered_at": sent + timedelta(minutes=5)}
                    for u in users if rng.random() < 0.2]
    nodes = [node.id for node in speech.nodes()]
    reflections = [{"user_id": rng.choice(users), "chat_id": CHAT, "text_id": 1, "node_id": rng.choice(nodes),
                    "body": "学习心得：" + "要把纪律挺在前面，" * rng.randint(2, 30),
                    "written_at": at + timedelta(minutes=rng.randrange(365 * 24 * 60))} for _ in range(notes)]
    named = [{"chat_id": CHAT, "user_id": u, "name": f"成员{u}", "joined_at": at} for u in users[:joined]]
    async with store.db.sessions.begin() as session:
        await session.execute(insert(LedgerRow).values(chat_id=CHAT, enabled=True, since=at, title="第三党支部学习小组",
                                                       updated_at=at))
        for model, rows in ((PlanDayRow, days), (ReadingRow, readings), (QuizRow, quizzes), (AnswerRow, answers),
                            (ReflectionRow, reflections), (LedgerMemberRow, named)):
            for chunk in range(0, len(rows), 5000):
                await session.execute(insert(model), rows[chunk:chunk + 5000])
    return {"plan_days": len(days), "readings": len(readings), "quizzes": len(quizzes), "answers": len(answers),
            "reflections": len(reflections), "joined": len(named)}


async def measure(url: str, args: argparse.Namespace) -> dict[str, Any]:
    from bot.intake import makers
    from bot.settings import Settings
    from bot.storage import Store
    from content import load_speech
    from content.ledger.docx import to_docx
    from content.ledger.xlsx import to_xlsx
    from content.library import Library
    from handlers.ledger_build import Period, collect
    from handlers.shelf import Shelf

    settings = Settings(token=None, database_url=url, encoder="none")
    store = await Store.open(settings)
    try:
        started = time.perf_counter()
        rows = await seed(store, args.members, args.joined, args.notes)
        seeded = time.perf_counter() - started
        shelf = Shelf(Library.of(load_speech(), makers(settings)), store.texts)
        result: dict[str, Any] = {"rows": rows, "seed_s": round(seeded, 1)}
        for name, period in (("month", Period.month(YEAR, 12)), ("year", Period.year(YEAR))):
            builds, xlsx, docx = [], [], []
            for _ in range(args.runs):
                started = time.perf_counter()
                ledger = await collect(store.ledger, store.study, shelf.book, CHAT, "第三党支部学习小组",
                                       "Asia/Shanghai", period, date(YEAR, 12, 31), "zh")
                builds.append(time.perf_counter() - started)
                started = time.perf_counter()
                workbook = to_xlsx(ledger, "zh")
                xlsx.append(time.perf_counter() - started)
                started = time.perf_counter()
                document = to_docx(ledger, "zh")
                docx.append(time.perf_counter() - started)
            result[name] = {"sessions": len(ledger.sessions), "reflections": len(ledger.reflections),
                            "build_s": round(statistics.median(builds), 3),
                            "xlsx_s": round(statistics.median(xlsx), 3), "docx_s": round(statistics.median(docx), 3),
                            "total_s": round(statistics.median(builds) + statistics.median(xlsx)
                                             + statistics.median(docx), 3),
                            "xlsx_kb": len(workbook) // 1024, "docx_kb": len(document) // 1024}
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        return result
    finally:
        await store.close()


async def run(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        async with scratch_database(None, Path(folder), "ledger") as url:
            results["sqlite"] = await measure(url, args)
        if args.database_url:
            async with scratch_database(args.database_url, Path(folder), "ledger") as url:
                results["postgresql"] = await measure(url, args)
    return results


def table(results: dict[str, Any]) -> str:
    lines = ["| backend | period | sessions | 心得 | build | .xlsx | .docx | total | .xlsx KB | .docx KB | peak RSS |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for backend, result in results.items():
        for period in ("month", "year"):
            r = result[period]
            lines.append(f"| {backend} | {period} | {r['sessions']} | {r['reflections']} | {r['build_s']} s | "
                         f"{r['xlsx_s']} s | {r['docx_s']} s | {r['total_s']} s | {r['xlsx_kb']} | {r['docx_kb']} | "
                         f"{result['peak_rss_mb']} MB |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--joined", type=int, default=200)
    parser.add_argument("--notes", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default=None, help="PostgreSQL server for the second run")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = asyncio.run(run(args))
    if args.json:
        report(results, True)
        return
    for backend, result in results.items():
        print(f"{backend}: rows {result['rows']}, seeded in {result['seed_s']} s")
    print(table(results))


if __name__ == "__main__":
    main()
