"""Text edited in the user's editor ($VISUAL, else $EDITOR), the reader suspended meanwhile."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from textual.app import App, SuspendNotSupported


def edit_text(app: App, text: str) -> str | None:
    """`text` as the editor left it; None (said) when there is no editor or it failed."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        app.notify("Set $EDITOR (or $VISUAL) to write notes in your editor.", severity="warning")
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "note.md"
        path.write_text(text, encoding="utf-8")
        try:
            with app.suspend():
                done = subprocess.run([*shlex.split(editor), str(path)], check=False)
        except (OSError, ValueError, SuspendNotSupported) as error:  # no such program; no tty
            app.notify(f"Could not run {editor}: {error}", severity="error", markup=False)
            return None
        if done.returncode != 0:
            app.notify(f"{editor} ended with code {done.returncode}; the note is as it was.")
            return None
        return path.read_text(encoding="utf-8", errors="replace")
