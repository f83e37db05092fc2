"""Assembly: plan + priced deal → renderer-neutral documents.

Library text renders through the Markdown sandbox and is parsed into blocks;
presales' replacement text is parsed as Markdown without ever being a template;
clauses are numbered here, so DOCX and PDF carry the same numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property, partial
from typing import Any, assert_never

from jinja2 import Environment

from propgen import blocks, pricing_tables, template_memo, titles
from propgen.context import (
    SellerCompany,
    address_on_one_line,
    label_function,
    template_context,
    template_filters,
    term_statements,
)
from propgen.crossref import CrossReferences
from propgen.document import (
    Block,
    ColumnSpec,
    CoverLine,
    Document,
    Heading,
    Meta,
    PageBreak,
    Paragraph,
    Section,
    Table,
    TableOfContents,
    Text,
)
from propgen.errors import LibraryError, Problem
from propgen.frozen import freeze
from propgen.guard import MAX_CHARACTERS, limits
from propgen.i18n import N_
from propgen.legal_lists import ENGLISH_LEVELS, LEVELS, number_lists
from propgen.library.models import StructuredBlock
from propgen.locale import Formatter, chinese_number
from propgen.locales import is_chinese
from propgen.markdown import parse_markdown
from propgen.needs.models import Person
from propgen.plan import Plan, PlannedText
from propgen.pricing import PriceBreakdown
from propgen.templating import HELPERS, evaluate, markdown_environment, render_text
from propgen.terms import DocumentKind

CONTRACT_CONTENTS_MIN_CLAUSES = 12
"""A contract with this many clauses or more (about eight pages and up) opens with a
contents page; a short one goes straight to the parties."""


def annex_citations(plan: Plan, label: Callable[..., str], chinese: bool) -> dict[str, str]:
    """How each attached annex is cited (``Annex 2`` / ``附件二``): the pricing annex is
    the first, the manifest's ``contract.annexes`` follow in order."""
    return {
        annex.id: label("annex_ref", number=chinese_number(index) if chinese else index)
        for index, annex in enumerate(plan.annexes, start=2)
    }


@dataclass(frozen=True)
class Inputs:
    """Everything assembly needs, already loaded and computed."""

    plan: Plan
    pricing: PriceBreakdown
    seller: SellerCompany
    labels: Mapping[str, str]
    logo: str = ""
    drafting: str = ""
    """The locale whose conventions the contract follows where they differ (signature
    boxes with seals, the place of signing): a bilingual contract's primary language
    for both columns; empty: the record's own locale."""

    @property
    def drafts_chinese(self) -> bool:
        return is_chinese(self.drafting or self.plan.record.document.locale)

    @cached_property
    def template_data(self) -> dict[str, Any]:
        """The template variables (:func:`~propgen.context.template_context`) of the
        contract, built once (the live preview builds them per edit)."""
        label = label_function(self.labels)
        chinese = is_chinese(self.plan.record.document.locale)
        annexes = annex_citations(self.plan, label, chinese)
        return template_context(self.plan, self.pricing, self.seller, label, annexes)

    @cached_property
    def proposal_template_data(self) -> dict[str, Any]:
        """The proposal's: the contract's, but the terms as the proposal words them."""
        label = label_function(self.labels)
        term = term_statements(self.plan, self.pricing, label, "proposal")
        return {**self.template_data, "term": freeze(term)}


def render_context(
    inputs: Inputs,
    fmt: Formatter,
    label: Callable[..., str],
    functions: Mapping[str, Callable[..., str]],
    document: DocumentKind = "contract",
) -> dict[str, Any]:
    """What library text of ``document`` renders with: the template data and, out of
    the templates' reach, the helpers its filters and functions call."""
    data = inputs.proposal_template_data if document == "proposal" else inputs.template_data
    return {
        **data,
        HELPERS: {**template_filters(fmt), "label": label, **functions},
    }


class _Assembler:
    def __init__(
        self,
        inputs: Inputs,
        functions: Mapping[str, Callable[..., str]],
        crossrefs: CrossReferences | None = None,
        document: DocumentKind = "contract",
    ) -> None:
        record = inputs.plan.record
        self.crossrefs = crossrefs
        self.inputs = inputs
        self.record = record
        self.fmt = Formatter(record.document.locale, record.document.currency)
        self.label = label_function(inputs.labels)
        self.env: Environment = markdown_environment()
        self.annex_numbers = annex_citations(inputs.plan, self.label, self.fmt.is_chinese)
        self.context = render_context(inputs, self.fmt, self.label, functions, document)

    def render(self, text: PlannedText) -> tuple[Block, ...]:
        source = self._rendered(text) if text.templated else text.source
        if len(source) > MAX_CHARACTERS:  # before parsing, which would take minutes
            raise LibraryError(
                problems=[
                    Problem(
                        message=f"produced {len(source):,} characters of text; a document may "
                        f"have at most {MAX_CHARACTERS:,}",
                        file=text.file,
                        line=text.line,
                        field=text.id,
                    )
                ]
            )
        try:
            with limits(
                N_("the Markdown of {file} ({field})").format(
                    file=text.file or "section", field=text.id
                )
            ):
                blocks = parse_markdown(source)
        except LibraryError as err:  # say which library text the Markdown came from
            problems = [
                replace(
                    p, file=p.file or text.file, line=p.line or text.line, field=p.field or text.id
                )
                for p in err.problems
            ]
            raise LibraryError(problems=problems) from err
        return self.crossrefs.resolve(blocks) if self.crossrefs else blocks

    def _rendered(self, text: PlannedText) -> str:
        """The text's template rendered, or its output for the same values read
        (:mod:`propgen.template_memo`)."""
        memo = template_memo.memo()
        chains = template_memo.reads(self.env, text.source) if memo else None
        remember = None
        if memo is not None and chains is not None:
            key = (self.env, text.source, text.file, text.id, text.line)
            values = (
                self.fmt.locale,
                self.fmt.currency,
                self.inputs.labels,
                *(template_memo.value_read(self.context, chain) for chain in chains),
            )
            if (output := memo.lookup(key, values)) is not None:
                return output
            remember = partial(memo.keep, key, values)
        output = render_text(
            self.env,
            text.source,
            self.context,
            file=text.file,
            first_line=text.line,
            field=text.id,
        )
        if remember is not None:
            remember(output)
        return output

    def included(self, text: PlannedText) -> bool:
        if not text.when:
            return True
        return evaluate(
            self.env, text.when, self.context, file=text.file, line=None, field=f"{text.id}.when"
        )

    def structured(self, name: StructuredBlock) -> list[Block]:
        """The blocks a library section asks for by name (``blocks:``)."""
        pricing, record, fmt, label = self.inputs.pricing, self.record, self.fmt, self.label
        built: Block | list[Block] | None
        match name:
            case "pricing-table":
                built = blocks.pricing_table(pricing, fmt, label)
            case "amount-in-words":
                built = blocks.amount_in_words(pricing, fmt, label)
            case "payment-schedule":
                built = (
                    blocks.payment_schedule(pricing, fmt, label) if pricing.instalments else None
                )
            case "milestones-table":
                built = blocks.milestones_table(record, fmt, label)
            case "modules-table":
                built = blocks.modules_table(record, label)
            case "contacts-table":
                built = blocks.contacts_table(record, label)
            case "year-summary":
                built = pricing_tables.year_summary(pricing, fmt, label)
            case "contract-value":
                built = pricing_tables.contract_value(pricing, fmt, label)
            case "traceability-table":
                built = blocks.traceability_table(record, fmt, label)
            case "signature":
                built = blocks.signature_block(
                    record.customer.legal,
                    self.inputs.seller.legal_name,
                    label,
                    self.inputs.drafts_chinese,
                )
            case _:
                assert_never(name)
        if built is None:
            return []
        return built if isinstance(built, list) else [built]

    def meta(
        self, kind: str, title: str, subtitle: str, watermark: str = "", notice: str = ""
    ) -> Meta:
        doc, customer, seller = self.record.document, self.record.customer, self.inputs.seller
        label = self.label
        rep = self.record.seller.rep
        if kind == "proposal":
            lines = [
                CoverLine(label("prepared_for"), customer.legal),
                CoverLine(label("prepared_by"), _prepared_by(rep, seller.name, self.fmt)),
                CoverLine(label("reference"), doc.reference),
                CoverLine(label("version"), doc.version),
                CoverLine(label("date"), self.fmt.date(doc.date)),
                CoverLine(label("valid_until"), self.fmt.date(doc.valid_until)),
            ]
            header = label(
                "header_proposal", seller=seller.name, customer=customer.name, title=title
            )
        else:
            lines = [
                CoverLine(label("contract_number"), doc.reference),
                CoverLine(label("customer_party"), customer.legal),
                CoverLine(label("supplier_party"), seller.legal_name),
                CoverLine(label("version"), doc.version),
                CoverLine(label("date"), self.fmt.date(doc.date)),
            ]
            header = label("header_contract", seller=seller.name, title=title)
        return Meta(
            kind=kind,  # type: ignore[arg-type]
            locale=doc.locale,
            title=title,
            subtitle=subtitle,
            reference=doc.reference,
            date_iso=doc.date.isoformat(),
            cover_lines=tuple(lines),
            header=header,
            footer=f"{doc.reference} · {label('version')} {doc.version}",
            page_label=label("page"),
            of_label=label("of"),
            page_suffix=label("page_suffix"),
            seller_name=seller.name,
            customer_name=customer.legal,
            author=rep.name,
            watermark=watermark,
            notice=notice,
            logo=self.inputs.logo,
        )


def _heading(level: int, text: str, anchor: str, number: str = "") -> Heading:
    return Heading(level=level, inlines=(Text(text),), anchor=anchor, number=number)


_FALLBACK = re.compile(r"fallback-(\d+)")


def position_name(position: str, label: Callable[..., str], chinese: bool) -> str:
    """A clause position as a reader names it: ``standard`` → "standard" / 标准,
    ``fallback-2`` → "fallback 2" / 第二备选; a library's own position id as written."""
    if position == "standard":
        return label("position_standard")
    fallback = _FALLBACK.fullmatch(position)
    if fallback is None:
        return position
    n = int(fallback.group(1))
    return label("position_fallback", n=chinese_number(n) if chinese else n)


def _notice(inputs: Inputs, label: Callable[..., str]) -> str:
    """The cover warning listing deviations still waiting for approval."""
    titles = {f"clause:{c.id}": (c.title, c.position) for c in inputs.plan.clauses}
    items = []
    for deviation in inputs.plan.deviations:
        if deviation.approved:
            continue
        if deviation.subject in titles:
            title, position = titles[deviation.subject]
            chinese = is_chinese(inputs.plan.record.document.locale)
            name = position_name(position, label, chinese)
            items.append(label("deviation_clause", title=title, position=name))
        else:
            kind, _, item = deviation.subject.partition(":")
            items.append(label(f"threshold_{kind}") + (f" ({item})" if item else ""))
    separator = "、" if is_chinese(inputs.plan.record.document.locale) else "; "
    return label("deviation_notice", items=separator.join(items)) if items else ""


def assemble_proposal(inputs: Inputs) -> Document:
    """The proposal: cover, contents, then the planned sections in order."""
    asm = _Assembler(inputs, {"ref": _no_ref}, document="proposal")
    label = asm.label
    industry_title = inputs.plan.industry.title.get(asm.record.document.locale, "")
    title = titles.proposal_title(asm.record, _project(asm), label)
    body: list[Block] = [TableOfContents(label("toc")), PageBreak()]
    for text in inputs.plan.proposal:
        if not asm.included(text):
            continue
        content = list(asm.render(text))
        for name in text.blocks:
            content.extend(asm.structured(name))
        body.append(
            Section(
                text.id,
                (_heading(1, text.title, text.id), *content),
                version=text.version,
                locked=text.locked,
            )
        )
    meta = asm.meta(
        "proposal",
        title,
        label("proposal_subtitle", industry=industry_title),
        notice=_notice(inputs, label),
    )
    return Document(meta=meta, blocks=tuple(body))


def _project(asm: _Assembler) -> titles.Project:
    locale = asm.record.document.locale
    return titles.project(
        asm.record,
        asm.inputs.plan.industry.title.get(locale, ""),
        asm.label,
        asm.fmt.join_list,
        is_chinese(locale),
    )


def _no_ref(*_: object) -> str:
    raise ValueError("ref() refers to contract clauses and only works in clause text")


def assemble_contract(inputs: Inputs) -> Document:
    """The contract draft: parties, recitals, numbered clauses, signatures, annex."""
    plan = inputs.plan
    numbers: dict[str, int] = {}  # filled once the clauses this deal needs are known
    chinese = is_chinese(plan.record.document.locale)
    labels = label_function(inputs.labels)

    references: list[_SubclauseReference] = []
    rendering: list[PlannedText] = []  # the text whose template is being rendered
    crossrefs = CrossReferences()

    def ref(clause_id: str, sub: int | None = None) -> str:
        if clause_id not in numbers:
            raise ValueError(f"ref({clause_id!r}): no such clause in this contract")
        n = numbers[clause_id]
        if sub is None:
            clause_number = f"第{chinese_number(n)}条" if chinese else str(n)
            text = labels("clause_ref", number=chinese_number(n) if chinese else n)
            return crossrefs.marker(text, f"clause-{clause_id}", clause_number)
        references.append(_SubclauseReference(rendering[-1], clause_id, sub))
        text = labels("subclause_ref", number=f"{n}.{sub}")
        return crossrefs.marker(text, f"clause-{clause_id}-{sub}", f"{n}.{sub}")

    asm = _Assembler(inputs, {"ref": ref}, crossrefs)
    clauses = [clause for clause in plan.clauses if asm.included(clause)]
    numbers.update((clause.id, index) for index, clause in enumerate(clauses, start=1))

    def render(text: PlannedText) -> tuple[Block, ...]:
        rendering.append(text)
        try:
            return asm.render(text)
        finally:
            rendering.pop()

    label = asm.label
    record = plan.record
    # PRC drafting numbers list items; the English column of a contract drafted in
    # Chinese numbers the same items (a), (b) … so both columns cite one item alike
    legal_levels = LEVELS if chinese else ENGLISH_LEVELS if inputs.drafts_chinese else ()
    sells_hardware = any(line.kind == "hardware" for line in inputs.pricing.lines)
    what = _project(asm)
    title = titles.contract_title(
        what, label("contract_with_hardware" if sells_hardware else "contract"), label
    )
    body: list[Block] = []
    if len(clauses) >= CONTRACT_CONTENTS_MIN_CLAUSES:
        body += [TableOfContents(label("toc")), PageBreak()]
    body.append(Section("parties", (_heading(1, label("parties"), "parties"), *_parties(asm))))
    if plan.recitals is not None:
        body.append(
            Section(
                plan.recitals.id,
                (
                    _heading(1, plan.recitals.title or label("recitals"), "recitals"),
                    *render(plan.recitals),
                ),
                version=plan.recitals.version,
                locked=plan.recitals.locked,
            )
        )
    for clause in clauses:
        n = numbers[clause.id]
        number = f"第{chinese_number(n)}条" if chinese else f"{n}."
        content = _number_subclauses(render(clause), n, clause.id)
        if legal_levels:  # items a party can cite: （一）（二）, not bullets
            content = number_lists(content, levels=legal_levels)
        body.append(
            Section(
                clause.id,
                (_heading(1, clause.title, f"clause-{clause.id}", number), *content),
                version=clause.version,
                position=clause.position,
                locked=clause.locked,
            )
        )
    _check_subclause_references(references, body)
    body.append(
        Section(
            "signatures",
            (
                Paragraph((Text(label("signature_intro")),)),
                *([Paragraph((Text(label("no_more_text")),))] if label("no_more_text") else []),
                blocks.signature_block(
                    record.customer.legal, inputs.seller.legal_name, label, inputs.drafts_chinese
                ),
            ),
        )
    )
    annex: list[Block] = [
        PageBreak(),
        _heading(1, label("annex"), "annex"),
        asm.structured("pricing-table")[0],
        *asm.structured("amount-in-words"),
        *asm.structured("contract-value"),
        *asm.structured("year-summary"),
    ]
    # In the annex the schedule follows other tables, not a section title: it carries
    # its own caption, as the contract value and the year summary do.
    annex.extend(
        replace(block, caption=label("schedule_caption")) if isinstance(block, Table) else block
        for block in asm.structured("payment-schedule")
    )
    body.append(Section("annex", tuple(annex)))
    for attached in plan.annexes:
        heading = label("annex_heading", annex=asm.annex_numbers[attached.id], title=attached.title)
        body.append(
            Section(
                attached.id,
                (
                    replace(_heading(1, heading, f"annex-{attached.id}"), new_page=True),
                    *(
                        number_lists(asm.render(attached), levels=legal_levels)
                        if legal_levels
                        else asm.render(attached)
                    ),
                ),
                version=attached.version,
                locked=attached.locked,
            )
        )
    drafts = plan.draft_clauses
    watermark = label("draft_unapproved") if drafts else label("draft")
    notice = _notice(inputs, label)
    # A clause changed since legal approved it is named on the cover (its approval was
    # of an earlier version); check and the provenance give the versions.
    awaiting = [c.title for c in clauses if c.id in plan.awaiting_approval]
    if awaiting:
        items = ("、" if chinese else ", ").join(awaiting)
        notice = " ".join(filter(None, [label("awaiting_notice", items=items), notice]))
    if drafts:
        notice = " ".join(filter(None, [label("draft_notice", items=", ".join(drafts)), notice]))
    subtitle = titles.contract_subtitle(what, record.customer.name, label)
    meta = asm.meta("contract", title, subtitle, watermark=watermark, notice=notice)
    return Document(meta=meta, blocks=tuple(body))


_PRC_PARTY_ROWS = frozenset({"registration_id", "address", "representative", "bank_account"})
_US_PARTY_ROWS = frozenset({"entity", "representative"})
"""A US contract states what kind of entity each party is and who signs for it."""


def _parties(asm: _Assembler) -> list[Block]:
    """Who signs: each party's name, kind of entity, registration, address, legal
    representative, named contact and bank account (a PRC contract names all of them),
    and for zh-CN where the contract is signed."""
    label, record, seller = asm.label, asm.record, asm.inputs.seller
    customer, chinese = record.customer, asm.fmt.is_chinese
    leads = [c for c in customer.contacts if c.role == "decision_maker"] or customer.contacts
    contact = _contact(leads[0], asm.fmt.is_chinese) if leads else None
    customer_bank = (
        _bank(customer.bank.bank, customer.bank.account_name, customer.bank.account_number, label)
        if customer.bank
        else None
    )
    seller_bank = (
        _bank(
            seller.bank.get("bank", ""),
            seller.bank.get("account_name", ""),
            seller.bank.get("account_number", ""),
            label,
        )
        if seller.bank.get("account_number")
        else None
    )
    parties = (
        (
            "customer_party",
            customer.legal,
            (
                ("entity", customer.entity),
                ("registration_id", customer.registration_id),
                # one line, as the table prints it: "4400 Riverside Parkway, Dayton, …"
                (
                    "address",
                    customer.address and address_on_one_line(customer.address, chinese),
                ),
                ("representative", customer.representative),
                ("contact", contact),
                ("bank_account", customer_bank),
            ),
        ),
        (
            "supplier_party",
            seller.legal_name,
            (
                ("entity", seller.entity),
                ("registration_id", seller.registration_id),
                ("address", seller.address),
                ("representative", seller.representative),
                ("contact", _contact(record.seller.rep, asm.fmt.is_chinese)),
                ("bank_account", seller_bank),
            ),
        ),
    )
    # A contract drafted as PRC companies draft it has these rows for both parties, a US
    # one the entity and signatory; one the record leaves empty is a blank to fill in by
    # hand rather than a missing row.
    always = _PRC_PARTY_ROWS if asm.inputs.drafts_chinese else _US_PARTY_ROWS
    rows = []
    for role, name, details in parties:
        rows.append(blocks.row(label(role), name, style="subtotal"))
        rows.extend(
            blocks.row(label(key), value or label("to_fill_in"))
            for key, value in details
            if value or key in always
        )
    out: list[Block] = [
        Paragraph((Text(label("party_intro")),)),
        Table(
            header=None,
            rows=tuple(rows),
            columns=(ColumnSpec("left", 30), ColumnSpec("left", 70)),
            role="parties",
        ),
    ]
    place = record.document.signing_place or seller.signing_place
    if asm.inputs.drafts_chinese and place:
        out.append(Paragraph((Text(label("signing_place", place=place)),)))
    return out


def _prepared_by(rep: Person, seller: str, fmt: Formatter) -> str:
    """The cover's author line: ``name, title, seller`` — in Chinese with full-width
    punctuation, ``赵敏（零售行业客户总监），子午线系统``."""
    if fmt.is_chinese:
        return "，".join([_name_and_title(rep), seller])
    return ", ".join(p for p in (rep.name, rep.title, seller) if p)


def _contact(person: Person, chinese: bool) -> str:
    """``name (title), email, phone`` — or the Chinese ``姓名（职务），电子邮箱：…``."""
    if chinese:
        text = _name_and_title(person)
        details = [
            f"电子邮箱：{person.email}" if person.email else "",
            f"电话：{_unbroken(person.phone)}" if person.phone else "",
        ]
        return "，".join([text, *filter(None, details)])
    phone = _unbroken(person.phone) if person.phone else None
    return ", ".join(filter(None, [person.name, person.title, person.email, phone]))


def _name_and_title(person: Person) -> str:
    """``姓名（职务）``; a title with its own brackets follows a comma instead, so that
    brackets never nest: ``何志远，副行长（分管信息科技）``."""
    if not person.title:
        return person.name
    if "（" in person.title or "(" in person.title:
        return f"{person.name}，{person.title}"
    return f"{person.name}（{person.title}）"


def _unbroken(number: str) -> str:
    """A phone or account number that never breaks across lines (no-break spaces)."""
    return number.replace(" ", "\u00a0")


def _bank(bank: str, name: str, number: str, label: Callable[..., str]) -> str:
    return label("bank_details", bank=bank, name=name, number=_unbroken(number))


@dataclass(frozen=True)
class _SubclauseReference:
    """A ``ref(clause_id, sub)`` call, and the library text that made it."""

    referrer: PlannedText
    clause_id: str
    sub: int


def _check_subclause_references(references: list[_SubclauseReference], body: list[Block]) -> None:
    """Every ``ref(id, k)`` must point at a sub-clause that exists in this contract."""
    counts = {
        section.source_id: sum(isinstance(b, Paragraph) and bool(b.number) for b in section.blocks)
        for section in body
        if isinstance(section, Section)
    }
    problems = [
        Problem(
            message=N_(
                "{call} refers to sub-clause {sub}, but that clause has "
                "{count} numbered sub-clauses here"
            ).format(
                call=f"ref({reference.clause_id!r}, {reference.sub})",
                sub=reference.sub,
                count=counts.get(reference.clause_id, 0),
            ),
            file=reference.referrer.file,
            line=reference.referrer.line,
            field=reference.referrer.id,
            hint=N_("fix the ref() or the referred clause's paragraphs"),
        )
        for reference in references
        if not 1 <= reference.sub <= counts.get(reference.clause_id, 0)
    ]
    if problems:
        raise LibraryError(problems=list(dict.fromkeys(problems)))


def _number_subclauses(
    content: tuple[Block, ...], clause: int, clause_id: str
) -> tuple[Block, ...]:
    """Number each top-level paragraph ``N.k`` when a clause has more than one; its
    anchor ``clause-ID-k`` is what ``ref(ID, k)`` points at."""
    paragraphs = [b for b in content if isinstance(b, Paragraph)]
    if len(paragraphs) < 2:
        return content
    out: list[Block] = []
    k = 0
    for block in content:
        if isinstance(block, Paragraph):
            k += 1
            out.append(
                Paragraph(
                    block.inlines,
                    style=block.style,
                    number=f"{clause}.{k}",
                    anchor=f"clause-{clause_id}-{k}",
                )
            )
        else:
            out.append(block)
    return tuple(out)
