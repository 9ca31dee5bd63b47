"""A process in a real pseudo-terminal, timed as a person sees it.

A key is timed from the moment it is written to the terminal to the LAST byte of the screen
update it causes: the terminal is read until it has been quiet for QUIET seconds (100 ms), and
the figure is the arrival of the last byte before that silence, relative to the write. Nothing
is subtracted. When an update is known to come in parts with a pause between them (a search
shows its results a moment after the letter typed), `press` is given the text that the update
ends with, and the silence is waited for only once that text has been drawn.
"""

from __future__ import annotations

import codecs
import ctypes
import os
import re
import select
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.terminal import spawn_in_terminal

QUIET = 0.1  # seconds of silence that end an update
ROWS, COLUMNS = 40, 120

# Everything a terminal acts on rather than shows: CSI, OSC, DCS/APC/PM strings, two-byte
# escapes. What is left is the text drawn, in the order it was written.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[P_^X][^\x1b]*\x1b\\"
    r"|\x1b[ -/]*[0-~]"
)


def _die_with_parent() -> None:
    """In the child: killed when the benchmark ends, however it ends (Linux). A reader left
    running on a closed terminal would take a core and skew every figure after it."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


@dataclass(frozen=True)
class Update:
    """What a key brought: seconds from its write to the last byte, and the bytes."""

    seconds: float
    size: int


class TerminalError(AssertionError):
    pass


class Terminal:
    """`argv` started in a ROWS x COLUMNS pseudo-terminal, its output read as it comes.
    `started` is perf_counter() just before the process is started."""

    def __init__(self, argv: Sequence[str], env: dict[str, str]) -> None:
        self.argv = list(argv)
        self.screen = ""  # every text drawn so far, escape sequences removed, in order
        self.arrivals: list[tuple[float, int]] = []  # (perf_counter, len(screen) after) a read
        self.late = 0  # bytes that came after an update had gone quiet, before the next key
        self.ignored = 0  # reads left out of an update (see `collect`)
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._pending = ""  # an escape sequence cut by a read, completed by the next
        self.started = time.perf_counter()
        self.process, self.master = spawn_in_terminal(
            self.argv, env, ROWS, COLUMNS, preexec_fn=_die_with_parent
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def _read(self, timeout: float) -> tuple[int, float, str] | None:
        """One read: how many bytes, when they came and the text they drew, or None after
        `timeout` of silence."""
        if not select.select([self.master], [], [], max(timeout, 0.0))[0]:
            return None
        try:
            data = os.read(self.master, 1 << 16)
        except OSError:
            data = b""
        arrived = time.perf_counter()
        if not data:
            raise TerminalError(f"{self.argv}: the process ended ({self.process.poll()})")
        text = self._pending + self._decoder.decode(data)
        cut = text.rfind("\x1b")
        if cut != -1 and not _ESCAPES.match(text, cut):
            text, self._pending = text[:cut], text[cut:]  # completed by the next read
        else:
            self._pending = ""
        drawn = _ESCAPES.sub("", text).replace("\r", "").replace("\n", "")
        self.screen += drawn
        self.arrivals.append((arrived, len(self.screen)))
        return len(data), arrived, drawn

    def collect(
        self,
        since: float,
        until: str | None = None,
        limit: float = 30.0,
        ignore: Callable[[str], bool] | None = None,
    ) -> Update:
        """Read until `until` has been drawn (when given) and at least one byte came, then
        until QUIET seconds pass with none; the update runs from `since` (perf_counter()) to
        its last byte. Once `until` is drawn, a read whose text `ignore` accepts (a blink of
        the search field's cursor) is not part of the update: it is counted in `ignored`."""
        last, size, start = since, 0, len(self.screen)
        end = time.perf_counter() + limit
        waiting = until is not None
        while True:
            now = time.perf_counter()
            if now > end:
                raise TerminalError(f"{self.argv}: no quiet screen with {until!r} in {limit} s")
            pending = waiting or size == 0
            got = self._read(min(end - now, 0.5) if pending else last + QUIET - now)
            if got is None:
                if pending:
                    continue
                return Update(last - since, size)
            if not pending and ignore is not None and ignore(got[2]):
                self.ignored += 1
                continue
            size += got[0]
            last = got[1]
            if waiting:
                waiting = until not in self.screen[max(start - len(until or ""), 0) :]

    def press(
        self,
        key: bytes,
        until: str | None = None,
        limit: float = 30.0,
        ignore: Callable[[str], bool] | None = None,
    ) -> Update:
        """Write `key` and time the update it causes. Bytes still coming after the previous
        update went quiet (a late part of it, a timer's redraw) are read first and counted in
        `late`: they are never taken for this key's."""
        if (got := self._read(0.0)) is not None:
            self.late += got[0] + self.drain()
        since = time.perf_counter()
        os.write(self.master, key)
        return self.collect(since, until, limit, ignore)

    def drain(self, quiet: float = QUIET) -> int:
        """Read whatever comes until `quiet` seconds of silence; the bytes read."""
        size = 0
        while (got := self._read(quiet)) is not None:
            size += got[0]
        return size

    def painted(self, text: str, limit: float = 120.0) -> float:
        """Read until `text` has been drawn, then until quiet. The seconds from the start to
        the last byte of the paint that drew it (the bytes that followed it with no pause of
        QUIET seconds)."""
        while text not in self.screen:
            if time.perf_counter() - self.started > limit:
                raise TerminalError(f"{self.argv}: {text!r} not drawn in {limit} s")
            self._read(0.5)
        self.drain()
        drawn = self.screen.index(text) + len(text)
        times = [at for at, length in self.arrivals if length >= drawn]
        last = times[0]
        for at in times[1:]:
            if at - last >= QUIET:
                break
            last = at
        return last - self.started

    def cpu_ticks(self) -> int:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks

    def settle(self, idle: float = 0.5, limit: float = 180.0) -> None:
        """Wait until the process has used (almost) no CPU for `idle` seconds and its terminal
        is quiet: its threads are done (the other days, the search index, the cache)."""
        end = time.monotonic() + limit
        before = self.cpu_ticks()
        while time.monotonic() < end:
            self.drain(idle)
            now = self.cpu_ticks()
            if now - before <= 1:
                return
            before = now
        raise TerminalError(f"{self.argv}: still busy after {limit} s")

    def status(self, name: str) -> int:
        """A figure of /proc/PID/status (VmHWM, VmRSS), in bytes."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1]) * 1024
        raise KeyError(name)

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        os.close(self.master)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
