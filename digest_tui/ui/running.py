"""Running the reader so that quitting never waits for a thread.

Textual runs thread workers in the event loop's default executor, whose threads Python joins
before it exits: `q` pressed while a large library (or a hostile hundred-megabyte digest) is
being read would wait for the reading to end. The reader's threads only read digests and write
the cache (each file whole or not at all, by rename), and every mark is committed when it is
made, so they are run as daemon threads, which the process does not wait for.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from textual.app import App


class DaemonThreads(ThreadPoolExecutor):
    """Each task in a daemon thread of its own (asyncio takes only a ThreadPoolExecutor)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                result = fn(*args, **kwargs)
            except BaseException as error:
                future.set_exception(error)
            else:
                future.set_result(result)

        threading.Thread(target=run, name="digest-tui-worker", daemon=True).start()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Nothing to wait for: the threads end with the process."""


def run_app(app: App) -> None:
    loop = asyncio.new_event_loop()
    loop.set_default_executor(DaemonThreads())
    try:
        app.run(loop=loop)
    finally:
        loop.close()
