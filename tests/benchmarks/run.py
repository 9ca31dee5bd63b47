"""Speed figures as a person gets them, each beside its baseline measured in the same run.

    python -m tests.benchmarks          (or: pytest -m benchmark -s)

The reader runs as a whole process in a real pseudo-terminal (terminal.py), beside a bare
Textual app (bare.py) run the same way: keys are timed from the write to the last byte of the
update they cause, first paint from the process's start (interpreter and imports included) to
the last byte of the paint that shows the first paper, memory is the reader's own VmHWM. The
bare app is started in turn with each start of the reader, and its keys are pressed again
beside each corpus's: this machine's speed moves from minute to minute.
Makes a deterministic synthetic year (365 days, 100,000 papers, a third of the days in
variants only the line scanner reads) in a temporary folder, uses the real half-year archive
from ../shared when it is there, and prints one table for each.
"""

from __future__ import annotations

import compileall
import json
import math
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from digest_tui.ui.widgets.search_bar import DEBOUNCE_SECONDS, PLACEHOLDER
from tests.benchmarks import ranking
from tests.benchmarks.synthetic import TEMPLATE, Archive, make_archive, reading_paths
from tests.benchmarks.terminal import QUIET, Terminal, Update

ROOT = Path(__file__).resolve().parents[2]
ARCHIVE = ROOT.parent / "shared" / "corpus" / "archive-2025-12_2026-05.tar.xz"
BARE = Path(__file__).with_name("bare.py")
BARE_FIRST_ROW = "row 0"
PAINTS = 5  # launches of the seeds, and of the bare app, for the first paint
PRESSES = 60  # of `j`, the key with a target (its p95: the third slowest)
OTHER_PRESSES = 30  # of k, n and s
QUERIES = ("gra", "pol", "ben", "rob", "dif", "tra", "lan", "eff", "net", "fra")  # typed after /
J_TARGET_MS = 20.0
PAINT_TARGET = 1.5  # times the bare app's


def read_and_split(folder: Path) -> float:
    """The floor: read every file and split it into lines, nothing else."""
    start = time.perf_counter()
    for path in sorted(folder.rglob("*.md")):
        path.read_text(encoding="utf-8").splitlines()
    return time.perf_counter() - start


SEARCHES = (
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
    (the index built or read from the cache), and a search per query of SEARCHES over all
    papers. (The reader's own memory is measured in the terminal: see `read_in_terminal`.)"""
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
        "print(json.dumps({'seconds': listed, 'searchable': searchable, 'searches': searches,"
        " 'papers': len(library.papers), 'problems': len(library.problems)}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(folder), json.dumps(SEARCHES)],
        env={**os.environ, "DIGEST_TUI_CACHE": str(cache)},
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout)


def corpus_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*.md"))


# -- the reader and the bare app in a terminal ---------------------------------------------


def reader_command() -> list[str]:
    """`digest-tui` as a person starts it: the installed command, else the module."""
    command = shutil.which("digest-tui", path=str(Path(sys.executable).parent))
    return [command] if command else [sys.executable, "-m", "digest_tui"]


def _reader(paths: Sequence[Path], env: dict[str, str]) -> Terminal:
    return Terminal([*reader_command(), *map(str, paths)], env)


def _bare() -> Terminal:
    return Terminal([sys.executable, str(BARE)], {})


@dataclass(frozen=True)
class Corpus:
    """What the reader is opened on, and what it shows when it is."""

    name: str
    paths: list[Path]
    first_title: str  # the start of the first paper's title in the list it opens on
    loaded: str  # the title bar once every day is read: "All days (365 days)"
    ids: list[str]  # every paper's id (to mark most of them read)


def corpus(name: str, paths: list[Path], ids: Sequence[str] = ()) -> Corpus:
    """Read as the reader reads it: the newest day first (its first paper is the first one on
    screen), then the rest (unless the papers' `ids` are known)."""
    from digest_tui.library import LibraryLoad, discover, plan
    from digest_tui.lists import ALL, ALL_DAYS, papers_for
    from digest_tui.state import MarkStore
    from digest_tui.words import plural

    loading = LibraryLoad(plan(discover(paths)), cached=False)
    loading.read(loading.days[0])
    first = papers_for(loading.library(), ALL, MarkStore(None), ALL_DAYS)[0].title
    if not ids:
        for entry in loading.days[1:]:
            loading.read(entry)
        ids = [paper.id for paper in loading.library().papers]
    loaded = f"All days ({plural(len(loading.days), 'day')})"
    return Corpus(name, paths, _title_start(first), loaded, list(dict.fromkeys(ids)))


def _title_start(title: str) -> str:
    """The first words of a title, as they are drawn (before any math or markup)."""
    shown = ""
    for char in title[:20]:
        if not (char.isalnum() or char in " :,.-'"):
            break
        shown += char
    return shown.strip() if len(shown.strip()) >= 6 else title[:6]


def mark_most_read(state: Path, ids: Sequence[str]) -> None:
    """A reader's state: four papers in five read, so that `n` has unread papers to skip to."""
    from digest_tui.state import MarkStore

    store = MarkStore(state)
    store.set_read_many([i for n, i in enumerate(ids) if n % 5 != 0], True)
    store.close()


@dataclass
class Session:
    """What one run of the reader in a terminal measured."""

    loaded: float = 0.0  # seconds: start to the last byte of the paint with every day
    keys: dict[str, list[Update]] = field(default_factory=dict)
    late: dict[str, int] = field(default_factory=dict)  # bytes after an update went quiet
    peak_shown: int = 0  # VmHWM once loaded and `j` pressed, every thread done
    peak_end: int = 0  # VmHWM after every key (searches included)
    blinks: int = 0  # cursor blinks left out of the letters' updates


def press_all(terminal: Terminal, name: str, session: Session, times: int) -> None:
    late = terminal.late
    updates = session.keys.setdefault(name, [])
    for _ in range(times):
        updates.append(terminal.press(name.encode()))
    session.late[name] = session.late.get(name, 0) + terminal.late - late


def type_queries(terminal: Terminal, session: Session, queries: Sequence[str]) -> None:
    """`/`, then a query typed letter by letter, each letter timed until the list shows its
    results (the search runs a moment after the last key: SearchBar.DEBOUNCE_SECONDS), then
    escape. The search field's cursor blinks (half a second after a key): a redraw of the
    field alone, after the results, is a blink, not part of the letter's update; `/` and
    escape are read until what they draw has come, not a blink (an escape followed at once by
    `/` would be read as alt+/)."""
    name = "/ typing"
    late, ignored = terminal.late, terminal.ignored
    updates = session.keys.setdefault(name, [])
    for query in queries:
        terminal.press(b"/", until=PLACEHOLDER[:20])
        for n in range(1, len(query) + 1):
            typed = query[:n]
            updates.append(
                terminal.press(
                    typed[-1].encode(),
                    until=f"Search: {typed}",
                    ignore=lambda text, typed=typed: _FIELD.sub("", text) == typed,
                )
            )
        terminal.press(b"\x1b", until="All days · All · ")
    session.late[name] = terminal.late - late
    session.blinks = terminal.ignored - ignored


_FIELD = re.compile(r"[\s╭─╮│╰╯▁▔▏▕]")  # the search field's border and padding


def read_in_terminal(
    source: Corpus, env: dict[str, str], keys: Sequence[str], queries: Sequence[str] = ()
) -> Session:
    """The reader opened on `source`: its first paint, every day listed, then each key in
    `keys` pressed many times (once every thread is done), and its memory."""
    session = Session()
    with _reader(source.paths, env) as terminal:
        terminal.painted(source.first_title)
        session.loaded = terminal.painted(source.loaded)
        terminal.settle()
        press_all(terminal, "j", session, PRESSES if "j" in keys else 5)
        terminal.settle()
        session.peak_shown = terminal.status("VmHWM")
        if "n" in keys:
            press_all(terminal, "n", session, OTHER_PRESSES)
        if "s" in keys:
            press_all(terminal, "s", session, OTHER_PRESSES)
        if "k" in keys:
            # Up from the last paper: over papers not shown yet, as j and n went (back over
            # the papers j has just shown, the paper pane would draw them from its cache).
            terminal.press(b"G")
            press_all(terminal, "k", session, OTHER_PRESSES)
        if queries:
            type_queries(terminal, session, queries)
        terminal.settle()
        session.peak_end = terminal.status("VmHWM")
    if "j" not in keys:
        del session.keys["j"]
    return session


def ranking_in_terminal(
    source: Corpus, env: dict[str, str], cache: Path
) -> tuple[list[Update], list[Update], float | None, bool]:
    """The reader opened with its digests cached but not its ranking index: `j` while the
    index is built, and after (see ranking.keys_while_ranking)."""
    for kept in cache.glob("*.ranking"):
        kept.unlink()
    with _reader(source.paths, env) as terminal:
        terminal.painted(source.loaded)
        return ranking.keys_while_ranking(terminal, lambda: terminal.press(b"j"), PRESSES, cache)


def ranking_rows(
    keys: tuple[list[Update], list[Update], float | None, bool], figures: dict, size: int
) -> list[Row]:
    during, after, built, all_during = keys
    high_after = p95([u.seconds * 1000 for u in after])
    memory = figures["memory"]
    rows: list[Row] = []
    if built is None or not during:
        rows.append(("ranking index built cold", "before a key could be pressed", "—", "—", "—"))
    else:
        high = p95([u.seconds * 1000 for u in during])
        note = "" if all_during else " (the build ended before the last key)"
        rows += [
            ("ranking index built cold (its own process)", f"{built:.1f} s", "—", "—", "—"),
            (
                f"key j p95 while it builds ({len(during)}×) / after",
                f"{high:.1f} ms{note}",
                f"{high_after:.1f} ms (after)",
                f"{high / high_after:.2f}×",
                _verdict(high <= high_after * 1.25, "≤ 1.25× after: unchanged, within noise"),
            ),
        ]
    rows += [
        (
            "ranking index, warm (from the cache)",
            f"{figures['warm']:.3f} s",
            "—",
            "—",
            _verdict(figures["warm"] <= ranking.WARM_S, f"≤ {ranking.WARM_S} s"),
        ),
        (
            "memory of the ranking index (RSS growth)",
            f"{memory / 1e6:,.1f} MB",
            f"{size / 1e6:,.1f} MB (corpus)",
            f"{memory / size:.2f}×",
            _verdict(memory <= size * ranking.MEMORY_RATIO, f"≤ {ranking.MEMORY_RATIO}×"),
        ),
    ]
    targets = {
        "for you, a day": ranking.FOR_YOU_DAY_MS,
        "for you, all days": ranking.FOR_YOU_ALL_MS,
        "like:ID, all days": ranking.LIKE_ALL_MS,
        "diffusion sort:relevance, all days": None,
    }
    for name, target in targets.items():
        ms, found = figures[name]
        verdict = "—" if target is None else _verdict(ms <= target, f"≤ {target} ms")
        rows.append(
            (
                f"{name} (median of {ranking.RANKED_TIMES})",
                f"{ms:.1f} ms, {found:,} papers",
                "—",
                "—",
                verdict,
            )
        )
    return rows


@dataclass
class Bare:
    """The bare app's figures: `j` pressed, its memory then."""

    j: list[Update]
    peak: int


@dataclass
class Paints:
    """First paints of the reader and of the bare app, started in turn (so that both meet the
    same moment of a machine whose speed moves from minute to minute)."""

    reader: list[float]
    bare: list[float]

    def row(self, name: str) -> Row:
        return seconds_row(
            f"{name} (median of {len(self.reader)})",
            statistics.median(self.reader),
            statistics.median(self.bare),
            "bare app, in turn",
            PAINT_TARGET,
        )


def first_paints(source: Corpus, env: Callable[[int], dict[str, str]]) -> Paints:
    """Whole processes started in a terminal, the reader (in `env(n)`, the nth start) and the
    bare app in turn: seconds to the last byte of the paint that shows the first paper (the
    first row)."""
    paints = Paints([], [])
    for n in range(PAINTS):
        with _bare() as terminal:
            paints.bare.append(terminal.painted(BARE_FIRST_ROW))
        with _reader(source.paths, env(n)) as terminal:
            paints.reader.append(terminal.painted(source.first_title))
    return paints


def bare_keys() -> tuple[list[Update], int]:
    with _bare() as terminal:
        terminal.painted(BARE_FIRST_ROW)
        terminal.settle()
        updates = [terminal.press(b"j") for _ in range(PRESSES)]
        terminal.settle()
        return updates, terminal.status("VmHWM")


# -- the star toggle, on the disk of the state file -----------------------------------------


def filesystem(folder: Path) -> str:
    """The file system a folder is on, as /proc/mounts has it: "ext4 on / (/dev/vda)"."""
    real = os.path.realpath(folder)
    best: tuple[str, str, str] | None = None
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return "unknown file system"
    for line in mounts:
        device, mount, kind, *_ = line.split()
        mount = mount.replace("\\040", " ")
        inside = real == mount or real.startswith(mount.rstrip("/") + "/")
        if inside and (best is None or len(mount) >= len(best[1])):
            best = (device, mount, kind)
    if best is None:
        return "unknown file system"
    return f"{best[2]} on {best[1]} ({best[0]})"


def toggle_figures(folder: Path, marks: int = 50_000, toggles: int = 300) -> dict[str, float]:
    """A star toggle committed to a state file that already holds many marks."""
    from digest_tui.state import MarkStore

    store = MarkStore(folder / "toggles.sqlite3")
    store.set_read_many([f"2501.{n:05d}" for n in range(marks)], True)
    times = []
    for n in range(toggles):
        before = time.perf_counter()
        store.toggle_star(f"2501.{n:05d}")
        times.append((time.perf_counter() - before) * 1000)
    store.close()
    return {"median": statistics.median(times), "p95": p95(times)}


# -- the table --------------------------------------------------------------------------------


def p95(values: Sequence[float]) -> float:
    """The 95th percentile, nearest rank: 95 in 100 values are at most this."""
    ordered = sorted(values)
    return ordered[max(math.ceil(len(ordered) * 0.95) - 1, 0)]


Row = tuple[str, str, str, str, str]
HEADER: Row = ("figure", "measured", "baseline", "ratio", "target")


def _verdict(met: bool, target: str) -> str:
    return f"{'met' if met else 'MISSED'} ({target})"


def _row(
    name: str, value: float, unit: str, baseline: float | None, base_name: str, target: float | None
) -> Row:
    """A figure in any unit, with its baseline and a target ratio (or value, without one)."""
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
        verdict = _verdict(
            (ratio if ratio is not None else value) <= target,
            f"≤ {target}×" if ratio is not None else f"≤ {target} {unit}",
        )
    return name, measured, base, shown_ratio, verdict


def seconds_row(
    name: str, value: float, baseline: float, base_name: str, target: float | None
) -> Row:
    ratio = value / baseline
    verdict = "—" if target is None else _verdict(ratio <= target, f"≤ {target}×")
    return name, f"{value:,.3f} s", f"{baseline:,.3f} s ({base_name})", f"{ratio:.2f}×", verdict


def key_rows(name: str, updates: list[Update], bare: list[Update], note: str) -> list[Row]:
    """Median and p95 of a key's full updates, with the bytes of an update, beside bare j."""
    ms = [u.seconds * 1000 for u in updates]
    base = [u.seconds * 1000 for u in bare]
    size = statistics.median(u.size for u in updates) / 1000
    base_size = statistics.median(u.size for u in bare) / 1000
    median, base_median = statistics.median(ms), statistics.median(base)
    high, base_high = p95(ms), p95(base)
    return [
        (
            f"key {name}, median ({len(ms)}×)",
            f"{median:.1f} ms, {size:.1f} kB{note}",
            f"{base_median:.1f} ms, {base_size:.1f} kB (bare j)",
            f"{median / base_median:.2f}×",
            "—",
        ),
        (
            f"key {name}, p95",
            f"{high:.1f} ms",
            f"{base_high:.1f} ms (bare j)",
            f"{high / base_high:.2f}×",
            "—",
        ),
    ]


def key_section(session: Session, bare: list[Update], target: bool) -> list[Row]:
    rows: list[Row] = []
    for name in ("j", "k", "n", "s", "/ typing"):
        if name not in session.keys:
            continue
        late = session.late.get(name, 0)
        note = f", {late:,} B came late" if late else ""
        if name == "/ typing" and session.blinks:
            note += f", {session.blinks} cursor blinks left out"
        rows += key_rows(name, session.keys[name], bare, note)
    if target and "j" in session.keys:
        high = p95([u.seconds * 1000 for u in session.keys["j"]])
        base_high = p95([u.seconds * 1000 for u in bare])
        rows.append(
            (
                "key j, p95 target",
                f"{high:.1f} ms",
                f"{base_high:.1f} ms (bare j)",
                f"{high / base_high:.2f}×",
                _verdict(high <= J_TARGET_MS, f"≤ {J_TARGET_MS:.0f} ms"),
            )
        )
    return rows


def memory_row(name: str, peak: int, size: int) -> Row:
    ratio = peak / size
    return (
        name,
        f"{peak / 1e6:,.1f} MB",
        f"{size / 1e6:,.1f} MB (corpus)",
        f"{ratio:.2f}×",
        _verdict(ratio <= 1.5, "≤ 1.5×"),
    )


def print_table(title: str, rows: list[Row]) -> None:
    widths = [max(len(row[i]) for row in [*rows, HEADER]) for i in range(5)]
    print(f"\n{title}")
    for cells in (HEADER, tuple("-" * w for w in widths), *rows):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |")
    print(flush=True)


# -- the runs -------------------------------------------------------------------------------


def load_rows(folder: Path, name: str, cache: Path) -> tuple[list[Row], int, float]:
    """The loads outside the reader (cold: every file read, the cache written to `cache`;
    warm: from it), and the searches; the corpus's size."""
    floor = read_and_split(folder)
    cold = load_in_child(folder, cache)
    warm = load_in_child(folder, cache)
    size = corpus_bytes(folder)
    print(f"{name}: {cold['papers']:,} papers, {size / 1e6:,.0f} MB, {cold['problems']} problems")
    searches = warm["searches"]
    for text, (ms, found) in searches.items():
        print(f"  search {text!r}: {ms:.1f} ms, {found:,} papers")
    times = sorted(ms for ms, _ in searches.values())
    rows = [
        seconds_row("full load, cold (listed)", cold["seconds"], floor, "read+splitlines", 2.5),
        seconds_row(
            "full load, cold, searchable", cold["searchable"], floor, "read+splitlines", 2.5
        ),
        seconds_row("full load, warm (listed)", warm["seconds"], floor, "read+splitlines", 0.3),
        seconds_row(
            "full load, warm, searchable", warm["searchable"], floor, "read+splitlines", 0.3
        ),
        (
            f"search, all papers ({len(times)} queries)",
            f"{statistics.median(times):.1f} ms median",
            "—",
            "—",
            _verdict(times[-1] <= 100, f"slowest {times[-1]:.1f} ms ≤ 100 ms"),
        ),
    ]
    return rows, size, floor


def check_reading_paths(archive: Archive) -> None:
    """Say (and check) how the synthetic year is read: the template days by the regular
    expression, the variant days by the line scanner; one day of each kind is read here."""
    days = Counter(archive.kinds.values())
    papers: Counter[str] = Counter()
    sample: dict[str, Path] = {}
    for path, kind in archive.kinds.items():
        papers[kind] += archive.papers[path]
        sample.setdefault(kind, path)
    print("synthetic year, how its days are read (one day of each kind read here to check):")
    for kind, path in sample.items():
        fast, scanned, problems = reading_paths(path)
        expected = (archive.papers[path], 0) if kind == TEMPLATE else (0, archive.papers[path])
        assert (fast, scanned) == expected and not problems, (path, fast, scanned, problems)
        way = "template expression" if kind == TEMPLATE else "line scanner"
        print(
            f"  {kind:<15} {days[kind]:>3} days, {papers[kind]:>6,} papers: {way}"
            f" ({path.name}: {fast} by the expression, {scanned} by the scanner)"
        )


class Phases:
    """How long each part of the run took, said as it ends."""

    def __init__(self) -> None:
        self.started = self.last = time.perf_counter()

    def done(self, name: str) -> None:
        now = time.perf_counter()
        print(f"  ({name}: {now - self.last:.0f} s)", flush=True)
        self.last = now


def main(papers: int = 100_000, days: int = 365) -> None:
    from digest_tui.library import bundled_seeds
    from digest_tui.state import default_state_path

    signal.signal(signal.SIGTERM, lambda *_: sys.exit("benchmark: terminated"))  # clean up
    phases = Phases()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores,"
        f" Python {platform.python_version()}, load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    print(
        "keys: from the key written to the terminal to the last byte of the update it causes"
        f" (then {QUIET * 1000:.0f} ms with no byte), nothing subtracted, with the bytes of an"
        " update;\n/ typing: each letter of a 3-letter query after /, until the list shows its"
        f" results (the search bar waits {DEBOUNCE_SECONDS * 1000:.0f} ms after a key);"
        " most papers marked read (n skips them)"
    )
    # The reader as a person installs it: `pip install .` compiles its modules, so they load
    # compiled. A working copy installed for development (`pip install -e`) has no compiled
    # modules while PYTHONDONTWRITEBYTECODE is set (as on this project's machine): each start
    # would compile them, about 60 ms, which no user pays.
    compileall.compile_dir(ROOT / "digest_tui", quiet=1)
    print("the reader's modules compiled first, as `pip install .` does")
    # Where the user's marks are (before anything here names another place): the state files
    # of this run go beside them, on the same disk, in a folder of their own.
    state_folder = default_state_path().parent
    made = [p for p in (state_folder, *state_folder.parents) if not p.exists()]
    state_folder.mkdir(parents=True, exist_ok=True)
    marks = Path(tempfile.mkdtemp(prefix="digest-tui-benchmark-", dir=state_folder))
    where = filesystem(marks)
    print(f"state files of this run: {marks}, {where}")
    # Every reader started here caches into a folder of the run's, with no settings file.
    tmp = tempfile.TemporaryDirectory()
    work = Path(tmp.name)
    os.environ["DIGEST_TUI_CACHE"] = str(work / "cache")
    no_settings = str(work / "no-settings.toml")

    def env(name: str, ids: Sequence[str], cache: Path | None = None) -> dict[str, str]:
        """A reader's environment: its own state file (most papers read), a cache."""
        state = marks / f"{name}.sqlite3"
        if not state.exists():
            mark_most_read(state, ids)
        cached = {"DIGEST_TUI_CACHE": str(cache)} if cache else {}
        return {"DIGEST_TUI_CONFIG": no_settings, "DIGEST_TUI_STATE": str(state), **cached}

    try:
        seeds = corpus("seeds", bundled_seeds())
        paints = first_paints(seeds, lambda _: env("paint", seeds.ids))
        bare = Bare(*bare_keys())
        session = read_in_terminal(seeds, env("seeds", seeds.ids), "jkns", QUERIES)
        print_table(
            f"Seeds: {len(seeds.paths)} digests, {len(seeds.ids)} papers, beside a bare Textual"
            " app (1,000 rows) in the same terminal",
            [
                paints.row("first paint"),
                *key_section(session, bare.j, target=False),
                (
                    "peak RSS, j pressed",
                    f"{session.peak_shown / 1e6:,.1f} MB",
                    f"{bare.peak / 1e6:,.1f} MB (bare app)",
                    f"{session.peak_shown / bare.peak:.2f}×",
                    "—",
                ),
            ],
        )
        phases.done("seeds and the bare app")

        folder = work / "year"
        archive = make_archive(folder, papers=papers, days=days)
        phases.done("synthetic year written")
        check_reading_paths(archive)
        rows, size, floor = load_rows(folder, "synthetic year", work / "year-loads")
        phases.done("loads")
        year = corpus("synthetic year", [folder], archive.ids)
        # The first start reads every file and writes the cache; the second reads the cache.
        cold = read_in_terminal(year, env("year", year.ids, work / "year-cache"), "")
        keys_ranking = ranking_in_terminal(
            year, env("year", year.ids, work / "year-cache"), work / "year-cache"
        )
        phases.done("ranking index built in the reader")
        # The bare app's keys again, beside the reader's: a baseline of minutes before is not.
        year_bare = Bare(*bare_keys())
        warm = read_in_terminal(year, env("year", year.ids, work / "year-cache"), "jkns", QUERIES)
        cold_paints = first_paints(
            year, lambda n: env("year", year.ids, work / f"year-cache-cold-{n}")
        )
        warm_paints = first_paints(year, lambda _: env("year", year.ids, work / "year-cache"))
        toggles = toggle_figures(marks)
        listed = ("read+splitlines", None)
        print_table(
            f"Synthetic year: {days} days, {papers:,} papers",
            [
                cold_paints.row("first paint, cold start"),
                warm_paints.row("first paint, warm start"),
                seconds_row("every day listed, cold start", cold.loaded, floor, *listed),
                seconds_row("every day listed, warm start", warm.loaded, floor, *listed),
                *rows[:4],
                *key_section(warm, year_bare.j, target=True),
                memory_row("peak RSS, cold start, j pressed", cold.peak_shown, size),
                memory_row("peak RSS, warm start, j pressed", warm.peak_shown, size),
                memory_row("peak RSS, warm, after every key", warm.peak_end, size),
                rows[4],
                (
                    f"star toggle, persisted ({where.split(' (')[0]})",
                    f"{toggles['median']:.2f} ms median",
                    "—",
                    "—",
                    _verdict(toggles["p95"] <= 5, f"p95 {toggles['p95']:.2f} ms ≤ 5 ms"),
                ),
            ],
        )
        phases.done("synthetic year in the terminal")
        print_table(
            f"Ranking (For you, like:, sort:), synthetic year: {papers:,} papers, 30 starred",
            ranking_rows(keys_ranking, ranking.ranked_searches(folder, work / "year-cache"), size),
        )
        phases.done("ranking")
        shutil.rmtree(folder)

        if ARCHIVE.exists():
            real = work / "real"
            with tarfile.open(ARCHIVE) as tar:
                tar.extractall(real, filter="data")
            rows, size, floor = load_rows(real, "real archive", work / "real-cache")
            archive_corpus = corpus("real archive", [real])
            # Warm: load_rows has written the cache.
            real_env = env("real", archive_corpus.ids, work / "real-cache")
            real_bare = Bare(*bare_keys())
            session = read_in_terminal(archive_corpus, real_env, "j")
            real_paints = first_paints(archive_corpus, lambda _: real_env)
            print_table(
                f"Real half-year archive ({len(list(real.rglob('*.md')))} files)",
                [
                    real_paints.row("first paint, warm start"),
                    seconds_row("every day listed, warm start", session.loaded, floor, *listed),
                    *rows[:4],
                    *key_section(session, real_bare.j, target=True),
                    memory_row("peak RSS, warm start, j pressed", session.peak_shown, size),
                    rows[4],
                ],
            )
            phases.done("real archive")
            earlier = [ARCHIVE.parent / "eras", ARCHIVE.parent / "jsonl-early"]
            quality = ranking.quality_figures([real, *earlier], work)
            print("\nRanking quality on real days (tests/test_ranking_quality.py)")
            for name, measured, target in quality:
                print(f"| {name} | {measured} | {target} |")
            phases.done("ranking quality")
        else:
            print(f"\n(real archive not found at {ARCHIVE}: skipped)")
    finally:
        shutil.rmtree(marks, ignore_errors=True)
        for folder in made:
            shutil.rmtree(folder, ignore_errors=True)
        tmp.cleanup()
    print(
        f"benchmark ran in {time.perf_counter() - phases.started:.0f} s"
        f" (load average {os.getloadavg()[0]:.2f})"
    )


if __name__ == "__main__":
    main()
