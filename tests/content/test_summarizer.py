"""Summaries: verbatim sentences in speech order, each whole or shortened once with ……, a budget
relative to the node, the heading first, every child represented, no readability defect on any
node; keywords that are terms; and quality above the lead-N and heading-only baselines."""

from __future__ import annotations

import pytest

from benchmarks.quality import load_references, summary_figures
from content import Speech
from content.summarizer import (
    BOUNDS,
    FILLER,
    OMITTED,
    budget,
    defects,
    is_keyword_word,
    is_term,
    keywords,
    shorten,
    summarize,
)

IDS = [None, "preface", "1", "1.1", "1.3", "2", "2.1", "3", "3.5", "4", "4.2", "4.2.3", "4.3", "closing"]
GENERIC = ("决不能", "始终", "三年", "坚决", "进一步")


def shown(text: str) -> str:
    return text.replace("\n", "").replace(OMITTED, "")


@pytest.mark.parametrize("node_id", IDS)
@pytest.mark.parametrize("length", ["short", "long"])
def test_summary_is_verbatim_ordered_and_compresses(speech: Speech, node_id: str | None, length: str) -> None:
    node = speech.node(node_id) if node_id else None
    result = summarize(speech, node, length)  # type: ignore[arg-type]
    text = node.text if node else "\n".join(n.text for n in speech.top)
    position = -1
    for piece in result.sentences:
        found = text.find(piece, position + 1)
        assert found > position, piece  # verbatim and in speech order
        position = found
    assert shown(result.summary) == "".join(result.sentences)  # nothing added but …… and line breaks
    size = len(shown(result.summary))
    assert 0 < size <= BOUNDS[length][1]
    if node is not None and not node.children:
        assert size <= budget(len(text.replace("\n", "")), length)
    if len(text) > 300:
        assert size < 0.6 * len(text)  # it actually compresses
    assert 5 <= len(result.keywords) <= 10 and all(word in text for word in result.keywords)
    assert not any(word in GENERIC for word in result.keywords)


@pytest.mark.parametrize("node_id", ["1.1", "2.2", "4.2", "3", "closing"])
def test_the_heading_comes_first(speech: Speech, node_id: str) -> None:
    node = speech.node(node_id)
    first = node.sentences[0].split("，")[0]
    assert summarize(speech, node).summary.startswith(first)


@pytest.mark.parametrize("node_id", ["1", "3", "4", "4.2", "4.3"])
def test_every_child_gets_its_heading_and_a_key_clause(speech: Speech, node_id: str) -> None:
    node = speech.node(node_id)
    result = summarize(speech, node)
    spans, position = [], -1
    for piece in result.sentences:  # where each shown piece stands in the node's text
        position = node.text.find(piece, position + 1)
        spans.append((position, position + len(piece)))
    for child in node.children:
        heading = child.sentences[0].strip()
        assert heading in result.summary, heading
        start = node.text.find(child.text) + len(child.sentences[0])
        end = node.text.find(child.text) + len(child.text)
        beyond = sum(max(0, min(e, end) - max(s, start)) for s, e in spans)
        assert beyond >= 6, f"{child.label} is only a heading"


def test_a_cut_sentence_is_marked(speech: Speech) -> None:
    result = summarize(speech, speech.node("4.2"))
    assert OMITTED in result.summary
    for piece in result.sentences:
        if not piece.endswith(("。", "！", "？", "”")):
            assert piece + OMITTED in result.summary, piece


@pytest.mark.parametrize("length", ["short", "long"])
def test_no_summary_of_any_node_has_a_readability_defect(speech: Speech, length: str) -> None:
    for node in [None, *speech.nodes()]:
        result = summarize(speech, node, length)  # type: ignore[arg-type]
        assert defects(result, node) == [], (result.id, result.summary)


def test_the_defect_checker_finds_each_defect(speech: Speech) -> None:
    good = summarize(speech, speech.node("2.2"))
    lead_in = good.model_copy(update={"summary": "习近平总书记强调：……"})
    assert defects(lead_in) == ["empty lead-in: 习近平总书记强调：……"]
    twice = good.model_copy(update={"summary": "谋定快动，重点在谋……谋定快动，关键是快……"})
    assert defects(twice) == ["clause twice: 谋定快动"]
    assert "4 …… in one line" in defects(good.model_copy(update={"summary": "甲乙丙丁……" * 4}))
    assert defects(good.model_copy(update={"keywords": ("一分部署，九分落实", "六是")})) == [
        "not a term: 一分部署，九分落实", "not a term: 六是"]
    part = summarize(speech, speech.node("4"))
    without = part.model_copy(update={"summary": part.summary.replace("（二）", "")})
    assert "child left out: 四（二）" in defects(without, speech.node("4"))


def test_a_sentence_is_shortened_once_at_a_clause_and_never_to_a_lead_in() -> None:
    sentence = "要坚持谋定而后动，谋定而快动，把住方向，决不能拖。"
    assert shorten(sentence, 100) == sentence
    assert shorten(sentence, 18) == "要坚持谋定而后动，谋定而快动……"
    assert shorten("习近平总书记在全会上强调，纪律是管党治党的戒尺。", 20) is None  # only the lead-in fits
    assert shorten("他说：“一分部署，九分落实”是要求。", 12) is None  # never inside a quotation


def test_the_whole_speech_names_the_four_shen_every_part_and_the_closing(speech: Speech) -> None:
    result = summarize(speech)
    assert result.summary.split("\n")[0].count("慎") >= 4
    for part in speech.parts:
        assert part.text.split("\n")[0] in result.summary
        for child in part.children:
            assert child.sentences[0].strip() in result.summary
    assert result.summary.endswith("努力奋斗！")


def test_keywords_are_terms_of_the_speech(speech: Speech) -> None:
    assert "两个坚决维护" in summarize(speech, speech.node("1.1")).keywords
    assert "四风" in summarize(speech, speech.node("4.2.2")).keywords
    assert "长牙" not in summarize(speech, speech.node("1.3")).keywords  # a metaphor, not a term
    assert "一分部署，九分落实" not in summarize(speech, speech.node("2.1")).keywords  # a slogan, not a term
    first = summarize(speech, speech.node("3.2")).keywords
    second = summarize(speech, speech.node("4.2.5")).keywords
    assert first != second and "招商" in "".join(first)
    assert all(is_term(word) for node in speech.nodes() for word in summarize(speech, node).keywords)


def test_keywords_are_whole_words_not_pieces(speech: Speech) -> None:
    """代代传 is cut from 代代传承, 高质 from 高质高效: jieba splits them, they are no keywords."""
    assert "代代传" not in summarize(speech, speech.node("preface")).keywords
    for node_id in ("3.1", "3.3"):
        assert "高质" not in summarize(speech, speech.node(node_id)).keywords, node_id
    assert {"协作办", "一切办法", "每季度"}.isdisjoint(  # a phrase padded with a lone character or filler
        word for node_id in ("2.2", "2.3", "3.2") for word in summarize(speech, speech.node(node_id)).keywords)
    assert not is_keyword_word(speech.node("preface").text, "代代传")
    assert is_keyword_word(speech.node("preface").text, "中国共产党")  # a whole word, though 党人 follows it


def test_keywords_carry_no_filler() -> None:
    text = ("党员干部要常怀律己之心，常怀敬畏之心，常怀感恩之心。不能放松对自己的要求，不能忘记初心使命，"
            "不能搞特殊化。要代代传承红色基因，高质高效推进工作，推动经济高质量发展。")
    found = keywords(text)
    assert {"常怀", "不能", "代代传", "高质"}.isdisjoint(found), found
    assert {"红色基因", "初心使命"} <= set(found)


@pytest.mark.parametrize(("node_id", "expected"), [
    ("1", {"忠诚", "纪律"}), ("4", {"从严治党"}), ("4.2.5", {"惩治", "查处", "不正之风"}),
    ("4.2.6", {"依法行政", "预防腐败"}), ("4.3.3", {"修身", "处事", "交友"}), ("closing", {"真抓实干"})])
def test_keywords_of_a_node_name_its_topics(speech: Speech, node_id: str, expected: set[str]) -> None:
    """Read against the speech: each node's keywords keep the words of its topic, and no word of
    jieba's function classes (adverbs such as 亲自 or 从严, pronouns such as 自我, times such as
    一年) or of ``FILLER`` (不能, 推进)."""
    found = summarize(speech, speech.node(node_id)).keywords
    assert expected <= set(found), found
    assert {"亲自", "从严", "自我", "一年", "不能", "推进", "坚持", "上级"}.isdisjoint(found), found
    assert not FILLER & set(found)


@pytest.mark.parametrize("length", ["short", "long"])
def test_the_preface_summary_keeps_the_four_principles(speech: Speech, length: str) -> None:
    preface = speech.node("preface")
    naming = next(s for s in preface.sentences if "慎初、慎微、慎独、慎友" in s)
    result = summarize(speech, preface, length)  # type: ignore[arg-type]
    assert naming.strip() in result.sentences  # whole and verbatim
    assert not defects(result, preface)
    assert "会议上……" not in result.summary  # never a bare setting (在……会议上) cut off from what it sets


@pytest.mark.parametrize("references", ["summaries.yaml", "heldout_summaries.yaml"])
def test_summaries_beat_both_baselines_on_the_references(speech: Speech, references: str) -> None:
    figures = summary_figures(speech, load_references(references))
    for baseline in ("lead_n", "headings"):
        for measure in ("rouge1", "rouge2"):
            assert figures["ours"][measure] > figures[baseline][measure], figures
