"""Hostile files against the import's limits: each refused, how fast, at what memory; and a
member's /search while the owner uploads them.

Each hostile file of issue 24 is built at the size measured there (``tests.hostile``), with a
real speech as .docx and .pdf and a long real-looking text for comparison:

- a .docx whose document.xml is 190 MB of empty paragraphs (and one of 20 MB); one of 20 MB of
  formatted one-character runs, under every .docx cap;
- a PDF page of 2 M text operators; a PDF of 500 full pages; a PDF page inflating to 1 GB;
  a PDF of 100 dense pages, each under the page caps (the characters add up past a text's);
- a .docx numbering 5,000 paragraphs with labels of 480 Roman 32767s;
- a 3 MB .txt of 「。」; a 950 KB generated speech (``benchmarks.library.speech_text``).

Each is imported as the bot imports an upload (``content.formats.isolated``, the default
limits) by a fresh worker process, which prints the wall time and the peak RSS of its one child
(``RUSAGE_CHILDREN``: the import's own memory, whatever the bot holds). Then the real bot runs
against the fake Bot API: a member's /search latency alone, then while the owner uploads the
hostile files one after another (the 20 MB-unpacked .docx among them).

Run: ``.venv/bin/python -m benchmarks.hostile [--small] [--searches 40] [--encoder use|none] [--json]``.
``--small`` builds every file small (just past its limit) for the smoke run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks._report import percentile, report

OWNER, MEMBER = 1001, 2002


def files(small: bool) -> dict[str, tuple[str, Callable[[], bytes]]]:
    """name → (what it is, its builder), at the sizes issue 24 measured or just past each limit."""
    from benchmarks.library import seed_sentences, speech_text
    from tests import documents, hostile

    lines = documents.seed_lines()
    if small:
        return {
            "speech.docx": ("the original speech, Word", lambda: documents.title_block_docx(lines)),
            "empty.docx": ("130 KB of empty paragraphs", lambda: hostile.empty_paragraphs_docx(130_000)),
            "operators.pdf": ("a page of 320 K text operators", lambda: hostile.operators_pdf(320_000)),
            "pages.pdf": ("151 one-line pages", lambda: hostile.full_pages_pdf(151, lines=1)),
            "inflate.pdf": ("a page inflating to 3 MB", lambda: hostile.inflating_pdf(3 * 1024 * 1024)),
            "roman.docx": ("50 labels of 480 Roman 32767s", lambda: hostile.roman_numbering_docx(50, 480)),
            "periods.txt": ("200 KB of 。", lambda: hostile.periods_txt(200_000)),
        }
    return {
        "speech.docx": ("the original speech, Word", lambda: documents.title_block_docx(lines)),
        "speech.pdf": ("the original speech, PDF", lambda: documents.text_pdf(lines)),
        "empty.docx": ("190 MB of empty paragraphs", lambda: hostile.empty_paragraphs_docx(190_000_000)),
        "empty20.docx": ("20 MB of empty paragraphs", lambda: hostile.empty_paragraphs_docx(20_000_000)),
        "markup.docx": ("20 MB of formatted one-character runs: under every .docx cap",
                        lambda: hostile.markup_docx(19_900)),
        "operators.pdf": ("a page of 2 M text operators", lambda: hostile.operators_pdf(2_000_000)),
        "pages.pdf": ("500 full pages", lambda: hostile.full_pages_pdf(500)),
        "dense.pdf": ("100 pages of 4,950 characters: under every cap but the text's",
                      lambda: hostile.full_pages_pdf(100, lines=55)),
        "inflate.pdf": ("a page inflating to 1 GB", lambda: hostile.inflating_pdf(1_000_000_000)),
        "roman.docx": ("5,000 labels of 480 Roman 32767s", lambda: hostile.roman_numbering_docx(5_000, 480)),
        "periods.txt": ("3 MB of 。", lambda: hostile.periods_txt(3_000_000)),
        "long.txt": ("a 950 KB speech", lambda: speech_text(2, 316_000, seed_sentences()).encode()),
    }


def worker(path: str) -> None:
    """One import in its child; prints ``{"seconds", "child_peak_mb", "result"}``."""
    from content.formats.isolated import import_isolated
    from content.parser import SpeechFormatError

    data = Path(path).read_bytes()
    start = time.perf_counter()
    try:
        imported = import_isolated(data, Path(path).name)
        result = f"imported: {len(imported.body):,} characters"
    except SpeechFormatError as error:
        result = f"refused: {error}"
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": round(seconds, 2), "child_peak_mb": round(peak, 1), "result": result},
                     ensure_ascii=False))


def imports(built: dict[str, Path], log: Callable[[str], None]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, path in built.items():
        out = subprocess.run([sys.executable, "-m", "benchmarks.hostile", "--worker", str(path)],
                             capture_output=True, text=True, check=True).stdout
        found[name] = json.loads(out)
        log(f"{name} ({path.stat().st_size / 1024:,.0f} KB): {found[name]}")
    return found


async def searches(built: dict[str, Path], count: int, encoder: str, folder: Path,
                   log: Callable[[str], None]) -> dict[str, Any]:
    """A member's /search latency alone, then while the owner uploads every hostile file."""
    from bot.fake.local import LocalBot
    from bot.settings import Settings

    settings = Settings(token=None, database_url=f"sqlite+aiosqlite:///{folder}/bot.sqlite3",  # type: ignore[call-arg]
                        push_enabled=False, rate_limit=False, admin_ids=frozenset({OWNER}), encoder=encoder,
                        cache_dir=folder / "cache", max_upload_bytes=20_000_000)
    queries = ["慎独", "廉洁自律", "纪律规矩", "干部作风", "抓铁有痕"]
    async with LocalBot(settings) as bot:
        member, owner = bot.private(MEMBER), bot.private(OWNER)
        await member.send("/search 慎独")  # the encoder loads, the index builds

        async def timed(n: int) -> float:
            start = time.perf_counter()
            reply = await member.send(f"/search {queries[n % len(queries)]}")
            assert reply.messages, "the member got no answer"
            return (time.perf_counter() - start) * 1000

        alone = [await timed(n) for n in range(count)]
        hostile = [path for name, path in built.items() if not name.startswith("speech")]
        uploading = True
        refusals: list[str] = []

        async def upload() -> None:
            for path in hostile:
                update = bot.fake.document(OWNER, owner.user, path.read_bytes(), path.name, None, None)
                reply = await bot.process(update, timeout=180)
                refusals.append(reply.text)
            nonlocal uploading
            uploading = False

        task = asyncio.create_task(upload())
        during: list[float] = []
        while uploading and len(during) < 100 * count:
            during.append(await timed(len(during)))
        await task
    for line in refusals:
        log(f"owner: {line}")
    return {"search_alone_p50_ms": round(percentile(alone, 50), 1), "search_alone_max_ms": round(max(alone), 1),
            "search_during_uploads_p50_ms": round(percentile(during, 50), 1) if during else None,
            "search_during_uploads_max_ms": round(max(during), 1) if during else None,
            "searches_during_uploads": len(during), "uploads_refused": sum(t.startswith("❌") for t in refusals)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="every file just past its limit (the smoke run)")
    parser.add_argument("--searches", type=int, default=40, help="searches of the member alone (default 40)")
    parser.add_argument("--encoder", default="use", help="the bot's encoder (default use; none is faster)")
    parser.add_argument("--json", action="store_true", help="only the one-line JSON summary")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return

    def log(line: str) -> None:
        if not args.json:
            print(line, flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        built: dict[str, Path] = {}
        for name, (what, build) in files(args.small).items():
            start = time.perf_counter()
            path = folder / name
            path.write_bytes(build())
            log(f"built {name}: {what}, {path.stat().st_size / 1024:,.0f} KB in {time.perf_counter() - start:.1f} s")
            built[name] = path
        result: dict[str, Any] = {f"{name}": f"{r['seconds']} s, child peak {r['child_peak_mb']} MB: {r['result']}"
                                  for name, r in imports(built, log).items()}
        result.update(asyncio.run(searches(built, args.searches, args.encoder, folder, log)))
    report(result, args.json)


if __name__ == "__main__":
    main()
