"""A short list to choose one thing from: a link of the paper to open, a format to export the
list in. `enter` chooses, `escape` chooses nothing."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class ChoiceScreen(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape,q", "dismiss", "Close", id="choice-close"),
        Binding("j", "cursor('down')", "Down", show=False, id="choice-down"),
        Binding("k", "cursor('up')", "Up", show=False, id="choice-up"),
    ]
    DEFAULT_CSS = """
    ChoiceScreen { align: center middle; }
    ChoiceScreen > OptionList {
        width: 90%;
        max-height: 80%;
        border: round $accent;
        background: $surface;
    }
    """

    def __init__(self, title: str, choices: Sequence[tuple[Text, str]]) -> None:
        """`choices`: (what is shown, what choosing it gives)."""
        super().__init__()
        self._title = title
        self._choices = list(choices)

    def compose(self) -> ComposeResult:
        yield OptionList(*(Option(label) for label, _ in self._choices))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.border_title = Text(self._title)  # (may hold a paper's title: data, not markup)
        options.border_subtitle = "enter chooses · escape closes"
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._choices[event.option_index][1])

    def action_cursor(self, direction: str) -> None:
        options = self.query_one(OptionList)
        options.action_cursor_down() if direction == "down" else options.action_cursor_up()

    async def action_dismiss(self, result: str | None = None) -> None:
        self.dismiss(result)
