"""The figures policy thresholds govern, read back from the edited text and checked
against the policy again: payment days, the liability cap's months, the deal
discount.

Each figure is found through the words propgen states it with (the locale's
``term_*`` labels, ``deal_discount``): the label becomes a pattern whose
placeholder is a number, so "within 60 days after receipt of a correct invoice"
yields 60 wherever the edited contract says it. Numbers are read as
:mod:`propgen.numerals` reads them for the bilingual checks: in digits or in Chinese
numerals, so 六十日 is 60 days, 六个月 6 months and 百分之八 8 %.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from propgen.numerals import NUMBER, PERCENT, number_value, percent_value
from propgen.review.sections import normalise

if TYPE_CHECKING:
    from propgen.pipeline import Checked

_NUMBER = f"({NUMBER})"
_PERCENT = f"({PERCENT})"
_SYNONYMS = {"day": ("天",)}
"""Units a customer may write for the one propgen writes (六十天 for 六十日)."""


def _duration(unit: str) -> str:
    """A number with its unit as :meth:`Formatter.count` writes it (either number),
    or as a customer may write it."""
    from propgen.locale import UNITS

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


@dataclass(frozen=True)
class FigureRule:
    """How to find one governed figure in the edited text, and the policy it meets:
    all :func:`figure_rules` needs from the record and the library, so a cached
    review basis can carry it."""

    measure: str
    subject: str
    record: Decimal | None
    label: str
    """The locale's label stating the figure (``within {duration} after …``)."""
    holes: dict[str, str]
    """Each placeholder's pattern; one of them captures the figure."""
    percent: bool
    """The figure is a percentage (``8%``, ``百分之八``), else a number."""
    max: Decimal | None
    min: Decimal | None
    approval: str
    """The role that approves a value beyond the limit ("" without a threshold)."""
    approved: bool
    """The record already holds an approval for this subject."""


def figure_rules(checked: Checked) -> list[FigureRule]:
    """The governed figures of ``checked``'s record: its values, the labels that
    state them, the policy's thresholds."""
    record = checked.plan.record
    labels = checked.library.labels(record.document.locale)
    terms = record.terms
    invoice = labels.get(f"term_invoice_{terms.invoice_type}", "")
    measures: list[tuple[str, str, Decimal | int | None, str, dict[str, str]]] = [
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
    rules: list[FigureRule] = []
    for measure, subject, value, key, holes in measures:
        if key not in labels:
            continue
        limit = policy.get(measure)  # type: ignore[call-overload]
        rules.append(
            FigureRule(
                measure,
                subject,
                Decimal(value) if value is not None else None,
                labels[key],
                holes,
                measure == "deal_discount_pct",
                limit.max if limit is not None else None,
                limit.min if limit is not None else None,
                limit.approval if limit is not None else "",
                subject in approved,
            )
        )
    return rules


def read_figures(rules: Sequence[FigureRule], text: str) -> list[Figure]:
    """The governed figures ``text`` (the edited contract) states, against ``rules``."""
    text = normalise(text)
    figures: list[Figure] = []
    for rule in rules:
        pattern = _pattern(rule.label, rule.holes)
        read = percent_value if rule.percent else number_value
        matches = (
            m if isinstance(m, str) else next((g for g in m if g), "")
            for m in pattern.findall(text)
        )
        found = tuple(v for v in (read(m) for m in matches) if v is not None)
        bound = ""
        beyond: tuple[Decimal, ...] = ()
        if rule.approval:
            bound = f"max {rule.max}" if rule.max is not None else f"min {rule.min}"
            beyond = tuple(
                v
                for v in found
                if (rule.max is not None and v > rule.max)
                or (rule.min is not None and v < rule.min)
            )
        figures.append(
            Figure(
                rule.measure,
                rule.subject,
                rule.record,
                tuple(dict.fromkeys(found)),
                bound,
                rule.approval,
                tuple(dict.fromkeys(beyond)),
                rule.approved,
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
