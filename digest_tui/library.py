"""From paths on disk to one Library: find the digest files, read each, and put them together."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from digest_tui.model import Digest, Library, Problem, Source
from digest_tui.parse import read_digest

DIGEST_SUFFIXES = (".md",)

_PACKAGE = Path(__file__).resolve().parent


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
                    if p.suffix.lower() in DIGEST_SUFFIXES and p.is_file()
                )
            )
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def load_digests(paths: Iterable[Path]) -> tuple[list[Digest], list[Problem]]:
    """Read every digest file; one that cannot be read is a problem, the rest still load."""
    digests: list[Digest] = []
    problems: list[Problem] = []
    for path in discover(paths):
        try:
            digests.append(read_digest(path))
        except OSError as error:
            problems.append(Problem(Source(path, 0), f"cannot read: {error.strerror or error}"))
    return digests, problems


def load_library(paths: Iterable[Path]) -> Library:
    digests, problems = load_digests(paths)
    return Library(digests, problems)
