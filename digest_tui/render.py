"""A field's inline Markdown (emphasis, code, links, lists) as Rich text for the detail panes.

Digest text is data: it goes through mistune's syntax tree into `rich.text.Text` pieces and is
never read as Rich markup. Raw HTML in a field is shown exactly as written.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from rich.style import Style
from rich.text import Text

from digest_tui.links import is_web_link

# arXiv abstracts mark a new paragraph with a line break and an indent.
_INDENTED_BREAK = re.compile(r"\n[ \t]+(?=\S)")

# A field that Markdown reads as one paragraph of plain text (most are: 87% of the real corpus's
# fields): one line with no character that starts Markdown inline syntax, not starting like a
# heading, quote, list or code block. Its text is the field itself, without mistune (whose
# loading is a fifth of the time the reader's first screen takes beyond a bare Textual app's).
_PLAIN = re.compile(
    r"(?! *(?:[#>+*=-]|\d+[.)]| {4}))[^\x00-\x1f\x7f-\x9f\u2028\u2029*_`\[\]!<>&\\~|]*\Z"
)

_STYLES: dict[str, Style] = {
    "emphasis": Style(italic=True),
    "strong": Style(bold=True),
    "strikethrough": Style(strike=True),
    "codespan": Style(bold=True, dim=True),
    "heading": Style(bold=True),
}


def clip(text: str, limit: int, start: int = 0) -> tuple[str, str]:
    """text[start:limit], cut at a line end when one is near, and what is left after it in
    words ("" when nothing is): a hostile digest's field of a hundred megabytes is drawn only
    as far as a person reads."""
    if len(text) <= limit:
        return text[start:], ""
    line_end = text.rfind("\n", start + (limit - start) // 2, limit)
    cut = line_end if line_end > start else limit
    lines = text.count("\n", cut + 1) + 1
    left = f"{lines:,} more lines" if lines > 1 else f"{len(text) - cut:,} more characters"
    return text[start:cut], left


@cache
def _markdown() -> Callable[[str], Any]:
    """mistune's parser to a syntax tree: loaded with the first field shown, not before the
    reader's first screen."""
    import mistune

    return mistune.create_markdown(renderer=None, plugins=["strikethrough"])


def preload() -> None:
    """Load what drawing the first paper takes (uniseg's line breaking), before the reader's
    screen is made rather than in its first frame. (mistune is loaded by the first field that
    is more than plain text.)"""
    from digest_tui.wrap import uniseg_line_breaking

    uniseg_line_breaking()


def render_field(text: str, *, paragraphs_by_indent: bool = False) -> Text:
    """The field as styled text. `paragraphs_by_indent` reads an indented line as a new
    paragraph, as arXiv abstracts are written."""
    if paragraphs_by_indent:
        text = _INDENTED_BREAK.sub("\n\n", text)
    out = Text(text.lstrip(" ")) if _PLAIN.match(text) else markdown_text(text)
    out.rstrip()
    return out


def markdown_text(text: str) -> Text:
    """The text read as Markdown by mistune (what render_field does unless it is plain)."""
    out = Text()
    _blocks(_markdown()(text), out)
    return out


def _blocks(tokens: list[dict[str, Any]], out: Text, indent: str = "") -> None:
    for token in tokens:
        kind = token["type"]
        if kind == "blank_line":
            continue
        if kind == "list":
            _list(token, out, indent)
            continue
        if kind == "thematic_break":
            out.append(indent + "─" * 20 + "\n\n")
            continue
        out.append(indent)
        if kind in ("block_code", "block_html"):
            out.append(
                token.get("raw", "").rstrip("\n"),
                _STYLES["codespan"] if kind == "block_code" else "",
            )
        elif kind == "block_quote":
            _blocks(token.get("children", []), out, indent + "│ ")
            continue
        else:
            _inline(token.get("children", []), out, _STYLES.get(kind))
        out.append("\n" if kind == "block_text" else "\n\n")


def _list(token: dict[str, Any], out: Text, indent: str) -> None:
    attrs = token.get("attrs", {})
    delimiter = token.get("bullet", ".") if attrs.get("ordered") else ""
    for number, item in enumerate(token.get("children", []), start=attrs.get("start") or 1):
        out.append(f"{indent}{number}{delimiter} " if delimiter else f"{indent}• ")
        children = item.get("children", [])
        first, rest = children[:1], children[1:]
        for child in first:
            _inline(child.get("children", []), out, None)
            out.append("\n")
        _blocks(rest, out, indent + "   ")
    out.append("\n")


def _inline(tokens: list[dict[str, Any]], out: Text, style: Style | None) -> None:
    for token in tokens:
        kind = token["type"]
        if kind == "text":
            out.append(html.unescape(token["raw"]), style)
        elif kind in ("codespan", "inline_html"):
            out.append(token["raw"], _STYLES["codespan"] if kind == "codespan" else style)
        elif kind == "softbreak":
            out.append(" ", style)
        elif kind == "linebreak":
            out.append("\n", style)
        elif kind in ("link", "image"):
            url = token.get("attrs", {}).get("url", "")
            link = Style(link=url, underline=True) if is_web_link(url) else None
            _inline(token.get("children", []), out, _combine(style, link))
        else:
            combined = _combine(style, _STYLES.get(kind))
            children = token.get("children")
            if children is None:
                out.append(token.get("raw", ""), combined)
            else:
                _inline(children, out, combined)


def _combine(*styles: Style | None) -> Style | None:
    present = [style for style in styles if style is not None]
    return Style.combine(present) if present else None
