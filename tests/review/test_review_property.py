"""Property: an edit inside clause X is reported in clause X, and nowhere else."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree  # type: ignore[import-untyped]
from review_support import W, read_body, write_body

from propgen.library import Library, default_library_root
from propgen.pipeline import check
from propgen.render.docx_trace import parse_tag
from propgen.review.align import align
from propgen.review.compare import judge
from propgen.review.docx_read import read_docx
from propgen.review.expected import expected_sections
from propgen.review.sections import ExpectedSection
from support import ROOT, reference_of

RECORD = ROOT / "samples" / "saas.en-US.yaml"


@pytest.fixture(scope="module")
def contract(rendered_samples: Path) -> tuple[Path, Any, list[ExpectedSection]]:
    original = rendered_samples / f"{reference_of(RECORD)}-contract.docx"  # shared, read-only
    checked = check(RECORD, library=Library(default_library_root()), only="contract")
    return original, read_body(original), expected_sections(checked, "contract")


def _controls(body: Any) -> dict[str, Any]:
    found = {}
    for sdt in body.iter(f"{W}sdt"):
        tag = sdt.find(f"{W}sdtPr/{W}tag")
        parsed = parse_tag(tag.get(f"{W}val")) if tag is not None else None
        if parsed is not None:
            found[parsed.id] = sdt
    return found


CLAUSES = [
    "definitions",
    "fees-and-payment",
    "term-and-termination",
    "warranties",
    "confidentiality",
    "data-protection",
    "limitation-of-liability",
    "indemnities",
    "force-majeure",
    "notices",
    "parties",
    "signatures",
    "annex",
]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    clause=st.sampled_from(CLAUSES),
    paragraph=st.integers(min_value=0, max_value=200),
    at_start=st.booleans(),
    word=st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=3, max_size=12),
)
def test_an_edit_in_one_clause_is_reported_in_that_clause_only(
    contract: tuple[Path, Any, list[ExpectedSection]],
    tmp_path_factory: pytest.TempPathFactory,
    clause: str,
    paragraph: int,
    at_start: bool,
    word: str,
) -> None:
    original, body, expected = contract
    edited_body = copy.deepcopy(body)
    paragraphs = list(_controls(edited_body)[clause].iter(f"{W}p"))
    p = paragraphs[paragraph % len(paragraphs)]
    run = etree.Element(f"{W}r")
    text = etree.SubElement(run, f"{W}t")
    text.text = f" {word} "
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    ppr = p.find(f"{W}pPr")
    if at_start and ppr is not None:
        ppr.addnext(run)
    elif at_start:
        p.insert(0, run)
    else:
        p.append(run)
    path = write_body(original, edited_body, tmp_path_factory.mktemp("edit") / "edited.docx")
    docx = read_docx(path)
    findings = judge(align(docx.paragraphs, expected), expected, "en-US")
    changed = {s.id: s.verdict for s in findings.sections if s.verdict != "unchanged"}
    assert changed == {clause: "new-wording"}
    assert findings.added == ()
    section = next(s for s in findings.sections if s.id == clause)
    assert "".join(c.text for c in section.diff if c.op == "insert").strip() == word
