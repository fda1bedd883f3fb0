"""The embedding cache: written once per speech and encoder, reused on restart, and rebuilt
(never trusted) when the speech changed, or the file is damaged in any way."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from content import Speech, parse_text
from content.dense import DenseIndex, cache_key, rows_of
from content.glosses import glosses_for
from tests.content.test_answer import KeywordEncoder


def build(speech: Speech, encoder: KeywordEncoder, cache: Path) -> DenseIndex:
    return DenseIndex.build(speech, encoder, cache)


def test_a_restart_reads_the_cache_instead_of_encoding(speech: Speech, tmp_path: Path) -> None:
    encoder = KeywordEncoder()
    first = build(speech, encoder, tmp_path)
    assert encoder.calls == 1 and len(list(tmp_path.glob("dense-*.npz"))) == 1
    second = build(speech, encoder, tmp_path)
    assert encoder.calls == 1 and np.array_equal(first.matrix, second.matrix)


def test_a_changed_speech_is_encoded_again(speech: Speech, tmp_path: Path) -> None:
    encoder = KeywordEncoder()
    build(speech, encoder, tmp_path)
    changed = parse_text((Path(speech.source).read_text("utf-8")).replace("忠诚", "忠实"), "changed.txt")
    build(changed, encoder, tmp_path)
    assert encoder.calls == 2 and len(list(tmp_path.glob("dense-*.npz"))) == 2


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other_key", "tampered", "not_unit", "wrong_shape"])
def test_a_damaged_cache_is_rebuilt_never_trusted(speech: Speech, tmp_path: Path, damage: str) -> None:
    encoder = KeywordEncoder()
    good = build(speech, encoder, tmp_path)
    [path] = tmp_path.glob("dense-*.npz")
    key = path.stem.removeprefix("dense-")
    matrix = good.matrix.copy()
    if damage == "garbage":
        path.write_bytes(b"\x00not a numpy file")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:100])
    else:
        checksum = __import__("hashlib").sha256(matrix.tobytes()).hexdigest()
        if damage == "tampered":
            matrix[0] = matrix[1]  # still unit rows, but not what was stored: the checksum tells
        elif damage == "not_unit":
            matrix *= 2
            checksum = __import__("hashlib").sha256(matrix.tobytes()).hexdigest()
        elif damage == "wrong_shape":
            matrix = matrix[:-1]
            checksum = __import__("hashlib").sha256(matrix.tobytes()).hexdigest()
        with path.open("wb") as file:
            np.savez(file, matrix=matrix, key=np.array("0" * 32 if damage == "other_key" else key),
                     checksum=np.array(checksum))
    rebuilt = build(speech, encoder, tmp_path)
    assert encoder.calls == 2 and np.array_equal(rebuilt.matrix, good.matrix)


def test_an_unwritable_cache_only_costs_time(speech: Speech, tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder should be")
    index = build(speech, KeywordEncoder(), blocked / "cache")
    assert index.matrix.shape[0] == len(index.rows)


def test_rows_cover_every_sentence_and_every_node_and_the_glosses(speech: Speech) -> None:
    rows = rows_of(speech, glosses_for(speech))
    assert {row.node for row in rows} == set(speech.ids)
    sentences = [row.text for row in rows if row.kind == "sentence"]
    assert "".join(sentences) == "".join(text for _, text in speech.sentence_units())
    assert {row.node for row in rows if row.kind == "gloss"} == set(speech.ids)
    assert cache_key("a", rows) != cache_key("b", rows) != cache_key("a", rows[:-1])
