from __future__ import annotations

from pathlib import Path

from digest_tui.library import bundled_seeds, discover, load_library
from tests.conftest import SEED_A, SEED_B, digest_md, paper_md, write


def test_bundled_seeds_are_the_two_seed_digests():
    assert [p.name for p in bundled_seeds()] == [SEED_A.name, SEED_B.name]


def test_seeds_load_as_one_library_of_72_papers():
    library = load_library(bundled_seeds())
    assert len(library.papers) == 72
    assert list(library.sections) == ["cs.CV", "cs.LG", "cs.AI", "cs.CL", "cs.RO"]
    assert {name: len(papers) for name, papers in library.sections.items()} == {
        "cs.CV": 18,
        "cs.LG": 33,
        "cs.AI": 11,
        "cs.CL": 8,
        "cs.RO": 2,
    }
    assert library.problems == ()


def test_the_same_paper_in_two_files_is_one_paper(tmp_path: Path):
    one = write(
        tmp_path / "a.md",
        digest_md({"cs.CV": [paper_md(1, "2401.00001"), paper_md(2, "2401.00002")]}),
    )
    two = write(tmp_path / "b.md", digest_md({"cs.LG": [paper_md(1, "2401.00002v3")]}))
    library = load_library([one, two])
    assert [p.id for p in library.papers] == ["2401.00001", "2401.00002"]
    assert library.by_id["2401.00002"].source.path == one


def test_folders_are_searched_recursively_in_name_order(tmp_path: Path):
    write(tmp_path / "b" / "2026-01-02.md", "")
    write(tmp_path / "a" / "2026-01-01.md", "")
    write(tmp_path / "a" / "notes.txt", "")
    assert [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])] == [
        "a/2026-01-01.md",
        "b/2026-01-02.md",
    ]


def test_an_unreadable_file_is_a_problem_and_the_rest_loads(tmp_path: Path):
    good = write(tmp_path / "good.md", digest_md({"cs.CV": [paper_md(1, "2401.00001")]}))
    missing = tmp_path / "gone.md"
    library = load_library([good, missing])
    assert [p.id for p in library.papers] == ["2401.00001"]
    assert len(library.problems) == 1
    assert str(library.problems[0]).startswith(f"{missing}:0: cannot read")
