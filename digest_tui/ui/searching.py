"""Finding papers for the reader: the `/` search, For you, and the saved searches and keyword
lists of the settings, run on the search index (and ranked on the ranking index, made after
it); the keyword filter. Each search runs in a thread; its results come back as messages
(`SearchFinished`, `SearchesCounted`, `FilterFound`; `Ranked` when the ranking is made)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Sequence
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.worker import get_current_worker

from digest_tui.config import Settings
from digest_tui.lists import scope_papers
from digest_tui.model import Library, Paper
from digest_tui.state import MarkStore
from digest_tui.ui.emphasis import FEW_KEYWORDS
from digest_tui.ui.messages import (
    FilterFound,
    Ranked,
    RankingFailed,
    SearchesCounted,
    SearchFinished,
    SearchIndexed,
)

if TYPE_CHECKING:  # the query language and the indexes load with the first search
    from digest_tui.index import SearchIndex
    from digest_tui.query import Query
    from digest_tui.ranking import Ranking

SEARCH_KEY = "/"  # the list key of the `/` search: "/" + the query
FOR_YOU = "foryou"  # the list key of For you: the unread papers, like those you liked first
FOR_YOU_NAME = "For you"
FOR_YOU_QUERY = "is:unread -is:starred -has:tags sort:foryou"  # (not those it learns from)

_UNRANKED = object()  # what a search waits for when the library could not be ranked
Token = tuple[str, str]  # (scope, list key): the search whose results are awaited


def saved_lists(settings: Settings) -> dict[str, tuple[str, Query]]:
    """The smart lists of the settings: saved searches, then keywords and authors."""
    lists = {f"search:{n}": (s.name, s.query) for n, s in enumerate(settings.searches)}
    for number, keyword in enumerate(settings.highlights):
        lists[f"keyword:{number}"] = (keyword.title, keyword.query)
    if not lists:
        return {}
    from digest_tui.query import parse_query

    return {key: (name, parse_query(text)) for key, (name, text) in lists.items()}


def keyword_lists(
    lists: dict[str, tuple[str, Query]], library: Library, scope: str, index: SearchIndex
) -> dict[str, frozenset[str]]:
    """The papers of each keyword (and author) list, in `scope`: every keyword looked for in
    one pass over the index (see `SearchIndex.find_each`), not in a search of its own."""
    terms = {
        key: query.terms[0]
        for key, (_, query) in lists.items()
        if key.startswith("keyword:") and len(query.terms) == 1 and not query.terms[0].negated
    }
    found = index.find_each(term.value for term in terms.values())
    shown = {paper.id: paper for paper in scope_papers(library, scope)}
    lists_found = {}
    for key, term in terms.items():
        ids = found.get(term.value, set()) & shown.keys()
        if term.kind == "author":  # named in the text: the authors must name them
            ids = {i for i in ids if term.value in ", ".join(shown[i].authors).lower()}
        lists_found[key] = frozenset(ids)
    return lists_found


def keywords_by_paper(
    settings: Settings, found: dict[str, frozenset[str]]
) -> dict[str, tuple[str, ...]]:
    """Paper id -> the keywords (and authors) of the settings found in it, from the keyword
    lists' papers (see `saved_lists`)."""
    by_paper: dict[str, list[str]] = {}
    for number, keyword in enumerate(settings.highlights):
        word = keyword.text.lower()
        for paper_id in found.get(f"keyword:{number}", ()):
            by_paper.setdefault(paper_id, []).append(word)
    return {paper_id: tuple(words) for paper_id, words in by_paper.items()}


def matching(
    queries: Sequence[Query], library: Library, marks: MarkStore, index: SearchIndex
) -> frozenset[str]:
    """The papers any of the queries match."""
    from digest_tui.query import search

    found: set[str] = set()
    for query in queries:
        found.update(p.id for p in search(query, library.papers, library, marks, index))
    return frozenset(found)


class Search:
    """Searches on the index of the library read last. It is handed the settings (the saved
    searches, keywords, filter), the marks (`is:unread`) and the app, whose workers run the
    searches and to which the results are posted."""

    def __init__(self, settings: Settings, marks: MarkStore, app: App) -> None:
        self._settings = settings
        self._marks = marks
        self._app = app
        self.saved = saved_lists(settings)  # list key -> (name, query); then a list per tag
        self.tags_changed()
        self.keywords = tuple(k.text.lower() for k in settings.highlights)
        self.keywords_found: dict[str, tuple[str, ...]] | None = None  # paper id -> keywords
        self.filtering = any(k.filter for k in settings.highlights)
        self._filter_ids: frozenset[str] | None = None
        self._read = Library(())  # the library read last
        self._indexed: tuple[Library, SearchIndex] | None = None  # an index, and of what
        self._index_ready = threading.Event()  # set when an index arrives
        self._ranked: tuple[Library, Path | bytes] | None = None  # a ranking index made, of what
        self._loaded: tuple[Library, Ranking] | None = None  # it, loaded on first use
        self._loading = threading.Lock()
        self._ranking_ready = threading.Event()  # set when a ranking index is made
        self._remade: Library | None = None  # the library whose index was made again
        self._failed: Library | None = None  # the library that could not be ranked
        self._token: Token | None = None

    def tags_changed(self) -> bool:
        """A list per tag in use (`#NAME`: the papers with it), after the saved searches;
        whether they changed."""
        tags = list(self._marks.tag_counts())
        lists = {key: value for key, value in self.saved.items() if not key.startswith("tag:")}
        if tags:
            from digest_tui.query import Query, Term

            lists |= {
                f"tag:{t}": (f"#{t}", Query(f"tag:{t}", (Term("tag", t.lower()),))) for t in tags
            }
        if list(lists) == list(self.saved):
            return False
        self.saved = lists
        return True

    @cached_property
    def for_you(self) -> Query:
        """The query of For you (made when it is first shown)."""
        from digest_tui.query import parse_query

        return parse_query(FOR_YOU_QUERY)

    # -- the index -----------------------------------------------------------------------

    def library_read(self, library: Library) -> None:
        """A library was read: its index is awaited; the one before is no longer used."""
        self._read = library

    @property
    def index(self) -> SearchIndex | None:
        """The index of the library read last, once it is made. After a reload the index
        before is not: it would miss the new papers and find the gone ones."""
        indexed = self._indexed  # one read: a thread gets a library with its own index
        if indexed is None or indexed[0] is not self._read:
            return None
        return indexed[1]

    @property
    def ranking(self) -> Ranking | None:
        """The ranking index of the library read last, once a search has loaded it."""
        loaded = self._loaded
        if loaded is None or loaded[0] is not self._read:
            return None
        return loaded[1]

    def _load_ranking(self) -> Ranking | None:
        """The ranking index of the library read last, loaded (in a search's thread: numpy and
        the index load with the first list or search that ranks), once it is made."""
        ranked = self._ranked
        if ranked is None or ranked[0] is not self._read:
            return None
        with self._loading:
            if self.ranking is None:
                from digest_tui.ranking import Ranking

                try:
                    self._loaded = (ranked[0], Ranking.read(ranked[1]))
                except ValueError as error:  # damaged since it was made: made again, once
                    if isinstance(ranked[1], Path):
                        ranked[1].unlink(missing_ok=True)
                    self._ranked = None
                    indexed = self._indexed
                    if self._remade is ranked[0] or indexed is None:
                        self._app.post_message(RankingFailed(str(error), ranked[0]))
                    else:
                        self._remade = ranked[0]
                        self._app.call_from_thread(self._run, self._rank, "rank", *indexed)
        return self.ranking

    def _ranking_or_none(self) -> Ranking | object | None:
        """The ranking index once it is loaded; _UNRANKED if it could not be made (the lists
        are then shown as listed); None meanwhile."""
        ranking = self._load_ranking()
        if ranking is not None:
            return ranking
        return _UNRANKED if self._failed is self._read else None

    def indexed(self, message: SearchIndexed) -> bool:
        """An index was made: kept if it is of the library read last (then True). The papers
        the filtering keywords match are looked for."""
        if message.library is not self._read:
            return False
        self._indexed = (message.library, message.index)
        self._index_ready.set()
        # The index lives as long as the library: out of the garbage collector's walks too (as
        # the library is, LibraryReader.loaded); else a full collection walks it, 16 ms on a
        # key of a year's library.
        gc.freeze()
        self._run(self._rank, "rank", message.library, message.index)
        filters = [k for k in self._settings.highlights if k.filter]
        if filters:
            from digest_tui.query import parse_query

            queries = [parse_query(k.query) for k in filters]
            self._run(self._find_filtered, "filter", message.library, message.index, queries)
        return True

    def _rank(self, library: Library, index: SearchIndex) -> None:
        """The ranking index: in the cache, else built in a process of its own."""
        from digest_tui.ranker import prepared

        worker = get_current_worker()
        try:
            made = prepared(index, cancelled=lambda: worker.is_cancelled)
        except (RuntimeError, OSError) as error:
            self._app.post_message(RankingFailed(str(error), library))
            return
        if made is not None and not worker.is_cancelled:
            self._app.post_message(Ranked(made, library))

    def ranking_failed(self, message: RankingFailed) -> bool:
        """Ranking failed: the lists that rank are shown as listed (True when it is the
        library read last, and to be said)."""
        if message.library is not self._read:
            return False
        self._failed = message.library
        self._ranking_ready.set()
        return True

    def ranked(self, message: Ranked) -> bool:
        """A ranking index was made: kept if it is of the library read last (then True)."""
        if message.library is not self._read:
            return False
        self._ranked = (message.library, message.made)
        self._ranking_ready.set()
        return True

    def reason(self, paper: Paper, query: Query | None, library: Library, store: MarkStore) -> str:
        """Why a paper is where it is in a list ranked by `query`: the paper you liked it is
        most like (For you), or how much it is like the paper of like:."""
        ranking = self.ranking
        if query is None or ranking is None or query.sort not in ("foryou", "like"):
            return ""
        liked = list(query.like) if query.sort == "like" else store.liked()
        found = ranking.closest(paper.id, liked)
        if found is None:
            return ""
        other = library.by_id.get(found[0])
        title = other.title if other is not None else found[0]
        start = "For you: like" if query.sort == "foryou" else "Like"
        return f"{start} “{title}” ({found[1]:.0%} alike)"

    def _run(self, work: Callable[..., None], group: str, *args: object) -> None:
        """`work(*args)` in a thread of the app's; a newer one of the group replaces it."""
        self._app.run_worker(
            partial(work, *args),
            name=group,
            group=group,
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    # -- a list's search ----------------------------------------------------------------

    def run(self, token: Token, query: Query, library: Library) -> None:
        """Search `library` in the scope of `token` once the index is made; the papers come
        back in a `SearchFinished` with the token, unless another search was asked meanwhile."""
        self._token = token
        self._run(self._search, "search", token, query, library)

    def awaited(self, message: SearchFinished) -> bool:
        """Whether these are the results of the search asked last."""
        return message.token == self._token

    def forget(self) -> None:
        """No search's results are awaited any more (a plain list is shown)."""
        self._token = None

    def _search(self, token: Token, query: Query, library: Library) -> None:
        from digest_tui.query import search

        worker = get_current_worker()
        index, ranking = self._wait(lambda: self.index, self._index_ready), None
        if index is not None and query.needs_ranking:
            made = self._wait(self._ranking_or_none, self._ranking_ready)
            ranking = made if made is not _UNRANKED else None
        if index is None or worker.is_cancelled:
            return
        papers = search(
            query, scope_papers(library, token[0]), library, self._marks, index, ranking
        )
        if not worker.is_cancelled:
            self._app.post_message(SearchFinished(token, papers))

    @staticmethod
    def _wait(made: Callable[[], object], ready: threading.Event) -> object:
        """What `made` gives once it is made (None if the search is cancelled meanwhile)."""
        worker = get_current_worker()
        while (value := made()) is None:
            if worker.is_cancelled:
                return None
            ready.clear()  # set by an index made before a reload: wait for the next
            ready.wait(0.1)
        return value

    # -- the saved searches and keyword lists -------------------------------------------

    def count(self, library: Library, scope: str) -> None:
        """Find the papers of every saved search and keyword list in `scope` (once the index
        is made); they come back in a `SearchesCounted`."""
        if self.saved and (index := self.index) is not None:
            self._run(self._count, "count", library, index, scope)

    def _count(self, library: Library, index: SearchIndex, scope: str) -> None:
        from digest_tui.query import search

        worker = get_current_worker()
        found = keyword_lists(self.saved, library, scope, index)
        tags = [key for key in self.saved if key.startswith("tag:")]
        if tags:  # a tag's papers are known: not a search of the scope per tag
            shown = {paper.id for paper in scope_papers(library, scope)}
            for key in tags:
                found[key] = frozenset(self._marks.tagged(key.removeprefix("tag:")) & shown)
        for key, (_, query) in self.saved.items():
            if worker.is_cancelled:
                return
            if key not in found:  # counted, not ordered: ranked only to find like:'s papers
                ranking = self._load_ranking() if query.like else None
                shown = scope_papers(library, scope)
                papers = search(query, shown, library, self._marks, index, ranking)
                found[key] = frozenset(paper.id for paper in papers)
        keywords = None
        if len(self._settings.highlights) > FEW_KEYWORDS:
            keywords = keywords_by_paper(self._settings, found)
        self._app.post_message(SearchesCounted(library, scope, found, keywords))

    def counted(self, message: SearchesCounted) -> None:
        if message.keywords_found is not None:
            # the papers of the scope counted, with every keyword each holds: added to those
            # of the scopes counted before (a paper's keywords never change)
            self.keywords_found = {**(self.keywords_found or {}), **message.keywords_found}

    # -- the keyword filter -------------------------------------------------------------

    def _find_filtered(self, library: Library, index: SearchIndex, queries: list[Query]) -> None:
        ids = matching(queries, library, self._marks, index)
        self._app.post_message(FilterFound(library, ids))

    def filter_found(self, message: FilterFound) -> bool:
        """The papers to filter on; True when the library shown changes with them."""
        if message.library is not self._read:
            return False
        self._filter_ids = message.ids
        return self.filtering

    def toggle_filter(self) -> bool:
        """Turn the filter on or off, and say so; True when the library shown changes."""
        names = ", ".join(k.title for k in self._settings.highlights if k.filter)
        if not names:
            message = "No keyword in the settings has filter = true (digest-tui config edit)."
            self._app.notify(message, markup=False)
            return False
        self.filtering = not self.filtering
        if self._filter_ids is None:
            self._app.notify("The filter applies once the library is read.", markup=False)
            return False
        state = "on: only papers matching" if self.filtering else "off; it filters on"
        self._app.notify(f"Keyword filter {state} {names}.", markup=False)
        return True

    def filtered(self, library: Library) -> Library:
        """The library to show: `library`, or the papers of it the filter keeps."""
        if not self.filtering or self._filter_ids is None:
            return library
        return library.only(self._filter_ids)
