"""The state file itself: its schema and how it changes, opening it (waiting for other
readers), reading every row of it, and what its errors mean."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from digest_tui.state.records import _tags_of, clean_note

SCHEMA_VERSION = 2
STATE_ENV = "DIGEST_TUI_STATE"

# The schema as a first version creates it, then each later version's migration in order.
_MIGRATIONS: dict[int, str] = {
    1: """
        CREATE TABLE marks (
            id TEXT PRIMARY KEY,
            read INTEGER NOT NULL DEFAULT 0,
            starred INTEGER NOT NULL DEFAULT 0,
            read_at REAL,
            starred_at REAL
        ) WITHOUT ROWID;
    """,
    # v2: when a row last changed, so that a reader sharing the file with another reads only
    # the rows changed since it last looked.
    2: """
        ALTER TABLE marks ADD COLUMN updated_at REAL NOT NULL DEFAULT 0;
        UPDATE marks SET updated_at = max(coalesce(read_at, 0), coalesce(starred_at, 0));
        CREATE INDEX marks_updated ON marks (updated_at);
    """,
}
# Where the reader was in each library (day, list, paper), to come back to it. Made when
# missing, without a new schema version: a digest-tui that does not know it ignores it (and
# does not take the file for a newer one's).
# Your tags (a JSON list) and note of a paper, each with when it last changed: added when
# missing, as the places are (a digest-tui that does not know them leaves them as they are).
_MARK_COLUMNS = (
    ("tags", "TEXT NOT NULL DEFAULT ''"),
    ("tags_at", "REAL"),
    ("note", "TEXT NOT NULL DEFAULT ''"),
    ("note_at", "REAL"),
)
_PLACES = """
    CREATE TABLE IF NOT EXISTS places (
        library TEXT PRIMARY KEY,
        place TEXT NOT NULL,
        updated_at REAL NOT NULL
    ) WITHOUT ROWID
"""
# Rows changed this long before the newest one seen are read again: another process's clock
# may be a little behind ours.
_CLOCK_SLACK = 60.0
_SQLITE_HEADER = b"SQLite format 3\x00"
_OPEN_PATIENCE = 15.0  # seconds to wait for other readers while opening


class StateError(Exception):
    """Marks cannot be saved at the state location; the message says why, naming the file."""


class CorruptState(StateError):
    """The state file exists but is not a readable digest-tui state file."""


class _transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on error (the connection is in autocommit mode)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if error is None:
            self._db.execute("COMMIT")
        elif self._db.in_transaction:  # SQLite ends it by itself on some errors (disk full)
            self._db.execute("ROLLBACK")


def _open(path: Path) -> sqlite3.Connection:
    """Connect, check the file is a digest-tui state file we can read, and migrate it."""
    state = "empty"
    try:
        with path.open("rb") as file:
            header = file.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        header, state = b"", "gone"
    except OSError as error:
        raise StateError(f"{path}: {error.strerror or error}") from error
    if header and header != _SQLITE_HEADER:
        # Not SQLite at all: say so before SQLite opens it and perhaps touches its WAL file.
        raise CorruptState(f"{path}: not an SQLite database")
    if not header and _wal_size(path):
        # Cut to nothing (or deleted) while its write-ahead log still holds marks: SQLite
        # would start an empty store and drop the log.
        raise CorruptState(f"{path}: the file is {state} but its write-ahead log holds marks")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # (Opened in a thread as the reader starts, used in its main thread after.)
        db = sqlite3.connect(path, isolation_level=None, timeout=10, check_same_thread=False)
    except (OSError, sqlite3.Error) as error:
        raise StateError(f"{path}: {error}") from error
    deadline = time.monotonic() + _OPEN_PATIENCE
    while True:
        try:
            _prepare(path, db)
            break
        except StateError:
            db.close()
            raise
        except sqlite3.Error as error:
            # Readers starting together: SQLite refuses some lock upgrades at once rather than
            # waiting, so wait here and try again.
            if _is_busy(error) and time.monotonic() < deadline:
                time.sleep(0.05)
                continue
            db.close()
            raise _classify(path, error) from error
    return db


def _prepare(path: Path, db: sqlite3.Connection) -> None:
    if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    # Under the write lock: two readers started at once must not both create the schema.
    with _transaction(db):
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if problem := _schema_problem(version, tables):
            raise CorruptState(f"{path}: {problem}")
        _migrate(db, version)
        db.execute(_PLACES)
        known = {row[1] for row in db.execute("PRAGMA table_info(marks)")}
        for name, declared in _MARK_COLUMNS:
            if name not in known:
                db.execute(f"ALTER TABLE marks ADD COLUMN {name} {declared}")


def _is_busy(error: sqlite3.Error) -> bool:
    return isinstance(error, sqlite3.OperationalError) and any(
        word in str(error).lower() for word in ("locked", "busy")
    )


def _schema_problem(version: int, tables: set[str]) -> str | None:
    if version > SCHEMA_VERSION:
        return (
            f"written by a newer digest-tui (schema v{version}, this one reads v{SCHEMA_VERSION})"
        )
    if version == 0 and tables:
        return "not a digest-tui state file"
    if version > 0 and "marks" not in tables:
        return "the marks table is missing"
    return None


_CANNOT_WRITE = ("locked", "busy", "readonly", "read-only", "disk", "unable to open", "i/o")


def _classify(path: Path, error: sqlite3.Error | OSError) -> StateError:
    """A file we cannot write now (locked, read-only, full) is not a corrupt file."""
    if isinstance(error, OSError):
        return StateError(f"{path}: {error.strerror or error}")
    message = str(error)
    if isinstance(error, sqlite3.OperationalError) and any(
        w in message.lower() for w in _CANNOT_WRITE
    ):
        return StateError(f"{path}: {message}")
    return CorruptState(f"{path}: {message}")


def _migrate(db: sqlite3.Connection, version: int) -> None:
    """Bring the schema from `version` to the current one (inside the caller's transaction)."""
    for step in range(version + 1, SCHEMA_VERSION + 1):
        for statement in _MIGRATIONS[step].split(";"):
            if statement.strip():
                db.execute(statement)
    if version < SCHEMA_VERSION:
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")


def _rows(db: sqlite3.Connection) -> list[dict[str, object]]:
    """Every row (of a file from before tags and notes too: they are empty there)."""
    known = {row[1] for row in db.execute("PRAGMA table_info(marks)")}
    words = ", ".join(name if name in known else "NULL" for name, _ in _MARK_COLUMNS)
    rows = db.execute(
        f"SELECT id, read, starred, read_at, starred_at, {words} FROM marks ORDER BY id"
    )
    return [
        {"id": i, "read": bool(r), "starred": bool(s), "read_at": ra, "starred_at": sa,
         "tags": list(_tags_of(t)), "tags_at": ta, "note": clean_note(n or ""), "note_at": na}
        for i, r, s, ra, sa, t, ta, n, na in rows
    ]  # fmt: skip


def _size_in_header(header: bytes) -> int:
    """The size of an SQLite database in bytes, as its header gives it."""
    page_size = int.from_bytes(header[16:18], "big")
    return (65536 if page_size == 1 else page_size) * int.from_bytes(header[28:32], "big")


def read_marks(path: Path) -> list[dict[str, object]]:
    """Every row of the state file, read without changing it (for a backup): CorruptState when
    it is damaged, StateError when it is missing or not one this digest-tui reads."""
    if not path.is_file():
        raise StateError(f"{path}: no such file (no marks saved yet)")
    if path.stat().st_size == 0:  # digest-tui never leaves one: something cut it
        raise CorruptState(f"{path}: the file is empty (0 bytes)")
    # Without a WAL no reader has the file open: read it as it is, leaving no WAL behind.
    unshared = "" if Path(f"{path}-wal").exists() else "&immutable=1"
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro{unshared}", uri=True, timeout=10)
    except sqlite3.Error as error:
        raise _classify(path, error) from error
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if problem := _schema_problem(version, tables):
            raise StateError(f"{path}: {problem}")
        return _rows(db) if tables else []
    except sqlite3.Error as error:
        raise _classify(path, error) from error
    finally:
        db.close()


def _wal_size(path: Path) -> int:
    try:
        return Path(f"{path}-wal").stat().st_size
    except OSError:
        return 0
