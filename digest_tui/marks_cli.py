"""The command line of your marks and settings: `state export|import|path` (marks moved
between machines, or backed up) and `config path|edit` (digest_tui.cli hands these here)."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from digest_tui.cli import (
    EXIT_OK,
    EXIT_PROBLEMS,
    UsageError,
    require_readable,
    say,
    state_option,
)
from digest_tui.config import EXAMPLE, config_path, load_settings
from digest_tui.state import (
    CorruptState,
    MarkRecord,
    StateError,
    default_state_path,
    marks_document,
    open_store,
    parse_marks_document,
    read_marks,
)
from digest_tui.words import plural


def state_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digest-tui state",
        description="Move read and starred marks between machines, or back them up.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    export = commands.add_parser("export", help="write all marks as JSON (stdout without FILE)")
    export.add_argument("file", nargs="?", type=Path, metavar="FILE")
    state_option(export)
    merge = commands.add_parser(
        "import",
        help="merge marks from FILE: a mark set on either side stays set; "
        "an un-mark wins only when it is newer",
    )
    merge.add_argument("file", type=Path, metavar="FILE")
    state_option(merge)
    where = commands.add_parser("path", help="print where marks are stored")
    state_option(where)
    return parser


def config_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digest-tui config", description="Where the settings are, and editing them."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("path", help="print where the settings file is")
    commands.add_parser("edit", help="open it in $VISUAL or $EDITOR")
    return parser


def run_config(args: argparse.Namespace) -> int:
    path = config_path()
    if args.command == "path":
        say(path)
        return EXIT_OK
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    command = (
        shlex.split(editor)
        if editor
        else next(
            ([name] for name in ("sensible-editor", "nano", "vi") if shutil.which(name)), None
        )
    )
    if not command:
        raise UsageError(f"no editor: set $EDITOR, or edit {path} yourself")
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(EXAMPLE, encoding="utf-8")
        code = subprocess.call([*command, str(path)])
    except OSError as error:
        raise UsageError(f"{command[0]}: {error.strerror or error}") from error
    _, problems = load_settings(path)
    for problem in problems:
        say(problem, file=sys.stderr)
    return code or (EXIT_PROBLEMS if problems else EXIT_OK)


def run_state(args: argparse.Namespace) -> int:
    path = args.state or default_state_path()
    if args.command == "path":
        say(path)
        return EXIT_OK
    if args.command == "export":
        return _export_marks(path, args.file)
    return _import_marks(path, args.file)


def _export_marks(path: Path, file: Path | None) -> int:
    """Write every mark as JSON; never a backup of nothing from a file that cannot be read."""
    try:
        rows = read_marks(path)
    except CorruptState as error:
        raise UsageError(
            f"{error}; nothing was exported. Start digest-tui to set the file aside and "
            "recover the marks still readable in it."
        ) from None
    except StateError as error:
        raise UsageError(f"{error}; nothing was exported") from None
    text = json.dumps(marks_document(rows), ensure_ascii=False, indent=1) + "\n"
    if file is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        file.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"{file}: {error.strerror or error}") from error
    say(f"Wrote {plural(len(rows), 'mark')} to {file}", file=sys.stderr)
    return EXIT_OK


def _read_import(file: Path) -> tuple[list[MarkRecord], list[str]]:
    """The marks in an import file and its entries' problems; a file that cannot be read as a
    whole is one line (exit 2), whatever is in it."""
    require_readable([file])
    try:
        data = json.loads(file.read_bytes().decode("utf-8-sig"))
    except json.JSONDecodeError as error:
        raise UsageError(f"{file}:{error.lineno}: not JSON: {error.msg}") from None
    except UnicodeDecodeError as error:
        raise UsageError(f"{file}: not UTF-8 text (byte {error.start + 1})") from None
    except RecursionError:
        raise UsageError(f"{file}: not a marks file: nested too deeply") from None
    except ValueError:  # Python's limit on the digits of an integer
        raise UsageError(f"{file}: not JSON: a number has too many digits") from None
    except OSError as error:
        raise UsageError(f"{file}: {error.strerror or error}") from None
    try:
        return parse_marks_document(data)
    except ValueError as error:
        raise UsageError(f"{file}: {error}") from None


def _import_marks(path: Path, file: Path) -> int:
    records, problems = _read_import(file)
    store, notes = open_store(path)
    try:
        for note in notes:
            say(f"digest-tui: {note}", file=sys.stderr)
        if not store.saves:
            raise UsageError(f"{path}: cannot be written; nothing was imported")
        for problem in problems:
            say(f"{file}: {problem}", file=sys.stderr)
        changed = store.merge(records)
    except StateError as error:
        raise UsageError(f"{error}; nothing was imported") from None
    finally:
        store.close()
    marks, papers = plural(len(records), "mark"), plural(len(changed), "paper")
    say(f"Read {marks} from {file}: {papers} changed")
    return EXIT_PROBLEMS if problems else EXIT_OK
