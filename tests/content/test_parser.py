"""The parsed default speech, layout variants and broken files."""

from __future__ import annotations

from pathlib import Path

import pytest

from content import DEFAULT_SPEECH, Speech, SpeechFormatError, load_speech, parse_bytes, parse_text


def test_parts_and_subsections(speech: Speech) -> None:
    assert [len(part.children) for part in speech.parts] == [3, 3, 5, 3]
    assert [part.label for part in speech.parts] == ["一、", "二、", "三、", "四、"]
    assert speech.parts[0].title == "树牢核心意识，不断强化“政治三力”，让旗帜更鲜明"
    assert speech.parts[3].title == "坚定初心使命，严格把牢“权力开关”，让廉政更深入"


@pytest.mark.parametrize(
    ("node_id", "label", "title"),
    [
        ("1.1", "一（一）", "坚持对党绝对忠诚"),
        ("1.3", "一（三）", "严格遵守纪律规矩"),
        ("2.2", "二（二）", "始终立足发展大局抓落实"),
        ("3.1", "三（一）", "深入项目攻坚，跑出项目“加速度”"),
        ("3.5", "三（五）", "全域城市更新和基础设施配套提升，增强城市“保障力”"),
        ("4.2", "四（二）", "聚焦关键环节，坚定不移抓好政府系统党风廉政建设重点工作"),
        ("4.3", "四（三）", "加强组织领导，确保全县政府系统党风廉政建设取得扎实成效"),
    ],
)
def test_subsection_titles(speech: Speech, node_id: str, label: str, title: str) -> None:
    node = speech.node(node_id)
    assert (node.kind, node.label, node.title) == ("section", label, title)
    assert node.text.startswith(f"（{label[2]}）{title}")


def test_part_three_has_two_introductory_paragraphs(speech: Speech) -> None:
    part = speech.node("3")
    assert len(part.intro) == 2
    assert part.intro[0].startswith("今年是实施“十四五”规划承上启下的关键之年")
    assert part.intro[1].startswith("今年，在高质量发展方面")
    assert all(not p.startswith("（") for p in part.intro)
    assert not speech.node("1").intro


def test_points_in_four_two_and_four_three(speech: Speech) -> None:
    four_two = speech.node("4.2")
    assert [p.label for p in four_two.children] == [f"四（二）{i}" for i in range(1, 7)]
    assert [p.text[:2] for p in four_two.children] == ["一是", "二是", "三是", "四是", "五是", "六是"]
    assert four_two.children[0].title == "坚决贯彻党中央和省市委决策部署"
    assert four_two.children[5].title == "规范政府权力运行"
    assert four_two.children[5].text.endswith("坚决不能让“在真空中运行”。")
    four_three = speech.node("4.3")
    assert [p.text[:2] for p in four_three.children] == ["一要", "二要", "三要"]
    assert [p.title for p in four_three.children] == ["强化党的政治建设", "扛起管党治党责任", "守住廉洁从政底线"]
    assert speech.node("4.3.3").id == "4.3.3"
    # Points are slices of their subsection, in order, and cover its tail.
    assert four_two.text.endswith("".join(p.text for p in four_two.children))


def test_preface_salutation_and_closing(speech: Speech) -> None:
    assert speech.salutation == "同志们："
    assert speech.title is None
    preface = speech.node("preface")
    assert preface.text.startswith("清正廉洁，是融入中国共产党人血脉之中的不变本色")
    assert "把慎初、慎微、慎独、慎友作为处事原则" in preface.text
    closing = speech.node("closing")
    assert closing.text.startswith("同志们，风正时济，自当破浪前行。")
    assert closing.text.endswith("为实现高质量发展而努力奋斗！")
    assert next(n.id for n in speech.top) == "preface" and speech.top[-1].id == "closing"


def test_round_trip_text_equals_joined_sentences(speech: Speech) -> None:
    for node in speech.nodes():
        assert "".join(node.sentences) == node.text, node.id
        assert all(s for s in node.sentences)


def test_nested_quotes_stay_in_one_sentence(speech: Speech) -> None:
    sentences = speech.node("1.3").sentences
    quoted = [s for s in sentences if s.startswith("习近平总书记在二十届中央纪委二次全会上强调：")]
    assert len(quoted) == 1
    assert quoted[0].endswith("使全党形成遵规守纪的高度自觉。”")
    assert "“戒尺”" in quoted[0] and "“长牙”" in quoted[0]


def test_every_word_of_the_file_is_in_the_tree(speech: Speech) -> None:
    source = DEFAULT_SPEECH.read_text("utf-8")
    body = "".join(n.text for n in speech.top).replace("\n", "")
    assert "".join(source.split()).replace("同志们：", "", 1).replace("\u3000", "") == body.replace("\u3000", "")


def _variants(raw: str) -> dict[str, bytes]:
    lines = raw.split("\n")
    return {
        "bom": b"\xef\xbb\xbf" + raw.encode(),
        "crlf": raw.replace("\n", "\r\n").encode(),
        "ascii_indent": "\n".join("    " + line.strip("\u3000 ") for line in lines).encode(),
        "fullwidth_indent": "\n".join("\u3000\u3000" + line.strip("\u3000 ") for line in lines).encode(),
        "blank_lines": "\n\n".join(lines).encode(),
        "ascii_markers": raw.replace("（", "(").replace("）", ")").encode(),
        "trailing_spaces": "\n".join(line + " \t\u3000" for line in lines).encode(),
    }


@pytest.mark.parametrize("variant", list(_variants("x")))
def test_layout_variants_give_the_same_tree(speech: Speech, variant: str) -> None:
    raw = DEFAULT_SPEECH.read_text("utf-8")
    parsed = parse_bytes(_variants(raw)[variant])
    structure = [(n.id, n.kind, n.label, n.title) for n in parsed.nodes()]
    assert structure == [(n.id, n.kind, n.label, n.title) for n in speech.nodes()]
    if variant != "ascii_markers":  # ASCII markers are kept verbatim in the text
        assert [n.text for n in parsed.nodes()] == [n.text for n in speech.nodes()]


@pytest.mark.parametrize(
    ("raw", "line", "fragment"),
    [
        (b"", 1, "empty"),
        (b"\n \n\t\n", 1, "empty"),
        ("同志们：\n一、标题\n".encode() + b"\xff\xfe bad\n", 3, "not valid UTF-8"),
        ("只是一段话。\n另一段话。\n".encode(), 1, "no recognisable structure"),
        ("一、甲\n（一）甲。\n三、丙\n".encode(), 3, "out of order"),
        ("前言。\n（一）没有部分。\n".encode(), 2, "before the first part"),
        ("一、甲\n（二）乙。\n".encode(), 2, "out of order"),
        ("一、甲\n（一）甲。\n同志们，再见。\n（二）迟到。\n".encode(), 4, "after the closing"),
    ],
)
def test_broken_files_fail_with_file_and_line(raw: bytes, line: int, fragment: str) -> None:
    with pytest.raises(SpeechFormatError) as info:
        parse_bytes(raw, source="talk.txt")
    assert info.value.line == line
    assert fragment in str(info.value)
    assert str(info.value).startswith(f"talk.txt:{line}: ")
    assert "\n" not in str(info.value)


def test_missing_file_is_a_format_error(tmp_path: Path) -> None:
    with pytest.raises(SpeechFormatError, match="cannot read"):
        load_speech(tmp_path / "nope.txt")


def test_optional_title_line() -> None:
    parsed = parse_text("关于廉洁的讲话\n同志们：\n开头。\n一、第一部分\n（一）内容。\n")
    assert parsed.title == "关于廉洁的讲话"
    assert [n.id for n in parsed.nodes()] == ["preface", "1", "1.1"]
    assert parsed.node("1.1").children == ()


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("4.2", "4.2"), ("4-2", "4.2"), ("四（二）", "4.2"), ("四(二)", "4.2"), ("四、（二）", "4.2"),
        ("四（二）3", "4.2.3"), ("四（二）三", "4.2.3"), ("4.2.3", "4.2.3"), ("s-4-2", "4.2"),
        ("一", "1"), ("一、", "1"), ("1", "1"), ("前言", "preface"), ("closing", "closing"),
        (" 4 . 2 ", "4.2"), ("４.２", "4.2"), ("abc", None), ("0.1", None), ("", None),
        # what people type (issue 17, item 11): a Chinese full stop, full-width points, ordinals
        ("4。2", "4.2"), ("4．2", "4.2"), ("４．２．３", "4.2.3"), ("第四部分", "4"), ("第4部分", "4"),
        ("第四部分第二节", "4.2"), ("第四部分 第二节", "4.2"), ("第四部分（二）", "4.2"),
        ("第四部分第二节第三点", "4.2.3"), ("第四部分第二节3", "4.2.3"), ("第二节", None), ("第四", None),
        ("第四部分第三点", None), ("第0部分", None),
    ],
)
def test_id_notations(speech: Speech, ref: str, expected: str | None) -> None:
    assert Speech.canonical_id(ref) == expected
    if expected:
        assert speech.node(ref).id == expected
