"""Your tags and notes: given in the reader (t, N), kept in the state file (merged between two
readers, exported and imported), searched (tag:, has:note, note:, and a note's words), listed
(a list per tag), and carried by the exports."""

from __future__ import annotations

import io
import json
from pathlib import Path

import bibtexparser
import rispy

from digest_tui.cli import main
from digest_tui.export import marks_of, write_bibtex, write_ris
from digest_tui.library import load_library
from digest_tui.state import MarkRecord, MarkStore, clean_tags, marks_document, parse_marks_document
from digest_tui.ui.app import make_app
from tests.conftest import workers_done
from tests.screen import region_text, screen_text, squash
from tests.test_app import started
from tests.test_places import _library

SIZE = (120, 40)


def test_tags_and_notes_are_kept_and_merged_by_the_later_change(tmp_path: Path):
    path = tmp_path / "marks.sqlite3"
    store = MarkStore(path)
    assert store.set_tags("2603.31001", ["#Reading group", "to-cite", "TO-CITE", " "]) == (
        "Reading-group",
        "to-cite",
    )
    store.set_note(
        "2603.31001", "\n\nCompare with **our** baseline.\nLater: ask Ada.  \x1b]0;x\x07"
    )
    other = MarkStore(path)  # a second reader of the same file
    assert other.tags("2603.31001") == ("Reading-group", "to-cite")
    assert other.note("2603.31001") == "Compare with **our** baseline.\nLater: ask Ada."
    store.set_tags("2603.31001", ["to-cite"])
    assert other.refresh() == {"2603.31001"}
    assert other.tags("2603.31001") == ("to-cite",)
    assert store.tag_counts() == {"to-cite": 1} and store.tagged("TO-CITE") == {"2603.31001"}
    # Merged: an older change elsewhere does not undo a newer one here; a newer one wins.
    older = MarkRecord("2603.31001", tags=("old",), tags_at=1.0, note="old", note_at=1.0)
    newer = MarkRecord("2603.31002", tags=("new",), tags_at=4e9, note="new note", note_at=4e9)
    assert store.merge([older, newer]) == ["2603.31002"]
    assert store.tags("2603.31001") == ("to-cite",) and store.tags("2603.31002") == ("new",)
    store.close()
    other.close()


def test_the_state_document_goes_out_and_back_the_same(tmp_path: Path):
    store = MarkStore(tmp_path / "a.sqlite3")
    store.set_starred("2603.31001", True)
    store.set_tags("2603.31001", ["to-cite"])
    store.set_note("2603.31002", "a note — 中文也行")
    document = marks_document(store.export())
    assert document["version"] == 2
    records, problems = parse_marks_document(json.loads(json.dumps(document)))
    assert problems == []
    elsewhere = MarkStore(tmp_path / "b.sqlite3")
    elsewhere.merge(records)
    assert marks_document(elsewhere.export()) == document
    # A version 1 document (marks only) still reads, and takes no tags away.
    old = {"version": 1, "marks": [{"id": "2603.31001", "read": True, "starred": False}]}
    elsewhere.merge(parse_marks_document(old)[0])
    assert elsewhere.tags("2603.31001") == ("to-cite",) and elsewhere.is_read("2603.31001")
    assert clean_tags(["a,b", "#c d"]) == ("a-b", "c-d")


async def test_t_and_n_in_the_reader_survive_a_restart_and_are_found(isolated_user_dirs, tmp_path):
    folder = _library(tmp_path / "digests")
    app = make_app([folder], MarkStore(isolated_user_dirs))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("j", "t")
        await pilot.pause()
        await pilot.press(*"reading-group, to-cite", "enter")
        await pilot.pause()
        assert squash("#reading-group #to-cite") in region_text(app, app.detail)
        await pilot.press("N")
        await pilot.pause()
        await pilot.press(*"Compare with the zebra baseline.", "escape")
        await workers_done(app)
        await pilot.pause()
        detail = region_text(app, app.detail)
        assert squash("Your note (N)") in detail and squash("zebra baseline") in detail
        screen = screen_text(app)
        assert "#reading-group" in screen and "#to-cite" in screen  # a list per tag
        line = next(row for row in screen.splitlines() if "│ #to-cite" in row)
        assert " ".join(line.split("││")[0].split()) == "│ #to-cite 1/1"  # unread/total
        await pilot.press("q")
    again = make_app([folder], MarkStore(isolated_user_dirs))
    async with again.run_test(size=SIZE) as pilot:
        await started(again, pilot)
        key = next(k for k in again.lists.keys if k == "tag:to-cite")
        again.navigation.choose_list(key)
        await workers_done(again)
        await pilot.pause()
        assert [p.id for p in again.paper_list.papers] == ["2603.31002"]
        for query in ("tag:reading-group", "has:note", "note:zebra", "zebra baseline"):
            await pilot.press("slash", *query, "enter")
            await workers_done(again)
            await pilot.pause(0.3)
            await workers_done(again)
            assert [p.id for p in again.paper_list.papers] == ["2603.31002"], query
            await pilot.press("escape")


def test_exports_carry_tags_and_notes(tmp_path: Path, capsys, isolated_user_dirs):
    folder = _library(tmp_path / "digests")
    store = MarkStore(isolated_user_dirs)
    store.set_tags("2603.31002", ["to-cite"])
    store.set_note("2603.31002", "Read the appendix.")
    store.close()
    assert main(["export", "--marks", "-q", "tag:to-cite", str(folder)]) == 0
    (record,) = map(json.loads, capsys.readouterr().out.splitlines())
    assert (record["tags"], record["note"]) == (["to-cite"], "Read the appendix.")
    library = load_library([folder])
    paper = next(p for p in library.papers if p.id == "2603.31002")
    marks = marks_of(library.days_of, MarkStore(isolated_user_dirs))
    out = io.StringIO()
    write_bibtex([paper], out, marks)
    (entry,) = bibtexparser.parse_string(out.getvalue()).entries
    assert entry["keywords"] == "cs.CV, to-cite" and entry["note"] == "Read the appendix."
    out = io.StringIO()
    write_ris([paper], out, marks)
    (ris,) = rispy.loads(out.getvalue())
    assert "to-cite" in ris["keywords"] and ris["notes"] == ["Read the appendix."]


def test_a_note_is_written_in_the_editor(tmp_path: Path, monkeypatch):
    from contextlib import nullcontext

    from digest_tui.ui.editor import edit_text

    class Terminal:  # the app's part edit_text uses: suspend the screen, say what failed
        said: list[str] = []

        def suspend(self):
            return nullcontext()

        def notify(self, message, **_):
            self.said.append(message)

    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nprintf 'and more.\\n' >> \"$1\"\n")
    editor.chmod(0o755)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor))
    assert edit_text(Terminal(), "A note ") == "A note and more.\n"
    monkeypatch.setenv("EDITOR", str(tmp_path / "no-such-editor"))
    assert edit_text(Terminal(), "A note") is None and "Could not run" in Terminal.said[-1]
    monkeypatch.delenv("EDITOR")
    assert edit_text(Terminal(), "A note") is None and "Set $EDITOR" in Terminal.said[-1]


def test_hostile_tags_and_notes_are_kept_harmless(tmp_path: Path):
    """A tag of quotes, a note with escapes or a lone surrogate, an older export: none
    breaks the reader, none writes to the terminal, none undoes a newer change."""
    store = MarkStore(tmp_path / "marks.sqlite3")
    assert store.set_tags("a", ['"', 'say"hi', "ML"]) == ("say-hi", "ML")
    assert store.set_tags("b", ["ml"]) == ("ML",)  # the spelling in use
    assert store.tag_counts() == {"ML": 2, "say-hi": 1}
    records, problems = parse_marks_document(
        {"version": 2, "marks": [{"id": "c", "note": "x\ud800"}, {"id": "d", "note": "ok\x1b[2J"}]}
    )
    assert problems == ['mark 1: "note" must be text (it holds a lone surrogate)']
    store.merge(records)
    assert store.note("d") == "ok"
    store.set_note("d", "newer")
    store.set_tags("d", ["x"])
    store.set_tags("d", [])  # removed, later than the export below
    old = MarkRecord("d", tags=("old",), tags_at=1.0, note="older", note_at=1.0)
    store.merge([old])  # an export from before: the later removal and note stay
    assert (store.tags("d"), store.note("d")) == ((), "newer")
    store.close()


async def test_a_quote_tag_does_not_stop_the_reader(isolated_user_dirs, tmp_path):
    store = MarkStore(isolated_user_dirs)
    store._remember_words("2603.31001", ('"',), "")  # (as a file written elsewhere could hold)
    app = make_app([_library(tmp_path / "digests")], store)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        assert "All days" in screen_text(app)


def test_a_damaged_file_gives_back_multi_line_notes_and_tags(tmp_path: Path):
    from digest_tui.state import _recover

    path = tmp_path / "marks.sqlite3"
    store = MarkStore(path)
    store.set_note("2603.31001", "line one\n\tline two")
    store.set_tags("2603.31001", ["to-cite"])
    store.close()
    (record,) = _recover(path)
    assert (record.note, record.tags) == ("line one\n\tline two", ("to-cite",))
