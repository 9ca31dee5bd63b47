"""digest-tui: a keyboard-driven terminal reader for AI-summarised daily arXiv digests."""

__version__ = "0.2.0"
