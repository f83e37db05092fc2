"""Line items say what they are, and hardware brings its own clause."""

from __future__ import annotations

from pathlib import Path

import pytest

from propgen.document import Heading, Section
from propgen.errors import InvalidInput
from propgen.pipeline import check
from support import ROOT, document_paragraphs

RETAIL_ZH = ROOT / "samples" / "retail.zh-CN.yaml"
SAAS_EN = ROOT / "samples" / "saas.en-US.yaml"  # no hardware line


def _clauses(path: Path) -> dict[str, str]:
    contract = check(path).documents["contract"]
    out = {}
    for block in contract.blocks:
        if isinstance(block, Section) and isinstance(block.blocks[0], Heading):
            out[block.source_id] = block.blocks[0].number
    return out


def test_hardware_brings_delivery_acceptance_title_risk_and_warranty() -> None:
    checked = check(RETAIL_ZH)
    assert any(line.kind == "hardware" for line in checked.pricing.lines)
    text = "\n".join(document_paragraphs(checked.documents["contract"]))
    for words in (
        "到货验收",
        "所有权自甲方付清该硬件对应价款之日起转移至甲方",
        "风险",
        "质量保证期",
    ):
        assert words in text, words
    numbers = _clauses(RETAIL_ZH)
    assert "hardware" in numbers


def test_no_hardware_no_hardware_clause_and_numbers_stay_contiguous() -> None:
    numbers = _clauses(SAAS_EN)
    assert "hardware" not in numbers
    clause_numbers = [n for n in numbers.values() if n and n.rstrip(".").isdigit()]
    assert clause_numbers == [f"{i}." for i in range(1, len(clause_numbers) + 1)]


def test_an_unknown_kind_is_refused_naming_the_line(tmp_path: Path) -> None:
    text = RETAIL_ZH.read_text(encoding="utf-8").replace("kind: hardware", "kind: gadget", 1)
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        check(path)
    assert any(p.field and p.field.endswith(".kind") for p in caught.value.problems)
