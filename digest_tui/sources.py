"""Subscriptions: the days a daily-arXiv-ai-enhanced pipeline (the upstream or a fork)
publishes on its GitHub data branch, brought into a folder of the user's, as newsboat brings
feeds. What a source is and where its days are kept is here; bringing them (GitHub, httpx) is
in digest_tui.github.

One request lists the branch (GitHub's git trees API); then each day's one file the reader
would read (the AI-enhanced JSONL in the chosen language, else the Markdown; the raw crawl only
for a day that has nothing else) is downloaded from the raw host, which has no API rate limit.
A day already here with the same git blob sha is not fetched again; a day the pipeline
rewrote is fetched again and replaces it; a day removed upstream stays (marks point at it).
Every download is checked against the sha the tree lists before it is kept, written beside
its place and renamed into it, so a failed, cut short or tampered download never replaces a
good day. Paths from the tree never choose where a file goes: only a day file's name, checked
against the names pipelines write, does.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from digest_tui.places import user_file

if TYPE_CHECKING:
    from digest_tui.model import Library

SOURCES_ENV = "DIGEST_TUI_SOURCES"
REPO = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}", re.ASCII)
# The names pipelines give a day's files: DAY.md, DAY.jsonl (the raw crawl), and
# DAY_AI_enhanced_LANGUAGE.jsonl.
DAY_FILE = re.compile(
    r"(\d{4}-\d{2}-\d{2})(?:_AI_enhanced_([A-Za-z][A-Za-z_-]{0,40}))?\.(md|jsonl)", re.ASCII
)
_UPDATED = ".last-update"  # in a source's folder: when it was last brought up to date


@dataclass(frozen=True, slots=True)
class Source:
    """A pipeline's data branch: `repo` is OWNER/REPO, its name too."""

    repo: str
    branch: str = "data"
    folder: str = "data"
    language: str = ""  # of the AI-enhanced JSONL to take ("" for the first by name)

    @property
    def name(self) -> str:
        return self.repo

    @property
    def path(self) -> Path:
        """The folder its days are kept in."""
        return sources_dir() / self.repo.replace("/", "__")


def sources_dir() -> Path:
    return user_file(SOURCES_ENV, platformdirs.user_data_dir, "sources")


def stamp_update(folder: Path) -> None:
    """Say in a source's folder that it was brought up to date now."""
    with contextlib.suppress(OSError):
        (folder / _UPDATED).write_text(datetime.now().astimezone().isoformat(timespec="seconds"))


def last_update(source: Source) -> str:
    """When the source was last brought up to date with no failure ("" for never)."""
    try:
        return (source.path / _UPDATED).read_text().strip()[:40]
    except OSError:
        return ""


def day_files(folder: Path) -> dict[str, list[Path]]:
    """The day files in a source's folder, by day."""
    found: dict[str, list[Path]] = {}
    try:
        for path in folder.iterdir():
            if match := DAY_FILE.fullmatch(path.name):
                found.setdefault(match[1], []).append(path)
    except OSError:
        pass
    return found


def days_here(source: Source) -> list[str]:
    """The days downloaded, newest first."""
    return sorted(day_files(source.path), reverse=True)


def source_folder(path: Path, sources: Path | None = None) -> Path | None:
    """The folder of the subscribed source a day file is in, None for a file of the user's
    own folders (`sources`: sources_dir(), given when many files are asked about). The paths
    as listed, not resolved: this is asked of every file as the reader starts."""
    folder = path.parent
    return folder if folder.parent == (sources or sources_dir()) else None


def source_of(path: Path) -> str:
    """The source (OWNER/REPO) whose folder is (or holds) `path`, or "" for none."""
    try:
        folder = path.resolve().relative_to(sources_dir().resolve()).parts[0]
    except (ValueError, IndexError, OSError):
        return ""
    return folder.replace("__", "/", 1)


def day_names(library: Library) -> list[tuple[str, str]]:
    """(day, its name in the Days pane): the day, and the owners of the sources it came from
    when the library holds days of several sources (an upstream and forks share a repository's
    name; a date both publish is one day of both)."""
    of_folder: dict[Path, str] = {}  # a folder's source, found once
    sources: dict[str, list[str]] = {}
    for digest in library.digests:
        folder = digest.path.parent
        if folder not in of_folder:
            of_folder[folder] = source_of(folder)
        source = of_folder[folder]
        if not digest.papers or not source:
            continue
        named = sources.setdefault(digest.papers[0].day or digest.path.stem, [])
        if source not in named:
            named.append(source)
    if len({source for named in sources.values() for source in named}) < 2:
        return [(day, day) for day in library.days]
    owners = {day: "+".join(s.partition("/")[0] for s in named) for day, named in sources.items()}
    return [(day, f"{day} {owners.get(day, '')}".rstrip()) for day in library.days]
