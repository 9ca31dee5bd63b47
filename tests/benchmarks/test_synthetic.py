"""The synthetic year of the benchmark: its variant days go through the line scanner (the slow
path the figures must include) and read to the same papers as the template days."""

from __future__ import annotations

from pathlib import Path

from digest_tui.model import FIELDS
from digest_tui.parse import read_digest
from tests.benchmarks.synthetic import TEMPLATE, VARIANTS, make_archive, reading_paths


def _squeezed(text: str) -> str:
    return "".join(text.split())  # a hard-wrapped field reads with its line breaks


def test_a_third_of_the_days_are_variants_read_by_the_line_scanner(tmp_path: Path) -> None:
    archive = make_archive(tmp_path / "year", papers=300, days=15)
    plain = make_archive(tmp_path / "plain", papers=300, days=15, variants=False)
    kinds = [archive.kinds[path] for path in archive.files]
    assert sorted(set(kinds) - {TEMPLATE}) == sorted(VARIANTS)
    assert kinds.count(TEMPLATE) == 10
    for path, twin in zip(archive.files, plain.files, strict=True):
        fast, scanned, problems = reading_paths(path)
        assert problems == 0, path.name
        if archive.kinds[path] == TEMPLATE:
            assert (fast, scanned) == (archive.papers[path], 0), path.name
        else:
            assert (fast, scanned) == (0, archive.papers[path]), path.name
        read, expected = read_digest(path, path.stem).papers, read_digest(twin, twin.stem).papers
        assert len(read) == len(expected) == archive.papers[path]
        for paper, same in zip(read, expected, strict=True):
            where = f"{path.name} ({archive.kinds[path]}): {paper.id}"
            assert (paper.id, paper.title, paper.authors) == (same.id, same.title, same.authors)
            assert (paper.category, paper.section) == (same.category, same.section), where
            for name, _ in FIELDS:
                read_text, text = getattr(paper, name), getattr(same, name)
                assert _squeezed(read_text) == _squeezed(text), f"{where}: {name}"
            assert paper.extras == (), where
