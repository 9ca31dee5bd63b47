"""The labels digests put before their fields, in one table: adding a language is one line.

A label may be written plain (`TL;DR: …`), bold (`**TL;DR**: …`, `**TL;DR:** …`), as a
heading inside a paper (`#### 🧩 TL;DR`), in a `<summary>` or after a quote mark (`> **TL;DR:**`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Field name -> its labels, by language. Matched case-insensitively on the whole label.
LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "tldr": {
        "en": ("TL;DR", "TLDR", "TL; DR", "TL,DR"),
        "zh": ("一句话总结", "一句话摘要", "太长不看", "要点"),
        "ko": ("한줄 요약", "한 줄 요약", "세 줄 요약", "요약"),
        "ja": ("一言で", "ひとことで", "要約", "三行まとめ"),
    },
    "motivation": {
        "en": ("Motivation",),
        "zh": ("动机", "研究动机", "動機"),
        "ko": ("동기", "연구 동기"),
        "ja": ("研究の動機", "背景と動機"),
    },
    "method": {
        "en": ("Method", "Methods", "Approach"),
        "zh": ("方法", "研究方法"),
        "ko": ("방법", "방법론"),
        "ja": ("手法", "提案手法"),
    },
    "result": {
        "en": ("Result", "Results"),
        "zh": ("结果", "实验结果", "結果"),
        "ko": ("결과", "실험 결과"),
        "ja": ("実験結果",),
    },
    "conclusion": {
        "en": ("Conclusion", "Conclusions"),
        "zh": ("结论", "結論"),
        "ko": ("결론",),
        "ja": ("まとめ",),
    },
    "abstract": {
        "en": ("Abstract",),
        "zh": ("摘要", "原文摘要", "论文摘要"),
        "ko": ("초록", "원문 초록"),
        "ja": ("アブストラクト", "概要"),
    },
    "category": {
        "en": ("Main category", "Main Category", "Primary category"),
        "zh": ("主分类", "主要类别"),
        "ko": ("주 카테고리", "주요 카테고리"),
        "ja": ("主カテゴリ", "メインカテゴリ"),
    },
    "categories": {
        "en": ("Categories", "Category"),
        "zh": ("分类", "类别"),
        "ko": ("카테고리",),
        "ja": ("カテゴリ",),
    },
    "authors": {"en": ("Authors", "Author"), "zh": ("作者",), "ko": ("저자",), "ja": ("著者",)},
}

FIELD_OF_LABEL: dict[str, str] = {
    label.casefold(): name
    for name, languages in LABELS.items()
    for labels in languages.values()
    for label in labels
}

_COLON = ":\uff1a"
# **Label**: text · **Label:** text · **Label: text** · **Label** text
_BOLD = re.compile(
    rf"^\*\*([^*{_COLON}\n]{{1,60}}?)\s*([{_COLON}])?\s*\*\*\s*([{_COLON}])?\s*(.*)$"
)
_BOLD_WHOLE = re.compile(rf"^\*\*([^*{_COLON}\n]{{1,60}}?)\s*[{_COLON}]\s*([^*]+?)\s*\*\*\s*$")
_PLAIN = re.compile(rf"^([^{_COLON}*\n]{{1,40}}?)\s*[{_COLON}]\s?(.*)$")
# An unknown plain label is taken only when it reads as one: a few capitalised words (or a few
# CJK characters) at the start of a paragraph, e.g. `Recommendation: …`, `Key Figures:`.
_NAME_LIKE = re.compile(
    r"^(?:[A-Z][\w-]*(?: [A-Za-z][\w-]*){0,3}|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af ]{1,12})$"
)


@lru_cache(maxsize=4096)
def label_name(text: str) -> str:
    """A label as shown: emoji, symbols and stray punctuation around it removed."""
    start, end = 0, len(text)
    while start < end and not _wordy(text[start]):
        start += 1
    while end > start and not (_wordy(text[end - 1]) or text[end - 1] in ")]\uff09"):
        end -= 1
    return text[start:end].strip()


def _wordy(char: str) -> bool:
    return unicodedata.category(char)[0] in "LN"


@lru_cache(maxsize=4096)
def known_field(label: str) -> str | None:
    return FIELD_OF_LABEL.get(label_name(label).casefold())


def match_label(line: str, paragraph_start: bool) -> tuple[str | None, str, str] | None:
    """(known field or None, label as written, rest of the line) when the line starts a field."""
    if ":" not in line and "\uff1a" not in line and "**" not in line:
        return None  # every label form has a colon or bold marks: most lines end here
    text = line.lstrip()
    if text.startswith(">"):
        text = text.lstrip("> ")
    bold = _BOLD.match(text) if text.startswith("**") else None
    if bold:
        label = label_name(bold.group(1))
        if label and (bold.group(2) or bold.group(3) or not bold.group(4) or known_field(label)):
            return known_field(label), label, bold.group(4).strip()
        return None
    whole = _BOLD_WHOLE.match(text) if text.startswith("**") else None
    if whole:
        label = label_name(whole.group(1))
        return known_field(label), label, whole.group(2)
    if line[:1].isspace() or not paragraph_start:
        # Inside a paragraph, `word: …` is text that happens to wrap there (`…into two
        # categories: frozen …`), not a new field.
        return None
    plain = _PLAIN.match(text)
    if plain is None:
        return None
    label = plain.group(1).strip()
    field = known_field(label)
    if field is not None:
        return field, label_name(label), plain.group(2)
    if _NAME_LIKE.match(label):
        return None, label, plain.group(2)
    return None
