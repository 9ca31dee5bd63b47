from __future__ import annotations

import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest_tui.cli import main
from digest_tui.state import (
    SCHEMA_VERSION,
    Mark,
    MarkRecord,
    MarkStore,
    StateError,
    default_state_path,
    marks_document,
    open_store,
    parse_marks_document,
)


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


V1_SCHEMA = """
CREATE TABLE marks (
    id TEXT PRIMARY KEY, read INTEGER NOT NULL DEFAULT 0, starred INTEGER NOT NULL DEFAULT 0,
    read_at REAL, starred_at REAL
) WITHOUT ROWID;
"""


def test_a_version_1_file_is_migrated_with_its_marks(tmp_path: Path):
    path = tmp_path / "v1.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(V1_SCHEMA)
    db.execute("INSERT INTO marks VALUES ('2401.00001', 1, 1, 100.0, 200.0)")
    db.execute("INSERT INTO marks VALUES ('2401.00002', 0, 1, 300.0, 50.0)")
    db.execute("PRAGMA user_version=1")
    db.commit()
    db.close()
    store, notes = open_store(path)
    assert notes == []
    assert store.get("2401.00001") == Mark(read=True, starred=True)
    assert store.get("2401.00002") == Mark(read=False, starred=True)
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    assert check.execute("SELECT id, updated_at FROM marks ORDER BY id").fetchall() == [
        ("2401.00001", 200.0),
        ("2401.00002", 300.0),
    ]
    store.set_tags("2401.00001", ["to-cite"])  # the columns for tags and notes were added
    store.set_note("2401.00002", "a note")
    store.close()
    again, _ = open_store(path)
    assert again.tags("2401.00001") == ("to-cite",) and again.note("2401.00002") == "a note"
    assert again.get("2401.00001") == Mark(read=True, starred=True)
    again.close()


def test_a_file_of_today_opens_in_an_older_reader_way(tmp_path: Path):
    """Tags, notes and places are added to a file without a new schema version: a reader of
    before them reads its marks, its own query untouched by the new columns."""
    path = tmp_path / "marks.sqlite3"
    store = MarkStore(path)
    store.set_starred("2401.00001", True)
    store.set_tags("2401.00001", ["x"])
    store.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone() == (2,)
    rows = db.execute("SELECT id, read, starred, read_at, starred_at FROM marks").fetchall()
    assert [(r[0], r[2]) for r in rows] == [("2401.00001", 1)]
    db.close()


def test_another_readers_marks_arrive_on_refresh(tmp_path: Path):
    path = tmp_path / "marks.sqlite3"
    mine, theirs = MarkStore(path), MarkStore(path)
    assert mine.refresh() == set()
    theirs.toggle_star("a")
    theirs.set_read("b", True)
    mine.set_read("a", True)  # both wrote to the same paper: neither change is lost
    assert mine.refresh() == {"a", "b"}
    assert mine.get("a") == Mark(read=True, starred=True)
    assert mine.get("b") == Mark(read=True, starred=False)
    assert mine.refresh() == set()  # nothing new since
    theirs.toggle_star("c")
    assert mine.refresh() == {"c"}
    assert theirs.refresh() == {"a"}
    assert theirs.get("a") == MarkStore(path).get("a") == Mark(read=True, starred=True)


def test_two_processes_marking_at_once_lose_nothing(tmp_path: Path):
    path = tmp_path / "marks.sqlite3"
    MarkStore(path).close()
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from digest_tui.state import MarkStore\n"
        f"s = MarkStore(Path({str(path)!r}))\n"
        "column = sys.argv[1]\n"
        "for n in range(300):\n"
        "    (s.set_read if column == 'read' else s.set_starred)(f'p{n}', True)\n"
    )
    writers = [
        subprocess.Popen([sys.executable, "-c", code, column]) for column in ("read", "star")
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    store = MarkStore(path)
    assert all(store.get(f"p{n}") == Mark(read=True, starred=True) for n in range(300))


def test_a_full_disk_keeps_marks_in_memory_and_says_so(tmp_path: Path):
    store = MarkStore(tmp_path / "marks.sqlite3")
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count={pages}")  # the file may not grow: a full disk
    with pytest.raises(StateError, match="full"):
        store.set_read_many([f"paper-{n}-{'x' * 200}" for n in range(200)], True)
    assert store.is_read(f"paper-7-{'x' * 200}")


def test_bulk_read_is_one_change_and_reports_what_changed(tmp_path: Path):
    store = MarkStore(tmp_path / "marks.sqlite3")
    store.set_read("b", True)
    assert store.set_read_many(["a", "b", "c"], True) == ["a", "c"]
    assert store.set_read_many(["a", "c"], False) == ["a", "c"]
    assert [store.is_read(i) for i in "abc"] == [False, True, False]


@pytest.mark.parametrize(
    ("mine", "theirs", "expected"),
    [
        # (read, read_at) on each side -> merged read
        ((False, None), (True, None), True),  # set on their side: stays set
        ((True, 100.0), (False, None), True),  # an un-mark without a time removes nothing
        ((True, 100.0), (False, 50.0), True),  # an older un-mark loses
        ((True, 100.0), (False, 150.0), False),  # a newer un-mark wins
        ((False, 150.0), (True, 100.0), False),  # my newer un-mark wins
        ((False, 100.0), (True, 100.0), True),  # a tie keeps the mark
    ],
)
def test_merge_rules(tmp_path: Path, mine, theirs, expected):
    path = tmp_path / "marks.sqlite3"
    store = MarkStore(path)
    if mine[1] is not None:  # my side: a mark or an un-mark at a known time
        store.merge([MarkRecord("x", read=mine[0], read_at=mine[1])])
    assert store.is_read("x") is mine[0]
    changed = store.merge([MarkRecord("x", read=theirs[0], read_at=theirs[1])])
    assert store.is_read("x") is expected
    assert MarkStore(path).is_read("x") is expected
    assert changed == (["x"] if expected != mine[0] else [])


def test_export_then_import_elsewhere_moves_every_mark(tmp_path: Path):
    here = MarkStore(tmp_path / "here.sqlite3")
    here.toggle_star("2401.00001")
    here.set_read("2401.00002", True)
    here.toggle_star("2401.00003")
    here.toggle_star("2401.00003")  # un-starred: exported with its time
    document = json.loads(json.dumps(marks_document(here.export())))
    assert document["version"] == 2
    assert {m["id"] for m in document["marks"]} == {"2401.00001", "2401.00002", "2401.00003"}
    there = MarkStore(tmp_path / "there.sqlite3")
    there.toggle_star("2401.00003")  # starred there after it was un-starred here
    records, problems = parse_marks_document(document)
    assert problems == []
    assert sorted(there.merge(records)) == ["2401.00001", "2401.00002"]
    assert there.is_starred("2401.00001") and there.is_read("2401.00002")
    assert there.is_starred("2401.00003")  # starred there after it was un-starred here


def test_import_reads_a_bare_list_and_reports_bad_entries():
    records, problems = parse_marks_document(
        [
            {"id": "a", "starred": True},
            {"id": "b", "read": "yes"},
            {"id": "", "read": True},
            {"id": "c", "read": True, "read_at": "2026-01-01T00:00:00Z"},
            {"id": "d", "read": True, "read_at": "yesterday"},
            "not a mark",
        ]
    )
    assert [r.id for r in records] == ["a", "c"]
    assert records[1].read_at == 1767225600.0
    assert problems == [
        'mark 2: "read" must be true or false',
        'mark 3: "id" must be a non-empty string',
        "mark 5: \"read_at\" is not an ISO 8601 time: 'yesterday'",
        "mark 6: not an object",
    ]


def test_a_corrupt_file_is_moved_aside_with_its_wal(tmp_path: Path):
    path = tmp_path / "marks.sqlite3"
    path.write_bytes(b"garbage" * 100)
    Path(f"{path}-wal").write_bytes(b"wal bytes")
    open_store(path)
    moved = sorted(p.name for p in tmp_path.iterdir() if ".corrupt-" in p.name)
    assert len(moved) == 2 and moved[1].endswith("-wal")
    assert (tmp_path / moved[1]).read_bytes() == b"wal bytes"


def test_readers_starting_together_on_a_new_file_share_it(tmp_path: Path):
    path = tmp_path / "marks.sqlite3"
    start = time.time() + 1.5
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from digest_tui.state import open_store\n"
        f"time.sleep(max(0, {start} - time.time()))\n"
        f"store, notes = open_store(Path({str(path)!r}))\n"
        "assert not notes, notes\n"
        "store.toggle_star(sys.argv[1])\n"
    )
    readers = [subprocess.Popen([sys.executable, "-c", code, f"p{n}"]) for n in range(6)]
    assert [reader.wait(timeout=60) for reader in readers] == [0] * 6
    assert sorted(p.name for p in tmp_path.iterdir() if ".corrupt-" in p.name) == []
    assert MarkStore(path).starred_ids() == {f"p{n}" for n in range(6)}


def test_a_marks_table_of_another_shape_is_moved_aside(tmp_path: Path):
    path = tmp_path / "marks.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE marks (paper TEXT, flag TEXT)")
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    db.commit()
    db.close()
    store, notes = open_store(path)
    assert len(notes) == 1 and "no such column" in notes[0] and "moved to" in notes[0]
    assert store.path == path and store.toggle_star("a").starred


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc")
def test_a_location_even_root_cannot_write_keeps_marks_in_memory():
    store, notes = open_store(Path("/proc/digest-tui-test/marks.sqlite3"))
    assert store.path is None
    assert notes and notes[0].startswith("Marks will not be saved this session: /proc/")
    assert store.set_read("a", True).read


def _run(*argv: str) -> tuple[int, str, str]:
    """The command line as a user runs it: exit code, standard output, standard error."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def _import_and_back_up(content: bytes) -> None:
    """Any file: a one-line error (exit 2), or marks read with a line per bad entry; whatever
    was taken in can be exported again."""
    with tempfile.TemporaryDirectory() as folder:
        file, state = Path(folder) / "in.json", Path(folder) / "marks.sqlite3"
        file.write_bytes(content)
        MarkStore(state).close()
        code, out, err = _run("state", "import", str(file), "--state", str(state))
        if code == 2:
            assert out == "" and err.count("\n") == 1 and err.startswith(f"digest-tui: {file}:")
        else:
            summary = rf"Read \d+ marks? from {re.escape(str(file))}: \d+ papers? changed\n"
            assert re.fullmatch(summary, out)
            assert all(line.startswith(f"{file}: mark ") for line in err.splitlines())
            assert code == (1 if err else 0)
        code, out, err = _run("state", "export", "--state", str(state))
        assert code == 0 and err == "" and json.loads(out)["version"] == 2


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["\ud800", "2026-01-01T00:00:00Z", "0001-01-01T00:00:00+14:00", "9" * 30])
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
_MARK_FIELDS = {
    "id": st.sampled_from(["2401.00001", "2401.00002", " ", "\ud800x"]) | _JSON,
    "read": st.booleans() | _JSON,
    "starred": st.booleans() | _JSON,
    "read_at": _JSON,
    "starred_at": _JSON,
}
_MARKS = st.lists(st.fixed_dictionaries({}, optional=_MARK_FIELDS) | _JSON, max_size=6)
_DOCUMENT = st.fixed_dictionaries({}, optional={"version": _JSON, "marks": _MARKS})


@given(st.binary(max_size=300))
def test_importing_any_bytes_gives_a_message_never_a_traceback(content: bytes):
    _import_and_back_up(content)


@given(st.text(alphabet='[]{}",:0123456789.eE+-truefalsnNIiy \\u\n', max_size=300))
def test_importing_any_json_like_text_gives_a_message_never_a_traceback(text: str):
    _import_and_back_up(text.encode())


@given(_JSON | _MARKS | _DOCUMENT)
def test_importing_any_json_document_gives_a_message_never_a_traceback(document: object):
    _import_and_back_up(json.dumps(document).encode())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[" * 100_000, "not a marks file: nested too deeply"),
        (b"[" * 100_000 + b"]" * 100_000, "not a marks file: nested too deeply"),
        (b'{"marks": [{"id": ' * 100_000, "not a marks file: nested too deeply"),
        (b"1" * 5000, "not JSON: a number has too many digits"),
        (
            b'[{"id": "a", "read_at": ' + b"9" * 5000 + b"}]",
            "not JSON: a number has too many digits",
        ),
        ("[é]".encode("latin-1"), "not UTF-8 text (byte 2)"),
        (b'{"marks": {"id": "a"}}', 'not a marks file: expected {"version": 2, "marks": [...]}'),
        (b'"2401.00001"', 'not a marks file: expected {"version": 2, "marks": [...]}'),
        (b'{"version": 3, "marks": []}', "not a marks file this digest-tui reads (version 3)"),
    ],
    ids=["open", "closed", "in-marks", "number", "time", "latin-1", "object", "string", "v3"],
)
def test_an_unreadable_import_file_is_one_line_and_exit_2(tmp_path: Path, content, message):
    file = tmp_path / "marks.json"
    file.write_bytes(content)
    state = tmp_path / "marks.sqlite3"
    assert _run("state", "import", str(file), "--state", str(state)) == (
        2,
        "",
        f"digest-tui: {file}: {message}\n",
    )
    assert not state.exists()  # the state is not touched for a file that cannot be read


def test_import_lists_ids_and_times_it_cannot_use_and_merges_the_rest(tmp_path: Path):
    file = tmp_path / "marks.json"
    file.write_text(
        '[{"id": "a", "read": true, "read_at": NaN},'
        ' {"id": "b", "starred": true, "starred_at": Infinity},'
        ' {"id": "c", "starred": true, "starred_at": 1e300},'
        ' {"id": "d", "read": true, "read_at": "0001-01-01T00:00:00+14:00"},'
        ' {"id": "\\ud800", "read": true},'
        ' {"id": "e", "starred": true, "starred_at": "2026-01-01T00:00:00Z"}]'
    )
    state = tmp_path / "marks.sqlite3"
    code, out, err = _run("state", "import", str(file), "--state", str(state))
    assert (code, out) == (1, f"Read 1 mark from {file}: 1 paper changed\n")
    assert err.splitlines() == [
        f'{file}: mark 1: "read_at" is not a time in the years 1 to 9999: nan',
        f'{file}: mark 2: "starred_at" is not a time in the years 1 to 9999: inf',
        f'{file}: mark 3: "starred_at" is not a time in the years 1 to 9999: 1e+300',
        f'{file}: mark 4: "read_at" is not a time in the years 1 to 9999: '
        "'0001-01-01T00:00:00+14:00'",
        f'{file}: mark 5: "id" must be printable text',
    ]
    code, out, _ = _run("state", "export", "--state", str(state))
    assert code == 0
    assert json.loads(out)["marks"] == [
        {
            "id": "e",
            "read": False,
            "starred": True,
            "read_at": None,
            "starred_at": "2026-01-01T00:00:00.000000+00:00",
            "tags": [],
            "tags_at": None,
            "note": "",
            "note_at": None,
        }
    ]


@pytest.mark.parametrize("order", [[0, 1, 2], [2, 1, 0], [1, 2, 0]])
def test_the_same_paper_twice_in_one_file_keeps_its_later_change(tmp_path: Path, order):
    entries = [
        {"id": "a", "starred": True, "starred_at": "2026-01-02T00:00:00Z"},
        {"id": "a", "starred": False, "starred_at": "2026-01-01T00:00:00Z"},  # older un-star
        {"id": "a", "read": False, "read_at": "2026-01-03T00:00:00Z"},  # nothing to un-mark
    ]
    file = tmp_path / "marks.json"
    file.write_text(json.dumps([entries[n] for n in order]))
    state = tmp_path / "marks.sqlite3"
    assert _run("state", "import", str(file), "--state", str(state)) == (
        0,
        f"Read 3 marks from {file}: 1 paper changed\n",
        "",
    )
    assert json.loads(_run("state", "export", "--state", str(state))[1])["marks"] == [
        {
            "id": "a",
            "read": False,
            "starred": True,
            "read_at": "2026-01-03T00:00:00.000000+00:00",
            "starred_at": "2026-01-02T00:00:00.000000+00:00",
            "tags": [],
            "tags_at": None,
            "note": "",
            "note_at": None,
        }
    ]


_IDS = st.sampled_from(["a", "b"])
_TIMES = st.none() | st.sampled_from([100.0, 200.0, 300.0])
_RECORDS = st.lists(st.builds(MarkRecord, _IDS, st.booleans(), st.booleans(), _TIMES, _TIMES))


@given(_RECORDS.flatmap(lambda r: st.tuples(st.just(r), st.permutations(r))), _RECORDS)
def test_the_order_of_records_in_a_file_does_not_matter(files, mine):
    in_order, shuffled = files
    with tempfile.TemporaryDirectory() as folder:
        stores = [MarkStore(Path(folder) / "1.sqlite3"), MarkStore(Path(folder) / "2.sqlite3")]
        with mock.patch.object(time, "time", return_value=250.0):  # a mark without a time: now
            for store, records in zip(stores, (in_order, shuffled), strict=True):
                store.merge(mine)
                store.merge(records)
        assert stores[0].export() == stores[1].export()
        assert {i: stores[0].get(i) for i in "ab"} == {i: stores[1].get(i) for i in "ab"}
        for store in stores:
            store.close()


# A state file in use for a while: 3,000 papers read, every 7th starred; every 11th starred is
# un-starred again (its row kept with the time).
PAPERS = [f"2401.{n:05d}" for n in range(3000)]
STARRED = [i for n, i in enumerate(PAPERS) if n % 7 == 0]


def _marked(path: Path) -> dict[str, Mark]:
    """The marks it holds."""
    store = MarkStore(path)
    store.set_read_many(PAPERS, True)
    store.merge(MarkRecord(i, starred=True) for i in STARRED)
    store.merge(MarkRecord(i, starred=False, starred_at=time.time() + 1) for i in STARRED[::11])
    marks = {i: store.get(i) for i in PAPERS}
    store.close()
    assert sum(m.starred for m in marks.values()) == len(STARRED) - len(STARRED[::11])
    return marks


def _overwrite(path: Path, start: int, data: bytes) -> None:
    with path.open("r+b") as file:
        file.seek(start)
        file.write(data)


def _replace(path: Path) -> None:
    other = path.with_name("other")
    other.write_bytes(b"another program's file\n")
    other.replace(path)


PAGE = 4096
DAMAGE = {
    "cut short": lambda p: os.truncate(p, p.stat().st_size // 2),
    "zero-filled": lambda p: _overwrite(p, 0, bytes(p.stat().st_size)),
    "overwritten": lambda p: p.write_text('{"another": "program"}\n'),
    "replaced": _replace,
    "deleted": lambda p: p.unlink(),
    "garbage": lambda p: _overwrite(p, PAGE, b"\xa5" * (p.stat().st_size - PAGE)),
    "garbled pages": lambda p: _overwrite(p, p.stat().st_size // 2, b"\xa5" * 3 * PAGE),
    "emptied": lambda p: os.truncate(p, 0),
}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("cut short", "the file was cut short"),
        ("zero-filled", "the file is no longer an SQLite database"),
        ("overwritten", "the file is no longer an SQLite database"),
        ("replaced", "the file was replaced by another"),
        ("deleted", "the file was deleted"),
        ("garbage", "database disk image is malformed"),
    ],
)
def test_a_file_damaged_while_open_stops_saving_at_the_next_mark_and_says_so(
    tmp_path: Path, damage: str, reason: str
):
    path = tmp_path / "marks.sqlite3"
    _marked(path)
    store = MarkStore(path)
    if damage != "garbage":  # in use: its latest changes are in the WAL, where SQLite writes on
        store.toggle_star("2402.00001")  # without reading the damaged file again
    DAMAGE[damage](path)
    with pytest.raises(StateError) as raised:
        store.toggle_star("2402.00002")
    assert str(raised.value) == f"{path}: {reason}"
    assert store.is_starred("2402.00002")  # kept in memory
    left = _files(tmp_path)
    assert store.toggle_star("2402.00003").starred  # said once: no error again
    assert store.set_read_many(["2402.00004", PAPERS[0]], True) == ["2402.00004"]
    assert store.get("2402.00004") == Mark(read=True) and store.is_starred("2402.00002")
    assert _files(tmp_path) == left  # nothing more is written into the damaged file
    store.close()


@pytest.mark.parametrize(
    ("damage", "at_least"), [("cut short", 1000), ("garbled pages", 2500), ("zero-filled", 0)]
)
def test_a_damaged_file_is_moved_aside_and_every_readable_mark_recovered(
    tmp_path: Path, damage: str, at_least: int
):
    path = tmp_path / "marks.sqlite3"
    before = _marked(path)
    DAMAGE[damage](path)
    damaged = path.read_bytes()
    store, notes = open_store(path)
    [aside] = [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    assert aside.read_bytes() == damaged  # set aside as it was found, nothing written into it
    new = {path.name, f"{path.name}-wal", f"{path.name}-shm"}
    assert {p.name for p in tmp_path.iterdir()} - new == {aside.name}  # no other file made
    recovered = {i: m for i, m in store._marks.items()}
    assert all(before[i] == m for i, m in recovered.items())  # no mark that was not there
    assert len(recovered) >= at_least
    assert MarkStore(path)._marks == recovered  # saved in the new file
    if recovered:
        assert notes == [
            f"The state file could not be read ({path}: {_reason(damage)}). It was moved to "
            f"{aside}; the marks of {len(recovered):,} papers still readable in it were copied "
            f"to a new file at {path}."
        ]
    else:
        assert notes == [
            f"The state file could not be read ({path}: {_reason(damage)}). It was moved to "
            f"{aside} and a new one started at {path}; no marks could be read from it."
        ]


def _reason(damage: str) -> str:
    return (
        "not an SQLite database" if damage == "zero-filled" else "database disk image is malformed"
    )


def test_damaged_while_open_then_started_again_keeps_what_can_be_read(tmp_path: Path):
    """The story of issue 11: the file is cut short while a reader is open on it."""
    path = tmp_path / "marks.sqlite3"
    _marked(path)
    store = MarkStore(path)
    store.toggle_star(PAPERS[1])
    DAMAGE["cut short"](path)
    with pytest.raises(StateError, match="cut short"):
        store.toggle_star(PAPERS[2])
    store.close()
    store, notes = open_store(path)
    assert len(notes) == 1 and "papers still readable in it were copied" in notes[0]
    assert len(store.export()) > 1000
    code, out, err = _run("state", "export", "--state", str(path))
    assert (code, err) == (0, "")
    assert len(json.loads(out)["marks"]) == len(store.export())


def test_marks_only_in_the_wal_of_a_killed_reader_are_recovered(tmp_path: Path):
    path = tmp_path / "marks.sqlite3"
    _marked(path)
    store = MarkStore(path)
    new = [f"2402.{n:05d}" for n in range(20)]
    store.set_read_many(new, True)  # in the WAL only
    killed = tmp_path / "killed" / path.name  # the files as a kill -9 leaves them
    killed.parent.mkdir()
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{path}{suffix}", f"{killed}{suffix}")
    DAMAGE["cut short"](killed)
    store, notes = open_store(killed)
    assert len(notes) == 1 and "still readable in it were copied" in notes[0]
    assert all(store.is_read(i) for i in new)


@pytest.mark.parametrize(
    "damage", ["cut short", "garbled pages", "zero-filled", "overwritten", "emptied"]
)
def test_state_export_of_a_damaged_file_fails_and_keeps_the_last_backup(
    tmp_path: Path, damage: str
):
    path = tmp_path / "marks.sqlite3"
    _marked(path)
    DAMAGE[damage](path)
    backup = tmp_path / "backup.json"
    backup.write_text("yesterday's backup\n")
    before = _files(tmp_path)
    for where in ([str(backup)], []):
        code, out, err = _run("state", "export", *where, "--state", str(path))
        assert (code, out) == (2, "")
        assert err.startswith(f"digest-tui: {path}: ") and err.count("\n") == 1
        assert "; nothing was exported. Start digest-tui to set the file aside" in err
    assert _files(tmp_path) == before  # the backup and the damaged file as they were


def test_state_export_without_a_state_file_says_so(tmp_path: Path):
    path = tmp_path / "marks.sqlite3"
    code, out, err = _run("state", "export", "--state", str(path))
    assert (code, out) == (2, "")
    assert err == f"digest-tui: {path}: no such file (no marks saved yet); nothing was exported\n"
    assert not path.exists()


def test_state_export_of_a_newer_file_says_so(tmp_path: Path):
    path = tmp_path / "marks.sqlite3"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.close()
    assert _run("state", "export", "--state", str(path)) == (
        2,
        "",
        f"digest-tui: {path}: written by a newer digest-tui (schema v{SCHEMA_VERSION + 1}, "
        f"this one reads v{SCHEMA_VERSION}); nothing was exported\n",
    )


def test_state_import_where_marks_cannot_be_saved_fails(tmp_path: Path):
    file = tmp_path / "marks.json"
    file.write_text('[{"id": "a", "starred": true}]')
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    code, out, err = _run("state", "import", str(file), "--state", str(blocker / "m.sqlite3"))
    assert (code, out) == (2, "")
    assert err.endswith(
        f"digest-tui: {blocker / 'm.sqlite3'}: cannot be written; nothing was imported\n"
    )


@pytest.mark.parametrize(("damage", "said"), [("emptied", "empty"), ("deleted", "gone")])
def test_marks_left_only_in_the_wal_of_an_emptied_file_are_recovered(
    tmp_path: Path, damage: str, said: str
):
    """A state file cut to 0 bytes (or deleted) while a killed reader's WAL still holds every
    mark: SQLite would start an empty store and drop the WAL; the marks are rebuilt from it
    instead, and the marks from then on are saved."""
    path = tmp_path / "marks.sqlite3"
    killer = (
        "import os, sys; from pathlib import Path; from digest_tui.state import MarkStore; "
        "s = MarkStore(Path(sys.argv[1])); "
        "[s.set_starred(i, True) for i in ('2601.00001', '2601.00002')]; os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", killer, str(path)], check=True)
    assert Path(f"{path}-wal").stat().st_size > 0
    DAMAGE[damage](path)
    store, notes = open_store(path)
    assert len(notes) == 1 and f"the file is {said} but its write-ahead log holds marks" in notes[0]
    assert "the marks of 2 papers still readable in it were copied" in notes[0]
    assert store.starred_ids() == {"2601.00001", "2601.00002"}
    assert store.saves
    store.set_starred("2601.00003", True)
    store.close()
    again, notes = open_store(path)
    assert notes == [] and again.starred_ids() == {"2601.00001", "2601.00002", "2601.00003"}


def test_imported_ids_are_kept_without_version_as_the_digests_papers_are(tmp_path: Path):
    written = ["2601.15406v1", "arXiv:2601.15407", "https://arxiv.org/abs/2601.15408v3",
               "https://arxiv.org/pdf/2601.15409v2.pdf", "hep-th/9901001v2"]  # fmt: skip
    file = tmp_path / "marks.json"
    file.write_text(json.dumps([{"id": i, "starred": True} for i in written]))
    code, _, err = _run("state", "import", str(file), "--state", str(tmp_path / "s.db"))
    assert code == 0, err
    assert MarkStore(tmp_path / "s.db").starred_ids() == {
        "2601.15406", "2601.15407", "2601.15408", "2601.15409", "hep-th/9901001"
    }  # fmt: skip


def test_a_merge_reads_and_writes_the_file_under_one_lock(tmp_path: Path, monkeypatch):
    # Another reader's mark made while a merge runs is not overwritten by what the merge read
    # before it: the merge holds the write lock from its read to its write.
    path = tmp_path / "marks.sqlite3"
    store = MarkStore(path)
    store.set_read("2601.00001", True)
    other = sqlite3.connect(path, timeout=0.1, isolation_level=None)
    tried: list[str] = []
    exported = MarkStore.export

    def export_then_another_reader_writes(self: MarkStore) -> list[dict[str, object]]:
        rows = exported(self)
        try:
            other.execute("UPDATE marks SET starred = 1, starred_at = 5 WHERE id = '2601.00001'")
            tried.append("written")
        except sqlite3.OperationalError as error:
            tried.append(str(error))
        return rows

    monkeypatch.setattr(MarkStore, "export", export_then_another_reader_writes)
    store.merge([MarkRecord("2601.00002", read=True, read_at=1.0)])
    assert tried == ["database is locked"]
    other.close()
    store.close()


def test_the_starred_papers_follow_every_way_a_mark_changes(tmp_path: Path):
    # starred_ids (what For you learns from, asked at every paper shown) is kept as marks
    # change: by a key, by another reader of the file, by a merge, and as the file is opened.
    path = tmp_path / "marks.sqlite3"
    mine, other = MarkStore(path), MarkStore(path)
    mine.set_starred("2601.00001", True)
    mine.set_starred("2601.00002", True)
    mine.toggle_star("2601.00001")
    other.refresh()
    other.merge([MarkRecord("2601.00003", starred=True, starred_at=1.0)])
    other.set_read_many(["2601.00002"], True)  # read and starred: still starred
    mine.refresh()
    expected = {"2601.00002", "2601.00003"}
    assert mine.starred_ids() == other.starred_ids() == MarkStore(path).starred_ids() == expected
    assert mine.liked() == sorted(expected)
    for store in (mine, other):
        store.close()
