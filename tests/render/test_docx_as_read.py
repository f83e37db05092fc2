"""The DOCX as a user's office suite lays it out: what reading every sample through
LibreOffice, page by page beside its PDF, found (and the renderer now prevents)."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import yaml
from docx.shared import Pt

from propgen.document import (
    BulletList,
    Cell,
    ColumnSpec,
    Document,
    Heading,
    ListItem,
    OrderedList,
    PageBreak,
    Paragraph,
    Row,
    Section,
    Table,
    Text,
)
from propgen.render.docx import COVER_TITLE_WITH_NOTICE, render_docx
from support import (
    SAMPLES,
    paragraphs,
    pdftotext_pages,
    plain_meta,
    reference_of,
    squash,
    style_name,
    tables,
)

THEME = Path(__file__).parents[2] / "templates" / "theme"
NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
W = "{" + NS["w"] + "}"


def _text(text: str) -> tuple[Text]:
    return (Text(text),)


def _table(role: str = "plain", rows: int = 3) -> Table:
    return Table(
        header=Row((Cell(_text("Item")), Cell(_text("Amount")))),
        rows=tuple(Row((Cell(_text(f"Line {n}")), Cell(_text(f"{n}.00")))) for n in range(rows)),
        footer=(Row((Cell(_text("Total")), Cell(_text("3.00"))), style="total"),),
        columns=(ColumnSpec("left", 3), ColumnSpec("right", 1)),
        role=role,  # type: ignore[arg-type]
    )


def _render(*blocks: object, notice: str = "") -> docx.document.Document:
    meta = plain_meta(notice=notice)
    return docx.Document(io.BytesIO(render_docx(Document(meta, tuple(blocks)), THEME)))  # type: ignore[arg-type]


def _keeps_with_next(p: object) -> bool:
    return bool(p.xpath("w:pPr/w:keepNext"))  # type: ignore[attr-defined]


def test_the_amount_in_words_and_its_note_stay_with_the_price_tables_total() -> None:
    """As print.css keeps them (``.t-pricing + .p-amount, .p-amount + .p-note``): the
    total row, the spacer under the table and the amount in words keep with what
    follows, so Word never starts a page with the amount in words or its note."""
    d = _render(
        Section(
            "pricing",
            (
                Heading(1, _text("Pricing"), anchor="pricing"),
                _table("pricing"),
                Paragraph(_text("Amount in words: three dollars"), style="amount"),
                Paragraph(_text("Optional items are not counted."), style="note"),
            ),
        )
    )
    tbl = d.element.body.xpath(".//w:tbl")[-1]
    assert all(_keeps_with_next(p) for p in tbl.xpath("w:tr[last()]//w:p"))
    spacer = tbl.getnext()
    assert spacer.xpath("string(w:pPr/w:pStyle/@w:val)") == "TableSpacer"
    assert _keeps_with_next(spacer)
    amount, note = (p for p in paragraphs(d) if style_name(p) in ("Amount", "Note"))
    assert _keeps_with_next(amount._p) and not _keeps_with_next(note._p)


def test_only_a_price_table_keeps_its_total_with_the_paragraph_after_it() -> None:
    """A plain table's last row, and a note after an ordinary paragraph, are free to
    end a page."""
    d = _render(
        _table("plain"),
        Paragraph(_text("Amount in words: three dollars"), style="amount"),
        Paragraph(_text("An ordinary paragraph.")),
        Paragraph(_text("A note."), style="note"),
    )
    tbl = d.element.body.xpath(".//w:tbl")[-1]
    assert not any(_keeps_with_next(p) for p in tbl.xpath("w:tr[last()]//w:p"))
    assert not any(_keeps_with_next(p._p) for p in paragraphs(d) if p.text)


def test_a_paragraph_introducing_a_list_or_a_table_stays_with_it() -> None:
    """The retail proposal's "we suggest the following steps:" ended a page in
    LibreOffice, its five steps on the next; Northwind's "We will work through these
    steps with:" ended a page, the contacts table on the next. A paragraph that
    introduces a list or a table (it ends in a colon, in either language) keeps with
    it; others do not."""
    items = (ListItem((Paragraph(_text("First.")),)), ListItem((Paragraph(_text("Then.")),)))
    d = _render(
        Paragraph(_text("We suggest the following steps:")),
        OrderedList(items),
        Paragraph(_text("甲方应当：")),
        BulletList(items),
        Paragraph(_text("A paragraph of its own.")),
        BulletList(items),
        Paragraph(_text("Before a paragraph:")),
        Paragraph(_text("Not a list.")),
        Paragraph(_text("We will work through these steps with:")),
        _table(),
    )
    kept = {p.text for p in paragraphs(d) if p.text and _keeps_with_next(p._p)}
    assert kept == {
        "We suggest the following steps:",
        "甲方应当：",
        "We will work through these steps with:",
    }


def test_a_page_break_after_a_table_strands_no_spacer_on_a_page_of_its_own() -> None:
    """The zh retail contract's price annex ended at the foot of page 13; the empty
    spacer under its last table went on to page 14 alone and Annex 2's page break
    left that page blank. A table followed by a new page is followed by the new
    page's first paragraph; any other table keeps its spacer."""
    d = _render(
        Section("annex-1", (Heading(1, _text("Annex 1"), anchor="a1"), _table())),
        Section("annex-2", (Heading(1, _text("Annex 2"), anchor="a2", new_page=True), _table())),
        PageBreak(),
        Paragraph(_text("After a page break.")),
    )
    first, second = d.element.body.xpath(".//w:tbl")
    after_first = d.element.body.xpath(".//w:p[w:pPr/w:pageBreakBefore]")
    assert [p.xpath("string(.)") for p in after_first] == ["Annex 2", "After a page break."]
    assert first.getnext() is None  # the last block of its section's content control
    assert second.getnext() is None
    assert not first.xpath("ancestor::w:sdt//w:p[w:pPr/w:pStyle/@w:val='TableSpacer']")
    # a table outside any section, then a section on a new page: the section's
    # content control still holds its heading
    d = _render(
        _table(),
        Section(
            "annex",
            (Heading(1, _text("Annex"), anchor="a", new_page=True), Paragraph(_text("Text."))),
        ),
    )
    (sdt,) = d.element.body.xpath("w:sdt")
    assert sdt.xpath("string(w:sdtContent/w:p[1])", namespaces=NS) == "Annex"
    assert sdt.getprevious().tag == f"{W}tbl"
    d = _render(_table(), Paragraph(_text("Straight after.")))
    spacer = d.element.body.xpath(".//w:tbl")[0].getnext()
    assert spacer.xpath("string(w:pPr/w:pStyle/@w:val)") == "TableSpacer"


def test_a_cover_with_a_notice_raises_its_title_as_the_pdf_does() -> None:
    """print.css sets the title 22 mm below the logo instead of 40 when the cover has
    a notice, and the notice in 8.5 pt; the DOCX cover did neither, so the bilingual
    contract's notice fell onto a second cover page in Word and LibreOffice."""
    body = Paragraph(_text("Body."))
    with_notice = _render(body, notice="Clauses awaiting re-approval: " + "Scope, " * 40)
    without = _render(body)
    style = with_notice.styles["Title"]
    raised = next(p for p in paragraphs(with_notice) if style_name(p) == "Title")
    assert raised.paragraph_format.space_before is not None
    assert raised.paragraph_format.space_before == round(
        style.paragraph_format.space_before * COVER_TITLE_WITH_NOTICE
    )
    plain = next(p for p in paragraphs(without) if style_name(p) == "Title")
    assert plain.paragraph_format.space_before is None  # the frame's own spacing
    assert with_notice.styles["Notice"].font.size == Pt(8.5)


PARALLEL = {
    f"{reference_of(record)}-contract.docx"
    for record in SAMPLES
    if len(yaml.safe_load(record.read_text(encoding="utf-8"))["document"].get("languages", [])) > 1
}
"""The contracts set in two parallel language columns (a table of clause rows)."""


def test_no_page_of_a_sample_docx_is_blank_and_every_cover_notice_stays_on_the_cover(
    libreoffice_pdfs: dict[Path, Path],
) -> None:
    """Every sample and reference DOCX as LibreOffice lays it out: each page after the
    cover carries more than its running header and footer, and a cover's notice is
    on the cover (page 1), never alone on a page 2."""
    blank, moved, checked = [], [], 0
    for doc, pdf in sorted(libreoffice_pdfs.items()):
        pages = pdftotext_pages(pdf)
        for number, text in enumerate(pages[1:], start=2):
            lines = [line for line in text.splitlines() if line.strip()]
            if len(lines) <= 3:  # header, footer and at most a page label
                blank.append((doc.name, number))
        if doc.name in PARALLEL and blank[-1:] == [(doc.name, len(pages))]:
            blank.pop()  # LibreOffice 7.4 keeps no widow control inside a table cell:
            # the parallel table's last cell may leave its last line alone on a last page
        notice = [p.text for p in paragraphs(docx.Document(str(doc))) if style_name(p) == "Notice"]
        if notice and notice[0].strip():
            checked += 1
            head, tail = squash(notice[0])[:20], squash(notice[0])[-20:]
            if tail not in squash(pages[0]) or head in squash(pages[1]):
                moved.append(doc.name)
    assert blank == [] and moved == []
    assert checked >= 5  # the contracts with clauses awaiting re-approval


WORD_STYLES = {
    "Normal",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Title",
    "Subtitle",
    "Caption",
    "List Bullet",
    "List Number",
    "List Continue",
    "toc 1",
    "toc 2",
    "toc 3",
    "TOC Heading",
    "Header",
    "Footer",
    "Normal Table",
    "Default Paragraph Font",
    "No List",
}
"""Word's own styles (python-docx's names) among those the frame defines."""


def test_every_style_of_every_sample_docx_is_words_own_or_marked_as_added(
    rendered_samples: Path,
) -> None:
    """A Word user restyles a document through its styles: headings are Word's Heading
    1-3 (or styles based on them), lists List Bullet and List Number, the contents
    toc 1-3, and every other style (Clause Heading, Table Text, Propgen Table …) is
    marked as a style added to Word's (``w:customStyle``), as Word marks one a user
    adds, so Word never takes it for one of its own."""
    used: set[str] = set()
    for path in sorted(rendered_samples.glob("*.docx")):
        document = docx.Document(str(path))
        for style in document.styles:
            assert style.builtin == (style.name in WORD_STYLES), (path.name, style.name)
        found = [p.style for p in paragraphs(document)]
        for table in tables(document):
            found += [table.style] + [p.style for c in table._cells for p in c.paragraphs]
        used |= {style.name for style in found if style is not None}
        for style in found:
            if style is not None and style.name.startswith("Heading"):
                while style.base_style is not None and style.name not in WORD_STYLES:
                    style = style.base_style
                assert style.name in ("Heading 1", "Heading 2", "Heading 3"), path.name
    assert {"Heading 1", "List Bullet", "List Number", "toc 1", "Title"} <= used
