"""Every key, generated from the bindings themselves so it can never drift from them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

Section = tuple[str, Sequence[Binding]]


def bindings_table(sections: Sequence[Section], key_display: Callable[[Binding], str]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", style="bold", no_wrap=True)
    table.add_column()
    table.add_column(style="dim", no_wrap=True)  # the id a keymap in the settings uses
    for number, (title, bindings) in enumerate(sections):
        if number:
            table.add_row("", "")
        table.add_row("", Text(title, style="bold underline"))
        for binding in bindings:
            if binding.description:
                keys, description = Text(key_display(binding)), Text(binding.description)
                table.add_row(keys, description, Text(binding.id or ""))
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="help-close"),
        Binding("j,down", "scroll('down')", "Scroll down", show=False, id="help-down"),
        Binding("k,up", "scroll('up')", "Scroll up", show=False, id="help-up"),
    ]

    def __init__(
        self, columns: Sequence[Sequence[Section]], key_display: Callable[[Binding], str]
    ) -> None:
        super().__init__()
        self._columns = columns
        self._key_display = key_display

    def compose(self) -> ComposeResult:
        grid = Table.grid(padding=(0, 4))
        for _ in self._columns:
            grid.add_column(vertical="top")
        grid.add_row(*(bindings_table(column, self._key_display) for column in self._columns))
        with VerticalScroll(id="help") as scroll:
            scroll.border_title = "Keys"
            scroll.border_subtitle = "escape to close"
            yield Static(grid)

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one("#help", VerticalScroll)
        scroll.scroll_down() if direction == "down" else scroll.scroll_up()
