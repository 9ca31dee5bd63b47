"""The keys of what has focus, on the bottom line: one widget drawn as one line of text.

Textual's Footer is a widget per key, made again (styled, laid out, drawn) a frame after each
change of the bindings: opening the reader drew the screen three times, and moving the focus
twice. This one draws its line in the frame the bindings changed in, and never cuts a key in
half: the keys that do not fit are left out, the command palette's key stays at the right.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

# (key as typed, key as shown, description, enabled), the command palette's key last if shown
Keys = tuple[tuple[str, str, str, bool], ...]
GAP = "  "  # between two keys
PALETTE_EDGE = "▏"


class KeysFooter(Widget):
    COMPONENT_CLASSES = {"keys-footer--key", "keys-footer--description"}
    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .keys-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .keys-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._keys: Keys = ()
        self._palette: tuple[str, str, str, bool] | None = None
        self._places: list[tuple[int, int, str]] = []  # (first cell, end, key) of each key drawn

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def _bindings_changed(self, screen: Screen) -> None:
        app = self.app
        keys: dict[str, tuple[str, str, str, bool]] = {}  # action -> its first key
        palette = None
        for _, binding, enabled, _ in screen.active_bindings.values():
            entry = (binding.key, app.get_key_display(binding), binding.description, enabled)
            if binding.key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = entry
            elif binding.show:
                keys.setdefault(binding.action, entry)
        if (tuple(keys.values()), palette) != (self._keys, self._palette):
            self._keys, self._palette = tuple(keys.values()), palette
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keys-footer--key", partial=True)
        words = self.get_component_rich_style("keys-footer--description", partial=True)
        width = self.size.width
        right = Text()
        if self._palette is not None:
            _, shown, description, _ = self._palette
            right = Text.assemble(PALETTE_EDGE, (shown, key_style), " ", (description, words))
        room = width - right.cell_len - 1
        line, places = Text(" "), []
        for key, shown, description, enabled in self._keys:
            item = Text.assemble((shown, key_style), " ", (description, words))
            if not enabled:
                item.stylize(Style(dim=True))
            start = line.cell_len + (len(GAP) if len(line) > 1 else 0)
            if start + item.cell_len > room:
                break  # a key that does not fit is left out whole
            if len(line) > 1:
                line.append(GAP)
            line.append_text(item)
            places.append((start, line.cell_len, key))
        if self._palette is not None and width > right.cell_len:
            line.pad_right(max(0, width - line.cell_len - right.cell_len))
            places.append((line.cell_len, line.cell_len + right.cell_len, self._palette[0]))
            line.append_text(right)
        self._places = places
        line.no_wrap, line.overflow = True, "crop"
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._places:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
