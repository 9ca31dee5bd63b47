"""Read and starred marks, keyed by arXiv id, in a small SQLite file.

One row per marked paper; every change is its own committed transaction (WAL, full sync), so
a mark the reader has shown as done survives quitting, a crash or a power cut. Un-marking keeps
the row with the time it happened, so that merging two machines' marks can tell which is newer.
Several readers may share the file: each writes only the mark it changes, and picks up the
others' changes with `refresh()`. A file that fails a write, or is damaged or replaced while
open, is written no more (marks are then kept in memory); one that cannot be read at start is
moved aside, and the marks still readable in it are copied to a new one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from digest_tui.places import user_file
from digest_tui.text import clean
from digest_tui.words import plural

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


def default_state_path() -> Path:
    """`DIGEST_TUI_STATE` if set, else `marks.sqlite3` in the user data dir."""
    return user_file(STATE_ENV, platformdirs.user_data_dir, "marks.sqlite3")


@dataclass(frozen=True, slots=True)
class Mark:
    read: bool = False
    starred: bool = False


NO_MARK = Mark()
_MARKS = {
    (read, starred): Mark(read, starred) for read in (False, True) for starred in (False, True)
}
_COLUMNS = ("read", "starred")


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
        self._places: dict[str, str] = {}  # library -> place, as saved this session
        self._tags: dict[str, tuple[str, ...]] = {}  # paper id -> your tags
        self._notes: dict[str, str] = {}  # paper id -> your note
        self._seen_until = 0.0  # the newest change read from the file
        self._data_version = 0
        self._db: sqlite3.Connection | None = None
        if path is not None:
            self._db = _open(path)
            try:
                self._read_all()
                found = path.stat()
            except (sqlite3.Error, OSError) as error:
                self._db.close()
                raise _classify(path, error) from error
            self._file = (found.st_dev, found.st_ino)  # the file written, to notice another
            self._size = found.st_size

    def get(self, paper_id: str) -> Mark:
        return self._marks.get(paper_id, NO_MARK)

    def is_read(self, paper_id: str) -> bool:
        return self._marks.get(paper_id, NO_MARK).read

    def is_starred(self, paper_id: str) -> bool:
        return self._marks.get(paper_id, NO_MARK).starred

    def starred_ids(self) -> set[str]:
        return {paper_id for paper_id, mark in self._marks.items() if mark.starred}

    def set_read(self, paper_id: str, read: bool) -> Mark:
        self._write("read", {paper_id: read})
        return self.get(paper_id)

    def set_starred(self, paper_id: str, starred: bool) -> Mark:
        self._write("starred", {paper_id: starred})
        return self.get(paper_id)

    def toggle_read(self, paper_id: str) -> Mark:
        return self.set_read(paper_id, not self.is_read(paper_id))

    def toggle_star(self, paper_id: str) -> Mark:
        return self.set_starred(paper_id, not self.is_starred(paper_id))

    def set_read_many(self, paper_ids: Iterable[str], read: bool) -> list[str]:
        """Mark many papers in one transaction; returns the ids whose mark changed."""
        return self._write("read", dict.fromkeys(paper_ids, read))

    def refresh(self) -> set[str]:
        """Take in what other readers of the same file changed; returns the ids that changed."""
        if self._db is None:
            return set()
        try:
            version = self._db.execute("PRAGMA data_version").fetchone()[0]
            if version == self._data_version:
                return set()
            return self._read_changes(since=self._seen_until - _CLOCK_SLACK)
        except sqlite3.Error:
            return set()  # the file went away or is locked: keep what we have, try next time

    def _read_all(self) -> None:
        """Every mark of the file, at start. A reader of years has a hundred thousand: the ids
        of each kind of mark come as one text, split at C's pace (not a row at a time, a
        fifth of a second before the first screen), and the three marks are shared. (All from
        the table, not its index, which `updated_at + 0` keeps SQLite from using: a write
        then reads the index from the file, where SQLite notices a file damaged while open.)"""
        assert self._db is not None
        self._db.execute("BEGIN")  # one read: another reader's change lands before or after
        try:
            self._read_kinds()
        finally:
            self._db.execute("COMMIT")

    def _read_kinds(self) -> None:
        assert self._db is not None
        self._data_version = self._db.execute("PRAGMA data_version").fetchone()[0]
        self._marks = {}
        newest = 0.0
        where = "FROM marks WHERE read = ? AND starred = ?"
        for (read, starred), mark in _MARKS.items():
            kind = (int(read), int(starred))
            if mark == NO_MARK:  # (marks taken back: only their time counts)
                row = self._db.execute(f"SELECT NULL, max(updated_at + 0) {where}", kind).fetchone()
            else:
                row = self._db.execute(
                    f"SELECT group_concat(id, char(31)), max(updated_at + 0) {where}", kind
                ).fetchone()
            ids, changed = row
            self._marks.update(dict.fromkeys(ids.split("\x1f") if ids else (), mark))
            newest = max(newest, changed or 0.0)
        self._seen_until = newest
        rows = self._db.execute("SELECT id, tags, note FROM marks WHERE tags != '' OR note != ''")
        for paper_id, tags, note in rows:
            self._remember_words(str(paper_id), _tags_of(tags), clean_note(note or ""))

    def _read_changes(self, since: float | None) -> set[str]:
        assert self._db is not None
        self._data_version = self._db.execute("PRAGMA data_version").fetchone()[0]
        query = "SELECT id, read, starred, updated_at, tags, note FROM marks"
        rows = (
            self._db.execute(query)
            if since is None
            else self._db.execute(query + " WHERE updated_at >= ?", (since,))
        )
        changed: set[str] = set()
        for paper_id, read, starred, updated_at, tags, note in rows:
            mark = Mark(bool(read), bool(starred))
            if self.get(paper_id) != mark:
                self._remember(str(paper_id), mark)
                changed.add(paper_id)
            words = (_tags_of(tags), clean_note(note or ""))
            if words != (self.tags(paper_id), self.note(paper_id)):
                self._remember_words(str(paper_id), *words)
                changed.add(paper_id)
            self._seen_until = max(self._seen_until, updated_at or 0.0)
        return changed

    def _remember_words(self, paper_id: str, tags: tuple[str, ...], note: str) -> None:
        for table, value in ((self._tags, tags), (self._notes, note)):
            if value:
                table[paper_id] = value  # type: ignore[index]
            else:
                table.pop(paper_id, None)  # type: ignore[attr-defined]

    # -- your tags and notes -----------------------------------------------------------

    def tags(self, paper_id: str) -> tuple[str, ...]:
        return self._tags.get(paper_id, ())

    def note(self, paper_id: str) -> str:
        return self._notes.get(paper_id, "")

    def tag_counts(self) -> dict[str, int]:
        """Every tag in use and how many papers have it, by name."""
        counts: dict[str, int] = {}
        spelling: dict[str, str] = {}  # a tag's case as first met
        for tags in list(self._tags.values()):
            for tag in tags:
                name = spelling.setdefault(tag.lower(), tag)
                counts[name] = counts.get(name, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: item[0].lower()))

    def tagged(self, tag: str) -> set[str]:
        """The papers with `tag` (its case ignored)."""
        wanted = tag.lower()
        tagged = list(self._tags.items())  # (at once: a search thread asks while tags change)
        return {i for i, tags in tagged if any(t.lower() == wanted for t in tags)}

    def notes(self) -> dict[str, str]:
        return dict(self._notes)

    def set_tags(self, paper_id: str, tags: Iterable[str]) -> tuple[str, ...]:
        """Give the paper these tags (cleaned: no `#`, spaces made `-`, each once)."""
        in_use = {tag.lower(): tag for tag in self.tag_counts()}  # `ml` is the `ML` in use
        clean = tuple(in_use.get(tag.lower(), tag) for tag in clean_tags(tags))
        if clean != self.tags(paper_id):
            self._remember_words(paper_id, clean, self.note(paper_id))
            now = time.time()
            self._commit(
                "INSERT INTO marks (id, tags, tags_at, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET tags = excluded.tags, "
                "tags_at = excluded.tags_at, updated_at = excluded.updated_at",
                [(paper_id, _tags_text(clean), now, now)],
            )
        return clean

    def set_note(self, paper_id: str, note: str) -> None:
        """Keep your note on the paper (an empty one removes it)."""
        note = clean_note(note)
        if note != self.note(paper_id):
            self._remember_words(paper_id, self.tags(paper_id), note)
            now = time.time()
            self._commit(
                "INSERT INTO marks (id, note, note_at, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET note = excluded.note, "
                "note_at = excluded.note_at, updated_at = excluded.updated_at",
                [(paper_id, note, now, now)],
            )

    def _remember(self, paper_id: str, mark: Mark) -> None:
        if mark == NO_MARK:
            self._marks.pop(paper_id, None)
        else:
            self._marks[paper_id] = mark

    def _write(self, column: str, values: dict[str, bool]) -> list[str]:
        """Keep the changes in memory and commit them in one transaction."""
        assert column in _COLUMNS
        changes = [(i, v) for i, v in values.items() if getattr(self.get(i), column) != v]
        for paper_id, value in changes:
            old = self.get(paper_id)
            new = Mark(value, old.starred) if column == "read" else Mark(old.read, value)
            self._remember(paper_id, new)
        now = time.time()
        self._commit(
            f"INSERT INTO marks (id, {column}, {column}_at, updated_at) VALUES (?, ?, ?, ?) "
            f"ON CONFLICT(id) DO UPDATE SET {column} = excluded.{column}, "
            f"{column}_at = excluded.{column}_at, updated_at = excluded.updated_at",
            [(paper_id, int(value), now, now) for paper_id, value in changes],
        )
        return [paper_id for paper_id, _ in changes]

    def _commit(self, statement: str, rows: list[tuple[object, ...]]) -> None:
        """Write the rows in one transaction.

        When that fails (disk full, file damaged, gone read-only), or the file is no longer the
        one opened, saving ends for this session: StateError says why, once, and from then on
        the store keeps marks in memory only, as for a location it cannot write at all.
        """
        if self._db is None or not rows:
            return
        problem = self._damage()
        if problem is None:
            try:
                with _transaction(self._db):
                    self._db.executemany(statement, rows)
                return
            except sqlite3.Error as error:
                problem = str(error)
        self._db.close()
        self._db = None
        raise StateError(f"{self.path}: {problem}")

    def _damage(self) -> str | None:
        """What another program did to the file since it was opened, if anything. SQLite does
        not notice while the pages a write needs are in its cache or its WAL; a reader would
        go on "saving" into a file that the next start cannot read."""
        assert self.path is not None
        try:
            with self.path.open("rb") as file:
                found = os.fstat(file.fileno())
                header = file.read(100)
        except FileNotFoundError:
            return "the file was deleted"
        except OSError as error:
            return error.strerror or str(error)
        if (found.st_dev, found.st_ino) != self._file:
            return "the file was replaced by another"
        if not header.startswith(_SQLITE_HEADER):
            return "the file is no longer an SQLite database"
        # It never shrinks by itself (rows are never deleted) but for a VACUUM, which makes
        # it as small as its header says.
        if len(header) < 100 or found.st_size < min(self._size, _size_in_header(header)):
            return "the file was cut short"
        self._size = found.st_size
        return None

    def export(self) -> list[dict[str, object]]:
        """Every row, un-marks included (their times matter when merging)."""
        if self._db is None:
            ids = sorted({*self._marks, *self._tags, *self._notes})
            return [
                {"id": i, "read": self.get(i).read, "starred": self.get(i).starred,
                 "read_at": None, "starred_at": None, "tags": list(self.tags(i)),
                 "tags_at": None, "note": self.note(i), "note_at": None}
                for i in ids
            ]  # fmt: skip
        return _rows(self._db)

    def merge(self, records: Iterable[MarkRecord]) -> list[str]:
        """Merge marks from elsewhere in one transaction; returns the ids whose marks changed.

        For read and for starred alike: a mark set on either side stays set, unless the other
        side un-marked it later (the newer time wins; a tie keeps the mark).
        """
        now = time.time()
        current = {row["id"]: _record_of(row) for row in self.export()}
        # A paper listed more than once in the file: its records are merged first, so that
        # the later change wins whatever their order.
        latest: dict[str, MarkRecord] = {}
        for record in records:
            seen = latest.get(record.id, MarkRecord(record.id))
            latest[record.id] = _merge_records(seen, record, now)
        updates: list[MarkRecord] = []
        for record in latest.values():
            mine = current.get(record.id, MarkRecord(record.id))
            if (merged := _merge_records(mine, record, now)) != mine:
                updates.append(merged)
        changed = [
            u.id
            for u in updates
            if (Mark(u.read, u.starred), u.tags, u.note)
            != (self.get(u.id), self.tags(u.id), self.note(u.id))
        ]
        for update in updates:
            self._remember(update.id, Mark(update.read, update.starred))
            self._remember_words(update.id, update.tags, update.note)
        self._commit(
            "INSERT INTO marks (id, read, read_at, starred, starred_at, tags, tags_at, note, "
            "note_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO "
            "UPDATE SET read = excluded.read, read_at = excluded.read_at, "
            "starred = excluded.starred, starred_at = excluded.starred_at, "
            "tags = excluded.tags, tags_at = excluded.tags_at, note = excluded.note, "
            "note_at = excluded.note_at, updated_at = excluded.updated_at",
            [
                (
                    u.id,
                    int(u.read),
                    u.read_at,
                    int(u.starred),
                    u.starred_at,
                    _tags_text(u.tags),
                    u.tags_at,
                    u.note,
                    u.note_at,
                    now,
                )
                for u in updates
            ],
        )
        return changed

    def place(self, library: str) -> str | None:
        """Where the reader was in `library` when it last saved it (a JSON text), if known."""
        if self._db is None:
            return self._places.get(library)
        try:
            row = self._db.execute(
                "SELECT place FROM places WHERE library = ?", (library,)
            ).fetchone()
        except sqlite3.Error:
            return self._places.get(library)
        return row[0] if row else self._places.get(library)

    def save_place(self, library: str, place: str) -> None:
        """Keep where the reader is in `library`: in memory, and in the file when it saves."""
        self._places[library] = place
        now = time.time()
        self._commit(
            "INSERT INTO places (library, place, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(library) DO UPDATE SET place = excluded.place, "
            "updated_at = excluded.updated_at",
            [(library, place, now)],
        )

    @property
    def saves(self) -> bool:
        """Whether marks are written to the file (else they are kept in memory only)."""
        return self._db is not None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


@dataclass(frozen=True, slots=True)
class MarkRecord:
    """One paper's marks as exported or imported; times are seconds since the epoch."""

    id: str
    read: bool = False
    starred: bool = False
    read_at: float | None = None
    starred_at: float | None = None
    tags: tuple[str, ...] = ()
    tags_at: float | None = None
    note: str = ""
    note_at: float | None = None


def _record_of(row: dict[str, object]) -> MarkRecord:
    return MarkRecord(**{**row, "tags": tuple(row.get("tags") or ())})  # type: ignore[arg-type]


def _merge_records(mine: MarkRecord, theirs: MarkRecord, now: float) -> MarkRecord:
    """A paper's marks after a merge: read and starred, each by `_merge_mark`; tags and the
    note, each by `_merge_words`."""
    read, read_at = _merge_mark(mine.read, mine.read_at, theirs.read, theirs.read_at, now)
    starred, starred_at = _merge_mark(
        mine.starred, mine.starred_at, theirs.starred, theirs.starred_at, now
    )
    tags, tags_at = _merge_words(mine.tags, mine.tags_at, theirs.tags, theirs.tags_at, now)
    note, note_at = _merge_words(mine.note, mine.note_at, theirs.note, theirs.note_at, now)
    return MarkRecord(
        mine.id,
        read,
        starred,
        read_at,
        starred_at,
        tags,
        tags_at,
        note,
        note_at,  # type: ignore[arg-type]
    )


def _merge_words(mine: object, mine_at: float | None, theirs: object, theirs_at: float | None,
                 now: float) -> tuple[object, float | None]:  # fmt: skip
    """Tags or a note after a merge: the later change wins (a tie keeps mine). Theirs without
    a time were written just now, if they are anything; nothing without a time removes nothing."""
    if theirs_at is None:
        if not theirs or theirs == mine:
            return mine, mine_at
        theirs_at = now
    if mine_at is None or theirs_at > mine_at or (theirs_at == mine_at and not mine and theirs):
        return theirs, theirs_at
    return mine, mine_at


def clean_note(note: str) -> str:
    """A note as kept: control codes and escapes removed (it is drawn on a terminal, whoever
    wrote it), text that cannot be written as UTF-8 replaced, blank lines around it dropped
    (the first line's indentation kept)."""
    note = clean(note.encode("utf-8", "replace").decode("utf-8"))
    return re.sub(r"\A(?:[ \t]*\n)+", "", note).rstrip()


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags as kept: no `#` before, no commas, spaces made `-`, empty ones dropped, each once
    (its case as first given)."""
    seen: dict[str, str] = {}
    for tag in tags:
        tidy = "-".join(re.sub(r'[,"]', " ", tag).split()).lstrip("#")  # (a quote: no tag: of it)
        if tidy and tidy.isprintable():
            seen.setdefault(tidy.lower(), tidy)
    return tuple(seen.values())


def _tags_text(tags: Sequence[str]) -> str:
    return json.dumps(list(tags), ensure_ascii=False) if tags else ""


def _tags_of(text: object) -> tuple[str, ...]:
    """Tags as the file keeps them (a JSON list); anything else is no tags."""
    try:
        value = json.loads(text) if isinstance(text, str) and text else []
    except ValueError:
        return ()
    return clean_tags(t for t in value if isinstance(t, str)) if isinstance(value, list) else ()


def _merge_mark(
    mine: bool, mine_at: float | None, theirs: bool, theirs_at: float | None, now: float
) -> tuple[bool, float | None]:
    """One mark after a merge, with its time. A set mark without a time was set just now; an
    un-mark without a time cannot be shown to be newer, so it never removes a mark."""
    if theirs:
        theirs_at = now if theirs_at is None else theirs_at
    if theirs == mine:
        times = [t for t in (mine_at, theirs_at) if t is not None]
        return mine, max(times) if times else None
    if theirs:
        return (True, theirs_at) if mine_at is None or theirs_at >= mine_at else (False, mine_at)
    if mine_at is not None and theirs_at is not None and theirs_at > mine_at:
        return False, theirs_at
    return True, mine_at


MARKS_FILE_VERSION = 2  # 2: tags and notes; a file of version 1 (marks only) is read too
_TIMES = ("read_at", "starred_at", "tags_at", "note_at")


def marks_document(rows: list[dict[str, object]]) -> dict[str, object]:
    """Marks (`export` rows) as the JSON document `state export` writes (ISO 8601 times)."""
    marks = [{**row, **{name: _iso(row.get(name)) for name in _TIMES}} for row in rows]  # type: ignore[arg-type]
    return {"version": MARKS_FILE_VERSION, "marks": marks}


def parse_marks_document(data: object) -> tuple[list[MarkRecord], list[str]]:
    """The marks in an exported document (or a bare list of marks), and a problem for each
    entry that cannot be read; the readable ones are kept. ValueError: not a marks document."""
    if isinstance(data, dict) and data.get("version", MARKS_FILE_VERSION) not in (1, 2):
        version = f"{data['version']!r:.20}"
        raise ValueError(f"not a marks file this digest-tui reads (version {version})")
    entries = data.get("marks") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise ValueError('not a marks file: expected {"version": 2, "marks": [...]}')
    records: list[MarkRecord] = []
    problems: list[str] = []
    for number, entry in enumerate(entries, start=1):
        try:
            records.append(_record(entry))
        except ValueError as error:
            problems.append(f"mark {number}: {error}")
    return records, problems


def _record(entry: object) -> MarkRecord:
    if not isinstance(entry, dict):
        raise ValueError("not an object")
    paper_id = entry.get("id")
    if not isinstance(paper_id, str) or not paper_id.strip():
        raise ValueError('"id" must be a non-empty string')
    if not paper_id.strip().isprintable():  # no control characters, no lone surrogates
        raise ValueError('"id" must be printable text')
    flags = {}
    for name in ("read", "starred"):
        value = entry.get(name, False)
        if not isinstance(value, bool):
            raise ValueError(f'"{name}" must be true or false')
        flags[name] = value
    tags = entry.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise ValueError('"tags" must be a list of strings')
    note = entry.get("note", "")
    if not isinstance(note, str):
        raise ValueError('"note" must be a string')
    try:
        note.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError('"note" must be text (it holds a lone surrogate)') from None
    return MarkRecord(
        _paper_id(paper_id),
        flags["read"],
        flags["starred"],
        _seconds(entry.get("read_at"), "read_at"),
        _seconds(entry.get("starred_at"), "starred_at"),
        clean_tags(tags),
        _seconds(entry.get("tags_at"), "tags_at"),
        clean_note(note),
        _seconds(entry.get("note_at"), "note_at"),
    )


# An arXiv id as a reader may write it: `2601.15406v1`, `arXiv:2601.15406`, its abstract or PDF
# address. Marks are kept by the id without version, as the digests' papers are.
_ARXIV = re.compile(
    r"(?:arxiv:)?(?:https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/)?"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z-]+(?:\.[a-z-]+)?/\d{7})(?:v\d+)?(?:\.pdf)?/?",
    re.IGNORECASE,
)


def _paper_id(text: str) -> str:
    found = _ARXIV.fullmatch(text.strip())
    return found["id"] if found else text.strip()


def _iso(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="microseconds")


def _seconds(value: object, name: str) -> float | None:
    """A time as seconds since the epoch: only one that `_iso` can write back (a finite time
    in the years 1 to 9999), so that an imported mark can always be exported again."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f'"{name}" is not an ISO 8601 time: {value[:40]!r}') from None
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        moment = value
    else:
        raise ValueError(f'"{name}" must be an ISO 8601 time or null')
    try:
        seconds = moment.timestamp() if isinstance(moment, datetime) else float(moment)
        _iso(seconds)
    except (ValueError, OverflowError, OSError):
        raise ValueError(f'"{name}" is not a time in the years 1 to 9999: {value!r:.40}') from None
    return seconds


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
    try:
        with path.open("rb") as file:
            header = file.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        header = b""
    except OSError as error:
        raise StateError(f"{path}: {error.strerror or error}") from error
    if header and header != _SQLITE_HEADER:
        # Not SQLite at all: say so before SQLite opens it and perhaps touches its WAL file.
        raise CorruptState(f"{path}: not an SQLite database")
    if not header and _wal_size(path):
        # Cut to nothing while its write-ahead log still holds marks: SQLite would start an
        # empty store and drop the log.
        raise CorruptState(f"{path}: the file is empty but its write-ahead log holds marks")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, isolation_level=None, timeout=10)
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


def _wal_size(path: Path) -> int:
    try:
        return Path(f"{path}-wal").stat().st_size
    except OSError:
        return 0


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
    path.rename(aside)
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
