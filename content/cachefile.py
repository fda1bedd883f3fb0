"""Derived data kept on disk between runs (embeddings, summaries, the 慎 ranking): one way to
write it. A cache is an optimisation, so a file that cannot be written is logged, never raised:
the next start only recomputes. Writes are atomic (a temporary file, then a rename), so a reader
never sees half a file; readers still validate what they load."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)


def write_atomically(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` all at once; False (and a warning) when the folder is not writable."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=path.suffix)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.warning("cannot write the cache file %s: %s", path, exc)
        return False
    return True
