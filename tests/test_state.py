from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from digest_tui.state import SCHEMA_VERSION, Mark, MarkStore, default_state_path, open_store


def test_marks_survive_closing_and_reopening(tmp_path: Path):
    path = tmp_path / "marks.sqlite3"
    store = MarkStore(path)
    assert store.toggle_star("2401.00001") == Mark(read=False, starred=True)
    assert store.set_read("2401.00001", True) == Mark(read=True, starred=True)
    store.set_read("2401.00002", True)
    store.close()
    again = MarkStore(path)
    assert again.get("2401.00001") == Mark(read=True, starred=True)
    assert again.get("2401.00002") == Mark(read=True, starred=False)
    assert again.get("2401.99999") == Mark()
    assert again.starred_ids() == {"2401.00001"}


def test_each_toggle_is_committed_at_once(tmp_path: Path):
    path = tmp_path / "marks.sqlite3"
    store = MarkStore(path)
    store.toggle_star("2401.00001")
    other = sqlite3.connect(path)  # a second reader sees it while the first is still open
    assert other.execute("SELECT starred FROM marks WHERE id='2401.00001'").fetchone() == (1,)
    assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert other.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


def test_unmarking_keeps_the_time_it_happened(tmp_path: Path):
    path = tmp_path / "marks.sqlite3"
    store = MarkStore(path)
    store.toggle_star("x")
    store.toggle_star("x")
    row = (
        sqlite3.connect(path)
        .execute("SELECT starred, starred_at FROM marks WHERE id='x'")
        .fetchone()
    )
    assert row[0] == 0 and row[1] > 0
    assert store.get("x") == Mark()


def test_a_mark_survives_the_process_being_killed(tmp_path: Path):
    path = tmp_path / "marks.sqlite3"
    code = (
        "import os, signal\n"
        "from pathlib import Path\n"
        "from digest_tui.state import MarkStore\n"
        f"s = MarkStore(Path({str(path)!r}))\n"
        "s.toggle_star('2401.00001'); s.set_read('2401.00002', True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], check=False)
    assert result.returncode == -9
    store = MarkStore(path)
    assert store.is_starred("2401.00001") and store.is_read("2401.00002")


def test_state_location_follows_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("DIGEST_TUI_STATE", str(tmp_path / "here.db"))
    assert default_state_path() == tmp_path / "here.db"
    monkeypatch.delenv("DIGEST_TUI_STATE")
    assert default_state_path().name == "marks.sqlite3"
    assert "digest-tui" in str(default_state_path())


@pytest.mark.parametrize(
    "content",
    [b"garbage" * 500, b"SQLite format 3\x00" + b"\x00" * 40],
    ids=["garbage", "truncated"],
)
def test_a_corrupt_file_is_moved_aside_never_overwritten(tmp_path: Path, content: bytes):
    path = tmp_path / "marks.sqlite3"
    path.write_bytes(content)
    store, notes = open_store(path)
    aside = [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == content
    assert len(notes) == 1 and str(aside[0]) in notes[0] and str(path) in notes[0]
    store.toggle_star("a")
    assert MarkStore(path).is_starred("a")


def test_a_newer_schema_or_foreign_database_is_moved_aside(tmp_path: Path):
    newer = tmp_path / "newer.db"
    db = sqlite3.connect(newer)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.close()
    foreign = tmp_path / "foreign.db"
    db = sqlite3.connect(foreign)
    db.execute("CREATE TABLE users (name TEXT)")
    db.commit()
    db.close()
    for path in (newer, foreign):
        store, notes = open_store(path)
        assert notes and "moved to" in notes[0]
        assert store.path == path
    assert len([p for p in tmp_path.iterdir() if ".corrupt-" in p.name]) == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only folders")
def test_an_unwritable_location_keeps_marks_in_memory(tmp_path: Path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        store, notes = open_store(folder / "marks.sqlite3")
    finally:
        folder.chmod(0o700)
    assert notes and "will not be saved" in notes[0]
    assert store.toggle_star("a").starred


def test_a_location_that_is_not_a_folder_keeps_marks_in_memory(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    store, notes = open_store(blocker / "marks.sqlite3")
    assert store.path is None
    assert notes and "will not be saved" in notes[0] and str(blocker) in notes[0]
    assert store.toggle_star("a").starred and store.is_starred("a")
