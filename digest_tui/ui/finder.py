"""The `/` search bar as the reader uses it: a query read as it is typed (what is wrong with
it said under the bar), the papers most like one (`m`), the list shown in another order (`=`),
and escape back to the list. The papers a query finds show like any list's (Navigation)."""

from __future__ import annotations

from textual.app import App

from digest_tui.lists import ALL_DAYS, SECTION_PREFIX, STARRED, UNREAD
from digest_tui.model import Paper
from digest_tui.ui.messages import SearchFinished
from digest_tui.ui.navigation import INDEXING, RANKING, Navigation
from digest_tui.ui.searching import SEARCH_KEY, Search
from digest_tui.words import plural

SORT_NAMES = {
    "new": "newest day first",
    "old": "oldest day first",
    "title": "by title",
    "relevance": "most relevant to the words first",
    "foryou": "most like the papers you starred or tagged first",
    "like": "most like the paper first",
}
SORTS = tuple(name for name in SORT_NAMES if name != "like")  # the order `=` goes in


class Finder:
    """Turns what the reader types (or asks with `m`, `=`) into the query the navigation shows.
    It is handed the navigation, the search (is the library indexed, ranked?) and the app,
    which says what `=` did."""

    def __init__(self, navigation: Navigation, search: Search, app: App) -> None:
        self._navigation = navigation
        self._search = search
        self._app = app
        self.bar = navigation.bar
        self._to_results = False  # enter was pressed in the search bar

    def open(self) -> None:
        if not self.bar.display:
            self._navigation.jumping()
        self.bar.open()
        if self._search.index is None:
            self.bar.say(INDEXING)

    def typed(self, text: str, done: bool) -> None:
        """The reader paused typing a query (or pressed enter: `done`)."""
        navigation = self._navigation
        text = text.strip()
        self._to_results = done
        if not text:
            navigation.query = None
            self.bar.say("")
            navigation.show_list()
            if done:
                navigation.papers.focus()
            return
        from digest_tui.query import QueryError, parse_query  # loads with the first search

        try:
            query = parse_query(text)
        except QueryError as error:
            self.bar.say(f"{error.message} (column {error.column})", error=True)
            return
        unknown = [i for i in query.like if i not in navigation.library.by_id]
        if unknown:
            self.bar.say(f"like:{unknown[0]}: no such paper in the library", error=True)
            return
        navigation.query = query
        if query.needs_ranking and self._search.ranking is None:
            self.bar.say(RANKING)  # until the results come
        navigation.run_search(SEARCH_KEY + text, query)

    def finished(self, message: SearchFinished) -> None:
        """A search's papers came: for the `/` search, how many, and to them after enter."""
        if not self._search.awaited(message) or not message.token[1].startswith(SEARCH_KEY):
            return
        self.bar.say(f"{plural(len(message.papers), 'paper')} · enter to read them")
        if self._to_results:
            self._to_results = False
            self._navigation.papers.focus()

    def close(self) -> bool:
        """Leave the search for the list it replaced, on the paper being read."""
        navigation = self._navigation
        if not self.bar.display and navigation.query is None:
            return False
        reading = navigation.current
        had_query = navigation.query is not None
        navigation.query = None
        self.bar.close()
        if had_query:
            navigation.show_list()
            if reading is not None:
                navigation.papers.move_to_paper(reading.id)
        navigation.papers.focus()
        return True

    def indexed(self) -> None:
        """The library can be searched now: the bar stops saying it is being read."""
        if self.bar.display and self._navigation.query is None:
            self.bar.say("")

    def more_like(self, paper: Paper | None) -> None:
        """The papers most like `paper` in the whole library, as the search like:ID (a jump:
        ctrl+o comes back)."""
        navigation = self._navigation
        if paper is None:
            return
        navigation.jumping()
        if navigation.scope != ALL_DAYS:
            navigation.days.highlighted = 0
            navigation.choose_day(ALL_DAYS)
        self._search_for(f"like:{paper.id}")

    def cycle_sort(self) -> None:
        """Order the list shown the next way (new, old, title, relevance for words, For you):
        as a search of the same papers with sort:, which the bar shows."""
        from digest_tui.query import LIKE, parse_query

        query = self._navigation.shown_query
        if query is None:
            query = parse_query(list_query(self._navigation.list_key))
        sorts = [s for s in SORTS if s != "relevance" or query.words]
        if query.like:
            sorts.insert(0, LIKE)  # most like the paper first, as like: lists them
        current = query.sort if query.sort in sorts else sorts[0]
        following = sorts[(sorts.index(current) + 1) % len(sorts)]
        if not self.bar.display:
            self._navigation.jumping()  # (ctrl+o comes back to the list as it was)
        self._search_for(query.sorted_by(following).text)
        self._app.notify(f"Sorted: {SORT_NAMES[following]}.", timeout=2, markup=False)

    def _search_for(self, text: str) -> None:
        """Show the `/` search of `text`, as if typed and entered."""
        self.bar.show_query(text)
        self.typed(text, done=True)


def list_query(list_key: str) -> str:
    """A plain list (All, Unread, Starred, a section), as a query."""
    if list_key in (UNREAD, STARRED):
        return f"is:{list_key}"
    if list_key.startswith(SECTION_PREFIX):
        section = list_key.removeprefix(SECTION_PREFIX).replace('"', "")
        return f'section:"{section}"'
    return ""
