"""The reader's data: papers, the digests they come from, and the library of all of them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

# The six summary panes, in reading order: (field name, label shown to the reader).
FIELDS: tuple[tuple[str, str], ...] = (
    ("tldr", "TL;DR"),
    ("motivation", "Motivation"),
    ("method", "Method"),
    ("result", "Result"),
    ("conclusion", "Conclusion"),
    ("abstract", "Abstract"),
)


SUMMARY_FIELDS = ("tldr", "motivation", "method", "result", "conclusion")
MANY_AUTHORS = 20

# What pipelines write when a summary could not be made: shown as "summary unavailable".
_FAILED_SUMMARY = re.compile(
    r"(?:error|n/?a|none|null|-+|\{\w*\}"
    r"|(?:summary|tl;?dr|motivation|method|result|conclusion|abstract)s?\s+"
    r"(?:generation|analysis|extraction)\s+(?:failed|unavailable|error)"
    r"|(?:summary|analysis)\s+(?:failed|unavailable|not available))\.?",
    re.IGNORECASE,
)


def is_failed_summary(text: str) -> bool:
    text = text.strip()
    return not text or _FAILED_SUMMARY.fullmatch(text) is not None


@dataclass(frozen=True, slots=True)
class Source:
    """Where something was read: a file and a 1-based line number."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in a digest that could not be read as expected."""

    source: Source
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass(frozen=True, slots=True)
class Paper:
    id: str  # arXiv id without version (or the link, for a paper not on arXiv): the state key
    title: str
    url: str
    pdf: str
    authors: tuple[str, ...]
    category: str  # main category as the digest states it
    section: str  # the digest section the paper sits in
    tldr: str
    motivation: str
    method: str
    result: str
    conclusion: str
    abstract: str
    source: Source
    categories: tuple[str, ...] = ()  # every category, when the digest lists them
    comment: str = ""
    extras: tuple[tuple[str, str], ...] = ()  # other labelled fields, (label, text), file order
    day: str = ""  # the day of the digest it was read from (YYYY-MM-DD, else the file's name)

    @property
    def first_author(self) -> str:
        if len(self.authors) <= 1:
            return self.authors[0] if self.authors else ""
        if len(self.authors) > MANY_AUTHORS:
            return f"{self.authors[0]} et al. ({len(self.authors):,} authors)"
        return f"{self.authors[0]} et al."

    def is_unavailable(self, name: str) -> bool:
        """A summary field that holds nothing to read: empty, or a pipeline's failure note."""
        return is_failed_summary(getattr(self, name))

    @property
    def failed_summaries(self) -> int:
        return sum(self.is_unavailable(name) for name in SUMMARY_FIELDS)


@dataclass(frozen=True, slots=True)
class Digest:
    """One digest file as read: its papers in order, its table of contents, its problems."""

    path: Path
    papers: tuple[Paper, ...]
    toc: dict[str, int] = field(default_factory=dict)  # section -> total the TOC claims
    problems: tuple[Problem, ...] = ()


class Library:
    """Every paper of the loaded digests, once per arXiv id, grouped by section."""

    __slots__ = ("by_id", "digests", "papers", "problems", "sections")

    def __init__(self, digests: Iterable[Digest], problems: Iterable[Problem] = ()) -> None:
        self.digests: tuple[Digest, ...] = tuple(digests)
        self.by_id: dict[str, Paper] = {}
        self.sections: dict[str, list[Paper]] = {}
        for digest in self.digests:
            for paper in digest.papers:
                if paper.id in self.by_id:
                    continue  # the same paper seen again in another file shares one state
                self.by_id[paper.id] = paper
                self.sections.setdefault(paper.section, []).append(paper)
        self.papers: tuple[Paper, ...] = tuple(self.by_id.values())
        self.problems: tuple[Problem, ...] = (
            *problems,
            *(p for d in self.digests for p in d.problems),
        )
