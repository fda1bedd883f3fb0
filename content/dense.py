"""The dense tier: every sentence and every node of a speech as a vector, cached on disk.

Rows: each sentence of the speech (verbatim, the node's own text), each node as its heading
with its own text, and, where ``glosses.yaml`` describes this speech, the node's English
heading, its English translation and its plain-language Chinese restatement (so that an
English or everyday question meets text in its own register). A node's dense score is the
best cosine over its rows; the sentence shown for it is its best *sentence* row, so what a
member reads is always verbatim.

Cache: the matrix is stored as ``dense-<key>.npz`` where the key hashes the encoder's name
and every row's text; a changed speech, gloss or encoder gets a new file. A file that does not
load, has another key, another shape, non-finite values, rows that are not unit vectors, or a
checksum that does not match its bytes is rebuilt, never trusted. Writes are atomic.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from content.cachefile import write_atomically
from content.model import Speech
from content.sentences import split_sentences

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from content.encoder import Encoder
    from content.glosses import Glosses

log = logging.getLogger(__name__)

RowKind = Literal["sentence", "node", "gloss"]


@dataclass(frozen=True)
class Row:
    """One embedded text: the node it belongs to, what it is, and the text itself."""

    node: str
    kind: RowKind
    text: str


def rows_of(speech: Speech, glosses: Glosses | None = None) -> list[Row]:
    """Every row to embed for ``speech``, in speech order (see the module docstring)."""
    rows: list[Row] = []
    for node in speech.nodes():
        own = [p.strip() for p in node.own_paragraphs()]
        rows += [Row(node.id, "sentence", s.strip()) for p in own for s in split_sentences(p) if s.strip()]
        rows.append(Row(node.id, "node", "".join(own)[:400]))
        if glosses is not None and (gloss := glosses.get(node.id)) is not None:
            rows += [Row(node.id, "gloss", text) for text in gloss.texts()]
    return rows


def cache_key(encoder_name: str, rows: list[Row]) -> str:
    digest = hashlib.sha256(encoder_name.encode())
    for row in rows:
        digest.update(f"\0{row.node}\0{row.kind}\0{row.text}".encode())
    return digest.hexdigest()[:32]


class DenseIndex:
    """Rows and their unit vectors; ``best_per_node`` answers a query vector."""

    def __init__(self, rows: list[Row], matrix: NDArray[np.float32]) -> None:
        self.rows = rows
        self.matrix = matrix

    @classmethod
    def build(cls, speech: Speech, encoder: Encoder, cache_dir: Path | None,
              glosses: Glosses | None = None) -> DenseIndex:
        """Load the matrix from ``cache_dir`` when it is there and sound, else encode and store it."""
        rows = rows_of(speech, glosses)
        key = cache_key(encoder.name, rows)
        path = cache_dir / f"dense-{key}.npz" if cache_dir is not None else None
        matrix = _load(path, key, len(rows)) if path is not None else None
        if matrix is None:
            matrix = encoder.encode([row.text for row in rows])
            if path is not None:
                _store(path, key, matrix)
        return cls(rows, matrix)

    def per_node(self, vector: NDArray[np.float32]) -> dict[str, tuple[float, float, int]]:
        """node id → (its score as in ``best_per_node``, its best sentence's cosine, that row)."""
        scores = self.matrix @ vector
        best: dict[str, list[float]] = {}
        sentence: dict[str, tuple[float, int]] = {}
        for number, row in enumerate(self.rows):
            value = float(scores[number])
            top = best.setdefault(row.node, [-1.0, -1.0])
            if value > top[0]:
                top[0], top[1] = value, top[0]
            elif value > top[1]:
                top[1] = value
            if row.kind == "sentence" and value > sentence.get(row.node, (-2.0, -1))[0]:
                sentence[row.node] = (value, number)
        return {node: ((first + second) / 2, *sentence.get(node, (0.0, -1)))
                for node, (first, second) in best.items()}

    def best_per_node(self, vector: NDArray[np.float32]) -> dict[str, tuple[float, int]]:
        """node id → (its score, the index of its best sentence row). A node's score is the mean
        of its two best rows' cosines: one row that happens to share a word with the query
        weighs less than two that agree (the sentence and the gloss, say)."""
        return {node: (score, row) for node, (score, _, row) in self.per_node(vector).items()}


def _checksum(matrix: NDArray[np.float32]) -> str:
    return hashlib.sha256(matrix.tobytes()).hexdigest()


def _load(path: Path, key: str, rows: int) -> NDArray[np.float32] | None:
    import numpy as np

    if not path.is_file():
        return None
    try:
        with path.open("rb") as file, np.load(file, allow_pickle=False) as data:  # our handle: closed on errors too
            matrix = np.ascontiguousarray(data["matrix"], dtype=np.float32)
            stored_key, checksum = str(data["key"]), str(data["checksum"])
    except Exception as exc:  # any unreadable file is a cache miss, whatever numpy raises
        log.warning("embedding cache %s unreadable (%s); rebuilding", path.name, type(exc).__name__)
        return None
    norms = np.linalg.norm(matrix, axis=1) if matrix.ndim == 2 else None
    sound = (stored_key == key and matrix.ndim == 2 and matrix.shape[0] == rows and norms is not None
             and bool(np.isfinite(matrix).all()) and bool(np.allclose(norms, 1.0, atol=1e-3))
             and checksum == _checksum(matrix))
    if not sound:
        log.warning("embedding cache %s does not match its speech or is damaged; rebuilding", path.name)
        return None
    return matrix


def _store(path: Path, key: str, matrix: NDArray[np.float32]) -> None:
    import io

    import numpy as np

    buffer = io.BytesIO()
    np.savez(buffer, matrix=matrix, key=np.array(key), checksum=np.array(_checksum(matrix)))
    write_atomically(path, buffer.getvalue())
