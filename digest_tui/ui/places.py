"""Where the reader is, kept: across sessions (the reader opens where it was left, per library,
in the state file beside the marks) and within one (a history of jumps, walked back with
ctrl+o or alt+left and forward with alt+right, as vim's jump list)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from textual.app import App
from textual.timer import Timer

from digest_tui.library import is_dated
from digest_tui.lists import ALL, ALL_DAYS
from digest_tui.model import Library
from digest_tui.ui.marks import Marks
from digest_tui.words import plural

SAVE_SECONDS = 1.0  # the place is saved this long after the reader stops moving (and at quit)
HISTORY = 100  # places kept to go back to


@dataclass(frozen=True)
class Place:
    day: str = ALL_DAYS  # a day, or all days
    list_key: str = ALL
    paper: str | None = None  # the paper under the cursor
    scroll: int = 0  # the paper pane's first row shown
    newest: str = ""  # the library's newest dated day then (to say which days are new)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | None) -> Place | None:
        """A saved place, or None (none saved, or written by something else)."""
        try:
            data = json.loads(text or "")
            place = cls(**data)
        except (ValueError, TypeError):
            return None
        fields = (place.day, place.list_key, place.newest)
        if not all(isinstance(value, str) for value in fields) or not isinstance(place.scroll, int):
            return None
        return place if place.paper is None or isinstance(place.paper, str) else None

    def same_view(self, other: Place) -> bool:
        return (self.day, self.list_key) == (other.day, other.list_key)


def newest_date(days: Iterable[str]) -> str:
    """The newest of the days named by their dates ("" for none): what "new since" counts
    from. A file named otherwise (a weekly roll-up, an export) has no place in time, and its
    name, sorted after every date, made the newest day of a library that had one."""
    return max((day for day in days if is_dated(day)), default="")


def library_key(paths: Sequence[Path]) -> str:
    """The name a library's place is kept under: its folders and files, resolved."""
    return "\n".join(sorted(str(path.expanduser().resolve()) for path in paths))


class Places:
    """Keeps the reader's place. It is handed the marks (whose store keeps places), the
    library's key, and the app, whose navigation it asks where the reader is and sends back."""

    def __init__(self, marks: Marks, library: str, app: App) -> None:
        self._marks = marks  # (which says when the file cannot be written)
        self._store = store = marks.store
        self._library = library
        self._app = app
        self._saved_json = store.place(library)
        self.saved = Place.from_json(self._saved_json)  # where the last session ended
        self._resumed = self.saved is None  # nothing (more) to come back to
        self._start: Place | None = None  # the place first shown, before the reader moved
        self._back: list[Place] = []
        self._forward: list[Place] = []
        self._browsing = False  # the last jump recorded began a walk through days or lists
        self._walked_to: tuple[str, str, str | None] = ("", "", None)  # (day, list, paper) reached
        self._save: Timer | None = None

    @property
    def _navigation(self):
        return self._app.navigation  # type: ignore[attr-defined]

    # -- coming back to where the last session ended -------------------------------------

    def resume(self, library: Library, complete: bool) -> None:
        """The library shown (some days, or all of them): go to the saved place once it holds
        it, unless the reader has moved meanwhile; say which days are new since."""
        navigation = self._navigation
        here = navigation.place()
        if self._start is None:
            self._start = here
        if self._resumed:
            return
        saved = self.saved
        assert saved is not None
        if here != self._start:
            self._resumed = True  # the reader has moved on: stay
            return
        if not navigation.holds(saved):
            if complete:
                self._resumed = True  # that day is gone: stay on the newest
                self._announce(library, saved)
            return
        self._resumed = True
        navigation.go(saved)
        self._start = navigation.place()
        self._announce(library, saved)

    def _announce(self, library: Library, saved: Place) -> None:
        new = [day for day in library.days if saved.newest and is_dated(day) and day > saved.newest]
        if not new:
            return
        shown = ", ".join(f"{day} ({plural(len(library.days[day]), 'paper')})" for day in new[:3])
        more = f" and {len(new) - 3:,} more" if len(new) > 3 else ""
        self._app.notify(
            f"New since you last read: {shown}{more}. Press ] for newer days.",
            title="Welcome back",
            timeout=10,
            markup=False,
        )

    # -- keeping the place -----------------------------------------------------------------

    def moved(self) -> None:
        """The reader is on another paper: the place is saved once it stays there a moment."""
        navigation = self._navigation
        if self._browsing and (navigation.scope, navigation.list_key) != self._walked_to[:2]:
            current = navigation.current
            self._walked_to = (navigation.scope, navigation.list_key, current and current.id)
        if self._save is not None:
            self._save.stop()
        self._save = self._app.set_timer(SAVE_SECONDS, self.save)

    def save(self) -> None:
        """Keep the place now (at quit; after a move, once the reader stays)."""
        if self._save is not None:
            self._save.stop()
            self._save = None
        if not self._resumed and self._navigation.place() == self._start:
            return  # still loading towards the saved place: keep it as it is
        place = self._navigation.place().to_json()
        if place == self._saved_json:
            return  # (a move that came back, a mark changed: nothing new to write)

        def write() -> None:
            self._store.save_place(self._library, place)
            self._saved_json = place

        self._marks.keep(write)

    # -- the history of jumps --------------------------------------------------------------

    def jumping(self, browse: bool = False) -> None:
        """The reader is about to jump (a search, a random paper, the next unread, another
        day or list): the place it leaves can be gone back to. A walk through the days or
        lists (`browse`) records the place before its first step only."""
        here = self._navigation.place()
        if browse and self._browsing and (here.day, here.list_key, here.paper) == self._walked_to:
            return  # a step of the walk, the reader still where the last step put it
        if not self._back or self._back[-1] != here:
            self._back = [*self._back[-(HISTORY - 1) :], here]
        self._forward.clear()
        self._browsing = browse
        self._walked_to = (here.day, here.list_key, here.paper)

    def back(self) -> None:
        self._walk(self._back, self._forward, "Nothing to go back to.")

    def forward(self) -> None:
        self._walk(self._forward, self._back, "Nothing to go forward to.")

    def _walk(self, source: list[Place], other: list[Place], empty: str) -> None:
        navigation = self._navigation
        while source and not navigation.holds(source[-1]):
            source.pop()  # a place of a day that went away, or of a search no longer there
        if not source:
            self._app.notify(empty, timeout=3)
            return
        other.append(navigation.place())
        self._browsing = False
        navigation.go(source.pop())
