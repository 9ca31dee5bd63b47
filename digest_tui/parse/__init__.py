"""Readers that turn digest files into the model. They never raise on bad input."""

from digest_tui.parse.jsonl import read_jsonl
from digest_tui.parse.markdown import parse_markdown, read_digest

__all__ = ["parse_markdown", "read_digest", "read_jsonl"]
