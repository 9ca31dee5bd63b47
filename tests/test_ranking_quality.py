"""How good the ranking is, on real days (../shared): For you, like: and sort:relevance, each
asked as a reader asks it (a query on the library), each checked on days other than those it
learns from. The tokenising was chosen (English words and CJK character pairs, over English
alone) on the half-year archive split at its middle; these checks use other splits, and the
eight days of 2025 that the archive does not hold."""

from __future__ import annotations

import random
import re
import tarfile
from pathlib import Path

import pytest

from digest_tui.library import library_index, load_library
from digest_tui.model import Library, Paper
from digest_tui.query import parse_query, search
from digest_tui.ranking import ranking_of
from digest_tui.state import MarkStore
from tests.conftest import shared_or_skip

SPLATTING = re.compile(r"splat|3dgs", re.IGNORECASE)


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory):
    """The half-year archive and the days of 2025 before it, with their ranking index."""
    source = shared_or_skip("corpus", "archive-2025-12_2026-05.tar.xz")
    folder = tmp_path_factory.mktemp("archive")
    with tarfile.open(source) as tar:
        tar.extractall(folder, filter="data")
    earlier = [shared_or_skip("corpus", name) for name in ("eras", "jsonl-early")]
    library = load_library([folder, *earlier])
    index = library_index(library.digests)
    return library, index, ranking_of(index)


def ranked(real, marks: MarkStore, text: str) -> list[Paper]:
    library, index, ranking = real
    return search(parse_query(text), library.papers, library, marks, index, ranking)


def starring(tmp_path: Path, papers: list[Paper]) -> MarkStore:
    marks = MarkStore(tmp_path / "marks.sqlite3")
    for paper in papers:
        marks.set_starred(paper.id, True)
    return marks


def test_thirty_starred_game_theory_papers_fill_for_you_on_later_days(real, tmp_path: Path):
    library: Library = real[0]
    starred = [p for p in reversed(library.papers) if p.category == "cs.GT" and p.day >= "2025-12"]
    marks = starring(tmp_path, starred[:30])  # the first 30 of the archive (December, January)
    later = [p for p in library.papers if p.day >= "2026-04-01"]
    share = sum(p.category == "cs.GT" for p in later) / len(later)
    top = ranked(real, marks, "since:2026-04-01 is:unread sort:foryou")[:20]
    found = sum(p.category == "cs.GT" for p in top)
    print(f"cs.GT: {found} of the top 20 (the category's share of those days: {share:.1%})")
    assert share < 0.05
    assert found >= 15


def test_twenty_starred_splatting_papers_bring_splatting_on_days_of_another_year(
    real, tmp_path: Path
):
    library: Library = real[0]
    splatting = [p for p in library.papers if p.day >= "2025-12" and SPLATTING.search(p.title)]
    marks = starring(tmp_path, splatting[:20])
    top = ranked(real, marks, "until:2025-11-30 sort:foryou")[:10]
    about = [p for p in top if SPLATTING.search(f"{p.title} {p.abstract}")]
    print(f"splatting: {len(about)} of the top 10 ({[p.title[:40] for p in top]})")
    assert len(about) >= 8


def test_like_lists_papers_mostly_of_the_same_main_category(real, tmp_path: Path):
    library: Library = real[0]
    marks = MarkStore(tmp_path / "marks.sqlite3")
    sample = random.Random(7).sample([p for p in library.papers if p.day >= "2026-05-01"], 50)
    shares = []
    for paper in sample:
        top = ranked(real, marks, f"like:{paper.id}")[:5]
        assert paper.id not in [p.id for p in top]
        shares.append(sum(p.category == paper.category for p in top) / 5)
    mean = sum(shares) / len(shares)
    most = sum(share >= 0.6 for share in shares) / len(shares)
    print(f"like: {mean:.0%} of the top 5 share the main category; for {most:.0%} most do")
    assert mean >= 0.6 and most >= 0.6


@pytest.mark.parametrize("days", ["until:2025-11-30", "since:2026-01-01"])
def test_diffusion_by_relevance_puts_diffusion_titles_first(real, tmp_path: Path, days: str):
    marks = MarkStore(tmp_path / "marks.sqlite3")
    found = ranked(real, marks, f"diffusion {days} sort:relevance")
    top = found[:10]
    print(f"diffusion ({days}): {sum('diffusion' in p.title.lower() for p in top)} of 10")
    assert len(found) > 100
    assert all("diffusion" in p.title.lower() for p in top)
