"""A line item pays for the clause whose service it sells (``pays_for``): the clause
says the service is charged as that line — only if ordered, for an optional line —
and "included in the Fees" only when no line prices it (issue 12: the retail contract
called peak hypercare included while the price annex sold it as an option)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from propgen.document import Document, Section
from propgen.errors import NeedsError
from propgen.library import Library
from propgen.lint import lint_library
from propgen.pipeline import Checked, check
from support import ROOT, document_paragraphs

CLAUSE = "peak-season-support"
RETAIL = [
    ROOT / "samples" / "retail.en-US.yaml",
    ROOT / "samples" / "retail.zh-CN.yaml",
    *sorted((ROOT / "templates" / "industry" / "retail").glob("sample.*.yaml")),
]
INCLUDED = {
    "en": "are included in the Fees unless the parties agree otherwise in writing",
    "zh": "除双方另有书面约定外，相关费用已包含在合同价款之中",
}
PROPOSAL_INCLUDED = {"en": "Hypercare is included in the prices quoted", "zh": "已包含在报价中"}
IF_ORDERED = {"en": "only if the Customer orders it", "zh": "仅在甲方书面订购后收取"}


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _clause(checked: Checked) -> str:
    contract = checked.documents["contract"]
    for block in contract.blocks:
        if isinstance(block, Section) and block.source_id == CLAUSE:
            return "\n".join(document_paragraphs(Document(contract.meta, (block,))))
    raise AssertionError(f"no clause {CLAUSE}")


def _edited(path: Path, tmp_path: Path, change: Callable[[list[dict[str, Any]]], None]) -> Path:
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(record["pricing"]["items"])
    edited = tmp_path / path.name
    edited.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    return edited


def _assert_clause_follows_the_price_annex(checked: Checked) -> None:
    language = checked.plan.record.document.locale[:2]
    text = _clause(checked)
    lines = [line for line in checked.pricing.lines if line.pays_for == CLAUSE]
    assert (INCLUDED[language] in text) == (not lines), text
    for line in lines:
        assert f"“{line.name}”" in text, line.name
    assert (IF_ORDERED[language] in text) == any(line.optional for line in lines), text
    # The proposal's peak-season section prices the hypercare as the contract does.
    proposal = checked.documents["proposal"]
    [section] = [
        "\n".join(document_paragraphs(Document(proposal.meta, (block,))))
        for block in proposal.blocks
        if isinstance(block, Section) and block.source_id == "peak-season"
    ]
    for line in lines:
        assert f"“{line.name}”" in section, line.name
    assert (PROPOSAL_INCLUDED[language] in section) == (not lines), section


@pytest.mark.parametrize("path", RETAIL, ids=_id)
def test_the_clause_says_how_the_price_annex_charges_its_service(path: Path) -> None:
    checked = check(path, allow_draft=True)
    assert any(line.pays_for == CLAUSE for line in checked.pricing.lines)
    _assert_clause_follows_the_price_annex(checked)


@pytest.mark.parametrize("path", RETAIL, ids=_id)
def test_with_no_line_paying_for_it_the_service_is_included(path: Path, tmp_path: Path) -> None:
    def unpriced(items: list[dict[str, Any]]) -> None:
        for item in items:
            item.pop("pays_for", None)

    checked = check(_edited(path, tmp_path, unpriced), allow_draft=True)
    _assert_clause_follows_the_price_annex(checked)


@pytest.mark.parametrize("path", RETAIL, ids=_id)
def test_a_bought_line_is_charged_without_an_order(path: Path, tmp_path: Path) -> None:
    def bought(items: list[dict[str, Any]]) -> None:
        for item in items:
            if item.get("pays_for"):
                item.pop("optional", None)

    checked = check(_edited(path, tmp_path, bought), allow_draft=True)
    _assert_clause_follows_the_price_annex(checked)


@pytest.mark.parametrize(
    ("clause", "message"),
    [("warranties", "not one a line can pay for"), ("peak-support", "no clause 'peak-support'")],
)
def test_a_line_pays_only_for_a_priced_clause_of_the_contract(
    clause: str, message: str, tmp_path: Path
) -> None:
    def misnamed(items: list[dict[str, Any]]) -> None:
        next(item for item in items if item.get("pays_for"))["pays_for"] = clause

    with pytest.raises(NeedsError) as caught:
        check(_edited(RETAIL[0], tmp_path, misnamed), allow_draft=True)
    [problem] = [p for p in caught.value.problems if p.field.endswith("pays_for")]
    assert message in problem.message and CLAUSE in problem.hint
    assert problem.line is not None


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda text: text.replace("priced: true", "priced: false"), "not marked priced"),
        (
            lambda text: text.replace('"pays_for", "equalto"', '"kind", "equalto"', 1),
            "does not read the lines that pay for it",
        ),
    ],
)
def test_library_check_ties_a_priced_clause_to_its_lines(
    edit: Callable[[str], str], message: str, tmp_path: Path
) -> None:
    lib = tmp_path / "lib"
    shutil.copytree(ROOT / "templates", lib / "templates")
    shutil.copytree(ROOT / "snippets", lib / "snippets")
    path = lib / "templates" / "industry" / "retail" / "clauses" / f"{CLAUSE}.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    report = lint_library(Library(lib), dt.date(2026, 12, 1))
    assert [p for p in report.errors if message in p.message and p.file == str(path)]
