"""The detail of one paper: header, then a pane per summary field that opens and closes, then a
pane per extra field the digest has; each pane stays open or closed as the reader left it.

Drawn like the paper list, with Textual's line API: the paper is typeset to lines once per
paper, width and open panes, and only the rows on screen are drawn, so a key costs a few rows,
not a re-layout of widgets. A body is read from its file, and a long field rendered, in a
thread, never on the reader's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import partial

from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.binding import Binding
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from digest_tui.model import FIELDS, TITLE_TRANSLATION, Paper
from digest_tui.ui.widgets.lines import line_strip, set_height
from digest_tui.ui.widgets.paper_text import (
    FIELD_LIMIT,
    INLINE_LIMIT,
    READING,
    RENDERING,
    UNAVAILABLE,
    Pane,
    Showing,
    costly,
    field_text,
    fixed,
    header_text,
)
from digest_tui.wrap import wrap

INDENT = 2  # a pane's text under its title
PREPARED = 4  # papers typeset ahead, at most

PANE_BINDINGS = [
    Binding(
        str(number),
        f"toggle_pane('{name}')",
        f"Show/hide {label}",
        show=False,
        id=f"detail-pane-{name}",
    )
    for number, (name, label) in enumerate(FIELDS, start=1)
]


class PaperDetail(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {
        "paper-detail--match",
        "paper-detail--keyword",
        "paper-detail--title",
        "paper-detail--unavailable",
    }
    BINDINGS = [
        Binding("j", "scroll_down", "Scroll down", show=False, id="detail-down"),
        Binding("k", "scroll_up", "Scroll up", show=False, id="detail-up"),
        Binding("M", "more", "Show more of a long field", show=False, id="detail-more"),
    ]
    # 1-6 open and close the panes wherever the focus is: bound by the app (PANE_BINDINGS).

    class BodyRead(Message):
        """A paper's body, read in a thread (a paper from a file too large to read at once)."""

        def __init__(self, paper: Paper) -> None:
            super().__init__()
            self.paper = paper

    class Rendered(Message):
        """A piece of a long field's text, made in a thread."""

        def __init__(self, token: int, pane: Pane, text: Text, until: int, left: str) -> None:
            super().__init__()
            self.token, self.pane, self.text, self.until, self.left = token, pane, text, until, left

    def __init__(self, expanded: Sequence[str] = ("tldr",), *, id: str | None = None) -> None:
        super().__init__(id=id)
        # What the reader opened and closed; extra fields start open.
        self._open: dict[str, bool] = {name: name in expanded for name, _ in FIELDS}
        self._shown: Showing | None = None  # what show() was last given
        self.header = Text("Select a paper to read it.")
        self.panes: list[Pane] = []
        self._forced: set[str] = set()  # open for this paper only (the abstract, no TL;DR)
        self._token = 0  # which paper a text made in a thread belongs to
        self._lines: list[Text] = []
        self._titles: dict[int, str] = {}  # line -> the pane whose title it is
        self._strips: dict[int, Strip] = {}
        self._laid_out_for = -1  # the width the lines were made for
        self._base = Style()
        self._show_from: int | None = None  # a row to show once the paper is typeset
        # Papers typeset ahead (see `prepare`): ((shown, width, panes open), what show makes).
        self._prepared: list[tuple[tuple, tuple]] = []

    # -- what is shown ------------------------------------------------------------------

    def show(self, showing: Showing | None) -> None:
        """Show a paper (None: the list is empty)."""
        if showing is not None:
            showing = replace(showing, emphasis=showing.emphasis.for_paper(showing.paper.id))
        # The same paper shown again (a mark or a tag changed): where the reader was stays.
        shown = self._shown
        again = showing is not None and shown is not None and showing.paper is shown.paper
        self._shown = showing
        self._token += 1
        self._show_from = self.first_row if again else None
        self.scroll_home(animate=False, immediate=True)
        ready = self._take_prepared(showing) if showing is not None else None
        if ready is not None:
            self.header, self.panes, self._forced, lines, titles, strips = ready
            self._show_lines(lines, titles, strips)
            return
        if showing is not None and not showing.paper.has_body and costly(showing.paper):
            self.header = header_text(showing)
            self.panes = [Pane(name, label, fixed(READING), 0) for name, label in FIELDS]
            self._read_body(showing.paper)
        else:
            self._fill(showing)
        self._layout()

    def prepare(self, showing: Showing) -> None:
        """Typeset a paper the reader is likely to show next (one beside the cursor) while the
        reader is idle, with the rows a screen shows drawn: showing it then costs a lookup.
        Not a paper whose body or an open pane would be made in a thread."""
        paper = showing.paper
        width, height = self.scrollable_content_region.size
        if width <= 0 or (not paper.has_body and costly(paper)):
            return
        showing = replace(showing, emphasis=showing.emphasis.for_paper(paper.id))
        if any(self._same(entry[0], showing, width) for entry in self._prepared):
            return
        header, panes, forced = self._contents(showing)
        too_long = [p for p in panes if self.is_open(p, forced) and p.size > INLINE_LIMIT]
        if too_long:
            return
        lines, titles = self._typeset(header, panes, forced, width)
        base = self.rich_style
        strips = {
            row: line_strip(lines[row], self.app.console, base, width)
            for row in range(min(height, len(lines)))
        }
        key = (showing, width, dict(self._open))
        self._prepared = [
            *self._prepared[-(PREPARED - 1) :],
            (key, (header, panes, forced, lines, titles, strips)),
        ]

    def _same(self, key: tuple, showing: Showing, width: int) -> bool:
        made_for, made_width, opened = key
        return made_for.same(showing) and made_width == width and opened == self._open

    def _take_prepared(self, showing: Showing) -> tuple | None:
        width = self.scrollable_content_region.width
        for index, (key, ready) in enumerate(self._prepared):
            if self._same(key, showing, width):
                del self._prepared[index]
                return ready
        return None

    @work(thread=True, exclusive=True, group="body", exit_on_error=False)
    def _read_body(self, paper: Paper) -> None:
        paper.body  # noqa: B018 (read once, kept by the paper)
        self.post_message(self.BodyRead(paper))

    def on_paper_detail_body_read(self, message: BodyRead) -> None:
        message.stop()
        if self._shown is not None and self._shown.paper is message.paper:
            self._fill(self._shown)
            self._layout()

    def _fill(self, showing: Showing | None) -> None:
        if showing is None:
            self.header, self.panes, self._forced = Text("No paper in this list."), [], set()
            return
        self.header, self.panes, self._forced = self._contents(showing)

    def _contents(self, showing: Showing) -> tuple[Text, list[Pane], set[str]]:
        """The paper's header, its panes (your note first, when there is one), and the panes
        open for this paper only."""
        styles = (
            self.get_component_rich_style("paper-detail--match", partial=True),
            self.get_component_rich_style("paper-detail--keyword", partial=True),
        )
        paper, emphasis = showing.paper, showing.emphasis
        paper.body  # noqa: B018 (the header shows the comment)
        header = emphasis.mark(header_text(showing), *styles)
        tags, note = showing.yours
        if tags:
            header.append("\n")
            header.append(" ".join(f"#{tag}" for tag in tags), style="bold")
        panes = []
        if note:
            make = partial(field_text, note, "", emphasis, styles)
            panes.append(Pane("note", "Your note  (N)", make, len(note)))
        for number, (name, label) in enumerate(FIELDS, start=1):
            value = getattr(paper, name)
            title = f"{label}  ({number})"
            if not paper.is_unavailable(name):
                make = partial(field_text, value, name, emphasis, styles)
                panes.append(Pane(name, title, make, len(value)))
                continue
            note = "abstract unavailable" if name == "abstract" else UNAVAILABLE
            text = Text(f"{note}: {value.strip() or '(empty)'}", style="dim italic")
            panes.append(Pane(name, title, fixed(text), 0, note))
        forced = set()
        if paper.is_unavailable("tldr") and not paper.is_unavailable("abstract"):
            forced.add("abstract")
        for label, value in paper.extras:
            if label == TITLE_TRANSLATION:
                continue  # drawn under the title
            make = partial(field_text, value, "", emphasis, styles)
            panes.append(Pane(f"extra:{label}", label, make, len(value)))
        return header, panes, forced

    def is_open(self, pane: Pane | str, forced: set[str] | None = None) -> bool:
        found = pane if isinstance(pane, Pane) else next(p for p in self.panes if p.key == pane)
        if found.note:
            return False  # nothing to read: the title says why
        default = found.key.startswith("extra:") or found.key == "note"
        forced = self._forced if forced is None else forced
        return found.key in forced or self._open.get(found.key, default)

    def pane_text(self, key: str) -> Text | None:
        """The text of a pane as drawn (None before it is first opened)."""
        return next(pane.text for pane in self.panes if pane.key == key)

    # -- opening and closing ------------------------------------------------------------

    def action_toggle_pane(self, key: str) -> None:
        pane = next((pane for pane in self.panes if pane.key == key), None)
        is_open = self.is_open(pane) if pane is not None else self._open.get(key, False)
        self._open[key] = not is_open
        self._forced.discard(key)
        self._layout()

    def toggle_all(self) -> None:
        """Open every pane, or close them all when they are all open."""
        expand = not all(self.is_open(pane) for pane in self.panes if not pane.note)
        for pane in self.panes:
            self._open[pane.key] = expand
        for name, _ in FIELDS:
            self._open[name] = expand
        self._forced.clear()
        self._layout()

    def action_more(self) -> None:
        """Draw more of every open pane that was cut."""
        cut = [pane for pane in self.panes if self.is_open(pane) and pane.cut]
        if not cut:
            self.app.notify("Every open pane is shown whole.")
            return
        for pane in cut:
            pane.limit = pane.until + FIELD_LIMIT  # the next piece; what is drawn stays
        self._layout()

    def on_click(self, event: events.Click) -> None:
        key = self._titles.get(self.scroll_offset.y + event.y)
        if key is not None:
            self.action_toggle_pane(key)

    # -- typesetting and drawing ----------------------------------------------------------

    def _text_of(self, pane: Pane) -> Text:
        """The pane's text: its next piece made now when it is short, else in a thread (the
        text drawn so far stays on screen meanwhile)."""
        wanted = not pane.parts or (pane.until < min(pane.size, pane.limit) and pane.left)
        if wanted and not pane.making:
            if min(pane.size, pane.limit) - pane.until <= INLINE_LIMIT:
                self._add_piece(pane, *pane.make(pane.until, pane.limit))
            else:
                pane.making = True
                self._render_in_thread(pane, self._token)
        return pane.text or RENDERING

    @staticmethod
    def _add_piece(pane: Pane, text: Text, until: int, left: str) -> None:
        pane.parts.append(text)
        pane.until, pane.left, pane.making = until, left, False

    @work(thread=True, group="render", exit_on_error=False)
    def _render_in_thread(self, pane: Pane, token: int) -> None:
        self.post_message(self.Rendered(token, pane, *pane.make(pane.until, pane.limit)))

    def on_paper_detail_rendered(self, message: Rendered) -> None:
        message.stop()
        if message.token != self._token:
            return  # made for a paper no longer shown
        self._add_piece(message.pane, message.text, message.until, message.left)
        self._layout()

    def _layout(self) -> None:
        """Typeset the paper into lines at the current width."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        self._prepared.clear()  # made for other widths, panes or styles
        self._show_lines(*self._typeset(self.header, self.panes, self._forced, width), {})

    def _typeset(
        self, header: Text, panes: list[Pane], forced: set[str], width: int
    ) -> tuple[list[Text], dict[int, str]]:
        """The lines of a paper at `width`, and which pane each title line opens and closes."""
        title_style = self.get_component_rich_style("paper-detail--title", partial=True)
        unavailable = self.get_component_rich_style("paper-detail--unavailable", partial=True)
        lines = [*wrap(header, width), Text()]
        titles: dict[int, str] = {}
        for pane in panes:
            is_open = self.is_open(pane, forced)
            title = Text(("▼ " if is_open else "▶ ") + pane.label, style=title_style)
            if pane.note:
                title.stylize(unavailable)
                title.append(f"  {pane.note}", style="italic")
            for line in wrap(title, width):
                titles[len(lines)] = pane.key
                lines.append(line)
            if is_open:
                indent = " " * INDENT
                body = wrap(self._text_of(pane), width - INDENT)
                lines.extend(Text(indent) + line for line in body)
                lines.append(Text())
        return lines, titles

    def _show_lines(
        self, lines: list[Text], titles: dict[int, str], strips: dict[int, Strip]
    ) -> None:
        width = self.scrollable_content_region.width
        before = self._lines if self._laid_out_for == width else None
        self._laid_out_for = width
        self._lines, self._titles, self._strips = lines, titles, strips
        self._base = self.rich_style  # (a style worked out from the CSS: once, not per line)
        set_height(self, width, len(lines))
        if self._show_from is not None:
            self.scroll_to_row(self._show_from)
        if before is None:
            self.refresh()
        else:
            self._refresh_changed(before, lines)

    def _refresh_changed(self, before: list[Text], after: list[Text]) -> None:
        """Draw again only the rows on screen that changed (from one paper to the next, the
        pane titles and the blank rows below a short paper often stay)."""
        top = self.scroll_offset.y
        start = None
        for row in range(top, top + self.scrollable_content_region.height + 1):
            old = before[row] if row < len(before) else None
            new = after[row] if row < len(after) else None
            changed = old != new and row < top + self.scrollable_content_region.height
            if changed and start is None:
                start = row
            elif not changed and start is not None:
                self.refresh_lines(start, row - start)
                start = None

    def _typeset_whole(self) -> bool:
        """The paper is typeset at the pane's size with nothing left to read or render."""
        shown = self._shown  # (a body not read in a thread was read as its panes were made)
        body_read = shown is None or shown.paper.has_body
        making = any(pane.making for pane in self.panes)
        region = self.scrollable_content_region
        laid_out = region.height > 0 and self._laid_out_for == region.width
        return laid_out and body_read and not making

    @property
    def first_row(self) -> int:
        """The row the paper is shown from: where it is scrolled, or where it will be once it
        is typeset (a place being restored while the library is still read)."""
        return self._show_from if self._show_from is not None else round(self.scroll_y)

    def scroll_to_row(self, row: int) -> None:
        """Show the paper from `row` on: now, or once it is typeset at the pane's size (before
        the first layout the pane has none, and the scroll would be cut to nothing). A row
        the whole paper does not reach at this size (a place saved in a smaller terminal):
        as near to it as the paper goes, and no longer waited for."""
        self._show_from = row
        reached = self.scrollable_content_region.height and self.max_scroll_y >= row
        if reached or self._typeset_whole():
            self._show_from = None
            self.scroll_to(y=min(row, self.max_scroll_y), animate=False, immediate=True)

    def notify_style_update(self) -> None:
        """The theme or the styles changed: the paper is typeset and drawn again in them (and
        what was typeset ahead in the old ones is dropped)."""
        super().notify_style_update()
        self._prepared.clear()
        self._strips.clear()
        if self._lines:
            self._laid_out_for = -1  # every row drawn again, not only those whose text changed
            self._layout()

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._laid_out_for:
            self._layout()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width != self._laid_out_for:
            # Drawn before the pane knew its width (the reader's first frame): typeset now, in
            # this frame, rather than when the Resize event comes, two frames later.
            self._layout()
        row = self.scroll_offset.y + y
        strip = self._strips.get(row)
        if strip is None:
            if row >= len(self._lines):
                return Strip.blank(width, self.rich_style)
            line = self._lines[row]
            strip = self._strips[row] = line_strip(line, self.app.console, self._base, width)
        return strip
