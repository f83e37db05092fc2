"""Long words in the PDF: the ``break-word`` baseline lays documents out as
``anywhere`` did, faster; a word too long for its column still stays on the page."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import weasyprint

from propgen.document import Cell, ColumnSpec, Document, Paragraph, Row, Section, Table, Text
from propgen.library import Library, default_library_root
from propgen.locales import paper
from propgen.pipeline import check, traced
from propgen.render.html import ANYWHERE_CSS, BASELINE_CSS, STYLESHEET, build_html
from propgen.render.page_overflow import wrappable_text_runs_off
from propgen.render.pdf import render_pdf
from support import ROOT, pdf_words, plain_meta

THEME = ROOT / "templates" / "theme"
LONG = "IBAN" + "7" * 30 + "QWERTYUIOPASDFGHJKLZXCVBNM" * 5  # no break opportunity
"""A 164-character word: wider than the page."""


def laid_out(markup: str, baseline: str, locale: str) -> weasyprint.Document:
    """``markup`` laid out by bare WeasyPrint with the theme and ``baseline``."""
    sheets = [
        weasyprint.CSS(string=baseline),
        weasyprint.CSS(filename=str(THEME / STYLESHEET)),
        weasyprint.CSS(string=f"@page {{ size: {paper(locale).css} }}"),
    ]
    html = weasyprint.HTML(string=markup, base_url=THEME.as_uri() + "/")
    return html.render(stylesheets=sheets)


def test_break_word_lays_out_the_bench_proposal_as_anywhere_did() -> None:
    """The 14-page proposal bench/carbone.py measures (tables, running headers,
    contents): the same PDF bytes with either baseline, and no second layout."""
    library = Library(default_library_root())
    checked = check(ROOT / "samples" / "saas.en-US.yaml", library=library, only="proposal")
    document = traced(checked)["proposal"]
    markup = build_html(document, THEME.resolve(), standalone=False)
    fast = laid_out(markup, BASELINE_CSS, document.meta.locale)
    assert not wrappable_text_runs_off(fast)
    slow = laid_out(markup, ANYWHERE_CSS, document.meta.locale)
    assert len(fast.pages) == len(slow.pages) == 14
    identifier = b"0" * 32
    assert fast.write_pdf(pdf_identifier=identifier) == slow.write_pdf(pdf_identifier=identifier)


def long_word_document() -> Document:
    """A too-long word in a table cell, the running footer and a paragraph."""
    table = Table(
        header=Row((Cell((Text("Item"),)), Cell((Text("Account"),)))),
        rows=(Row((Cell((Text("Bank account"),)), Cell((Text(LONG),)))),),
        columns=(ColumnSpec("left", 1), ColumnSpec("left", 3)),
    )
    body = Section("terms", (Paragraph((Text(f"Pay to {LONG} within 30 days."),)), table))
    return Document(meta=plain_meta(footer=f"Ref {LONG}"), blocks=(body,))


def test_a_word_too_long_for_its_column_is_laid_out_again_and_stays_on_the_page() -> None:
    document = long_word_document()
    markup = build_html(document, THEME.resolve(), standalone=False)
    assert wrappable_text_runs_off(laid_out(markup, BASELINE_CSS, "en-US"))
    assert not wrappable_text_runs_off(laid_out(markup, ANYWHERE_CSS, "en-US"))
    with pdfplumber.open(io.BytesIO(render_pdf(document, THEME))) as pdf:
        text = ""
        for page in pdf.pages:
            for char in page.chars:
                assert char["x0"] >= 0 and char["x1"] <= page.width, char["text"]
            text += "".join(char["text"] for char in page.chars)
    assert text.count(LONG) == 3  # paragraph, table cell, footer: all printed


def test_text_that_cannot_wrap_does_not_ask_for_a_second_layout() -> None:
    """A figure kept whole (``.nobr``) wider than its column: ``anywhere`` would not
    move it, so it is not counted."""
    figures = "".join(f'<td><span class="nobr">{"9" * 40}</span></td>' for _ in range(3))
    markup = f'<html lang="en-US"><body><table class="t"><tr>{figures}</tr></table>'
    document = laid_out(markup, BASELINE_CSS, "en-US")
    page = document.pages[0]._page_box
    widest = max(box.position_x + box.width for box in page.descendants())
    assert widest > page.content_box_x() + page.width  # it does run into the margin
    assert not wrappable_text_runs_off(document)


RIGHT_MARGIN_MM = 20
"""print.css's right page margin (the cover's is wider)."""


def test_no_sample_prints_into_the_right_margin(rendered_samples: Path) -> None:
    """Every character of every sample PDF stays inside the text area: a column sized
    too narrow for a run kept whole ("3 business days") used to push it 1.5 mm over."""
    from pypdf import PdfReader

    edge_slack = 0.5  # points: glyph side bearings
    for pdf_path in sorted(rendered_samples.glob("*.pdf")):
        pages = pdf_words(pdf_path)
        assert len(pages) == len(PdfReader(pdf_path).pages), pdf_path.name
        for number, (width, words) in enumerate(pages, start=1):
            edge = width - RIGHT_MARGIN_MM * 72 / 25.4 + edge_slack
            over = [text for right, _bottom, text in words if right > edge]
            assert not over, f"{pdf_path.name} p. {number}: {' '.join(over)!r}"
