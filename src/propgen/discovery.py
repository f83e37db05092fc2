"""SPIN discovery, made checkable: what ties each problem to its cost, its answer
and its payoff, what is left weak, and what the quantified cost says about the price.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from propgen.i18n import N_
from propgen.needs.models import (
    PERIODS_PER_YEAR,
    Finding,
    Implication,
    Milestone,
    Module,
    NeedPayoff,
    NeedsRecord,
)
from propgen.source import FieldPath


@dataclass(frozen=True)
class TraceRow:
    """One problem, followed from its impact to what solves it and what it yields."""

    problem: Finding
    implications: tuple[Implication, ...]
    solutions: tuple[str, ...]
    """Names of the modules and milestones that address the problem."""
    payoffs: tuple[NeedPayoff, ...]


@dataclass(frozen=True)
class Weakness:
    """A gap a customer would notice (in the discovery story, or a line that does not
    run for the term), at a field of the record."""

    field: FieldPath
    message: str


@dataclass(frozen=True)
class Value:
    """The quantified cost of the problems against the investment."""

    annual_cost: Decimal
    """Σ of the implications' recurring costs per year, in the document's currency."""
    investment: Decimal
    """The total contract value (net of discounts, before tax)."""
    payback_months: Decimal
    """investment ÷ (annual cost ÷ 12), half-up to one decimal."""


def trace(record: NeedsRecord) -> tuple[TraceRow, ...]:
    """One row per discovery problem, in the record's order."""
    discovery, solution = record.discovery, record.solution
    parts: list[Module | Milestone] = [*solution.modules, *solution.milestones]
    return tuple(
        TraceRow(
            problem=problem,
            implications=tuple(i for i in discovery.implication if problem.id in i.problems),
            solutions=tuple(part.name for part in parts if problem.id in part.addresses),
            payoffs=tuple(n for n in discovery.need_payoff if problem.id in n.resolves),
        )
        for problem in discovery.problem
    )


def weak_discovery(record: NeedsRecord) -> tuple[Weakness, ...]:
    """Gaps a customer would notice: each in plain words, at its field."""
    discovery, solution = record.discovery, record.solution
    found: list[Weakness] = []
    if not discovery.problem:
        found.append(
            Weakness(
                ("discovery",),
                N_(
                    "discovery names no problem: the proposal cannot say what it solves "
                    "(add discovery.problem items)"
                ),
            )
        )
    addressed = {ref for module in solution.modules for ref in module.addresses}
    addressed |= {ref for milestone in solution.milestones for ref in milestone.addresses}
    for i, problem in enumerate(discovery.problem):
        if problem.id not in addressed:
            found.append(
                Weakness(
                    ("discovery", "problem", i),
                    N_(
                        "problem {id} ({text}) is addressed by no module or milestone "
                        "(add its id to a module's addresses)"
                    ).format(id=problem.id, text=_short(problem.text)),
                )
            )
    for i, module in enumerate(solution.modules):
        if not module.addresses:
            found.append(
                Weakness(
                    ("solution", "modules", i),
                    N_("module {name!r} addresses no problem (give addresses: [P1, …])").format(
                        name=module.name
                    ),
                )
            )
    for i, implication in enumerate(discovery.implication):
        if not implication.quantified:
            found.append(
                Weakness(
                    ("discovery", "implication", i),
                    N_(
                        "implication {id} has no magnitude (give cost with an amount "
                        "and per: year, or hours with an amount and per: week)"
                    ).format(id=implication.id),
                )
            )
        if not implication.problems:
            found.append(
                Weakness(
                    ("discovery", "implication", i),
                    N_("implication {id} follows from no problem (give problems: [P1])").format(
                        id=implication.id
                    ),
                )
            )
    for i, payoff in enumerate(discovery.need_payoff):
        if not payoff.resolves:
            found.append(
                Weakness(
                    ("discovery", "need_payoff", i),
                    N_(
                        "need-payoff {id} names no problem it resolves (give resolves: [P1])"
                    ).format(id=payoff.id),
                )
            )
    return tuple(found)


def _short(text: str, limit: int = 48) -> str:
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def annual_cost(record: NeedsRecord) -> Decimal | None:
    """The implications' recurring costs per year, or None when there are none or
    when they are not all in the document's currency (no conversion is guessed)."""
    currency = record.document.currency
    yearly = [
        (i.cost.currency or currency, i.cost.amount * PERIODS_PER_YEAR[i.cost.per])
        for i in record.discovery.implication
        if i.cost is not None and i.cost.per is not None
    ]
    if not yearly or any(code != currency for code, _ in yearly):
        return None
    total = sum((amount for _, amount in yearly), Decimal(0))
    return total if total > 0 else None


def value(record: NeedsRecord, investment: Decimal) -> Value | None:
    """Payback of ``investment`` against the problems' annual cost, when both exist."""
    cost = annual_cost(record)
    if cost is None or investment <= 0:
        return None
    months = (investment * 12 / cost).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Value(annual_cost=cost, investment=investment, payback_months=months)
