"""The lists to read from: All, Unread, Starred, then each section, with their counts."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from digest_tui.lists import Counts


def _prompt(name: str, count: str) -> Table:
    grid = Table.grid(expand=True)
    grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    grid.add_column(justify="right", no_wrap=True)
    grid.add_row(Text(name), Text(count, style="dim"))
    return grid


class CategoryList(OptionList):
    """Highlighting an entry shows its papers at once; each entry's id is its list key."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="categories-down"),
        Binding("k", "cursor_up", "Up", show=False, id="categories-up"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._names: dict[str, str] = {}

    def set_lists(self, lists: list[tuple[str, str]], counts: Counts) -> None:
        """Fill the list with (key, name) entries and highlight the first."""
        self._names = dict(lists)
        self.clear_options()
        self.add_options(Option(_prompt(name, counts.label(key)), id=key) for key, name in lists)
        self.highlighted = 0

    def update_counts(self, counts: Counts, keys: list[str]) -> None:
        for key in keys:
            if key in self._names:
                self.replace_option_prompt(key, _prompt(self._names[key], counts.label(key)))

    @property
    def keys(self) -> list[str]:
        return list(self._names)

    def name_of(self, key: str) -> str:
        return self._names.get(key, key)
