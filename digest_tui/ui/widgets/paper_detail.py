"""The detail of one paper: header, then a collapsible pane per summary field.

Built once; showing another paper updates the panes in place, and each pane stays open or
closed as the reader left it.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Collapsible, Static

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


class PaperDetail(VerticalScroll, can_focus=True):
    BINDINGS = [
        Binding("j", "scroll_down", "Scroll down", show=False, id="detail-down"),
        Binding("k", "scroll_up", "Scroll up", show=False, id="detail-up"),
        *(
            Binding(str(number), f"toggle_pane('{name}')", f"Show/hide {label}", show=False,
                    id=f"detail-pane-{name}")
            for number, (name, label) in enumerate(FIELDS, start=1)
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Static("Select a paper to read it.", id="detail-header")
        for number, (name, label) in enumerate(FIELDS, start=1):
            with Collapsible(title=f"{label}  ({number})", collapsed=name != "tldr", id=f"pane-{name}"):
                yield Static(id=f"field-{name}", classes="field")

    def on_mount(self) -> None:
        # The panes open with keys (1-6, e); their titles need not take focus from the text.
        for title in self.query("CollapsibleTitle"):
            title.can_focus = False

    def show(self, paper: Paper | None, mark: Mark) -> None:
        header = self.query_one("#detail-header", Static)
        if paper is None:
            header.update("No paper in this list.")
        else:
            header.update(header_text(paper, mark))
        for name, _ in FIELDS:
            value = getattr(paper, name) if paper else ""
            body = (
                render_field(value, paragraphs_by_indent=name == "abstract")
                if value
                else Text("(empty)", style="dim italic")
            )
            self.query_one(f"#field-{name}", Static).update(body)
        self.scroll_home(animate=False)

    def action_toggle_pane(self, name: str) -> None:
        pane = self.query_one(f"#pane-{name}", Collapsible)
        pane.collapsed = not pane.collapsed

    def toggle_all(self) -> None:
        """Open every pane, or close them all when they are all open."""
        panes = list(self.query(Collapsible))
        collapse = all(not pane.collapsed for pane in panes)
        for pane in panes:
            pane.collapsed = collapse
