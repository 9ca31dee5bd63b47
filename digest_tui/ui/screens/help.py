"""Every key, generated from the bindings themselves so it can never drift from them."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def bindings_table(sections: list[tuple[str, list[Binding]]], key_display) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", style="bold")
    table.add_column()
    for title, bindings in sections:
        table.add_row(Text(title, style="bold underline"), "")
        for binding in bindings:
            if binding.description:
                table.add_row(Text(key_display(binding)), Text(binding.description))
        table.add_row("", "")
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close help", id="help-close")]

    def __init__(self, sections: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self._sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Text("digest-tui keys  (escape to close)", style="bold"))
            yield Static(bindings_table(self._sections, self._key_display))

    def _key_display(self, binding: Binding) -> str:
        keys = [key.strip() for key in binding.key.split(",")]
        return ", ".join(self.app.get_key_display(Binding(key, binding.action)) for key in keys)
