"""The command line of subscriptions: `subscribe`, `unsubscribe`, `sources` and `update`
(digest_tui.sources does the work; digest_tui.cli hands these commands here)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from digest_tui.cli import EXIT_OK, EXIT_PROBLEMS, UsageError, say
from digest_tui.config import load_settings, location
from digest_tui.config_edit import add_source, remove_source
from digest_tui.github import Progress, Report, update_all
from digest_tui.sources import REPO, Source, days_here, last_update
from digest_tui.text import printable


def parser(command: str) -> argparse.ArgumentParser:
    if command == "subscribe":
        found = argparse.ArgumentParser(
            prog="digest-tui subscribe",
            description="Subscribe to a daily-arXiv-ai-enhanced pipeline's GitHub data branch "
            "(the upstream dw-dengwei/daily-arXiv-ai-enhanced, or any fork): its days are "
            "downloaded by `digest-tui update`, and by the reader as it starts.",
        )
        found.add_argument("repo", metavar="OWNER/REPO")
        found.add_argument("--branch", default="data", help="default: data")
        found.add_argument("--folder", default="data", help="where the days are (default: data)")
        found.add_argument(
            "--language",
            default="",
            metavar="NAME",
            help="of DAY_AI_enhanced_NAME.jsonl, e.g. Chinese (default: the first by name)",
        )
        return found
    if command == "unsubscribe":
        found = argparse.ArgumentParser(
            prog="digest-tui unsubscribe",
            description="Stop following a source (the days downloaded stay in its folder).",
        )
        found.add_argument("name", metavar="OWNER/REPO")
        return found
    if command == "sources":
        return argparse.ArgumentParser(
            prog="digest-tui sources",
            description="List the sources: their days, last update and folder.",
        )
    found = argparse.ArgumentParser(
        prog="digest-tui update",
        description="Bring the sources up to date: the new and rewritten days of each are "
        "downloaded and checked. Exit 0 when all went well, 1 when something failed (the rest "
        "is kept), 2 for a source that is not subscribed.",
    )
    found.add_argument("names", nargs="*", metavar="OWNER/REPO", help="default: every source")
    return found


def run(command: str, argv: Sequence[str]) -> int:
    args = parser(command).parse_args(argv)
    settings, problems = load_settings()
    for problem in problems:
        say(problem, file=sys.stderr)
    known = {source.name: source for source in settings.sources}
    named = {name.casefold(): source for name, source in known.items()}  # GitHub's names
    if command == "subscribe":
        return _subscribe(args, named)
    if command == "unsubscribe":
        if args.name.casefold() not in named:
            raise UsageError(f"{args.name}: not a source (see digest-tui sources)")
        source = named[args.name.casefold()]
        if (problem := remove_source(source.repo)) is not None:
            raise UsageError(problem)
        say(f"Unsubscribed from {source.name}; its days stay in {source.path}")
        return EXIT_OK
    if command == "sources":
        if not known:
            say("No sources: digest-tui subscribe OWNER/REPO adds one.")
        for source in known.values():
            days = days_here(source)
            span = f"{len(days)} days ({days[-1]} to {days[0]})" if days else "no days yet"
            updated = last_update(source) or "never"
            say(f"{source.name}  {source.branch}:{source.folder}/  {span}")
            language = f", {source.language}" if source.language else ""
            say(f"  last update: {updated}{language}; in {source.path}")
        return EXIT_OK
    unknown = [name for name in args.names if name.casefold() not in named]
    if unknown:
        raise UsageError(f"{unknown[0]}: not a source (see digest-tui sources)")
    chosen = [named[name.casefold()] for name in args.names] or list(known.values())
    if not chosen:
        say("No sources to update: digest-tui subscribe OWNER/REPO adds one.")
        return EXIT_OK
    reports = _update(chosen)
    for report in reports:
        say(report.line())
        for line in report.failed:
            say(f"  {line}", file=sys.stderr)
    return EXIT_OK if all(report.ok for report in reports) else EXIT_PROBLEMS


def _subscribe(args: argparse.Namespace, named: dict[str, Source]) -> int:
    repo = args.repo.strip().removeprefix("https://github.com/").strip("/")
    if REPO.fullmatch(repo) is None:
        raise UsageError(f"{args.repo!r}: not a GitHub repository as OWNER/REPO")
    same = named.get(repo.casefold())
    if same is not None:
        say(f"Already subscribed to {same.name} ({location('sources')})")
        return EXIT_OK
    folder = args.folder.strip().strip("/")
    if ".." in folder.split("/") or "\\" in folder or folder.startswith("~"):
        raise UsageError(f"--folder {args.folder!r}: a folder of the branch, like data")
    source = Source(repo, args.branch.strip(), folder, args.language.strip())
    try:
        source.path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot make {source.path}: {error.strerror or error}") from None
    if (problem := add_source(source)) is not None:
        raise UsageError(problem)
    say(f"Subscribed to {repo} ({source.branch}:{source.folder}/); its days go to {source.path}")
    say("digest-tui update fetches them now; the reader does as it starts.")
    return EXIT_OK


def _update(sources: list[Source]) -> list[Report]:
    """Every source updated, with a progress bar each on a terminal."""
    if not sys.stderr.isatty():
        return update_all(sources)
    from rich.progress import Progress as Bars

    with Bars(transient=True) as bars:

        def progress(source: Source) -> Progress:
            task = bars.add_task(printable(source.name), total=None)

            def advanced(done: int, total: int) -> None:
                bars.update(task, completed=done, total=total)

            return advanced

        return update_all(sources, progress)
