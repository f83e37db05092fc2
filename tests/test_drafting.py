"""What a customer's lawyer found reading every page of every sample (issue 12), each
checked over every shipped record so that a record not yet seen is held to it too."""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from propgen.document import (
    Block,
    Heading,
    Paragraph,
    Parallel,
    Section,
    Table,
    inline_text,
    iter_blocks,
)
from propgen.pipeline import Checked, check
from support import FIXTURES, INDUSTRY_SAMPLES, ROOT, SAMPLES, document_paragraphs

RECORDS = [*SAMPLES, *sorted(FIXTURES.glob("*.yaml")), *INDUSTRY_SAMPLES]
ENGLISH = [r for r in RECORDS if r.name.split(".")[-2].split("-")[0] == "en"]


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@functools.cache
def _checked(path: Path) -> Checked:
    return check(path, allow_draft=True)


def _texts(path: Path) -> dict[str, list[str]]:
    return {kind: document_paragraphs(doc) for kind, doc in _checked(path).documents.items()}


# A period doubled ("Co., Ltd.." where a template writes a period after a name that
# ends in one), and Chinese punctuation doubled or stacked.
DOUBLED = re.compile(r"(?<!\.)\.\.(?!\.)|[。，；：、][。，；：、]")


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_no_doubled_punctuation(path: Path) -> None:
    for kind, texts in _texts(path).items():
        for text in texts:
            found = DOUBLED.search(text)
            assert found is None, (kind, text[max(0, found.start() - 60) : found.end() + 20])


NESTED = re.compile(r"（[^（）]*（")


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_chinese_brackets_never_nest(path: Path) -> None:
    """Brackets never nest: "何志远（副行长（分管信息科技））" and
    "（含增值税，税率6%（计税金额…）…）" read as typing slips; a title with its own
    brackets follows a comma, and the tax rates are stated outside brackets."""
    for kind, texts in _texts(path).items():
        for text in texts:
            found = NESTED.search(text)
            assert found is None, (kind, text[max(0, found.start() - 30) : found.end() + 40])


# British spellings that US companies do not write (en-GB would be its own locale).
BRITISH = re.compile(
    r"\b(?:organis\w+|\w+isation|authoris\w+|licence[sd]?|centre[sd]?|programme[sd]?|"
    r"behaviour\w*|favour\w*|colour\w*|labour\w*|catalogue[sd]?|cheques?|whilst|amongst|"
    r"fulfil|fulfils|fulfilment|instalments?|customis\w+|optimis\w+|minimis\w+|"
    r"recognis\w+|prioritis\w+|utilis\w+|summaris\w+|standardis\w+|finalis\w+|"
    r"cancell(?:ed|ing)|modelling|judgement|defence|offence)\b",
    re.IGNORECASE,
)


def _british(text: str) -> list[str]:
    """Amazon's own name for its service is "Fulfillment by Amazon": no exception."""
    return [m.group() for m in BRITISH.finditer(text)]


@pytest.mark.parametrize("path", ENGLISH, ids=_id)
def test_en_us_documents_use_us_spelling(path: Path) -> None:
    for kind, texts in _texts(path).items():
        found = [(word, text[:80]) for text in texts for word in _british(text)]
        assert not found, (kind, found)


def _english_library_texts() -> list[tuple[str, str]]:
    """Every en-US text of the library (the English of a zh-CN contract included)."""
    found: list[tuple[str, str]] = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "en-US" and isinstance(value, str):
                    found.append((where, value))
                else:
                    walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}[{i}]")

    files = [*ROOT.glob("snippets/**/*.yaml"), *ROOT.glob("templates/industry/*/*/*.yaml")]
    for path in files:
        walk(yaml.safe_load(path.read_text(encoding="utf-8")), str(path.relative_to(ROOT)))
    for path in ROOT.glob("templates/labels/**/en-US.yaml"):
        labels = yaml.safe_load(path.read_text(encoding="utf-8"))
        found += [(f"{path.relative_to(ROOT)}:{k}", str(v)) for k, v in labels.items()]
    return found


def test_library_english_uses_us_spelling() -> None:
    """Text that only some records reach (a fallback position, a variant) is held to it
    too; ``instalments`` as a template variable is code, not prose."""
    found = [
        (where, word)
        for where, text in _english_library_texts()
        for word in _british(re.sub(r"\{[{%].*?[%}]\}", "", text))
    ]
    assert not found


def test_term_wordings_name_what_they_refer_to() -> None:
    """A term's wording stands alone in the proposal's summary ("Security incidents:
    notified … within 48 hours after becoming aware of it" had no antecedent)."""
    for path in ROOT.glob("templates/labels/**/en-US.yaml"):
        labels = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key, value in labels.items():
            if key.startswith("term_"):
                assert not re.search(r"\b(?:it|them)$", str(value)), (path.name, key, value)


BANK_MISFITS = re.compile(r"工厂|门店|车间|\bfactor(?:y|ies)\b|\bstores\b|\bshop floor\b")


@pytest.mark.parametrize("path", [r for r in RECORDS if "financial" in r.name], ids=_id)
def test_a_bank_reads_nothing_about_factories_or_stores(path: Path) -> None:
    for kind, texts in _texts(path).items():
        found = [text[:80] for text in texts if BANK_MISFITS.search(text)]
        assert not found, (kind, found)


def _is_heading(block: Block | None) -> bool:
    """A heading, or a bilingual row holding one in each language."""
    if isinstance(block, Parallel):
        return all(column.blocks and _is_heading(column.blocks[-1]) for column in block.columns)
    return isinstance(block, Heading)


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_every_annex_table_is_introduced(path: Path) -> None:
    """A table in a contract annex follows a heading or carries a caption: the payment
    schedule used to stand, unnamed, on a page of its own."""
    contract = _checked(path).documents["contract"]
    annexes = [
        b for b in iter_blocks(contract.blocks) if isinstance(b, Section) and b.source_id == "annex"
    ]
    assert annexes
    for annex in annexes:
        previous: Block | None = None
        for block in annex.blocks:
            if isinstance(block, Table):
                assert block.caption or _is_heading(previous), block.header
            previous = block


@pytest.mark.parametrize("path", [r for r in RECORDS if "zh" in r.name], ids=_id)
def test_chinese_notices_name_a_person_for_each_party(path: Path) -> None:
    """The notice clause names the seller's contact of the parties table, not "法务部"."""
    checked = _checked(path)
    contract = "\n".join(document_paragraphs(checked.documents["contract"]))
    assert "联系人：法务部" not in contract
    rep = checked.plan.record.seller.rep
    assert re.search(rf"乙方\*?\*?：[^\n]*联系人：{re.escape(rep.name)}", contract), rep.name


TWENTY_FOUR_HOUR = re.compile(r"\b(?:1[3-9]|2[0-3]):[0-5]\d\b")


@pytest.mark.parametrize("path", ENGLISH, ids=_id)
def test_en_us_times_of_day_are_written_as_us_companies_write_them(path: Path) -> None:
    """Written "7:00 a.m. to 10:00 p.m.", as the SLA Schedule states it, not "7:00–22:00"."""
    for kind, texts in _texts(path).items():
        found = [text[:80] for text in texts if TWENTY_FOUR_HOUR.search(text)]
        assert not found, (kind, found)


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_a_contact_phone_number_never_breaks(path: Path) -> None:
    """The contacts table split "+86 574 5555 / 0162" over two lines."""
    proposal = _checked(path).documents["proposal"]
    for block in iter_blocks(proposal.blocks):
        if isinstance(block, Table) and block.header is not None:
            heads = [inline_text(cell.inlines) for cell in block.header.cells]
            if heads[-1] in ("Phone", "电话"):
                for table_row in block.rows:
                    phone = inline_text(table_row.cells[-1].inlines)
                    assert " " not in phone, phone


def test_en_us_clauses_use_the_defined_business_day_and_typographic_quotes() -> None:
    """The en-US contract defines "Business Day" and writes “…” and ’ (the site
    acceptance clause had "working day" and straight quotes among curly ones). The
    English of a zh-CN contract (``translation``) has its own conventions."""
    found = [
        (where, text[:60])
        for where, text in _english_library_texts()
        if "/clauses/" in where
        and ".translation." not in where
        and (re.search(r"\bworking days?\b", text) or re.search(r"\"|\w'\w", _prose(text)))
    ]
    assert not found


def _prose(text: str) -> str:
    """Library text without its template code (whose strings are quoted)."""
    return re.sub(r"\{[{%].*?[%}]\}", "", text, flags=re.S)


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_a_payback_is_claimed_only_within_the_contract_term(path: Path) -> None:
    """The zh retail proposal told the buyer its investment "pays for itself" in 96.2
    months, on a 12-month contract: a payback beyond the term is not a selling point."""
    from propgen.discovery import value

    checked = _checked(path)
    found = value(checked.plan.record, checked.pricing.tcv)
    proposal = "\n".join(document_paragraphs(checked.documents["proposal"]))
    claimed = "pays for itself" in proposal or "投资可在此期限内收回" in proposal
    term = checked.plan.record.terms.term_months
    fits = found is not None and (not term or found.payback_months <= term)
    assert claimed == fits, (found, term)


@pytest.mark.parametrize(
    "path", [r for r in RECORDS if "zh" in r.name or "bilingual" in r.name], ids=_id
)
def test_a_chinese_contract_names_both_parties_in_full(path: Path) -> None:
    """统一社会信用代码, 住所, 法定代表人 and 开户银行及账号 for both parties: a row the
    record leaves empty is a blank to fill in, not left out (the Huaxin contract had
    neither 甲方's legal representative nor its bank account)."""
    contract = _checked(path).documents["contract"]
    table = next(
        b for b in iter_blocks(contract.blocks) if isinstance(b, Table) and b.role == "parties"
    )
    heads = [inline_text(r.cells[0].inlines).split("\n")[0] for r in table.rows]
    for key in ("统一社会信用代码", "住所", "法定代表人", "开户银行及账号"):
        assert sum(h.startswith(key) for h in heads) == 2, (key, heads)


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_running_text_has_no_line_break_from_a_multi_line_address(path: Path) -> None:
    """The notices clause broke "4400 Riverside Parkway / Dayton, OH" mid-sentence: an
    address written over lines reads as one line in running text."""
    from propgen.document import LineBreak, Paragraph

    address = _checked(path).plan.record.customer.address or ""
    first = address.strip().splitlines()[0].strip() if address.strip() else ""
    for kind, document in _checked(path).documents.items():
        for block in iter_blocks(document.blocks):
            if isinstance(block, Paragraph) and first:
                text = inline_text(block.inlines)
                broken = any(isinstance(i, LineBreak) for i in block.inlines)
                assert not (first in text and broken), (kind, text[:120])


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_every_item_of_the_scope_list_ends_as_its_neighbours_do(path: Path) -> None:
    """A module without a description printed "（五）ERP 集成" with no full stop among
    items that end in one."""
    from propgen.document import BulletList, OrderedList

    contract = _checked(path).documents["contract"]
    scope = next(
        b
        for b in iter_blocks(contract.blocks)
        if isinstance(b, Section) and b.source_id == "scope-of-services"
    )
    for block in iter_blocks(scope.blocks):
        if isinstance(block, BulletList | OrderedList):
            for item in block.items:
                text = "".join(
                    inline_text(b.inlines) for b in item.blocks if hasattr(b, "inlines")
                ).strip()
                assert text.endswith((".", "。", "；", ";")), text


@pytest.mark.parametrize("path", ENGLISH, ids=_id)
def test_an_english_document_offers_no_chinese_material(path: Path) -> None:
    """A Nebraska distributor was offered walkthroughs "in English and Chinese": text
    written for the Chinese samples, not for the customer."""
    for kind, texts in _texts(path).items():
        found = [text[:80] for text in texts if re.search(r"\bChinese\b", text)]
        assert not found, (kind, found)


def _quoted_words(node: object) -> set[str]:
    """The words of a record's values that hold a straight quote (printed as written)."""
    if isinstance(node, dict):
        return {w for value in node.values() for w in _quoted_words(value)}
    if isinstance(node, list):
        return {w for value in node for w in _quoted_words(value)}
    if isinstance(node, str):
        return set(re.findall(r"\S*[\"']\S*", node))
    return set()


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_library_quotes_print_curly_and_values_as_written(path: Path) -> None:
    """US typesetting (and Chinese) prints “…” ‘…’ and it’s: the proposals' library text
    had straight quotes where the contracts had curly ones. A needs value prints as
    written (an inch mark stays an inch mark), so its words are set aside."""
    own = sorted(_quoted_words(yaml.safe_load(path.read_text(encoding="utf-8"))), key=len)
    for kind, texts in _texts(path).items():
        for text in texts:
            for word in reversed(own):
                text = text.replace(word, "")
            found = re.search(r"[\"']", text)
            assert found is None, (kind, text[max(0, found.start() - 60) : found.end() + 30])


def test_markdown_curls_quotes_but_replaces_nothing_else() -> None:
    """Only markdown-it's smartquotes: "(c)" stays (its ``replacements`` rule would make
    it ©), as do "--", a code span's quotes and an escaped value's quotes."""
    from propgen.markdown import parse_markdown
    from propgen.templating import escape_markdown

    value = str(escape_markdown("12\" pipe, O'Brien"))
    (paragraph,) = parse_markdown(f"The \"Site\" and the Customer's (c) -- `a'b` {value}")
    assert isinstance(paragraph, Paragraph)
    assert inline_text(paragraph.inlines) == (
        "The “Site” and the Customer’s (c) -- a'b 12\" pipe, O'Brien"
    )


HOSTING = re.compile(
    r"托管服务每日|云平台已通过|异地备份|数据中心及分包商|主中心与灾备中心"
    r"|Hosted services are backed up|Hosting jurisdiction|data centers and subcontractors"
    r"|托管的服务按月统计|月度可用性|密钥统一托管|Monthly availability|hosted by .* is measured"
    r"|managed key service|monthly availability falls"
)


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_an_on_premises_proposal_promises_no_hosting(path: Path, tmp_path: Path) -> None:
    """Deployment drives the proposal as it drives the contract: the zh bank proposal
    of an on-premises deal described hosted daily off-site backups, a certified cloud
    platform, "our" primary and recovery data centres, keys in our custody and service
    credits for a hosted availability the contract does not promise. Every record is checked as
    an on-premises deal; the seller-hosted texts stay for the others."""
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    hosted = [t for t in _texts(path).get("proposal", []) if HOSTING.search(t)]
    record.setdefault("solution", {})["deployment"] = "on-premises"
    moved = tmp_path / path.name
    moved.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    document = check(moved, allow_draft=True).documents.get("proposal")
    texts = document_paragraphs(document) if document is not None else []
    assert not [t[:80] for t in texts if HOSTING.search(t)]
    if record.get("document", {}).get("industry") == "financial-services":
        on_site = [t for t in texts if re.search(r"自有数据中心|your own data center", t)]
        assert on_site, "the on-premises texts are used"
        if _checked(path).plan.record.deployment == "seller-hosted":
            assert hosted, "the seller-hosted texts stay for a hosted deal"


def _sells(path: Path, kind: str) -> bool:
    return any(line.kind == kind for line in _checked(path).pricing.lines)


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_a_contract_names_the_hardware_it_sells(path: Path) -> None:
    """The manufacturing contract supplied edge gateways under the title "Master
    Services Agreement" / 软件许可及技术服务合同 and recitals about software and
    subscriptions; the title and the recitals now say what the deal sells."""
    checked = _checked(path)
    contract = checked.documents.get("contract")
    if contract is None:
        return
    hardware = _sells(path, "hardware")
    titled = re.search(r"Equipment Purchase|设备采购", contract.meta.title) is not None
    assert titled == hardware, contract.meta.title
    recitals = next(
        b
        for b in iter_blocks(contract.blocks)
        if isinstance(b, Section) and b.source_id == "recitals"
    )
    first = " ".join(document_paragraphs(replace(contract, blocks=(recitals,))))
    assert (re.search(r"equipment|硬件设备", first) is not None) == hardware, first
    if _sells(path, "license-perpetual"):
        assert re.search(r"software licenses|软件产品|software products", first), first
    if not any(line.kind for line in checked.pricing.lines):
        # a record silent on kinds: nothing is claimed that the deal may not sell
        silent = r"the software and related|软件产品及相关服务|software products and related"
        assert re.search(silent, first), first


def _lists(blocks: tuple[Block, ...]) -> list[tuple[str, int, int]]:
    """Every ordered or bulleted list in ``blocks``, nested ones too, in order:
    (numbering, start, items)."""
    from propgen.document import BulletList, OrderedList

    found: list[tuple[str, int, int]] = []
    for block in iter_blocks(blocks):
        if isinstance(block, OrderedList):
            found.append((block.numbering, block.start, len(block.items)))
        elif isinstance(block, BulletList):
            found.append(("bullet", 1, len(block.items)))
    return found


CORRESPONDING = {"cjk-paren": "paren-lower-alpha", "decimal": "decimal"}
CORRESPONDING["paren-decimal"] = "paren-lower-roman"


def test_bilingual_columns_number_the_same_list_items_alike() -> None:
    """The Chinese column numbers items （一）（二）… as PRC contracts do; the English
    column beside it numbered none (bullets), so "item (2)" had nothing to point at.
    It now numbers the same items (a), (b) … (and 1., (i) below them), row for row."""
    contract = _checked(ROOT / "samples" / "manufacturing.bilingual.yaml").documents["contract"]
    rows = [b for b in iter_blocks(contract.blocks) if isinstance(b, Parallel)]
    compared = 0
    for row in rows:
        zh, en = (_lists(column.blocks) for column in row.columns)
        assert [(CORRESPONDING.get(n, n), s, c) for n, s, c in zh] == en, (zh, en)
        compared += len(zh)
    assert compared >= 5 and not any(
        n == "bullet" for row in rows for n, _, _ in _lists(row.columns[1].blocks)
    )


@pytest.mark.parametrize("path", ENGLISH, ids=_id)
def test_en_us_documents_say_business_days_and_spell_small_counts(path: Path) -> None:
    """A US proposal promised set-up "within five working days" while its contract
    counts Business Days, and measured success "by the 2 benefits": US prose says
    business days and spells a count under ten."""
    values = _record_strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    for kind, texts in _texts(path).items():
        library_text = [_without(values, text) for text in texts]
        found = [
            text[:80]
            for text in library_text
            if re.search(r"\bworking days?\b|\bthe [0-9] benefits?\b", text, re.IGNORECASE)
        ]
        assert not found, (kind, found)


def _record_strings(node: object) -> list[str]:
    """Every line of a record's text values, longest first (printed as written)."""
    if isinstance(node, dict):
        found = [s for value in node.values() for s in _record_strings(value)]
    elif isinstance(node, list):
        found = [s for value in node for s in _record_strings(value)]
    elif isinstance(node, str):
        found = [line.strip() for line in node.splitlines() if len(line.strip()) > 8]
    else:
        found = []
    return sorted(set(found), key=len, reverse=True)


def _without(values: list[str], text: str) -> str:
    for value in values:
        text = text.replace(value, "")
    return text


@pytest.mark.parametrize("path", ENGLISH, ids=_id)
def test_en_us_contracts_use_defined_terms_as_defined(path: Path) -> None:
    """ "contract year" was used undefined (bank exit and audit clauses, retail peak
    periods) and "priority 1" beside the SLA Schedule's "Priority 1": a defined term is
    defined and written as defined."""
    contract = _checked(path).documents.get("contract")
    if contract is None:
        return
    text = "\n".join(document_paragraphs(contract))
    assert not re.search(r"\bcontract years?\b|\bpriority [123]\b", text), re.findall(
        r".{40}(?:contract year|priority [123]).{20}", text
    )
    if "Contract Year" in text:
        assert "“Contract Year” means" in text


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_a_tax_column_names_every_rate_it_sums(path: Path) -> None:
    """The zh manufacturing contract's year summary headed its tax column "税额（13%）"
    over amounts taxed at 6% and 13%: a column of tax names every rate in it."""
    checked = _checked(path)
    rates = {group.rate for group in checked.pricing.taxes}
    if len(rates) < 2:
        return
    for document in checked.documents.values():
        for table in (b for b in iter_blocks(document.blocks) if isinstance(b, Table)):
            for cell in table.header.cells if table.header else ():
                text = inline_text(cell.inlines)
                if re.match(r"税额（|Tax \(", text):
                    named = {int(n) for n in re.findall(r"(\d+)%", text)}
                    assert named == {int(r) for r in rates}, text


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_case_studies_are_shown_only_where_they_fit(path: Path) -> None:
    """A convenience-store chain and a restaurant chain read an auto-parts MES and a
    freight forwarder presented as "similar in kind" / "与本项目性质相近": the library's
    cases fit a manufacturer's project only, and elsewhere the section is left out."""
    checked = _checked(path)
    texts = " ".join(document_paragraphs(checked.documents["proposal"]))
    shown = re.search(r"Harborline|恒锐汽车|驿达供应链", texts) is not None
    assert shown == (checked.plan.industry.id == "manufacturing"), checked.plan.industry.id


@pytest.mark.parametrize("path", ENGLISH, ids=_id)
def test_a_us_contract_states_each_partys_entity_and_signatory(path: Path) -> None:
    """Northwind's contract named the Customer with no entity type and no signatory
    (the record is silent): a US contract has both rows, blank to fill in if need be."""
    contract = _checked(path).documents.get("contract")
    if contract is None:
        return
    parties = next(
        b
        for b in iter_blocks(contract.blocks)
        if isinstance(b, Section) and b.source_id == "parties"
    )
    table = next(b for b in iter_blocks(parties.blocks) if isinstance(b, Table))
    labels = [inline_text(row.cells[0].inlines) for row in table.rows]
    customer = labels[: labels.index("Supplier")]
    assert "Entity" in customer and "Authorized signatory" in customer, customer
    # the Supplier is described alike: its entity as an entity, not as a registration
    supplier = labels[labels.index("Supplier") :]
    assert "Entity" in supplier and "Authorized signatory" in supplier, supplier
    values = {inline_text(r.cells[0].inlines): inline_text(r.cells[1].inlines) for r in table.rows}
    assert "corporation" not in values.get("Registration no.", ""), values


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_a_parties_table_prints_an_address_on_one_line(path: Path) -> None:
    """The US MES contract's parties table read "4400 Riverside Parkway Dayton, OH …":
    the record's two address lines ran together without the comma between them."""
    contract = _checked(path).documents.get("contract")
    if contract is None:
        return
    tables = [b for b in iter_blocks(contract.blocks) if isinstance(b, Table)]
    parties = next(t for t in tables if t.role == "parties")
    for row in parties.rows:
        if inline_text(row.cells[0].inlines) in {"Address", "住所", "地址"}:
            address = inline_text(row.cells[1].inlines)
            assert "\n" not in address, address
            assert not re.search(r"[A-Za-z] [A-Z][a-z]+, [A-Z]{2} \d{5}", address) or (
                ", " in address.split(" ", 3)[-1]
            ), address
    record = _checked(path).plan.record
    if record.customer.address and "\n" in record.customer.address.strip():
        first, second = record.customer.address.strip().splitlines()[:2]
        text = "\n".join(document_paragraphs(contract))
        assert f"{first.strip()}, {second.strip()}" in text or record.document.locale.startswith(
            "zh"
        )


SPELLED_COUNT = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|sixty|ninety)[ -](?:consecutive )?(?:Business Days?|business days?|days?|"
    r"weeks?|months?|years?|hours?|minutes?|calendar months?)\b"
)
LIBRARY_CLAUSES = sorted(
    [
        *(ROOT / "snippets" / "clauses").glob("*.yaml"),
        *ROOT.glob("templates/industry/*/clauses/*.yaml"),
    ]
)


LIBRARY_SECTIONS = sorted(
    [
        *(ROOT / "snippets" / "sections").glob("*.yaml"),
        *ROOT.glob("templates/industry/*/sections/*.yaml"),
    ]
)


@pytest.mark.parametrize("path", LIBRARY_SECTIONS, ids=lambda p: p.stem)
def test_english_proposals_write_periods_as_the_contract_does(path: Path) -> None:
    """The US proposals promised maintenance "announced at least five business days in
    advance" and FAT scripts "agreed at least ten business days in advance" where their
    contracts say "5 Business Days" and "10 Business Days": one term, stated alike in
    both documents, so the proposal's sections write periods in figures too."""
    section = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts = [section.get("text", {}).get("en-US", "")]
    texts += [v.get("en-US", "") for v in section.get("variants", {}).values()]
    found = [m.group(0) for text in texts if text for m in SPELLED_COUNT.finditer(text)]
    assert not found, found


@pytest.mark.parametrize("path", LIBRARY_CLAUSES, ids=lambda p: p.stem)
def test_english_clauses_write_periods_in_figures(path: Path) -> None:
    """The US MES contract gave the Customer "5 Business Days" to check the hardware
    (clause 6) and "five Business Days" to answer a site acceptance test (clause 7), and
    defined a Contract Year as "twelve months" beside "12 months" everywhere else: a US
    contract writes every period in figures, so like periods read alike."""
    clause = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts = [clause.get("text", {}).get("en-US", "")]
    texts += [p.get("text", {}).get("en-US", "") for p in clause.get("positions", {}).values()]
    found = [m.group(0) for text in texts if text for m in SPELLED_COUNT.finditer(text)]
    assert not found, found


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_no_heading_swallows_the_paragraph_after_it(path: Path) -> None:
    """The US proposals' executive summary printed "What success looks likeSuccess is
    measured by the three benefits …" as one heading: a template's whitespace control
    ate the blank line after the heading. A heading is a title, never a sentence."""
    for kind, document in _checked(path).documents.items():
        for block in iter_blocks(document.blocks):
            if isinstance(block, Heading):
                text = inline_text(block.inlines)
                assert not re.search(r"[a-z][A-Z][a-z]|[.。]$", text), (kind, text)


ESTIMATE_IN_CENTS = re.compile(
    r"about \**[$¥€][\d,]+\.\d\d|[(（]每?[年月]?[$¥€][\d,]+\.\d\d (?:per|a)\b"
)


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_estimates_are_stated_in_whole_units(path: Path) -> None:
    """The US bank proposal said discovery's problems cost "about $2,100,000.00 a year"
    and its impact table "($2,100,000.00 per year)": an estimate in cents claims a
    precision it does not have; estimates are whole units ("about $2,100,000")."""
    for kind, texts in _texts(path).items():
        found = [m.group(0) for t in texts for m in ESTIMATE_IN_CENTS.finditer(t)]
        assert not found, (kind, found)


def test_an_estimate_rounds_half_up_to_whole_units() -> None:
    from decimal import Decimal

    from propgen.locale import Formatter

    assert Formatter("en-US", "USD").estimate(Decimal("2100000.50")) == "$2,100,001"
    assert Formatter("en-US", "USD").estimate(Decimal("2100000.49")) == "$2,100,000"
    assert Formatter("zh-CN", "CNY").estimate(Decimal("1234.5")) == "¥1,235"


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_a_perpetual_licence_is_named_as_the_price_list_names_it(path: Path) -> None:
    """The US MES contract read "the right to use MES platform license, per plant
    (perpetual), licensed on a perpetual basis, is perpetual", and the bilingual English
    "MES 平台软件许可（永久）/ MES platform license (perpetual) is a perpetual license":
    a line item's name used as if it were the software. English clauses name the line
    item of the price annex, in quotes."""
    checked = _checked(path)
    names = [
        line.name
        for line in checked.pricing.lines
        if line.kind == "license-perpetual" and not line.optional
    ]
    contract = checked.documents.get("contract")
    if contract is None or not names:
        return
    text = "\n".join(document_paragraphs(contract))
    english = re.search(r"[A-Za-z]{4}", text) is not None and (
        not checked.plan.record.document.locale.startswith("zh")
        or checked.plan.record.document.languages
    )
    if english:
        assert f"“{names[0]}”" in text, names
        assert not re.search(r"right to use [^“\n]{0,40}, licensed on a perpetual basis", text)
        assert f"{names[0]} is a perpetual license" not in text


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_a_notice_clause_names_its_addressee_once(path: Path) -> None:
    """The bilingual English read "shall notify the other Party by giving the other
    Party 5 days’ prior written notice": the term's wording repeated the clause's."""
    for kind, texts in _texts(path).items():
        for text in texts:
            found = re.search(r"notify the other [Pp]arty by giving the other [Pp]arty", text)
            assert found is None, (kind, text[:120])


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_the_warranty_speaks_of_a_subscription_only_where_one_is_sold(path: Path) -> None:
    """The US MES contract, which sells perpetual licences and no subscription, extended
    its software warranty "for Software provided on a subscription basis, throughout the
    subscription term": text about nothing the deal sells. A record that states no line
    kinds keeps the general wording."""
    checked = _checked(path)
    kinds = {item.kind for item in checked.plan.record.pricing.items}
    contract = "\n".join(_texts(path).get("contract", []))
    if "subscription" in kinds or kinds == {None}:
        return
    assert "subscription basis" not in contract and "provided by subscription" not in contract
    assert "以订阅方式提供的软件" not in contract


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_the_indemnity_speaks_of_perpetual_licenses_only_where_one_is_sold(path: Path) -> None:
    """The US retail, bank and SaaS contracts, which sell no perpetual license, refunded
    an infringing item "(or, for perpetual licenses, the license fee less one-fifth for
    each year since delivery)": text about nothing the deal sells. A record that states
    no line kinds keeps the general wording."""
    checked = _checked(path)
    lines = checked.pricing.lines
    perpetual = [ln for ln in lines if ln.kind == "license-perpetual" and not ln.optional]
    contract = "\n".join(_texts(path).get("contract", []))
    if "refund the prepaid Fees for the unexpired period" not in contract:
        return
    stated = "for perpetual licenses, the license fee less one-fifth" in contract
    assert stated == bool(perpetual or not [ln for ln in lines if ln.kind]), perpetual


SPELLED_AND_FIGURE_RANGE = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine) (?:to|or) [0-9]+\b"
    r"|\b[0-9]+ (?:to|or) (?:one|two|three|four|five|six|seven|eight|nine)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("path", ENGLISH, ids=_id)
def test_en_us_ranges_write_both_ends_alike(path: Path) -> None:
    """Every US proposal asked for key users "typically one to 2 days a week", and the
    US MES proposal ran its pilot for "two to 4 weeks": the two ends of a range are
    written the same way (periods in figures, as the proposals write them)."""
    for kind, texts in _texts(path).items():
        found = [m.group(0) for t in texts for m in SPELLED_AND_FIGURE_RANGE.finditer(t)]
        assert not found, (kind, found)


@pytest.mark.parametrize("path", ENGLISH, ids=_id)
def test_a_proposal_names_the_data_processing_terms_as_its_contract_does(path: Path) -> None:
    """The US proposals promised "a data processing agreement that lists our
    sub-processors" where their contracts sign "the Supplier's data processing addendum"
    and speak of "subprocessors": one document, one name."""
    texts = _texts(path)
    contract = "\n".join(texts.get("contract", []))
    proposal = "\n".join(texts.get("proposal", []))
    if "data processing addendum" in contract:
        assert "data processing addendum that lists our subprocessors" in proposal
    for kind, text in texts.items():
        assert "sub-processor" not in "\n".join(text), kind


RENEWAL_INCREASE = re.compile(
    r"increase the recurring Fees for a renewal term by no more than ([0-9.]+%) over the Fees"
    r" for the preceding term by giving the Customer written notice at least ([0-9]+ days)"
)


@pytest.mark.parametrize("path", ENGLISH, ids=_id)
def test_a_proposal_states_the_renewal_price_cap_its_contract_grants(path: Path) -> None:
    """The US SaaS proposals said a price change at renewal "is notified in writing well
    before the renewal date" (and said so of subscriptions that do not renew) where the
    contract caps it at 5% on 60 days' notice: the proposal states the contract's cap."""
    texts = _texts(path)
    contract = "\n".join(texts.get("contract", []))
    proposal = "\n".join(texts.get("proposal", []))
    assert "well before the renewal date" not in proposal
    granted = RENEWAL_INCREASE.search(contract)
    if granted is None or "Subscription prices may rise" not in proposal:
        return
    percent, notice = granted.groups()
    stated = f"no more than {percent} over the preceding term, on written notice at least {notice}"
    assert stated in proposal


@pytest.mark.parametrize("path", ENGLISH, ids=_id)
def test_the_proposal_summary_states_the_warranty_the_contract_gives(path: Path) -> None:
    """The US retail proposal summarized "Warranty: 12 months from acceptance" where its
    contract warrants subscription Software throughout the subscription term and the
    Hardware for 12 months after the delivery note is signed: the summary states each
    warranty period the contract gives."""
    texts = _texts(path)
    contract = "\n".join(texts.get("contract", []))
    summary = [t for t in texts.get("proposal", []) if t.startswith("Warranty:")]
    if not summary or not contract:
        return
    subscription = "for Software provided on a subscription basis" in contract
    assert ("throughout the subscription term" in summary[0]) == subscription, summary
    hardware = re.search(r"for ([0-9]+ months?) after the Customer signs the delivery", contract)
    if hardware:
        period = hardware.group(1)
        assert f"for hardware, {period} from signature of the delivery note" in summary[0]
    else:
        assert "for hardware" not in summary[0]


@pytest.mark.parametrize("path", ENGLISH, ids=_id)
def test_a_contract_that_defines_the_start_date_writes_it_as_defined(path: Path) -> None:
    """The US SaaS contract's payment schedule fell due on the "First anniversary of the
    start date" beside its defined “Start Date”: a defined term is written as defined,
    in the record's words too."""
    contract = "\n".join(_texts(path).get("contract", []))
    if "“Start Date”" in contract:
        assert re.search(r"\bstart date\b", contract) is None


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_no_table_has_a_column_blank_in_every_row(path: Path) -> None:
    """The Northwind proposal's "From problem to outcome" listed its two problems beside
    empty Impact, How we solve it and Outcome columns: its discovery links nothing. A
    column blank in every row is dropped, and a table with nothing to trace is left out
    (the understanding section then tells the problems itself)."""
    for kind, document in _checked(path).documents.items():
        for block in iter_blocks(document.blocks):
            if isinstance(block, Table) and block.rows:
                width = len(block.rows[0].cells)
                blank = [
                    c
                    for c in range(width)
                    if all(not inline_text(r.cells[c].inlines).strip() for r in block.rows)
                ]
                header = block.header.cells if block.header else ()
                assert not blank, (kind, [inline_text(c.inlines) for c in header])


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_backup_copies_of_installed_software_only_where_it_is_installed(path: Path) -> None:
    """Hosted contracts let the Customer keep "reasonable backup copies of installed
    Software" (12.3) although nothing is installed at the Customer's."""
    checked = _checked(path)
    contract = "\n".join(_texts(path).get("contract", []))
    if not contract:
        return
    backups = ("backup copies of installed Software", "made for backup purposes", "为备份目的")
    hosted = checked.plan.record.deployment == "seller-hosted"
    assert any(b in contract for b in backups) != hosted, checked.plan.record.deployment
