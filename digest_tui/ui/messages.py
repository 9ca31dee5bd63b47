"""Messages the app reacts to: facts, in the past tense."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

from digest_tui.model import Library, Paper

if TYPE_CHECKING:
    from textual.app import App

    from digest_tui.github import Report
    from digest_tui.index import SearchIndex

Handler = Callable[[Any, Any], None]


def while_running(handler: Handler) -> Handler:
    """A report handled while the app runs, dropped once it is closing: a search or a ranking
    that finishes as the app quits comes when the widgets may already be gone."""

    @wraps(handler)
    def handle(app: App, message: Message) -> None:
        if app.is_running:
            handler(app, message)

    return handle


class LibraryLoaded(Message):
    """A library was read: all of it (`complete`), or its newest days so far. `snapshot` is
    what its files were when reading began; `reload` says it was read again after a change."""

    def __init__(
        self,
        library: Library,
        complete: bool = True,
        *,
        snapshot: tuple[tuple[str, int, int], ...] = (),
        reload: bool = False,
    ) -> None:
        super().__init__()
        self.library = library
        self.complete = complete
        self.snapshot = snapshot
        self.reload = reload


class LibraryProgressed(Message):
    """So many of the days have been read."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class LibraryChanged(Message):
    """The digest files on disk are not the ones read: a day was added, changed or removed."""


class SourcesUpdated(Message):
    """The subscribed sources were brought up to date (or tried to be): a report each."""

    def __init__(self, reports: list[Report]) -> None:
        super().__init__()
        self.reports = reports


class SearchIndexed(Message):
    """Every paper of the library can now be searched."""

    def __init__(self, index: SearchIndex, library: Library) -> None:
        super().__init__()
        self.index = index
        self.library = library


class Ranked(Message):
    """The library's ranking index is made (For you, like:, sort:): its file, or itself."""

    def __init__(self, made: Path | bytes, library: Library) -> None:
        super().__init__()
        self.made = made
        self.library = library


class RankingFailed(Message):
    """The library's ranking index could not be made: why."""

    def __init__(self, reason: str, library: Library) -> None:
        super().__init__()
        self.reason = reason
        self.library = library


class SearchFinished(Message):
    """A search for the list `token` names has found its papers."""

    def __init__(self, token: tuple[str, str], papers: list[Paper]) -> None:
        super().__init__()
        self.token = token
        self.papers = papers


class SearchesCounted(Message):
    """The papers each saved search and keyword list holds in `scope`, by list key."""

    def __init__(
        self,
        library: Library,
        scope: str,
        found: dict[str, frozenset[str]],
        keywords_found: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.scope = scope
        self.found = found
        self.keywords_found = keywords_found  # paper id -> keywords, when there are many


class FilterFound(Message):
    """The papers the filtering keywords match."""

    def __init__(self, library: Library, ids: frozenset[str]) -> None:
        super().__init__()
        self.library = library
        self.ids = ids
