"""Power reading in the app: search, saved lists, keyword filter, acting on papers, the palette,
statistics, LaTeX, themes, settings and the watched library."""

from __future__ import annotations

import random
import re
import threading
import webbrowser
from pathlib import Path

from digest_tui.config import Keyword, SavedSearch, Settings, load_settings
from digest_tui.library import bundled_seeds, load_library
from digest_tui.parse.markdown import parse_markdown
from digest_tui.state import MarkStore
from digest_tui.ui.app import DigestApp, make_app
from digest_tui.ui.screens.help import HelpScreen
from digest_tui.ui.screens.stats import StatsScreen
from digest_tui.ui.widgets.paper_list import PaperList
from tests.conftest import digest_md, paper_md, until, workers_done, write
from tests.screen import screen_text, squash, toast_text
from tests.test_app import SIZE, category_line, list_rows, started
from tests.test_query import plain


async def settle(app: DigestApp, pilot) -> None:
    """Past the search bar's pause for typing, and every worker done."""
    await pilot.pause(0.3)
    await workers_done(app)
    await pilot.pause()


def seed_ids(word: str) -> list[str]:
    return [p.id for p in load_library(bundled_seeds()).papers if word in plain(p)]


def app_for(store_path: Path, paths=None, **settings: object) -> DigestApp:
    return make_app(paths or bundled_seeds(), MarkStore(store_path), settings=Settings(**settings))


async def test_slash_searches_as_you_type_highlights_and_escape_goes_back(isolated_user_dirs):
    app = app_for(isolated_user_dirs)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        await pilot.press("slash", *"gan")
        await settle(app, pilot)
        expected = seed_ids("gan")
        assert [p.id for p in app.query_one(PaperList).papers] == expected
        screen = screen_text(app)
        assert f"All days · Search: gan · {len(expected)} papers" in screen
        assert f"{len(expected)} papers · enter to read them" in screen
        # The match is drawn in the match style, in the list and in the detail.
        strip = app.query_one(PaperList).render_line(0)
        styled = [seg for seg in strip if seg.text.lower() == "gan"]
        assert styled and styled[0].style.reverse
        header = app.detail.header  # "HP-GAN: … for GAN …"
        marked = [s for s in header.spans if header.plain[s.start : s.end].lower() == "gan"]
        assert len(marked) >= 2 and all(span.style.reverse for span in marked)
        await pilot.press("enter", "j")
        assert app.focused is app.query_one(PaperList)
        found = app.current
        await pilot.press("escape")
        await pilot.pause()
        assert "All days · All · 72 papers" in screen_text(app)
        assert app.current.id == found.id  # the list again, on the paper found


async def test_a_bad_query_says_so_inline_and_keeps_the_list(isolated_user_dirs):
    app = app_for(isolated_user_dirs)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        await pilot.press("slash", *'gan "open')
        await settle(app, pilot)
        screen = screen_text(app)
        assert 'a quote " is not closed (column 5)' in screen
        assert "All days · All · 72 papers" in screen
        await pilot.press("backspace", *'"', "ctrl+e")
        await settle(app, pilot)
        assert "Search: gan" in screen_text(app)


async def test_saved_searches_and_keywords_are_lists_with_counts(isolated_user_dirs):
    app = app_for(
        isolated_user_dirs,
        searches=(SavedSearch("GANs unread", "gan is:unread"),),
        keywords=(Keyword("diffusion"), Keyword("harnessing")),
        authors=(Keyword("Dosik Hwang", author=True),),
    )
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        await settle(app, pilot)
        gan, diffusion = seed_ids("gan"), seed_ids("diffusion")
        n = len(gan)
        assert " ".join(category_line(app, "GANs unread").split()) == f"│ GANs unread {n}/{n}"
        line = category_line(app, "#diffusion")
        d = len(diffusion)
        assert " ".join(line.split()) == f"│ #diffusion {d}/{d}"
        assert " ".join(category_line(app, "@Dosik Hwang").split()) == "│ @Dosik Hwang 1/1"
        app.lists.highlighted = 5  # All, Unread, Starred, For you, GANs unread, #diffusion
        await settle(app, pilot)
        assert [p.id for p in app.query_one(PaperList).papers] == diffusion
        assert f"#diffusion · {len(diffusion)} papers" in screen_text(app)
        await pilot.press("enter")  # read one: its lists count it at once
        await pilot.pause()
        assert " ".join(category_line(app, "#diffusion").split()) == f"│ #diffusion {d - 1}/{d}"
        await pilot.press("escape", "A")
        await pilot.press("y")  # confirm: every paper of the list read
        await pilot.pause()
        assert " ".join(category_line(app, "#diffusion").split()) == f"│ #diffusion 0/{d}"
        # keywords are marked wherever they show
        app.lists.highlighted = 0
        await settle(app, pilot)
        strip = app.query_one(PaperList).render_line(0)  # "HP-GAN: Harnessing pretrained …"
        assert any(seg.text == "Harnessing" and seg.style.underline for seg in strip)
        header = app.detail.header  # the authors' line too
        marked = [s for s in header.spans if header.plain[s.start : s.end] == "Dosik Hwang"]
        assert marked and marked[0].style.underline


async def test_a_filtering_keyword_shows_only_its_papers_and_f_turns_it_off(isolated_user_dirs):
    app = app_for(isolated_user_dirs, keywords=(Keyword("diffusion", filter=True),))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        await settle(app, pilot)
        diffusion = seed_ids("diffusion")
        count = len(diffusion)
        assert sorted(p.id for p in app.query_one(PaperList).papers) == sorted(diffusion)
        assert " ".join(category_line(app, "All").split()) == f"│ All {count}/{count}"
        assert "keyword filter on (f)" in screen_text(app)
        await pilot.press("f")
        await pilot.pause()
        assert len(app.query_one(PaperList).papers) == 72
        assert "keyword filter on" not in screen_text(app)


async def test_copy_link_and_bibtex_open_the_pdf(isolated_user_dirs, monkeypatch):
    app = app_for(isolated_user_dirs)
    opened: list[str] = []
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        monkeypatch.setattr(webbrowser, "get", lambda: object())
        monkeypatch.setattr(app, "open_url", opened.append)
        paper = app.current
        await pilot.press("y")
        assert app.clipboard == paper.url
        await pilot.press("Y")
        assert app.clipboard.startswith("@misc{son2026harnessing,\n")
        assert "eprint = {2602.03039}" in app.clipboard
        assert "to-cite" not in app.clipboard and "note =" not in app.clipboard
        app.marks.store.set_tags(paper.id, ["to-cite"])
        app.marks.store.set_note(paper.id, "Read with the GAN survey.")
        await pilot.press("Y")  # your tags and note, as the BibTeX export (X) carries them
        assert "to-cite}" in app.clipboard.split("keywords = {")[1].split("\n")[0]
        assert "note = {Read with the GAN survey.}" in app.clipboard
        assert squash("Copied the BibTeX entry son2026harnessing") in toast_text(app)
        await pilot.press("O")
        assert opened == ["https://arxiv.org/pdf/2602.03039"]


async def test_x_exports_the_list_to_the_documents_folder(isolated_user_dirs, tmp_path):
    app = app_for(isolated_user_dirs)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        await pilot.press("slash", *"gan", "enter")
        await settle(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        files = list((tmp_path / "home" / "Documents" / "digest-tui").glob("*.md"))
        assert len(files) == 1 and files[0].name.endswith("-search-gan.md")
        assert squash(f"Exported 4 papers to {files[0]}") in toast_text(app)
        digest = parse_markdown(files[0].read_text(encoding="utf-8"), files[0])
        assert sorted(p.id for p in digest.papers) == sorted(seed_ids("gan"))


async def test_r_jumps_to_a_random_unread_paper_of_the_list(isolated_user_dirs):
    app = app_for(isolated_user_dirs)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        papers = app.query_one(PaperList).papers
        for paper in papers[:-1]:
            app._marks.set_read(paper.id, True)
        random.seed(1)
        await pilot.press("R")
        assert app.current == papers[-1]  # the only unread one
        app._marks.set_read(papers[-1].id, True)
        await pilot.press("R")
        assert squash("No unread papers in this list.") in toast_text(app)


async def test_stats_show_categories_days_read_and_starred(isolated_user_dirs):
    app = app_for(isolated_user_dirs)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        await pilot.press("enter", "escape", "s", "S")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        screen = screen_text(app)
        assert "72 papers over 2 days · 1 read (1%) · 71 unread · 1 starred" in screen
        rows = {
            name: numbers.split()
            for name, numbers in re.findall(r" (cs\.\w+) +(\d+ +\d+ +\d+ +[█░]+)", screen)
        }
        # each category: papers, read, starred, and a bar whose filled part is the read share
        assert rows["cs.CV"] == ["18", "1", "1", "█" + "░" * 15]
        assert rows["cs.LG"] == ["33", "0", "0", "░" * 30]
        assert list(rows) == ["cs.LG", "cs.CV", "cs.AI", "cs.CL", "cs.RO"]  # most papers first
        assert "Papers per category" in screen and "Papers per day" in screen
        await pilot.press("escape")
        assert not isinstance(app.screen, StatsScreen)


async def test_stats_chart_dated_days_only_when_there_are_some(isolated_user_dirs, tmp_path):
    for number, name in enumerate(("2026-03-01", "2026-03-02", "zz-fork-test"), start=1):
        write(tmp_path / f"{name}.md", digest_md({"cs.CV": [paper_md(1, f"2603.0000{number}")]}))
    app = app_for(isolated_user_dirs, [tmp_path])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        await pilot.press("S")
        await pilot.pause()
        screen = screen_text(app)
        assert "Papers per day, 2026-03-01 to 2026-03-02" in screen
        assert "over 3 days" in screen


async def test_latex_is_shown_as_symbols_and_l_shows_it_as_written(isolated_user_dirs, tmp_path):
    day = write(
        tmp_path / "2026-03-01.md",
        digest_md({"cs.LG": [paper_md(1, "2603.00001", "$\\alpha$-ReLU in $O(n^2)$ time")]}),
    )
    app = app_for(isolated_user_dirs, [day])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        assert list_rows(app)[0].startswith(" ●   α-ReLU in O(n²) time")
        assert "│ α-ReLU in O(n²) time" in screen_text(app)
        await pilot.press("L")
        await pilot.pause()
        assert list_rows(app)[0].startswith(" ●   $\\alpha$-ReLU in $O(n^2)$")


async def test_the_palette_jumps_to_a_paper_and_lists_actions(isolated_user_dirs):
    app = app_for(isolated_user_dirs)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        commands = {command.title: command for command in app.get_system_commands(app.screen)}
        assert "paper: star" in commands and "list: search" in commands
        assert "reader: statistics" in commands
        await commands["detail: show/hide Abstract"].callback()  # a pane's own action
        await commands["list: last paper"].callback()  # the paper list's own action
        await pilot.pause()
        assert app.detail.is_open("abstract")
        assert app.current == app.query_one(PaperList).papers[-1]
        await pilot.press("ctrl+p", *"Rare Event")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current.title.startswith("Rare Event Early Detection")
        assert app.focused is app.query_one(PaperList)


async def test_settings_keymap_panes_and_mark_read_on_open(isolated_user_dirs):
    app = app_for(
        isolated_user_dirs,
        keymap={"paper-star": "w", "no-such-binding": "k"},
        expanded=("abstract",),
        mark_read_on_open=False,
    )
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        screen = screen_text(app)
        assert squash("no key binding has the id 'no-such-binding'") in toast_text(app)
        assert "▶ TL;DR  (1)" in screen and "▼ Abstract  (6)" in screen
        await pilot.press("w")
        assert app._marks.is_starred(app.current.id)
        await pilot.press("enter")
        assert not app._marks.is_read(app.current.id)
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert " w  Star " in screen_text(app)


async def test_the_theme_chosen_is_remembered(isolated_user_dirs):
    app = app_for(isolated_user_dirs)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        app.theme = "nord"
        await pilot.pause()
    settings, problems = load_settings()
    assert settings.theme == "nord" and problems == []
    again = make_app(bundled_seeds(), MarkStore(isolated_user_dirs), settings=settings)
    async with again.run_test(size=SIZE) as pilot:
        await started(again, pilot)
        assert again.theme == "nord"


async def test_a_new_theme_redraws_the_papers_in_its_colours(isolated_user_dirs):
    app = app_for(isolated_user_dirs)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        papers = app.query_one(PaperList)
        before = {segment.style for segment in papers.render_line(1)}
        app.theme = "textual-light"
        await pilot.pause()
        after = {segment.style for segment in papers.render_line(1)}
        assert after and not after & before  # none of the rows' old colours is left


async def test_a_new_day_in_a_watched_folder_appears_with_a_notification(
    isolated_user_dirs, tmp_path
):
    folder = tmp_path / "library"
    write(folder / "2026-03-01.md", digest_md({"cs.CV": [paper_md(1, "2603.00001", "Old")]}))
    app = app_for(isolated_user_dirs, [folder])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        await pilot.press("s")
        new = [paper_md(1, "2603.00002", "New one"), paper_md(2, "2603.00003", "Other")]
        write(folder / "2026-03-02.md", digest_md({"cs.CV": new}))

        def noticed() -> bool:
            if squash("New day") in toast_text(app):
                return True
            if all(worker.is_finished for worker in app.workers):
                app.check_library()  # as the reader does every few seconds, once it has read
            return False

        await until(pilot, noticed, seconds=10)
        await settle(app, pilot)
        assert squash("New day: 2026-03-02 (2 papers)") in toast_text(app)
        assert category_line(app, "2026-03-02")
        assert app.current.title == "Old" and app._marks.is_starred("2603.00001")
        assert len(app.library.papers) == 3


async def test_a_day_arriving_while_the_library_is_read_shows_once_it_is(
    isolated_user_dirs, tmp_path, monkeypatch
):
    """A look for new days asked for while the files are being read (the reader's timer, an
    update's end) is taken once they are read, not dropped until the next look."""
    from digest_tui.ui import loading

    folder = tmp_path / "library"
    write(folder / "2026-03-01.md", digest_md({"cs.CV": [paper_md(1, "2603.00001", "Old")]}))
    monkeypatch.setattr("digest_tui.ui.app.WATCH_SECONDS", 3600.0)  # no timer's look
    found, release = threading.Event(), threading.Event()
    start_reading = loading.start_reading

    def held(*args):  # the files are found, then the reading waits
        started_reading = start_reading(*args)
        found.set()
        release.wait(5)
        return started_reading

    monkeypatch.setattr(loading, "start_reading", held)
    app = app_for(isolated_user_dirs, [folder])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, found.is_set)
        write(folder / "2026-03-02.md", digest_md({"cs.CV": [paper_md(1, "2603.00002", "New")]}))
        app.check_library()  # while the library is read
        release.set()
        await until(pilot, lambda: squash("New day") in toast_text(app))
        assert squash("New day: 2026-03-02 (1 paper)") in toast_text(app)
        assert len(app.full_library.papers) == 2


async def test_problems_in_the_settings_file_are_shown_and_the_reader_starts(
    isolated_user_dirs, tmp_path
):
    config = write(tmp_path / "config.toml", 'theme = 3\nexpanded = ["summary"]\n')
    settings, problems = load_settings(config)
    app = make_app(bundled_seeds(), MarkStore(isolated_user_dirs), settings=settings,
                   problems=problems)  # fmt: skip
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        toasts = toast_text(app)
        assert squash(f"Settings {config}:1: theme: expected a theme name in quotes") in toasts
        assert squash(f"{config}:2: expanded: unknown pane 'summary'") in toasts
        assert "▼ TL;DR  (1)" in screen_text(app)  # the defaults apply
        assert len(app.query_one(PaperList).papers) == 72
