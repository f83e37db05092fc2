"""Bilingual (中英对照) contracts: one contract in two languages, side by side.

The contract is planned and assembled once per language — the primary language
(``document.languages[0]``) from the library's own text, the other from each
clause's approved ``translation`` of that text — and the two documents are then
zipped section by section into :class:`~propgen.document.Parallel` rows. Zipping
refuses two assemblies that do not align clause for clause, and every row's
figures must agree (:mod:`propgen.figures`).

Tables of the same shape (parties, pricing annex) and the signature boxes are
merged into one table with both languages' labels rather than put side by side,
so amounts are printed once and each party signs once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TypeVar

from pydantic import BaseModel

from propgen import figures
from propgen.document import (
    Block,
    BulletList,
    Cell,
    Column,
    CoverLine,
    Document,
    Emph,
    Heading,
    Inline,
    LineBreak,
    ListItem,
    Meta,
    OrderedList,
    PageBreak,
    Paragraph,
    Parallel,
    Ref,
    Row,
    Section,
    Signatory,
    SignatureBlock,
    Strong,
    Table,
    TableOfContents,
    Text,
    inline_text,
)
from propgen.errors import LibraryError, Problem
from propgen.i18n import N_
from propgen.library.models import TranslationFile
from propgen.library.store import Library
from propgen.needs.models import NeedsRecord, Solution, TranslatedContact, TranslatedSolution
from propgen.plan import Plan, PlannedText

B = TypeVar("B", bound=Block)


# --- planning: the same plan in each language --------------------------------


def plan_in(plan: Plan, library: Library, locale: str) -> Plan:
    """``plan`` with every contract text in ``locale``: the library's own text when
    ``locale`` is the primary language, else the approved translation of the primary
    text; the record's words overlaid with ``translations.<locale>``.

    Raises:
        LibraryError: a text has no translation into ``locale``, or its translation
            was approved at another version than the text.
    """
    languages = plan.record.document.languages or [plan.record.document.locale]
    primary = languages[0]
    problems: list[Problem] = []
    industry = plan.industry.id

    def clause(text: PlannedText) -> PlannedText:
        loaded = library.clause(industry, text.id)
        position = loaded.value.positions[text.position]
        key = ("positions", text.position)
        return _in_locale(
            text,
            loaded.value.title,
            position.text,
            position.translation,
            loaded.value.version,
            loaded.source.lines,
            key,
        )

    def section(text: PlannedText) -> PlannedText:
        loaded = library.section(industry, text.id)
        return _in_locale(
            text,
            loaded.value.title,
            loaded.value.text,
            loaded.value.translation,
            loaded.value.version,
            loaded.source.lines,
            (),
        )

    def _in_locale(
        text: PlannedText,
        titles: dict[str, str],
        own: dict[str, str],
        translation: TranslationFile | None,
        version: str,
        lines: dict[tuple[str | int, ...], int],
        key: tuple[str, ...],
    ) -> PlannedText:
        if locale == primary:
            return replace(
                text,
                title=titles.get(locale, ""),
                source=own.get(locale, ""),
                line=lines.get((*key, "text", locale)),
            )
        where = ".".join((*key, "translation"))
        if translation is None or not translation.text.get(locale):
            problems.append(
                Problem(
                    message=N_(
                        "{id!r} has no {locale} translation of its {primary} text, "
                        "which a bilingual contract needs"
                    ).format(id=text.id, locale=locale, primary=primary),
                    file=text.file,
                    field=f"{where}.text.{locale}",
                    hint=N_("add the approved translation under {field}").format(field=where),
                )
            )
            return text
        if translation.version != version:
            problems.append(
                Problem(
                    message=N_(
                        "the {locale} translation of {id!r} was approved at version "
                        "{approved}, the {primary} text is at {version}: the two "
                        "columns would not be the same approved clause"
                    ).format(
                        locale=locale,
                        id=text.id,
                        approved=translation.version,
                        primary=primary,
                        version=version,
                    ),
                    file=text.file,
                    line=lines.get((*key, "translation", "version")),
                    field=f"{where}.version",
                    hint=N_("have the translation of this version approved, then set its version"),
                )
            )
        return replace(
            text,
            title=translation.title.get(locale) or titles.get(locale, ""),
            source=translation.text[locale],
            line=lines.get((*key, "translation", "text", locale)),
        )

    clauses = tuple(clause(c) for c in plan.clauses)
    recitals = section(plan.recitals) if plan.recitals else None
    annexes = tuple(section(a) for a in plan.annexes)
    if problems:
        raise LibraryError(problems=problems)
    return replace(
        plan,
        record=record_in(plan.record, locale),
        clauses=clauses,
        recitals=recitals,
        annexes=annexes,
        produce=("contract",),
        proposal=(),
    )


def record_in(record: NeedsRecord, locale: str) -> NeedsRecord:
    """The record as ``locale``'s column states it: that locale, and the record's
    words replaced by ``translations.<locale>`` where given."""
    update: dict[str, object] = {}
    document_update: dict[str, object] = {"locale": locale}
    translation = record.translations.get(locale)  # type: ignore[call-overload]
    if locale != record.document.locale and translation is not None:
        document_update.update(_given(translation.document))
        customer = _given(translation.customer)
        given: list[TranslatedContact] = customer.pop("contacts")  # type: ignore[assignment]
        contacts = [
            contact.model_copy(update=_given(words))
            for contact, words in zip(record.customer.contacts, given, strict=False)
        ]
        customer["contacts"] = contacts + record.customer.contacts[len(contacts) :]
        update["customer"] = record.customer.model_copy(update=customer)
        rep = record.seller.rep.model_copy(update=_given(translation.seller.rep))
        update["seller"] = record.seller.model_copy(update={"rep": rep})
        update["terms"] = record.terms.model_copy(update=_given(translation.terms))
        update["solution"] = _solution_in(record, translation.solution)
    update["document"] = record.document.model_copy(update=document_update)
    return record.model_copy(update=update)


def _given(words: BaseModel) -> dict[str, object]:
    """The fields a translation gives (not None), as values of the record's types."""
    values = {name: getattr(words, name) for name in type(words).model_fields}
    return {name: value for name, value in values.items() if value is not None}


def _solution_in(record: NeedsRecord, words: TranslatedSolution) -> Solution:
    solution = record.solution
    modules = [
        module.model_copy(update=_given(given))
        for module, given in zip(solution.modules, words.modules, strict=False)
    ]
    milestones = [
        milestone.model_copy(update={"name": name})
        for milestone, name in zip(solution.milestones, words.milestones, strict=False)
    ]
    return solution.model_copy(
        update={
            "summary": words.summary or solution.summary,
            "modules": modules + solution.modules[len(modules) :],
            "milestones": milestones + solution.milestones[len(milestones) :],
        }
    )


# --- zipping two assemblies into one document ----------------------------------


@dataclass(frozen=True)
class _Pair:
    first: Document
    second: Document

    @property
    def locales(self) -> tuple[str, str]:
        return self.first.meta.locale, self.second.meta.locale


def zip_documents(first: Document, second: Document) -> Document:
    """One bilingual document from the same contract assembled in two languages.

    Raises:
        LibraryError: the two do not align section for section, or a row's figures
            (amounts, percentages, numbers, dates) differ between the columns.
    """
    pair = _Pair(first, second)
    if len(first.blocks) != len(second.blocks):
        raise _misaligned(pair, N_("they have different numbers of sections"))
    body: list[Block] = []
    problems: list[Problem] = []
    for a, b in zip(first.blocks, second.blocks, strict=True):
        if isinstance(a, Section) and isinstance(b, Section):
            if a.source_id != b.source_id:
                raise _misaligned(
                    pair,
                    N_("{one!r} stands where {other!r} does").format(
                        one=a.source_id, other=b.source_id
                    ),
                )
            rows, found = _section_rows(pair, a, b)
            problems += found
            body.append(replace(a, blocks=tuple(rows)))  # keeps the clause's version
        elif type(a) is type(b) and isinstance(a, TableOfContents | PageBreak):
            body.append(a if isinstance(a, PageBreak) else TableOfContents(_both(a.title, b.title)))  # type: ignore[union-attr]
        else:
            raise _misaligned(
                pair,
                N_("a {one} stands where a {other} does").format(
                    one=type(a).__name__, other=type(b).__name__
                ),
            )
    if problems:
        raise LibraryError(problems=problems)
    return Document(meta=_meta(first.meta, second.meta), blocks=tuple(body))


def _misaligned(pair: _Pair, why: str) -> LibraryError:
    one, other = pair.locales
    return LibraryError(
        problems=[
            Problem(
                message=N_(
                    "the {one} and {other} contracts do not align clause for clause: {detail}"
                ).format(one=one, other=other, detail=why),
                hint=N_("each clause's translation must produce the same clauses and annexes"),
            )
        ]
    )


def _section_rows(pair: _Pair, a: Section, b: Section) -> tuple[list[Block], list[Problem]]:
    """A section's rows: block by block where both sides have the same shape
    (heading, each sub-clause ...), else the whole section as one row; and the
    problems of each row's figures."""
    one, other = pair.locales
    pairs: list[tuple[tuple[Block, ...], tuple[Block, ...]]]
    if len(a.blocks) != len(b.blocks) or any(
        _kind(x) != _kind(y) for x, y in zip(a.blocks, b.blocks, strict=True)
    ):
        pairs = [(a.blocks, b.blocks)]
    else:
        pairs = [((x,), (y,)) for x, y in zip(a.blocks, b.blocks, strict=True)]
    rows: list[Block] = []
    problems: list[Problem] = []
    stated = figures.text_figures(figures.block_text(a.blocks)[0])
    for index, (xs, ys) in enumerate(pairs, start=1):
        problems += figures.compare_row(a.source_id, index, (one, xs), (other, ys), stated)
        ys = tuple(_relabel(y) for y in ys)
        x, y = xs[0], ys[0]
        if len(xs) > 1:
            rows.append(Parallel((Column(one, xs), Column(other, ys))))
        elif isinstance(x, PageBreak):
            rows.append(x)
        elif isinstance(x, Table) and isinstance(y, Table) and _same_shape(x, y):
            rows.append(_merge_tables(x, y))
        elif isinstance(x, SignatureBlock) and isinstance(y, SignatureBlock):
            rows.append(_merge_signatures(x, y))
        else:
            if isinstance(x, Heading) and isinstance(y, Heading) and x.new_page:
                rows.append(PageBreak())
                x, y = replace(x, new_page=False), replace(y, new_page=False)
            rows.append(Parallel((Column(one, (x,)), Column(other, (y,)))))
    return rows, problems


def _kind(block: Block) -> str:
    """What a block is for pairing: a list is a list, however each language numbers
    it (a Chinese contract's items count （一）（二）, an English column's are bullets)."""
    return "list" if isinstance(block, BulletList | OrderedList) else type(block).__name__


def _second_column(section: Section) -> Section:
    """The second language's blocks: out of the contents (the primary's headings list
    the clauses) and with their own anchors, so cross-references stay in their column."""
    return replace(section, blocks=tuple(_relabel(b) for b in section.blocks))


def _suffix(anchor: str) -> str:
    return f"{anchor}-2" if anchor else ""


def _relabel(block: Block) -> Block:
    match block:
        case Heading():
            return replace(
                block,
                anchor=_suffix(block.anchor),
                in_toc=False,
                inlines=_relabel_inlines(block.inlines),
            )
        case Paragraph():
            return replace(
                block, anchor=_suffix(block.anchor), inlines=_relabel_inlines(block.inlines)
            )
        case BulletList() | OrderedList():
            items = tuple(ListItem(tuple(_relabel(b) for b in i.blocks)) for i in block.items)
            return replace(block, items=items)
        case Section():
            return _second_column(block)
        case _:
            return block


def _relabel_inlines(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for inline in inlines:
        if isinstance(inline, Ref):
            out.append(replace(inline, target=_suffix(inline.target)))
        elif isinstance(inline, Strong | Emph):
            out.append(replace(inline, children=_relabel_inlines(inline.children)))
        else:
            out.append(inline)
    return tuple(out)


def _same_shape(a: Table, b: Table) -> bool:
    def shape(t: Table) -> list[int]:
        return [len(r.cells) for r in (t.header, *t.rows, *t.footer) if r is not None]

    return (
        a.role == b.role
        and shape(a) == shape(b)
        and (a.header is None) == (b.header is None)
        and len(a.footer) == len(b.footer)
    )


def _merge_tables(a: Table, b: Table) -> Table:
    """One table with both languages: a cell that says the same thing in both (a
    name, an amount) once, a label in both languages one under the other."""

    def row(x: Row | None, y: Row | None) -> Row | None:
        if x is None or y is None:
            return x
        return Row(tuple(_merge_cell(c, d) for c, d in zip(x.cells, y.cells, strict=True)), x.style)

    rows = tuple(row(x, y) for x, y in zip(a.rows, b.rows, strict=True))
    footer = tuple(row(x, y) for x, y in zip(a.footer, b.footer, strict=True))
    return replace(
        a,
        header=row(a.header, b.header),
        rows=rows,  # type: ignore[arg-type]
        footer=footer,  # type: ignore[arg-type]
        caption=_both(a.caption, b.caption),
    )


def _merge_cell(a: Cell, b: Cell) -> Cell:
    """A cell of a merged table: once where both languages say the same (a name, an
    amount in either currency format), else the primary text over the other."""
    one, other = inline_text(a.inlines), inline_text(b.inlines)
    if one == other or not other.strip():
        return a
    if not one.strip():
        return b
    if figures.only_figures(one) and figures.same_figures(one, other):
        return a  # the same amount or percentage, formatted for the primary language
    if len(a.inlines) == len(b.inlines) and all(
        (isinstance(x, Text) and isinstance(y, Text)) or x == y
        for x, y in zip(a.inlines, b.inlines, strict=True)
    ):
        merged = [_merge_inline(x, y) for x, y in zip(a.inlines, b.inlines, strict=True)]
        if all(m is not None for m in merged):
            return Cell(tuple(m for m in merged if m is not None))
    return Cell((*a.inlines, LineBreak(), *b.inlines))


_SHARED_PREFIX = 4
"""How long a shared beginning must be to print once (a record's item name before
"（可选）" / " (optional)")."""


def _common_prefix(one: str, other: str) -> str:
    size = 0
    while size < min(len(one), len(other)) and one[size] == other[size]:
        size += 1
    return one[:size]


def _merge_inline(x: Inline, y: Inline) -> Inline | None:
    if x == y:
        return x
    if not (isinstance(x, Text) and isinstance(y, Text)):
        return None
    shared = _common_prefix(x.text, y.text)
    if len(shared) < _SHARED_PREFIX:
        return None
    return Text(shared + x.text[len(shared) :] + y.text[len(shared) :])


def _merge_signatures(a: SignatureBlock, b: SignatureBlock) -> SignatureBlock:
    """Each party signs once, in a box labelled in both languages; the box keeps
    the primary language's field names (``PartyA_Signature``, ``PartyA_Seal``)."""
    merged = []
    for x, y in zip(a.signatories, b.signatories, strict=True):
        lines = [_stacked(*texts) for texts in zip(x.lines, y.lines, strict=False)]
        longer = x.lines if len(x.lines) > len(y.lines) else y.lines
        lines += longer[len(lines) :]
        merged.append(
            Signatory(
                heading=_both(x.heading, y.heading),
                party=_both(x.party, y.party),
                lines=tuple(lines),
                field=x.field or y.field,
                sealed=x.sealed or y.sealed,
            )
        )
    return SignatureBlock(tuple(merged))


def _stacked(one: str, other: str) -> str:
    """A signature line's label in both languages, one over the other."""
    return one if one == other else f"{one}\n{other}"


def _both(one: str, other: str) -> str:
    """A short text in both languages (``合同编号 Contract No.``), once when equal."""
    if one == other or not other:
        return one
    if not one:
        return other
    return f"{one} {other}"


def _meta(first: Meta, second: Meta) -> Meta:
    lines = tuple(
        CoverLine(
            _both(x.label, y.label), x.value if x.value == y.value else f"{x.value} / {y.value}"
        )
        for x, y in zip(first.cover_lines, second.cover_lines, strict=True)
    )
    return replace(
        first,
        subtitle=second.title,
        cover_lines=lines,
        watermark=_both(first.watermark, second.watermark),
        notice=_both(first.notice, second.notice),
        keywords=(*first.keywords, "bilingual"),
    )
