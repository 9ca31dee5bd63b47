"""Searching in the app while the library is read again: a search never runs on the index of
the library before."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets import Static

from digest_tui.library import LibraryLoad
from digest_tui.ui.messages import SearchFinished
from digest_tui.ui.widgets.paper_list import PaperList
from tests.conftest import digest_md, paper_md, write
from tests.test_app import SIZE, started
from tests.test_app_power import app_for, settle


@pytest.mark.parametrize("typed", ["during the reload", "before it"])
async def test_a_search_during_a_reload_waits_for_the_new_index(
    isolated_user_dirs, tmp_path: Path, monkeypatch, typed: str
):
    folder = tmp_path / "library"
    write(folder / "2026-03-01.md", digest_md({"cs.CV": [paper_md(1, "2603.00001", "Old")]}))
    made, indexes, held = LibraryLoad.index, [], threading.Event()

    def index_held_after_the_first(self: LibraryLoad, cancelled=lambda: False):
        indexes.append(self)
        if len(indexes) > 1:
            held.wait(timeout=30)  # the reload's index comes when the test says
        return made(self, cancelled)

    monkeypatch.setattr(LibraryLoad, "index", index_held_after_the_first)
    seen: list[object] = []
    app = app_for(isolated_user_dirs, [folder])
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        try:
            await started(app, pilot)
            if typed == "before it":
                await pilot.press("slash", *"zebra")
                await settle(app, pilot)
                assert not app.query_one(PaperList).papers
            new = {"cs.CV": [paper_md(1, "2603.00002", "Zebra crossing")]}
            write(folder / "2026-03-02.md", digest_md(new))
            app.check_library()
            while len(indexes) < 2 or len(app.full_library.papers) < 2:
                await pilot.pause(0.05)  # the new library is shown; its index is held
            seen.clear()
            if typed == "during the reload":
                await pilot.press("slash", *"zebra")
            await pilot.pause(0.6)  # past the pause for typing: the search has begun
            found = [m for m in seen if isinstance(m, SearchFinished)]
            assert not found  # no results from the index before the reload
            message = str(app.query_one("#search-message", Static).content)
            assert message == "Reading the library for search…"
        finally:
            held.set()
        await settle(app, pilot)
        assert [p.id for p in app.query_one(PaperList).papers] == ["2603.00002"]
        message = str(app.query_one("#search-message", Static).content)
        assert message == "1 paper · enter to read them"
