"""Never losing one's place: the reader opens where it was left (per library), says which days
are new since, and walks back and forth through its jumps (ctrl+o / alt+left, alt+right)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from digest_tui.state import MarkStore
from digest_tui.ui.app import make_app
from tests.conftest import digest_md, paper_md, until, workers_done, write
from tests.screen import screen_text, squash, toast_text
from tests.test_app import started

SIZE = (120, 40)


def _day(folder: Path, day: str, number: int) -> None:
    sections = {
        name: [
            paper_md(
                row,
                f"2603.{number}{index}{row:03}",
                f"Day {number} {name} paper {row} on robots",
                fields={"TL;DR": f"Summary of day {number} {name} paper {row}."},
            )
            for row in range(1, 8)
        ]
        for index, name in enumerate(("cs.CV", "cs.RO"), start=1)
    }
    write(folder / f"{day}.md", digest_md(sections))


def _library(folder: Path) -> Path:
    for number, day in enumerate(("2026-03-10", "2026-03-11", "2026-03-12"), start=1):
        _day(folder, day, number)
    return folder


def _shown_paper(app) -> str:
    return app.current.title


async def test_the_reader_opens_where_it_was_left(isolated_user_dirs: Path, tmp_path: Path):
    folder = _library(tmp_path / "digests")
    app = make_app([folder], MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("left_square_bracket", "left_square_bracket")  # 2026-03-12, then -11
        app.navigation.choose_list("section:cs.RO")
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert _shown_paper(app) == "Day 2 cs.RO paper 4 on robots"
        await pilot.press("q")
    again = make_app([folder], MarkStore(isolated_user_dirs))
    async with again.run_test(size=SIZE) as pilot:
        await started(again, pilot)
        screen = screen_text(again)
        assert "╭─ 2026-03-11 · cs.RO · 7 papers" in screen
        assert _shown_paper(again) == "Day 2 cs.RO paper 4 on robots"
        assert "Summary of day 2 cs.RO paper 4." in screen  # the paper pane shows it
    # Another library has a place of its own: it opens on its newest day.
    other = _library(tmp_path / "other")
    third = make_app([other], MarkStore(isolated_user_dirs))
    async with third.run_test(size=SIZE) as pilot:
        await started(third, pilot)
        assert "╭─ All days · All · 42 papers" in screen_text(third)


async def test_new_days_are_announced_not_jumped_to(isolated_user_dirs: Path, tmp_path: Path):
    folder = _library(tmp_path / "digests")
    app = make_app([folder], MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("j", "j")
        await pilot.pause()
        left_on = _shown_paper(app)
        await pilot.press("q")
    _day(folder, "2026-03-13", 4)  # the pipeline's next morning
    again = make_app([folder], MarkStore(isolated_user_dirs))
    async with again.run_test(size=SIZE, notifications=True) as pilot:
        await started(again, pilot)
        assert _shown_paper(again) == left_on
        assert squash("New since you last read: 2026-03-13 (14 papers).") in toast_text(again)


async def test_a_file_named_otherwise_than_by_a_date_moves_neither_place_nor_news(
    isolated_user_dirs: Path, tmp_path: Path
):
    """A weekly roll-up or an export in the folder (its name sorts after every date) was
    taken for the library's newest day: the place, saved with it, no longer matched the one
    the first day read gave, so the reader stayed on its newest day, and no day was new."""
    folder = _library(tmp_path / "digests")
    roll_up = [paper_md(1, "2603.99001", "Weekly roll-up paper")]
    write(folder / "weekly-roll-up.md", digest_md({"cs.LG": roll_up}))
    app = make_app([folder], MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("left_square_bracket", "left_square_bracket")  # 2026-03-12, then -11
        await pilot.press("j", "j")
        await pilot.pause()
        left_on = _shown_paper(app)
        await pilot.press("q")
    _day(folder, "2026-03-13", 4)
    write(folder / "zz-export.md", digest_md({"cs.LG": [paper_md(1, "2603.99002", "Z")]}))
    again = make_app([folder], MarkStore(isolated_user_dirs))
    async with again.run_test(size=SIZE, notifications=True) as pilot:
        await started(again, pilot)
        assert _shown_paper(again) == left_on
        assert "╭─ 2026-03-11 · All · 14 papers" in screen_text(again)
        assert squash("New since you last read: 2026-03-13 (14 papers).") in toast_text(again)


async def test_the_place_is_kept_without_quitting(isolated_user_dirs: Path, tmp_path: Path):
    """A terminal closed under the reader: the place of a moment before is in the file."""
    folder = _library(tmp_path / "digests")
    app = make_app([folder], MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("j", "j", "j", "j")
        await pilot.pause(1.5)  # the reader stays on the paper a moment
        db = sqlite3.connect(isolated_user_dirs)
        (place,) = db.execute("SELECT place FROM places").fetchone()
        db.close()
        assert '"paper": "2603.31005"' in place


async def test_back_and_forward_through_jumps(isolated_user_dirs: Path, tmp_path: Path):
    folder = _library(tmp_path / "digests")
    app = make_app([folder], MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        await pilot.press("j", "j")
        start = _shown_paper(app)
        await pilot.press(*["left_square_bracket"] * 3)  # to the oldest day, 2026-03-10
        await pilot.press("G")
        await pilot.pause()
        assert "2026-03-10" in screen_text(app)
        random = None
        for _ in range(5):  # a random paper (R), not the one under the cursor
            await pilot.press("R")
            random = _shown_paper(app)
            if random != "Day 1 cs.RO paper 7 on robots":
                break
        await pilot.press("ctrl+o")  # back: the last paper of 2026-03-10
        assert _shown_paper(app) == "Day 1 cs.RO paper 7 on robots"
        await pilot.press("alt+left")  # back: before the walk through the days
        assert _shown_paper(app) == start
        assert "All days · All · 42 papers" in screen_text(app)
        await pilot.press("alt+right", "alt+right")
        assert _shown_paper(app) == random
        await pilot.press("alt+right")
        assert squash("Nothing to go forward to.") in toast_text(app)


async def test_each_day_and_list_keeps_its_place(isolated_user_dirs: Path, tmp_path: Path):
    folder = _library(tmp_path / "digests")
    app = make_app([folder], MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("left_square_bracket", "j", "j", "j")  # 2026-03-12, its 4th paper
        await pilot.press("left_square_bracket", "j")  # 2026-03-11, its 2nd paper
        await pilot.pause()
        assert _shown_paper(app) == "Day 2 cs.CV paper 2 on robots"
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert _shown_paper(app) == "Day 3 cs.CV paper 4 on robots"
        app.navigation.choose_list("section:cs.RO")
        await pilot.press("j")
        app.navigation.choose_list("all")
        await pilot.pause()
        assert _shown_paper(app) == "Day 3 cs.CV paper 4 on robots"
        app.navigation.choose_list("section:cs.RO")
        await pilot.pause()
        assert _shown_paper(app) == "Day 3 cs.RO paper 2 on robots"


async def test_the_paper_pane_opens_scrolled_as_it_was(isolated_user_dirs: Path, tmp_path: Path):
    long = " ".join(f"Sentence {n} of a long summary." for n in range(200))
    papers = [
        paper_md(row, f"2603.0000{row}", f"Long paper {row}", fields={"TL;DR": long})
        for row in (1, 2)
    ]
    write(tmp_path / "d" / "2026-03-10.md", digest_md({"cs.CV": papers}))
    write(tmp_path / "d" / "2026-03-11.md", digest_md({"cs.RO": [paper_md(1, "2603.00009")]}))
    app = make_app([tmp_path / "d"], MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("left_square_bracket", "left_square_bracket", "j")  # 2026-03-10
        app.detail.scroll_to(y=15, animate=False, immediate=True)
        await pilot.pause()
        await pilot.press("q")
    again = make_app([tmp_path / "d"], MarkStore(isolated_user_dirs))
    async with again.run_test(size=SIZE) as pilot:
        await started(again, pilot)
        assert _shown_paper(again) == "Long paper 2"
        await until(pilot, lambda: again.detail.scroll_y == 15)  # (once it is typeset)
        assert again.detail.scroll_y == 15


async def test_a_place_further_down_than_a_larger_terminal_reaches_is_the_paper_end(
    isolated_user_dirs: Path, tmp_path: Path
):
    """Saved at the end of a paper in a small terminal, the place is past the end of the same
    paper in a larger one: it opens at the end there, and where the reader then scrolls to is
    what the next start opens at (not the row it could not reach)."""
    long = " ".join(f"Sentence {n} of a long summary." for n in range(60))
    papers = [paper_md(1, "2603.00001", "Long paper", fields={"TL;DR": long})]
    write(tmp_path / "d" / "2026-03-10.md", digest_md({"cs.CV": papers}))
    bottom = 0
    for size, scroll in (((100, 30), None), ((160, 50), 3), ((160, 50), None)):
        app = make_app([tmp_path / "d"], MarkStore(isolated_user_dirs))
        async with app.run_test(size=size) as pilot:
            await started(app, pilot)
            if not bottom:  # the first: scrolled to the end
                await until(pilot, lambda app=app: app.detail.max_scroll_y > 0)
                bottom = app.detail.max_scroll_y
                app.detail.scroll_to(y=bottom, animate=False, immediate=True)
            elif scroll is not None:  # the second: opens at the end, then scrolled up
                await until(pilot, lambda app=app: app.detail.max_scroll_y > 0)
                assert 0 < app.detail.max_scroll_y < bottom
                assert app.detail.scroll_y == app.detail.max_scroll_y
                app.detail.scroll_to(y=scroll, animate=False, immediate=True)
            else:  # the third: where the second left it
                await until(pilot, lambda app=app: app.detail.scroll_y == 3)
                assert app.detail.scroll_y == 3
            await pilot.pause()
            await pilot.press("q")


async def test_a_search_left_before_it_ran_moves_no_other_list(isolated_user_dirs, tmp_path):
    from digest_tui.config import Keyword, Settings

    folder = _library(tmp_path / "digests")
    settings = Settings(keywords=(Keyword("robots"),))
    app = make_app([folder], MarkStore(isolated_user_dirs), settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        keyword = next(key for key in app.lists.keys if key.startswith("keyword:"))
        app.navigation.choose_list(keyword)
        await workers_done(app)
        await pilot.press("j", "j", "j")  # a place in the keyword's list
        app.navigation.choose_list("section:cs.RO")
        app.navigation.choose_list(keyword)  # back, and away before its search comes back
        app.navigation.choose_list("unread")
        await workers_done(app)
        await pilot.pause()
        assert app.paper_list.cursor == 0
