from __future__ import annotations

from digest_tui.library import bundled_seeds, load_library
from digest_tui.lists import ALL, STARRED, UNREAD, Counts, FoundCounts, papers_for, section_key
from digest_tui.state import MarkStore


def test_smart_lists_and_sections_hold_the_right_papers():
    library = load_library(bundled_seeds())
    marks = MarkStore(None)
    first, second = library.papers[0], library.papers[40]
    marks.set_read(first.id, True)
    marks.set_starred(second.id, True)
    assert len(papers_for(library, ALL, marks)) == 72
    unread = papers_for(library, UNREAD, marks)
    assert len(unread) == 71 and first not in unread
    assert papers_for(library, STARRED, marks) == [second]
    assert [p.section for p in papers_for(library, section_key("cs.RO"), marks)] == [
        "cs.RO",
        "cs.RO",
    ]


def test_counts_follow_marks_without_recounting():
    library = load_library(bundled_seeds())
    marks = MarkStore(None)
    counts = Counts.of(library, marks)
    assert counts.label(ALL) == "72/72"
    assert counts.label(section_key("cs.CV")) == "18/18"
    paper = library.sections["cs.CV"][0]
    marks.set_read(paper.id, True)
    counts.read_changed(library, paper.id, True)
    marks.set_starred(paper.id, True)
    counts.star_changed(library, paper.id, True)
    assert counts == Counts.of(library, marks)
    assert (counts.label(ALL), counts.label(UNREAD), counts.label(STARRED)) == ("71/72", "71", "1")
    assert counts.label(section_key("cs.CV")) == "17/18"


def test_found_counts_step_with_marks_and_recount(tmp_path):
    marks = MarkStore(tmp_path / "m.sqlite3")
    marks.set_read("a", True)
    counts = FoundCounts()
    assert counts.label("k", "") == "…"  # not counted yet
    counts.add("", "k", frozenset({"a", "b", "c"}), marks)
    counts.add("2026-03-01", "k", frozenset({"b"}), marks)
    assert counts.label("k", "") == "2/3" and counts.label("k", "2026-03-01") == "1/1"
    assert counts.read_changed("b", True) == ["k", "k"]
    assert counts.label("k", "") == "1/3" and counts.label("k", "2026-03-01") == "0/1"
    assert counts.read_changed("z", True) == []
    marks.set_read_many(["a", "b", "c"], False)
    counts.recount(marks)
    assert counts.label("k", "") == "3/3"
