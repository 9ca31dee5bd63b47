"""The JSONL files upstream renders its Markdown from: one paper per line, with all categories,
the PDF link, the comment, and the AI summary (which some lines lack, or have in part)."""

from __future__ import annotations

import json
from pathlib import Path

from digest_tui.model import (
    SUMMARY_FIELDS,
    Body,
    Digest,
    Paper,
    Problem,
    Source,
    one_listing_each,
)
from digest_tui.parse.paper import arxiv_id
from digest_tui.text import clean, decode, strip_leaked_reasoning


def read_jsonl(path: Path, day: str = "") -> Digest:
    """Read a JSONL digest. Raises OSError only when the file itself cannot be read."""
    text, bad_line = decode(path.read_bytes())
    problems: list[Problem] = []
    if bad_line is not None:
        problems.append(Problem(Source(path, bad_line), "invalid UTF-8 bytes, replaced"))
    papers: list[Paper] = []
    offset = 0
    for number, line in enumerate(text.split("\n"), start=1):
        span, offset = (offset, offset + len(line)), offset + len(line) + 1
        if not line.strip():
            continue
        try:
            paper = _paper(json.loads(line), Source(path, number), day, span)
        except json.JSONDecodeError as error:
            problems.append(Problem(Source(path, number), f"invalid JSON: {error.msg}"))
            continue
        except ValueError as error:
            problems.append(Problem(Source(path, number), str(error)))
            continue
        except RecursionError:
            problems.append(Problem(Source(path, number), "invalid JSON: nested too deeply"))
            continue
        papers.append(paper)
    kept, repeats = one_listing_each(papers)
    problems.extend(repeats)
    problems.sort(key=lambda problem: problem.source.line)
    # The digest's own order: grouped by main category, categories in order of appearance.
    sections: dict[str, list[Paper]] = {}
    for paper in kept:
        sections.setdefault(paper.section, []).append(paper)
    ordered = tuple(paper for group in sections.values() for paper in group)
    return Digest(path, ordered, {}, tuple(problems))


def _text(value: object) -> str:
    return clean(value).strip() if isinstance(value, str) else ""


def read_body(line: str) -> Body:
    """The body of the paper on one line (for a paper whose body is read when opened)."""
    return _paper(json.loads(line), Source(Path(), 0), "").body


def _paper(record: object, source: Source, day: str, span: tuple[int, int] = (0, 0)) -> Paper:
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    url = _text(record.get("abs")) or _text(record.get("url"))
    paper_id = _text(record.get("id"))
    if not paper_id and url:
        paper_id = arxiv_id(url)[0]
    title = " ".join(_text(record.get("title")).split())
    if not paper_id or not title:
        raise ValueError("paper without an id or a title")
    paper_id = arxiv_id(f"arxiv.org/abs/{paper_id}")[0]  # without its version
    url = url or f"https://arxiv.org/abs/{paper_id}"
    authors = record.get("authors")
    categories = record.get("categories")
    category_list = (
        tuple(_text(c) for c in categories if _text(c)) if isinstance(categories, list) else ()
    )
    category = category_list[0] if category_list else "Uncategorised"
    ai = record.get("AI")
    ai = ai if isinstance(ai, dict) else {}
    summary = {name: strip_leaked_reasoning(_text(ai.get(name))) for name in SUMMARY_FIELDS}
    extras = tuple(
        (name.replace("_", " ").capitalize(), _text(value))
        for name, value in ai.items()
        if name not in SUMMARY_FIELDS and _text(value)
    )
    return Paper(
        id=paper_id,
        title=title,
        url=url,
        pdf=_text(record.get("pdf")) or f"https://arxiv.org/pdf/{paper_id}",
        authors=tuple(_text(a) for a in authors if _text(a)) if isinstance(authors, list) else (),
        category=category,
        section=category,
        source=source,
        categories=category_list,
        day=day,
        span=span,
        content=Body(
            **summary,
            abstract=_text(record.get("summary")),
            comment=_text(record.get("comment")),
            extras=extras,
        ),
    )
