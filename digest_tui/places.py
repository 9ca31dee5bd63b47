"""Where digest-tui keeps its files: the user's folders for the platform (platformdirs), or
the file an environment variable names."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

APP = "digest-tui"


def user_file(env: str, folder: Callable[..., str], name: str) -> Path:
    """`$env` if set, else `name` in the platform's `folder` for digest-tui."""
    override = os.environ.get(env)
    if override:
        return Path(override).expanduser()
    return Path(folder(APP, appauthor=False)) / name
