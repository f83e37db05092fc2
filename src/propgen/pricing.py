"""Pricing: pure Decimal arithmetic, exactly as product.md §4 states it.

Every amount is rounded half-up to the currency's minor unit (ISO 4217 via Babel):

- line total = round(quantity × periods × unit_price × (1 − discount_pct / 100))
- optional lines are shown but excluded from every total
- subtotal = Σ non-optional line totals
- deal discount = round(subtotal × discount_pct / 100); net = subtotal − discount
- tax = round(net × tax_pct / 100); total = net + tax
- instalment = round(total × percent / 100), the last takes the remainder; an
  instalment never takes more than what is left, so none is ever negative

Products are computed exactly (a local context wide enough for the largest inputs
the record allows) before the one rounding; every amount stays below
:data:`MAX_AMOUNT`, the largest figure the amount-in-words functions write, and
validation refuses a record whose amounts would not.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from functools import cache

from propgen.needs.models import LineItem, Pricing

HUNDRED = Decimal(100)
MAX_AMOUNT = Decimal(10) ** 15
"""Every amount (line, subtotal, tax, total) is below this: one quadrillion units.

The single maximum shared by validation (which refuses a record beyond it, naming
the field) and the amount-in-words functions (English to the trillions, Chinese
capital numerals to 万亿)."""
EXTRA_UNIT_PRICE_PLACES = 4
"""A unit price may carry this many places beyond the currency's minor unit (a
per-call rate of $0.0025); it is printed with exactly the places it has."""
_EXACT = Context(prec=100)
"""Wide enough that quantity × periods × unit price × (1 − discount) of the largest
values the record accepts (15 + 9 + 18 + 9 digits) is exact."""


@dataclass(frozen=True)
class PricedLine:
    item: LineItem
    total: Decimal

    # Pass-throughs so templates can write ``line.name`` rather than ``line.item.name``.
    @property
    def name(self) -> str:
        return self.item.name

    @property
    def sku(self) -> str | None:
        return self.item.sku

    @property
    def kind(self) -> str | None:
        return self.item.kind

    @property
    def unit(self) -> str | None:
        return self.item.unit

    @property
    def quantity(self) -> Decimal:
        return self.item.quantity

    @property
    def periods(self) -> Decimal:
        return self.item.periods

    @property
    def unit_price(self) -> Decimal:
        return self.item.unit_price

    @property
    def discount_pct(self) -> Decimal:
        return self.item.discount_pct

    @property
    def optional(self) -> bool:
        return self.item.optional


@dataclass(frozen=True)
class PricedInstalment:
    milestone: str
    percent: Decimal
    amount: Decimal


@dataclass(frozen=True)
class PriceBreakdown:
    """A priced deal: every figure a document or a policy check needs."""

    currency: str
    lines: tuple[PricedLine, ...]
    subtotal: Decimal
    discount_pct: Decimal
    discount: Decimal
    net: Decimal
    tax_pct: Decimal
    tax: Decimal
    total: Decimal
    optional_total: Decimal
    instalments: tuple[PricedInstalment, ...]


@cache
def minor_units(currency: str) -> int:
    """Decimal places of ``currency`` (2 for USD, 0 for JPY)."""
    from babel.numbers import get_currency_precision

    return int(get_currency_precision(currency))


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round half-up to the currency's minor unit."""
    quantum = Decimal(1).scaleb(-minor_units(currency))
    return amount.quantize(quantum, rounding=ROUND_HALF_UP, context=_EXACT)


def unit_price_places(currency: str) -> int:
    """The most decimal places a unit price in ``currency`` may have."""
    return minor_units(currency) + EXTRA_UNIT_PRICE_PLACES


def places(value: Decimal) -> int:
    """Decimal places written in ``value`` (``6900.10`` → 2, ``55`` → 0)."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def line_amount(item: LineItem) -> Decimal:
    """quantity × periods × unit_price × (1 − discount_pct / 100), exactly, unrounded."""
    with localcontext(_EXACT):
        return +(item.quantity * item.periods * item.unit_price * (1 - item.discount_pct / HUNDRED))


def price(pricing: Pricing, currency: str) -> PriceBreakdown:
    """Price a deal.

    Args:
        pricing: the record's pricing section (already validated).
        currency: the ISO 4217 code amounts are rounded for.
    """

    with localcontext(_EXACT):
        return _price(pricing, currency)


def _price(pricing: Pricing, currency: str) -> PriceBreakdown:
    def r(amount: Decimal) -> Decimal:
        return round_money(amount, currency)

    lines = tuple(PricedLine(item=item, total=r(line_amount(item))) for item in pricing.items)
    subtotal = r(sum((line.total for line in lines if not line.optional), Decimal(0)))
    optional_total = r(sum((line.total for line in lines if line.optional), Decimal(0)))
    discount = r(subtotal * pricing.discount_pct / HUNDRED)
    net = subtotal - discount
    tax = r(net * pricing.tax_pct / HUNDRED)
    total = net + tax
    return PriceBreakdown(
        currency=currency,
        lines=lines,
        subtotal=subtotal,
        discount_pct=pricing.discount_pct,
        discount=discount,
        net=net,
        tax_pct=pricing.tax_pct,
        tax=tax,
        total=total,
        optional_total=optional_total,
        instalments=_instalments(pricing, total, currency),
    )


def _instalments(pricing: Pricing, total: Decimal, currency: str) -> tuple[PricedInstalment, ...]:
    schedule = pricing.payment_schedule
    amounts: list[Decimal] = []
    left = total
    for step in schedule[:-1]:
        amount = min(round_money(total * step.percent / HUNDRED, currency), left)
        amounts.append(amount)
        left -= amount
    if schedule:
        amounts.append(left)
    return tuple(
        PricedInstalment(milestone=step.milestone, percent=step.percent, amount=amount)
        for step, amount in zip(schedule, amounts, strict=True)
    )
