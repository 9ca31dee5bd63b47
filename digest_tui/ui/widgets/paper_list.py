"""The paper list: a virtual list that draws only the rows on screen (Textual's line API)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip

from digest_tui.model import Paper
from digest_tui.state import Mark, MarkStore
from digest_tui.ui.emphasis import Emphasis
from digest_tui.ui.widgets.lines import line_strip, set_height

UNREAD_DOT, STAR = "●", "★"
_CACHE_LIMIT = 1000
ROW_LIMIT = 1_000  # characters of a title (or an author) a row can show, at most


def _thumb(bar: ScrollBar, position: float) -> tuple[int, int]:
    """Where a vertical scrollbar draws its thumb at `position`, in eighths of a cell (the
    arithmetic of Textual's ScrollBarRender)."""
    size, window, virtual = bar.size.height, bar.window_size, bar.window_virtual_size
    if not (size and window and virtual and virtual > window):
        return (0, 0)
    thumb = max(1.0, window / (virtual / size))
    start = int((size - thumb) * bar.validate_position(position) / (virtual - window) * 8)
    return start, start + math.ceil(thumb * 8)


class PaperList(ScrollView, can_focus=True):
    """One row per paper: unread dot, star, title, first author."""

    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--dot",
        "paper-list--unread",
        "paper-list--read",
        "paper-list--star",
        "paper-list--author",
        "paper-list--empty",
        "paper-list--match",
        "paper-list--keyword",
    }
    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False, id="list-down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="list-up"),
        Binding("g,home", "first", "First paper", show=False, id="list-first"),
        Binding("G,end", "last", "Last paper", show=False, id="list-last"),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False, id="list-page-down"),
        Binding("pageup,ctrl+u", "page_up", "Page up", show=False, id="list-page-up"),
        Binding("enter", "open", "Open", id="list-open"),
    ]

    cursor: reactive[int] = reactive(0, init=False, repaint=False)  # watch_cursor redraws two rows

    class Opened(Message):
        """The reader opened a paper to read it."""

        def __init__(self, paper: Paper) -> None:
            super().__init__()
            self.paper = paper

    def __init__(self, marks: MarkStore, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._marks = marks
        self._papers: Sequence[Paper] = ()
        self._rows_of: dict[str, int] = {}
        self._empty_message = "Loading…"
        self._strips: dict[tuple[int, int, bool, bool, Mark], Strip] = {}
        self._emphasis = Emphasis()
        self._base: Style | None = None
        # Called as the cursor lands on a paper, in the same turn (not by a message, which
        # would reach the app a frame later): what follows the cursor, the paper pane, is
        # drawn in the same frame as the highlight.
        self.follow: Callable[[], object] = lambda: None

    def set_emphasis(self, emphasis: Emphasis) -> None:
        if emphasis != self._emphasis:
            self._emphasis = emphasis
            self._strips.clear()
            self.refresh()

    @property
    def papers(self) -> Sequence[Paper]:
        return self._papers

    @property
    def current(self) -> Paper | None:
        return self._papers[self.cursor] if self._papers else None

    def show(self, papers: Sequence[Paper], empty_message: str = "No papers in this list") -> None:
        """Replace the rows; the cursor goes to the first paper."""
        self._papers = papers
        self._rows_of = {paper.id: row for row, paper in enumerate(papers)}
        self._empty_message = empty_message
        self._strips.clear()
        set_height(self, self.size.width, len(papers))
        self.set_reactive(PaperList.cursor, 0)
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()
        self.follow()

    def refresh_paper(self, paper_id: str) -> None:
        """Redraw a paper's row after its marks changed."""
        row = self._rows_of.get(paper_id)
        if row is not None:
            self.refresh_line(row)

    def move_to(self, row: int) -> None:
        self.cursor = row

    def move_to_paper(self, paper_id: str) -> None:
        row = self._rows_of.get(paper_id)
        if row is not None:
            self.cursor = row

    def find_unread(self, forward: bool, wrap: bool = True, start: int | None = None) -> int | None:
        """The next unread row after `start` (the cursor), or before it, wrapping around the
        list (unless not `wrap`: then up to its end, or its start)."""
        count = len(self._papers)
        start = self.cursor if start is None else start
        step = 1 if forward else -1
        for offset in range(1, count + 1):
            row = start + step * offset
            if not wrap and not 0 <= row < count:
                return None
            row %= count
            if not self._marks.is_read(self._papers[row].id):
                return row
        return None

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, len(self._papers) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, immediate=True)
        self.follow()

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._papers) - 1

    def action_page_down(self) -> None:
        self.cursor += max(1, self.scrollable_content_region.height - 1)

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.scrollable_content_region.height - 1)

    def action_open(self) -> None:
        if (paper := self.current) is not None:
            self.post_message(self.Opened(paper))

    def on_click(self, event: events.Click) -> None:
        row = self.scroll_offset.y + event.y
        if 0 <= row < len(self._papers):
            self.cursor = row
            if event.chain >= 2:
                self.action_open()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_resize(self) -> None:
        # The rows drawn keep: their width is part of their key.
        set_height(self, self.size.width, len(self._papers))  # (no layout of the screen for it)

    def watch_scroll_y(self, old: float, new: float) -> None:
        """As ScrollView's, but the scrollbar is drawn again only when its thumb moves: over a
        year of papers it moves a cell in thousands of rows, and drawing it costs a few ms."""
        bar = self.vertical_scrollbar if self.show_vertical_scrollbar else None
        if bar is not None and _thumb(bar, old) == _thumb(bar, new):
            bar.set_reactive(ScrollBar.position, bar.validate_position(new))
        elif bar is not None:
            bar.position = new
        if round(old) != round(new):
            self.refresh(self.size.region)

    def notify_style_update(self) -> None:
        """The theme or the styles changed: the rows are drawn again in them."""
        super().notify_style_update()
        self._strips.clear()
        self._base = None

    @property
    def base_style(self) -> Style:
        """The widget's style from the CSS (Textual works it out from every ancestor at each
        ask): kept until the styles change."""
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def render_line(self, y: int) -> Strip:
        row = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if not self._papers:  # what the list would hold, wrapped (a line from the second)
            style = self.get_component_rich_style("paper-list--empty")
            lines = Text(self._empty_message, style=style).wrap(self.app.console, max(width - 1, 1))
            if y >= len(lines):
                return Strip.blank(width, self.base_style)
            return self._strip(Text.assemble(" ", lines[y]), width)
        if row >= len(self._papers):
            return Strip.blank(width, self.base_style)
        paper = self._papers[row]
        mark = self._marks.get(paper.id)
        key = (row, width, row == self.cursor, self.has_focus, mark)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > _CACHE_LIMIT:
                self._strips.clear()
            strip = self._strips[key] = self._row(paper, mark, width, row == self.cursor)
        return strip

    def _row(self, paper: Paper, mark: Mark, width: int, at_cursor: bool) -> Strip:
        def style(name: str) -> Style:
            return self.get_component_rich_style(name, partial=True)

        base = self.base_style + (
            self.get_component_rich_style("paper-list--cursor") if at_cursor else Style()
        )
        author_width = min(22, width // 4) if width >= 40 else 0  # the first author, from 40
        title_width = max(1, width - 5 - (author_width + 1 if author_width else 0))
        emphasis = self._emphasis.for_paper(paper.id)
        match, keyword = style("paper-list--match"), style("paper-list--keyword")
        title = Text(
            emphasis.text(paper.title[:ROW_LIMIT]),
            style=style("paper-list--read" if mark.read else "paper-list--unread"),
        )
        emphasis.mark(title, match, keyword)
        title.truncate(title_width, overflow="ellipsis", pad=True)
        author = Text(paper.first_author[:ROW_LIMIT], style=style("paper-list--author"))
        emphasis.mark(author, match, keyword)
        author.truncate(author_width, overflow="ellipsis")
        author.pad_left(author_width - author.cell_len)
        line = Text.assemble(
            " ",
            (" " if mark.read else UNREAD_DOT, style("paper-list--dot")),
            " ",
            (STAR if mark.starred else " ", style("paper-list--star")),
            " ",
            title,
            " " if author_width else "",
            author,
            style=base,
        )
        return self._strip(line, width)

    def _strip(self, line: Text, width: int) -> Strip:
        pad = line.style if isinstance(line.style, Style) else None
        return line_strip(line, self.app.console, self.base_style, width, pad)
