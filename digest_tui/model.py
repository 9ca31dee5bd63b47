"""The reader's data: papers, the digests they come from, and the library of all of them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass, field, replace
from pathlib import Path

from digest_tui.text import printable

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


_LONGEST_FAILURE = 64  # characters: every failure note the expression knows is shorter


def is_failed_summary(text: str) -> bool:
    if len(text) > _LONGEST_FAILURE:
        text = text.strip()
        if len(text) > _LONGEST_FAILURE:
            return False  # real text: most fields, decided without the expression
    text = text.strip()
    return not text or _FAILED_SUMMARY.fullmatch(text) is not None


@dataclass(frozen=True, slots=True)
class Source:
    """Where something was read: a file and a 1-based line number."""

    path: Path
    line: int

    def __str__(self) -> str:
        """`file:line`, or the file alone for what concerns the whole file (line 0)."""
        return f"{printable(self.path)}:{self.line}" if self.line else printable(self.path)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in a digest that could not be read as expected."""

    source: Source
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass(frozen=True, slots=True)
class Body:
    """What a paper says, beyond what its row in a list shows."""

    tldr: str = ""
    motivation: str = ""
    method: str = ""
    result: str = ""
    conclusion: str = ""
    abstract: str = ""
    comment: str = ""
    extras: tuple[tuple[str, str], ...] = ()  # other labelled fields, (label, text), file order


EMPTY_BODY = Body()
# The extra field of a title written again in the summaries' language, under the paper's heading
# (`> *中文标题*`, as some forks write it): drawn under the title, not as a pane.
TITLE_TRANSLATION = "Title translation"


# Not frozen: a frozen dataclass sets each field through object.__setattr__, which makes opening
# a library of 100,000 papers from the cache half again slower. Nothing changes a paper after
# it is made but the first read of its body (see `body`).
@dataclass(slots=True, eq=True)
class Paper:
    id: str  # arXiv id without version (or the link, for a paper not on arXiv): the state key
    title: str
    url: str
    pdf: str
    authors: tuple[str, ...]
    category: str  # main category as the digest states it
    section: str  # the digest section the paper sits in
    source: Source
    categories: tuple[str, ...] = ()  # every category, when the digest lists them
    day: str = ""  # the day of the digest it was read from (YYYY-MM-DD, else the file's name)
    # The body as read, or a way to read it when it is first needed (a paper from the cache).
    content: Body | Callable[[], Body] = EMPTY_BODY
    failed: int = -1  # failed summary fields, when known without reading the body
    # Where the paper is written in its file's (decoded) text; (0, 0): read the whole file.
    span: tuple[int, int] = (0, 0)

    @property
    def body(self) -> Body:
        content = self.content
        if isinstance(content, Body):
            return content
        body = self.content = content()  # read once; the paper stays the same paper
        return body

    @property
    def has_body(self) -> bool:
        """The body is in memory (reading it costs nothing)."""
        return isinstance(self.content, Body)

    def read_body(self) -> Body:
        """The body, without keeping it (an export of a whole library then does not keep
        every body in memory)."""
        content = self.content
        return content if isinstance(content, Body) else content()

    tldr = property(lambda self: self.body.tldr)
    motivation = property(lambda self: self.body.motivation)
    method = property(lambda self: self.body.method)
    result = property(lambda self: self.body.result)
    conclusion = property(lambda self: self.body.conclusion)
    abstract = property(lambda self: self.body.abstract)
    comment = property(lambda self: self.body.comment)
    extras = property(lambda self: self.body.extras)

    @property
    def title_translation(self) -> str:
        return next((text for label, text in self.extras if label == TITLE_TRANSLATION), "")

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
        """Summary fields the digest has but that hold a failure note (`Error`, `N/A`, …)."""
        if self.failed >= 0:
            return self.failed
        return count_failed(self.body)


def count_failed(body: Body) -> int:
    return sum(
        bool(text.strip()) and is_failed_summary(text)
        for text in (getattr(body, name) for name in SUMMARY_FIELDS)
    )


EARLIER_SUMMARY = "Earlier summary"


def _of_two_sources(first: Paper, again: Paper) -> bool:
    """Whether two listings come from the folders of two subscribed sources (sources.py)."""
    from digest_tui.sources import source_folder

    one, other = source_folder(first.source.path), source_folder(again.source.path)
    return one is not None and other is not None and one != other


def one_listing_each(papers: Iterable[Paper]) -> tuple[list[Paper], list[Problem]]:
    """Each paper once, in the place it is first listed. A digest written by a pipeline that
    ran twice (or more) lists its papers again with other summaries: the last one is shown (it
    is what the pipeline kept), each earlier one is kept beside it as an extra pane, and each
    repeat is a problem line; more than REPEATS_NAMED repeats are one line, at the first."""
    listings: dict[str, list[Paper]] = {}
    repeats: list[tuple[Paper, Paper]] = []  # (the repeat, the paper's first listing)
    for paper in papers:
        seen = listings.setdefault(paper.id, [])
        if seen:
            repeats.append((paper, seen[0]))
        seen.append(paper)
    kept = [seen[0] if len(seen) == 1 else _relisted(seen) for seen in listings.values()]
    return kept, _repeat_problems(repeats)


REPEATS_NAMED = 3


def _repeat_problems(repeats: list[tuple[Paper, Paper]]) -> list[Problem]:
    if len(repeats) > REPEATS_NAMED:  # a pipeline that ran twice: one line says it
        (again, first), last = repeats[0], repeats[-1][0].source.line
        papers = len({paper.id for paper, _ in repeats})
        times = f" ({len(repeats):,} listings)" if papers != len(repeats) else ""
        message = (
            f"{papers:,} papers appear again{times}, to line {last} ({again.id} was first at "
            f"line {first.source.line}); the later summaries are shown"
        )
        return [Problem(again.source, message)]
    return [
        Problem(
            again.source,
            f"paper {again.id} appears again (first at line {first.source.line}); "
            "the later summary is shown",
        )
        for again, first in repeats
    ]


def _relisted(listings: list[Paper]) -> Paper:
    *earlier, last = listings
    body = last.body
    summaries = [_summary(paper.body) for paper in earlier]
    different = [
        text
        for text, paper in zip(summaries, earlier, strict=True)
        if text and any(getattr(paper.body, name) != getattr(body, name) for name in SUMMARY_FIELDS)
    ]
    labels = (
        [EARLIER_SUMMARY]
        if len(different) == 1
        else [f"{EARLIER_SUMMARY} {number}" for number in range(1, len(different) + 1)]
    )
    extras = (*body.extras, *zip(labels, different, strict=True))
    # No span: the body is made of several listings, so it is read back from the whole file.
    return replace(last, content=replace(body, extras=extras), failed=-1, span=(0, 0))


def _summary(body: Body) -> str:
    return "\n\n".join(
        f"**{label}**: {text}"
        for name, label in FIELDS
        if name in SUMMARY_FIELDS and (text := getattr(body, name).strip())
    )


@dataclass(frozen=True, slots=True)
class Digest:
    """One digest file as read: its papers in order, its table of contents, its problems."""

    path: Path
    papers: tuple[Paper, ...]
    toc: dict[str, int] = field(default_factory=dict)  # section -> total the TOC claims
    problems: tuple[Problem, ...] = ()
    # The file's (size, time) taken before it was read: what was read is at least that new, so
    # what is kept of it (the cache, the ranking index) under this stamp is never older than
    # its key. None when not taken.
    stamp: tuple[int, int] | None = None


class Library:
    """Every paper of the loaded digests: by day (newest first), and once per arXiv id overall,
    grouped by section. A paper seen on several days is one paper with one state."""

    __slots__ = (
        "by_id",
        "days",
        "digests",
        "languages",
        "occurrences",
        "papers",
        "problems",
        "sections",
    )

    def __init__(
        self,
        digests: Iterable[Digest],
        problems: Iterable[Problem] = (),
        languages: dict[str, tuple[tuple[str, ...], str]] | None = None,
    ) -> None:
        self.digests: tuple[Digest, ...] = tuple(digests)
        self.by_id: dict[str, Paper] = {}
        self.days: dict[str, list[Paper]] = {}
        self.occurrences: dict[str, list[Paper]] = {}  # the paper as each day lists it
        self.sections: dict[str, list[Paper]] = {}
        # day -> (the summary languages it has, the one shown)
        self.languages: dict[str, tuple[tuple[str, ...], str]] = languages or {}
        found: list[Problem] = list(problems)
        for digest in self.digests:
            found.extend(digest.problems)
            for paper in digest.papers:
                self._add(paper, paper.day or digest.path.stem, found)
        self.papers: tuple[Paper, ...] = tuple(self.by_id.values())
        self.problems: tuple[Problem, ...] = tuple(found)

    def _add(self, paper: Paper, day: str, problems: list[Problem]) -> None:
        if paper.day != day:
            paper = replace(paper, day=day)
        seen = self.occurrences.get(paper.id)
        if seen is None:  # the common case, kept short: a library may hold 100,000 papers
            self.occurrences[paper.id] = [paper]
            self.by_id[paper.id] = paper
            self.sections.setdefault(paper.section, []).append(paper)
            self.days.setdefault(day, []).append(paper)
            return
        first = next((other for other in seen if other.day == day), None)
        if first is not None:
            # Listed by two subscribed sources of the same day (an upstream and its fork): no
            # problem of either digest's. The first is kept.
            if not _of_two_sources(first, paper):
                message = (
                    f"paper {paper.id} appears again on {day} (first at {first.source}); kept once"
                )
                problems.append(Problem(paper.source, message))
            return
        seen.append(paper)
        self.days.setdefault(day, []).append(paper)

    def only(self, ids: Set[str]) -> Library:
        """The same library with only the papers `ids` names (its problems all kept)."""
        digests = (
            Digest(d.path, tuple(p for p in d.papers if p.id in ids), d.toc, stamp=d.stamp)
            for d in self.digests
        )
        library = Library(digests, languages=self.languages)
        library.problems = self.problems
        return library

    def days_of(self, paper_id: str) -> list[str]:
        return [paper.day for paper in self.occurrences.get(paper_id, ())]
