from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from digest_tui.render import render_field


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
