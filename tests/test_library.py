from __future__ import annotations

import json
from pathlib import Path

from digest_tui.library import bundled_seeds, discover, load_library, summary_notes
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
    assert str(library.problems[0]).startswith(f"{missing}: cannot read")


def _jsonl_line(paper_id: str, title: str, category: str = "cs.CL", tldr: str = "T") -> str:
    record = {
        "id": paper_id,
        "categories": [category],
        "authors": ["A"],
        "title": title,
        "summary": f"abstract of {title}",
        "comment": None,
        "AI": {"tldr": tldr, "motivation": "M", "method": "Me", "result": "R", "conclusion": "C"},
    }
    return json.dumps(record, ensure_ascii=False)


def test_days_come_from_file_names_newest_first(tmp_path: Path):
    write(tmp_path / "2026" / "2026-03-10.md", digest_md({"cs.CV": [paper_md(1, "2603.00001")]}))
    write(tmp_path / "2026-03-11.md", digest_md({"cs.CV": [paper_md(1, "2603.00002")]}))
    write(
        tmp_path / "notes" / "special-issue.md", digest_md({"cs.AI": [paper_md(1, "2603.00003")]})
    )
    library = load_library([tmp_path])
    assert list(library.days) == ["2026-03-11", "2026-03-10", "special-issue"]
    assert [p.id for p in library.papers] == ["2603.00002", "2603.00001", "2603.00003"]
    assert [p.day for p in library.papers] == ["2026-03-11", "2026-03-10", "special-issue"]


def test_a_day_with_markdown_and_jsonl_is_read_once_from_the_jsonl(tmp_path: Path):
    write(tmp_path / "2026-03-10.md", digest_md({"cs.CL": [paper_md(1, "2603.00001", "From md")]}))
    write(
        tmp_path / "2026-03-10_AI_enhanced_Chinese.jsonl", _jsonl_line("2603.00001", "From jsonl")
    )
    library = load_library([tmp_path])
    assert [(p.title, p.source.path.suffix) for p in library.papers] == [("From jsonl", ".jsonl")]
    assert library.problems == ()


def test_one_language_is_read_per_day(tmp_path: Path):
    for language, tldr in (("English", "in English"), ("Chinese", "中文"), ("Korean", "한국어")):
        write(
            tmp_path / f"2026-03-10_AI_enhanced_{language}.jsonl",
            _jsonl_line("2603.00001", "P", tldr=tldr),
        )
    first = load_library([tmp_path])
    assert first.papers[0].tldr == "中文"  # the first by name: Chinese
    assert first.languages["2026-03-10"] == (("Chinese", "English", "Korean"), "Chinese")
    chosen = load_library([tmp_path], language="korean")
    assert chosen.papers[0].tldr == "한국어"
    assert chosen.languages["2026-03-10"] == (("Chinese", "English", "Korean"), "Korean")


def test_a_paper_on_several_days_is_one_paper_and_knows_its_days(tmp_path: Path):
    write(tmp_path / "2026-03-10.md", digest_md({"cs.CV": [paper_md(1, "2603.00001", "Old")]}))
    write(
        tmp_path / "2026-03-12.md",
        digest_md({"cs.LG": [paper_md(4, "2603.00001v2", "New"), paper_md(5, "2603.00009")]}),
    )
    library = load_library([tmp_path])
    assert [p.id for p in library.papers] == ["2603.00001", "2603.00009"]
    assert library.by_id["2603.00001"].title == "New"  # as the newest day lists it
    assert library.days_of("2603.00001") == ["2026-03-12", "2026-03-10"]
    assert [len(library.days[d]) for d in library.days] == [2, 1]
    assert library.problems == ()


def test_the_same_paper_twice_in_one_day_across_files_is_a_problem(tmp_path: Path):
    write(tmp_path / "a" / "2026-03-10.md", digest_md({"cs.CV": [paper_md(1, "2603.00001")]}))
    write(tmp_path / "b" / "2026-03-10.md", digest_md({"cs.CV": [paper_md(1, "2603.00001")]}))
    library = load_library([tmp_path])
    assert len(library.days["2026-03-10"]) == 1
    first = tmp_path / "a" / "2026-03-10.md"
    assert [p.message for p in library.problems] == [
        f"paper 2603.00001 appears again on 2026-03-10 (first at {first}:12); kept once"
    ]


def test_summary_notes_count_failed_summaries_per_day(tmp_path: Path):
    failed = {"TL;DR": "Summary generation failed", "Method": "Method extraction failed"}
    write(
        tmp_path / "2026-03-10.md",
        digest_md({"cs.CV": [paper_md(1, "2603.00001", fields=failed), paper_md(2, "2603.00002")]}),
    )
    notes = summary_notes(load_library([tmp_path]))
    assert [str(n) for n in notes] == ["2026-03-10: 1 paper with failed summaries (2 fields)"]
