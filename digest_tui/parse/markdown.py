"""A line scanner for the daily-arXiv Markdown digest.

The file is split into papers by its headings; fields are recognised by their labels. mistune
is not used here: a digest is a flat list of labelled fields, and a scanner reads a 1 MB day
several times faster than building a Markdown syntax tree of it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from digest_tui.model import Digest, Paper, Problem, Source
from digest_tui.parse.labels import match_label
from digest_tui.parse.text import clean, decode

_TOC_ENTRY = re.compile(r"^\s*[-*]\s+\[(.+?)\]\(#[^)]*\)\s*\[Total:\s*(\d+)\]\s*$")
_BACK_LINK = re.compile(r"\s*\[\[Back\]\]\(#toc\)\s*$")
_INDEX = re.compile(r"^\[\d+\]\s+")
_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/(.+?)(?:v\d+)?(?:\.pdf)?/?(?:[?#].*)?$", re.I)
_TOC_HEADING = "table of contents"


@dataclass(slots=True)
class _Draft:
    """A paper being read: what its lines have given so far."""

    title: str
    url: str
    line: int
    section: str
    authors: tuple[str, ...] | None = None
    category: str = ""
    fields: dict[str, list[str]] = field(default_factory=dict)

    def finish(self, path: Path) -> Paper:
        paper_id, pdf = arxiv_id(self.url)
        text = {name: "\n".join(lines).strip() for name, lines in self.fields.items()}
        return Paper(
            id=paper_id,
            title=self.title,
            url=self.url,
            pdf=pdf,
            authors=self.authors or (),
            category=self.category or self.section,
            section=self.section or self.category or "Uncategorised",
            tldr=text.get("tldr", ""),
            motivation=text.get("motivation", ""),
            method=text.get("method", ""),
            result=text.get("result", ""),
            conclusion=text.get("conclusion", ""),
            abstract=text.get("abstract", ""),
            source=Source(path, self.line),
        )


def arxiv_id(url: str) -> tuple[str, str]:
    """The arXiv id without version and the PDF link; a non-arXiv link is its own id."""
    match = _ARXIV.search(url)
    if match is None:
        return url, ""
    paper_id = match.group(1)
    return paper_id, f"https://arxiv.org/pdf/{paper_id}"


def split_title_link(heading: str) -> tuple[str, str] | None:
    """`[title](url)`, where the title may hold brackets: the link is the last `](…)`."""
    text = _INDEX.sub("", heading.strip(), count=1)
    cut = text.rfind("](")
    if not text.startswith("[") or not text.endswith(")") or cut < 1:
        return None
    title, url = text[1:cut].strip(), text[cut + 2 : -1].strip()
    if not title or not url or " " in url:
        return None
    return title, url


def split_authors(line: str) -> tuple[str, ...]:
    inner = line.strip()[1:-1]
    return tuple(name for name in (part.strip() for part in inner.split(",")) if name)


def read_digest(path: Path) -> Digest:
    """Read a digest file. Raises OSError only when the file itself cannot be read."""
    text, bad_line = decode(path.read_bytes())
    digest = parse_markdown(text, path)
    if bad_line is None:
        return digest
    problem = Problem(Source(path, bad_line), "invalid UTF-8 bytes, replaced")
    return Digest(digest.path, digest.papers, digest.toc, (problem, *digest.problems))


def parse_markdown(text: str, path: Path) -> Digest:
    """Every paper that can be read, and a problem for each thing that could not."""
    papers: list[Paper] = []
    problems: list[Problem] = []
    toc: dict[str, tuple[int, int]] = {}  # section -> (total, line)
    section = ""
    draft: _Draft | None = None
    current: list[str] | None = None  # the lines of the field being read
    in_details = False

    def finish() -> None:
        nonlocal draft, current, in_details
        if draft is not None:
            papers.append(draft.finish(path))
        draft, current, in_details = None, None, False

    for number, line in enumerate(clean(text).split("\n"), start=1):
        if line.startswith("### "):
            finish()
            parts = split_title_link(line[4:])
            if parts is None:
                problems.append(Problem(Source(path, number), "paper heading without a title link"))
            else:
                draft = _Draft(parts[0], parts[1], number, section)
            continue
        if line.startswith("# ") and not in_details:
            finish()
            name = _BACK_LINK.sub("", line[2:]).strip()
            section = "" if name.casefold() == _TOC_HEADING else name
            continue
        if draft is None:
            entry = _TOC_ENTRY.match(line)
            if entry:
                toc[entry.group(1)] = (int(entry.group(2)), number)
            continue
        stripped = line.strip()
        if stripped.startswith("<details"):
            in_details, current = True, None
        elif stripped == "</details>":
            in_details, current = False, None
        elif stripped.startswith("<summary"):
            current = None
        elif (labelled := match_label(line)) and labelled[0] not in draft.fields:
            name, rest = labelled
            if name == "category":
                draft.category, current = rest.strip(), None
            else:
                current = draft.fields[name] = [rest]
        elif current is not None:
            current.append(line)
        elif draft.authors is None and len(stripped) > 1 and stripped[0] == stripped[-1] == "*":
            draft.authors = split_authors(stripped)
        elif stripped and not stripped.startswith("<div"):
            problems.append(
                Problem(Source(path, number), f"unknown line in paper: {stripped[:60]}")
            )
    finish()

    counts = Counter(paper.section for paper in papers)
    for name, (total, number) in toc.items():
        if counts[name] != total:
            message = (
                f"table of contents says {name} has {total} papers, the section has {counts[name]}"
            )
            problems.append(Problem(Source(path, number), message))
    problems.sort(key=lambda problem: problem.source.line)
    return Digest(
        path, tuple(papers), {name: total for name, (total, _) in toc.items()}, tuple(problems)
    )
