"""Read and starred marks, keyed by arXiv id, in a small SQLite file.

One row per marked paper; every change is its own committed transaction (WAL, full sync), so
a mark the reader has shown as done survives quitting, a crash or a power cut. Un-marking keeps
the row with the time it happened, so that merging two machines' marks can tell which is newer.
Several readers may share the file: each writes only the mark it changes, and picks up the
others' changes with `refresh()`. A file that fails a write, or is damaged or replaced while
open, is written no more (marks are then kept in memory); one that cannot be read at start is
moved aside, and the marks still readable in it are copied to a new one.
"""

from digest_tui.state.records import (
    NO_MARK,
    Mark,
    MarkRecord,
    clean_note,
    clean_tags,
    marks_document,
    paper_id,
    parse_marks_document,
)
from digest_tui.state.recovery import _recover, open_store
from digest_tui.state.sqlite import SCHEMA_VERSION, STATE_ENV, CorruptState, StateError, read_marks
from digest_tui.state.store import MarkStore, default_state_path

__all__ = [
    "NO_MARK",
    "SCHEMA_VERSION",
    "STATE_ENV",
    "CorruptState",
    "Mark",
    "MarkRecord",
    "MarkStore",
    "StateError",
    "_recover",
    "clean_note",
    "clean_tags",
    "default_state_path",
    "marks_document",
    "open_store",
    "paper_id",
    "parse_marks_document",
    "read_marks",
]
