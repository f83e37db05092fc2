"""Defined terms: a contract defines every capitalised term it uses, and a proposal,
which defines none, uses none of the contract's (issue 12: "subscription Fees" in a
proposal); a time counted in business hours says what a business hour is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from propgen.pipeline import check
from support import HUAXIN, NORTHWIND, ROOT, SAMPLES, document_paragraphs

RECORDS = [
    *SAMPLES,
    *sorted((ROOT / "templates" / "industry").glob("*/sample.*.yaml")),
    NORTHWIND,
    HUAXIN,
]
ENGLISH = [path for path in RECORDS if "zh" not in path.name and "bilingual" not in path.name]

_DEFINED = re.compile(r"“([A-Z][^”]*)” means")
BUSINESS_HOUR = {
    "en": "A business hour is an hour within the support hours that apply to the incident’s "
    "priority; a time stated in business hours runs only during those hours.",
    "zh": "指该故障级别适用的服务时间内的小时；以工作小时计的时限仅在该服务时间内计算。",
    "translated": "A business hour means an hour within the service hours applicable to the "
    "severity of the fault; a time limit stated in business hours runs only within those "
    "service hours.",
}


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.mark.parametrize("path", ENGLISH, ids=_id)
def test_a_proposal_uses_none_of_the_contracts_defined_terms(path: Path) -> None:
    """No term the contract defines ("Fees", "the Customer", "this Agreement" …) is
    capitalised in the middle of a proposal's sentence, except in the record's own
    words (a milestone the buyer named "First anniversary of the Start Date")."""
    checked = check(path, allow_draft=True)
    contract = document_paragraphs(checked.documents["contract"])
    defined = {term for text in contract for term in _DEFINED.findall(text)}
    assert {"Fees", "Customer", "Agreement"} <= defined
    record = path.read_text(encoding="utf-8")
    found = [
        (term, text)
        for text in document_paragraphs(checked.documents["proposal"])
        if text not in record
        for term in defined
        if re.search(rf"(?<=[a-z,;:] ){re.escape(term)}\b", text)
    ]
    assert found == []


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_a_business_hour_is_defined_wherever_one_is_counted(path: Path) -> None:
    """The SLA tables count responses in business hours (工作小时): the proposal's service
    levels and the contract's Service Level Schedule each say what one is, in the same
    words, and a document that counts none defines none."""
    checked = check(path, allow_draft=True)
    for kind, document in checked.documents.items():
        text = "\n".join(document_paragraphs(document))
        # A bilingual contract's English column is the translation of the Chinese.
        english = BUSINESS_HOUR["translated" if "Party A" in text else "en"]
        for counted, definition in (
            (r"\d ?个?工作小时", BUSINESS_HOUR["zh"]),
            (r"\d business hours?\b", english),
        ):
            assert (definition in text) == bool(re.search(counted, text)), (kind, definition)
