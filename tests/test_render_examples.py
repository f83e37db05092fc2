"""End to end: the reference records through the CLI, read back from DOCX and PDF."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from support import (
    HUAXIN,
    NORTHWIND,
    ROOT,
    docx_text,
    paragraphs,
    pdf_fonts,
    pdf_text,
    squash,
    style_name,
    tables,
    words,
)

FIGURES = {
    NORTHWIND: [
        "$148,900.00",
        "$141,455.00",
        "$56,582.00",
        "$28,291.00",
        "Northwind Logistics",
        "Same-day quotes would recover",
        "A freight quote takes three working days",
    ],
    HUAXIN: [
        "¥1,407,200.00",
        "¥177,447.92",
        "¥1,542,431.92",
        "¥462,729.58",
        "¥616,972.77",
        "¥385,607.98",
        "¥77,121.59",
        "人民币壹佰伍拾肆万贰仟肆佰叁拾壹元玖角贰分",
        "苏州华信精密制造有限公司",
        "生产数据滞后一天以上",
        "批次追溯缩短到10分钟",
    ],
}


@pytest.fixture
def rendered(rendered_references: dict[Path, Path]) -> dict[Path, Path]:
    """Each reference record rendered alone through the CLI (shared, read-only)."""
    return rendered_references


def _out(rendered: dict[Path, Path], record: Path) -> Path:
    return rendered[record]


@pytest.mark.parametrize("record", [NORTHWIND, HUAXIN], ids=["northwind", "huaxin"])
def test_outputs_and_figures(rendered: dict[Path, Path], record: Path) -> None:
    out = _out(rendered, record)
    ref = "PG-2026-0142" if record == NORTHWIND else "PG-2026-0157"
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        [
            f"{ref}-proposal.docx",
            f"{ref}-proposal.pdf",
            f"{ref}-contract.docx",
            f"{ref}-contract.pdf",
            f"{ref}.provenance.json",
        ]
    )
    proposal_docx = squash(docx_text(out / f"{ref}-proposal.docx"))
    proposal_pdf = squash(pdf_text(out / f"{ref}-proposal.pdf"))
    for figure in FIGURES[record]:
        assert squash(figure) in proposal_docx, figure
        assert squash(figure) in proposal_pdf, figure


@pytest.mark.parametrize("record", [NORTHWIND, HUAXIN], ids=["northwind", "huaxin"])
def test_docx_uses_real_heading_styles(rendered: dict[Path, Path], record: Path) -> None:
    out = _out(rendered, record)
    for path in out.glob("*.docx"):
        document = docx.Document(str(path))
        styles = {style_name(p) for p in paragraphs(document) if p.text.strip()}
        assert "Heading 1" in styles, path.name
        assert tables(document), path.name


@pytest.mark.parametrize("record", [NORTHWIND, HUAXIN], ids=["northwind", "huaxin"])
def test_docx_and_pdf_say_the_same_words(rendered: dict[Path, Path], record: Path) -> None:
    out = _out(rendered, record)
    # The logo is an SVG with text in the PDF, a picture in the DOCX.
    logo = words(re.sub(r"<[^>]+>", " ", (ROOT / "templates/theme/logo.svg").read_text()))
    for path in out.glob("*.docx"):
        in_docx = words(docx_text(path)) - logo
        in_pdf = words(pdf_text(path.with_suffix(".pdf"))) - logo
        assert in_docx - in_pdf == set(), path.name
        assert in_pdf - in_docx == set(), path.name


def test_chinese_pdf_embeds_a_cjk_font(rendered: dict[Path, Path]) -> None:
    out = _out(rendered, HUAXIN)
    for path in out.glob("*.pdf"):
        fonts = " ".join(pdf_fonts(path))
        assert "CJK" in fonts, (path.name, fonts)


def test_chinese_docx_sets_east_asian_font(rendered: dict[Path, Path]) -> None:
    out = _out(rendered, HUAXIN)
    styles = out / "PG-2026-0157-proposal.docx"
    document = docx.Document(str(styles))
    xml = document.styles.element.xml
    assert "w:eastAsia=" in xml and "DengXian" in xml


def test_libreoffice_opens_every_docx(
    rendered: dict[Path, Path], libreoffice_pdfs: dict[Path, Path]
) -> None:
    docs = [p for out in rendered.values() for p in out.glob("*.docx")]
    assert len(docs) == 4
    for doc in docs:
        converted = libreoffice_pdfs[doc]
        assert converted.is_file() and converted.stat().st_size > 5000, doc.name
        text = squash(pdf_text(converted))
        assert (
            squash(FIGURES[NORTHWIND if "0142" in doc.name else HUAXIN][1]) in text
            or "contract" in doc.name
        )
