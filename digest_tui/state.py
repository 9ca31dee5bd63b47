"""Read and starred marks, keyed by arXiv id, in a small SQLite file.

One row per marked paper; every change is its own committed transaction (WAL, full sync), so
a mark the reader has shown as done survives quitting, a crash or a power cut. Un-marking keeps
the row with the time it happened, so that merging two machines' marks can tell which is newer.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import platformdirs

SCHEMA_VERSION = 1
STATE_ENV = "DIGEST_TUI_STATE"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS marks (
    id TEXT PRIMARY KEY,
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0,
    read_at REAL,
    starred_at REAL
) WITHOUT ROWID;
"""


def default_state_path() -> Path:
    """`DIGEST_TUI_STATE` if set, else `marks.sqlite3` in the user data dir."""
    override = os.environ.get(STATE_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("digest-tui", appauthor=False)) / "marks.sqlite3"


@dataclass(frozen=True, slots=True)
class Mark:
    read: bool = False
    starred: bool = False


NO_MARK = Mark()


class StateError(Exception):
    """Marks cannot be saved at the state location; the message says why, naming the file."""


class CorruptState(StateError):
    """The state file exists but is not a readable digest-tui state file."""


class MarkStore:
    """Marks in memory for fast lookups, written through to SQLite on every change."""

    def __init__(self, path: Path | None) -> None:
        """Open (or create) the store at `path`; `None` keeps marks in memory only."""
        self.path = path
        self._marks: dict[str, Mark] = {}
        self._db: sqlite3.Connection | None = None
        if path is not None:
            self._db = _open(path)
            self._load(path)

    def _load(self, path: Path) -> None:
        assert self._db is not None
        try:
            rows = self._db.execute("SELECT id, read, starred, read_at, starred_at FROM marks")
            for paper_id, read, starred, _, _ in rows:
                if read or starred:
                    self._marks[str(paper_id)] = Mark(bool(read), bool(starred))
        except sqlite3.Error as error:
            self._db.close()
            raise CorruptState(f"{path}: {error}") from error

    def get(self, paper_id: str) -> Mark:
        return self._marks.get(paper_id, NO_MARK)

    def is_read(self, paper_id: str) -> bool:
        return self._marks.get(paper_id, NO_MARK).read

    def is_starred(self, paper_id: str) -> bool:
        return self._marks.get(paper_id, NO_MARK).starred

    def starred_ids(self) -> set[str]:
        return {paper_id for paper_id, mark in self._marks.items() if mark.starred}

    def set_read(self, paper_id: str, read: bool) -> Mark:
        return self._write(paper_id, "read", read)

    def set_starred(self, paper_id: str, starred: bool) -> Mark:
        return self._write(paper_id, "starred", starred)

    def toggle_read(self, paper_id: str) -> Mark:
        return self.set_read(paper_id, not self.is_read(paper_id))

    def toggle_star(self, paper_id: str) -> Mark:
        return self.set_starred(paper_id, not self.is_starred(paper_id))

    def _write(self, paper_id: str, column: str, value: bool) -> Mark:
        """Commit one change, then keep it in memory.

        When the commit fails (disk full, file gone read-only) the mark is still kept in
        memory for this session and StateError says it was not saved.
        """
        old = self.get(paper_id)
        if getattr(old, column) == value:
            return old
        new = Mark(value, old.starred) if column == "read" else Mark(old.read, value)
        error: sqlite3.Error | None = None
        if self._db is not None:
            try:
                self._db.execute(
                    f"INSERT INTO marks (id, {column}, {column}_at) VALUES (?, ?, ?) "
                    f"ON CONFLICT(id) DO UPDATE SET {column} = excluded.{column}, "
                    f"{column}_at = excluded.{column}_at",
                    (paper_id, int(value), time.time()),
                )
            except sqlite3.Error as caught:
                error = caught
        if new == NO_MARK:
            self._marks.pop(paper_id, None)
        else:
            self._marks[paper_id] = new
        if error is not None:
            raise StateError(f"{self.path}: {error}; this mark is kept until you quit")
        return new

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


def _open(path: Path) -> sqlite3.Connection:
    """Connect and make sure the file is a digest-tui state file of a version we know."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, isolation_level=None, timeout=5)
    except (OSError, sqlite3.Error) as error:
        raise StateError(f"{path}: {error}") from error
    try:
        db.execute("PRAGMA journal_mode=WAL")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.OperationalError as error:
        db.close()
        raise StateError(f"{path}: {error}") from error
    except sqlite3.DatabaseError as error:
        db.close()
        raise CorruptState(f"{path}: {error}") from error
    if version > SCHEMA_VERSION:
        db.close()
        raise CorruptState(f"{path}: written by a newer digest-tui (schema v{version})")
    if version == 0 and tables:
        db.close()
        raise CorruptState(f"{path}: not a digest-tui state file")
    try:
        db.execute("PRAGMA synchronous=FULL")
        db.execute("BEGIN IMMEDIATE")
        db.execute(_SCHEMA)
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        db.execute("COMMIT")
    except sqlite3.Error as error:
        db.close()
        raise StateError(f"{path}: {error}") from error
    return db


def open_store(path: Path | None) -> tuple[MarkStore, list[str]]:
    """Open the store however the file is; the notes tell the reader what was done about it.

    A corrupt file is moved aside (never overwritten) and a fresh one started; a location that
    cannot be written keeps marks in memory for this session.
    """
    try:
        return MarkStore(path), []
    except CorruptState as error:
        assert path is not None
        aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            path.rename(aside)
            for suffix in ("-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            return MarkStore(path), [
                f"The state file could not be read ({error}). It was moved to {aside} "
                f"and a new one started at {path}."
            ]
        except (OSError, StateError) as second:
            return MarkStore(None), [f"Marks will not be saved this session: {second}"]
    except StateError as error:
        return MarkStore(None), [f"Marks will not be saved this session: {error}"]
