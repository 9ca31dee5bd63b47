"""Make the README's screenshot with the app itself: `python -m tests.screenshot`."""

from __future__ import annotations

import asyncio
from pathlib import Path

from digest_tui.library import bundled_seeds
from digest_tui.state import MarkStore
from digest_tui.ui.app import make_app

OUT = Path(__file__).with_name("screenshots") / "reader.svg"


async def shoot(out: Path = OUT) -> Path:
    store = MarkStore(None)
    app = make_app(bundled_seeds(), store)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter", "escape", "j", "s", "j", "j", "enter", "2")
        await pilot.pause()
        app.save_screenshot(filename=out.name, path=str(out.parent))
    return out


if __name__ == "__main__":
    print(asyncio.run(shoot()))
