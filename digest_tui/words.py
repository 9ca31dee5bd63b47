"""How counts read in messages."""


def plural(count: int, word: str) -> str:
    """`1 paper`, `2 papers`, `1,360 papers`."""
    return f"{count:,} {word}{'s' * (count != 1)}"
