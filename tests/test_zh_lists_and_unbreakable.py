"""Issue 12, items 10 and 11: zh contract lists as （一）（二） with 1. 2. inside them, in
the PDF and in the DOCX (a real Word numbering that LibreOffice renders); dates,
amounts, percentages and phone numbers never break across lines; the zh cover's
separators are full-width."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

import pdfplumber
import pytest

from propgen.document import BulletList, OrderedList, Text, iter_blocks
from propgen.legal_lists import number_lists
from propgen.markdown import parse_markdown
from propgen.pipeline import check
from propgen.unbreakable import split_unbreakable
from support import ROOT, reference_of

RETAIL_ZH = ROOT / "samples" / "retail.zh-CN.yaml"
BANK_EN = ROOT / "samples" / "financial-services.en-US.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_nested_lists_number_by_depth() -> None:
    blocks = parse_markdown("- 甲\n  - 子\n    - x\n- 乙\n")
    (top,) = number_lists(blocks)
    assert isinstance(top, OrderedList) and top.numbering == "cjk-paren"
    inner = top.items[0].blocks[1]
    assert isinstance(inner, OrderedList) and inner.numbering == "decimal"
    innermost = inner.items[0].blocks[1]
    assert isinstance(innermost, OrderedList) and innermost.numbering == "paren-decimal"


def test_zh_contract_has_no_bullets_and_en_keeps_them() -> None:
    zh = check(RETAIL_ZH).documents["contract"]
    lists = [b for b in iter_blocks(zh.blocks) if isinstance(b, BulletList | OrderedList)]
    assert lists and not any(isinstance(b, BulletList) for b in lists)
    assert any(isinstance(b, OrderedList) and b.numbering == "cjk-paren" for b in lists)
    en = check(BANK_EN).documents["contract"]
    assert any(isinstance(b, BulletList) for b in iter_blocks(en.blocks))


@pytest.fixture
def zh_contract(rendered_samples: Path) -> dict[str, Path]:
    """The zh retail contract, PDF and DOCX (shared, read-only)."""
    stem = f"{reference_of(RETAIL_ZH)}-contract"
    return {suffix: rendered_samples / f"{stem}{suffix}" for suffix in (".pdf", ".docx")}


def _lines(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    return [unicodedata.normalize("NFKC", line) for line in text.splitlines()]


def test_pdf_lists_read_yi_er_not_bullets(zh_contract: dict[str, Path]) -> None:
    lines = _lines(zh_contract[".pdf"])
    starts = [line for line in lines if re.match(r"\(([一二三四五六七八九十]+)\)", line)]
    assert any(line.startswith("(一)") for line in starts)
    assert any(line.startswith("(二)") for line in starts)
    assert not any(line.lstrip().startswith("•") for line in lines)


def test_docx_lists_are_a_chinese_counting_numbering(
    zh_contract: dict[str, Path], libreoffice_pdfs: dict[Path, Path]
) -> None:
    with zipfile.ZipFile(zh_contract[".docx"]) as docx_zip:
        numbering = docx_zip.read("word/numbering.xml").decode()
        body = docx_zip.read("word/document.xml").decode()
    legal = next(
        (
            m
            for m in re.finditer(
                r'<w:abstractNum [^>]*w:abstractNumId="(\d+)".*?</w:abstractNum>', numbering, re.S
            )
            if "Legal list" in m.group()
        ),
        None,
    )
    assert legal, "no legal list definition"
    assert '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%1）"/>' in legal.group()
    assert '<w:lvlText w:val="%2."/>' in legal.group()
    nums = re.findall(
        rf'<w:num w:numId="(\d+)"><w:abstractNumId w:val="{legal.group(1)}"/>', numbering
    )
    assert nums
    used = set(re.findall(r'<w:numId w:val="(\d+)"/>', body))
    assert used & set(nums)
    # LibreOffice draws the numbers Word would
    lines = _lines(libreoffice_pdfs[zh_contract[".docx"]])
    assert any(line.startswith("(一)") for line in lines)
    assert any(line.startswith("(二)") for line in lines)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("due December 1, 2026.", ["December 1, 2026"]),
        ("自2027年1月11日起", ["2027年1月11日"]),
        (
            "USD 1,234.00 or $1,234.00 or 人民币1,234.00元",
            ["USD 1,234.00", "$1,234.00", "人民币1,234.00元"],
        ),
        ("a 12.5% discount", ["12.5%"]),
        ("within 140 days", ["140 days"]),
        ("响应时限为 4 个工作小时，恢复时限为1个工作日", ["4 个工作小时", "1个工作日"]),
        ("订阅终止后 30 日内，共 12 个月", ["30 日", "12 个月"]),
        ("call +86 21 5555 0216 or (212) 555-0100", ["+86 21 5555 0216", "(212) 555-0100"]),
        ("in 2026 there were 45 people", []),
        ("under clause 11.4 and Annex 2", ["clause 11.4", "Annex 2"]),
        ("as Section 2.3(b) says", ["Section 2.3(b)"]),
    ],
)
def test_what_never_breaks(text: str, kept: list[str]) -> None:
    assert [piece for piece, keep in split_unbreakable(text) if keep] == kept


def test_library_prose_marks_dates_and_amounts_and_the_pdf_keeps_them_whole(
    zh_contract: dict[str, Path],
) -> None:
    document = check(RETAIL_ZH).documents["contract"]
    kept = {
        inline.text
        for block in iter_blocks(document.blocks)
        for inline in getattr(block, "inlines", ())
        if isinstance(inline, Text) and inline.keep
    }
    assert any(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", k) for k in kept), kept
    lines = "\n".join(_lines(zh_contract[".pdf"]))
    flat = re.sub(r"\s+", "", lines)
    for run in kept:
        squeezed = re.sub(r"\s+", "", unicodedata.normalize("NFKC", run))
        assert squeezed in flat
        assert squeezed in re.sub(r"[ \t]+", "", lines), f"{run!r} breaks across lines"


def test_docx_keeps_them_with_no_break_spaces(rendered_samples: Path) -> None:
    proposal = rendered_samples / f"{reference_of(BANK_EN)}-proposal.docx"
    with zipfile.ZipFile(proposal) as docx_zip:
        body = docx_zip.read("word/document.xml").decode()
    dates = re.findall(
        r"(?:January|February|March|April|May|June|July|August|September|"
        r"October|November|December)[ \u00a0]\d{1,2},[ \u00a0]\d{4}",
        body,
    )
    assert dates
    assert any("\u00a0" in d for d in dates)


def test_zh_cover_separators_are_full_width() -> None:
    meta = check(RETAIL_ZH).documents["proposal"].meta
    for line in meta.cover_lines:
        assert not re.search(r"[\u4e00-\u9fff][,;:]|[,;:] ?[\u4e00-\u9fff]", line.value), line
    prepared = next(line.value for line in meta.cover_lines if line.label == "编制")
    assert "，" in prepared and "," not in prepared
