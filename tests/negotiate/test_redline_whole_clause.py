"""A whole clause inserted or deleted in the redline, through the real path: a needs
record, ``propgen redline``, the DOCX read back by pandoc.

A record's clause set follows the industry's list, filtered by each clause's
``when:`` and ``regions:``. The standard contract the redline compares with is the
same record with every clause in its standard position, so what a record's item
kinds, languages or region bring or drop, they bring or drop in both alike. What
differs is the positions: a clause whose ``when:`` reads another clause's position
(``positions``) — insurance that comes with a raised liability cap, a cap review
that only the standard cap has — is in the deal's contract and not in the standard
one, or the other way round, and the redline shows it inserted or deleted whole.
The bundled library has no such clause; this test adds two to a copy of it."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree  # type: ignore[import-untyped]

from conftest import Result
from negotiate.test_redline import pandoc_text
from support import ROOT

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
RECORD = ROOT / "samples" / "saas.en-US.yaml"  # limitation-of-liability: fallback-1
INSURANCE = (
    "While its liability exceeds the standard cap, the Supplier will maintain professional "
    "indemnity insurance covering that liability."
)
CAP_REVIEW = "The parties will review the cap on liability at each renewal of this Agreement."
RAISED = 'positions.get("limitation-of-liability", "standard") != "standard"'


def _clause(clause_id: str, title: str, text: str, when: str) -> dict[str, object]:
    return {
        "id": clause_id,
        "version": "1.0.0",
        "status": "approved",
        "owner": "legal@meridian.example",
        "approved_by": "Eleanor Vance, General Counsel",
        "approved_on": "2026-11-20",
        "review_by": "2027-11-20",
        "locked": False,
        "when": when,
        "title": {"en-US": title, "zh-CN": title},
        "positions": {"standard": {"text": {"en-US": text + "\n", "zh-CN": text + "\n"}}},
    }


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled library plus two clauses the liability position brings or drops."""
    root = tmp_path_factory.mktemp("whole-clause") / "library"
    for part in ("templates", "snippets"):
        shutil.copytree(ROOT / part, root / part)
    clauses = {
        "insurance": _clause("insurance", "Insurance", INSURANCE, RAISED),
        "cap-review": _clause("cap-review", "Review of the cap", CAP_REVIEW, f"not ({RAISED})"),
    }
    for clause_id, data in clauses.items():
        path = root / "snippets" / "clauses" / f"{clause_id}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    manifest = root / "templates" / "industry" / "saas" / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    anchor = "    - limitation-of-liability\n"
    assert anchor in text
    manifest.write_text(
        text.replace(anchor, anchor + "    - insurance\n    - cap-review\n", 1), "utf-8"
    )
    return root


def _tracked(path: Path, tag: str) -> str:
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return " ".join(
        "".join(t.text or "" for t in change.iter(f"{W}t", f"{W}delText"))
        for change in root.iter(f"{W}{tag}")
        if change.getparent().tag != f"{W}rPr"
    )


def test_a_clause_the_position_brings_or_drops_is_inserted_or_deleted_whole(
    library: Path, tmp_path: Path, run: object
) -> None:
    args = ["--library", library]
    result: Result = run("redline", RECORD, "-o", tmp_path / "redline", *args)  # type: ignore[operator]
    assert result.code == 0, result.err
    (docx,) = (tmp_path / "redline").glob("*-contract-redline.docx")
    # the deal's own contract has the insurance clause and not the cap review
    result = run("render", RECORD, "-o", tmp_path / "deal", "--only", "contract", *args)  # type: ignore[operator]
    assert result.code == 0, result.err
    (deal,) = (tmp_path / "deal").glob("*-contract.docx")
    deal_text = " ".join(pandoc_text(deal))
    assert INSURANCE in deal_text and CAP_REVIEW not in deal_text
    # accepting every change reads the deal, rejecting every change the standard
    accepted = " ".join(pandoc_text(docx, "accept"))
    rejected = " ".join(pandoc_text(docx, "reject"))
    assert INSURANCE in accepted and CAP_REVIEW not in accepted
    assert CAP_REVIEW in rejected and INSURANCE not in rejected
    # whole: heading and text inside the tracked insertion / deletion
    inserted, deleted = _tracked(docx, "ins"), _tracked(docx, "del")
    assert "Insurance" in inserted and INSURANCE in inserted
    assert "Review of the cap" in deleted and CAP_REVIEW in deleted
    # and the PDF's summary (page 1) lists both as differing from the standard
    from pypdf import PdfReader

    (pdf,) = (tmp_path / "redline").glob("*-contract-redline.pdf")
    page_one = " ".join((PdfReader(str(pdf)).pages[0].extract_text() or "").split())
    assert "Insurance clause added" in page_one
    assert "Review of the cap clause removed" in page_one
