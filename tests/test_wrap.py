"""Lines broken where Unicode line breaking allows (digest_tui.wrap)."""

from __future__ import annotations

import io
import re
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.text import Span, Text
from uniseg.linebreak import LineBreak, line_break, line_break_breakables

from digest_tui.library import load_library
from digest_tui.wrap import breaks, wrap
from tests.conftest import shared_or_skip

CLOSING = "，。、；：？！）」』】》,.;:?!)]}"
OPENING = "（「『【《("


def lines(text: str | Text, width: int) -> list[str]:
    return [line.plain for line in wrap(Text(text) if isinstance(text, str) else text, width)]


# The cases of issue 12.


def test_chinese_breaks_between_characters_so_lines_are_filled():
    text = "通过对比Faster R-CNN和YOLOv9的检测结果"
    # Rich's own wrapping gives "通过对比Faster" and then the rest, cut mid-word.
    assert lines(text, 12) == ["通过对比", "Faster R-CNN", "和YOLOv9的检", "测结果"]
    assert lines(text, 20) == ["通过对比Faster R-CNN", "和YOLOv9的检测结果"]
    assert lines(text, 17) == ["通过对比Faster R-", "CNN和YOLOv9的检测", "结果"]


def test_words_and_numbers_inside_chinese_stay_whole():
    for width in range(10, 30):  # "（protocol" and "（0.358）" are the widest, 10 and 9 cells
        found = lines("本文提出协议（protocol audit）的方法", width)
        assert any("protocol" in line for line in found), found
        found = lines("在Molmo-7B（0.358）上表现最好", width)
        assert any("（0.358）" in line for line in found), found
        assert any(line.endswith("Molmo-7B") or "Molmo-7B（" in line for line in found), found


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation():
    text = (
        "结果显示，模型在三个数据集上均优于基线（包括「强」基线）。此外，方法简单、高效；可扩展！"
    )
    for width in range(6, 40):  # the widest stretch that cannot break, "线）。", is 6 cells
        found = lines(text, width)
        assert all(line[:1] not in CLOSING for line in found), (width, found)
        assert all(line[-1:] not in OPENING for line in found), (width, found)


def test_a_numbered_marker_is_never_split_and_joins_its_line():
    text = "主要贡献有三点：(1)提出新方法；(2)构建数据集；(3)验证有效。"
    for width in range(6, 40):
        found = lines(text, width)
        assert all(any(marker in line for line in found) for marker in ("(1)", "(2)", "(3)"))
        assert "(2)" not in found, found  # alone, when the next character would have fit
    assert lines("方法见(2)。", 11) == ["方法见(2)。"]


def test_english_wraps_at_spaces_as_rich_does():
    text = (
        "Accurate and rapid estimation of hemodynamic metrics, such as pressure and wall "
        "shear stress (WSS), is important for assessing the severity of coronary artery "
        "disease. Existing approaches are slow; ours is 13.8 times faster than the baseline."
    )
    console = Console(width=200, file=io.StringIO(), color_system=None)
    for width in (20, 40, 60, 80):
        rich_lines = [line.plain.rstrip() for line in Text(text).wrap(console, width)]
        assert lines(text, width) == rich_lines


def test_a_hyphen_may_end_a_line():
    assert lines("state-of-the-art", 10) == ["state-of-", "the-art"]
    assert lines("GPT-4o-mini", 8) == ["GPT-4o-", "mini"]  # but not before a digit


def test_newlines_are_hard_breaks_and_spaces_at_a_break_are_dropped():
    assert lines("first line   \nsecond", 40) == ["first line", "second"]
    assert lines("aaa bbb   ccc", 7) == ["aaa bbb", "ccc"]
    assert lines("a\n\nb\n", 10) == ["a", "", "b", ""]
    assert lines("", 10) == [""]
    assert lines("  indented text", 40) == ["  indented text"]
    assert lines("      indented", 10) == ["indented"]  # no room for the indentation
    assert lines("   ", 10) == [""]


def test_a_run_wider_than_the_line_is_cut_as_a_last_resort():
    assert lines("x " + "a" * 25 + " y", 10) == ["x", "aaaaaaaaaa", "aaaaaaaaaa", "aaaaa y"]
    assert lines("一二", 1) == ["一", "二"]  # a character wider than the line stands alone
    assert lines("e\u0301e\u0301e\u0301", 2) == ["e\u0301e\u0301", "e\u0301"]  # marks stay


def test_tabs_are_expanded_as_rich_does():
    assert lines("a\tb", 20) == ["a       b"]


def test_styles_and_spans_stay_on_the_pieces():
    text = Text("重要的是 Faster R-CNN 检测器。", style="italic")
    text.stylize("bold", 0, 4)
    text.stylize(Style(link="https://example.org"), 5, 17)
    text.stylize("reverse", 12, 15)  # a search match: "CNN"
    found = wrap(text, 12)
    assert [line.plain for line in found] == ["重要的是", "Faster R-CNN", "检测器。"]
    assert all(line.style == "italic" for line in found)
    assert found[0].spans == [Span(0, 4, "bold")]
    link = Style(link="https://example.org")
    assert found[1].spans == [Span(0, 12, link), Span(7, 10, "reverse")]
    assert found[2].spans == []


# Properties.

# Characters of many line breaking classes, and the ones the digests are made of.
INTERESTING = (
    "aZ09 ,.;:?!()[]{}-/%$+'\"#&*@_"
    "一中文的，。、；：？！（）「」『』【】《》“”‘’…—～·％"
    "éαЖ\u0301\u200b\u2060\u00a0\u200d\u2010"
    "あぁーアッ한국어\u1100\u1161\u11a8ㄱ\u05d0\u0e01🇯🇵👍🏽\u25cc①×→"
)
PROSE = "aaa bbb cc 7B 0.358 R-CNN 中文字符 的 ，。、；：？！（）「」(2) “” ‘’ …… —— % ·"


HANGUL_CLASSES = {LineBreak.H2, LineBreak.H3, LineBreak.JL, LineBreak.JV, LineBreak.JT}


def korean_as_letters(char: str) -> LineBreak:
    """The Line_Break class, with UAX #14's tailoring for Korean written with spaces: Hangul
    as AL."""
    found = line_break(char)
    return LineBreak.AL if found in HANGUL_CLASSES else found


def reference_breaks(line: str) -> list[int]:
    """UAX #14 by uniseg on the whole line, with the two tailorings (Hangul as letters; no
    break before ；：… after a space)."""
    return [
        i
        for i, allowed in enumerate(line_break_breakables(line, property=korean_as_letters))
        if allowed and i and not (line[i - 1] == " " and str(line_break(line[i])) in "NS CJ IN")
    ]


@given(st.text(alphabet=INTERESTING, max_size=40))
def test_breaks_are_exactly_uniseg_s(line: str):
    assert breaks(line) == reference_breaks(line)


@given(st.text(max_size=30))
def test_breaks_are_exactly_uniseg_s_for_any_text(line: str):
    assert breaks(line) == reference_breaks(line)


def places_of(paragraph: str, found: list[str]) -> list[tuple[int, int]]:
    """Where each line sits in `paragraph`, checking that only spaces (and newlines, if it
    has several) fall between lines."""
    placed, position = [], 0
    for line in found:
        while not paragraph.startswith(line, position):
            assert paragraph[position] in " \n", (paragraph, found)
            position += 1
        placed.append((position, position + len(line)))
        position += len(line)
    assert set(paragraph[position:]) <= {" ", "\n"}
    return placed


def words_and_chars(alphabet: str = PROSE):
    return st.lists(
        st.sampled_from(alphabet.split(" ")) | st.sampled_from(list(alphabet)), max_size=30
    ).map("".join)


def unit_around(paragraph: str, offset: int) -> str:
    """The unbreakable stretch of `paragraph` around `offset`, without its trailing spaces."""
    allowed = [0, *breaks(paragraph), len(paragraph)]
    start = max(b for b in allowed if b < offset)
    end = min(b for b in allowed if b > offset)
    return paragraph[start:end].rstrip(" ")


@given(st.one_of(words_and_chars(), st.text(alphabet=INTERESTING, max_size=50)), st.integers(1, 30))
def test_lines_fit_keep_the_text_and_break_only_where_allowed(paragraph: str, width: int):
    found = lines(paragraph, width)
    allowed = set(breaks(paragraph))
    for line in found:
        # at most the width, or a single character wider than that (with marks of no width)
        assert cell_len(line) <= width or sum(cell_len(char) > 0 for char in line) == 1
    for start, _ in places_of(paragraph, found)[1:]:
        if start not in allowed:  # a last resort: a stretch too wide for a line of its own
            assert cell_len(unit_around(paragraph, start)) > width


def test_a_nonstarter_does_not_start_a_line_even_after_a_space():
    assert breaks("模型 ；方法 ：结果 ……") == [1, 4, 5, 8, 9]  # not 3, 7, 11
    assert lines("模型很好 ；方法", 8) == ["模型很", "好 ；方", "法"]  # not "；方法"


@given(words_and_chars(), st.integers(1, 30))
def test_closing_punctuation_starts_a_line_only_when_forced(paragraph: str, width: int):
    """No break opportunity falls before closing or after opening punctuation, so such a line
    is a last resort (which the test above allows only for a stretch too wide for the line)."""
    found = lines(paragraph, width)
    allowed = set(breaks(paragraph))
    placed = places_of(paragraph, found)
    for before, line, (start, _) in zip(found, found[1:], placed[1:], strict=False):
        if line[:1] in CLOSING and not re.match(r"[,.;:]\d", line):  # " .5" may start a line
            assert start not in allowed
        if before[-1:] in OPENING:
            assert start not in allowed


STYLES = {"b": "bold", "i": "italic", "u": "underline", "s": "strike"}


@given(
    words_and_chars(PROSE + " \n \n"),
    st.integers(1, 30),
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60), st.sampled_from("bius"))),
)
def test_every_character_keeps_its_styles(paragraph: str, width: int, marks):
    text = Text(paragraph, style="dim")
    for start, end, style in marks:
        text.stylize(STYLES[style], start, end)
    found = wrap(text, width)
    placed = places_of(paragraph, [line.plain for line in found])

    def styles(text: Text, offset: int) -> list[str]:
        return [str(s.style) for s in text.spans if s.start <= offset < s.end]

    for line, (start, _) in zip(found, placed, strict=True):
        assert line.style == "dim"
        for offset in range(len(line)):
            assert styles(line, offset) == styles(text, start + offset)


# The real digests.

LATIN = re.compile(r"[A-Za-z0-9]")


def faults(paragraph: str, found: list[str], width: int) -> list[str]:
    """What is wrong with each line of `paragraph` as `found` wraps it ('' if nothing): too
    wide, a word or number split, a line opening on closing punctuation or ending on opening
    punctuation, or a line that breaks early though the next line's first unit would fit. A cut
    inside a stretch that cannot break and is wider than the line is not a fault."""
    found = [line.rstrip(" ") for line in found]  # Rich keeps spaces at a break
    placed = places_of(paragraph, found)
    allowed = [*breaks(paragraph), len(paragraph)]
    result = []
    for line, (_, end), after, (next_start, _) in zip(
        found, placed, [*found[1:], ""], [*placed[1:], (None, None)], strict=True
    ):
        fault = ""
        if cell_len(line) > width and sum(cell_len(char) > 0 for char in line) > 1:
            fault = "too wide"
        elif next_start is None:
            pass
        elif next_start not in allowed and cell_len(unit_around(paragraph, next_start)) > width:
            pass  # a last resort
        elif next_start == end and LATIN.match(line[-1:]) and LATIN.match(after[:1]):
            fault = "word split"
        elif next_start == end and re.search(r"\d[.,]$", line) and after[:1].isdigit():
            fault = "number split"
        elif after[:1] in CLOSING and not re.match(r"[,.;:]\d", after):
            fault = "closing punctuation first"
        elif line[-1:] in OPENING:
            fault = "opening punctuation last"
        else:
            unit = paragraph[next_start : min(b for b in allowed if b > next_start)].rstrip(" ")
            if cell_len(line) + (next_start - end) + cell_len(unit) <= width:
                fault = "half-empty"
        result.append(fault)
    return result


def corpus_paragraphs() -> list[str]:
    library = load_library([shared_or_skip("corpus", "days")])
    return [
        paragraph
        for paper in library.papers
        for field in (paper.tldr, paper.method)
        for paragraph in field.split("\n")
        if paragraph.strip()
    ]


@pytest.mark.parametrize("width", [40, 60])
def test_the_real_chinese_summaries_wrap_without_faults(width: int):
    console = Console(width=200, file=io.StringIO(), color_system=None)
    ours: Counter[str] = Counter()
    rich: Counter[str] = Counter()
    examples: list[list[str]] = []
    total = 0
    for paragraph in corpus_paragraphs():
        found = lines(paragraph, width)
        total += len(found)
        wrong = [fault for fault in faults(paragraph, found, width) if fault]
        ours.update(wrong)
        examples += [found] if wrong else []
        rich_lines = [line.plain for line in Text(paragraph).wrap(console, width)]
        rich.update(fault for fault in faults(paragraph, rich_lines, width) if fault)
    print(f"\nwidth {width}: {total} lines, faulty: Rich's {rich.total()} {dict(rich)}")
    assert not ours, (ours, examples[:3])
    assert rich["word split"] and rich["half-empty"]  # what this module is for


def test_korean_breaks_at_spaces_and_keeps_its_words_whole():
    # Korean is written with spaces between words: a word (GPU를, 3배 too) is never split.
    text = "이 논문은 GPU를 사용하여 대규모 언어 모델의 추론 속도를 3배 향상시키는 방법을 제안한다."
    assert lines(text, 20) == [
        "이 논문은 GPU를",
        "사용하여 대규모 언어",
        "모델의 추론 속도를",
        "3배 향상시키는",
        "방법을 제안한다.",
    ]
    assert lines("한국어（중국어）", 10) == ["한국어", "（중국어）"]


def test_the_real_korean_summaries_break_inside_a_word_only_when_it_is_too_wide():
    def syllable(char: str) -> bool:
        return "\uac00" <= char <= "\ud7a3"

    folder = shared_or_skip("corpus", "eras")
    papers = [p for p in load_library([folder]).papers if "한" in p.tldr]
    assert papers, "the Korean fork's day has Korean summaries"
    for paper in papers:
        for paragraph in (paper.tldr, paper.method):
            for width in (30, 50):
                found = lines(paragraph, width)
                ends = [end for _, end in places_of(paragraph, found)]
                for line, end in zip(found[:-1], ends[:-1], strict=True):
                    inside = syllable(paragraph[end - 1]) and syllable(paragraph[end])
                    # (unless the word is wider than the line: then it is cut where it is full)
                    assert not inside or cell_len(line) > width - 2, found


def test_a_web_address_is_not_broken_at_its_slashes():
    text = Text("cs.CV  ·  arXiv:2602.03039  ·  https://arxiv.org/abs/2602.03039  ·  PDF")
    assert [line.plain for line in wrap(text, 40)] == [
        "cs.CV  ·  arXiv:2602.03039  ·",
        "https://arxiv.org/abs/2602.03039  ·  PDF",
    ]
    long = wrap(Text("see https://example.org/" + "a/" * 30), 20)  # wider than a line: cut
    assert [line.plain for line in long][:2] == ["see", "https://example.org/"]
