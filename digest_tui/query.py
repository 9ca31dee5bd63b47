"""The search language: what a reader types after `/` (or gives `export --query`).

    diffusion "world model" -survey author:hinton cat:cs.CV is:unread since:2026-03-01

Words and quoted phrases must all match, each as a case-insensitive substring of the title,
authors, TL;DR, abstract or arXiv id; `-` excludes any term; the filters are named below.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from digest_tui.index import SearchIndex
from digest_tui.model import Library, Paper
from digest_tui.state import MarkStore

QUERY_HELP = (
    'words and "quoted phrases" must all match (case-insensitive, in the title, authors, '
    "TL;DR, abstract, arXiv id or your note); -term excludes; author:NAME, cat:cs.CV (cat:cs "
    "for all cs.*), is:read|unread|starred, tag:NAME, has:note|tags, note:WORD, "
    "day:YYYY-MM-DD, since:YYYY-MM-DD, until:YYYY-MM-DD."
)
TEXT = "text"
FILTERS = ("author", "cat", "is", "tag", "has", "note", "day", "since", "until")
IS_VALUES = ("read", "unread", "starred")
HAS_VALUES = ("note", "tags")
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


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def parse_query(text: str) -> Query:
    text = _CONTROL.sub(" ", text)  # what the index keeps between papers and fields
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
    if field in ("is", "has"):
        value, values = value.lower(), IS_VALUES if field == "is" else HAS_VALUES
        if value not in values:
            raise QueryError(f"{field}: takes {', '.join(values)}, not {value!r}", column)
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
    examples = {
        "author": "author:hinton",
        "cat": "cat:cs.CV",
        "is": "is:unread",
        "tag": "tag:reading-group",
        "has": "has:note",
        "note": "note:baseline",
    }
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
    # An author is in the text too: the index narrows to the papers that name them, the
    # check below decides. The longest needle first: likely the rarest, it narrows the most.
    needles = sorted({t.value for t in query.terms if t.kind in (TEXT, "author") and not t.negated},
                     key=len, reverse=True)  # fmt: skip
    notes = {i: " ".join(note.lower().split()) for i, note in marks.notes().items()}
    wanted = _find_every(index, needles, notes) if needles else None
    excluded = [t.value for t in query.terms if t.kind == TEXT and t.negated]
    unwanted = index.find_any(excluded, wanted) if excluded else set()
    unwanted |= {i for i, note in notes.items() if any(word in note for word in excluded)}
    checks: list[Check] = []
    for term in query.terms:
        if term.kind != TEXT:
            check = _check(term, library, marks)
            checks.append((lambda p, c=check: not c(p)) if term.negated else check)
    result = []
    for paper in papers:
        if (wanted is not None and paper.id not in wanted) or paper.id in unwanted:
            continue
        for check in checks:
            if not check(paper):
                break
        else:
            result.append(paper)
    return result


def _find_every(index: SearchIndex, needles: Sequence[str], notes: dict[str, str]) -> set[str]:
    """The papers whose text or whose note holds each needle (notes are searched like the
    digests' fields)."""
    if not notes:
        return set(index.find_every(needles))
    found: set[str] | None = None
    for needle in needles:
        these = set(index.find_every([needle])) | {i for i, n in notes.items() if needle in n}
        found = these if found is None else found & these
    return found or set()


def _check(term: Term, library: Library, marks: MarkStore) -> Check:
    value = term.value
    if term.kind == "tag":
        tagged = marks.tagged(value)
        return lambda p: p.id in tagged
    if term.kind == "has":
        return (
            (lambda p: bool(marks.note(p.id)))
            if value == "note"
            else (lambda p: bool(marks.tags(p.id)))
        )
    if term.kind == "note":
        return lambda p: value in " ".join(marks.note(p.id).lower().split())
    if term.kind == "author":
        return lambda p: value in ", ".join(p.authors).lower()
    if term.kind == "cat":
        names = {n for p in library.papers for n in (p.category, p.section, *p.categories)}
        prefix = value + "."
        wanted = {n for n in names if n.lower() == value or n.lower().startswith(prefix)}
        return lambda p: (
            p.category in wanted or p.section in wanted or not wanted.isdisjoint(p.categories)
        )
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
