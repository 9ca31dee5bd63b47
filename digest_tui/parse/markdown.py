"""A line scanner for daily-arXiv Markdown digests: the upstream template in all its eras, and
the forks and other generators that changed it.

The rule: a heading whose text links a paper starts a paper, and everything until the next such
heading (or a heading of the same or a higher level) belongs to it. Known labels, in any of
their spellings (see labels.py), fill the known fields; other labelled blocks become extra
fields; a line that fits nowhere is kept as a note and reported. mistune is not used to split
the file: a scanner reads a 1 MB day several times faster than building a syntax tree of it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from digest_tui.model import (
    TITLE_TRANSLATION,
    Body,
    Digest,
    Paper,
    Problem,
    Source,
    one_listing_each,
)
from digest_tui.parse.labels import known_field, label_name, match_label
from digest_tui.parse.paper import (
    HTML_ANCHOR,
    INDEX,
    TEMPLATE_FIELDS,
    Draft,
    arxiv_id,
    placeholder_free,
    split_authors,
    split_title_link,
)
from digest_tui.text import clean, decode, has_controls, strip_leaked_reasoning

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_TOC_ENTRY = re.compile(r"^\s*[-*]\s+\[(.+?)\]\(#([^)]*)\)\s*(?:\[Total:\s*(\d+)\])?\s*$")
_ANCHOR_ID = re.compile(r"(?:id|name)\s*=\s*[\"']?([^\"'>\s]+)", re.I)
_BACK_LINK = re.compile(r"\[\[Back\]\]\(#[^)]*\)")
_TRAILING_TAG = re.compile(r"\s*\[[^\]]*\]\s*$")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# 2601.30001, hep-th/9901001: what an arXiv id looks like
_ARXIV_ID = re.compile(r"\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Za-z-]+)?/\d{7}")
_NOT_AN_ANCHOR_LINK = re.compile(r"\]\((?!\s*#)")  # `[t]()`, `[t](ftp…)`: not a section's
_WEB_LINK = re.compile(r"\]\(\s*<?https?://")  # a heading that links a web page: a paper's
_LINK_LINE = re.compile(r"^\[(.*)\]\((https?://[^)\s]+)\)$")
_BOLD_TAG = re.compile(r"^\*\*([^*]+)\*\*$")
_NAVIGATION = re.compile(r"^(?:\s*\|?\s*\[[^\]]*\]\(#[^)]*\))+\s*$")
_TOC_HEADINGS = {"table of contents", "contents", "目录", "目錄", "목차", "目次", "toc"}
_NOTES = "Notes"
_TITLE_TRANSLATION = re.compile(r"^>\s*\*(?!\*)(.+?)\*$")  # `> *中文标题*`, under the heading


# One paper exactly as upstream's to_md/convert.py writes it, up to the next section or paper
# heading (or the end). Anything else, even a stray space, is left to the line scanner. Every
# repetition is unambiguous, so a near miss fails in linear time (no catastrophic backtracking).
_TEMPLATE_PAPER = re.compile(
    r"^### \[\d+\] \[(?P<title>[^\n<]*)\]\((?P<url>[^#)\s<][^)\s]*)\)[ \t]*\n"
    r"(?P<authors>\*[^\n]*\*)[ \t]*\n\n"
    r"Main category: (?P<category>[^\n]*)\n\n"
    r"TL;DR: (?P<tldr>[^\n]*)\n\n+"
    r"<details>\n[ \t]*<summary>Details</summary>\n"
    r"Motivation: (?P<motivation>[^\n]*)\n\n"
    r"Method: (?P<method>[^\n]*)\n\n"
    r"Result: (?P<result>[^\n]*)\n\n"
    r"Conclusion: (?P<conclusion>[^\n]*)\n\n"
    r"Abstract: (?P<abstract>[^\n]*(?:\n[ \t]*\S[^\n]*)*)\n\n"
    r"</details>[ \t]*(?:\n(?:[ \t]*|<div[^\n:]*))*(?:\n(?=#{1,3}[ \t])|\n?\Z)",
    re.MULTILINE,
)
_NOT_CONTINUATION = ("**", ">", "#", "<details", "<summary", "</details>")


_PIECE = 1 << 20  # characters the line scanner splits at once


def _template_papers(text: str) -> Iterator[re.Match[str]]:
    """The papers written exactly in the template, found where a line starts `### [`: a search
    for that (quick) and a match there, not one regular-expression scan of the whole text,
    which would hold the interpreter for as long as a hundred megabytes take."""
    position = 0
    while (found := text.find("### [", position)) >= 0:
        at_line_start = found == 0 or text[found - 1] == "\n"
        match = _TEMPLATE_PAPER.match(text, found) if at_line_start else None
        if match is None:
            position = found + 1
            continue
        yield match
        position = match.end()


def _plain_template(match: re.Match[str]) -> bool:
    """What the expression cannot say: checks the line scanner would read otherwise."""
    authors = match.group("authors")
    if authors.startswith("**") or " | " in authors or not match.group("title").strip():
        return False
    continuation = match.group("abstract").split("\n")[1:]
    return not any(line.lstrip().startswith(_NOT_CONTINUATION) for line in continuation)


def _section_name(heading: str) -> str:
    name = _BACK_LINK.sub("", HTML_ANCHOR.sub("", heading))
    return _TRAILING_TAG.sub("", name).strip() if name.strip().endswith("]") else name.strip()


def read_digest(path: Path, day: str = "") -> Digest:
    """Read a digest file. Raises OSError only when the file itself cannot be read."""
    data = path.read_bytes()
    text, bad_line = decode(data)
    digest = parse_markdown(text, path, day, cleaned=not has_controls(data))
    if bad_line is None:
        return digest
    problem = Problem(Source(path, bad_line), "invalid UTF-8 bytes, replaced")
    return Digest(digest.path, digest.papers, digest.toc, (problem, *digest.problems))


def parse_markdown(
    text: str, path: Path, day: str = "", *, fast: bool = True, cleaned: bool = False
) -> Digest:
    """Every paper that can be read, and a problem for each thing that could not.

    `fast` reads papers written exactly in the upstream template with one regular expression
    each instead of line by line; the result is the same (a test compares both on real data).
    `cleaned` says the text is known to hold no control characters (see `has_controls`).
    """
    return _Scanner(path, day).scan(text if cleaned else clean(text), fast)


class _Scanner:
    def __init__(self, path: Path, day: str) -> None:
        self.path, self.day = path, day
        self.papers: list[Paper] = []
        self.problems: list[Problem] = []
        self.toc: dict[str, tuple[int, int]] = {}  # section -> (total, line)
        self.anchor_sections: dict[str, str] = {}  # a TOC entry's anchor -> its heading
        self.heading = ""  # the last heading that is not a paper
        self.section = ""
        self.in_toc = False
        self.draft: Draft | None = None
        self.current: list[str] | None = None  # the lines of the field being read
        self.in_note = False  # the field being read is unlabelled text, kept as a note
        self.offset = 0  # where the line being read starts in the text
        self.length = 0
        self.in_details = False
        self.blank_before = True

    def problem(self, number: int, message: str) -> None:
        self.problems.append(Problem(Source(self.path, number), message))

    def finish(self) -> None:
        if self.draft is not None:
            end = min(self.offset, self.length)
            self.papers.append(self.draft.finish(self.path, self.day, end))
        self.draft, self.current, self.in_details = None, None, False

    def scan(self, text: str, fast: bool = True) -> Digest:
        self.length = len(text)
        position, number = 0, 1
        for match in _template_papers(text) if fast else ():
            if not _plain_template(match):
                continue  # the line scanner reads it
            start, end = match.span()
            if start > position:
                self.scan_range(text, position, start - 1, number)
                number += text.count("\n", position, start)
            self.offset = start
            self.finish()
            self.read_template_paper(match, number)
            number += text.count("\n", start, end)
            position = end
        self.scan_range(text, position, len(text), number)
        self.offset = self.length
        self.finish()
        return self.digest()

    def scan_range(self, text: str, start: int, end: int, number: int) -> None:
        """The lines of text[start:end], split a piece of about a megabyte at a time: splitting
        a hundred megabytes at once would hold the interpreter (and a `q`) for a third of a
        second."""
        while end - start > _PIECE and (cut := text.find("\n", start + _PIECE, end)) >= 0:
            lines = text[start:cut].split("\n")
            self.scan_lines(lines, number, start)
            number, start = number + len(lines), cut + 1
        self.scan_lines(text[start:end].split("\n"), number, start)

    def scan_lines(self, lines: list[str], first: int, offset: int) -> None:
        for number, line in enumerate(lines, start=first):
            self.offset = offset
            offset += len(line) + 1
            heading = _HEADING.match(line) if line[:1] == "#" else None
            if heading and not self._is_field_text(heading):
                self.on_heading(number, len(heading.group(1)), heading.group(2))
            elif self.draft is None:
                self.outside_paper(number, line)
            else:
                self.inside_paper(number, line)
            self.blank_before = not line.strip()

    def read_template_paper(self, match: re.Match[str], number: int) -> None:
        """A paper in the exact upstream template, as the line scanner (`Draft.finish`) would
        have read it, built directly: this is the hot path of a large archive."""
        title, url, authors, category, *ai, abstract = match.group(
            "title", "url", "authors", "category", *TEMPLATE_FIELDS
        )
        paper_id, pdf = arxiv_id(url)
        section = self._section_for(url, None)
        category = placeholder_free(category.strip().strip("`*")) or section
        summary = [strip_leaked_reasoning(text.strip()) for text in ai]
        paper = Paper(
            paper_id, title.strip(), url, pdf, split_authors(authors), category,
            section or category or "Uncategorised", Source(self.path, number),
            (category,) if category else (), self.day, Body(*summary, abstract.strip()),
            span=match.span(),
        )  # fmt: skip
        self.papers.append(paper)
        self.blank_before = True

    def _is_field_text(self, heading: re.Match[str]) -> bool:
        """A high-level heading inside a paper's <details> that links nothing is field text."""
        draft = self.draft
        return (
            draft is not None
            and self.in_details
            and self.current is not None
            and len(heading.group(1)) <= draft.level
            and split_title_link(heading.group(2)) is None
        )

    def on_heading(self, number: int, level: int, text: str) -> None:
        link = split_title_link(text)
        if link is not None:
            self.finish()
            anchor = _ANCHOR_ID.search(text)
            section = self._section_for(link[1], anchor)
            self.draft = Draft(link[0], link[1], number, level, section, self.offset)
            paper_id = arxiv_id(link[1])[0]
            if "arxiv.org/" in link[1] and not _ARXIV_ID.fullmatch(paper_id):
                message = f"paper heading links no arXiv id that can be read: {paper_id}"
                self.problem(number, message)
            return
        if self.draft is not None and level > self.draft.level:
            name = known_field(text)
            if name in self.draft.fields:
                name = None  # a field already read: this block is kept beside it
            self.current, self.in_note = self.draft.start(name, label_name(text) or text, ""), False
            return
        self.finish()
        if level >= 3 and INDEX.match(text.strip()) and "](" not in text:
            self.problem(number, "paper heading without a title link")
            return
        if _WEB_LINK.search(text) or (level >= 3 and _NOT_AN_ANCHOR_LINK.search(text)):
            self.problem(number, "paper heading whose link cannot be read; its paper is left out")
            return
        name = _section_name(text)
        self.in_toc = name.casefold() in _TOC_HEADINGS
        self.heading = name
        # A heading that names the day, or opens the TOC, is a page title, not a section.
        self.section = "" if self.in_toc or _DATE.search(name) else name

    def _section_for(self, url: str, anchor: re.Match[str] | None) -> str:
        if not self.anchor_sections:
            return self.section
        keys = [anchor.group(1)] if anchor else []
        keys += [url.rsplit("/", 1)[-1], arxiv_id(url)[0]]
        for key in keys:
            if key in self.anchor_sections:
                return self.anchor_sections[key]
        return self.section

    def outside_paper(self, number: int, line: str) -> None:
        entry = _TOC_ENTRY.match(line)
        if entry is None:
            return
        name, anchor, total = entry.groups()
        if total is not None:
            self.toc[name] = (int(total), number)
        elif self.heading and not self.in_toc:
            # A list of links to papers under a topic heading: the topic is their section.
            self.anchor_sections[anchor] = self.heading
            self.section = ""

    def inside_paper(self, number: int, line: str) -> None:
        draft = self.draft
        assert draft is not None
        stripped = line.strip()
        if stripped.startswith("<details"):
            self.in_details, self.current = True, None
            stripped = stripped.split(">", 1)[1].strip() if ">" in stripped else ""
            if not stripped:
                return
        if stripped == "</details>":
            self.in_details, self.current = False, None
            return
        if stripped.startswith("<summary"):
            summary = re.sub(r"<[^>]+>", "", stripped).strip()
            name = known_field(summary)
            self.current = draft.start(name, summary, "") if name else None
            return
        if line.rstrip() in ("---", "***", "___") and not self.in_details:
            self.current = None  # a rule between papers, as some forks draw; indented, it is text
            return
        if self.current is None and " | " in stripped and stripped[0] in "*[":
            # `*A, B* | **Main category: cs.LG**`, `[PDF](…) | **Categories:** …`: one part each.
            for part in stripped.split(" | "):
                self.current = None
                tag = _BOLD_TAG.match(part.strip())
                if tag and known_field(label_name(re.split("[:\uff1a]", tag.group(1))[0])):
                    tag = None  # `**Category: cs.CR, cs.AI**`: a field, all in bold
                if tag:  # a bare bold word beside the authors, e.g. a rating
                    draft.extras.append(("Tag", [label_name(tag.group(1))]))
                else:
                    self.inside_paper(number, part.strip())
            self.current = None
            return
        labelled = match_label(line, self.blank_before or self.current is None)
        if labelled is not None and not (labelled[0] and labelled[0] in draft.fields):
            self.current, self.in_note = draft.start(*labelled), False
            return
        if self.in_note and not stripped:
            self.current, self.in_note = None, False  # a note is one paragraph
        if self.current is not None:
            self.current.append(line)
            return
        if draft.authors is None and stripped.startswith("*") and not stripped.startswith("**"):
            draft.authors = split_authors(stripped)
            return
        translated = _TITLE_TRANSLATION.match(stripped)
        if translated and draft.authors is None and not draft.fields and not draft.extras:
            draft.extras.append((TITLE_TRANSLATION, [translated.group(1).strip()]))
            return
        link = _LINK_LINE.match(stripped)
        if link and "pdf" in link.group(1).lower():
            draft.pdf = link.group(2)
            return
        if not stripped or stripped.startswith("<div") or _NAVIGATION.match(stripped):
            return
        if HTML_ANCHOR.fullmatch(stripped):
            return  # `<a id='csai'></a>`: the anchor of the section whose heading comes next
        self.problem(number, f"unknown line in paper: {stripped[:60]}")
        self.current, self.in_note = draft.start(None, _NOTES, stripped), True

    def digest(self) -> Digest:
        # The table of contents counts a section's listings, a paper listed twice included.
        counts = Counter(paper.section for paper in self.papers)
        self.papers, repeats = one_listing_each(self.papers)
        self.problems.extend(repeats)
        for name, (total, number) in self.toc.items():
            if counts[name] != total:
                found = counts[name]
                self.problem(
                    number,
                    f"table of contents says {name} has {total} papers, the section has {found}",
                )
        self.problems.sort(key=lambda problem: problem.source.line)
        totals = {name: total for name, (total, _) in self.toc.items()}
        return Digest(self.path, tuple(self.papers), totals, tuple(self.problems))
