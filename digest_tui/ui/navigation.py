"""Where the reader is: a day (or all days), a list of it (All, Unread, Starred, a section, a
saved search or keyword list, or the `/` search), the papers of that list, and the paper under
the cursor shown beside them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import App
from textual.timer import Timer

from digest_tui.lists import (
    ALL,
    ALL_DAYS,
    SMART_LISTS,
    STARRED,
    UNREAD,
    next_unread_list,
    papers_for,
    section_key,
    sections_in,
)
from digest_tui.model import Library, Paper
from digest_tui.sources import day_names
from digest_tui.ui.emphasis import Emphasis
from digest_tui.ui.marks import Marks
from digest_tui.ui.messages import SearchesCounted, SearchFinished
from digest_tui.ui.places import Place, newest_date
from digest_tui.ui.searching import FOR_YOU, FOR_YOU_NAME, SEARCH_KEY, Search
from digest_tui.ui.widgets.counted_list import CountedList
from digest_tui.ui.widgets.panes import Panes
from digest_tui.ui.widgets.paper_detail import Showing
from digest_tui.words import plural

if TYPE_CHECKING:
    from digest_tui.query import Query
    from digest_tui.ui.places import Places

EMPTY_LIST = {UNREAD: "No unread papers.", STARRED: "No starred papers: press s to star one."}
FOR_YOU_EMPTY = (
    "For you ranks the unread papers by how much they are like the papers you starred or "
    "tagged. Star a few papers (s) to start."
)
INDEXING = "Reading the library for search…"
RANKING = "Ranking the library (once; then it is kept)…"
# After a paper is shown, the papers beside it are typeset this much later: once its frame is
# written (the terminal's writer thread needs the interpreter), before the next key of a held j.
AHEAD_SECONDS = 0.01


class Navigation:
    """Chooses what the days, the lists, the papers and the paper pane show, and keeps them in
    step, at once (keys typed meanwhile act on what the reader sees). It is handed the panes
    (those widgets, and the search bar), the marks (counts, what is read), the search (the
    saved lists; searches to run) and the app, whose subtitle says what is shown."""

    def __init__(self, panes: Panes, marks: Marks, search: Search, app: App) -> None:
        self.days, self.lists, self.papers = panes.days, panes.lists, panes.papers
        self.detail, self.bar = panes.detail, panes.bar
        self._marks = marks
        self._search = search
        self._app = app
        self.library = Library(())
        self._filtered = False  # the library shown is the one read, filtered by keywords
        self.scope = ALL_DAYS  # the day chosen, or all days
        self.list_key = ALL
        self._shown: tuple[str, str] | None = None  # the (day, list) the paper list shows
        self.query: Query | None = None  # the `/` search shown, if any
        self.math = True  # `$…$` as Unicode
        self._titles: tuple[Library, list[str]] | None = None  # for the palette
        self.papers.follow = self.show_detail
        self._ahead: Timer | None = None  # typesets the papers beside the cursor, when idle
        self.places: Places | None = None  # keeps the place and the jumps (set by the app)
        self._going_to: str | None = None  # a paper to put the cursor on once its list shows
        self._spots: dict[tuple[str, str], str] = {}  # (day, list) -> the paper last read there

    @property
    def current(self) -> Paper | None:
        """The paper under the list's cursor: asked of the list itself, so a key typed before
        the list's messages arrive still acts on the paper the reader sees highlighted."""
        return self.papers.current

    @property
    def list_name(self) -> str:
        if self.query is not None:
            return f"Search {self.query.text}"
        return self._search.saved.get(self.list_key, (self.lists.name_of(self.list_key),))[0]

    def use_library(self, library: Library, *, filtered: bool = False) -> None:
        """Show a library (the one read, or it filtered by keywords), on the paper being read."""
        reading, row = self.current, self.detail.first_row
        self.library, self._filtered = library, filtered
        days = [(ALL_DAYS, "All days"), *day_names(library)]
        self._shown = None
        self.days.set_entries(days, self._marks.day_label, keep=self.scope)
        self.choose_day(self.days.current_key or ALL_DAYS)
        if reading is not None:
            self.papers.move_to_paper(reading.id)
            if self.current is not None and self.current.id == reading.id:
                self.detail.scroll_to_row(row)  # as it was read

    # -- choosing what to read ------------------------------------------------------------

    def highlighted(self, event: CountedList.Highlighted) -> None:
        """The reader moved onto a day or a list: it shows."""
        if event.index != event.counted_list.highlighted:
            return  # a highlight the reader has already moved on from
        if event.key not in (self.scope, self.list_key):
            self.jumping(browse=True)
        if event.counted_list is self.days:
            self.choose_day(event.key)
        else:
            self.choose_list(event.key)

    def step_day(self, step: int) -> None:
        """The day `step` days older (or newer, below 0)."""
        if self.days.option_count:
            self.jumping(browse=True)
            last = self.days.option_count - 1
            self.days.highlighted = max(0, min((self.days.highlighted or 0) + step, last))
            self.choose_day(self.days.current_key or ALL_DAYS)

    def choose_day(self, day: str) -> None:
        """Show a day's lists and papers at once, not when the list's message comes round: keys
        typed meanwhile then act on what the reader sees."""
        if self._shown is not None and self._shown[0] == day:
            return
        self.scope = day
        entries = self._list_entries()
        if self.list_key not in dict(entries):
            self.list_key = ALL
        self.lists.set_entries(entries, self._list_label, keep=self.list_key)
        self._search.count(self.library, day)
        self.show_list()

    def _list_entries(self) -> list[tuple[str, str]]:
        sections = sections_in(self.library, self.scope)
        smart = [(key, name) for key, (name, _) in self._search.saved.items()]
        ranked = [(FOR_YOU, FOR_YOU_NAME)]
        return [*SMART_LISTS, *ranked, *smart, *((section_key(name), name) for name in sections)]

    def tags_changed(self) -> None:
        """Tags were given or taken: the lists of tags, and their counts."""
        if self._search.tags_changed():
            self.lists.set_entries(self._list_entries(), self._list_label, keep=self.list_key)
        self._search.count(self.library, self.scope)
        self.show_detail()

    def choose_list(self, key: str) -> None:
        if self._shown == (self.scope, key):
            return  # already shown: keep the reader's place in it
        self.list_key = key
        if self.query is not None or self.bar.display:
            self.query = None  # another list chosen: the search is over
            self.bar.close()
        self.show_list()

    def show_list(self) -> None:
        """Show the chosen list, on the paper the reader was on when it last left it; a search
        (the `/` one, a saved one) shows when it is done."""
        if self._shown is not None and (paper := self.current) is not None:
            self._spots[self._shown] = paper.id
        self._shown = (self.scope, self.list_key)
        # (Each time: a spot left from a search that never came back must not move another.)
        self._going_to = self._spots.get(self._shown) if self.query is None else None
        if self.query is not None:
            self.run_search(SEARCH_KEY + self.query.text, self.query)
        elif self.list_key == FOR_YOU and not self._marks.store.liked():
            self._search.forget()
            self.show_papers([], FOR_YOU_NAME, FOR_YOU_EMPTY)
        elif (query := self.shown_query) is not None:
            name = self.list_name
            waiting = RANKING if query.needs_ranking and self._search.ranking is None else None
            self.show_papers([], name, waiting or f"Searching for {name}…")
            self.run_search(self.list_key, query)
        else:
            self._search.forget()
            papers = papers_for(self.library, self.list_key, self._marks.store, self.scope)
            name = self.lists.name_of(self.list_key)
            self.show_papers(papers, name, EMPTY_LIST.get(self.list_key, "No papers."))
            if self._going_to is not None:
                self.papers.move_to_paper(self._going_to)
                self._going_to = None
        library = self.library
        filtered = " · keyword filter on (f)" if self._filtered else ""
        if self.scope == ALL_DAYS:
            days = plural(len(library.days), "day")
            papers = plural(len(library.papers), "paper")
            self._app.sub_title = f"All days ({days}) · {papers}{filtered}"
        else:
            papers = plural(len(library.days.get(self.scope, ())), "paper")
            self._app.sub_title = f"{self.scope} · {papers}{filtered}"

    def show_papers(self, papers: Sequence[Paper], name: str, empty: str) -> None:
        day = self.days.name_of(self.scope)
        # (Text: a day's or a section's name is the digest's, never markup.)
        self.papers.border_title = Text(f"{day} · {name} · {plural(len(papers), 'paper')}")
        self.papers.set_emphasis(self.emphasis())
        self.papers.show(papers, empty)

    @property
    def shown_query(self) -> Query | None:
        """The query of the list shown: the `/` search, a saved search, For you."""
        if self.query is None and self.list_key == FOR_YOU:
            return self._search.for_you
        if self.query is None and self.list_key in self._search.saved:
            return self._search.saved[self.list_key][1]
        return self.query

    def emphasis(self) -> Emphasis:
        """How papers are drawn: the search's words and the keywords marked, math as chosen."""
        query = self.shown_query
        highlights = query.highlights if query else ()
        search = self._search
        return Emphasis(highlights, search.keywords, self.math, search.keywords_found)

    def _list_label(self, key: str) -> str:
        if key == FOR_YOU:
            return ""  # the unread papers (counted beside Unread), ranked
        return self._marks.list_label(key, self.scope, searched=key in self._search.saved)

    # -- the paper -----------------------------------------------------------------------

    def show_detail(self) -> None:
        paper = self.current
        self.detail.show(self._showing(paper, self.emphasis()) if paper is not None else None)
        if paper is None:
            return
        if self.places is not None:
            self.places.moved()
        if self._ahead is not None:
            self._ahead.stop()
        self._ahead = self._app.set_timer(AHEAD_SECONDS, self._prepare_neighbours)

    def _showing(self, paper: Paper, emphasis: Emphasis) -> Showing:
        """The paper as the paper pane shows it: with your marks, its days and languages, your
        tags and note."""
        store = self._marks.store
        return Showing(
            paper,
            store.get(paper.id),
            self.library.days_of(paper.id),
            self.library.languages.get(paper.day, ((), "")),
            emphasis,
            (store.tags(paper.id), store.note(paper.id)),
            self._search.reason(paper, self.shown_query, self.library, self._marks.store),
        )

    def _prepare_neighbours(self) -> None:
        """Typeset the papers above and below the cursor, which j and k show next."""
        papers, row = self.papers.papers, self.papers.cursor
        emphasis = self.emphasis()
        for near in (row + 1, row - 1):
            if 0 <= near < len(papers):
                self.detail.prepare(self._showing(papers[near], emphasis))

    def toggle_math(self) -> None:
        self.math = not self.math
        self.papers.set_emphasis(self.emphasis())
        self.show_detail()
        self._app.notify("LaTeX shown as symbols." if self.math else "LaTeX shown as written.")

    def jump_unread(self, forward: bool) -> bool:
        """The next unread paper (`n`): below the cursor, else in the day's next list with
        unread papers, else in the next older day (the reader is told where it went); or the
        previous one in the list (`p`). Whether the cursor moved."""
        row = self.papers.find_unread(forward, wrap=not forward or self.scope == ALL_DAYS)
        if row is not None:
            self.jumping()
            self.papers.move_to(row)
            return True
        place = self._next_unread_list() if forward else None
        if place is None:
            where = "in this list" if not forward or self.scope == ALL_DAYS else "from here on"
            self._app.notify(f"No unread papers {where}.")
            return False
        self.jumping()
        self.go(place)
        if (first := self.papers.find_unread(True, wrap=False, start=-1)) is not None:
            self.papers.move_to(first)
        count = self._marks.counts.unread[
            place.day, UNREAD if place.list_key == UNREAD else place.list_key
        ]
        name = self.lists.name_of(place.list_key)
        message = f"On to {name} of {place.day}: {plural(count, 'unread paper')}."
        self._app.notify(message, markup=False)  # (a section's name is the digest's)
        return True

    def _next_unread_list(self) -> Place | None:
        found = next_unread_list(self.library, self._marks.counts.unread, self.scope, self.list_key)
        return Place(*found) if found else None

    def jump_to_paper(self, paper_id: str) -> None:
        """Show a paper: in All days, list All, under the cursor."""
        self.jumping()
        self.query = None
        self.bar.close()
        self.days.highlighted = 0
        self.list_key = ALL
        self._shown = None
        self.choose_day(ALL_DAYS)
        self.lists.highlighted = 0
        self.papers.move_to_paper(paper_id)
        self.papers.focus()

    def paper_titles(self) -> tuple[Sequence[Paper], list[str]]:
        """Every paper and its title in lower case, made once per library."""
        if self._titles is None or self._titles[0] is not self.library:
            self._titles = (self.library, [p.title.lower() for p in self.library.papers])
        return self.library.papers, self._titles[1]

    # -- places: where the reader is, to come back to ----------------------------------------

    def place(self) -> Place:
        paper = self.current
        return Place(
            self.scope,
            self.list_key,
            paper.id if paper is not None else None,
            self.detail.first_row,
            newest_date(self.library.days),
        )

    def holds(self, place: Place) -> bool:
        """Whether the library shown has the place's day (and paper)."""
        if place.day != ALL_DAYS and place.day not in self.library.days:
            return False
        return place.paper is None or place.paper in self.library.occurrences

    def go(self, place: Place) -> None:
        """Show a place: its day, its list (All if the day has no such list), its paper."""
        self.query = None
        self.bar.close()
        self._shown = None
        self.list_key = place.list_key
        day = place.day if place.day == ALL_DAYS or place.day in self.library.days else ALL_DAYS
        if (row := self.days.index_of(day)) is not None:
            self.days.highlighted = row
        if place.paper is not None:
            self._spots[(day, place.list_key)] = place.paper  # (a saved search: once it ran)
        self.choose_day(day)
        if place.scroll:
            self.detail.scroll_to_row(place.scroll)

    def jumping(self, browse: bool = False) -> None:
        if self.places is not None:
            self.places.jumping(browse)

    # -- what changed meanwhile ---------------------------------------------------------

    def marks_changed(self, message: Marks.Changed) -> None:
        """Redraw what a change of marks touched: one paper's days, lists (and the lists of
        searches it is in) and row, or all."""
        paper = message.paper
        if paper is None:
            self.days.update_labels(self._marks.day_label)
            self.lists.update_labels(self._list_label)
            self.papers.refresh()
        else:
            days = [ALL_DAYS, *self.library.days_of(paper.id)]
            occurrences = self.library.occurrences.get(paper.id, ())
            sections = {section_key(p.section) for p in occurrences}
            self.days.update_labels(self._marks.day_label, days)
            keys = [ALL, UNREAD, STARRED, *sections, *message.found]
            self.lists.update_labels(self._list_label, keys)
            self.papers.refresh_paper(paper.id)
        self.show_detail()

    def counted(self, message: SearchesCounted) -> None:
        """The saved searches and keyword lists of a scope were counted."""
        if message.scope == self.scope:
            self.lists.update_labels(self._list_label, list(message.found))
        if message.keywords_found is not None:
            self.papers.set_emphasis(self.emphasis())
            self.show_detail()

    # -- the lists searches make -------------------------------------------------------

    def run_search(self, key: str, query: Query) -> None:
        if key.startswith(SEARCH_KEY) and self._search.index is None:
            self.bar.say(INDEXING)  # until the results come
        self._search.run((self.scope, key), query, self.library)

    def search_finished(self, message: SearchFinished) -> None:
        if not self._search.awaited(message):
            return  # the reader has typed on, or moved to another list
        key = message.token[1]
        if key.startswith(SEARCH_KEY):
            title = f"Search: {key[len(SEARCH_KEY) :]}"
            empty = "No papers match. Escape returns to the list."
        else:
            title, empty = self.list_name, "No papers match."
        self.show_papers(message.papers, title, empty)
        if self._going_to is not None:
            self.papers.move_to_paper(self._going_to)
            self._going_to = None

    def indexed(self) -> None:
        """The library can be searched now: the lists of searches are counted."""
        self._search.count(self.library, self.scope)
