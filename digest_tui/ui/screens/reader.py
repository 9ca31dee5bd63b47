"""The reader's own screen, under the help, statistics and other screens."""

from __future__ import annotations

from textual.screen import Screen


class ReaderScreen(Screen[None]):
    # The papers have the focus from the start: focusing another pane first, then the papers,
    # made the footer of keys three more times before the reader was ready.
    AUTO_FOCUS = "#papers"
