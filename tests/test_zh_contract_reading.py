"""The Chinese contracts read page by page as a PRC commercial lawyer drafting for 甲方
reads them (issue 12): what that read found, each checked over every Chinese record
(samples, fixtures, industry samples, the bilingual contract) so that a record not yet
seen is held to it too."""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from pathlib import Path

import pytest

from propgen.document import Document, Heading, Paragraph, Section, Table, inline_text, iter_blocks
from propgen.locale import Formatter
from propgen.pipeline import Checked, check
from support import (
    CHINESE_RECORDS,
    FIXTURES,
    INDUSTRY_SAMPLES,
    SAMPLES,
    document_paragraphs,
    record_id,
    record_locale,
)


@functools.cache
def _checked(path: Path) -> Checked:
    return check(path, allow_draft=True)


def _contract(path: Path) -> Document:
    contract = _checked(path).documents["contract"]
    assert isinstance(contract, Document)
    return contract


def _prose(document: Document) -> list[str]:
    """Every heading and paragraph (not table cells, which carry the record's own
    names: a payment milestone called 质保期满 is the customer's wording)."""
    return [
        inline_text(block.inlines)
        for block in iter_blocks(document.blocks)
        if isinstance(block, Heading | Paragraph)
    ]


def _clause(document: Document, source_id: str) -> list[str]:
    """The paragraphs of one library clause or section."""
    sections = [
        block
        for block in iter_blocks(document.blocks)
        if isinstance(block, Section) and block.source_id == source_id
    ]
    assert sections, source_id
    return [
        inline_text(block.inlines)
        for section in sections
        for block in iter_blocks(section.blocks)
        if isinstance(block, Paragraph)
    ]


def _sells(path: Path, kind: str) -> bool:
    return any(line.kind == kind and not line.optional for line in _checked(path).pricing.lines)


def _zh(texts: list[str]) -> list[str]:
    """The Chinese texts of a document (a bilingual contract also has English ones)."""
    return [t for t in texts if re.search(r"[\u4e00-\u9fff]", t)]


POINTS_BACK = re.compile(r"上述([\u4e00-\u9fff]{2})")


@pytest.mark.parametrize("path", CHINESE_RECORDS, ids=record_id)
def test_the_recitals_point_back_only_at_what_they_have_named(path: Path) -> None:
    """The bank contract's first recital buys 技术服务 and the second said 乙方
    "具备提供上述产品及实施……服务的能力": 上述产品 pointed at nothing. Whatever a recital
    calls 上述 is named in a recital before it."""
    recitals = _zh(_clause(_contract(path), "recitals"))
    for n, recital in enumerate(recitals):
        for back in POINTS_BACK.finditer(recital):
            before = "".join(recitals[:n]) + recital[: back.start()]
            assert back[1] in before, (back[0], recitals[: n + 1])


@pytest.mark.parametrize("path", CHINESE_RECORDS, ids=record_id)
def test_a_contract_that_sells_hardware_says_so_where_it_states_its_subject(
    path: Path,
) -> None:
    """The retail and manufacturing contracts sell hardware (476 POS terminals, 14
    gateways) under a 第六条 on delivery and title, yet 2.1 said 乙方 provides
    "软件及相关技术服务" and 合同价款 was what 甲方 pays "为取得服务" — a price that,
    read with the definition of 服务, left the hardware out. The subject names the
    hardware, and the price is everything the contract makes payable."""
    contract = _contract(path)
    scope = _zh(_clause(contract, "scope-of-services"))[0]
    assert ("硬件设备" in scope) == _sells(path, "hardware"), scope
    definitions = "\n".join(_zh(_clause(contract, "definitions")))
    price = re.search(r"合同价款：指([^。]+)。", definitions)
    assert price is not None, definitions
    assert price[1].endswith("甲方根据本合同应当支付的全部款项"), price[0]


REFUND = "退还甲方已预付但尚未提供服务部分的价款"
PERPETUAL_REFUND = (
    "永久许可按自交付之日起每满一年扣减五分之一",
    "for perpetual licenses, the refund",
)


@pytest.mark.parametrize("path", CHINESE_RECORDS, ids=record_id)
def test_the_indemnity_refunds_perpetual_licences_only_where_one_is_sold(path: Path) -> None:
    """The SaaS, bank and public contracts sell no perpetual licence, yet their
    indemnity refunded "（永久许可按自交付之日起每满一年扣减五分之一的方式计算退款）"
    (the English contracts had stopped doing so). In Chinese and in the bilingual
    English alike, the proviso stands only where a perpetual licence is sold, or where
    the record states no kinds and may sell one."""
    checked = _checked(path)
    indemnity = "\n".join(_clause(_contract(path), "indemnities"))
    assert REFUND in indemnity
    lines = checked.pricing.lines
    expected = _sells(path, "license-perpetual") or not any(line.kind for line in lines)
    for wording in PERPETUAL_REFUND:
        if wording.isascii() and record_locale(path) != "bilingual":
            continue
        assert (wording in indemnity) == expected, (wording, expected)


CJK = "[\u4e00-\u9fff]"
EITHER = re.compile(rf"({CJK}{{2}})或者({CJK}{{2}})")


@pytest.mark.parametrize("path", CHINESE_RECORDS, ids=record_id)
def test_a_chinese_contract_writes_each_alternative_one_way(path: Path) -> None:
    """The contract writes 或者 between legal alternatives ("解除或者终止", "返还或者
    销毁"), except that 4.3 wrote "截至解除或终止之日" and "返还或销毁" one sentence
    after "本合同解除或者终止的": the same pair of terms in two forms reads as two
    things. A pair the contract writes with 或者 is never also written with 或."""
    text = "\n".join(_zh(document_paragraphs(_contract(path))))
    pairs = {f"{a}或{b}" for a, b in EITHER.findall(text)}
    both = sorted(p for p in pairs if p in text)
    assert not both, both


PRECEDENCE = re.compile(r"按照以下顺序优先适用：([^。]+)。")
ANNEX = re.compile(r"(附件[一二三四五六七八九十]+)《([^》]+)》")


@pytest.mark.parametrize("path", CHINESE_RECORDS, ids=record_id)
def test_nothing_is_ranked_that_is_not_part_of_the_contract(path: Path) -> None:
    """The order of precedence ranked the proposal among "本合同各组成部分", though 1.1
    defines 本合同 as 正文, 附件 and 变更单 and the proposal is not attached. Every part
    ranked is the body, a change order or an annex the contract carries under that
    name."""
    contract = _contract(path)
    prose = "\n".join(_zh(_prose(contract)))
    ranked = PRECEDENCE.search(prose)
    assert ranked is not None
    headings = {
        re.sub(r"\s+", "", inline_text(b.inlines))
        for b in iter_blocks(contract.blocks)
        if isinstance(b, Heading)
    }
    for part in re.split(r"、(?![^（]*）)", ranked[1]):
        if part in ("本合同正文",) or part.startswith("经双方签署的变更单"):
            continue
        annex = ANNEX.fullmatch(part)
        assert annex is not None, part
        assert any(h.startswith(annex[1]) and annex[2] in h for h in headings), part


BARE_ABBREVIATION = re.compile(r"（“[^”]+”）")


@pytest.mark.parametrize("path", CHINESE_RECORDS, ids=record_id)
def test_an_abbreviation_is_introduced_as_the_contract_introduces_the_others(
    path: Path,
) -> None:
    """The contract introduces a short name as "（以下简称“验收期”）"; the site
    acceptance clause wrote "出厂验收测试（“FAT”）", an English habit."""
    for text in _zh(_prose(_contract(path))):
        found = BARE_ABBREVIATION.search(text)
        assert found is None, text[max(0, found.start() - 30) : found.end()]


@pytest.mark.parametrize("path", CHINESE_RECORDS, ids=record_id)
def test_the_warranty_period_has_one_name(path: Path) -> None:
    """第八条 defines the 质量保证期; the site acceptance clause then started "第八条
    项下的质保期" at each site's acceptance. One term, one name."""
    prose = "\n".join(_zh(_prose(_contract(path))))
    assert "质量保证期" in prose
    assert "质保期" not in prose, prose[prose.find("质保期") - 40 : prose.find("质保期") + 10]


@pytest.mark.parametrize("path", CHINESE_RECORDS, ids=record_id)
def test_quoted_items_in_a_series_take_no_enumeration_comma(path: Path) -> None:
    """GB/T 15834-2011 4.5.3.5: items each in quotation marks or title marks are not
    separated by 顿号. The contracts list the laws as 《……》《……》 but named two
    perpetual licences as “……”、“……”."""
    for kind, document in _checked(path).documents.items():
        for text in _zh(document_paragraphs(document)):
            assert "”、“" not in text and "》、《" not in text, (kind, text)


@pytest.mark.parametrize("path", CHINESE_RECORDS, ids=record_id)
def test_a_count_of_months_in_a_price_table_takes_its_measure_word(path: Path) -> None:
    """The SaaS and bank price annexes priced an item at "1 月" — January, to a Chinese
    reader. A quantity in months reads "1 个月"."""
    lines = [line for line in _checked(path).pricing.lines if line.unit == "月"]
    contract = _contract(path)
    cells = [
        inline_text(cell.inlines)
        for table in iter_blocks(contract.blocks)
        if isinstance(table, Table)
        for row in table.rows
        for cell in row.cells
    ]
    assert not [c for c in cells if re.fullmatch(r"[\d,.]+ ?月", c)]
    for line in lines:
        if line.quantity is not None and not line.ramped:
            assert f"{line.quantity.normalize():f} 个月" in cells, line.name


def test_a_chinese_quantity_keeps_its_unit_and_counts_months() -> None:
    fmt = Formatter("zh-CN", "CNY")
    assert fmt.quantity(Decimal(1), "月") == "1 个月"
    assert fmt.quantity(Decimal(12), "月") == "12 个月"
    assert fmt.quantity(Decimal(186), "店·月") == "186 店·月"
    assert fmt.quantity(Decimal(150), "人天") == "150 人天"
    assert Formatter("en-US", "USD").quantity(Decimal(2), "month") == "2 months"


@pytest.mark.parametrize("path", CHINESE_RECORDS, ids=record_id)
def test_an_on_premises_contract_leaves_backups_to_the_customer_throughout(
    path: Path,
) -> None:
    """The bank, retail and manufacturing systems run in 甲方's data centre, and the
    service-level clause says "数据备份由甲方负责"; the data clause still bound 乙方 to
    数据备份与灾难恢复 and force majeure to "启用其应当维持的数据备份". A hosted deal
    keeps both."""
    checked = _checked(path)
    prose = "\n".join(_zh(_prose(_contract(path))))
    on_premises = checked.plan.record.deployment == "on-premises"
    assert ("数据备份由甲方负责" in prose) == on_premises
    for duty in ("数据备份与灾难恢复", "乙方启用其应当维持的数据备份"):
        assert (duty in prose) != on_premises, duty


@pytest.mark.parametrize("path", CHINESE_RECORDS, ids=record_id)
def test_the_contract_year_it_counts_by_is_defined(path: Path) -> None:
    """The bank contract limits audits to one "每一合同年度", the retail contract peak
    periods to three, and every multi-year annex sums fees by 合同年度; 1.1 never said
    when a 合同年度 starts."""
    contract = "\n".join(_zh(document_paragraphs(_contract(path))))
    definitions = "\n".join(_zh(_clause(_contract(path), "definitions")))
    if "合同年度" in contract:
        assert "合同年度：指自服务开始日或者其每一周年日起算的十二个月期间" in definitions


WEEK = re.compile(r"（第\d+周）")


@pytest.mark.parametrize("path", CHINESE_RECORDS, ids=record_id)
def test_milestone_weeks_say_where_they_count_from(path: Path) -> None:
    """2.3 dated the milestones "（第8周）" and 2.6 charges 违约金 for each day a
    milestone is late, but nothing said from when the weeks run. A milestone given by
    its week is counted from the 服务开始日, and the clause says so."""
    scope = "\n".join(_zh(_clause(_contract(path), "scope-of-services")))
    if WEEK.search(scope):
        assert "主要里程碑为（周次自服务开始日起算）：" in scope
    else:
        assert "周次自服务开始日起算" not in scope


@pytest.mark.parametrize("path", CHINESE_RECORDS, ids=record_id)
def test_including_is_said_the_way_the_interpretation_clause_defines_it(path: Path) -> None:
    """1.2 provides that "包括" means "包括但不限于"; the bank's audit clause still wrote
    "包括但不限于国家金融监督管理总局……", which after 1.2 reads as if the other uses of
    包括 were exhaustive."""
    contract = _contract(path)
    definitions = "\n".join(_zh(_clause(contract, "definitions")))
    assert "本合同所称“包括”，均指“包括但不限于”" in definitions
    elsewhere = [
        t for t in _zh(_prose(contract)) if "包括但不限于" in t and "本合同所称“包括”" not in t
    ]
    assert not elsewhere, elsewhere


EVERY_RECORD = [*SAMPLES, *sorted(FIXTURES.glob("*.yaml")), *INDUSTRY_SAMPLES]
PER_PERIOD_BILLING = ("按计费周期收取", "billed for each period of the term")


@pytest.mark.parametrize("path", EVERY_RECORD, ids=record_id)
def test_the_price_section_bills_as_the_payment_schedule_does(path: Path) -> None:
    """The zh SaaS proposal's 商务报价 said recurring fees are "在合同期内按计费周期收取"
    (monthly), and two pages later its 付款安排 — like the contract's 3.2 — has the
    whole price paid in three milestone instalments (40/30/30). Where the deal has a
    payment schedule, the price section says the charges are invoiced by it."""
    checked = _checked(path)
    proposal = checked.documents.get("proposal")
    if proposal is None:
        return
    text = "\n".join(document_paragraphs(proposal))
    if not checked.pricing.instalments:
        return
    assert not any(wording in text for wording in PER_PERIOD_BILLING)
    if "（TCV）" in text or "(TCV)" in text:  # a deal with recurring charges explains them
        assert "按下文“付款安排”开具发票" in text or "as the payment schedule below" in text
