"""Speed figures, each measured in this run next to its baseline.

    python -m tests.benchmarks          (or: pytest -m benchmark -s)

Makes a deterministic synthetic year (365 days, 100,000 papers) in a temporary folder, uses the
real half-year archive from ../shared when it is there, and prints one table.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from tests.benchmarks.synthetic import make_archive
from tests.benchmarks.terminal import key_latency

ROOT = Path(__file__).resolve().parents[2]
ARCHIVE = ROOT.parent / "shared" / "corpus" / "archive-2025-12_2026-05.tar.xz"


def read_and_split(folder: Path) -> float:
    """The floor: read every file and split it into lines, nothing else."""
    start = time.perf_counter()
    for path in sorted(folder.rglob("*.md")):
        path.read_text(encoding="utf-8").splitlines()
    return time.perf_counter() - start


QUERIES = (
    "zebra",  # in no paper: one whole scan
    "diffusion",  # in most papers of the synthetic year
    "transformer graph policy",
    '"graph neural" -benchmark',
    "author:name7 cat:cs.CV is:unread",
    "一",  # in Chinese TL;DRs
    "2501.00042",
)


def load_in_child(folder: Path, cache: Path) -> dict[str, float]:
    """A full load in a fresh process: listed (what the reader shows first), then searchable
    (the index built or read from the cache), a search per query of QUERIES over all papers,
    and the process's peak memory (VmHWM: ru_maxrss would carry over this process's own peak
    through exec)."""
    code = (
        "import json, sys, time\n"
        "from pathlib import Path\n"
        "from digest_tui.library import LibraryLoad, discover, gc_paused, plan\n"
        "from digest_tui.query import parse_query, search\n"
        "from digest_tui.state import MarkStore\n"
        "start = time.perf_counter()\n"
        "loading = LibraryLoad(plan(discover([Path(sys.argv[1])])))\n"
        "with gc_paused():\n"
        "    for entry in loading.days:\n"
        "        loading.read(entry)\n"
        "    library = loading.library()\n"
        "listed = time.perf_counter() - start  # as the reader has it: the cache comes after\n"
        "loading.store()\n"
        "begun = time.perf_counter()\n"
        "index = loading.index()\n"
        "searchable = listed + time.perf_counter() - begun\n"
        "marks, searches = MarkStore(None), {}\n"
        "for text in json.loads(sys.argv[2]):\n"
        "    before = time.perf_counter()\n"
        "    found = search(parse_query(text), library.papers, library, marks, index)\n"
        "    searches[text] = [(time.perf_counter() - before) * 1000, len(found)]\n"
        "status = Path('/proc/self/status').read_text()\n"
        "peak = next(int(line.split()[1]) * 1024 for line in status.splitlines()\n"
        "            if line.startswith('VmHWM'))\n"
        "print(json.dumps({'seconds': listed, 'searchable': searchable, 'searches': searches,"
        " 'papers': len(library.papers), 'peak': peak, 'problems': len(library.problems)}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(folder), json.dumps(QUERIES)],
        env={**os.environ, "DIGEST_TUI_CACHE": str(cache)},
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout)


def corpus_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*.md"))


async def _first_paint(paths: list[Path]) -> float:
    """Seconds from starting the real app (through Textual's Pilot) to its first papers on
    screen: the newest day. (Keys are timed in a real terminal: see terminal.py.)"""
    from digest_tui.state import MarkStore
    from digest_tui.ui.app import make_app
    from digest_tui.ui.widgets.paper_list import PaperList

    start = time.perf_counter()
    app = make_app(paths, MarkStore(None))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.query_one(PaperList).papers, "the reader shows no papers"
        assert app.first_paint_at is not None
        return app.first_paint_at - start


def first_paint(paths: list[Path]) -> float:
    return asyncio.run(_first_paint(paths))


def toggle_figures(folder: Path, marks: int = 50_000, toggles: int = 300) -> dict[str, float]:
    """A star toggle committed to a state file that already holds many marks."""
    from digest_tui.state import MarkStore

    store = MarkStore(folder / "marks.sqlite3")
    store.set_read_many([f"2501.{n:05d}" for n in range(marks)], True)
    times = []
    for n in range(toggles):
        before = time.perf_counter()
        store.toggle_star(f"2501.{n:05d}")
        times.append((time.perf_counter() - before) * 1000)
    store.close()
    times.sort()
    return {"median": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1]}


Row = tuple[str, str, str, str, str]


def _row(
    name: str, value: float, unit: str, baseline: float | None, base_name: str, target: float | None
) -> Row:
    ratio = value / baseline if baseline else None
    measured = f"{value:,.3f} {unit}" if unit == "s" else f"{value:,.1f} {unit}"
    base = (
        f"{baseline:,.3f} s ({base_name})"
        if baseline and unit == "s"
        else (f"{baseline:,.1f} {unit} ({base_name})" if baseline else "—")
    )
    shown_ratio = f"{ratio:.2f}×" if ratio is not None else "—"
    if target is None:
        verdict = "—"
    else:
        verdict = ("met" if (ratio if ratio is not None else value) <= target else "MISSED") + (
            f" (≤ {target}×)" if ratio is not None else f" (≤ {target} {unit})"
        )
    return name, measured, base, shown_ratio, verdict


def print_table(title: str, rows: list[Row]) -> None:
    widths = [
        max(len(r[i]) for r in [*rows, ("figure", "measured", "baseline", "ratio", "target")])
        for i in range(5)
    ]
    print(f"\n{title}")
    header = ("figure", "measured", "baseline", "ratio", "target")
    for cells in (header, tuple("-" * w for w in widths), *rows):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |")


def measure(
    folder: Path,
    name: str,
    seeds_paint: float,
    seeds_keys: dict[str, float],
) -> list[Row]:
    floor = read_and_split(folder)
    cache = folder.parent / f"{folder.name}-cache"
    cold = load_in_child(folder, cache)  # reads every file, and writes the cache
    warm = load_in_child(folder, cache)
    size = corpus_bytes(folder)
    print(
        f"{name}: {cold['papers']:,} papers, {size / 1e6:,.0f} MB, {cold['problems']} problems",
        flush=True,
    )
    painted = first_paint([folder])
    keys = key_latency([folder])
    searches = warm["searches"]
    for text, (ms, found) in searches.items():
        print(f"  search {text!r}: {ms:.1f} ms, {found:,} papers")
    times = sorted(ms for ms, _ in searches.values())
    return [
        _row("full load, cold (listed)", cold["seconds"], "s", floor, "read+splitlines", 2.5),
        _row("full load, cold, searchable", cold["searchable"], "s", floor, "read+splitlines", 2.5),
        _row("full load, warm (listed)", warm["seconds"], "s", floor, "read+splitlines", 0.3),
        _row("full load, warm, searchable", warm["searchable"], "s", floor, "read+splitlines", 0.3),
        _row("first paint", painted, "s", seeds_paint, "seeds", 1.5),
        _row(
            "key j in a terminal, median", keys["median"], "ms", seeds_keys["median"], "seeds", None
        ),
        _row("key j in a terminal, p95", keys["p95"], "ms", seeds_keys["p95"], "seeds", None),
        (
            "key j, p95 target",
            f"{keys['p95']:.1f} ms",
            "—",
            "—",
            "met (≤ 50 ms)" if keys["p95"] <= 50 else "MISSED (≤ 50 ms)",
        ),
        _row("peak RSS", max(cold["peak"], warm["peak"]) / 1e6, "MB", size / 1e6, "corpus MB", 1.5),
        (
            f"search, all papers ({len(times)} queries)",
            f"{statistics.median(times):.1f} ms median",
            "—",
            "—",
            ("met" if times[-1] <= 100 else "MISSED") + f" (slowest {times[-1]:.1f} ms ≤ 100 ms)",
        ),
    ]


def main(papers: int = 100_000, days: int = 365) -> None:
    from digest_tui.library import bundled_seeds

    started = time.perf_counter()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        flush=True,
    )
    # Every reader started here, in this process or another, caches into a folder of the run's.
    cache = tempfile.TemporaryDirectory()
    os.environ["DIGEST_TUI_CACHE"] = cache.name
    seeds = bundled_seeds()
    seeds_paint = first_paint(seeds)
    seeds_keys = key_latency(seeds)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "year"
        make_archive(folder, papers=papers, days=days)
        rows = measure(folder, "synthetic year", seeds_paint, seeds_keys)
        toggles = toggle_figures(Path(tmp))
        rows.append(
            (
                "star toggle, persisted",
                f"{toggles['median']:.2f} ms median",
                "—",
                "—",
                ("met" if toggles["p95"] <= 5 else "MISSED")
                + f" (p95 {toggles['p95']:.2f} ms ≤ 5 ms)",
            )
        )
        print_table(f"Synthetic year: {days} days, {papers:,} papers", rows)
        if ARCHIVE.exists():
            real = Path(tmp) / "real"
            with tarfile.open(ARCHIVE) as tar:
                tar.extractall(real, filter="data")
            print_table(
                "Real half-year archive (153 days)",
                measure(real, "real archive", seeds_paint, seeds_keys),
            )
        else:
            print(f"\n(real archive not found at {ARCHIVE}: skipped)")
    cache.cleanup()
    print(f"\nbenchmark ran in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
