"""Opening the state file however it is: one that cannot be read is moved aside, and every mark
still readable in it (and in its write-ahead log) read back, one way through the rows or
another, into a new one."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from digest_tui.state.records import MarkRecord, _record, _tags_of
from digest_tui.state.sqlite import CorruptState, StateError
from digest_tui.state.store import MarkStore
from digest_tui.words import plural


def _recover(path: Path) -> list[MarkRecord]:
    """The marks still readable in a damaged state file (and its WAL), read from a copy so that
    the file stays as it was. A read that fails ends one way through the rows, not the others:
    the table in key order and in reverse, then each id the updated_at index still lists."""
    columns = f"SELECT id, read, starred, read_at, starred_at, {_WORDS} FROM marks"
    by_time = "SELECT id FROM marks INDEXED BY marks_updated ORDER BY updated_at"
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "marks.sqlite3"
        shutil.copyfile(path, copy)
        if Path(f"{path}-wal").exists():
            shutil.copyfile(f"{path}-wal", f"{copy}-wal")
            if copy.stat().st_size == 0:  # only the log is left: the pages it holds
                _pages_from_wal(Path(f"{copy}-wal"), copy)
        db = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
        db.text_factory = lambda data: data.decode("utf-8", "surrogateescape")  # not printable
        try:
            db.execute("PRAGMA writable_schema=ON")  # read on in a file cut short
            if _fails(db, columns):  # a file from before tags and notes
                columns = _MARKS_ONLY
            rows = [
                *_readable(db, f"{columns} ORDER BY id"),
                *_readable(db, f"{columns} ORDER BY id DESC"),
            ]
            listed = {
                row[0] for row in [*_readable(db, by_time), *_readable(db, f"{by_time} DESC")]
            }
            for paper_id in listed - {row[0] for row in rows}:
                if isinstance(paper_id, str) and paper_id.isprintable():
                    rows += _readable(db, f"{columns} WHERE id = ?", (paper_id,))
        finally:
            db.close()
    records = [record for row in rows if (record := _salvaged(row)) is not None]
    return list({record.id: record for record in records}.values())


def _pages_from_wal(wal: Path, database: Path) -> None:
    """Write the last copy of each page the write-ahead log holds into an empty database file,
    and drop the log (SQLite ignores a log beside an empty file)."""
    data = wal.read_bytes()
    if len(data) < 32:
        return
    page_size, salts = int.from_bytes(data[8:12], "big"), data[16:24]
    pages: dict[int, bytes] = {}
    for start in range(32, len(data) - 24 - page_size + 1, 24 + page_size):
        number, frame_salts = (
            int.from_bytes(data[start : start + 4], "big"),
            data[start + 8 : start + 16],
        )
        if frame_salts != salts or number == 0:
            break  # the log ends here (frames of an older log follow)
        pages[number] = data[start + 24 : start + 24 + page_size]
    with database.open("r+b") as file:
        for number, page in sorted(pages.items()):
            file.seek((number - 1) * page_size)
            file.write(page)
    wal.unlink()


def _readable(
    db: sqlite3.Connection, query: str, parameters: tuple[str, ...] = ()
) -> Iterator[tuple[object, ...]]:
    """The rows `query` reads, up to one that cannot be read."""
    try:
        yield from db.execute(query, parameters)
    except sqlite3.Error:
        return  # a damaged page: this way through the rows ends here


_WORDS = "tags, tags_at, note, note_at"
_MARKS_ONLY = "SELECT id, read, starred, read_at, starred_at, NULL, NULL, NULL, NULL FROM marks"


def _fails(db: sqlite3.Connection, query: str) -> bool:
    try:
        db.execute(f"{query} LIMIT 0").fetchall()
    except sqlite3.Error:
        return True
    return False


def _salvaged(row: tuple[object, ...]) -> MarkRecord | None:
    """A row read from a damaged file as a mark, if it still is one (its tags and note too,
    when they can still be read)."""
    paper_id, read, starred, read_at, starred_at, tags, tags_at, note, note_at = row
    if read not in (0, 1) or starred not in (0, 1):
        return None
    entry = {"id": paper_id, "read": bool(read), "starred": bool(starred)}
    words = {
        "tags": list(_tags_of(tags)),
        "tags_at": tags_at,
        "note": note if isinstance(note, str) else "",
        "note_at": note_at if isinstance(note, str) else None,
    }
    try:
        return _record({**entry, "read_at": read_at, "starred_at": starred_at, **words})
    except ValueError:
        try:  # the marks, at least
            return _record({**entry, "read_at": read_at, "starred_at": starred_at})
        except ValueError:
            return None


def _move_aside(path: Path) -> Path:
    """Rename a bad state file (with its WAL files) out of the way, never over anything."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    number = 1
    while aside.exists():
        number += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{number}")
    if path.exists():
        path.rename(aside)
    else:  # deleted, its write-ahead log left: kept beside an empty file, as if emptied
        aside.touch(exist_ok=False)
    for suffix in ("-wal", "-shm"):
        extra = Path(f"{path}{suffix}")
        if extra.exists():
            extra.rename(Path(f"{aside}{suffix}"))
    return aside


def open_store(path: Path | None) -> tuple[MarkStore, list[str]]:
    """Open the store however the file is; the notes tell the reader what was done about it.

    A corrupt file is moved aside (never overwritten) and a new one started with every mark
    still readable in it; a location that cannot be written keeps marks in memory for this
    session.
    """
    try:
        return MarkStore(path), []
    except CorruptState as error:
        assert path is not None
        try:
            aside = _move_aside(path)
            salvaged = _recover(aside)
            store = MarkStore(path)
            recovered = store.merge(salvaged)
        except (OSError, sqlite3.Error, StateError) as second:
            return MarkStore(None), [f"Marks will not be saved this session: {second}"]
        moved = f"The state file could not be read ({error}). It was moved to {aside}"
        if not recovered:
            return store, [
                f"{moved} and a new one started at {path}; no marks could be read from it."
            ]
        return store, [
            f"{moved}; the marks of {plural(len(recovered), 'paper')} still readable in it "
            f"were copied to a new file at {path}."
        ]
    except StateError as error:
        return MarkStore(None), [f"Marks will not be saved this session: {error}"]
