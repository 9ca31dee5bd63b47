"""Your words on a paper: its tags (`t`) and your note (`N`)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static, TextArea


class _LastTag(Suggester):
    """Completes the tag being typed (after the last comma) from the tags in use."""

    def __init__(self, tags: Sequence[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self._tags = list(tags)

    async def get_suggestion(self, value: str) -> str | None:
        _, _, typed = value.rpartition(",")
        typed = typed.lstrip().lstrip("-").lstrip("#")
        if not typed:
            return None
        for tag in self._tags:
            if tag.lower().startswith(typed.lower()) and tag.lower() != typed.lower():
                start = value[: len(value) - len(typed)]
                return start + tag
        return None


def edited_tags(current: Sequence[str], typed: str) -> list[str]:
    """The tags after what was typed: each comma-separated word is added, `-word` removed
    (written as a tag is kept: `-to cite` removes `to-cite`)."""
    from digest_tui.state import clean_tags

    tags = list(current)
    for word in (part.strip() for part in typed.split(",")):
        if word.startswith("-"):
            gone = {tag.lower() for tag in clean_tags([word[1:]])}
            tags = [tag for tag in tags if tag.lower() not in gone]
        elif word:
            tags.append(word)
    return tags


class TagScreen(ModalScreen[str | None]):
    """Tag a paper: `a, b` adds, `-a` removes; the tags in use complete with →."""

    BINDINGS = [Binding("escape", "dismiss", "Cancel", id="tags-cancel")]
    DEFAULT_CSS = """
    TagScreen { align: center middle; }
    TagScreen > Vertical {
        width: 70%; height: auto; border: round $accent; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, title: str, current: Sequence[str], in_use: Sequence[str]) -> None:
        super().__init__()
        self._title = title
        self._current = list(current)
        self._in_use = list(in_use)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Text(f"Tags of {self._title[:60]}")  # (the title is data)
            box.border_subtitle = "enter saves · escape cancels"
            now = " ".join(f"#{tag}" for tag in self._current) or "no tags yet"
            yield Static(Text(f"{now}. Type tags to add, -tag to remove, commas between."))
            yield Input(
                placeholder="reading-group, to-cite, -old", suggester=_LastTag(self._in_use)
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)  # applied to the tags as they are then (see edited_tags)

    async def action_dismiss(self, result: str | None = None) -> None:
        self.dismiss(result)


class NoteScreen(ModalScreen[str | None]):
    """Write your note on a paper (Markdown, several lines): escape saves it, ctrl+e edits
    it in $EDITOR."""

    BINDINGS = [
        Binding("escape", "save", "Save the note", id="note-save"),
        # (priority: the text area's own ctrl+e, end of line, is the `end` key too)
        Binding("ctrl+e", "editor", "Edit in $EDITOR", id="note-editor", priority=True),
    ]
    DEFAULT_CSS = """
    NoteScreen { align: center middle; }
    NoteScreen > TextArea {
        width: 80%; height: 60%; border: round $accent;
    }
    """

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self._title = title
        self._note = note

    def compose(self) -> ComposeResult:
        area = TextArea(self._note, soft_wrap=True, show_line_numbers=False)
        area.border_title = Text(f"Note on {self._title[:60]}")  # (the title is data)
        area.border_subtitle = "escape saves · ctrl+e opens $EDITOR"
        yield area

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_editor(self) -> None:
        from digest_tui.ui.editor import edit_text

        area = self.query_one(TextArea)
        edited = edit_text(self.app, area.text)
        if edited is not None:
            area.load_text(edited)
