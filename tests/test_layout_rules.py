"""Issue 12, items 12 and 13: units agree in number, defined terms are defined, and
the DOCX keeps what the PDF keeps together (signature lead-in, table rows)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from propgen.locale import Formatter
from propgen.pipeline import check
from propgen.render.docx_body import rows_kept_with_next
from support import ROOT, SAMPLES, document_paragraphs, reference_of, tables

RETAIL_EN = ROOT / "samples" / "retail.en-US.yaml"
RETAIL_ZH = ROOT / "samples" / "retail.zh-CN.yaml"


@pytest.mark.parametrize(
    ("n", "unit", "expected"),
    [
        (1, "day", "1 day"),
        (140, "day", "140 days"),
        (1, "month", "1 month"),
        (0, "hour", "0 hours"),
        (1, "business-day", "1 Business Day"),
        (5, "business-day", "5 Business Days"),
    ],
)
def test_units_agree_in_number(n: int, unit: str, expected: str) -> None:
    assert Formatter("en-US", "USD").count(n, unit) == expected


def test_chinese_units_have_no_plural() -> None:
    """No plural, and counts in Chinese numerals as PRC contracts write them."""
    assert Formatter("zh-CN", "CNY").count(1, "month") == "一个月"
    assert Formatter("zh-CN", "CNY").count(30, "day") == "三十日"


def test_one_day_and_one_month_terms_read_in_the_singular(tmp_path: Path) -> None:
    text = RETAIL_EN.read_text(encoding="utf-8")
    needs = tmp_path / "one.yaml"
    needs.write_text(
        text.replace("liability_cap_months: 12", "liability_cap_months: 1").replace(
            "terms:\n", "terms:\n  address_change_notice_days: 1\n", 1
        ),
        encoding="utf-8",
    )
    body = "\n".join(document_paragraphs(check(needs).documents["contract"]))
    assert "in the 1 month immediately preceding" in body
    assert "at least 1 day in advance" in body
    assert not re.search(r"\b1 (days|months|hours)\b", body)


def _defined(text: str) -> set[str]:
    return set(re.findall(r"“([A-Z][A-Za-z -]+)”", text))


def _library_defined_terms() -> set[str]:
    """Every term any English clause of the library defines (“Hardware” …)."""
    terms: set[str] = set()
    for path in [*ROOT.glob("snippets/clauses/*.yaml"), *ROOT.glob("templates/**/clauses/*.yaml")]:
        terms |= _defined(path.read_text(encoding="utf-8"))
    return terms


@pytest.mark.parametrize("sample", [s for s in SAMPLES if "en-US" in s.name], ids=lambda p: p.name)
def test_every_defined_term_used_is_defined(sample: Path) -> None:
    body = "\n".join(document_paragraphs(check(sample).documents["contract"]))
    defined = _defined(body)
    for term in sorted(_library_defined_terms() - defined):
        used = re.search(rf"\b(?:the|a|an|any|each|all|such) {re.escape(term)}\b", body)
        assert not used, f"{term!r} is used but not defined: …{used and used.group()}…"
    assert "contract anniversary" not in body


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_no_number_before_a_unit_disagrees(sample: Path) -> None:
    checked = check(sample)
    for kind, document in checked.documents.items():
        text = "\n".join(document_paragraphs(document))
        assert not re.search(r"\b1 (days|months|hours|weeks|years)\b", text), kind
        assert not re.search(r"\b(?:[02-9]|\d\d+) (day|month|hour|week|year)\b(?!-)", text), kind


# --- item 13: the DOCX keeps together what the PDF keeps together ----------------


def test_rows_kept_with_next() -> None:
    # header + 10 body rows: the header and rows 1-2 move with row 3; rows 8-10 stay
    # together; the last row ends the chain
    assert rows_kept_with_next(11, header=True, footer=0) == {0, 1, 2, 8, 9}
    # header + 6 body + 3 totals: the last three body rows chain into the totals
    assert rows_kept_with_next(10, header=True, footer=3) == {0, 1, 2, 4, 5, 6, 7, 8}
    assert rows_kept_with_next(1, header=True, footer=0) == set()


def _keep_next(paragraph: object) -> bool:
    p_pr = paragraph._p.pPr  # type: ignore[attr-defined]
    return p_pr is not None and p_pr.find(qn("w:keepNext")) is not None


@pytest.fixture
def contracts(rendered_samples: Path) -> dict[str, Path]:
    """The retail samples' contract DOCX, en and zh (shared, read-only)."""
    return {
        locale: rendered_samples / f"{reference_of(sample)}-contract.docx"
        for locale, sample in (("en", RETAIL_EN), ("zh", RETAIL_ZH))
    }


@pytest.mark.parametrize("locale", ["en", "zh"])
def test_docx_signature_lead_in_keeps_with_the_block(
    contracts: dict[str, Path], locale: str
) -> None:
    document = docx.Document(str(contracts[locale]))
    body = document.element.body
    signature_table = next(
        t for t in tables(document) if any("签字" in c.text or "Name" in c.text for c in t._cells)
    )
    before = signature_table._tbl.getprevious()
    lead_in: list[Any] = []
    while before is not None and before.tag == qn("w:p") and len(lead_in) < 3:
        lead_in.append(before)
        before = before.getprevious()
    texts = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in lead_in]
    assert any(texts), texts
    for p in lead_in:
        assert p.pPr is not None and p.pPr.find(qn("w:keepNext")) is not None, texts
        assert p.pPr.find(qn("w:keepLines")) is not None
    assert body is not None


@pytest.mark.parametrize("locale", ["en", "zh"])
def test_docx_tables_repeat_headers_rows_never_split_and_short_ends_stay(
    contracts: dict[str, Path], locale: str
) -> None:
    document = docx.Document(str(contracts[locale]))
    checked = 0
    for table in tables(document):
        rows = table.rows
        header = rows[0]._tr.trPr is not None and rows[0]._tr.trPr.find(qn("w:tblHeader"))
        if header is None or len(rows) < 6:
            continue
        for row in rows:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None
        kept = [all(_keep_next(p) for c in r.cells for p in c.paragraphs) for r in rows]
        assert kept[0] and kept[1] and kept[2], kept  # header + first three body rows
        assert kept[-3] and kept[-2], kept  # the last three rows stay together
        # the last row keeps with what follows only where that is the amount in words
        # it states (and the spacer between them keeps too)
        spacer = table._tbl.getnext()
        after = spacer.getnext() if spacer is not None else None
        states = after is not None and after.xpath("string(w:pPr/w:pStyle/@w:val)") == "Amount"
        assert kept[-1] == states, kept
        checked += 1
    assert checked >= 1  # the pricing table at least


def test_the_amount_in_words_and_the_optional_note_stay_with_the_price_table(
    rendered_samples: Path,
) -> None:
    """The retail proposal's note "可选项目仅供参考，不计入合计金额。" stood alone at the top
    of a page, away from the table and the 大写金额 it qualifies. The amount in words
    stays on the page of the table's total line, and the note with it."""
    import pdfplumber

    labels = (
        ("大写金额：", "可选项目仅供参考", "合计"),
        ("Amount in words", "Optional items are", "Total"),
    )
    checked = 0
    for pdf_path in sorted(rendered_samples.glob("*-proposal.pdf")):
        with pdfplumber.open(pdf_path) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
        for words, note, total in labels:
            on = [i for i, text in enumerate(pages) if words in text]
            if not on:
                continue
            checked += 1
            lines = [line.strip() for line in pages[on[0]].splitlines()]
            before = lines[: next(i for i, line in enumerate(lines) if words in line)]
            assert any(line.startswith(total) for line in before), (pdf_path.name, before)
            notes = [i for i, text in enumerate(pages) if note in text]
            assert notes in ([], on[:1]), (pdf_path.name, notes, on)
    assert checked >= 5
