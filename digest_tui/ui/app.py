"""The reader: three panes (lists, papers, detail). It reacts to messages and delegates the
work to the core (loading, marks, counts) and to the widgets (drawing)."""

from __future__ import annotations

import webbrowser
from collections.abc import Sequence
from pathlib import Path

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header, OptionList
from textual.worker import Worker, WorkerState

from digest_tui.library import load_library
from digest_tui.lists import SMART_LISTS, STARRED, UNREAD, Counts, papers_for, section_key
from digest_tui.model import Library, Paper
from digest_tui.state import NO_MARK, MarkStore, StateError
from digest_tui.ui.messages import LibraryLoaded
from digest_tui.ui.screens.confirm import ConfirmScreen
from digest_tui.ui.screens.help import HelpScreen
from digest_tui.ui.widgets.category_list import CategoryList
from digest_tui.ui.widgets.paper_detail import PaperDetail
from digest_tui.ui.widgets.paper_list import PaperList

PROBLEMS_SHOWN = 5
SYNC_SECONDS = 3.0
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
        Binding("e", "expand_all", "Expand all", id="detail-expand-all"),
        Binding("o", "open_browser", "Open in browser", id="paper-open-browser"),
        Binding("A", "mark_list_read", "Mark list read", show=False, id="list-mark-all-read"),
        Binding("u", "undo", "Undo mark list read", show=False, id="list-undo"),
        Binding("escape", "focus_papers", "Back to papers", show=False, id="app-back"),
    ]

    def __init__(self, paths: Sequence[Path], marks: MarkStore, notes: Sequence[str] = ()) -> None:
        super().__init__()
        self._paths = list(paths)
        self._marks = marks
        self._notes = list(notes)
        self.library = Library(())
        self.counts = Counts.of(self.library, marks)
        self._list_name = ""
        self._undo: list[str] = []  # papers the last "mark list read" changed

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            yield CategoryList(id="categories")
            yield PaperList(self._marks, id="papers")
            yield PaperDetail(id="detail")
        yield Footer()

    @property
    def categories(self) -> CategoryList:
        return self.query_one(CategoryList)

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
        self.categories.border_title = "Lists"
        self.paper_list.border_title = "Papers"
        self.detail.border_title = "Paper"
        for note in self._notes:
            self.notify(note, title="Marks", severity="warning", timeout=20, markup=False)
        self.paper_list.focus()
        self.sub_title = "loading…"
        self.load_library()
        self.set_interval(SYNC_SECONDS, self.sync_marks)

    def on_app_focus(self) -> None:
        self.sync_marks()

    def sync_marks(self) -> None:
        """Show what another reader of the same state file has marked meanwhile."""
        if self._marks.refresh():
            self._recount()

    def _recount(self) -> None:
        self.counts = Counts.of(self.library, self._marks)
        self.categories.update_counts(self.counts, self.categories.keys)
        self.paper_list.refresh()
        self._show_detail()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_library(self) -> None:
        self.post_message(LibraryLoaded(load_library(self._paths)))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.notify(
                f"Could not load the digests: {event.worker.error}",
                title="Error",
                severity="error",
                timeout=30,
                markup=False,
            )

    def on_library_loaded(self, message: LibraryLoaded) -> None:
        library = self.library = message.library
        self.counts = Counts.of(library, self._marks)
        lists = [*SMART_LISTS, *((section_key(name), name) for name in library.sections)]
        self.categories.set_lists(lists, self.counts)
        files = len(library.digests)
        papers = len(library.papers)
        self.sub_title = (
            f"{files} digest{'s' * (files != 1)} · {papers:,} paper{'s' * (papers != 1)}"
        )
        if library.problems:
            shown = "\n".join(str(problem) for problem in library.problems[:PROBLEMS_SHOWN])
            more = len(library.problems) - PROBLEMS_SHOWN
            self.notify(
                shown + (f"\n… and {more} more (digest-tui check)" if more > 0 else ""),
                title=f"{len(library.problems)} problems reading the digests",
                severity="warning",
                timeout=20,
                markup=False,
            )

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        key = event.option.id
        if key is None:
            return
        papers = papers_for(self.library, key, self._marks)
        self.paper_list.show(papers, EMPTY_LIST.get(key, "No papers."))
        count = f"{len(papers):,} paper{'s' * (len(papers) != 1)}"
        self._list_name = self.categories.name_of(key)
        self.paper_list.border_title = f"{self._list_name} · {count}"

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.paper_list.focus()

    def on_paper_list_highlighted(self, event: PaperList.Highlighted) -> None:
        self._show_detail()

    def on_paper_list_opened(self, event: PaperList.Opened) -> None:
        self._set_read(event.paper, True)
        self.detail.focus()

    def _show_detail(self) -> None:
        paper = self.current
        self.detail.show(paper, self._marks.get(paper.id) if paper else NO_MARK)

    def _set_read(self, paper: Paper, read: bool) -> None:
        if self._marks.is_read(paper.id) == read:
            return
        self._store(self._marks.set_read, paper, read)
        self.counts.read_changed(paper, read)
        self._refresh(paper, [*(key for key, _ in SMART_LISTS), section_key(paper.section)])

    def _set_starred(self, paper: Paper, starred: bool) -> None:
        self._store(self._marks.set_starred, paper, starred)
        self.counts.star_changed(starred)
        self._refresh(paper, [STARRED])

    def _store(self, change, paper: Paper, value: bool) -> None:
        try:
            change(paper.id, value)
        except StateError as error:
            self.notify(str(error), title="Mark not saved", severity="warning", markup=False)

    def _refresh(self, paper: Paper, keys: list[str]) -> None:
        self.categories.update_counts(self.counts, keys)
        self.paper_list.refresh_paper(paper.id)
        if self.current is paper:
            self._show_detail()

    def action_toggle_read(self) -> None:
        if self.current is not None:
            self._set_read(self.current, not self._marks.is_read(self.current.id))

    def action_toggle_star(self) -> None:
        if self.current is not None:
            self._set_starred(self.current, not self._marks.is_starred(self.current.id))

    def action_mark_list_read(self) -> None:
        unread = [p.id for p in self.paper_list.papers if not self._marks.is_read(p.id)]
        if not unread:
            self.notify("Every paper in this list is read already.")
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self._set_read_many(unread, True)
                self._undo = unread
                self.notify(f"Marked {len(unread):,} papers read. Press u to undo.")

        question = f"Mark {len(unread):,} unread papers in {self._list_name} as read?"
        self.push_screen(ConfirmScreen(question), answer)

    def action_undo(self) -> None:
        if not self._undo:
            self.notify("Nothing to undo.")
            return
        ids, self._undo = self._undo, []
        self._set_read_many(ids, False)
        self.notify(f"Marked {len(ids):,} papers unread again.")

    def _set_read_many(self, ids: list[str], read: bool) -> None:
        try:
            self._marks.set_read_many(ids, read)
        except StateError as error:
            self.notify(str(error), title="Marks not saved", severity="warning", markup=False)
        self._recount()

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
            self.notify(
                f"No web browser found here. The link is {paper.url}",
                severity="warning",
                timeout=15,
                markup=False,
            )
            return
        self.open_url(paper.url)
        self.notify(f"Opening {paper.url}", markup=False)

    def action_focus_papers(self) -> None:
        self.paper_list.focus()

    def action_help(self) -> None:
        self.push_screen(
            HelpScreen(
                [
                    [("Anywhere", self.BINDINGS), ("Lists pane", CategoryList.BINDINGS)],
                    [("Papers pane", PaperList.BINDINGS), ("Detail pane", PaperDetail.BINDINGS)],
                ]
            )
        )


def make_app(paths: Sequence[Path], marks: MarkStore, notes: Sequence[str] = ()) -> DigestApp:
    """The one way to build the reader, for the CLI and the tests alike."""
    return DigestApp(paths, marks, notes)
