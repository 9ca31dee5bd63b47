"""A paper's parts as digests write them: the title and link of its heading, its authors, its
arXiv id, and the draft the line scanner (markdown.py) fills as it reads the paper's lines."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from digest_tui.model import FIELDS, SUMMARY_FIELDS, Body, Paper, Source
from digest_tui.text import strip_leaked_reasoning

HTML_ANCHOR = re.compile(
    r"<a\s+(?:id|name)\s*=\s*[\"']?([^\"'>\s]+)[\"']?\s*>\s*</a>|<div[^>]*>\s*</div>", re.I
)
INDEX = re.compile(r"^\[\d+\]\s*")
_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf|html)/(.+?)(?:v\d+)?(?:\.pdf)?/?(?:[?#].*)?$", re.I)
TEMPLATE_FIELDS = tuple(name for name, _ in FIELDS)  # the five summaries, then the abstract


@dataclass(slots=True)
class Draft:
    """A paper being read: what its lines have given so far."""

    title: str
    url: str
    line: int
    level: int
    section: str
    offset: int = 0  # where its heading is in the text
    authors: tuple[str, ...] | None = None
    category: str = ""
    categories: tuple[str, ...] = ()
    pdf: str = ""
    fields: dict[str, list[str]] = field(default_factory=dict)
    extras: list[tuple[str, list[str]]] = field(default_factory=list)

    def start(self, name: str | None, label: str, rest: str) -> list[str] | None:
        """Open a field; returns the list its lines go to (None when the label takes no lines)."""
        if name == "category":
            self.category = placeholder_free(rest.strip().strip("`*"))
            return None
        if name == "categories":
            self.categories = tuple(c.strip(" `*") for c in rest.split(",") if c.strip(" `*"))
            return None
        if name == "authors":
            self.authors = split_authors(rest)
            return None
        lines = [rest]
        if name is None:
            self.extras.append((label, lines))
        else:
            self.fields[name] = lines
        return lines

    def finish(self, path: Path, day: str, end: int) -> Paper:
        paper_id, pdf = arxiv_id(self.url)
        text = {name: text_of(lines) for name, lines in self.fields.items()}
        for name in SUMMARY_FIELDS:
            if name in text:
                text[name] = strip_leaked_reasoning(text[name])
        extras = tuple((label, value) for label, lines in self.extras if (value := text_of(lines)))
        category = self.category or (self.categories[0] if self.categories else "") or self.section
        body = Body(*(text.get(name, "") for name in TEMPLATE_FIELDS), comment="", extras=extras)
        return Paper(
            id=paper_id,
            title=self.title,
            url=self.url,
            pdf=self.pdf or pdf,
            authors=self.authors or (),
            category=category,
            section=self.section or category or "Uncategorised",
            source=Source(path, self.line),
            categories=self.categories or ((category,) if category else ()),
            day=day,
            content=body,
            span=(self.offset, end),
        )


def text_of(lines: list[str]) -> str:
    return "\n".join(lines).strip()


_PLACEHOLDER = re.compile(r"\{\w*\}")


def placeholder_free(text: str) -> str:
    """An unfilled template slot (`{cate}`) says nothing."""
    return "" if text.startswith("{") and _PLACEHOLDER.fullmatch(text) else text


def arxiv_id(url: str) -> tuple[str, str]:
    """The arXiv id without version and the PDF link; a non-arXiv link is its own id."""
    match = _ARXIV.search(url)
    if match is None:
        return url, ""
    paper_id = match.group(1)
    return paper_id, f"https://arxiv.org/pdf/{paper_id}"


def split_title_link(heading: str) -> tuple[str, str] | None:
    """`[title](url)`, where the title may hold brackets: the link is the last `](…)`."""
    text = (HTML_ANCHOR.sub("", heading) if "<" in heading else heading).strip()
    unnumbered = INDEX.sub("", text, count=1) if text.startswith("[") else text
    if unnumbered.startswith("["):  # `[12] [title](url)`; but `[12](url)` is a title "12"
        text = unnumbered
    cut = text.rfind("](")
    if not text.startswith("[") or not text.endswith(")") or cut < 1:
        return None
    title, url = text[1:cut].strip(), text[cut + 2 : -1].strip()
    if url.startswith("<") and ">" in url:  # `(<https://…>)`, as CommonMark allows
        url = url[1:].replace(">", " ", 1).strip()
    if not title or not url or url.startswith("#"):
        return None
    words = url.split()
    if len(words) > 1:
        # `(url v2)`, `(url "a title")`: the link is the first word, when it is a web address
        if not words[0].startswith(("http://", "https://")):
            return None
        url = words[0]
    return title, url


def split_authors(text: str) -> tuple[str, ...]:
    """`A,B,C` or `A, B`, or a Python list as some pipelines print it."""
    text = text.strip().strip("*").strip()
    if text.startswith("[") and text.endswith("]"):
        try:
            names = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            names = None
        if isinstance(names, list) and all(isinstance(n, str) for n in names):
            return tuple(n.strip() for n in names if n.strip())
    return tuple(filter(None, map(str.strip, text.split(","))))
