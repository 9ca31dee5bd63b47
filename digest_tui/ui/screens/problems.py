"""Every problem met reading the digests, as FILE:LINE: MESSAGE, and the days with failed
summaries (notes: the digest's content, not reading problems)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from digest_tui.library import summary_notes
from digest_tui.model import Library
from digest_tui.words import plural


class ProblemsScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,exclamation_mark", "dismiss", "Close", id="problems-close"),
        Binding("j", "cursor('down')", "Down", show=False, id="problems-down"),
        Binding("k", "cursor('up')", "Up", show=False, id="problems-up"),
    ]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self._library = library

    def compose(self) -> ComposeResult:
        problems = self._library.problems
        notes = summary_notes(self._library)
        heading = Text()
        heading.append(plural(len(problems), "problem"), style="bold")
        heading.append(" reading the digests (the rest loaded)", style="dim")
        if notes:
            days = plural(len(notes), "day")
            heading.append(f"  ·  {days} with failed summaries", style="dim")
        yield Static(heading, id="problems-heading")
        options = [Option(Text(str(problem)), id=None) for problem in problems]
        options += [Option(Text(f"note: {note}", style="dim")) for note in notes]
        if not options:
            options = [Option(Text("No problems: every file read cleanly.", style="dim"))]
        yield OptionList(*options, id="problems-list")

    def on_mount(self) -> None:
        self.query_one("#problems-list").border_title = "Problems  (escape to close)"

    def action_cursor(self, direction: str) -> None:
        problems = self.query_one("#problems-list", OptionList)
        problems.action_cursor_down() if direction == "down" else problems.action_cursor_up()
