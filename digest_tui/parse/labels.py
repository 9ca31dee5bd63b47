"""The labels digests put before their fields, in one table: adding a language is one line."""

from __future__ import annotations

import re

# Field name -> the labels that introduce it (matched case-insensitively).
LABELS: dict[str, tuple[str, ...]] = {
    "category": ("Main category",),
    "tldr": ("TL;DR", "TLDR"),
    "motivation": ("Motivation",),
    "method": ("Method",),
    "result": ("Result",),
    "conclusion": ("Conclusion",),
    "abstract": ("Abstract",),
}

FIELD_OF_LABEL: dict[str, str] = {
    label.casefold(): name for name, labels in LABELS.items() for label in labels
}

# `Label: text`, also `**Label**: text` and `**Label:** text`, with an ASCII or full-width colon.
LABEL_LINE = re.compile(
    r"^\s*(?:\*\*)?([^:\uff1a*\n]{1,40}?)\s*(?:\*\*)?\s*[:\uff1a]\s*(?:\*\*)?\s?(.*)$"
)


def match_label(line: str) -> tuple[str, str] | None:
    """(field name, rest of the line) when the line starts with a known label."""
    match = LABEL_LINE.match(line)
    if match is None:
        return None
    name = FIELD_OF_LABEL.get(match.group(1).casefold())
    return None if name is None else (name, match.group(2))
