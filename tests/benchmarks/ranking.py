"""The ranking's figures (For you, like:, sort:relevance): how fast, in a process of its own
as a reader's search asks them; how much memory its index takes in the reader; how long the
reader takes to build it, and what its keys do meanwhile; how good it is on real days."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.benchmarks.terminal import Terminal, Update

RANKED_TIMES = 5  # each ranked search, its median
FOR_YOU_DAY_MS, FOR_YOU_ALL_MS, LIKE_ALL_MS, WARM_S, MEMORY_RATIO = 50, 300, 200, 0.3, 0.5

_CHILD = """\
import json, statistics, sys, time
from pathlib import Path
from digest_tui.library import library_index, load_library
from digest_tui.query import parse_query, search
from digest_tui.ranking import ranking_of
from digest_tui.state import MarkStore

def rss():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024

library = load_library([Path(sys.argv[1])])
index = library_index(library.digests)
before = rss()
start = time.perf_counter()
ranking = ranking_of(index)  # from the cache
warm = time.perf_counter() - start
ranking.relevance(["diffusion"], list(ranking.ids[:10]))  # its words, made on first use
after = rss()
marks = MarkStore(Path(sys.argv[2]))
for paper in library.papers[:: max(len(library.papers) // 30, 1)][:30]:
    marks.set_starred(paper.id, True)
day = next(iter(library.days))
figures = {"warm": warm, "memory": after - before, "papers": len(library.papers)}
for name, text, papers in [
    ("for you, a day", "is:unread sort:foryou", library.days[day]),
    ("for you, all days", "is:unread sort:foryou", library.papers),
    ("like:ID, all days", f"like:{library.papers[len(library.papers) // 2].id}", library.papers),
    ("diffusion sort:relevance, all days", "diffusion sort:relevance", library.papers),
]:
    times = []
    for _ in range(int(sys.argv[3])):
        begun = time.perf_counter()
        found = search(parse_query(text), papers, library, marks, index, ranking)
        times.append((time.perf_counter() - begun) * 1000)
    figures[name] = [statistics.median(times), len(found)]
print(json.dumps(figures))
"""


def ranked_searches(folder: Path, cache: Path) -> dict[str, object]:
    """The ranking index read from the cache, and the ranked searches, in a fresh process."""
    with tempfile.TemporaryDirectory() as marks:
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, str(folder), f"{marks}/m.sqlite3", str(RANKED_TIMES)],
            env={**os.environ, "DIGEST_TUI_CACHE": str(cache)},
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(out.stdout)


def _builder(parent: int) -> int | None:
    """The process the reader builds its ranking index in, if it is running."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == parent and b"digest_tui.ranking" in command:
            return int(entry.name)
    return None


def keys_while_ranking(
    terminal: Terminal,
    press: Callable[[], Update],
    presses: int,
    cache: Path,
    limit: float = 600.0,
) -> tuple[list[Update], list[Update], float | None, bool]:
    """In a reader whose ranking index is not cached: `j` pressed while the process that
    builds it runs, then once it has ended; the seconds that process ran (seen every twentieth
    of a second; None if it came and went unseen), and whether every key of the first lot came
    while it ran."""
    end = time.monotonic() + limit
    while (builder := _builder(terminal.pid)) is None:
        if any(cache.glob("*.ranking")):  # built already: too small a library to see it
            terminal.settle()
            return [], [press() for _ in range(presses)], None, False
        if time.monotonic() > end:
            raise AssertionError("the reader did not build its ranking index")
        terminal.drain(0.05)
    seen = time.perf_counter()
    during = [press() for _ in range(presses)]
    all_during = Path(f"/proc/{builder}").exists()
    while Path(f"/proc/{builder}").exists() and time.monotonic() < end:
        time.sleep(0.05)
    built = time.perf_counter() - seen
    terminal.settle()
    after = [press() for _ in range(presses)]
    return during, after, built, all_during


def quality_figures(folders: list[Path], work: Path) -> list[tuple[str, str, str]]:
    """The checks of tests/test_ranking_quality.py, measured: (figure, measured, target)."""
    from tests.benchmarks.quality import (
        diffusion_titles,
        game_theory,
        like_category,
        real_library,
        splatting,
    )

    os.environ["DIGEST_TUI_CACHE"] = str(work / "quality-cache")
    real = real_library(folders)
    found, share = game_theory(real, work / "q1.sqlite3")
    about = splatting(real, work / "q2.sqlite3")
    mean, most = like_category(real, work / "q3.sqlite3")
    before, found_before = diffusion_titles(real, work / "q4.sqlite3", "until:2025-11-30")
    after, found_after = diffusion_titles(real, work / "q5.sqlite3", "since:2026-01-01")
    return [
        (
            "30 cs.GT starred: cs.GT in For you's top 20, later days",
            f"{found} (the category: {share:.1%} of those days)",
            "≥ 15",
        ),
        ("20 splatting papers starred: splatting in the top 10, 2025", f"{about}", "≥ 8"),
        (
            "like:ID, top 5 with ID's main category (50 papers)",
            f"{mean:.0%} on average; most of 5 for {most:.0%}",
            "≥ 60%, ≥ 60%",
        ),
        (
            "diffusion sort:relevance: 'diffusion' in the top 10's titles",
            f"{before} (2025, {found_before:,} found), {after} (2026, {found_after:,} found)",
            "10, 10",
        ),
    ]


def median_ms(updates: list[Update]) -> float:
    return statistics.median(u.seconds * 1000 for u in updates)
