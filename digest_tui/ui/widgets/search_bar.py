"""The query bar that `/` opens above the papers: it searches as the reader types (a moment
after the last key), says what is wrong with a query it cannot read, and closes on escape."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

DEBOUNCE_SECONDS = 0.15
PLACEHOLDER = 'words "a phrase" -exclude author: cat: is:unread since: sort: like:'


class SearchBar(Vertical):
    BINDINGS = [
        Binding("escape", "close", "Close the search", id="search-close"),
        Binding("down", "done", "To the results", show=False, id="search-results"),
    ]

    class Changed(Message):
        """The query settled (the reader paused typing, or pressed enter)."""

        def __init__(self, text: str, done: bool) -> None:
            super().__init__()
            self.text = text
            self.done = done  # enter: go to the results

    class Closed(Message):
        """The reader left the search (escape)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder=PLACEHOLDER, id="search-input")
        yield Static(id="search-message")

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        return self.input.value

    def open(self) -> None:
        self.display = True
        self.input.focus()

    def show_query(self, text: str) -> None:
        """Open with `text` in the field, as if typed (its search is the caller's to run)."""
        self._stop_timer()
        self.display = True
        with self.input.prevent(Input.Changed):
            self.input.value = text
        self.input.cursor_position = len(text)

    def close(self) -> None:
        self._stop_timer()
        self.input.value = ""
        self.say("")
        self.display = False

    def say(self, message: str, *, error: bool = False) -> None:
        self.query_one("#search-message", Static).update(Text(message))
        self.set_class(error, "-error")

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._stop_timer()
        if self.display:  # not the clearing of a closed bar
            self._timer = self.set_timer(DEBOUNCE_SECONDS, self._settled)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_done()

    def _settled(self) -> None:
        self._timer = None
        self.post_message(self.Changed(self.value, done=False))

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def action_done(self) -> None:
        self._stop_timer()
        self.post_message(self.Changed(self.value, done=True))

    def action_close(self) -> None:
        self.post_message(self.Closed())
