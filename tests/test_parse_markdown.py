from __future__ import annotations

from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from digest_tui.model import FIELDS
from digest_tui.parse import parse_markdown, read_digest
from tests.conftest import SEED_A, SEED_B, digest_md, paper_md, write


def test_seeds_have_their_papers_in_their_sections():
    a, b = read_digest(SEED_A), read_digest(SEED_B)
    assert len(a.papers) == len(b.papers) == 36
    assert Counter(p.section for p in a.papers) == {"cs.CV": 6, "cs.LG": 22, "cs.AI": 4, "cs.CL": 4}
    assert Counter(p.section for p in b.papers) == {
        "cs.CV": 12,
        "cs.LG": 11,
        "cs.AI": 7,
        "cs.CL": 4,
        "cs.RO": 2,
    }
    assert a.toc == {"cs.CV": 6, "cs.LG": 22, "cs.AI": 4, "cs.CL": 4}
    assert a.problems == b.problems == ()


def test_every_seed_paper_has_all_six_fields_and_its_links():
    for paper in read_digest(SEED_A).papers + read_digest(SEED_B).papers:
        for name, _ in FIELDS:
            assert getattr(paper, name).strip(), (paper.id, name)
        assert paper.title and paper.authors and paper.category
        assert paper.url == f"https://arxiv.org/abs/{paper.id}"
        assert paper.pdf == f"https://arxiv.org/pdf/{paper.id}"
        assert paper.source.path == SEED_A or paper.source.path == SEED_B


def test_first_seed_paper_reads_exactly():
    paper = read_digest(SEED_A).papers[0]
    assert paper.id == "2602.03039"
    assert paper.title.startswith("HP-GAN: Harnessing pretrained networks")
    assert paper.authors == ("Geonhui Son", "Jeong Ryong Lee", "Dosik Hwang")
    assert paper.category == paper.section == "cs.CV"
    assert paper.tldr.startswith("HP-GAN通过FakeTwins")
    assert paper.abstract.endswith("https://github.com/higun2/HP-GAN.")
    assert paper.source.line == 15


def test_multi_line_abstract_comes_out_whole():
    paper = next(p for p in read_digest(SEED_A).papers if p.title.startswith("BiTimeCrossNet"))
    assert paper.abstract.startswith("We present BiTimeCrossNet (BTCNet)")
    assert "  We evaluate BTCNet on pediatric sleep data" in paper.abstract
    assert paper.abstract.endswith("particularly on respiration-related tasks.")
    assert "</details>" not in paper.abstract


def test_title_with_brackets_parentheses_and_versioned_link(tmp_path: Path):
    title = "[Re] A $\\beta$-VAE (revisited) [with] | pipes"
    text = digest_md({"cs.LG": [paper_md(1, "2401.00001v2", title)]})
    paper = parse_markdown(text, tmp_path / "d.md").papers[0]
    assert paper.title == title
    assert paper.id == "2401.00001"
    assert paper.url == "https://arxiv.org/abs/2401.00001v2"
    assert paper.pdf == "https://arxiv.org/pdf/2401.00001"


def test_fields_over_several_lines_keep_their_text(tmp_path: Path):
    fields = {"Method": "1) first step\n2) second step\n\nafter a blank line"}
    text = digest_md({"cs.LG": [paper_md(1, "2401.00001", fields=fields)]})
    paper = parse_markdown(text, tmp_path / "d.md").papers[0]
    assert paper.method == "1) first step\n2) second step\n\nafter a blank line"
    assert paper.result == "result 2401.00001"


def test_problems_name_file_and_line_and_the_rest_still_loads(tmp_path: Path):
    good = paper_md(2, "2401.00002")
    broken = "### [1] A heading with no link\n*Someone*\n\n"
    stray = paper_md(3, "2401.00003").replace(
        "Main category: cs.CV", "Main category: cs.CV\nstray text here"
    )
    text = digest_md({"cs.CV": [broken, good, stray]}, totals={"cs.CV": 5})
    path = tmp_path / "day.md"
    digest = parse_markdown(text, path)
    assert [p.id for p in digest.papers] == ["2401.00002", "2401.00003"]
    lines = text.split("\n")
    messages = [(p.source.line, p.message) for p in digest.problems]
    assert (
        lines.index("### [1] A heading with no link") + 1,
        "paper heading without a title link",
    ) in messages
    assert (
        lines.index("stray text here") + 1,
        "unknown line in paper: stray text here",
    ) in messages
    toc_line = lines.index("- [cs.CV](#cs.CV) [Total: 5]") + 1
    assert (toc_line, "table of contents says cs.CV has 5 papers, the section has 2") in messages
    assert str(digest.problems[0]).startswith(f"{path}:")


def test_markup_and_control_sequences_are_data(tmp_path: Path):
    title = "[bold red]Loud[/bold red] \x1b]0;pwned\x07title\x1b[2J with\x07 bell\u202e"
    text = digest_md({"cs.CV": [paper_md(1, "2401.00001", title)]})
    paper = parse_markdown(text, tmp_path / "d.md").papers[0]
    assert paper.title == "[bold red]Loud[/bold red] title with bell"


def test_invalid_utf8_and_bom_and_crlf(tmp_path: Path):
    text = digest_md({"cs.CV": [paper_md(1, "2401.00001"), paper_md(2, "2401.00002")]})
    data = (
        ("\ufeff" + text)
        .replace("\n", "\r\n")
        .encode()
        .replace(b"tldr 2401.00002", b"tldr \xff\xfe")
    )
    path = tmp_path / "d.md"
    path.write_bytes(data)
    digest = read_digest(path)
    assert [p.id for p in digest.papers] == ["2401.00001", "2401.00002"]
    assert digest.papers[0].tldr == "tldr 2401.00001"
    assert digest.papers[1].tldr == "tldr \ufffd\ufffd"
    bad_line = text.split("\n").index("TL;DR: tldr 2401.00002") + 1
    assert [str(p) for p in digest.problems] == [
        f"{path}:{bad_line}: invalid UTF-8 bytes, replaced"
    ]


def test_empty_file_is_an_empty_digest(tmp_path: Path):
    digest = read_digest(write(tmp_path / "empty.md", ""))
    assert digest.papers == () and digest.problems == ()


_SEED_LINES = SEED_A.read_text(encoding="utf-8").split("\n")


@settings(deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_SEED_LINES), st.text(max_size=80)), max_size=120))
def test_parser_never_raises_and_every_paper_has_a_source(lines: list[str]):
    text = "\n".join(lines)
    last_line = text.replace("\r\n", "\n").count("\n") + 1
    digest = parse_markdown(text, Path("fuzz.md"))
    for paper in digest.papers:
        assert 1 <= paper.source.line <= last_line
        assert paper.title
    for problem in digest.problems:
        assert 1 <= problem.source.line <= last_line


_WORDS = (
    st.text(
        alphabet=st.characters(
            codec="utf-8",
            categories=("L", "N", "Zs"),
            include_characters="()[]|$^_{}\\-+=.,;!?'\"&#%/<>",
            exclude_characters="\r\n\t\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
        ),
        min_size=1,
        max_size=60,
    )
    .map(str.strip)
    .filter(bool)
)


def _line_is_text(line: str) -> bool:
    """A generated line that cannot be read as a label, a heading or markup of the template."""
    from digest_tui.parse.labels import match_label

    stripped = line.strip()
    return (
        bool(stripped)
        and match_label(line, True) is None
        and not stripped.startswith(("#", "*", "<", ">", "-", "[", "|"))
    )


_FIELD = st.lists(_WORDS.filter(_line_is_text), min_size=1, max_size=4).map("\n  ".join)


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(_WORDS.filter(lambda t: not t.startswith("[") and "](" not in t), st.booleans()),
        min_size=1,
        max_size=20,
    )
)
def test_every_well_formed_paper_header_yields_exactly_one_paper(titles):
    lines = []
    for number, (title, indexed) in enumerate(titles, start=1):
        index = f"[{number}] " if indexed else ""
        lines += [f"### {index}[{title}](https://arxiv.org/abs/2401.{number:05d})", "", "noise", ""]
    digest = parse_markdown("\n".join(lines), Path("gen.md"))
    assert [(p.id, p.title) for p in digest.papers] == [
        (f"2401.{n:05d}", title) for n, (title, _) in enumerate(titles, start=1)
    ]


@settings(deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "title": _WORDS.filter(lambda t: not t.startswith("[") and "](" not in t),
                "authors": st.lists(
                    _WORDS.filter(lambda a: "," not in a and "*" not in a), min_size=1, max_size=5
                ),
                "section": st.sampled_from(["cs.CV", "quant-ph", "math.OC", "eess.IV"]),
                **{name: _FIELD for name, _ in FIELDS},
            }
        ),
        min_size=1,
        max_size=6,
    )
)
def test_a_model_rendered_in_the_upstream_template_parses_back_the_same(papers):
    """The template, as upstream's to_md/convert.py writes it (see ../shared/corpus/README.md)."""
    sections: dict[str, list[str]] = {}
    for number, paper in enumerate(papers, start=1):
        sections.setdefault(paper["section"], []).append(
            f"### [{number}] [{paper['title']}](https://arxiv.org/abs/2401.{number:05d})\n"
            f"*{','.join(paper['authors'])}*\n\n"
            f"Main category: {paper['section']}\n\n"
            f"TL;DR: {paper['tldr']}\n\n\n"
            "<details>\n  <summary>Details</summary>\n"
            f"Motivation: {paper['motivation']}\n\n"
            f"Method: {paper['method']}\n\n"
            f"Result: {paper['result']}\n\n"
            f"Conclusion: {paper['conclusion']}\n\n"
            f"Abstract: {paper['abstract']}\n\n"
            "</details>\n\n"
        )
    toc = "\n".join(f"- [{s}](#{s}) [Total: {len(p)}]" for s, p in sections.items())
    body = "".join(
        f"\n\n<div id='{s}'></div>\n\n# {s} [[Back]](#toc)\n\n" + "".join(p)
        for s, p in sections.items()
    )
    text = f"<div id=toc></div>\n\n# Table of Contents\n\n{toc}\n{body}"
    digest = parse_markdown(text, Path("gen.md"))
    assert digest == parse_markdown(text, Path("gen.md"), fast=False)  # both readers agree
    assert digest.problems == ()
    order = [p for s in sections for p in papers if p["section"] == s]
    assert len(digest.papers) == len(order)
    for got, want in zip(digest.papers, order, strict=True):
        assert got.title == want["title"]
        assert list(got.authors) == want["authors"]
        assert got.section == got.category == want["section"]
        for name, _ in FIELDS:
            assert getattr(got, name) == want[name], name


_SPLICES = st.sampled_from(
    [*_SEED_LINES, "", " ", "#### x", "# cs.XX", "**Bold**: y", "> quote", "  indented",
     "</details>", "<details>", "Task: t", "*A,B*", "---", "<div id='x'></div>"]
)  # fmt: skip


@given(st.lists(st.tuples(st.integers(0, 200), _SPLICES), max_size=40))
def test_the_template_fast_path_reads_any_text_as_the_line_scanner_does(splices):
    """Seed text with lines spliced in anywhere: both readers must agree on all of it."""
    lines = SEED_A.read_text(encoding="utf-8").split("\n")[:200]
    for position, line in splices:
        lines.insert(position, line)
    text = "\n".join(lines)
    assert parse_markdown(text, Path("x.md")) == parse_markdown(text, Path("x.md"), fast=False)


@given(st.text(alphabet=st.characters(codec="utf-8", max_codepoint=0x2100), max_size=60))
def test_the_byte_check_finds_exactly_what_clean_removes(text: str):
    from digest_tui.text import clean, has_controls

    data = text.encode("utf-8")
    assert has_controls(data) == (clean(text) != text or "\r" in text)


def linked(number: int, arxiv: str, title: str, link: str) -> str:
    """A paper whose heading links `link` (`{url}` in it: the paper's abstract page)."""
    url = f"https://arxiv.org/abs/{arxiv}"
    return paper_md(number, arxiv, title).replace(f"({url})", link.format(url=url))


def test_a_heading_link_with_more_than_the_address_is_read_or_reported():
    """`(url v2)` and `(url "title")` are read (the link is the first word); a link that
    cannot be read is a problem line, never a paper dropped without a word, nor a category."""

    papers = [
        paper_md(1, "2601.30001", "Plain"),
        linked(2, "2601.30002", "Spaced", "({url} v2)"),
        linked(3, "2601.30003", "Quoted", '({url} "a \\"quote\\" inside")'),
        linked(4, "2601.30004", "Unclosed", "({url} v2"),
    ]
    text = digest_md({"cs.CV": papers})
    digest = parse_markdown(text, Path("day.md"))
    assert [(p.id, p.title, p.section, p.tldr) for p in digest.papers] == [
        ("2601.30001", "Plain", "cs.CV", "tldr 2601.30001"),
        ("2601.30002", "Spaced", "cs.CV", "tldr 2601.30002"),
        ("2601.30003", "Quoted", "cs.CV", "tldr 2601.30003"),
    ]
    assert digest.papers[1].url == "https://arxiv.org/abs/2601.30002"
    messages = [str(problem) for problem in digest.problems]
    unclosed = 1 + text.splitlines().index(papers[3].splitlines()[0])
    assert messages[1:] == [
        f"day.md:{unclosed}: paper heading whose link cannot be read; its paper is left out"
    ]


def test_a_heading_that_links_nothing_readable_is_a_problem_not_a_section():
    """`[t]()` was read as a section holding the papers after it; `(<url>)` kept its `>`;
    `(…/abs/2601. 30017)` gave the id `2601.`."""

    papers = [
        paper_md(1, "2601.30001", "Plain"),
        linked(2, "2601.30002", "Empty", "()"),
        paper_md(3, "2601.30003", "After"),
        linked(4, "2601.30006", "Angle", "(<{url}>)"),
        linked(5, "2601.30017", "Spaced", "(https://arxiv.org/abs/2601. 30017)"),
    ]
    text = digest_md({"cs.CV": papers})
    digest = parse_markdown(text, Path("day.md"))
    assert [(p.id, p.section) for p in digest.papers] == [
        ("2601.30001", "cs.CV"),
        ("2601.30003", "cs.CV"),
        ("2601.30006", "cs.CV"),
        ("2601.", "cs.CV"),
    ]
    line = {n: 1 + text.splitlines().index(p.splitlines()[0]) for n, p in enumerate(papers)}
    assert [str(p) for p in digest.problems][1:] == [
        f"day.md:{line[1]}: paper heading whose link cannot be read; its paper is left out",
        f"day.md:{line[4]}: paper heading links no arXiv id that can be read: 2601.",
    ]
