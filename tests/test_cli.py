from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from digest_tui import __version__
from digest_tui.cli import main
from digest_tui.state import MarkStore
from tests.conftest import SEED_A, SEED_B, digest_md, paper_md, write

EXPORT_KEYS = [
    "id",
    "title",
    "authors",
    "category",
    "tldr",
    "motivation",
    "method",
    "result",
    "conclusion",
    "abstract",
    "url",
    "pdf",
    "source",
]


def test_check_clean_seeds_reports_categories_and_exits_0(capsys: pytest.CaptureFixture[str]):
    assert main(["check", str(SEED_A), str(SEED_B)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{SEED_A.stem}: 36 papers (cs.CV 6, cs.LG 22, cs.AI 4, cs.CL 4) [{SEED_A}]",
        f"{SEED_B.stem}: 36 papers (cs.CV 12, cs.LG 11, cs.AI 7, cs.CL 4, cs.RO 2) [{SEED_B}]",
        "2 days, 2 files, 72 papers, 0 problems, 0 notes",
    ]


def test_check_reports_each_problem_as_file_line_message(tmp_path: Path, capsys):
    text = digest_md({"cs.CV": [paper_md(1, "2401.00001")]}, totals={"cs.CV": 3})
    path = write(tmp_path / "day.md", text)
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:5: table of contents says cs.CV has 3 papers, the section has 1" in out
    assert "1 day, 1 file, 1 paper, 1 problem, 0 notes" in out


def test_missing_path_is_one_line_and_exit_2(tmp_path: Path, capsys):
    missing = tmp_path / "nope.md"
    for argv in (["check", str(missing)], [str(missing)], ["export", str(missing)]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err == f"digest-tui: {missing}: no such file or folder\n"


def test_export_jsonl_has_every_key_for_every_paper(capsys):
    assert main(["export", "--format", "jsonl", str(SEED_A)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 36
    assert all(list(record) == EXPORT_KEYS for record in records)
    first = records[0]
    assert first["id"] == "2602.03039"
    assert first["authors"] == ["Geonhui Son", "Jeong Ryong Lee", "Dosik Hwang"]
    assert first["source"] == f"{SEED_A}:15"
    assert first["pdf"] == "https://arxiv.org/pdf/2602.03039"


def test_export_starred_uses_the_state_file(tmp_path: Path, capsys):
    state = tmp_path / "marks.db"
    store = MarkStore(state)
    store.toggle_star("2602.03039")
    store.toggle_star("2602.03230")
    store.close()
    assert main(["export", "--starred", "--state", str(state)]) == 0  # no PATH: the seeds
    ids = [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()]
    assert ids == ["2602.03039", "2602.03230"]


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"digest-tui {__version__}"
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "digest-tui check PATH" in out and "--state FILE" in out


def test_module_and_console_script_run():
    python_m = subprocess.run(
        [sys.executable, "-m", "digest_tui", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert python_m.stdout.strip() == f"digest-tui {__version__}"
    script = Path(sys.executable).with_name("digest-tui")
    if not script.exists():
        pytest.skip(f"digest-tui is not installed next to {sys.executable}")
    checked = subprocess.run([script, "check", str(SEED_A)], capture_output=True, text=True)
    assert checked.returncode == 0
    assert checked.stdout.endswith("1 day, 1 file, 36 papers, 0 problems, 0 notes\n")
    assert checked.stderr == ""


def test_core_does_not_import_textual():
    code = (
        "import sys\n"
        "import digest_tui.cli, digest_tui.library, digest_tui.lists, digest_tui.state\n"
        "import digest_tui.export, digest_tui.render, digest_tui.parse, digest_tui.query\n"
        "import digest_tui.index, digest_tui.config, digest_tui.latex, digest_tui.places\n"
        "import digest_tui.wrap\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'textual'], 'textual imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_state_export_to_stdout_and_file_then_import_elsewhere(tmp_path: Path, capsys):
    here, there = tmp_path / "here.db", tmp_path / "there.db"
    store = MarkStore(here)
    store.toggle_star("2602.03039")
    store.set_read("2602.03230", True)
    store.close()
    assert main(["state", "export", "--state", str(here)]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["version"] == 2
    assert [(m["id"], m["read"], m["starred"]) for m in document["marks"]] == [
        ("2602.03039", False, True),
        ("2602.03230", True, False),
    ]
    assert set(document["marks"][0]) == {
        *("id", "read", "starred", "read_at", "starred_at"),
        *("tags", "tags_at", "note", "note_at"),
    }
    backup = tmp_path / "marks.json"
    assert main(["state", "export", str(backup), "--state", str(here)]) == 0
    assert json.loads(backup.read_text()) == document
    assert main(["state", "import", str(backup), "--state", str(there)]) == 0
    assert capsys.readouterr().out == f"Read 2 marks from {backup}: 2 papers changed\n"
    moved = MarkStore(there)
    assert moved.is_starred("2602.03039") and moved.is_read("2602.03230")
    assert main(["state", "import", str(backup), "--state", str(there)]) == 0
    assert capsys.readouterr().out.endswith(": 0 papers changed\n")


def test_state_import_reports_bad_input_with_file_and_line(tmp_path: Path, capsys):
    state = tmp_path / "s.db"
    broken = write(tmp_path / "broken.json", '{"version": 1,\n "marks": [oops]}')
    assert main(["state", "import", str(broken), "--state", str(state)]) == 2
    assert capsys.readouterr().err.startswith(f"digest-tui: {broken}:2: not JSON")
    partly = write(tmp_path / "partly.json", '[{"id": "a", "starred": true}, {"id": 5}]')
    assert main(["state", "import", str(partly), "--state", str(state)]) == 1
    captured = capsys.readouterr()
    assert captured.err == f'{partly}: mark 2: "id" must be a non-empty string\n'
    assert captured.out == f"Read 1 mark from {partly}: 1 paper changed\n"
    assert MarkStore(state).is_starred("a")
    assert main(["state", "import", str(tmp_path / "none.json"), "--state", str(state)]) == 2


def test_state_path_prints_the_location(capsys, isolated_user_dirs: Path):
    assert main(["state", "path"]) == 0
    assert capsys.readouterr().out == f"{isolated_user_dirs}\n"


def test_check_a_folder_of_days_with_notes_and_problems(tmp_path: Path, capsys):
    failed = {"TL;DR": "Summary generation failed"}
    write(
        tmp_path / "2026-03-10.md", digest_md({"cs.CV": [paper_md(1, "2603.00001", fields=failed)]})
    )
    write(
        tmp_path / "2026-03-11.md",
        digest_md({"quant-ph": [paper_md(1, "2603.00002", section="quant-ph")]}),
    )
    write(
        tmp_path / "2026-03-11_AI_enhanced_English.jsonl",
        '{"id": "2603.00003", "title": "J"}\n{oops\n',
    )
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    jsonl = tmp_path / "2026-03-11_AI_enhanced_English.jsonl"
    assert out == [
        f"2026-03-11: 1 paper (Uncategorised 1) [{jsonl}]",
        f"{jsonl}:2: invalid JSON: Expecting property name enclosed in double quotes",
        f"2026-03-10: 1 paper (cs.CV 1) [{tmp_path / '2026-03-10.md'}]",
        "note: 2026-03-10: 1 paper with failed summaries (1 field)",
        "2 days, 2 files, 2 papers, 1 problem, 1 note",
    ]
    (tmp_path / "2026-03-11_AI_enhanced_English.jsonl").unlink()
    assert main(["check", str(tmp_path)]) == 0  # notes alone do not fail a check
    assert capsys.readouterr().out.endswith("2 days, 2 files, 2 papers, 0 problems, 1 note\n")


def test_check_without_path_checks_the_library_the_reader_opens(
    tmp_path: Path, capsys, isolated_user_dirs
):
    assert main(["check"]) == 0  # no settings: the bundled seeds, as the reader opens
    assert capsys.readouterr().out.endswith("2 days, 2 files, 72 papers, 0 problems, 0 notes\n")
    library = tmp_path / "library"
    day = write(library / "2026-03-10.md", digest_md({"cs.CV": [paper_md(1, "2603.00001")]}))
    config = tmp_path / "xdg_config_home" / "digest-tui" / "config.toml"
    write(config, f'library = ["{library}"]\n')
    assert main(["check"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"2026-03-10: 1 paper (cs.CV 1) [{day}]",
        "1 day, 1 file, 1 paper, 0 problems, 0 notes",
    ]


def test_check_reads_with_the_readers_loader_and_prints_each_problem_once(tmp_path: Path, capsys):
    """Problems of a file, of the library (the same paper twice on one day, in two files) and
    of unreadable files are each printed once, under their file; an unreadable file exits 2."""
    write(tmp_path / "a" / "2026-03-10.md", digest_md({"cs.CV": [paper_md(1, "2603.00001")]}))
    b = write(
        tmp_path / "b" / "2026-03-10.md",
        digest_md({"cs.CV": [paper_md(1, "2603.00001")]}, totals={"cs.CV": 2}),
    )
    unreadable = tmp_path / "c" / "2026-03-09.md"
    unreadable.parent.mkdir()
    unreadable.symlink_to("/proc/self/mem")  # a file that fails to read, even for root
    code = main(["check", str(tmp_path)])
    out = capsys.readouterr().out.splitlines()
    assert code == 2
    assert out[2:4] == [
        f"{b}:5: table of contents says cs.CV has 2 papers, the section has 1",
        f"{b}:12: paper 2603.00001 appears again on 2026-03-10 "
        f"(first at {tmp_path / 'a' / '2026-03-10.md'}:12); kept once",
    ]
    assert sum("appears again" in line for line in out) == 1
    assert out[-2].startswith(f"{unreadable}: cannot read: ")
    assert out[-1] == "1 day, 3 files, 1 paper, 3 problems, 0 notes"
