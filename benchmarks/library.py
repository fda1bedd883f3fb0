"""A library of texts at size: importing, searching across it, memory, and a warm start.

``--texts`` speeches of about ``--chars`` characters are generated with a fixed seed
(``speeches``): each a valid speech in the project's format (a title block, 同志们：, a preface,
parts 一、 with sections （一） and points 一是…, a closing), made of the seed speech's sentences,
recombined and varied, and generated ones; every text has its own digest. Then:

1. Import, per text, as an upload does: the file read (``content.formats.import_file``), stored
   (``bot.intake.add_text``), made a book (``Library.add``) and its services built once with the
   bot's makers (``Book.ready``: the precise index, the embeddings by the real encoder, the
   summaries in a child process, the 慎 ranking), each stage timed. "Without the encoder" leaves out the
   embeddings, the ranking and the warm-up query. A few texts also as Word files
   (``tests.documents``): their read time, and that they store as the same text.
2. Search across the library (``search_books`` over every book, the original too) with a fixed
   list of queries (Chinese questions, keywords, pinyin, English, phrases cut from the texts):
   the library's very first search apart (each book builds what it builds on its first query),
   then each query the first time it is asked (cold: its vector is in no book's cache) and again
   (warm).
   Then with the library's LRU smaller than the library (``--capacity``, the bot's default
   ``library_books``) and larger: each search loads the texts it misses from the database and
   the disk caches, as ``handlers.texts.book_of`` does.
3. Memory: this process's RSS with every book in memory (and per book), and its peak.
4. Start-up with a warm cache: a fresh process opens the database, loads every book from the
   disk caches (the texts it encodes are counted: none) and answers one library search.

The database is a temporary SQLite file, or ``--database-url`` (PostgreSQL: a scratch database
is created on that server and dropped after). ``--profile`` prints where a cold library search
spends its time. Run: ``.venv/bin/python -m benchmarks.library [--texts 200] [--chars 10000]
[--encoder use|none] [--json]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks._report import percentile, scratch_database

if TYPE_CHECKING:
    from bot.storage import TextRepository
    from content.library import Book, Library

ROOT = Path(__file__).resolve().parents[1]
NUMERALS = "一二三四五六七八九十"

# What generated sentences are made of: the county's own work, in the speech's words.
VERBS = ("坚持", "深化", "推进", "落实", "加强", "完善", "健全", "压实", "强化", "提升", "巩固", "统筹", "抓实", "优化")
WORK = ("党风廉政建设", "作风建设", "项目攻坚", "招商引资", "财税收支", "国有资产管理", "城市更新", "基础设施配套",
        "乡村振兴", "营商环境", "安全生产", "生态环境保护", "民生保障", "基层治理", "干部队伍建设", "理论学习",
        "纪律教育", "监督执纪", "政务服务", "产业升级", "耕地保护", "防汛救灾", "教育医疗", "就业创业")
MEASURES = ("建立台账、挂图作战", "定期调度、跟踪问效", "明确责任、压茬推进", "动态监测、及时预警",
            "对标对表、查漏补缺", "清单管理、销号落实", "专班推进、一线督办", "月调度、季通报", "领导包联、部门协同")
GOALS = ("让群众有更多获得感", "确保各项任务落地见效", "推动高质量发展", "守住廉洁自律的底线", "形成风清气正的政治生态",
         "把制度优势转化为治理效能", "以实干实绩检验成效", "切实做到慎初慎微慎独慎友", "为全县发展提供坚强保障")
QUALITIES = ("鲜明", "有力", "高效", "深入", "扎实", "清朗", "坚强", "持久")
TITLES = ("坚持“慎”字当头", "筑牢廉洁自律防线", "抓实项目攻坚", "优化营商环境", "推进城市更新", "守牢安全底线",
          "建设清廉机关", "深化作风建设", "奋力实现高质量发展", "锤炼过硬作风")
OCCASIONS = ("政府系统廉政工作会议", "县委理论学习中心组学习会", "项目建设推进会", "招商引资工作会议", "作风建设大会",
             "经济工作会议", "警示教育大会", "城市更新工作会议")
ROLES = ("县长", "县委书记", "副县长", "县纪委书记", "常务副县长")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华"
PLACES = "东西南北青白石桥河山安平宁川"
TEMPLATES = (
    "{place}要{verb}{work}，{measure}，{goal}。",
    "今年全县{work}计划完成投资{n}亿元，要{measure}，{goal}。",
    "{verb}{work}，关键在{work2}，要{measure}，{goal}。",
    "各级领导干部要带头{verb}{work}，做到{verb2}{work2}，{goal}。",
    "要把{work}摆在更加突出的位置，{measure}，坚决{verb2}{work2}。",
    "截至{month}月底，{work}已完成年度目标的{pct}%，下一步要{measure}，{goal}。",
    "{place}在{work}上有{n}个重点项目，要逐一{measure}，{goal}。",
    "实践证明，{work}抓得实不实，直接关系到{work2}的成效，必须{verb}再{verb2}。",
)
FIXED_QUERIES = (
    "慎独", "纪律规矩", "招商引资", "如何抓好落实？", "怎样做到对党绝对忠诚", "党风廉政建设的重点工作是什么",
    "国有资产怎么盘活", "城市更新有哪些任务", "为什么要坚持慎字当头", "抓铁有痕", "yi gang shuang ze",
    "how should officials stay honest", "what are the priorities for attracting investment", "今天天气怎么样",
    "乡村振兴", "营商环境怎么优化",
)
_MARKER = re.compile(rf"^(?:[（(][{NUMERALS}]+[）)]|[{NUMERALS}]+[是要、])")


# --- the texts -------------------------------------------------------------------------------


def seed_sentences() -> list[str]:
    """The seed speech's sentences that can stand anywhere: no markers (（一）, 一是), no
    salutation at their start, no quotation left open."""
    from content import load_speech

    found = []
    for _, sentence in load_speech().sentence_units():
        text = _MARKER.sub("", sentence.strip())
        markers = re.search(rf"[{NUMERALS}][是要]|[（(][{NUMERALS}]", text)
        if (8 <= len(text) <= 160 and text[-1] in "。！？；" and text.count("“") == text.count("”")
                and not text.startswith(("同志们", "各位")) and not markers):
            found.append(text)
    return found


class Writer:
    """Sentences for one text: the seed's, recombined or varied, and generated ones; the
    place and the figures are the text's own, so no two texts are alike."""

    def __init__(self, rng: random.Random, pool: list[str]) -> None:
        self.rng = rng
        self.pool = pool
        self.place = rng.choice(PLACES) + rng.choice(PLACES) + "镇"

    def sentence(self) -> str:
        roll = self.rng.random()
        if roll < 0.2:
            return self.rng.choice(self.pool)
        if roll < 0.5:  # one clause of a seed sentence swapped for another's
            first, second = self.rng.choice(self.pool), self.rng.choice(self.pool)
            clauses, others = re.split("(?<=，)", first[:-1]), re.split("(?<=，)", second[:-1])
            clauses[self.rng.randrange(len(clauses))] = self.rng.choice(others).rstrip("，") + (
                "，" if len(clauses) > 1 else "")
            text = "".join(clauses).rstrip("，") + "。"
            return text if text.count("“") == text.count("”") else first
        rng = self.rng
        return rng.choice(TEMPLATES).format(
            place=self.place, verb=rng.choice(VERBS), verb2=rng.choice(VERBS), work=rng.choice(WORK),
            work2=rng.choice(WORK), measure=rng.choice(MEASURES), goal=rng.choice(GOALS), n=rng.randint(3, 90),
            month=rng.randint(2, 11), pct=rng.randint(35, 98))

    def heading(self) -> str:
        rng = self.rng
        first, second = rng.choice(VERBS) + rng.choice(WORK), rng.choice(VERBS) + rng.choice(WORK)
        return f"{first}，{second}，让{rng.choice(WORK)}更{rng.choice(QUALITIES)}"


def speech_text(number: int, chars: int, pool: list[str], seed: int = 18) -> str:
    """Text ``number`` of the library: a title block, 同志们：, a preface, 3-5 parts of 2-5
    sections (a third of them with points 一是…), a closing; about ``chars`` characters."""
    rng = random.Random(seed * 100_003 + number)
    writer = Writer(rng, pool)
    name = rng.choice(SURNAMES) + "　" + rng.choice(GIVEN) + ("　" + rng.choice(GIVEN) if rng.random() < 0.5 else "")
    title = f"{rng.choice(TITLES)}　{rng.choice(TITLES)}　第{number}讲"
    block = [title, f"——在{writer.place}{rng.choice(OCCASIONS)}上的讲话", f"{rng.choice(ROLES)}　{name}",
             f"（{rng.randint(2019, 2025)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日）", "同志们："]
    # Containers of sentences: the preface, each part's introduction, each section's lead and points.
    preface: list[str] = [writer.sentence() for _ in range(3)]
    closing: list[str] = [writer.sentence()]
    parts: list[tuple[str, list[str], list[tuple[str, list[str], list[list[str]]]]]] = []
    for _ in range(rng.randint(3, 5)):
        sections = []
        for _ in range(rng.randint(2, 5)):
            points = [[writer.sentence()] for _ in range(rng.randint(2, 4))] if rng.random() < 0.35 else []
            sections.append((f"{rng.choice(VERBS)}{rng.choice(WORK)}", [writer.sentence()], points))
        parts.append((writer.heading(), [writer.sentence()] if rng.random() < 0.4 else [], sections))
    bins: list[list[str]] = [preface, closing, *(intro for _, intro, _ in parts if intro),
                             *(lead for _, _, sections in parts for _, lead, _ in sections),
                             *(point for _, _, sections in parts for _, _, points in sections for point in points)]
    size = sum(map(len, block)) + sum(len(s) for b in bins for s in b) + 200  # headings and markers
    while size < chars:
        sentence = writer.sentence()
        rng.choice(bins).append(sentence)
        size += len(sentence)
    lines = [*block, "".join(preface)]
    for p, (heading, intro, sections) in enumerate(parts):
        lines.append(f"{NUMERALS[p]}、{heading}")
        lines += ["".join(intro)] if intro else []
        for s, (section_title, lead, points) in enumerate(sections):
            marked = "".join(f"{NUMERALS[i]}是{''.join(point)}" for i, point in enumerate(points))
            lines.append(f"（{NUMERALS[s]}）{section_title}。{''.join(lead)}{marked}")
    lines.append("同志们，" + "".join(closing))
    return "\n".join(lines) + "\n"


def speeches(count: int, chars: int, folder: Path) -> list[Path]:
    """Write the library's ``.txt`` files; every one parses and has its own digest."""
    from content.formats import import_file
    from content.library import digest

    pool = seed_sentences()
    paths, seen = [], set()
    for number in range(count):
        path = folder / f"text-{number + 2:03d}.txt"
        path.write_text(speech_text(number + 2, chars, pool), "utf-8")
        key = digest(import_file(path).body)
        assert key not in seen, f"{path.name} repeats another text"
        seen.add(key)
        paths.append(path)
    return paths


QUERY_SEED = 5


def queries(paths: Sequence[Path], count: int) -> list[str]:
    """The fixed queries, then phrases cut from the texts (seeded) up to ``count``."""
    rng = random.Random(QUERY_SEED)
    found = list(FIXED_QUERIES[:count])
    while len(found) < count:
        body = paths[rng.randrange(len(paths))].read_text("utf-8").split("同志们：", 1)[1]
        clauses = [c for c in re.split(r"[，。；：、“”！？\n]", body) if len(c) >= 6]
        clause = rng.choice(clauses)
        start = rng.randrange(len(clause) - 3)
        found.append(clause[start:start + rng.randint(4, 10)])
    return found


# --- measuring -------------------------------------------------------------------------------


def ms(values: Sequence[float]) -> dict[str, float]:
    """p50, p99 and max of ``values`` (seconds) in milliseconds."""
    return {"p50_ms": round(percentile(list(values), 50) * 1000, 1),
            "p99_ms": round(percentile(list(values), 99) * 1000, 1), "max_ms": round(max(values) * 1000, 1)}


def rss_mb() -> tuple[float, float]:
    """This process's resident memory now and at its peak, MB. The peak is VmHWM, not
    ``ru_maxrss``: Linux carries ``ru_maxrss`` over ``exec`` from the forking parent."""
    import psutil

    status = Path("/proc/self/status").read_text()
    peak = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
    return round(psutil.Process().memory_info().rss / 2**20, 1), round(peak / 1024, 1)


async def load(library: Library, texts: TextRepository, text_id: int) -> Book:
    """A text's book from memory, else from the database (``handlers.texts.book_of``)."""
    book = library.get(text_id)
    if book is None:
        record = await texts.text(text_id)
        assert record is not None
        book = library.add(record.info, record.body)
    return book


FIRST_QUERIES = ("怎样抓好作风建设", "如何守住廉洁底线")  # the first search and the profiled one: not in the workload
STAGES = ("read", "store", "book", "index", "embeddings", "summaries", "ranking", "warm_query")
ENCODER_STAGES = ("embeddings", "ranking", "warm_query")


async def import_all(paths: Sequence[Path], library: Library, texts: TextRepository) -> dict[str, list[float]]:
    """Import every file as an upload does, timing each stage (``STAGES``) per text."""
    from bot.intake import add_text
    from content.formats import import_file

    stages: dict[str, list[float]] = {stage: [] for stage in STAGES}

    def lap(stage: str, started: float) -> float:
        now = time.perf_counter()
        stages[stage].append(now - started)
        return now

    for path in paths:
        t = time.perf_counter()
        imported = import_file(path)
        t = lap("read", t)
        stored = await add_text(texts, imported)
        assert stored.new, f"{path.name} was stored before"
        t = lap("store", t)
        book = library.add(stored.info, imported.body)
        t = lap("book", t)
        book.speech.index.lexicon  # noqa: B018 - the precise and related tiers' index
        t = lap("index", t)
        book.searcher.dense  # noqa: B018 - the embeddings (None without an encoder)
        t = lap("embeddings", t)
        book.summaries.warm()
        t = lap("summaries", t)
        book.ranking  # noqa: B018
        t = lap("ranking", t)
        book.ready()  # what is left: the encoder's warm-up query
        lap("warm_query", t)
    return stages


def word_path(paths: Sequence[Path], count: int, folder: Path) -> dict[str, Any]:
    """A few texts as Word files (title block, bold leads, a table, a footnote, tracked
    changes): the time to read each, and whether it gives the stored text's digest."""
    from content.formats import import_file
    from content.library import digest
    from tests.documents import title_block_docx

    times, same = [], 0
    for path in paths[:count]:
        lines = [line for line in path.read_text("utf-8").splitlines() if line][4:]  # below the title block
        docx = folder / path.with_suffix(".docx").name
        docx.write_bytes(title_block_docx(lines))
        started = time.perf_counter()
        imported = import_file(docx)
        times.append(time.perf_counter() - started)
        same += digest(imported.body) == digest(import_file(path).body)
    return {"docx_files": len(times), "docx_read": ms(times) if times else {}, "docx_same_text": f"{same}/{len(times)}"}


def library_search(books: Sequence[Book], workload: Sequence[str]) -> list[float]:
    from content.library import search_books

    times = []
    for query in workload:
        started = time.perf_counter()
        search_books(books, query, 5)
        times.append(time.perf_counter() - started)
    return times


async def lru_search(original: Book, makers: Any, texts: TextRepository, capacity: int,
                     workload: Sequence[str]) -> dict[str, Any]:
    """Library searches through a fresh library of ``capacity`` books: each loads what it
    misses from the database (its list of texts read each time, as the bot does)."""
    from content.library import Library, search_books

    library = Library(original, makers, capacity)
    times = []
    for query in workload:
        started = time.perf_counter()
        books = [await load(library, texts, info.id) for info in await texts.texts()]
        search_books(books, query, 5)
        times.append(time.perf_counter() - started)
    return {"capacity": capacity, "first_s": round(times[0], 2), **ms(times[1:] or times)}


def profile_search(books: Sequence[Book], query: str) -> str:
    """Where one cold library search spends its time (cProfile, the top functions)."""
    import cProfile
    import io
    import pstats

    from content.library import search_books

    profiler = cProfile.Profile()
    profiler.runcall(search_books, books, query, 5)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    return out.getvalue()


# --- the warm start (a child process) --------------------------------------------------------


async def child(url: str, cache: str, encoder: str, query: str) -> None:
    """A fresh process: open the database, load every book from the disk caches, answer one
    library search; print "answered" at once, then the figures as JSON."""
    started = time.perf_counter()
    from bot.intake import makers
    from bot.settings import Settings
    from bot.storage import Store
    from content import load_speech
    from content.encoder import load_encoder
    from content.library import Library, search_books

    settings = Settings(token=None, database_url=url, cache_dir=Path(cache), encoder=encoder)
    encoded = [0]
    model = load_encoder(encoder)
    if model is not None:
        encode = model.encode

        def counting(texts: Sequence[str]) -> Any:
            if len(texts) > 1:  # a text's rows, not a query
                encoded[0] += 1
            return encode(texts)

        model.encode = counting  # type: ignore[method-assign]
    imported = time.perf_counter()
    store = await Store.open(settings)
    library = Library.of(load_speech(settings.speech_file), makers(settings, isolate=True), capacity=10**6)
    infos = await store.texts.texts()
    opened = time.perf_counter()
    books = [(await load(library, store.texts, info.id)).ready() for info in infos]
    loaded = time.perf_counter()
    hits = search_books(books, query, 5)
    answered = time.perf_counter()
    print("answered", flush=True)
    rss, peak = rss_mb()
    await store.close()
    print(json.dumps({"imports_s": imported - started, "open_s": opened - imported, "books": len(books),
                      "load_s": loaded - opened, "search_s": answered - loaded, "hits": len(hits),
                      "texts_encoded": encoded[0], "rss_mb": rss, "peak_rss_mb": peak}))


def warm_start(url: str, cache: Path, encoder: str, query: str) -> dict[str, Any]:
    """The child's figures; ``first_answer_s`` is measured here, from its spawn."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "benchmarks.library", "--child", url, str(cache), encoder, query]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert process.stdout is not None
    line = process.stdout.readline()
    first = time.perf_counter() - started
    assert line.strip() == "answered", line
    figures = json.loads(process.stdout.readline())
    assert process.wait(60) == 0
    return {"first_answer_s": round(first, 2),
            **{k: round(v, 2) if isinstance(v, float) else v for k, v in figures.items()}}


# --- the run ---------------------------------------------------------------------------------


async def run(args: argparse.Namespace, folder: Path, log: Callable[[str], None]) -> dict[str, Any]:
    from bot.intake import makers
    from bot.settings import Settings
    from bot.storage import Store
    from content import load_speech
    from content.encoder import load_encoder
    from content.library import Library, body_of, node_count

    started = time.perf_counter()
    paths = speeches(args.texts, args.chars, folder)
    sizes = [len(path.read_text("utf-8")) for path in paths]
    log(f"{len(paths)} texts of {min(sizes)}-{max(sizes)} characters in {time.perf_counter() - started:.1f} s")
    workload = queries(paths, args.queries)
    result: dict[str, Any] = {"texts": len(paths), "chars_mean": round(sum(sizes) / len(sizes)),
                              "encoder": args.encoder, "database": "postgresql" if "postgresql" in (
                                  args.database_url or "") else "sqlite"}
    async with scratch_database(args.database_url, folder, "library") as url:
        cache = folder / "cache"
        settings = Settings(token=None, database_url=url, cache_dir=cache, encoder=args.encoder)
        encoder = load_encoder(args.encoder)
        started = time.perf_counter()
        if encoder is not None:
            encoder.load()
        result["encoder_load_s"] = round(time.perf_counter() - started, 2)
        store = await Store.open(settings)
        speech = load_speech(settings.speech_file)
        bound = makers(settings, isolate=True)
        library = Library.of(speech, bound, capacity=args.texts + 1)
        library.original.info = await store.texts.ensure_original(body_of(speech), speech.title, "speech.txt",
                                                                  node_count(speech))
        started = time.perf_counter()
        library.original.ready()
        result["original_ready_s"] = round(time.perf_counter() - started, 2)
        base_rss, _ = rss_mb()

        log("importing …")
        stages = await import_all(paths, library, store.texts)
        per_text = [sum(values) for values in zip(*stages.values(), strict=True)]
        plain = [sum(stages[s][i] for s in STAGES if s not in ENCODER_STAGES) for i in range(len(paths))]
        result["import"] = {**ms(per_text), "total_s": round(sum(per_text), 1)}
        result["import_without_encoder"] = {**ms(plain), "total_s": round(sum(plain), 1)}
        result["import_stages_p50_ms"] = {s: round(percentile(v, 50) * 1000, 1) for s, v in stages.items()}
        result["import_stages_total_s"] = {s: round(sum(v), 1) for s, v in stages.items()}
        result.update(word_path(paths, args.docx, folder))

        log("searching …")
        books = [await load(library, store.texts, info.id) for info in await store.texts.texts()]
        # The very first library search also builds what each book builds on its first query.
        result["search_first_s"] = round(library_search(books, FIRST_QUERIES[:1])[0], 2)
        if args.profile:
            print(profile_search(books, FIRST_QUERIES[1]), file=sys.stderr)
        cold = library_search(books, workload)
        warm = [t for _ in range(args.rounds) for t in library_search(books, workload)]
        result["search_books"] = len(books)
        result["search_cold"] = ms(cold)
        result["search_warm"] = ms(warm)
        rss, peak = rss_mb()
        result["memory"] = {"rss_mb": rss, "peak_rss_mb": peak,
                            "per_book_mb": round((rss - base_rss) / len(paths), 2)}

        log("searching through a smaller and a larger LRU …")
        few = workload[: args.lru_queries]
        result["lru_small"] = await lru_search(library.original, bound, store.texts, args.capacity, few)
        result["lru_large"] = await lru_search(library.original, bound, store.texts, args.texts + 1, few)
        await store.close()

        log("a fresh process with a warm cache …")
        result["warm_start"] = warm_start(url, cache, args.encoder, workload[0])
    return result


def table(result: dict[str, Any]) -> str:
    """The figures as a compact table."""
    rows = [("import per text", result["import"]), ("  without encoder", result["import_without_encoder"]),
            ("search cold", {**result["search_cold"], "first_s": result["search_first_s"]}),
            ("search warm", result["search_warm"]),
            (f"search LRU {result['lru_small']['capacity']}", result["lru_small"]),
            (f"search LRU {result['lru_large']['capacity']}", result["lru_large"])]
    if result.get("docx_read"):
        rows.insert(2, ("  .docx read", result["docx_read"]))
    lines = [f"{result['texts']} texts of ~{result['chars_mean']} characters, encoder {result['encoder']}, "
             f"{result['database']}; searches over {result['search_books']} books",
             f"{'':20} {'p50 ms':>9} {'p99 ms':>9} {'max ms':>9}  note"]
    for name, row in rows:
        note = (f"total {row['total_s']} s" if "total_s" in row else
                f"the first search {row['first_s']} s" if "first_s" in row else "")
        lines.append(f"{name:20} {row['p50_ms']:>9} {row['p99_ms']:>9} {row['max_ms']:>9}  {note}")
    stages = result["import_stages_p50_ms"]
    lines.append("import stages p50 ms: " + ", ".join(f"{k} {v}" for k, v in stages.items()))
    memory, start = result["memory"], result["warm_start"]
    lines.append(f"memory: RSS {memory['rss_mb']} MB with every book ({memory['per_book_mb']} MB a book), "
                 f"peak {memory['peak_rss_mb']} MB")
    lines.append(f"warm start: first answer {start['first_answer_s']} s (imports {start['imports_s']} s, "
                 f"database {start['open_s']} s, {start['books']} books {start['load_s']} s, search "
                 f"{start['search_s']} s), texts encoded {start['texts_encoded']}, RSS {start['rss_mb']} MB")
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        url, cache, encoder, query = sys.argv[2:6]
        asyncio.run(child(url, cache, encoder, query))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=200)
    parser.add_argument("--chars", type=int, default=10_000)
    parser.add_argument("--encoder", default="use", help="use (the bot's default) or none")
    parser.add_argument("--database-url", help="e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test "
                                               "(a scratch database is made there); default: SQLite")
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=2, help="warm passes over the queries")
    parser.add_argument("--capacity", type=int, default=64, help="the smaller LRU (the bot's library_books)")
    parser.add_argument("--lru-queries", type=int, default=6)
    parser.add_argument("--docx", type=int, default=4, help="texts also read as Word files")
    parser.add_argument("--profile", action="store_true", help="profile a cold library search (stderr)")
    parser.add_argument("--json", action="store_true", help="only the one-line JSON summary")
    args = parser.parse_args()

    def log(message: str) -> None:
        if not args.json:
            print(message, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="speechbot-library-") as folder:
        result = asyncio.run(run(args, Path(folder), log))
    if not args.json:
        print(table(result))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
