"""Governance: which parts of a deal deviate from policy, and who must approve them.

A deviation is a non-standard clause position, a locked clause overridden, or a
figure beyond a policy threshold. Each names the approval role it needs; the
record's ``approvals:`` list says which were given (matched on ``what`` and
``role``). An approval that clears nothing (no such deviation, the wrong role, a
role the policy does not declare, dated after the document) is an error.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from propgen.i18n import N_
from propgen.library.models import ClauseFile, PolicyFile, Threshold
from propgen.needs.models import Approval, NeedsRecord

if TYPE_CHECKING:
    from propgen.pricing import Margin

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

    def approval_entry(self) -> str:
        """The ``approvals:`` entry that clears this deviation, to paste into the record."""
        return f"- {{what: {self.subject}, role: {self.approval}, who: <name>, date: <YYYY-MM-DD>}}"


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
                    N_("clause {clause} is locked; position {position} chosen").format(
                        clause=clause_id, position=position
                    ),
                    locked_role,
                )
            )
        else:
            role = meta.positions[position].approval or fallback_role
            found.append(
                Deviation(
                    "fallback",
                    f"clause:{clause_id}",
                    N_("clause {clause}: position {position} instead of standard").format(
                        clause=clause_id, position=position
                    ),
                    role,
                )
            )
    found.extend(_thresholds(record, policy.thresholds))
    return tuple(_with_approval(d, record.approvals) for d in found)


# Each measure's deviation, worded with its unit, for a value above ``max`` / below ``min``.
_ABOVE = {
    "deal_discount_pct": N_("deal discount {value}% is above the limit of {limit}%"),
    "payment_terms_days": N_("payment terms of {value} days are above the limit of {limit} days"),
    "liability_cap_months": N_(
        "liability cap of {value} months of fees is above the limit of {limit} months"
    ),
    "line_discount_pct": N_("discount on {item} {value}% is above the limit of {limit}%"),
    "margin_pct": N_("deal margin {value}% is above the limit of {limit}%"),
}
_BELOW = {
    "deal_discount_pct": N_("deal discount {value}% is below the minimum of {limit}%"),
    "payment_terms_days": N_("payment terms of {value} days are below the minimum of {limit} days"),
    "liability_cap_months": N_(
        "liability cap of {value} months of fees is below the minimum of {limit} months"
    ),
    "line_discount_pct": N_("discount on {item} {value}% is below the minimum of {limit}%"),
    "margin_pct": N_("deal margin {value}% is below the minimum of {limit}%"),
}


def _thresholds(record: NeedsRecord, limits: Mapping[Any, Threshold]) -> list[Deviation]:
    # (policy key, approval key, value, item name)
    measures: list[tuple[str, str, Decimal | int | None, str]] = [
        ("deal_discount_pct", "deal-discount", record.pricing.discount_pct, ""),
        ("payment_terms_days", "payment-terms", record.terms.payment_terms_days, ""),
        ("liability_cap_months", "liability-cap", record.terms.liability_cap_months, ""),
    ]
    found: list[Deviation] = []
    deal_margin = _margin(record)
    if deal_margin is not None:
        measures.append(("margin_pct", "margin", deal_margin.percent, ""))
        limit = limits.get("margin_pct")
        if limit is not None and deal_margin.uncosted:
            found.append(
                Deviation(
                    "threshold",
                    "margin",
                    N_("deal margin cannot be checked: no unit_cost on {items}").format(
                        items=", ".join(deal_margin.uncosted)
                    ),
                    limit.approval,
                )
            )
    for index, item in enumerate(record.pricing.items):
        measures.append(
            (
                "line_discount_pct",
                f"line-discount:{item.sku or index + 1}",
                item.discount_pct,
                item.name,
            )
        )
    for key, subject, value, item_name in measures:
        limit = limits.get(key)
        if limit is None or value is None:
            continue
        for bound, beyond, wording in (
            (limit.max, limit.max is not None and value > limit.max, _ABOVE[key]),
            (limit.min, limit.min is not None and value < limit.min, _BELOW[key]),
        ):
            if beyond and bound is not None:
                detail = wording.format(item=item_name, value=_figure(value), limit=_figure(bound))
                found.append(Deviation("threshold", subject, detail, limit.approval))
    return found


def _figure(value: Decimal | int) -> str:
    """``Decimal("8.0")`` → ``8``, ``Decimal("12.5")`` → ``12.5``."""
    text = f"{Decimal(value).normalize():f}"
    return text


def approval_problems(
    record: NeedsRecord,
    deviations: Sequence[Deviation],
    policy: PolicyFile,
    *,
    clauses_planned: bool = True,
) -> list[tuple[tuple[str | int, ...], str, str]]:
    """Approvals that clear nothing: matching no deviation, naming the wrong or an
    undeclared role, or dated after the document. Each as (field path, message, hint).

    ``clauses_planned`` False (``--only proposal``): clause approvals cannot be
    matched, as no clause was planned, and are not judged."""
    found: list[tuple[tuple[str | int, ...], str, str]] = []
    needed = {d.subject: d for d in deviations}
    for index, approval in enumerate(record.approvals):
        if not clauses_planned and approval.what.startswith("clause:"):
            continue
        at = ("approvals", index)
        if policy.roles and approval.role not in policy.roles:
            close = difflib.get_close_matches(approval.role, list(policy.roles), n=1)
            found.append(
                (
                    (*at, "role"),
                    N_("{role!r} is not a role of the approval policy ({roles})").format(
                        role=approval.role, roles=", ".join(policy.roles)
                    ),
                    N_("did you mean {option!r}?").format(option=close[0]) if close else "",
                )
            )
        if approval.date > record.document.date:
            found.append(
                (
                    (*at, "date"),
                    N_("approval dated {date}, after the document date {document_date}").format(
                        date=approval.date, document_date=record.document.date
                    ),
                    N_("an approval must be given before the document is issued"),
                )
            )
        deviation = needed.get(approval.what)
        if deviation is None:
            close = difflib.get_close_matches(approval.what, list(needed), n=1, cutoff=0.6)
            hint = (
                N_("did you mean {option!r}?").format(option=close[0])
                if close
                else (
                    N_("this deal's deviations: {keys}").format(keys=", ".join(needed))
                    if needed
                    else N_("this deal has no deviations; remove the approval")
                )
            )
            message = N_("{what!r} matches no deviation of this deal").format(what=approval.what)
            found.append(((*at, "what"), message, hint))
        elif approval.role != deviation.approval and (
            not policy.roles or approval.role in policy.roles
        ):
            found.append(
                (
                    (*at, "role"),
                    N_("{what} needs approval by {needed}, not {role}").format(
                        what=approval.what, needed=deviation.approval, role=approval.role
                    ),
                    N_("the approval must come from {needed}").format(needed=deviation.approval),
                )
            )
    return found


def _margin(record: NeedsRecord) -> Margin | None:
    """The deal's margin, when any charged line gives its cost (never printed)."""
    from propgen.pricing import margin, price

    return margin(record.pricing, price(record.pricing, record.document.currency))


def _with_approval(deviation: Deviation, approvals: Sequence[Approval]) -> Deviation:
    for approval in approvals:
        if approval.what == deviation.subject and approval.role == deviation.approval:
            return Deviation(
                deviation.kind, deviation.subject, deviation.detail, deviation.approval, approval
            )
    return deviation
