"""What a person sees: the app's screen as lines of text, read from Textual's own screenshot."""

from __future__ import annotations

import html
import re

from rich.cells import cell_len
from textual.app import App

_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="([\d.]+)" '
    r'clip-path="url\(#[\w-]+-line-(\d+)\)">([^<]*)</text>'
)


def screen_lines(app: App) -> list[str]:
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
    return ["".join(row).rstrip() for row in rows]


def screen_text(app: App) -> str:
    return "\n".join(screen_lines(app))
