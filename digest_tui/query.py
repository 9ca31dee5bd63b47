"""The search language: what a reader types after `/` (or gives `export --query`).

    diffusion "world model" -survey author:hinton cat:cs.CV is:unread since:2026-03-01

Words and quoted phrases must all match, each as a case-insensitive substring of the title,
authors, TL;DR, abstract or arXiv id; `-` excludes any term; the filters are named below.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass
from datetime import date

from digest_tui.index import SearchIndex
from digest_tui.model import Library, Paper
from digest_tui.state import MarkStore

QUERY_HELP = (
    'words and "quoted phrases" must all match (case-insensitive, in the title, authors, '
    "TL;DR, abstract or arXiv id); -term excludes; author:NAME, cat:cs.CV (cat:cs for all "
    "cs.*), is:read|unread|starred, day:YYYY-MM-DD, since:YYYY-MM-DD, until:YYYY-MM-DD."
)
TEXT = "text"
FILTERS = ("author", "cat", "is", "day", "since", "until")
IS_VALUES = ("read", "unread", "starred")
_DATE_FILTERS = ("day", "since", "until")
_TOKEN = re.compile(
    r'(?P<neg>-)?(?:(?P<field>[A-Za-z]+):)?(?:"(?P<quoted>[^"]*)(?P<close>"?)|(?P<bare>[^\s"]+))'
)


class QueryError(ValueError):
    """A query that cannot be read; `column` (1-based) is where the trouble starts."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"{message} (column {column})")
        self.message = message
        self.column = column


@dataclass(frozen=True, slots=True)
class Term:
    kind: str  # TEXT or one of FILTERS
    value: str  # lower-cased for text, author and cat
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    terms: tuple[Term, ...]

    @property
    def highlights(self) -> tuple[str, ...]:
        """What to mark where it matches: the words, phrases and authors asked for."""
        return tuple(t.value for t in self.terms if t.kind in (TEXT, "author") and not t.negated)

    def __bool__(self) -> bool:
        return bool(self.terms)


def parse_query(text: str) -> Query:
    terms: list[Term] = []
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            return Query(text, tuple(terms))
        match = _TOKEN.match(text, position)
        if match is None:  # only a stray character the token cannot start with is left
            raise QueryError(f"cannot read {text[position]!r}", position + 1)
        terms.append(_term(match, position + 1))
        position = match.end()


def _term(match: re.Match[str], column: int) -> Term:
    negated = bool(match["neg"])
    field = (match["field"] or "").lower()
    if match["quoted"] is not None and not match["close"]:
        raise QueryError('a quote " is not closed', column)
    value = match["quoted"] if match["quoted"] is not None else match["bare"]
    if not field:
        if value.endswith(":") and value[:-1].lower() in FILTERS:
            raise QueryError(f"{value} needs a value, like {_example(value[:-1].lower())}", column)
        if value == "-" or not value.strip():
            raise QueryError("an empty term", column)
        return Term(TEXT, " ".join(value.lower().split()), negated)
    if field not in FILTERS:
        known = ", ".join(f"{name}:" for name in FILTERS)
        message = f'unknown filter {field}: (known: {known}; quote "{field}:…" to search it)'
        raise QueryError(message, column)
    value = value.strip()
    if not value:
        raise QueryError(f"{field}: needs a value, like {_example(field)}", column)
    if field == "is":
        value = value.lower()
        if value not in IS_VALUES:
            raise QueryError(f"is: takes {', '.join(IS_VALUES)}, not {value!r}", column)
    elif field in _DATE_FILTERS:
        try:
            date.fromisoformat(value)
            if len(value) != 10:
                raise ValueError(value)
        except ValueError:
            message = f"{field}: needs a day like 2026-03-10, not {value!r}"
            raise QueryError(message, column) from None
    else:
        value = " ".join(value.lower().split())
    return Term(field, value, negated)


def _example(field: str) -> str:
    examples = {"author": "author:hinton", "cat": "cat:cs.CV", "is": "is:unread"}
    return examples.get(field, f"{field}:2026-03-10")


Check = Callable[[Paper], bool]


def search(
    query: Query,
    papers: Sequence[Paper],
    library: Library,
    marks: MarkStore,
    index: SearchIndex,
) -> list[Paper]:
    """The papers (of `papers`, in their order) that the query matches."""
    wanted: Set[str] | None = None
    unwanted: Set[str] = set()
    texts = sorted((t for t in query.terms if t.kind == TEXT), key=lambda t: -len(t.value))
    for term in texts:  # the longest word first: it is likely the rarest, and narrows the rest
        if not term.negated:
            wanted = index.find(term.value, wanted)
    for term in texts:
        if term.negated:
            unwanted = unwanted | index.find(term.value, wanted)
    checks: list[Check] = []
    for term in query.terms:
        if term.kind != TEXT:
            check = _check(term, library, marks)
            checks.append((lambda p, c=check: not c(p)) if term.negated else check)
    result = []
    for paper in papers:
        if wanted is not None and paper.id not in wanted:
            continue
        if paper.id in unwanted or not all(check(paper) for check in checks):
            continue
        result.append(paper)
    return result


def _check(term: Term, library: Library, marks: MarkStore) -> Check:
    value = term.value
    if term.kind == "author":
        return lambda p: any(value in author.lower() for author in p.authors)
    if term.kind == "cat":
        prefix = value + "."

        def in_category(paper: Paper) -> bool:
            names = (paper.category, paper.section, *paper.categories)
            return any(n.lower() == value or n.lower().startswith(prefix) for n in names)

        return in_category
    if term.kind == "is":
        if value == "starred":
            return lambda p: marks.is_starred(p.id)
        read = value == "read"
        return lambda p: marks.is_read(p.id) == read
    if term.kind == "day":
        return lambda p: value in library.days_of(p.id)
    if term.kind == "since":
        return lambda p: any(day >= value for day in library.days_of(p.id))
    return lambda p: any(day <= value for day in library.days_of(p.id))  # until
