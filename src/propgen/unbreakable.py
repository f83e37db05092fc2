"""Runs of text that must never break across lines: dates, amounts, percentages,
quantities with their unit and phone numbers ("December 1, 2026", "2026年12月1日",
"$1,234.00", "USD 1,234.00", "12.5%", "140 days", "4 个工作小时", "+86 21 5555 0216"),
and cross-references ("clause 11.4", "Annex 2").

The document model marks them (``Text(keep=True)``) when library text is parsed, so
each renderer keeps them whole its own way: the PDF in a ``white-space: nowrap``
span, the DOCX with no-break spaces and hyphens.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_CODES = "USD|EUR|GBP|CNY|RMB|JPY|HKD|SGD|AUD|CAD|CHF"
_UNITS = r"(?:hours?|days?|Business Days?|business days?|working days?|weeks?|months?|years?)"
_ZH_UNITS = "(?:个工作小时|个工作日|个小时|个月|小时|分钟|工作日|日|天|周|年)"
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
            # a cross-reference: clause 11.4, Section 2.3(b), Annex 2, Schedule 1
            r"\b(?:[Cc]lauses?|[Ss]ections?|Annex|Schedule) \d+(?:\.\d+)*(?:\([a-z]\))?",
            rf"\d[\d,]*(?:\.\d+)?[ \u00a0]?{_ZH_UNITS}",  # 4 个工作小时, 30日, 12 个月
            # phone numbers: +86 21 5555 0216, (212) 555-0100, 021-5555-0216
            r"(?:\+\d{1,3}[ \u00a0-]?)?\(?\d{2,4}\)?(?:[ \u00a0-]\d{2,4}){2,4}\b",
        )
    )
)


_DIGIT = re.compile(r"\d")
"""Every unbreakable run holds a digit; text without one is a single breakable piece."""
REACH = 10
"""The most characters an unbreakable run has before its first digit ("September ",
"USD -", "人民币-", "+", "("): a run can start no further than this before a digit."""


def unbreakable_runs(text: str) -> Iterator[re.Match[str]]:
    """The matches ``UNBREAKABLE.finditer(text)`` gives, trying the pattern only within
    :data:`REACH` of a digit: its alternatives tried at every position of a long
    paragraph were most of the time the preview spent splitting text."""
    pos = 0  # no run starts before pos
    while (digit := _DIGIT.search(text, pos)) is not None:
        for start in range(max(pos, digit.start() - REACH), digit.start() + 1):
            match = UNBREAKABLE.match(text, start)
            if match is not None:
                yield match
                pos = match.end()
                break
        else:
            pos = digit.start() + 1


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
    for match in unbreakable_runs(text):
        if match.start() > last:
            pieces.append((text[last : match.start()], False))
        pieces.append((match.group(), True))
        last = match.end()
    if last < len(text):
        pieces.append((text[last:], False))
    return tuple(pieces)
