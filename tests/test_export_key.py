"""`x` writes the list where a library may read it back: the export must never pass for a day."""

from __future__ import annotations

from digest_tui.library import load_library
from tests.conftest import digest_md, paper_md, write
from tests.test_app import SIZE, started
from tests.test_app_power import app_for, settle


async def test_a_list_exported_with_x_reads_back_under_its_own_name(isolated_user_dirs, tmp_path):
    day = write(
        tmp_path / "days" / "2026-03-01.md",
        digest_md({"cs.CV": [paper_md(1, "2603.00001"), paper_md(2, "2603.00002")]}),
    )
    app = app_for(isolated_user_dirs, [day.parent])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
    exports = tmp_path / "home" / "Documents" / "digest-tui"
    [exported] = exports.glob("*.md")

    library = load_library([day.parent, exports])
    assert set(library.days) == {"2026-03-01", f"export {exported.stem}"}
    for paper_id in ("2603.00001", "2603.00002"):
        assert set(library.days_of(paper_id)) == {"2026-03-01", f"export {exported.stem}"}
    assert not load_library([exports]).problems
