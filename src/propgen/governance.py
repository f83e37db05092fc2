"""Governance: which parts of a deal deviate from policy, and who must approve them.

A deviation is a non-standard clause position, a locked clause overridden, or a
figure beyond a policy threshold. Each names the approval role it needs; the
record's ``approvals:`` list says which were given (matched on ``what`` and
``role``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from propgen.library.models import ClauseFile, PolicyFile, Threshold
from propgen.needs.models import Approval, NeedsRecord

DeviationKind = Literal["fallback", "locked", "threshold"]


@dataclass(frozen=True)
class Deviation:
    kind: DeviationKind
    subject: str
    """What an approval's ``what`` must say, e.g. ``clause:limitation-of-liability``."""
    detail: str
    approval: str
    """The role whose approval is needed."""
    approved_by: Approval | None = None

    @property
    def approved(self) -> bool:
        return self.approved_by is not None


def find_deviations(
    record: NeedsRecord,
    policy: PolicyFile,
    positions: Mapping[str, str],
    clause_files: Mapping[str, ClauseFile],
) -> tuple[Deviation, ...]:
    """Every deviation in the deal, each marked with the approval that covers it.

    Args:
        positions: the contract's clauses, clause id → the position chosen.
    """
    found: list[Deviation] = []
    fallback_role = policy.approvals.get("fallback", "legal")
    locked_role = policy.approvals.get("locked", "legal")
    for clause_id, position in positions.items():
        if position == "standard":
            continue
        meta = clause_files[clause_id]
        if meta.locked:
            found.append(
                Deviation(
                    "locked",
                    f"clause:{clause_id}",
                    f"clause {clause_id} is locked; position {position} chosen",
                    locked_role,
                )
            )
        else:
            role = meta.positions[position].approval or fallback_role
            found.append(
                Deviation(
                    "fallback",
                    f"clause:{clause_id}",
                    f"clause {clause_id}: position {position} instead of standard",
                    role,
                )
            )
    found.extend(_thresholds(record, policy.thresholds))
    return tuple(_with_approval(d, record.approvals) for d in found)


def _thresholds(record: NeedsRecord, limits: Mapping[Any, Threshold]) -> list[Deviation]:
    measures: list[tuple[str, str, Decimal | int | None, str]] = [
        ("deal_discount_pct", "deal-discount", record.pricing.discount_pct, "deal discount"),
        (
            "payment_terms_days",
            "payment-terms",
            record.terms.payment_terms_days,
            "payment terms (days)",
        ),
        (
            "liability_cap_months",
            "liability-cap",
            record.terms.liability_cap_months,
            "liability cap (months of fees)",
        ),
    ]
    for index, item in enumerate(record.pricing.items):
        measures.append(
            (
                "line_discount_pct",
                f"line-discount:{item.sku or index + 1}",
                item.discount_pct,
                f"discount on {item.name}",
            )
        )
    found = []
    for key, subject, value, label in measures:
        limit = limits.get(key)
        if limit is None or value is None:
            continue
        if limit.max is not None and value > limit.max:
            found.append(
                Deviation(
                    "threshold",
                    subject,
                    f"{label} {value} is above the limit of {limit.max}",
                    limit.approval,
                )
            )
        if limit.min is not None and value < limit.min:
            found.append(
                Deviation(
                    "threshold",
                    subject,
                    f"{label} {value} is below the minimum of {limit.min}",
                    limit.approval,
                )
            )
    return found


def _with_approval(deviation: Deviation, approvals: Sequence[Approval]) -> Deviation:
    for approval in approvals:
        if approval.what == deviation.subject and approval.role == deviation.approval:
            return Deviation(
                deviation.kind, deviation.subject, deviation.detail, deviation.approval, approval
            )
    return deviation
