"""Test support: where things are, and reading DOCX and PDF back as text."""

from __future__ import annotations

import functools
import html
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.text.paragraph import Paragraph
from pypdf import PdfReader

from propgen.document import Meta

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
INDUSTRY_SAMPLES = sorted((ROOT / "templates" / "industry").glob("*/sample.*.yaml"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The two reference records of the product brief, vendored so a bare clone tests alone.
NORTHWIND = FIXTURES / "northwind-saas.en.yaml"
HUAXIN = FIXTURES / "huaxin-manufacturing.zh.yaml"


def record_locale(path: Path) -> str:
    """The locale a record's file name states (``….zh-CN.yaml``, ``….bilingual.yaml``)."""
    return path.name.split(".")[-2]


CHINESE_RECORDS = [
    r
    for r in [*SAMPLES, *sorted(FIXTURES.glob("*.yaml")), *INDUSTRY_SAMPLES]
    if record_locale(r).startswith("zh") or record_locale(r) == "bilingual"
]
"""Every record with a Chinese document: samples, reference records, industry samples."""


def record_id(path: Path) -> str:
    """A test id naming a record by its folder and file."""
    return f"{path.parent.name}/{path.name}"


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


def paragraphs(document: docx.document.Document) -> list[Paragraph]:
    """The body's paragraphs in order, those inside block-level content controls
    (every section and clause is one) included — ``document.paragraphs`` skips them."""

    body = document.element.body
    found = body.xpath("./w:p | ./w:sdt/w:sdtContent/w:p")
    return [Paragraph(p, document._body) for p in found]


def style_name(paragraph: Paragraph) -> str:
    """The name of a paragraph's style ("" when it has none)."""
    style = paragraph.style
    return style.name or "" if style is not None else ""


def tables(document: docx.document.Document) -> list[docx.table.Table]:
    """The body's tables in order, those inside content controls included."""
    from docx.table import Table

    found = document.element.body.xpath("./w:tbl | ./w:sdt/w:sdtContent/w:tbl")
    return [Table(t, document._body) for t in found]


def docx_text(path: Path) -> str:
    """Every paragraph and table cell of the body, headers and footers."""
    document = docx.Document(str(path))
    parts: list[str] = []
    labels = list_labels(document)
    parts += [
        (labels[i] + " " if i in labels else "") + p.text
        for i, p in enumerate(paragraphs(document))
    ]
    for table in tables(document):
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


def pdf_page_texts(path: Path) -> tuple[str, ...]:
    """Each page's text as pypdf extracts it. Kept per file and version (path, size,
    modification time): the shared rendered PDFs are read by many tests, and pypdf's
    extraction of a long Chinese PDF takes seconds."""
    stat = path.stat()
    return _page_texts(str(path.resolve()), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=128)
def _page_texts(path: str, size: int, mtime_ns: int) -> tuple[str, ...]:
    return tuple(page.extract_text() or "" for page in PdfReader(path).pages)


def pdftotext_pages(path: Path) -> tuple[str, ...]:
    """Each page's text as poppler's pdftotext reads it: a sixth of the CPU of pypdf's
    extraction (18 sample PDFs: 3 against 19 CPU-s), for tests that ask what a page
    says. It joins a word hyphenated at a line end ("decision-\nmakers" reads
    "decisionmakers"), so tests comparing words with the DOCX use :func:`pdf_page_texts`."""
    pdftotext = require_tool("pdftotext", "poppler-utils")
    stat = path.stat()  # kept per file and version, as pdf_page_texts
    return _pdftotext_pages(pdftotext, str(path.resolve()), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=128)
def _pdftotext_pages(pdftotext: str, path: str, size: int, mtime_ns: int) -> tuple[str, ...]:
    done = subprocess.run(
        [pdftotext, "-enc", "UTF-8", path, "-"],
        capture_output=True,
        check=True,
        timeout=120,
    )
    return tuple(done.stdout.decode("utf-8").split("\f")[:-1])  # a form feed ends each page


_PAGE = re.compile(r'<page width="([\d.]+)"')
_WORD = re.compile(
    r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def pdf_words(path: Path, last_page: int = 0) -> list[tuple[float, list[tuple[float, float, str]]]]:
    """Per page (up to ``last_page`` when given), its width and each word's right and
    bottom edges (points from the page's left and top) and text, from ``pdftotext
    -bbox``. A word's edges are its glyphs': on every page of the 18 sample PDFs the
    rightmost and topmost edges equal pdfplumber's characters' to 1e-6 pt, at a tenth
    of the CPU (right edges of every page: 2.5 against 26 CPU-s)."""
    pdftotext = require_tool("pdftotext", "poppler-utils")
    pages = ["-l", str(last_page)] if last_page else []
    done = subprocess.run(
        [pdftotext, "-bbox", *pages, "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        timeout=120,
    )
    return [
        (
            float(_PAGE.match("<page " + page)[1]),  # type: ignore[index]
            [(float(x), float(y), html.unescape(text)) for x, y, text in _WORD.findall(page)],
        )
        for page in done.stdout.decode("utf-8").split("<page ")[1:]
    ]


def pdf_text(path: Path) -> str:
    text = "\n".join(pdf_page_texts(path))
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


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN = "零一二三四五六七八九"


def _chinese_counting(n: int) -> str:
    tens, ones = divmod(n, 10)
    if n < 10:
        return _CN[n]
    return (_CN[tens] if tens > 1 else "") + "十" + (_CN[ones] if ones else "")


def list_labels(document: docx.document.Document) -> dict[int, str]:
    """The numbers Word prints before the body paragraphs of the clause list (by index
    in :func:`paragraphs`), computed from numbering.xml as Word does: decimal and
    chineseCounting levels, ``%N`` placeholders, ``isLgl`` levels in Arabic figures,
    levels a ``w:num`` overrides; the instances of one abstract list share its counters."""
    numbering = document.part.numbering_part.element
    styles = {s.style_id: s.element for s in document.styles}
    levels: dict[tuple[str, int], tuple[str, str, bool]] = {}
    list_of: dict[str, str] = {}
    for num in numbering.findall(f"{_W}num"):
        abstract_id = num.find(f"{_W}abstractNumId").get(f"{_W}val")
        list_of[num.get(f"{_W}numId")] = abstract_id
        abstract = numbering.xpath(f'w:abstractNum[@w:abstractNumId="{abstract_id}"]')[0]
        overrides = num.findall(f"{_W}lvlOverride/{_W}lvl")
        for lvl in [*abstract.findall(f"{_W}lvl"), *overrides]:
            levels[(num.get(f"{_W}numId"), int(lvl.get(f"{_W}ilvl")))] = (
                lvl.find(f"{_W}numFmt").get(f"{_W}val"),
                lvl.find(f"{_W}lvlText").get(f"{_W}val"),
                lvl.find(f"{_W}isLgl") is not None,
            )
    counters: dict[str, list[int]] = {}
    labels: dict[int, str] = {}
    for index, p in enumerate(paragraphs(document)):
        style = (
            styles.get(p._p.pPr.pStyle.val)
            if p._p.pPr is not None and p._p.pPr.pStyle is not None
            else None
        )
        num_pr = style.find(f"{_W}pPr/{_W}numPr") if style is not None else None
        if num_pr is None or num_pr.find(f"{_W}numId") is None:
            continue
        num_id = num_pr.find(f"{_W}numId").get(f"{_W}val")
        ilvl_el = num_pr.find(f"{_W}ilvl")
        ilvl = int(ilvl_el.get(f"{_W}val")) if ilvl_el is not None else 0
        if (num_id, ilvl) not in levels or levels[(num_id, ilvl)][0] == "bullet":
            continue
        count = counters.setdefault(list_of[num_id], [0] * 9)
        count[ilvl] += 1
        count[ilvl + 1 :] = [0] * (8 - ilvl)
        _fmt, text, legal = levels[(num_id, ilvl)]

        shown = []
        for placeholder in re.findall(r"%(\d)", text):
            level = int(placeholder) - 1
            fmt = levels.get((num_id, level), ("decimal", "", False))[0]
            n = count[level]
            shown.append(_chinese_counting(n) if fmt == "chineseCounting" and not legal else str(n))
        pieces = re.split(r"%\d", text)
        labels[index] = "".join(a + b for a, b in zip(pieces, [*shown, ""], strict=True))
    return labels


def reference_of(record: Path) -> str:
    """The record's document reference, which starts the names of its rendered files
    (``{reference}-proposal.pdf`` …): picks one sample's files out of a shared folder."""
    import yaml

    document = yaml.safe_load(record.read_text(encoding="utf-8"))["document"]
    return str(document["reference"])


def plain_meta(**fields: Any) -> Meta:
    """A document's metadata with plain defaults: tests name only what they test."""
    values: dict[str, Any] = dict(
        kind="contract",
        locale="en-US",
        title="Agreement",
        subtitle="",
        reference="T-1",
        date_iso="2026-03-14",
        cover_lines=(),
        header="",
        footer="",
        page_label="Page",
        of_label="of",
        page_suffix="",
        seller_name="Seller",
        customer_name="Customer",
        author="Tester",
    )
    return Meta(**(values | fields))
