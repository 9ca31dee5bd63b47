"""What a search looks through: per digest, the searchable text of its papers encoded once
into one `bytes`, so that finding a word in 100,000 papers is a few SIMD scans (stringzilla),
not a Python loop over papers.

The text is UTF-8 (not `str`): a Chinese TL;DR would make a `str` of the whole digest take two
or four bytes per character, and the cache can keep bytes as they are. UTF-8 is
self-synchronising, so a substring of the bytes is a substring of the text. ASCII letters are
lower-cased and line breaks made spaces when the text is made (one `translate`); a word with
other letters is matched with Unicode case folding.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence, Set
from dataclasses import dataclass
from pathlib import Path

import ahocorasick_rs
import stringzilla

from digest_tui.model import Digest, Paper

PAPER_END = b"\x00"  # between papers: no search term holds it, so no match spans two
FIELD_END = "\x01"  # between fields: nor does a match span two fields
_FOLD = bytes.maketrans(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZ\t\n\r\x0b\x0c", b"abcdefghijklmnopqrstuvwxyz     "
)


@dataclass(frozen=True, slots=True)
class DigestText:
    ids: tuple[str, ...]  # the papers, in the digest's order
    starts: tuple[int, ...]  # where each paper's text starts in `text`
    text: bytes  # made here, or read from the cache

    def without(self, ids: Set[str]) -> DigestText:
        """The same text without the papers `ids` names (seen in another digest already)."""
        rows = [row for row, paper_id in enumerate(self.ids) if paper_id not in ids]
        if len(rows) == len(self.ids):
            return self
        ends = [*self.starts[1:], len(self.text) + 1]
        parts = [self.text[self.starts[row] : ends[row] - 1] for row in rows]
        starts, offset = [], 0
        for part in parts:
            starts.append(offset)
            offset += len(part) + 1
        kept = tuple(self.ids[row] for row in rows)
        return DigestText(kept, tuple(starts), PAPER_END.join(parts))

    def documents(self) -> Iterator[tuple[str, str]]:
        """Each paper's id and searchable text (`searchable`'s, case folded)."""
        if not self.ids:
            return
        ends = (*self.starts[1:], len(self.text) + 1)
        for paper_id, start, end in zip(self.ids, self.starts, ends, strict=True):
            yield paper_id, self.text[start : end - 1].decode("utf-8", "replace")


def searchable(paper: Paper) -> str:
    """What a word is looked for in: id, title (and its translation), authors, TL;DR and
    abstract."""
    title = f"{paper.title} {paper.title_translation}".rstrip()
    fields = (paper.id, title, ", ".join(paper.authors), paper.tldr, paper.abstract)
    return FIELD_END.join(fields)


def digest_text(papers: Sequence[Paper]) -> DigestText:
    parts = [searchable(paper).encode() for paper in papers]
    starts, offset = [], 0
    for part in parts:
        starts.append(offset)
        offset += len(part) + 1
    text = PAPER_END.join(parts).translate(_FOLD)
    return DigestText(tuple(p.id for p in papers), tuple(starts), text)


def _finder(text: bytes, needle: str) -> tuple[Callable[..., int], bytes]:
    """How to look for `needle` in `text`: a plain scan for an ASCII needle (the text's ASCII
    is lower-cased already), Unicode case folding for any other."""
    view = stringzilla.Str(text)
    if needle.isascii():
        return view.find, needle.lower().encode()
    return view.utf8_uncased_search, needle.encode()


def find_in(text: DigestText, needle: str) -> list[str]:
    """The ids of the papers whose text holds `needle`: one scan, skipping to the next paper
    after each hit."""
    if not text.ids:
        return []
    find, encoded = _finder(text.text, needle)
    found, starts, ids = [], text.starts, text.ids
    position = find(encoded, 0)
    while position >= 0:
        row = bisect_right(starts, position) - 1
        found.append(ids[row])
        if row + 1 >= len(starts):
            break
        position = find(encoded, starts[row + 1])
    return found


def find_among(
    text: DigestText, needles: Sequence[str], within: Set[str] | None = None
) -> list[str]:
    """The ids of the papers (of `within`, if given) whose text holds every needle: a look at
    each paper's text in turn, quicker than scans when most papers hold the needles."""
    if not text.ids:
        return []
    finders = [_finder(text.text, needle) for needle in needles]
    ends = (*text.starts[1:], len(text.text))
    found = []
    for paper_id, start, end in zip(text.ids, text.starts, ends, strict=True):
        if within is None or paper_id in within:
            for find, encoded in finders:
                if find(encoded, start, end) < 0:
                    break
            else:
                found.append(paper_id)
    return found


class SearchIndex:
    """The searchable text of every digest of a library: the texts made as the library was
    read from its files, the others from the cache (or the files) by `fill`. A reader is
    given the index once it is filled; searches may then run in several threads at once."""

    def __init__(self, digests: Iterable[Digest], known: dict[Path, DigestText] | None = None):
        self._digests = tuple(d for d in digests if d.papers)
        self._texts: dict[Path, DigestText] = {}
        self._seen: set[str] = set()  # each paper is searched once, in the first text it is in
        for digest in self._digests:
            if known and digest.path in known:  # taken out: the index keeps what it needs
                self._add(digest.path, known.pop(digest.path))
        self._found: dict[str, Set[str]] = {}  # a few recent needles: as-you-type repeats

    def fill(
        self, make: Callable[[Digest], DigestText], cancelled: Callable[[], bool] = lambda: False
    ) -> None:
        """Make the texts still missing, one digest at a time."""
        for digest in self._digests:
            if cancelled():
                return
            if digest.path not in self._texts:
                self._add(digest.path, make(digest))

    @staticmethod
    def _scan(texts: list[DigestText], needle: str) -> list[str]:
        """Scan for a needle, or, once it shows to be in most papers, look paper by paper."""
        found: list[str] = []
        rows = 0
        for text in texts:
            dense = rows > 1000 and len(found) > rows // 4
            found += find_among(text, [needle]) if dense else find_in(text, needle)
            rows += len(text.ids)
        return found

    @property
    def digests(self) -> tuple[Digest, ...]:
        """The digests the index was made of."""
        return self._digests

    def texts(self) -> list[DigestText]:
        """Each digest's text (a paper in several digests is in the first only)."""
        return list(self._texts.values())

    def documents(self) -> Iterator[tuple[str, str]]:
        """Each paper's id and searchable text, once."""
        for text in self.texts():
            yield from text.documents()  # (none for a text whose papers a newer one has)

    def _add(self, path: Path, text: DigestText) -> None:
        text = text.without(self._seen)
        self._seen.update(text.ids)
        self._texts[path] = text

    def find_every(self, needles: Sequence[str]) -> Set[str]:
        """The ids of the papers that hold every needle: the first one found by a scan, the
        others looked for in those papers only (so put the rarest first)."""
        found = self.find(needles[0])
        if len(needles) == 1 or not found:
            return found
        texts = self._texts.values()
        return {i for text in texts for i in find_among(text, needles[1:], found)}

    def find_any(self, needles: Sequence[str], within: Set[str] | None = None) -> Set[str]:
        """The ids of the papers (of `within`, if given) that hold any of the needles."""
        found: set[str] = set()
        for needle in needles:
            found |= self.find(needle, within)
        return found

    def find_each(self, needles: Iterable[str]) -> dict[str, set[str]]:
        """For each needle, the ids of the papers that hold it. Every needle is looked for in
        one pass over each paper's text (Aho-Corasick), not in a scan of its own: what the
        keyword lists of the settings need, by the thousand. A needle with cased letters
        beyond ASCII (`Straße`) is scanned for alone, with Unicode case folding."""
        found: dict[str, set[str]] = {needle: set() for needle in needles if needle}
        together = [needle for needle in found if _no_case_beyond_ascii(needle)]
        for needle in found.keys() - set(together):
            found[needle].update(self.find(needle))
        if not together:
            return found
        automaton = ahocorasick_rs.BytesAhoCorasick([n.lower().encode() for n in together])
        matches = automaton.find_matches_as_indexes
        for text in self._texts.values():
            if not text.ids:
                continue  # every paper of the digest is searched in a newer one
            data = text.text
            ends = (*text.starts[1:], len(data) + 1)
            for paper_id, start, end in zip(text.ids, text.starts, ends, strict=True):
                for number in {match[0] for match in matches(data[start : end - 1], True)}:
                    found[together[number]].add(paper_id)
        return found

    def find(self, needle: str, within: Set[str] | None = None) -> Set[str]:
        """The ids of the papers (of `within`, if given) that hold `needle` anywhere
        searchable, in any case."""
        texts = list(self._texts.values())
        if within is not None:
            return {i for text in texts for i in find_among(text, [needle], within)}
        found = self._found.get(needle)
        if found is None:
            found = frozenset(self._scan(texts, needle))
            if len(self._found) > 32:
                self._found.clear()
            self._found[needle] = found
        return found


def _no_case_beyond_ascii(needle: str) -> bool:
    """Whether a needle's bytes, ASCII lower-cased, match the text as case folding would."""
    return needle.isascii() or all(c.lower() == c.upper() for c in needle if not c.isascii())
