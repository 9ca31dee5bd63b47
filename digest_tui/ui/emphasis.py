"""How papers are drawn beyond their words: search matches and keywords marked, `$…$` math as
Unicode or as written. One value shared by the list and the detail, so they always agree."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from rich.style import Style
from rich.text import Text

# Up to this many keywords are marked wherever they appear. Beyond, a paper is marked with the
# keywords the search index found in it (title, authors, TL;DR, abstract): a pattern of
# thousands of words, tried on every row and pane, would take seconds a key.
FEW_KEYWORDS = 64


@dataclass(frozen=True, slots=True)
class Emphasis:
    matches: tuple[str, ...] = ()  # what the search asked for
    keywords: tuple[str, ...] = ()  # the configured keywords and authors
    math: bool = True  # `$…$` as Unicode (else as written)
    # paper id -> the keywords found in it (None until the index has been asked)
    found: Mapping[str, tuple[str, ...]] | None = None

    def for_paper(self, paper_id: str) -> Emphasis:
        """The emphasis to draw one paper with: its own keywords, when they are many."""
        if len(self.keywords) <= FEW_KEYWORDS:
            return self
        found = self.found.get(paper_id, ()) if self.found is not None else ()
        return replace(self, keywords=found, found=None)

    def text(self, value: str) -> str:
        if not self.math or "$" not in value:
            return value
        from digest_tui.latex import render_math  # LaTeX (unicodeit) loads on the first formula

        return render_math(value)

    def mark(self, text: Text, match: Style, keyword: Style) -> Text:
        """`text` with keywords, then search matches, styled where they occur."""
        if self.keywords:
            text.highlight_words(self.keywords, keyword, case_sensitive=False)
        if self.matches:
            text.highlight_words(self.matches, match, case_sensitive=False)
        return text


PLAIN = Emphasis()
