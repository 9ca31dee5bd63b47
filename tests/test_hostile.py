"""Hostile and extreme digests: the reader stays responsive and quits at once, whatever it reads."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from digest_tui.parse import read_file
from digest_tui.state import MarkStore
from digest_tui.ui.app import make_app
from digest_tui.ui.widgets.paper_detail import FIELD_LIMIT
from tests.conftest import ROOT, digest_md, paper_md, workers_done, write
from tests.screen import region_text, squash
from tests.terminal import reader_in_terminal
from tests.test_app import SIZE, started

LINES = 200_000  # a TL;DR of 5 MB: rendered whole, it takes the reader many seconds


def _huge_tldr_digest(folder: Path, day: str, lines: int = LINES, nested: bool = False) -> Path:
    if nested:
        tldr = "\n".join("  " * depth + f"- level {depth}" for depth in range(lines))
    else:
        tldr = "\n".join(f"line {n} of many" for n in range(lines))
    papers = [
        paper_md(1, f"{day[2:4]}{day[5:7]}.00001", "Before"),
        paper_md(2, f"{day[2:4]}{day[5:7]}.00002", "Huge", fields={"TL;DR": tldr}),
        paper_md(3, f"{day[2:4]}{day[5:7]}.00003", "After"),
    ]
    return write(folder / f"{day}.md", digest_md({"cs.CV": papers}))


async def test_a_huge_field_is_drawn_a_screenful_at_a_time_and_m_draws_more(
    isolated_user_dirs: Path, tmp_path: Path
):
    path = _huge_tldr_digest(tmp_path, "2026-01-01")
    app = make_app([path], MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("j")  # to the huge paper: its body is read, then drawn, in threads
        await workers_done(app)
        await pilot.pause()
        shown = region_text(app, app.query_one("#detail"))
        assert squash("▼ TL;DR  (1)") in shown and squash("line 0 of many line 1 of many") in shown
        text = str(app.detail.pane_text("tldr"))
        assert len(text) < FIELD_LIMIT + 100  # a screenful's worth, not five megabytes
        first_cut = int(text.rsplit("… ", 1)[1].split(" more lines")[0].replace(",", ""))
        assert text.endswith(f"… {first_cut:,} more lines not shown: M shows more")
        await pilot.press("tab", "end")  # the paper pane, at the "… not shown" line
        await pilot.pause()
        at = app.detail.scroll_y
        assert at > 100
        for presses in (1, 2):  # more of it, where the reader is: the pane does not jump
            await pilot.press("M")
            await workers_done(app)
            await pilot.pause()
            assert app.detail.scroll_y >= at - 2  # (its "not shown" line, a line shorter)
            text = str(app.detail.pane_text("tldr"))
            assert text.startswith("line 0 of many line 1 of many")
            cut = int(text.rsplit("… ", 1)[1].split(" more lines")[0].replace(",", ""))
            assert 0 < cut < first_cut and first_cut - cut > 500 * presses
        await pilot.press("shift+tab", "j")  # the next paper is drawn whole at once
        await workers_done(app)
        await pilot.pause()
        assert str(app.detail.pane_text("tldr")) == "tldr 2601.00003"


def test_a_deeply_nested_field_renders_only_what_is_shown(tmp_path: Path):
    from digest_tui.ui.emphasis import PLAIN
    from digest_tui.ui.widgets.paper_text import field_text

    path = _huge_tldr_digest(tmp_path, "2026-01-02", lines=3_000, nested=True)  # 9 MB
    paper = read_file(path).papers[1]
    assert len(paper.tldr) > 9_000_000
    styles = (None, None)
    text, until, left = field_text(paper.tldr, "tldr", PLAIN, styles, 0, FIELD_LIMIT)  # type: ignore[arg-type]
    assert len(text.plain) < FIELD_LIMIT and "• level 0" in text.plain
    assert until <= FIELD_LIMIT and left.endswith("more lines")


def _quit_time(args: list[str], tmp_path: Path, wait: bytes) -> float:
    with reader_in_terminal(
        args, DIGEST_TUI_STATE=str(tmp_path / "m.db"), DIGEST_TUI_CACHE=str(tmp_path / "cache")
    ) as terminal:
        terminal.wait_for(wait)
        assert b"7 papers" not in terminal.output  # (the huge days are still being read)
        quit_after = terminal.quit()
    assert terminal.reader.returncode == 0
    return quit_after


def test_q_quits_within_a_second_while_huge_digests_are_read(tmp_path: Path):
    """The newest day is shown at once; a day of 200,000 papers (17 MB) and one with a TL;DR of
    40 MB are still being read when q comes: read whole, they take many seconds, and the
    reading thread looks for a quit only between days. Quitting then takes no longer than
    quitting the seeds: within a second (or, on a machine too busy to quit the seeds in half
    a second, within twice that)."""
    folder = tmp_path / "library"
    write(folder / "2026-02-01.md", digest_md({"cs.CV": [paper_md(1, "2602.00001", "Newest")]}))
    papers = (
        f"### [{n}] [Title {n}](https://arxiv.org/abs/2601.{n:05})\n*A, B*\n\nTL;DR: t{n}\n\n"
        for n in range(200_000)
    )
    write(folder / "2026-01-31.md", "# cs.CV\n\n" + "".join(papers))
    _huge_tldr_digest(folder, "2026-01-30", lines=1_500_000)
    at_rest = _quit_time([str(ROOT / "seeds")], tmp_path, b"HP-GAN")
    reading = _quit_time([str(folder)], tmp_path, b"Newest")
    assert reading < max(1.0, 2 * at_rest), f"q took {reading:.2f} s ({at_rest:.2f} s at rest)"


HOSTILE_NAME = "fork\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eeman.md"


def test_check_prints_a_hostile_file_name_without_its_escapes(tmp_path: Path):
    """A digest's name comes from the disk as it is: `check` must not let it retitle or clear
    the terminal (a table of contents that disagrees makes `check` print the name twice)."""
    paper = paper_md(1, "2401.00001", "A title")
    write(tmp_path / HOSTILE_NAME, digest_md({"cs.CV": [paper]}, totals={"cs.CV": 2}))
    (tmp_path / os.fsdecode(b"bad\xff-name.md")).write_text(digest_md({"cs.CV": [paper]}))
    result = subprocess.run(
        [sys.executable, "-m", "digest_tui", "check", str(tmp_path)],
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    out = result.stdout + result.stderr
    assert result.returncode == 1, out  # the table of contents problem, and no traceback
    assert b"Traceback" not in out
    for escape in (b"\x1b", b"\x07", b"\xc2\x9b", "\u202e".encode()):
        assert escape not in out
    assert b"forkeman: 1 paper (cs.CV 1)" in out
    assert "bad\ufffd-name: 1 paper".encode() in out
    assert b"table of contents says cs.CV has 2 papers, the section has 1" in out


async def test_the_reader_shows_a_hostile_file_name_without_its_escapes(
    isolated_user_dirs: Path, tmp_path: Path
):
    paper = paper_md(1, "2401.00001", "A title")
    path = write(tmp_path / HOSTILE_NAME, digest_md({"cs.CV": [paper]}, totals={"cs.CV": 2}))
    app = make_app([path], MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        assert list(app.library.days) == ["forkeman"]
        assert str(app.library.problems[0]).startswith(str(tmp_path / "forkeman"))
        await pilot.press("exclamation_mark")
        shown = region_text(app, app.screen.query_one("#problems-list"))
        assert squash("forkeman.md:5: table of contents says") in shown


def test_a_line_feed_in_a_file_name_cannot_forge_lines_of_check(tmp_path: Path):
    paper = paper_md(1, "2401.00001", "A title")
    forged = "2026-01-12 x\n2026-01-13: 999 papers (cs.CV 999) [pwn]\n9 days, 0 problems\n.md"
    write(tmp_path / forged, digest_md({"cs.CV": [paper]}))
    result = subprocess.run(
        [sys.executable, "-m", "digest_tui", "check", str(tmp_path)],
        capture_output=True,
        cwd=ROOT,
        text=True,
    )
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and lines[1] == "1 day, 1 file, 1 paper, 0 problems, 0 notes"
    assert lines[0].startswith("2026-01-12: 1 paper (cs.CV 1) [") and "x\\n2026-01-13" in lines[0]


async def test_a_json_line_nested_too_deeply_is_a_problem_and_the_rest_loads(
    isolated_user_dirs: Path, tmp_path: Path
):
    good = '{"id": "2601.00002", "title": "Good line", "categories": ["cs.CV"]}'
    day = write(tmp_path / "2026-01-02_AI_enhanced_English.jsonl", "[" * 100_000 + "\n" + good)
    write(tmp_path / "2026-01-01.md", digest_md({"cs.CV": [paper_md(1, "2601.00001", "Older")]}))
    out = subprocess.run(
        [sys.executable, "-m", "digest_tui", "check", str(tmp_path)],
        capture_output=True,
        cwd=ROOT,
        text=True,
    )
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert f"{day}:1: invalid JSON: nested too deeply" in out.stdout
    assert out.stdout.endswith("2 days, 2 files, 2 papers, 1 problem, 0 notes\n")
    app = make_app([tmp_path], MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        assert [p.title for p in app.library.papers] == ["Good line", "Older"]


def test_a_device_or_a_pipe_is_never_read_forever(tmp_path: Path):
    fifo = tmp_path / "2026-01-01.md"
    os.mkfifo(fifo)
    for path in ("/dev/zero", str(fifo)):
        result = subprocess.run(
            [sys.executable, "-m", "digest_tui", "check", path],
            capture_output=True,
            cwd=ROOT,
            text=True,
            timeout=30,
        )
        assert (result.returncode, result.stderr) == (
            2,
            f"digest-tui: {path}: not a file or folder\n",
        )
    with pytest.raises(OSError, match="not a regular file"):
        read_file(fifo)
