"""The search language and the index it searches."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest_tui.index import digest_text, find_in, searchable
from digest_tui.library import LibraryLoad, discover, library_index, load_library, plan
from digest_tui.model import Body, Library, Paper, Source
from digest_tui.query import QueryError, Term, parse_query, search
from digest_tui.state import MarkStore
from tests.conftest import digest_md, paper_md, shared_or_skip, write


def plain(paper: Paper) -> str:
    """A paper's searchable text as the search compares it: case folded, lines joined."""
    return searchable(paper).translate(str.maketrans("\t\n\r\x0b\x0c", "     ")).casefold()


def test_every_kind_of_term_is_read():
    query = parse_query(
        'Diffusion "World  Model" -survey author:"Yann LeCun" cat:cs.CV -is:read is:starred '
        "day:2026-03-10 since:2026-03-01 until:2026-03-31"
    )
    assert query.terms == (
        Term("text", "diffusion"),
        Term("text", "world model"),
        Term("text", "survey", negated=True),
        Term("author", "yann lecun"),
        Term("cat", "cs.cv"),
        Term("is", "read", negated=True),
        Term("is", "starred"),
        Term("day", "2026-03-10"),
        Term("since", "2026-03-01"),
        Term("until", "2026-03-31"),
    )
    assert query.highlights == ("diffusion", "world model", "yann lecun")
    assert not parse_query("   ")


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ('gan "world model', 'a quote " is not closed', 5),
        ("gan foo:bar", "unknown filter foo:", 5),
        ("author:", "author: needs a value", 1),
        ('author:""', "author: needs a value", 1),
        ("is:maybe", "is: takes read, unread, starred", 1),
        ("since:yesterday", "since: needs a day like 2026-03-10", 1),
        ("day:2026-3-1", "day: needs a day like 2026-03-10", 1),
        ("gan - x", "an empty term", 5),
    ],
)
def test_a_bad_query_says_what_and_where(text: str, message: str, column: int):
    with pytest.raises(QueryError) as raised:
        parse_query(text)
    assert raised.value.message.startswith(message)
    assert raised.value.column == column


@given(st.text(max_size=40))
def test_any_text_is_a_query_or_a_query_error(text: str):
    try:
        parse_query(text)
    except QueryError as error:
        assert 1 <= error.column <= len(text) + 1


def _library(tmp_path: Path) -> Library:
    day1 = digest_md(
        {
            "cs.CV": [
                paper_md(1, "2603.00001", "Video Diffusion Models", authors="Yann LeCun,Ada Lee"),
                paper_md(2, "2603.00002", "A Survey of Diffusion", authors="Alan Turing"),
            ],
            "cs.LG": [
                paper_md(
                    3,
                    "2603.00003",
                    "World Models",
                    section="cs.LG",
                    fields={"Abstract": "A learned WORLD  model."},
                )
            ],
        }
    )
    day2 = digest_md(
        {
            "cs.CL": [
                paper_md(
                    1,
                    "2603.00004",
                    "Talking",
                    section="cs.CL",
                    fields={"TL;DR": "扩散模型 diffusion"},
                )
            ]
        }
    )
    write(tmp_path / "2026-03-01.md", day1)
    write(tmp_path / "2026-03-10.md", day2)
    return load_library([tmp_path])


def _ids(query: str, library: Library, marks: MarkStore) -> list[str]:
    index = library_index(library.digests)
    return [p.id for p in search(parse_query(query), library.papers, library, marks, index)]


def test_search_finds_a_paper_by_its_translated_title(tmp_path: Path):
    heading = "### [1] [Secure Energy Trading](https://arxiv.org/abs/2603.00009)\n"
    paper = paper_md(1, "2603.00009", "Secure Energy Trading")
    translated = paper.replace(heading, f"{heading}> *安全的能源交易*\n\n")
    write(tmp_path / "2026-03-01.md", digest_md({"cs.CR": [translated]}))
    library = load_library([tmp_path])
    assert _ids("能源交易", library, MarkStore(tmp_path / "m.sqlite3")) == ["2603.00009"]


def test_search_finds_what_each_term_asks_for(tmp_path: Path):
    library = _library(tmp_path / "days")
    marks = MarkStore(tmp_path / "m.sqlite3")
    marks.set_read("2603.00001", True)
    marks.set_starred("2603.00002", True)
    cases = {
        "diffusion": ["2603.00004", "2603.00001", "2603.00002"],  # title, TL;DR; newest day first
        "diffusion video": ["2603.00001"],
        "diffusion -survey": ["2603.00004", "2603.00001"],
        '"world model"': ["2603.00003"],  # the abstract, white space and case aside
        "扩散": ["2603.00004"],
        "author:lecun": ["2603.00001"],
        "-author:lecun cat:cs.cv": ["2603.00002"],
        "cat:cs": ["2603.00004", "2603.00001", "2603.00002", "2603.00003"],
        "cat:cs.lg": ["2603.00003"],
        "is:read": ["2603.00001"],
        "is:unread diffusion": ["2603.00004", "2603.00002"],
        "is:starred": ["2603.00002"],
        "day:2026-03-10": ["2603.00004"],
        "since:2026-03-02": ["2603.00004"],
        "until:2026-03-09 world": ["2603.00003"],
        "2603.00003": ["2603.00003"],  # the arXiv id
        "nothing-like-this": [],
    }
    for query, expected in cases.items():
        assert _ids(query, library, marks) == expected, query


@given(
    st.lists(st.text(alphabet="abcAB éÉß中\n", max_size=30), min_size=1, max_size=6),
    st.text(alphabet="abBéÉß中 ", min_size=1, max_size=3),
)
def test_the_index_finds_exactly_the_papers_a_plain_search_finds(titles: list[str], needle: str):
    papers = [_paper(f"2601.{number:05d}", title) for number, title in enumerate(titles)]
    needle = " ".join(needle.split())
    if not needle:
        return
    text = digest_text(papers)
    expected = [p.id for p in papers if needle.casefold() in plain(p)]
    assert find_in(text, needle) == expected


def _paper(arxiv: str, title: str) -> Paper:
    return Paper(arxiv, title, "", "", ("A",), "cs.CV", "cs.CV", Source(Path("x"), 1),
                 content=Body(tldr=title[::-1]))  # fmt: skip


def test_the_cached_index_finds_the_same_and_a_changed_file_is_read_again(tmp_path: Path):
    folder = tmp_path / "days"
    _library(folder)  # first read: lists and search texts cached
    library = load_library([folder])  # warm: from the cache
    marks = MarkStore(tmp_path / "m.sqlite3")
    assert _ids("diffusion", library, marks) == ["2603.00004", "2603.00001", "2603.00002"]
    day = folder / "2026-03-10.md"
    day.write_text(day.read_text().replace("Talking", "Talking diffusion-free"), encoding="utf-8")
    library = load_library([folder])
    assert _ids("diffusion-free", library, marks) == ["2603.00004"]


def test_search_on_the_real_corpus_equals_a_plain_search_of_every_paper(tmp_path: Path):
    corpus = shared_or_skip("corpus", "days")
    loading = LibraryLoad(plan(discover([corpus])))
    for entry in loading.days:
        loading.read(entry)
    library = loading.library()
    index = loading.index()
    marks = MarkStore(tmp_path / "m.sqlite3")
    for words in ("model", "diffusion", "world model", "benchmark", "图像", "agent -llm"):
        query = parse_query(words)
        found = [p.id for p in search(query, library.papers, library, marks, index)]
        wanted = [t.value for t in query.terms if not t.negated]
        unwanted = [t.value for t in query.terms if t.negated]
        expected = [
            p.id
            for p in library.papers
            if all(w.casefold() in plain(p) for w in wanted)
            and not any(w.casefold() in plain(p) for w in unwanted)
        ]
        assert found == expected, words
        assert found, words


def test_a_day_whose_papers_all_appeared_on_a_newer_day_is_searched_once(tmp_path: Path):
    papers = [paper_md(1, "2603.00001", "Video diffusion"), paper_md(2, "2603.00002", "Other")]
    for day in ("2026-03-01", "2026-03-02"):  # the same papers twice: listed on both days
        write(tmp_path / "days" / f"{day}.md", digest_md({"cs.CV": papers}))
    for cached in (False, True, True):  # read from the files, then written to the cache, read
        library = load_library([tmp_path / "days"], cached=cached)
        marks = MarkStore(tmp_path / "m.sqlite3")
        assert _ids("video diffusion", library, marks) == ["2603.00001"]
        assert _ids("-video", library, marks) == ["2603.00002"]
        assert _ids("day:2026-03-01 other", library, marks) == ["2603.00002"]
