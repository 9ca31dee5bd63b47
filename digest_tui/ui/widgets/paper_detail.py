"""The detail of one paper: header, then a collapsible pane per summary field.

Built once; showing another paper updates the panes in place, and each pane stays open or
closed as the reader left it.
"""

from __future__ import annotations

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

AUTHORS_SHOWN = 30


def header_text(paper: Paper, mark: Mark) -> Text:
    authors = ", ".join(paper.authors[:AUTHORS_SHOWN])
    if len(paper.authors) > AUTHORS_SHOWN:
        authors += f" … and {len(paper.authors) - AUTHORS_SHOWN:,} more"
    marks = "  ".join(
        label for on, label in ((mark.starred, "★ starred"), (not mark.read, "● unread")) if on
    )
    text = Text()
    text.append(paper.title, style="bold")
    text.append("\n")
    text.append(authors or "(no authors)", style="italic")
    text.append("\n")
    text.append(paper.category, style="bold")
    text.append(f"  ·  arXiv:{paper.id}  ·  ")
    safe = paper.url.startswith(("http://", "https://"))
    text.append(paper.url, style=Style(link=paper.url, underline=True) if safe else None)
    if marks:
        text.append(f"\n{marks}")
    return text


class FieldPane(Vertical):
    """One summary field under a title that opens and closes it (click, or keys 1-6 and e)."""

    expanded: reactive[bool] = reactive(False)

    def __init__(self, name: str, label: str, number: int, *, expanded: bool) -> None:
        super().__init__(id=f"pane-{name}", classes="field-pane")
        self._label = f"{label}  ({number})"
        self.set_reactive(FieldPane.expanded, expanded)

    def compose(self) -> ComposeResult:
        yield Static(classes="pane-title")
        yield Static(classes="pane-body")

    def on_mount(self) -> None:
        self.watch_expanded(self.expanded)

    def watch_expanded(self, expanded: bool) -> None:
        self.query_one(".pane-title", Static).update(
            Text(("▼ " if expanded else "▶ ") + self._label)
        )
        self.query_one(".pane-body", Static).display = expanded
        self.set_class(expanded, "-expanded")

    def update(self, body: Text) -> None:
        self.query_one(".pane-body", Static).update(body)

    def on_click(self, event: events.Click) -> None:
        if event.widget is not None and event.widget.has_class("pane-title"):
            self.expanded = not self.expanded


class PaperDetail(VerticalScroll, can_focus=True):
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

    def compose(self) -> ComposeResult:
        yield Static("Select a paper to read it.", id="detail-header")
        for number, (name, label) in enumerate(FIELDS, start=1):
            yield FieldPane(name, label, number, expanded=name == "tldr")

    def show(self, paper: Paper | None, mark: Mark) -> None:
        header = self.query_one("#detail-header", Static)
        header.update("No paper in this list." if paper is None else header_text(paper, mark))
        for name, _ in FIELDS:
            value = getattr(paper, name) if paper else ""
            body = (
                render_field(value, paragraphs_by_indent=name == "abstract")
                if value
                else Text("(empty)", style="dim italic")
            )
            self.query_one(f"#pane-{name}", FieldPane).update(body)
        self.scroll_home(animate=False)

    def action_toggle_pane(self, name: str) -> None:
        pane = self.query_one(f"#pane-{name}", FieldPane)
        pane.expanded = not pane.expanded

    def toggle_all(self) -> None:
        """Open every pane, or close them all when they are all open."""
        panes = list(self.query(FieldPane))
        expand = not all(pane.expanded for pane in panes)
        for pane in panes:
            pane.expanded = expand
