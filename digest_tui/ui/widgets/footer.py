"""Textual's footer of keys, made again only when the keys it shows change. Textual's own is
made again for every change of the keys, shown or not: opening the reader asks for it three
times within a frame (each making is a dozen widgets styled, laid out and drawn)."""

from __future__ import annotations

from textual.widgets import Footer

Keys = tuple[tuple[str, str, str, bool], ...]  # (key shown, description, action, enabled)


class KeysFooter(Footer):
    _made_for: Keys | None = None

    def _keys(self) -> Keys:
        app = self.app
        return tuple(
            (app.get_key_display(binding), binding.description, binding.action, enabled)
            for _, binding, enabled, _ in self.screen.active_bindings.values()
            if binding.show or binding.key == app.COMMAND_PALETTE_BINDING
        )

    async def recompose(self) -> None:
        keys = self._keys()
        if keys != self._made_for:  # else they are on screen already
            self._made_for = keys
            await super().recompose()
