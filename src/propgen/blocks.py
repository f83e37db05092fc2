"""Structured blocks built from the priced deal: tables and signature boxes.

These are never written by hand in the library; a section asks for them by name
(``blocks: [pricing-table]``) and both renderers draw the same table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from propgen.discovery import trace
from propgen.document import (
    Block,
    Cell,
    ColumnSpec,
    Emph,
    Inline,
    LineBreak,
    Paragraph,
    Row,
    Signatory,
    SignatureBlock,
    Strong,
    Table,
    Text,
    inline_text,
)
from propgen.locale import Formatter
from propgen.needs.models import Implication, NeedsRecord
from propgen.pricing import PriceBreakdown, PricedInstalment, PricedLine, PricedTier

Label = Callable[..., str]


def _cell(text: str) -> Cell:
    return Cell((Text(text),) if text else ())


def row(*texts: str, style: str = "body") -> Row:
    return Row(tuple(_cell(t) for t in texts), style=style)  # type: ignore[arg-type]


def _item_cell(line: PricedLine, label: Label) -> Cell:
    """The item's name, then its SKU and description on a second, quieter line."""
    name = line.name + (label("optional_mark") if line.optional else "")
    detail = " · ".join(t for t in (line.sku, line.item.description) if t)
    if not detail:
        return _cell(name)
    return Cell((Text(name), LineBreak(), Emph((Text(detail),))))


def without_empty_columns(table: Table) -> Table:
    """``table`` without the columns no body row fills (an all-blank Description):
    an empty column is wasted width and reads as missing information."""
    keep = [
        i
        for i in range(len(table.columns))
        if any(inline_text(row.cells[i].inlines).strip() for row in table.rows)
    ]
    if len(keep) == len(table.columns):
        return table
    return replace(
        table,
        header=Row(tuple(table.header.cells[i] for i in keep), table.header.style)
        if table.header
        else None,
        rows=tuple(Row(tuple(r.cells[i] for i in keep), r.style) for r in table.rows),
        columns=tuple(table.columns[i] for i in keep),
    )


def pricing_table(pricing: PriceBreakdown, fmt: Formatter, label: Label) -> Table:
    """Line items with quantities, prices and discounts, then the totals.

    A ramped line is followed by one quieter row per contract year, a tiered line by
    one per price band, so each line is named once and its figures multiply out
    where it stands. Unit prices are in the currency they are written in
    (``pricing.currency`` of the record, stated in the header when it is not the
    quote's); amounts are in the quote's.
    """
    show_periods = any(line.periods != 1 for line in pricing.lines)
    show_discount = any(line.discount_pct for line in pricing.lines)
    show_billing = any(line.recurring for line in pricing.lines)
    price_fmt = replace(fmt, currency=pricing.price_currency)

    def units(amount: Decimal, line: PricedLine) -> str:
        return fmt.quantity(amount, line.unit)

    # (key, header, column); optional columns only when used.
    columns: list[tuple[str, str, ColumnSpec]] = [
        ("item", label("item"), ColumnSpec("left", 28 if show_billing else 32))
    ]
    if show_billing:
        columns.append(("billing", label("billing"), ColumnSpec("left", 12)))
    columns.append(("quantity", label("quantity"), ColumnSpec("right", 17)))
    if show_periods:
        columns.append(
            ("periods", label("periods"), ColumnSpec("right", 10 if show_billing else 8))
        )
    columns.append(
        (
            "price",
            label(
                "unit_price_in",
                currency=pricing.price_currency,
                currency_name=fmt.currency_name(pricing.price_currency),
            )
            if pricing.conversion
            else label("unit_price"),
            ColumnSpec("right", 14),
        )
    )
    if show_discount:
        columns.append(("discount", label("line_discount"), ColumnSpec("right", 8)))
    columns.append(("total", label("line_total"), ColumnSpec("right", 17)))

    def line_row(line: PricedLine) -> Row:
        texts = {
            "billing": label(f"billing_{line.recurring or 'one-off'}"),
            "quantity": label("by_year") if line.ramped else units(line.quantity, line),
            "periods": "" if line.ramped else fmt.number(line.periods),
            "price": label("by_year")
            if line.ramped
            else label(f"tiered_{line.item.tier_pricing}")
            if line.unit_price is None
            else price_fmt.unit_price(line.unit_price),
            "discount": fmt.percent(line.discount_pct) if line.discount_pct else "",
            "total": fmt.money(line.total),
        }
        return Row(
            (_item_cell(line, label), *(_cell(texts[c[0]]) for c in columns[1:])),
            style="optional" if line.optional else "body",
        )

    def detail_row(texts: dict[str, str]) -> Row:
        return row(*(texts.get(c[0], "") for c in columns), style="detail")

    def year_rows(line: PricedLine) -> list[Row]:
        return [
            detail_row(
                {
                    "item": label("year", year=share.year),
                    "quantity": units(share.quantity, line),
                    "periods": fmt.number(share.periods),
                    "price": price_fmt.unit_price(share.unit_price)
                    if share.unit_price is not None
                    else "",
                    "discount": fmt.percent(line.discount_pct) if line.discount_pct else "",
                    "total": fmt.money(share.amount),
                }
            )
            for share in line.years
        ]

    def band_rows(line: PricedLine) -> list[Row]:
        def band(tier: PricedTier) -> str:
            low, unit = fmt.number(tier.after), line.unit or ""
            if tier.up_to is None:
                return label("tier_above", low=low, unit=unit)
            high = fmt.number(tier.up_to)
            if tier.after == 0:
                return label("tier_up_to", high=high, unit=unit)
            return label("tier_from_to", low=low, high=high, unit=unit)

        return [
            detail_row(
                {
                    "item": band(tier),
                    "quantity": units(tier.quantity, line) if tier.applies else "",
                    "periods": fmt.number(line.periods) if tier.applies else "",
                    "price": price_fmt.unit_price(tier.unit_price),
                    "discount": fmt.percent(line.discount_pct)
                    if tier.applies and line.discount_pct
                    else "",
                    "total": fmt.money(tier.amount) if tier.applies else "",
                }
            )
            for tier in line.tiers
        ]

    rows: list[Row] = []
    for line in pricing.lines:
        rows.append(line_row(line))
        if line.ramped:
            rows.extend(year_rows(line))
        elif line.tiered:
            rows.extend(band_rows(line))

    def totalrow(text: str, amount: str, style: str = "body") -> Row:
        return row(text, *[""] * (len(columns) - 2), amount, style=style)

    footer = [totalrow(label("subtotal"), fmt.money(pricing.subtotal), "subtotal")]
    if pricing.discount:
        footer.append(
            totalrow(
                label("deal_discount", percent=fmt.percent(pricing.discount_pct)),
                "−" + fmt.money(pricing.discount),
            )
        )
        footer.append(totalrow(label("net"), fmt.money(pricing.net)))
    by_rate = len(pricing.taxes) > 1  # VAT per rate: each group with its base below
    for group in pricing.taxes:
        if not group.rate:
            continue
        tax_row = totalrow(label("tax", percent=fmt.percent(group.rate)), fmt.money(group.tax))
        if by_rate:  # "Tax (13%)" / "on $449,500.00": the base on its own line
            base = label("tax_base", base=fmt.money(group.base))
            first = Cell((*tax_row.cells[0].inlines, LineBreak(), Text(base)))
            tax_row = Row((first, *tax_row.cells[1:]), tax_row.style)
        footer.append(tax_row)
    footer.append(totalrow(label("total"), fmt.money(pricing.total), "total"))
    return Table(
        header=row(*(c[1] for c in columns)),
        rows=tuple(rows),
        footer=tuple(footer),
        columns=tuple(spec for _key, _header, spec in columns),
        role="pricing",
    )


def amount_in_words(pricing: PriceBreakdown, fmt: Formatter, label: Label) -> list[Block]:
    blocks: list[Block] = [
        Paragraph(
            (
                Strong((Text(label("amount_in_words") + label("colon")),)),
                Text(fmt.words(pricing.total)),
            ),
            style="amount",
        )
    ]
    if any(line.optional for line in pricing.lines):
        blocks.append(Paragraph((Text(label("optional_note")),), style="note"))
    return blocks


def payment_schedule(pricing: PriceBreakdown, fmt: Formatter, label: Label) -> Table:
    """Instalments by milestone (with their share) or by contract year (amounts only)."""
    by_year = any(step.year is not None for step in pricing.instalments)

    def milestone(step: PricedInstalment) -> str:
        return label("instalment_year", year=step.year) if step.year else step.milestone

    if by_year:
        return Table(
            header=row(label("milestone"), label("amount")),
            rows=tuple(
                row(milestone(step), fmt.money(step.amount)) for step in pricing.instalments
            ),
            footer=(row(label("total"), fmt.money(pricing.total), style="total"),),
            columns=(ColumnSpec("left", 70), ColumnSpec("right", 30)),
            role="schedule",
        )
    rows = tuple(
        row(milestone(step), fmt.percent(step.percent or 0), fmt.money(step.amount))
        for step in pricing.instalments
    )
    return Table(
        header=row(label("milestone"), label("percent"), label("amount")),
        rows=rows,
        footer=(row(label("total"), "100%", fmt.money(pricing.total), style="total"),),
        columns=(ColumnSpec("left", 60), ColumnSpec("right", 15), ColumnSpec("right", 25)),
        role="schedule",
    )


def _per(label: Label, per: str | None, amount: str) -> str:
    return label(f"impact_per_{per}", amount=amount) if per else label("impact_once", amount=amount)


def traceability_table(record: NeedsRecord, fmt: Formatter, label: Label) -> Table | None:
    """Problem → impact → how we solve it → outcome, one row per discovery problem."""
    rows = trace(record)
    if not rows:
        return None

    def stated(text: str, amount: Decimal) -> bool:
        """Whether the sentence already gives the figure (its digits, as written)."""
        return fmt.number(amount) in text or f"{amount.normalize():f}" in text

    def impact(item: Implication) -> tuple[str, str]:
        """The implication with its recorded figures in brackets, those its own
        sentence does not already state."""
        figures = []
        if item.cost is not None and not stated(item.text, item.cost.amount):
            money = replace(fmt, currency=item.cost.currency or fmt.currency).estimate(
                item.cost.amount
            )
            figures.append(_per(label, item.cost.per, money))
        if item.hours is not None and not stated(item.text, item.hours.amount):
            hours = label("hours", amount=fmt.number(item.hours.amount))
            figures.append(_per(label, item.hours.per, hours))
        if not figures:
            return (item.id, item.text)
        if fmt.is_chinese:  # full-width brackets and semicolon, no space before them
            return (item.id, f"{item.text}（{'；'.join(figures)}）")
        return (item.id, f"{item.text} ({'; '.join(figures)})")

    def lines(texts: list[tuple[str, str]]) -> Cell:
        """One line per (id, text); the id in bold."""
        inlines: list[Inline] = []
        for k, (ident, text) in enumerate(texts):
            if k:
                inlines.append(LineBreak())
            if ident:
                inlines.extend((Strong((Text(ident),)), Text(" ")))
            inlines.append(Text(text))
        return Cell(tuple(inlines))

    told: set[str] = set()

    def once(ident: str, text: str) -> tuple[str, str]:
        """An implication or payoff tied to several problems is told in its first
        row; later rows name it by its id, so no sentence is printed twice."""
        if ident in told:
            return (ident, label("traceability_as_above"))
        told.add(ident)
        return (ident, text)

    body = tuple(
        Row(
            (
                lines([(row.problem.id, row.problem.text)]),
                lines([once(i.id, impact(i)[1]) for i in row.implications]),
                lines([("", name) for name in row.solutions]),
                lines([once(n.id, n.text) for n in row.payoffs]),
            )
        )
        for row in rows
    )
    return without_empty_columns(
        Table(
            header=row(
                label("traceability_problem"),
                label("traceability_impact"),
                label("traceability_solution"),
                label("traceability_outcome"),
            ),
            rows=body,
            columns=(
                ColumnSpec("left", 25),
                ColumnSpec("left", 27),
                ColumnSpec("left", 22),
                ColumnSpec("left", 26),
            ),
        )
    )


def milestones_table(record: NeedsRecord, fmt: Formatter, label: Label) -> Table | None:
    milestones = record.solution.milestones
    if not milestones:
        return None
    has_date = any(m.date for m in milestones)
    rows = []
    for m in milestones:
        when = fmt.date(m.date) if m.date else (fmt.number(m.week) if m.week is not None else "")
        rows.append(row(m.name, when, m.description or ""))
    heading = label("target_date") if has_date else label("week")
    return without_empty_columns(
        Table(
            header=row(label("phase"), heading, label("description")),
            rows=tuple(rows),
            columns=(ColumnSpec("left", 40), ColumnSpec("right", 15), ColumnSpec("left", 45)),
        )
    )


def modules_table(record: NeedsRecord, label: Label) -> Table | None:
    modules = record.solution.modules
    if not modules:
        return None
    return without_empty_columns(
        Table(
            header=row(label("module"), label("description")),
            rows=tuple(row(m.name, m.description or "") for m in modules),
            columns=(ColumnSpec("left", 30), ColumnSpec("left", 70)),
        )
    )


def contacts_table(record: NeedsRecord, label: Label) -> Table | None:
    contacts = record.customer.contacts
    if not contacts:
        return None
    if any(c.phone for c in contacts):
        table = Table(
            header=row(label("name"), label("title"), label("email"), label("phone")),
            # A phone number never breaks across lines (no-break spaces), so its
            # column is wide enough for an international number.
            rows=tuple(
                row(c.name, c.title or "", c.email or "", (c.phone or "").replace(" ", "\u00a0"))
                for c in contacts
            ),
            columns=(
                ColumnSpec("left", 17),
                ColumnSpec("left", 25),
                ColumnSpec("left", 35),
                ColumnSpec("left", 23),
            ),
        )
    else:
        table = Table(
            header=row(label("name"), label("title"), label("email")),
            rows=tuple(row(c.name, c.title or "", c.email or "") for c in contacts),
            columns=(ColumnSpec("left", 30), ColumnSpec("left", 35), ColumnSpec("left", 35)),
        )
    return without_empty_columns(table)


def signature_block(customer: str, seller: str, label: Label, chinese: bool) -> SignatureBlock:
    """Signature boxes: 甲方（盖章）/ 法定代表人或授权代表（签字）/ 日期 in Chinese."""
    lines: tuple[str, ...]
    if chinese:
        lines = (label("sign_signature"), label("sign_date"))
    else:
        lines = (
            label("sign_signature"),
            label("sign_name"),
            label("sign_title"),
            label("sign_date"),
        )
    return SignatureBlock(
        (
            Signatory(
                heading=label("signatory_heading", role=label("customer_party")),
                party=customer,
                lines=lines,
                field="PartyA" if chinese else "Customer",
                sealed=chinese,
            ),
            Signatory(
                heading=label("signatory_heading", role=label("supplier_party")),
                party=seller,
                lines=lines,
                field="PartyB" if chinese else "Supplier",
                sealed=chinese,
            ),
        )
    )
