"""Papers out as JSON lines, Markdown, BibTeX, RIS, CSL-JSON and CSV, from the command line;
each reference format read back by a real reader of it (bibtexparser and pybtex, rispy,
citeproc-py)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from pathlib import Path

import bibtexparser
import pybtex.database
import pytest
import rispy
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from hypothesis import example, given
from hypothesis import strategies as st

from digest_tui.cli import main
from digest_tui.export import (
    FORMATS,
    bibtex_key,
    paper_bibtex,
    write_bibtex,
    write_csljson,
    write_csv,
    write_markdown,
    write_ris,
)
from digest_tui.library import bundled_seeds, day_of, is_dated, load_library
from digest_tui.model import Body, Paper, Source
from digest_tui.parse.markdown import parse_markdown
from digest_tui.state import MarkStore
from digest_tui.ui.paper_actions import export_path, write_list
from tests.conftest import digest_md, paper_md, workers_done, write


def _paper(**changes: object) -> Paper:
    fields = {
        "id": "2603.01234",
        "title": "$\\alpha$-ReLU: 100% {better} & faster_nets",
        "url": "https://arxiv.org/abs/2603.01234",
        "pdf": "",
        "authors": ("Jürgen Schmidhuber", "Ada Lovelace"),
        "category": "cs.LG",
        "section": "cs.LG",
        "source": Source(Path("d.md"), 1),
        "content": Body(tldr="Short.", abstract="Long\n\nabstract."),
    }
    fields.update(changes)
    return Paper(**fields)  # type: ignore[arg-type]


def test_bibtex_entry_escapes_tex_outside_math_and_keeps_capitals():
    entry = paper_bibtex(_paper())
    assert entry.startswith("@misc{schmidhuber2026relu,\n")
    assert "  title = {{$\\alpha$-ReLU: 100\\% {better} \\& faster\\_nets}},\n" in entry
    assert "  author = {Jürgen Schmidhuber and Ada Lovelace},\n" in entry
    assert "  year = {2026},\n  month = {3},\n" in entry  # the month of the arXiv id
    assert (
        "  eprint = {2603.01234},\n  archivePrefix = {arXiv},\n  primaryClass = {cs.LG},\n"
        "  doi = {10.48550/arXiv.2603.01234},\n"  # arXiv's DOI: reference managers merge by it
        "  url = {https://arxiv.org/abs/2603.01234},\n  keywords = {cs.LG},\n" in entry
    )
    assert entry.endswith("  abstract = {Long abstract.},\n}\n")
    unbalanced = paper_bibtex(_paper(title="A } broken { title"))
    assert "title = {{A \\textbraceright{} broken \\textbraceleft{} title}}" in unbalanced
    title = r"\textit{Ci} Poetry: C:\path, Dr.~RTL and M^3 {"  # shapes seen in real digests
    tex = paper_bibtex(_paper(title=title, authors=("Peter St\\ütz", "Smith, John")))
    assert (
        r"title = {{\textit{Ci} Poetry: C:\textbackslash{}path, Dr.\textasciitilde{}RTL and "
        r"M\textasciicircum{}3 \textbraceleft{}}}," in tex
    )
    assert r"author = {Peter St\textbackslash{}ütz and {Smith, John}}," in tex
    assert tex.startswith("@misc{stutz2026poetry,")  # the key's word is not a command's name


# Text as hostile as a digest can hold: TeX and BibTeX specials, braces and dollars that do not
# pair up, `and` and commas (which cut a name list), line breaks, any other character.
_HOSTILE = st.lists(
    st.one_of(
        st.sampled_from([*'{}\\%#&$~^_@,="\n ', " and ", "$x$", "\\{", "\\}", "\\%", "\\$"]),
        st.characters(exclude_categories=["Cs"]),
    ),
    max_size=30,
).map("".join)
_OUR_COMMANDS = re.compile(r"\\text(?:backslash|braceleft|braceright|asciitilde|asciicircum)\{\}")


def _letters(text: str) -> list[str]:
    """The letters and digits a reader sees, without the commands the export writes for
    specials."""
    return [char for char in _OUR_COMMANDS.sub("", text) if char.isalnum()]


@given(title=_HOSTILE, authors=st.lists(_HOSTILE, max_size=4), category=_HOSTILE, abstract=_HOSTILE)
def test_every_bibtex_entry_parses_whatever_its_text_holds(title, authors, category, abstract):
    paper = _paper(
        title=title, authors=tuple(authors), category=category, content=Body(abstract=abstract)
    )
    entry = paper_bibtex(paper)
    key = bibtex_key(paper)

    library = bibtexparser.parse_string(entry)
    assert not library.failed_blocks
    assert [parsed.key for parsed in library.entries] == [key]
    assert _letters(library.entries[0]["title"]) == _letters(title)

    database = pybtex.database.parse_string(entry, "bibtex")
    assert list(database.entries) == [key]
    parsed = database.entries[key]
    assert _letters(parsed.fields["title"]) == _letters(title)
    assert len(parsed.persons.get("author", [])) == len([a for a in authors if a.split()])
    assert _letters(parsed.fields.get("abstract", "")) == _letters(" ".join(abstract.split()))


@given(title=_HOSTILE, authors=st.lists(_HOSTILE, max_size=4), abstract=_HOSTILE)
def test_every_ris_record_reads_back_in_rispy(title, authors, abstract):
    paper = _paper(title=title, authors=tuple(authors), content=Body(abstract=abstract))
    out = io.StringIO()
    write_ris([paper, _paper()], out)
    first, second = rispy.loads(out.getvalue())
    assert first["type_of_reference"] == "ELEC"
    assert first.get("title", "") == " ".join(title.split())
    assert first.get("abstract", "") == " ".join(abstract.split())
    assert len(first.get("authors", [])) == len([a for a in authors if a.split()])
    assert first["doi"] == "10.48550/arXiv.2603.01234"
    assert second["authors"] == ["Schmidhuber, Jürgen", "Lovelace, Ada"]
    assert second["year"] == "2026" and second["keywords"] == ["cs.LG"]


def test_a_line_feed_in_a_field_never_starts_a_ris_tag():
    url = "https://arxiv.org/abs/2603.01234\nER  - \n\nTY  - JOUR\nTI  - Injected record"
    paper = _paper(url=url, categories=("cs.CV\nN1  - injected note",))
    out = io.StringIO()
    write_ris([paper], out)
    (record,) = rispy.loads(out.getvalue())  # one record: none forged
    assert record["keywords"] == ["cs.LG", "cs.CV N1 - injected note"]  # no N1 tag forged
    assert record["urls"] == [
        "https://arxiv.org/abs/2603.01234 ER - TY - JOUR TI - Injected record"
    ]


def test_csl_json_renders_in_citeproc():
    out = io.StringIO()
    write_csljson([_paper(), _paper(id="2601.00007", title="Second")], out)
    items = json.loads(out.getvalue())
    assert items[0]["author"] == [
        {"family": "Schmidhuber", "given": "Jürgen"},
        {"family": "Lovelace", "given": "Ada"},
    ]
    assert items[0]["issued"] == {"date-parts": [[2026, 3]]}
    assert items[0]["DOI"] == "10.48550/arXiv.2603.01234" and items[0]["type"] == "article"
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)  # (bundled)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert any("Schmidhuber" in entry and "2026" in entry for entry in rendered)
    assert any("Second" in entry for entry in rendered)


def test_bibtex_keys_stay_unique():
    out = io.StringIO()
    write_bibtex([_paper(), _paper(id="2603.09999")], out)
    assert "@misc{schmidhuber2026relu," in out.getvalue()
    assert "@misc{schmidhuber2026relua," in out.getvalue()


def test_markdown_export_reads_back_as_the_same_papers(tmp_path: Path):
    library = load_library(bundled_seeds())
    out = io.StringIO()
    assert write_markdown(library.papers, out) == 72
    digest = parse_markdown(out.getvalue(), tmp_path / "export.md")
    assert not digest.problems
    assert [p.id for p in digest.papers] == [p.id for p in _by_section(library.papers)]
    for before, after in zip(_by_section(library.papers), digest.papers, strict=True):
        assert (after.title, after.authors, after.category) == (
            before.title,
            before.authors,
            before.category,
        )
        for name in ("tldr", "motivation", "method", "result", "conclusion", "abstract"):
            assert after.body.__getattribute__(name) == " ".join(getattr(before, name).split())


def _by_section(papers):
    sections: dict[str, list[Paper]] = {}
    for paper in papers:
        sections.setdefault(paper.section, []).append(paper)
    return [paper for listed in sections.values() for paper in listed]


def test_csv_has_a_header_and_a_row_per_paper():
    out = io.StringIO()
    write_csv([_paper()], out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == [
        "id",
        "day",
        "title",
        "authors",
        "category",
        "url",
        "pdf",
        "tldr",
        "abstract",
    ]
    assert rows[1][0] == "2603.01234"
    assert rows[1][3] == "Jürgen Schmidhuber; Ada Lovelace"
    assert rows[1][8] == "Long\n\nabstract."


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_a_spreadsheet_would_run_are_text(start: str):
    formula = start + 'HYPERLINK("https://evil.example","click")'
    paper = _paper(title=formula, authors=(formula,), content=Body(tldr=formula, abstract="+1"))
    out = io.StringIO()
    write_csv([paper, _paper(title="x = y − z @ home")], out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[1][2:4] == ["'" + formula] * 2
    assert rows[1][7:] == ["'" + formula, "'+1"]
    assert rows[2][2] == "x = y − z @ home"  # only a cell's start makes a formula


def test_csv_for_excel_starts_with_a_byte_order_mark(tmp_path: Path):
    write(
        tmp_path / "2026-03-01.md",
        digest_md({"cs.CV": [paper_md(1, "2603.00001", "视频扩散模型")]}),
    )
    for fmt in ("csv", "csv-excel"):
        assert main(["export", "--format", fmt, "-o", str(tmp_path / fmt), str(tmp_path)]) == 0
    excel = (tmp_path / "csv-excel").read_bytes()
    assert excel == b"\xef\xbb\xbf" + (tmp_path / "csv").read_bytes()
    assert excel.count(b"\r\n") == 2  # the csv module's line ends, which Excel expects
    rows = list(csv.reader(io.StringIO(excel.decode("utf-8-sig"), newline="")))
    assert rows[0][:3] == ["id", "day", "title"]
    assert rows[1][:3] == ["2603.00001", "2026-03-01", "视频扩散模型"]


def _digests(tmp_path: Path) -> Path:
    write(
        tmp_path / "days" / "2026-03-01.md",
        digest_md(
            {
                "cs.CV": [
                    paper_md(1, "2603.00001", "Video diffusion", authors="Yann LeCun"),
                    paper_md(2, "2603.00002", "A survey of diffusion"),
                    paper_md(3, "2603.00003", "Something else"),
                ]
            }
        ),
    )
    return tmp_path / "days"


def test_a_list_exported_by_x_is_never_read_as_a_day(tmp_path: Path):
    folder = _digests(tmp_path)
    papers = load_library([folder]).papers
    path = export_path("Search: day:2026-03-01", datetime(2026, 11, 30, 15, 40, 29))
    assert path.name == "20261130-154029-search-day-20260301.md"
    assert write_list(papers, path) == 3

    library = load_library([folder, path.parent])
    assert set(library.days) == {"2026-03-01", f"export {path.stem}"}
    assert set(library.days_of("2603.00001")) == {"2026-03-01", f"export {path.stem}"}

    renamed = path.rename(path.with_name("2026-11-30-154029-all.md"))  # as x used to name it
    library = load_library([folder, renamed.parent])
    # its first line says: an export
    assert set(library.days) == {"2026-03-01", f"export {renamed.stem}"}
    assert set(library.days_of("2603.00001")) == {"2026-03-01", f"export {renamed.stem}"}


@given(st.text() | st.text("0123456789-/: ab"))
@example("since:2026-03-01")
def test_no_list_name_makes_an_export_look_like_a_day(list_name: str):
    path = export_path(list_name, datetime(2026, 11, 30, 15, 40, 29))
    assert day_of(path) == path.stem  # (not written: its name alone says it is no day)
    assert not is_dated(day_of(path))


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_query_in_each_format(tmp_path: Path, capsys, fmt: str):
    folder = _digests(tmp_path)
    assert main(["export", "--query", "diffusion -survey", "--format", fmt, str(folder)]) == 0
    out = capsys.readouterr().out
    assert "2603.00001" in out
    assert "2603.00002" not in out and "2603.00003" not in out
    if fmt == "jsonl":
        assert [json.loads(line)["id"] for line in out.splitlines()] == ["2603.00001"]


def test_export_starred_to_a_file(tmp_path: Path, capsys, isolated_user_dirs: Path):
    folder = _digests(tmp_path)
    store = MarkStore(isolated_user_dirs)
    store.set_starred("2603.00003", True)
    store.set_starred("2603.00002", True)
    store.close()
    target = tmp_path / "starred.bib"
    code = main(["export", "--starred", "-q", "survey", "--format", "bibtex", "-o", str(target),
                 str(folder)])  # fmt: skip
    assert code == 0
    assert "Wrote 1 paper to" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8").count("@misc{") == 1
    assert "2603.00002" in target.read_text(encoding="utf-8")


def test_exports_carry_days_and_marks_when_asked(tmp_path: Path, capsys, isolated_user_dirs):
    folder = _digests(tmp_path)
    write(folder / "2026-03-02.md", (folder / "2026-03-01.md").read_text())  # listed again
    store = MarkStore(isolated_user_dirs)
    store.set_starred("2603.00002", True)
    store.set_read("2603.00001", True)
    store.close()
    assert main(["export", "--marks", str(folder)]) == 0
    records = {r["id"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert records["2603.00001"]["days"] == ["2026-03-02", "2026-03-01"]
    assert (records["2603.00001"]["read"], records["2603.00001"]["starred"]) == (True, False)
    assert (records["2603.00002"]["read"], records["2603.00002"]["starred"]) == (False, True)
    assert main(["export", "--marks", "--format", "csv", str(folder)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["days"] == "2026-03-02; 2026-03-01" and rows[0]["read"] == "true"
    assert main(["export", str(folder)]) == 0  # not asked: not there
    assert "starred" not in json.loads(capsys.readouterr().out.splitlines()[0])


def test_a_bad_query_is_one_line_and_exit_2(tmp_path: Path, capsys):
    assert main(["export", "--query", 'gan "open', str(_digests(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert err.startswith("digest-tui: --query 'gan \"open': a quote \" is not closed (column 5)")


def test_an_export_renamed_to_a_date_is_still_not_that_day(tmp_path):
    """Copied as `b/2026-03-10.md` beside the real day, an export was merged into it (every
    paper 'appears again')."""
    day = write(tmp_path / "a" / "2026-03-10.md", digest_md({"cs.CV": [paper_md(1, "2603.00001")]}))
    export = tmp_path / "b" / "2026-03-10.md"
    export.parent.mkdir()
    write_list(load_library([day]).papers, export)
    library = load_library([tmp_path])
    assert list(library.days) == ["2026-03-10", "export 2026-03-10"]
    assert library.problems == ()
    assert library.days_of("2603.00001") == ["2026-03-10", "export 2026-03-10"]


async def test_capital_x_exports_the_list_in_the_format_chosen(tmp_path: Path, isolated_user_dirs):
    from digest_tui.ui.app import make_app
    from digest_tui.ui.screens.choice import ChoiceScreen
    from tests.test_app import started

    app = make_app([_digests(tmp_path)], MarkStore(isolated_user_dirs))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await started(app, pilot)
        await pilot.press("X")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press(*["j"] * FORMATS.index("ris"), "enter")
        await workers_done(app)
        await pilot.pause()
    (written,) = (tmp_path / "home").rglob("*.ris")
    records = rispy.loads(written.read_text(encoding="utf-8"))
    assert sorted(record["doi"] for record in records) == [
        f"10.48550/arXiv.2603.0000{n}" for n in (1, 2, 3)
    ]
