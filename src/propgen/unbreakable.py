"""Runs of text that must never break across lines: dates, amounts, percentages,
quantities with their unit and phone numbers ("December 1, 2026", "2026年12月1日",
"$1,234.00", "USD 1,234.00", "12.5%", "140 days", "+86 21 5555 0216").

The document model marks them (``Text(keep=True)``) when library text is parsed, so
each renderer keeps them whole its own way: the PDF in a ``white-space: nowrap``
span, the DOCX with no-break spaces and hyphens.
"""

from __future__ import annotations

import re
from functools import lru_cache

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_CODES = "USD|EUR|GBP|CNY|RMB|JPY|HKD|SGD|AUD|CAD|CHF"
_UNITS = r"(?:hours?|days?|Business Days?|business days?|working days?|weeks?|months?|years?)"
UNBREAKABLE = re.compile(
    "|".join(
        (
            rf"\b(?:{_MONTHS}) \d{{1,2}}, \d{{4}}",  # December 1, 2026
            r"\d{4}年\d{1,2}月(?:\d{1,2}日)?",  # 2026年12月1日
            r"\b\d{4}-\d{2}-\d{2}\b",  # 2026-12-01
            # USD 1,234.00 / $1,234.00 / ¥1,234 / 人民币1,234.00元 / -12.5%
            rf"(?:\b(?:{_CODES})[ \u00a0]|[$¥€£]|人民币)-?\d[\d,]*(?:\.\d+)?(?:元)?",
            r"-?\b\d[\d,]*(?:\.\d+)?[ \u00a0]?%",
            rf"\b\d[\d,]*(?:\.\d+)? {_UNITS}\b",  # 140 days
            # phone numbers: +86 21 5555 0216, (212) 555-0100, 021-5555-0216
            r"(?:\+\d{1,3}[ \u00a0-]?)?\(?\d{2,4}\)?(?:[ \u00a0-]\d{2,4}){2,4}\b",
        )
    )
)


_DIGIT = re.compile(r"\d")
"""Every unbreakable run holds a digit; text without one is a single breakable piece."""


@lru_cache(maxsize=8192)
def split_unbreakable(text: str) -> tuple[tuple[str, bool], ...]:
    """``text`` as pieces, each with whether it must stay on one line.

    Cached: the live preview re-parses a section whose text changed, and most of its
    runs of text are the same as the last time.
    """
    if not _DIGIT.search(text):
        return ((text, False),) if text else ()
    pieces: list[tuple[str, bool]] = []
    last = 0
    for match in UNBREAKABLE.finditer(text):
        if match.start() > last:
            pieces.append((text[last : match.start()], False))
        pieces.append((match.group(), True))
        last = match.end()
    if last < len(text):
        pieces.append((text[last:], False))
    return tuple(pieces)
