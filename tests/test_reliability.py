"""Marks are never lost and the screen is never hijacked: real processes, real files, real kills."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import webbrowser
from pathlib import Path

from textual import events

from digest_tui.library import bundled_seeds
from digest_tui.state import MarkStore, open_store
from digest_tui.ui.app import make_app
from digest_tui.ui.screens.confirm import ConfirmScreen
from digest_tui.ui.widgets.paper_list import PaperList
from tests.conftest import ROOT, digest_md, paper_md, write
from tests.screen import region_text, screen_text, squash
from tests.terminal import reader_in_terminal
from tests.test_app import SIZE, category_line, list_rows, started

# A real reader in its own process, driven by keys: star, down, star, down, … Each id is
# printed once the list draws its star, that is, once the reader has shown the toggle as done.
BURST = """
import asyncio, sys
from contextlib import suppress
from pathlib import Path
from textual.worker import WorkerCancelled
from digest_tui.library import bundled_seeds
from digest_tui.state import MarkStore
from digest_tui.ui.app import make_app
from digest_tui.ui.widgets.paper_list import PaperList

async def main():
    app = make_app(bundled_seeds(), MarkStore(Path(sys.argv[1])))
    async with app.run_test(size=(120, 40)) as pilot:
        for worker in list(app.workers):  # (as tests.conftest.workers_done)
            with suppress(WorkerCancelled):
                await worker.wait()
        await pilot.pause()
        papers = app.query_one(PaperList)
        for _ in range(60):
            await pilot.press("s")
            row = papers.render_line(papers.cursor - papers.scroll_offset.y).text
            if "★" in row:
                print(papers.current.id, flush=True)
            await pilot.press("j")
        await asyncio.sleep(3600)

asyncio.run(main())
"""

STAR_ROW = """
import asyncio, sys
from contextlib import suppress
from pathlib import Path
from textual.worker import WorkerCancelled
from digest_tui.library import bundled_seeds
from digest_tui.state import MarkStore
from digest_tui.ui.app import make_app

async def main():
    app = make_app(bundled_seeds(), MarkStore(Path(sys.argv[1])))
    async with app.run_test(size=(120, 40)) as pilot:
        for worker in list(app.workers):  # (as tests.conftest.workers_done)
            with suppress(WorkerCancelled):
                await worker.wait()
        await pilot.pause()
        await pilot.press(*["j"] * int(sys.argv[2]), "s")
        print(app.current.id, flush=True)

asyncio.run(main())
"""


def test_killed_in_a_burst_of_toggles_every_shown_toggle_survives(tmp_path: Path):
    state = tmp_path / "marks.sqlite3"
    reader = subprocess.Popen(
        [sys.executable, "-c", BURST, str(state)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert reader.stdout is not None
    shown = [reader.stdout.readline().strip() for _ in range(25)]
    reader.send_signal(signal.SIGKILL)
    reader.wait(timeout=30)
    assert reader.returncode == -signal.SIGKILL
    assert all(shown) and len(set(shown)) == 25
    store, notes = open_store(state)
    assert notes == []
    assert store.starred_ids() >= set(shown)


async def test_two_readers_on_one_state_file_see_each_others_marks(isolated_user_dirs: Path):
    app = make_app(bundled_seeds(), MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("j", "j", "s")  # this reader stars the third paper
        other = subprocess.run(
            [sys.executable, "-c", STAR_ROW, str(isolated_user_dirs), "1"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )  # another reader, in its own process, stars the second
        assert list_rows(app)[1].startswith(" ●   EventFlash")  # not seen yet
        app.post_message(events.AppFocus())  # the terminal window gets focus back
        await pilot.pause()
        assert list_rows(app)[1].startswith(" ● ★ EventFlash")
        assert " ".join(category_line(app, "Starred").split()) == "│ Starred 2"
        papers = app.query_one(PaperList).papers
    both = MarkStore(isolated_user_dirs).starred_ids()
    assert both == {other.stdout.strip(), papers[2].id} == {papers[1].id, papers[2].id}


async def test_the_reader_refreshes_by_itself_every_few_seconds(isolated_user_dirs: Path):
    app = make_app(bundled_seeds(), MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        elsewhere = MarkStore(isolated_user_dirs)
        elsewhere.set_read(app.query_one(PaperList).papers[0].id, True)
        await pilot.pause(3.5)
        assert " ".join(category_line(app, "All").split()) == "│ All 71/72"


async def test_mark_list_read_asks_first_and_u_undoes_it(isolated_user_dirs: Path):
    store = MarkStore(isolated_user_dirs)
    app = make_app(bundled_seeds(), store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        await pilot.press("enter", "escape")  # one paper read already
        await pilot.press("A")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Mark 71 unread papers in All as read?" in screen_text(app)
        await pilot.press("n")
        assert " ".join(category_line(app, "All").split()) == "│ All 71/72"
        await pilot.press("A", "y")
        assert " ".join(category_line(app, "All").split()) == "│ All 0/72"
        assert all(store.is_read(p.id) for p in app.query_one(PaperList).papers)
        await pilot.press("u")
        assert " ".join(category_line(app, "All").split()) == "│ All 71/72"
        first = app.query_one(PaperList).papers[0]
        assert store.is_read(first.id)  # read before the bulk change: stays read
        assert MarkStore(isolated_user_dirs).get(first.id).read
        await pilot.press("u")
        await pilot.pause()
        assert "Nothing to undo." in screen_text(app)


async def test_unwritable_state_location_warns_and_keeps_marks(tmp_path: Path):
    blocker = write(tmp_path / "not-a-folder", "x")
    store, notes = open_store(blocker / "marks.sqlite3")
    app = make_app(bundled_seeds(), store, notes)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        assert "Marks will not be saved this session" in screen_text(app)
        await pilot.press("s")
        assert list_rows(app)[0].startswith(" ● ★ HP-GAN")


async def test_a_failing_disk_while_reading_warns_and_keeps_the_marks(isolated_user_dirs: Path):
    store = MarkStore(isolated_user_dirs)
    app = make_app(bundled_seeds(), store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        # From now on every write fails as SQLite fails on a full disk (the store's own test
        # fills a real database to its size limit).
        store._db.execute(
            "CREATE TEMP TRIGGER full BEFORE INSERT ON marks "
            "BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END"
        )
        await pilot.press("A", "y")
        await pilot.pause()
        assert "Marks not saved" in screen_text(app)
        assert " ".join(category_line(app, "All").split()) == "│ All 0/72"


async def test_a_state_file_cut_short_while_reading_is_said_once_and_marks_kept(
    isolated_user_dirs: Path,
):
    app = make_app(bundled_seeds(), MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        await pilot.press("s", "j")  # saved
        os.truncate(isolated_user_dirs, isolated_user_dirs.stat().st_size // 2)  # another program
        await pilot.press("s", "j", "s", "j", "enter", "escape")
        await pilot.pause()
        assert screen_text(app).count("Marks not saved") == 1
        assert len(app.screen.query("Toast.-error")) == 1
        # the stars and the read mark made after it are shown, kept in memory
        assert [row[:5] for row in list_rows(app)[:4]] == [" ● ★ ", " ● ★ ", " ● ★ ", "     "]


async def test_only_web_links_are_opened(isolated_user_dirs: Path, tmp_path: Path, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "get", lambda *a: object())
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    text = digest_md(
        {"cs.CV": [paper_md(1, "x").replace("https://arxiv.org/abs/x", "javascript:alert(1)")]}
    )
    app = make_app([write(tmp_path / "d.md", text)], MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        assert opened == []
        assert "Not a web link: javascript:alert(1)" in screen_text(app)


HOSTILE = {
    "title": "[bold red]Loud[/bold red] [link=file:///etc/passwd]x[/link] "
    "\x1b]0;pwned\x07T\x08\x08",
    "authors": "Eve \x1b[2J\x1b[31mRed,Mallory \u202eevil\u202c",
    "TL;DR": "[@click=app.quit]quit[/] \x1b]8;;https://evil.example\x07link\x1b]8;;\x07 \x07bell",
}


def _hostile_digest(tmp_path: Path) -> Path:
    paper = paper_md(
        1,
        "2401.00001",
        HOSTILE["title"],
        authors=HOSTILE["authors"],
        fields={"TL;DR": HOSTILE["TL;DR"]},
    )
    return write(tmp_path / "hostile.md", digest_md({"cs.CV": [paper]}))


async def test_hostile_text_is_shown_as_text(isolated_user_dirs: Path, tmp_path: Path):
    app = make_app([_hostile_digest(tmp_path)], MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        screen = screen_text(app)
        assert "│ ●   [bold red]Loud[/bold red] … Eve Red" in screen  # the list row, cut to fit
        assert "│ [bold red]Loud[/bold red]" in screen
        detail = region_text(app, app.detail)
        assert squash("[link=file:///etc/passwd]x[/link] T") in detail
        assert "Eve Red, Mallory evil" in screen
        assert "[@click=app.quit]quit[/] link bell" in screen
        for gone in ("pwned", "\x1b", "\x07", "\x08", "\u202e", "evil.example"):
            assert gone not in screen


def test_a_real_terminal_receives_none_of_the_digests_control_sequences(tmp_path: Path):
    path = _hostile_digest(tmp_path)
    with reader_in_terminal([str(path)], DIGEST_TUI_STATE=str(tmp_path / "m.db")) as terminal:
        terminal.wait_for(b"Mallory")
        terminal.quit()
    assert terminal.reader.returncode == 0
    output = terminal.output
    # Textual's own sequences are there (it sets the pointer shape with an OSC ending in BEL);
    # none of the digest's: its title change, screen clear, colour, hyperlink, bell, backspaces.
    for payload in (
        b"pwned",
        b"\x1b]0;",
        b"Eve \x1b",
        b"\x1b[31mRed",
        b"evil.example",
        b"\x07bell",
        b"\x08",
        "\u202e".encode(),
    ):
        assert payload not in output, payload
    assert b"Eve " in output and b"bell" in output
