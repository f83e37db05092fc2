"""A public buyer (``customer.sector: public``) gets what its counsel requires, in
both locales, and a company gets none of it; a record that contradicts its public
buyer is refused, naming the field."""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from propgen.document import Section
from propgen.pipeline import Checked, check
from support import ROOT, document_paragraphs, docx_text, pdf_text, squash

PUBLIC_EN = ROOT / "samples" / "saas.public.en-US.yaml"
PUBLIC_ZH = ROOT / "samples" / "saas.public.zh-CN.yaml"
PRIVATE_EN = ROOT / "samples" / "saas.en-US.yaml"
PRIVATE_ZH = ROOT / "samples" / "saas.zh-CN.yaml"

EN_PUBLIC = {
    "funding-out": "subject to the appropriation and availability of funds",
    "termination without penalty": "terminate this Agreement, without penalty or further liability",
    "no automatic renewal": "This Agreement does not renew automatically",
    "public records": "The Customer is subject to the public records laws that apply to it",
    "no customer indemnity": "The Customer gives no indemnity",
    "customer's liability by law": "only to the extent permitted by the constitution and laws of",
    "own state's law": "is governed by the laws of the State of Oregon",
    "own state's courts": "state courts located in Juniper County, Oregon",
    "injunctions in those courts": "seeking injunctive relief in those courts",
    "prompt payment": "the prompt-payment law of the State of Oregon provides",
    "tax exemption": "The Customer is exempt from sales and use taxes",
    "statutory terms": "Terms that a statute requires in the Customer’s contracts apply",
    "public use": "including use of its public-facing functions by members of the public",
    "governmental deliverables": "specifically for it for its governmental purposes",
}
EN_PRIVATE = {
    "contractual interest": "Overdue amounts bear interest at 1% per month",
    "customer indemnity": "The Customer will defend the Supplier",
    "gross-up": "it will increase the payment so that the Supplier receives",
    "pricing is confidential": "including the terms and pricing of this Agreement",
    "internal use": "for the Customer’s internal business purposes",
    "business deliverables": "specifically for it for its internal business purposes",
}
ZH_PUBLIC = {
    "财政资金": "本合同价款以财政资金支付，甲方已落实相应预算资金",
    "逾期利息": "按照本合同订立时一年期贷款市场报价利率",
    "政府采购": "《中华人民共和国民法典》、政府采购及其他相关法律法规",
    "合同公告": "甲方依照政府采购、政府信息公开等法律法规的规定公告本合同",
    "法人": "其为依法设立并有效存续的法人",
    "公共服务": "甲方通过软件向社会公众提供公共服务的除外",
    "交付物的公共用途": "并可为履行职能和提供公共服务的目的进行复制和修改",
}
ZH_PRIVATE = {
    "违约金": "应按逾期未付金额的万分之五向乙方支付违约金",
    "企业法人": "其为依法设立并有效存续的企业法人",
    "交付物的内部使用": "并可为内部使用目的进行复制和修改",
}


def _read_back(text: str) -> str:
    """Text as ``docx_text`` and ``pdf_text`` give it: NFKC, without white space."""
    return squash(unicodedata.normalize("NFKC", text))


def _contract(checked: Checked) -> str:
    return "\n".join(document_paragraphs(checked.documents["contract"]))


def _proposal(checked: Checked) -> str:
    return "\n".join(document_paragraphs(checked.documents["proposal"]))


@pytest.mark.parametrize(
    ("public", "private", "present", "absent"),
    [
        (PUBLIC_EN, PRIVATE_EN, EN_PUBLIC, EN_PRIVATE),
        (PUBLIC_ZH, PRIVATE_ZH, ZH_PUBLIC, ZH_PRIVATE),
    ],
    ids=["en-US", "zh-CN"],
)
def test_the_public_text_is_in_a_public_contract_and_not_in_a_private_one(
    public: Path, private: Path, present: dict[str, str], absent: dict[str, str]
) -> None:
    public_text, private_text = _contract(check(public)), _contract(check(private))
    for what, words in present.items():
        assert words in public_text, f"public contract lacks {what}"
        assert words not in private_text, f"private contract has {what}"
    for what, words in absent.items():
        assert words in private_text, f"private contract lacks {what}"
        assert words not in public_text, f"public contract has {what}"


def test_a_public_buyer_is_gui_danwei_unless_the_record_says_otherwise(tmp_path: Path) -> None:
    text = _proposal(check(PUBLIC_ZH))
    assert text.count("贵单位") >= 10
    assert "贵司" not in text
    source = PUBLIC_ZH.read_text(encoding="utf-8")
    hospital = tmp_path / "hospital.yaml"
    hospital.write_text(
        source.replace("  sector: public\n", "  sector: public\n  address_form: 贵院\n", 1),
        encoding="utf-8",
    )
    text = _proposal(check(hospital))
    assert "贵院" in text and "贵单位" not in text


def test_a_public_bank_is_not_gui_hang_by_its_industry_default(tmp_path: Path) -> None:
    source = (ROOT / "samples" / "financial-services.zh-CN.yaml").read_text(encoding="utf-8")
    path = tmp_path / "policy-bank.yaml"
    path.write_text(source.replace("customer:\n", "customer:\n  sector: public\n", 1), "utf-8")
    text = _proposal(check(path))
    assert "贵单位" in text and "贵行" not in text


def test_the_proposal_states_the_same_public_terms(tmp_path: Path) -> None:
    text = _proposal(check(PUBLIC_EN))
    assert "Governing law: the laws of the State of Oregon" in text
    assert "Disputes: state courts located in Juniper County, Oregon" in text
    assert "depend on the appropriation of funds" in text
    assert "Juniper County is tax-exempt" in text
    assert "excluding applicable taxes" not in text
    assert "which will be added to invoices" not in text
    # the heading before it stays a heading (it once ran into its paragraph)
    assert "\nWhat success looks like\nSuccess is measured by the two benefits" in text
    zh = _proposal(check(PUBLIC_ZH))
    assert "资金来源：财政资金，贵单位已落实相应预算" in zh  # the customer as addressed


def test_without_a_forum_the_public_body_gets_its_own_states_courts(tmp_path: Path) -> None:
    source = PUBLIC_EN.read_text(encoding="utf-8")
    path = tmp_path / "virginia.yaml"
    path.write_text(
        source.replace("  state: Oregon\n", "  state: Virginia\n").replace(
            "  dispute_resolution: state courts located in Juniper County, Oregon\n", ""
        ),
        encoding="utf-8",
    )
    text = _contract(check(path))
    assert "governed by the laws of the Commonwealth of Virginia" in text
    assert (
        "exclusive jurisdiction of the state courts located in the Commonwealth of Virginia" in text
    )
    assert "laws of the State of Delaware" not in text and "Wilmington" not in text


def test_the_rendered_public_contract_reads_back_in_both_formats(
    rendered_samples: Path,
) -> None:
    docx = docx_text(rendered_samples / "PG-2027-0212-contract.docx")
    pdf = squash(pdf_text(rendered_samples / "PG-2027-0212-contract.pdf"))
    for what, words in EN_PUBLIC.items():
        assert _read_back(words) in squash(docx), f"DOCX lacks {what}"
        assert _read_back(words) in pdf, f"PDF lacks {what}"
    zh_docx = squash(docx_text(rendered_samples / "PG-2027-0219-contract.docx"))
    zh_pdf = squash(pdf_text(rendered_samples / "PG-2027-0219-contract.pdf"))
    for what, words in ZH_PUBLIC.items():
        assert _read_back(words) in zh_docx, f"DOCX lacks {what}"
        assert _read_back(words) in zh_pdf, f"PDF lacks {what}"
    # the sample's own figures: 120 users × 36 months × $58.00 less 15 %, the portal,
    # the services; no tax line
    subscription = round(120 * 36 * 58 * 0.85, 2)
    total = subscription + 36 * 1850 + 64000
    assert f"${total:,.2f}" in docx
    assert not re.search(r"\bTax\b", docx.split("Annex 1")[-1])


def test_the_funding_out_clause_is_a_numbered_subclause_of_term_and_termination() -> None:
    checked = check(PUBLIC_EN)
    for block in checked.documents["contract"].blocks:
        if isinstance(block, Section) and block.source_id == "term-and-termination":
            from propgen.document import Document

            text = document_paragraphs(Document(checked.documents["contract"].meta, (block,)))
            funding = [t for t in text if "appropriation and availability of funds" in t]
            assert len(funding) == 1
            return
    raise AssertionError("no term-and-termination clause")


Edit = Callable[[str], str]
Run = Callable[..., Result]

REFUSED: list[tuple[str, Edit, str, str]] = [
    (
        "no state",
        lambda s: s.replace("  state: Oregon\n", ""),
        "customer.sector",
        "customer.state is required",
    ),
    (
        "state of a company",
        lambda s: s.replace("  sector: public\n", ""),
        "customer.state",
        "only a public body's state is used",
    ),
    (
        "automatic renewal",
        lambda s: s.replace("  term_months: 36\n", "  term_months: 36\n  auto_renew: true\n"),
        "terms.auto_renew",
        "does not renew automatically",
    ),
    (
        "another state's law",
        lambda s: s.replace(
            "  payment_terms_days: 30\n",
            "  payment_terms_days: 30\n  governing_law: State of Delaware\n",
        ),
        "terms.governing_law",
        "is not the law of Oregon",
    ),
    (
        "tax on an exempt buyer",
        lambda s: s.replace("  payment_by_year: true\n", "  payment_by_year: true\n  tax_pct: 8\n"),
        "pricing.tax_pct",
        "tax-exempt",
    ),
    (
        "a public body outside the US without its law",
        lambda s: s.replace("  state: Oregon\n", "  region: uk\n"),
        "terms.governing_law",
        "a public body contracts under its own law",
    ),
    (
        "unknown state",
        lambda s: s.replace("  state: Oregon\n", "  state: Oregon Territory\n"),
        "customer.state",
        "Oregon",
    ),
]


@pytest.mark.parametrize(
    ("edit", "field", "message"),
    [case[1:] for case in REFUSED],
    ids=[case[0] for case in REFUSED],
)
def test_a_record_contradicting_its_public_buyer_is_refused(
    run: Run, tmp_path: Path, edit: Edit, field: str, message: str
) -> None:
    source = PUBLIC_EN.read_text(encoding="utf-8")
    changed = edit(source)
    assert changed != source
    path = tmp_path / "record.yaml"
    path.write_text(changed, encoding="utf-8")
    out = tmp_path / "out"
    result = run("render", path, "-o", out)
    assert result.code == 2
    assert f"{field}:" in result.err and message in result.err
    key = "\n  " + field.split(".")[-1] + ":"
    if key in changed:  # a field the record gives is named with its line
        line = changed[: changed.index(key) + 1].count("\n") + 1
        assert f"record.yaml:{line}:" in result.err
    assert "Traceback" not in result.err
    assert not out.exists() or not any(out.iterdir())


def test_a_chinese_buyer_cannot_be_sales_tax_exempt(run: Run, tmp_path: Path) -> None:
    source = PUBLIC_ZH.read_text(encoding="utf-8")
    path = tmp_path / "record.yaml"
    path.write_text(
        source.replace("  sector: public\n", "  sector: public\n  tax_exempt: true\n"), "utf-8"
    )
    result = run("check", path)
    assert result.code == 2
    assert "customer.tax_exempt" in result.err


def test_library_check_renders_the_public_text(run: Run, tmp_path: Path) -> None:
    """A fault only a public buyer's text reaches is found by `library check`, though
    no industry sample is a public body."""
    lib = tmp_path / "lib"
    shutil.copytree(ROOT / "templates", lib / "templates")
    shutil.copytree(ROOT / "snippets", lib / "snippets")
    clause = lib / "snippets" / "clauses" / "term-and-termination.yaml"
    text = clause.read_text(encoding="utf-8")
    public = '        {% if customer.sector == "public" -%}\n'
    broken = text.replace(public, public + "        {{ terms.start_date | money }} ", 1)
    assert broken != text
    clause.write_text(broken, encoding="utf-8")
    result = run("library", "check", "--library", lib)
    assert result.code == 2, result.err
    assert "term-and-termination" in result.err
