"""The tables a multi-year, tiered or recurring deal adds to the pricing table:
price bands, one table per contract year with a year-by-year summary, and the
contract value (one-off total, annual recurring, TCV).

Each returns nothing when the deal has nothing to show, so a section can ask for
all of them and a plain one-off deal stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from propgen.blocks import row
from propgen.document import Block, Table
from propgen.locale import Formatter
from propgen.pricing import PriceBreakdown, PricedLine, PricedTier

Label = Callable[..., str]


def tier_tables(pricing: PriceBreakdown, fmt: Formatter, label: Label) -> list[Block]:
    """For each tiered line: its bands, the units charged in each and their amounts."""
    price_fmt = replace(fmt, currency=pricing.price_currency)
    header = row(
        label("tier_band"),
        label("unit_price_in", currency=pricing.price_currency)
        if pricing.conversion
        else label("unit_price"),
        label("tier_units"),
        label("line_total"),
    )
    tables: list[Block] = []
    for line in pricing.lines:
        if not line.tiered:
            continue

        def band(tier: PricedTier, line: PricedLine = line) -> str:
            low = fmt.number(tier.after)
            unit = f" {line.unit}" if line.unit else ""
            if tier.up_to is None:
                return label("tier_above", low=low) + unit
            return label("tier_from_to", low=low, high=fmt.number(tier.up_to)) + unit

        rows = tuple(
            row(
                band(tier),
                price_fmt.unit_price(tier.unit_price),
                fmt.number(tier.quantity) if tier.applies else "",
                fmt.money(tier.amount) if tier.applies else "",
                style="body" if tier.applies else "optional",
            )
            for tier in line.tiers
        )
        tables.append(
            Table(
                header=header,
                rows=rows,
                footer=(
                    row(
                        line.name,
                        "",
                        fmt.number(line.quantity),
                        fmt.money(line.total),
                        style="total",
                    ),
                ),
                align=("left", "right", "right", "right"),
                widths=(34, 22, 20, 24),
                role="pricing",
                caption=label(
                    "tiers_caption",
                    item=line.name,
                    mode=label(f"tier_{line.item.tier_pricing}"),
                ),
            )
        )
    return tables


def year_tables(pricing: PriceBreakdown, fmt: Formatter, label: Label) -> list[Block]:
    """One table per contract year (its lines and amounts), then the year-by-year
    summary whose totals are the deal's; nothing for a deal of one year."""
    if len(pricing.years) < 2:
        return []
    price_fmt = replace(fmt, currency=pricing.price_currency)
    charged = [line for line in pricing.lines if not line.optional]
    show_discount = any(line.discount_pct for line in charged)
    header = [
        label("item"),
        label("quantity"),
        label("periods"),
        label("unit_price_in", currency=pricing.price_currency)
        if pricing.conversion
        else label("unit_price"),
        *([label("line_discount")] if show_discount else []),
        label("line_total"),
    ]
    widths = (34, 16, 10, 17, 8, 19) if show_discount else (36, 16, 10, 18, 20)
    tables: list[Block] = []
    for year in pricing.years:
        rows = []
        for line in charged:
            for share in line.years:
                if share.year != year.year:
                    continue
                unit = f" {line.unit}" if line.unit else ""
                discount = [fmt.percent(line.discount_pct) if line.discount_pct else ""]
                rows.append(
                    row(
                        line.name,
                        fmt.number(share.quantity) + unit,
                        fmt.number(share.periods),
                        price_fmt.unit_price(share.unit_price)
                        if share.unit_price is not None
                        else label("tiered"),
                        *(discount if show_discount else []),
                        fmt.money(share.amount),
                    )
                )
        blanks = [""] * (len(header) - 2)
        tables.append(
            Table(
                header=row(*header),
                rows=tuple(rows),
                footer=(
                    row(label("subtotal"), *blanks, fmt.money(year.subtotal), style="subtotal"),
                ),
                align=("left", *(["right"] * (len(header) - 1))),  # type: ignore[arg-type]
                widths=widths,
                role="pricing",
                caption=label("year_table", year=year.year),
            )
        )
    show_tax = bool(pricing.tax_pct)
    header = [label("year_heading"), label("one_off"), label("recurring")]
    if pricing.discount:
        header.append(label("deal_discount", percent=fmt.percent(pricing.discount_pct)))
    if show_tax:
        header.append(label("tax", percent=fmt.percent(pricing.tax_pct)))
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
    tables.append(
        Table(
            header=row(*header),
            rows=summary_rows,
            footer=(footer,),
            align=("left", *(["right"] * (width - 1))),  # type: ignore[arg-type]
            widths=(16, *([84 // (width - 1)] * (width - 1))),
            role="pricing",
            caption=label("year_summary"),
        )
    )
    return tables


def contract_value(pricing: PriceBreakdown, fmt: Formatter, label: Label) -> Table | None:
    """One-off total, annual recurring (year 1) and TCV, when the deal recurs."""
    if not pricing.has_recurring:
        return None
    count = len(pricing.years)
    years = label("one_year") if count == 1 else label("years_count", count=count)
    return Table(
        header=None,
        rows=(
            row(label("one_off_total"), fmt.money(pricing.one_off_total)),
            row(label("annual_recurring"), fmt.money(pricing.annual_recurring)),
            row(label("tcv", years=years), fmt.money(pricing.tcv), style="total"),
        ),
        align=("left", "right"),
        widths=(70, 30),
        role="key-value",
        caption=label("value_caption"),
    )
