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
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from digest_tui.model import FIELDS, Paper
from digest_tui.render import render_field
from digest_tui.state import Mark
from digest_tui.ui.emphasis import PLAIN, Emphasis

AUTHORS_SHOWN = 30
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
    text.append(emphasis.text(paper.title), style="bold")
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
    if paper.comment:
        text.append(f"\n{paper.comment}", style="dim")
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


class FieldPane(Vertical):
    """One field under a title that opens and closes it (click, or keys 1-6 and e)."""

    expanded: reactive[bool] = reactive(False)

    def __init__(self, label: str, *, expanded: bool, id: str | None = None) -> None:
        super().__init__(id=id, classes="field-pane")
        self._label = label
        self._note = ""
        self._title: Text | None = None
        # The body is drawn when the pane is open: moving through papers only renders what shows.
        self._body: Callable[[], Text] | None = None
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
        if expanded and self._body is not None:
            body.update(self._body())
            self._body = None
        body.display = expanded
        self.set_class(expanded, "-expanded")

    def update(self, body: Callable[[], Text], label: str | None = None, note: str = "") -> None:
        """Show new content: `body` makes the text, when the pane is (or is later) open."""
        self._label = label or self._label
        self._note = note
        self._body = body
        self.set_class(bool(note), "-unavailable")
        self.set_reactive(FieldPane.expanded, self.wanted and not note)
        self.watch_expanded(self.expanded)

    def toggle(self) -> None:
        self.wanted = self.expanded = not self.expanded

    def on_click(self, event: events.Click) -> None:
        if event.widget is not None and event.widget.has_class("pane-title"):
            self.toggle()


def _field_text(value: str, name: str, emphasis: Emphasis, styles: tuple[Style, Style]) -> Text:
    text = render_field(emphasis.text(value), paragraphs_by_indent=name == "abstract")
    return emphasis.mark(text, *styles)


class PaperDetail(VerticalScroll, can_focus=True):
    COMPONENT_CLASSES = {"paper-detail--match", "paper-detail--keyword"}
    BINDINGS = [
        Binding("j", "scroll_down", "Scroll down", show=False, id="detail-down"),
        Binding("k", "scroll_up", "Scroll up", show=False, id="detail-up"),
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

    def compose(self) -> ComposeResult:
        yield Static("Select a paper to read it.", id="detail-header")
        for number, (name, label) in enumerate(FIELDS, start=1):
            expanded = name in self._expanded
            yield FieldPane(f"{label}  ({number})", expanded=expanded, id=f"pane-{name}")
        yield Vertical(id="extras")

    def show(
        self,
        paper: Paper | None,
        mark: Mark,
        days: Sequence[str] = (),
        languages: tuple[Sequence[str], str] = ((), ""),
        emphasis: Emphasis = PLAIN,
    ) -> None:
        styles = (
            self.get_component_rich_style("paper-detail--match", partial=True),
            self.get_component_rich_style("paper-detail--keyword", partial=True),
        )
        header = self.query_one("#detail-header", Static)
        if paper is None:
            header.update("No paper in this list.")
        else:
            text = header_text(paper, mark, days, languages, emphasis)
            header.update(emphasis.mark(text, *styles))
        for name, _ in FIELDS:
            pane = self.query_one(f"#pane-{name}", FieldPane)
            value = getattr(paper, name) if paper else ""
            if paper is None or not paper.is_unavailable(name):
                pane.update(partial(_field_text, value, name, emphasis, styles))
                continue
            shown = value.strip() or "(empty)"
            note = "abstract unavailable" if name == "abstract" else UNAVAILABLE
            pane.update(partial(Text, f"{note}: {shown}", style="dim italic"), note=note)
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
                pane.update(body, label=label)
            else:
                pane = FieldPane(label, expanded=True)
                box.mount(pane)
                pane.call_after_refresh(pane.update, body, label)
        for pane in panes[len(extras) :]:
            pane.display = False

    def action_toggle_pane(self, name: str) -> None:
        self.query_one(f"#pane-{name}", FieldPane).toggle()

    def toggle_all(self) -> None:
        """Open every pane, or close them all when they are all open."""
        panes = [pane for pane in self.query(FieldPane) if pane.display]
        expand = not all(pane.expanded for pane in panes)
        for pane in panes:
            pane.wanted = pane.expanded = expand
