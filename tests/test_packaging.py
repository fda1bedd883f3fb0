"""Packaging: a plain (non-editable) install works anywhere. The default speech is package data
(``content/data/speech.txt``, read with ``importlib.resources``), equal to the project's copy in
``seeds/``; a wheel built from the project and installed into a fresh environment runs
``speechbot outline`` from a directory that is not the project, and finds its messages."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

from content import DEFAULT_SPEECH, load_speech
from handlers.catalog import EN, ZH

ROOT = Path(__file__).resolve().parents[1]


def test_the_packaged_speech_is_the_seed_byte_for_byte() -> None:
    assert DEFAULT_SPEECH.read_bytes() == (ROOT / "seeds" / "speech.txt").read_bytes()
    assert Path(load_speech().source).is_relative_to(ROOT / "content")  # inside the package


def _run(*command: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=240)
    assert done.returncode == 0, f"{command}: {done.stderr[-2000:]}"
    return done.stdout


@pytest.mark.slow
def test_a_wheel_installed_elsewhere_finds_its_speech(tmp_path: Path) -> None:
    source = tmp_path / "src"  # a clean copy: nothing of an earlier build/ can slip into the wheel
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in ("bot", "handlers", "content"):
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", source, "-w", tmp_path / "dist")
    (wheel,) = (tmp_path / "dist").glob("speechbot-*.whl")
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    _run(sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "-q", "--no-deps", wheel)
    # The dependencies come from this environment's site-packages, added after the venv's own
    # (a .pth line adds a directory without running its .pth files: not the editable project).
    (packages,) = (venv / "lib").glob("python3*/site-packages")
    (packages / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("SPEECHBOT_", "PYTHON", "TELEGRAM_"))}
    where = _run(venv / "bin" / "python", "-c", "import content; print(content.__file__)", cwd=elsewhere, env=env)
    assert Path(where.strip()).is_relative_to(packages)  # the installed copy, not the project
    outline = _run(venv / "bin" / "speechbot", "outline", cwd=elsewhere, env=env)
    speech = load_speech()
    assert [line.rsplit("[", 1)[-1].rstrip("]") for line in outline.splitlines() if not line.startswith(" ")] == [
        node.id for node in speech.top]
    # The reader's page (Mini App) ships as package data too: the installed bot serves it.
    pages = _run(venv / "bin" / "python", "-c", "import bot.reader.routes as w; print(sorted(p.name for p in "
                 "w.STATIC.iterdir() if p.name in w.PAGES), w.STATIC)", cwd=elsewhere, env=env)
    assert pages.startswith("['index.html', 'reader.css', 'reader.js']") and str(packages) in pages
    # So do the messages (gettext catalogs): the installed bot reads every one of them.
    messages = _run(venv / "bin" / "python", "-c", "import handlers.catalog as c; print(len(c.ZH), len(c.EN), "
                    "c.tr('en', 'not_admin') == c.EN['not_admin'], c.LOCALE)", cwd=elsewhere, env=env)
    assert messages.split()[:3] == [str(len(ZH)), str(len(EN)), "True"] and str(packages) in messages
