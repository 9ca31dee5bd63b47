"""Building the ranking index where it cannot slow the reader: in a process of its own, at the
lowest priority, while the reader goes on; the index goes to the cache, and the reader loads it
(digest_tui.ranking, with numpy and scipy) only when a list or search first ranks papers.
Nothing here imports numpy: a reader that never ranks never pays for it."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from digest_tui import cache

if TYPE_CHECKING:
    from digest_tui.index import DigestText, SearchIndex

RANKING_VERSION = 3  # of the index's format (digest_tui.ranking writes it)
END = "end"  # sent after the last digest's text: what came before is all of it


def prepared(
    index: SearchIndex, cancelled: Callable[[], bool] = lambda: False
) -> Path | bytes | None:
    """Where the ranking index of what `index` holds is: its file in the cache (built first if
    it is not there), or the index itself when the cache cannot keep it. None when cancelled
    meanwhile."""
    signature = cache.ranking_signature(index.digests, RANKING_VERSION)
    if signature and (path := cache.ranking_path(signature)).is_file():
        return path  # (checked whole as it is loaded: a damaged one is made again then)
    data = _build_apart(index.texts(), cancelled, signature)
    if data is None:
        return None
    return path if signature and not data and path.is_file() else data


def _build_apart(
    texts: Sequence[DigestText], cancelled: Callable[[], bool], signature: str | None = None
) -> bytes | None:
    """`main` in a process: the texts written to it by a thread; the index kept in the cache
    under `signature` by that process (then b""), else read back."""
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "digest_tui.ranking", signature or "", str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        assert process.stdin is not None and process.stdout is not None

        def send() -> None:
            try:
                for text in texts:
                    if cancelled():
                        process.kill()  # before its input ends: it keeps nothing
                        return
                    if text.ids:  # (else each of its papers is in a newer digest)
                        marshal.dump((text.ids, text.starts, text.text), process.stdin)
                marshal.dump(END, process.stdin)  # all of it: it may be kept
                process.stdin.close()
            except OSError:
                pass  # the process ended: said below

        read: list[bytes] = []
        threads = (
            threading.Thread(target=send, name="digest-tui-ranking-send", daemon=True),
            threading.Thread(target=lambda: read.append(process.stdout.read()), daemon=True),
        )
        for thread in threads:
            thread.start()
        while threads[1].is_alive():
            if cancelled():
                process.kill()
            threads[1].join(0.2)
        code = process.wait()
        if cancelled():
            return None
        if code != 0:
            errors.seek(0)
            last = errors.read().decode("utf-8", "replace").strip().splitlines()[-1:]
            raise RuntimeError(f"ranking the library failed ({code}): {' '.join(last)}")
        return read[0]
