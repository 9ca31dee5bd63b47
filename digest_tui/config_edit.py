"""Changing the settings file (config.py reads it): the theme the reader picked, a source
subscribed to or dropped. Through tomlkit, which keeps the file's comments and layout; the new
file is read back, then put in place whole."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from digest_tui.config import _SOURCE_KEYS, EXAMPLE, _Bad, _NotText, _text_of, config_path
from digest_tui.places import write_whole
from digest_tui.sources import Source


def save_theme(name: str, path: Path | None = None) -> str | None:
    """Remember the theme in the settings file, keeping the rest of it as written. Returns
    why it could not, or None."""

    def themed(document: Any) -> None:
        document["theme"] = name

    return _edit(themed, "the theme was not saved in it", path)


def add_source(source: Source, path: Path | None = None) -> str | None:
    """Add a [[sources]] table to the settings file (comments and the rest kept as written);
    why it could not, or None."""
    import tomlkit

    def added(document: Any) -> None:
        table = tomlkit.table()
        table["repo"] = source.repo
        for key, default in _SOURCE_KEYS.items():
            if getattr(source, key) != default:
                table[key] = getattr(source, key)
        if "sources" not in document:
            document["sources"] = tomlkit.aot()
        elif not isinstance(document["sources"], tomlkit.items.AoT):
            raise _Bad("sources is not written as [[sources]] tables; edit it by hand")
        document["sources"].append(table)

    return _edit(added, "the source was not added", path)


def remove_source(repo: str, path: Path | None = None) -> str | None:
    """Take a source's [[sources]] tables out of the settings file; why it could not, or None."""

    def removed(document: Any) -> None:
        import tomlkit.items

        sources = document.get("sources")
        if not isinstance(sources, tomlkit.items.AoT):
            raise _Bad("sources is not written as [[sources]] tables; edit it by hand")
        for number in reversed(range(len(sources))):  # each table taken out where it is
            if sources[number].get("repo") == repo:
                del sources[number]
        if not len(sources):
            del document["sources"]

    return _edit(removed, "the source was not removed", path)


def _edit(change: Callable[[Any], None], failed: str, path: Path | None) -> str | None:
    """Change the settings file with tomlkit, which keeps its comments and layout, and put the
    new one in place whole. Returns why it could not (ending in `failed`), or None."""
    import tomlkit  # the TOML writer: only when the settings are written
    import tomlkit.exceptions

    path = path or config_path()
    try:
        text = _text_of(path.read_bytes()) if path.exists() else EXAMPLE
        document = tomlkit.parse(text)
        change(document)
        written = tomlkit.dumps(document)
        tomllib.loads(written)  # what is put in place reads back
        path.parent.mkdir(parents=True, exist_ok=True)
        write_whole(path, written.encode("utf-8"))
    except (tomlkit.exceptions.TOMLKitError, tomllib.TOMLDecodeError) as error:
        return f"{path} is not valid TOML ({error}), so {failed}"
    except _Bad as error:
        return f"{path}: {error}, so {failed}"
    except _NotText as error:
        return f"{path} is not a text file ({error}), so {failed}"
    except OSError as error:
        return f"cannot write {path}: {error.strerror or error}"
    return None
