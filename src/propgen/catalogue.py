"""The library as a catalogue, for presales and legal: what each industry offers.

``propgen library show`` prints it: per industry and locale, the proposal sections
(title, variants, locked, owner), the contract clauses (positions, the role each
non-standard position needs), the enumerated terms' values (SLA tiers) and the
``approvals[].what`` keys ``check`` expects. Read from the library, never invented.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from propgen.i18n import N_
from propgen.library.store import Library


@dataclass(frozen=True)
class SectionEntry:
    id: str
    title: str
    variants: tuple[str, ...]
    locked: bool
    owner: str


@dataclass(frozen=True)
class PositionEntry:
    id: str
    role: str
    """The approval role choosing it needs; "" for the standard position."""
    summary: str


@dataclass(frozen=True)
class ClauseEntry:
    id: str
    title: str
    status: str
    locked: bool
    owner: str
    positions: tuple[PositionEntry, ...]


@dataclass(frozen=True)
class IndustryCatalogue:
    id: str
    locale: str
    title: str
    sections: tuple[SectionEntry, ...]
    clauses: tuple[ClauseEntry, ...]
    choices: dict[str, tuple[tuple[str, str], ...]]
    """Enumerated term → (value, title) pairs, e.g. ``terms.sla``."""
    approval_keys: tuple[tuple[str, str, str], ...]
    """(``what`` key, the role that approves it, when it is needed)."""


def industry_catalogue(library: Library, industry_id: str, locale: str) -> IndustryCatalogue:
    """What ``industry_id`` offers in ``locale``.

    Raises:
        KeyError: no such industry.
    """
    manifest = library.industry(industry_id).value
    sections = []
    for section_id in manifest.proposal.sections:
        section = library.section(industry_id, section_id).value
        sections.append(
            SectionEntry(
                section.id,
                section.title.get(locale, ""),
                tuple(section.variants),
                section.locked,
                section.owner,
            )
        )
    policy = library.policy
    fallback = policy.approvals.get("fallback", "legal")
    locked_role = policy.approvals.get("locked", "legal")
    clauses = []
    for clause_id in manifest.contract.clauses if manifest.contract else []:
        clause = library.clause(industry_id, clause_id).value
        positions = tuple(
            PositionEntry(
                name,
                ""
                if name == "standard"
                else (locked_role if clause.locked else position.approval or fallback),
                position.summary.get(locale, ""),
            )
            for name, position in clause.positions.items()
        )
        clauses.append(
            ClauseEntry(
                clause.id,
                clause.title.get(locale, ""),
                clause.status,
                clause.locked,
                clause.owner,
                positions,
            )
        )
    choices = {
        f"terms.{term}": tuple((value, c.title.get(locale, value)) for value, c in offered.items())
        for term, offered in library.choices.terms.items()
    }
    return IndustryCatalogue(
        industry_id,
        locale,
        manifest.title.get(locale, industry_id),
        tuple(sections),
        tuple(clauses),
        choices,
        tuple(_approval_keys(library, clauses)),
    )


_MEASURES = {
    "deal_discount_pct": ("deal-discount", "pricing.discount_pct"),
    "line_discount_pct": ("line-discount:<sku>", N_("an item's discount_pct")),
    "payment_terms_days": ("payment-terms", "terms.payment_terms_days"),
    "liability_cap_months": ("liability-cap", "terms.liability_cap_months"),
    "margin_pct": ("margin", N_("the deal's margin over its items' unit_cost")),
}


def _approval_keys(library: Library, clauses: list[ClauseEntry]) -> Iterator[tuple[str, str, str]]:
    for measure, limit in library.policy.thresholds.items():
        key, field = _MEASURES[measure]
        if limit.max is not None:
            yield (
                key,
                limit.approval,
                N_("{detail} above {limit}").format(detail=field, limit=limit.max),
            )
        else:
            yield (
                key,
                limit.approval,
                N_("{detail} below {limit}").format(detail=field, limit=limit.min),
            )
    for clause in clauses:
        roles = sorted({p.role for p in clause.positions if p.role})
        if roles:
            yield f"clause:{clause.id}", " or ".join(roles), N_("any position but standard")
