"""Papers out to files, for scripts, reference managers, spreadsheets and other readers."""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import TextIO
from urllib.parse import quote

from digest_tui.library import EXPORT_MARKER
from digest_tui.model import FIELDS, Paper
from digest_tui.state import MarkStore

_NEW_ARXIV_ID = re.compile(r"(\d{2})(\d{2})\.\d{4,5}")
_MATH = re.compile(r"(\$[^$]*\$)")
# A field's text in pieces: `$…$` math, a font command titles use (`\textit{…}`), an escaped
# special (`\%`), a special, a run of the rest.
_TEX_PIECE = re.compile(
    r"\$[^$]*\$|\\(?:emph|text(?:bf|it|rm|sc|sf|tt))(?=\{)|\\[$%&#_{}]|[\\{}~^$%&#_]|[^\\{}~^$%&#_]+"
)
_TEX_TEXT = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    r"\{": r"\textbraceleft{}",
    r"\}": r"\textbraceright{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    **{char: "\\" + char for char in "$%&#_"},
}
_URL_SAFE = ":/?#[]@!$&'()*+,;=%"  # a URL's own syntax; braces, spaces and the like encoded
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = ("id", "day", "title", "authors", "category", "url", "pdf", "tldr", "abstract")
MARK_COLUMNS = ("days", "read", "starred", "tags", "note")  # with --marks: days, your marks
# A paper's marks, for an export that carries them: {"days": [...], "read": …, "starred": …}
Marks = Callable[[Paper], dict[str, object]]


def marks_of(days_of: Callable[[str], list[str]], store: MarkStore) -> Marks:
    """What an export carries of each paper when asked: the days that list it, your marks,
    tags and note."""
    return lambda paper: {
        "days": days_of(paper.id),
        "read": store.is_read(paper.id),
        "starred": store.is_starred(paper.id),
        "tags": list(store.tags(paper.id)),
        "note": store.note(paper.id),
    }


def paper_record(paper: Paper) -> dict[str, object]:
    body = paper.read_body()
    return {
        "id": paper.id,
        "title": paper.title,
        "authors": list(paper.authors),
        "category": paper.category,
        "tldr": body.tldr,
        "motivation": body.motivation,
        "method": body.method,
        "result": body.result,
        "conclusion": body.conclusion,
        "abstract": body.abstract,
        "url": paper.url,
        "pdf": paper.pdf,
        "source": str(paper.source),
    }


def write_jsonl(papers: Iterable[Paper], out: TextIO, marks: Marks | None = None) -> int:
    count = 0
    for paper in papers:
        record = paper_record(paper) | (marks(paper) if marks else {})
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_markdown(papers: Iterable[Paper], out: TextIO, marks: Marks | None = None) -> int:
    """The papers as a digest in the upstream template, section by section (so digest-tui, and
    anything else that reads digests, can read the export back), marked as an export."""
    by_section: dict[str, list[Paper]] = {}
    for paper in papers:
        by_section.setdefault(paper.section or paper.category or "Papers", []).append(paper)
    out.write(f"{EXPORT_MARKER}: a list of papers, not a day's digest -->\n")
    out.write("<div id=toc></div>\n\n# Table of Contents\n\n")
    for section, listed in by_section.items():
        out.write(f"- [{section}](#{section}) [Total: {len(listed)}]\n")
    count = 0
    for section, listed in by_section.items():
        out.write(f"\n\n<div id='{section}'></div>\n\n# {section} [[Back]](#toc)\n\n")
        for number, paper in enumerate(listed, 1):
            out.write(paper_markdown(paper, number))
            count += 1
    return count


def paper_markdown(paper: Paper, number: int = 1) -> str:
    body = paper.read_body()
    details = "\n\n".join(
        f"{label}: {_one_line(getattr(body, name))}" for name, label in FIELDS[1:]
    )
    return (
        f"### [{number}] [{_one_line(paper.title)}]({paper.url})\n"
        f"*{','.join(paper.authors)}*\n\n"
        f"Main category: {paper.category}\n\n"
        f"TL;DR: {_one_line(body.tldr)}\n\n\n"
        f"<details>\n  <summary>Details</summary>\n{details}\n\n</details>\n\n"
    )


def _one_line(text: str) -> str:
    """A field on one line: a blank line inside it would end it in the template."""
    return " ".join(text.split())


def bibtex_key(paper: Paper) -> str:
    """`surname` + `year` + the title's first long word: `schmidhuber2026relu`."""
    year = _year(paper)
    surname = paper.authors[0].split()[-1] if paper.authors and paper.authors[0].split() else ""
    title = re.sub(r"\\[A-Za-z]+", " ", _MATH.sub(" ", paper.title))  # not math, not a command
    words = [w for w in re.findall(r"[A-Za-z]+", _ascii(title)) if len(w) > 3]
    key = f"{_ascii(surname).lower()}{year}{words[0].lower() if words else ''}"
    return re.sub(r"[^a-z0-9]", "", key) or f"arxiv{re.sub(r'[^0-9]', '', paper.id)}"


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _year(paper: Paper) -> str:
    match = _NEW_ARXIV_ID.fullmatch(paper.id)
    if match:
        return f"20{match.group(1)}"
    return paper.day[:4] if paper.day[:4].isdigit() else ""


def _bibtex_value(text: str) -> str:
    """Text inside a BibTeX `{…}` that every parser reads and LaTeX typesets as written: TeX
    specials escaped, `$…$` math passed through when it is sound, braces kept only as pairs
    (BibTeX counts every brace, even after a backslash: a lone one is written as a command)."""
    pieces: list[str] = []
    for piece in _TEX_PIECE.findall(_one_line(text)):
        if piece[0] == "$" and len(piece) > 1 and not _sound_math(piece):
            pieces += ["$", *_TEX_PIECE.findall(piece[1:-1]), "$"]  # no `$` inside: no math
        else:
            pieces.append(piece)
    opened: list[int] = []
    paired: set[int] = set()
    for index, piece in enumerate(pieces):
        if piece == "{":
            opened.append(index)
        elif piece == "}" and opened:
            paired.update((opened.pop(), index))
    return "".join(piece if index in paired else _tex(piece) for index, piece in enumerate(pieces))


def _sound_math(span: str) -> bool:
    """`$…$` that LaTeX closes and whose braces pair up however they are counted: with or
    without the ones after a backslash (BibTeX counts those, bibtexparser does not)."""
    inner = span[1:-1]
    return (
        inner.strip() != ""
        and not inner.endswith("\\")
        and _nested(re.findall(r"[{}]", inner))
        and _nested(re.findall(r"(?<!\\)[{}]", inner))
    )


def _nested(braces: list[str]) -> bool:
    depth = 0
    for brace in braces:
        depth += 1 if brace == "{" else -1
        if depth < 0:
            return False
    return depth == 0


def _tex(piece: str) -> str:
    if piece in _TEX_TEXT:
        return _TEX_TEXT[piece]
    if piece[0] == "$":  # sound math: only what would end or break it in LaTeX is escaped
        return re.sub(r"(?<!\\)([%#&])", r"\\\1", piece)
    return piece  # plain text, a font command, or a special the text escaped already (`\%`)


def _bibtex_name(name: str) -> str:
    """An author for a BibTeX name list: braced whole when a comma or an `and` in it would cut
    it into several names or reorder it."""
    value = _bibtex_value(name)
    return f"{{{value}}}" if re.search(r",|(?:^|\s)and(?:\s|$)", value, re.I) else value


def _is_arxiv(paper: Paper) -> bool:
    return bool(_NEW_ARXIV_ID.fullmatch(paper.id) or re.fullmatch(r"[a-z-]+/\d{7}", paper.id))


def _month(paper: Paper) -> int | None:
    """The month an arXiv id was given (`2603.01234`: March), else the day's."""
    match = _NEW_ARXIV_ID.fullmatch(paper.id)
    month = match.group(2) if match else paper.day[5:7]
    return int(month) if month.isdigit() and 1 <= int(month) <= 12 else None


def doi(paper: Paper) -> str:
    """The DOI arXiv gives every paper (reference managers deduplicate by it), or ''."""
    return f"10.48550/arXiv.{paper.id}" if _is_arxiv(paper) else ""


def _categories(paper: Paper) -> list[str]:
    return list(dict.fromkeys(filter(None, [paper.category, *paper.categories])))


def _yours(paper: Paper, marks: Marks | None) -> tuple[list[str], str]:
    """Your tags and note of the paper, when the export carries them."""
    if marks is None:
        return [], ""
    mine = marks(paper)
    return list(mine.get("tags") or ()), str(mine.get("note") or "")  # type: ignore[call-overload]


def paper_bibtex(paper: Paper, key: str = "", marks: Marks | None = None) -> str:
    """An `@misc` entry, under `key` (default: `bibtex_key`); your tags among its keywords
    and your note as its `note` when `marks` are given."""
    tags, note = _yours(paper, marks)
    year, month = _year(paper), _month(paper)
    fields = [
        ("title", "{" + _bibtex_value(paper.title) + "}"),  # inner braces keep its capitals
        ("author", " and ".join(filter(None, map(_bibtex_name, paper.authors)))),
        ("year", year),
        ("month", str(month) if month else ""),
    ]
    if _is_arxiv(paper):
        fields += [("eprint", paper.id), ("archivePrefix", "arXiv")]
        if paper.category:
            fields.append(("primaryClass", _bibtex_value(paper.category)))
        fields.append(("doi", doi(paper)))
    fields.append(("url", quote(paper.url, safe=_URL_SAFE)))
    fields.append(("keywords", _bibtex_value(", ".join([*_categories(paper), *tags]))))
    fields.append(("abstract", _bibtex_value(paper.read_body().abstract)))
    fields.append(("note", _bibtex_value(note)))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields if value)
    return f"@misc{{{key or bibtex_key(paper)},\n{body}}}\n"


def write_bibtex(papers: Iterable[Paper], out: TextIO, marks: Marks | None = None) -> int:
    count, keys = 0, set[str]()
    for paper in papers:
        key = unique = bibtex_key(paper)
        suffix = ord("a")
        while unique in keys:  # two papers, same surname, year and word: key2026worda, …b
            unique, suffix = key + chr(suffix), suffix + 1
        keys.add(unique)
        out.write(("\n" if count else "") + paper_bibtex(paper, unique, marks))
        count += 1
    return count


def _name_parts(name: str) -> tuple[str, str]:
    """(family, given) of "Given Names Family" (a digest lists authors that way)."""
    words = name.split()
    return (words[-1], " ".join(words[:-1])) if words else ("", "")


def paper_ris(paper: Paper, marks: Marks | None = None) -> str:
    """A RIS record (Zotero, EndNote, Mendeley read it): TY ELEC, as Zotero files arXiv links;
    your tags as keywords and your note as N1 when `marks` are given."""
    year, month = _year(paper), _month(paper)
    tags, note = _yours(paper, marks)
    lines = [("TY", "ELEC"), ("TI", _one_line(paper.title))]
    lines += [("AU", ", ".join(filter(None, _name_parts(_one_line(a))))) for a in paper.authors]
    if year:
        lines += [("PY", year), ("DA", f"{year}/{month:02d}/" if month else f"{year}///")]
    lines += [("DO", doi(paper)), ("UR", paper.url), ("AB", _one_line(paper.read_body().abstract))]
    lines += [("KW", keyword) for keyword in [*_categories(paper), *tags]]
    lines.append(("N1", note))
    if _is_arxiv(paper):
        lines += [("PB", "arXiv"), ("M1", f"arXiv:{paper.id}")]
    # Every value on one line: a line feed in a digest's field would start a forged tag.
    values = [(tag, _one_line(value)) for tag, value in lines]
    return "".join(f"{tag}  - {value}\n" for tag, value in values if value) + "ER  - \n"


def write_ris(papers: Iterable[Paper], out: TextIO, marks: Marks | None = None) -> int:
    count = 0
    for paper in papers:
        out.write(("\n" if count else "") + paper_ris(paper, marks))
        count += 1
    return count


def paper_csl(paper: Paper, marks: Marks | None = None) -> dict[str, object]:
    """A CSL-JSON item (what Zotero, Pandoc and citeproc read): a preprint on arXiv; your
    tags among its keywords and your note as its note when `marks` are given."""
    year, month = _year(paper), _month(paper)
    tags, note = _yours(paper, marks)
    item: dict[str, object] = {
        "id": paper.id,
        "type": "article",  # CSL's type for a preprint or working paper
        "title": _one_line(paper.title),
        "author": [
            {"family": family, "given": given} if given else {"literal": family}
            for family, given in map(_name_parts, map(_one_line, paper.authors))
            if family
        ],
        "URL": paper.url,
        "abstract": _one_line(paper.read_body().abstract),
        "keyword": ", ".join([*_categories(paper), *tags]),
        "note": note,
    }
    if year:
        item["issued"] = {"date-parts": [[int(year), month] if month else [int(year)]]}
    if _is_arxiv(paper):
        item.update(DOI=doi(paper), number=paper.id, publisher="arXiv", genre="Preprint")
    return {key: value for key, value in item.items() if value}


def write_csljson(papers: Iterable[Paper], out: TextIO, marks: Marks | None = None) -> int:
    items = [paper_csl(paper, marks) for paper in papers]
    json.dump(items, out, ensure_ascii=False, indent=1)
    out.write("\n")
    return len(items)


def write_csv(papers: Iterable[Paper], out: TextIO, marks: Marks | None = None) -> int:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS + (MARK_COLUMNS if marks else ()))
    count = 0
    for paper in papers:
        body = paper.read_body()
        row = [paper.id, paper.day, paper.title, "; ".join(paper.authors), paper.category,
               paper.url, paper.pdf, body.tldr, body.abstract]  # fmt: skip
        if marks:
            mine = marks(paper)
            row += ["; ".join(mine["days"]), str(mine["read"]).lower()]  # type: ignore[arg-type]
            row += [str(mine["starred"]).lower(), "; ".join(mine["tags"]), str(mine["note"])]  # type: ignore[arg-type]
        writer.writerow(map(_cell, row))
        count += 1
    return count


def write_csv_excel(papers: Iterable[Paper], out: TextIO, marks: Marks | None = None) -> int:
    """CSV that Excel opens right: without a byte-order mark it reads UTF-8 in the local code
    page, and Chinese summaries come out garbled."""
    out.write("\ufeff")
    return write_csv(papers, out, marks)


def _cell(text: str) -> str:
    """A cell a spreadsheet shows as text: one that starts like a formula (`=`, `+`, `-`, `@`,
    tab, carriage return) gets a `'` first, as OWASP advises against CSV injection."""
    return "'" + text if text.startswith(_FORMULA_START) else text


WRITERS: dict[str, Callable[[Iterable[Paper], TextIO, Marks | None], int]] = {
    "jsonl": write_jsonl,
    "markdown": write_markdown,
    "bibtex": write_bibtex,
    "ris": write_ris,
    "csljson": write_csljson,
    "csv": write_csv,
    "csv-excel": write_csv_excel,
}
FORMATS: Sequence[str] = tuple(WRITERS)
SUFFIXES = {
    "jsonl": "jsonl",
    "markdown": "md",
    "bibtex": "bib",
    "ris": "ris",
    "csljson": "json",
    "csv": "csv",
    "csv-excel": "csv",
}
