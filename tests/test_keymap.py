"""The keymap of the settings: a key that would take another binding's key where both are active
is not used and is said with its line; the examples of the README and of `config edit` work."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from textual.notifications import Notify
from textual.widgets import Input

from digest_tui.config import EXAMPLE, Settings, config_path, load_settings
from digest_tui.library import bundled_seeds
from digest_tui.state import MarkStore
from digest_tui.ui.app import DigestApp, make_app
from digest_tui.ui.keymap import check_keymap, places
from tests.conftest import write
from tests.test_app import SIZE, started

# The keymap of the README's settings example.
README_KEYMAP = """\
[keymap]                        # binding id = keys; ? shows every id
paper-star = "s,f8"
list-page-down = "pagedown"     # ctrl+f is page down in the list: free it for the search
list-search = "slash,ctrl+f"
"""
PLACES = places(DigestApp)


def app_with(store: Path, keymap: dict[str, str]) -> DigestApp:
    return make_app(bundled_seeds(), MarkStore(store), settings=Settings(keymap=keymap))


def settings_said(seen: list) -> list[str]:
    """What the reader said about the settings (the notifications' text, never as wrapped)."""
    return [
        m.notification.message
        for m in seen
        if isinstance(m, Notify) and m.notification.title == "Settings"
    ]


async def test_a_key_given_twice_is_said_and_both_bindings_keep_working(isolated_user_dirs):
    seen: list = []
    app = app_with(isolated_user_dirs, {"paper-star": "s", "paper-read": "s"})
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await started(app, pilot)
        said = settings_said(seen)
        assert len(said) == 1
        assert said[0].endswith(
            ": keymap: paper-read: key 's' is also paper-star's (Star) everywhere; "
            "not used: it is on space, r"
        )
        read = next(binding for binding in app.BINDINGS if binding.id == "paper-read")
        assert app.key_of(read) == "space, r"  # as ? shows it
        paper = app.current.id
        await pilot.press("s")
        assert app._marks.is_starred(paper) and not app._marks.is_read(paper)
        await pilot.press("r")
        assert app._marks.is_read(paper)


async def test_quit_keeps_q_and_ctrl_q_always_quits(isolated_user_dirs):
    seen: list = []
    app = app_with(isolated_user_dirs, {"paper-star": "q", "list-first": "ctrl+q"})
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await started(app, pilot)
        said = settings_said(seen)
        assert len(said) == 2
        assert said[0].endswith(
            "paper-star: key 'q' is also app-quit's (Quit) everywhere; not used: it is on s"
        )
        assert said[1].endswith(
            "list-first: key 'ctrl+q' is also 'Quit' in the paper list; not used: it is on home, g"
        )
        await pilot.press("s")
        assert app._marks.is_starred(app.current.id)
        await pilot.press("q")
        assert app.return_code == 0  # quit
    seen.clear()
    moved = app_with(isolated_user_dirs, {"app-quit": "Q"})
    async with moved.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await started(moved, pilot)
        assert settings_said(seen) == []
        await pilot.press("q")
        assert moved.return_code is None  # the settings moved quit to Q
        await pilot.press("ctrl+q")
        assert moved.return_code == 0


async def test_the_readme_example_does_what_it_says(isolated_user_dirs):
    write(config_path(), README_KEYMAP)
    settings, problems = load_settings()
    assert problems == []
    seen: list = []
    app = make_app(bundled_seeds(), MarkStore(isolated_user_dirs), settings=settings)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await started(app, pilot)
        assert settings_said(seen) == []
        paper = app.current.id
        await pilot.press("f8")
        assert app._marks.is_starred(paper)
        await pilot.press("s")
        assert not app._marks.is_starred(paper)
        await pilot.press("pagedown")
        assert app.current.id != paper
        await pilot.press("ctrl+f")  # in the paper list
        assert app.search_bar.display and isinstance(app.focused, Input)
        await pilot.press("escape", "tab")  # out of the search, to the paper pane
        assert app.focused is app.detail
        await pilot.press("ctrl+f")
        assert app.search_bar.display and isinstance(app.focused, Input)


async def test_the_old_readme_example_is_said_and_ctrl_f_still_pages(isolated_user_dirs):
    seen: list = []
    app = app_with(isolated_user_dirs, {"list-search": "slash,ctrl+f"})
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await started(app, pilot)
        assert settings_said(seen)[0].endswith(
            "list-search: key 'ctrl+f' is also list-page-down's (Page down) in the paper list; "
            "not used: it is on slash"
        )
        paper = app.current.id
        await pilot.press("ctrl+f")
        assert app.current.id != paper and not app.search_bar.display
        await pilot.press("slash")
        assert app.search_bar.display


async def test_the_config_edit_example_does_what_it_says(isolated_user_dirs):
    text = EXAMPLE.replace("# [keymap]", "[keymap]").replace("# paper-star", "paper-star")
    assert "\n[keymap]" in text and "\npaper-star = " in text
    write(config_path(), text)
    settings, problems = load_settings()
    assert problems == [] and settings.keymap
    seen: list = []
    app = make_app(bundled_seeds(), MarkStore(isolated_user_dirs), settings=settings)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await started(app, pilot)
        assert settings_said(seen) == []
        for key in settings.keymap["paper-star"].split(","):
            starred = app._marks.is_starred(app.current.id)
            await pilot.press(key.strip())
            assert app._marks.is_starred(app.current.id) is not starred, key


async def test_a_key_moved_away_can_be_given_to_another_binding(isolated_user_dirs):
    seen: list = []
    app = app_with(isolated_user_dirs, {"paper-star": "f", "list-filter": "F"})
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await started(app, pilot)
        assert settings_said(seen) == []
        await pilot.press("f")
        assert app._marks.is_starred(app.current.id)
        assert app.settings.keymap == {"paper-star": "f", "list-filter": "F"}


def test_only_the_keys_in_use_are_kept_for_the_help_screen():
    keymap, problems = check_keymap({"paper-star": "s, f", "nope": "x"}, PLACES)
    assert keymap == {"paper-star": "s"}
    assert [binding_id for binding_id, _ in problems] == ["nope", "paper-star"]
    assert problems[1][1] == (
        "paper-star: key 'f' is also list-filter's (Keyword filter) everywhere; not used: "
        "it is on s"
    )


def test_keys_the_search_field_takes_are_not_given_to_the_search_bar():
    keymap, problems = check_keymap({"search-close": "escape,n,ctrl+w"}, PLACES)
    assert keymap == {"search-close": "escape"}
    assert [problem for _, problem in problems] == [
        "search-close: key 'n' is also text typed in the search bar; not used: it is on escape",
        "search-close: key 'ctrl+w' is also 'Delete left to start of word' in the search bar; "
        "not used: it is on escape",
    ]


def test_an_empty_entry_or_a_key_that_never_comes_is_said():
    assert check_keymap({"paper-star": " , "}, PLACES) == (
        {},
        [("paper-star", "paper-star: no keys given; not used: it is on s")],
    )
    keys = "Ctrl+S, F8, pgdn, ctrl+/, f8, ctrl+slash, ctrl+shift+f1, ?, S"
    keymap, problems = check_keymap({"paper-star": keys}, PLACES)
    assert keymap == {"paper-star": "f8,ctrl+slash,ctrl+shift+f1"}
    assert [problem.split(";")[0] for _, problem in problems] == [
        *(
            f"paper-star: {key!r} is not a key name (like ctrl+f, f8, slash)"
            for key in ("Ctrl+S", "F8", "pgdn", "ctrl+/")
        ),
        "paper-star: key 'question_mark' is also app-help's (Help) everywhere",
        "paper-star: key 'S' is also app-stats's (Statistics) everywhere",
    ]
    assert problems[0][1].endswith("; not used: it is on f8, ctrl+slash, ctrl+shift+f1")


_IDS = sorted({b.id for place in PLACES for b in place.bindings if b.id})
_KEYS = ["q", "s", "f", "j", "r", "slash", "/", "ctrl+f", "Ctrl+F", "ctrl+q", "ctrl+p", "f8", "z"]


@given(
    st.dictionaries(
        st.sampled_from(_IDS),
        st.lists(st.sampled_from(_KEYS), min_size=1, max_size=3).map(",".join),
        max_size=6,
    )
)
def test_no_binding_loses_a_key_silently(keymap: dict[str, str]):
    """Whatever the keymap, keys shared by bindings active together are only those the defaults
    share on purpose, every binding keeps a key, and each key of the settings not used is said."""
    applied, problems = check_keymap(keymap, PLACES)
    for place in PLACES:
        for binding in place.bindings:
            keys = applied.get(binding.id, ",".join(binding.keys)).split(",")
            assert keys != [""]
            for other in place.bindings:
                if other is binding or (other.owner, other.action) == (
                    binding.owner,
                    binding.action,
                ):
                    continue
                other_keys = applied.get(other.id, ",".join(other.keys)).split(",")
                for key in set(keys) & set(other_keys):
                    assert key in binding.keys and key in other.keys, (binding, other, key)
    said = {binding_id for binding_id, _ in problems}
    for binding_id, keys in keymap.items():
        wanted = {"slash" if key == "/" else key for key in keys.split(",")}
        if not wanted <= set(applied.get(binding_id, "").split(",")):
            assert binding_id in said, (binding_id, keys, applied)
