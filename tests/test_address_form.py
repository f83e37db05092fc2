"""Chinese documents address the customer as the record (or its industry) says."""

from __future__ import annotations

from pathlib import Path

import pytest

from propgen.pipeline import check
from support import ROOT, document_paragraphs


def _proposal_text(path: Path) -> str:
    return "\n".join(document_paragraphs(check(path).documents["proposal"]))


def test_a_bank_is_gui_hang_by_its_industry_default() -> None:
    text = _proposal_text(ROOT / "samples" / "financial-services.zh-CN.yaml")
    assert text.count("贵行") >= 20
    assert "贵司" not in text


def test_the_record_overrides_the_industry_default() -> None:
    text = _proposal_text(
        ROOT / "templates" / "industry" / "financial-services" / "sample.zh-CN.yaml"
    )
    assert "贵司" in text and "贵行" not in text


def test_a_company_is_gui_si_by_default() -> None:
    text = _proposal_text(ROOT / "samples" / "manufacturing.zh-CN.yaml")
    assert "贵司" in text and "贵行" not in text


def test_an_agency_can_be_addressed_as_gui_danwei(tmp_path: Path) -> None:
    source = (ROOT / "samples" / "saas.zh-CN.yaml").read_text(encoding="utf-8")
    path = tmp_path / "agency.yaml"
    path.write_text(
        source.replace("customer:\n", "customer:\n  address_form: 贵单位\n", 1), encoding="utf-8"
    )
    text = _proposal_text(path)
    assert text.count("贵单位") >= 10 and "贵司" not in text


def test_an_unknown_form_is_refused_naming_the_field(tmp_path: Path) -> None:
    from propgen.errors import InvalidInput

    source = (ROOT / "samples" / "saas.zh-CN.yaml").read_text(encoding="utf-8")
    path = tmp_path / "bad.yaml"
    path.write_text(
        source.replace("customer:\n", "customer:\n  address_form: 您\n", 1), encoding="utf-8"
    )
    with pytest.raises(InvalidInput) as caught:
        check(path)
    assert any(p.field == "customer.address_form" for p in caught.value.problems)


def test_library_check_refuses_a_fixed_form_of_address(tmp_path: Path) -> None:
    import datetime as dt
    import shutil

    from propgen.library.store import Library
    from propgen.lint import lint_library

    lib = tmp_path / "lib"
    shutil.copytree(ROOT / "templates", lib / "templates")
    shutil.copytree(ROOT / "snippets", lib / "snippets")
    section = lib / "snippets" / "sections" / "next-steps.yaml"
    text = section.read_text(encoding="utf-8")
    section.write_text(text.replace("{{ customer.you }}", "贵司", 1), encoding="utf-8")
    report = lint_library(Library(lib), dt.date(2026, 12, 1))
    assert any(
        "customer.you" in p.message and p.file and p.file.endswith("next-steps.yaml")
        for p in report.errors
    ), report.errors


def test_a_bank_gets_no_misfit_case_study_and_a_fitting_positioning() -> None:
    checked = check(ROOT / "samples" / "financial-services.en-US.yaml")
    text = "\n".join(document_paragraphs(checked.documents["proposal"]))
    assert "Harborline Freight" not in text and "Kessler Drive" not in text
    assert "physical goods" not in text
    assert "banks, insurers" in text
    title = checked.documents["proposal"].meta.title
    assert title == (  # the record says what, and the title says for whom
        "Proposal: Digital Onboarding and BSA/AML Case Management for Lakeshore Community Bank"
    )
    manufacturing = check(ROOT / "samples" / "manufacturing.en-US.yaml")
    assert "Kessler Drive" in "\n".join(document_paragraphs(manufacturing.documents["proposal"]))
