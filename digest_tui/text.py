"""Text enters the model here: decoded, line ends normalised, control codes removed; and every
name or message digest-tui prints goes out through `printable`."""

from __future__ import annotations

import re

# Terminal escape sequences (CSI, OSC, and single-character escapes, 7- and 8-bit forms).
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[@-_]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|\x9d[^\x07\x1b\x9c]*(?:\x07|\x9c)?"
)
# Other control characters (newline and tab stay) and the bidi controls that reorder text.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


# The same characters, looked for in UTF-8 bytes: much faster than a pass over the text, and
# nearly every file has none, so cleaning is skipped.
_C0_BYTES = bytes(range(9)) + bytes(range(11, 32)) + b"\x7f"
_C1_BYTES = re.compile(rb"\xc2[\x80-\x9f]")
_BIDI_BYTES = re.compile(rb"\xe2(?:\x80[\x8e\x8f\xaa-\xae]|\x81[\xa6-\xa9])")


def has_controls(data: bytes) -> bool:
    """Whether UTF-8 `data` holds anything `clean` would remove (or a CR to normalise)."""
    return (
        len(data.translate(None, _C0_BYTES)) != len(data)
        or _C1_BYTES.search(data) is not None
        or _BIDI_BYTES.search(data) is not None
    )


def clean(text: str) -> str:
    """Remove everything that could act on a terminal rather than be shown as text."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if "\x1b" in text or "\x9b" in text or "\x9d" in text:
        text = _ESCAPES.sub("", text)
    return _CONTROLS.sub("", text)


def printable(value: object) -> str:
    """`value` (a file name, a message) as text that cannot act on a terminal: the digest's
    own text is cleaned as it is read, but a file's name comes from the disk as it is. Bytes
    that are not UTF-8 (kept by Python as lone surrogates) are shown as U+FFFD."""
    text = str(value)
    if not text.isascii():
        try:
            text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        except UnicodeEncodeError:  # a surrogate no file name makes
            text = text.encode("utf-8", "replace").decode("utf-8")
    # a line of output is one line: a name holding a line break cannot forge the next one
    return clean(text).replace("\n", "\\n").replace("\t", " ")


def decode(data: bytes) -> tuple[str, int | None]:
    """Decode UTF-8 (BOM dropped), replacing bad bytes; also return the line of the first one."""
    try:
        text = data.decode("utf-8")
        bad_line = None
    except UnicodeDecodeError as error:
        text = data.decode("utf-8", errors="replace")
        bad_line = data.count(b"\n", 0, error.start) + 1
    return text.removeprefix("\ufeff"), bad_line


_LEAKED_REASONING = re.compile(r"^\s*<think>.*?</think>\s*", re.S)


def strip_leaked_reasoning(text: str) -> str:
    """Drop a `<think>…</think>` block a model left at the very start of a summary field (and
    only there: abstracts discuss such tokens as content)."""
    if "<think>" not in text[:64]:
        return text
    return _LEAKED_REASONING.sub("", text, count=1)
