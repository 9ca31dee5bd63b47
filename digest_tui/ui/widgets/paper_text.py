"""What the paper pane shows of a paper, as text: its header (title, authors, links, your
marks, why it is in a ranked list) and a pane per field, each drawn a piece at a time (see
PaperDetail, which lays them out and draws them)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rich.style import Style
from rich.text import Text

from digest_tui.links import is_web_link, link_urls
from digest_tui.model import Paper
from digest_tui.render import clip, render_field
from digest_tui.state import NO_MARK, Mark
from digest_tui.ui.emphasis import PLAIN, Emphasis

AUTHORS_SHOWN = 30
LINE_LIMIT = 2_000  # characters of a title or a comment shown
UNAVAILABLE = "summary unavailable"


def _link(text: Text, url: str) -> None:
    text.append(url, style=Style(link=url, underline=True) if is_web_link(url) else None)


Yours = tuple[tuple[str, ...], str]  # your tags and note of the paper


@dataclass(frozen=True, eq=False, slots=True)
class Showing:
    """A paper and what the pane shows beside it: your marks, the days that list it, the
    languages of its summaries, how its words are marked, your tags and note."""

    paper: Paper
    mark: Mark = NO_MARK
    days: Sequence[str] = ()
    languages: tuple[Sequence[str], str] = ((), "")
    emphasis: Emphasis = PLAIN
    yours: Yours = ((), "")
    reason: str = ""  # why it is where it is in a ranked list (For you, like:)

    def same(self, other: Showing | None) -> bool:
        """Shows the same (the paper itself, not one equal to it)."""
        if other is None or other.paper is not self.paper:
            return False
        return self._beside() == other._beside()

    def _beside(self) -> tuple[object, ...]:
        return self.mark, self.days, self.languages, self.emphasis, self.yours, self.reason


def header_text(showing: Showing) -> Text:
    paper, mark, days, languages, emphasis = (
        showing.paper,
        showing.mark,
        showing.days,
        showing.languages,
        showing.emphasis,
    )
    text = Text()
    text.append(emphasis.text(clip(paper.title, LINE_LIMIT)[0]), style="bold")
    text.append("\n")
    translated = paper.title_translation if paper.has_body else ""  # (while a body is read)
    if translated:
        text.append(emphasis.text(clip(translated, LINE_LIMIT)[0]))
        text.append("\n")
    if len(paper.authors) > AUTHORS_SHOWN:
        text.append(paper.first_author, style="italic")  # "First et al. (3,303 authors)"
        more = len(paper.authors) - AUTHORS_SHOWN
        text.append(
            f"\n{', '.join(paper.authors[1:AUTHORS_SHOWN])} … and {more:,} more", style="dim"
        )
    else:
        text.append(", ".join(paper.authors) or "(no authors)", style="italic")
    text.append("\n")
    text.append(paper.category, style="bold")
    others = [c for c in paper.categories if c != paper.category]
    if others:
        text.append(f" ({', '.join(others)})", style="dim")
    arxiv = paper.id if paper.id != paper.url else ""
    text.append(f"  ·  arXiv:{arxiv}  ·  " if arxiv else "  ·  ")
    _link(text, paper.url)
    if paper.pdf:
        text.append("  ·  PDF ")
        _link(text, paper.pdf)
    comment = paper.comment if paper.has_body else ""  # (while a large body is read)
    if comment:
        text.append("\n")
        text.append_text(link_urls(Text(clip(comment, LINE_LIMIT)[0], style="dim")))
    if days:
        text.append(f"\nIn the digest of {', '.join(days)}", style="dim")
    available, shown = languages
    if len(available) > 1:
        others_text = ", ".join(lang for lang in available if lang != shown)
        text.append(f"\nSummaries in {shown} (shown); also {others_text}", style="dim")
    marks = "  ".join(
        label for on, label in ((mark.starred, "★ starred"), (not mark.read, "● unread")) if on
    )
    if marks:
        text.append(f"\n{marks}")
    if showing.reason:
        text.append(f"\n{clip(showing.reason, LINE_LIMIT)[0]}", style="italic")
    return text


# A field is drawn up to FIELD_LIMIT characters, then `M` draws as many more: a hostile digest's
# hundred-megabyte field costs a screenful. A field longer than INLINE_LIMIT (a frame's work; real
# fields are under 2,000 characters) is rendered in a thread, never on the reader's.
FIELD_LIMIT = 20_000
INLINE_LIMIT = 3_000
RENDERING = Text("rendering…", style="dim italic")
READING = Text("reading…", style="dim italic")
# A paper larger than this (or in a file four times larger) is read from its file in a thread.
BODY_IN_THREAD = 1 << 20
# A piece of a pane's text: characters from `start` to at most `limit` (cut at a line end),
# rendered, with where it ended and, if the field goes on, what is left in words.
Make = Callable[[int, int], tuple[Text, int, str]]


def costly(paper: Paper) -> bool:
    """Reading the paper's body from its file could take more than a frame."""
    start, end = paper.span
    if end - start > BODY_IN_THREAD:
        return True
    try:
        return paper.source.path.stat().st_size > 4 * BODY_IN_THREAD
    except OSError:
        return False


def field_text(
    value: str, name: str, emphasis: Emphasis, styles: tuple[Style, Style], start: int, limit: int
) -> tuple[Text, int, str]:
    shown, left = clip(value, limit, start)
    text = render_field(emphasis.text(shown), paragraphs_by_indent=name == "abstract")
    return link_urls(emphasis.mark(text, *styles)), start + len(shown), left


def fixed(text: Text) -> Make:
    return lambda start, limit: (text, 0, "")


@dataclass(slots=True)
class Pane:
    """A field of the paper shown, under a title that opens and closes it."""

    key: str  # the field's name, or "extra:LABEL"
    label: str  # "TL;DR  (1)"
    make: Make
    size: int  # characters of the field
    note: str = ""  # "summary unavailable"
    limit: int = FIELD_LIMIT  # characters to draw
    parts: list[Text] = field(default_factory=list)  # drawn: a piece per `m`
    until: int = 0  # characters drawn so far
    left: str = ""  # what is not drawn, in words ("999,282 more lines")
    making: bool = False  # a piece is being rendered in a thread

    @property
    def cut(self) -> bool:
        return self.size > self.limit

    @property
    def text(self) -> Text | None:
        """The text as drawn (None before it is first opened)."""
        if not self.parts:
            return None
        text = Text("\n").join(self.parts)
        if self.making:
            text.append("\n").append_text(RENDERING)
        elif self.left:
            text.append(f"\n… {self.left} not shown: M shows more", style="dim italic")
        return text
