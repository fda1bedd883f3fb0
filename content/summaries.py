"""Every summary of a speech, computed once and cached on disk; jieba never stays in the bot.

Summaries need jieba (keywords, sentence weights), whose dictionary costs ~110 MB of memory
and ~2 s to load, while all summaries of a speech (each node and the whole, short and long)
take ~0.3 s once it is loaded. So they are computed all at once, in a short-lived child
process when ``isolate`` is set (the bot: its memory is given back when the child exits), and
kept as ``summaries-<key>.json`` in the cache folder, where the key hashes the speech's nodes and
the summariser's source. A file that does not load or validate is recomputed, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from content import summarizer as summariser
from content.cachefile import write_atomically
from content.model import Node, Speech
from content.summarizer import Length, Summary

log = logging.getLogger(__name__)
LENGTHS: tuple[Length, ...] = ("short", "long")
_ALL = TypeAdapter(dict[str, Summary])


def _key(node_id: str, length: Length) -> str:
    return f"{node_id}|{length}"


def compute_all(data: dict[str, object]) -> dict[str, dict[str, object]]:
    """Every summary of the speech ``data`` (``Speech.model_dump()``), as plain dicts; runs in
    the child process."""
    speech = Speech.model_validate(data)
    found: dict[str, dict[str, object]] = {}
    for node in [None, *speech.nodes()]:
        for length in LENGTHS:
            result = summariser.summarize(speech, node, length)
            found[_key(result.id, length)] = result.model_dump()
    return found


def cache_key(speech: Speech) -> str:
    digest = hashlib.sha256(Path(summariser.__file__).read_bytes())
    for node in speech.nodes():
        digest.update(f"\0{node.id}\0{node.text}".encode())
    digest.update(f"\0{speech.title}".encode())
    return digest.hexdigest()[:32]


class Summaries:
    """The summaries of one speech; ``get`` blocks until they are ready (call it in a thread)."""

    def __init__(self, speech: Speech, cache_dir: Path | None = None, isolate: bool = False) -> None:
        self.speech = speech
        self.cache_dir = cache_dir
        self.isolate = isolate
        self._all: dict[str, Summary] | None = None
        self._lock = threading.Lock()

    def get(self, node: Node | None = None, length: Length = "short") -> Summary:
        """The summary of ``node`` (None: the whole speech)."""
        return self.warm()[_key(node.id if node else "speech", length)]

    def warm(self) -> dict[str, Summary]:
        """Load or compute every summary now (the first caller does the work, others wait)."""
        with self._lock:
            if self._all is None:
                self._all = self._load() or self._compute()
            return self._all

    @property
    def _path(self) -> Path | None:
        return self.cache_dir / f"summaries-{cache_key(self.speech)}.json" if self.cache_dir else None

    def _load(self) -> dict[str, Summary] | None:
        path = self._path
        if path is None or not path.is_file():
            return None
        try:
            found = _ALL.validate_json(path.read_bytes())
        except (OSError, ValidationError) as exc:
            log.warning("summary cache %s unreadable (%s); recomputing", path.name, type(exc).__name__)
            return None
        expected = {_key(n, length) for n in ["speech", *self.speech.ids] for length in LENGTHS}
        if set(found) != expected:
            log.warning("summary cache %s does not match its speech; recomputing", path.name)
            return None
        return found

    def _compute(self) -> dict[str, Summary]:
        data = self.speech.model_dump()
        if self.isolate:
            context = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing inherited
            with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
                raw = pool.submit(compute_all, data).result()
        else:
            raw = compute_all(data)
        found = _ALL.validate_python(raw)
        self._store(found)
        return found

    def _store(self, found: dict[str, Summary]) -> None:
        if self._path is not None:
            data = {key: value.model_dump() for key, value in found.items()}
            write_atomically(self._path, json.dumps(data, ensure_ascii=False).encode())
