"""The search language: what a reader types after `/` (or gives `export --query`).

    diffusion "world model" -survey author:hinton cat:cs.CV is:unread since:2026-03-01

Words and quoted phrases must all match, each as a case-insensitive substring of the title,
authors, TL;DR, abstract or arXiv id; `-` excludes any term; the filters are named below.
`sort:` orders what matches, `like:ID` keeps the papers most like a paper, best first: both
ask the ranking index (digest_tui.ranking).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from digest_tui.model import Library, Paper
from digest_tui.state import MarkStore, paper_id

if TYPE_CHECKING:  # the index and the ranking load with the first search that needs them
    from digest_tui.index import SearchIndex
    from digest_tui.ranking import Ranking

QUERY_HELP = (
    'words and "quoted phrases" must all match (case-insensitive, in the title, authors, '
    "TL;DR, abstract, arXiv id or your note); -term excludes; author:NAME, cat:cs.CV (cat:cs "
    "for all cs.*), section:NAME (the digest's section), is:read|unread|starred, tag:NAME, "
    "has:note|tags, note:WORD, "
    "day:YYYY-MM-DD, since:YYYY-MM-DD, until:YYYY-MM-DD; sort:new|old|title|relevance|foryou "
    "orders them (relevance: BM25 of the words, titles weigh more; foryou: like the papers you "
    "starred or tagged); like:ID keeps the 100 papers most like paper ID, best first."
)
TEXT = "text"
FILTERS = (
    "author", "cat", "section", "is", "tag", "has", "note", "day", "since", "until", "sort", "like"
)  # fmt: skip
IS_VALUES = ("read", "unread", "starred")
SORTS = ("new", "old", "title", "relevance", "foryou")
LIKE = "like"  # the order of a query with like:ID (and no sort:): most like it first
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
    def sort(self) -> str:
        """How the papers found are ordered: the last sort: given; else most like the paper
        of like:; else as listed (new)."""
        sorts = [t.value for t in self.terms if t.kind == "sort"]
        if sorts:
            return sorts[-1]
        return LIKE if self.like else "new"

    @property
    def like(self) -> tuple[str, ...]:
        return tuple(t.value for t in self.terms if t.kind == "like")

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(t.value for t in self.terms if t.kind == TEXT and not t.negated)

    @property
    def needs_ranking(self) -> bool:
        return bool(self.like) or self.sort in ("relevance", "foryou")

    def sorted_by(self, sort: str) -> Query:
        """The same query ordered by `sort` (its own sort: terms replaced; LIKE: none)."""
        kept = [m[0] for m in _TOKEN.finditer(self.text) if (m["field"] or "").lower() != "sort"]
        return parse_query(" ".join(kept if sort == LIKE else [*kept, f"sort:{sort}"]))

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
    if negated and field in ("sort", "like"):
        raise QueryError(f"{field}: cannot be excluded with -", column)
    if field == "sort":
        if value.lower() not in SORTS:
            raise QueryError(f"sort: takes {', '.join(SORTS)}, not {value!r}", column)
        return Term(field, value.lower())
    if field == "like":
        return Term(field, paper_id(value))
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
        "section": 'section:"cs.CV"',
        "is": "is:unread",
        "tag": "tag:reading-group",
        "has": "has:note",
        "note": "note:baseline",
        "sort": "sort:relevance",
        "like": "like:2501.00042",
    }
    return examples.get(field, f"{field}:2026-03-10")


Check = Callable[[Paper], bool]


def search(
    query: Query,
    papers: Sequence[Paper],
    library: Library,
    marks: MarkStore,
    index: SearchIndex,
    ranking: Ranking | None = None,
) -> list[Paper]:
    """The papers of `papers` that the query matches, in the query's order (`sort:`, `like:`:
    by `ranking`; without it, in their order, and no paper is like another)."""
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
        if term.kind not in (TEXT, "sort", "like"):
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
    return ordered(query, result, marks, ranking)


def ordered(
    query: Query, papers: list[Paper], marks: MarkStore, ranking: Ranking | None
) -> list[Paper]:
    """The papers found, in the order the query asks."""
    sort = query.sort
    if query.like:
        most_like = _like(query.like, papers, ranking)
        if sort == LIKE:
            return most_like
        kept = {paper.id for paper in most_like}
        papers = [paper for paper in papers if paper.id in kept]  # as listed: newest first
    if sort == "old":
        return sorted(papers, key=lambda paper: paper.day)  # stable: each day as listed
    if sort == "title":
        return sorted(papers, key=lambda paper: paper.title.casefold())
    if ranking is None or sort == "new":
        return papers
    by_id = {paper.id: paper for paper in papers}
    ids = list(by_id)
    if sort == "relevance":
        return [by_id[i] for i in ranking.relevance(query.words, ids)]
    liked = marks.liked()
    ranked = ranking.for_you(liked, ids) if liked else ids
    return [by_id[i] for i in ranked] + [by_id[i] for i in liked if i in by_id]


def _like(targets: Sequence[str], papers: list[Paper], ranking: Ranking | None) -> list[Paper]:
    """The papers most like every paper of `targets` (like:ID), most like the first first."""
    if ranking is None:
        return []
    by_id = {paper.id: paper for paper in papers}
    ids = list(by_id)
    for target in targets:
        ids = ranking.like(target, ids)
    return [by_id[i] for i in ids]


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
    if term.kind == "section":
        return lambda p: p.section.lower() == value
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
