"""The links inside a paper's text: clickable where drawn, the code opened with c, every link
listed with l to open one."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import pytest

from digest_tui.links import code_link, is_web_link, links_of
from digest_tui.parse.markdown import parse_markdown
from digest_tui.render import render_field
from digest_tui.state import MarkStore
from digest_tui.ui.app import make_app
from digest_tui.ui.screens.choice import ChoiceScreen
from tests.conftest import digest_md, paper_md, write
from tests.screen import screen_lines
from tests.test_app import started

ABSTRACT = (
    "We propose a model (code: https://github.com/ada/engine.) trained on data from "
    "https://example.org/data?x=1, see also https://huggingface.co/ada/engine-7b."
)
TLDR = "本文提出新方法，代码见https://gitlab.com/ada/mirror。效果很好。"


def _paper(folder: Path) -> Path:
    fields = {"TL;DR": TLDR, "Abstract": ABSTRACT}
    return write(
        folder / "2026-03-10.md",
        digest_md({"cs.CV": [paper_md(1, "2603.00001", "Engines", fields=fields)]}),
    )


def test_links_are_found_whole_in_english_and_chinese(tmp_path: Path):
    path = _paper(tmp_path)
    (paper,) = parse_markdown(path.read_text(), path).papers
    assert [link.url for link in links_of(paper)] == [
        "https://gitlab.com/ada/mirror",  # the TL;DR comes first; 。 ends the link
        "https://github.com/ada/engine",  # the full stop is the sentence's
        "https://example.org/data?x=1",
        "https://huggingface.co/ada/engine-7b",
    ]
    assert code_link(paper).url == "https://gitlab.com/ada/mirror"


def _opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "get", lambda *a: object())
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    return opened


async def test_a_link_in_a_field_is_clickable_and_c_opens_the_code(
    isolated_user_dirs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    opened = _opened(monkeypatch)
    app = make_app([_paper(tmp_path)], MarkStore(isolated_user_dirs))
    async with app.run_test(size=(160, 40)) as pilot:
        await started(app, pilot)
        lines = enumerate(screen_lines(app))
        y, line = next((y, text) for y, text in lines if "gitlab.com" in text)
        x = line.index("https://gitlab.com")
        assert app.screen.get_style_at(x + 3, y).link == "https://gitlab.com/ada/mirror"
        assert app.screen.get_style_at(x - 2, y).link is None  # the text before it is not
        await pilot.press("c")
        await pilot.pause()
        assert opened == ["https://gitlab.com/ada/mirror"]


async def test_l_lists_every_link_and_opens_the_one_chosen(
    isolated_user_dirs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    opened = _opened(monkeypatch)
    app = make_app([_paper(tmp_path)], MarkStore(isolated_user_dirs))
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        screen = "\n".join(screen_lines(app))
        assert "https://example.org/data?x=1  Abstract" in screen
        assert "https://gitlab.com/ada/mirror  TL;DR" in screen
        await pilot.press("j", "j", "enter")
        await pilot.pause()
        assert opened == ["https://example.org/data?x=1"]
        assert not isinstance(app.screen, ChoiceScreen)


def test_a_hostile_run_after_a_link_is_trimmed_at_once():
    from digest_tui.links import _urls

    text = "see https://github.com/a/b" + ")" * 100_000 + " and HTTPS://Example.org/X."
    assert [url for _, _, url in _urls(text)] == [
        "https://github.com/a/b",
        "https://Example.org/X",  # the scheme in lower case: a link the browser opens
    ]


def test_a_web_link_is_http_or_https_in_any_case_and_nothing_else():
    # One rule for what is drawn as a link, opened, or clicked: the paper pane, a field's
    # Markdown and `o` / `l` all ask is_web_link.
    assert is_web_link("https://arxiv.org/abs/2601.00001")
    assert is_web_link("HTTP://EXAMPLE.ORG")
    for url in ("javascript:alert(1)", "file:///etc/passwd", "http:/x", "ftp://a.org", ""):
        assert not is_web_link(url)
    shown = render_field("[upper](HTTPS://EXAMPLE.ORG) [js](javascript:alert(1))")
    links = [span.style.link for span in shown.spans if getattr(span.style, "link", None)]
    assert links == ["HTTPS://EXAMPLE.ORG"]
