"""The reader's settings: a TOML file in the user config folder (`digest-tui config path`).

A setting that cannot be used is reported with its key and line and left at its default; the
others still apply, and the reader still starts.
"""

from __future__ import annotations

import codecs
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import platformdirs

from digest_tui.library import DIGEST_SUFFIXES
from digest_tui.model import FIELDS
from digest_tui.places import user_file
from digest_tui.sources import REPO, Source

CONFIG_ENV = "DIGEST_TUI_CONFIG"
PANES = tuple(name for name, _ in FIELDS)

EXAMPLE = """\
# digest-tui settings. Every key is optional; `digest-tui config path` prints where this is.

# Folders of daily digests, read when digest-tui is started without paths, and watched: a new
# day's file appears in the reader without a restart.
# library = ["~/arxiv-digests"]

# theme = "nord"                  # or pick one with ctrl+p "theme" (remembered here)
# expanded = ["tldr"]             # panes open when a paper is shown: tldr, motivation, method,
#                                 # result, conclusion, abstract
# mark_read_on_open = true        # opening a paper marks it read: enter, o, O, n in the paper pane

# Highlighted everywhere, each a list of its own; filter = true shows only papers that match.
# keywords = ["diffusion", { word = "world model", filter = false }]
# authors = ["Yann LeCun", { name = "Kaiming He" }]

# [[searches]]
# name = "Agents, unread"
# query = "agent is:unread -survey"

# Pipelines' GitHub data branches to subscribe to (digest-tui subscribe OWNER/REPO adds one);
# their days are downloaded by digest-tui update, and by the reader as it starts.
# update_on_start = true
# [[sources]]
# repo = "dw-dengwei/daily-arXiv-ai-enhanced"
# branch = "data"                 # the default
# folder = "data"                 # the default: where the days are in the branch
# language = "Chinese"            # of DAY_AI_enhanced_NAME.jsonl (default: the first by name)

# [keymap]                        # binding id = keys (see ? in the reader for the ids)
# paper-star = "s,f8"             # a key that another binding has is not taken from it
#                                 # (the reader says so); ctrl+q always quits
"""


def config_path() -> Path:
    return user_file(CONFIG_ENV, platformdirs.user_config_dir, "config.toml")


@dataclass(frozen=True, slots=True)
class Keyword:
    """A word or an author to highlight, and to list; `filter` also hides the papers that
    match none of the filtering keywords."""

    text: str
    author: bool = False
    filter: bool = False

    @property
    def query(self) -> str:
        quoted = '"' + self.text.replace('"', " ") + '"'
        return f"author:{quoted}" if self.author else quoted

    @property
    def title(self) -> str:
        return f"{'@' if self.author else '#'}{self.text}"


@dataclass(frozen=True, slots=True)
class SavedSearch:
    name: str
    query: str


@dataclass(frozen=True, slots=True)
class Settings:
    library: tuple[Path, ...] = ()
    theme: str = ""
    expanded: tuple[str, ...] = ("tldr",)
    mark_read_on_open: bool = True
    keywords: tuple[Keyword, ...] = ()
    authors: tuple[Keyword, ...] = ()
    searches: tuple[SavedSearch, ...] = ()
    keymap: dict[str, str] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()
    update_on_start: bool = True

    @property
    def highlights(self) -> tuple[Keyword, ...]:
        return self.keywords + self.authors


class _Bad(ValueError):
    """A value that cannot be used: the message says what was expected; `item` and `part` say
    which table of an array and which key in it, for the line number."""

    def __init__(self, message: str, item: int = 0, part: str = "") -> None:
        super().__init__(message)
        self.item = item
        self.part = part


def load_settings(path: Path | None = None) -> tuple[Settings, list[str]]:
    """The settings in `path` (default: the user's file), and a message per problem in it."""
    path = path or config_path()
    try:
        text = _text_of(path.read_bytes())
    except FileNotFoundError:
        return Settings(), []
    except OSError as error:
        return Settings(), [f"{path}: cannot read: {error.strerror or error}"]
    except _NotText as error:
        line = f":{error.line}" if error.line else ""
        return Settings(), [f"{path}{line}: not a text file ({error}); using the defaults"]
    try:
        data = tomllib.loads(text)
    except (ValueError, RecursionError) as error:  # RecursionError: arrays nested thousands deep
        line = re.search(r"line (\d+)", str(error))
        where = f"{path}:{line.group(1)}" if line else str(path)
        return Settings(), [f"{where}: not valid TOML ({error}); using the defaults"]
    settings, problems = Settings(), []
    for key, value in data.items():
        reader = _READERS.get(key)
        try:
            if reader is None:
                raise _Bad(f"unknown setting (known: {', '.join(sorted(_READERS))})")
            settings = replace(settings, **{key: reader(value)})
        except _Bad as error:
            line = _line_of(text, key, error.item, error.part)
            problems.append(f"{path}:{line}: {key}: {error}")
    for name in settings.keymap:  # keymap entries are checked against the bindings later
        if not isinstance(settings.keymap[name], str):
            problems.append(f"{path}:{_line_of(text, name)}: keymap.{name}: keys must be a string")
    library, wrong = _readable(settings.library)
    problems += [f"{path}:{_line_of(text, 'library')}: library: {problem}" for problem in wrong]
    settings = replace(
        settings,
        library=library,
        keymap={k: v for k, v in settings.keymap.items() if isinstance(v, str)},
    )
    return settings, problems


class _NotText(ValueError):
    """Bytes that are not UTF-8 text; `line` is where (0: the whole file)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


def _text_of(data: bytes) -> str:
    """The text of a settings file: UTF-8 (a BOM is allowed) without NUL characters."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _NotText("UTF-16; save it as UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise _NotText(f"byte 0x{data[error.start]:02x} is not UTF-8", line) from None
    if "\0" in text:  # binary, or UTF-16 without a BOM
        line = text.count("\n", 0, text.index("\0")) + 1
        raise _NotText("a NUL character: binary, or UTF-16; save it as UTF-8", line)
    return text


def _readable(library: tuple[Path, ...]) -> tuple[tuple[Path, ...], list[str]]:
    """The library paths worth reading (`~` expanded), and what is wrong with the others: a file
    is read only if it is a digest (a library of one day)."""
    paths, problems = [], []
    for path in library:
        try:
            path = path.expanduser()
        except RuntimeError:  # `~name` of no such user
            problems.append(f"{path}: no such home folder")
            continue
        if path.is_file() and path.suffix.lower() not in DIGEST_SUFFIXES:
            problems.append(
                f"{path} is a file, not a folder of digests (nor a .md or .jsonl digest)"
            )
            continue
        paths.append(path)
    return tuple(paths), problems


def location(key: str, part: str = "", path: Path | None = None) -> str:
    """`FILE:LINE` of a key of the settings file, for a message about it."""
    path = path or config_path()
    try:
        text = _text_of(path.read_bytes())
    except (OSError, _NotText):
        return str(path)
    return f"{path}:{_line_of(text, key, 0, part)}"


def _line_of(text: str, key: str, item: int = 0, part: str = "") -> int:
    """The line where `key` is set or its table starts (the `item`th, for an array of tables),
    or where `part` is set after that: for messages, so a best guess."""
    start = 0
    for name in (key, part) if part else (key,):
        quoted = rf"[\"']?{re.escape(name)}[\"']?"
        pattern = re.compile(rf"^[ \t]*(?:\[+[ \t]*)?{quoted}[ \t]*(?:=|\]+)", re.M)
        matches = list(pattern.finditer(text, start))
        if not matches:
            break
        start = matches[min(item, len(matches) - 1) if name == key else 0].start()
    return text.count("\n", 0, start) + 1


def _strings(value: Any, what: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Bad(f"expected {what} or a list of them")
    return value


def _library(value: Any) -> tuple[Path, ...]:
    return tuple(Path(p) for p in _strings(value, "a folder"))


def _theme(value: Any) -> str:
    if not isinstance(value, str):
        raise _Bad("expected a theme name in quotes")
    return value


def _expanded(value: Any) -> tuple[str, ...]:
    names = _strings(value, "a pane name")
    unknown = [n for n in names if n not in PANES]
    if unknown:
        raise _Bad(f"unknown pane {unknown[0]!r} (panes: {', '.join(PANES)})")
    return tuple(names)


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Bad("expected true or false")
    return value


def _keywords(value: Any, *, author: bool = False) -> tuple[Keyword, ...]:
    name = "name" if author else "word"
    if not isinstance(value, list):
        raise _Bad(f'expected a list of {name}s or {{ {name} = "…", filter = true }} tables')
    found = []
    for item in value:
        if isinstance(item, dict):
            text, wanted = item.get(name), item.get("filter", False)
            extra = set(item) - {name, "filter"}
            if not isinstance(text, str) or not isinstance(wanted, bool) or extra:
                raise _Bad(f'each table needs {name} = "…" and may have filter = true|false')
            item = Keyword(text, author, wanted)
        elif isinstance(item, str):
            item = Keyword(item, author)
        else:
            raise _Bad(f"expected a {name} in quotes, not {item!r}")
        if item.text.strip():
            found.append(item)
    return tuple(found)


def _searches(value: Any) -> tuple[SavedSearch, ...]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise _Bad('expected [[searches]] tables with name = "…" and query = "…"')
    found = []
    for number, item in enumerate(value):
        name, query = item.get("name"), item.get("query")
        if not isinstance(name, str) or not isinstance(query, str) or not name.strip():
            raise _Bad('each [[searches]] needs name = "…" and query = "…"', number)
        from digest_tui.query import QueryError, parse_query  # only for settings with searches

        try:
            parse_query(query)
        except QueryError as error:
            raise _Bad(f"{name!r}: {error}", number, "query") from None
        found.append(SavedSearch(name.strip(), query))
    return tuple(found)


def _sources(value: Any) -> tuple[Source, ...]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise _Bad('expected [[sources]] tables with repo = "OWNER/REPO"')
    found: dict[str, Source] = {}
    for number, item in enumerate(value):
        repo = item.get("repo")
        if not isinstance(repo, str) or REPO.fullmatch(repo) is None:
            raise _Bad('each [[sources]] needs repo = "OWNER/REPO"', number, "repo")
        text = {key: item.get(key, default) for key, default in _SOURCE_KEYS.items()}
        wrong = [key for key, v in text.items() if not isinstance(v, str)] + sorted(
            set(item) - {"repo", *_SOURCE_KEYS}
        )
        if wrong:
            raise _Bad(f"{repo}: {wrong[0]} is not a text setting of a source", number, wrong[0])
        found.setdefault(repo, Source(repo, **text))
    return tuple(found.values())


_SOURCE_KEYS = {"branch": "data", "folder": "data", "language": ""}


def _keymap(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _Bad('expected a [keymap] table of binding-id = "keys"')
    return dict(value)


_READERS: dict[str, Callable[[Any], Any]] = {
    "library": _library,
    "theme": _theme,
    "expanded": _expanded,
    "mark_read_on_open": _flag,
    "keywords": _keywords,
    "authors": lambda value: _keywords(value, author=True),
    "searches": _searches,
    "keymap": _keymap,
    "sources": _sources,
    "update_on_start": _flag,
}
