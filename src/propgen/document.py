"""The renderer-neutral document model.

Every document propgen produces (proposal, contract) is assembled into one
:class:`Document`; the DOCX and the HTML/PDF renderers consume it and never
re-parse text. The shape follows pandoc's ``Pandoc Meta [Block]``::

    Document(meta: Meta, blocks: tuple[Block, ...])

    Block   = Heading | Paragraph | BulletList | OrderedList | Table
            | Section | SignatureBlock | TableOfContents | PageBreak | Parallel
    Inline  = Text | Strong | Emph | LineBreak | Ref | Inserted | Deleted

All values are frozen; text is already final (numbers, dates and money formatted
for the locale, clause numbers resolved). Renderers only choose how it looks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, assert_never

# --- inlines ---------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Literal text. Renderers escape it for their format.

    ``keep``: a date, amount, percentage, quantity or phone number that never breaks
    across lines (:mod:`propgen.unbreakable`); the PDF keeps it in a ``nowrap`` span,
    the DOCX with no-break spaces and hyphens.
    """

    text: str
    keep: bool = False


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Emph:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class LineBreak:
    """A hard line break inside a paragraph or cell."""


@dataclass(frozen=True)
class Ref:
    """A cross-reference to a contract clause or sub-clause, already resolved.

    ``text`` is what it says now ("clause 9", "第九条", "第9.2款"); ``target`` is the
    ``anchor`` of the heading or paragraph it names; ``number`` is the part of ``text``
    that is the target's own list number ("9", "第九条", "9.2"), which a Word REF field
    recomputes when clauses move.
    """

    text: str
    target: str
    number: str = ""


@dataclass(frozen=True)
class Inserted:
    """Text a redline shows as inserted (a Word tracked insertion, underlined in the
    PDF): in the deal, not in the standard position. ``author`` is who must approve it
    (a role's title); the date is the document's."""

    children: tuple[Inline, ...]
    author: str


@dataclass(frozen=True)
class Deleted:
    """Text a redline shows as deleted (a Word tracked deletion, struck through in the
    PDF): in the standard position, not in the deal. It is not part of the document's
    text (:func:`inline_text` leaves it out)."""

    children: tuple[Inline, ...]
    author: str


Inline = Text | Strong | Emph | LineBreak | Ref | Inserted | Deleted

# --- blocks ----------------------------------------------------------------

ParagraphStyle = Literal["body", "lead", "note", "amount"]
"""How a paragraph is meant: ``lead`` opens a section (a redline's introduction),
``note`` is small print, ``amount`` states a total in words. (A cover notice is
``Meta.notice``, recitals are body text.)"""


@dataclass(frozen=True)
class Heading:
    """A heading of level 1-3.

    ``number`` is the label propgen assigned (``"3."``, ``"第三条"``), shown before
    the text; ``anchor`` is a stable id for cross-references and the table of
    contents. ``in_toc`` is false for headings the table of contents skips;
    ``new_page`` starts a page with the heading (an annex) — unlike a
    :class:`PageBreak` block, never a blank page when the page before is full.
    """

    level: int
    inlines: tuple[Inline, ...]
    anchor: str = ""
    number: str = ""
    in_toc: bool = True
    new_page: bool = False

    @property
    def in_contents(self) -> bool:
        """Whether the table of contents lists this heading: levels 1-2 unless left out
        (the PDF outline lists the same headings, ``bookmark-level`` in print.css)."""
        return self.in_toc and self.level <= 2


@dataclass(frozen=True)
class Paragraph:
    inlines: tuple[Inline, ...]
    style: ParagraphStyle = "body"
    number: str = ""
    """A sub-clause label such as ``"9.2"``, shown hanging before the text."""
    anchor: str = ""
    """A stable id for cross-references to this paragraph (numbered sub-clauses)."""


@dataclass(frozen=True)
class ListItem:
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class BulletList:
    items: tuple[ListItem, ...]


ListNumbering = Literal[
    "decimal", "cjk-paren", "paren-decimal", "paren-lower-alpha", "paren-lower-roman"
]
"""How an ordered list counts: ``1.`` (decimal), ``（一）`` (Chinese counting in
full-width parentheses, as PRC contracts number items), ``（1）``; and, for the English
column of a contract drafted in Chinese, ``(a)`` and ``(i)`` (item for item the
（一） and （1） beside them)."""


@dataclass(frozen=True)
class OrderedList:
    items: tuple[ListItem, ...]
    start: int = 1
    numbering: ListNumbering = "decimal"


Align = Literal["left", "right", "center"]
TableRole = Literal["plain", "pricing", "schedule", "parties", "key-value"]
RowStyle = Literal["body", "optional", "detail", "subtotal", "total"]
"""``detail``: a quieter row that breaks down the row above it (a ramp's years, a
line's price bands); its amounts are part of that row's, never added again."""


@dataclass(frozen=True)
class Cell:
    inlines: tuple[Inline, ...]


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    style: RowStyle = "body"


@dataclass(frozen=True)
class ColumnSpec:
    """One table column, as pandoc's ``ColSpec``: how its cells align and its width,
    a weight relative to the other columns' (a table fills the text width)."""

    align: Align
    width: int


@dataclass(frozen=True)
class Table:
    """A real table. ``header`` repeats on every page; ``footer`` rows (subtotal,
    discount, tax, total) follow the body. ``columns`` holds one spec per column.
    """

    header: Row | None
    rows: tuple[Row, ...]
    columns: tuple[ColumnSpec, ...]
    footer: tuple[Row, ...] = ()
    role: TableRole = "plain"
    caption: str = ""

    def column(self, index: int) -> ColumnSpec:
        """Column ``index``'s spec; beyond ``columns`` (a row with more cells than
        specs), a left-aligned column of weight 1."""
        return self.columns[index] if index < len(self.columns) else ColumnSpec("left", 1)


@dataclass(frozen=True)
class Signatory:
    """One party's signature box: a heading (``甲方（盖章）``, ``For the Customer``),
    the party's name, and the lines to sign on (label only; the line is drawn).

    A line break (``\n``) in a line's label is kept: a bilingual contract's label
    gives each language a line.

    ``field`` names the party in signable PDFs (``Customer``, ``PartyA``): the first
    line becomes the signature field ``{field}_Signature``, and when ``sealed`` the box
    also carries a ``{field}_Seal`` field where the company chop goes (盖章).
    """

    heading: str
    party: str
    lines: tuple[str, ...]
    field: str = ""
    sealed: bool = False


@dataclass(frozen=True)
class SignatureBlock:
    signatories: tuple[Signatory, ...]


@dataclass(frozen=True)
class TableOfContents:
    """Where the table of contents goes; renderers fill it from the headings."""

    title: str


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Section:
    """A group of blocks that came from one library section or clause.

    ``source_id`` is the section or clause id, so renderers can tag it and a
    verifier can check every section survived rendering. ``version`` is the library
    file's version; ``position`` the clause position used (``standard``,
    ``fallback-1``; empty for a proposal section or a part of the contract that is
    not a clause); ``locked`` whether the library locks it. The DOCX carries all
    three in a content control, so a review can find the clause after editing.
    """

    source_id: str
    blocks: tuple[Block, ...]
    version: str = ""
    position: str = ""
    locked: bool = False


@dataclass(frozen=True)
class Column:
    """One language's side of a :class:`Parallel` row: its locale and its blocks."""

    locale: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Parallel:
    """One passage in two languages side by side: a row of a bilingual (中英对照)
    contract. The columns say the same thing; the first is the primary language.
    Consecutive rows of one :class:`Section` form one two-column table."""

    columns: tuple[Column, Column]


Block = (
    Heading
    | Paragraph
    | BulletList
    | OrderedList
    | Table
    | Section
    | SignatureBlock
    | TableOfContents
    | PageBreak
    | Parallel
)

# --- the document -----------------------------------------------------------

DocumentKind = Literal["proposal", "contract"]


@dataclass(frozen=True)
class CoverLine:
    label: str
    value: str


@dataclass(frozen=True)
class Trace:
    """What a document was made from, as its provenance records it: the needs
    record's sha256 and the library's identity. The DOCX carries it in a custom XML
    part, so an edited copy can be traced back to its record and library."""

    needs_sha256: str
    library_id: str
    library_version: str
    library_sha256: str


@dataclass(frozen=True)
class Meta:
    """Everything outside the body: cover, running header and footer, PDF metadata.

    ``footer`` is the text before the page numbers (``"PG-2026-0142 · v1"``);
    renderers append the localised "page X of Y" as ``page_label`` X ``of_label``
    Y ``page_suffix`` ("Page 3 of 14", "第3页，共14页"). ``watermark`` is a large
    diagonal mark such as ``DRAFT``.
    """

    kind: DocumentKind
    locale: str
    title: str
    subtitle: str
    reference: str
    date_iso: str
    cover_lines: tuple[CoverLine, ...]
    header: str
    footer: str
    page_label: str
    of_label: str
    page_suffix: str
    seller_name: str
    customer_name: str
    author: str
    watermark: str = ""
    notice: str = ""
    """A warning printed on the cover, e.g. unapproved deviations."""
    logo: str = ""
    """Path of the seller logo inside the library theme folder, or empty."""
    keywords: tuple[str, ...] = field(default_factory=tuple)
    trace: Trace | None = None
    """Set when the document is rendered from a record (``pipeline``); None in
    previews."""


@dataclass(frozen=True)
class Document:
    meta: Meta
    blocks: tuple[Block, ...]
    preface: tuple[Block, ...] = ()
    """Blocks printed before the cover, on pages of their own (a redline's summary of
    deviations, which a lawyer reads first). Only the HTML/PDF renderer prints them;
    the DOCX renderer refuses a document that has any (its cover is the frame's)."""


def inline_text(inlines: tuple[Inline, ...]) -> str:
    """Plain text of some inlines (line breaks become spaces; a redline's deleted
    text is left out, its inserted text kept)."""
    parts: list[str] = []
    for inline in inlines:
        match inline:
            case Text() | Ref():
                parts.append(inline.text)
            case Strong() | Emph() | Inserted():
                parts.append(inline_text(inline.children))
            case Deleted():
                pass
            case LineBreak():
                parts.append(" ")
            case _:
                assert_never(inline)
    return "".join(parts)


def whole_change(inlines: tuple[Inline, ...]) -> Literal["inserted", "deleted", ""]:
    """``inserted`` / ``deleted`` when all of a paragraph's inlines are one redline
    change (the paragraph itself was inserted or deleted), else ``""``."""
    kinds = {type(inline) for inline in inlines}
    if kinds == {Inserted}:
        return "inserted"
    if kinds == {Deleted}:
        return "deleted"
    return ""


def iter_blocks(blocks: tuple[Block, ...]) -> list[Block]:
    """All blocks in document order, descending into sections and list items."""
    out: list[Block] = []
    for block in blocks:
        out.append(block)
        if isinstance(block, Section):
            out.extend(iter_blocks(block.blocks))
        elif isinstance(block, BulletList | OrderedList):
            for item in block.items:
                out.extend(iter_blocks(item.blocks))
        elif isinstance(block, Parallel):
            for column in block.columns:
                out.extend(iter_blocks(column.blocks))
    return out
