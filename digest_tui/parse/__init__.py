"""Readers that turn digest files into the model. They never raise on bad input."""

import errno
import stat
from pathlib import Path

from digest_tui.model import Digest
from digest_tui.parse.jsonl import read_jsonl
from digest_tui.parse.markdown import parse_markdown, read_digest

__all__ = ["parse_markdown", "read_digest", "read_file", "read_jsonl"]


def read_file(path: Path, day: str = "") -> Digest:
    """Read one digest, Markdown or JSONL by its name; raises OSError only when the file itself
    cannot be read."""
    if not stat.S_ISREG(path.stat().st_mode):  # a device or a pipe could be read forever
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    reader = read_jsonl if path.suffix.lower() == ".jsonl" else read_digest
    return reader(path, day)
