"""What library templates can see: the record, the priced deal, the seller, helpers."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from propgen.discovery import TraceRow, Value, trace, value
from propgen.frozen import freeze
from propgen.library.models import Localizable, SellerFile
from propgen.locale import Formatter
from propgen.needs.models import Customer, Discovery, DocumentInfo, Person, Solution, Terms
from propgen.plan import Plan
from propgen.pricing import PriceBreakdown
from propgen.terms import (
    LIABILITY_CLAUSE,
    DocumentKind,
    TermStatements,
    credited_fees,
    state_tax,
    state_terms,
)


@dataclass(frozen=True)
class SellerCompany:
    """The seller company in one locale (from ``snippets/seller.yaml``)."""

    name: str
    legal_name: str
    address: str
    registration_id: str | None
    representative: str | None
    email: str | None
    phone: str | None
    website: str | None
    bank: Mapping[str, str] = field(default_factory=dict)
    logo: str | None = None
    signing_place: str | None = None
    entity: str | None = None
    """What kind of legal person the company is ("a Delaware corporation")."""


@dataclass(frozen=True)
class IndustryInfo:
    id: str
    title: str


VARIABLE_TYPES: dict[str, type | None] = {
    "document": DocumentInfo,
    "rep": Person,
    "seller": SellerCompany,
    "customer": Customer,
    "discovery": Discovery,
    "solution": Solution,
    "terms": Terms,
    "term": TermStatements,
    "approvals": None,
    "annexes": None,
    "pricing": PriceBreakdown,
    "trace": None,
    "value": Value,
    "industry": IndustryInfo,
    "locale": None,
    "positions": None,
}
"""Every variable library templates can use, with the type whose fields ``name.field``
may name (None: not checked). :func:`template_context` gives exactly these; the
library lint checks templates against them."""


def localize(value: Localizable | None, locale: str) -> str | None:
    """Pick the locale's text from a plain string or a ``{locale: text}`` map."""
    if value is None or isinstance(value, str):
        return value
    text = value.get(locale)
    return text if text is not None else next(iter(value.values()), None)


def seller_for(profile: SellerFile, locale: str, entity: str = "") -> SellerCompany:
    """The seller as documents in ``locale`` state it. ``entity``: the locale whose
    company contracts (a bilingual contract's primary language), worded in ``locale``
    from the profile's ``translated`` entry; empty: ``locale``'s own company."""
    if entity and entity != locale:
        own = seller_for(profile, entity)
        words = profile.translated.get(locale)  # type: ignore[call-overload]
        if words is None:
            return own
        given = words.model_dump(exclude_none=True, exclude={"bank"})
        bank = {**own.bank, **words.bank}
        return dataclasses.replace(own, **given, bank=bank)
    return SellerCompany(
        name=localize(profile.name, locale) or "",
        legal_name=localize(profile.legal_name, locale) or "",
        address=localize(profile.address, locale) or "",
        registration_id=localize(profile.registration_id, locale),
        representative=localize(profile.representative, locale),
        email=localize(profile.email, locale),
        phone=localize(profile.phone, locale),
        website=localize(profile.website, locale),
        bank=profile.bank.get(locale, {}),
        logo=profile.logo,
        signing_place=localize(profile.signing_place, locale),
        entity=localize(profile.entity, locale) or None,
    )


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def label_function(labels: Mapping[str, str]) -> Callable[..., str]:
    """``label(key, **values)``: the locale's word for ``key`` with ``{name}`` filled in.

    Only plain ``{name}`` placeholders are filled — not ``str.format``, whose
    attribute access and padding a library label must not reach.
    """

    def label(key: str, **values: object) -> str:
        if key not in labels:
            raise KeyError(f"no label {key!r}")
        return _PLACEHOLDER.sub(
            lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0),
            labels[key],
        )

    return label


def _shows_trace(plan: Plan) -> bool:
    """Whether the proposal carries the traceability table: then the discovery
    sentences it holds are told there, and "Our understanding" does not repeat them."""
    return any("traceability-table" in text.blocks for text in plan.proposal)


def _linked(rows: tuple[TraceRow, ...]) -> tuple[TraceRow, ...]:
    """The rows, if discovery links any problem to an impact, a solution or an outcome;
    none otherwise. Unlinked, the table would list the problems beside three empty
    columns, and "Our understanding" tells the problems itself."""
    return rows if any(r.implications or r.solutions or r.payoffs for r in rows) else ()


def address_on_one_line(address: str, chinese: bool) -> str:
    """An address the record writes over several lines, as one line: "4400 Riverside
    Parkway, Dayton, OH …" (a comma between the lines), Chinese run together."""
    lines = [line.strip() for line in address.splitlines() if line.strip()]
    joined = lines[0] if lines else ""
    for line in lines[1:]:
        joined += line if chinese or joined.endswith((",", "，")) else f", {line}"
    return joined


def _address_on_one_line(customer: Customer, chinese: bool) -> Customer:
    """The customer as library text sees it: its address on one line."""
    if not customer.address or "\n" not in customer.address.strip():
        return customer
    return customer.model_copy(update={"address": address_on_one_line(customer.address, chinese)})


def term_statements(
    plan: Plan, pricing: PriceBreakdown, label: Callable[..., str], document: DocumentKind
) -> TermStatements:
    """The deal's commercial terms as ``document`` states them (:mod:`propgen.terms`)."""
    record = plan.record
    fmt = Formatter(record.document.locale, record.document.currency)
    return replace(
        state_terms(
            record.terms,
            label,
            cap_position=record.clauses.get(LIABILITY_CLAUSE, "standard"),
            contract_total=fmt.money(pricing.total),
            count=fmt.count,
            percent=fmt.percent,
            credit_fees=credited_fees(record),
            document=document,
        ),
        tax=state_tax(
            tuple((fmt.percent(g.rate), fmt.money(g.base)) for g in pricing.taxes if g.rate),
            label,
            fmt.join_list,
        ),
    )


def template_context(
    plan: Plan,
    pricing: PriceBreakdown,
    seller: SellerCompany,
    label: Callable[..., str],
    annexes: Mapping[str, str],
    document: DocumentKind = "contract",
) -> dict[str, Any]:
    """The variables every library template renders with (docs/library.md): plain,
    read-only data (:func:`~propgen.frozen.freeze`), never the program's objects.
    ``term`` states the terms as ``document`` words them (:mod:`propgen.terms`)."""
    record = plan.record
    locale = record.document.locale
    fmt = Formatter(locale, record.document.currency)
    return {
        name: freeze(data)
        for name, data in {
            "document": record.document,
            "rep": record.seller.rep,
            "seller": seller,
            "customer": _address_on_one_line(record.customer, fmt.is_chinese),
            "discovery": record.discovery,
            "solution": record.solution.model_copy(update={"deployment": record.deployment}),
            "terms": record.terms,
            "term": term_statements(plan, pricing, label, document),
            "annexes": dict(annexes),
            "approvals": record.approvals,
            "pricing": pricing,
            "trace": _linked(trace(record)) if _shows_trace(plan) else (),
            "value": value(record, pricing.tcv),
            "industry": IndustryInfo(
                id=plan.industry.id, title=plan.industry.title.get(locale, "")
            ),
            "locale": locale,
            "positions": {clause.id: clause.position for clause in plan.clauses},
        }.items()
    }


def template_filters(fmt: Formatter) -> dict[str, Callable[..., str]]:
    return {
        "money": fmt.money,
        "date": fmt.date,
        "number": fmt.number,
        "percent": fmt.percent,
        "count": fmt.count,
        "words": fmt.words,
        "join_list": fmt.join_list,
        "currency_name": fmt.currency_name,
        "estimate": fmt.estimate,
    }
