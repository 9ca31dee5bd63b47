"""Searching for the reader: the `/` bar, the saved searches and keyword lists of the settings,
and the keyword filter. Searches run in a thread; their results come back as messages."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from textual import work
from textual.worker import get_current_worker

from digest_tui.config import Settings
from digest_tui.index import SearchIndex
from digest_tui.lists import FoundCounts, scope_papers
from digest_tui.model import Library
from digest_tui.query import Query, QueryError, parse_query, search
from digest_tui.state import MarkStore
from digest_tui.ui.emphasis import FEW_KEYWORDS
from digest_tui.ui.messages import FilterFound, SearchesCounted, SearchFinished, SearchIndexed
from digest_tui.ui.widgets.search_bar import SearchBar
from digest_tui.words import plural

SEARCH_KEY = "/"  # the list key of the `/` search: "/" + the query
INDEXING = "Reading the library for search…"


def saved_lists(settings: Settings) -> dict[str, tuple[str, Query]]:
    """The smart lists of the settings: saved searches, then keywords and authors."""
    lists = {f"search:{n}": (s.name, parse_query(s.query)) for n, s in enumerate(settings.searches)}
    for number, keyword in enumerate(settings.highlights):
        lists[f"keyword:{number}"] = (keyword.title, parse_query(keyword.query))
    return lists


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
    found: set[str] = set()
    for query in queries:
        found.update(p.id for p in search(query, library.papers, library, marks, index))
    return frozenset(found)


class Searching:
    """The DigestApp's searching (a mixin: it shows results through the app's list)."""

    library: Library
    full_library: Library
    settings: Settings
    _marks: MarkStore
    _scope: str
    _list_key: str
    _query: Query | None
    _token: tuple[str, str] | None
    _index_ready: threading.Event  # set when an index arrives
    _indexed: tuple[Library, SearchIndex] | None = None  # the last index, and what it indexes
    _searches: dict[str, tuple[str, Query]]
    found_counts: FoundCounts
    _filter_ids: frozenset[str] | None
    _filtering: bool
    _to_results: bool

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    def search_index(self) -> SearchIndex | None:
        """The index of the library read last, once it is made. After a reload the index
        before is not: it would miss the new papers and find the gone ones."""
        indexed = self._indexed  # one read: a thread gets a library with its own index
        if indexed is None or indexed[0] is not self.full_library:
            return None
        return indexed[1]

    def action_search(self) -> None:
        self.search_bar.open()
        if self.search_index() is None:
            self.search_bar.say(INDEXING)

    def on_search_bar_changed(self, message: SearchBar.Changed) -> None:
        text = message.text.strip()
        self._to_results = message.done
        if not text:
            self._query = None
            self.search_bar.say("")
            self._show_list()
            if message.done:
                self.paper_list.focus()
            return
        try:
            query = parse_query(text)
        except QueryError as error:
            self.search_bar.say(f"{error.message} (column {error.column})", error=True)
            return
        self._query = query
        self.run_search(SEARCH_KEY + text, query)

    def on_search_bar_closed(self, message: SearchBar.Closed) -> None:
        self.close_search()

    def close_search(self) -> bool:
        """Leave the search for the list it replaced, on the paper being read."""
        if not self.search_bar.display and self._query is None:
            return False
        reading = self.current
        had_query = self._query is not None
        self._query = None
        self.search_bar.close()
        if had_query:
            self._show_list()
            if reading is not None:
                self.paper_list.move_to_paper(reading.id)
        self.paper_list.focus()
        return True

    def run_search(self, key: str, query: Query) -> None:
        self._token = (self._scope, key)
        if key.startswith(SEARCH_KEY) and self.search_index() is None:
            self.search_bar.say(INDEXING)  # until the results come
        self._search(self._token, query)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, token: tuple[str, str], query: Query) -> None:
        worker = get_current_worker()
        while (index := self.search_index()) is None:
            if worker.is_cancelled:
                return
            self._index_ready.clear()  # set by the index before a reload: wait for the next
            self._index_ready.wait(0.1)
        library = self.library
        papers = search(query, scope_papers(library, token[0]), library, self._marks, index)
        if not worker.is_cancelled:
            self.post_message(SearchFinished(token, papers))

    def on_search_finished(self, message: SearchFinished) -> None:
        if message.token != self._token:
            return  # the reader has typed on, or moved to another list
        key = message.token[1]
        if key.startswith(SEARCH_KEY):
            title = f"Search: {key[len(SEARCH_KEY) :]}"
            empty = "No papers match. Escape returns to the list."
            self.search_bar.say(f"{plural(len(message.papers), 'paper')} · enter to read them")
        else:
            title, empty = self._searches[key][0], "No papers match."
        self.show_papers(message.papers, title, empty)
        if self._to_results and key.startswith(SEARCH_KEY):
            self._to_results = False
            self.paper_list.focus()

    # -- saved searches, keywords, the filter --------------------------------------------

    def on_search_indexed(self, message: SearchIndexed) -> None:
        if message.library is not self.full_library:
            return
        self._indexed = (message.library, message.index)
        self._index_ready.set()
        if self.search_bar.display and self._query is None:
            self.search_bar.say("")
        self.count_searches()
        filters = [k for k in self.settings.highlights if k.filter]
        if filters:
            queries = [parse_query(k.query) for k in filters]
            self._find_filtered(message.library, message.index, queries)

    def count_searches(self) -> None:
        index = self.search_index()
        if self._searches and index is not None:
            self._count(self.library, index, self._scope)

    @work(thread=True, exclusive=True, group="count", exit_on_error=False)
    def _count(self, library: Library, index: SearchIndex, scope: str) -> None:
        worker = get_current_worker()
        found = keyword_lists(self._searches, library, scope, index)
        for key, (_, query) in self._searches.items():
            if worker.is_cancelled:
                return
            if key not in found:
                papers = search(query, scope_papers(library, scope), library, self._marks, index)
                found[key] = frozenset(paper.id for paper in papers)
        keywords = None
        if len(self.settings.highlights) > FEW_KEYWORDS:
            keywords = keywords_by_paper(self.settings, found)
        self.post_message(SearchesCounted(library, scope, found, keywords))

    def on_searches_counted(self, message: SearchesCounted) -> None:
        if message.library is self.library:
            for key, ids in message.found.items():
                self.found_counts.add(message.scope, key, ids, self._marks)
            if message.scope == self._scope:
                self.lists.update_labels(self._list_label, list(message.found))
            if message.keywords_found is not None:
                # the papers of the scope counted, with every keyword each holds: added to
                # those of the scopes counted before (a paper's keywords never change)
                self._keywords_found = {**(self._keywords_found or {}), **message.keywords_found}
                self.paper_list.set_emphasis(self._emphasis())
                self._show_detail()

    @work(thread=True, exclusive=True, group="filter", exit_on_error=False)
    def _find_filtered(self, library: Library, index: SearchIndex, queries: list[Query]) -> None:
        self.post_message(FilterFound(library, matching(queries, library, self._marks, index)))

    def on_filter_found(self, message: FilterFound) -> None:
        if message.library is self.full_library:
            self._filter_ids = message.ids
            if self._filtering:
                self.use_library(self.full_library)

    def action_toggle_filter(self) -> None:
        names = ", ".join(k.title for k in self.settings.highlights if k.filter)
        if not names:
            self.notify(
                "No keyword in the settings has filter = true (digest-tui config edit).",
                markup=False,
            )
            return
        self._filtering = not self._filtering
        if self._filter_ids is None:
            self.notify("The filter applies once the library is read.", markup=False)
            return
        self.use_library(self.full_library)
        state = "on: only papers matching" if self._filtering else "off; it filters on"
        self.notify(f"Keyword filter {state} {names}.", markup=False)

    def filtered(self, library: Library) -> Library:
        if not self._filtering or self._filter_ids is None:
            return library
        return library.only(self._filter_ids)
