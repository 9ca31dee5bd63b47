"""One row of a line view (the paper list, the paper pane, the days and lists) as a Strip."""

from __future__ import annotations

from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.strip import Strip


def line_strip(
    line: Text, console: Console, base: Style, width: int, pad: Style | None = None
) -> Strip:
    """`line` drawn on `width` cells: cut, or filled with `pad` (else `base`). Every segment gets
    a real style (Rich leaves a plain text's unstyled): NO_COLOR's monochrome filter reads each
    segment's colour."""
    line.no_wrap, line.end = True, ""
    strip = Strip(line.render(console)).apply_style(base)
    return strip.extend_cell_length(width, pad or base).crop(0, width)
