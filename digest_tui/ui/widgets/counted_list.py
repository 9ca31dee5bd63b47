"""A list of named entries with a count beside each: the days, and the lists of a day (which
may be thousands: a keyword list for each of 10,000 keywords). Like the paper list it draws
only the rows on screen (Textual's line API), and asks for a count only when it draws its row,
so a count that changes costs one row. Highlighting an entry acts at once; each entry's id is
its key."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from digest_tui.ui.widgets.lines import line_strip, set_height

Label = Callable[[str], str]  # an entry's count, by its key


class CountedList(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {"counted-list--cursor", "counted-list--count"}
    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False, id="side-down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="side-up"),
        Binding("home", "first", "First", show=False, id="side-first"),
        Binding("end", "last", "Last", show=False, id="side-last"),
        Binding("pagedown", "page_down", "Page down", show=False, id="side-page-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="side-page-up"),
        Binding("enter", "select", "Read the list", show=False, id="side-select"),
    ]

    highlighted: reactive[int | None] = reactive(None, init=False, repaint=False)

    class Highlighted(Message):
        """The cursor moved onto an entry."""

        def __init__(self, counted_list: CountedList, key: str, index: int) -> None:
            super().__init__()
            self.counted_list, self.key, self.index = counted_list, key, index

        @property
        def control(self) -> CountedList:
            return self.counted_list

    class Selected(Highlighted):
        """The reader chose an entry (enter, or a click)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._names: dict[str, str] = {}
        self._keys: list[str] = []
        self._rows_of: dict[str, int] = {}
        self._label: Label = lambda key: ""

    @property
    def keys(self) -> list[str]:
        return self._keys

    @property
    def option_count(self) -> int:
        return len(self._keys)

    def name_of(self, key: str) -> str:
        return self._names.get(key, key)

    def index_of(self, key: str) -> int | None:
        return self._rows_of.get(key)

    @property
    def current_key(self) -> str | None:
        row = self.highlighted
        return self._keys[row] if row is not None and row < len(self._keys) else None

    def set_entries(
        self, entries: Iterable[tuple[str, str]], label: Label, keep: str | None = None
    ) -> None:
        """Fill with (key, name) entries; highlight `keep` if it is there, else the first."""
        self._names = dict(entries)
        self._keys = list(self._names)
        self._rows_of = {key: row for row, key in enumerate(self._keys)}
        self._label = label
        set_height(self, self.size.width, len(self._keys))
        self.refresh()
        if self._keys:
            row = self._rows_of.get(keep, 0) if keep is not None else 0
            self.set_reactive(CountedList.highlighted, None)
            self.highlighted = row
        else:
            self.highlighted = None

    def update_labels(self, label: Label, keys: Iterable[str] | None = None) -> None:
        """Counts changed (of `keys`, or of every entry): their rows are drawn again."""
        self._label = label
        keys = None if keys is None else list(keys)
        if keys is None or len(keys) > self.size.height:
            self.refresh()
            return
        for key in keys:
            if (row := self._rows_of.get(key)) is not None:
                self.refresh_line(row)

    def validate_highlighted(self, row: int | None) -> int | None:
        if row is None or not self._keys:
            return None
        return max(0, min(row, len(self._keys) - 1))

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        for row in (old, new):
            if row is not None:
                self.refresh_line(row)
        if new is not None:
            self.scroll_to_region(Region(0, new, 1, 1), animate=False, immediate=True)
            self.post_message(self.Highlighted(self, self._keys[new], new))

    def _move(self, step: int) -> None:
        if self._keys:
            self.highlighted = (self.highlighted or 0) + step

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_first(self) -> None:
        self._move(-len(self._keys))

    def action_last(self) -> None:
        self._move(len(self._keys))

    def action_page_down(self) -> None:
        self._move(max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self._move(-max(1, self.scrollable_content_region.height - 1))

    def action_select(self) -> None:
        if (key := self.current_key) is not None:
            self.post_message(self.Selected(self, key, self._rows_of[key]))

    def on_click(self, event: events.Click) -> None:
        row = self.scroll_offset.y + event.y
        if 0 <= row < len(self._keys):
            self.highlighted = row
            self.action_select()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_resize(self) -> None:
        set_height(self, self.size.width, len(self._keys))  # (no layout of the screen for it)

    def render_line(self, y: int) -> Strip:
        row = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if row >= len(self._keys):
            return Strip.blank(width, self.rich_style)
        key = self._keys[row]
        count = self._label(key)
        name = Text(self._names[key])
        # The space after the count goes when the name would be cut for it alone ("All days").
        edge = "" if name.cell_len + cell_len(count) + 2 == width else " "
        name.truncate(max(1, width - 2 - len(edge) - cell_len(count)), overflow="ellipsis")
        line = Text.assemble(
            " ",
            name,
            " " * max(1, width - 1 - len(edge) - name.cell_len - cell_len(count)),
            (count, self.get_component_rich_style("counted-list--count", partial=True)),
            edge,
            style=self.rich_style,
        )
        if row == self.highlighted:
            line.stylize(self.get_component_rich_style("counted-list--cursor", partial=True))
        return line_strip(line, self.app.console, self.rich_style, width)
