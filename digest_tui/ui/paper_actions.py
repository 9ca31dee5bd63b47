"""What the reader does with a paper or a list beyond marking it: open it in a browser, copy
its link or BibTeX, export the list, jump to a random unread paper."""

from __future__ import annotations

import random
import re
import webbrowser
from datetime import datetime
from pathlib import Path

import platformdirs
from textual import work

from digest_tui.export import bibtex_key, paper_bibtex, write_markdown
from digest_tui.model import Paper
from digest_tui.state import MarkStore
from digest_tui.words import plural

EXPORT_FOLDER = "digest-tui"


def pdf_url(paper: Paper) -> str:
    if paper.pdf:
        return paper.pdf
    if paper.url.startswith("https://arxiv.org/abs/"):
        return paper.url.replace("/abs/", "/pdf/", 1)
    return ""


def export_path(list_name: str, now: datetime) -> Path:
    """Where `x` writes a list: the user's documents folder, a name saying when and what
    (`20261130-154029-cs-cv.md`) that holds no `YYYY-MM-DD`, so that it is never taken for a
    day's digest, even by a reader that has not seen the export's first line."""
    words = re.sub(r"[^A-Za-z0-9]+", "-", list_name)
    words = re.sub(r"(?<=\d)-(?=\d)", "", words)  # a date in the list's name, run together
    slug = words[:60].strip("-").lower() or "papers"
    folder = Path(platformdirs.user_documents_dir()) / EXPORT_FOLDER
    return folder / f"{now:%Y%m%d-%H%M%S}-{slug}.md"


def write_list(papers: list[Paper], path: Path) -> int:
    """Write a list as `x` does: a Markdown digest, marked as an export. Raises OSError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        return write_markdown(papers, out)


class PaperActions:
    """The DigestApp's actions on papers (a mixin: `current` is the paper under the cursor)."""

    _marks: MarkStore

    def _open(self, url: str) -> None:
        if not url.startswith(("http://", "https://")):
            self.notify(f"Not a web link: {url or '(none)'}", severity="warning", markup=False)
            return
        try:
            webbrowser.get()
        except webbrowser.Error:
            message = f"No web browser found here. The link is {url}"
            self.notify(message, severity="warning", timeout=15, markup=False)
            return
        self.open_url(url)
        self.notify(f"Opening {url}", markup=False)

    def action_open_browser(self) -> None:
        if self.current is not None:
            self._open(self.current.url)

    def action_open_pdf(self) -> None:
        if self.current is not None:
            self._open(pdf_url(self.current))

    def action_copy_link(self) -> None:
        if self.current is not None:
            self.copy_to_clipboard(self.current.url)
            self.notify(f"Copied {self.current.url}", title="Clipboard", markup=False)

    def action_copy_bibtex(self) -> None:
        if self.current is not None:
            key = bibtex_key(self.current)
            self.copy_to_clipboard(paper_bibtex(self.current, key))
            self.notify(f"Copied the BibTeX entry {key}", title="Clipboard", markup=False)

    def action_random_unread(self) -> None:
        papers = self.paper_list.papers
        unread = [row for row, p in enumerate(papers) if not self._marks.is_read(p.id)]
        if not unread:
            self.notify("No unread papers in this list.")
            return
        self.paper_list.move_to(random.choice(unread))

    def action_export_list(self) -> None:
        papers = list(self.paper_list.papers)
        if not papers:
            self.notify("This list has no papers to export.")
            return
        self._export(papers, export_path(self.list_name, datetime.now()))

    @work(thread=True, group="export", exit_on_error=False)
    def _export(self, papers: list[Paper], path: Path) -> None:
        try:
            count = write_list(papers, path)
        except OSError as error:
            message = f"Could not export to {path}: {error.strerror or error}"
            self.call_from_thread(self.notify, message, severity="error", markup=False)
            return
        message = f"Exported {plural(count, 'paper')} to {path}"
        self.call_from_thread(self.notify, message, title="Export", timeout=15, markup=False)
