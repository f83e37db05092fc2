"""Structured blocks built from the priced deal: tables and signature boxes.

These are never written by hand in the library; a section asks for them by name
(``blocks: [pricing-table]``) and both renderers draw the same table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from propgen.document import (
    Align,
    Block,
    Cell,
    Emph,
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
from propgen.needs.models import NeedsRecord
from propgen.pricing import PriceBreakdown, PricedLine

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
        for i in range(len(table.align))
        if any(inline_text(row.cells[i].inlines).strip() for row in table.rows)
    ]
    if len(keep) == len(table.align):
        return table
    return replace(
        table,
        header=Row(tuple(table.header.cells[i] for i in keep), table.header.style)
        if table.header
        else None,
        rows=tuple(Row(tuple(r.cells[i] for i in keep), r.style) for r in table.rows),
        align=tuple(table.align[i] for i in keep),
        widths=tuple(table.widths[i] for i in keep),
    )


def pricing_table(pricing: PriceBreakdown, fmt: Formatter, label: Label) -> Table:
    """Line items with quantities, prices and discounts, then the totals."""
    show_periods = any(line.periods != 1 for line in pricing.lines)
    show_discount = any(line.discount_pct for line in pricing.lines)
    # (header, alignment, relative width, cell text); optional columns only when used.
    columns: list[tuple[str, Align, int, Callable[[PricedLine], str]]] = [
        (label("item"), "left", 32, lambda line: line.name),  # drawn by _item_cell
        (
            label("quantity"),
            "right",
            17,
            lambda line: fmt.quantity(line.quantity, line.unit),
        ),
    ]
    if show_periods:
        columns.append((label("periods"), "right", 8, lambda line: fmt.number(line.periods)))
    columns.append((label("unit_price"), "right", 14, lambda line: fmt.unit_price(line.unit_price)))
    if show_discount:
        columns.append(
            (
                label("line_discount"),
                "right",
                8,
                lambda line: fmt.percent(line.discount_pct) if line.discount_pct else "",
            )
        )
    columns.append((label("line_total"), "right", 17, lambda line: fmt.money(line.total)))
    header = [c[0] for c in columns]
    align = [c[1] for c in columns]
    widths = [c[2] for c in columns]
    rows = [
        Row(
            (_item_cell(line, label), *(_cell(c[3](line)) for c in columns[1:])),
            style="optional" if line.optional else "body",
        )
        for line in pricing.lines
    ]

    def total_row(text: str, amount: str, style: str = "body") -> Row:
        return row(text, *[""] * (len(columns) - 2), amount, style=style)

    footer = [total_row(label("subtotal"), fmt.money(pricing.subtotal), "subtotal")]
    if pricing.discount:
        footer.append(
            total_row(
                label("deal_discount", percent=fmt.percent(pricing.discount_pct)),
                "−" + fmt.money(pricing.discount),
            )
        )
        footer.append(total_row(label("net"), fmt.money(pricing.net)))
    if pricing.tax_pct:
        footer.append(
            total_row(label("tax", percent=fmt.percent(pricing.tax_pct)), fmt.money(pricing.tax))
        )
    footer.append(total_row(label("total"), fmt.money(pricing.total), "total"))
    return Table(
        header=row(*header),
        rows=tuple(rows),
        footer=tuple(footer),
        align=tuple(align),
        widths=tuple(widths),
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
    rows = tuple(
        row(step.milestone, fmt.percent(step.percent), fmt.money(step.amount))
        for step in pricing.instalments
    )
    return Table(
        header=row(label("milestone"), label("percent"), label("amount")),
        rows=rows,
        footer=(row(label("total"), "100%", fmt.money(pricing.total), style="total"),),
        align=("left", "right", "right"),
        widths=(60, 15, 25),
        role="schedule",
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
            align=("left", "right", "left"),
            widths=(40, 15, 45),
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
            align=("left", "left"),
            widths=(30, 70),
        )
    )


def contacts_table(record: NeedsRecord, label: Label) -> Table | None:
    contacts = record.customer.contacts
    if not contacts:
        return None
    if any(c.phone for c in contacts):
        table = Table(
            header=row(label("name"), label("title"), label("email"), label("phone")),
            rows=tuple(row(c.name, c.title or "", c.email or "", c.phone or "") for c in contacts),
            align=("left", "left", "left", "left"),
            widths=(22, 28, 32, 18),
        )
    else:
        table = Table(
            header=row(label("name"), label("title"), label("email")),
            rows=tuple(row(c.name, c.title or "", c.email or "") for c in contacts),
            align=("left", "left", "left"),
            widths=(30, 35, 35),
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
