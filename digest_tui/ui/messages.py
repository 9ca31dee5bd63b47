"""Messages the app reacts to: facts, in the past tense."""

from __future__ import annotations

from textual.message import Message

from digest_tui.model import Library


class LibraryLoaded(Message):
    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
