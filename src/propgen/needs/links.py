"""Checks across fields of a validated record: what one part says about another.

Each problem is a field path and a message, so the loader can name the line.
"""

from __future__ import annotations

from collections.abc import Iterator

from propgen.i18n import N_
from propgen.needs.models import MONTHS, NeedsRecord
from propgen.source import FieldPath


def link_problems(record: NeedsRecord) -> Iterator[tuple[FieldPath, str]]:
    """Every reference to a discovery problem that names none, and a price
    currency without its exchange rate (or a rate without a price currency)."""
    discovery = record.discovery
    problems = {p.id for p in discovery.problem}
    kinds = {
        **{s.id: N_("a situation") for s in discovery.situation},
        **{i.id: N_("an implication") for i in discovery.implication},
        **{n.id: N_("a need-payoff") for n in discovery.need_payoff},
    }
    known = ", ".join(sorted(problems)) or N_("none: add discovery.problem items first")
    references: list[tuple[FieldPath, list[str]]] = []
    references += [
        (("discovery", "implication", i, "problems"), item.problems)
        for i, item in enumerate(discovery.implication)
    ]
    references += [
        (("discovery", "need_payoff", i, "resolves"), item.resolves)
        for i, item in enumerate(discovery.need_payoff)
    ]
    references += [
        (("solution", "modules", i, "addresses"), m.addresses)
        for i, m in enumerate(record.solution.modules)
    ]
    references += [
        (("solution", "milestones", i, "addresses"), m.addresses)
        for i, m in enumerate(record.solution.milestones)
    ]
    for path, ids in references:
        for k, ref in enumerate(ids):
            if ref in problems:
                continue
            if ref in kinds:
                message = N_("{ref!r} is {kind}, not a problem (problems: {known})")
            else:
                message = N_("{ref!r} is no discovery problem (problems: {known})")
            yield (*path, k), message.format(ref=ref, kind=kinds.get(ref, ""), known=known)
    pricing, quoted_in = record.pricing, record.document.currency
    if pricing.currency and pricing.currency != quoted_in and pricing.exchange_rate is None:
        yield (
            ("pricing", "currency"),
            N_(
                "prices in {priced} but the document is in {quoted}: give "
                "pricing.exchange_rate (rate: units of {quoted} per 1 {priced}, and as_of: "
                "the rate's date)"
            ).format(priced=pricing.currency, quoted=quoted_in),
        )
    if pricing.exchange_rate is not None and pricing.currency in (None, quoted_in):
        yield (
            ("pricing", "exchange_rate"),
            N_(
                "an exchange rate needs pricing.currency, the currency prices are written "
                "in (other than the document's {quoted})"
            ).format(quoted=quoted_in),
        )
    term = record.terms.term_months
    for index, item in enumerate(pricing.items):
        if term is None or item.recurring is None:
            continue
        months = item.period_count * MONTHS[item.recurring]
        if months > term:
            field = "ramp" if item.ramp and item.periods is None else "periods"
            yield (
                ("pricing", "items", index, field),
                N_(
                    "{item!r} runs {months} months but terms.term_months is {term}: a "
                    "recurring line cannot be charged beyond the contract's term"
                ).format(item=item.name, months=months, term=term),
            )
