"""Test support: where things are, and reading DOCX and PDF back as text."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
INDUSTRY_SAMPLES = sorted((ROOT / "templates" / "industry").glob("*/sample.*.yaml"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The two reference records of the product brief, vendored so a bare clone tests alone.
NORTHWIND = FIXTURES / "northwind-saas.en.yaml"
HUAXIN = FIXTURES / "huaxin-manufacturing.zh.yaml"


def require_tool(command: str, debian_package: str) -> str:
    """The path of ``command``; a failure naming the package to install when it is
    missing (``make setup`` installs every one), never a skip that hides coverage."""
    found = shutil.which(command)
    if found is None:
        pytest.fail(
            f"{command} is not installed: apt-get install {debian_package} "
            "(make setup installs the Makefile's APT_PACKAGES)",
            pytrace=False,
        )
    return found


# Words are letters only: PDF text extraction may glue adjacent table cells
# ("user-month" + "12" → "user-month12").
_LETTER = r"[^\W\d_\u3400-\u9fff]"
_TOKEN = re.compile(rf"{_LETTER}(?:{_LETTER}|['’\-])*|\d[\d,.]*\d|[\u3400-\u9fff]")
_CJK = re.compile(r"[\u3400-\u9fff]")


def docx_text(path: Path) -> str:
    """Every paragraph and table cell of the body, headers and footers."""
    document = docx.Document(str(path))
    parts: list[str] = []
    parts += [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in document.sections:
        for part in (
            section.header,
            section.footer,
            section.first_page_header,
            section.first_page_footer,
        ):
            parts += [p.text for p in part.paragraphs]
    return unicodedata.normalize("NFKC", "\n".join(parts))


def pdf_text(path: Path) -> str:
    reader = PdfReader(str(path))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    # A word wrapped at its hyphen ("user-\nmonth") is still one word.
    return unicodedata.normalize("NFKC", re.sub(r"-\n", "-", text))


def pdf_fonts(path: Path) -> set[str]:
    fonts: set[str] = set()
    for page in PdfReader(str(path)).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    return fonts


def words(text: str) -> set[str]:
    """Comparable tokens: Latin words, numbers with separators, single CJK characters."""
    tokens = {t.strip(".,'’-").lower() for t in _TOKEN.findall(text) if not t.isdigit()}
    # Single Latin letters are dropped: letter-spaced text extracts as single letters.
    return {t for t in tokens if len(t) > 1 or _CJK.match(t)}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def document_paragraphs(document: object) -> list[str]:
    """The text of every heading, paragraph and table cell of an assembled document
    (used by test_terms, test_repetition, test_address_form, test_deployment_annex)."""
    from propgen.document import Document, Heading, Paragraph, Table, inline_text, iter_blocks

    assert isinstance(document, Document)
    texts: list[str] = []
    for block in iter_blocks(document.blocks):
        if isinstance(block, Heading | Paragraph):
            texts.append(inline_text(block.inlines))
        elif isinstance(block, Table):
            rows = [*([block.header] if block.header else []), *block.rows, *block.footer]
            texts += [inline_text(cell.inlines) for row in rows for cell in row.cells]
    return texts
