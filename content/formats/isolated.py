"""An import in a child process, with a memory and a wall-time limit.

A hostile file (a zip bomb, a PDF page of millions of operators) must cost neither the bot's
memory nor its other members' answers. ``content.formats.limits`` refuses the known shapes
within seconds; whatever slips past them runs out of a budget that is not the bot's:

- the child is a fresh interpreter (``python -m content.formats.isolated``), never a fork of
  the bot (no copy of its memory, its event loop, its secrets: the environment it gets holds no
  token, no database or Redis URL);
- it limits its own address space (``RLIMIT_AS``: ``Limits.memory_mb``) and CPU time before it
  reads the file, and the parent kills it after ``Limits.seconds`` of wall time;
- the file goes in on stdin, and plain JSON comes out on stdout: the parsed text (the body the
  parser reads), its metadata and notes, or the error's class, message and fields. The parent
  parses the body again (a few milliseconds for a text within the limits) rather than
  unpickle objects made by a process that read a hostile file.

``import_isolated`` is the CLI's (blocking), ``import_isolated_async`` the bot's (awaits the
child without blocking the event loop). Both give what ``content.formats.import_bytes`` gives:
an ``Imported``, or a ``DocumentError`` (a ``LimitError`` for a limit) of one line.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import NotRequired, TypedDict

from content.formats.blocks import DocumentError, Imported, Metadata, MetadataDict, Note, NoteCode, NoteDict
from content.formats.limits import LimitCode, LimitError, Limits
from content.model import Speech
from content.parser import SpeechFormatError, parse_text

_ROOT = str(Path(__file__).resolve().parents[2])  # where ``content`` is importable from
_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "HOME", "TMPDIR", "PYTHONHASHSEED", "SYSTEMROOT")
"""What the child inherits of the environment: nothing the bot keeps secret."""
_GRACE = 1.0
"""Seconds of CPU the child gets beyond the wall limit (RLIMIT_CPU: it dies alone if the parent is gone)."""


class _Failure(TypedDict):
    """The child's error: a ``LimitError``'s code and figures, or another error's class name,
    message and fields."""

    type: str
    code: NotRequired[LimitCode]
    params: NotRequired[dict[str, int | float]]
    text: NotRequired[str]
    fields: NotRequired[dict[str, str | int | float | bool | None]]


class _Read(TypedDict):
    """What the child read: the body the parser reads, the metadata, the format and the notes."""

    body: str
    metadata: MetadataDict
    format: str
    notes: list[NoteDict]


class _Answer(TypedDict, total=False):
    """The child's one line of JSON: ``error`` or ``imported``."""

    error: _Failure
    imported: _Read


class _Header(TypedDict):
    """The request's first line: the file's name and the limits (``Limits.to_dict``)."""

    name: str
    limits: dict[str, int | float]


def _command() -> list[str]:
    return [sys.executable, "-m", "content.formats.isolated"]


def _environment() -> dict[str, str]:
    env = {name: os.environ[name] for name in _ENVIRONMENT if name in os.environ}
    path = os.environ.get("PYTHONPATH")
    env["PYTHONPATH"] = _ROOT + (os.pathsep + path if path else "")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _request(data: bytes, name: str, limits: Limits) -> bytes:
    header = json.dumps(_Header(name=name, limits=limits.to_dict()), ensure_ascii=True).encode()
    return header + b"\n" + data


def _result(name: str, limits: Limits, returncode: int | None, out: bytes, timed_out: bool) -> Imported:
    """The child's answer as ``import_bytes`` gives it: an ``Imported``, or its error raised."""
    if timed_out:
        raise LimitError(name, LimitCode.TIME, limit=limits.seconds)
    try:
        answer = json.loads(out.decode("utf-8")) if out else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        answer = None
    if not isinstance(answer, dict):  # killed (by RLIMIT_CPU, or an allocation that could not fail cleanly)
        if returncode in (-signal.SIGXCPU, -signal.SIGKILL):
            raise LimitError(name, LimitCode.TIME, limit=limits.seconds)
        raise LimitError(name, LimitCode.CRASHED)
    if "error" in answer:
        raise _error(answer["error"], name)
    return _imported(answer["imported"], name)


def _error(error: _Failure, name: str) -> SpeechFormatError:
    """The child's error again, of its class, with its fields (its message is its one line)."""
    kind = error.get("type")
    if kind == "LimitError":
        return LimitError(name, LimitCode(error["code"]), **error.get("params", {}))
    from content.formats import UnsupportedType

    classes: dict[str, type[SpeechFormatError]] = {"DocumentError": DocumentError, "UnsupportedType": UnsupportedType}
    cls = classes.get(str(kind), SpeechFormatError)
    made = cls.__new__(cls)
    ValueError.__init__(made, str(error.get("text", "")))
    made.__dict__.update(error.get("fields", {}))
    return made


def _imported(data: _Read, name: str) -> Imported:
    meta = data["metadata"]
    metadata = Metadata(title=meta["title"], speaker=meta["speaker"],
                        date=date.fromisoformat(meta["date"]) if meta["date"] else None, occasion=meta["occasion"])
    body = data["body"]
    speech = parse_text(body, source=name)
    if metadata.title:
        speech = Speech(title=metadata.title, salutation=speech.salutation, top=speech.top, source=name)
    notes = tuple(Note(NoteCode(n["code"]), n["message"]) for n in data["notes"])
    return Imported(speech=speech, metadata=metadata, notes=notes, format=data["format"], body=body)


def import_isolated(data: bytes, name: str, limits: Limits | None = None) -> Imported:
    """Import ``data`` (a file called ``name``) in a child process; blocks until it is done."""
    limits = limits or Limits()
    process = subprocess.Popen(_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, env=_environment(), start_new_session=True)
    try:
        out, _ = process.communicate(_request(data, name, limits), timeout=limits.seconds)
        timed_out = False
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
        timed_out = True
    except BaseException:  # ^C: the child goes with the command
        process.kill()
        process.wait()
        raise
    return _result(name, limits, process.returncode, out, timed_out)


async def import_isolated_async(data: bytes, name: str, limits: Limits | None = None) -> Imported:
    """``import_isolated`` for an event loop: the loop goes on serving while the child works."""
    limits = limits or Limits()
    process = await asyncio.create_subprocess_exec(
        *_command(), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL, env=_environment(), start_new_session=True)
    try:
        out, _ = await asyncio.wait_for(process.communicate(_request(data, name, limits)), limits.seconds)
        timed_out = False
    except TimeoutError:
        process.kill()
        out, _ = await process.communicate()
        timed_out = True
    except BaseException:  # cancelled (the bot stops): the child goes with it
        if process.returncode is None:
            process.kill()
            await process.wait()
        raise
    if out:  # parse_text on the loop would hold it a few milliseconds: a thread
        return await asyncio.to_thread(_result, name, limits, process.returncode, out, timed_out)
    return _result(name, limits, process.returncode, out, timed_out)


# --- the child -----------------------------------------------------------------------------

def _limit_self(limits: Limits) -> None:
    """Cap this process's memory and CPU (Unix; elsewhere only the parent's wall limit holds)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Linux
        return
    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(limits.seconds + _GRACE) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def _peak_mb() -> float:
    """This process's peak address space (Linux), 0 where it cannot be read."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def _out_of_memory(error: BaseException, limits: Limits) -> bool:
    """Whether ``error`` comes of the memory limit: a ``MemoryError`` the readers wrapped, or an
    error raised with the address space near its cap (lxml says "unknown error" of a failed
    allocation; a real speech peaks at a sixth of the default limit)."""
    if _peak_mb() >= 0.75 * limits.memory_mb:
        return True
    seen: BaseException | None = error
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, MemoryError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _answer(header: _Header, data: bytes) -> _Answer:
    from content.formats import import_bytes
    from content.formats.limits import using

    name = str(header["name"])
    limits = Limits.from_dict(header["limits"])
    try:
        with using(limits):
            imported = import_bytes(data, name)
    except LimitError as error:
        return {"error": {"type": "LimitError", "code": error.code, "params": error.params}}
    except SpeechFormatError as error:
        if _out_of_memory(error, limits):  # a reader that said "damaged" of an allocation the limit refused
            return {"error": {"type": "LimitError", "code": LimitCode.MEMORY, "params": {"limit": limits.memory_mb}}}
        fields = {k: v for k, v in vars(error).items() if isinstance(v, str | int | float | bool | None)}
        return {"error": {"type": type(error).__name__ if isinstance(error, DocumentError) else "SpeechFormatError",
                          "text": str(error), "fields": fields}}
    return {"imported": {"body": imported.body, "metadata": imported.metadata.to_dict(), "format": imported.format,
                         "notes": [{"code": n.code, "message": n.message} for n in imported.notes]}}


def main() -> int:
    """Read the request on stdin, import, write the JSON answer on stdout."""
    stdin = sys.stdin.buffer
    header: _Header = json.loads(stdin.readline())
    _limit_self(Limits.from_dict(header["limits"]))
    data = stdin.read()
    answer: _Answer
    try:
        answer = _answer(header, data)
    except MemoryError:
        del data
        answer = {"error": {"type": "LimitError", "code": LimitCode.MEMORY,
                            "params": {"limit": Limits.from_dict(header["limits"]).memory_mb}}}
    sys.stdout.write(json.dumps(answer, ensure_ascii=True))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
