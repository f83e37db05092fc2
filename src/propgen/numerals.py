"""Numbers as contracts write them, in digits or in Chinese numerals: one reader
for the bilingual checks (:mod:`propgen.figures`) and for review's governed figures
(:mod:`propgen.review.figures`). Light to import: review's fast path uses it.

``60``, ``1,200,000``, ``120万``, ``六十``, ``陆拾``, ``一百二十万`` are numbers;
``8%`` and ``百分之八`` percentages.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = ["CN_NUMERAL", "NUMBER", "PERCENT", "chinese_numeral", "number_value", "percent_value"]

_CN_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_CN_VALUES |= {"七": 7, "八": 8, "九": 9}
_CN_VALUES |= {ch: n for n, ch in enumerate("零壹贰叁肆伍陆柒捌玖")}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "拾": 10, "佰": 100, "仟": 1000}
CN_NUMERAL = "[零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]+"


def chinese_numeral(text: str) -> int:
    """``十五`` → 15, ``二十一`` → 21, ``一百二十`` → 120, ``三十五万`` → 350000,
    ``一亿二千万`` → 120000000."""
    total = section = digit = 0
    for ch in text:
        if ch in _CN_VALUES:
            digit = _CN_VALUES[ch]
        elif ch == "亿":
            total = (total + section + digit) * 100_000_000
            section = digit = 0
        elif ch == "万":
            total += (section + digit) * 10_000
            section = digit = 0
        else:
            section += (digit or 1) * _CN_UNITS[ch]
            digit = 0
    return total + section + digit


NUMBER = rf"(?:\d[\d,]*(?:\.\d+)?(?:万|亿)?|{CN_NUMERAL})"
"""A number as a contract may write it: ``60``, ``1,200,000.50``, ``120万``, ``六十``,
``一百二十万`` (a regular-expression fragment without groups; :func:`number_value`
reads what it matches)."""
PERCENT = rf"(?:{NUMBER}\s?[%％]|[百千万]分之{NUMBER})"
"""A percentage: ``8%``, ``8 %``, ``百分之八``, ``千分之五`` (:func:`percent_value`)."""
_NUMBER_WHOLE = re.compile(NUMBER)
_FRACTION_WHOLE = re.compile(rf"([百千万])分之({NUMBER})")


def number_value(text: str) -> Decimal | None:
    """The value of a number :data:`NUMBER` matches, written in digits or in Chinese
    numerals: ``1,200,000`` and ``120万`` and ``一百二十万`` are all 1200000; ``六十`` is
    60. None for text that is not one number."""
    text = text.strip()
    if not _NUMBER_WHOLE.fullmatch(text):
        return None
    if text[0].isdigit():
        scale = {"万": 10_000, "亿": 100_000_000}.get(text[-1], 1)
        digits = text[:-1] if scale != 1 else text
        try:
            return Decimal(digits.replace(",", "")) * scale
        except InvalidOperation:
            return None
    value = chinese_numeral(text)
    if value == 0 and not set(text) & set("零〇"):
        return None  # units alone (万, 百), not a number
    return Decimal(value)


def percent_value(text: str) -> Decimal | None:
    """The percentage :data:`PERCENT` matches: ``8%`` and ``百分之八`` are 8,
    ``千分之五`` is 0.5."""
    text = text.strip()
    fraction = _FRACTION_WHOLE.fullmatch(text)
    if fraction is not None:
        value = number_value(fraction[2])
        base = {"百": 100, "千": 1000, "万": 10_000}[fraction[1]]
        return None if value is None else value * 100 / base
    return number_value(text.rstrip("%％").rstrip())
