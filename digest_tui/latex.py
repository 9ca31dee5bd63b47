"""`$…$` math in titles and summaries as readable Unicode: `$\\alpha$-ReLU` -> `α-ReLU`,
`$O(n^2)$` -> `O(n²)`. The conversion is unicodeit's; this module decides what to hand it and
keeps as written anything it cannot turn fully into text (`$\\frac{a}{b}$` stays as it is)."""

from __future__ import annotations

import re
from functools import lru_cache

import unicodeit
from unicodeit.data import COMBININGMARKS, REPLACEMENTS, SUBSUPERSCRIPTS

# Pandoc's rule for inline math: no space just inside the dollars, no digit right after the
# closing one, so "costs $5 and $10" is not math.
_MATH = re.compile(
    r"\$\$([^$\n]{1,300}?)\$\$|(?<![\\$])\$(?=[^\s$])([^$\n]{1,300}?)(?<=\S)\$(?![\d$])"
)
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_KNOWN = frozenset(
    match.group(1)
    for latex, _ in (*REPLACEMENTS, *COMBININGMARKS, *SUBSUPERSCRIPTS)
    if (match := _COMMAND.match(latex))
)
# Commands that name a function or hold plain text: written as their name or their text.
_FUNCTIONS = re.compile(
    r"\\(arg\s?max|arg\s?min|log|ln|exp|sin|cos|tan|tanh|max|min|arg|lim|det|dim|sup|inf|"
    r"softmax|sgn)(?![A-Za-z])"
)
_TEXT = re.compile(r"\\(?:text|mathrm|textrm|operatorname|mathit|textit|emph|textsf)\{([^{}]*)\}")
_SPACING = re.compile(r"\\[,;:! ]|~")


@lru_cache(maxsize=4096)
def math_to_unicode(math: str) -> str | None:
    """One formula (without its dollars) as text, or None when unicodeit cannot make all of
    it plain text."""
    text = _TEXT.sub(r"\1", math)
    text = _FUNCTIONS.sub(lambda m: m.group(1).replace(" ", "") + " ", text)
    text = _SPACING.sub(" ", text)
    if any(name not in _KNOWN for name in _COMMAND.findall(text)):
        return None  # unicodeit would read `\log` as `\l` + "og": leave such formulas alone
    converted = unicodeit.replace(text)
    if any(mark in converted for mark in "\\^_"):
        return None  # a command, or a sub/superscript with no Unicode form
    return " ".join(converted.replace("{", "").replace("}", "").split())


@lru_cache(maxsize=8192)
def render_math(text: str) -> str:
    """`text` with each `$…$` formula that converts as Unicode; the others as written."""
    if "$" not in text:
        return text
    return _MATH.sub(lambda m: math_to_unicode(m.group(1) or m.group(2)) or m.group(0), text)
