"""Documents compared section by section: an edited paragraph is diffed word by
word, a clause only in the deal is inserted whole, one only in the standard list is
deleted whole (its number and text struck, no anchor, not in the contents)."""

from __future__ import annotations

from propgen.document import (
    BulletList,
    Deleted,
    Document,
    Heading,
    Inserted,
    ListItem,
    Paragraph,
    Ref,
    Section,
    Strong,
    Text,
    inline_text,
    whole_change,
)
from propgen.negotiate.compare import compare_documents
from support import plain_meta

META = plain_meta(
    reference="R-1", date_iso="2026-11-27", seller_name="S", customer_name="C", author="A"
)


def clause(cid: str, n: int, *paragraphs: str) -> Section:
    return Section(
        cid,
        (
            Heading(1, (Text(cid.title()),), anchor=f"clause-{cid}", number=f"{n}."),
            *(
                Paragraph((Text(p),), number=f"{n}.{k}", anchor=f"clause-{cid}-{k}")
                for k, p in enumerate(paragraphs, start=1)
            ),
        ),
    )


def author(section_id: str) -> str:
    return {"fees": "Finance Director"}.get(section_id, "General Counsel")


def accepted(document: Document) -> list[str]:
    return [
        inline_text(b.inlines)
        for s in document.blocks
        if isinstance(s, Section)
        for b in s.blocks
        if isinstance(b, Paragraph | Heading) and whole_change(b.inlines) != "deleted"
    ]


def test_an_added_and_a_removed_clause_show_whole() -> None:
    standard = Document(
        META, (clause("fees", 1, "Pay in 30 days."), clause("escrow", 2, "Escrow."))
    )
    deal = Document(META, (clause("fees", 1, "Pay in 30 days."), clause("audit", 2, "Audit.")))
    red = compare_documents(deal, standard, author)
    ids = [b.source_id for b in red.blocks if isinstance(b, Section)]
    assert ids == ["fees", "escrow", "audit"]
    escrow, audit = red.blocks[1], red.blocks[2]
    assert isinstance(escrow, Section) and isinstance(audit, Section)
    heading = escrow.blocks[0]
    assert isinstance(heading, Heading)
    assert whole_change(heading.inlines) == "deleted" and not heading.in_toc and not heading.anchor
    assert all(whole_change(b.inlines) == "deleted" for b in escrow.blocks)  # type: ignore[union-attr]
    assert all(whole_change(b.inlines) == "inserted" for b in audit.blocks)  # type: ignore[union-attr]
    assert accepted(red) == accepted(deal)


def test_an_edited_paragraph_is_diffed_and_keeps_the_deals_number_and_formatting() -> None:
    standard = Document(META, (clause("fees", 3, "Pay within 30 days.", "Late fees apply."),))
    edited = Paragraph(
        (Text("Pay within "), Strong((Text("45"),)), Text(" days.")),
        number="3.1",
        anchor="clause-fees-1",
    )
    deal_clause = clause("fees", 3, "x", "Late fees apply.", "Bank charges are shared.")
    deal = Document(
        META, (Section("fees", (deal_clause.blocks[0], edited, *deal_clause.blocks[2:])),)
    )
    red = compare_documents(deal, standard, author)
    section = red.blocks[0]
    assert isinstance(section, Section)
    first = section.blocks[1]
    assert isinstance(first, Paragraph) and first.number == "3.1"
    assert first.inlines == (
        Text("Pay within "),
        Deleted((Text("30"),), "Finance Director"),
        Inserted((Strong((Text("45"),)),), "Finance Director"),
        Text(" days."),
    )
    last = section.blocks[3]
    assert isinstance(last, Paragraph) and whole_change(last.inlines) == "inserted"
    assert last.number == "3.3" and last.anchor == "clause-fees-3"
    assert accepted(red) == accepted(deal)


def test_a_deleted_paragraph_keeps_the_standard_number_and_drops_its_references() -> None:
    ref = Ref("clause 4", "clause-term", "4")
    standard = Document(
        META,
        (
            Section(
                "fees",
                (
                    Paragraph((Text("Keep."),), number="3.1", anchor="clause-fees-1"),
                    Paragraph((Text("See "), ref, Text(".")), number="3.2", anchor="clause-fees-2"),
                ),
            ),
        ),
    )
    deal = Document(META, (Section("fees", (Paragraph((Text("Keep."),)),)),))
    red = compare_documents(deal, standard, author)
    section = red.blocks[0]
    assert isinstance(section, Section)
    gone = section.blocks[1]
    assert isinstance(gone, Paragraph)
    assert gone.number == "3.2" and gone.anchor == ""
    assert gone.inlines == (Deleted((Text("See clause 4."),), "Finance Director"),)


def test_list_items_are_aligned_one_by_one() -> None:
    def bullets(*items: str) -> BulletList:
        return BulletList(tuple(ListItem((Paragraph((Text(i),)),)) for i in items))

    standard = Document(META, (Section("cap", (bullets("death", "fraud", "fees owed"),)),))
    deal = Document(
        META, (Section("cap", (bullets("death", "data breach", "fraud", "fees owed"),)),)
    )
    red = compare_documents(deal, standard, author)
    section = red.blocks[0]
    assert isinstance(section, Section)
    (items,) = section.blocks
    assert isinstance(items, BulletList)
    changes = [whole_change(i.blocks[0].inlines) for i in items.items]  # type: ignore[union-attr]
    assert changes == ["", "inserted", "", ""]


def test_an_unbreakable_amount_is_compared_whole_and_stays_unbreakable() -> None:
    def fees(amount: str) -> Document:
        para = Paragraph((Text("Total "), Text(amount, keep=True), Text(" due.")))
        return Document(META, (Section("fees", (para,)),))

    red = compare_documents(fees("$141,455.00"), fees("$141,450.00"), author)
    section = red.blocks[0]
    assert isinstance(section, Section) and isinstance(section.blocks[0], Paragraph)
    assert section.blocks[0].inlines == (
        Text("Total "),
        Deleted((Text("$141,450.00", keep=True),), "Finance Director"),
        Inserted((Text("$141,455.00", keep=True),), "Finance Director"),
        Text(" due."),
    )
