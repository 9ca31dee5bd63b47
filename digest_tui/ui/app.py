"""The reader: days and lists on the left, the papers of the chosen list, the chosen paper.

The app orchestrates; its parts do the work, each handed what it needs:
- `LibraryReader` (loading.py) reads the library in a thread and watches its folders;
- `Search` (searching.py) runs searches, counts the saved ones, keeps the keyword filter;
- `Marks` (marks.py) marks papers read and starred and keeps the counts;
- `Navigation` (navigation.py) chooses the day, the list and the paper shown;
- `PaperActions` (paper_actions.py) opens, copies and exports;
- the `Panes` widget (widgets/panes.py) holds the panes and fits them to the terminal.
The app holds the key bindings (one keymap, one help screen) and reacts to the messages its
parts and widgets post (past-tense facts) by handing them to the part concerned."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import Future
from dataclasses import replace
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker, WorkerState

from digest_tui.config import Settings, location
from digest_tui.config_edit import save_theme
from digest_tui.library import Started
from digest_tui.lists import ALL_DAYS
from digest_tui.model import Library, Paper
from digest_tui.state import MarkStore
from digest_tui.ui.commands import PaperCommands, binding_commands, key_sections
from digest_tui.ui.finder import Finder
from digest_tui.ui.keymap import READER_BINDINGS, check_keymap, places
from digest_tui.ui.loading import WATCH_SECONDS, LibraryReader
from digest_tui.ui.marks import Marks
from digest_tui.ui.messages import (
    FilterFound,
    LibraryChanged,
    LibraryLoaded,
    LibraryProgressed,
    Ranked,
    RankingFailed,
    SearchesCounted,
    SearchFinished,
    SearchIndexed,
    SourcesUpdated,
    while_running,
)
from digest_tui.ui.navigation import Navigation
from digest_tui.ui.places import Places, library_key
from digest_tui.ui.screens.reader import ReaderScreen
from digest_tui.ui.searching import Search
from digest_tui.ui.widgets.counted_list import CountedList
from digest_tui.ui.widgets.footer import KeysFooter
from digest_tui.ui.widgets.panes import Panes
from digest_tui.ui.widgets.paper_detail import PaperDetail
from digest_tui.ui.widgets.paper_list import PaperList
from digest_tui.ui.widgets.search_bar import SearchBar
from digest_tui.ui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from digest_tui.index import SearchIndex
    from digest_tui.ui.paper_actions import PaperActions

SYNC_SECONDS = 3.0


class DigestApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "digest-tui"
    COMMANDS = App.COMMANDS | {PaperCommands}
    BINDINGS = READER_BINDINGS

    def __init__(
        self,
        paths: Sequence[Path],
        marks: MarkStore,
        notes: Sequence[str] = (),
        language: str | None = None,
        settings: Settings | None = None,
        problems: Sequence[str] = (),
        ahead: Future[Started] | None = None,
    ) -> None:
        super().__init__()
        self._notes = [*notes]  # about the marks
        self._problems = [*problems]  # in the settings file
        self._marks = marks  # the store, which the parts are handed (tests read it here)
        self.settings = settings or Settings()
        self.library = self.full_library = Library(())  # shown (keyword filter applied); all
        self.reader = LibraryReader(paths, language, self, ahead)
        self.marks = Marks(marks, self)
        self.search = Search(self.settings, marks, self)
        self.panes = panes = Panes(marks, self.settings.expanded, id="panes")
        self.days, self.lists, self.search_bar = panes.days, panes.lists, panes.bar
        self.paper_list, self.detail = panes.papers, panes.detail
        self.navigation = Navigation(panes, self.marks, self.search, self)
        self.finder = Finder(self.navigation, self.search, self)
        self.places = Places(self.marks, library_key(paths), self)
        self.navigation.places = self.places

    def get_default_screen(self) -> Screen:
        return ReaderScreen(id="_default")

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield self.panes
        yield KeysFooter()

    @property
    def current(self) -> Paper | None:
        """The paper under the list's cursor."""
        return self.navigation.current

    @property
    def first_paint_at(self) -> float | None:
        """perf_counter() when papers were first shown."""
        return self.reader.first_paint_at

    @property
    def _keywords_found(self) -> dict[str, tuple[str, ...]] | None:
        return self.search.keywords_found

    def search_index(self) -> SearchIndex | None:
        return self.search.index

    @cached_property
    def actions(self) -> PaperActions:
        """Opening, copying, exporting: loaded with the first of them."""
        from digest_tui.ui.paper_actions import PaperActions

        return PaperActions(self.marks.store, self)

    def on_mount(self) -> None:
        for note in self._notes:
            self.notify(note, title="Marks", severity="warning", timeout=20, markup=False)
        for problem in self._problems:
            self.notify(problem, title="Settings", severity="warning", timeout=20, markup=False)
        self._apply_settings()
        self.sub_title = "loading…"
        self.reader.read()
        if self.settings.update_on_start:
            self.reader.update_sources(self.settings.sources)
        self.set_interval(SYNC_SECONDS, self._sync)
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

    def _show_library(self) -> None:
        """Show the library read, or it filtered by keywords, on the paper being read."""
        self.library = self.search.filtered(self.full_library)
        self.marks.use(self.library)
        self.navigation.use_library(self.library, filtered=self.library is not self.full_library)

    def _sync(self) -> None:
        """Another reader's marks, tags and notes: shown, and its tags' lists made."""
        if self.marks.sync():
            self.navigation.tags_changed()

    # -- what the parts report ------------------------------------------------------------

    @while_running
    def on_library_progressed(self, message: LibraryProgressed) -> None:
        self.sub_title = f"reading day {message.done:,} of {message.total:,}…"

    @while_running
    def on_library_loaded(self, message: LibraryLoaded) -> None:
        before = self.full_library
        self.full_library = message.library
        self.search.library_read(message.library)
        self._show_library()
        self.reader.loaded(message, before)
        if not message.reload:
            self.places.resume(self.library, message.complete)
        if not message.complete:
            self.sub_title = "reading the other days…"

    @while_running
    def on_library_changed(self, message: LibraryChanged) -> None:
        self.reader.read(reload=True)

    def check_library(self) -> None:
        """Look for new or changed day files (every few seconds)."""
        self.reader.check()

    def action_update_sources(self) -> None:
        self.reader.update_sources(self.settings.sources, asked=True)

    @while_running
    def on_sources_updated(self, message: SourcesUpdated) -> None:
        self.reader.sources_updated(message)

    @while_running
    def on_search_indexed(self, message: SearchIndexed) -> None:
        if self.search.indexed(message):
            self.navigation.indexed()
            self.finder.indexed()

    @while_running
    def on_ranked(self, message: Ranked) -> None:
        if self.search.ranked(message):
            self.navigation.indexed()  # (the lists of searches with like: counted again)
            self.navigation.show_detail()  # (a ranked list's paper says why it is there)

    @while_running
    def on_ranking_failed(self, message: RankingFailed) -> None:
        if self.search.ranking_failed(message):
            text = f"The library could not be ranked ({message.reason}); its lists stay as listed."
            self.notify(text, title="For you", severity="warning", timeout=15, markup=False)

    @while_running
    def on_search_finished(self, message: SearchFinished) -> None:
        self.navigation.search_finished(message)
        self.finder.finished(message)

    @while_running
    def on_searches_counted(self, message: SearchesCounted) -> None:
        if message.library is self.library:
            self.marks.counted(message.scope, message.found)
            self.search.counted(message)
            self.navigation.counted(message)

    @while_running
    def on_filter_found(self, message: FilterFound) -> None:
        if self.search.filter_found(message):
            self._show_library()

    def on_marks_changed(self, message: Marks.Changed) -> None:
        self.navigation.marks_changed(message)

    def on_app_focus(self) -> None:
        self._sync()

    # -- what the reader does in the panes ------------------------------------------------

    def on_counted_list_highlighted(self, event: CountedList.Highlighted) -> None:
        self.navigation.highlighted(event)

    def on_counted_list_selected(self, event: CountedList.Selected) -> None:
        self.paper_list.focus()  # (enter or a click in the days or lists: to the papers)

    def on_paper_list_opened(self, event: PaperList.Opened) -> None:
        if self.settings.mark_read_on_open:
            self.marks.set_read(event.paper, True)

    def on_search_bar_changed(self, message: SearchBar.Changed) -> None:
        self.finder.typed(message.text, message.done)

    def on_search_bar_closed(self, message: SearchBar.Closed) -> None:
        self.finder.close()

    # -- the keys' actions ----------------------------------------------------------------

    def action_toggle_read(self) -> None:
        self.marks.toggle_read(self.current)

    def action_toggle_star(self) -> None:
        self.marks.toggle_star(self.current)

    def action_mark_list_read(self) -> None:
        where = self.navigation.list_name
        if self.navigation.scope != ALL_DAYS:
            where += f" of {self.navigation.scope}"
        self.marks.mark_list_read(self.paper_list.papers, where)

    def action_undo(self) -> None:
        self.marks.undo()

    def action_next_unread(self) -> None:
        self._unread(forward=True)

    def action_previous_unread(self) -> None:
        self._unread(forward=False)

    def _unread(self, forward: bool) -> None:
        """`n`/`p`; from the paper pane, the paper reached is opened there: marked read."""
        reading = self.detail.has_focus and self.settings.mark_read_on_open
        if self.navigation.jump_unread(forward) and reading and self.current is not None:
            self.marks.set_read(self.current, True)

    def action_toggle_pane(self, name: str) -> None:
        self.detail.action_toggle_pane(name)

    def action_day(self, step: int) -> None:
        self.navigation.step_day(step)

    def action_search(self) -> None:
        self.finder.open()

    def action_toggle_filter(self) -> None:
        if self.search.toggle_filter():
            self._show_library()

    def action_toggle_math(self) -> None:
        self.navigation.toggle_math()

    def action_expand_all(self) -> None:
        self.detail.toggle_all()

    def action_toggle_sidebar(self) -> None:
        self.panes.toggle_sidebar()

    def action_zoom(self) -> None:
        self.panes.zoom(not self.panes.zoomed)

    def action_back(self) -> None:
        """Escape: out of the paper on the whole screen; out of a search back to its list;
        else back to the papers."""
        if self.panes.zoomed:
            self.panes.zoom(False)
        elif not self.finder.close():
            self.paper_list.focus()

    def action_paper(self, name: str) -> None:
        """One of PaperActions' on the paper shown (o, O, c, l, t, N, y, Y): a paper opened in
        the browser is being read (unless the settings say not)."""
        opened = getattr(self.actions, name)(self.current)
        reading = name in ("open_browser", "open_pdf") and self.settings.mark_read_on_open
        if opened and reading and self.current is not None:
            self.marks.set_read(self.current, True)

    def action_more_like(self) -> None:
        if self.panes.zoomed:
            self.panes.zoom(False)  # the list is what it opens
        self.finder.more_like(self.current)

    def action_cycle_sort(self) -> None:
        self.finder.cycle_sort()

    def action_random_unread(self) -> None:
        if (row := self.actions.random_unread(self.paper_list.papers)) is not None:
            self.places.jumping()
            self.paper_list.move_to(row)

    def action_jump_back(self) -> None:
        self.places.back()

    def action_jump_forward(self) -> None:
        self.places.forward()

    async def action_quit(self) -> None:
        self.places.save()  # where the reader was, to open there next time
        await super().action_quit()

    def action_export_list(self) -> None:
        self.actions.export_list(self.paper_list.papers, self.navigation.list_name)

    def action_export_list_as(self) -> None:
        self.actions.export_list_as(self.paper_list.papers, self.navigation.list_name)

    # -- help, screens and the palette ----------------------------------------------------

    def key_of(self, binding: Binding) -> str:
        """The keys a binding has now (the keymap of the settings may have changed them)."""
        keys = self.settings.keymap.get(binding.id or "", binding.key)
        return ", ".join(self.get_key_display(Binding(k.strip(), "")) for k in keys.split(","))

    def action_help(self) -> None:
        from digest_tui.ui.screens.help import HelpScreen

        sections = key_sections(self.BINDINGS)
        self.push_screen(HelpScreen([sections[:2], sections[2:]], self.key_of))

    def action_problems(self) -> None:
        from digest_tui.ui.screens.problems import ProblemsScreen

        self.push_screen(ProblemsScreen(self.library))

    def action_stats(self) -> None:
        from digest_tui.ui.screens.stats import StatsScreen

        self.push_screen(StatsScreen(self.library, self.marks.store))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for bindings, widget in (
            (self.BINDINGS, self),
            (PaperList.BINDINGS, self.paper_list),
            (PaperDetail.BINDINGS, self.detail),
        ):
            run = partial(self.run_action, default_namespace=widget)
            yield from binding_commands(bindings, run, self.key_of)


def make_app(
    paths: Sequence[Path],
    marks: MarkStore,
    notes: Sequence[str] = (),
    language: str | None = None,
    settings: Settings | None = None,
    problems: Sequence[str] = (),
    ahead: Future[Started] | None = None,
) -> DigestApp:
    """The one way to build the reader, for the CLI and the tests alike. `ahead` is the
    library's newest day, being read already (see `cli`)."""
    return DigestApp(paths, marks, notes, language, settings, problems, ahead)
