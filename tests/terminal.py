"""The reader as a person runs it: a real process in a pseudo-terminal, read byte by byte."""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Terminal:
    reader: subprocess.Popen
    master: int
    output: bytes = b""
    deadline: float = field(default_factory=lambda: time.monotonic() + 60)

    def wait_for(self, text: bytes) -> None:
        """Read until `text` has been drawn (or the minute is up)."""
        while text not in self.output and time.monotonic() < self.deadline:
            if select.select([self.master], [], [], 0.2)[0]:
                self.output += os.read(self.master, 65536)
        assert text in self.output, f"the reader did not draw {text!r}"

    def settle(self, quiet: float = 0.5) -> bytes:
        """Read until the terminal has been quiet for `quiet` seconds (or the minute is up);
        what came meanwhile."""
        start = len(self.output)
        while time.monotonic() < self.deadline:
            if not select.select([self.master], [], [], quiet)[0]:
                break
            self.output += os.read(self.master, 65536)
        return self.output[start:]

    def press(self, key: bytes, quiet: float = 0.5) -> bytes:
        """Type `key`; everything the reader wrote until it went quiet."""
        os.write(self.master, key)
        return self.settle(quiet)

    def quit(self) -> float:
        """Press q and read until the reader has ended; the seconds it took."""
        os.write(self.master, b"q")
        asked = time.monotonic()
        while self.reader.poll() is None and time.monotonic() < self.deadline:
            if select.select([self.master], [], [], 0.05)[0]:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:  # the reader closed the terminal
                    break
        self.reader.wait(timeout=30)
        return time.monotonic() - asked


def spawn_in_terminal(
    argv: Sequence[str], env: Mapping[str, str], rows: int = 40, columns: int = 120, **popen: Any
) -> tuple[subprocess.Popen, int]:
    """`argv` started in a `rows` x `columns` pseudo-terminal (an xterm), in a session of its
    own, with `env` added to the environment; the process and the terminal's master side."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    process = subprocess.Popen(
        list(argv),
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**os.environ, "TERM": "xterm-256color", **env},
        cwd=ROOT,
        start_new_session=True,
        **popen,
    )
    os.close(slave)
    return process, master


@contextmanager
def reader_in_terminal(args: Sequence[str], **env: str) -> Iterator[Terminal]:
    """`digest-tui ARGS` in a 120x40 pseudo-terminal, with `env` added to the environment."""
    reader, master = spawn_in_terminal([sys.executable, "-m", "digest_tui", *args], env)
    try:
        yield Terminal(reader, master)
    finally:
        if reader.poll() is None:
            reader.kill()
        os.close(master)
