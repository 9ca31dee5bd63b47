from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest_tui.render import markdown_text, render_field
from tests.conftest import SHARED


def test_inline_markdown_becomes_styles_not_markup():
    text = render_field("We use *soft* **hard** `code` and [a link](https://example.org)")
    assert text.plain == "We use soft hard code and a link"
    styles = {text.plain[span.start : span.end]: span.style for span in text.spans}
    assert styles["soft"].italic and styles["hard"].bold
    assert styles["a link"].link == "https://example.org"


def test_rich_markup_and_html_in_a_field_are_shown_literally():
    raw = "[bold red]x[/bold red] [@click=app.quit]y[/] <think>z</think> [link=file:///etc]w[/link]"
    assert render_field(raw).plain == raw


def test_only_web_links_become_links():
    text = render_field("[bad](javascript:alert(1)) [file](file:///etc/passwd)")
    assert all(getattr(span.style, "link", None) is None for span in text.spans)


def test_entities_are_decoded_and_lists_keep_their_numbers():
    assert render_field("a &amp; b &#177; c").plain == "a & b ± c"
    assert render_field("1) first\n2) second").plain == "1) first\n2) second"


def test_indented_lines_start_paragraphs_in_abstracts():
    raw = "First paragraph\n  continues here.\n  Second one."
    assert render_field(raw).plain == "First paragraph continues here. Second one."
    assert render_field(raw, paragraphs_by_indent=True).plain == (
        "First paragraph\n\ncontinues here.\n\nSecond one."
    )


@given(st.text(max_size=300))
def test_rendering_never_raises(raw: str):
    render_field(raw)


# Characters that start Markdown syntax or that Markdown and Python treat as space differently.
_TRICKY = st.sampled_from(
    [
        *"ab1.)(-#=+*_`[]!<>&\\~|:;'\"/ ，。（）中文",
        "\u3000",
        "\xa0",
        "\x0b",
        "\x0c",
        "\u2028",
        "\x85",
        "\t",
        "\n",
        "    ",
        "1.",
        "12)",
        "http://x.y",
        "&amp;",
        "\U0001f600",
        "e\u0301",
    ]
)


@given(st.lists(_TRICKY, max_size=12).map("".join))
def test_plain_text_is_shown_as_markdown_would_show_it(raw: str):
    # render_field skips mistune for a field that is one plain paragraph: same text, no styles.
    expected = markdown_text(raw)
    expected.rstrip()
    shown = render_field(raw)
    assert (shown.plain, shown.spans) == (expected.plain, expected.spans)


def test_every_real_field_is_shown_as_markdown_would_show_it():
    fields = [
        value
        for path in sorted(SHARED.glob("corpus/*/*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        for record in [json.loads(line)]
        for value in [record.get("summary"), *(record.get("AI") or {}).values()]
        if isinstance(value, str)
    ]
    if not fields:
        pytest.skip(f"real corpus not available under {SHARED}")
    for raw in fields:
        expected = markdown_text(raw)
        expected.rstrip()
        assert render_field(raw).plain == expected.plain, raw


def test_a_plain_paper_is_drawn_without_loading_markdown_or_package_metadata():
    # mistune and importlib.metadata (which uniseg's package asks for its version) are a fifth
    # of what the reader's start costs beyond a bare Textual app's; a plain paper needs neither.
    code = (
        "import sys\n"
        "from rich.text import Text\n"
        "from digest_tui.render import preload, render_field\n"
        "from digest_tui.wrap import wrap\n"
        "preload()\n"
        "text = render_field('通过对比Faster R-CNN和YOLOv9，我们发现（protocol audit）很好。')\n"
        "lines = wrap(text, 20)\n"
        "print([line.plain for line in lines])\n"
        "print(sorted(m for m in ('mistune', 'importlib.metadata', 'email') if m in sys.modules))\n"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.splitlines() == [
        "['通过对比Faster R-CNN', '和YOLOv9，我们发现', '（protocol audit）很', '好。']",
        "[]",
    ]
