"""The reader: days and lists on the left, the papers of the chosen list, the chosen paper.
It reacts to messages and leaves the work to the core (loading, marks, counts) and to the
widgets (drawing)."""

from __future__ import annotations

import gc
import threading
import time
import webbrowser
from collections.abc import Callable, Sequence
from pathlib import Path

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, OptionList
from textual.worker import Worker, WorkerState, get_current_worker

from digest_tui.library import LibraryLoad, discover, gc_paused, plan
from digest_tui.lists import (
    ALL,
    ALL_DAYS,
    SMART_LISTS,
    STARRED,
    UNREAD,
    Counts,
    papers_for,
    section_key,
    sections_in,
)
from digest_tui.model import Library, Paper
from digest_tui.state import NO_MARK, MarkStore, StateError
from digest_tui.ui.messages import LibraryLoaded, LibraryProgressed
from digest_tui.ui.screens.confirm import ConfirmScreen
from digest_tui.ui.screens.help import HelpScreen
from digest_tui.ui.screens.problems import ProblemsScreen
from digest_tui.ui.widgets.counted_list import CountedList
from digest_tui.ui.widgets.paper_detail import PaperDetail
from digest_tui.ui.widgets.paper_list import PaperList
from digest_tui.words import plural

SYNC_SECONDS = 3.0
PROGRESS_SECONDS = 0.25
FIRST_PAINT_WAIT = 2.0
EMPTY_LIST = {UNREAD: "No unread papers.", STARRED: "No starred papers: press s to star one."}


class DigestApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "digest-tui"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app-quit"),
        Binding("question_mark", "help", "Help", id="app-help"),
        Binding("tab", "focus_next", "Next pane", show=False, id="app-next-pane"),
        Binding("shift+tab", "focus_previous", "Previous pane", show=False, id="app-prev-pane"),
        Binding("space,r", "toggle_read", "Read", id="paper-read"),
        Binding("s", "toggle_star", "Star", id="paper-star"),
        Binding("n", "next_unread", "Next unread", id="paper-next-unread"),
        Binding("p", "previous_unread", "Prev unread", id="paper-prev-unread"),
        Binding("left_square_bracket", "day(1)", "Older day", show=False, id="day-older"),
        Binding("right_square_bracket", "day(-1)", "Newer day", show=False, id="day-newer"),
        Binding("e", "expand_all", "Expand all", id="detail-expand-all"),
        Binding("o", "open_browser", "Open in browser", id="paper-open-browser"),
        Binding("A", "mark_list_read", "Mark list read", show=False, id="list-mark-all-read"),
        Binding("u", "undo", "Undo mark list read", show=False, id="list-undo"),
        Binding("exclamation_mark", "problems", "Problems", show=False, id="app-problems"),
        Binding("escape", "focus_papers", "Back to papers", show=False, id="app-back"),
    ]

    def __init__(
        self,
        paths: Sequence[Path],
        marks: MarkStore,
        notes: Sequence[str] = (),
        language: str | None = None,
    ) -> None:
        super().__init__()
        self._paths = list(paths)
        self._marks = marks
        self._notes = list(notes)
        self._language = language
        self.library = Library(())
        self.counts = Counts.of(self.library, marks)
        self._scope = ALL_DAYS
        self._list_key = ALL
        self._shown: tuple[str, str] | None = None  # the (day, list) the paper list shows
        self._undo: list[str] = []  # papers the last "mark list read" changed
        self._first_paint = threading.Event()
        self.first_paint_at: float | None = None  # perf_counter() when papers were first shown

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            with Vertical(id="sidebar"):
                yield CountedList(id="days")
                yield CountedList(id="lists")
            yield PaperList(self._marks, id="papers")
            yield PaperDetail(id="detail")
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

    def on_mount(self) -> None:
        self.days.border_title = "Days"
        self.lists.border_title = "Lists"
        self.paper_list.border_title = "Papers"
        self.detail.border_title = "Paper"
        for note in self._notes:
            self.notify(note, title="Marks", severity="warning", timeout=20, markup=False)
        self.paper_list.focus()
        self.sub_title = "loading…"
        self.load_library()
        self.set_interval(SYNC_SECONDS, self.sync_marks)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_library(self) -> None:
        """Read the newest day first and show it, then the rest, saying how far it has got."""
        worker = get_current_worker()
        loading = LibraryLoad(plan(discover(self._paths), self._language))
        reported = time.monotonic()
        for entry in loading.days:
            if worker.is_cancelled:
                return
            with gc_paused():
                loading.read(entry)
            if loading.done == 1 and len(loading.days) > 1:
                self.post_message(LibraryLoaded(loading.library(), complete=False))
                # Let the screen show the newest day before this thread takes the CPU again.
                self._first_paint.wait(timeout=FIRST_PAINT_WAIT)
            elif time.monotonic() - reported > PROGRESS_SECONDS:
                reported = time.monotonic()
                self.post_message(LibraryProgressed(loading.done, len(loading.days)))
        self.post_message(LibraryLoaded(loading.library()))
        loading.store()

    def _painted(self) -> None:
        """The first papers are on screen: the reading thread may take the CPU again."""
        if not self._first_paint.is_set():
            self.first_paint_at = time.perf_counter()
            self._first_paint.set()

    def on_library_progressed(self, message: LibraryProgressed) -> None:
        self.sub_title = f"reading day {message.done:,} of {message.total:,}…"

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            message = f"Could not load the digests: {event.worker.error}"
            self.notify(message, title="Error", severity="error", timeout=30, markup=False)

    def on_library_loaded(self, message: LibraryLoaded) -> None:
        reading = self.current
        library = self.library = message.library
        self.counts = Counts.of(library, self._marks)
        days = [(ALL_DAYS, "All days"), *((day, day) for day in library.days)]
        self._shown = None
        self.days.set_entries(days, self._day_label, keep=self._scope)
        self._choose_day(self.days.current_key or ALL_DAYS)
        if reading is not None:  # more days came in: stay on the paper being read
            self.paper_list.move_to_paper(reading.id)
        self.call_after_refresh(self._painted)
        if not message.complete:
            self.sub_title = "reading the other days…"
            return
        # The library lives as long as the reader: keep the garbage collector from walking its
        # hundreds of thousands of objects again and again (pauses of 50 ms and more on a key).
        gc.freeze()
        if library.problems:
            count = plural(len(library.problems), "problem")
            self.notify(
                f"{count} reading the digests; the rest loaded. Press ! to see them.",
                title="Problems",
                severity="warning",
                timeout=15,
                markup=False,
            )

    # -- choosing what to read ------------------------------------------------------------

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        key = event.option.id
        if key is None or event.option_index != event.option_list.highlighted:
            return  # a highlight the reader has already moved on from
        if event.option_list is self.days:
            self._choose_day(key)
        else:
            self._choose_list(key)

    def _choose_day(self, day: str) -> None:
        """Show a day's lists and papers at once, not when the list's message comes round: keys
        typed meanwhile then act on what the reader sees."""
        if self._shown is not None and self._shown[0] == day:
            return
        self._scope = day
        sections = sections_in(self.library, day)
        entries = [*SMART_LISTS, *((section_key(name), name) for name in sections)]
        if self._list_key not in dict(entries):
            self._list_key = ALL
        self.lists.set_entries(entries, self._list_label, keep=self._list_key)
        self._show_list()

    def _choose_list(self, key: str) -> None:
        if self._shown == (self._scope, key):
            return  # already shown: keep the reader's place in it
        self._list_key = key
        self._show_list()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.paper_list.focus()

    def _show_list(self) -> None:
        self._shown = (self._scope, self._list_key)
        papers = papers_for(self.library, self._list_key, self._marks, self._scope)
        self.paper_list.show(papers, EMPTY_LIST.get(self._list_key, "No papers."))
        day = self.days.name_of(self._scope)
        self.paper_list.border_title = (
            f"{day} · {self.lists.name_of(self._list_key)} · {plural(len(papers), 'paper')}"
        )
        library = self.library
        if self._scope == ALL_DAYS:
            days = plural(len(library.days), "day")
            self.sub_title = f"All days ({days}) · {plural(len(library.papers), 'paper')}"
        else:
            self.sub_title = f"{day} · {plural(len(library.days[self._scope]), 'paper')}"

    def _day_label(self, day: str) -> str:
        return self.counts.label(ALL, day)

    def _list_label(self, key: str) -> str:
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
        self._set_read(event.paper, True)
        self.detail.focus()

    def _show_detail(self) -> None:
        paper = self.current
        if paper is None:
            self.detail.show(None, NO_MARK)
            return
        days = self.library.days_of(paper.id)
        self.detail.show(
            paper, self._marks.get(paper.id), days, self.library.languages.get(paper.day, ((), ""))
        )

    # -- marks --------------------------------------------------------------------------

    def _set_read(self, paper: Paper, read: bool) -> None:
        if self._marks.is_read(paper.id) == read:
            return
        self._store(self._marks.set_read, paper, read)
        self.counts.read_changed(self.library, paper.id, read)
        self._refresh_marks(paper)

    def _set_starred(self, paper: Paper, starred: bool) -> None:
        self._store(self._marks.set_starred, paper, starred)
        self.counts.star_changed(self.library, paper.id, starred)
        self._refresh_marks(paper)

    def _store(self, change: Callable[[str, bool], object], paper: Paper, value: bool) -> None:
        try:
            change(paper.id, value)
        except StateError as error:
            self.notify(str(error), title="Mark not saved", severity="warning", markup=False)

    def _refresh_marks(self, paper: Paper | None = None) -> None:
        """Redraw what a change of marks touched: one paper's days, lists and row, or all."""
        if paper is None:
            self.days.update_labels(self._day_label)
            self.lists.update_labels(self._list_label)
            self.paper_list.refresh()
        else:
            days = [ALL_DAYS, *self.library.days_of(paper.id)]
            sections = {section_key(p.section) for p in self.library.occurrences.get(paper.id, ())}
            self.days.update_labels(self._day_label, days)
            self.lists.update_labels(self._list_label, [ALL, UNREAD, STARRED, *sections])
            self.paper_list.refresh_paper(paper.id)
        self._show_detail()

    def _recount(self) -> None:
        self.counts = Counts.of(self.library, self._marks)
        self._refresh_marks()

    def on_app_focus(self) -> None:
        self.sync_marks()

    def sync_marks(self) -> None:
        """Show what another reader of the same state file has marked meanwhile."""
        if self._marks.refresh():
            self._recount()

    def action_toggle_read(self) -> None:
        if self.current is not None:
            self._set_read(self.current, not self._marks.is_read(self.current.id))

    def action_toggle_star(self) -> None:
        if self.current is not None:
            self._set_starred(self.current, not self._marks.is_starred(self.current.id))

    def action_mark_list_read(self) -> None:
        unread = list(
            dict.fromkeys(p.id for p in self.paper_list.papers if not self._marks.is_read(p.id))
        )
        if not unread:
            self.notify("Every paper in this list is read already.")
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self._set_read_many(unread, True)
                self._undo = unread
                self.notify(f"Marked {plural(len(unread), 'paper')} read. Press u to undo.")

        where = self.lists.name_of(self._list_key)
        if self._scope != ALL_DAYS:
            where += f" of {self._scope}"
        self.push_screen(
            ConfirmScreen(f"Mark {len(unread):,} unread papers in {where} as read?"), answer
        )

    def action_undo(self) -> None:
        if not self._undo:
            self.notify("Nothing to undo.")
            return
        ids, self._undo = self._undo, []
        self._set_read_many(ids, False)
        self.notify(f"Marked {plural(len(ids), 'paper')} unread again.")

    def _set_read_many(self, ids: list[str], read: bool) -> None:
        try:
            self._marks.set_read_many(ids, read)
        except StateError as error:
            self.notify(str(error), title="Marks not saved", severity="warning", markup=False)
        self._recount()

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

    def action_open_browser(self) -> None:
        paper = self.current
        if paper is None:
            return
        if not paper.url.startswith(("http://", "https://")):
            self.notify(f"Not a web link: {paper.url}", severity="warning", markup=False)
            return
        try:
            webbrowser.get()
        except webbrowser.Error:
            message = f"No web browser found here. The link is {paper.url}"
            self.notify(message, severity="warning", timeout=15, markup=False)
            return
        self.open_url(paper.url)
        self.notify(f"Opening {paper.url}", markup=False)

    def action_focus_papers(self) -> None:
        self.paper_list.focus()

    def action_help(self) -> None:
        sections = [
            [("Anywhere", self.BINDINGS), ("Days and lists", CountedList.BINDINGS)],
            [("Papers", PaperList.BINDINGS), ("Paper", PaperDetail.BINDINGS)],
        ]
        self.push_screen(HelpScreen(sections))

    def action_problems(self) -> None:
        self.push_screen(ProblemsScreen(self.library))


def make_app(
    paths: Sequence[Path],
    marks: MarkStore,
    notes: Sequence[str] = (),
    language: str | None = None,
) -> DigestApp:
    """The one way to build the reader, for the CLI and the tests alike."""
    return DigestApp(paths, marks, notes, language)
