"""The top line: the app's title and what the reader shows (the app's sub-title).

Textual's Header sets its title by a message, so a new sub-title is drawn a frame after the
papers it describes (opening the reader drew the screen once more for it): this line is drawn
again in the frame the sub-title changes in."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget


class TitleBar(Widget):
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
        text-align: center;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def on_mount(self) -> None:
        for name in ("title", "sub_title"):
            self.watch(self.app, name, self._changed, init=False)

    def _changed(self) -> None:
        self.refresh()

    def render(self) -> Content:
        return self.app.format_title(self.app.title, self.app.sub_title)
