"""The redline: a deal's contract compared with the library's standard positions.

The standard contract is the same deal assembled with every clause in its
``standard`` position (so this deal's own values fill both, and only real
differences show); :func:`~propgen.negotiate.compare.compare_documents` marks what
the deal changed, each change authored by the title of the role that must approve
it. The DOCX carries the marks as Word tracked changes; the PDF shows them
(underlined / struck through), and its first page — before the contract's cover, as
a comparison report opens — is the summary of the deviations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from propgen.assemble import assemble_contract, position_name
from propgen.context import label_function
from propgen.document import (
    Block,
    Cell,
    ColumnSpec,
    Deleted,
    Document,
    Heading,
    Inline,
    Inserted,
    LineBreak,
    Paragraph,
    Row,
    Section,
    Table,
    TableOfContents,
    Text,
    iter_blocks,
)
from propgen.governance import Deviation
from propgen.i18n import N_, translate_text
from propgen.library.store import Library
from propgen.negotiate.compare import compare_documents
from propgen.pipeline import Checked, assembly_inputs, check
from propgen.plan import Plan
from propgen.render import Format

SUMMARY_ID = "redline-summary"
"""The ``source_id`` of the PDF's deviations summary."""


@dataclass(frozen=True)
class Redline:
    """A contract redline: ``document`` for the DOCX (the contract with tracked
    changes, nothing else, so accepting every change gives the deal's contract) and
    ``printable`` for the PDF (the deviations summary its preface: page 1, before the
    cover)."""

    document: Document
    printable: Document
    changed: tuple[str, ...]
    """The ids of the sections (clauses) that differ from the standard."""


def standard_plan(plan: Plan, library: Library) -> Plan:
    """``plan`` with every clause in its standard position (the deal's values kept)."""
    locale = plan.record.document.locale
    clauses = []
    for clause in plan.clauses:
        if clause.position == "standard":
            clauses.append(clause)
            continue
        loaded = library.clause(plan.industry.id, clause.id)
        clauses.append(
            replace(
                clause,
                source=loaded.value.positions["standard"].text.get(locale, ""),
                line=loaded.source.lines.get(("positions", "standard", "text", locale)),
                position="standard",
            )
        )
    record = plan.record.model_copy(update={"clauses": {}})
    return replace(plan, record=record, clauses=tuple(clauses))


def redline_contract(checked: Checked) -> Redline:
    """The redline of a checked record's contract against the standard positions."""
    plan, library = checked.plan, checked.library
    deal = checked.documents["contract"]
    standard = assemble_contract(assembly_inputs(standard_plan(plan, library), library))
    locale = plan.record.document.locale
    roles = library.policy.roles
    fallback = library.policy.approvals.get("fallback", "legal")

    def title(role: str) -> str:
        return roles[role].get(locale, role) if role in roles else role

    by_clause = {
        d.subject.removeprefix("clause:"): d.approval
        for d in plan.deviations
        if d.subject.startswith("clause:")
    }

    def author(section_id: str) -> str:
        return title(by_clause.get(section_id, fallback))

    document = compare_documents(deal, standard, author)
    changed = tuple(
        block.source_id
        for block, before in _pairs(document, deal)
        if isinstance(block, Section) and block != before
    )
    label = label_function(library.labels(locale))
    summary = deviation_summary(plan, document, changed, label, title)
    # page 1 says which contract it summarises: the cover's particulars
    particulars = Table(
        header=None,
        rows=tuple(
            Row((Cell((Text(c.label),)), Cell((Text(c.value),)))) for c in deal.meta.cover_lines
        ),
        columns=(ColumnSpec("left", 25), ColumnSpec("left", 75)),
        role="key-value",
    )
    heading, *rest = summary.blocks
    summary = replace(summary, blocks=(heading, particulars, *rest))
    printable = replace(document, preface=(summary,))
    return Redline(document=document, printable=printable, changed=changed)


def _pairs(redline: Document, deal: Document) -> Iterable[tuple[Block, Block | None]]:
    sections = {b.source_id: b for b in deal.blocks if isinstance(b, Section)}
    for block in redline.blocks:
        yield block, sections.get(block.source_id) if isinstance(block, Section) else block


def deviation_summary(
    plan: Plan,
    redline: Document,
    changed: tuple[str, ...],
    label: Callable[..., str],
    role_title: Callable[[str], str],
) -> Section:
    """The table that opens the redline's PDF: each deviation (clause, position,
    approval needed, approved or pending), and each other clause whose text differs."""
    headings = {
        block.source_id: next(
            (
                (h.number, _heading_text(h.inlines))
                for h in iter_blocks(block.blocks)
                if isinstance(h, Heading)
            ),
            ("", block.source_id),
        )
        for block in redline.blocks
        if isinstance(block, Section)
    }
    positions = {c.id: c.position for c in plan.clauses}
    rows: list[Row] = []
    covered: set[str] = set()
    for deviation in plan.deviations:
        kind, _, item = deviation.subject.partition(":")
        if kind == "clause":
            covered.add(item)
            number, title = headings.get(item, ("", item))
            what = f"{number} {title}".strip()
            chinese = plan.record.document.locale.startswith("zh")
            name = position_name(positions[item], label, chinese) if item in positions else ""
            position: tuple[Inline, ...] = (Text(name),)
            if deviation.kind == "locked":
                position += (LineBreak(), Text(label("redline_locked")))
        else:
            what = label(f"threshold_{kind}") + (f" ({item})" if item else "")
            position = (Text(translate_text(deviation.detail, plan.record.document.locale)),)
        rows.append(
            Row(
                (
                    Cell((Text(what),)),
                    Cell(position),
                    Cell((Text(role_title(deviation.approval)),)),
                    Cell((Text(_status(deviation, label)),)),
                )
            )
        )
    for section_id in changed:
        if section_id in covered:
            continue
        number, title = headings.get(section_id, ("", section_id))
        rows.append(
            Row(
                (
                    Cell((Text(f"{number} {title}".strip()),)),
                    Cell((Text(_difference(redline, section_id, label)),)),
                    Cell((Text("—"),)),
                    Cell((Text("—"),)),
                )
            )
        )
    header = Row(
        tuple(
            Cell((Text(label(key)),))
            for key in (
                "redline_col_clause",
                "redline_col_position",
                "redline_col_approval",
                "redline_col_status",
            )
        )
    )
    blocks: list[Block] = [
        Heading(1, (Text(label("redline_summary")),), anchor=SUMMARY_ID, in_toc=False),
        Paragraph((Text(label("redline_intro")),), style="lead"),
    ]
    if rows:
        blocks.append(
            Table(
                header=header,
                rows=tuple(rows),
                columns=(
                    ColumnSpec("left", 30),
                    ColumnSpec("left", 22),
                    ColumnSpec("left", 20),
                    ColumnSpec("left", 28),
                ),
            )
        )
    else:
        blocks.append(Paragraph((Text(label("redline_no_deviations")),)))
    blocks.append(Paragraph((Text(label("redline_legend")),), style="note"))
    return Section(SUMMARY_ID, tuple(blocks))


def _difference(redline: Document, section_id: str, label: Callable[..., str]) -> str:
    """How a clause differs: added or removed whole (its heading all inserted or all
    deleted), else its text. A library older than the added/removed labels says its
    text differs."""
    section = next(
        (b for b in redline.blocks if isinstance(b, Section) and b.source_id == section_id), None
    )
    blocks = iter_blocks(section.blocks) if section else ()
    heading = next((h for h in blocks if isinstance(h, Heading)), None)
    kinds = {type(i) for i in heading.inlines} if heading else set()
    whole = {Inserted: "redline_clause_added", Deleted: "redline_clause_removed"}
    if len(kinds) == 1 and (key := whole.get(kinds.pop())):
        try:
            return label(key)
        except KeyError:
            pass
    return label("redline_text_differs")


def _heading_text(inlines: tuple[Inline, ...]) -> str:
    """A heading's words, tracked or not: a clause inserted or deleted whole is named
    by its title too."""
    parts: list[str] = []
    for inline in inlines:
        if isinstance(inline, Inserted | Deleted):
            parts.append(_heading_text(inline.children))
        else:
            parts.append(getattr(inline, "text", ""))
    return "".join(parts)


def _status(deviation: Deviation, label: Callable[..., str]) -> str:
    given = deviation.approved_by
    if given is None:
        return label("redline_pending")
    return label("redline_approved", who=given.who, date=given.date.isoformat())


def redline_files(
    needs_path: Path | str,
    *,
    formats: Iterable[Format] = ("docx", "pdf"),
    library: Library | None = None,
    allow_draft: bool = False,
) -> dict[str, bytes]:
    """The redline's files by name: ``{reference}-contract-redline.docx`` / ``.pdf``.

    Raises:
        InvalidInput: the record is invalid (as for ``render``), or it has no contract.
    """
    from propgen.output import safe_name
    from propgen.render import render_document

    checked = check(needs_path, library=library, only="contract", allow_draft=allow_draft)
    if "contract" not in checked.documents:
        from propgen.errors import NeedsError

        raise NeedsError(
            problems=[
                checked.needs.problem(
                    ("document", "produce"), N_("this record produces no contract to redline")
                )
            ]
        )
    redline = redline_contract(checked)
    stem = safe_name(checked.plan.record.document.reference)
    theme = checked.library.theme_dir
    formats = tuple(formats)
    pdf = render_document(redline.printable, theme, "pdf") if "pdf" in formats else None
    out: dict[str, bytes] = {}
    for fmt in formats:
        if fmt == "pdf" and pdf is not None:
            data = pdf
        elif fmt == "docx":
            data = _redline_docx(redline.document, theme, pdf)
        else:
            data = render_document(redline.printable, theme, fmt)
        out[f"{stem}-contract-redline.{fmt}"] = data
    return out


def _redline_docx(document: Document, theme: Path, printable: bytes | None) -> bytes:
    """The redline's DOCX; its contents page numbered from the printable PDF when
    there is one (the same layout, less the summary's pages), so the document is
    not laid out a second time. Either way the bytes are the same."""
    from propgen.render import render_document

    toc = next((b for b in iter_blocks(document.blocks) if isinstance(b, TableOfContents)), None)
    pages = _shifted_contents_pages(printable, toc.title) if printable and toc else None
    if pages is None:
        return render_document(document, theme, "docx")
    from propgen.render.docx import render_docx

    return render_docx(document, theme, pages)


def _shifted_contents_pages(printable: bytes, toc_title: str) -> tuple[int, ...] | None:
    """The contents entries' pages of the redline without its summary: the printable
    PDF's outline pages, less the pages the summary takes between the cover and the
    contents page (found by the contents title). None when that cannot be told."""
    from io import BytesIO

    from pypdf import PdfReader

    from propgen.render.pdf_pages import contents_pages

    reader = PdfReader(BytesIO(printable))
    first = None
    for index in range(1, min(len(reader.pages), 12)):
        lines = (line.strip() for line in (reader.pages[index].extract_text() or "").splitlines())
        if toc_title.strip() in lines:
            first = index
            break
    pages = contents_pages(printable)
    if first is None or first < 2 or not pages:
        return None
    shift = first - 1  # in the DOCX the contents page follows the cover
    shifted = tuple(page - shift for page in pages)
    return shifted if min(shifted) > first - shift else None
