"""The pipeline end to end: load → plan → price → assemble → render → write.

Nothing is written until every document of a record has rendered, so invalid
input or a failing template leaves the output folder as it was.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from propgen.assemble import Inputs, assemble_contract, assemble_proposal
from propgen.bilingual import plan_in, zip_documents
from propgen.commit import check_folder, commit, locked
from propgen.context import seller_for
from propgen.document import Document, DocumentKind, Trace
from propgen.errors import NeedsError, PolicyError
from propgen.library.files import default_library_root
from propgen.library.store import Library
from propgen.needs.loader import LoadedNeeds, Reading, read_needs
from propgen.output import provenance_bytes, safe_name, sha256
from propgen.plan import Plan, PlannedText, plan_documents
from propgen.pricing import PriceBreakdown, price
from propgen.regions import Region, default_region
from propgen.render import Format, render_document
from propgen.render.pdf_profile import EmbeddedFile, PdfOptions, PdfProfile
from propgen.revision import provenance_name, revise


@dataclass(frozen=True)
class Checked:
    """A record that passed every check, with its documents assembled."""

    needs: LoadedNeeds
    library: Library
    plan: Plan
    pricing: PriceBreakdown
    documents: dict[DocumentKind, Document]


@dataclass(frozen=True)
class Rendered:
    checked: Checked
    files: dict[str, Path]
    """Output name → path written."""


def check(
    needs_path: Path | str,
    *,
    library: Library | None = None,
    only: DocumentKind | None = None,
    allow_draft: bool = False,
    region: Region | None = None,
    public_body: bool = False,
) -> Checked:
    """Validate a needs record against the library and assemble its documents.

    ``region``: assemble as if the customer were there (``library check`` renders
    each industry's samples for every region their locale may be addressed to).
    ``public_body``: assemble as if the customer were a public body (``library check``
    renders each industry's samples so, in Delaware when a US record names no state).

    Raises:
        InvalidInput: with every problem found (exit code 2).
    """
    library = library or Library(default_library_root())
    reading = read_needs(needs_path, library_profiles=library.snippets / "profiles")
    if (region is not None or public_body) and not reading.problems:
        reading = replace(reading, needs=_as_customer(reading.needs, region, public_body))
    plan = _plan(reading, library, only=only, allow_draft=allow_draft)
    inputs = assembly_inputs(plan, library)
    priced = inputs.pricing
    documents: dict[DocumentKind, Document] = {}
    for kind in plan.produce:
        if kind == "proposal":
            documents[kind] = assemble_proposal(inputs)
        elif plan.record.document.languages:
            documents[kind] = bilingual_contract(plan, library)
        else:
            documents[kind] = assemble_contract(inputs)
    return Checked(
        needs=reading.needs, library=library, plan=plan, pricing=priced, documents=documents
    )


def _as_customer(needs: LoadedNeeds, region: Region | None, public_body: bool) -> LoadedNeeds:
    """The record with its customer moved to ``region`` and/or made a public body."""
    record = needs.record
    update: dict[str, object] = {"region": region} if region is not None else {}
    if public_body:
        update["sector"] = "public"
        where = region or record.customer.region or default_region(record.document.locale)
        if where == "us" and record.customer.state is None:
            update["state"] = "Delaware"
    changed: dict[str, object] = {"customer": record.customer.model_copy(update=update)}
    if public_body:  # a public body's contract never renews itself
        changed["terms"] = record.terms.model_copy(update={"auto_renew": False})
    return replace(needs, record=record.model_copy(update=changed))


def _plan(
    reading: Reading, library: Library, *, only: DocumentKind | None, allow_draft: bool
) -> Plan:
    """Plan the documents, reporting the record's own problems and the library
    checks' (unknown section, variant, clause, position ...) in one round."""
    problems = list(reading.problems)
    if not problems:
        return plan_documents(reading.needs, library, only=only, allow_draft=allow_draft)
    if "document" in reading.valid_parts:
        try:
            plan_documents(reading.needs, library, only=only, allow_draft=allow_draft)
        except (NeedsError, PolicyError) as err:
            problems += err.problems
    raise NeedsError(problems=problems)


def assembly_inputs(plan: Plan, library: Library, *, drafting: str = "") -> Inputs:
    """Everything assembly needs for a planned record: its prices, the seller, labels.

    ``drafting``: a bilingual contract's primary language, whose conventions both
    columns follow; the other column takes its translated labels.
    """
    priced = price(plan.record.pricing, plan.record.document.currency)
    locale = plan.record.document.locale
    seller = seller_for(library.seller, locale, drafting)
    logo = seller.logo if seller.logo and (library.theme_dir / seller.logo).is_file() else ""
    labels = library.labels(locale, translated=bool(drafting) and drafting != locale)
    return Inputs(
        plan=plan, pricing=priced, seller=seller, labels=labels, logo=logo, drafting=drafting
    )


def bilingual_contract(plan: Plan, library: Library) -> Document:
    """The contract in ``document.languages``, side by side (:mod:`propgen.bilingual`)."""
    languages = plan.record.document.languages or [plan.record.document.locale]
    assembled = [
        assemble_contract(
            assembly_inputs(plan_in(plan, library, locale), library, drafting=languages[0])
        )
        for locale in languages
    ]
    return zip_documents(assembled[0], assembled[1])


def render_documents(
    checked: Checked,
    formats: Iterable[Format],
    *,
    workers: int = 1,
    pdf_profile: PdfProfile = "standard",
) -> dict[str, bytes]:
    """Every output file of a checked record, by name.

    With ``workers`` > 1 the PDFs (the slow part) render side by side in worker
    processes while this process renders the other formats.
    """
    from propgen import parallel

    formats = tuple(formats)
    stem = safe_name(checked.plan.record.document.reference)
    documents = traced(checked)
    wanted = [(kind, fmt) for kind in documents for fmt in formats]
    theme_dir = checked.library.theme_dir
    pdf = pdf_options(checked, pdf_profile) if "pdf" in formats else None
    rendered: dict[tuple[DocumentKind, Format], bytes] = {}
    # The DOCX follows its PDF when both are made: its contents page takes the PDF's
    # page numbers (render_document's ``contents_from``).
    after_pdf = [item for item in wanted if item[1] == "docx" and "pdf" in formats]
    if parallel.renders_pdf_in_workers(workers, formats):
        pdfs = [item for item in wanted if item[1] == "pdf"]
        tasks = [(documents[kind], theme_dir, fmt, pdf) for kind, fmt in pdfs]
        processes = min(workers, len(pdfs))
        with parallel.pool(processes, parallel.RENDERERS) as pool:
            pending = pool.starmap_async(render_document, tasks, chunksize=1)
            for kind, fmt in wanted:
                if fmt != "pdf" and (kind, fmt) not in after_pdf:
                    rendered[kind, fmt] = render_document(documents[kind], theme_dir, fmt)
            outputs = parallel.results(pending, -(-len(pdfs) // processes))
            rendered.update(zip(pdfs, outputs, strict=True))
    else:
        for kind, fmt in sorted(wanted, key=lambda item: item[1] != "pdf"):
            if (kind, fmt) not in after_pdf:
                rendered[kind, fmt] = render_document(documents[kind], theme_dir, fmt, pdf)
    for kind, fmt in after_pdf:
        rendered[kind, fmt] = render_document(
            documents[kind], theme_dir, fmt, contents_from=rendered[kind, "pdf"]
        )
    return {f"{stem}-{kind}.{fmt}": rendered[kind, fmt] for kind, fmt in wanted}


def traced(checked: Checked) -> dict[DocumentKind, Document]:
    """The documents carrying what they were made from (``Meta.trace``: the needs
    record's sha256 and the library's identity, as the provenance states them)."""
    identity = checked.library.identity()
    trace = Trace(
        needs_sha256=checked.needs.sha256,
        library_id=identity["id"],
        library_version=identity["version"],
        library_sha256=identity["content_sha256"],
    )
    return {
        kind: replace(document, meta=replace(document.meta, trace=trace))
        for kind, document in checked.documents.items()
    }


def pdf_options(checked: Checked, profile: PdfProfile) -> PdfOptions:
    """The PDF profile, with the files an ``archival`` PDF embeds: the needs record as
    JSON and the build provenance (the provenance less the output hashes, which a
    file cannot contain of itself)."""
    if profile != "archival":
        return PdfOptions(profile)
    stem = safe_name(checked.plan.record.document.reference)
    record = checked.plan.record.model_dump(mode="json", exclude_none=True)
    built = {k: v for k, v in provenance(checked, {}).items() if k != "outputs"}
    return PdfOptions(
        profile,
        (
            EmbeddedFile(
                f"{stem}.needs.json", provenance_bytes(record), "The needs record of this deal"
            ),
            EmbeddedFile(
                f"{stem}.provenance.json",
                provenance_bytes(built),
                "What went into this document: library, clause versions, pricing, approvals",
            ),
        ),
    )


def render(
    needs_path: Path | str,
    out_dir: Path | str = "out",
    *,
    formats: Iterable[Format] = ("docx", "pdf"),
    library: Library | None = None,
    only: DocumentKind | None = None,
    allow_draft: bool = False,
    workers: int = 1,
    pdf_profile: PdfProfile = "standard",
    force: bool = False,
) -> Rendered:
    """Render a needs record's documents and their provenance into ``out_dir``.

    The files are committed all together or not at all (:mod:`propgen.commit`).

    Args:
        workers: processes rendering the record's PDFs side by side; 1 renders
            everything in this process.
        pdf_profile: which kind of PDF (:mod:`propgen.render.pdf_profile`).
        force: replace outputs of another revision (see :mod:`propgen.revision`).
    """
    out = Path(out_dir)
    checked = check(needs_path, library=library, only=only, allow_draft=allow_draft)
    check_folder(out)
    formats = tuple(formats)
    stem = safe_name(checked.plan.record.document.reference)
    files = output_files(checked, formats, workers=workers, pdf_profile=pdf_profile)
    name = provenance_name(stem)
    with locked(out) as folder:
        revision = revise(folder, stem, json.loads(files[name]), force=force)
        if revision.kept:  # the provenance covers the kept files too
            if revision.kinds - set(checked.documents):
                checked = check(needs_path, library=checked.library, allow_draft=allow_draft)
            documents = {n: data for n, data in files.items() if n != name}
            profile = revision.pdf_profile or (pdf_profile if "pdf" in formats else None)
            record = provenance(checked, documents, profile)
            record["outputs"] = dict(sorted((revision.kept | record["outputs"]).items()))
            files[name] = provenance_bytes(record)
        commit(folder, files, remove=revision.stale)
    return Rendered(checked=checked, files={name: out / name for name in files})


def output_files(
    checked: Checked,
    formats: Iterable[Format],
    *,
    workers: int = 1,
    pdf_profile: PdfProfile = "standard",
) -> dict[str, bytes]:
    """Every file a render writes, by name: the documents and their provenance."""
    formats = tuple(formats)
    stem = safe_name(checked.plan.record.document.reference)
    files = render_documents(checked, formats, workers=workers, pdf_profile=pdf_profile)
    profile = pdf_profile if "pdf" in formats else None
    files[provenance_name(stem)] = provenance_bytes(provenance(checked, files, profile))
    return files


def provenance(
    checked: Checked, outputs: dict[str, bytes], pdf_profile: str | None = None
) -> dict[str, Any]:
    """What went into the documents, precisely enough to re-create and verify them.

    Args:
        pdf_profile: the profile of the PDFs among the outputs (None: no PDF).
    """
    from propgen import __version__

    plan, priced = checked.plan, checked.pricing
    root = checked.library.root

    def used(text: PlannedText) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "id": text.id,
            "version": text.version,
            "origin": text.origin,
            "sha256": text.sha256,
        }
        if text.position:
            entry.update(position=text.position, status=text.status)
        if text.approved_version and text.approved_version != text.version:
            entry["approved_version"] = text.approved_version
        if text.variant:
            entry["variant"] = text.variant
        if text.file and text.origin == "library":
            entry["file"] = Path(text.file).relative_to(root).as_posix()
        return entry

    return {
        "propgen_version": __version__,
        "needs": {
            "file": checked.needs.path.name,
            "sha256": checked.needs.sha256,
            **(
                {
                    "profiles": [
                        {"field": p.field, "id": p.id, "file": p.file, "sha256": p.sha256}
                        for p in checked.needs.profiles
                    ]
                }
                if checked.needs.profiles
                else {}
            ),
        },
        "library": checked.library.identity(),
        "reference": plan.record.document.reference,
        "version": plan.record.document.version,
        "date": plan.record.document.date.isoformat(),
        "valid_until": plan.record.document.valid_until.isoformat(),
        "locale": plan.record.document.locale,
        "industry": plan.industry.id,
        "documents": sorted(checked.documents),
        "pdf_profile": pdf_profile,
        "sections": [used(t) for t in plan.proposal] if "proposal" in checked.documents else [],
        "recitals": used(plan.recitals)
        if plan.recitals and "contract" in checked.documents
        else None,
        "clauses": [used(t) for t in plan.clauses] if "contract" in checked.documents else [],
        "annexes": [used(t) for t in plan.annexes] if "contract" in checked.documents else [],
        "overrides": [
            o.model_dump(mode="json", exclude_defaults=True) for o in plan.record.sections
        ],
        "pricing": {
            "currency": priced.currency,
            "subtotal": str(priced.subtotal),
            "discount": str(priced.discount),
            "net": str(priced.net),
            "tax": str(priced.tax),
            "total": str(priced.total),
            "lines": [
                {
                    "name": line.name,
                    "sku": line.sku,
                    "quantity": str(line.quantity),
                    "periods": str(line.periods),
                    "unit_price": str(line.unit_price),
                    "discount_pct": str(line.discount_pct),
                    "total": str(line.total),
                    "optional": line.optional,
                }
                for line in priced.lines
            ],
            "instalments": [str(i.amount) for i in priced.instalments],
            **_contract_value(priced),
        },
        "deviations": [
            {
                "kind": d.kind,
                "subject": d.subject,
                "detail": d.detail,
                "approval": d.approval,
                "approved_by": d.approved_by.model_dump(mode="json") if d.approved_by else None,
            }
            for d in plan.deviations
        ],
        "approvals": [a.model_dump(mode="json") for a in plan.record.approvals],
        "outputs": {name: sha256(data) for name, data in sorted(outputs.items())},
    }


def _contract_value(priced: PriceBreakdown) -> dict[str, Any]:
    """Recurring and converted deals' extra figures (absent for a plain deal)."""
    extra: dict[str, Any] = {}
    if priced.has_recurring:
        extra["one_off_total"] = str(priced.one_off_total)
        extra["annual_recurring"] = str(priced.annual_recurring)
        extra["tcv"] = str(priced.tcv)
        extra["years"] = [str(y.total) for y in priced.years]
    if priced.conversion:
        fx = priced.conversion
        extra["exchange_rate"] = {
            "from": fx.source_currency,
            "rate": str(fx.rate),
            "as_of": fx.as_of.isoformat(),
        }
    return extra
