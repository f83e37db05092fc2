"""Planning: needs record + library → which sections and clause positions go in.

Presales overrides (``sections:``) and legal positions (``clauses:``) are applied
here, governance is checked (clause status, policy thresholds, approvals), and
every problem is collected so the user sees all of them at once.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field, replace
from typing import Literal

from propgen.discovery import Weakness, weak_discovery
from propgen.document import DocumentKind
from propgen.errors import LibraryError, NeedsError, PolicyError, Problem
from propgen.governance import Deviation, approval_problems, find_deviations
from propgen.i18n import N_
from propgen.library.models import ClauseFile, Manifest, SectionFile, StructuredBlock
from propgen.library.store import Library, Loaded
from propgen.needs.loader import LoadedNeeds
from propgen.needs.models import Customer, Deployment, NeedsRecord, SectionOverride, Terms
from propgen.regions import default_region, fits
from propgen.term_coverage import uncovered_term

AWAITING_APPROVAL = "awaiting-approval"
"""A planned clause's status when its text changed after legal approved it."""


@dataclass(frozen=True)
class PlannedText:
    """One piece of text going into a document, and where it came from."""

    id: str
    title: str
    source: str
    """Markdown; a Jinja template when ``templated`` (library text), else literal."""
    templated: bool
    file: str
    line: int | None
    version: str
    origin: Literal["library", "override", "added"] = "library"
    position: str = ""
    """For clauses: the position used (``standard``, ``fallback-1``)."""
    variant: str = ""
    blocks: tuple[StructuredBlock, ...] = ()
    when: str | None = None
    status: str = "approved"
    """``approved``, ``draft``, or ``awaiting-approval``: changed since legal approved
    ``approved_version`` (the approval is not carried over to the new text)."""
    approved_version: str = ""
    locked: bool = False

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.source.encode()).hexdigest()


@dataclass(frozen=True)
class Plan:
    record: NeedsRecord
    """The record with the industry's defaults applied."""
    industry: Manifest
    produce: tuple[DocumentKind, ...]
    proposal: tuple[PlannedText, ...]
    recitals: PlannedText | None
    clauses: tuple[PlannedText, ...]
    annexes: tuple[PlannedText, ...] = ()
    """Sections attached to the contract after the pricing annex."""
    deviations: tuple[Deviation, ...] = field(default=())
    draft_clauses: tuple[str, ...] = ()
    awaiting_approval: tuple[str, ...] = ()
    """Clauses changed since their approval: ``id version (approved at version)``."""
    warnings: tuple[Problem, ...] = ()
    """Weak discovery (a problem nothing addresses …), each at its field and line."""
    assumptions: tuple[Problem, ...] = ()
    """What the documents assume because the record does not say it (the deployment),
    each at the field that would say it; ``check`` prints them as warnings."""


def plan_documents(
    needs: LoadedNeeds,
    library: Library,
    *,
    only: DocumentKind | None = None,
    allow_draft: bool = False,
) -> Plan:
    """Decide what goes into each document.

    Raises:
        NeedsError: an id in the record does not exist, an override is not allowed.
        PolicyError: a retired clause, or draft text without ``allow_draft``.
        LibraryError: a library file is broken.
    """
    record = needs.record
    doc = record.document
    try:
        manifest = library.industry(doc.industry).value
    except KeyError:
        raise NeedsError(
            problems=[
                needs.problem(
                    ("document", "industry"),
                    N_("unknown industry {industry!r}").format(industry=doc.industry),
                    _did_you_mean(doc.industry, library.industry_ids()),
                )
            ]
        ) from None
    if doc.locale not in manifest.locales:
        raise NeedsError(
            problems=[
                needs.problem(
                    ("document", "locale"),
                    N_("industry {industry!r} has no {locale} templates").format(
                        industry=doc.industry, locale=doc.locale
                    ),
                    N_("available: {options}").format(options=", ".join(manifest.locales)),
                )
            ]
        )
    assumptions = _assumptions(needs, manifest)
    record = _with_defaults(record, manifest)
    produce = tuple(k for k in record.document.produce if only in (None, k))
    problems: list[Problem] = []
    # A record read with problems holds only the parts that validated (see
    # needs.loader.Reading); check what can be checked on those.
    present = set(record.__dict__)
    if "terms" in present:
        problems += _choices(needs, record, library)
    proposal = (
        _plan_proposal(needs, library, manifest, problems)
        if "proposal" in produce and "sections" in present
        else ()
    )
    clauses, recitals, annexes = (
        _plan_contract(needs, library, manifest, problems)
        if "contract" in produce and "clauses" in present
        else ((), None, ())
    )
    refused = _clause_status(clauses, allow_draft) if "contract" in produce else []
    drafts = tuple(c.id for c in clauses if c.status == "draft")
    awaiting = tuple(c.id for c in clauses if c.status == AWAITING_APPROVAL)
    deviations: tuple[Deviation, ...] = ()
    if {"pricing", "terms", "approvals"} <= present:
        deviations = find_deviations(
            record,
            library.policy,
            {clause.id: clause.position for clause in clauses},
            _clause_files(library, manifest, clauses),
        )
        if "document" in present:
            problems += [
                needs.problem(path, message, hint)
                for path, message, hint in approval_problems(
                    record, deviations, library.policy, clauses_planned="contract" in produce
                )
            ]
    if problems:
        raise NeedsError(problems=problems + refused)
    if refused:
        raise PolicyError(problems=refused)
    return Plan(
        record=record,
        industry=manifest,
        produce=produce,
        proposal=proposal,
        recitals=recitals,
        clauses=clauses,
        annexes=annexes,
        deviations=deviations,
        draft_clauses=drafts,
        awaiting_approval=awaiting,
        warnings=tuple(needs.problem(w.field, w.message) for w in _weaknesses(record, present)),
        assumptions=assumptions,
    )


def _weaknesses(record: NeedsRecord, present: set[str]) -> tuple[Weakness, ...]:
    """What ``check`` warns about: gaps in the discovery story, recurring lines that
    do not run for the contract term."""
    found: tuple[Weakness, ...] = ()
    if {"discovery", "solution"} <= present:
        found += weak_discovery(record)
    if {"pricing", "terms"} <= present:
        found += uncovered_term(record)
    return found


def _assumed_deployment(record: NeedsRecord, manifest: Manifest) -> Deployment | None:
    """The deployment the documents assume, where the record neither states it nor sells
    line kinds that decide it (:attr:`NeedsRecord.decided_deployment`): the industry's
    default, else hosted by the seller. None: the record decides it (or cannot be read)."""
    if not {"solution", "pricing"} <= set(record.__dict__) or record.decided_deployment:
        return None
    return manifest.defaults.solution.deployment or "seller-hosted"


def _assumptions(needs: LoadedNeeds, manifest: Manifest) -> tuple[Problem, ...]:
    assumed = _assumed_deployment(needs.record, manifest)
    if assumed is None:
        return ()
    hint = N_("write seller-hosted, on-premises or hybrid, or give each line its kind")
    if manifest.defaults.solution.deployment:
        message = N_(
            "not stated and no line gives its kind: the documents assume {deployment}, "
            "the {industry} industry's default"
        ).format(deployment=assumed, industry=manifest.id)
    else:
        message = N_(
            "not stated and no line gives its kind: the documents assume {deployment}"
        ).format(deployment=assumed)
    return (needs.problem(("solution", "deployment"), message, hint),)


def _with_defaults(record: NeedsRecord, manifest: Manifest) -> NeedsRecord:
    assumed = _assumed_deployment(record, manifest)
    if assumed is not None:
        solution = record.solution.model_copy(update={"deployment": assumed})
        record = record.model_copy(update={"solution": solution})
    if "terms" not in record.__dict__:
        return record
    given = manifest.defaults.terms
    defaults = given.model_dump(include=given.model_fields_set)
    explicit = record.terms.model_dump(include=record.terms.model_fields_set)
    terms = Terms.model_validate({**defaults, **_public_body_terms(record), **explicit})
    update: dict[str, object] = {"terms": terms}
    address_form = manifest.defaults.customer.address_form
    customer = record.__dict__.get("customer")
    if isinstance(customer, Customer):
        customer_defaults: dict[str, object] = {}
        # a public body is 贵单位 (Customer.you), whatever its industry calls a company
        if customer.address_form is None and address_form and customer.sector != "public":
            customer_defaults["address_form"] = address_form
        if customer.region is None:
            customer_defaults["region"] = default_region(record.document.locale)
        if customer_defaults:
            update["customer"] = customer.model_copy(update=customer_defaults)
    return record.model_copy(update=update)


def _public_body_terms(record: NeedsRecord) -> dict[str, str]:
    """A US public body's own state's law and courts, where the record names none: it
    cannot submit to another state's (the record's own terms still come first)."""
    customer = record.__dict__.get("customer")
    if not isinstance(customer, Customer) or customer.sector != "public":
        return {}
    where = customer.jurisdiction
    if where is None:
        return {}
    courts = "the courts" if customer.state == "District of Columbia" else "the state courts"
    return {
        "governing_law": f"the laws of {where}",
        "dispute_resolution": f"{courts} located in {where}",
    }


def _region(record: NeedsRecord) -> str:
    customer = record.__dict__.get("customer")
    region = customer.region if isinstance(customer, Customer) else None
    return region or default_region(record.document.locale)


def _choices(needs: LoadedNeeds, record: NeedsRecord, library: Library) -> list[Problem]:
    """Enumerated terms (``terms.sla``) must be one of the values the library offers."""
    problems = []
    for term, offered in library.choices.terms.items():
        value = getattr(record.terms, term)
        if offered and value is not None and value not in offered:
            options = list(offered)
            close = difflib.get_close_matches(value, options, n=1, cutoff=0.5)
            problems.append(
                needs.problem(
                    ("terms", term),
                    N_("{value!r} is not offered by the library; choose from {options}").format(
                        value=value, options=", ".join(options)
                    ),
                    N_("did you mean {option!r}?").format(option=close[0]) if close else "",
                )
            )
    return problems


def _variant_hint(given: str, variants: list[str]) -> str:
    if not variants:
        return N_("this section has no variants")
    listed = N_("its variants: {options}").format(options=", ".join(variants))
    close = difflib.get_close_matches(given, variants, n=1, cutoff=0.5)
    if close:
        return N_("did you mean {option!r}?").format(option=close[0]) + " " + listed
    return listed


def _priced_clauses(
    needs: LoadedNeeds, library: Library, manifest: Manifest, planned: list[str]
) -> list[Problem]:
    """Each line's ``pays_for`` names a clause of this contract whose service a line
    may price (``priced``), so the clause can say it is charged as that line."""
    record = needs.record
    if "pricing" not in record.__dict__:
        return []
    priced = [c for c in planned if library.clause(manifest.id, c).value.priced]
    return [
        needs.problem(
            ("pricing", "items", index, "pays_for"),
            N_("clause {clause!r} is not one a line can pay for (not marked priced)").format(
                clause=item.pays_for
            )
            if item.pays_for in planned
            else N_("no clause {clause!r} in the {industry} contract").format(
                clause=item.pays_for, industry=manifest.id
            ),
            N_("a line can pay for: {clauses}").format(clauses=", ".join(priced))
            if priced
            else N_("no clause of this contract is sold as a line; remove pays_for"),
        )
        for index, item in enumerate(record.pricing.items)
        if item.pays_for and item.pays_for not in priced
    ]


def _did_you_mean(given: str, options: list[str]) -> str:
    close = difflib.get_close_matches(given, options, n=1, cutoff=0.5)
    if close:
        return N_("did you mean {option!r}?").format(option=close[0])
    return N_("known: {options}").format(options=", ".join(options)) if options else ""


def _section_text(loaded: Loaded[SectionFile], locale: str, variant: str = "") -> PlannedText:
    section = loaded.value
    texts = section.variants[variant] if variant else section.text
    key = ("variants", variant, locale) if variant else ("text", locale)
    return PlannedText(
        id=section.id,
        title=section.title.get(locale, ""),
        source=texts.get(locale, ""),
        templated=True,
        file=str(loaded.source.path),
        line=loaded.source.lines.get(key),
        version=section.version,
        variant=variant,
        blocks=tuple(section.blocks),
        when=section.when,
        locked=section.locked,
    )


def _plan_proposal(
    needs: LoadedNeeds, library: Library, manifest: Manifest, problems: list[Problem]
) -> tuple[PlannedText, ...]:
    locale = needs.record.document.locale
    loaded = {sid: _listed_section(library, manifest, sid) for sid in manifest.proposal.sections}
    region = _region(needs.record)
    order = [
        _section_text(loaded[sid], locale)
        for sid in manifest.proposal.sections
        if fits(loaded[sid].value.regions, region)  # a misfit is left out, not filled
    ]
    removed: set[str] = set()
    for index, override in enumerate(needs.record.sections):
        where = ("sections", index)
        # Presales text is staff-written, like library text: a template in the same
        # sandbox, located in the needs file for its errors.
        at = (str(needs.path), needs.source.line_of((*where, "text")))
        try:
            order = _apply_override(order, override, loaded, library, manifest, locale, removed, at)
        except _OverrideProblem as err:
            problems.append(needs.problem((*where, err.field), err.message, err.hint))
    return tuple(order)


@dataclass
class _OverrideProblem(Exception):
    field: str
    message: str
    hint: str = ""


def _apply_override(
    order: list[PlannedText],
    change: SectionOverride,
    loaded: dict[str, Loaded[SectionFile]],
    library: Library,
    manifest: Manifest,
    locale: str,
    removed: set[str],
    at: tuple[str, int | None],
) -> list[PlannedText]:
    """One presales change to the proposal's sections: add, remove, replace, move."""
    ids = [s.id for s in order]
    _check_anchors(change, ids)
    existing = next((s for s in order if s.id == change.id), None)
    if existing is None:
        if change.id in removed:
            raise _OverrideProblem(
                "id",
                N_("section {section!r} was removed earlier in this list").format(
                    section=change.id
                ),
                N_("drop the remove, or this change"),
            )
        return _insert(order, _added_section(change, ids, library, manifest, locale, at), change)
    locked = change.id in loaded and loaded[change.id].value.locked
    if locked and (change.remove or change.text is not None or change.title):
        raise _OverrideProblem(
            "id",
            N_("section {section!r} is locked by the library").format(section=change.id),
            N_("it cannot be replaced or removed; ask its owner, {owner}").format(
                owner=loaded[change.id].value.owner
            ),
        )
    if change.remove:
        removed.add(change.id)
        return [s for s in order if s.id != change.id]
    updated = _changed_section(existing, change, loaded, locale, at)
    if change.after or change.before:
        return _insert([s for s in order if s.id != change.id], updated, change)
    return [updated if s.id == change.id else s for s in order]


def _check_anchors(change: SectionOverride, ids: list[str]) -> None:
    """``after:`` and ``before:`` name sections of the proposal."""
    for anchor_field in ("after", "before"):
        anchor = getattr(change, anchor_field)
        if anchor and anchor not in ids:
            raise _OverrideProblem(
                anchor_field,
                (
                    N_("no section {anchor!r} to place it after")
                    if anchor_field == "after"
                    else N_("no section {anchor!r} to place it before")
                ).format(anchor=anchor),
                _did_you_mean(anchor, ids),
            )


def _added_section(
    change: SectionOverride,
    ids: list[str],
    library: Library,
    manifest: Manifest,
    locale: str,
    at: tuple[str, int | None],
) -> PlannedText:
    """A section the proposal does not have yet: from the library, or the record's text."""
    if change.remove or change.variant:
        raise _OverrideProblem(
            "id",
            N_("no section {section!r} in this proposal").format(section=change.id),
            _did_you_mean(change.id, ids),
        )
    if not (change.after or change.before):
        raise _OverrideProblem(
            "id",
            N_("a new section needs after: or before: to say where it goes"),
            N_("the sections, in order: {options}").format(options=", ".join(ids)),
        )
    if change.text is None:
        if not library.has(manifest.id, "sections", change.id):
            raise _OverrideProblem(
                "id",
                N_("no library section {section!r} to add").format(section=change.id),
                N_("{suggestion} (or give text)").format(
                    suggestion=_did_you_mean(change.id, library.known_ids(manifest.id, "sections"))
                ),
            )
        added = _section_text(library.section(manifest.id, change.id), locale)
    else:
        if not change.title:
            raise _OverrideProblem("title", N_("a new section needs a title"))
        added = PlannedText(
            id=change.id,
            title=change.title,
            source=change.text,
            templated=True,
            file=at[0],
            line=at[1],
            version="",
            origin="added",
        )
    return replace(added, title=change.title) if change.title else added


def _changed_section(
    existing: PlannedText,
    change: SectionOverride,
    loaded: dict[str, Loaded[SectionFile]],
    locale: str,
    at: tuple[str, int | None],
) -> PlannedText:
    """A section of the proposal with the record's variant, text and title."""
    updated = existing
    if change.variant:
        variants = list(loaded[change.id].value.variants) if change.id in loaded else []
        if change.variant not in variants:
            raise _OverrideProblem(
                "variant",
                N_("section {section!r} has no variant {variant!r}").format(
                    section=change.id, variant=change.variant
                ),
                _variant_hint(change.variant, variants),
            )
        updated = _section_text(loaded[change.id], locale, change.variant)
    if change.text is not None:
        updated = replace(
            updated, source=change.text, templated=True, origin="override", file=at[0], line=at[1]
        )
    if change.title:
        updated = replace(updated, title=change.title, origin="override")
    return updated


def _insert(
    order: list[PlannedText], item: PlannedText, change: SectionOverride
) -> list[PlannedText]:
    ids = [s.id for s in order]
    if change.after:
        at = ids.index(change.after) + 1
    elif change.before:
        at = ids.index(change.before)
    else:
        at = len(order)
    return [*order[:at], item, *order[at:]]


def _plan_contract(
    needs: LoadedNeeds, library: Library, manifest: Manifest, problems: list[Problem]
) -> tuple[tuple[PlannedText, ...], PlannedText | None, tuple[PlannedText, ...]]:
    record = needs.record
    locale = record.document.locale
    contract = manifest.contract
    if contract is None:
        if "contract" in record.document.produce:
            problems.append(
                needs.problem(
                    ("document", "produce"),
                    N_("industry {industry!r} has no contract template").format(
                        industry=manifest.id
                    ),
                )
            )
        return (), None, ()
    chosen = dict(record.clauses)
    for clause_id in chosen:
        if clause_id not in contract.clauses:
            problems.append(
                needs.problem(
                    ("clauses", clause_id),
                    N_("no clause {clause!r} in the {industry} contract").format(
                        clause=clause_id, industry=manifest.id
                    ),
                    _did_you_mean(clause_id, contract.clauses),
                )
            )
    clauses: list[PlannedText] = []
    for clause_id in contract.clauses:
        try:
            loaded = library.clause(manifest.id, clause_id)
        except KeyError:
            raise _missing(library, manifest, "clause", clause_id) from None
        clause = loaded.value
        if not fits(clause.regions, _region(record)):
            continue  # regulation of another region: left out, numbers stay contiguous
        for annex in clause.requires_annexes:
            if annex not in contract.annexes:
                raise unattached_annex(library, manifest, clause_id, annex)
        position = chosen.get(clause_id, "standard")
        if position not in clause.positions:
            problems.append(
                needs.problem(
                    ("clauses", clause_id),
                    N_("clause {clause!r} has no position {position!r}").format(
                        clause=clause_id, position=position
                    ),
                    _did_you_mean(position, list(clause.positions)),
                )
            )
            continue
        clauses.append(
            PlannedText(
                id=clause.id,
                title=clause.title.get(locale, ""),
                source=clause.positions[position].text.get(locale, ""),
                templated=True,
                file=str(loaded.source.path),
                line=loaded.source.lines.get(("positions", position, "text", locale)),
                version=clause.version,
                position=position,
                status=AWAITING_APPROVAL if clause.awaits_approval else clause.status,
                approved_version=clause.approved_version or "",
                when=clause.when,
                locked=clause.locked,
            )
        )
    problems += _priced_clauses(needs, library, manifest, [c.id for c in clauses])
    recitals = None
    if contract.recitals:
        recitals = _section_text(_listed_section(library, manifest, contract.recitals), locale)
    annexes = tuple(
        _section_text(_listed_section(library, manifest, annex), locale)
        for annex in contract.annexes
    )
    return tuple(clauses), recitals, annexes


def unattached_annex(
    library: Library, manifest: Manifest, clause_id: str, annex: str
) -> LibraryError:
    """A clause incorporates an annex the industry's contract does not attach."""
    return LibraryError(
        problems=[
            Problem(
                message=N_(
                    "clause {clause!r} incorporates annex {annex!r}, "
                    "which the contract does not attach"
                ).format(clause=clause_id, annex=annex),
                file=str(library.industry_dir(manifest.id) / "manifest.yaml"),
                field="contract.annexes",
                hint=N_("add {annex} to contract.annexes").format(annex=annex),
            )
        ]
    )


_UNLISTED = {
    "section": N_("section {item!r} is listed but no section file exists"),
    "clause": N_("clause {item!r} is listed but no clause file exists"),
}


def _missing(library: Library, manifest: Manifest, kind: str, item_id: str) -> LibraryError:
    return LibraryError(
        problems=[
            Problem(
                message=_UNLISTED[kind].format(item=item_id),
                file=str(library.industry_dir(manifest.id) / "manifest.yaml"),
                hint=N_("add {path} to the industry folder or to snippets/").format(
                    path=f"{kind}s/{item_id}.yaml"
                ),
            )
        ]
    )


def _listed_section(library: Library, manifest: Manifest, section_id: str) -> Loaded[SectionFile]:
    try:
        return library.section(manifest.id, section_id)
    except KeyError:
        raise _missing(library, manifest, "section", section_id) from None


def _clause_files(
    library: Library, manifest: Manifest, clauses: tuple[PlannedText, ...]
) -> dict[str, ClauseFile]:
    return {c.id: library.clause(manifest.id, c.id).value for c in clauses}


def _clause_status(clauses: tuple[PlannedText, ...], allow_draft: bool) -> list[Problem]:
    problems = []
    for clause in clauses:
        if clause.status == "retired":
            problems.append(
                Problem(
                    message=N_(
                        "clause {clause!r} (version {version}) is retired and may not be used"
                    ).format(clause=clause.id, version=clause.version),
                    file=clause.file,
                    field="status",
                    hint=N_("legal must replace it in the manifest"),
                )
            )
        elif clause.status == "draft" and not allow_draft:
            problems.append(
                Problem(
                    message=N_("clause {clause!r} is a draft that legal has not approved").format(
                        clause=clause.id
                    ),
                    file=clause.file,
                    field="status",
                    hint=N_("use --allow-draft to render a DRAFT-UNAPPROVED contract"),
                )
            )
    return problems
