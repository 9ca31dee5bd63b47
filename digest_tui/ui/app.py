"""The reader: days and lists on the left, the papers of the chosen list, the chosen paper.
It reacts to messages and leaves the work to the core (loading, marks, counts) and to the
widgets (drawing)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.theme import Theme
from textual.widgets import Footer, Header
from textual.worker import Worker, WorkerState

from digest_tui.config import Settings, location, save_theme
from digest_tui.index import SearchIndex
from digest_tui.lists import (
    ALL,
    ALL_DAYS,
    SMART_LISTS,
    STARRED,
    UNREAD,
    Counts,
    FoundCounts,
    papers_for,
    section_key,
    sections_in,
)
from digest_tui.model import Library, Paper
from digest_tui.query import Query
from digest_tui.state import NO_MARK, MarkStore
from digest_tui.ui.commands import Guide, PaperCommands
from digest_tui.ui.emphasis import Emphasis
from digest_tui.ui.keymap import check_keymap, places
from digest_tui.ui.loading import WATCH_SECONDS, LibraryLoading, Snapshot
from digest_tui.ui.marking import Marking
from digest_tui.ui.paper_actions import PaperActions
from digest_tui.ui.searching import SEARCH_KEY, Searching, saved_lists
from digest_tui.ui.widgets.counted_list import CountedList
from digest_tui.ui.widgets.paper_detail import PaperDetail
from digest_tui.ui.widgets.paper_list import PaperList
from digest_tui.ui.widgets.search_bar import SearchBar
from digest_tui.words import plural

SYNC_SECONDS = 3.0
EMPTY_LIST = {UNREAD: "No unread papers.", STARRED: "No starred papers: press s to star one."}


NARROW = 100  # columns: below, the paper opens over the list (enter, z)
TINY = 70  # columns: below, the days and lists hide behind b


class DigestApp(LibraryLoading, Searching, Marking, PaperActions, Guide, App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "digest-tui"
    COMMANDS = App.COMMANDS | {PaperCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app-quit"),
        Binding("question_mark", "help", "Help", id="app-help"),
        Binding("tab", "focus_next", "Next pane", show=False, id="app-next-pane"),
        Binding("shift+tab", "focus_previous", "Previous pane", show=False, id="app-prev-pane"),
        Binding("space,r", "toggle_read", "Read", id="paper-read"),
        Binding("s", "toggle_star", "Star", id="paper-star"),
        Binding("n", "next_unread", "Next unread", id="paper-next-unread"),
        Binding("p", "previous_unread", "Prev unread", show=False, id="paper-prev-unread"),
        Binding("slash", "search", "Search", id="list-search"),
        Binding("left_square_bracket", "day(1)", "Older day", show=False, id="day-older"),
        Binding("right_square_bracket", "day(-1)", "Newer day", show=False, id="day-newer"),
        Binding("e", "expand_all", "Expand all", id="detail-expand-all"),
        Binding("z", "zoom", "Paper full screen", id="paper-zoom"),
        Binding("b", "toggle_sidebar", "Days and lists", show=False, id="app-sidebar"),
        Binding("o", "open_browser", "Open in browser", id="paper-open-browser"),
        Binding("O", "open_pdf", "Open the PDF", show=False, id="paper-open-pdf"),
        Binding("y", "copy_link", "Copy the link", show=False, id="paper-copy-link"),
        Binding("Y", "copy_bibtex", "Copy BibTeX", show=False, id="paper-copy-bibtex"),
        Binding("R", "random_unread", "Random unread", show=False, id="list-random-unread"),
        Binding("x", "export_list", "Export the list", show=False, id="list-export"),
        Binding("A", "mark_list_read", "Mark list read", show=False, id="list-mark-all-read"),
        Binding("u", "undo", "Undo mark list read", show=False, id="list-undo"),
        Binding("f", "toggle_filter", "Keyword filter", show=False, id="list-filter"),
        Binding("L", "toggle_math", "LaTeX as written", show=False, id="detail-raw-latex"),
        Binding("S", "stats", "Statistics", show=False, id="app-stats"),
        Binding("T", "change_theme", "Theme", show=False, id="app-theme"),
        Binding("exclamation_mark", "problems", "Problems", show=False, id="app-problems"),
        Binding("escape", "back", "Back to papers", show=False, id="app-back"),
    ]

    def __init__(
        self,
        paths: Sequence[Path],
        marks: MarkStore,
        notes: Sequence[str] = (),
        language: str | None = None,
        settings: Settings | None = None,
        problems: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self._problems = list(problems)  # in the settings file
        self._paths = list(paths)
        self._marks = marks
        self._notes = list(notes)
        self._language = language
        self.settings = settings or Settings()
        self.library = self.full_library = Library(())  # shown (keyword filter applied); all
        self.counts = Counts.of(self.library, marks)
        self._scope = ALL_DAYS
        self._list_key = ALL
        self._shown: tuple[str, str] | None = None  # the (day, list) the paper list shows
        self._undo: list[str] = []  # papers the last "mark list read" changed
        self._first_paint = threading.Event()
        self.first_paint_at: float | None = None  # perf_counter() when papers were first shown
        self._snapshot: Snapshot | None = None  # the files the library was read from
        self._titles: tuple[Library, list[str]] | None = None  # for the palette
        # Searching
        self.index: SearchIndex | None = None
        self._index_ready = threading.Event()
        self._query: Query | None = None  # the `/` search shown, if any
        self._token: tuple[str, str] | None = None  # the search whose results are awaited
        self._to_results = False
        self._searches = saved_lists(self.settings)
        self.found_counts = FoundCounts()  # of the saved searches and keyword lists
        self._filter_ids: frozenset[str] | None = None
        self._filtering = any(k.filter for k in self.settings.highlights)
        self._keywords = tuple(k.text.lower() for k in self.settings.highlights)
        self._keywords_found: dict[str, tuple[str, ...]] | None = None  # paper id -> keywords
        self._math = True
        self._sidebar: bool | None = None  # shown or hidden by b; None: as the width allows

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            with Vertical(id="sidebar"):
                yield CountedList(id="days")
                yield CountedList(id="lists")
            with Vertical(id="middle"):
                yield SearchBar(id="search")
                yield PaperList(self._marks, id="papers")
            yield PaperDetail(self.settings.expanded, id="detail")
        yield Footer()

    @property
    def days(self) -> CountedList:
        return self.query_one("#days", CountedList)

    @property
    def lists(self) -> CountedList:
        return self.query_one("#lists", CountedList)

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def detail(self) -> PaperDetail:
        return self.query_one(PaperDetail)

    @property
    def current(self) -> Paper | None:
        """The paper under the list's cursor: asked of the list itself, so a key typed before
        the list's messages arrive still acts on the paper the reader sees highlighted."""
        return self.paper_list.current

    @property
    def list_name(self) -> str:
        if self._query is not None:
            return f"Search {self._query.text}"
        return self._searches.get(self._list_key, (self.lists.name_of(self._list_key),))[0]

    def on_mount(self) -> None:
        self.days.border_title = "Days"
        self.lists.border_title = "Lists"
        self.paper_list.border_title = "Papers"
        self.detail.border_title = "Paper"
        self.search_bar.display = False
        for note in self._notes:
            self.notify(note, title="Marks", severity="warning", timeout=20, markup=False)
        for problem in self._problems:
            self.notify(problem, title="Settings", severity="warning", timeout=20, markup=False)
        self._apply_settings()
        self.paper_list.focus()
        self.sub_title = "loading…"
        self.load_library()
        self.set_interval(SYNC_SECONDS, self.sync_marks)
        self.set_interval(WATCH_SECONDS, self.check_library)

    def _apply_settings(self) -> None:
        keymap, problems = check_keymap(self.settings.keymap, places(type(self)))
        for binding_id, problem in problems:
            message = f"{location('keymap', binding_id)}: keymap: {problem}"
            self.notify(message, title="Settings", severity="warning", timeout=20, markup=False)
        self.set_keymap(keymap)
        self.settings = settings = replace(self.settings, keymap=keymap)  # as ? shows them
        if settings.theme and settings.theme in self.available_themes:
            self.theme = settings.theme
        elif settings.theme:
            where = location("theme")
            message = f"{where}: theme: no theme is called {settings.theme!r}; press T to pick one"
            self.notify(message, title="Settings", severity="warning", markup=False)
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme: Theme) -> None:
        if theme.name == self.settings.theme:
            return
        self.settings = replace(self.settings, theme=theme.name)
        problem = save_theme(theme.name)
        if problem:
            self.notify(problem, title="Theme not saved", severity="warning", markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            message = f"Something went wrong ({event.worker.name}): {event.worker.error}"
            self.notify(message, title="Error", severity="error", timeout=30, markup=False)

    def use_library(self, library: Library) -> None:
        """Show a library (the one read, or it filtered by keywords), on the paper being read."""
        reading = self.current
        library = self.library = self.filtered(library)
        self.found_counts.clear()  # counted again for this library
        self.counts = Counts.of(library, self._marks)
        days = [(ALL_DAYS, "All days"), *((day, day) for day in library.days)]
        self._shown = None
        self.days.set_entries(days, self._day_label, keep=self._scope)
        self._choose_day(self.days.current_key or ALL_DAYS)
        if reading is not None:
            self.paper_list.move_to_paper(reading.id)

    # -- choosing what to read ------------------------------------------------------------

    def on_counted_list_highlighted(self, event: CountedList.Highlighted) -> None:
        if isinstance(event, CountedList.Selected):
            self.paper_list.focus()
            return
        if event.index != event.counted_list.highlighted:
            return  # a highlight the reader has already moved on from
        if event.counted_list is self.days:
            self._choose_day(event.key)
        else:
            self._choose_list(event.key)

    def _choose_day(self, day: str) -> None:
        """Show a day's lists and papers at once, not when the list's message comes round: keys
        typed meanwhile then act on what the reader sees."""
        if self._shown is not None and self._shown[0] == day:
            return
        self._scope = day
        sections = sections_in(self.library, day)
        smart = [(key, name) for key, (name, _) in self._searches.items()]
        entries = [*SMART_LISTS, *smart, *((section_key(name), name) for name in sections)]
        if self._list_key not in dict(entries):
            self._list_key = ALL
        self.lists.set_entries(entries, self._list_label, keep=self._list_key)
        self.count_searches()
        self._show_list()

    def _choose_list(self, key: str) -> None:
        if self._shown == (self._scope, key):
            return  # already shown: keep the reader's place in it
        self._list_key = key
        if self._query is not None or self.search_bar.display:
            self._query = None  # another list chosen: the search is over
            self.search_bar.close()
        self._show_list()

    def _show_list(self) -> None:
        """Show the chosen list; a search (the `/` one, a saved one) shows when it is done."""
        self._shown = (self._scope, self._list_key)
        if self._query is not None:
            self.run_search(SEARCH_KEY + self._query.text, self._query)
        elif self._list_key in self._searches:
            name, query = self._searches[self._list_key]
            self.show_papers([], name, f"Searching for {name}…")
            self.run_search(self._list_key, query)
        else:
            self._token = None
            papers = papers_for(self.library, self._list_key, self._marks, self._scope)
            name = self.lists.name_of(self._list_key)
            self.show_papers(papers, name, EMPTY_LIST.get(self._list_key, "No papers."))
        library = self.library
        filtered = " · keyword filter on (f)" if library is not self.full_library else ""
        if self._scope == ALL_DAYS:
            days = plural(len(library.days), "day")
            papers = plural(len(library.papers), "paper")
            self.sub_title = f"All days ({days}) · {papers}{filtered}"
        else:
            papers = plural(len(library.days.get(self._scope, ())), "paper")
            self.sub_title = f"{self._scope} · {papers}{filtered}"

    def show_papers(self, papers: list[Paper], name: str, empty: str) -> None:
        day = self.days.name_of(self._scope)
        self.paper_list.border_title = f"{day} · {name} · {plural(len(papers), 'paper')}"
        self.paper_list.set_emphasis(self._emphasis())
        self.paper_list.show(papers, empty)

    def _emphasis(self) -> Emphasis:
        query = self._query
        if query is None and self._list_key in self._searches:
            query = self._searches[self._list_key][1]
        found = self._keywords_found
        return Emphasis(query.highlights if query else (), self._keywords, self._math, found)

    def _day_label(self, day: str) -> str:
        return self.counts.label(ALL, day)

    def _list_label(self, key: str) -> str:
        if key in self._searches:
            return self.found_counts.label(key, self._scope)
        return self.counts.label(key, self._scope)

    def action_day(self, step: int) -> None:
        if self.days.option_count:
            last = self.days.option_count - 1
            self.days.highlighted = max(0, min((self.days.highlighted or 0) + step, last))
            self._choose_day(self.days.current_key or ALL_DAYS)

    # -- the paper ------------------------------------------------------------------------

    def on_paper_list_highlighted(self, event: PaperList.Highlighted) -> None:
        self._show_detail()

    def on_paper_list_opened(self, event: PaperList.Opened) -> None:
        if self.settings.mark_read_on_open:
            self._set_read(event.paper, True)
        if self.has_class("-narrow"):
            self._set_zoom(True)  # too narrow for the list and the paper side by side
        self.detail.focus()

    # -- the layout for the terminal's size -----------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        """Below NARROW columns the paper opens over the list (enter, z); below TINY the days
        and lists hide behind b."""
        self.set_class(width < NARROW, "-narrow")
        sidebar = self._sidebar if self._sidebar is not None else width >= TINY
        self.set_class(not sidebar, "-no-sidebar")

    def action_toggle_sidebar(self) -> None:
        self._sidebar = self.has_class("-no-sidebar")
        self._fit(self.size.width)

    def action_zoom(self) -> None:
        """The paper on the whole screen, or back beside the list."""
        self._set_zoom(not self.has_class("-zoomed"))

    def _set_zoom(self, zoomed: bool) -> None:
        self.set_class(zoomed, "-zoomed")
        (self.detail if zoomed else self.paper_list).focus()

    def _show_detail(self) -> None:
        paper = self.current
        if paper is None:
            self.detail.show(None, NO_MARK)
            return
        days = self.library.days_of(paper.id)
        languages = self.library.languages.get(paper.day, ((), ""))
        self.detail.show(paper, self._marks.get(paper.id), days, languages, self._emphasis())

    def action_toggle_math(self) -> None:
        self._math = not self._math
        self.paper_list.set_emphasis(self._emphasis())
        self._show_detail()
        self.notify("LaTeX shown as written." if not self._math else "LaTeX shown as symbols.")

    # -- moving around ------------------------------------------------------------------

    def action_next_unread(self) -> None:
        self._jump_unread(forward=True)

    def action_previous_unread(self) -> None:
        self._jump_unread(forward=False)

    def _jump_unread(self, forward: bool) -> None:
        row = self.paper_list.find_unread(forward)
        if row is None:
            self.notify("No unread papers in this list.")
        else:
            self.paper_list.move_to(row)

    def action_expand_all(self) -> None:
        self.detail.toggle_all()

    def action_back(self) -> None:
        """Escape: out of a search back to its list; out of the paper on the whole screen;
        else back to the papers."""
        if self.has_class("-zoomed"):
            self._set_zoom(False)
        elif not self.close_search():
            self.paper_list.focus()


def make_app(
    paths: Sequence[Path],
    marks: MarkStore,
    notes: Sequence[str] = (),
    language: str | None = None,
    settings: Settings | None = None,
    problems: Sequence[str] = (),
) -> DigestApp:
    """The one way to build the reader, for the CLI and the tests alike."""
    return DigestApp(paths, marks, notes, language, settings, problems)
