"""Pricing: pure Decimal arithmetic, exactly as product.md §4 and docs/pricing.md state it.

Every amount is rounded half-up to the quote currency's minor unit (ISO 4217 via
Babel), once where it is first computed:

- line total = round(quantity × periods × unit_price × rate × (1 − discount_pct / 100));
  a tiered line sums its bands, a ramped line its years, each rounded once
- optional lines are shown but excluded from every total
- subtotal = Σ non-optional line totals
- deal discount = round(subtotal × discount_pct / 100); net = subtotal − discount
- tax = round(net × tax_pct / 100); total = net + tax
- lines taxed at different rates (``LineItem.tax_pct``, ``Pricing.tax_rates`` by kind):
  the tax is worked out per rate group and rounded once per group. A group's share
  of the deal discount = round(discount × group subtotal / subtotal), the last group
  (highest rate) taking the rest, so the shares add up to the discount; group base =
  group subtotal − its share; group tax = round(base × rate / 100); tax = Σ group
  taxes; total = net + tax
- instalment = round(total × percent / 100), the last takes the remainder; an
  instalment never takes more than what is left, so none is ever negative
- a contract year's share of a line, of the deal discount and of the tax is rounded
  the same way, the last year taking the remainder, so the years add up exactly
- one-off total = Σ one-off lines; annual recurring = year 1's recurring lines
  (both before deal discount and tax); TCV (total contract value) = net over the term

Products are computed exactly (a local context wide enough for the largest inputs
the record allows) before the one rounding; every amount stays below
:data:`MAX_AMOUNT`, the largest figure the amount-in-words functions write, and
validation refuses a record whose amounts would not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from functools import cache

from propgen.needs.models import MONTHS, LineItem, Pricing

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
ZERO = Decimal(0)


@dataclass(frozen=True)
class PricedTier:
    """One price band of a tiered line, as charged."""

    after: Decimal
    """The band holds units above this many ..."""
    up_to: Decimal | None
    """... up to this many (none: no upper limit)."""
    unit_price: Decimal
    quantity: Decimal
    """Units charged at this band's price (0 for a band that does not apply)."""
    amount: Decimal
    applies: bool


@dataclass(frozen=True)
class LineYear:
    """A line's charge in one contract year."""

    year: int
    quantity: Decimal
    unit_price: Decimal | None
    """None for a tiered line (its bands set the price)."""
    periods: Decimal
    amount: Decimal


@dataclass(frozen=True)
class PricedLine:
    item: LineItem
    """The record's item without its cost (cost is never printed)."""
    total: Decimal
    years: tuple[LineYear, ...]
    tiers: tuple[PricedTier, ...] = ()

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
    def pays_for(self) -> str | None:
        return self.item.pays_for

    @property
    def unit(self) -> str | None:
        return self.item.unit

    @property
    def quantity(self) -> Decimal:
        return self.item.quantity

    @property
    def periods(self) -> Decimal:
        return self.item.period_count

    @property
    def unit_price(self) -> Decimal | None:
        return self.item.unit_price

    @property
    def discount_pct(self) -> Decimal:
        return self.item.discount_pct

    @property
    def optional(self) -> bool:
        return self.item.optional

    @property
    def recurring(self) -> str | None:
        return self.item.recurring

    @property
    def ramped(self) -> bool:
        return bool(self.item.ramp)

    @property
    def tiered(self) -> bool:
        return bool(self.item.tiers)


@dataclass(frozen=True)
class PricedInstalment:
    milestone: str
    percent: Decimal | None
    """None when the instalment is a contract year's total (``payment_by_year``)."""
    amount: Decimal
    year: int | None = None


@dataclass(frozen=True)
class YearTotal:
    """One contract year of the deal; the years add up to the deal's figures."""

    year: int
    one_off: Decimal
    recurring: Decimal
    subtotal: Decimal
    discount: Decimal
    net: Decimal
    tax: Decimal
    total: Decimal


@dataclass(frozen=True)
class Conversion:
    """Prices written in ``source_currency``, quoted at 1 unit = ``rate`` quote units."""

    source_currency: str
    rate: Decimal
    as_of: dt.date
    source: str | None


@dataclass(frozen=True)
class TaxGroup:
    """The lines taxed at one rate: their base (after their share of the deal
    discount) and the tax on it, rounded once."""

    rate: Decimal
    base: Decimal
    tax: Decimal


@dataclass(frozen=True)
class PriceBreakdown:
    """A priced deal: every figure a document or a policy check needs (never costs)."""

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
    one_off_total: Decimal = ZERO
    annual_recurring: Decimal = ZERO
    tcv: Decimal = ZERO
    years: tuple[YearTotal, ...] = ()
    conversion: Conversion | None = None
    taxes: tuple[TaxGroup, ...] = ()
    """The tax by rate, lowest rate first; one group when every line has the same rate."""

    @property
    def price_currency(self) -> str:
        """The currency unit prices are written in."""
        return self.conversion.source_currency if self.conversion else self.currency

    @property
    def has_recurring(self) -> bool:
        return any(line.recurring and not line.optional for line in self.lines)


@dataclass(frozen=True)
class Margin:
    """The deal's margin over its cost; computed only when every line has a cost."""

    cost: Decimal | None
    percent: Decimal | None
    uncosted: tuple[str, ...]
    """Names of non-optional lines without ``unit_cost`` (then no percent)."""


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


def line_amount(item: LineItem, rate: Decimal = Decimal(1)) -> Decimal:
    """quantity × periods × unit_price × rate × (1 − discount_pct / 100) of a line
    with one unit price, exactly, unrounded."""
    assert item.unit_price is not None  # validated: unit_price or tiers
    with localcontext(_EXACT):
        return +(
            item.quantity
            * item.period_count
            * item.unit_price
            * rate
            * (1 - item.discount_pct / HUNDRED)
        )


def split(total: Decimal, weights: Sequence[Decimal], currency: str) -> list[Decimal]:
    """``total`` shared in proportion to ``weights``, each share rounded, the last
    taking the remainder so the shares add up to ``total`` exactly."""
    whole = sum(weights, ZERO)
    if not weights:
        return []
    if whole == 0:
        return [round_money(ZERO, currency)] * (len(weights) - 1) + [total]
    shares: list[Decimal] = []
    left = total
    for weight in weights[:-1]:
        share = min(round_money(total * weight / whole, currency), left)
        shares.append(share)
        left -= share
    return [*shares, left]


def _year_periods(item: LineItem) -> list[Decimal]:
    """Periods of a recurring line falling in each contract year (one-off: all in year 1)."""
    count = item.period_count
    if item.recurring is None:
        return [count]
    per_year = Decimal(12 // MONTHS[item.recurring])
    out = []
    while count > 0:
        out.append(min(per_year, count))
        count -= per_year
    return out


def _tiers(item: LineItem, factor: Decimal, currency: str) -> tuple[PricedTier, ...]:
    """Each band's charge: graduated (each band's units) or all-units (one band)."""
    quantity, out, after = item.quantity, [], ZERO
    chosen = False
    for tier in item.tiers:
        top = tier.up_to
        if item.tier_pricing == "graduated":
            units = max(ZERO, (quantity if top is None else min(quantity, top)) - after)
            applies = units > 0
        else:
            applies = not chosen and (top is None or quantity <= top)
            chosen = chosen or applies
            units = quantity if applies else ZERO
        amount = round_money(units * tier.unit_price * factor if applies else ZERO, currency)
        out.append(PricedTier(after, top, tier.unit_price, units, amount, applies))
        after = top if top is not None else after
    return tuple(out)


def price_line(item: LineItem, currency: str, rate: Decimal = Decimal(1)) -> PricedLine:
    """One line in the quote currency: its total, its contract years, its bands.

    Args:
        rate: quote-currency units per unit of the currency prices are written in.
    """
    with localcontext(_EXACT):
        return _price_line(item, currency, rate)


def _price_line(item: LineItem, currency: str, rate: Decimal) -> PricedLine:
    factor = rate * (1 - item.discount_pct / HUNDRED)
    periods = _year_periods(item)
    public = item.model_copy(update={"unit_cost": None})
    if item.ramp:
        ramp: list[LineYear] = []
        for year, (step, count) in enumerate(zip(item.ramp, periods, strict=True), start=1):
            quantity = item.quantity if step.quantity is None else step.quantity
            unit_price = step.unit_price if step.unit_price is not None else item.unit_price
            assert unit_price is not None  # validated: a ramped line is never tiered
            amount = round_money(quantity * count * unit_price * factor, currency)
            ramp.append(LineYear(year, quantity, unit_price, count, amount))
        total = round_money(sum((y.amount for y in ramp), ZERO), currency)
        return PricedLine(public, total, tuple(ramp))
    tiers: tuple[PricedTier, ...] = ()
    if item.tiers:
        tiers = _tiers(item, item.period_count * factor, currency)
        total = round_money(sum((t.amount for t in tiers), ZERO), currency)
    else:
        total = round_money(line_amount(item, rate), currency)
    shares = split(total, periods, currency)
    years = tuple(
        LineYear(year, item.quantity, item.unit_price, count, amount)
        for year, (count, amount) in enumerate(zip(periods, shares, strict=True), start=1)
    )
    return PricedLine(public, total, years, tiers)


def _conversion(pricing: Pricing) -> Conversion | None:
    fx = pricing.exchange_rate
    if fx is None or pricing.currency is None:
        return None
    return Conversion(pricing.currency, fx.rate, fx.as_of, fx.source)


def price(pricing: Pricing, currency: str) -> PriceBreakdown:
    """Price a deal.

    Args:
        pricing: the record's pricing section (already validated).
        currency: the ISO 4217 code of the quote (the document's currency).
    """

    with localcontext(_EXACT):
        return _price(pricing, currency)


def _price(pricing: Pricing, currency: str) -> PriceBreakdown:
    def r(amount: Decimal) -> Decimal:
        return round_money(amount, currency)

    conversion = _conversion(pricing)
    rate = conversion.rate if conversion else Decimal(1)
    lines = tuple(price_line(item, currency, rate) for item in pricing.items)
    charged = [line for line in lines if not line.optional]
    subtotal = r(sum((line.total for line in charged), ZERO))
    optional_total = r(sum((line.total for line in lines if line.optional), ZERO))
    discount = r(subtotal * pricing.discount_pct / HUNDRED)
    net = subtotal - discount
    taxes = _tax_groups(pricing, lines, subtotal, discount, currency)
    tax = sum((group.tax for group in taxes), Decimal(0))
    total = net + tax
    years = _years(charged, discount, _tax_by_year(charged, taxes, pricing, currency), currency)
    one_off = r(sum((line.total for line in charged if not line.recurring), ZERO))
    if pricing.payment_by_year:
        instalments = tuple(
            PricedInstalment(milestone="", percent=None, amount=y.total, year=y.year) for y in years
        )
    else:
        instalments = _instalments(pricing, total, currency)
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
        instalments=instalments,
        one_off_total=one_off,
        annual_recurring=years[0].recurring if years else ZERO,
        tcv=net,
        years=years,
        conversion=conversion,
        taxes=taxes,
    )


def _tax_by_year(
    lines: Sequence[PricedLine],
    taxes: tuple[TaxGroup, ...],
    pricing: Pricing,
    currency: str,
) -> list[Decimal]:
    """Each contract year's tax: every rate group's tax shared over the years in
    proportion to that group's charges in each year (so a year of 6% support carries
    6% tax), the shares of each group adding up to its tax exactly."""
    count = max((len(line.years) for line in lines), default=1)
    per_year = [ZERO] * count
    for group in taxes:
        weights = [ZERO] * count
        for line in lines:
            if len(taxes) == 1 or tax_rate(line.item, pricing) == group.rate:
                for year in line.years:
                    weights[year.year - 1] += year.amount
        for k, share in enumerate(split(group.tax, weights, currency)):
            per_year[k] += share
    return per_year


def _years(
    lines: Sequence[PricedLine], discount: Decimal, tax_by_year: list[Decimal], currency: str
) -> tuple[YearTotal, ...]:
    count = max((len(line.years) for line in lines), default=1)
    one_off = [ZERO] * count
    recurring = [ZERO] * count
    for line in lines:
        bucket = recurring if line.recurring else one_off
        for year in line.years:
            bucket[year.year - 1] += year.amount
    one_off = [round_money(a, currency) for a in one_off]
    recurring = [round_money(a, currency) for a in recurring]
    subtotals = [a + b for a, b in zip(one_off, recurring, strict=True)]
    discounts = split(discount, subtotals, currency)
    nets = [s - d for s, d in zip(subtotals, discounts, strict=True)]
    taxes = tax_by_year
    return tuple(
        YearTotal(
            k + 1,
            one_off[k],
            recurring[k],
            subtotals[k],
            discounts[k],
            nets[k],
            taxes[k],
            nets[k] + taxes[k],
        )
        for k in range(count)
    )


def tax_rate(item: LineItem, pricing: Pricing) -> Decimal:
    """A line's tax rate: its own, else its kind's, else the deal's."""
    if item.tax_pct is not None:
        return item.tax_pct
    if item.kind is not None and item.kind in pricing.tax_rates:
        return pricing.tax_rates[item.kind]
    return pricing.tax_pct


def _tax_groups(
    pricing: Pricing,
    lines: tuple[PricedLine, ...],
    subtotal: Decimal,
    discount: Decimal,
    currency: str,
) -> tuple[TaxGroup, ...]:
    """The tax per rate group, each rounded once (see the module's rules)."""
    groups: dict[Decimal, Decimal] = {}
    for line in lines:
        if not line.optional:
            rate = tax_rate(line.item, pricing)
            groups[rate] = groups.get(rate, Decimal(0)) + line.total
    if len(groups) <= 1:  # the simple case: one rate on the net
        rate = next(iter(groups), pricing.tax_pct)
        net = subtotal - discount
        return (TaxGroup(rate, net, round_money(net * rate / HUNDRED, currency)),)
    rates = sorted(groups)
    shares = split(discount, [groups[rate] for rate in rates], currency)
    out = []
    for rate, share in zip(rates, shares, strict=True):
        base = groups[rate] - share
        out.append(TaxGroup(rate, base, round_money(base * rate / HUNDRED, currency)))
    return tuple(out)


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


def margin(pricing: Pricing, breakdown: PriceBreakdown) -> Margin | None:
    """The deal's cost and margin (percent of net, 2 decimals), or None when no line
    gives ``unit_cost``. A line's cost = round(quantity × periods × unit_cost × rate),
    a ramped line's by year."""
    charged = [item for item in pricing.items if not item.optional]
    if not any(item.unit_cost is not None for item in charged):
        return None
    uncosted = tuple(item.name for item in charged if item.unit_cost is None)
    if uncosted:
        return Margin(cost=None, percent=None, uncosted=uncosted)
    rate = breakdown.conversion.rate if breakdown.conversion else Decimal(1)
    cost = ZERO
    for item in charged:
        assert item.unit_cost is not None
        if item.ramp:
            units = sum(
                (
                    (item.quantity if step.quantity is None else step.quantity) * count
                    for step, count in zip(item.ramp, _year_periods(item), strict=True)
                ),
                ZERO,
            )
        else:
            units = item.quantity * item.period_count
        cost += round_money(units * item.unit_cost * rate, breakdown.currency)
    if breakdown.net == 0:
        return Margin(cost=cost, percent=None, uncosted=())
    percent = ((breakdown.net - cost) / breakdown.net * HUNDRED).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return Margin(cost=cost, percent=percent, uncosted=())
