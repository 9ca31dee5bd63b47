"""The marks in memory for fast lookups, written through to the state file on every change;
another reader's changes taken in. (A file that cannot be read: recovery.py.)"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import platformdirs

from digest_tui.places import user_file
from digest_tui.state.records import (
    _COLUMNS,
    _MARKS,
    NO_MARK,
    Mark,
    MarkRecord,
    _merge_records,
    _record_of,
    _tags_of,
    _tags_text,
    clean_note,
    clean_tags,
)
from digest_tui.state.sqlite import (
    _CLOCK_SLACK,
    _SQLITE_HEADER,
    STATE_ENV,
    StateError,
    _classify,
    _open,
    _rows,
    _size_in_header,
    _transaction,
)

Rows = list[tuple[object, ...]]  # rows of the marks table, as written


def default_state_path() -> Path:
    """`DIGEST_TUI_STATE` if set, else `marks.sqlite3` in the user data dir."""
    return user_file(STATE_ENV, platformdirs.user_data_dir, "marks.sqlite3")


class MarkStore:
    """Marks in memory for fast lookups, written through to SQLite on every change."""

    def __init__(self, path: Path | None) -> None:
        """Open (or create) the store at `path`; `None` keeps marks in memory only."""
        self.path = path
        self._marks: dict[str, Mark] = {}
        # The starred ones, kept as marks change: For you asks for them at each paper shown,
        # and a reader of years has a hundred thousand marks to look through otherwise.
        self._starred: set[str] = set()
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
        return set(self._starred)  # (a copy at once: a search thread asks while marks change)

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
        self._marks, self._starred = {}, set()
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
            found = ids.split("\x1f") if ids else ()
            self._marks.update(dict.fromkeys(found, mark))
            if mark.starred:
                self._starred.update(found)
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

    def liked(self) -> list[str]:
        """The papers you starred or tagged, which For you ranks by, in a stable order."""
        tagged = {i for i, tags in list(self._tags.items()) if tags}
        return sorted(self.starred_ids() | tagged)

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
        if mark.starred:
            self._starred.add(paper_id)
        else:
            self._starred.discard(paper_id)

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

    def _commit(self, statement: str, rows: Rows | Callable[[], Rows]) -> None:
        """Write the rows in one transaction (`rows` may be made under its write lock, from
        what the file holds then).

        When that fails (disk full, file damaged, gone read-only), or the file is no longer the
        one opened, saving ends for this session: StateError says why, once, and from then on
        the store keeps marks in memory only, as for a location it cannot write at all.
        """
        if not rows:
            return
        make = rows if callable(rows) else lambda: rows
        if self._db is None:
            make()  # (marks kept in memory only)
            return
        problem = self._damage()
        if problem is None:
            try:
                with _transaction(self._db):
                    if made := make():
                        self._db.executemany(statement, made)
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
        side un-marked it later (the newer time wins; a tie keeps the mark). The file's marks
        are read and written under one write lock: another reader's mark made meanwhile is
        merged, never overwritten.
        """
        now = time.time()
        # A paper listed more than once in the file: its records are merged first, so that
        # the later change wins whatever their order.
        latest: dict[str, MarkRecord] = {}
        for record in records:
            seen = latest.get(record.id, MarkRecord(record.id))
            latest[record.id] = _merge_records(seen, record, now)
        changed: list[str] = []

        def merged() -> Rows:
            current = {row["id"]: _record_of(row) for row in self.export()}
            updates: list[MarkRecord] = []
            for record in latest.values():
                mine = current.get(record.id, MarkRecord(record.id))
                if (update := _merge_records(mine, record, now)) != mine:
                    updates.append(update)
            changed[:] = [
                u.id
                for u in updates
                if (Mark(u.read, u.starred), u.tags, u.note)
                != (self.get(u.id), self.tags(u.id), self.note(u.id))
            ]
            for update in updates:
                self._remember(update.id, Mark(update.read, update.starred))
                self._remember_words(update.id, update.tags, update.note)
            return [
                (u.id, int(u.read), u.read_at, int(u.starred), u.starred_at,
                 _tags_text(u.tags), u.tags_at, u.note, u.note_at, now)
                for u in updates
            ]  # fmt: skip

        self._commit(
            "INSERT INTO marks (id, read, read_at, starred, starred_at, tags, tags_at, note, "
            "note_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO "
            "UPDATE SET read = excluded.read, read_at = excluded.read_at, "
            "starred = excluded.starred, starred_at = excluded.starred_at, "
            "tags = excluded.tags, tags_at = excluded.tags_at, note = excluded.note, "
            "note_at = excluded.note_at, updated_at = excluded.updated_at",
            merged,
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
