"""The ranking index: what it counts as words, how it ranks (For you, like:, relevance), that
it is kept in the cache and read back only whole, and that the process the reader builds it
in builds the same index."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from digest_tui import cache
from digest_tui.index import FIELD_END
from digest_tui.library import bundled_seeds, library_index, load_library
from digest_tui.query import QueryError, parse_query, search
from digest_tui.ranker import _build_apart
from digest_tui.ranking import Ranking, paper_words, ranking_of, words
from digest_tui.state import MarkStore
from tests.conftest import digest_md, paper_md, write


def doc(paper_id: str, title: str, abstract: str = "", tldr: str = "") -> tuple[str, str]:
    """A paper as the search index holds it: id, title, authors, TL;DR, abstract."""
    return paper_id, FIELD_END.join([paper_id, title.lower(), "ada", tldr, abstract.lower()])


TOPICS = {
    "graph": "graph neural networks message passing over node edges",
    "splat": "gaussian splatting renders radiance fields of scenes in real time",
    "auction": "auction mechanism design bidders equilibrium of the game",
}


def library_docs() -> list[tuple[str, str]]:
    """Four papers on each of three topics, and one on nothing else."""
    docs = []
    for number, (topic, text) in enumerate(TOPICS.items()):
        for k in range(4):
            docs.append(doc(f"{number}.{k}", f"{topic} paper {k}", f"{text} variant {k}"))
    docs.append(doc("9.9", "unrelated", "zebra crossing"))
    return docs


def test_words_are_english_words_without_stop_words_and_pairs_of_cjk_characters():
    assert words("The Diffusion model, of GPT-4o: 通过对比") == [
        "diffusion", "model", "gpt-4o", "通过", "过对", "对比"
    ]  # fmt: skip
    assert words("拡散モデル") == ["拡散", "散モ", "モデ", "デル"]
    title_twice = paper_words(doc("1", "Graph", "graph")[1])
    assert title_twice.count("graph") == 3  # the title counts twice


def test_like_lists_the_papers_of_the_same_topic_first_and_never_the_paper_itself():
    ranking = Ranking.build(library_docs())
    ids = [paper_id for paper_id, _ in library_docs()]
    like = ranking.like("1.0", ids)
    assert "1.0" not in like
    assert set(like[:3]) == {"1.1", "1.2", "1.3"}
    assert "9.9" not in like  # not a word in common
    assert ranking.like("1.0", ids, limit=2) == like[:2]
    assert ranking.like("1.0", ["1.0"]) == []


def test_for_you_ranks_papers_like_the_liked_ones_first_and_leaves_those_out():
    ranking = Ranking.build(library_docs())
    ids = [paper_id for paper_id, _ in library_docs()]
    ranked = ranking.for_you(["2.0", "2.1"], ids)
    assert set(ranked[:2]) == {"2.2", "2.3"}
    assert "2.0" not in ranked and "2.1" not in ranked
    assert len(ranked) == len(ids) - 2  # every other paper, ranked
    closest = ranking.closest("2.3", ["0.0", "2.0"])
    assert closest is not None and closest[0] == "2.0" and 0 < closest[1] <= 1
    assert ranking.closest("9.9", ["0.0"]) is None
    assert ranking.for_you([], ids) == ids  # nothing liked: as listed


def test_many_liked_papers_are_compared_in_blocks_with_the_same_result():
    docs = library_docs()
    ranking = Ranking.build(docs)
    ids = [paper_id for paper_id, _ in docs]
    liked = ["0.0"] + [f"x{k}" for k in range(200)] + ["1.0"]  # unknown ids are passed over
    scores, closest = ranking.similar(liked, ids)
    assert closest[ids.index("1.1")] == len(liked) - 1  # most like 1.0, the last liked
    assert closest[ids.index("0.1")] == 0
    assert scores[ids.index("9.9")] == 0 and closest[ids.index("9.9")] == -1


def test_relevance_ranks_a_word_in_the_title_above_the_same_word_in_the_abstract():
    docs = [
        doc("a", "a study", "we also use graph methods here among many other words"),
        doc("b", "graph learning", "a method for learning on many kinds of data"),
        doc("c", "nothing", "no match at all"),
        doc("d", "graph theory", "graph graph"),
    ]
    ranking = Ranking.build(docs)
    order = ranking.relevance(["graph"], ["a", "b", "c", "d"])
    assert order.index("b") < order.index("a") and order[-1] == "c"
    assert ranking.relevance(["zebra"], ["a", "b"]) == ["a", "b"]  # no such word: as listed


def test_an_index_reads_back_the_same_and_anything_else_is_refused():
    ranking = Ranking.build(library_docs())
    data = ranking.to_bytes()
    again = Ranking.read(data)
    ids = list(ranking.ids)
    assert again.ids == ranking.ids
    assert again.like("0.1", ids) == ranking.like("0.1", ids)
    assert again.relevance(["auction"], ids) == ranking.relevance(["auction"], ids)
    broken = bytearray(data)
    broken[data.index(b"\x93NUMPY", data.index(b"data.npy")) + 140] ^= 0xFF  # a weight
    for bad in (data[: len(data) // 2], bytes(broken), b"", b"PK\x03\x04 not a zip"):
        with pytest.raises(ValueError):
            Ranking.read(bad)


def test_an_empty_library_ranks_nothing():
    ranking = Ranking.build([])
    assert len(ranking) == 0 and ranking.like("x", []) == [] and ranking.for_you(["x"], []) == []
    assert Ranking.read(ranking.to_bytes()).ids == []


def write_day(folder: Path, day: str, titles: list[str]) -> Path:
    papers = [
        paper_md(n, f"2603.{day[-2:]}{n:03d}", title, fields={"Abstract": f"{title} abstract"})
        for n, title in enumerate(titles)
    ]
    return write(folder / f"{day}.md", digest_md({"cs.CV": papers}))


def test_the_index_is_kept_in_the_cache_and_made_again_when_a_digest_changes(
    tmp_path: Path, monkeypatch
):
    folder = tmp_path / "library"
    write_day(folder, "2026-03-01", ["Graph networks", "Gaussian splatting"])
    built = []
    build = Ranking.build.__func__

    def counted(cls, documents):
        built.append(1)
        return build(cls, documents)

    monkeypatch.setattr(Ranking, "build", classmethod(counted))
    index = library_index(load_library([folder]).digests)
    first = ranking_of(index)
    again = ranking_of(index)
    assert len(built) == 1 and again is not None and again.ids == first.ids
    write_day(folder, "2026-03-02", ["Graph transformers"])
    index = library_index(load_library([folder]).digests)
    assert len(ranking_of(index)) == 3 and len(built) == 2
    for kept in cache.cache_dir().glob("*.ranking"):
        kept.write_bytes(kept.read_bytes()[:100])  # cut short
    assert len(ranking_of(index)) == 3 and len(built) == 3


def test_the_process_the_reader_builds_in_makes_the_same_index():
    index = library_index(load_library(bundled_seeds()).digests)
    apart = Ranking.read(_build_apart(index.texts(), lambda: False))
    here = Ranking.build(index.documents())
    assert apart.ids == here.ids and len(here) == 72
    for paper_id in here.ids[:5]:
        assert apart.like(paper_id, here.ids) == here.like(paper_id, here.ids)
    assert _build_apart(index.texts(), lambda: True) is None  # cancelled


def test_a_failing_build_process_is_said(monkeypatch):
    index = library_index(load_library(bundled_seeds()).digests)
    monkeypatch.setattr(sys, "executable", str(Path(sys.executable).with_name("false")))
    if not Path(sys.executable).exists():
        monkeypatch.setattr(sys, "executable", "/bin/false")
    with pytest.raises(RuntimeError, match="ranking the library failed"):
        _build_apart(index.texts(), lambda: False)


def test_the_build_process_reads_documents_from_stdin_and_writes_the_index():
    from digest_tui.ranking import marshal

    docs = library_docs()
    ids = tuple(paper_id for paper_id, _ in docs)
    encoded = [text.encode() for _, text in docs]
    starts, offset = [], 0
    for part in encoded:
        starts.append(offset)
        offset += len(part) + 1
    payload = marshal.dumps((ids, tuple(starts), b"\x00".join(encoded)))
    command = [sys.executable, "-m", "digest_tui.ranking"]
    cut_short = subprocess.run(command, input=payload, capture_output=True)  # no end: stopped
    assert cut_short.returncode == 1 and cut_short.stdout == b""
    assert b"the documents ended before their end: nothing is kept" in cut_short.stderr
    done = subprocess.run(command, input=payload + marshal.dumps("end"), capture_output=True)
    assert done.returncode == 0, done.stderr
    ranking = Ranking.read(done.stdout)
    assert ranking.ids == list(ids)
    assert ranking.like("0.0", list(ids))[:3] == Ranking.build(docs).like("0.0", list(ids))[:3]


# -- in the query language ---------------------------------------------------------------------


def test_sort_and_like_are_read_and_their_mistakes_said():
    query = parse_query("diffusion like:2501.00042 sort:title")
    assert query.like == ("2501.00042",) and query.sort == "title" and query.needs_ranking
    assert parse_query("like:2501.00042").sort == "like"
    assert parse_query("diffusion").sort == "new" and not parse_query("x").needs_ranking
    assert parse_query("sort:Relevance").sort == "relevance"
    for text, message in [
        ("sort:best", "sort: takes new, old, title, relevance, foryou, not 'best' (column 1)"),
        ("-sort:new", "sort: cannot be excluded with - (column 1)"),
        ("a -like:1", "like: cannot be excluded with - (column 3)"),
        ("like:", "like: needs a value, like like:2501.00042 (column 1)"),
    ]:
        with pytest.raises(QueryError) as error:
            parse_query(text)
        assert str(error.value) == message
    for written in ("arXiv:2501.00042v2", "2501.00042v3", "https://arxiv.org/abs/2501.00042"):
        assert parse_query(f"like:{written}").like == ("2501.00042",)
    assert parse_query("like:cs/0501001v1").like == ("cs/0501001",)
    assert parse_query("like:https://example.org/paper").like == ("https://example.org/paper",)
    resorted = parse_query('"graph neural" sort:old -survey').sorted_by("title")
    assert resorted.text == '"graph neural" -survey sort:title'
    assert parse_query("like:1 sort:old").sorted_by("like").text == "like:1"


def test_a_query_orders_the_seeds_by_title_day_relevance_and_likeness(tmp_path: Path):
    library = load_library(bundled_seeds())
    index = library_index(library.digests)
    ranking = ranking_of(index)
    marks = MarkStore(tmp_path / "marks.sqlite3")

    def found(text: str) -> list:
        return search(parse_query(text), library.papers, library, marks, index, ranking)

    titles = [p.title for p in found("sort:title")]
    assert titles == sorted(titles, key=str.casefold) and len(titles) == 72
    old = found("sort:old")
    assert [p.day for p in old] == sorted(p.day for p in old)
    relevant = found("diffusion sort:relevance")
    assert {p.id for p in relevant} == {p.id for p in found("diffusion")}
    assert "diffusion" in relevant[0].title.lower()
    paper = library.papers[0]
    like = found(f"like:{paper.id}")
    assert paper.id not in [p.id for p in like] and 0 < len(like) <= 71
    assert found(f"like:{paper.id} sort:title") == sorted(like, key=lambda p: p.title.casefold())
    order = {p.id: n for n, p in enumerate(library.papers)}
    assert found(f"like:{paper.id} sort:new") == sorted(like, key=lambda p: order[p.id])
    no_ranking = search(parse_query(f"like:{paper.id}"), library.papers, library, marks, index)
    assert no_ranking == []  # no ranking index: no paper is like another
    marks.set_starred(like[0].id, True)
    for_you = found("sort:foryou")
    assert for_you[-1].id == like[0].id  # the liked paper last
    assert len(for_you) == 72


# -- from the command line ---------------------------------------------------------------------


def exported_ids(capsys) -> list[str]:
    return [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()]


def test_export_writes_papers_in_the_querys_order_and_limit_keeps_the_first(capsys):
    from digest_tui.cli import main

    library = load_library(bundled_seeds())
    paper = library.papers[3]
    assert main(["export", "--query", f"like:{paper.id}", "--limit", "5"]) == 0
    like = exported_ids(capsys)
    ranking = ranking_of(library_index(library.digests))
    assert like == ranking.like(paper.id, [p.id for p in library.papers])[:5]
    assert main(["export", "-q", "sort:title", "--limit", "3"]) == 0
    by_title = sorted(library.papers, key=lambda p: p.title.casefold())
    assert exported_ids(capsys) == [p.id for p in by_title[:3]]
    assert main(["export", "--limit", "2"]) == 0  # no query: the first two as listed
    assert exported_ids(capsys) == [p.id for p in library.papers[:2]]
    assert main(["export", "-q", "-zebra", "--limit", "1"]) == 0  # a query that starts with -
    assert exported_ids(capsys) == [library.papers[0].id]
    assert main(["export", "-q", "sort:foryou", "--limit", "1"]) == 0
    assert "sort:foryou: no starred or tagged papers yet" in capsys.readouterr().err


def test_export_says_what_is_wrong_with_a_limit_or_a_like(capsys):
    from digest_tui.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["export", "--limit", "0"])
    assert stopped.value.code == 2
    assert "--limit: '0': at least 1" in capsys.readouterr().err
    assert main(["export", "-q", "like:2601.99999"]) == 2
    assert "like:2601.99999: no such paper in the library" in capsys.readouterr().err


def test_the_reader_is_given_the_cached_file_or_the_index_itself_never_a_second_build(
    tmp_path: Path, monkeypatch
):
    from digest_tui import ranker

    index = library_index(load_library(bundled_seeds()).digests)
    made = ranker.prepared(index)
    assert isinstance(made, Path) and made.parent == cache.cache_dir()
    with monkeypatch.context() as patched:
        patched.setattr(ranker, "_build_apart", lambda *_: pytest.fail("built again"))
        assert ranker.prepared(index) == made  # kept: not built again
    assert len(Ranking.read(made)) == 72
    write(tmp_path / "a-file", "")
    monkeypatch.setenv("DIGEST_TUI_CACHE", str(tmp_path / "a-file" / "cache"))  # unwritable
    kept = ranker.prepared(index)
    assert isinstance(kept, bytes) and len(Ranking.read(kept)) == 72
