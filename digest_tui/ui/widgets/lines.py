"""What the line views (the paper list, the paper pane, the days and lists) share: a row drawn
as a Strip, and a new height taken without a layout of the screen."""

from __future__ import annotations

from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
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


def set_height(view: ScrollView, width: int, height: int) -> None:
    """`view` holds `height` rows now. Not by `view.virtual_size = …`, which asks for a layout
    of the whole screen, drawn a frame later, and its scrollbar a frame after that: the size is
    set and the scrollbar told in this frame. Only a scrollbar that appears or goes asks for a
    layout (the width of the rows changes)."""
    size = Size(width, height)
    view.set_reactive(ScrollView.virtual_size, size)
    view._scroll_update(size)  # (Textual's own step after a layout: the scrollbar's thumb)
