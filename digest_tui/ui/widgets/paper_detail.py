"""The detail of one paper: header, then a collapsible pane per summary field, then a pane per
extra field the digest has.

Built once; showing another paper updates the panes in place, and each pane stays open or
closed as the reader left it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from digest_tui.model import FIELDS, Paper
from digest_tui.render import clip, render_field
from digest_tui.state import Mark
from digest_tui.ui.emphasis import PLAIN, Emphasis

AUTHORS_SHOWN = 30
LINE_LIMIT = 2_000  # characters of a title or a comment shown
UNAVAILABLE = "summary unavailable"


def _link(text: Text, url: str) -> None:
    safe = url.startswith(("http://", "https://"))
    text.append(url, style=Style(link=url, underline=True) if safe else None)


def header_text(
    paper: Paper,
    mark: Mark,
    days: Sequence[str],
    languages: tuple[Sequence[str], str],
    emphasis: Emphasis = PLAIN,
) -> Text:
    text = Text()
    text.append(emphasis.text(clip(paper.title, LINE_LIMIT)[0]), style="bold")
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
        text.append(f"\n{clip(comment, LINE_LIMIT)[0]}", style="dim")
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
    return text


# A field is drawn up to FIELD_LIMIT characters, then `m` draws as many more: a hostile digest's
# hundred-megabyte field costs a screenful. A field longer than INLINE_LIMIT (a frame's work; real
# fields are under 2,000 characters) is rendered in a thread, never on the reader's.
FIELD_LIMIT = 20_000
INLINE_LIMIT = 3_000
RENDERING = Text("rendering…", style="dim italic")
READING = Text("reading…", style="dim italic")
# A paper larger than this (or in a file four times larger) is read from its file in a thread.
BODY_IN_THREAD = 1 << 20
Make = Callable[[int], Text]  # the pane's text, shown up to so many characters


class FieldPane(Vertical):
    """One field under a title that opens and closes it (click, or keys 1-6 and e)."""

    expanded: reactive[bool] = reactive(False)

    class Rendered(Message):
        """A long field's text, made in a thread."""

        def __init__(self, token: int, text: Text) -> None:
            super().__init__()
            self.token, self.text = token, text

    def __init__(self, label: str, *, expanded: bool, id: str | None = None) -> None:
        super().__init__(id=id, classes="field-pane")
        self._label = label
        self._note = ""
        self._title: Text | None = None
        # The body is drawn when the pane is open: moving through papers only renders what shows.
        self._make: Make | None = None
        self._pending = False  # the text is not drawn yet
        self._length = 0  # characters of the field
        self._limit = FIELD_LIMIT  # characters drawn
        self._token = 0  # which content a text made in a thread belongs to
        self.wanted = expanded  # the reader's choice; a pane with nothing to read stays closed
        self.set_reactive(FieldPane.expanded, expanded)

    def compose(self) -> ComposeResult:
        yield Static(classes="pane-title")
        yield Static(classes="pane-body")

    def on_mount(self) -> None:
        self.watch_expanded(self.expanded)

    def watch_expanded(self, expanded: bool) -> None:
        title = Text(("▼ " if expanded else "▶ ") + self._label)
        if self._note:
            title.append(f"  {self._note}", style="italic")
        if title != self._title:
            self._title = title
            self.query_one(".pane-title", Static).update(title)
        body = self.query_one(".pane-body", Static)
        if expanded and self._pending and self._make is not None:
            self._pending = False
            self._draw(body, self._make)
        body.display = expanded
        self.set_class(expanded, "-expanded")

    def _draw(self, body: Static, make: Make) -> None:
        if min(self._length, self._limit) <= INLINE_LIMIT:
            body.update(make(self._limit))
            return
        body.update(RENDERING)
        self._render_in_thread(make, self._limit, self._token)

    @work(thread=True, exclusive=True, group="render", exit_on_error=False)
    def _render_in_thread(self, make: Make, limit: int, token: int) -> None:
        self.post_message(self.Rendered(token, make(limit)))

    def on_field_pane_rendered(self, message: Rendered) -> None:
        message.stop()
        if message.token == self._token:
            self.query_one(".pane-body", Static).update(message.text)

    def update(self, make: Make, size: int = 0, label: str | None = None, note: str = "") -> None:
        """Show new content: `make` makes the text (of a field of `size` characters), when the
        pane is (or is later) open."""
        self._label = label or self._label
        self._note = note
        self._make, self._length, self._limit = make, size, FIELD_LIMIT
        self._pending = True
        self._token += 1
        self.set_class(bool(note), "-unavailable")
        self.set_reactive(FieldPane.expanded, self.wanted and not note)
        self.watch_expanded(self.expanded)

    def more(self) -> bool:
        """Draw FIELD_LIMIT characters more of a field that was cut; False if none was."""
        if self._length <= self._limit:
            return False
        self._limit += FIELD_LIMIT
        self._pending = True
        self._token += 1
        self.watch_expanded(self.expanded)
        return True

    def toggle(self) -> None:
        self.wanted = self.expanded = not self.expanded

    def on_click(self, event: events.Click) -> None:
        if event.widget is not None and event.widget.has_class("pane-title"):
            self.toggle()


def _costly(paper: Paper) -> bool:
    """Reading the paper's body from its file could take more than a frame."""
    start, end = paper.span
    if end - start > BODY_IN_THREAD:
        return True
    try:
        return paper.source.path.stat().st_size > 4 * BODY_IN_THREAD
    except OSError:
        return False


def _field_text(
    value: str, name: str, emphasis: Emphasis, styles: tuple[Style, Style], limit: int
) -> Text:
    shown, left = clip(value, limit)
    text = render_field(emphasis.text(shown), paragraphs_by_indent=name == "abstract")
    emphasis.mark(text, *styles)
    if left:
        text.append(f"\n… {left} not shown: m shows more", style="dim italic")
    return text


class PaperDetail(VerticalScroll, can_focus=True):
    COMPONENT_CLASSES = {"paper-detail--match", "paper-detail--keyword"}
    BINDINGS = [
        Binding("j", "scroll_down", "Scroll down", show=False, id="detail-down"),
        Binding("k", "scroll_up", "Scroll up", show=False, id="detail-up"),
        Binding("m", "more", "Show more of a long field", show=False, id="detail-more"),
        *(
            Binding(
                str(number),
                f"toggle_pane('{name}')",
                f"Show/hide {label}",
                show=False,
                id=f"detail-pane-{name}",
            )
            for number, (name, label) in enumerate(FIELDS, start=1)
        ),
    ]

    def __init__(self, expanded: Sequence[str] = ("tldr",), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._expanded = expanded
        self._shown: tuple = (None, None, (), ((), ""), PLAIN)  # what show() was last given

    def compose(self) -> ComposeResult:
        yield Static("Select a paper to read it.", id="detail-header")
        for number, (name, label) in enumerate(FIELDS, start=1):
            expanded = name in self._expanded
            yield FieldPane(f"{label}  ({number})", expanded=expanded, id=f"pane-{name}")
        yield Vertical(id="extras")

    class BodyRead(Message):
        """A paper's body, read in a thread (a paper from a file too large to read at once)."""

        def __init__(self, paper: Paper) -> None:
            super().__init__()
            self.paper = paper

    def show(
        self,
        paper: Paper | None,
        mark: Mark,
        days: Sequence[str] = (),
        languages: tuple[Sequence[str], str] = ((), ""),
        emphasis: Emphasis = PLAIN,
    ) -> None:
        if paper is not None:
            emphasis = emphasis.for_paper(paper.id)
        self._shown = (paper, mark, days, languages, emphasis)
        if paper is not None and not paper.has_body and _costly(paper):
            header = header_text(paper, mark, days, languages, emphasis)
            self.query_one("#detail-header", Static).update(header)
            for pane in self.query(FieldPane):
                pane.update(lambda limit: READING)
            self._read_body(paper)
            return
        self._fill(paper, mark, days, languages, emphasis)

    @work(thread=True, exclusive=True, group="body", exit_on_error=False)
    def _read_body(self, paper: Paper) -> None:
        paper.body  # noqa: B018 (read once, kept by the paper)
        self.post_message(self.BodyRead(paper))

    def on_paper_detail_body_read(self, message: BodyRead) -> None:
        message.stop()
        if self._shown[0] is message.paper:
            self._fill(*self._shown)

    def _fill(
        self,
        paper: Paper | None,
        mark: Mark,
        days: Sequence[str],
        languages: tuple[Sequence[str], str],
        emphasis: Emphasis,
    ) -> None:
        styles = (
            self.get_component_rich_style("paper-detail--match", partial=True),
            self.get_component_rich_style("paper-detail--keyword", partial=True),
        )
        header = self.query_one("#detail-header", Static)
        if paper is None:
            header.update("No paper in this list.")
        else:
            paper.body  # noqa: B018 (the header shows the comment)
            text = header_text(paper, mark, days, languages, emphasis)
            header.update(emphasis.mark(text, *styles))
        for name, _ in FIELDS:
            pane = self.query_one(f"#pane-{name}", FieldPane)
            value = getattr(paper, name) if paper else ""
            if paper is None or not paper.is_unavailable(name):
                pane.update(partial(_field_text, value, name, emphasis, styles), len(value))
                continue
            note = "abstract unavailable" if name == "abstract" else UNAVAILABLE
            unavailable = Text(f"{note}: {value.strip() or '(empty)'}", style="dim italic")
            pane.update(lambda limit, text=unavailable: text, note=note)
        if (
            paper is not None
            and paper.is_unavailable("tldr")
            and not paper.is_unavailable("abstract")
        ):
            self.query_one("#pane-abstract", FieldPane).expanded = True
        self._show_extras(paper.extras if paper else (), emphasis, styles)
        self.scroll_home(animate=False)

    def _show_extras(
        self, extras: Sequence[tuple[str, str]], emphasis: Emphasis, styles: tuple[Style, Style]
    ) -> None:
        """Reuse the extra panes there are; add the ones missing; hide the rest."""
        box = self.query_one("#extras", Vertical)
        panes = list(box.query(FieldPane))
        for index, (label, value) in enumerate(extras):
            body = partial(_field_text, value, "", emphasis, styles)
            if index < len(panes):
                pane = panes[index]
                pane.display = True
                pane.update(body, len(value), label=label)
            else:
                pane = FieldPane(label, expanded=True)
                box.mount(pane)
                pane.call_after_refresh(pane.update, body, len(value), label)
        for pane in panes[len(extras) :]:
            pane.display = False

    def action_more(self) -> None:
        """Draw more of every open pane that was cut."""
        cut = [pane for pane in self.query(FieldPane) if pane.expanded and pane.more()]
        if not cut:
            self.app.notify("Every open pane is shown whole.")

    def action_toggle_pane(self, name: str) -> None:
        self.query_one(f"#pane-{name}", FieldPane).toggle()

    def toggle_all(self) -> None:
        """Open every pane, or close them all when they are all open."""
        panes = [pane for pane in self.query(FieldPane) if pane.display]
        expand = not all(pane.expanded for pane in panes)
        for pane in panes:
            pane.wanted = pane.expanded = expand
