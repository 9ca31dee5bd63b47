"""Bringing a source's days from GitHub (see digest_tui.sources for what a source is)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx

from digest_tui import __version__
from digest_tui.places import write_whole
from digest_tui.sources import DAY_FILE, Source, day_files, stamp_update
from digest_tui.text import printable

API_ENV, RAW_ENV, TOKEN_ENV = "DIGEST_TUI_GITHUB_API", "DIGEST_TUI_GITHUB_RAW", "GITHUB_TOKEN"
API, RAW = "https://api.github.com", "https://raw.githubusercontent.com"
SIZE_LIMIT = 50 * 1024 * 1024  # bytes: no real day comes near it (the largest are ~2 MB)
STALL_SECONDS = 10.0  # a download with no byte for this long is abandoned
FILE_SECONDS = 120.0  # nor is a day still coming after this long kept waiting for
_FILE_MODES = ("100644", "100755")
LISTING_LIMIT = 200 * 1024 * 1024  # bytes of a branch's listing (GitHub's are ~20 MB at most)
# In a source's folder: each day file's blob sha as last checked, with what its stat said then
# (size, times, inode). An update takes a file that still has them for checked, not reading a
# year of files.
_CHECKED = ".checked-shas.json"


def blob_sha(data: bytes) -> str:
    """The sha git gives a file's content (the sha a tree lists for it)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass(slots=True)
class Report:
    """What an update of a source did."""

    source: Source
    new: list[str] = field(default_factory=list)  # days
    rewritten: list[str] = field(default_factory=list)
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)  # a line per file that could not be kept
    error: str = ""  # the branch could not be listed: nothing was fetched

    @property
    def ok(self) -> bool:
        return not self.failed and not self.error

    def line(self) -> str:
        name = printable(self.source.name)
        if self.error:
            return f"{name}: {self.error}; the days here are kept"
        parts = [f"{len(self.new)} new {'day' if len(self.new) == 1 else 'days'}"]
        if self.rewritten:
            parts.append(f"{len(self.rewritten)} rewritten")
        parts.append(f"{self.unchanged} unchanged")
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        return f"{name}: {', '.join(parts)}"


@dataclass(frozen=True, slots=True)
class _Entry:
    path: str  # in the repository
    name: str  # the file's name: the only part of the path that says where it goes
    sha: str
    size: int


def choose(tree: Iterable[dict], source: Source) -> tuple[dict[str, _Entry], list[str]]:
    """The file to fetch for each day of the branch's folder, and a line per path refused."""
    refused: list[str] = []
    by_day: dict[str, dict[str, _Entry]] = {}
    prefix = source.folder.strip("/") + "/" if source.folder.strip("/") else ""
    for item in tree:
        path, sha, size = item.get("path"), item.get("sha"), item.get("size", 0)
        if item.get("type") != "blob" or item.get("mode", "100644") not in _FILE_MODES:
            continue  # a folder, a submodule, a symbolic link
        if not isinstance(path, str):
            continue
        parts = path.split("/")
        if path.startswith(("/", "\\")) or ".." in parts or "\\" in path or ":" in parts[0]:
            refused.append(f"{printable(path)}: refused, a path outside the branch's folder")
            continue
        if not path.startswith(prefix) or "/" in path[len(prefix) :]:
            continue  # another file of the repository
        name = path[len(prefix) :]
        match = DAY_FILE.fullmatch(name)
        valid = isinstance(sha, str) and re.fullmatch(r"[0-9a-f]{40}", sha) is not None
        if match is None or not valid or not isinstance(size, int):
            continue
        by_day.setdefault(match[1], {})[name] = _Entry(path, name, sha, size)
    chosen: dict[str, _Entry] = {}
    for day, files in by_day.items():
        enhanced = sorted(n for n in files if "_AI_enhanced_" in n)
        wanted = source.language.casefold()
        pick = next((n for n in enhanced if wanted and _language(n).casefold() == wanted), None)
        if pick is None and not wanted and enhanced:
            pick = enhanced[0]
        pick = pick or next((n for n in (f"{day}.md", f"{day}.jsonl") if n in files), None)
        if pick is not None:
            chosen[day] = files[pick]
    return chosen, refused


def _language(name: str) -> str:
    match = DAY_FILE.fullmatch(name)
    return match[2] or "" if match else ""


class _Refused(Exception):
    """A file that is not kept: the message says why."""


Progress = Callable[[int, int], None]  # (files done, files to fetch)


def update(
    source: Source,
    client,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Report:
    """Bring one source up to date (`client`: an httpx.Client, see `client`); stop between
    files (and chunks) once `cancelled()`."""
    report = Report(source)
    api = os.environ.get(API_ENV, API).rstrip("/")
    url = f"{api}/repos/{source.repo}/git/trees/{quote(source.branch, safe='')}?recursive=1"
    try:
        response = client.get(url, headers=_api_headers())
    except httpx.HTTPError as error:
        report.error = f"cannot reach {_host(api)} ({_why(error)})"
        return report
    if response.status_code != 200:
        report.error = _refusal(response, source)
        return report
    try:
        if len(response.content) > LISTING_LIMIT:
            raise ValueError("too large")
        listing = response.json()
        tree = listing["tree"]
        if not isinstance(tree, list):
            raise TypeError(tree)
    except (ValueError, KeyError, TypeError, RecursionError):
        report.error = f"{_host(api)} did not answer with a git tree"
        return report
    if listing.get("truncated"):  # GitHub lists at most ~100,000 entries
        report.failed.append("GitHub listed only part of the branch: some days may be missing")
    chosen, refused = choose((i for i in tree if isinstance(i, dict)), source)
    report.failed += refused
    folder = source.path
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        report.error = f"cannot make {folder}: {error.strerror or error}"
        return report
    here = day_files(folder)
    checked, verified = _checked(folder), {}  # name -> the file's stat when found as listed
    wanted = []
    for day, entry in sorted(chosen.items(), reverse=True):  # the newest days first
        target = folder / entry.name
        if target.is_file() and (stat := _same(target, entry, checked)):
            report.unchanged += 1
            verified[entry.name] = [*stat, entry.sha]
        else:
            wanted.append((day, entry, day in here))
    raw = os.environ.get(RAW_ENV, RAW).rstrip("/")
    for done, (day, entry, rewritten) in enumerate(wanted):
        if cancelled():
            report.failed.append("stopped before every day was fetched")
            break
        if progress is not None:
            progress(done, len(wanted))
        address = f"{raw}/{source.repo}/{quote(source.branch, safe='')}/{quote(entry.path)}"
        try:
            stat = _fetch(client, address, entry, folder / entry.name, cancelled)
        except _Refused as why:
            report.failed.append(f"{printable(entry.path)}: {why}")
            continue
        verified[entry.name] = [*stat, entry.sha]
        for other in here.get(day, ()):  # the day as it was: one file a day
            if other.name != entry.name:
                with contextlib.suppress(OSError):
                    other.unlink()
        (report.rewritten if rewritten else report.new).append(day)
    if progress is not None:
        progress(len(wanted), len(wanted))
    _keep_checked(folder, verified)
    if report.ok:
        stamp_update(folder)
    return report


def _stat(stat: os.stat_result) -> list[int]:
    """What says a file is as it was: its size, its times (a change of content changes the
    second, whatever sets the first back) and its inode."""
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def _same(target: Path, entry: _Entry, checked: dict) -> list[int] | None:
    """The file's stat if the file here is the one the tree lists (its size, then its blob
    sha: the one `checked` holds while the file's stat is the same, else read and hashed,
    and the file not changed meanwhile), else None."""
    try:
        before = _stat(target.stat())
        if before[0] != entry.size:
            return None
        if checked.get(entry.name) == [*before, entry.sha]:
            return before
        same = blob_sha(target.read_bytes()) == entry.sha
        return before if same and _stat(target.stat()) == before else None
    except OSError:
        return None


def _checked(folder: Path) -> dict:
    try:
        found = json.loads((folder / _CHECKED).read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}
    return found if isinstance(found, dict) else {}


def _keep_checked(folder: Path, checked: dict[str, list]) -> None:
    """Write down the files an update found or put here as the tree lists them (by name:
    their stat then, and their sha). Nothing is lost if it cannot."""
    with contextlib.suppress(OSError):
        write_whole(folder / _CHECKED, json.dumps(checked).encode())


def _fetch(
    client, address: str, entry: _Entry, target: Path, cancelled: Callable[[], bool]
) -> list[int]:
    """Download a day, check it, and put it in place (its stat then); _Refused says why it
    was not kept."""
    if entry.size > SIZE_LIMIT:
        raise _Refused(f"refused: {entry.size:,} bytes, over the limit of {SIZE_LIMIT:,}")
    chunks, size = [], 0
    deadline = time.monotonic() + FILE_SECONDS
    try:
        with client.stream("GET", address) as response:
            if response.status_code != 200:
                raise _Refused(f"{_host(address)} answered {response.status_code}")
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > SIZE_LIMIT:
                    raise _Refused(f"refused: over the limit of {SIZE_LIMIT:,} bytes")
                if cancelled():
                    raise _Refused("stopped")
                if time.monotonic() > deadline:
                    raise _Refused(f"abandoned: still coming after {FILE_SECONDS:g} s")
                chunks.append(chunk)
    except httpx.TimeoutException:
        raise _Refused(f"stalled: no byte for {STALL_SECONDS:g} s; abandoned") from None
    except httpx.HTTPError as error:
        raise _Refused(f"cannot download ({_why(error)})") from None
    data = b"".join(chunks)
    if blob_sha(data) != entry.sha:
        raise _Refused("refused: its content is not what the branch lists (sha differs)")
    try:  # (never over the file here until it is whole)
        write_whole(target, data)
        return _stat(target.stat())  # (a rename changes the file's ctime)
    except OSError as error:
        raise _Refused(f"cannot write {target}: {error.strerror or error}") from None


def client():
    """The HTTP client for updates: a User-Agent, and a timeout for a stall."""
    timeout = httpx.Timeout(STALL_SECONDS, connect=STALL_SECONDS)
    headers = {"User-Agent": f"digest-tui/{__version__}"}
    return httpx.Client(timeout=timeout, headers=headers, follow_redirects=True)


def update_all(
    sources: Sequence[Source],
    progress: Callable[[Source], Progress] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> list[Report]:
    """Bring every source up to date, one after the other: a report each."""
    with client() as http:
        return [update(s, http, progress(s) if progress else None, cancelled) for s in sources]


def _api_headers() -> dict[str, str]:
    headers = {"Accept": "application/vnd.github+json"}
    token = os.environ.get(TOKEN_ENV, "").strip()
    if token:  # sent to the API only, never to the raw host (which may be a mirror)
        headers["Authorization"] = f"Bearer {token}"
    return headers


def _refusal(response, source: Source) -> str:
    """What an answer other than 200 to the tree's listing means, in a sentence."""
    status, headers = response.status_code, response.headers
    if status in (403, 429) and (
        headers.get("x-ratelimit-remaining") == "0" or "retry-after" in headers
    ):
        when = _retry_time(headers)
        token = "" if os.environ.get(TOKEN_ENV) else "; set GITHUB_TOKEN for a higher limit"
        return f"GitHub's API limit is reached: try again {when}{token}"
    if status == 404:
        return f"no branch {source.branch!r} in {source.repo} (or no such repository)"
    if status == 401:
        return "GitHub refused the token in GITHUB_TOKEN (401)"
    return f"{_host(str(response.url))} answered {status} listing the branch"


def _retry_time(headers) -> str:
    try:
        if "retry-after" in headers:
            at = time.time() + float(headers["retry-after"])
        else:
            at = float(headers["x-ratelimit-reset"])
        if not math.isfinite(at):
            raise ValueError(at)
        return "at " + datetime.fromtimestamp(at).astimezone().strftime("%H:%M")
    except (KeyError, ValueError, OverflowError, OSError):
        return "later"


def _host(address: str) -> str:
    return urlsplit(address).netloc or address


def _why(error: Exception) -> str:
    return printable(str(error) or type(error).__name__)[:200]
