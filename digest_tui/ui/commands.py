"""Finding one's way: the keys for the help screen, and the command palette (ctrl+p) with every
action of the reader, named "area: what it does", and any paper by title or id."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial

from textual.app import SystemCommand
from textual.binding import Binding
from textual.command import Hit, Hits, Provider

from digest_tui.model import Paper
from digest_tui.ui.navigation import Navigation
from digest_tui.ui.widgets.counted_list import CountedList
from digest_tui.ui.widgets.paper_detail import PANE_BINDINGS, PaperDetail
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


def key_sections(app_bindings: Sequence[Binding]) -> list[tuple[str, Sequence[Binding]]]:
    """Every key binding, by where it works: for the help screen."""
    always = [  # Textual's own: they work whatever the keymap says
        Binding("ctrl+q", "quit", "Quit (always)"),
        Binding("ctrl+p", "command_palette", "Command palette"),
    ]
    panes = [binding for binding in app_bindings if binding in PANE_BINDINGS]
    return [
        ("Anywhere", [*(b for b in app_bindings if b not in panes), *always]),
        ("Days and lists", CountedList.BINDINGS),
        ("Papers", PaperList.BINDINGS),
        ("Paper (1-6 from anywhere)", [*PaperDetail.BINDINGS, *panes]),
        ("Search bar", SearchBar.BINDINGS),
    ]


class PaperCommands(Provider):
    """Jump to a paper: type a few words of its title, or its arXiv id."""

    async def search(self, query: str) -> Hits:
        navigation: Navigation | None = getattr(self.app, "navigation", None)
        if len(query.strip()) < 2 or navigation is None:
            return
        matcher = self.matcher(query)
        papers, titles = navigation.paper_titles()
        for paper in find_papers(papers, titles, query):
            score = matcher.match(paper.title) or 0.1
            yield Hit(
                score,
                matcher.highlight(f"paper: {paper.title}"),
                partial(navigation.jump_to_paper, paper.id),
                text=paper.title,
                help=f"arXiv:{paper.id} · {paper.day} · {paper.first_author}",
            )
