"""How papers are drawn beyond their words: search matches and keywords marked, `$…$` math as
Unicode or as written. One value shared by the list and the detail, so they always agree."""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from digest_tui.latex import render_math


@dataclass(frozen=True, slots=True)
class Emphasis:
    matches: tuple[str, ...] = ()  # what the search asked for
    keywords: tuple[str, ...] = ()  # the configured keywords and authors
    math: bool = True  # `$…$` as Unicode (else as written)

    def text(self, value: str) -> str:
        return render_math(value) if self.math else value

    def mark(self, text: Text, match: Style, keyword: Style) -> Text:
        """`text` with keywords, then search matches, styled where they occur."""
        if self.keywords:
            text.highlight_words(self.keywords, keyword, case_sensitive=False)
        if self.matches:
            text.highlight_words(self.matches, match, case_sensitive=False)
        return text


PLAIN = Emphasis()
