"""The lists a reader picks from: All, Unread, Starred, then each section; with their counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from digest_tui.model import Library, Paper
from digest_tui.state import MarkStore

ALL = "all"
UNREAD = "unread"
STARRED = "starred"
SMART_LISTS: tuple[tuple[str, str], ...] = ((ALL, "All"), (UNREAD, "Unread"), (STARRED, "Starred"))
SECTION_PREFIX = "section:"


def section_key(section: str) -> str:
    return SECTION_PREFIX + section


def papers_for(library: Library, key: str, marks: MarkStore) -> list[Paper]:
    """The papers of one list, in digest order. A list is a snapshot: it does not reshuffle
    while the reader marks papers in it."""
    if key == ALL:
        return list(library.papers)
    if key == UNREAD:
        return [paper for paper in library.papers if not marks.is_read(paper.id)]
    if key == STARRED:
        return [paper for paper in library.papers if marks.is_starred(paper.id)]
    return list(library.sections.get(key.removeprefix(SECTION_PREFIX), ()))


@dataclass(slots=True)
class Counts:
    """Unread and total papers per list, kept up to date by deltas rather than recounted."""

    total: Counter[str]
    unread: Counter[str]
    starred: int

    @classmethod
    def of(cls, library: Library, marks: MarkStore) -> Counts:
        total: Counter[str] = Counter()
        unread: Counter[str] = Counter()
        starred = 0
        for paper in library.papers:
            key = section_key(paper.section)
            total[key] += 1
            mark = marks.get(paper.id)
            if not mark.read:
                unread[key] += 1
            starred += mark.starred
        total[ALL] = len(library.papers)
        unread[ALL] = unread[UNREAD] = sum(unread[key] for key in total if key != ALL)
        return cls(total, unread, starred)

    def read_changed(self, paper: Paper, read: bool) -> None:
        step = -1 if read else 1
        for key in (ALL, UNREAD, section_key(paper.section)):
            self.unread[key] += step

    def star_changed(self, starred: bool) -> None:
        self.starred += 1 if starred else -1

    def label(self, key: str) -> str:
        """What the list shows beside a name: `unread/total`, or one number for smart lists."""
        if key == UNREAD:
            return str(self.unread[UNREAD])
        if key == STARRED:
            return str(self.starred)
        return f"{self.unread[key]}/{self.total[key]}"
