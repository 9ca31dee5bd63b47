from __future__ import annotations

import json
import re
import webbrowser
from pathlib import Path

import pytest
from textual import events

from digest_tui.library import bundled_seeds
from digest_tui.model import FIELDS
from digest_tui.state import MarkStore, open_store
from digest_tui.ui.app import DigestApp, make_app
from digest_tui.ui.messages import LibraryLoaded
from digest_tui.ui.screens.help import HelpScreen
from digest_tui.ui.widgets.footer import KeysFooter
from digest_tui.ui.widgets.paper_list import PaperList
from tests.conftest import digest_md, paper_md, workers_done, write
from tests.screen import region_lines, region_text, screen_lines, screen_text, squash, toast_text

SIZE = (120, 40)


async def started(app: DigestApp, pilot) -> None:
    await workers_done(app)
    await pilot.pause()


def list_rows(app: DigestApp) -> list[str]:
    """The paper list's rows as drawn, without the pane borders."""
    papers = app.query_one(PaperList)
    region = papers.content_region
    return [
        line[region.x : region.right].rstrip()
        for line in screen_lines(app)[region.y : region.bottom]
    ]


def category_line(app: DigestApp, name: str) -> str:
    """The line of the sidebar (days or lists) that names `name`, e.g. `│ cs.CV  17/18`."""
    entry = re.compile(rf"^│ {re.escape(name)}\s{{2,}}\S")
    return next(
        line.split("││")[0].split("│╭")[0] for line in screen_lines(app) if entry.match(line)
    )


async def test_opens_on_the_seeds_with_lists_counts_and_first_paper(isolated_user_dirs: Path):
    store = MarkStore(isolated_user_dirs)
    app = make_app(bundled_seeds(), store)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        screen = screen_text(app)
        assert "All days (2 days) · 72 papers" in screen
        assert "╭─ All days · All · 72 papers ─" in screen
        assert " ".join(category_line(app, "All days").split()) == "│ All days 72/72"
        undated = [line for line in screen_lines(app) if line.startswith("│ 000_4251ef543c11")]
        assert len(undated) == 1 and "36/36 │" in undated[0]  # an undated digest: its file's name
        assert " ".join(category_line(app, "All").split()) == "│ All 72/72"
        assert " ".join(category_line(app, "cs.RO").split()) == "│ cs.RO 2/2"
        assert " ".join(category_line(app, "Starred").split()) == "│ Starred 0"
        assert list_rows(app)[0].startswith(" ●   HP-GAN: Harnessing")
        assert squash("Geonhui Son, Jeong Ryong Lee, Dosik Hwang") in region_text(app, app.detail)
        assert "▼ TL;DR  (1)" in screen and "▶ Abstract  (6)" in screen
        assert "HP-GAN通过FakeTwins" in screen
        assert app.focused is app.query_one(PaperList)


async def test_navigate_star_restart_and_the_star_is_still_there(isolated_user_dirs: Path):
    app = make_app(bundled_seeds(), MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("j", "down", "s")
        assert app.current is not None and app.current.title.startswith("A Lightweight Library")
        starred_id = app.current.id
        assert list_rows(app)[2].startswith(" ● ★ A Lightweight Library")
        assert " ".join(category_line(app, "Starred").split()) == "│ Starred 1"
        assert "★ starred" in screen_text(app)
    app._marks.close()

    again = make_app(bundled_seeds(), MarkStore(isolated_user_dirs))
    async with again.run_test(size=SIZE) as pilot:
        await started(again, pilot)
        assert list_rows(again)[2].startswith(" ● ★ A Lightweight Library")
        await pilot.press("shift+tab", "j", "j")  # to the lists pane, down to Starred
        await pilot.pause()
        assert [p.id for p in again.query_one(PaperList).papers] == [starred_id]
        assert list_rows(again)[0].startswith(" ● ★ A Lightweight Library")


async def test_keys_typed_faster_than_the_screen_act_on_the_highlighted_paper(
    isolated_user_dirs: Path,
):
    store = MarkStore(isolated_user_dirs)
    app = make_app(bundled_seeds(), store)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        papers = app.query_one(PaperList).papers
        for key in "jjs":  # all queued at once, as a fast typist or a terminal paste does
            app.post_message(events.Key(key, key))
        await pilot.pause()
        assert store.starred_ids() == {papers[2].id}
        assert list_rows(app)[2].startswith(" ● ★ A Lightweight Library")


async def test_enter_in_the_lists_goes_to_the_papers_of_the_list(isolated_user_dirs: Path):
    app = make_app(bundled_seeds(), MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("shift+tab", "j", "enter")  # the lists pane, Unread, enter
        await pilot.pause()
        assert app.focused is app.paper_list and app.navigation.list_key == "unread"
        await pilot.press("j")  # the papers move now, not the lists
        await pilot.pause()
        assert app.navigation.list_key == "unread" and app.paper_list.cursor == 1


async def test_enter_opens_marks_read_and_counts_update_at_once(isolated_user_dirs: Path):
    store = MarkStore(isolated_user_dirs)
    app = make_app(bundled_seeds(), store)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("enter")
        first = app.current
        assert first is not None and store.is_read(first.id)
        assert app.focused is app.query_one("#detail")
        assert " ".join(category_line(app, "All").split()) == "│ All 71/72"
        assert " ".join(category_line(app, "Unread").split()) == "│ Unread 71"
        assert " ".join(category_line(app, "cs.CV").split()) == "│ cs.CV 17/18"
        assert list_rows(app)[0].startswith("     HP-GAN")  # the unread dot is gone
        await pilot.press("escape", "space")
        assert not store.is_read(first.id)
        assert " ".join(category_line(app, "All").split()) == "│ All 72/72"
        await pilot.press("r")
        assert store.is_read(first.id)


async def test_next_and_previous_unread_skip_read_papers(isolated_user_dirs: Path):
    store = MarkStore(isolated_user_dirs)
    library_ids = []
    app = make_app(bundled_seeds(), store)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        library_ids = [p.id for p in app.query_one(PaperList).papers]
        store.set_read(library_ids[1], True)
        store.set_read(library_ids[2], True)
        await pilot.press("n")
        assert app.current.id == library_ids[3]
        await pilot.press("p")
        assert app.current.id == library_ids[0]
        await pilot.press("p")  # wraps to the end
        assert app.current.id == library_ids[-1]


async def test_no_unread_left_says_so(isolated_user_dirs: Path, tmp_path: Path):
    path = write(tmp_path / "one.md", digest_md({"cs.CV": [paper_md(1, "2401.00001")]}))
    store = MarkStore(isolated_user_dirs)
    store.set_read("2401.00001", True)
    app = make_app([path], store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert squash("No unread papers in this list.") in toast_text(app)


async def test_panes_expand_and_collapse(isolated_user_dirs: Path):
    app = make_app(bundled_seeds(), MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        detail = app.detail
        names = [name for name, _ in FIELDS]
        assert [detail.is_open(n) for n in names] == [True, False, False, False, False, False]
        await pilot.press("e")
        assert all(detail.is_open(n) for n in names)
        screen = screen_text(app)
        assert "▼ Motivation  (2)" in screen and "现有方法主要利用预训练网络" in screen
        await pilot.press("e")
        assert not any(detail.is_open(n) for n in names)
        await pilot.press("tab", "6")  # in the detail pane, 6 opens the abstract
        assert app.focused is app.query_one("#detail")
        assert detail.is_open("abstract")
        await pilot.press("j")  # the next paper keeps the panes as the reader left them
        assert detail.is_open("abstract")


async def test_o_opens_the_abstract_page(isolated_user_dirs: Path, monkeypatch: pytest.MonkeyPatch):
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "get", lambda *a: object())
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    app = make_app(bundled_seeds(), MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        assert opened == ["https://arxiv.org/abs/2602.03039"]
        assert squash("Opening https://arxiv.org/abs/2602.03039") in toast_text(app)


async def test_o_without_a_browser_shows_the_link(
    isolated_user_dirs: Path, monkeypatch: pytest.MonkeyPatch
):
    def no_browser(*args):
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", no_browser)
    app = make_app(bundled_seeds(), MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        assert squash("No web browser found here. The link is") in toast_text(app)


async def test_help_lists_every_binding(isolated_user_dirs: Path):
    app = make_app(bundled_seeds(), MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        screen = screen_text(app)
        for text in (
            "Star",
            "Next unread",
            "Expand all",
            "Open in browser",
            "Show/hide Abstract",
            "Next pane",
            "Quit",
        ):
            assert text in screen
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_footer_shows_the_main_keys(isolated_user_dirs: Path):
    app = make_app(bundled_seeds(), MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        footer = screen_lines(app)[-1]
        assert app.query_one(KeysFooter)
        for text in ("q Quit", "? Help", "space Read", "s Star", "n Next unread", "e Expand all"):
            assert text in footer


async def test_digest_text_is_shown_literally(isolated_user_dirs: Path, tmp_path: Path):
    title = "[bold]x[/bold] and [@click=app.quit]y[/] \x1b]0;pwned\x07ok"
    fields = {"TL;DR": "[red]not red[/red] \x1b[2Jstill here"}
    path = write(
        tmp_path / "odd.md", digest_md({"cs.CV": [paper_md(1, "2401.00001", title, fields=fields)]})
    )
    app = make_app([path], MarkStore(isolated_user_dirs))
    async with app.run_test(size=(160, 40)) as pilot:
        await started(app, pilot)
        screen = screen_text(app)
        assert "[bold]x[/bold] and [@click=app.quit]y[/] ok" in screen
        assert "[red]not red[/red] still here" in screen
        assert "pwned" not in screen


async def test_a_translated_title_is_drawn_under_the_title(isolated_user_dirs, tmp_path):
    """xmkxabc's fork writes each title again in Chinese under its heading (`> *…*`)."""
    heading = "### [1] [Secure Energy Trading](https://arxiv.org/abs/2401.00001)\n"
    paper = paper_md(1, "2401.00001", "Secure Energy Trading").replace(
        heading, f"{heading}> *安全的能源交易*\n\n"
    )
    path = write(tmp_path / "2026-03-01.md", digest_md({"cs.CR": [paper]}))
    app = make_app([path], MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        lines = region_lines(app, app.detail)
        assert lines[:3] == ["Secure Energy Trading", "安全的能源交易", "Ada Lovelace, Alan Turing"]
        assert "Title translation" not in screen_text(app) and app.library.problems == ()


async def test_names_from_digests_in_titles_are_shown_literally(isolated_user_dirs, tmp_path):
    """A day's file name and a section's name go into the titles: never as markup."""
    name = "[bold]odd[@click=app.quit]"
    section = "[b]cs.XX[/b]"
    digest = digest_md({section: [paper_md(1, "2401.00001")]})
    path = write(tmp_path / f"{name}.md", digest)
    app = make_app([path], MarkStore(isolated_user_dirs))
    async with app.run_test(size=(160, 40)) as pilot:
        await started(app, pilot)
        await pilot.press("left_square_bracket")
        key = app.lists.keys[-1]  # the section's list, named as the digest names it
        app.navigation.choose_list(key)
        await pilot.pause()
        screen = screen_text(app)
        assert f"╭─ {name} · {app.lists.name_of(key)} · 1 paper ─" in screen
        assert "[b]cs.XX" in app.lists.name_of(key)
        assert f"digest-tui — {name} · 1 paper" in screen


async def test_problems_are_reported_and_the_rest_loads(isolated_user_dirs: Path, tmp_path: Path):
    good = write(
        tmp_path / "a.md", digest_md({"cs.CV": [paper_md(1, "2401.00001")]}, totals={"cs.CV": 2})
    )
    app = make_app([good, tmp_path / "missing.md"], MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        assert squash("2 problems reading the digests") in toast_text(app)
        assert [p.id for p in app.query_one(PaperList).papers] == ["2401.00001"]


async def test_a_corrupt_state_file_is_reported_and_the_reader_opens(tmp_path: Path):
    state = tmp_path / "marks.sqlite3"
    state.write_bytes(b"not a database at all" * 100)
    store, notes = open_store(state)
    app = make_app(bundled_seeds(), store, notes)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        assert squash("could not be read") in toast_text(app)
        await pilot.press("s")
        assert MarkStore(state).is_starred(app.current.id)


async def test_a_mark_made_in_one_file_shows_on_the_same_paper_in_another(
    isolated_user_dirs: Path, tmp_path: Path
):
    one = write(
        tmp_path / "one.md", digest_md({"cs.CV": [paper_md(1, "2401.00001", "Same paper")]})
    )
    two = write(
        tmp_path / "two.md", digest_md({"cs.LG": [paper_md(7, "2401.00001v2", "Same paper")]})
    )
    app = make_app([one], MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("s")
    app._marks.close()
    again = make_app([two], MarkStore(isolated_user_dirs))
    async with again.run_test(size=SIZE) as pilot:
        await started(again, pilot)
        assert list_rows(again)[0].startswith(" ● ★ Same paper")


def _three_days(folder: Path) -> None:
    """Three days of four papers each, named `DAY paper N`."""
    for day in ("2026-03-10", "2026-03-11", "2026-03-12"):
        arxiv = f"{day[2:4]}{day[5:7]}.{day[8:]}"
        papers = [paper_md(n, f"{arxiv}{n:03d}", f"{day} paper {n}") for n in range(1, 5)]
        write(folder / f"{day}.md", digest_md({"cs.CV": papers}))


def _days_folder(tmp_path: Path) -> Path:
    failed = {"TL;DR": "Summary generation failed", "Motivation": "N/A"}
    write(
        tmp_path / "2026-03-10.md",
        digest_md(
            {
                "cs.CV": [
                    paper_md(1, "2603.00001", "Old day paper"),
                    paper_md(2, "2603.00005", "Seen twice"),
                ]
            }
        ),
    )
    write(
        tmp_path / "2026-03-11.md",
        digest_md(
            {
                "quant-ph": [
                    paper_md(
                        1, "2603.00002", "Failed summary paper", section="quant-ph", fields=failed
                    )
                ],
                "cs.CV": [paper_md(2, "2603.00005", "Seen twice")],
            },
            totals={"quant-ph": 3},
        ),
    )
    return tmp_path


async def test_days_pane_and_brackets_choose_the_day(isolated_user_dirs: Path, tmp_path: Path):
    app = make_app([_days_folder(tmp_path)], MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        screen = screen_text(app)
        assert "All days (2 days) · 3 papers" in screen
        assert [
            " ".join(category_line(app, day).split())
            for day in ("All days", "2026-03-11", "2026-03-10")
        ] == [
            "│ All days 3/3",
            "│ 2026-03-11 2/2",
            "│ 2026-03-10 2/2",
        ]
        # newest day first, in the digest's order within a day
        assert [row[5:].split("  ")[0] for row in list_rows(app)[:3]] == [
            "Failed summary paper",
            "Seen twice",
            "Old day paper",
        ]
        assert squash("1 problem reading the digests") in toast_text(app)
        await pilot.press("left_square_bracket")
        assert "2026-03-11 · 2 papers" in screen_text(app)
        assert " ".join(category_line(app, "quant-ph").split()) == "│ quant-ph 1/1"
        await pilot.press("left_square_bracket")
        assert "2026-03-10 · 2 papers" in screen_text(app)
        assert [p.title for p in app.query_one(PaperList).papers] == ["Old day paper", "Seen twice"]
        await pilot.press("j", "s")  # a star on the paper both days list
        assert " ".join(category_line(app, "Starred").split()) == "│ Starred 1"
        await pilot.press("right_square_bracket", "j")
        assert list_rows(app)[1].startswith(" ● ★ Seen twice")
        assert "In the digest of 2026-03-11, 2026-03-10" in screen_text(app)
        await pilot.press("enter")  # read on one day: read on every day
        assert " ".join(category_line(app, "2026-03-10").split()) == "│ 2026-03-10 1/2"
        assert " ".join(category_line(app, "All days").split()) == "│ All days 2/3"


async def test_problems_screen_lists_problems_and_notes(isolated_user_dirs: Path, tmp_path: Path):
    app = make_app([_days_folder(tmp_path)], MarkStore(isolated_user_dirs))
    async with app.run_test(size=(220, 40)) as pilot:
        await started(app, pilot)
        await pilot.press("exclamation_mark")
        screen = screen_text(app)
        assert (
            "1 problem reading the digests (the rest loaded)  ·  1 day with failed summaries"
            in screen
        )
        problems = region_text(app, app.screen.query_one("#problems-list"))
        assert (
            squash(
                "2026-03-11.md:5: table of contents says quant-ph has 3 papers, the section has 1"
            )
            in problems
        )
        assert squash("note: 2026-03-11: 1 paper with failed summaries (2 fields)") in problems
        await pilot.press("escape")
        assert "table of contents says" not in screen_text(app)


async def test_unavailable_summaries_are_dimmed_and_the_abstract_opens(
    isolated_user_dirs: Path, tmp_path: Path
):
    app = make_app([_days_folder(tmp_path)], MarkStore(isolated_user_dirs))
    async with app.run_test(size=(160, 44)) as pilot:
        await started(app, pilot)
        screen = screen_text(app)
        assert "▶ TL;DR  (1)  summary unavailable" in screen
        assert "▶ Motivation  (2)  summary unavailable" in screen
        assert "▼ Abstract  (6)" in screen and "abstract 2603.00002" in screen
        assert "Summary generation failed" not in screen  # shown only when the pane is opened


async def test_extra_fields_show_as_panes_in_file_order(isolated_user_dirs: Path, tmp_path: Path):
    text = (
        "### [1] [Extra](https://arxiv.org/abs/2401.00001)\n*A*\n\n"
        "Recommendation: ★★☆☆☆ (35/100)\n\n"
        "TL;DR: short\n\n<details>\n<summary>Details</summary>\nAbstract: long\n\n"
        "Abstract Translation:\n译文\n\nKey Figures:\n\n"
        "#### Figure 1\n![Figure 1](https://x/y.png)\n</details>\n\n"
        "### [2] [Plain](https://arxiv.org/abs/2401.00002)\n*B*\n\nTL;DR: nothing extra\n"
    )
    app = make_app([write(tmp_path / "d.md", text)], MarkStore(isolated_user_dirs))
    async with app.run_test(size=(160, 50)) as pilot:
        await started(app, pilot)
        lines = [line.split("││")[-1] for line in screen_lines(app)]
        titles = [line.strip(" │") for line in lines if line.strip(" │").startswith("▼ ")]
        assert titles == [
            "▼ TL;DR  (1)",
            "▼ Recommendation",
            "▼ Abstract Translation",
            "▼ Figure 1",
        ]
        assert "★★☆☆☆ (35/100)" in screen_text(app) and "译文" in screen_text(app)
        await pilot.press("j")
        assert "▼ Recommendation" not in screen_text(app)  # the next paper has no extras


async def test_a_paper_with_thousands_of_authors(isolated_user_dirs: Path, tmp_path: Path):
    names = ",".join(f"Author Number{n}" for n in range(3303))
    path = write(
        tmp_path / "d.md", digest_md({"hep-ex": [paper_md(1, "2401.00001", "Big", authors=names)]})
    )
    app = make_app([path], MarkStore(isolated_user_dirs))
    async with app.run_test(size=(160, 40)) as pilot:
        await started(app, pilot)
        screen = screen_text(app)
        assert "Author Number0 et al. (3,303 authors)" in screen
        assert "Author Number1, Author Number2," in screen and "… and 3,273 more" in screen


async def test_keys_typed_ahead_across_a_day_change_act_on_the_new_day(
    isolated_user_dirs: Path, tmp_path: Path
):
    _three_days(tmp_path)
    store = MarkStore(isolated_user_dirs)
    app = make_app([tmp_path], store)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        for key in ("left_square_bracket", "left_square_bracket", "j", "j", "s"):
            app.post_message(events.Key(key, None))  # all queued at once: a fast typist
        await pilot.pause()
        await pilot.pause()
        assert [app.library.by_id[i].title for i in store.starred_ids()] == ["2026-03-11 paper 3"]
        assert app.current.title == "2026-03-11 paper 3"
        assert "2026-03-11 paper 3" in screen_text(app).split("╭─ Paper")[1]


async def test_the_paper_pane_names_the_other_summary_languages(
    isolated_user_dirs: Path, tmp_path: Path
):
    for language, tldr in (("Chinese", "中文摘要句"), ("English", "An English gist")):
        record = {
            "id": "2603.00001",
            "title": "Bilingual",
            "categories": ["cs.CL"],
            "authors": ["A"],
            "summary": "S",
            "AI": {"tldr": tldr},
        }
        write(
            tmp_path / f"2026-03-10_AI_enhanced_{language}.jsonl",
            json.dumps(record, ensure_ascii=False),
        )
    app = make_app([tmp_path], MarkStore(isolated_user_dirs), language="English")
    async with app.run_test(size=(160, 40)) as pilot:
        await started(app, pilot)
        screen = screen_text(app)
        assert "Summaries in English (shown); also Chinese" in screen
        assert "An English gist" in screen and "中文摘要句" not in screen


async def test_the_newest_day_shows_first_and_the_reader_keeps_its_place(
    isolated_user_dirs: Path, tmp_path: Path
):
    _three_days(tmp_path)
    seen: list = []
    app = make_app([tmp_path], MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await started(app, pilot)
        loaded = [m for m in seen if isinstance(m, LibraryLoaded)]
        assert [m.complete for m in loaded] == [False, True]
        assert list(loaded[0].library.days) == ["2026-03-12"]
        assert list(loaded[1].library.days) == ["2026-03-12", "2026-03-11", "2026-03-10"]
        # Replay it: the reader moves while the other days are read, and stays where it was.
        app.post_message(LibraryLoaded(loaded[0].library, complete=False))
        await pilot.pause()
        assert "reading the other days…" in screen_text(app)
        await pilot.press("j", "j")
        assert app.current.title == "2026-03-12 paper 3"
        app.post_message(LibraryLoaded(loaded[1].library))
        await pilot.pause()
        assert app.current.title == "2026-03-12 paper 3"
        assert "All days (3 days) · 12 papers" in screen_text(app)


async def test_no_color_draws_every_screen(isolated_user_dirs: Path, monkeypatch):
    """NO_COLOR (set in many shells) turns on Textual's monochrome filter, which needs a
    real style on every segment: the reader, a search, every pane and every screen draw."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(bundled_seeds(), MarkStore(isolated_user_dirs))
    assert app.no_color
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(app, pilot)
        assert "HP-GAN: Harnessing pretrained" in screen_text(app)
        await pilot.press("slash", *"gan", "enter")
        await pilot.pause(0.3)
        await workers_done(app)
        await pilot.press("enter", "e", "s")
        await pilot.pause()
        screen = screen_text(app)
        assert "Search: gan · 4 papers" in screen and "▼ Motivation  (2)" in screen
        for key in ("question_mark", "S", "exclamation_mark", "ctrl+p"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is not app.screen_stack[0], key
            screen_text(app)  # drawn through the filter
            await pilot.press("escape")
            await pilot.pause()


async def test_a_theme_change_repaints_the_paper_pane(isolated_user_dirs: Path, tmp_path: Path):
    """Papers typeset (ahead) in the old theme are never shown in it after a change."""
    from tests.test_places import _library

    app = make_app([_library(tmp_path / "digests")], MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("j")
        await pilot.pause(0.1)  # the papers beside the cursor are typeset ahead
        dark = app.detail.rich_style.bgcolor.triplet.hex
        app.theme = "textual-light"
        await pilot.pause(0.2)
        for _ in range(3):
            await pilot.press("j")
            await pilot.pause(0.2)
            assert f'fill="{dark}"' not in app.export_screenshot()
