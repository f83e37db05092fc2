"""Every bundled sample renders, in every industry and locale, with nothing left over."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from propgen.document import Heading, Paragraph, Section, Table, inline_text, iter_blocks
from propgen.pipeline import check
from support import (
    INDUSTRY_SAMPLES,
    SAMPLES,
    docx_text,
    paragraphs,
    pdf_words,
    pdftotext_pages,
    reference_of,
    style_name,
)

LEFTOVERS = re.compile(r"\{\{|\}\}|\{%|%\}|\bTODO\b|(?i:lorem|ipsum|\[insert)|\bNone\b|Undefined")


@pytest.mark.parametrize("paths", [SAMPLES, INDUSTRY_SAMPLES], ids=["samples", "industries"])
def test_samples_cover_every_industry_and_locale(paths: list[Path]) -> None:
    seen = []
    for path in paths:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))["document"]
        seen.append((document["industry"], document["locale"]))
    # every industry in every locale (a bilingual sample adds a second record of one)
    assert set(seen) == {
        (i, loc)
        for i in ("saas", "manufacturing", "retail", "financial-services")
        for loc in ("en-US", "zh-CN")
    }


@pytest.mark.parametrize(
    "path",
    SAMPLES + INDUSTRY_SAMPLES,
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_no_empty_sections_and_no_template_leftovers(path: Path) -> None:
    checked = check(path, allow_draft=True)
    for kind, document in checked.documents.items():
        for block in document.blocks:
            if isinstance(block, Section) and isinstance(block.blocks[0], Heading):
                rest = [b for b in block.blocks[1:] if not isinstance(b, Heading)]
                assert rest, f"{kind}: section {block.source_id!r} is empty"
        for block in iter_blocks(document.blocks):
            texts = []
            if isinstance(block, Heading | Paragraph):
                texts = [inline_text(block.inlines)]
            elif isinstance(block, Table):
                rows = [*([block.header] if block.header else []), *block.rows, *block.footer]
                texts = [inline_text(cell.inlines) for row in rows for cell in row.cells]
            for text in texts:
                assert not LEFTOVERS.search(text), (kind, text[:200])


@pytest.fixture
def rendered(rendered_samples: Path) -> Path:
    """Every sample rendered in one ``propgen render -j 2`` run (shared, read-only)."""
    return rendered_samples


def test_every_sample_renders_both_documents_in_both_formats(rendered: Path) -> None:
    pdfs = sorted(rendered.glob("*.pdf"))
    docx = sorted(rendered.glob("*.docx"))
    assert len(pdfs) == len(docx) == 2 * len(SAMPLES)
    assert len(list(rendered.glob("*.provenance.json"))) == len(SAMPLES)
    assert not list(rendered.glob(".*.tmp"))


def pdf_page_count(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def test_no_blank_pages(rendered: Path) -> None:
    for path in sorted(rendered.glob("*.pdf")):
        pages = pdftotext_pages(path)
        assert len(pages) == pdf_page_count(path), path.name
        for number, text in enumerate(pages[1:], start=2):  # after the cover
            # A page with only its running header and footer has under 80 characters.
            assert len(text) > 120, f"{path.name} page {number}"


def test_the_cover_is_one_page(rendered: Path) -> None:
    """Page 2 carries the running header, so the cover (its notice of clauses awaiting
    re-approval included) ended on page 1: a long bilingual notice once moved to a
    second, otherwise empty cover page."""
    top_margin = 24 * 72 / 25.4  # print.css's top page margin; covers have none above it
    for path in sorted(rendered.glob("*.pdf")):
        in_margin = [
            [text for _right, bottom, text in words if bottom < top_margin]
            for _width, words in pdf_words(path, last_page=2)
        ]
        assert len(in_margin) == 2, path.name
        assert not in_margin[0], f"{path.name}: the cover has a running header"
        assert in_margin[1], f"{path.name}: page 2 is still the cover"


def test_a_signature_block_never_stands_alone_on_its_page(rendered: Path) -> None:
    """Text leads into the signatures on their page: the US proposals once put the
    signature boxes alone on a last page, below nothing but the running header."""
    import pdfplumber

    top_margin = 24 * 72 / 25.4  # below the running header
    for path in sorted(rendered.glob("*.pdf")):
        with pdfplumber.open(path) as pdf:
            # The last page with a signature block: searched from the end, since laying
            # out a page's characters is what costs (all pages of 16 PDFs took 46 CPU-s).
            found = next(
                (
                    (page, hits[0])
                    for page in reversed(pdf.pages)
                    for hits in [page.search("For the Customer") or page.search("甲方（盖章）")]
                    if hits
                ),
                None,
            )
            assert found, f"{path.name}: no signature block"
            page, heading = found
            above = [
                c
                for c in page.chars
                if top_margin < c["top"] < heading["top"] - 2 and c["text"].strip()
            ]
            assert above, f"{path.name} p. {page.page_number}: the signatures stand alone"


def test_outputs_have_no_leftovers(rendered: Path) -> None:
    for path in sorted(rendered.glob("*.pdf")):
        text = unicodedata.normalize("NFKC", "\n".join(pdftotext_pages(path)))
        assert len(text) > 2000, path.name
        assert not LEFTOVERS.search(text), (path.name, LEFTOVERS.search(text))
        assert not LEFTOVERS.search(docx_text(path.with_suffix(".docx"))), path.name


def test_paper_follows_the_locale(rendered: Path) -> None:
    """en-US on US Letter (215.9 × 279.4 mm), zh-CN on A4, in both formats."""
    import json

    import docx
    from pypdf import PdfReader

    expected = {"en-US": (215.9, 279.4), "zh-CN": (210.0, 297.0)}
    for provenance in sorted(rendered.glob("*.provenance.json")):
        locale = json.loads(provenance.read_text(encoding="utf-8"))["locale"]
        width, height = expected[locale]
        stem = provenance.name.removesuffix(".provenance.json")
        for kind in ("proposal", "contract"):
            box = PdfReader(str(rendered / f"{stem}-{kind}.pdf")).pages[0].mediabox
            assert (
                round(float(box.width) / 72 * 25.4, 1),
                round(float(box.height) / 72 * 25.4, 1),
            ) == (
                width,
                height,
            ), (stem, kind)
            for section in docx.Document(str(rendered / f"{stem}-{kind}.docx")).sections:
                assert section.page_width is not None and section.page_height is not None
                assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == (
                    width,
                    height,
                ), (stem, kind)


def test_libreoffice_pages_of_every_docx_are_within_one_of_the_pdf(
    rendered: Path, libreoffice_pdfs: dict[Path, Path]
) -> None:
    """Word users see the document the PDF shows: LibreOffice's layout of each DOCX
    (fonts substituted as on a machine without Office) is within one page of it.

    A contract set in two parallel language columns is held to 15 % instead: its
    clauses are rows of a two-column table, and LibreOffice 7.4 repeats each clause's
    heading row on every page the clause continues on (the PDF does not) and splits
    rows later than WeasyPrint, so it runs 34 PDF pages to 37-39 here (38 already on
    the code that passed the previous stop's CI). Its clause order and content are
    the PDF's; the page drift is the layout engine's."""
    from pypdf import PdfReader

    docs = sorted(rendered.glob("*.docx"))
    assert docs and all(doc in libreoffice_pdfs for doc in docs)
    pages = {
        path.name: (
            len(PdfReader(str(path.with_suffix(".pdf"))).pages),
            len(PdfReader(str(libreoffice_pdfs[path])).pages),
        )
        for path in docs
    }
    parallel = {f"{reference_of(r)}-contract.docx" for r in SAMPLES if _languages(r) > 1}
    assert parallel, "the bilingual sample is among the samples"
    off = {
        name: (pdf, lo)
        for name, (pdf, lo) in pages.items()
        if abs(pdf - lo) > (max(1, round(pdf * 0.15)) if name in parallel else 1)
    }
    assert off == {}, pages
    _contents_carry_the_pdfs_page_numbers(docs, libreoffice_pdfs)


def _languages(record: Path) -> int:
    document = yaml.safe_load(record.read_text(encoding="utf-8"))["document"]
    return len(document.get("languages", [document["locale"]]))


def _contents_carry_the_pdfs_page_numbers(docs: list[Path], converted: dict[Path, Path]) -> None:
    """The DOCX contents page is filled when written, with the PDF's page numbers, so
    LibreOffice's conversion (no field update) prints entries and numbers."""
    import docx as python_docx
    from pypdf import PdfReader

    from propgen.render.pdf_pages import contents_pages

    for path in docs:
        document = python_docx.Document(str(path))
        entries = [p.text for p in paragraphs(document) if style_name(p) in ("toc 1", "toc 2")]
        if "contract" in path.name and len(entries) <= 1:
            continue
        assert entries, path.name
        numbers = [int(e.rpartition("\t")[2]) for e in entries]
        assert tuple(numbers) == contents_pages(path.with_suffix(".pdf").read_bytes()), path.name
        assert (
            document.settings.element.find(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}updateFields"
            )
            is None
        ), path.name  # nothing to update: Word does not prompt
        shown = PdfReader(str(converted[path])).pages[1].extract_text()
        lines = [re.sub(r"[\s.]+", "", line) for line in shown.splitlines()]
        for entry, number in zip(entries, numbers, strict=True):
            title = re.sub(r"[\s.]+", "", entry.rpartition("\t")[0])
            assert any(line.startswith(title) and line.endswith(str(number)) for line in lines), (
                path.name,
                entry,
                shown[:400],
            )
