"""Command line: open the reader, check digests, export papers.

The reader's UI is imported only when the reader opens, so `check` and `export` stay fast and
work without a terminal; what only `export` needs (the writers, the query language) is
imported only for it, so the reader opens sooner.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections import Counter
from collections.abc import Sequence
from concurrent import futures
from pathlib import Path
from typing import TextIO

from digest_tui import __version__
from digest_tui.config import Settings, load_settings, location
from digest_tui.library import (
    AHEAD_WAIT,
    bundled_seeds,
    discover,
    library_index,
    load_library,
    plan,
    read_ahead,
    read_days,
    summary_notes,
)
from digest_tui.model import Paper, Problem
from digest_tui.state import (
    STATE_ENV,
    default_state_path,
    open_store,
)
from digest_tui.text import printable
from digest_tui.words import plural

EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE = 0, 1, 2

_EPILOG = """\
commands:
  digest-tui [PATH ...]            open the reader
  digest-tui check PATH ...        report papers per category and every problem
  digest-tui export [PATH ...]     write papers (--query, --starred, --format; see --help)
  digest-tui state export [FILE]   write all read/starred marks as JSON (stdout without FILE)
  digest-tui state import FILE     merge marks from such a file (e.g. from another machine)
  digest-tui state path            print where marks are stored
  digest-tui config path           print where the settings file is
  digest-tui config edit           open it in $EDITOR (made from a commented example if new)
  digest-tui subscribe OWNER/REPO  follow a pipeline's GitHub data branch (--branch, --folder,
                                   --language); unsubscribe OWNER/REPO stops
  digest-tui sources               list them: their days, last update, folder
  digest-tui update [OWNER/REPO …] download their new and rewritten days

PATH is a digest file (.md or .jsonl) or a folder of them, searched recursively. Without PATH,
the library folders and the sources of the settings file are read, else the bundled seeds.
Marks are stored in {state} (override with --state or ${env}).
"""


def say(text: object = "", file: TextIO | None = None) -> None:
    """A line out: file names come from the disk as they are, so even they are made printable
    (a name holding an escape sequence must not retitle or clear the terminal)."""
    print(printable(text), file=file or sys.stdout)


class UsageError(Exception):
    """A path cannot be used: reported as one line, exit 2."""


def state_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--state",
        type=Path,
        metavar="FILE",
        help=f"the marks file (default: ${STATE_ENV} or {default_state_path()})",
    )


def _language_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--language",
        metavar="NAME",
        help="for days with summaries in several languages (DAY_AI_enhanced_NAME.jsonl): "
        "the one to read (default: the first by name)",
    )


def _reader_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digest-tui",
        description="A keyboard-driven terminal reader for AI-summarised daily arXiv digests.",
        epilog=_EPILOG.format(state=default_state_path(), env=STATE_ENV),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="digest files or folders"
    )
    state_option(parser)
    _language_option(parser)
    parser.add_argument("--version", action="version", version=f"digest-tui {__version__}")
    return parser


def _check_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digest-tui check",
        description="Read digests without opening the reader: a line per day with its papers "
        "per category, every problem as FILE:LINE: MESSAGE, notes on failed summaries, and a "
        "total. Exit 0 when clean (notes do not count), 1 with problems, 2 when a path cannot "
        "be read.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="digest files or folders (default: the library the reader opens without PATH)",
    )
    _language_option(parser)
    return parser


def _export_parser() -> argparse.ArgumentParser:
    from digest_tui.export import CSV_COLUMNS, FORMATS
    from digest_tui.query import QUERY_HELP

    parser = argparse.ArgumentParser(
        prog="digest-tui export",
        description="Write papers to standard output (or --output FILE): all of them, or those "
        "a query matches, or the starred ones. jsonl has one object per line with keys id, "
        "title, authors, category, tldr, motivation, method, result, conclusion, abstract, url, "
        "pdf, source; markdown is a digest in the upstream template (digest-tui reads it back); "
        "bibtex has one @misc entry per paper; csv has the columns "
        + ", ".join(CSV_COLUMNS)
        + " (a cell that starts like a spreadsheet formula, with = + - @, gets a ' first); "
        "csv-excel is that CSV with a byte-order mark, so that Excel reads it as UTF-8.",
        epilog=textwrap.fill("query language: " + QUERY_HELP, width=88),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="default: the library folders of the settings, else the seeds",
    )
    parser.add_argument("--format", choices=FORMATS, default="jsonl")
    parser.add_argument("--query", "-q", metavar="QUERY", help="only papers the query matches")
    parser.add_argument("--starred", action="store_true", help="only starred papers")
    parser.add_argument(
        "--limit",
        type=_positive,
        metavar="N",
        help="only the first N papers (of the query's order)",
    )
    parser.add_argument(
        "--marks",
        action="store_true",
        help="jsonl and csv: add each paper's days (every day that lists it), read, starred",
    )
    parser.add_argument("--output", "-o", type=Path, metavar="FILE", help="default: stdout")
    state_option(parser)
    _language_option(parser)
    return parser


def _ranking_notes(query, store) -> list[str]:
    """What a query's order cannot do here, said rather than silently ignored."""
    notes = []
    if query.sort == "foryou" and not store.liked():
        notes.append("sort:foryou: no starred or tagged papers yet, so the papers are as listed")
    if query.sort == "relevance" and not query.words:
        notes.append("sort:relevance: the query has no words, so the papers are as listed")
    return notes


def _query_joined(argv: list[str]) -> list[str]:
    """`-q -survey` as `--query=-survey`: argparse takes a value that starts with `-` for an
    option, and a query may well start with one."""
    joined, skip = [], False
    for n, arg in enumerate(argv):
        if skip:
            skip = False
        elif arg in ("-q", "--query") and n + 1 < len(argv) and argv[n + 1].startswith("-"):
            joined.append(f"--query={argv[n + 1]}")
            skip = True
        else:
            joined.append(arg)
    return joined


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: at least 1")
    return number


def require_readable(paths: Sequence[Path]) -> None:
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        if not os.access(path, os.R_OK):
            raise UsageError(f"{path}: permission denied")
        if not (path.is_dir() or path.is_file()):  # /dev/zero, a pipe: read forever
            raise UsageError(f"{path}: not a file or folder")


def _paths_or_seeds(paths: Sequence[Path], settings: Settings | None = None) -> list[Path]:
    """The paths given; else the library folders of the settings and the folders of its
    sources; else the seeds."""
    require_readable(paths)
    if paths:
        return list(paths)
    folders = [*settings.library, *(s.path for s in settings.sources)] if settings else []
    library = [path for path in folders if path.exists()]
    return library or bundled_seeds()


def run_check(paths: Sequence[Path], language: str | None = None) -> int:
    settings, settings_problems = load_settings()
    for problem in settings_problems:
        say(problem, file=sys.stderr)
    paths = _paths_or_seeds(paths, settings)
    days = plan(discover(paths), language)
    if not days:
        raise UsageError(f"{', '.join(map(str, paths))}: no digest files found")
    loading, library = read_days(days)
    by_file: dict[Path, list[Problem]] = {}
    for problem in library.problems:
        by_file.setdefault(problem.source.path, []).append(problem)
    day_of_file = {path: entry.day for entry in days for path in entry.files}
    for digest in loading.digests:
        per_section = Counter(paper.section for paper in digest.papers)
        sections = ", ".join(f"{name} {count}" for name, count in per_section.items())
        count = plural(len(digest.papers), "paper")
        line = f"{day_of_file[digest.path]}: {count}" + (f" ({sections})" if sections else "")
        say(f"{line} [{digest.path}]")
        for problem in sorted(by_file.pop(digest.path, ()), key=lambda p: p.source.line):
            say(problem)
    for problems in by_file.values():  # the files that could not be read
        for problem in problems:
            say(problem)
    notes = summary_notes(library)
    for note in notes:
        say(f"note: {note}")
    counted = (
        (len(library.days), "day"),
        (len(day_of_file), "file"),
        (len(library.papers), "paper"),
        (len(library.problems), "problem"),
        (len(notes), "note"),
    )
    say(", ".join(plural(count, word) for count, word in counted))
    if loading.problems:
        return EXIT_UNREADABLE
    return EXIT_PROBLEMS if library.problems else EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from digest_tui.export import WRITERS, marks_of
    from digest_tui.query import QueryError, parse_query, search

    try:
        query = parse_query(args.query or "")
    except QueryError as error:
        raise UsageError(f"--query {args.query!r}: {error}") from error
    settings, problems = load_settings()
    library = load_library(_paths_or_seeds(args.paths, settings), args.language)
    for problem in [*problems, *map(str, library.problems)]:
        say(problem, file=sys.stderr)
    papers: list[Paper] = list(library.papers)
    marks = None
    if args.starred or query or args.marks:
        store, notes = open_store(args.state or default_state_path())
        for note in notes:
            say(f"digest-tui: {note}", file=sys.stderr)
        try:
            if args.starred:
                starred = store.starred_ids()
                papers = [paper for paper in papers if paper.id in starred]
            if query:
                index = library_index(library.digests)
                ranking = None
                if query.needs_ranking:
                    from digest_tui.ranking import ranking_of

                    ranking = ranking_of(index)
                    for note in _ranking_notes(query, store):
                        say(f"digest-tui: {note}", file=sys.stderr)
                    unknown = [i for i in query.like if i not in library.by_id]
                    if unknown:
                        raise UsageError(
                            f"--query: like:{unknown[0]}: no such paper in the library"
                        )
                papers = search(query, papers, library, store, index, ranking)
            if args.marks:
                marks = marks_of(library.days_of, store)
        finally:
            store.close()
    if args.limit is not None:
        papers = papers[: args.limit]
    if args.output is None:
        WRITERS[args.format](papers, sys.stdout, marks)
        return EXIT_OK
    try:
        with args.output.open("w", encoding="utf-8", newline="") as out:
            count = WRITERS[args.format](papers, out, marks)
    except OSError as error:
        raise UsageError(f"{args.output}: {error.strerror or error}") from error
    say(f"Wrote {plural(count, 'paper')} to {args.output}", file=sys.stderr)
    return EXIT_OK


def run_reader(args: argparse.Namespace) -> int:
    settings, problems = load_settings()
    if not args.paths:
        for folder in settings.library:
            if not folder.exists():
                problems.append(f"{location('library')}: library: {folder} does not exist")
    paths = _paths_or_seeds(args.paths, settings)
    from digest_tui.render import preload

    ahead = read_ahead(paths, args.language, then=preload)
    # The marks are read in a thread of their own, on while Textual is imported: SQLite lets go
    # of the interpreter as it reads them (a reader of years has a hundred thousand: 30-50 ms).
    with futures.ThreadPoolExecutor(1, thread_name_prefix="digest-tui-marks") as pool:
        opened = pool.submit(open_store, args.state or default_state_path())
        futures.wait([ahead], timeout=AHEAD_WAIT)  # (see read_ahead)
        from digest_tui.ui.app import make_app
        from digest_tui.ui.running import run_app

        store, notes = opened.result()
    try:
        run_app(make_app(paths, store, notes, args.language, settings, problems, ahead))
    finally:
        store.close()
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv[:1] == ["check"]:
            checked = _check_parser().parse_args(argv[1:])
            return run_check(checked.paths, checked.language)
        if argv[:1] == ["export"]:
            return run_export(_export_parser().parse_args(_query_joined(argv[1:])))
        if argv[:1] in (["state"], ["config"]):
            from digest_tui import marks_cli

            if argv[0] == "state":
                return marks_cli.run_state(marks_cli.state_parser().parse_args(argv[1:]))
            return marks_cli.run_config(marks_cli.config_parser().parse_args(argv[1:]))
        if argv[:1] in (["subscribe"], ["unsubscribe"], ["sources"], ["update"]):
            from digest_tui import subscribing

            return subscribing.run(argv[0], argv[1:])
        return run_reader(_reader_parser().parse_args(argv))
    except UsageError as error:
        say(f"digest-tui: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    except BrokenPipeError:
        # `digest-tui export | head`: the reader of our output went away; that is fine.
        sys.stderr.close()
        return EXIT_OK
