"""The keymap of the settings, checked before it is applied, so that no binding silently loses
its key.

Textual looks a key up in the focused widget's bindings first, then in the screen's and the
app's (the app's priority bindings, ctrl+q to quit and ctrl+p for the palette, before all of
them). So two bindings clash when they share a key and are active together: both in the app,
or one in the app and one in the widget that has the focus (the paper list, the paper pane, the
days and lists, the search bar). A key the settings give a binding is not used, and is said,
when another binding active with it has that key, or when Textual never reports such a key
(`Ctrl+F`: keys are named in lower case); a binding left without keys keeps its own. The
defaults never clash, so every documented key keeps working, and ctrl+q always quits.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.keys import REPLACED_KEYS, Keys, key_to_character
from textual.screen import Screen
from textual.widgets import Input

from digest_tui.ui.widgets.counted_list import CountedList
from digest_tui.ui.widgets.paper_detail import PANE_BINDINGS, PaperDetail
from digest_tui.ui.widgets.paper_list import PaperList
from digest_tui.ui.widgets.search_bar import SearchBar

# The reader's own keys (the app's bindings; the paper list, the paper pane and the days and
# lists have theirs): the ids are what the settings' keymap names.
READER_BINDINGS = [
    Binding("q", "quit", "Quit", id="app-quit"),
    Binding("question_mark", "help", "Help", id="app-help"),
    Binding("tab", "focus_next", "Next pane", show=False, id="app-next-pane"),
    Binding("shift+tab", "focus_previous", "Previous pane", show=False, id="app-prev-pane"),
    Binding("space,r", "toggle_read", "Read", id="paper-read"),
    Binding("s", "toggle_star", "Star", id="paper-star"),
    Binding("n", "next_unread", "Next unread", id="paper-next-unread"),
    Binding("p", "previous_unread", "Prev unread", show=False, id="paper-prev-unread"),
    Binding("slash", "search", "Search", id="list-search"),
    Binding("left_square_bracket", "day(1)", "Older day", show=False, id="day-older"),
    Binding("right_square_bracket", "day(-1)", "Newer day", show=False, id="day-newer"),
    Binding("e", "expand_all", "Expand all", id="detail-expand-all"),
    Binding("z", "zoom", "Paper full screen", id="paper-zoom"),
    Binding("b", "toggle_sidebar", "Days and lists", show=False, id="app-sidebar"),
    Binding("o", "paper('open_browser')", "Open in browser", id="paper-open-browser"),
    Binding("O", "paper('open_pdf')", "Open the PDF", show=False, id="paper-open-pdf"),
    Binding("t", "paper('tag')", "Tag", show=False, id="paper-tag"),
    Binding("N", "paper('note')", "Note", show=False, id="paper-note"),
    Binding("c", "paper('open_code')", "Open the code", show=False, id="paper-open-code"),
    Binding("l", "paper('pick_link')", "Every link of the paper", show=False, id="paper-links"),
    Binding("y", "paper('copy_link')", "Copy the link", show=False, id="paper-copy-link"),
    Binding("Y", "paper('copy_bibtex')", "Copy BibTeX", show=False, id="paper-copy-bibtex"),
    Binding("m", "more_like", "More like this", show=False, id="paper-more-like"),
    Binding("equals_sign", "cycle_sort", "Sort", show=False, id="list-sort"),
    Binding("R", "random_unread", "Random unread", show=False, id="list-random-unread"),
    Binding("U", "update_sources", "Update the sources", show=False, id="app-update-sources"),
    Binding("x", "export_list", "Export the list", show=False, id="list-export"),
    Binding("X", "export_list_as", "Export the list as…", show=False, id="list-export-as"),
    Binding("A", "mark_list_read", "Mark list read", show=False, id="list-mark-all-read"),
    Binding("u", "undo", "Undo mark list read", show=False, id="list-undo"),
    Binding("f", "toggle_filter", "Keyword filter", show=False, id="list-filter"),
    Binding("L", "toggle_math", "LaTeX as written", show=False, id="detail-raw-latex"),
    Binding("S", "stats", "Statistics", show=False, id="app-stats"),
    Binding("T", "change_theme", "Theme", show=False, id="app-theme"),
    Binding("exclamation_mark", "problems", "Problems", show=False, id="app-problems"),
    Binding("escape", "back", "Back to papers", show=False, id="app-back"),
    Binding("ctrl+o,alt+left", "jump_back", "Back (jumps)", show=False, id="app-jump-back"),
    Binding("alt+right", "jump_forward", "Forward (jumps)", show=False, id="app-jump-forward"),
    *PANE_BINDINGS,
]
MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}
_KEYS = {key.value for key in Keys}  # escape, f8, ctrl+@…
_NAMES = {key.rpartition("+")[2] for key in _KEYS}


@dataclass(frozen=True, slots=True)
class Bound:
    """A binding with its default keys, and where it is declared."""

    id: str
    action: str
    name: str
    owner: str
    keys: tuple[str, ...]

    @property
    def whose(self) -> str:
        return f"{self.id}'s ({self.name})" if self.id else repr(self.name)


@dataclass(frozen=True, slots=True)
class Place:
    """Where the focus can be, and every binding active there. `field` are the bindings of a
    text field that takes keys before the focused widget's own, and every key that types."""

    name: str
    bindings: tuple[Bound, ...]
    field: tuple[Bound, ...] = ()


def bindings_of(cls: type, owner: str, extra: Sequence[Binding] = ()) -> tuple[Bound, ...]:
    """A class's bindings, merged with those it inherits as Textual merges them (a key bound in
    a class replaces that key of its bases; no class here sets `inherit_bindings=False`), one
    per binding with all its keys."""
    by_key: dict[str, list[Binding]] = {}
    for base in reversed(cls.__mro__):
        by_key.update(BindingsMap(vars(base).get("BINDINGS", ())).key_to_bindings)
    for key, bindings in BindingsMap(extra).key_to_bindings.items():
        by_key.setdefault(key, []).extend(bindings)
    keys: dict[tuple[str, str, str], list[str]] = {}
    for key, bindings in by_key.items():
        for binding in bindings:
            keys.setdefault((binding.id or "", binding.action, binding.description), []).append(key)
    return tuple(
        Bound(id, action, name or action, owner, tuple(found))
        for (id, action, name), found in keys.items()
    )


def places(app: type[App]) -> tuple[Place, ...]:
    """Where the focus can be in the reader, and what is bound there."""
    palette = [Binding(app.COMMAND_PALETTE_BINDING, "command_palette", "Command palette")]
    everywhere = bindings_of(Screen, "the screen") + bindings_of(
        app, "the app", palette if app.ENABLE_COMMAND_PALETTE else ()
    )
    return (
        Place("the paper list", bindings_of(PaperList, "the paper list") + everywhere),
        Place("the paper pane", bindings_of(PaperDetail, "the paper pane") + everywhere),
        Place("the days and lists", bindings_of(CountedList, "the days and lists") + everywhere),
        Place(
            "the search bar",
            bindings_of(SearchBar, "the search bar") + everywhere,
            field=bindings_of(Input, "the search field"),
        ),
    )


def check_keymap(
    keymap: Mapping[str, str], where: Sequence[Place]
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The keymap to apply (binding id -> keys), and (binding id, problem) for each entry or
    key that is not used."""
    known = {b.id: b for place in where for b in place.bindings if b.id}
    problems: list[tuple[str, str]] = []
    refused: dict[tuple[str, str], str] = {}  # (binding id, key): why the key is not used
    wanted: dict[str, tuple[str, ...]] = {}
    for binding_id, text in keymap.items():
        if binding_id not in known:
            problems.append((binding_id, f"no key binding has the id {binding_id!r} (see ?)"))
            continue
        keys = _keys(text)
        if not keys:
            refused[binding_id, ""] = "no keys given"
        for key in keys:
            if not _is_key(key):
                refused[binding_id, key] = f"{key!r} is not a key name (like ctrl+f, f8, slash)"
        if keys := tuple(key for key in keys if _is_key(key)):
            wanted[binding_id] = keys
    while clashes := _clashes(wanted, where):
        for (binding_id, key), whose in clashes.items():
            others = ", ".join(
                f"{other} {_in(names, len(where))}" for other, names in whose.items()
            )
            refused[binding_id, key] = f"key {key!r} is also {others}"
            wanted[binding_id] = tuple(k for k in wanted[binding_id] if k != key)
        wanted = {binding_id: keys for binding_id, keys in wanted.items() if keys}
    order = list(keymap)
    for (binding_id, _), why in sorted(refused.items(), key=lambda i: order.index(i[0][0])):
        keys = ", ".join(wanted.get(binding_id, known[binding_id].keys))
        problems.append((binding_id, f"{binding_id}: {why}; not used: it is on {keys}"))
    return {binding_id: ",".join(keys) for binding_id, keys in wanted.items()}, problems


def _in(names: Sequence[str], everywhere: int) -> str:
    return "everywhere" if len(names) == everywhere else f"in {', '.join(names)}"


def _is_key(key: str) -> bool:
    """A key Textual can report: a character, or a key's name after modifiers (`f8`, `slash`,
    `ctrl+f`), in lower case as Textual names them: `Ctrl+F`, `ctrl+/` or `pgdn` never come."""
    *modifiers, name = key.split("+")
    if key in _KEYS:
        return True
    if not set(modifiers) <= MODIFIERS:
        return False
    if len(name) == 1:  # after modifiers, only letters and digits go by themselves
        return not modifiers or name.islower() or name.isdigit()
    return name in _NAMES or key_to_character(REPLACED_KEYS.get(name, name)) is not None


def _keys(text: str) -> tuple[str, ...]:
    """Keys as Textual names them (`/` is `slash`), each once."""
    named = ",".join(key for key in (key.strip() for key in text.split(",")) if key)
    if not named:
        return ()
    return tuple(dict.fromkeys(b.key for b in Binding.make_bindings([Binding(named, "")])))


def _clashes(
    wanted: Mapping[str, tuple[str, ...]], where: Sequence[Place]
) -> dict[tuple[str, str], dict[str, list[str]]]:
    """(binding id, key) for each key of the keymap that clashes, with whose key it is too
    and in which places."""
    found: dict[tuple[str, str], dict[str, list[str]]] = {}
    for place in where:
        for binding, key, whose in _clashes_in(place, wanted):
            names = found.setdefault((binding.id, key), {}).setdefault(whose, [])
            names.append(place.name)
    return found


def _clashes_in(
    place: Place, wanted: Mapping[str, tuple[str, ...]]
) -> Iterator[tuple[Bound, str, str]]:
    def keys(binding: Bound) -> tuple[str, ...]:
        return wanted.get(binding.id, binding.keys) if binding.id else binding.keys

    for binding in place.bindings:
        for key in keys(binding):
            if key in binding.keys:
                continue  # its own key: the defaults do not clash
            if place.field and binding.owner == place.name:  # the field has the key first
                taken = [field.whose for field in place.field if key in field.keys]
                if taken or _types(key):
                    yield binding, key, taken[0] if taken else "text typed"
                    continue
            for other in place.bindings:
                same = (other.owner, other.action) == (binding.owner, binding.action)
                if other is not binding and key in keys(other) and not same:
                    yield binding, key, other.whose


def _types(key: str) -> bool:
    """A key that a text field takes as text (Input.check_consume_key)."""
    character = key_to_character(key)
    return character is not None and character.isprintable()
