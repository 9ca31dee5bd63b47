"""For you, more like this (`m`) and the sort key (`=`) in the reader, as a person uses them."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from digest_tui.lists import ALL_DAYS
from digest_tui.ui.app import DigestApp
from digest_tui.ui.messages import Ranked
from digest_tui.ui.navigation import FOR_YOU_EMPTY
from digest_tui.ui.searching import FOR_YOU
from digest_tui.ui.widgets.paper_list import PaperList
from tests.conftest import digest_md, paper_md, write
from tests.screen import screen_text, squash, toast_text
from tests.test_app import SIZE, list_rows, started
from tests.test_app_power import app_for, settle

TOPICS = {
    "Graph": "graph neural networks pass messages between the nodes and edges of a graph",
    "Splatting": "gaussian splatting renders radiance fields of a scene in real time",
    "Auction": "an auction mechanism for bidders in equilibrium of a repeated game",
}


def library(folder: Path) -> Path:
    """Two days, each with two papers of each topic, the topics in turn."""
    for day_number, day in enumerate(("2026-03-01", "2026-03-02")):
        papers = []
        for k in range(2):
            for t, (topic, text) in enumerate(TOPICS.items()):
                n = day_number * 10 + k * 3 + t
                title = f"{topic} study {n}"
                fields = {"Abstract": f"{text}, study {n}", "TL;DR": f"{topic.lower()} {n}"}
                papers.append(paper_md(n, f"2603.{n:05d}", title, fields=fields))
        write(folder / f"{day}.md", digest_md({"cs.LG": papers}))
    return folder


def titles(app: DigestApp) -> list[str]:
    return [paper.title for paper in app.query_one(PaperList).papers]


async def show_list(app: DigestApp, pilot, key: str) -> None:
    app.lists.highlighted = app.lists.keys.index(key)
    await settle(app, pilot)


async def test_for_you_says_how_to_start_then_ranks_the_unread_like_the_starred(
    isolated_user_dirs, tmp_path: Path
):
    app = app_for(isolated_user_dirs, [library(tmp_path / "library")])
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await show_list(app, pilot, FOR_YOU)
        assert titles(app) == []
        assert squash(" ".join(list_rows(app))) == squash(FOR_YOU_EMPTY)  # wrapped, whole
        await show_list(app, pilot, "all")
        app.paper_list.move_to(titles(app).index("Splatting study 11"))
        await pilot.press("s")  # starred: For you learns from it
        await show_list(app, pilot, FOR_YOU)
        ranked = titles(app)
        assert set(ranked[:3]) == {"Splatting study 14", "Splatting study 1", "Splatting study 4"}
        assert "Splatting study 11" not in ranked  # what it learns from is not in it
        screen = squash(screen_text(app))
        assert squash("All days · For you · 11 papers") in screen
        assert squash("For you: like “Splatting study 11”") in screen


async def test_m_lists_the_papers_most_like_this_one_and_ctrl_o_comes_back(
    isolated_user_dirs, tmp_path: Path
):
    app = app_for(isolated_user_dirs, [library(tmp_path / "library")])
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        app.days.highlighted = 1  # a day: m looks through every day
        await settle(app, pilot)
        app.paper_list.move_to(titles(app).index("Auction study 15"))
        await pilot.press("m")
        await settle(app, pilot)
        like = titles(app)
        assert set(like[:3]) == {"Auction study 12", "Auction study 2", "Auction study 5"}
        assert "Auction study 15" not in like
        assert app.navigation.scope == ALL_DAYS
        assert app.query_one(Input).value == "like:2603.00015"
        assert app.paper_list.has_focus
        assert squash("Like “Auction study 15”") in squash(screen_text(app))
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        assert app.navigation.scope == "2026-03-02" and app.current.title == "Auction study 15"
        assert not app.search_bar.display


async def test_equals_orders_the_list_shown_the_next_way_in_the_search_bar(
    isolated_user_dirs, tmp_path: Path
):
    app = app_for(isolated_user_dirs, [library(tmp_path / "library")])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        await show_list(app, pilot, "unread")
        newest_first = titles(app)
        await pilot.press("equals_sign")
        await settle(app, pilot)
        assert app.query_one(Input).value == "is:unread sort:old"
        assert titles(app) == newest_first[6:] + newest_first[:6]  # the older day first
        assert "Sorted: oldest day first." in screen_text(app)
        await pilot.press("equals_sign")
        await settle(app, pilot)
        assert app.query_one(Input).value == "is:unread sort:title"
        assert titles(app) == sorted(newest_first)
        await pilot.press("equals_sign")  # no words: relevance is passed over
        await settle(app, pilot)
        assert app.query_one(Input).value == "is:unread sort:foryou"
        await pilot.press("equals_sign")
        await settle(app, pilot)
        assert app.query_one(Input).value == "is:unread sort:new"
        assert titles(app) == newest_first
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.navigation.list_name == "Unread" and not app.search_bar.display


async def test_a_like_of_a_paper_not_in_the_library_is_said_in_the_bar(
    isolated_user_dirs, tmp_path: Path
):
    app = app_for(isolated_user_dirs, [library(tmp_path / "library")])
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("slash", *"like:2601.99999")
        await settle(app, pilot)
        message = str(app.query_one("#search-message", Static).content)
        assert message == "like:2601.99999: no such paper in the library"
        assert len(titles(app)) == 12  # the list before, as it was


async def test_a_saved_search_keeps_its_order(isolated_user_dirs, tmp_path: Path):
    from digest_tui.config import SavedSearch

    folder = library(tmp_path / "library")
    app = app_for(
        isolated_user_dirs,
        [folder],
        searches=(
            SavedSearch("Auctions first", "auction sort:relevance"),
            SavedSearch("A to Z", "is:unread sort:title"),
        ),
    )
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await show_list(app, pilot, "search:0")
        found = titles(app)
        assert found and all(title.startswith("Auction") for title in found[:4])
        await show_list(app, pilot, "search:1")
        assert titles(app) == sorted(titles(app)) and len(titles(app)) == 12


async def test_a_ranking_index_damaged_on_disk_is_made_again_and_for_you_shows(
    isolated_user_dirs, tmp_path: Path
):
    from digest_tui import cache

    app = app_for(isolated_user_dirs, [library(tmp_path / "library")])
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await settle(app, pilot)  # the index made, then the ranking index
        [kept] = cache.cache_dir().glob("*.ranking")
        kept.write_bytes(b"PK\x03\x04" + b"\x00" * 200)  # damaged after it was made
        app.paper_list.move_to(titles(app).index("Graph study 10"))
        await pilot.press("s")
        await show_list(app, pilot, FOR_YOU)
        await settle(app, pilot)
        ranked = titles(app)
        assert set(ranked[:3]) == {"Graph study 13", "Graph study 0", "Graph study 3"}
        assert kept.is_file()  # made again


async def test_a_library_that_cannot_be_ranked_says_so_and_lists_as_listed(
    isolated_user_dirs, tmp_path: Path, monkeypatch
):
    from digest_tui import ranker

    def fails(*_: object) -> bytes:
        raise RuntimeError("ranking the library failed (1): MemoryError")

    monkeypatch.setattr(ranker, "_build_apart", fails)
    app = app_for(isolated_user_dirs, [library(tmp_path / "library")])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        await show_list(app, pilot, "all")
        app.paper_list.move_to(0)
        await pilot.press("s")
        await show_list(app, pilot, FOR_YOU)
        await settle(app, pilot)
        assert len(titles(app)) == 11  # the unread, as listed
        expected = "The library could not be ranked (ranking the library failed (1):"
        assert squash(expected) in toast_text(app)


async def test_equals_on_a_section_orders_that_section_only(isolated_user_dirs, tmp_path: Path):
    folder = tmp_path / "library"
    papers = [
        paper_md(1, "2603.00001", "Zeta in LG", section="cs.LG"),
        paper_md(2, "2603.00002", "Alpha in LG", section="cs.LG"),
        paper_md(3, "2603.00003", "Cross-listed", section="cs.AI"),
    ]
    text = digest_md({"cs.LG": papers[:2], "cs.AI": papers[2:]})
    write(folder / "2026-03-01.md", text.replace("Main category: cs.AI", "Main category: cs.LG"))
    app = app_for(isolated_user_dirs, [folder])
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await show_list(app, pilot, "section:cs.LG")
        await pilot.press("equals_sign")
        await settle(app, pilot)
        assert app.query_one(Input).value == 'section:"cs.LG" sort:old'
        assert titles(app) == ["Zeta in LG", "Alpha in LG"]


async def test_reports_coming_as_the_app_closes_are_dropped_not_a_crash(
    isolated_user_dirs, tmp_path: Path
):
    """A ranking (or a search, or a reading) that finishes as the reader quits comes when the
    paper pane is already gone: handling it then raised KeyError from the pane's styles."""
    reports = []

    def keep(message) -> None:
        if type(message).__module__ == "digest_tui.ui.messages":
            reports.append(message)

    app = app_for(isolated_user_dirs, [library(tmp_path / "library")])
    async with app.run_test(size=SIZE, message_hook=keep) as pilot:
        await started(app, pilot)
        await settle(app, pilot)
        for _ in range(250):  # the ranking is made in a process of its own
            if any(isinstance(report, Ranked) for report in reports):
                break
            await pilot.pause(0.02)
    kinds = {type(report).__name__ for report in reports}
    assert {"LibraryLoaded", "Ranked", "SearchIndexed"} <= kinds
    assert not app.is_running and not app.detail.is_attached  # the app closed
    for report in reports:  # each comes again, late
        getattr(app, report.handler_name)(report)
