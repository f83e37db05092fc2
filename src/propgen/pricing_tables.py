"""The tables a multi-year or recurring deal adds to the pricing table: the
year-by-year summary and the contract value (one-off total, annual recurring, TCV).
(Price bands and a ramp's years are detail rows of the pricing table itself.)

Each returns nothing when the deal has nothing to show, so a section can ask for
all of them and a plain one-off deal stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from propgen.blocks import row
from propgen.document import ColumnSpec, Table
from propgen.locale import Formatter
from propgen.pricing import PriceBreakdown

Label = Callable[..., str]


def year_summary(pricing: PriceBreakdown, fmt: Formatter, label: Label) -> Table | None:
    """Each contract year's one-off and recurring charges, discount, tax and total,
    whose totals are the deal's; nothing for a deal of one year. (A ramped line's own
    years are rows under it in the pricing table, so no line is listed twice.)"""
    if len(pricing.years) < 2:
        return None
    show_tax = bool(pricing.tax_pct)
    header = [label("year_heading"), label("one_off"), label("recurring")]
    if pricing.discount:
        header.append(label("deal_discount", percent=fmt.percent(pricing.discount_pct)))
    if show_tax:
        # lines taxed at several rates: the column holds each year's tax at all of them
        rates = [group.rate for group in pricing.taxes] or [pricing.tax_pct]
        percents = ("、" if fmt.is_chinese else ", ").join(fmt.percent(r) for r in rates)
        header.append(label("tax", percent=percents))
    header.append(label("total"))

    def cells(
        name: str, one_off: str, recurring: str, discount: str, tax: str, total: str
    ) -> list[str]:
        out = [name, one_off, recurring]
        if pricing.discount:
            out.append(discount)
        if show_tax:
            out.append(tax)
        return [*out, total]

    summary_rows = tuple(
        row(
            *cells(
                label("year", year=y.year),
                fmt.money(y.one_off),
                fmt.money(y.recurring),
                "−" + fmt.money(y.discount),
                fmt.money(y.tax),
                fmt.money(y.total),
            )
        )
        for y in pricing.years
    )
    footer = row(
        *cells(
            label("total"),
            fmt.money(sum((y.one_off for y in pricing.years), start=Decimal(0))),
            fmt.money(sum((y.recurring for y in pricing.years), start=Decimal(0))),
            "−" + fmt.money(pricing.discount),
            fmt.money(pricing.tax),
            fmt.money(pricing.total),
        ),
        style="total",
    )
    width = len(header)
    return Table(
        header=row(*header),
        rows=summary_rows,
        footer=(footer,),
        columns=(ColumnSpec("left", 16), *[ColumnSpec("right", 84 // (width - 1))] * (width - 1)),
        role="pricing",
        caption=label("year_summary"),
    )


def contract_value(pricing: PriceBreakdown, fmt: Formatter, label: Label) -> Table | None:
    """One-off total, annual recurring (year 1) and TCV, when the deal recurs."""
    if not pricing.has_recurring:
        return None
    years = fmt.count(len(pricing.years), "year")
    return Table(
        header=None,
        rows=(
            row(label("one_off_total"), fmt.money(pricing.one_off_total)),
            row(label("annual_recurring"), fmt.money(pricing.annual_recurring)),
            row(label("tcv", years=years), fmt.money(pricing.tcv), style="total"),
        ),
        columns=(ColumnSpec("left", 70), ColumnSpec("right", 30)),
        role="key-value",
        caption=label("value_caption"),
    )
