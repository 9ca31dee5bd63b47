"""Papers out to files, for scripts, reference managers, spreadsheets and other readers."""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import TextIO

from digest_tui.model import FIELDS, Paper

_NEW_ARXIV_ID = re.compile(r"(\d{2})(\d{2})\.\d{4,5}")
_MATH = re.compile(r"(\$[^$]*\$)")
_BIBTEX_SPECIAL = re.compile(r"([&%#_])")
CSV_COLUMNS = ("id", "day", "title", "authors", "category", "url", "pdf", "tldr", "abstract")


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


def write_jsonl(papers: Iterable[Paper], out: TextIO) -> int:
    count = 0
    for paper in papers:
        out.write(json.dumps(paper_record(paper), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_markdown(papers: Iterable[Paper], out: TextIO) -> int:
    """The papers as a digest in the upstream template, section by section (so digest-tui, and
    anything else that reads digests, can read the export back)."""
    by_section: dict[str, list[Paper]] = {}
    for paper in papers:
        by_section.setdefault(paper.section or paper.category or "Papers", []).append(paper)
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
    title = _MATH.sub(" ", paper.title)  # the key's word is a word of the title, not of math
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
    """Text inside a BibTeX `{…}`: TeX specials escaped outside `$…$`, braces kept only when
    they balance."""
    text = _one_line(text)
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    if depth:
        text = text.replace("{", r"\{").replace("}", r"\}")
    parts = _MATH.split(text)
    return "".join(
        part if index % 2 else _BIBTEX_SPECIAL.sub(r"\\\1", part)
        for index, part in enumerate(parts)
    )


def paper_bibtex(paper: Paper, key: str = "") -> str:
    """An `@misc` entry, under `key` (default: `bibtex_key`)."""
    year = _year(paper)
    fields = [
        ("title", "{" + _bibtex_value(paper.title) + "}"),  # inner braces keep its capitals
        ("author", " and ".join(_bibtex_value(author) for author in paper.authors)),
        ("year", year),
    ]
    if _NEW_ARXIV_ID.fullmatch(paper.id) or re.fullmatch(r"[a-z-]+/\d{7}", paper.id):
        fields += [("eprint", paper.id), ("archivePrefix", "arXiv")]
        if paper.category:
            fields.append(("primaryClass", paper.category))
    fields.append(("url", paper.url))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields if value)
    return f"@misc{{{key or bibtex_key(paper)},\n{body}}}\n"


def write_bibtex(papers: Iterable[Paper], out: TextIO) -> int:
    count, keys = 0, set[str]()
    for paper in papers:
        key = unique = bibtex_key(paper)
        suffix = ord("a")
        while unique in keys:  # two papers, same surname, year and word: key2026worda, …b
            unique, suffix = key + chr(suffix), suffix + 1
        keys.add(unique)
        out.write(("\n" if count else "") + paper_bibtex(paper, unique))
        count += 1
    return count


def write_csv(papers: Iterable[Paper], out: TextIO) -> int:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for paper in papers:
        body = paper.read_body()
        writer.writerow(
            [paper.id, paper.day, paper.title, "; ".join(paper.authors), paper.category,
             paper.url, paper.pdf, body.tldr, body.abstract]
        )  # fmt: skip
        count += 1
    return count


WRITERS: dict[str, Callable[[Iterable[Paper], TextIO], int]] = {
    "jsonl": write_jsonl,
    "markdown": write_markdown,
    "bibtex": write_bibtex,
    "csv": write_csv,
}
FORMATS: Sequence[str] = tuple(WRITERS)
