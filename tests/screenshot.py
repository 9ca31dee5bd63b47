"""Make the README's screenshots with the app itself: `python -m tests.screenshot`."""

from __future__ import annotations

import asyncio
from pathlib import Path

from digest_tui.config import Keyword, SavedSearch, Settings
from digest_tui.library import bundled_seeds
from digest_tui.state import MarkStore
from digest_tui.ui.app import make_app
from tests.conftest import workers_done

FOLDER = Path(__file__).with_name("screenshots")


async def shoot(folder: Path = FOLDER) -> list[Path]:
    settings = Settings(
        keywords=(Keyword("diffusion"),),
        searches=(SavedSearch("Agents, unread", "agent is:unread"),),
    )
    app = make_app(bundled_seeds(), MarkStore(None), settings=settings)
    async with app.run_test(size=(120, 36)) as pilot:
        await workers_done(app)
        await pilot.pause()
        await pilot.press("enter", "escape", "j", "s", "j", "j", "enter", "2")
        await pilot.pause()
        app.save_screenshot(filename="reader.svg", path=str(folder))
        await pilot.press("escape", "slash", *"policy -survey", "enter")
        await pilot.pause(0.3)
        await workers_done(app)
        await pilot.pause()
        await pilot.press("enter", "6")
        await pilot.pause()
        app.save_screenshot(filename="search.svg", path=str(folder))
    narrow = make_app(bundled_seeds(), MarkStore(None), settings=settings)
    async with narrow.run_test(size=(80, 24)) as pilot:  # a Chinese paper at 80x24
        await workers_done(narrow)
        await pilot.pause()
        await pilot.press("j", "enter", "2")
        await pilot.pause()
        narrow.save_screenshot(filename="narrow.svg", path=str(folder))
    return [folder / name for name in ("reader.svg", "search.svg", "narrow.svg")]


if __name__ == "__main__":
    print(asyncio.run(shoot()))
