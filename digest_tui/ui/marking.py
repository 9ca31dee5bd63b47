"""Marking papers read and starred for the reader: one paper, or a whole list (with undo);
counts and rows updated at once; what another reader of the same marks did, shown."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from digest_tui.lists import ALL, ALL_DAYS, STARRED, UNREAD, Counts, FoundCounts, section_key
from digest_tui.model import Library, Paper
from digest_tui.state import MarkStore, StateError
from digest_tui.ui.screens.confirm import ConfirmScreen
from digest_tui.words import plural


class Marking:
    """The DigestApp's marks (a mixin: it redraws through the app's lists and detail)."""

    library: Library
    counts: Counts
    found_counts: FoundCounts
    _marks: MarkStore
    _scope: str
    _undo: list[str]

    def _set_read(self, paper: Paper, read: bool) -> None:
        if self._marks.is_read(paper.id) == read:
            return
        self._store(self._marks.set_read, paper, read)
        self.counts.read_changed(self.library, paper.id, read)
        self._refresh_marks(paper, self.found_counts.read_changed(paper.id, read))

    def _set_starred(self, paper: Paper, starred: bool) -> None:
        self._store(self._marks.set_starred, paper, starred)
        self.counts.star_changed(self.library, paper.id, starred)
        self._refresh_marks(paper)

    def _store(self, change: Callable[[str, bool], object], paper: Paper, value: bool) -> None:
        try:
            change(paper.id, value)
        except StateError as error:
            self._not_saved(error)

    def _not_saved(self, error: StateError) -> None:
        # Said once: after a write fails, the store keeps marks in memory and tries no more.
        message = f"{error}. Marks from this one on are kept only until you quit."
        self.notify(message, title="Marks not saved", severity="error", timeout=30, markup=False)

    def _refresh_marks(self, paper: Paper | None = None, found: Sequence[str] = ()) -> None:
        """Redraw what a change of marks touched: one paper's days, lists (and the `found`
        lists of searches it is in) and row, or all."""
        if paper is None:
            self.days.update_labels(self._day_label)
            self.lists.update_labels(self._list_label)
            self.paper_list.refresh()
        else:
            days = [ALL_DAYS, *self.library.days_of(paper.id)]
            sections = {section_key(p.section) for p in self.library.occurrences.get(paper.id, ())}
            self.days.update_labels(self._day_label, days)
            keys = [ALL, UNREAD, STARRED, *sections, *found]
            self.lists.update_labels(self._list_label, keys)
            self.paper_list.refresh_paper(paper.id)
        self._show_detail()

    def _recount(self) -> None:
        self.counts = Counts.of(self.library, self._marks)
        self.found_counts.recount(self._marks)
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

        where = self.list_name
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
            self._not_saved(error)
        self._recount()
