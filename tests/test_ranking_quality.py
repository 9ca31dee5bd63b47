"""How good the ranking is, on real days (../shared): For you, like: and sort:relevance, each
asked as a reader asks it, each on days other than those it learns from (see
tests/benchmarks/quality.py, which the benchmark prints too)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.benchmarks.quality import (
    Real,
    diffusion_titles,
    game_theory,
    like_category,
    real_library,
    splatting,
)
from tests.conftest import shared_or_skip, unpacked_archive


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Real:
    """The half-year archive and the days of 2025 before it, with their ranking index."""
    folder = unpacked_archive(tmp_path_factory)
    earlier = [shared_or_skip("corpus", name) for name in ("eras", "jsonl-early")]
    with pytest.MonkeyPatch.context() as patched:  # (made before each test's own folders)
        patched.setenv("DIGEST_TUI_CACHE", str(tmp_path_factory.mktemp("cache")))
        return real_library([folder, *earlier])


def test_thirty_starred_game_theory_papers_fill_for_you_on_later_days(real, tmp_path: Path):
    found, share = game_theory(real, tmp_path / "marks.sqlite3")
    assert share < 0.05  # the category is rare on those days
    assert found >= 15  # of the top 20


def test_twenty_starred_splatting_papers_bring_splatting_on_days_of_another_year(
    real, tmp_path: Path
):
    assert splatting(real, tmp_path / "marks.sqlite3") >= 8  # of the top 10


def test_like_lists_papers_mostly_of_the_same_main_category(real, tmp_path: Path):
    mean, most = like_category(real, tmp_path / "marks.sqlite3")
    assert mean >= 0.6 and most >= 0.6


@pytest.mark.parametrize("days", ["until:2025-11-30", "since:2026-01-01"])
def test_diffusion_by_relevance_puts_diffusion_titles_first(real, tmp_path: Path, days: str):
    in_title, found = diffusion_titles(real, tmp_path / "marks.sqlite3", days)
    assert found > 100 and in_title == 10
