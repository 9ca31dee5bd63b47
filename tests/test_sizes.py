"""The reader at every terminal size: what a person sees at 120x40, 80x24 and 60x20."""

from __future__ import annotations

import re
from pathlib import Path

from digest_tui.state import MarkStore
from digest_tui.ui.app import make_app
from tests.conftest import digest_md, paper_md, until, write
from tests.screen import region_lines, region_text, screen_text, squash
from tests.test_app import list_rows, started

TLDR = (
    "本文提出Molmo-7B（0.358）模型，通过对比Faster R-CNN和YOLOv9的检测协议（protocol audit），"
    "在三个基准上取得最好结果，并分析了(2)类失败案例。"
)


def _days(folder: Path) -> Path:
    for number, day in enumerate(("2026-03-10", "2026-03-11", "2026-03-12"), start=1):
        papers = [
            paper_md(
                row,
                f"2603.{number}{row:04}",
                f"A rather long title of paper {row} on day {number} about vision models",
                authors="Ada Lovelace,Alan Turing",
                fields={"TL;DR": TLDR},
            )
            for row in range(1, 30)
        ]
        write(folder / f"{day}.md", digest_md({"cs.CV": papers}))
    return folder


async def test_at_80x24_full_dates_long_titles_and_a_whole_tldr(isolated_user_dirs, tmp_path):
    app = make_app([_days(tmp_path)], MarkStore(isolated_user_dirs))
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await until(pilot, lambda: re.search(r"│ 2026-03-10 +29/29 │", screen_text(app)))
        screen = screen_text(app)
        for day in ("2026-03-12", "2026-03-11", "2026-03-10"):
            assert re.search(rf"│ {day} +29/29 │", screen), day  # full dates, with counts
        rows = list_rows(app)
        assert rows[0].startswith(" ●   A rather long title of paper 1 on")  # 33 characters
        assert "Ada Lovelace" in rows[0]  # the first author beside it
        await pilot.press("enter")  # the paper takes the screen, with its whole TL;DR
        await until(
            pilot,
            lambda: app.detail.region.width == 80 and squash(TLDR) in region_text(app, app.detail),
        )
        assert app.focused is app.detail and app.detail.region.width == 80
        assert squash(TLDR) in region_text(app, app.detail)
        await pilot.press("escape")
        await until(
            pilot, lambda: app.focused is app.paper_list and "2026-03-12" in screen_text(app)
        )
        assert app.focused is app.paper_list and "2026-03-12" in screen_text(app)


async def test_at_80x24_all_days_is_not_cut_beside_a_count_of_thousands(
    isolated_user_dirs, tmp_path
):
    for day in range(1, 9):  # more days than the pane shows: it scrolls, its bar takes a cell
        papers = [paper_md(n, f"2603.{day}{n:04d}", f"Paper {n}") for n in range(1, 151)]
        write(tmp_path / f"2026-03-{day:02d}.md", digest_md({"cs.CV": papers}))
    app = make_app([tmp_path], MarkStore(isolated_user_dirs))
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await until(pilot, lambda: "1,200/1,200" in screen_text(app))
        assert "│ All days 1,200/1,200" in screen_text(app)


async def test_a_paper_being_read_stays_on_screen_when_the_terminal_narrows(
    isolated_user_dirs, tmp_path
):
    app = make_app([_days(tmp_path)], MarkStore(isolated_user_dirs))
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        await pilot.press("enter")  # reading the paper beside the list
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: app.detail.region.width == 80)
        assert app.focused is app.detail and app.detail.region.width == 80
        assert squash(TLDR) in region_text(app, app.detail)
        await pilot.resize_terminal(120, 40)  # wide again: beside the list, still read
        await until(pilot, lambda: app.detail.region.width < 60)
        assert app.focused is app.detail and 0 < app.detail.region.width < 60
        assert list_rows(app)[0].startswith(" ")


async def test_at_60x20_the_sidebar_hides_behind_b(isolated_user_dirs, tmp_path):
    app = make_app([_days(tmp_path)], MarkStore(isolated_user_dirs))
    async with app.run_test(size=(60, 20)) as pilot:
        await started(app, pilot)
        assert "2026-03-11" not in screen_text(app)
        assert list_rows(app)[0].startswith(" ●   A rather long title of paper 1")
        await pilot.press("b")
        await pilot.pause()
        assert "2026-03-11" in screen_text(app)  # the days, back
        await pilot.press("b", "j", "enter")
        await pilot.pause()
        assert squash("A rather long title of paper 2") in region_text(app, app.detail)
        await pilot.press("z")  # z gives the list back too
        await pilot.pause()
        assert app.focused is app.paper_list


async def test_at_120x40_the_list_shows_the_first_author_and_z_zooms(isolated_user_dirs, tmp_path):
    app = make_app([_days(tmp_path)], MarkStore(isolated_user_dirs))
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        assert "Ada Lovel" in list_rows(app)[0]
        assert app.detail.region.width < 60  # beside the list
        await pilot.press("z")
        await pilot.pause()
        assert app.detail.region.width == 120 and app.focused is app.detail
        await pilot.press("z")
        await pilot.pause()
        assert app.detail.region.width < 60


async def test_chinese_wraps_like_a_book_in_the_paper_pane(isolated_user_dirs, tmp_path):
    """Breaks between Chinese characters fill the lines; `Molmo-7B（0.358）`, `protocol`,
    `R-CNN` stay whole; no line starts with closing punctuation."""
    app = make_app([_days(tmp_path)], MarkStore(isolated_user_dirs))
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        for width in (80, 50, 36):
            app.detail.styles.width = width
            await pilot.pause()
            lines = [line.strip() for line in region_lines(app, app.detail)]
            start = next(i for i, line in enumerate(lines) if line.startswith("▼ TL;DR"))
            body = lines[start + 1 : lines.index("", start)]
            joined = "".join(body)
            for whole in ("Molmo-7B（0.358）", "protocol", "R-CNN", "YOLOv9", "(2)"):
                assert whole in joined and not any(
                    whole not in line and whole[:3] in line[-3:] for line in body
                ), (width, whole, body)
            assert not any(line[0] in "，。、；：？！）" for line in body), body
            shortest = min(len(line) for line in body[:-1]) if len(body) > 1 else 0
            assert shortest >= (width - 6) // 2 - 2, body  # no half-empty lines


async def test_the_footer_shows_whole_keys_at_every_width(isolated_user_dirs, tmp_path):
    """Keys that do not fit are left out whole, never cut; the palette's key stays at the right."""
    folder = _days(tmp_path)
    widths = {}
    for size in ((120, 40), (80, 24), (60, 20)):
        app = make_app([folder], MarkStore(isolated_user_dirs))
        async with app.run_test(size=size) as pilot:
            await started(app, pilot)
            footer = screen_text(app).splitlines()[-1]
            assert footer.rstrip().endswith("▏^p palette"), footer
            keys = footer.split("▏")[0].split()
            assert keys[:4] == ["⏎", "Open", "q", "Quit"]  # the papers have focus
            widths[size[0]] = footer
            for whole in ("space Read", "s Star", "n Next unread"):
                assert whole in footer or whole.split()[-1] not in footer
    assert "z Paper full screen" in widths[120] and "Paper full" not in widths[60]
