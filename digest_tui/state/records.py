"""A paper's marks as data: read and starred (`Mark`), and as exported, imported and merged
(`MarkRecord`, the JSON document `state export` writes), with your tags and note."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from digest_tui.text import clean


@dataclass(frozen=True, slots=True)
class Mark:
    read: bool = False
    starred: bool = False


NO_MARK = Mark()
_MARKS = {
    (read, starred): Mark(read, starred) for read in (False, True) for starred in (False, True)
}
_COLUMNS = ("read", "starred")


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
    given = entry.get("id")
    if not isinstance(given, str) or not given.strip():
        raise ValueError('"id" must be a non-empty string')
    if not given.strip().isprintable():  # no control characters, no lone surrogates
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
        paper_id(given),
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


def paper_id(text: str) -> str:
    """A paper's id as the library keys it: an arXiv id without its version (`2501.00042v2`,
    `arXiv:2501.00042`, its abs or PDF link all give `2501.00042`); anything else as it is."""
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
