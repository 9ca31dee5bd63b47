"""The command palette (ctrl+p): every action of the reader, named "area: what it does", and
any paper by its title or arXiv id."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial

from textual.app import SystemCommand
from textual.binding import Binding
from textual.command import Hit, Hits, Provider

from digest_tui.model import Paper

MAX_PAPERS = 40


def binding_commands(
    bindings: Sequence[Binding], run: callable, keys: callable
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
