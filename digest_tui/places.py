"""Where digest-tui keeps its files: the user's folders for the platform (platformdirs), or
the file an environment variable names."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

APP = "digest-tui"


def user_file(env: str, folder: Callable[..., str], name: str) -> Path:
    """`$env` if set, else `name` in the platform's `folder` for digest-tui."""
    override = os.environ.get(env)
    if override:
        return Path(override).expanduser()
    return Path(folder(APP, appauthor=False)) / name


def write_whole(target: Path, data: bytes) -> None:
    """Put `data` in `target` whole or not at all: written to a file of its own beside it
    (`.NAME.….part`), then renamed into place. OSError if it cannot; no part is left behind."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    partial = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
