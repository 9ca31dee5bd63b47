"""Opening the reader fast: the first screen imports only what it draws, and the library read
while the screen is made (a small one whole, a large one's newest day) is in its first frame."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import Future
from pathlib import Path

from textual.notifications import Notify

from digest_tui.library import Started, read_ahead, start_reading
from digest_tui.state import MarkStore
from digest_tui.ui.app import make_app
from digest_tui.ui.messages import LibraryLoaded
from tests.test_app import SIZE, _three_days, started

# Loaded on first use: searching, LaTeX, TOML writing, exports, statistics, the paper pane's
# Markdown, the parsers (the first screen comes from the cache), the screens behind a key.
LATER = (
    "digest_tui.query",
    "digest_tui.index",
    "digest_tui.latex",
    "digest_tui.export",
    "digest_tui.parse",
    "digest_tui.ui.paper_actions",
    "digest_tui.ui.screens.stats",
    "digest_tui.ui.screens.help",
    "digest_tui.ui.screens.problems",
    "digest_tui.ui.screens.confirm",
    "tomlkit",
    "mistune",
    "unicodeit",
    "ahocorasick_rs",
)


def test_the_first_screen_imports_only_what_it_draws():
    code = (
        "import sys\n"
        "import digest_tui.cli, digest_tui.ui.app, digest_tui.ui.running\n"
        f"later = {LATER!r}\n"
        "print(sorted({m for m in sys.modules for name in later if m == name or "
        "m.startswith(name + '.')}))\n"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"


async def test_a_small_library_read_ahead_opens_whole(isolated_user_dirs: Path, tmp_path: Path):
    _three_days(tmp_path)
    seen: list = []
    app = make_app([tmp_path], MarkStore(isolated_user_dirs), ahead=read_ahead([tmp_path]))
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await started(app, pilot)
        loaded = [m for m in seen if isinstance(m, LibraryLoaded)]
        assert [list(m.library.days) for m in loaded] == [
            ["2026-03-12", "2026-03-11", "2026-03-10"]
        ]
        assert app.current is not None and app.current.title == "2026-03-12 paper 1"
        assert app.first_paint_at is not None


async def test_the_newest_day_read_ahead_shows_first_then_every_day(
    isolated_user_dirs: Path, tmp_path: Path
):
    _three_days(tmp_path)
    ahead: Future[Started] = Future()
    ahead.set_result(start_reading([tmp_path], more=4))  # a large library: one day ahead
    seen: list = []
    app = make_app([tmp_path], MarkStore(isolated_user_dirs), ahead=ahead)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await started(app, pilot)
        loaded = [m for m in seen if isinstance(m, LibraryLoaded)]
        assert [list(m.library.days) for m in loaded] == [
            ["2026-03-12"],
            ["2026-03-12", "2026-03-11", "2026-03-10"],
        ]
        assert app.current is not None and app.current.title == "2026-03-12 paper 1"


async def test_a_read_ahead_that_failed_is_said(isolated_user_dirs: Path, tmp_path: Path):
    ahead: Future[Started] = Future()
    ahead.set_exception(PermissionError("the folder went away"))
    seen: list = []
    app = make_app([tmp_path], MarkStore(isolated_user_dirs), ahead=ahead)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await started(app, pilot)
        said = [m.notification.message for m in seen if isinstance(m, Notify)]
        assert said == ["Something went wrong (load_library): the folder went away"]
