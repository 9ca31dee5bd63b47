"""The reader's parts work with only what they are handed: a store, settings, and an app to
post, notify and ask through (here a stand-in that records what they did)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App

from digest_tui.config import Keyword, Settings
from digest_tui.library import bundled_seeds, load_library
from digest_tui.lists import ALL, ALL_DAYS, UNREAD
from digest_tui.state import MarkStore
from digest_tui.ui.app import DigestApp
from digest_tui.ui.marks import Marks
from digest_tui.ui.messages import FilterFound
from digest_tui.ui.screens.confirm import ConfirmScreen
from digest_tui.ui.searching import Search


class StandIn:
    """What the parts use of the app, recorded."""

    def __init__(self) -> None:
        self.posted: list[object] = []
        self.said: list[str] = []
        self.asked: list[tuple[object, object]] = []

    def post_message(self, message: object) -> bool:
        self.posted.append(message)
        return True

    def notify(self, message: str, **_: object) -> None:
        self.said.append(message)

    def push_screen(self, screen: object, callback: object) -> None:
        self.asked.append((screen, callback))


def test_the_app_is_one_class_of_its_own():
    assert DigestApp.__bases__ == (App,)


def test_marks_step_the_counts_and_say_what_changed(tmp_path: Path):
    library = load_library(bundled_seeds())
    app: Any = StandIn()
    marks = Marks(MarkStore(tmp_path / "marks.db"), app)
    marks.use(library)
    marks.counted(ALL_DAYS, {"keyword:0": frozenset(p.id for p in library.papers[:2])})
    paper = library.papers[0]
    marks.toggle_read(paper)
    assert marks.store.is_read(paper.id)
    assert marks.day_label(ALL_DAYS) == "71/72"
    assert marks.list_label(UNREAD, ALL_DAYS) == "71"
    assert marks.list_label("keyword:0", ALL_DAYS, searched=True) == "1/2"
    changed = app.posted[-1]
    assert isinstance(changed, Marks.Changed)
    assert changed.paper is paper and list(changed.found) == ["keyword:0"]
    marks.toggle_star(None)  # no paper under the cursor: nothing happens
    assert len(app.posted) == 1


def test_marking_a_list_read_asks_first_and_can_be_undone(tmp_path: Path):
    library = load_library(bundled_seeds())
    app: Any = StandIn()
    marks = Marks(MarkStore(tmp_path / "marks.db"), app)
    marks.use(library)
    marks.mark_list_read(library.papers, "All")
    [(screen, answer)] = app.asked
    assert isinstance(screen, ConfirmScreen)
    assert marks.list_label(ALL, ALL_DAYS) == "72/72"  # nothing marked before the answer
    answer(True)
    assert marks.list_label(ALL, ALL_DAYS) == "0/72"
    assert app.said[-1] == "Marked 72 papers read. Press u to undo."
    marks.undo()
    assert marks.list_label(ALL, ALL_DAYS) == "72/72"
    assert isinstance(app.posted[-1], Marks.Changed) and app.posted[-1].paper is None


def test_the_keyword_filter_applies_once_its_papers_are_found(tmp_path: Path):
    library = load_library(bundled_seeds())
    settings = Settings(keywords=(Keyword("gan", filter=True),))
    app: Any = StandIn()
    search = Search(settings, MarkStore(tmp_path / "marks.db"), app)
    assert search.filtered(library) is library  # no papers found yet
    search.library_read(library)
    found = frozenset(p.id for p in library.papers[:3])
    assert search.filter_found(FilterFound(library, found))  # the library shown changes
    assert [p.id for p in search.filtered(library).papers] == [p.id for p in library.papers[:3]]
    assert search.toggle_filter()
    assert search.filtered(library) is library
    assert app.said == ["Keyword filter off; it filters on #gan."]
