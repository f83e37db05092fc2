"""Locale formatting, Chinese capital numerals and English amounts in words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from propgen.locale import Formatter, chinese_capital_amount, english_amount


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1542431.92", "人民币壹佰伍拾肆万贰仟肆佰叁拾壹元玖角贰分"),
        ("0.05", "人民币伍分"),
        ("0", "人民币零元整"),
        ("10", "人民币壹拾元整"),
        ("100010", "人民币壹拾万零壹拾元整"),
        ("10001", "人民币壹万零壹元整"),
        ("101000000", "人民币壹亿零壹佰万元整"),
        ("1000000.50", "人民币壹佰万元伍角"),
        ("1200.07", "人民币壹仟贰佰元零柒分"),
        ("60036", "人民币陆万零叁拾陆元整"),
    ],
)
def test_chinese_capital_amount(amount: str, expected: str) -> None:
    assert chinese_capital_amount(Decimal(amount)) == expected


def test_english_amount() -> None:
    assert english_amount(Decimal("141455.00"), "USD") == (
        "One hundred forty-one thousand four hundred fifty-five and 00/100 US dollars"
    )
    assert english_amount(Decimal("1"), "JPY") == "One Japanese yen"


def test_formatter_per_locale() -> None:
    en, zh = Formatter("en-US", "USD"), Formatter("zh-CN", "CNY")
    assert en.money(Decimal("141455")) == "$141,455.00"
    assert zh.money(Decimal("1542431.92")) == "¥1,542,431.92"
    assert en.date(dt.date(2026, 11, 27)) == "November 27, 2026"
    assert zh.date(dt.date(2026, 11, 27)) == "2026年11月27日"
    assert en.percent(Decimal("12.50")) == "12.5%"
    assert zh.join_list(["甲", "乙", "丙"]) == "甲、乙和丙"
    assert zh.words(Decimal("1542431.92")) == "人民币壹佰伍拾肆万贰仟肆佰叁拾壹元玖角贰分"


def test_cached_formatting_keeps_equal_values_of_other_digits_apart() -> None:
    """Amounts and numbers are formatted once per exact digits: values that compare
    equal but print differently (-0 and 0, 1.5 and 1.50) never share an entry."""
    usd, cny = Formatter("en-US", "USD"), Formatter("zh-CN", "CNY")
    for _ in range(2):  # the second round is served from the cache
        assert usd.money(Decimal("-0.001")) == "-$0.00"
        assert usd.money(Decimal("0")) == "$0.00"
        assert usd.money(Decimal("1234.5")) == "$1,234.50"
        assert cny.money(Decimal("1234.5")) == "¥1,234.50"
        assert usd.number(Decimal("1200.0")) == "1,200"
        assert usd.number(Decimal("1.25")) == "1.25"
        assert usd.percent(Decimal("12.5")) == "12.5%"


@pytest.mark.parametrize(
    ("unit", "plural"),
    [
        ("user-month", "user-months"),
        ("seat licence", "seat licences"),
        ("user per month", "users per month"),
        ("seat / year", "seats / year"),
        ("seat/year", "seats/year"),
        ("day of consulting", "days of consulting"),
        ("site licence per year", "site licences per year"),
        ("TB per month", "TB per month"),
        ("users", "users"),
        ("person", "people"),
        ("box", "boxes"),
        ("terminal for a store", "terminals for a store"),
    ],
)
def test_a_priced_quantity_agrees_in_number(unit: str, plural: str) -> None:
    fmt = Formatter("en-US", "USD")
    assert fmt.quantity(Decimal(3), unit) == f"3 {plural}"
    assert fmt.quantity(Decimal(1), unit) == f"1 {unit}"
