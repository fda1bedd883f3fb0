"""The summary cache: every summary computed once (in a child process for the bot), reused from
disk on restart, recomputed when the speech changes or the file is damaged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from content import Speech, parse_text
from content.summaries import Summaries, cache_key
from content.summarizer import summarize


def test_every_summary_equals_the_summariser_and_is_cached(speech: Speech, tmp_path: Path) -> None:
    summaries = Summaries(speech, tmp_path)
    for node in [None, *speech.nodes()]:
        assert summaries.get(node, "long") == summarize(speech, node, "long")
    [path] = tmp_path.glob("summaries-*.json")
    assert cache_key(speech) in path.name and len(json.loads(path.read_text("utf-8"))) == 2 * (len(speech.ids) + 1)


# Run in a fresh interpreter, so whether jieba is loaded depends on this code alone, not on
# which tests ran before in the pytest process. The last line is the control: the check sees
# jieba once this process summarises by itself.
CHILD_CHECK = """
import json, sys
from pathlib import Path
from content import load_speech
from content.summaries import Summaries
from content.summarizer import summarize
speech = load_speech()
before = "jieba" in sys.modules
got = Summaries(speech, Path(sys.argv[1]), isolate=True).get(speech.node("4.2")).summary
after = "jieba" in sys.modules
summarize(speech, speech.node("1.1"))
print(json.dumps({"before": before, "after": after, "summary": got, "control": "jieba" in sys.modules}))
"""


@pytest.mark.slow
def test_the_child_process_computes_them_and_jieba_stays_out(speech: Speech, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", CHILD_CHECK, str(tmp_path)], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["summary"] == summarize(speech, speech.node("4.2")).summary
    assert (seen["before"], seen["after"], seen["control"]) == (False, False, True)  # the child loaded it, not us
    assert len(list(tmp_path.glob("summaries-*.json"))) == 1


def test_a_restart_reads_the_cache(speech: Speech, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Summaries(speech, tmp_path).warm()
    monkeypatch.setattr("content.summaries.compute_all", lambda data: pytest.fail("recomputed"))
    assert Summaries(speech, tmp_path).get(None).id == "speech"


@pytest.mark.parametrize("damage", ["{not json", '{"speech|short": {"id": 1}}', "{}"])
def test_a_damaged_cache_is_recomputed(speech: Speech, tmp_path: Path, damage: str) -> None:
    Summaries(speech, tmp_path).warm()
    [path] = tmp_path.glob("summaries-*.json")
    path.write_text(damage, "utf-8")
    assert Summaries(speech, tmp_path).get(speech.node("1.1")) == summarize(speech, speech.node("1.1"))


def test_a_changed_speech_gets_its_own_summaries(speech: Speech, tmp_path: Path) -> None:
    changed = parse_text(Path(speech.source).read_text("utf-8").replace("忠诚，既是", "忠诚，既算"), "changed.txt")
    assert cache_key(changed) != cache_key(speech)
    Summaries(speech, tmp_path).warm()
    assert Summaries(changed, tmp_path).get(changed.node("1.1")) == summarize(changed, changed.node("1.1"))
    assert len(list(tmp_path.glob("summaries-*.json"))) == 2
