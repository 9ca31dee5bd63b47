"""What the reader looks like, compared with SVG snapshots (pytest-textual-snapshot): the seeds at
three terminal sizes, a Chinese paper opened, the search bar with its results, the help screen.
`pytest --snapshot-update` redraws them after an intended change (look at them first)."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest_tui.library import bundled_seeds
from digest_tui.state import MarkStore
from digest_tui.ui.app import make_app
from tests.conftest import workers_done

READER, NARROW, TINY = (120, 40), (80, 24), (60, 20)


async def _settled(pilot) -> None:
    """Every thread done (reading, search, counts) and the screen drawn."""
    await pilot.pause(0.3)
    await workers_done(pilot.app)
    await pilot.pause()


@pytest.fixture
def app(isolated_user_dirs: Path):
    return make_app(bundled_seeds(), MarkStore(isolated_user_dirs))


@pytest.mark.parametrize("size", [READER, NARROW, TINY], ids=["120x40", "80x24", "60x20"])
def test_the_reader(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, run_before=_settled)


@pytest.mark.parametrize("size", [READER, NARROW], ids=["120x40", "80x24"])
def test_a_chinese_paper_opened_with_every_pane(snap_compare, app, size):
    async def open_paper(pilot) -> None:
        await _settled(pilot)
        await pilot.press("j", "enter", "e")
        await _settled(pilot)

    assert snap_compare(app, terminal_size=size, run_before=open_paper)


def test_the_search_bar_with_its_results(snap_compare, app):
    async def search(pilot) -> None:
        await _settled(pilot)
        await pilot.press("slash", *"diffusion")
        await _settled(pilot)
        pilot.app.search_bar.query_one("Input").cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, terminal_size=READER, run_before=search)


@pytest.mark.parametrize("size", [READER, NARROW], ids=["120x40", "80x24"])
def test_the_help_screen(snap_compare, app, size):
    async def help_screen(pilot) -> None:
        await _settled(pilot)
        await pilot.press("question_mark")
        await _settled(pilot)

    assert snap_compare(app, terminal_size=size, run_before=help_screen)
