"""The parser against real data: upstream renders each day's Markdown from its JSONL, so the
JSONL is the ground truth; the real half-year archive must load whole."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from digest_tui.library import load_library
from digest_tui.model import Paper
from digest_tui.parse import read_digest, read_jsonl
from tests.conftest import shared_or_skip, unpacked_archive

AI_FIELDS = ("tldr", "motivation", "method", "result", "conclusion")
# Other AI fields the template renders, and the extra pane each becomes.
RENDERED_EXTRAS = {"task": "Task"}


def _normal(text: str) -> str:
    return " ".join(text.split())


def _pairs() -> list[tuple[Path, Path]]:
    corpus = shared_or_skip("corpus")
    pairs = []
    for md in sorted((corpus / "days").glob("*.md")) + sorted((corpus / "eras").glob("*.md")):
        jsonl = sorted(md.parent.glob(f"{md.stem}*.jsonl"))
        assert jsonl, md
        pairs.append((md, jsonl[0]))
    return pairs


def _compare(paper: Paper, record: dict) -> list[str]:
    """The fields where the paper read from Markdown differs from the JSONL it came from."""
    ai = record.get("AI") or {}
    expected = {
        "title": record["title"],
        "authors": ", ".join(a.strip() for a in record["authors"]),
        "abstract": record["summary"],
        **{name: ai[name] for name in AI_FIELDS if name in ai},
    }
    got = {"title": paper.title, "authors": ", ".join(paper.authors), "abstract": paper.abstract}
    got |= {name: getattr(paper, name) for name in AI_FIELDS}
    extras = dict(paper.extras)
    for name, label in RENDERED_EXTRAS.items():
        if name in ai:
            expected[name], got[name] = ai[name], extras.get(label, "")
    return [name for name in expected if _normal(got[name]) != _normal(expected[name])]


def test_every_real_day_and_era_matches_the_jsonl_it_was_rendered_from():
    compared = 0
    for md, jsonl in _pairs():
        records = {}
        for line in jsonl.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            records[record["id"]] = record  # a paper listed twice: the later is shown
        digest = read_digest(md)
        got = {paper.id: paper for paper in digest.papers}
        # Upstream renders every paper whose AI summary is whole (before AI: every paper).
        whole = {
            i
            for i, r in records.items()
            if not r.get("AI") or all((r["AI"] or {}).get(name) for name in AI_FIELDS)
        }
        assert sorted(whole - set(got)) == [], f"{md}: papers missing"
        assert sorted(set(got) - set(records)) == [], f"{md}: papers not in the JSONL"
        for paper_id, paper in got.items():
            assert _compare(paper, records[paper_id]) == [], (md.name, paper_id)
            compared += 1
        assert all(_repeats(p.message) for p in digest.problems)
    assert compared >= 1360 + 328 + 45 + 202 + 162


def test_every_real_jsonl_loads_whole():
    corpus = shared_or_skip("corpus")
    for path in sorted(corpus.rglob("*.jsonl")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        digest = read_jsonl(path)
        ids = {json.loads(line)["id"] for line in lines}
        assert {p.id for p in digest.papers} == ids, path
        assert len(digest.papers) + sum(_repeats(p.message) for p in digest.problems) == len(
            lines
        ), path


def _repeats(message: str) -> int:
    """Listings a problem says appear again: one named, or many on one line (0: another)."""
    one = r"paper \S+ appears again \(first at line \d+\); the later summary is shown"
    many = (
        r"([\d,]+) papers appear again(?: \(([\d,]+) listings\))?, to line \d+ \(\S+ was "
        r"first at line \d+\); the later summaries are shown"
    )
    if re.fullmatch(one, message):
        return 1
    found = re.fullmatch(many, message)
    return int((found.group(2) or found.group(1)).replace(",", "")) if found else 0


def test_days_folder_loads_each_day_once_from_its_jsonl():
    library = load_library([shared_or_skip("corpus", "days")])
    assert list(library.days) == [
        "2026-05-28",
        "2026-05-09",
        "2026-04-11",
        "2026-03-10",
        "2026-02-05",
        "2026-01-23",
    ]
    assert sum(len(papers) for papers in library.days.values()) == 1360
    assert all(d.path.suffix == ".jsonl" for d in library.digests)
    assert library.problems == ()


def test_fork_files_load_with_every_paper_heading_read():
    forks = shared_or_skip("corpus", "forks")
    expected = {  # papers per file, counted by hand from each file's paper headings
        "DAgentSec__Agent-Security-Paper-Daily__2026-05-18.md": 12,
        "KAFKA2306__daily-arXiv-ai-enhanced__2025-11-20.md": 5,
        "MYZhangwww__daily-arXiv-ai-enhanced__2026-02-24.md": 0,
        "Straw674__daily-arXiv-astro-ph__2026-04-25.md": 34,
        "Troy9748__daily-arXiv-ai-enhanced__2026-08-07.md": 2,
        "ZL-Asica__daily-arXiv-digest__2025-04-25.md": 55,
        "audi0417__daily-arxiv-ai-summary__2025-06-12.md": 0,
        "junle-chen__daily-arXiv-gemini-enhanced__2025-06-07.md": 5,
        "xmkxabc__daily-arXiv-ai-enhanced__2025-06-26.md": 381,
    }
    for name, count in expected.items():
        digest = read_digest(forks / name)
        assert len(digest.papers) == count, name
        assert all(p.title and p.url for p in digest.papers), name
    for name in (
        "xmkxabc__daily-arXiv-ai-enhanced__2025-06-26.md",
        "xmkxabc__daily-arXiv-ai-enhanced__2025-06-10@6f2f636.md",
    ):
        xmkxabc = read_digest(forks / name)  # `> *中文标题*` under each heading; `<a id=…>`
        assert xmkxabc.problems == (), name
        assert all(re.search(r"[\u4e00-\u9fff]", p.title_translation) for p in xmkxabc.papers)
        assert not any(label == "Notes" for p in xmkxabc.papers for label, _ in p.extras), name
    troy = read_digest(forks / "Troy9748__daily-arXiv-ai-enhanced__2026-08-07.md").papers[0]
    assert [label for label, _ in troy.extras][:3] == [
        "Recommendation",
        "Abstract Translation",
        "Conclusion Translation",
    ]
    assert troy.abstract.startswith("Hub-filament systems are networks")
    failed = read_digest(forks / "zzhaozeng__daily-arXiv-ai-enhanced__2026-05-30.md").papers
    assert all(p.failed_summaries == 5 and not p.is_unavailable("abstract") for p in failed)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return unpacked_archive(tmp_path_factory)


def test_the_half_year_archive_loads_with_no_problems_and_no_lost_paper(archive: Path):
    library = load_library([archive])
    assert len(library.days) == 153
    headings = 0
    for path in archive.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        headings += len(re.findall(r"^#{2,4} .*\]\(https?://[^)]*\)\s*$", text, re.M))
    assert sum(len(papers) for papers in library.days.values()) == headings == 29_079
    assert library.problems == ()


def test_check_on_the_archive_prints_a_line_per_day_and_a_total(archive: Path):
    result = subprocess.run(
        [sys.executable, "-m", "digest_tui", "check", str(archive)], capture_output=True, text=True
    )
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout[-2000:]
    assert (
        len([line for line in lines if re.match(r"^\d{4}-\d{2}-\d{2}: [\d,]+ papers", line)]) == 153
    )
    assert re.fullmatch(r"153 days, 153 files, [\d,]+ papers, 0 problems, \d+ notes", lines[-1])
    assert any(line.startswith("note: ") for line in lines)


def _every_real_markdown() -> list[Path]:
    corpus = shared_or_skip("corpus")
    return sorted(p for p in corpus.rglob("*.md") if p.name != "README.md")


def test_the_template_fast_path_reads_every_real_file_as_the_line_scanner_does(archive: Path):
    from digest_tui.parse.markdown import parse_markdown
    from digest_tui.text import decode

    files = _every_real_markdown() + sorted(archive.rglob("*.md"))[::10]
    for path in files:
        text, _ = decode(path.read_bytes())
        assert parse_markdown(text, path, "d") == parse_markdown(text, path, "d", fast=False), path


def test_bodies_left_in_their_files_read_back_the_same_for_every_real_file(tmp_path: Path):
    from digest_tui import cache
    from digest_tui.parse import read_file

    for path in _every_real_markdown() + sorted(shared_or_skip("corpus").rglob("*.jsonl")):
        parsed = replace(read_file(path, "d"), stamp=cache.stamp_of(path))
        light, kept = cache.lighten(parsed, "d")
        assert kept is not None and not any(p.has_body for p in light.papers), path
        assert [p.body for p in light.papers] == [p.body for p in parsed.papers], path
        assert [p.failed_summaries for p in light.papers] == [
            p.failed_summaries for p in parsed.papers
        ]


def test_a_day_the_pipeline_wrote_twice_shows_the_later_summary_and_keeps_the_earlier(
    tmp_path, monkeypatch
):
    """2025-06-30: 18 papers listed twice with two summaries; the JSONL's later record is what
    the pipeline kept. Read cold and warm (bodies from the cache), Markdown and JSONL alike."""
    eras = shared_or_skip("corpus", "eras")
    monkeypatch.setenv("DIGEST_TUI_CACHE", str(tmp_path / "cache"))
    lines = (eras / "2025-06-30_AI_enhanced_Chinese.jsonl").read_text(encoding="utf-8")
    records: dict[str, list[dict]] = {}
    for line in lines.splitlines():
        record = json.loads(line)
        records.setdefault(record["id"], []).append(record)
    twice = {i: r for i, r in records.items() if len(r) == 2}
    assert len(twice) == 18
    for name in ("2025-06-30.md", "2025-06-30_AI_enhanced_Chinese.jsonl"):
        for _ in ("cold", "warm"):
            library = load_library([eras / name])
            assert len(library.papers) == len(records)
            for paper_id, (first, later) in twice.items():
                paper = library.by_id[paper_id]
                assert paper.tldr == later["AI"]["tldr"].strip()
                earlier = dict(paper.extras)["Earlier summary"]
                assert earlier.startswith(f"**TL;DR**: {first['AI']['tldr'].strip()}\n\n")
                assert f"**Conclusion**: {first['AI']['conclusion'].strip()}" in earlier
            assert not any("table of contents" in p.message for p in library.problems)
