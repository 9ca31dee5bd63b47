"""Text broken into lines the way it is typeset: where Unicode line breaking (UAX #14) allows.

Chinese and Japanese break between any two characters, a Latin word, a number or a marker like
`(2)` never breaks, no line starts with closing punctuation (`，。）`) or ends with opening
punctuation (`（「`), and English breaks at spaces (and after hyphens). Widths are terminal
cells. The rules come from uniseg, which implements UAX #14 in full but in pure Python (about
60 µs a character); `breaks` gets the same answer in a few µs a line by asking uniseg only about
the stretches around punctuation and spaces, and remembering the answers (see `_PLACES`).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from itertools import pairwise

from rich.cells import cell_len, get_character_cell_size
from rich.text import Text

# Two kinds of character that line breaking treats the same wherever they stand:
# ASCII letters and digits (Line_Break AL or NU: never a break between two of them),
# and CJK ideographs (ID, wide: always a break between two of them, and next to a letter).
# Everything else (spaces, punctuation, other scripts) forms "other" runs; what happens around
# an other run depends only on the run and the one character on each side of it, since every
# rule of UAX #14 that looks further stops at a letter, a digit or an ideograph. Such a stretch
# is asked of uniseg with those two characters replaced by a stand-in ('a', '0', '一'), so the
# answers repeat (", " between two letters is one question, whatever the letters) and are cached.
# The commonest cases are answered by the pattern itself: a break before or after an ideograph
# next to a letter, digit or ideograph (LB31), and after a lone space between two such (LB18).
#
# One tailoring UAX #14 describes for Korean, which is written with spaces between words: Hangul
# (syllables and jamo: classes H2, H3, JL, JV, JT) is taken as AL, as letters, so a Korean word
# stays whole and lines break at its spaces ("keep-all"), not between any two syllables. Its
# stand-in is a letter as wide as it is (a wide one: LB19a looks at the width of a quotation
# mark's neighbours).
_WIDE_HANGUL = "\u1100-\u115f\ua960-\ua97c\uac00-\ud7a3"  # syllables and leading jamo
_NARROW_HANGUL = "\u1160-\u11ff\ud7b0-\ud7c6\ud7cb-\ud7fb"  # vowel and trailing jamo
_LATIN = "A-Za-z0-9" + _WIDE_HANGUL + _NARROW_HANGUL
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_SIMPLE = _LATIN + _HAN
_IS_WIDE_HANGUL = re.compile(f"[{_WIDE_HANGUL}]")
_IS_NARROW_HANGUL = re.compile(f"[{_NARROW_HANGUL}]")
_WIDE_LETTER = "\U00018b00"  # Line_Break AL, East Asian Width W (a Khitan character)
_PLACES = re.compile(
    f"(?<=[{_HAN}])(?=[{_SIMPLE}])|(?<=[{_LATIN}])(?=[{_HAN}])"  # empty: a break here
    f"|(?<=[{_SIMPLE}])( )(?=[{_SIMPLE}])"  # group 1: a break after it
    f"|[^{_SIMPLE}]+"  # an other run
)

# Mandatory breaks (UAX #14 classes BK, CR, LF, NL).
_HARD_BREAK = re.compile("\r\n|[\n\v\f\r\x85\u2028\u2029]")


def _stand_in(char: str) -> str:
    """The stand-in for a letter, digit or ideograph ('' for the edge of the text)."""
    if not char:
        return ""
    if char <= "z":
        return "0" if char <= "9" else "a"
    if _IS_NARROW_HANGUL.match(char):
        return "a"
    return _WIDE_LETTER if _IS_WIDE_HANGUL.match(char) else "一"


# One tailoring, as UAX #14 allows: after a space, no break before a nonstarter (NS: ；：々・,
# and CJ: small kana, ー) or an ellipsis (IN: …), as none may start a line; the default allows a
# break there (LB18 comes before LB21 and LB22), unlike before a closing mark like ，or ）(LB13).
_NO_START_AFTER_SPACE = frozenset({"NS", "CJ", "IN"})


@cache
def uniseg_line_breaking() -> tuple[Callable[[str], str], Callable[[str], Iterable[int]]]:
    """uniseg's `line_break` and `line_break_breakables`, loaded with the first text that asks.
    Not through the package's `__init__`, which only looks its own version up with
    importlib.metadata: that loads the email package, 11 ms of every start, to no use here."""
    if "uniseg" not in sys.modules:
        spec = importlib.util.find_spec("uniseg")
        if spec is not None and spec.submodule_search_locations is not None:
            package = importlib.util.module_from_spec(spec)  # (not run)
            sys.modules["uniseg"] = package
    from uniseg.linebreak import line_break, line_break_breakables

    return line_break, line_break_breakables


@lru_cache(maxsize=4096)
def _other_run_breaks(left: str, run: str, right: str) -> tuple[int, ...]:
    """Where a line may break in `run` (0: before it, len(run): after it), between `left` and
    `right` (a stand-in character each, or '' at the edge of the text)."""
    line_break, line_break_breakables = uniseg_line_breaking()
    segment = left + run + right
    return tuple(
        i - len(left)
        for i, allowed in enumerate(line_break_breakables(segment))
        if allowed
        and i
        and not (segment[i - 1] == " " and line_break(segment[i]) in _NO_START_AFTER_SPACE)
    )


# A web address is one unit: UAX #14 would break it after each `/` (`https://` alone at a line's
# end); it is cut by cells only when it is wider than the line.
_URL = re.compile(r"https?://\S+")


def breaks(line: str) -> list[int]:
    """The offsets in `line` where a line may break (before `line[offset]`), in order: what
    UAX #14 allows (uniseg's `line_break_breakables`, with the tailoring above), without the
    start and the end, nor the inside of a web address."""
    found = _uax14_breaks(line)
    if "://" not in line:
        return found
    inside = [(url.start(), url.end()) for url in _URL.finditer(line)]
    return [at for at in found if not any(start < at < end for start, end in inside)]


def _uax14_breaks(line: str) -> list[int]:
    found: list[int] = []
    for place in _PLACES.finditer(line):
        start, end = place.span()
        if start == end:
            found.append(start)
        elif place.lastindex:
            found.append(end)
        else:
            left = _stand_in(line[start - 1 : start])
            right = _stand_in(line[end : end + 1])
            found.extend(start + i for i in _other_run_breaks(left, line[start:end], right))
    return found


def wrap(text: Text, width: int, *, tab_size: int = 8) -> list[Text]:
    """`text` as lines of at most `width` cells (lines without their newline).

    A line breaks where UAX #14 allows it and holds as much as fits; a newline is a hard break;
    spaces where a line breaks are dropped. A stretch that cannot break and is wider than
    `width` is cut between characters, as a last resort (a single character wider than
    `width` gets a line of its own; a width below 1 counts as 1). Styles and spans stay on the
    pieces. Tabs are expanded first, as Rich does.
    """
    width = max(width, 1)
    if "\t" in text.plain:
        text = text.copy()
        text.expand_tabs(tab_size)
    plain = text.plain
    lines: list[tuple[int, int]] = []  # (start, end) in `plain`
    start = 0
    for hard_break in _HARD_BREAK.finditer(plain):
        lines.extend(_fill(plain, start, hard_break.start(), width))
        start = hard_break.end()
    lines.extend(_fill(plain, start, len(plain), width))

    # The piece before the first line is empty, or the indentation with no room (see _fill).
    pieces = list(text.divide(line_start for line_start, _ in lines))[1:]
    for piece, (line_start, line_end) in zip(pieces, lines, strict=True):
        dropped = len(piece) - (line_end - line_start)  # spaces and the newline at a break
        if dropped:
            piece.right_crop(dropped)
    return list(pieces)


def _fill(plain: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """The lines of one paragraph, `plain[start:end]`, filled greedily: (start, end) each."""
    lines: list[tuple[int, int]] = []
    line_start = line_end = start  # line_end: the end of what shows, trailing spaces not
    used = 0  # cells from line_start to the end of the last unit placed, spaces included
    unit_start = start
    for unit_end in [*(start + offset for offset in breaks(plain[start:end])), end]:
        unit = plain[unit_start:unit_end]
        shown = unit.rstrip(" ")  # spaces end a unit, and are dropped where the line breaks
        cells = cell_len(shown)
        if unit_start > line_start and used + cells > width:
            if line_end > line_start:  # else the line holds only the paragraph's indentation
                lines.append((line_start, line_end))
            line_start, used = unit_start, 0
        if cells > width and (cuts := _cut(shown, width)):  # alone and still too wide: cut
            lines.extend((unit_start + a, unit_start + b) for a, b in pairwise([0, *cuts]))
            line_start = unit_start + cuts[-1]
            cells = cell_len(shown[cuts[-1] :])
        used += cells + len(unit) - len(shown)
        line_end = unit_start + len(shown)
        unit_start = unit_end
    lines.append((line_start, line_end))
    return lines


def _cut(shown: str, width: int) -> list[int]:
    """Offsets that cut `shown` into pieces of at most `width` cells (at least one character
    each; a mark of no width stays with the character before it)."""
    cuts: list[int] = []
    cells = 0
    for offset, char in enumerate(shown):
        size = get_character_cell_size(char)
        if size and cells and cells + size > width:
            cuts.append(offset)
            cells = 0
        cells += size
    return cuts
