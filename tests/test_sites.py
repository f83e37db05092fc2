"""The number of sites drives the roll-out (issue 12): a one-plant deal rolls out line by
line and never speaks of other plants; a deal with more plants moves on to them; a
record that does not state ``solution.sites`` promises neither."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from propgen.document import Document, Section
from propgen.errors import NeedsError
from propgen.pipeline import Checked, check
from support import FIXTURES, INDUSTRY_SAMPLES, SAMPLES, document_paragraphs

MANUFACTURING = [
    p
    for p in (*SAMPLES, *sorted(FIXTURES.glob("*.yaml")), *INDUSTRY_SAMPLES)
    if yaml.safe_load(p.read_text(encoding="utf-8"))["document"]["industry"] == "manufacturing"
]
MORE_THAN_ONE = (
    "other plants",
    "each plant",
    "every plant",
    "plant by plant",
    "first plant",
    "second plant",
    "further plant",
    "其他工厂",
    "各工厂",
    "每座工厂",
    "逐厂",
    "首家工厂",
    "该工厂",
    "第二座工厂",
)
"""What only a deal with more than one plant can say of its roll-out."""
MOVES_ON = {
    2: ("then the second plant", "随后推广至第二座工厂"),
    3: ("then the other plants", "随后推广至其他工厂"),
    None: ("then each further plant in scope", "随后逐一推广至纳入范围的其他工厂"),
}


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _with_sites(path: Path, sites: int | None, tmp_path: Path) -> Path:
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record["solution"].pop("sites", None)
    if sites is not None:
        record["solution"]["sites"] = sites
    record["sections"] = []  # the library's roll-out text, not a record's own
    out = tmp_path / path.name
    out.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    return out


def _proposal(checked: Checked) -> str:
    """The proposal's text but the record's own words (its summary and discovery, which
    this test does not rewrite) and the case studies (other customers' plants)."""
    document = checked.documents["proposal"]
    ours = tuple(
        b for b in document.blocks if not (isinstance(b, Section) and b.source_id == "case-studies")
    )
    text = "\n".join(document_paragraphs(Document(document.meta, ours)))
    record = checked.plan.record
    discovery = record.discovery
    for item in (*discovery.situation, *discovery.problem, *discovery.implication):
        text = text.replace(item.text, "")
    for payoff in discovery.need_payoff:
        text = text.replace(payoff.text, "")
    return text.replace(record.solution.summary, "")


@pytest.mark.parametrize("path", MANUFACTURING, ids=_id)
def test_a_one_plant_deal_rolls_out_line_by_line(path: Path, tmp_path: Path) -> None:
    checked = check(_with_sites(path, 1, tmp_path), allow_draft=True)
    proposal = _proposal(checked)
    assert [p for p in MORE_THAN_ONE if p in proposal] == []
    assert "line by line" in proposal or "逐线推广" in proposal


@pytest.mark.parametrize("sites", [2, 3, None])
@pytest.mark.parametrize("path", MANUFACTURING, ids=_id)
def test_a_deal_with_more_plants_moves_on_to_them(
    path: Path, sites: int | None, tmp_path: Path
) -> None:
    checked = check(_with_sites(path, sites, tmp_path), allow_draft=True)
    proposal = _proposal(checked)
    english, chinese = MOVES_ON[sites]
    assert english in proposal or chinese in proposal
    others = [w for n, words in MOVES_ON.items() if n != sites for w in words]
    assert [w for w in others if w in proposal] == []


def test_the_one_plant_bilingual_sample_speaks_of_no_other_plant() -> None:
    path = next(p for p in SAMPLES if p.name == "manufacturing.bilingual.yaml")
    checked = check(path, allow_draft=True)
    assert checked.plan.record.solution.sites == 1
    proposal = _proposal(checked)
    assert [p for p in MORE_THAN_ONE if p in proposal] == []
    assert "工厂的其余产线分批上线" in proposal


@pytest.mark.parametrize(("sites", "problem"), [(0, "greater than or equal to 1"), ("two", "")])
def test_sites_must_be_a_positive_whole_number(sites: object, problem: str, tmp_path: Path) -> None:
    path = MANUFACTURING[0]
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record["solution"]["sites"] = sites
    out = tmp_path / path.name
    out.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    with pytest.raises(NeedsError) as raised:
        check(out, allow_draft=True)
    (found,) = [p for p in raised.value.problems if p.field == "solution.sites"]
    assert problem in found.message
