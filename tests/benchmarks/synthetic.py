"""A deterministic synthetic archive: a year of daily digests, with field lengths and scripts
like the real ones (Chinese summaries, English abstracts).

Two days in three are in the upstream template, which the reader reads with one regular
expression per paper (parse/markdown.py, `_TEMPLATE_PAPER`). The third day is written in one
of the variants real pipelines write (README, "What it reads"), which only the line scanner
reads: bold labels, labels as headings, papers as `##` headings, hard-wrapped fields, the
`TLDR:` label in a CRLF file. Every paper has the same content whatever its day's variant
(the random numbers drawn do not depend on it), so a variant day reads to the same papers.
"""

from __future__ import annotations

import random
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

SECTIONS = [
    "cs.CV",
    "cs.CL",
    "cs.LG",
    "cs.AI",
    "cs.RO",
    "quant-ph",
    "eess.IV",
    "math.OC",
    "stat.ML",
]
_HAN = [chr(c) for c in range(0x4E00, 0x4E00 + 2500)]
_WORDS = [
    "model",
    "learning",
    "data",
    "neural",
    "network",
    "training",
    "method",
    "results",
    "performance",
    "task",
    "large",
    "language",
    "vision",
    "transformer",
    "diffusion",
    "graph",
    "reinforcement",
    "policy",
    "benchmark",
    "dataset",
    "robust",
    "efficient",
    "scalable",
    "framework",
    "approach",
    "propose",
    "show",
    "demonstrate",
    "state-of-the-art",
]


def _han(rng: random.Random, n: int) -> str:
    text = "".join(rng.choices(_HAN, k=n))
    return "，".join(text[i : i + 17] for i in range(0, len(text), 17)) + "。"


def _english(rng: random.Random, n: int) -> str:
    words = rng.choices(_WORDS, k=n)
    return " ".join(words).capitalize() + "."


@dataclass(frozen=True, slots=True)
class _Paper:
    index: int
    title: str
    arxiv: str
    authors: str
    section: str
    tldr: str
    motivation: str
    method: str
    result: str
    conclusion: str
    abstract: str  # two paragraphs: "first\n  second", as upstream writes it


def _draw(rng: random.Random, index: int, arxiv: str, section: str) -> _Paper:
    title = _english(rng, rng.randint(6, 16)).rstrip(".").replace("model", "$\\alpha$-model", 1)
    authors = ",".join(
        f"Author{rng.randint(0, 99999)} Name{rng.randint(0, 999)}"
        for _ in range(rng.randint(2, 12))
    )
    abstract = _english(rng, rng.randint(100, 180))  # drawn in this order since the first
    tldr = _han(rng, rng.randint(45, 95))  # version: the template days stay the same
    motivation = _han(rng, rng.randint(50, 120))
    method = _han(rng, rng.randint(70, 150))
    result = _han(rng, rng.randint(50, 130))
    conclusion = _han(rng, rng.randint(45, 100))
    cut = len(abstract) // 2
    abstract = abstract[:cut] + "\n  " + abstract[cut:]  # a second paragraph, as upstream does
    return _Paper(
        index, title, arxiv, authors, section, tldr, motivation, method, result, conclusion,
        abstract,
    )  # fmt: skip


def _template(p: _Paper) -> str:
    """Exactly as upstream's to_md/convert.py writes a paper: the regular expression's path."""
    return (
        f"### [{p.index}] [{p.title}](https://arxiv.org/abs/{p.arxiv})\n*{p.authors}*\n\n"
        f"Main category: {p.section}\n\nTL;DR: {p.tldr}\n\n\n"
        "<details>\n  <summary>Details</summary>\n"
        f"Motivation: {p.motivation}\n\n"
        f"Method: {p.method}\n\n"
        f"Result: {p.result}\n\n"
        f"Conclusion: {p.conclusion}\n\n"
        f"Abstract: {p.abstract}\n\n</details>\n\n"
    )


def _bold(p: _Paper) -> str:
    """Bold labels, `**TL;DR**:` and `**Method:**`, as forks write them."""
    return (
        f"### [{p.index}] [{p.title}](https://arxiv.org/abs/{p.arxiv})\n*{p.authors}*\n\n"
        f"**Main category:** {p.section}\n\n**TL;DR**: {p.tldr}\n\n"
        "<details>\n<summary>Details</summary>\n\n"
        f"**Motivation**: {p.motivation}\n\n"
        f"**Method:** {p.method}\n\n"
        f"**Result**: {p.result}\n\n"
        f"**Conclusion**: {p.conclusion}\n\n"
        f"**Abstract**: {p.abstract}\n</details>\n\n"
    )


def _fields(
    p: _Paper, tldr: str = "TL;DR", abstract: str = "Abstract"
) -> tuple[tuple[str, str], ...]:
    """The six summary fields of a paper under their labels."""
    return (
        (tldr, p.tldr),
        ("Motivation", p.motivation),
        ("Method", p.method),
        ("Result", p.result),
        ("Conclusion", p.conclusion),
        (abstract, p.abstract),
    )


def _headings(p: _Paper) -> str:
    """Labels as headings inside the paper (`#### 🧩 TL;DR`), no <details>."""
    blocks = "".join(
        f"#### {label}\n\n{text}\n\n" for label, text in _fields(p, "🧩 TL;DR", "📄 Abstract")
    )
    return (
        f"### [{p.index}] [{p.title}](https://arxiv.org/abs/{p.arxiv})\n*{p.authors}*\n\n"
        f"Main category: {p.section}\n\n{blocks}---\n\n"
    )


def _h2(p: _Paper) -> str:
    """Papers as `##` headings with an anchor and a versioned http:// link, fields as `###`,
    a rule after each. (Without the rule, the section's `<div id=…></div>` anchor after a
    section's last paper is read into that paper's last field.)"""
    blocks = "".join(f"### {label}\n\n{text}\n\n" for label, text in _fields(p))
    return (
        f'## <a id="{p.arxiv}v1"></a>[{p.title}](http://arxiv.org/abs/{p.arxiv}v1)\n\n'
        f"**Authors:** {p.authors}\n\n**Main category:** {p.section}\n\n{blocks}---\n\n"
    )


def _wrap(text: str, width: int) -> str:
    """Hard-wrapped as an editor would: English at spaces, Chinese anywhere."""
    lines = []
    for paragraph in text.split("\n"):
        if " " in paragraph.strip():
            lines.extend(textwrap.wrap(paragraph, width))
        else:
            lines.extend(
                paragraph[i : i + width // 2] for i in range(0, len(paragraph), width // 2)
            )
    return "\n".join(lines)


def _wrapped(p: _Paper) -> str:
    """The template with every field hard-wrapped at 60 columns."""

    def wrap(label: str, text: str) -> str:
        return _wrap(f"{label}: {text}", 60)

    return (
        f"### [{p.index}] [{p.title}](https://arxiv.org/abs/{p.arxiv})\n*{p.authors}*\n\n"
        f"Main category: {p.section}\n\n{wrap('TL;DR', p.tldr)}\n\n\n"
        "<details>\n  <summary>Details</summary>\n"
        f"{wrap('Motivation', p.motivation)}\n\n"
        f"{wrap('Method', p.method)}\n\n"
        f"{wrap('Result', p.result)}\n\n"
        f"{wrap('Conclusion', p.conclusion)}\n\n"
        f"{wrap('Abstract', p.abstract)}\n\n</details>\n\n"
    )


def _tldr(p: _Paper) -> str:
    """The April 2025 template (`TLDR:`); its day is written with CRLF line ends."""
    return _template(p).replace("\nTL;DR: ", "\nTLDR: ", 1)


TEMPLATE = "template"
# Variant name -> how it writes a paper, and whether its file has CRLF line ends.
VARIANTS: dict[str, tuple[Callable[[_Paper], str], bool]] = {
    "bold labels": (_bold, False),
    "heading labels": (_headings, False),
    "## papers": (_h2, False),
    "hard-wrapped": (_wrapped, False),
    "TLDR: + CRLF": (_tldr, True),
}


def kind_of_day(offset: int) -> str:
    """Every third day (the second of three) is a variant, the variants in turn."""
    if offset % 3 != 1:
        return TEMPLATE
    return list(VARIANTS)[(offset // 3) % len(VARIANTS)]


@dataclass
class Archive:
    files: list[Path] = field(default_factory=list)
    kinds: dict[Path, str] = field(default_factory=dict)  # TEMPLATE or a variant's name
    papers: dict[Path, int] = field(default_factory=dict)
    ids: list[str] = field(default_factory=list)  # every paper's arXiv id, as drawn


def make_archive(
    folder: Path, papers: int = 100_000, days: int = 365, seed: int = 2026, variants: bool = True
) -> Archive:
    """Write `days` digests holding `papers` papers in all into `folder` (a third of the days
    in a variant when `variants`, else all in the template)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    first = date(2025, 6, 1)
    per_day = [papers // days + (1 if d < papers % days else 0) for d in range(days)]
    archive = Archive()
    number = 0
    for offset, count in enumerate(per_day):
        day = first + timedelta(days=offset)
        kind = kind_of_day(offset) if variants else TEMPLATE
        write, crlf = VARIANTS.get(kind, (_template, False))
        by_section: dict[str, list[str]] = {}
        for _ in range(count):
            number += 1
            section = rng.choice(SECTIONS)
            arxiv = f"{day:%y%m}.{number % 100000:05d}"
            by_section.setdefault(section, []).append(arxiv)
            archive.ids.append(arxiv)
        toc = "\n".join(f"- [{s}](#{s}) [Total: {len(ids)}]" for s, ids in by_section.items())
        parts = [f"<div id=toc></div>\n\n# Table of Contents\n\n{toc}\n\n"]
        index = 0
        for section, ids in by_section.items():
            parts.append(f"\n<div id='{section}'></div>\n\n# {section} [[Back]](#toc)\n\n")
            for arxiv in ids:
                index += 1
                parts.append(write(_draw(rng, index, arxiv, section)))
        path = folder / f"{day:%Y-%m-%d}.md"
        path.write_text("".join(parts), encoding="utf-8", newline="\r\n" if crlf else "\n")
        archive.files.append(path)
        archive.kinds[path] = kind
        archive.papers[path] = count
    return archive


def reading_paths(path: Path) -> tuple[int, int, int]:
    """How the reader reads a digest file: (papers read by the template's regular expression,
    papers read by the line scanner, problems)."""
    from digest_tui.parse import markdown, read_digest

    original = markdown._Scanner.read_template_paper
    fast = 0

    def counted(self: markdown._Scanner, match: object, number: int) -> None:
        nonlocal fast
        fast += 1
        original(self, match, number)  # type: ignore[arg-type]

    markdown._Scanner.read_template_paper = counted  # type: ignore[method-assign]
    try:
        digest = read_digest(path, path.stem)
    finally:
        markdown._Scanner.read_template_paper = original  # type: ignore[method-assign]
    return fast, len(digest.papers) - fast, len(digest.problems)
