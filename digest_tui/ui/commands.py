"""Finding one's way: the help screen, statistics, problems, and the command palette (ctrl+p)
with every action of the reader, named "area: what it does", and any paper by title or id."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial

from textual.app import SystemCommand
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.screen import Screen

from digest_tui.config import Settings
from digest_tui.lists import ALL, ALL_DAYS
from digest_tui.model import Library, Paper
from digest_tui.state import MarkStore
from digest_tui.ui.screens.help import HelpScreen
from digest_tui.ui.screens.problems import ProblemsScreen
from digest_tui.ui.screens.stats import StatsScreen
from digest_tui.ui.widgets.counted_list import CountedList
from digest_tui.ui.widgets.paper_detail import PaperDetail
from digest_tui.ui.widgets.paper_list import PaperList
from digest_tui.ui.widgets.search_bar import SearchBar

MAX_PAPERS = 40


def binding_commands(
    bindings: Sequence[Binding], run: Callable[[str], object], keys: Callable[[Binding], str]
) -> Iterable[SystemCommand]:
    """A palette entry per binding that has a description: "paper: star  (s)"."""
    for binding in bindings:
        if not binding.description or not binding.id:
            continue
        area = binding.id.split("-", 1)[0].replace("app", "reader")
        yield SystemCommand(
            f"{area}: {binding.description[0].lower()}{binding.description[1:]}",
            f"key: {keys(binding)}",
            partial(run, binding.action),
        )


def find_papers(papers: Sequence[Paper], titles: Sequence[str], text: str) -> list[Paper]:
    """Papers whose title holds `text` (case-insensitive) or whose id starts with it."""
    needle = text.lower().strip()
    found = []
    for paper, title in zip(papers, titles, strict=True):
        if needle in title or paper.id.startswith(needle):
            found.append(paper)
            if len(found) >= MAX_PAPERS:
                break
    return found


class PaperCommands(Provider):
    """Jump to a paper: type a few words of its title, or its arXiv id."""

    async def search(self, query: str) -> Hits:
        app = self.app
        if len(query.strip()) < 2 or not hasattr(app, "paper_titles"):
            return
        matcher = self.matcher(query)
        papers, titles = app.paper_titles()
        for paper in find_papers(papers, titles, query):
            score = matcher.match(paper.title) or 0.1
            yield Hit(
                score,
                matcher.highlight(f"paper: {paper.title}"),
                partial(app.jump_to_paper, paper.id),
                text=paper.title,
                help=f"arXiv:{paper.id} · {paper.day} · {paper.first_author}",
            )


class Guide:
    """The DigestApp's help, screens and palette (a mixin: the bindings are the app's)."""

    BINDINGS: list[Binding]
    settings: Settings
    library: Library
    _marks: MarkStore
    _titles: tuple[Library, list[str]] | None

    def _binding_sections(self) -> list[tuple[str, Sequence[Binding]]]:
        always = [  # Textual's own: they work whatever the keymap says
            Binding("ctrl+q", "quit", "Quit (always)"),
            Binding("ctrl+p", "command_palette", "Command palette"),
        ]
        return [
            ("Anywhere", [*self.BINDINGS, *always]),
            ("Days and lists", CountedList.BINDINGS),
            ("Papers", PaperList.BINDINGS),
            ("Paper", PaperDetail.BINDINGS),
            ("Search bar", SearchBar.BINDINGS),
        ]

    def key_of(self, binding: Binding) -> str:
        """The keys a binding has now (the keymap of the settings may have changed them)."""
        keys = self.settings.keymap.get(binding.id or "", binding.key)
        return ", ".join(self.get_key_display(Binding(k.strip(), "")) for k in keys.split(","))

    def action_help(self) -> None:
        sections = self._binding_sections()
        self.push_screen(HelpScreen([sections[:2], sections[2:]], self.key_of))

    def action_problems(self) -> None:
        self.push_screen(ProblemsScreen(self.library))

    def action_stats(self) -> None:
        self.push_screen(StatsScreen(self.library, self._marks))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for bindings, widget in (
            (self.BINDINGS, self),
            (PaperList.BINDINGS, self.paper_list),
            (PaperDetail.BINDINGS, self.detail),
        ):
            run = partial(self.run_action, default_namespace=widget)
            yield from binding_commands(bindings, run, self.key_of)

    def paper_titles(self) -> tuple[Sequence[Paper], list[str]]:
        """Every paper and its title in lower case, made once per library."""
        if self._titles is None or self._titles[0] is not self.library:
            self._titles = (self.library, [p.title.lower() for p in self.library.papers])
        return self.library.papers, self._titles[1]

    def jump_to_paper(self, paper_id: str) -> None:
        """Show a paper: in All days, list All, under the cursor."""
        self._query = None
        self.search_bar.close()
        self.days.highlighted = 0
        self._list_key = ALL
        self._shown = None
        self._choose_day(ALL_DAYS)
        self.lists.highlighted = 0
        self.paper_list.move_to_paper(paper_id)
        self.paper_list.focus()
