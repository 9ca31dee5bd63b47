"""What the reader does with a paper or a list beyond marking it: open it in a browser, copy
its link or BibTeX, export the list, jump to a random unread paper."""

from __future__ import annotations

import random
import re
import webbrowser
from collections.abc import Sequence
from datetime import datetime
from functools import partial
from pathlib import Path

import platformdirs
from rich.text import Text
from textual.app import App

from digest_tui.export import SUFFIXES, WRITERS, Marks, bibtex_key, marks_of, paper_bibtex
from digest_tui.links import is_web_link
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


def export_path(list_name: str, now: datetime, suffix: str = "md") -> Path:
    """Where `x` writes a list: the user's documents folder, a name saying when and what
    (`20261130-154029-cs-cv.md`) that holds no `YYYY-MM-DD`, so that it is never taken for a
    day's digest, even by a reader that has not seen the export's first line."""
    words = re.sub(r"[^A-Za-z0-9]+", "-", list_name)
    words = re.sub(r"(?<=\d)-(?=\d)", "", words)  # a date in the list's name, run together
    slug = words[:60].strip("-").lower() or "papers"
    folder = Path(platformdirs.user_documents_dir()) / EXPORT_FOLDER
    return folder / f"{now:%Y%m%d-%H%M%S}-{slug}.{suffix}"


def write_list(
    papers: list[Paper], path: Path, fmt: str = "markdown", marks: Marks | None = None
) -> int:
    """Write a list as `x` does (a Markdown digest, marked as an export), or in `fmt` (with
    the reader's `marks` in JSON lines and CSV). Raises OSError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="" if fmt.startswith("csv") else None) as out:
        return WRITERS[fmt](papers, out, marks)


class PaperActions:
    """What the reader does with a paper or a list beyond marking it. It is handed the marks
    (for what is unread) and the app (to open links, copy, notify and run the export)."""

    def __init__(self, marks: MarkStore, app: App) -> None:
        self._marks = marks
        self._app = app

    def _open(self, url: str) -> bool:
        """Open `url` in the browser; whether it was."""
        notify = self._app.notify
        if not is_web_link(url):
            notify(f"Not a web link: {url or '(none)'}", severity="warning", markup=False)
            return False
        try:
            webbrowser.get()
        except webbrowser.Error:
            message = f"No web browser found here. The link is {url}"
            notify(message, severity="warning", timeout=15, markup=False)
            return False
        self._app.open_url(url)
        notify(f"Opening {url}", markup=False)
        return True

    def open_browser(self, paper: Paper | None) -> bool:
        return paper is not None and self._open(paper.url)

    def open_pdf(self, paper: Paper | None) -> bool:
        return paper is not None and self._open(pdf_url(paper))

    def open_code(self, paper: Paper | None) -> None:
        """The paper's code (its first GitHub, GitLab, Hugging Face… link) in the browser."""
        if paper is None:
            return
        from digest_tui.links import code_link

        link = code_link(paper)
        if link is None:
            self._app.notify("No link to code in this paper. l lists its links.", timeout=5)
        else:
            self._open(link.url)

    def pick_link(self, paper: Paper | None) -> None:
        """Every web link of the paper, to open one."""
        if paper is None:
            return
        from digest_tui.links import links_of
        from digest_tui.ui.screens.choice import ChoiceScreen

        links = links_of(paper)
        if not links:
            self._app.notify("This paper's text has no web links.", timeout=5)
            return
        choices = [
            (Text.assemble(link.url, (f"  {link.where}", "dim"), no_wrap=True), link.url)
            for link in links
        ]
        self._app.push_screen(
            ChoiceScreen(f"Links of {paper.title[:60]}", choices),
            lambda url: self._open(url) if url else None,
        )

    def copy_link(self, paper: Paper | None) -> None:
        if paper is not None:
            self._app.copy_to_clipboard(paper.url)
            self._app.notify(f"Copied {paper.url}", title="Clipboard", markup=False)

    def copy_bibtex(self, paper: Paper | None) -> None:
        """The paper's BibTeX entry, with your tags among its keywords and your note, as the
        BibTeX export (X) writes it."""
        if paper is not None:
            key = bibtex_key(paper)
            library = self._app.library  # type: ignore[attr-defined]
            marks = marks_of(library.days_of, self._marks)
            self._app.copy_to_clipboard(paper_bibtex(paper, key, marks))
            self._app.notify(f"Copied the BibTeX entry {key}", title="Clipboard", markup=False)

    def random_unread(self, papers: Sequence[Paper]) -> int | None:
        """The row of an unread paper of the list, chosen at random."""
        unread = [row for row, p in enumerate(papers) if not self._marks.is_read(p.id)]
        if not unread:
            self._app.notify("No unread papers in this list.")
            return None
        return random.choice(unread)

    def export_list_as(self, papers: Sequence[Paper], list_name: str) -> None:
        """Ask for a format, then export the list in it."""
        from digest_tui.ui.screens.choice import ChoiceScreen

        choices = [(Text(f"{name}  (.{SUFFIXES[name]})"), name) for name in WRITERS]
        self._app.push_screen(
            ChoiceScreen("Export the list as", choices),
            lambda chosen: self.export_list(papers, list_name, chosen) if chosen else None,
        )

    def export_list(self, papers: Sequence[Paper], list_name: str, fmt: str = "markdown") -> None:
        """Write the list to the documents folder, in a thread."""
        if not papers:
            self._app.notify("This list has no papers to export.")
            return
        path = export_path(list_name, datetime.now(), SUFFIXES[fmt])
        self._app.run_worker(
            partial(self._export, list(papers), path, fmt),
            name="export",
            group="export",
            thread=True,
            exit_on_error=False,
        )

    def _export(self, papers: list[Paper], path: Path, fmt: str) -> None:
        library = self._app.library  # type: ignore[attr-defined]
        marks = marks_of(library.days_of, self._marks)
        try:
            count = write_list(papers, path, fmt, marks)
        except OSError as error:
            message = f"Could not export to {path}: {error.strerror or error}"
            self._app.call_from_thread(self._app.notify, message, severity="error", markup=False)
            return
        message = f"Exported {plural(count, 'paper')} to {path}"
        self._app.call_from_thread(
            self._app.notify, message, title="Export", timeout=15, markup=False
        )

    # -- yours: tags and a note ------------------------------------------------------------

    def tag(self, paper: Paper | None) -> None:
        """Your tags of the paper: added or taken, completed from those in use."""
        from digest_tui.ui.screens.yours import TagScreen, edited_tags

        store, app = self._marks, self._app
        if paper is None:
            return

        def tagged(typed: str | None) -> None:
            if typed is not None:
                store.refresh()  # (another reader's tags meanwhile are kept)
                tags = edited_tags(store.tags(paper.id), typed)
                app.marks.keep(lambda: store.set_tags(paper.id, tags))
                app.navigation.tags_changed()

        in_use = list(store.tag_counts())
        app.push_screen(TagScreen(paper.title, store.tags(paper.id), in_use), tagged)

    def note(self, paper: Paper | None) -> None:
        """Your note on the paper, written in the reader (or in $EDITOR)."""
        from digest_tui.ui.screens.yours import NoteScreen

        store, app = self._marks, self._app
        if paper is None:
            return

        def written(note: str | None) -> None:
            if note is not None:
                app.marks.keep(lambda: store.set_note(paper.id, note))
                app.navigation.tags_changed()  # (has:note lists count again; the pane shows it)

        app.push_screen(NoteScreen(paper.title, store.note(paper.id)), written)
