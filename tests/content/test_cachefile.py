"""Cache files: written whole or not at all, and an unwritable folder is only a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from content.cachefile import write_atomically


def test_writes_whole_files_and_leaves_no_temporaries(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "x.json"
    assert write_atomically(path, b"one") and write_atomically(path, b"two")
    assert path.read_bytes() == b"two" and [p.name for p in path.parent.iterdir()] == ["x.json"]


def test_an_unwritable_place_is_a_warning_not_an_error(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert not write_atomically(blocker / "x.json", b"data")
    assert "cannot write the cache file" in caplog.text
