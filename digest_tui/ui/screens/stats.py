"""`S`: the library in figures: papers per category and per day, how many read and starred."""

from __future__ import annotations

from collections import Counter

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Sparkline, Static

from digest_tui.library import is_dated
from digest_tui.model import Library
from digest_tui.state import MarkStore
from digest_tui.words import plural

BAR_WIDTH = 30
CATEGORIES_SHOWN = 25
DAYS_SHOWN = 31


def bar(count: int, read: int, most: int) -> Text:
    """A bar as long as `count` is against `most`: the read part solid, the rest shaded."""
    width = max(1, round(BAR_WIDTH * count / most)) if count else 0
    solid = round(width * read / count) if count else 0
    return Text.assemble(("█" * solid, "green"), ("░" * (width - solid), "dim"))


def counts_table(title: str, column: str, rows: list[tuple[str, int, int, int]]) -> Table:
    """rows: (name, papers, read, starred)."""
    table = Table(title=title, title_justify="left", box=None, padding=(0, 1))
    table.add_column(column, no_wrap=True)
    table.add_column("Papers", justify="right")
    table.add_column("Read", justify="right")
    table.add_column("★", justify="right")
    table.add_column("")
    most = max((row[1] for row in rows), default=1)
    for name, count, read, starred in rows:
        table.add_row(Text(name), f"{count:,}", f"{read:,}", f"{starred:,}", bar(count, read, most))
    return table


class StatsScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,S", "dismiss", "Close", id="stats-close"),
        Binding("j,down", "scroll('down')", "Scroll down", show=False, id="stats-down"),
        Binding("k,up", "scroll('up')", "Scroll up", show=False, id="stats-up"),
    ]

    def __init__(self, library: Library, marks: MarkStore) -> None:
        super().__init__()
        self._library = library
        self._marks = marks

    def compose(self) -> ComposeResult:
        library, marks = self._library, self._marks
        papers = library.papers
        read = sum(marks.is_read(p.id) for p in papers)
        starred = sum(marks.is_starred(p.id) for p in papers)
        # Days by date, oldest first: a file without a date in its name is charted only when no
        # file has one (it would sort after every date, as if it were the newest day).
        days = sorted(day for day in library.days if is_dated(day)) or sorted(library.days)
        with VerticalScroll(id="stats") as box:
            box.border_title = "Library"
            box.border_subtitle = "escape to close"
            yield Static(
                Text(
                    f"{plural(len(papers), 'paper')} over {plural(len(library.days), 'day')} · "
                    f"{read:,} read "
                    f"({read / max(1, len(papers)):.0%}) · {len(papers) - read:,} unread · "
                    f"{starred:,} starred",
                    style="bold",
                ),
                id="stats-summary",
            )
            yield Static(Text(f"Papers per day, {days[0]} to {days[-1]}" if days else ""))
            yield Sparkline([len(library.days[day]) for day in days], id="stats-days")
            yield Static(self._categories(), id="stats-categories")
            yield Static(self._days(days[-DAYS_SHOWN:][::-1]), id="stats-recent")

    def _categories(self) -> Table:
        per = Counter(p.category or "(none)" for p in self._library.papers)
        read, starred = Counter(), Counter()
        for paper in self._library.papers:
            read[paper.category or "(none)"] += self._marks.is_read(paper.id)
            starred[paper.category or "(none)"] += self._marks.is_starred(paper.id)
        rows = [(name, n, read[name], starred[name]) for name, n in per.most_common()]
        shown = rows[:CATEGORIES_SHOWN]
        title = "Papers per category"
        if len(rows) > len(shown):
            title += f" (the {len(shown)} largest of {len(rows)})"
        return counts_table(title, "Category", shown)

    def _days(self, days: list[str]) -> Table:
        rows = []
        for day in days:
            listed = self._library.days[day]
            rows.append(
                (
                    day,
                    len(listed),
                    sum(self._marks.is_read(p.id) for p in listed),
                    sum(self._marks.is_starred(p.id) for p in listed),
                )
            )
        return counts_table("Papers per day (newest first)", "Day", rows)

    def action_scroll(self, direction: str) -> None:
        box = self.query_one("#stats", VerticalScroll)
        box.scroll_down() if direction == "down" else box.scroll_up()
