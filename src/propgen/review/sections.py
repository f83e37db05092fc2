"""What review compares an edited document with: each section's expected text and
its clause's other positions (built by :mod:`propgen.review.expected`, or read back
from the review cache by :mod:`propgen.review.basis`), and what counts as the same
text. Light to import."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Position:
    name: str
    paragraphs: tuple[str, ...]
    approval: str
    """The role whose approval choosing it needs ("" for standard)."""


@dataclass(frozen=True)
class ExpectedSection:
    id: str
    title: str
    n: int
    """The section's place in the document (1, 2, …)."""
    number: str
    is_clause: bool
    version: str
    position: str
    """The position the deal uses (clauses)."""
    paragraphs: tuple[str, ...]
    """The text the document should have, one normalised item per paragraph or cell."""
    alternatives: tuple[Position, ...]
    """The clause's other positions, filled with the deal's values."""
    owner: str
    bookmark: str
    """The Word bookmark propgen put on the section's first paragraph."""
    shown: tuple[str, ...] = ()
    """``paragraphs`` as they read (cross-reference numbers, not ``#``)."""


def normalise(text: str, *, fold: bool = True) -> str:
    """Compatibility forms folded (``fold``), whitespace collapsed: what counts as the
    same text. Unfolded, the text keeps its own characters (full-width punctuation),
    for showing and writing back."""
    return " ".join((unicodedata.normalize("NFKC", text) if fold else text).split())
