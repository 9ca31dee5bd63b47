"""Speed of digest_tui.wrap next to Rich's own wrapping and to uniseg on the whole text.

python -m tests.benchmarks.wrap          (or: pytest -m benchmark -s -k wrap)
"""

from __future__ import annotations

import io
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.text import Text

from digest_tui import wrap as wrapping
from digest_tui.library import bundled_seeds, load_library
from tests.benchmarks.run import Row, _row, print_table

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "days"
WIDTH = 60


def median_us(call: Callable[[], object], repeat: int = 200) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def once_us(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1e6


def import_ms() -> float:
    code = "import time; t = time.perf_counter(); import uniseg.linebreak; "
    code += "print((time.perf_counter() - t) * 1e3)"
    return float(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
    )


def main() -> None:
    from uniseg.linebreak import line_break_breakables

    console = Console(width=200, file=io.StringIO(), color_system=None)
    seeds = load_library(bundled_seeds()).papers
    summary = min((p.tldr + p.method for p in seeds), key=lambda s: abs(len(s) - 300))
    abstract = max((p.abstract for p in seeds), key=len)
    rows: list[Row] = [_row("import uniseg (at the first wrap)", import_ms(), "ms", None, "", None)]
    for kind, plain in (("summary", summary), ("abstract", abstract)):
        name, text = f"{kind}, {len(plain)} chars", Text(plain)
        wrapping._other_run_breaks.cache_clear()
        cold = once_us(lambda text=text: wrapping.wrap(text, WIDTH))
        warm = median_us(lambda text=text: wrapping.wrap(text, WIDTH))
        rich = median_us(lambda text=text: text.wrap(console, WIDTH))
        whole = once_us(lambda plain=plain: list(line_break_breakables(plain)))
        rows.append(_row(f"wrap {name}, cold cache", cold, "µs", rich, "Rich's wrap", None))
        rows.append(_row(f"wrap {name}", warm, "µs", rich, "Rich's wrap", None))
        rows.append(_row("  uniseg alone on it", whole, "µs", warm, "wrap", None))

    papers = load_library([CORPUS]).papers if CORPUS.exists() else seeds
    fields = [
        Text(getattr(paper, field))
        for paper in papers
        for field in ("tldr", "motivation", "method", "result", "conclusion", "abstract")
    ]
    wrapping._other_run_breaks.cache_clear()
    ours = once_us(lambda: [wrapping.wrap(text, WIDTH) for text in fields]) / 1e3
    rich = once_us(lambda: [text.wrap(console, WIDTH) for text in fields]) / 1e3
    where = "the real corpus" if CORPUS.exists() else "the seeds"
    name = f"every field of {where} ({len(fields):,}), cold cache"
    rows.append(_row(name, ours, "ms", rich, "Rich", None))
    print_table(f"digest_tui.wrap at width {WIDTH}", rows)
    print(f"cached stretches after that: {wrapping._other_run_breaks.cache_info().currsize:,}")


if __name__ == "__main__":
    main()
