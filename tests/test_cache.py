"""The cache of what each digest lists: a second start reads no digest, and never shows
anything the files do not say."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import fields, replace
from pathlib import Path

import pytest

from digest_tui import cache, library
from digest_tui.library import bundled_seeds, library_index, load_library
from digest_tui.model import Body, Library, Paper
from digest_tui.query import parse_query, search
from digest_tui.state import MarkStore
from tests.conftest import SEED_A, SEED_B, digest_md, paper_md, write


def _no_reading(*args, **kwargs):
    raise AssertionError("a digest was read although the cache has it")


def test_a_second_load_comes_from_the_cache_and_reads_bodies_when_needed(monkeypatch):
    parsed = load_library([SEED_A, SEED_B], cached=False)  # every body read with its paper
    assert isinstance(parsed.papers[0].content, Body)
    load_library([SEED_A, SEED_B])
    assert len(list(cache.cache_dir().glob("*.marshal"))) == 2
    monkeypatch.setattr(library, "read_file", _no_reading)
    second = load_library([SEED_A, SEED_B])
    assert [(p.id, p.title, p.authors, p.section, p.source, p.span) for p in second.papers] == [
        (p.id, p.title, p.authors, p.section, p.source, p.span) for p in parsed.papers
    ]
    assert not isinstance(second.papers[0].content, Body)  # not read yet
    assert [p.failed_summaries for p in second.papers] == [0] * 72  # known without reading
    assert not isinstance(second.papers[0].content, Body)
    assert [p.body for p in second.papers] == [p.body for p in parsed.papers]
    assert second.problems == parsed.problems


def test_a_jsonl_day_comes_from_the_cache_too(tmp_path: Path, monkeypatch):
    line = (
        '{"id": "2401.00001", "title": "J", "categories": ["cs.CL"], "summary": "S",'
        ' "AI": {"tldr": "T"}}'
    )
    path = write(tmp_path / "2026-01-02_AI_enhanced_English.jsonl", f"{{oops\n{line}\n")
    first = load_library([path])
    monkeypatch.setattr(library, "read_file", _no_reading)
    second = load_library([path])
    assert (second.papers[0].tldr, second.papers[0].abstract) == ("T", "S")
    assert second.problems == first.problems and len(second.problems) == 1


def test_a_changed_file_is_read_again(tmp_path: Path):
    path = write(tmp_path / "2026-01-02.md", digest_md({"cs.CV": [paper_md(1, "2401.00001")]}))
    assert [p.id for p in load_library([path]).papers] == ["2401.00001"]
    write(path, digest_md({"cs.CV": [paper_md(1, "2401.00001"), paper_md(2, "2401.00002", "New")]}))
    os.utime(path, ns=(1, 1))  # a different time as well as a different size
    assert [p.title for p in load_library([path]).papers] == ["A title", "New"]


def test_a_file_changed_while_the_reader_is_open_still_gives_its_bodies(tmp_path: Path):
    path = write(tmp_path / "2026-01-02.md", digest_md({"cs.CV": [paper_md(1, "2401.00001")]}))
    load_library([path])
    lazy = load_library([path]).papers[0]
    text = digest_md(
        {"cs.AI": [paper_md(7, "2401.00009"), paper_md(8, "2401.00001", fields={"TL;DR": "moved"})]}
    )
    write(path, text)
    assert lazy.tldr == "moved"  # found by its id in the file as it is now


def test_a_damaged_or_foreign_cache_is_ignored_and_replaced(tmp_path: Path, monkeypatch):
    path = write(tmp_path / "2026-01-02.md", digest_md({"cs.CV": [paper_md(1, "2401.00001")]}))
    load_library([path])
    (entry,) = cache.cache_dir().glob("*.marshal")
    whole = entry.read_bytes()
    zeros, retitled = bytes(len(whole)), whole.replace(b"A title", b"B title")
    for damage in (b"", b"\x00garbage", whole[:40], b"\xe9" * 100, zeros, retitled):
        entry.write_bytes(damage)
        loaded = load_library([path])
        assert [(p.title, p.tldr) for p in loaded.papers] == [("A title", "tldr 2401.00001")]
        assert entry.read_bytes() != damage  # written anew


def test_an_unwritable_cache_only_means_reading_the_files(tmp_path: Path, monkeypatch):
    blocker = write(tmp_path / "not-a-folder", "x")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "cache"))
    papers = load_library([SEED_A]).papers
    assert len(papers) == 36 and papers[0].tldr.startswith("HP-GAN")


def _everything(loaded: Library) -> list[object]:
    """All a library says: each paper's every field and body, each digest's contents, the
    problems."""
    columns = [f.name for f in fields(Paper) if f.name not in ("content", "failed")]
    papers = [
        (*(getattr(p, name) for name in columns), p.failed_summaries, p.body) for p in loaded.papers
    ]
    return [papers, [(d.path, d.toc) for d in loaded.digests], loaded.problems]


def _wrong_bodies(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache that reads each body, then changes it."""
    read_body = cache._read_body

    def wrong(*args: object) -> Body:
        return replace(read_body(*args), tldr="wrong")

    monkeypatch.setattr(cache, "_read_body", wrong)


def _wrong_titles(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache that lists every paper with another title."""
    digest = cache._digest

    def wrong(path: Path, stamp: object, day: str, rows: tuple, *rest: tuple):
        return digest(path, stamp, day, tuple((r[0], "wrong", *r[2:]) for r in rows), *rest)

    monkeypatch.setattr(cache, "_digest", wrong)


def _must_fail(what: str) -> pytest.MarkDecorator:
    """This test is worth its name only if a cache that gives wrong data fails it."""
    return pytest.mark.xfail(raises=AssertionError, strict=True, reason=f"wrong {what}")


@pytest.mark.parametrize(
    "sabotage",
    [
        None,
        pytest.param(_wrong_bodies, marks=_must_fail("bodies"), id="wrong bodies"),
        pytest.param(_wrong_titles, marks=_must_fail("titles"), id="wrong titles"),
    ],
)
def test_a_direct_read_a_cold_load_and_a_warm_load_give_the_same_library(
    tmp_path: Path, monkeypatch, sabotage
):
    line = '{"id": "2401.00001", "title": "J", "summary": "S", "AI": {"tldr": "T"}}'
    jsonl = write(tmp_path / "2026-01-02_AI_enhanced_English.jsonl", f"{{oops\n{line}\n")
    paths = [*bundled_seeds(), jsonl]
    if sabotage:
        sabotage(monkeypatch)
    direct = load_library(paths, cached=False)  # every body read with its paper, no cache
    cold = load_library(paths)  # the files read, bodies left in them, the cache written
    monkeypatch.setattr(library, "read_file", _no_reading)
    warm = load_library(paths)  # from the cache
    assert len(direct.papers) == 73 and len(direct.problems) == 1
    assert _everything(cold) == _everything(direct)
    assert _everything(warm) == _everything(direct)


def _search_text_entries() -> tuple[Path, Path]:
    """The cached searchable text of the one digest cached, and its index."""
    (text,) = cache.cache_dir().glob("*.text")
    (index,) = cache.cache_dir().glob("*.search")
    return text, index


@pytest.mark.parametrize(
    "damage",
    ["truncate", "zeros", "one byte changed", "garbage index", "index zeros", "remove text"],
)
def test_a_damaged_search_cache_is_ignored_and_the_search_still_finds(tmp_path: Path, damage):
    load_library([SEED_A])  # cached: lists and searchable text
    text, index = _search_text_entries()
    whole = text.read_bytes()
    if damage == "truncate":
        text.write_bytes(whole[:100])
    elif damage == "zeros":
        text.write_bytes(bytes(len(whole)))  # the same size: only the content tells
    elif damage == "one byte changed":
        text.write_bytes(whole.replace(b"gan", b"gen", 1))
    elif damage == "garbage index":
        index.write_bytes(b"\x00garbage")
    elif damage == "index zeros":
        index.write_bytes(bytes(index.stat().st_size))
    else:
        text.unlink()
    fresh = load_library([SEED_A], cached=False)
    query, marks = parse_query("gan"), MarkStore(None)
    expected = search(query, fresh.papers, fresh, marks, library_index(fresh.digests))
    library = load_library([SEED_A])
    found = search(query, library.papers, library, marks, library_index(library.digests))
    assert [p.id for p in found] == [p.id for p in expected] and len(found) == 2
    assert cache.load_text(library.digests[0]) is not None  # made again and cached
    assert text.read_bytes() == whole


SEARCH_AFTER_CUT = """
import sys
from pathlib import Path

from digest_tui import cache
from digest_tui.library import library_index, load_library
from digest_tui.query import parse_query, search
from digest_tui.state import MarkStore

seed = Path(sys.argv[1])
load_library([seed])  # cached: lists and searchable text
library = load_library([seed])
index = library_index(library.digests)  # the text from the cache
(text,) = cache.cache_dir().glob("*.text")
with text.open("r+b") as file:
    file.truncate(0)  # cut short in place, under the index that holds it
found = search(parse_query("gan"), library.papers, library, MarkStore(None), index)
print(len(found))
"""


def test_a_search_text_cut_short_under_a_running_reader_does_not_kill_it(tmp_path: Path):
    # In a process of its own: a search that dies of SIGBUS fails this test, not pytest.
    done = subprocess.run(
        [sys.executable, "-c", SEARCH_AFTER_CUT, str(SEED_A)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, f"the search died (exit {done.returncode}): {done.stderr}"
    assert done.stdout.split() == ["2"]  # what it found before the cut


def test_a_file_rewritten_while_it_is_read_is_read_again_next_time(tmp_path: Path, monkeypatch):
    # A pipeline (or `update`) rewrites a day while the reader reads it: what is kept of the
    # read (the cache, the key of the ranking index) is filed under the file as it was before,
    # so the next start reads the new file, and the old ranking index is not taken for it.
    day = tmp_path / "2026-03-10.md"
    write(day, digest_md({"cs.CV": [paper_md(1, "2603.00001", "Old title")]}))
    reading = library.read_file

    def read_then_rewritten(path: Path, name: str = ""):
        digest = reading(path, name)
        write(path, digest_md({"cs.CV": [paper_md(1, "2603.00001", "The new, longer title")]}))
        return digest

    monkeypatch.setattr(library, "read_file", read_then_rewritten)
    first = load_library([tmp_path])
    monkeypatch.undo()
    again = load_library([tmp_path])
    assert [p.title for p in (*first.papers, *again.papers)] == [
        "Old title",
        "The new, longer title",
    ]
    assert [p.body.tldr for p in again.papers] == ["tldr 2603.00001"]
    signatures = [cache.ranking_signature(lib.digests, 1) for lib in (first, again)]
    assert None not in signatures and signatures[0] != signatures[1]
