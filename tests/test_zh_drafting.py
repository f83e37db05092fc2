"""Chinese contracts as a PRC commercial lawyer reads them (issue 12, items 10 and 11),
checked over every Chinese record so that a record not yet seen is held to them too."""

from __future__ import annotations

import functools
import itertools
import re
from pathlib import Path

import pytest
import yaml

from propgen.numerals import CN_NUMERAL
from propgen.pipeline import Checked, check
from support import (
    CHINESE_RECORDS,
    HUAXIN,
    ROOT,
    document_paragraphs,
    record_id,
)

SAMPLES_DIR = ROOT / "samples"


@functools.cache
def _checked(path: Path) -> Checked:
    return check(path, allow_draft=True)


@pytest.mark.parametrize("path", CHINESE_RECORDS, ids=record_id)
def test_a_perpetual_licence_is_named_as_the_annex_names_it(path: Path) -> None:
    """The licence clause names each perpetual licence in quotes, exactly as the price
    annex lists it (“MES 平台软件许可（永久）”), not run into the sentence: the
    bilingual contract printed "…/ MES platform license (perpetual)为永久许可"."""
    checked = _checked(path)
    perpetual = [
        line.name
        for line in checked.plan.record.pricing.items
        if line.kind == "license-perpetual" and not line.optional
    ]
    contract = "\n".join(document_paragraphs(checked.documents["contract"]))
    for name in perpetual:
        assert f"“{name}”" in contract, name
        assert f"{name}为永久许可" not in contract
    if perpetual:
        assert "”为永久许可" in contract


DEFINED = re.compile(r"^([^：，。]{1,16})：指")
"""A term the definitions clause defines: "服务：指……"."""
DEFINED_AGAIN = re.compile(r"以下(?:简称|统称|称)“([^”]+)”")


@pytest.mark.parametrize("path", CHINESE_RECORDS, ids=record_id)
def test_a_term_is_defined_once(path: Path) -> None:
    """A term the definitions clause defines is not defined again in a later clause
    (2.1 said "（以下统称“服务”）" after 1.1 had defined 服务 by pointing at 2.1)."""
    paragraphs = document_paragraphs(_checked(path).documents["contract"])
    defined = {m[1] for p in paragraphs if (m := DEFINED.match(p))}
    assert "服务" in defined
    for paragraph in paragraphs:
        for again in DEFINED_AGAIN.finditer(paragraph):
            assert again[1] not in defined, (again[1], paragraph)


CURRENCY_CODE = re.compile(r"\b(?:USD|EUR|GBP|JPY|HKD|CNY|RMB)\b")


def test_a_converted_price_names_its_currencies_in_chinese(tmp_path: Path) -> None:
    """A zh-CN quote priced in US dollars says 美元 and 人民币 in its prose, as a Chinese
    reader expects, not the ISO codes ("1 USD = 7.1234 CNY")."""
    record = yaml.safe_load((SAMPLES_DIR / "retail.zh-CN.yaml").read_text(encoding="utf-8"))
    record["pricing"] |= {
        "currency": "USD",
        "exchange_rate": {"rate": "7.1234", "as_of": "2027-01-05"},
    }
    path = tmp_path / "retail.usd.zh-CN.yaml"
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    proposal = check(path, allow_draft=True).documents["proposal"]
    assert "单价（美元）" in document_paragraphs(proposal)  # the price column's header
    text = "\n".join(_prose(proposal))
    assert "1美元兑人民币7.1234" in text
    assert "单价以美元列示" in text
    assert CURRENCY_CODE.search(text) is None, CURRENCY_CODE.search(text)


def _prose(document: object) -> list[str]:
    """The text of every heading and paragraph (not table cells)."""
    from propgen.document import Document, Heading, Paragraph, inline_text, iter_blocks

    assert isinstance(document, Document)
    return [
        inline_text(block.inlines)
        for block in iter_blocks(document.blocks)
        if isinstance(block, Heading | Paragraph)
    ]


DELAY = re.compile(
    rf"每逾期一日，乙方应按[^。；]*?的(万分之{CN_NUMERAL})[^。；]*?累计不超过[^。；]*?的(百分之{CN_NUMERAL})"
)
LATE_PAYMENT = re.compile(
    rf"每逾期一日，应按逾期未付金额的(万分之{CN_NUMERAL})[^。；]*?累计不超过[^。；]*?的(百分之{CN_NUMERAL})"
)


@pytest.mark.parametrize("path", CHINESE_RECORDS, ids=record_id)
def test_a_chinese_contract_has_what_prc_companies_put_in_it(path: Path) -> None:
    """签订地点 under the parties, （以下无正文） closing the text before the signatures,
    and remedies that match: 乙方's delay penalty at the rate and cap of 甲方's
    late-payment penalty (a public buyer pays statutory interest instead)."""
    checked = _checked(path)
    texts = document_paragraphs(checked.documents["contract"])
    text = "\n".join(texts)
    assert any(t.startswith("签订地点：") and len(t) > len("签订地点：") for t in texts)
    assert "（以下无正文）" in text
    delay = DELAY.search(text)
    assert delay is not None
    if checked.plan.record.customer.sector != "public":
        late = LATE_PAYMENT.search(text)
        assert late is not None
        assert delay.groups() == late.groups(), (delay.group(), late.group())


def test_a_long_chinese_list_keeps_its_numbers_inside_the_margin(
    rendered_references: dict[Path, Path],
) -> None:
    """（十一） is wider than （十）: a list that reaches it gets the wider indent, so the
    number does not stick out left of the text column (the Huaxin definitions did)."""
    import pdfplumber

    folder = rendered_references[HUAXIN]
    pdf_path = next(folder.glob("*-contract.pdf"))
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            words = page.extract_words()
            eleven = [w for w in words if w["text"].startswith("（十一）")]
            clause = [w for w in words if re.fullmatch(r"1\.2", w["text"])]
            if eleven and clause:
                assert eleven[0]["x0"] >= clause[0]["x0"] - 0.5, (eleven[0], clause[0])
                return
    raise AssertionError("no page with both （十一） and 1.2")


def _section_text(document: object, source_id: str) -> str:
    """The text of every paragraph and table cell of one library section."""
    from propgen.document import Document, Section, iter_blocks

    assert isinstance(document, Document)
    sections = [
        block
        for block in iter_blocks(document.blocks)
        if isinstance(block, Section) and block.source_id == source_id
    ]
    assert sections, source_id
    return "\n".join(
        text
        for section in sections
        for text in document_paragraphs(Document(meta=document.meta, blocks=section.blocks))
    )


@pytest.mark.parametrize("path", CHINESE_RECORDS, ids=record_id)
def test_an_on_premises_proposal_claims_no_hosting_in_its_security_section(path: Path) -> None:
    """A deal that runs in the customer's data centre is not told that the SOC 2 report
    covers our 托管服务 (the retail, manufacturing and bank proposals were); a hosted
    deal still is."""
    checked = _checked(path)
    security = _section_text(checked.documents["proposal"], "security")
    if checked.plan.record.deployment == "on-premises":
        assert "托管" not in security, security
        assert "ISO/IEC 27001:2022" in security
    elif checked.plan.record.deployment == "seller-hosted":
        assert "覆盖托管服务" in security


@pytest.mark.parametrize("path", CHINESE_RECORDS, ids=record_id)
def test_a_proposal_calls_the_customer_as_it_addresses_it_not_jiafang(path: Path) -> None:
    """The proposal speaks to 贵司/贵行/贵单位 throughout; its summary of terms said
    "通知甲方" and "甲方可以……解除合同", a party name only the contract defines. 甲方
    stays only on the confirmation page's signature labels (“甲方（盖章）”)."""
    checked = _checked(path)
    texts = document_paragraphs(checked.documents["proposal"])
    you = checked.plan.record.customer.you
    assert you in "\n".join(texts)
    terms = checked.plan.record.terms
    quoted = [v for v in (terms.dispute_resolution, terms.governing_law) if v]  # record text
    stray = [
        t
        for t in texts
        if "甲方" in t and not t.startswith("甲方（") and not any(v in t for v in quoted)
    ]
    assert not stray, stray


def test_a_chinese_cover_title_leaves_no_character_alone_on_its_last_line(
    rendered_samples: Path,
) -> None:
    """The retail proposal's cover read "关于邻里鲜便利零售解决方案的建议" over a second
    line holding only "书". A title ending in Chinese keeps its last three characters
    together, so every wrapped title's last line holds at least three."""
    import pdfplumber

    wrapped = 0
    for pdf_path in sorted(rendered_samples.glob("*.pdf")):
        with pdfplumber.open(pdf_path) as pdf:
            title = re.sub(r"\s+", "", str(pdf.metadata.get("Title", "")))
            if not re.search(r"[\u3400-\u9fff]$", title):
                continue
            lines = [re.sub(r"\s+", "", line) for line in pdf.pages[0].extract_text().splitlines()]
        for first, second in itertools.pairwise(lines):
            if first and second and first + second == title:
                wrapped += 1
                assert len(second) >= 3, (pdf_path.name, first, second)
    assert wrapped >= 1  # the samples hold at least one wrapped Chinese title


@pytest.mark.parametrize("path", CHINESE_RECORDS, ids=record_id)
def test_the_case_studies_claim_likeness_only_for_a_case_that_is_alike(path: Path) -> None:
    """A manufacturer's proposal called a freight forwarder's quoting platform "与本项目
    性质相近" alongside an auto-parts MES. The introduction says which case is alike
    (同为……MES) and what the other one shows, and calls neither of them alike wholesale."""
    proposal = _checked(path).documents["proposal"]
    from propgen.document import Section, iter_blocks

    if not any(
        isinstance(b, Section) and b.source_id == "case-studies"
        for b in iter_blocks(proposal.blocks)
    ):
        return  # no case fits this industry: the section is left out
    text = _section_text(proposal, "case-studies")
    assert "性质相近" not in text, text
    assert "同为" in text and "驿达供应链项目体现了" in text


HARDWARE_WARRANTY = re.compile(r"硬件的质量保证期为自甲方在送货单上签字确认之日起([^。]+?)。")


@pytest.mark.parametrize("path", CHINESE_RECORDS, ids=record_id)
def test_the_terms_summary_states_the_hardware_warranty_the_contract_gives(path: Path) -> None:
    """The retail and manufacturing contracts warrant hardware from signature of the
    送货单; the proposal's 主要商务条款 said only "自验收合格之日起……". It now states the
    hardware period from the same start and of the same length."""
    checked = _checked(path)
    contract = "\n".join(document_paragraphs(checked.documents["contract"]))
    summary = _section_text(checked.documents["proposal"], "terms-summary")
    hardware = HARDWARE_WARRANTY.search(contract)
    if hardware is None or checked.plan.record.terms.warranty_months is None:
        assert "送货单" not in summary
        return
    you = checked.plan.record.customer.you
    assert f"硬件自{you}在送货单上签字确认之日起{hardware[1]}" in summary, summary


EXIT_PLAN = re.compile(r"自本合同生效之日起([^，。]+?日)内向甲方提交书面退出计划")


@pytest.mark.parametrize("path", CHINESE_RECORDS, ids=record_id)
def test_the_exit_plan_is_due_when_the_contract_says(path: Path) -> None:
    """The bank proposal promised the exit plan "合同签署后九十天内", its contract
    "自本合同生效之日起九十日内": one deadline, from the same day, in the same words."""
    checked = _checked(path)
    contract = "\n".join(document_paragraphs(checked.documents["contract"]))
    proposal = "\n".join(document_paragraphs(checked.documents["proposal"]))
    due = EXIT_PLAN.search(contract)
    if due is None:
        assert "退出计划" not in proposal
        return
    assert f"自合同生效之日起{due[1]}内，我司提交书面退出计划" in proposal
