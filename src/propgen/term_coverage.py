"""Recurring lines against the contract term.

A recurring line charges ``periods`` months, quarters or years; ``periods`` defaults to
one. A monthly subscription in a 36-month deal that forgets ``periods: 36`` is priced
at one month: a total that is wrong without anything failing. ``check`` therefore warns
at each recurring line whose months differ from ``terms.term_months``.
"""

from __future__ import annotations

from propgen.discovery import Weakness
from propgen.i18n import N_
from propgen.needs.models import MONTHS, NeedsRecord


def uncovered_term(record: NeedsRecord) -> tuple[Weakness, ...]:
    """A warning at each recurring line charged for more or fewer months than the
    contract term runs (none when the record states no term)."""
    term = record.terms.term_months
    if term is None:
        return ()
    found: list[Weakness] = []
    for i, item in enumerate(record.pricing.items):
        if item.recurring is None:
            continue
        per_period = MONTHS[item.recurring]
        months = item.period_count * per_period
        if months == term:
            continue
        whole_term = f"periods: {term // per_period}" if term % per_period == 0 else "periods"
        message = (
            N_(
                "{name!r} covers {months} of the {term} months of the contract term "
                "(for the whole term give {whole_term})"
            )
            if months < term
            else N_(
                "{name!r} is charged for {months} months, beyond the {term}-month "
                "contract term (for the term alone give {whole_term})"
            )
        )
        fields = {"name": item.name, "months": months, "term": term, "whole_term": whole_term}
        found.append(Weakness(("pricing", "items", i), message.format(**fields)))
    return tuple(found)
