"""Pricing to the cent, against independent arithmetic."""

from __future__ import annotations

import itertools
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from propgen.needs.loader import load_needs
from propgen.needs.models import Instalment, LineItem, Pricing
from propgen.pricing import minor_units, price, round_money

D = Decimal


def test_northwind_figures(northwind: Path) -> None:
    record = load_needs(northwind).record
    result = price(record.pricing, "USD")
    assert [line.total for line in result.lines] == [
        D("58320.00"),
        D("52080.00"),
        D("38500.00"),
        D("7200.00"),
    ]
    assert result.subtotal == D("148900.00")
    assert result.discount == D("7445.00")
    assert result.tax == D("0.00")
    assert result.total == D("141455.00")
    assert [i.amount for i in result.instalments] == [D("56582.00"), D("56582.00"), D("28291.00")]


def test_huaxin_figures(huaxin: Path) -> None:
    record = load_needs(huaxin).record
    result = price(record.pricing, "CNY")
    assert result.subtotal == D("1407200.00")
    assert result.discount == D("42216.00")
    assert result.net == D("1364984.00")
    assert result.tax == D("177447.92")
    assert result.total == D("1542431.92")
    assert result.optional_total == D("15000.00")
    assert [i.amount for i in result.instalments] == [
        D("462729.58"),
        D("616972.77"),
        D("385607.98"),
        D("77121.59"),
    ]


@pytest.mark.parametrize(
    ("quantity", "periods", "unit_price", "discount", "currency", "expected"),
    [
        ("1", "1", "0.005", "0", "USD", "0.01"),  # half-up, not banker's
        ("1", "1", "0.015", "0", "USD", "0.02"),
        ("3", "1", "33.333", "0", "USD", "100.00"),
        ("1", "1", "1234.5", "0", "JPY", "1235"),  # JPY has no minor unit
        ("7", "12", "19.99", "12.5", "EUR", "1469.27"),
        ("2", "1", "280000.00", "8", "CNY", "515200.00"),
    ],
)
def test_line_totals(
    quantity: str, periods: str, unit_price: str, discount: str, currency: str, expected: str
) -> None:
    pricing = Pricing(
        items=[
            LineItem(
                name="x",
                quantity=D(quantity),
                periods=D(periods),
                unit_price=D(unit_price),
                discount_pct=D(discount),
            )
        ]
    )
    assert price(pricing, currency).lines[0].total == D(expected)


def test_optional_items_are_excluded_from_every_total() -> None:
    pricing = Pricing(
        items=[
            LineItem(name="a", quantity=D(1), unit_price=D("100")),
            LineItem(name="b", quantity=D(1), unit_price=D("50"), optional=True),
        ],
        discount_pct=D(10),
        tax_pct=D(10),
    )
    result = price(pricing, "USD")
    assert (result.subtotal, result.discount, result.tax, result.total) == (
        D("100.00"),
        D("10.00"),
        D("9.00"),
        D("99.00"),
    )


def test_currency_minor_units_come_from_iso_4217() -> None:
    assert (minor_units("USD"), minor_units("CNY"), minor_units("JPY")) == (2, 2, 0)


money = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)
percent = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False)


@st.composite
def schedules(draw: st.DrawFn) -> list[Decimal]:
    cuts = sorted(draw(st.lists(st.integers(1, 99), max_size=5, unique=True)))
    bounds = [0, *cuts, 100]
    return [D(b - a) for a, b in itertools.pairwise(bounds)]


@settings(deadline=None)  # a loaded CI machine is no reason to fail exact arithmetic
@example(  # rounding up three instalments would leave the last one negative
    items=[(2, Decimal("0.03"), Decimal("41.7"), False)],
    deal_discount=Decimal("0.0"),
    tax=Decimal("83.4"),
    schedule=[Decimal("9"), Decimal("9"), Decimal("75"), Decimal("7")],
    currency="USD",
)
@given(
    items=st.lists(
        st.tuples(st.integers(0, 500), money, percent, st.booleans()), min_size=1, max_size=8
    ),
    deal_discount=percent,
    tax=percent,
    schedule=schedules(),
    currency=st.sampled_from(["USD", "CNY", "JPY", "EUR"]),
)
def test_totals_match_independent_arithmetic(
    items: list[tuple[int, Decimal, Decimal, bool]],
    deal_discount: Decimal,
    tax: Decimal,
    schedule: list[Decimal],
    currency: str,
) -> None:
    pricing = Pricing(
        items=[
            LineItem(name=f"i{n}", quantity=D(q), unit_price=p, discount_pct=d, optional=o)
            for n, (q, p, d, o) in enumerate(items)
        ],
        discount_pct=deal_discount,
        tax_pct=tax,
        payment_schedule=[Instalment(milestone=f"m{n}", percent=p) for n, p in enumerate(schedule)],
    )
    result = price(pricing, currency)
    quantum = D(1).scaleb(-minor_units(currency))

    # Independent arithmetic: integer minor units, explicit half-up.
    def cents(value: Decimal) -> int:
        scaled = value / quantum
        return int(scaled + D("0.5")) if scaled >= 0 else -int(-scaled + D("0.5"))

    lines = [cents(D(q) * p * (100 - d) / 100) for q, p, d, _ in items]
    subtotal = sum(c for c, item in zip(lines, items, strict=True) if not item[3])
    discount = cents(subtotal * quantum * deal_discount / 100)
    taxed = cents((subtotal - discount) * quantum * tax / 100)
    assert result.subtotal == subtotal * quantum
    assert result.total == (subtotal - discount + taxed) * quantum
    # Each instalment is its percent of the total, rounded, but never more than is
    # left (so none is negative); the last absorbs the remainder.
    total = subtotal - discount + taxed
    instalments: list[int] = []
    for percent in schedule[:-1]:
        instalments.append(min(cents(total * quantum * percent / 100), total - sum(instalments)))
    instalments.append(total - sum(instalments))
    assert all(amount >= 0 for amount in instalments)
    assert [i.amount for i in result.instalments] == [c * quantum for c in instalments]
    for amount in (
        result.subtotal,
        result.discount,
        result.tax,
        result.total,
        *(i.amount for i in result.instalments),
    ):
        assert amount.as_tuple().exponent == -minor_units(currency)
        assert round_money(amount, currency) == amount
