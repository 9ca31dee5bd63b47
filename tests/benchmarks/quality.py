"""How good the ranking is on real days: each check asks a query as a reader would, on the
half-year archive (../shared) and the days of 2025 before it, and returns what it measured.
tests/test_ranking_quality.py holds them to their targets; the benchmark prints them.

The tokenising was chosen (English words and CJK character pairs, over English alone) on the
archive split at its middle; these checks split it otherwise, or use the days of 2025."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from digest_tui.index import SearchIndex
from digest_tui.library import library_index, load_library
from digest_tui.model import Library, Paper
from digest_tui.query import parse_query, search
from digest_tui.ranking import Ranking, ranking_of
from digest_tui.state import MarkStore

SPLATTING = re.compile(r"splat|3dgs", re.IGNORECASE)
ARCHIVE_START = "2025-12"  # the archive's days; those before are the eight days of 2025


@dataclass
class Real:
    library: Library
    index: SearchIndex
    ranking: Ranking

    def ranked(self, marks: MarkStore, text: str) -> list[Paper]:
        library = self.library
        query = parse_query(text)
        return search(query, library.papers, library, marks, self.index, self.ranking)


def real_library(folders: list[Path]) -> Real:
    library = load_library(folders)
    index = library_index(library.digests)
    ranking = ranking_of(index)
    assert ranking is not None
    return Real(library, index, ranking)


def _starring(marks_file: Path, papers: list[Paper]) -> MarkStore:
    marks = MarkStore(marks_file)
    for paper in papers:
        marks.set_starred(paper.id, True)
    return marks


def game_theory(real: Real, marks_file: Path) -> tuple[int, float]:
    """30 cs.GT papers of the archive's first weeks starred: how many of For you's top 20 of
    its last two months are cs.GT, and the category's share of those days."""
    papers = real.library.papers
    starred = [p for p in reversed(papers) if p.category == "cs.GT" and p.day >= ARCHIVE_START]
    marks = _starring(marks_file, starred[:30])
    later = [p for p in papers if p.day >= "2026-04-01"]
    share = sum(p.category == "cs.GT" for p in later) / len(later)
    top = real.ranked(marks, "since:2026-04-01 is:unread sort:foryou")[:20]
    return sum(p.category == "cs.GT" for p in top), share


def splatting(real: Real, marks_file: Path) -> int:
    """20 Gaussian splatting papers of the archive starred: how many of For you's top 10 on
    the days of 2025 are about splatting (title or abstract)."""
    papers = real.library.papers
    liked = [p for p in papers if p.day >= ARCHIVE_START and SPLATTING.search(p.title)]
    marks = _starring(marks_file, liked[:20])
    top = real.ranked(marks, "until:2025-11-30 sort:foryou")[:10]
    return sum(bool(SPLATTING.search(f"{p.title} {p.abstract}")) for p in top)


def like_category(real: Real, marks_file: Path, sample: int = 50) -> tuple[float, float]:
    """like:ID for papers of the archive's last month: the share of the top 5 with ID's main
    category, on average, and for how many papers it is most of them (3 of 5 or more)."""
    marks = MarkStore(marks_file)
    chosen = random.Random(7).sample([p for p in real.library.papers if p.day >= "2026-05"], sample)
    shares = []
    for paper in chosen:
        top = real.ranked(marks, f"like:{paper.id}")[:5]
        assert paper.id not in {p.id for p in top}
        shares.append(sum(p.category == paper.category for p in top) / 5)
    return sum(shares) / len(shares), sum(share >= 0.6 for share in shares) / len(shares)


def diffusion_titles(real: Real, marks_file: Path, days: str) -> tuple[int, int]:
    """`diffusion sort:relevance` on some days: how many of the top 10 have the word in their
    title, and how many papers were found."""
    found = real.ranked(MarkStore(marks_file), f"diffusion {days} sort:relevance")
    return sum("diffusion" in p.title.lower() for p in found[:10]), len(found)
