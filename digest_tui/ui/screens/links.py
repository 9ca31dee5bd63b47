"""Every web link of a paper, to open one in the browser (enter), or none (escape)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from digest_tui.links import Link


class LinksScreen(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape,q,l", "dismiss", "Close", id="links-close"),
        Binding("j", "cursor('down')", "Down", show=False, id="links-down"),
        Binding("k", "cursor('up')", "Up", show=False, id="links-up"),
    ]
    DEFAULT_CSS = """
    LinksScreen { align: center middle; }
    LinksScreen > OptionList {
        width: 90%;
        max-height: 80%;
        border: round $accent;
        background: $surface;
    }
    """

    def __init__(self, title: str, links: Sequence[Link]) -> None:
        super().__init__()
        self._title = title
        self._links = list(links)

    def compose(self) -> ComposeResult:
        options = []
        for link in self._links:
            label = Text(link.url, no_wrap=True, overflow="ellipsis")
            label.append(f"  {link.where}", style="dim")
            options.append(Option(label))
        yield OptionList(*options)

    def on_mount(self) -> None:
        links = self.query_one(OptionList)
        links.border_title = Text(f"Links of {self._title[:60]}")  # (the title is data)
        links.border_subtitle = "enter opens · escape closes"
        links.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._links[event.option_index].url)

    def action_cursor(self, direction: str) -> None:
        links = self.query_one(OptionList)
        links.action_cursor_down() if direction == "down" else links.action_cursor_up()

    async def action_dismiss(self, result: str | None = None) -> None:
        self.dismiss(result)
