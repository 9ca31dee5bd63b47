"""The reader's panes: the days and lists, the search bar over the papers, and the paper; which
of them show for the terminal's width. Below NARROW columns the paper opens over the list
(enter, z); below TINY the days and lists hide behind b; z puts the paper on the whole screen."""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical

from digest_tui.state import MarkStore
from digest_tui.ui.widgets.counted_list import CountedList
from digest_tui.ui.widgets.paper_detail import PaperDetail
from digest_tui.ui.widgets.paper_list import PaperList
from digest_tui.ui.widgets.search_bar import SearchBar

NARROW = 100  # columns: below, the paper opens over the list (enter, z)
TINY = 70  # columns: below, the days and lists hide behind b


class Panes(Horizontal):
    def __init__(self, marks: MarkStore, expanded: Sequence[str], *, id: str | None = None):
        super().__init__(id=id)
        self.days = CountedList(id="days")
        self.lists = CountedList(id="lists")
        self.bar = SearchBar(id="search")
        self.papers = PaperList(marks, id="papers")
        self.detail = PaperDetail(expanded, id="detail")
        self._sidebar: bool | None = None  # shown or hidden by b; None: as the width allows
        self._narrow_zoom = False  # the paper took the screen for the width, not for z

    def compose(self) -> ComposeResult:
        with Vertical(id="sidebar"):
            yield self.days
            yield self.lists
        with Vertical(id="middle"):
            yield self.bar
            yield self.papers
        yield self.detail

    def on_mount(self) -> None:
        self.days.border_title = "Days"
        self.lists.border_title = "Lists"
        self.papers.border_title = "Papers"
        self.detail.border_title = "Paper"
        self.bar.display = False
        self._fit(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        if width < NARROW and not self.zoomed and self.detail.has_focus:
            self.zoom(True, for_width=True)  # the paper being read stays on screen
        elif width >= NARROW and self._narrow_zoom:
            self.set_class(False, "-zoomed")  # wide again: beside the list, still read
            self._narrow_zoom = False
        self.set_class(width < NARROW, "-narrow")
        sidebar = self._sidebar if self._sidebar is not None else width >= TINY
        self.set_class(not sidebar, "-no-sidebar")

    def toggle_sidebar(self) -> None:
        """Show the days and lists, or hide them, whatever the width."""
        self._sidebar = self.has_class("-no-sidebar")
        self._fit(self.size.width)

    @property
    def zoomed(self) -> bool:
        return self.has_class("-zoomed")

    def zoom(self, zoomed: bool, *, for_width: bool = False) -> None:
        """The paper on the whole screen, or back beside the list; `for_width`: because the
        terminal is too narrow for both (it goes back when the terminal widens)."""
        self.set_class(zoomed, "-zoomed")
        self._narrow_zoom = zoomed and for_width
        (self.detail if zoomed else self.papers).focus()

    def on_paper_list_opened(self, event: PaperList.Opened) -> None:
        if self.has_class("-narrow"):
            self.zoom(True, for_width=True)  # too narrow for the list and the paper both
        self.detail.focus()
