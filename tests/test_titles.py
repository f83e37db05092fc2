"""Descriptive titles (issue 12, item 7): every proposal says what is proposed and for
whom, every contract what it is (a Chinese one, for which project), from the record in
the general case, and the cover, the running header, the DOCX core properties and the
PDF metadata print the same title."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import docx
import pdfplumber
import pypdf
import pytest
import yaml

from propgen.pipeline import Checked, check
from propgen.titles import MODULES_IN_TITLE
from support import FIXTURES, INDUSTRY_SAMPLES, SAMPLES

RECORDS = [*SAMPLES, *sorted(FIXTURES.glob("*.yaml")), *INDUSTRY_SAMPLES]


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@functools.cache
def _checked(path: Path) -> Checked:
    return check(path, allow_draft=True)


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_a_proposal_title_says_what_is_proposed_and_for_whom(path: Path) -> None:
    checked = _checked(path)
    record = checked.plan.record
    proposal = checked.documents.get("proposal")
    if proposal is None:
        return
    title = proposal.meta.title
    customer = record.customer.name
    if record.document.locale.startswith("zh"):
        assert title.startswith(f"关于{customer}") and title.endswith("的建议书"), title
        what = title.removeprefix(f"关于{customer}").removesuffix("的建议书")
    else:
        assert title.startswith("Proposal: ") and title.endswith(f" for {customer}"), title
        what = title.removeprefix("Proposal: ").removesuffix(f" for {customer}")
    assert what.strip(), title
    if record.document.title:  # the project as the record names it
        assert record.document.title.removesuffix("方案") in title, title
    elif 0 < len(record.solution.modules) <= MODULES_IN_TITLE:
        assert record.solution.modules[0].name in title, title
    else:  # the fallback: the industry's solution
        assert checked.plan.industry.title[record.document.locale] in title, title
    assert proposal.meta.header.endswith(title), proposal.meta.header


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_a_contract_title_names_the_instrument_and_its_project(path: Path) -> None:
    checked = _checked(path)
    record = checked.plan.record
    contract = checked.documents.get("contract")
    if contract is None:
        return
    meta = contract.meta
    instrument = re.compile(r"(Agreement|合同)$")
    assert instrument.search(meta.title), meta.title
    assert meta.header.endswith(meta.title), meta.header
    if record.document.title:
        project = record.document.title.removesuffix("方案")
        if record.document.locale.startswith("zh"):  # 灌装车间数字化项目……合同
            assert meta.title.startswith(project), meta.title
        else:  # Master Services Agreement / Plant Floor Visibility Program for …
            assert meta.subtitle.startswith(f"{project} for {record.customer.name}"), meta
            assert "draft" in meta.subtitle


def test_a_record_with_no_title_and_many_modules_falls_back_to_its_industry(
    tmp_path: Path,
) -> None:
    source = next(p for p in SAMPLES if p.name == "retail.zh-CN.yaml")
    record = yaml.safe_load(source.read_text(encoding="utf-8"))
    assert "title" not in record["document"] and len(record["solution"]["modules"]) > 3
    checked = check(source)
    assert checked.documents["proposal"].meta.title == "关于邻里鲜便利零售解决方案的建议书"
    # a contract is titled by a project only where the record names one
    assert checked.documents["contract"].meta.title == "设备采购、软件许可及技术服务合同"
    record["document"]["title"] = "门店数字化升级"
    named = tmp_path / source.name
    named.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    checked = check(named)
    assert checked.documents["proposal"].meta.title == "关于邻里鲜便利门店数字化升级项目的建议书"
    contract_title = checked.documents["contract"].meta.title
    assert contract_title == "门店数字化升级项目设备采购、软件许可及技术服务合同"


def _pdf_title_and_pages(pdf: Path) -> tuple[str, str, str]:
    with pypdf.PdfReader(pdf) as reader:
        info = reader.metadata
        title = str(info.title if info is not None else "")
    with pdfplumber.open(pdf) as opened:
        cover = opened.pages[0].extract_text() or ""
        page = opened.pages[1]
        header = page.crop((0, 0, page.width, 60)).extract_text() or ""  # the running header
    return title, cover, header


def test_cover_header_and_metadata_print_one_title(rendered_samples: Path) -> None:
    pdfs = sorted(rendered_samples.glob("*.pdf"))
    assert len(pdfs) == 2 * len(SAMPLES)
    for pdf in pdfs:
        title, cover, header = _pdf_title_and_pages(pdf)
        flat = re.sub(r"\s+", "", title)
        assert title and flat in re.sub(r"\s+", "", cover), (pdf.name, title)
        assert flat in re.sub(r"\s+", "", header), (pdf.name, header, title)


@pytest.mark.parametrize("kind", ["proposal", "contract"])
def test_the_docx_core_title_is_the_pdf_title(rendered_samples: Path, kind: str) -> None:
    for pdf in sorted(rendered_samples.glob(f"*-{kind}.pdf")):
        title, _, _ = _pdf_title_and_pages(pdf)
        core = docx.Document(str(pdf.with_suffix(".docx"))).core_properties.title
        assert core == title, (pdf.name, core, title)
