"""What a person sees: the app's screen as lines of text, read from Textual's own screenshot."""

from __future__ import annotations

import html
import re

from rich.cells import cell_len
from textual.app import App
from textual.widget import Widget

_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="([\d.]+)" '
    r'clip-path="url\(#[\w-]+-line-(\d+)\)">([^<]*)</text>'
)


def screen_cells(app: App) -> list[list[str]]:
    """The screen, a character per cell (a wide character's second cell is "")."""
    svg = app.export_screenshot()
    width, height = app.size
    rows = [[" "] * width for _ in range(height)]
    spans = _TEXT.findall(svg)
    narrow = (
        (float(length), html.unescape(text))
        for _, length, _, text in spans
        if html.unescape(text).strip() and html.unescape(text).isascii()
    )
    cell = next(length / len(text) for length, text in narrow)
    for x, _, line, content in spans:
        text = html.unescape(content).replace("\xa0", " ").replace("\n", "")
        if not text:
            continue
        column = round(float(x) / cell)
        for char in text:
            if 0 <= column < width:
                rows[int(line)][column] = char
                if cell_len(char) == 2 and column + 1 < width:
                    rows[int(line)][column + 1] = ""
            column += cell_len(char)
    return rows


def screen_lines(app: App) -> list[str]:
    return ["".join(row).rstrip() for row in screen_cells(app)]


def screen_text(app: App) -> str:
    return "\n".join(screen_lines(app))


def squash(text: str) -> str:
    """Text without white space: where a toast wrapped a line cannot be told from a space."""
    return "".join(text.split())


def toast_text(app: App) -> str:
    """The notifications on screen, their wrapped lines joined again, squashed.

    A toast wraps at its own width, so a message that names a temporary path (or any text
    longer than a line) is cut across lines; assert `squash(message) in toast_text(app)`."""
    lines = [
        line.split("▌", 1)[1].split("│")[0].strip() for line in screen_lines(app) if "▌" in line
    ]
    return squash("".join(lines))


def region_text(app: App, widget: Widget) -> str:
    """What a widget shows, its wrapped lines joined again, squashed (see toast_text)."""
    region = widget.scrollable_content_region  # without a scrollbar
    rows = screen_cells(app)[region.y : region.bottom]
    return squash("".join("".join(row[region.x : region.right]) for row in rows))


def region_lines(app: App, widget: Widget) -> list[str]:
    """What a widget shows, line by line (cells, not characters, are cut to its region)."""
    region = widget.scrollable_content_region
    rows = screen_cells(app)[region.y : region.bottom]
    return ["".join(row[region.x : region.right]).rstrip() for row in rows]
