"""Reading the library for the reader, in a thread: the newest day first, then the rest, then
the search index; watching the folders for the day files a pipeline adds each morning; and
bringing the subscribed sources up to date (the days they bring are then seen in the folders)."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from functools import partial
from pathlib import Path

from textual.app import App
from textual.worker import get_current_worker

from digest_tui.library import (
    LibraryLoad,
    Snapshot,
    Started,
    discover,
    gc_paused,
    snapshot,
    start_reading,
)
from digest_tui.model import Library
from digest_tui.sources import Source
from digest_tui.ui.messages import (
    LibraryChanged,
    LibraryLoaded,
    LibraryProgressed,
    SearchIndexed,
    SourcesUpdated,
)
from digest_tui.words import plural

PROGRESS_SECONDS = 0.25
FIRST_PAINT_WAIT = 2.0
WATCH_SECONDS = 5.0


def news(before: Library, after: Library) -> str:
    """What a reload brought, in a sentence: the new days and their papers."""
    new_days = [day for day in after.days if day not in before.days]
    if not new_days:
        return "The digests changed on disk; the library is read again."
    shown = ", ".join(f"{day} ({plural(len(after.days[day]), 'paper')})" for day in new_days[:3])
    more = f" and {len(new_days) - 3:,} more" if len(new_days) > 3 else ""
    return f"New {'day' if len(new_days) == 1 else 'days'}: {shown}{more}"


class LibraryReader:
    """Reads the digest files of `paths` for the app, in a thread of its, and watches them.
    It reports with messages: `LibraryLoaded` (the newest day first, then all of it),
    `LibraryProgressed`, `SearchIndexed`, and `LibraryChanged` when the files change."""

    def __init__(
        self,
        paths: Sequence[Path],
        language: str | None,
        app: App,
        ahead: Future[Started] | None = None,
    ) -> None:
        self._paths = list(paths)
        self._language = language
        self._app = app
        self._ahead = ahead  # the files found and the newest day read, begun before the app ran
        self._snapshot: Snapshot | None = None  # the files the library was read from
        self._check_when_read = False  # a look asked for while the library was being read
        self._first_paint = threading.Event()
        self.first_paint_at: float | None = None  # perf_counter() when papers were first shown

    @property
    def paths(self) -> list[Path]:
        """The files and folders the library is read from."""
        return list(self._paths)

    def read(self, reload: bool = False) -> None:
        """Read the library (again, after a change, with `reload`)."""
        self._snapshot = None  # until read
        ahead, self._ahead = self._ahead, None
        shown = ahead is not None and ahead.done() and ahead.exception() is None
        if shown:
            # The newest day is read: shown from here, in the first frame, not when the thread
            # below gets the interpreter while the screen is being made.
            self._show_first(*ahead.result(), reload)
        self._thread(partial(self._read, reload, ahead, shown), "load_library", "load")

    def _read(self, reload: bool, ahead: Future[Started] | None, shown: bool) -> None:
        """Read the newest day first and show it (unless `shown`), then the rest, saying how
        far it has got; then make the library searchable."""
        worker = get_current_worker()
        post = self._app.post_message
        found, loading = ahead.result() if ahead else start_reading(self._paths, self._language)
        if not shown:
            self._show_first(found, loading, reload)
        if 0 < loading.done < len(loading.days) and not reload:
            # Let the screen show the newest day before this thread takes the CPU again.
            self._first_paint.wait(timeout=FIRST_PAINT_WAIT)
        reported = time.monotonic()
        for entry in loading.days[loading.done :]:
            if worker.is_cancelled:
                return
            with gc_paused():
                loading.read(entry)
            if time.monotonic() - reported > PROGRESS_SECONDS:
                reported = time.monotonic()
                post(LibraryProgressed(loading.done, len(loading.days)))
        library = loading.library()
        post(LibraryLoaded(library, snapshot=found, reload=reload))
        # The cache and the search index are for later: not while the first screen is drawn.
        self._first_paint.wait(timeout=FIRST_PAINT_WAIT)
        loading.store()
        index = loading.index(lambda: worker.is_cancelled)
        if not worker.is_cancelled:
            post(SearchIndexed(index, library))

    def _thread(self, work: Callable[[], None], name: str, group: str) -> None:
        """`work` in a thread of the app's; a newer one of the group replaces it."""
        self._app.run_worker(
            work, name=name, group=group, thread=True, exclusive=True, exit_on_error=False
        )

    def _show_first(self, found: Snapshot, loading: LibraryLoad, reload: bool) -> None:
        """The days read so far, shown while the others are read."""
        if 0 < loading.done < len(loading.days) and not reload:
            self._app.post_message(LibraryLoaded(loading.library(), complete=False))

    def loaded(self, message: LibraryLoaded, before: Library) -> None:
        """A library read is shown (`before` was): say what a reload brought, and what could
        not be read; the reading thread may go on once the screen shows it."""
        self._app.call_after_refresh(self._painted)
        if not message.complete:
            return
        self._snapshot = message.snapshot
        if self._check_when_read:
            self.check()
        if message.reload:
            self._app.notify(
                news(before, message.library), title="Library", timeout=10, markup=False
            )
        # The library lives as long as the reader: keep the garbage collector from walking its
        # hundreds of thousands of objects again and again (pauses of 50 ms and more on a key).
        gc.freeze()
        if message.library.problems and not message.reload:
            count = plural(len(message.library.problems), "problem")
            self._app.notify(
                f"{count} reading the digests; the rest loaded. Press ! to see them.",
                title="Problems",
                severity="warning",
                timeout=15,
                markup=False,
            )

    def _painted(self) -> None:
        """The first papers are on screen: the reading thread may take the CPU again."""
        if not self._first_paint.is_set():
            self.first_paint_at = time.perf_counter()
            self._first_paint.set()

    def update_sources(self, sources: Sequence[Source], asked: bool = False) -> None:
        """Bring the sources whose folders the library holds up to date, in a thread; a
        `SourcesUpdated` says how it went (`sources_updated`). `asked`: said, even if none."""
        ours = [source for source in sources if source.path in self._paths]
        if not ours:
            if asked:
                message = "No sources in this library: digest-tui subscribe OWNER/REPO adds one."
                self._app.notify(message, title="Sources", markup=False)
            return
        if asked:
            self._app.notify("Updating the sources…", title="Sources", timeout=3)
        self._thread(partial(self._update, ours), "update sources", "sources")

    def sources_updated(self, message: SourcesUpdated) -> None:
        """Say how it went; the new days show as the folders are looked at again, now."""
        failed = [report for report in message.reports if not report.ok]
        fetched = sum(len(r.new) + len(r.rewritten) for r in message.reports)
        if failed:
            lines = "\n".join(report.line() for report in failed)
            self._app.notify(lines, title="Sources", severity="warning", timeout=15, markup=False)
        elif fetched:
            lines = "\n".join(report.line() for report in message.reports)
            self._app.notify(lines, title="Sources", timeout=8, markup=False)
        self.check()

    def _update(self, sources: list[Source]) -> None:
        from digest_tui.github import update_all  # (and httpx)

        worker = get_current_worker()  # (the reader quits without waiting for the rest)
        reports = update_all(sources, cancelled=lambda: worker.is_cancelled)
        if not worker.is_cancelled:
            self._app.post_message(SourcesUpdated(reports))

    def check(self) -> None:
        """Look for new or changed day files (every few seconds, and after an update): now,
        or once the library being read is (the days an update brought as the reader starts
        show then, not at the next look). While the read library is only being indexed, now."""
        self._check_when_read = self._snapshot is None
        if self._snapshot is not None:
            self._thread(partial(self._watch, self._snapshot), "watch", "watch")

    def _watch(self, known: Snapshot) -> None:
        if snapshot(discover(self._paths)) != known:
            self._app.post_message(LibraryChanged())
