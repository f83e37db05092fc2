"""Formatting for a locale: money, dates, numbers, percentages, amounts in words.

Babel does the locale data (symbols, grouping, month names, currency names and
minor units); what no library does well is written here: Chinese capital
numerals for amounts (人民币大写) and cheque-style English amounts.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from propgen.locales import is_chinese
from propgen.pricing import MAX_AMOUNT, minor_units, places, round_money

_CN_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CN_PLACES = ("", "拾", "佰", "仟")
_CN_GROUPS = ("", "万", "亿", "万亿")

EN_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_EN_GROUPS = ("", " thousand", " million", " billion", " trillion")


UNITS: dict[str, tuple[str, str, str]] = {
    "hour": ("hour", "hours", "小时"),
    "day": ("day", "days", "日"),
    "business-day": ("Business Day", "Business Days", "个工作日"),
    "week": ("week", "weeks", "周"),
    "month": ("month", "months", "个月"),
    "year": ("year", "years", "年"),
    "installment": ("installment", "installments", "期"),
    "item": ("item", "items", "项"),
    "module": ("module", "modules", "个功能模块"),
}
"""The units :meth:`Formatter.count` writes: English singular, English plural,
Chinese (which has no plural)."""

_CHINESE_COUNTED = {"月": UNITS["month"][2]}
"""A record's Chinese unit that needs its measure word when counted: a quantity of
"1 月" or "12 月" reads as a calendar month (January, December), "1 个月" as a duration."""


_IRREGULAR = {"person": "people", "child": "children", "man": "men", "woman": "women"}


_QUALIFIED = re.compile(r"\s*/\s*|\s+(?:per|a|an|each|every|of|for|in)\s+")
"""Where a unit's noun ends and its qualifier starts: ``user per month``, ``seat /
year``, ``day of consulting``."""


def english_plural(unit: str) -> str:
    """The plural of an English unit noun (the last word of ``user-month``, ``seat
    licence``; the noun before its qualifier in ``user per month`` → ``users per
    month``, ``seat / year`` → ``seats / year``); a unit already plural (``users``) or
    not a word (``TB``) as written."""
    qualifier = _QUALIFIED.search(unit)
    if qualifier and qualifier.start() > 0:
        return english_plural(unit[: qualifier.start()]) + unit[qualifier.start() :]
    head, last = re.match(r"(.*?)([A-Za-z]+)?$", unit).groups()  # type: ignore[union-attr]
    if not last or not last.islower() or (last.endswith("s") and not last.endswith("ss")):
        return unit
    if last in _IRREGULAR:
        return head + _IRREGULAR[last]
    if re.search(r"(ss|sh|ch|x|z)$", last):
        return f"{head}{last}es"
    if re.search(r"[^aeiou]y$", last):
        return f"{head}{last[:-1]}ies"
    return f"{head}{last}s"


@lru_cache(maxsize=4096)
def _money_text(amount: str, currency: str, babel_locale: str) -> str:
    """An amount as Babel formats it. Cached by its exact digits (``str`` of the
    Decimal: ``-0.00`` and ``0.00`` stay apart): the live preview formats the same few
    dozen amounts on every edit."""
    from babel.numbers import format_currency

    return str(
        format_currency(Decimal(amount), currency, locale=babel_locale, currency_digits=True)
    )


@lru_cache(maxsize=4096)
def _number_text(value: str, babel_locale: str) -> str:
    """A number as Babel groups it, cached like :func:`_money_text`."""
    from babel.numbers import format_decimal

    return str(format_decimal(Decimal(value), locale=babel_locale, decimal_quantization=False))


@dataclass(frozen=True)
class Formatter:
    """Formats values for one locale (``en-US`` or ``zh-CN``) and currency."""

    locale: str
    currency: str

    @property
    def babel_locale(self) -> str:
        return self.locale.replace("-", "_")

    @property
    def is_chinese(self) -> bool:
        return is_chinese(self.locale)

    def money(self, amount: Decimal) -> str:
        """``Decimal("141455")`` → ``$141,455.00`` / ``¥141,455.00``."""
        rounded = round_money(Decimal(amount), self.currency)
        return _money_text(str(rounded), self.currency, self.babel_locale)

    def estimate(self, amount: Decimal) -> str:
        """An estimated amount in whole units, rounded half-up: ``2100000`` →
        ``$2,100,000`` / ``¥2,100,000``. An estimate in cents claims a precision it
        does not have ("about $2,100,000.00 a year")."""
        from babel.numbers import format_currency

        whole = Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return str(
            format_currency(
                whole,
                self.currency,
                format="¤#,##0",
                locale=self.babel_locale,
                currency_digits=False,
            )
        )

    def unit_price(self, amount: Decimal) -> str:
        """A unit price with every place it was given, at least the currency's:
        ``0.125`` → ``$0.125``, ``6900.1`` → ``$6,900.10``, ``55.5`` JPY → ``¥55.5``.
        Never rounded, so quantity × unit price multiplies out as printed."""
        from babel.numbers import format_currency

        amount = Decimal(amount)
        digits = max(minor_units(self.currency), places(amount))
        exact = amount.quantize(Decimal(1).scaleb(-digits))
        return str(
            format_currency(
                exact,
                self.currency,
                locale=self.babel_locale,
                currency_digits=True,
                decimal_quantization=False,
            )
        )

    def number(self, value: Decimal | int) -> str:
        """Grouped number, trailing zeros of whole numbers dropped: ``1200`` → ``1,200``."""
        value = Decimal(value)
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
        return _number_text(str(value), self.babel_locale)

    def percent(self, value: Decimal | int) -> str:
        """``Decimal("12.5")`` → ``12.5%``."""
        return f"{self.number(value)}%"

    def count(self, value: Decimal | int, unit: str) -> str:
        """A quantity with its unit, agreeing in number: ``1, "day"`` → ``1 day``,
        ``140, "day"`` → ``140 days`` (the locale's plural rule, from Babel);
        ``12, "month"`` → ``十二个月``, ``30, "day"`` → ``三十日`` and ``2, "month"`` →
        ``两个月`` in Chinese, whose contracts write counts in Chinese numerals (a
        fraction stays in figures: ``7.5个月``). Units: :data:`UNITS`.

        Raises:
            ValueError: an unknown unit.
        """
        if unit not in UNITS:
            raise ValueError(f"unknown unit {unit!r}; known: {', '.join(UNITS)}")
        if self.is_chinese:
            whole = Decimal(value) == Decimal(value).to_integral_value() and value >= 0
            number = chinese_number(int(value)) if whole else self.number(value)
            if number == "二":
                number = "两"  # 两个月, 两项, 两个工作日: a count of two, not the digit
            return f"{number}{UNITS[unit][2]}"
        number = self.number(value)
        singular, many, _ = UNITS[unit]
        return f"{number} {singular if self._singular(value) else many}"

    def quantity(self, value: Decimal | int, unit: str | None) -> str:
        """A priced quantity with the record's own unit, agreeing in number in English:
        ``140, "day"`` → ``140 days``, ``1, "lane"`` → ``1 lane``, ``12, "user-month"`` →
        ``12 user-months``; Chinese units as written (``140 人天``), but a count of months
        takes its measure word (``1 个月``: "1 月" reads as January)."""
        number = self.number(value)
        if not unit:
            return number
        if self.is_chinese:
            return f"{number} {_CHINESE_COUNTED.get(unit, unit)}"
        if self._singular(value):
            return f"{number} {unit}"
        return f"{number} {english_plural(unit)}"

    def _singular(self, value: Decimal | int) -> bool:
        """Whether the locale's plural rule (Babel/CLDR) calls ``value`` singular."""
        from babel import Locale

        return bool(Locale.parse(self.babel_locale).plural_form(Decimal(value)) == "one")

    def date(self, value: dt.date) -> str:
        """``2026-11-27`` → ``November 27, 2026`` / ``2026年11月27日``."""
        from babel.dates import format_date

        return str(format_date(value, format="long", locale=self.babel_locale))

    def currency_name(self, code: str) -> str:
        """The currency's name in the locale (``USD`` → 美元, ``CNY`` → 人民币 in zh-CN),
        for prose, where a Chinese reader expects the name rather than the ISO code."""
        from babel.numbers import get_currency_name

        return str(get_currency_name(code, locale=self.babel_locale))

    def join_list(self, items: list[str]) -> str:
        """``[a, b, c]`` → ``a, b and c`` / ``a、b和c``."""
        items = [str(i) for i in items]
        if len(items) <= 1:
            return "".join(items)
        if self.is_chinese:
            return "、".join(items[:-1]) + "和" + items[-1]
        return ", ".join(items[:-1]) + " and " + items[-1]

    def words(self, amount: Decimal) -> str:
        """An amount in words: 人民币大写 for Chinese, cheque style for English."""
        amount = round_money(Decimal(amount), self.currency)
        if self.is_chinese:
            return chinese_capital_amount(amount, self.currency)
        return english_amount(amount, self.currency)


def check_writable(amount: Decimal) -> None:
    """Refuse an amount the words functions cannot write.

    Raises:
        ValueError: negative, or not below :data:`~propgen.pricing.MAX_AMOUNT`.
    """
    if amount < 0:
        raise ValueError(f"amount {amount} is negative; amounts in words are never negative")
    if amount >= MAX_AMOUNT:
        raise ValueError(
            f"amount {amount} is not below {MAX_AMOUNT:,}, the largest amount propgen writes"
        )


def chinese_capital_amount(amount: Decimal, currency: str = "CNY") -> str:
    """``1542431.92`` → ``人民币壹佰伍拾肆万贰仟肆佰叁拾壹元玖角贰分``.

    Raises:
        ValueError: the amount is negative or too large, or ``currency`` has more
            than two decimal places (元角分 cannot state a fils or a baisa exactly).
    """
    from babel.numbers import get_currency_name

    check_writable(amount)
    if minor_units(currency) > 2:
        raise ValueError(
            f"{currency} has {minor_units(currency)} decimal places; Chinese capital "
            "numerals (元角分) state at most two"
        )
    if amount != round_money(amount, currency):
        raise ValueError(f"{amount} has more places than {currency} has")
    prefix = "人民币" if currency == "CNY" else str(get_currency_name(currency, locale="zh_CN"))
    cents = int((amount * 100).to_integral_value())
    yuan, fraction = divmod(cents, 100)
    jiao, fen = divmod(fraction, 10)
    if minor_units(currency) == 0:
        jiao = fen = 0
    text = _chinese_integer(yuan) + "元" if yuan else ""
    if not jiao and not fen:
        return prefix + (text or "零元") + "整"
    if jiao:
        text += _CN_DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += _CN_DIGITS[fen] + "分"
    return prefix + text


def _chinese_integer(
    number: int, digits: str = _CN_DIGITS, places: tuple[str, ...] = _CN_PLACES
) -> str:
    """``number`` in Chinese numerals, 大写 (壹佰零伍) by default, or in the ordinary
    numerals with ``digits`` and ``places`` (一百零五); empty for 0."""
    groups: list[int] = []
    while number:
        number, group = divmod(number, 10_000)
        groups.append(group)
    if len(groups) > len(_CN_GROUPS):
        raise ValueError("amount too large for Chinese capital numerals")
    text = ""
    zero_pending = False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            zero_pending = bool(text)
            continue
        if text and (zero_pending or group < 1000):
            text += "零"
        text += _chinese_group(group, digits, places) + _CN_GROUPS[index]
        zero_pending = False
    return text


def _chinese_group(group: int, digits: str, places: tuple[str, ...]) -> str:
    text = ""
    zero = False
    for place in (3, 2, 1, 0):
        digit = group // 10**place % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
        text += digits[digit] + places[place]
        zero = False
    return text


def english_amount(amount: Decimal, currency: str) -> str:
    """``141455.00`` USD → ``One hundred forty-one thousand four hundred fifty-five
    and 00/100 US dollars``."""
    from babel.numbers import get_currency_name

    check_writable(amount)
    if amount != round_money(amount, currency):
        raise ValueError(f"{amount} has more places than {currency} has")
    units = minor_units(currency)
    whole = int(amount)
    name = str(get_currency_name(currency, count=1 if amount == 1 else 2, locale="en_US"))
    words = _english_integer(whole)
    text = words[0].upper() + words[1:]
    if units:
        fraction = int(((amount - whole) * 10**units).to_integral_value())
        text += f" and {fraction:0{units}d}/{10**units}"
    return f"{text} {name}"


def _english_integer(number: int) -> str:
    if number == 0:
        return "zero"
    parts: list[str] = []
    index = 0
    while number:
        number, group = divmod(number, 1000)
        if group:
            if index >= len(_EN_GROUPS):
                raise ValueError("amount too large to write in words")
            parts.append(_english_group(group) + _EN_GROUPS[index])
        index += 1
    return " ".join(reversed(parts))


def _english_group(group: int) -> str:
    hundreds, rest = divmod(group, 100)
    words = [f"{EN_ONES[hundreds]} hundred"] if hundreds else []
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        words.append(EN_TENS[tens] + (f"-{EN_ONES[ones]}" if ones else ""))
    elif rest:
        words.append(EN_ONES[rest])
    return " ".join(words)


_CN_NUMERALS = "零一二三四五六七八九"
_CN_SMALL_PLACES = ("", "十", "百", "千")


def chinese_number(n: int) -> str:
    """A whole number in Chinese numerals, as contracts write counts and clause numbers:
    ``1`` → 一, ``12`` → 十二, ``21`` → 二十一, ``105`` → 一百零五, ``110`` → 一百一十,
    ``180`` → 一百八十, ``100000`` → 十万, ``120000000`` → 一亿二千万.

    Raises:
        ValueError: a negative number.
    """
    if n < 0:
        raise ValueError(f"no Chinese numeral for a negative number: {n}")
    text = _chinese_integer(n, _CN_NUMERALS, _CN_SMALL_PLACES) or "零"
    return text[1:] if text.startswith("一十") else text  # 十五, 十万: no leading 一
