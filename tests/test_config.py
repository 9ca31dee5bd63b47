"""The settings file: read, reported when wrong (key and line), edited, the theme saved."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from digest_tui.cli import main
from digest_tui.config import (
    _READERS,
    EXAMPLE,
    Keyword,
    SavedSearch,
    Settings,
    config_path,
    load_settings,
)
from digest_tui.config_edit import save_theme
from tests.conftest import write

GOOD = """\
# my settings
library = ["~/digests", "/srv/more"]
theme = "nord"
expanded = ["tldr", "abstract"]
mark_read_on_open = false
keywords = ["diffusion", { word = "world model", filter = true }]
authors = ["Yann LeCun"]

[[searches]]
name = "Agents"
query = "agent -survey is:unread"

[keymap]
paper-star = "z"
"""


def test_every_setting_is_read(tmp_path: Path):
    settings, problems = load_settings(write(tmp_path / "c.toml", GOOD))
    assert problems == []
    assert settings.library == (Path("~/digests").expanduser(), Path("/srv/more"))
    assert settings.theme == "nord"
    assert settings.expanded == ("tldr", "abstract")
    assert settings.mark_read_on_open is False
    assert settings.keywords == (Keyword("diffusion"), Keyword("world model", filter=True))
    assert settings.authors == (Keyword("Yann LeCun", author=True),)
    assert settings.searches == (SavedSearch("Agents", "agent -survey is:unread"),)
    assert settings.keymap == {"paper-star": "z"}
    assert [k.query for k in settings.highlights] == [
        '"diffusion"',
        '"world model"',
        'author:"Yann LeCun"',
    ]


def test_the_example_is_valid_and_sets_nothing(tmp_path: Path):
    settings, problems = load_settings(write(tmp_path / "c.toml", EXAMPLE))
    assert problems == []
    assert settings == load_settings(tmp_path / "missing.toml")[0]


def test_a_bad_value_names_its_key_and_line_and_the_rest_applies(tmp_path: Path):
    text = GOOD.replace('theme = "nord"', "theme = 3").replace(
        'query = "agent -survey is:unread"', 'query = "agent is:maybe"'
    )
    path = write(tmp_path / "c.toml", 'colour = "red"\n' + text)
    settings, problems = load_settings(path)
    assert problems[0].startswith(f"{path}:1: colour: unknown setting (known: authors, ")
    assert problems[1] == f"{path}:4: theme: expected a theme name in quotes"
    assert problems[2] == (
        f"{path}:12: searches: 'Agents': is: takes read, unread, starred, not 'maybe' (column 7)"
    )
    assert len(problems) == 3
    assert settings.theme == "" and settings.searches == ()  # defaults where wrong
    assert settings.mark_read_on_open is False and settings.keymap == {"paper-star": "z"}


def test_a_file_that_is_not_toml_gives_its_line_and_the_defaults(tmp_path: Path):
    path = write(tmp_path / "c.toml", 'theme = "nord"\nkeywords = [\n"x",, ]\n')
    settings, problems = load_settings(path)
    assert settings.theme == ""
    assert len(problems) == 1 and problems[0].startswith(f"{path}:3: not valid TOML")


def test_unknown_panes_and_wrong_keyword_tables_are_reported(tmp_path: Path):
    path = write(
        tmp_path / "c.toml",
        'expanded = ["tldr", "summary"]\nkeywords = [{ word = "x", filtre = true }]\n',
    )
    settings, problems = load_settings(path)
    assert problems[0] == (
        f"{path}:1: expanded: unknown pane 'summary' "
        "(panes: tldr, motivation, method, result, conclusion, abstract)"
    )
    assert problems[1].startswith(f"{path}:2: keywords: each table needs word")
    assert settings.expanded == ("tldr",) and settings.keywords == ()


def test_saving_the_theme_keeps_the_rest_as_written(tmp_path: Path):
    path = write(tmp_path / "c.toml", GOOD)
    assert save_theme("dracula", path) is None
    text = path.read_text(encoding="utf-8")
    assert 'theme = "dracula"' in text and "# my settings" in text
    assert load_settings(path)[0].keymap == {"paper-star": "z"}
    broken = write(tmp_path / "broken.toml", "theme = [\n")
    assert "not valid TOML" in (save_theme("nord", broken) or "")
    assert broken.read_text(encoding="utf-8") == "theme = [\n"  # never overwritten
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    assert "is not a text file (UTF-16" in (save_theme("nord", binary) or "")
    assert binary.read_bytes() == b"\xff\xfe\x00"
    new = tmp_path / "new" / "c.toml"
    assert save_theme("nord", new) is None
    assert load_settings(new) == (load_settings(new)[0], [])
    assert load_settings(new)[0].theme == "nord"


def test_config_path_and_edit(tmp_path: Path, capsys, monkeypatch):
    assert main(["config", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(config_path())
    assert str(config_path()).startswith(os.environ["XDG_CONFIG_HOME"])
    editor = write(tmp_path / "editor.sh", '#!/bin/sh\necho \'theme = "nord"\' >> "$1"\n')
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", f"/bin/sh {editor}")
    monkeypatch.delenv("VISUAL", raising=False)
    assert main(["config", "edit"]) == 0
    text = config_path().read_text(encoding="utf-8")
    assert text.startswith(EXAMPLE)  # a new file starts from the commented example
    assert load_settings()[0].theme == "nord"
    monkeypatch.setenv("EDITOR", '/bin/sh -c \'echo "mark_read_on_open = 1" >> "$0"\'')
    assert main(["config", "edit"]) == 1  # what the editor left is checked, and said
    assert "mark_read_on_open: expected true or false" in capsys.readouterr().err


def test_without_paths_the_library_folders_of_the_settings_are_read(tmp_path: Path, capsys):
    from tests.conftest import digest_md, paper_md

    write(tmp_path / "lib" / "2026-03-01.md", digest_md({"cs.CV": [paper_md(1, "2603.00009")]}))
    write(config_path(), f'library = ["{tmp_path / "lib"}", "{tmp_path / "missing"}"]\n')
    assert main(["export", "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert len(rows) == 2 and rows[1].startswith("2603.00009,2026-03-01,")


def test_a_file_that_is_not_text_is_said_with_its_line_and_the_defaults(tmp_path: Path):
    cases = {
        "utf16.toml": ('theme = "nord"\n'.encode("utf-16"), "", "UTF-16"),
        "utf16-no-bom.toml": ('theme = "nord"\n'.encode("utf-16-le"), ":1", "NUL"),
        "nul.toml": (b'theme = "nord"\n\nt\x00heme = "x"\n', ":3", "NUL"),
        "latin1.toml": ('theme = "nord"\n# caf\xe9\n'.encode("latin-1"), ":2", "0xe9"),
        "random.toml": (bytes(range(256)) * 2, ":2", "byte 0x80 is not UTF-8"),
    }
    for name, (data, line, why) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        settings, problems = load_settings(path)
        assert settings == Settings(), name
        assert len(problems) == 1, name
        assert problems[0].startswith(f"{path}{line}: not a text file ("), problems[0]
        assert why in problems[0] and problems[0].endswith("; using the defaults"), problems[0]


def test_a_utf8_bom_is_fine(tmp_path: Path):
    path = tmp_path / "c.toml"
    path.write_bytes(b'\xef\xbb\xbftheme = "nord"\n')
    assert load_settings(path) == (Settings(theme="nord"), [])


def test_toml_the_parser_cannot_take_is_said_not_raised(tmp_path: Path):
    cases = {
        "a = " + "[" * 5000: ": not valid TOML (",  # nested past Python's recursion limit
        "a = " + "1" * 5000: ": not valid TOML (",  # past Python's limit of digits
        'library = ["~no-such-user-0/x"]': ":1: library: ~no-such-user-0/x: no such home folder",
    }
    for text, problem in cases.items():
        path = write(tmp_path / "c.toml", text)
        assert load_settings(path)[1][0].startswith(f"{path}{problem}")


def test_a_library_file_that_is_not_a_digest_is_said_with_its_line(tmp_path: Path):
    notes = write(tmp_path / "notes.txt", "hello\n")
    digest = write(tmp_path / "2026-03-01.md", "# a digest\n")
    folder = tmp_path / "digests"
    folder.mkdir()
    text = f'theme = "nord"\nlibrary = ["{notes}", "{digest}",\n "{folder}"]\n'
    settings, problems = load_settings(write(tmp_path / "c.toml", text))
    assert problems == [
        f"{tmp_path / 'c.toml'}:2: library: {notes} is a file, not a folder of digests "
        "(nor a .md or .jsonl digest)"
    ]
    assert settings.library == (digest, folder)  # a digest file is a library of one day


@given(st.binary(max_size=300))
def test_any_bytes_give_settings_and_problems_that_name_the_file(data: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.toml"
        path.write_bytes(data)
        settings, problems = load_settings(path)
    assert isinstance(settings, Settings)
    assert all(problem.startswith(f"{path}:") for problem in problems)


def _toml(value: object) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(map(_toml, value)) + "]"
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


_VALUES = st.recursive(
    st.text(max_size=12)
    | st.sampled_from(["~", "~no-such-user-0/x", "/", "tldr", "is:read", "s,f", "q"])
    | st.integers()
    | st.booleans(),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["word", "name", "filter", "query", "x"]), inner, max_size=3
        )
    ),
    max_leaves=6,
)
_DOCUMENTS = st.builds(
    lambda settings, keymap, tail: "\n".join(
        [*(f"{key} = {_toml(value)}" for key, value in settings.items()), "[keymap]"]
        + [f"{key} = {_toml(value)}" for key, value in keymap.items()]
        + [tail]
    ),
    st.dictionaries(st.sampled_from([*_READERS, "x"]), _VALUES, max_size=5),
    st.dictionaries(st.sampled_from(["paper-star", "app-quit", "x"]), _VALUES, max_size=3),
    st.just("") | st.text(max_size=10),
)


@given(_DOCUMENTS)
def test_any_settings_give_settings_and_problems_that_name_the_file(text: str):
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder) / "config.toml", text)
        settings, problems = load_settings(path)
    assert isinstance(settings, Settings)
    assert all(problem.startswith(f"{path}:") for problem in problems)
    assert all(isinstance(keys, str) for keys in settings.keymap.values())
