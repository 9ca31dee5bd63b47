"""Messages the app reacts to: facts, in the past tense."""

from __future__ import annotations

from textual.message import Message

from digest_tui.model import Library


class LibraryLoaded(Message):
    """A library was read: all of it (`complete`), or its newest days so far."""

    def __init__(self, library: Library, complete: bool = True) -> None:
        super().__init__()
        self.library = library
        self.complete = complete


class LibraryProgressed(Message):
    """So many of the days have been read."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total
