"""From paths on disk to one Library: find the digest files, pick one file per day, read them,
and put them together."""

from __future__ import annotations

import codecs
import gc
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from digest_tui import cache
from digest_tui.model import Digest, Library, Problem, Source
from digest_tui.sources import source_folder, sources_dir
from digest_tui.text import printable
from digest_tui.words import plural

if TYPE_CHECKING:  # the search index loads when the library is indexed, after it shows
    from digest_tui.index import DigestText, SearchIndex

DIGEST_SUFFIXES = (".md", ".jsonl")
_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})")
_LANGUAGE = re.compile(r"_AI_enhanced_([^_.]+)\.jsonl$", re.IGNORECASE)
_PACKAGE = Path(__file__).resolve().parent
# The first line of a Markdown export (export.py): the library reads such a file under its own
# name, never as a day (its name may hold a date, and its papers were not in that day's digest).
EXPORT_MARKER = "<!-- digest-tui export"
# Papers read ahead, beyond the newest day, before the reader's screen is made: a small library
# opens whole, and a large one's reading takes little from the making of the screen.
AHEAD_PAPERS = 200
AHEAD_WAIT = 0.2  # seconds the reader waits for them, at most, before it makes its screen


def read_file(path: Path, day: str = "") -> Digest:
    """One digest file read: the parsers load with the first file the cache does not hold."""
    from digest_tui.parse import read_file as parse_file

    return parse_file(path, day)


def bundled_seeds() -> list[Path]:
    """The seed digests shipped in the package (or beside it, in a source checkout)."""
    for folder in (_PACKAGE / "seeds", _PACKAGE.parent / "seeds"):
        if folder.is_dir():
            return sorted(folder.glob("*.md"))
    return []


def discover(paths: Iterable[Path]) -> list[Path]:
    """The digest files named: files as given, folders searched recursively, in name order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.suffix.lower() in DIGEST_SUFFIXES and p.is_file() and p.name != "README.md"
                )
            )
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def day_of(path: Path) -> str:
    """The day a file is for: the `YYYY-MM-DD` in its name, else (or for an export) the name
    itself."""
    match = _DAY.search(path.name)
    if _is_export(path):  # never a day, even if it was renamed to a date
        return f"export {printable(path.stem)}"
    return match.group(1) if match else printable(path.stem)


def _is_export(path: Path) -> bool:
    """A Markdown export of digest-tui's (its first line says so), whatever its name."""
    if path.suffix.lower() != ".md":
        return False
    marker = EXPORT_MARKER.encode()
    try:
        with path.open("rb") as file:
            return file.read(len(marker) + 3).removeprefix(codecs.BOM_UTF8).startswith(marker)
    except OSError:
        return False  # reading it will say what is wrong


def _chosen(paths: list[Path], language: str | None) -> tuple[list[Path], tuple[str, ...], str]:
    """The files to read of one day's (of one source): its summarised JSONL in `language` (or
    the first by name), else every file; the languages its JSONL has; the one taken."""
    # The summarised JSONL first: a raw crawl (DAY.jsonl) has no summary.
    jsonl = sorted(
        (p for p in paths if p.suffix.lower() == ".jsonl"),
        key=lambda p: ("_AI_enhanced_" not in p.name, p.name),
    )
    if not jsonl:
        return paths, (), ""
    languages = tuple(dict.fromkeys(language_of(p) for p in jsonl if language_of(p)))
    chosen = next(
        (p for p in jsonl if language and language_of(p).casefold() == language.casefold()),
        jsonl[0],
    )
    return [chosen], languages, language_of(chosen)


def is_dated(day: str) -> bool:
    """A day named by its date (`YYYY-MM-DD`), not by a file's name."""
    return _DAY.fullmatch(day) is not None


def language_of(path: Path) -> str:
    match = _LANGUAGE.search(path.name)
    return match.group(1) if match else ""


@dataclass(frozen=True, slots=True)
class DayFiles:
    """The files to read for one day, and the summary languages the day has."""

    day: str
    files: tuple[Path, ...]
    languages: tuple[str, ...] = ()
    language: str = ""


def plan(files: Iterable[Path], language: str | None = None) -> list[DayFiles]:
    """One entry per day, newest first (days without a date after, by name). A day with JSONL
    is read from it alone (it carries all categories, the PDF link and the comment); of several
    languages, `language` is taken when the day has it, else the first by name. A day that
    several subscribed sources publish (an upstream and its fork) is read from each of them."""
    sources = sources_dir()
    by_day: dict[str, dict[Path | None, list[Path]]] = {}
    for path in files:
        of_day = by_day.setdefault(day_of(path), {})
        of_day.setdefault(source_folder(path, sources), []).append(path)
    days: list[DayFiles] = []
    for day, groups in by_day.items():
        chosen = [_chosen(paths, language) for paths in groups.values()]
        languages = tuple(dict.fromkeys(name for _, names, _ in chosen for name in names))
        files = tuple(path for paths, _, _ in chosen for path in paths)
        days.append(DayFiles(day, files, languages, next((c[2] for c in chosen if c[2]), "")))
    dated = sorted((d for d in days if is_dated(d.day)), key=lambda d: d.day, reverse=True)
    undated = sorted((d for d in days if not is_dated(d.day)), key=lambda d: d.day)
    return dated + undated


def load_library(
    paths: Iterable[Path], language: str | None = None, *, cached: bool = True
) -> Library:
    """Every day of the digests named; a file that cannot be read is a problem, the rest load."""
    return read_days(plan(discover(paths), language), cached=cached)[1]


def read_days(days: list[DayFiles], *, cached: bool = True) -> tuple[LibraryLoad, Library]:
    """Read the days planned, newest first (what `check`, `export` and tests use; the reader
    reads with the same LibraryLoad in its thread, showing the newest day first)."""
    loading = LibraryLoad(days, cached=cached)
    with gc_paused():
        for entry in loading.days:
            loading.read(entry)
        library = loading.library()
    loading.store()
    return loading, library


Snapshot = tuple[tuple[str, int, int], ...]


def snapshot(files: Iterable[Path]) -> Snapshot:
    """What the digest files are now: a new, changed or removed file changes it."""
    found = []
    for path in files:
        try:
            status = path.stat()
        except OSError:
            continue
        found.append((str(path), status.st_size, status.st_mtime_ns))
    return tuple(found)


def start_reading(paths: Iterable[Path], language: str | None = None, *, more: int = 0) -> Started:
    """What the digest files under `paths` are now, and a load of them with the newest day
    read (what the reader shows first, while it reads the other days), and the days after it
    while fewer than `more` papers are read."""
    files = discover(paths)
    found = snapshot(files)
    loading = LibraryLoad(plan(files, language))
    papers = 0
    with gc_paused():
        for entry in loading.days:
            known = len(loading.digests)
            loading.read(entry)
            papers += sum(len(digest.papers) for digest in loading.digests[known:])
            if papers >= more:
                break
    return found, loading


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a library is built: it makes only live objects, and
    collecting would walk them all again and again (about a tenth of the load time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # what was built lives on: keep later collections from walking it
        if was_enabled:
            gc.enable()


class LibraryLoad:
    """A library read day by day (newest first), so that a reader can show the first days
    while the rest are still being read."""

    def __init__(self, days: list[DayFiles], *, cached: bool = True) -> None:
        self.days = days
        self.cached = cached  # read from, and write to, the cache of what each file lists
        self.fresh: list[cache.Entry] = []  # for the cache: what the files read this time list
        self.texts: dict[Path, DigestText] = {}  # searchable text of the digests read from files
        self._seen: set[str] = set()  # the papers in those texts
        self._stored: set[Path] = set()  # the texts cached already
        self.digests: list[Digest] = []
        self.problems: list[Problem] = []  # the files that could not be read
        self.done = 0  # days read so far

    def read(self, entry: DayFiles) -> None:
        for path in entry.files:
            try:
                digest = cache.load(path, entry.day) if self.cached else None
                if digest is None:
                    from digest_tui.index import digest_text

                    stamp = cache.stamp_of(path)  # (before: see Digest.stamp)
                    digest = replace(read_file(path, entry.day), stamp=stamp)
                    text = digest_text(digest.papers)  # while the bodies are here
                    if self.cached:
                        digest, kept = cache.lighten(digest, entry.day)
                        if kept is not None:
                            self.fresh.append(kept)
                    self._keep_text(digest, text)
                self.digests.append(digest)
            except OSError as error:
                message = f"cannot read: {error.strerror or error}"
                self.problems.append(Problem(Source(path, 0), message))
            except (RecursionError, MemoryError, ValueError) as error:
                # A reader never raises on text; should one fail all the same, the file is a
                # problem line and the rest of the library still loads.
                message = f"cannot read: {type(error).__name__}: {error}"
                self.problems.append(Problem(Source(path, 0), message))
        self.done += 1

    def _keep_text(self, digest: Digest, text: DigestText) -> None:
        """Keep a digest's text without the papers a newer day has (they are searched there).
        The cache needs it whole: a digest with such papers is cached now, not after the
        library is shown, so that the whole text need not be kept until then."""
        searched = text.without(self._seen)
        if searched is not text and self.cached:
            cache.store_text(digest, text)
            self._stored.add(digest.path)
        self._seen.update(searched.ids)
        self.texts[digest.path] = searched

    def store(self) -> None:
        """Cache what the files read this time list (after the library is shown: the reader
        does not wait for it)."""
        for entry in self.fresh:
            cache.store(entry)
        self.fresh.clear()
        if self.cached:
            for digest in self.digests:
                if digest.path in self.texts and digest.path not in self._stored:
                    cache.store_text(digest, self.texts[digest.path])

    def index(self, cancelled: Callable[[], bool] = lambda: False) -> SearchIndex:
        """The search index of what has been read, completed from the cache (or the files).
        It takes the texts made while reading (after `store` has cached them)."""
        known, self.texts = self.texts, {}
        return library_index(self.digests, known, cancelled)

    def library(self) -> Library:
        languages = {
            d.day: (d.languages, d.language) for d in self.days[: self.done] if d.languages
        }
        return Library(self.digests, self.problems, languages)


Started = tuple[Snapshot, LibraryLoad]  # what `start_reading` gives


def read_ahead(
    paths: Iterable[Path], language: str | None = None, then: Callable[[], object] = lambda: None
) -> Future[Started]:
    """`start_reading` in a thread, then `then` (what drawing the first paper loads), so that
    the reader's first frame has the papers (of a small library, all). The reader waits for it
    before it imports Textual: a thread reading beside those imports waits for the interpreter
    (the GIL) after each file it lists or opens, and took a fifth of a second to read what
    takes thirty milliseconds alone. (Its marks are read beside both: SQLite lets go of the
    interpreter once per query, not per file.) A day that takes longer is read on while the
    reader starts."""
    ahead: Future[Started] = Future()

    def read() -> None:
        try:
            started = start_reading(paths, language, more=AHEAD_PAPERS)
            then()
            ahead.set_result(started)
        except BaseException as error:  # for the reader's loading thread, which says it
            ahead.set_exception(error)

    threading.Thread(target=read, name="digest-tui-read-ahead", daemon=True).start()
    return ahead


def library_index(
    digests: Iterable[Digest],
    known: dict[Path, DigestText] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> SearchIndex:
    """A search index of the digests: the texts `known`, the rest from the cache or files."""
    from digest_tui.index import SearchIndex

    index = SearchIndex(digests, known)
    index.fill(_text_of, cancelled)
    return index


def _text_of(digest: Digest) -> DigestText:
    """A cached digest's searchable text: from the cache, else from its file read again (its
    papers' bodies are not kept: reading them through the papers would keep them all)."""
    from digest_tui.index import digest_text

    text = cache.load_text(digest)
    if text is None:
        day = digest.papers[0].day if digest.papers else ""
        try:
            text = digest_text(read_file(digest.path, day).papers)
        except OSError:
            return digest_text(())
        if text.ids == tuple(paper.id for paper in digest.papers):
            cache.store_text(digest, text)
    return text


@dataclass(frozen=True, slots=True)
class SummaryNote:
    """A day's papers whose summaries failed: the digest's content, not a parse failure."""

    day: str
    papers: int
    fields: int

    def __str__(self) -> str:
        papers, fields = plural(self.papers, "paper"), plural(self.fields, "field")
        return f"{self.day}: {papers} with failed summaries ({fields})"


def summary_notes(library: Library) -> list[SummaryNote]:
    notes = []
    for day, papers in library.days.items():
        failed = [paper.failed_summaries for paper in papers if paper.failed_summaries]
        if failed:
            notes.append(SummaryNote(day, len(failed), sum(failed)))
    return notes
