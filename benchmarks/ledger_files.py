"""The 学习台账's files: time (wall and CPU, median of ``--runs``) to build the .xlsx and the
.docx of a synthetic group for a month and for a year, their sizes, and the peak RSS of a fresh
process that builds each one (the records are built in memory; the database part is measured
elsewhere).
Run: ``.venv/bin/python -m benchmarks.ledger_files [--members 500] [--reflections 5000] [--json]``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from benchmarks._report import report
from content.ledger.docx import to_docx
from content.ledger.record import Ledger, MemberRow, QuizSession, Reflection, Session
from content.ledger.xlsx import to_xlsx

YEAR = 2026
WORDS = "坚持严的基调严的措施严的氛围慎独慎初慎微慎友以案促改以案促治全面从严治党永远在路上"


def synthetic(members: int, reflections: int, seed: int = 7) -> Ledger:
    """A group's year: a session and a quiz every day over 28 passages, ``reflections`` spread
    over the year's days and passages."""
    rng = random.Random(seed)
    first = date(YEAR, 1, 1)
    days = [first + timedelta(days=n) for n in range(365)]
    names = [f"成员{n:03d}" for n in range(members)]

    def text(length: int) -> str:
        return "".join(rng.choice(WORDS) for _ in range(length)) + "。"

    passages = [(f"{part}（{point}）", text(12)) for part in "一二三四" for point in "一二三四五六七"]
    sessions = tuple(Session(day, *passages[n % len(passages)], "《原讲话》", rng.randint(members // 3, members),
                             members) for n, day in enumerate(days))
    quizzes = tuple(QuizSession(day, text(40), passages[n % len(passages)][0], rng.randint(10, members // 2),
                                rng.randint(5, members // 4)) for n, day in enumerate(days))
    notes = tuple(sorted((Reflection(rng.choice(days), rng.choice(names), *rng.choice(passages),
                                     text(rng.randint(80, 600))) for _ in range(reflections)), key=lambda r: r.day))
    rows = tuple(MemberRow(name, rng.randint(0, 365), rng.randint(0, 365), rng.randint(0, 200), rng.randint(0, 20))
                 for name in names)
    return Ledger("第三党支部学习小组", first, date(YEAR, 12, 31), "Asia/Shanghai", sessions, rows, members // 10,
                  notes, quizzes)


def month_of(ledger: Ledger, month: int) -> Ledger:
    """The ``month`` of a year's ledger."""
    start = date(YEAR, month, 1)
    end = (date(YEAR, month + 1, 1) if month < 12 else date(YEAR + 1, 1, 1)) - timedelta(days=1)

    def inside(day: date) -> bool:
        return start <= day <= end

    return replace(ledger, start=start, end=end,
                   sessions=tuple(s for s in ledger.sessions if inside(s.day)),
                   reflections=tuple(r for r in ledger.reflections if inside(r.day)),
                   quizzes=tuple(q for q in ledger.quizzes if inside(q.day)))


def measure(case: tuple[str, str, int, int, int]) -> dict[str, float]:
    """In a fresh process: build the ledger, then the file ``runs`` times (median time)."""
    span, form, members, reflections, runs = case
    ledger = synthetic(members, reflections)
    if span == "month":
        ledger = month_of(ledger, 12)
    build: Callable[[Ledger], bytes] = to_xlsx if form == "xlsx" else to_docx
    times, cpu, size = [], [], 0
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        size = len(build(ledger))
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    return {"seconds": statistics.median(times), "cpu": statistics.median(cpu), "kb": size / 1024,
            "peak_mb": peak_kb / 1024, "sessions": len(ledger.sessions), "reflections": len(ledger.reflections)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--reflections", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    spawn = multiprocessing.get_context("spawn")
    result: dict[str, object] = {"members": args.members, "reflections_in_year": args.reflections}
    for span in ("month", "year"):
        for form in ("xlsx", "docx"):
            with spawn.Pool(1) as pool:
                figures = pool.apply(measure, ((span, form, args.members, args.reflections, args.runs),))
            result[f"{span} {form}"] = (f"{figures['seconds']:.2f} s ({figures['cpu']:.2f} s CPU), "
                                        f"{figures['kb']:.0f} KB, "
                                        f"peak RSS {figures['peak_mb']:.0f} MB ({figures['sessions']:.0f} sessions, "
                                        f"{figures['reflections']:.0f} reflections)")
    report(result, args.json)


if __name__ == "__main__":
    main()
