"""What a search looks through: per digest, the searchable text of its papers, lower-cased and
encoded once into one `bytes`, so that finding a word in 100,000 papers is a few `bytes.find`
scans in C, not a Python loop over papers.

The text is UTF-8 (not `str`): a Chinese TL;DR would make a `str` of the whole digest take two
or four bytes per character, and the cache can keep bytes as they are. UTF-8 is
self-synchronising, so a substring of the bytes is a substring of the text.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import dataclass
from pathlib import Path

from digest_tui.model import Digest, Paper

SEPARATOR = b"\x00"  # between papers: no search term can hold it, so no match spans two


@dataclass(frozen=True, slots=True)
class DigestText:
    ids: tuple[str, ...]  # the papers, in the digest's order
    starts: tuple[int, ...]  # where each paper's text starts in `text`
    text: bytes


def searchable(paper: Paper) -> str:
    """What a word is looked for in: id, title, authors, TL;DR and abstract, lower-cased, each
    on one line with its white space made single spaces (as a query's phrases are)."""
    fields = (paper.id, paper.title, ", ".join(paper.authors), paper.tldr, paper.abstract)
    return "\n".join(" ".join(field.lower().split()) for field in fields)


def digest_text(papers: Sequence[Paper]) -> DigestText:
    parts = [searchable(paper).encode() for paper in papers]
    starts, offset = [], 0
    for part in parts:
        starts.append(offset)
        offset += len(part) + 1
    return DigestText(tuple(p.id for p in papers), tuple(starts), SEPARATOR.join(parts))


def find_in(text: DigestText, needle: bytes) -> list[str]:
    """The ids of the papers whose text holds `needle`: one scan, skipping to the next paper
    after each hit."""
    found = []
    haystack, starts, ids = text.text, text.starts, text.ids
    position = haystack.find(needle)
    while position >= 0:
        row = bisect_right(starts, position) - 1
        found.append(ids[row])
        if row + 1 >= len(starts):
            break
        position = haystack.find(needle, starts[row + 1])
    return found


def find_among(text: DigestText, needle: bytes, within: Set[str]) -> list[str]:
    """The ids of `within` whose paper's text holds `needle`."""
    haystack, starts, found = text.text, text.starts, []
    for row, paper_id in enumerate(text.ids):
        if paper_id in within:
            end = starts[row + 1] if row + 1 < len(starts) else len(haystack)
            if haystack.find(needle, starts[row], end) >= 0:
                found.append(paper_id)
    return found


class SearchIndex:
    """The searchable text of every digest of a library. Built as the library is read (the
    text of a digest read from its file is made then), completed later from the cache or the
    files for digests that came from the cache."""

    def __init__(self, digests: Iterable[Digest], known: dict[Path, DigestText] | None = None):
        self._digests = tuple(d for d in digests if d.papers)
        self._texts: dict[Path, DigestText] = dict(known or {})
        self._lock = threading.Lock()
        self._found: dict[str, Set[str]] = {}  # a few recent needles: as-you-type repeats

    @property
    def complete(self) -> bool:
        return all(d.path in self._texts for d in self._digests)

    def fill(
        self, make: Callable[[Digest], DigestText], cancelled: Callable[[], bool] = lambda: False
    ) -> None:
        """Make the texts still missing, one digest at a time (searches meanwhile see the
        digests done so far)."""
        for digest in self._digests:
            if cancelled():
                return
            if digest.path not in self._texts:
                text = make(digest)
                with self._lock:
                    self._texts[digest.path] = text

    def find(self, needle: str, within: Set[str] | None = None) -> Set[str]:
        """The ids of the papers that hold `needle` (lower-cased) anywhere searchable; of
        those `within` only, if given (a second word then looks only at the first's papers)."""
        encoded = needle.encode()
        with self._lock:
            texts = list(self._texts.values())
        if within is not None:
            return {i for text in texts for i in find_among(text, encoded, within)}
        found = self._found.get(needle)
        if found is None:
            found = frozenset(i for text in texts for i in find_in(text, encoded))
            if len(self._found) > 32:
                self._found.clear()
            self._found[needle] = found
        return found
