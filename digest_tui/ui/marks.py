"""Marking papers read and starred: one paper, or a whole list (with undo); the counts beside
each day and list, kept by steps as marks change; what another reader of the same marks did."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from textual.app import App
from textual.message import Message

from digest_tui.lists import ALL, Counts, FoundCounts
from digest_tui.model import Library, Paper
from digest_tui.state import MarkStore, StateError
from digest_tui.words import plural


class Marks:
    """The marks of the library shown, and its counts. It is handed the store and the app (to
    notify, ask and post through); what it changed it says with a `Marks.Changed`."""

    class Changed(Message):
        """Marks changed: of one paper (`paper`; `found` are the lists of searches that hold
        it, whose counts changed too), or of many (`paper` is None)."""

        def __init__(self, paper: Paper | None = None, found: Sequence[str] = ()) -> None:
            super().__init__()
            self.paper = paper
            self.found = found

    def __init__(self, store: MarkStore, app: App) -> None:
        self.store = store
        self._app = app
        self.library = Library(())
        self.counts = Counts.of(self.library, store)
        self.found = FoundCounts()  # of the saved searches and keyword lists
        self._undo: list[str] = []  # papers the last "mark list read" changed

    def use(self, library: Library) -> None:
        """Count the marks of another library (the one read, or it filtered)."""
        self.library = library
        self.counts = Counts.of(library, self.store)
        self.found.clear()  # counted again for this library

    def counted(self, scope: str, found: Mapping[str, frozenset[str]]) -> None:
        """The papers of searches (by list key) in `scope`: their counts."""
        for key, ids in found.items():
            self.found.add(scope, key, ids, self.store)

    def day_label(self, day: str) -> str:
        return self.counts.label(ALL, day)

    def list_label(self, key: str, scope: str, *, searched: bool = False) -> str:
        """A list's count; `searched` for a list a search makes."""
        return self.found.label(key, scope) if searched else self.counts.label(key, scope)

    # -- one paper -----------------------------------------------------------------------

    def set_read(self, paper: Paper, read: bool) -> None:
        if self.store.is_read(paper.id) == read:
            return
        self._save(self.store.set_read, paper, read)
        self.counts.read_changed(self.library, paper.id, read)
        self._app.post_message(self.Changed(paper, self.found.read_changed(paper.id, read)))

    def toggle_read(self, paper: Paper | None) -> None:
        if paper is not None:
            self.set_read(paper, not self.store.is_read(paper.id))

    def toggle_star(self, paper: Paper | None) -> None:
        if paper is None:
            return
        starred = not self.store.is_starred(paper.id)
        self._save(self.store.set_starred, paper, starred)
        self.counts.star_changed(self.library, paper.id, starred)
        self._app.post_message(self.Changed(paper))

    def _save(self, change: Callable[[str, bool], object], paper: Paper, value: bool) -> None:
        self.keep(lambda: change(paper.id, value))

    def keep(self, write: Callable[[], object]) -> None:
        """Write to the state file (a mark, tags, a note, the place); a write that fails is
        said, once: the store then keeps everything in memory and tries no more."""
        try:
            write()
        except StateError as error:
            message = (
                f"{error}. Marks, tags, notes and your place from this one on are kept only "
                "until you quit."
            )
            self._app.notify(
                message, title="Marks not saved", severity="error", timeout=30, markup=False
            )

    # -- many papers ---------------------------------------------------------------------

    def mark_list_read(self, papers: Sequence[Paper], where: str) -> None:
        """Mark every paper of a list read, once the reader says yes; `u` undoes it."""
        unread = list(dict.fromkeys(p.id for p in papers if not self.store.is_read(p.id)))
        if not unread:
            self._app.notify("Every paper in this list is read already.")
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self._set_read_many(unread, True)
                self._undo = unread
                self._app.notify(f"Marked {plural(len(unread), 'paper')} read. Press u to undo.")

        from digest_tui.ui.screens.confirm import ConfirmScreen

        question = f"Mark {len(unread):,} unread papers in {where} as read?"
        self._app.push_screen(ConfirmScreen(question), answer)

    def undo(self) -> None:
        if not self._undo:
            self._app.notify("Nothing to undo.")
            return
        ids, self._undo = self._undo, []
        self._set_read_many(ids, False)
        self._app.notify(f"Marked {plural(len(ids), 'paper')} unread again.")

    def _set_read_many(self, ids: list[str], read: bool) -> None:
        self.keep(lambda: self.store.set_read_many(ids, read))
        self._recount()

    def sync(self) -> bool:
        """Show what another reader of the same state file has marked meanwhile (whether it
        had: its tags may have made lists)."""
        if self.store.refresh():
            self._recount()
            return True
        return False

    def _recount(self) -> None:
        self.counts = Counts.of(self.library, self.store)
        self.found.recount(self.store)
        self._app.post_message(self.Changed())
