"""Issue 12, item 4: VAT per item kind (13% goods, 6% services), the tax line broken down
by rate in the proposal's and the contract's pricing tables and in the totals, exact to
the cent; a perpetual licence line makes the licence survive the term.

The rule (propgen/pricing.py): the tax is worked out per rate group and rounded once
per group; each group bears its share of the deal discount, round(discount × group
subtotal / subtotal), the highest rate taking the rest."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn

from propgen.needs.models import Pricing
from propgen.pipeline import check
from propgen.pricing import TaxGroup, price
from support import ROOT, document_paragraphs, reference_of

RETAIL_ZH = ROOT / "samples" / "retail.zh-CN.yaml"
RETAIL_EN = ROOT / "samples" / "retail.en-US.yaml"
D = Decimal


def _pricing(**fields: object) -> Pricing:
    return Pricing.model_validate(fields)


def test_two_rates_hand_computed() -> None:
    priced = price(
        _pricing(
            items=[
                {"name": "Gateway", "kind": "hardware", "quantity": 3, "unit_price": "333.33"},
                {"name": "Setup", "kind": "service", "quantity": 1, "unit_price": "100.01"},
            ],
            discount_pct=7,
            tax_rates={"hardware": 13, "service": 6},
        ),
        "CNY",
    )
    # subtotal 999.99 + 100.01 = 1,100.00; discount 7% = 77.00; net 1,023.00
    assert (priced.subtotal, priced.discount, priced.net) == (
        D("1100.00"),
        D("77.00"),
        D("1023.00"),
    )
    # 6% group's share: 77.00 × 100.01 / 1,100.00 = 7.0007 → 7.00; 13% group takes 70.00
    # 6%: (100.01 − 7.00) × 6% = 5.5806 → 5.58; 13%: (999.99 − 70.00) × 13% = 120.8987 → 120.90
    assert priced.taxes == (
        TaxGroup(D(6), D("93.01"), D("5.58")),
        TaxGroup(D(13), D("929.99"), D("120.90")),
    )
    assert priced.tax == D("126.48")
    assert priced.total == D("1149.48")
    assert sum(g.base for g in priced.taxes) == priced.net


def test_each_group_is_rounded_once_not_line_by_line() -> None:
    priced = price(
        _pricing(
            items=[
                {"name": "A", "kind": "service", "quantity": 1, "unit_price": "0.05"},
                {"name": "B", "kind": "service", "quantity": 1, "unit_price": "0.05"},
                {"name": "C", "kind": "hardware", "quantity": 1, "unit_price": "1.00"},
            ],
            tax_rates={"hardware": 13, "service": 6},
        ),
        "CNY",
    )
    # line by line 0.003 + 0.003 would round to 0.00; the 6% group: 0.10 × 6% = 0.006 → 0.01
    assert [g.tax for g in priced.taxes] == [D("0.01"), D("0.13")]
    assert priced.total == D("1.24")


def test_a_line_rate_beats_its_kind_and_optional_lines_are_not_taxed() -> None:
    priced = price(
        _pricing(
            items=[
                {"name": "A", "kind": "service", "quantity": 1, "unit_price": "100", "tax_pct": 9},
                {"name": "B", "kind": "service", "quantity": 1, "unit_price": "100"},
                {
                    "name": "O",
                    "kind": "hardware",
                    "quantity": 1,
                    "unit_price": "999",
                    "optional": True,
                },
            ],
            tax_rates={"service": 6, "hardware": 13},
        ),
        "CNY",
    )
    assert [(g.rate, g.base, g.tax) for g in priced.taxes] == [
        (D(6), D("100.00"), D("6.00")),
        (D(9), D("100.00"), D("9.00")),
    ]


def test_one_rate_stays_the_simple_case() -> None:
    priced = price(
        _pricing(
            items=[{"name": "A", "quantity": 3, "unit_price": "333.33"}],
            discount_pct=7,
            tax_pct=13,
        ),
        "CNY",
    )
    # net 999.99 − 70.00 = 929.99; × 13% = 120.8987 → 120.90
    assert priced.taxes == (TaxGroup(D(13), D("929.99"), D("120.90")),)
    assert priced.total == D("1050.89")


def test_retail_sample_hand_computed() -> None:
    priced = check(RETAIL_ZH).pricing
    # 13%: 238×4,800×0.9 + 476×5,600 + 238×9,800 + 238×2,300 + 360,000 = 6,933,560.00
    # 6%: 420×2,000 = 840,000.00; subtotal 7,773,560.00; discount 2% = 155,471.20
    # shares: 6% 16,800.00, 13% 138,671.20; bases 823,200.00 and 6,794,888.80
    # taxes 49,392.00 and 883,335.544 → 883,335.54; total 7,618,088.80 + 932,727.54
    assert [(g.rate, g.base, g.tax) for g in priced.taxes] == [
        (D(6), D("823200.00"), D("49392.00")),
        (D(13), D("6794888.80"), D("883335.54")),
    ]
    assert priced.total == D("8550816.34")


@pytest.fixture
def retail_zh(rendered_samples: Path) -> dict[str, Path]:
    """The zh retail sample's files (shared, read-only): ``{"contract.pdf": path, …}``."""
    reference = reference_of(RETAIL_ZH)
    return {
        f"{kind}{suffix}": rendered_samples / f"{reference}-{kind}{suffix}"
        for kind in ("proposal", "contract")
        for suffix in (".pdf", ".docx")
    }


def _squashed_pdf(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.mark.parametrize("kind", ["proposal", "contract"])
def test_pricing_tables_show_the_tax_by_rate(retail_zh: dict[str, Path], kind: str) -> None:
    pdf = retail_zh[f"{kind}.pdf"]
    text = _squashed_pdf(pdf)
    for piece in (
        "税额(6%)",
        "计税金额¥823,200.00",
        "¥49,392.00",
        "税额(13%)",
        "计税金额¥6,794,888.80",
        "¥883,335.54",
    ):
        assert piece in text, piece
    assert "8,550,816.34" in text
    docx_path = retail_zh[f"{kind}.docx"]
    body = docx.Document(str(docx_path)).element.body
    # every cell, also of tables inside the sections' content controls
    cells = ["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in body.iter(qn("w:tc"))]
    assert any("税额（6%）" in c and "计税金额¥823,200.00" in c for c in cells)
    assert any("税额（13%）" in c and "计税金额¥6,794,888.80" in c for c in cells)


def test_contract_and_proposal_state_the_same_rates() -> None:
    checked = check(RETAIL_ZH)
    stated = "6%（计税金额¥823,200.00）和13%（计税金额¥6,794,888.80）"
    contract = "\n".join(document_paragraphs(checked.documents["contract"]))
    proposal = "\n".join(document_paragraphs(checked.documents["proposal"]))
    assert f"适用税率为{stated}" in contract
    assert stated in proposal


def test_a_perpetual_licence_survives_the_term_in_chinese() -> None:
    text = "\n".join(document_paragraphs(check(RETAIL_ZH).documents["contract"]))
    assert "附件一所列“门店收银软件许可（永久）”“小程序会员一体化平台软件许可”为永久许可" in text
    assert "其使用权不因本合同期限届满或者解除、终止而终止" in text


def test_a_perpetual_licence_survives_the_term_in_english(tmp_path: Path) -> None:
    text = RETAIL_EN.read_text(encoding="utf-8")
    needs = tmp_path / "perpetual.yaml"
    needs.write_text(text.replace("kind: subscription", "kind: license-perpetual", 1))
    body = "\n".join(document_paragraphs(check(needs).documents["contract"]))
    assert (  # the line item named as the Pricing and Payment Annex names it
        "except that the right to use the Software licensed under the line item "
        "“Unified Commerce Core subscription” of the Pricing and Payment Annex is perpetual "
        "and survives the expiry or termination" in body
    )
    assert "for that license." in body
    plain = "\n".join(document_paragraphs(check(RETAIL_EN).documents["contract"]))
    assert "is perpetual and survives" not in plain
    assert "perpetual licenses granted under" not in plain


def test_each_contract_year_carries_the_tax_of_its_own_rates() -> None:
    priced = check(ROOT / "samples" / "manufacturing.zh-CN.yaml").pricing
    # years 2 and 3 hold only the 6% support fee: 116,000 and 122,000 less the 2% deal
    # discount (113,680.00 and 119,560.00), so 6% of each: 6,820.80 and 7,173.60
    assert [(y.net, y.tax) for y in priced.years[1:]] == [
        (D("113680.00"), D("6820.80")),
        (D("119560.00"), D("7173.60")),
    ]
    assert sum(y.tax for y in priced.years) == priced.tax
    assert sum(y.total for y in priced.years) == priced.total
