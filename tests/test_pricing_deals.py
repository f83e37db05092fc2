"""Recurring, ramped, tiered and converted lines, and the margin: figures worked out
by hand in the comments, then properties that must hold for any deal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from propgen.needs.models import ExchangeRate, LineItem, Pricing, RampYear, Tier
from propgen.pricing import margin, minor_units, price, price_line, round_money

D = Decimal


def item(**fields: Any) -> LineItem:
    return LineItem.model_validate({"name": "x", "quantity": 1, **fields})


def test_recurring_and_one_off_summary() -> None:
    # 10 users × 24 months × 50.00 = 12,000.00 recurring (6,000.00 a year);
    # set-up 3,000.00 one-off. Subtotal 15,000.00; 10% deal discount 1,500.00;
    # TCV = net = 13,500.00; 6% tax = 810.00; total 14,310.00.
    pricing = Pricing(
        items=[
            item(name="seats", quantity=10, periods=24, unit_price="50", recurring="month"),
            item(name="setup", unit_price="3000"),
        ],
        discount_pct=D(10),
        tax_pct=D(6),
        payment_by_year=True,
    )
    result = price(pricing, "USD")
    assert result.one_off_total == D("3000.00")
    assert result.annual_recurring == D("6000.00")
    assert result.tcv == result.net == D("13500.00")
    assert result.total == D("14310.00")
    # Year 1: 3,000 + 6,000 = 9,000; discount round(1,500 × 9/15) = 900; net 8,100;
    # tax round(810 × 8,100/13,500) = 486.00; total 8,586.00.
    # Year 2: 6,000; discount 600; net 5,400; tax 324.00; total 5,724.00.
    assert [(y.one_off, y.recurring, y.discount, y.net, y.tax, y.total) for y in result.years] == [
        (D("3000.00"), D("6000.00"), D("900.00"), D("8100.00"), D("486.00"), D("8586.00")),
        (D("0.00"), D("6000.00"), D("600.00"), D("5400.00"), D("324.00"), D("5724.00")),
    ]
    assert [(i.year, i.percent, i.amount) for i in result.instalments] == [
        (1, None, D("8586.00")),
        (2, None, D("5724.00")),
    ]


def test_ramp_by_quantity_and_price() -> None:
    # Year 1: 85 × 12 × 62.00 × 0.88 = 55,651.20
    # Year 2: 110 × 12 × 62.00 × 0.88 = 72,019.20
    # Year 3: 130 × 12 × 65.00 × 0.88 = 89,232.00   (price rises in year 3)
    line = price_line(
        item(
            quantity=85,
            unit_price="62.00",
            discount_pct=12,
            recurring="month",
            ramp=[{"quantity": 85}, {"quantity": 110}, {"quantity": 130, "unit_price": "65.00"}],
        ),
        "USD",
    )
    assert [y.amount for y in line.years] == [D("55651.20"), D("72019.20"), D("89232.00")]
    assert [y.periods for y in line.years] == [12, 12, 12]
    assert line.total == D("216902.40")
    assert line.periods == 36


def test_partial_last_year_and_quarters() -> None:
    # 30 months at 100.00: years of 12, 12 and 6 months → 1,200 / 1,200 / 600.
    monthly = price_line(item(periods=30, unit_price="100", recurring="month"), "USD")
    assert [(y.periods, y.amount) for y in monthly.years] == [
        (D(12), D("1200.00")),
        (D(12), D("1200.00")),
        (D(6), D("600.00")),
    ]
    # 6 quarters of 333.33 × 3 units: total round(5,999.94) = 5,999.94;
    # year 1 = round(5,999.94 × 4/6) = 3,999.96; year 2 takes the remainder 1,999.98.
    quarterly = price_line(
        item(quantity=3, periods=6, unit_price="333.33", recurring="quarter"), "USD"
    )
    assert quarterly.total == D("5999.94")
    assert [y.amount for y in quarterly.years] == [D("3999.96"), D("1999.98")]


def test_graduated_tiers() -> None:
    # 1,250 units: 1–500 at 4.00 = 2,000.00; 501–1,000 at 3.00 = 1,500.00;
    # 1,001+ at 2.50 → 250 × 2.50 = 625.00. Per month, 12 months: × 12.
    line = price_line(
        item(
            quantity=1250,
            periods=12,
            recurring="month",
            tiers=[
                {"up_to": 500, "unit_price": "4.00"},
                {"up_to": 1000, "unit_price": "3.00"},
                {"unit_price": "2.50"},
            ],
        ),
        "USD",
    )
    assert [(t.quantity, t.amount) for t in line.tiers] == [
        (D(500), D("24000.00")),
        (D(500), D("18000.00")),
        (D(250), D("7500.00")),
    ]
    assert line.total == D("49500.00")


def test_all_units_tiers() -> None:
    # 1,250 units fall in the third band: every unit at 2.50 → 3,125.00.
    tiers = [
        {"up_to": 500, "unit_price": "4.00"},
        {"up_to": 1000, "unit_price": "3.00"},
        {"unit_price": "2.50"},
    ]
    line = price_line(item(quantity=1250, tiers=tiers, tier_pricing="all-units"), "USD")
    assert [t.applies for t in line.tiers] == [False, False, True]
    assert line.total == D("3125.00")
    # Exactly 500 is still in the first band (up_to is inclusive): 500 × 4.00.
    edge = price_line(item(quantity=500, tiers=tiers, tier_pricing="all-units"), "USD")
    assert edge.total == D("2000.00")
    assert [t.applies for t in edge.tiers] == [True, False, False]


def test_conversion_rounds_once_per_line() -> None:
    # Priced in USD, quoted in CNY at 7.1234 as of 2027-01-05.
    # Line 1: 3 × 19.99 × 7.1234 = 427.190298 → ¥427.19 (not 3 × round(142.40) = 427.20).
    # Line 2: 1 × 1,000.00 × 7.1234 × 0.95 = 6,767.23.
    pricing = Pricing(
        items=[item(quantity=3, unit_price="19.99"), item(unit_price="1000", discount_pct=5)],
        currency="USD",
        exchange_rate=ExchangeRate(rate=D("7.1234"), as_of=dt.date(2027, 1, 5)),
    )
    result = price(pricing, "CNY")
    assert [line.total for line in result.lines] == [D("427.19"), D("6767.23")]
    assert result.subtotal == D("7194.42")
    assert result.conversion is not None and result.price_currency == "USD"
    # To JPY (no minor unit): 1 × 1,000.00 × 151.37 = 151,370.
    jpy = price(
        Pricing(
            items=[item(unit_price="1000.00"), item(unit_price="0.333")],
            currency="USD",
            exchange_rate=ExchangeRate(rate=D("151.37"), as_of=dt.date(2027, 1, 5)),
        ),
        "JPY",
    )
    assert [line.total for line in jpy.lines] == [D("151370"), D("50")]  # 50.40621 → 50


def test_margin_and_its_cost_never_reaches_the_lines() -> None:
    # Revenue: 10 × 12 × 100 = 12,000 + 5,000 = 17,000; 5% discount → net 16,150.
    # Cost: 10 × 12 × 40 = 4,800 + 3,500 = 8,300. Margin (16,150 − 8,300) / 16,150
    # = 48.606…% → 48.61.
    pricing = Pricing(
        items=[
            item(quantity=10, periods=12, unit_price="100", recurring="month", unit_cost="40"),
            item(unit_price="5000", unit_cost="3500"),
        ],
        discount_pct=D(5),
    )
    result = price(pricing, "USD")
    found = margin(pricing, result)
    assert found is not None and (found.cost, found.percent) == (D("8300.00"), D("48.61"))
    assert all(line.item.unit_cost is None for line in result.lines)
    partly = Pricing(items=[item(unit_price="10", unit_cost="4"), item(name="y", unit_price="5")])
    found = margin(partly, price(partly, "USD"))
    assert found is not None and found.percent is None and found.uncosted == ("y",)
    plain = Pricing(items=[item(unit_price="10")])
    assert margin(plain, price(plain, "USD")) is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"unit_price": "1", "tiers": [{"unit_price": "1"}]}, "not both"),
        ({"tiers": [{"up_to": 5, "unit_price": "1"}]}, "the last has none"),
        (
            {
                "tiers": [
                    {"up_to": 5, "unit_price": "1"},
                    {"up_to": 5, "unit_price": "1"},
                    {"unit_price": "1"},
                ]
            },
            "must increase",
        ),
        ({}, "unit_price is required"),
        ({"unit_price": "1", "ramp": [{"quantity": 2}]}, "needs a recurring line"),
        (
            {"unit_price": "1", "recurring": "month", "periods": 24, "ramp": [{"quantity": 2}]},
            "the ramp gives 1 years but 24 months run 2",
        ),
        ({"unit_price": "1", "recurring": "year", "ramp": [{}]}, "quantity, unit_price or both"),
    ],
)
def test_inconsistent_lines_are_refused(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        item(**fields)


# --- properties ---------------------------------------------------------------

money = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
percent = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False)
currencies = st.sampled_from(["USD", "CNY", "JPY", "EUR"])


@st.composite
def lines(draw: st.DrawFn) -> LineItem:
    recurring = draw(st.sampled_from([None, "month", "quarter", "year"]))
    quantity = D(draw(st.integers(0, 2000)))
    discount = draw(percent)
    shape = draw(st.sampled_from(["plain", "tiers", "ramp"] if recurring else ["plain", "tiers"]))
    fields: dict[str, Any] = {"quantity": quantity, "discount_pct": discount}
    if recurring:
        fields["recurring"] = recurring
    if shape == "ramp":
        years = draw(st.integers(1, 5))
        fields["unit_price"] = draw(money)
        fields["ramp"] = [
            RampYear(quantity=D(draw(st.integers(0, 2000))), unit_price=draw(money))
            for _ in range(years)
        ]
    else:
        if recurring:
            fields["periods"] = D(draw(st.integers(1, 72)))
        if shape == "tiers":
            limits = sorted(
                draw(st.lists(st.integers(1, 3000), min_size=0, max_size=4, unique=True))
            )
            fields["tiers"] = [Tier(up_to=D(top), unit_price=draw(money)) for top in limits] + [
                Tier(unit_price=draw(money))
            ]
            fields["tier_pricing"] = draw(st.sampled_from(["graduated", "all-units"]))
        else:
            fields["unit_price"] = draw(money)
    fields["optional"] = draw(st.booleans())
    return LineItem(name="x", **fields)


@settings(deadline=None)
@given(
    items=st.lists(lines(), min_size=1, max_size=6),
    deal_discount=percent,
    tax=percent,
    currency=currencies,
    by_year=st.booleans(),
)
def test_years_tiers_and_instalments_add_up(
    items: list[LineItem], deal_discount: Decimal, tax: Decimal, currency: str, by_year: bool
) -> None:
    pricing = Pricing(items=items, discount_pct=deal_discount, tax_pct=tax, payment_by_year=by_year)
    result = price(pricing, currency)
    for line in result.lines:
        assert sum(y.amount for y in line.years) == line.total  # a line's years sum to it
        if line.tiered:
            assert sum(t.amount for t in line.tiers) == line.total  # tiers sum to the line
    years = result.years
    assert sum(y.net for y in years) == result.tcv == result.net  # years sum to TCV
    assert sum(y.subtotal for y in years) == result.subtotal
    assert sum(y.tax for y in years) == result.tax
    assert sum(y.total for y in years) == result.total
    assert result.one_off_total + sum(y.recurring for y in years) == result.subtotal
    if by_year:
        assert sum(i.amount for i in result.instalments) == result.total
    quantum = -minor_units(currency)
    for amount in (
        *(y.total for y in years),
        *(y.amount for line in result.lines for y in line.years),
        result.tcv,
        result.annual_recurring,
        result.one_off_total,
    ):
        assert amount.as_tuple().exponent == quantum


@settings(deadline=None)
@given(
    quantity=st.integers(1, 10_000),
    unit_price=money,
    rate=st.decimals(min_value=D("0.0001"), max_value=1000, places=4),
    discount=percent,
    currency=currencies,
)
def test_conversion_rounds_once_per_line_for_any_rate(
    quantity: int, unit_price: Decimal, rate: Decimal, discount: Decimal, currency: str
) -> None:
    line = price_line(
        LineItem(name="x", quantity=D(quantity), unit_price=unit_price, discount_pct=discount),
        currency,
        rate,
    )
    exact = D(quantity) * unit_price * rate * (100 - discount) / 100
    assert line.total == round_money(exact, currency)
    assert abs(line.total - exact) <= D(1).scaleb(-minor_units(currency)) / 2
