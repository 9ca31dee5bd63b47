"""A cache of what each digest file lists: the columns the lists show and where each paper is
written in its file. A library then opens without reading its files; a paper's body is read
from its file the first time it is needed.

One small file per digest in the user cache folder, keyed by the digest's path and checked
against its size and modification time. Only plain values are stored (`marshal`, never
`pickle`), each file after its length and hash, so a damaged or foreign cache file can only be
ignored, and it is.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import struct
import time
from collections.abc import Iterable
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
import stringzilla

from digest_tui.model import EMPTY_BODY, Body, Digest, Paper, Problem, Source
from digest_tui.places import user_file, write_whole
from digest_tui.text import clean, decode

if TYPE_CHECKING:  # the search index loads when the library is indexed, after it shows
    from digest_tui.index import DigestText

CACHE_VERSION = 5  # one more whenever what a file is read into changes
CACHE_ENV = "DIGEST_TUI_CACHE"
_Stamp = tuple[int, int]
# Before each entry: its length and its hash. stringzilla's 64-bit hash takes 16 ms for a
# year's 170 MB of searchable text where zlib.crc32 takes 90 and blake2b 175; a hash another
# stringzilla would make differently only means the cache is made again.
_FRAME = struct.Struct("<QQ")


def cache_dir() -> Path:
    return user_file(CACHE_ENV, platformdirs.user_cache_dir, "digests")


def _entry(resolved: str, kind: str = "marshal") -> Path:
    name = hashlib.sha1(resolved.encode("utf-8", "surrogateescape")).hexdigest()
    return cache_dir() / f"{name}.{kind}"


def _stamp(path: Path) -> _Stamp:
    status = path.stat()
    return status.st_size, status.st_mtime_ns


def stamp_of(path: Path) -> _Stamp | None:
    """The file's size and time (None when it cannot be read): taken before it is read."""
    try:
        return _stamp(path)
    except OSError:
        return None


Entry = tuple[object, ...]


def load(path: Path, day: str) -> Digest | None:
    """The digest as cached, if the cache is there, whole, and the file has not changed."""
    try:
        stamp, resolved = _stamp(path), str(path.resolve())
        header, rows, toc, problems = _read(_entry(resolved))
        if header != (CACHE_VERSION, resolved, stamp, day):
            return None
        return _digest(path, stamp, day, rows, toc, problems)
    except (OSError, EOFError, ValueError, TypeError):
        return None  # no cache yet, or one this version cannot read: the file is read instead


def lighten(digest: Digest, day: str) -> tuple[Digest, Entry | None]:
    """The same digest with each body left in its file until it is needed (a year of digests
    then takes a fraction of the memory), and what the cache keeps of it (under the stamp the
    file had before it was read: a file changed meanwhile is read again next time)."""
    path, stamp = digest.path, digest.stamp
    if stamp is None:
        return digest, None
    try:
        header = (CACHE_VERSION, str(path.resolve()), stamp, day)
    except OSError:
        return digest, None
    rows = tuple(
        (p.id, p.title, p.url, p.pdf, p.authors, p.category, p.section, p.source.line,
         p.categories, p.failed_summaries, *p.span)
        for p in digest.papers
    )  # fmt: skip
    toc = tuple(digest.toc.items())
    problems = tuple((p.source.line, p.message) for p in digest.problems)
    light = _digest(path, stamp, day, rows, toc, problems)
    return light, (header, rows, toc, problems)


def store(entry: Entry) -> None:
    """Keep an entry from `lighten`. A cache that cannot be written is only a slower start."""
    resolved = entry[0][1]  # the header (version, resolved path, stamp, day) from `lighten`
    _write(_entry(resolved), entry)


def load_text(digest: Digest) -> DigestText | None:
    """The searchable text of a digest as cached, if the file has not changed since and the
    text is the one its index was made for (same length and hash). The text itself is kept raw
    beside its index, and read whole: a file mapped into memory could be cut short under the
    reader, and its next search would kill it (SIGBUS)."""
    try:
        resolved = str(digest.path.resolve())
        header, ids, starts, size, text_hash = _read(_entry(resolved, "search"))
        if header != (CACHE_VERSION, resolved, digest.stamp or _stamp(digest.path)):
            return None
        if ids != tuple(paper.id for paper in digest.papers) or len(starts) != len(ids):
            return None
        text = _entry(resolved, "text").read_bytes()
        if len(text) != size or stringzilla.hash(text) != text_hash:
            return None  # damaged: made again from the digest
        from digest_tui.index import DigestText

        return DigestText(ids, starts, text)
    except (OSError, EOFError, ValueError, TypeError):
        return None


def store_text(digest: Digest, text: DigestText) -> None:
    try:
        resolved = str(digest.path.resolve())
        header = (CACHE_VERSION, resolved, digest.stamp or _stamp(digest.path))
    except OSError:
        return
    _write_bytes(_entry(resolved, "text"), text.text)
    index = (header, text.ids, text.starts, len(text.text), stringzilla.hash(text.text))
    _write(_entry(resolved, "search"), index)


RANKINGS_KEPT = 3  # ranking indexes of the last libraries read (a folder, all of them…)


def ranking_signature(digests: Iterable[Digest], version: int) -> str | None:
    """What the ranking index (of that `version` of its format) of these digests is kept under:
    their files' paths, and their sizes and times as read (None when one has none)."""
    signature = hashlib.sha1(f"{CACHE_VERSION} {version}".encode())
    try:
        for digest in digests:
            if digest.stamp is None:
                return None
            signature.update(
                f"{digest.path.resolve()}\0{digest.stamp}\0".encode("utf-8", "surrogateescape")
            )
    except OSError:
        return None
    return signature.hexdigest()


def ranking_path(signature: str) -> Path:
    """Where the ranking index kept under `signature` is (`Ranking.to_bytes`: a zip whose
    members carry their CRC, so a damaged one is refused as it is read)."""
    return cache_dir() / f"{signature}.ranking"


def store_ranking(signature: str, data: bytes) -> None:
    """Keep a ranking index; those of other libraries but the last few are removed."""
    _write_bytes(ranking_path(signature), data)
    try:
        kept = sorted(cache_dir().glob("*.ranking"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[RANKINGS_KEPT:]:
            old.unlink()
        for partial_file in cache_dir().glob("*.ranking.*.tmp"):  # of a build that was stopped
            if time.time() - partial_file.stat().st_mtime > 3600:
                partial_file.unlink()
    except OSError:
        pass


def _write(target: Path, entry: Entry) -> None:
    data = marshal.dumps(entry)  # plain values only: it cannot fail
    _write_bytes(target, _FRAME.pack(len(data), stringzilla.hash(data)) + data)


def _read(target: Path) -> object:
    """An entry as `_write` wrote it, if it is whole: cut short, filled with zeros or written
    over, it is an error (ValueError), never other values."""
    data = target.read_bytes()
    if len(data) >= _FRAME.size:
        length, data_hash = _FRAME.unpack_from(data)
        body = memoryview(data)[_FRAME.size :]
        if len(body) == length and stringzilla.hash(body) == data_hash:
            return marshal.loads(body)
    raise ValueError(f"damaged cache entry: {target}")


def _write_bytes(target: Path, data: bytes) -> None:
    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        write_whole(target, data)


def _digest(
    path: Path, stamp: _Stamp, day: str, rows: tuple, toc: tuple, problems: tuple
) -> Digest:
    papers = tuple(
        Paper(
            paper_id, title, url, pdf, authors, category, section, Source(path, line),
            categories, day, partial(_read_body, path, stamp, paper_id, (start, end)),
            failed, (start, end),
        )
        for (paper_id, title, url, pdf, authors, category, section, line, categories,
             failed, start, end) in rows
    )  # fmt: skip
    found = tuple(Problem(Source(path, line), message) for line, message in problems)
    return Digest(path, papers, dict(toc), found, stamp)


@lru_cache(maxsize=4)
def _file_text(path: Path, stamp: _Stamp) -> str:
    text, _ = decode(path.read_bytes())
    return clean(text)


def _read_body(path: Path, stamp: _Stamp, paper_id: str, span: tuple[int, int]) -> Body:
    """A paper's body, read from where its file says it is (or, if the file has changed since,
    found in the file read again)."""
    from digest_tui.parse import read_file  # the parsers load with the first body read
    from digest_tui.parse.jsonl import read_body
    from digest_tui.parse.markdown import parse_markdown

    jsonl = path.suffix.lower() == ".jsonl"
    try:
        if _stamp(path) == stamp and span != (0, 0):
            text = _file_text(path, stamp)[span[0] : span[1]]
            if jsonl:
                return read_body(text)
            papers = parse_markdown(text, path, cleaned=True).papers
            if papers and papers[0].id == paper_id:
                return papers[0].body
        digest = read_file(path)
        return next((p.body for p in digest.papers if p.id == paper_id), EMPTY_BODY)
    except (OSError, ValueError):
        return EMPTY_BODY
