"""The figures policy thresholds govern, read back from the edited text and checked
against the policy again: payment days, the liability cap's months, the deal
discount.

Each figure is found through the words propgen states it with (the locale's
``term_*`` labels, ``deal_discount``): the label becomes a pattern whose
placeholder is a number, so "within 60 days after receipt of a correct invoice"
yields 60 wherever the edited contract says it. Numbers are read as
:mod:`propgen.figures` reads them for the bilingual checks: in digits or in Chinese
numerals, so 六十日 is 60 days, 六个月 6 months and 百分之八 8 %.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from propgen.figures import NUMBER, PERCENT, number_value, percent_value
from propgen.locale import UNITS
from propgen.pipeline import Checked
from propgen.review.expected import normalise

_NUMBER = f"({NUMBER})"
_PERCENT = f"({PERCENT})"
_SYNONYMS = {"day": ("天",)}
"""Units a customer may write for the one propgen writes (六十天 for 六十日)."""


def _duration(unit: str) -> str:
    """A number with its unit as :meth:`Formatter.count` writes it (either number),
    or as a customer may write it."""
    words = "|".join(re.escape(word) for word in (*UNITS[unit], *_SYNONYMS.get(unit, ())))
    return _NUMBER + rf"\s?(?:{words})"


@dataclass(frozen=True)
class Figure:
    measure: str
    """The policy's threshold key (``payment_terms_days`` ...)."""
    subject: str
    """The approval key (``payment-terms`` ...)."""
    record: Decimal | None
    """The value in the needs record."""
    found: tuple[Decimal, ...]
    """The values the edited text states."""
    limit: str
    """``max 45`` / ``min 12`` ("" without a threshold)."""
    approval: str
    beyond: tuple[Decimal, ...]
    """Found values beyond the policy's limit."""
    approved: bool
    """The record already holds an approval for this subject."""

    @property
    def needs_approval(self) -> bool:
        """A value beyond the limit, unless it is the record's own, already approved."""
        return any(not (self.approved and value == self.record) for value in self.beyond)

    @property
    def changed(self) -> bool:
        return any(value != self.record for value in self.found)


def read_figures(checked: Checked, text: str) -> list[Figure]:
    """The governed figures ``text`` (the edited contract) states."""
    record = checked.plan.record
    labels = checked.library.labels(record.document.locale)
    terms = record.terms
    invoice = labels.get(f"term_invoice_{terms.invoice_type}", "")
    text = normalise(text)
    measures: list[tuple[str, str, Decimal | int | None, str, Mapping[str, str]]] = [
        (
            "payment_terms_days",
            "payment-terms",
            terms.payment_terms_days,
            f"term_payment_{terms.payment_due_from}",
            {
                "days": _NUMBER,
                "duration": _duration("day"),
                "invoice": re.escape(normalise(invoice)),
            },
        ),
        (
            "liability_cap_months",
            "liability-cap",
            terms.liability_cap_months if terms.liability_cap_months is not None else 12,
            "term_liability_basis",
            {"months": _NUMBER, "duration": _duration("month")},
        ),
        (
            "deal_discount_pct",
            "deal-discount",
            record.pricing.discount_pct,
            "deal_discount",
            {"percent": _PERCENT},
        ),
    ]
    approved = {d.subject for d in checked.plan.deviations if d.approved}
    policy = checked.library.policy.thresholds
    figures: list[Figure] = []
    for measure, subject, value, key, holes in measures:
        if key not in labels:
            continue
        pattern = _pattern(labels[key], holes)
        read = percent_value if measure == "deal_discount_pct" else number_value
        matches = (
            m if isinstance(m, str) else next((g for g in m if g), "")
            for m in pattern.findall(text)
        )
        found = tuple(v for v in (read(m) for m in matches) if v is not None)
        limit = policy.get(measure)  # type: ignore[call-overload]
        beyond: tuple[Decimal, ...] = ()
        bound = ""
        role = ""
        if limit is not None:
            role = limit.approval
            bound = f"max {limit.max}" if limit.max is not None else f"min {limit.min}"
            beyond = tuple(
                v
                for v in found
                if (limit.max is not None and v > limit.max)
                or (limit.min is not None and v < limit.min)
            )
        figures.append(
            Figure(
                measure,
                subject,
                Decimal(value) if value is not None else None,
                tuple(dict.fromkeys(found)),
                bound,
                role,
                tuple(dict.fromkeys(beyond)),
                subject in approved,
            )
        )
    return figures


def _pattern(label: str, holes: Mapping[str, str]) -> re.Pattern[str]:
    """A label as a pattern: placeholders become ``holes``, spaces any whitespace."""
    pieces = re.split(r"(\{\w+\})", normalise(label))
    out = []
    for piece in pieces:
        name = piece[1:-1] if piece.startswith("{") and piece.endswith("}") else None
        if name is not None:
            out.append(holes.get(name, ".{0,200}?"))
        else:
            out.append(r"\s*".join(re.escape(word) for word in piece.split(" ")))
    return re.compile("".join(out))
