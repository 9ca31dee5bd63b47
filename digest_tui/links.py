"""The web links a paper's text holds (abstracts carry thousands of `github.com` links): found,
made clickable where they are drawn, and the paper's code among them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from digest_tui.model import FIELDS, Paper

# A web link in running text: it ends at a space, a quote or bracket, or CJK punctuation;
# a full stop, comma or the like just after it ends the sentence, not the link.
_URL = re.compile(
    r"https?://[^\s<>\"'`\[\]{}|\\^，。、；：？！（）「」『』【】《》]+", re.IGNORECASE
)
_TRAILING = ".,;:!?'\"*_~"
CODE_HOSTS = ("github.com", "gitlab.com", "huggingface.co", "bitbucket.org", "codeberg.org")


def is_web_link(url: str) -> bool:
    """Whether `url` is a web address (http or https, in any case): the only links the reader
    draws as links or opens; `javascript:`, `file:` and the like never are."""
    return url[:8].lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class Link:
    url: str
    where: str  # the field it is in: "Abstract", "comment", …


def _urls(text: str) -> Iterator[tuple[int, int, str]]:
    for found in _URL.finditer(text):
        url = _trimmed(found.group())
        if len(url) > len("https://"):
            scheme, rest = url.split("://", 1)
            yield found.start(), found.start() + len(url), f"{scheme.lower()}://{rest}"


def _trimmed(url: str) -> str:
    """A link without what ends the sentence around it: trailing punctuation, and closing
    brackets beyond those it opened (`(see https://a.org/x_(y)).`). In a few passes over the
    string, however long a hostile run of them."""
    while True:
        before = url
        url = url.rstrip(_TRAILING)
        surplus = url.count(")") - url.count("(")
        closing = len(url) - len(url.rstrip(")"))
        if surplus > 0 and closing:
            url = url[: len(url) - min(surplus, closing)]
        if url == before:
            return url


def link_urls(text: Text) -> Text:
    """`text` with each web link in it clickable (a terminal hyperlink) and underlined."""
    for start, end, url in _urls(text.plain):
        text.stylize(Style(link=url, underline=True), start, end)
    return text


def links_of(paper: Paper) -> list[Link]:
    """Every web link of the paper's text, once each, in reading order (comment first)."""
    fields = [("comment", paper.comment)]
    fields += [(label, getattr(paper, name)) for name, label in FIELDS]
    fields += list(paper.extras)
    seen: dict[str, Link] = {}
    for where, value in fields:
        for _, _, url in _urls(value or ""):
            seen.setdefault(url, Link(url, where))
    return list(seen.values())


def code_link(paper: Paper) -> Link | None:
    """The paper's code: its first link to a code host (GitHub, GitLab, Hugging Face…)."""
    for link in links_of(paper):
        host = re.sub(r"^https?://(www\.)?", "", link.url, flags=re.IGNORECASE).split("/")[0]
        if host.lower() in CODE_HOSTS and link.url.rstrip("/").count("/") >= 3:
            return link
    return None
