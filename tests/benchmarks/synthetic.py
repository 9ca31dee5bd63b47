"""A deterministic synthetic archive: a year of daily digests in the upstream template, with
field lengths and scripts like the real ones (Chinese summaries, English abstracts)."""

from __future__ import annotations

import random
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


def _paper(rng: random.Random, index: int, arxiv: str, section: str) -> str:
    title = _english(rng, rng.randint(6, 16)).rstrip(".").replace("model", "$\\alpha$-model", 1)
    authors = ",".join(
        f"Author{rng.randint(0, 99999)} Name{rng.randint(0, 999)}"
        for _ in range(rng.randint(2, 12))
    )
    abstract = _english(rng, rng.randint(100, 180))
    cut = len(abstract) // 2
    abstract = abstract[:cut] + "\n  " + abstract[cut:]  # a second paragraph, as upstream writes it
    return (
        f"### [{index}] [{title}](https://arxiv.org/abs/{arxiv})\n*{authors}*\n\n"
        f"Main category: {section}\n\nTL;DR: {_han(rng, rng.randint(45, 95))}\n\n\n"
        "<details>\n  <summary>Details</summary>\n"
        f"Motivation: {_han(rng, rng.randint(50, 120))}\n\n"
        f"Method: {_han(rng, rng.randint(70, 150))}\n\n"
        f"Result: {_han(rng, rng.randint(50, 130))}\n\n"
        f"Conclusion: {_han(rng, rng.randint(45, 100))}\n\n"
        f"Abstract: {abstract}\n\n</details>\n\n"
    )


def make_archive(
    folder: Path, papers: int = 100_000, days: int = 365, seed: int = 2026
) -> list[Path]:
    """Write `days` digests holding `papers` papers in all into `folder`; return the files."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    first = date(2025, 6, 1)
    per_day = [papers // days + (1 if d < papers % days else 0) for d in range(days)]
    files = []
    number = 0
    for offset, count in enumerate(per_day):
        day = first + timedelta(days=offset)
        by_section: dict[str, list[str]] = {}
        for _ in range(count):
            number += 1
            section = rng.choice(SECTIONS)
            arxiv = f"{day:%y%m}.{number % 100000:05d}"
            by_section.setdefault(section, []).append(arxiv)
        toc = "\n".join(f"- [{s}](#{s}) [Total: {len(ids)}]" for s, ids in by_section.items())
        parts = [f"<div id=toc></div>\n\n# Table of Contents\n\n{toc}\n\n"]
        index = 0
        for section, ids in by_section.items():
            parts.append(f"\n<div id='{section}'></div>\n\n# {section} [[Back]](#toc)\n\n")
            for arxiv in ids:
                index += 1
                parts.append(_paper(rng, index, arxiv, section))
        path = folder / f"{day:%Y-%m-%d}.md"
        path.write_text("".join(parts), encoding="utf-8")
        files.append(path)
    return files
