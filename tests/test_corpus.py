"""The parser against ground truth: upstream renders each day's Markdown from its JSONL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from digest_tui.parse import read_digest
from tests.conftest import shared_or_skip

AI_FIELDS = ("tldr", "motivation", "method", "result", "conclusion")


def _normal(text: str) -> str:
    return " ".join(text.split())


def _days() -> list[Path]:
    return sorted(shared_or_skip("corpus", "days").glob("*.md"))


def test_every_real_day_matches_the_jsonl_it_was_rendered_from():
    compared = 0
    for day in _days():
        jsonl = day.with_name(f"{day.stem}_AI_enhanced_Chinese.jsonl")
        expected = {}
        for line in jsonl.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            ai = record.get("AI") or {}
            if all(ai.get(name) for name in AI_FIELDS):
                expected[record["id"]] = record
        digest = read_digest(day)
        assert digest.problems == (), day
        got = {paper.id: paper for paper in digest.papers}
        assert sorted(got) == sorted(expected), day
        for paper_id, record in expected.items():
            paper = got[paper_id]
            assert _normal(paper.title) == _normal(record["title"])
            assert list(paper.authors) == [name.strip() for name in record["authors"]]
            assert _normal(paper.abstract) == _normal(record["summary"])
            for name in AI_FIELDS:
                assert _normal(getattr(paper, name)) == _normal(record["AI"][name]), (
                    paper_id,
                    name,
                )
            compared += 1
    assert compared == 1360


@pytest.mark.parametrize("name", ["2026-01-23.md", "2026-03-10.md"])
def test_real_day_sections_agree_with_its_table_of_contents(name: str):
    digest = read_digest(shared_or_skip("corpus", "days", name))
    counts: dict[str, int] = {}
    for paper in digest.papers:
        counts[paper.section] = counts.get(paper.section, 0) + 1
    assert counts == digest.toc
