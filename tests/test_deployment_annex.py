"""Deployment drives the availability and data clauses; what the contract
incorporates, it attaches (the Service Level Schedule as Annex 2)."""

from __future__ import annotations

import datetime as dt
import functools
import shutil
from pathlib import Path

import pytest
import yaml

from propgen.document import Document, DocumentKind, Section
from propgen.errors import LibraryError
from propgen.library.store import Library
from propgen.lint import lint_library
from propgen.pipeline import Checked, check
from support import INDUSTRY_SAMPLES, ROOT, SAMPLES, document_paragraphs

BANK_ZH = ROOT / "samples" / "financial-services.zh-CN.yaml"
SAAS_EN = ROOT / "samples" / "saas.en-US.yaml"


def _section(checked: Checked, section_id: str) -> str:
    for block in checked.documents["contract"].blocks:
        if isinstance(block, Section) and block.source_id == section_id:
            from propgen.document import Document

            return "\n".join(
                document_paragraphs(Document(checked.documents["contract"].meta, (block,)))
            )
    raise AssertionError(f"no section {section_id}")


def _with(path: Path, tmp_path: Path, before: str, after: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert before in text
    out = tmp_path / path.name
    out.write_text(text.replace(before, after, 1), encoding="utf-8")
    return out


def test_an_on_premises_bank_gets_no_hosted_availability_clause() -> None:
    checked = check(BANK_ZH)
    assert checked.plan.record.deployment == "on-premises"
    levels = _section(checked, "service-levels")
    assert "可用性" not in levels.replace("其可用性", "")
    assert "一级故障响应时限" in levels
    annex = _section(checked, "sla-schedule")
    assert "附件二 服务水平协议" in annex
    assert "托管服务月度可用性" not in annex
    # premium tier figures, from the deal's tier only
    assert "1小时" in annex and "30分钟" not in annex
    data = _section(checked, "data-protection")
    assert "甲方数据存储于甲方环境" in data


def test_a_hosted_deal_gets_availability_and_its_tier_figures() -> None:
    checked = check(SAAS_EN)
    assert checked.plan.record.deployment == "seller-hosted"
    levels = _section(checked, "service-levels")
    assert "Availability is measured for each calendar month" in levels
    assert "SLA Schedule in Annex 2" in levels
    annex = _section(checked, "sla-schedule")
    assert "Annex 2 — Service Level Schedule" in annex
    tier = checked.plan.record.terms.sla
    expected = {"standard": "99.5%", "premium": "99.9%", "enterprise": "99.95%"}[tier or "standard"]
    assert f"Monthly availability of the hosted Services {expected}" in annex.replace("\n", " ")


def test_on_premises_changes_the_english_clauses_too(tmp_path: Path) -> None:
    record = _with(SAAS_EN, tmp_path, "solution:\n", "solution:\n  deployment: on-premises\n")
    checked = check(record, allow_draft=True)
    levels = _section(checked, "service-levels")
    assert "Availability is measured" not in levels
    assert "responsible for its availability" in levels
    assert "Monthly availability" not in _section(checked, "sla-schedule")


def _library_copy(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    shutil.copytree(ROOT / "templates", lib / "templates")
    shutil.copytree(ROOT / "snippets", lib / "snippets")
    return lib


def _edit_manifest(lib: Path, industry: str, change: object) -> None:
    path = lib / "templates" / "industry" / industry / "manifest.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data["contract"])  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_a_clause_whose_annex_is_not_attached_is_refused(tmp_path: Path) -> None:
    lib = _library_copy(tmp_path)
    _edit_manifest(lib, "saas", lambda c: c.pop("annexes"))
    report = lint_library(Library(lib), dt.date(2026, 12, 1))
    assert any(
        "incorporates annex 'sla-schedule'" in p.message and p.field == "contract.annexes"
        for p in report.errors
    ), report.errors
    with pytest.raises(LibraryError, match="sla-schedule"):
        check(SAAS_EN, library=Library(lib))


def test_nothing_is_ranked_that_is_not_attached(tmp_path: Path) -> None:
    lib = _library_copy(tmp_path)

    def drop(contract: dict) -> None:  # type: ignore[type-arg]
        contract.pop("annexes")
        contract["clauses"].remove("service-levels")

    _edit_manifest(lib, "saas", drop)
    checked = check(SAAS_EN, library=Library(lib), allow_draft=True)
    text = "\n".join(document_paragraphs(checked.documents["contract"]))
    assert "SLA Schedule" not in text
    assert "second, these clauses; and third, the Pricing and Payment Annex." in text


CONTRACTS = [
    record
    for record in (
        *SAMPLES,
        *INDUSTRY_SAMPLES,
        *sorted((ROOT / "tests" / "fixtures").glob("*.yaml")),
    )
    if "contract"
    in yaml.safe_load(record.read_text(encoding="utf-8"))["document"].get("produce", ["contract"])
]


@functools.cache
def _documents(record: Path) -> dict[DocumentKind, Document]:
    return dict(check(record, allow_draft=True).documents)


@pytest.mark.parametrize("record", CONTRACTS, ids=lambda p: p.parent.name + "/" + p.name)
def test_the_proposal_is_superseded_not_incorporated(record: Path) -> None:
    """The proposal is not attached to the contract, so the contract neither ranks it
    nor measures the Services, their quality or their acceptance by it: it names the
    proposal only to define it, in the recitals, and as superseded. The zh contract
    calls it 建议书, as the proposal's own cover and text do."""
    documents = _documents(record)
    if "proposal" in documents:
        assert not any("方案书" in p for p in document_paragraphs(documents["proposal"]))
    for paragraph in document_paragraphs(documents["contract"]):
        if "Proposal" in paragraph:
            assert (
                "including the Proposal" in paragraph
                or "“Proposal” means" in paragraph
                or paragraph.startswith("Proposal:")
            ), paragraph
        if "建议书" in paragraph:
            assert "（包括建议书）" in paragraph or paragraph.startswith(("建议书：", "鉴于")), (
                paragraph
            )
        assert "方案书" not in paragraph, paragraph


@pytest.mark.parametrize("record", CONTRACTS, ids=lambda p: p.parent.name + "/" + p.name)
def test_the_customers_software_runs_in_its_environment_as_defined(record: Path) -> None:
    """The Software is defined as hosted by the Supplier or installed in the Customer's
    environment; the clauses say where it runs in the same words, not in a "data
    center" a plant or a shop does not have."""
    text = "\n".join(document_paragraphs(_documents(record)["contract"]))
    for place in (
        "Customer’s data center",
        "Party A's data center",
        "its data center",
        "甲方数据中心",
    ):
        assert place not in text, place


ENGLISH_CONTRACTS = [
    r
    for r in CONTRACTS
    if yaml.safe_load(r.read_text(encoding="utf-8"))["document"]["locale"] == "en-US"
]


@pytest.mark.parametrize("record", ENGLISH_CONTRACTS, ids=lambda p: p.parent.name + "/" + p.name)
def test_an_on_premises_contract_binds_the_supplier_to_no_backups_of_its_own(record: Path) -> None:
    """Where the system runs in the Customer's environment, its backups are the
    Customer's: the data clause and force majeure bind the Supplier to backup and
    disaster-recovery measures only where it hosts (the English of the Chinese rule in
    test_zh_contract_reading)."""
    text = "\n".join(document_paragraphs(_documents(record)["contract"]))
    on_premises = check(record, allow_draft=True).plan.record.deployment == "on-premises"
    for duty in ("tested backup and disaster-recovery procedures", "activating the backup"):
        assert (duty in text) != on_premises, duty
