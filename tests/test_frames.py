"""A key redraws the screen once: the list's highlight and the paper it lands on arrive in the
same frame, as a person sees them, never the highlight first and the paper a frame later.

Run in a real pseudo-terminal that says it supports synchronized output (DEC mode 2026), as
most terminals do: Textual then wraps each frame it writes in `ESC[?2026h … ESC[?2026l`, so the
frames a key caused can be counted."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import digest_md, paper_md, write
from tests.terminal import reader_in_terminal

SYNC_QUERY, SYNC_YES = b"\x1b[?2026$p", b"\x1b[?2026;2$y"
FRAME_START = b"\x1b[?2026h"


def _day(folder: Path, papers: int) -> Path:
    rows = [
        paper_md(
            row,
            f"2603.{row:05}",
            f"Paper number {row} on vision",
            authors=f"Author{row} Surname{row}",
            fields={"TL;DR": f"Summary sentence {row} of this paper."},
        )
        for row in range(1, papers + 1)
    ]
    return write(folder / "2026-03-10.md", digest_md({"cs.CV": rows}))


def test_a_key_draws_the_highlight_and_the_paper_in_one_frame(tmp_path: Path):
    day = _day(tmp_path / "digests", 60)  # more papers than the list shows: j scrolls it too
    with reader_in_terminal([str(day)], DIGEST_TUI_STATE=str(tmp_path / "m.db")) as terminal:
        terminal.wait_for(SYNC_QUERY)
        os.write(terminal.master, SYNC_YES)  # "synchronized output: supported"
        terminal.wait_for(b"Summary sentence 1 ")
        terminal.settle()
        for row in (2, 3, 4, 40, 41, 42, 43):  # at the top; then where each j scrolls the list
            if row == 40:
                terminal.press(b"j" * 35)  # (to paper 39, not timed or counted)
            update = terminal.press(b"j", quiet=0.25)
            assert update.count(FRAME_START) == 1, f"j onto paper {row}: not one frame"
            assert f"Summary sentence {row} ".encode() in update  # the paper pane, same frame
            assert f"Author{row} Surname{row}".encode() in update
        terminal.quit()
