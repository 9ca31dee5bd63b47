"""Thousands of keywords and authors in the settings: matched once, with the search index, in
a thread; the Lists pane draws only the rows on screen; a paper is marked with its own keywords."""

from __future__ import annotations

from rich.text import Text

from digest_tui.config import Keyword
from digest_tui.ui.widgets.counted_list import CountedList
from digest_tui.ui.widgets.paper_list import PaperList
from tests.test_app import SIZE, category_line, started
from tests.test_app_power import app_for, seed_ids, settle

MANY = 10_000


def _many_keywords() -> tuple[tuple[Keyword, ...], tuple[Keyword, ...]]:
    words = (Keyword("harnessing"), *(Keyword(f"nomatch{n:05}") for n in range(MANY - 1)))
    authors = (Keyword("Dosik Hwang", author=True),)
    authors += tuple(Keyword(f"Nobody {n}", author=True) for n in range(1_999))
    return words, authors


async def test_ten_thousand_keywords_are_lists_counted_and_marked(isolated_user_dirs, monkeypatch):
    labels: list[str] = []
    words: list[int] = []
    label_of = CountedList.update_labels

    def counting_labels(self, label, keys=None):  # every count the Lists pane asks for
        label_of(self, lambda key: labels.append(key) or label(key), keys)

    def highlight_words(text, found, style, *, case_sensitive=True):
        words.append(len(found))
        return original(text, found, style, case_sensitive=case_sensitive)

    original = Text.highlight_words
    monkeypatch.setattr(CountedList, "update_labels", counting_labels)
    monkeypatch.setattr(Text, "highlight_words", highlight_words)
    keywords, authors = _many_keywords()
    app = app_for(isolated_user_dirs, keywords=keywords, authors=authors)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await settle(app, pilot)
        assert app.lists.option_count == 4 + MANY + 2_000 + 5  # All … For you, …, cs.*
        assert " ".join(category_line(app, "#harnessing").split()) == "│ #harnessing 1/1"
        assert " ".join(category_line(app, "#nomatch00000").split()) == "│ #nomatch00000 0/0"
        # the pane asked only for the counts of the rows it drew, not for 12,000
        assert 0 < len(labels) < 200
        # no row or pane was marked with thousands of words: each paper with its own
        assert words and max(words) <= 2
        strip = app.query_one(PaperList).render_line(0)  # "HP-GAN: Harnessing pretrained …"
        assert any(seg.text == "Harnessing" and seg.style.underline for seg in strip)
        header = app.detail.header
        marked = [s for s in header.spans if header.plain[s.start : s.end] == "Dosik Hwang"]
        assert marked and marked[0].style.underline
        app.lists.highlighted = 4  # the first keyword list (after All, Unread, Starred, For you)
        await settle(app, pilot)
        assert [p.id for p in app.query_one(PaperList).papers] == seed_ids("harnessing")


async def test_keyword_lists_are_counted_when_a_day_only_repeats_another(
    isolated_user_dirs, tmp_path
):
    """A day whose papers all appeared on a newer day has nothing of its own to search: the
    one-pass keyword search crashed on it and every keyword list stayed at `…`."""
    from tests.conftest import digest_md, paper_md, write

    papers = [paper_md(n, f"2601.0000{n}", f"Diffusion paper {n}") for n in range(1, 4)]
    write(tmp_path / "2026-01-24.md", digest_md({"cs.CV": papers}))
    write(tmp_path / "2026-01-23.md", digest_md({"cs.CV": papers}))  # the same papers
    keywords = (*_many_keywords()[0][:100], Keyword("diffusion paper"))
    app = app_for(isolated_user_dirs, [tmp_path], keywords=keywords)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await settle(app, pilot)
        app.lists.highlighted = app.lists.keys.index(f"keyword:{len(keywords) - 1}")
        await settle(app, pilot)  # the list is shown, and the pane scrolled to its row
        row = category_line(app, "#diffusion paper").split()
        assert row[:4] == ["│", "#diffusion", "paper", "3/3"]
