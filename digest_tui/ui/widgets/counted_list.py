"""A short list of named entries with a count beside each: the days, and the lists of a day.
Highlighting an entry acts at once; each entry's id is its key."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option


def _prompt(name: str, count: str) -> Table:
    grid = Table.grid(expand=True, padding=(0, 0, 0, 1))  # a space between name and count
    grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    grid.add_column(justify="right", no_wrap=True)
    grid.add_row(Text(name), Text(count, style="dim"))
    return grid


class CountedList(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="side-down"),
        Binding("k", "cursor_up", "Up", show=False, id="side-up"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._names: dict[str, str] = {}

    @property
    def keys(self) -> list[str]:
        return list(self._names)

    def name_of(self, key: str) -> str:
        return self._names.get(key, key)

    @property
    def current_key(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None

    def set_entries(
        self,
        entries: Iterable[tuple[str, str]],
        label: Callable[[str], str],
        keep: str | None = None,
    ) -> None:
        """Fill with (key, name) entries; highlight `keep` if it is there, else the first."""
        self._names = dict(entries)
        self.clear_options()
        self.add_options(
            Option(_prompt(name, label(key)), id=key) for key, name in self._names.items()
        )
        keys = list(self._names)
        if keys:
            self.highlighted = keys.index(keep) if keep in self._names else 0

    def update_labels(self, label: Callable[[str], str], keys: Iterable[str] | None = None) -> None:
        for key in self._names if keys is None else keys:
            if key in self._names:
                self.replace_option_prompt(key, _prompt(self._names[key], label(key)))
