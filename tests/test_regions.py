"""Issue 12, item 7: content chosen by the customer's region as well as its industry.

EU-only regulation never reaches a US or Chinese customer; a section that fits no
region of the customer is left out; ``library check`` reports text that names another
region's regulation."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from propgen.document import Heading, Section
from propgen.pipeline import check
from propgen.regions import REGIONS, default_region, misfits
from support import ROOT, SAMPLES, document_paragraphs

Run = Callable[..., Result]
US_BANK = ROOT / "samples" / "financial-services.en-US.yaml"
EU_INSURER = ROOT / "templates" / "industry" / "financial-services" / "sample.en-US.yaml"
CN_BANK = ROOT / "samples" / "financial-services.zh-CN.yaml"
EU_ONLY = ("DORA", "EBA", "GDPR", "Standard Contractual Clauses", "SCC")


def _text(path: Path, **kwargs: object) -> str:
    checked = check(path, **kwargs)  # type: ignore[arg-type]
    return "\n".join(
        line for document in checked.documents.values() for line in document_paragraphs(document)
    )


def test_regulation_names_fit_their_regions() -> None:
    assert misfits("a DORA register of information", "us") == ["DORA"]
    assert misfits("a DORA register of information", "eu") == []
    assert misfits("SCCs where they apply", "uk") == []
    assert misfits("GLBA safeguards", "eu") == ["GLBA"]
    assert misfits("依照《个人信息保护法》", "us") == ["PRC data law"]
    assert default_region("en-US") == "us" and default_region("zh-CN") == "cn"


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_no_sample_names_regulation_of_another_region(sample: Path) -> None:
    checked = check(sample)
    region = checked.plan.record.customer.region
    assert region in REGIONS
    text = _text(sample)
    own = sample.read_text(encoding="utf-8")
    assert [m for m in misfits(text, region) if m not in misfits(own, region)] == []


def test_a_us_bank_reads_us_regulation_and_no_eu_regulation() -> None:
    text = _text(US_BANK)
    for name in EU_ONLY:
        assert name not in text, name
    assert "Interagency Guidance on Third-Party Relationships" in text
    assert "GLBA" in text


def test_an_eu_customer_reads_dora_and_not_us_regulation() -> None:
    text = _text(EU_INSURER)
    assert "DORA and the EBA Guidelines" in text
    assert "Standard Contractual Clauses" in text
    assert "GLBA" not in text and "Interagency" not in text


def test_a_customer_elsewhere_gets_neither() -> None:
    text = _text(US_BANK, region="other")
    for name in (*EU_ONLY, "GLBA", "Interagency"):
        assert name not in text, name
    assert "Your regulator’s own requirements" in text


def _with_region_only_section(library: Path, regions: str) -> None:
    sections = library / "templates" / "industry" / "financial-services" / "sections"
    path = sections / "data-residency.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("locked: false\n", f"locked: false\nregions: {regions}\n", 1))


@pytest.fixture
def library(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    shutil.copytree(ROOT / "templates", lib / "templates")
    shutil.copytree(ROOT / "snippets", lib / "snippets")
    return lib


def _section_ids(path: Path, library: Path) -> list[str]:
    from propgen.library.store import Library

    document = check(path, library=Library(library)).documents["proposal"]
    return [b.source_id for b in document.blocks if isinstance(b, Section)]


def test_a_section_for_other_regions_is_left_out(library: Path) -> None:
    _with_region_only_section(library, "[eu, uk]")
    assert "data-residency" not in _section_ids(US_BANK, library)
    assert "data-residency" in _section_ids(EU_INSURER, library)


def test_a_clause_for_other_regions_is_left_out_and_numbers_close_up(library: Path) -> None:
    from propgen.library.store import Library

    clauses = library / "templates" / "industry" / "financial-services" / "clauses"
    path = clauses / "regulatory-audit.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\ntitle:", "\nregions: [eu]\ntitle:", 1), encoding="utf-8")
    assert "regions: [eu]" in path.read_text(encoding="utf-8")
    contract = check(US_BANK, library=Library(library)).documents["contract"]
    ids = [b.source_id for b in contract.blocks if isinstance(b, Section)]
    assert "regulatory-audit" not in ids
    eu_contract = check(EU_INSURER, library=Library(library)).documents["contract"]
    assert "regulatory-audit" in [b.source_id for b in eu_contract.blocks if isinstance(b, Section)]
    numbers = [
        b.blocks[0].number
        for b in contract.blocks
        if isinstance(b, Section) and isinstance(b.blocks[0], Heading) and b.blocks[0].number
    ]
    assert numbers == [f"{i}." for i in range(1, len(numbers) + 1)]


def test_library_check_reports_eu_regulation_reaching_a_us_customer(
    run: Run, library: Path
) -> None:
    path = library / "templates" / "industry" / "financial-services" / "sections"
    path = path / "outsourcing.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "  en-US: |\n"
    assert marker in text
    path.write_text(
        text.replace(marker, marker + "    Our contract meets DORA and the EBA Guidelines.\n\n", 1),
        encoding="utf-8",
    )
    result = run("library", "check", "--library", library)
    assert result.code == 2, result.out
    assert "outsourcing.yaml" in result.err
    # DORA is in the EU sample's own record; the EBA Guidelines are the library's words
    assert "names the EBA Guidelines" in result.err
    assert "customer in us, uk, cn, other" in result.err

    # declared for the EU only, the same text is fine: the plan leaves it out elsewhere
    path.write_text(
        path.read_text(encoding="utf-8").replace("\ntitle:", "\nregions: [eu]\ntitle:", 1),
        encoding="utf-8",
    )
    assert run("library", "check", "--library", library).code == 0


def test_region_is_validated_naming_the_field(tmp_path: Path, run: Run) -> None:
    text = US_BANK.read_text(encoding="utf-8")
    needs = tmp_path / "bad.yaml"
    needs.write_text(text.replace("customer:\n", "customer:\n  region: mars\n", 1))
    result = run("check", needs)
    assert result.code == 2
    assert "customer.region" in result.err
    assert not (tmp_path / "out").exists()


def test_a_chinese_bank_reads_no_us_or_eu_regulation() -> None:
    text = _text(CN_BANK)
    for name in (*EU_ONLY, "GLBA", "Interagency"):
        assert name not in text, name


@pytest.mark.parametrize("region", REGIONS)
def test_the_requirements_table_stays_a_table_in_every_region(region: str) -> None:
    from propgen.document import Paragraph, Table, inline_text, iter_blocks

    proposal = check(US_BANK, region=region).documents["proposal"]  # type: ignore[arg-type]
    tables = [
        b
        for b in iter_blocks(proposal.blocks)
        if isinstance(b, Table)
        and b.header
        and "Requirement" in inline_text(b.header.cells[0].inlines)
    ]
    assert len(tables) == 1
    rows = [inline_text(r.cells[0].inlines) for r in tables[0].rows]
    assert rows[-1] == "Your regulator’s own requirements"
    for block in iter_blocks(proposal.blocks):
        if isinstance(block, Paragraph):
            assert "| Your regulator" not in inline_text(block.inlines)
