"""Papers out to files, for scripts and other tools."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from digest_tui.model import Paper

FORMATS = ("jsonl",)


def paper_record(paper: Paper) -> dict[str, object]:
    return {
        "id": paper.id,
        "title": paper.title,
        "authors": list(paper.authors),
        "category": paper.category,
        "tldr": paper.tldr,
        "motivation": paper.motivation,
        "method": paper.method,
        "result": paper.result,
        "conclusion": paper.conclusion,
        "abstract": paper.abstract,
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
