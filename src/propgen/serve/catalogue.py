"""What the form offers to choose from, read from the library (never invented here):
industries, sections and their variants, clauses with their positions and the
approval role each position would need, the policy's approval roles."""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from propgen.errors import InvalidInput
from propgen.library import Library
from propgen.locales import LOCALES
from propgen.needs.models import Customer, LineItem, Solution, Terms, currencies
from propgen.serve.preview import Preview

CONTACT_ROLES = (
    "decision_maker",
    "champion",
    "technical_evaluator",
    "procurement",
    "legal",
    "economic_buyer",
)


def literal_choices(model: type[BaseModel], field: str) -> tuple[str, ...]:
    """The values a ``Literal`` field of the record's model allows (None left out)."""

    def values(annotation: Any) -> list[str]:
        if typing.get_origin(annotation) is Literal:
            return [str(v) for v in typing.get_args(annotation)]
        if typing.get_origin(annotation) in (typing.Union, types.UnionType):
            return [v for arg in typing.get_args(annotation) for v in values(arg)]
        return []

    return tuple(values(model.model_fields[field].annotation))


MODEL_CHOICES = {
    "address_forms": literal_choices(Customer, "address_form"),
    "sectors": literal_choices(Customer, "sector"),
    "us_states": literal_choices(Customer, "state"),
    "deployments": literal_choices(Solution, "deployment"),
    "payment_due_from": literal_choices(Terms, "payment_due_from"),
    "invoice_types": literal_choices(Terms, "invoice_type"),
    "recurrences": literal_choices(LineItem, "recurring"),
    "item_kinds": literal_choices(LineItem, "kind"),
}


@dataclass(frozen=True)
class Position:
    id: str
    summary: str
    role: str
    """The approval role choosing it needs; "" for the standard position."""


@dataclass(frozen=True)
class ClauseChoice:
    id: str
    title: str
    locked: bool
    positions: tuple[Position, ...]
    chosen: str


@dataclass(frozen=True)
class Catalogue:
    choices: dict[str, tuple[str, ...]]
    clauses: tuple[ClauseChoice, ...]

    @classmethod
    def of(cls, library: Library, data: dict[str, Any], preview: Preview) -> Catalogue:
        document = data.get("document") if isinstance(data.get("document"), dict) else {}
        assert isinstance(document, dict)
        industry = str(document.get("industry", ""))
        locale = document.get("locale") if document.get("locale") in LOCALES else "en-US"
        policy = _safe(lambda: library.policy, None)
        roles = set()
        if policy is not None:
            roles |= {t.approval for t in policy.thresholds.values()}
            roles |= set(policy.approvals.values())
        sections: tuple[str, ...] = ()
        variants: set[str] = set()
        clauses: list[ClauseChoice] = []
        if industry in library.industry_ids():
            sections = tuple(library.known_ids(industry, "sections"))
            for section_id in sections:
                loaded = _safe(lambda s=section_id: library.section(industry, s), None)
                if loaded is not None:
                    variants |= set(loaded.value.variants)
            chosen = data.get("clauses") if isinstance(data.get("clauses"), dict) else {}
            assert isinstance(chosen, dict)
            manifest = library.industry(industry).value
            for clause_id in manifest.contract.clauses if manifest.contract else []:
                choice = _clause(library, industry, clause_id, str(locale), policy, chosen)
                if choice is not None:
                    clauses.append(choice)
                    roles |= {p.role for p in choice.positions if p.role}
        subjects: set[str] = {"deal-discount", "payment-terms", "liability-cap"}
        if preview.checked is not None:
            subjects |= {d.subject for d in preview.checked.plan.deviations}
        subjects |= {f"clause:{c.id}" for c in clauses}
        return cls(
            choices={
                "locales": LOCALES,
                "industries": tuple(library.industry_ids()),
                "currencies": tuple(sorted(currencies())),
                "sla": tuple(_safe(lambda: library.choices.terms.get("sla", {}), {})),
                "roles": CONTACT_ROLES,
                "section_ids": sections,
                "variants": tuple(sorted(variants)),
                "subjects": tuple(sorted(subjects)),
                "roles_needed": tuple(sorted(roles)),
                **MODEL_CHOICES,
            },
            clauses=tuple(clauses),
        )


def _safe(read: Any, default: Any) -> Any:
    """A broken library file shows as a missing choice here; check reports it in full."""
    try:
        return read()
    except (InvalidInput, KeyError):
        return default


def _clause(
    library: Library,
    industry: str,
    clause_id: str,
    locale: str,
    policy: Any,
    chosen: dict[str, Any],
) -> ClauseChoice | None:
    loaded = _safe(lambda: library.clause(industry, clause_id), None)
    if loaded is None:
        return None
    clause = loaded.value
    fallback = policy.approvals.get("fallback", "legal") if policy else "legal"
    locked_role = policy.approvals.get("locked", "legal") if policy else "legal"
    positions = []
    for position_id, position in clause.positions.items():
        if position_id == "standard":
            role = ""
        elif clause.locked:
            role = locked_role
        else:
            role = position.approval or fallback
        summary = position.summary.get(locale) or position.summary.get("en-US", "")
        positions.append(Position(position_id, summary, role))
    title = clause.title.get(locale) or clause_id
    return ClauseChoice(
        id=clause_id,
        title=title,
        locked=clause.locked,
        positions=tuple(positions),
        chosen=str(chosen.get(clause_id, "standard")),
    )
