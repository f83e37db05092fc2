"""What each section of a document should say: the text the deal's record and the
library produce now, and for each clause the text of every other library position
filled with the same deal's values.

The alternatives are assembled by the core (plan with another position swapped in,
``assemble_contract``), so a fallback pasted by the customer reads exactly as
propgen would have written it. Clause positions are swapped in together, one
fallback rank at a time (few assemblies); a combination the library refuses (a
cross-reference to a sub-clause one position lacks) is retried clause by clause.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from propgen import document as dm
from propgen.assemble import assemble_contract
from propgen.errors import InvalidInput
from propgen.pipeline import Checked, assembly_inputs
from propgen.plan import PlannedText
from propgen.render.docx_numbering import uses_clause_list
from propgen.render.docx_trace import bookmark_names
from propgen.review.docx_read import REF_MARK
from propgen.review.sections import ExpectedSection, Position, normalise


def expected_sections(checked: Checked, kind: dm.DocumentKind) -> list[ExpectedSection]:
    """Every section of the ``kind`` document of ``checked``, in order."""
    document = checked.documents[kind]
    listed = uses_clause_list(document)
    marked = [b for b in dm.iter_blocks(document.blocks) if isinstance(b, dm.Heading | dm.Section)]
    marks = {
        b.source_id: name
        for b, name in zip(marked, bookmark_names(marked), strict=True)
        if isinstance(b, dm.Section)
    }
    alternatives = _alternatives(checked) if kind == "contract" else {}
    owners = _owners(checked)
    out: list[ExpectedSection] = []
    sections = [b for b in dm.iter_blocks(document.blocks) if isinstance(b, dm.Section)]
    for n, section in enumerate(sections, start=1):
        heading = next((b for b in section.blocks if isinstance(b, dm.Heading)), None)
        title = dm.inline_text(heading.inlines) if heading else ""
        out.append(
            ExpectedSection(
                id=section.source_id,
                title=title,
                n=n,
                number=heading.number if heading else "",
                is_clause=bool(section.position),
                version=section.version,
                position=section.position,
                paragraphs=tuple(block_texts(section.blocks, listed)),
                shown=tuple(block_texts(section.blocks, listed, masked=False)),
                alternatives=tuple(alternatives.get(section.source_id, ())),
                owner=owners.get(section.source_id, ""),
                bookmark=marks.get(section.source_id, ""),
            )
        )
    return out


def block_texts(blocks: tuple[dm.Block, ...], listed: bool, *, masked: bool = True) -> list[str]:
    """The normalised text of each paragraph and table cell the DOCX renderer writes
    for ``blocks`` (``listed``: clause numbers are the Word list's, not text)."""
    out: list[str] = []

    def add(text: str) -> None:
        text = normalise(text, fold=masked)
        if text:
            out.append(text)

    for block in blocks:
        match block:
            case dm.Heading():
                number = block.number + " " if block.number and not listed else ""
                add(number + _inline_text(block.inlines, masked))
            case dm.Paragraph():
                typed = block.number and not listed
                add((block.number + " " if typed else "") + _inline_text(block.inlines, masked))
            case dm.BulletList() | dm.OrderedList():
                for item in block.items:
                    out.extend(block_texts(item.blocks, listed, masked=masked))
            case dm.Table():
                add(block.caption)
                for row in (block.header, *block.rows, *block.footer):
                    for cell in row.cells if row else ():
                        add(_inline_text(cell.inlines, masked))
            case dm.Section():
                out.extend(block_texts(block.blocks, listed, masked=masked))
            case dm.SignatureBlock():
                for person in block.signatories:
                    for line in (person.heading, person.party, *person.lines):
                        add(line)
            case dm.TableOfContents() | dm.PageBreak():
                pass
    return out


def _inline_text(inlines: tuple[dm.Inline, ...], masked: bool) -> str:
    parts: list[str] = []
    for inline in inlines:
        match inline:
            case dm.Ref():
                before, found, after = inline.text.partition(inline.number or "\0")
                ref = masked and inline.number and found
                parts.append(before + REF_MARK + after if ref else inline.text)
            case dm.Text():
                parts.append(inline.text)
            case dm.Strong() | dm.Emph():
                parts.append(_inline_text(inline.children, masked))
            case dm.LineBreak():
                parts.append(" ")
    return "".join(parts)


def _owners(checked: Checked) -> dict[str, str]:
    plan, library = checked.plan, checked.library
    owners: dict[str, str] = {}
    for text in plan.clauses:
        owners[text.id] = library.clause(plan.industry.id, text.id).value.owner
    for text in (*plan.proposal, *plan.annexes, *([plan.recitals] if plan.recitals else [])):
        if text.origin == "library":
            owners[text.id] = library.section(plan.industry.id, text.id).value.owner
    return owners


def _alternatives(checked: Checked) -> dict[str, list[Position]]:
    """Clause id → its other positions' text, filled with this deal's values."""
    plan, library = checked.plan, checked.library
    policy = library.policy
    fallback_role = policy.approvals.get("fallback", "legal")
    locked_role = policy.approvals.get("locked", "legal")
    files = {c.id: library.clause(plan.industry.id, c.id).value for c in plan.clauses}
    others = {c.id: [p for p in files[c.id].positions if p != c.position] for c in plan.clauses}
    found: dict[str, list[Position]] = {}
    ranks = max((len(v) for v in others.values()), default=0)
    for rank in range(ranks):
        swap = {cid: names[rank] for cid, names in others.items() if rank < len(names)}
        try:
            batches = [(swap, _assemble(checked, swap, files))]
        except InvalidInput:
            batches = []
            for cid, position in swap.items():
                try:
                    batches.append(({cid: position}, _assemble(checked, {cid: position}, files)))
                except InvalidInput:
                    continue  # a position this deal cannot use
        for swapped, document in batches:
            listed = uses_clause_list(document)
            sections = {
                b.source_id: b for b in dm.iter_blocks(document.blocks) if isinstance(b, dm.Section)
            }
            for cid, position in swapped.items():
                if cid not in sections:
                    continue
                meta = files[cid]
                role = (
                    ""
                    if position == "standard"
                    else locked_role
                    if meta.locked
                    else meta.positions[position].approval or fallback_role
                )
                found.setdefault(cid, []).append(
                    Position(position, tuple(block_texts(sections[cid].blocks, listed)), role)
                )
    return found


def _assemble(checked: Checked, swap: dict[str, str], files: dict[str, Any]) -> dm.Document:
    plan = checked.plan
    locale = plan.record.document.locale
    clauses: list[PlannedText] = []
    for text in plan.clauses:
        position = swap.get(text.id)
        if position is None:
            clauses.append(text)
            continue
        source = files[text.id].positions[position].text.get(locale, "")
        clauses.append(replace(text, source=source, position=position))
    record = plan.record.model_copy(update={"clauses": {**plan.record.clauses, **swap}})
    swapped = replace(plan, record=record, clauses=tuple(clauses))
    return assemble_contract(assembly_inputs(swapped, checked.library))
