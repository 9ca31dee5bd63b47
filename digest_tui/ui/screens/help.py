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


# Columns needed to show the keys side by side, and to show the binding ids at all.
TWO_COLUMNS = 116
WITH_IDS = 64


def bindings_table(
    sections: Sequence[Section], key_display: Callable[[Binding], str], ids: bool = True
) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", style="bold", no_wrap=True)
    table.add_column(min_width=14)
    if ids:
        table.add_column(style="dim", no_wrap=True)  # the id a keymap in the settings uses
    for number, (title, bindings) in enumerate(sections):
        if number:
            table.add_row("", "")
        table.add_row("", Text(title, style="bold underline"))
        for binding in bindings:
            if binding.description:
                keys, description = Text(key_display(binding)), Text(binding.description)
                table.add_row(keys, description, *([Text(binding.id or "")] if ids else []))
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
        """The sections in two columns where they fit, else one below the other (and without
        the binding ids on a very narrow terminal)."""
        width = self.app.size.width
        columns = self._columns if width >= TWO_COLUMNS else [[s for c in self._columns for s in c]]
        grid = Table.grid(padding=(0, 4))
        for _ in columns:
            grid.add_column(vertical="top")
        ids = width >= WITH_IDS
        grid.add_row(*(bindings_table(column, self._key_display, ids) for column in columns))
        with VerticalScroll(id="help") as scroll:
            scroll.border_title = "Keys"
            scroll.border_subtitle = "escape to close"
            yield Static(grid)

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one("#help", VerticalScroll)
        scroll.scroll_down() if direction == "down" else scroll.scroll_up()
