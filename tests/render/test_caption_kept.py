"""A table's caption never stands alone at the foot of a page (issue 12, item 13):
the PDF keeps it on the page where the table starts."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber

from propgen.document import (
    Cell,
    ColumnSpec,
    Document,
    Inline,
    Paragraph,
    Row,
    Section,
    Table,
    Text,
)
from propgen.render.pdf import render_pdf
from support import plain_meta

THEME = Path(__file__).parents[2] / "templates" / "theme"


def _t(text: str) -> tuple[Inline, ...]:
    return (Text(text),)


def _row(*cells: str, style: str = "body") -> Row:
    return Row(tuple(Cell(_t(c)) for c in cells), style=style)  # type: ignore[arg-type]


def _captioned(n: int) -> Table:
    return Table(
        header=_row("Year", "Amount"),
        rows=tuple(_row(f"Row {n:02d}-{i}", "$1,000.00") for i in range(3)),
        columns=(ColumnSpec("left", 70), ColumnSpec("right", 30)),
        footer=(_row("Total", "$3,000.00", style="total"),),
        role="pricing",
        caption=f"Caption {n:02d}",
    )


def _document() -> Document:
    """Captioned tables after a growing number of one-line paragraphs, so that among
    them some captions fall at every height of a page, the foot included."""
    blocks = []
    for n in range(24):
        filler = tuple(Paragraph(_t(f"Line {n}.{k}")) for k in range(n % 6))
        blocks.append(Section(f"s{n}", (*filler, _captioned(n))))
    meta = plain_meta(title="Captions", header="Captions", footer="T-1", keywords=())
    return Document(meta=meta, blocks=tuple(blocks))


def test_a_caption_starts_on_the_page_of_its_table() -> None:
    with pdfplumber.open(io.BytesIO(render_pdf(_document(), THEME))) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    assert len(pages) >= 3  # the captions fall at many heights of several pages
    for n in range(24):
        caption = next(i for i, text in enumerate(pages) if f"Caption {n:02d}" in text)
        first_row = next(i for i, text in enumerate(pages) if f"Row {n:02d}-0" in text)
        assert caption == first_row, (
            f"caption {n} on page {caption + 1}, its table on {first_row + 1}"
        )
    # Each caption is printed once, as a caption, not repeated with the header.
    assert sum(len(re.findall(r"Caption \d\d", text)) for text in pages) == 24
