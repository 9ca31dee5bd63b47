"""Reading a day paper by paper: n goes on to the next list with unread papers, then the next
older day, from the paper pane too (which marks the paper read); 1-6 work from the list; a
paper opened in the browser is read."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import pytest

from digest_tui.state import MarkStore
from digest_tui.ui.app import make_app
from tests.screen import region_text, squash, toast_text
from tests.test_app import started
from tests.test_places import _library

SIZE = (120, 40)


async def test_n_goes_on_to_the_next_list_then_the_older_day(isolated_user_dirs: Path, tmp_path):
    folder = _library(tmp_path / "digests")
    store = MarkStore(isolated_user_dirs)
    app = make_app([folder], store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        await pilot.press("left_square_bracket")  # 2026-03-12
        app.navigation.choose_list("section:cs.CV")
        await pilot.press("G")  # the last paper of cs.CV: read, then n
        await pilot.press("space")
        await pilot.press("n")
        await pilot.pause()
        assert app.current.title == "Day 3 cs.RO paper 1 on robots"
        assert squash("On to cs.RO of 2026-03-12: 7 unread papers.") in toast_text(app)
        store.set_read_many([p.id for p in app.paper_list.papers[1:]], True)
        await pilot.press("n")  # the rest of cs.RO is read: the older day's first section
        await pilot.pause()
        assert app.current.title == "Day 2 cs.CV paper 1 on robots"
        assert app.navigation.scope == "2026-03-11"


async def test_n_in_the_paper_pane_opens_the_next_unread_there(isolated_user_dirs, tmp_path):
    folder = _library(tmp_path / "digests")
    store = MarkStore(isolated_user_dirs)
    app = make_app([folder], store)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("enter")  # the first paper opened in its pane: read
        assert app.detail.has_focus
        first = app.current
        await pilot.press("n", "n")
        await pilot.pause()
        assert app.detail.has_focus  # the reader stays in the pane
        assert app.current.title == "Day 3 cs.CV paper 3 on robots"
        read = [p.title for p in app.paper_list.papers if store.is_read(p.id)]
        assert read == [first.title, "Day 3 cs.CV paper 2 on robots", app.current.title]


async def test_panes_open_and_close_from_the_list(isolated_user_dirs, tmp_path):
    app = make_app([_library(tmp_path / "digests")], MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        assert app.paper_list.has_focus
        await pilot.press("2")  # Motivation
        await pilot.pause()
        assert squash("motivation 2603.31001") in region_text(app, app.detail)
        await pilot.press("2")
        await pilot.pause()
        assert squash("motivation 2603.31001") not in region_text(app, app.detail)


async def test_a_paper_opened_in_the_browser_is_read(
    isolated_user_dirs, tmp_path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(webbrowser, "get", lambda *a: object())
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: True)
    store = MarkStore(isolated_user_dirs)
    app = make_app([_library(tmp_path / "digests")], store)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("j", "o")
        await pilot.pause()
        assert store.is_read(app.current.id)
        await pilot.press("j", "O")  # the PDF too
        await pilot.pause()
        assert store.is_read(app.current.id)


async def test_n_into_a_section_named_like_markup_says_it_literally(isolated_user_dirs, tmp_path):
    from tests.conftest import digest_md, paper_md, write

    sections = {
        "cs.CV": [paper_md(1, "2603.00001")],
        "Evil [/] [b]x[/b]": [paper_md(2, "2603.00002")],
    }
    path = write(tmp_path / "2026-03-10.md", digest_md(sections))
    app = make_app([path], MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        await pilot.press("left_square_bracket")
        app.navigation.choose_list("section:cs.CV")
        await pilot.press("space", "n")
        await pilot.pause()
        assert app.current.id == "2603.00002"
        name = app.lists.name_of(app.navigation.list_key)
        assert squash(f"On to {name} of 2026-03-10") in toast_text(app)
