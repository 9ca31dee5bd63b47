"""The lists a reader picks from: a day (or all days), then All, Unread, Starred or a section;
with their counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from digest_tui.model import Library, Paper
from digest_tui.state import MarkStore

ALL_DAYS = ""
ALL = "all"
UNREAD = "unread"
STARRED = "starred"
SMART_LISTS: tuple[tuple[str, str], ...] = ((ALL, "All"), (UNREAD, "Unread"), (STARRED, "Starred"))
SECTION_PREFIX = "section:"


def section_key(section: str) -> str:
    return SECTION_PREFIX + section


def scope_papers(library: Library, scope: str) -> Sequence[Paper]:
    """All papers once each (newest day first), or one day's papers in the digest's order."""
    return library.papers if scope == ALL_DAYS else library.days.get(scope, ())


def sections_in(library: Library, scope: str) -> list[str]:
    if scope == ALL_DAYS:
        return list(library.sections)
    return list(dict.fromkeys(paper.section for paper in library.days.get(scope, ())))


def papers_for(library: Library, key: str, marks: MarkStore, scope: str = ALL_DAYS) -> list[Paper]:
    """The papers of one list, in order. A list is a snapshot: it does not reshuffle while
    the reader marks papers in it."""
    papers = scope_papers(library, scope)
    if key == ALL:
        return list(papers)
    if key == UNREAD:
        return [paper for paper in papers if not marks.is_read(paper.id)]
    if key == STARRED:
        return [paper for paper in papers if marks.is_starred(paper.id)]
    section = key.removeprefix(SECTION_PREFIX)
    if scope == ALL_DAYS:
        return list(library.sections.get(section, ()))
    return [paper for paper in papers if paper.section == section]


def next_unread_list(
    library: Library, unread: Counter[tuple[str, str]], day: str, key: str
) -> tuple[str, str] | None:
    """Where `n` goes on from the end of a list (`key` of `day`), as (day, list key): the
    day's next section with unread papers, else the first of an older day (for a section); the
    same list of the next older day with unread papers (for All and Unread; All for any other
    list). `unread`: the unread papers per (day, list key)."""
    days = list(library.days)
    if day not in library.days:
        return None
    older = days[days.index(day) + 1 :]
    if key.startswith(SECTION_PREFIX):
        sections = [section_key(name) for name in sections_in(library, day)]
        later = sections[sections.index(key) + 1 :] if key in sections else []
        for section in later:
            if unread[day, section]:
                return day, section
        for other in older:
            for name in sections_in(library, other):
                if unread[other, section_key(name)]:
                    return other, section_key(name)
        return None
    key = key if key in (ALL, UNREAD) else ALL
    return next(((other, key) for other in older if unread[other, ALL]), None)


@dataclass(slots=True)
class Counts:
    """Unread and total papers per (scope, list), kept up to date by deltas, not recounted."""

    total: Counter[tuple[str, str]]
    unread: Counter[tuple[str, str]]
    starred: Counter[str]

    @classmethod
    def of(cls, library: Library, marks: MarkStore) -> Counts:
        counts = cls(Counter(), Counter(), Counter())
        scopes = [(ALL_DAYS, library.papers), *library.days.items()]
        for scope, papers in scopes:
            for paper in papers:
                mark = marks.get(paper.id)
                for key in (ALL, section_key(paper.section)):
                    counts.total[scope, key] += 1
                    counts.unread[scope, key] += not mark.read
                counts.starred[scope] += mark.starred
            counts.unread[scope, UNREAD] = counts.unread[scope, ALL]
        return counts

    def _occurrences(self, library: Library, paper_id: str) -> list[tuple[str, Paper]]:
        paper = library.by_id.get(paper_id)
        everywhere = [(ALL_DAYS, paper)] if paper else []
        return everywhere + [(p.day, p) for p in library.occurrences.get(paper_id, ())]

    def read_changed(self, library: Library, paper_id: str, read: bool) -> None:
        step = -1 if read else 1
        for scope, paper in self._occurrences(library, paper_id):
            for key in (ALL, UNREAD, section_key(paper.section)):
                self.unread[scope, key] += step

    def star_changed(self, library: Library, paper_id: str, starred: bool) -> None:
        for scope, _ in self._occurrences(library, paper_id):
            self.starred[scope] += 1 if starred else -1

    def label(self, key: str, scope: str = ALL_DAYS) -> str:
        """What a list shows beside its name: `unread/total`, or one number for smart lists."""
        if key == UNREAD:
            return f"{self.unread[scope, UNREAD]:,}"
        if key == STARRED:
            return f"{self.starred[scope]:,}"
        return f"{self.unread[scope, key]:,}/{self.total[scope, key]:,}"


@dataclass(slots=True)
class FoundCounts:
    """Unread and total papers of the lists a search makes (saved searches, keywords), per
    (scope, list): the papers found are kept, so a mark changes the count by a step."""

    found: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    unread: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, scope: str, key: str, ids: frozenset[str], marks: MarkStore) -> None:
        self.found[scope, key] = ids
        self.unread[scope, key] = sum(not marks.is_read(paper_id) for paper_id in ids)

    def read_changed(self, paper_id: str, read: bool) -> list[str]:
        """Count a paper read (or unread again); the lists whose count changed."""
        changed = []
        for (scope, key), ids in self.found.items():
            if paper_id in ids:
                self.unread[scope, key] += -1 if read else 1
                changed.append(key)
        return changed

    def recount(self, marks: MarkStore) -> None:
        for (scope, key), ids in list(self.found.items()):
            self.add(scope, key, ids, marks)

    def clear(self) -> None:
        self.found.clear()
        self.unread.clear()

    def label(self, key: str, scope: str) -> str:
        ids = self.found.get((scope, key))
        return "…" if ids is None else f"{self.unread[scope, key]:,}/{len(ids):,}"
