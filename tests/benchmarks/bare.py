"""The baseline: a bare Textual app, a list of rows where `j` moves the highlight one line."""

from textual.app import App, ComposeResult
from textual.widgets import OptionList


class Bare(App[None]):
    BINDINGS = [("j", "down"), ("q", "quit")]

    def compose(self) -> ComposeResult:
        yield OptionList(*(f"row {n}" for n in range(1000)))

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()


if __name__ == "__main__":
    Bare().run()
