"""The `j` key as a person feels it: the reader runs in a real pseudo-terminal, and each press
is timed from the key being written to the screen update arriving."""

from __future__ import annotations

import fcntl
import os
import select
import statistics
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _drain(fd: int, quiet: float, limit: float) -> bytes:
    """Read until the terminal has been quiet for `quiet` seconds (or `limit` passed)."""
    out = b""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if not select.select([fd], [], [], quiet)[0]:
            break
        try:
            out += os.read(fd, 1 << 16)
        except OSError:  # the reader closed the terminal
            break
    return out


def key_latency(paths: list[Path], presses: int = 60) -> dict[str, float]:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    state = Path(os.environ.get("TMPDIR", "/tmp")) / f"digest-tui-bench-{os.getpid()}.db"
    env = {**os.environ, "TERM": "xterm-256color", "DIGEST_TUI_STATE": str(state)}
    reader = subprocess.Popen(
        [sys.executable, "-m", "digest_tui", *map(str, paths)],
        stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    os.close(slave)
    try:
        screen = b""
        deadline = time.monotonic() + 120
        while b"All days (" not in screen and time.monotonic() < deadline:
            screen += _drain(master, 0.5, 1.0)
        _drain(master, 1.0, 30)  # settle: the rest of the days, notifications
        times = []
        for _ in range(presses):
            before = time.perf_counter()
            os.write(master, b"j")
            select.select([master], [], [], 5)
            times.append((time.perf_counter() - before) * 1000)
            _drain(master, 0.03, 1.0)
        os.write(master, b"q")
        _drain(master, 0.3, 5)
    finally:
        reader.kill()
        reader.wait()
        os.close(master)
        for leftover in state.parent.glob(f"{state.name}*"):
            leftover.unlink()
    times.sort()
    return {"median": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1]}
