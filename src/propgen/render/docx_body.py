"""The body of a Word document: document-model blocks as python-docx paragraphs and
tables in the frame's own styles (real Heading 1-3, numbered lists, tables with
repeating headers, a TOC field, bookmarks for every heading and section).

Text is only ever added as runs, never parsed as markup.
"""

from __future__ import annotations

import re
from collections import deque
from typing import Any, Literal, assert_never

from docx.document import _Body
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor, Twips
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate

from propgen import document as dm
from propgen import legal_lists
from propgen.locales import is_chinese
from propgen.negotiate import tracked
from propgen.render import docx_numbering, docx_trace, docx_xml
from propgen.table_text import kept_phrases

ACCENT, MUTED, RULE = "1F3A5F", "6B7280", "8896A8"
TOTAL_HALF_POINTS = 20
"""A total row's text: 10 pt (print.css), in Word's half-points."""
PARA_STYLES = dict(body="Normal", lead="Lead", note="Note", amount="Amount")
# The contents list these styles (as the PDF: headings of levels 1-2), not outline
# levels, so "Heading 2 Unlisted" keeps its outline level for the navigation pane.
TOC_STYLES = "Heading 1,1,Heading 2,2,Clause Heading,1"
LEAD_IN_PARAGRAPHS = 3
"""At most this many paragraphs before a signature block move with it."""
_JC: dict[dm.Align, str] = {"left": "left", "center": "center", "right": "right"}  # w:jc
_TC_AFTER_BORDERS = "w:shd w:noWrap w:tcMar w:textDirection w:tcFitText w:vAlign w:hideMark"


class Body:
    """Builds the body as a docxtpl subdocument sharing the frame's styles."""

    def __init__(
        self, tpl: DocxTemplate, document: dm.Document, pages: tuple[int, ...] | None = None
    ) -> None:
        # the body's container: python-docx's, in the frame's part (docxtpl's Subdoc)
        self.sub = _Body(docx_xml.blank_body(), tpl.docx)
        section = tpl.docx.sections[-1]
        self.width = int((section.page_width - section.left_margin - section.right_margin) / 635)
        marked = [
            b for b in dm.iter_blocks(document.blocks) if isinstance(b, dm.Heading | dm.Section)
        ]
        names = docx_trace.bookmark_names(marked)
        self.names = deque(names)
        self.toc = [
            (b, n)
            for b, n in zip(marked, names, strict=True)
            if isinstance(b, dm.Heading) and b.in_contents
        ]
        # the contents' page numbers, when the PDF's outline lists the same entries
        self.pages = pages if pages is not None and len(pages) == len(self.toc) else None
        self.contents_complete = self.pages is not None or not any(
            isinstance(b, dm.TableOfContents) for b in dm.iter_blocks(document.blocks)
        )
        self.numbering = tpl.docx.part.numbering_part.element
        styles = tpl.docx.styles
        # Contract clauses: a real Word list and REF fields to bookmarks (docx_numbering)
        self.clause_list = docx_numbering.uses_clause_list(document)
        if self.clause_list:
            docx_numbering.bind_clause_list(self.numbering, styles.element, document.meta.locale)
        ids = [int(n) for n in self.numbering.xpath("w:num/@w:numId")] or [0]
        self.next_num = max(ids) + 1
        # one id sequence for bookmarks and tracked changes (a redline's w:ins/w:del)
        self.ids = tracked.RevisionIds(1)
        self.bullet_num = _style_num(styles["List Bullet"].element) or 1
        number_num = _style_num(styles["List Number"].element) or 2
        found = self.numbering.xpath(f'w:num[@w:numId="{number_num}"]/w:abstractNumId/@w:val')
        self.number_abstract = found[0] if found else "0"
        self.sub_marks = docx_numbering.subclause_bookmarks(document)
        self.marks = {
            b.anchor: n for b, n in zip(marked, names, strict=True) if isinstance(b, dm.Heading)
        } | self.sub_marks
        self.chinese = is_chinese(document.meta.locale)
        self._legal_abstracts: dict[str, str] = {}  # legal family → abstractNumId
        self.legal_depths: dict[int, str] = {}  # depths inside a legal list → its family
        self.pending: list[str] = []
        self.sections = 0  # content controls so far (docx_trace)
        self.break_next = False
        self.previous: dm.Block | None = None  # the block rendered last (not a Section)
        self.tail: list[Any] = []  # its paragraphs a following block may keep with
        self.target: Any = self.sub  # where paragraphs and tables go: the body or a cell
        self.document = document
        self._styles = docx_xml.style_ids(styles.element)

    def style_id(self, name: str, kind: str = "paragraph") -> str | None:
        """The id of the style ``name``; None for the default style of its type (a
        paragraph or table in it names no style)."""
        found = self._styles.get(name)
        if found is None or found[0] != kind:
            raise KeyError(f"the frame has no {kind} style {name!r}")
        return found[1]

    def styled(self, p: Any, name: str) -> Any:
        """``p`` (a python-docx paragraph) in the paragraph style ``name``."""
        docx_xml.set_style(p._p, self.style_id(name))
        return p

    def add_styled(self, container: Any, name: str) -> Any:
        """A new paragraph in ``container`` (the body or a cell) in the style ``name``."""
        element = container._element if container is self.sub else container._tc
        return Paragraph(docx_xml.add_paragraph(element, self.style_id(name)), container)

    def render(self) -> Any:
        """The body: a ``w:body`` of the document's blocks (for
        :func:`~propgen.render.docx_xml.place_body`)."""
        self.blocks(self.document.blocks, 0)
        if self.pending:
            self.para("Normal")
        return self.sub._element

    def para(self, style: str) -> Any:
        """A new body paragraph, carrying a pending page break and bookmarks."""
        p = self.add_styled(self.target, style)
        if self.break_next:
            self.break_before(p)
            self.break_next = False
        for name in self.pending:
            mark = {qn("w:id"): self.ids.take()}
            p._p.append(OxmlElement("w:bookmarkStart", {**mark, qn("w:name"): name}))
            p._p.append(OxmlElement("w:bookmarkEnd", mark))
        self.pending = []
        return p

    def break_before(self, p: Any) -> None:
        """Start ``p`` on a new page. The empty spacer after a table just before it
        goes: a table that ends at the foot of a page would push that spacer onto a
        page of its own, and the break would then leave that page blank."""
        p.paragraph_format.page_break_before = True
        before = p._p.getprevious()
        while before is not None and before.tag == qn("w:sdt"):  # a section's content
            content = before.find(qn("w:sdtContent"))
            before = content[-1] if content is not None and len(content) else None
        if (
            before is not None
            and before.tag == qn("w:p")
            and before.xpath("string(w:pPr/w:pStyle/@w:val)") == self.style_id("Table Spacer")
            and not before.xpath("w:r | w:bookmarkStart | w:hyperlink")
            and before.getprevious() is not None
            and before.getprevious().tag == qn("w:tbl")
        ):
            before.getparent().remove(before)

    def blocks(self, blocks: tuple[dm.Block, ...], depth: int) -> None:
        rows: list[dm.Parallel] = []  # consecutive bilingual rows make one table
        for block in blocks:
            if isinstance(block, dm.Parallel):
                rows.append(block)
                continue
            if rows:
                self.parallel(rows)
                rows = []
            self.block(block, depth)
        if rows:
            self.parallel(rows)

    def parallel(self, rows: list[dm.Parallel]) -> None:
        """Bilingual rows as one two-column table (a clause per table): each cell holds
        its language's paragraphs in the frame's styles; a clause's heading row repeats
        at the top of each page the clause runs onto, and body rows may break across
        pages so a long sub-clause never leaves a page blank."""
        half = self.width // 2
        table = self.new_table(len(rows), [half, self.width - half], None, "")
        tbl_pr = table._tbl.tblPr
        # in the schema's order: tblBorders before shd/tblLayout, tblCellMar before tblLook
        tbl_pr.insert_element_before(
            parse_xml(
                f'<w:tblBorders {nsdecls("w")}><w:insideV w:val="single" w:sz="4" w:space="0" '
                f'w:color="{RULE}"/></w:tblBorders>'
            ),
            *[
                "w:shd",
                "w:tblLayout",
                "w:tblCellMar",
                "w:tblLook",
                "w:tblCaption",
                "w:tblDescription",
            ],
        )
        tbl_pr.insert_element_before(
            parse_xml(
                f'<w:tblCellMar {nsdecls("w")}><w:left w:w="113" w:type="dxa"/>'
                '<w:right w:w="170" w:type="dxa"/></w:tblCellMar>'
            ),
            *["w:tblLook", "w:tblCaption", "w:tblDescription"],
        )
        outer = self.target
        for index, (row, tr) in enumerate(zip(rows, table.rows, strict=True)):
            heading = any(isinstance(b, dm.Heading) for c in row.columns for b in c.blocks)
            tr_pr = tr._tr.get_or_add_trPr()
            if heading and index == 0:
                tr_pr.append(OxmlElement("w:tblHeader"))
            elif not heading:
                for cant in tr_pr.findall(qn("w:cantSplit")):
                    tr_pr.remove(cant)
            for column, cell in zip(row.columns, tr.cells, strict=True):
                self.target = cell
                blank = cell.paragraphs[0]._p
                self.blocks(column.blocks, 0)
                if heading:  # a half-width column: a clause heading at 12 pt, as the PDF's
                    for p in cell.paragraphs[1:]:
                        p.paragraph_format.space_before = Pt(10)
                        for run in p.runs:
                            run.font.size = Pt(12)
                if len(cell._tc) > 2:  # the cell's own empty paragraph, once it has others
                    cell._tc.remove(blank)
        self.target = outer
        self.add_styled(self.target, "Table Spacer")

    def block(self, block: dm.Block, depth: int) -> None:
        previous, tail = self.previous, self.tail
        if not isinstance(block, dm.Section):
            self.previous, self.tail = block, []
        if _stays_with(previous, block):
            for element in tail:
                docx_xml.set_paragraph_property(element, "keepNext")
        if isinstance(block, dm.Heading):
            level = min(max(block.level, 1), 3)
            self.pending.append(self.names.popleft())
            if block.number and self.clause_list:  # the list prints the number
                p = self.para("Clause Heading")
            else:
                p = self.para(f"Heading {level}" if block.in_toc else f"Heading {level} Unlisted")
                if block.number:
                    docx_xml.add_plain_run(p._p, block.number + " ")
            if block.new_page:
                self.break_before(p)
            self.inlines(p, block.inlines)
            self.whole_change(p, block.inlines)
        elif isinstance(block, dm.Paragraph):
            if block.anchor in self.sub_marks:
                self.pending.append(self.sub_marks[block.anchor])
            if block.number and self.clause_list:
                p = self.para("Subclause")
                self.tail = [p._p]
                self.inlines(p, block.inlines)
                self.whole_change(p, block.inlines)
                return
            p = self.para(PARA_STYLES.get(block.style, "Normal"))
            self.tail = [p._p]
            if block.number:
                hang = _hang(block.number)
                fmt = p.paragraph_format
                fmt.left_indent, fmt.first_line_indent = Twips(hang), Twips(-hang)
                fmt.tab_stops.add_tab_stop(Twips(hang))
                docx_xml.add_plain_run(p._p, block.number)
                docx_xml.add_plain_run(p._p, "\t")
            self.inlines(p, block.inlines)
            self.whole_change(p, block.inlines)
        elif isinstance(block, dm.BulletList | dm.OrderedList):
            self.add_list(block, depth)
        elif isinstance(block, dm.Table):
            self.table(block)
        elif isinstance(block, dm.Section):
            self.pending.append(self.names.popleft())
            self.sections += 1
            n, body = self.sections, self.sub._element
            known = set(body)  # its blocks come after these (break_before may drop one)
            self.blocks(block.blocks, depth)
            docx_trace.wrap(body, [e for e in body[:-1] if e not in known], block, n)
        elif isinstance(block, dm.SignatureBlock):
            self.keep_lead_in()
            self.signatures(block)
        elif isinstance(block, dm.TableOfContents):
            self.table_of_contents(block)
        elif isinstance(block, dm.PageBreak):
            self.break_next = True
        elif isinstance(block, dm.Parallel):
            self.parallel([block])
        else:  # mypy: every block type has its branch above
            assert_never(block)

    def add_list(self, block: dm.BulletList | dm.OrderedList, depth: int) -> None:
        level = min(depth, 2)
        if isinstance(block, dm.OrderedList):
            abstract = self.number_abstract
            if block.numbering != "decimal" or depth in self.legal_depths:
                # （一） / 1. / （1）, or (a) / 1. / (i): the legal list's own levels,
                # whatever the depth
                family = (
                    legal_lists.family_of(block.numbering)
                    if block.numbering != "decimal"
                    else self.legal_depths[depth]
                )
                abstract = self.legal_abstract(family)
                level = legal_lists.FAMILIES[family].index(block.numbering)
                self.legal_depths[depth + 1] = family
            num_id, self.next_num = self.next_num, self.next_num + 1
            self.numbering.append(
                parse_xml(
                    f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId '
                    f'w:val="{abstract}"/><w:lvlOverride w:ilvl="{level}">'
                    f'<w:startOverride w:val="{block.start}"/></w:lvlOverride></w:num>'
                )
            )
            style = "List Number"
        else:
            num_id, style = self.bullet_num, "List Bullet"
        for item in block.items:
            first = True
            for child in item.blocks:
                if isinstance(child, dm.Paragraph):
                    p = self.para(style if first else "List Continue")
                    if first:
                        docx_xml.set_numbering(p._p, num_id, level)
                    else:
                        p.paragraph_format.left_indent = Twips(397 * (level + 1))
                    if child.number:
                        docx_xml.add_plain_run(p._p, child.number + " ")
                    self.inlines(p, child.inlines)
                    self.whole_change(p, child.inlines)
                    first = False
                elif isinstance(child, dm.BulletList | dm.OrderedList):
                    self.add_list(child, depth + 1)
                else:
                    self.block(child, depth + 1)
        self.legal_depths.pop(depth + 1, None)

    def legal_abstract(self, family: str) -> str:
        """The numbering definition of a legal list family (added on first use)."""
        if family not in self._legal_abstracts:
            ids = [int(n) for n in self.numbering.xpath("w:abstractNum/@w:abstractNumId")]
            abstract = self._legal_abstracts[family] = str(max(ids, default=0) + 1)
            definition = parse_xml(docx_numbering.legal_list_xml(abstract, family))
            first_num = self.numbering.find(qn("w:num"))
            if first_num is not None:
                first_num.addprevious(definition)  # every abstractNum before the nums
            else:
                self.numbering.append(definition)
        return self._legal_abstracts[family]

    def new_table(self, rows: int, widths: list[int], style: str | None, caption: str) -> Any:
        if caption or self.break_next or self.pending:
            docx_xml.add_plain_run(self.para("Caption" if caption else "Table Spacer")._p, caption)
        if self.target is self.sub:
            table = self.sub.add_table(rows, len(widths), Twips(self.width))
        else:  # a table in a cell of a bilingual row
            table = self.target.add_table(rows, len(widths))
        table._tbl.tblStyle_val = self.style_id(style, "table") if style else None
        table.autofit, table.alignment = False, WD_TABLE_ALIGNMENT.LEFT
        tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
        tbl_w.set(qn("w:type"), "dxa")
        tbl_w.set(qn("w:w"), str(sum(widths)))
        docx_xml.size_table(table._tbl, widths)
        return table

    def table(self, block: dm.Table) -> None:
        rows: list[tuple[dm.Row, str]] = [(block.header, "header")] if block.header else []
        rows += [(r, r.style) for r in block.rows] + [(r, r.style) for r in block.footer]
        cols = max([len(block.columns)] + [len(r.cells) for r, _ in rows])
        if not rows or not cols:  # nothing to tabulate; keep the caption
            if block.caption:
                self.para("Caption").add_run(block.caption)
            return
        widths = _fit_columns(self.column_widths(block, cols), _column_needs(rows, cols))
        table = self.new_table(len(rows), widths, "Propgen Table", block.caption)
        _header_look(table, block.header is not None)
        keep = rows_kept_with_next(
            len(rows), header=block.header is not None, footer=len(block.footer)
        )
        for r, ((row, kind), tr) in enumerate(zip(rows, table.rows, strict=True)):
            if kind == "header":
                tr._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
            first_footer = bool(block.footer) and r == len(rows) - len(block.footer)
            for c, tc in enumerate(tr._tr.tc_lst):
                cell = _Cell(tc, table)
                self.table_cell(block, row, kind, c, cell, first_footer, r in keep)
        spacer = self.add_styled(self.target, "Table Spacer")
        self.tail = [*table._tbl.tr_lst[-1].xpath(".//w:p"), spacer._p]

    def column_widths(self, block: dm.Table, cols: int) -> list[int]:
        """The columns' widths (twips) in proportion to the block's, filling the page."""
        weights = [max(block.column(c).width, 1) for c in range(cols)]
        widths = [self.width * w // sum(weights) for w in weights]
        widths[-1] += self.width - sum(widths)
        return widths

    def table_cell(
        self,
        block: dm.Table,
        row: dm.Row,
        kind: str,
        c: int,
        cell: Any,
        first_footer: bool,
        keep_with_next: bool,
    ) -> None:
        """Cell ``c`` of a row: its style, alignment, fill and rule, and its text."""
        p = cell.paragraphs[0]
        self.styled(p, "Table Header" if kind == "header" else "Table Text")
        docx_xml.set_paragraph_property(p._p, "jc", val=_JC[block.column(c).align])
        if kind == "header":
            _cell_props(cell, fill=ACCENT)
        elif kind == "total":  # as print.css: no fill, a thin rule above, a thick one below
            _cell_props(cell, top=(6, ACCENT), bottom=(16, ACCENT))
        elif kind == "subtotal" or first_footer:
            _cell_props(cell, top=(6, RULE))
        inlines = row.cells[c].inlines if c < len(row.cells) else ()
        bold = kind in ("total", "subtotal")
        # optional rows are italic, except Chinese text (no italic: Word slants it)
        optional = kind == "optional" and not self.chinese
        # a key-value or parties table's labels are muted, as in the PDF (print.css)
        label = block.role in ("key-value", "parties") and c == 0
        muted = kind in ("optional", "detail") or label
        color = MUTED if muted else ACCENT if kind == "total" else ""
        if kind == "detail" and c == 0:  # a breakdown of the row above: indented
            p.paragraph_format.left_indent = Twips(180)
        self.inlines(p, inlines, bold=bold, italic=optional, color=color)
        if kind == "total":  # 10 pt, the table's text 9 (print.css)
            docx_xml.size_runs(p._p, TOTAL_HALF_POINTS)
        if keep_with_next:
            docx_xml.set_paragraph_property(p._p, "keepNext")

    def keep_lead_in(self) -> None:
        """Keep the paragraphs leading into a signature block on its page: Word moves
        them with the block (keep with next, each kept whole) rather than leaving the
        block alone at the top of a page."""
        lead_in: list[Any] = []
        container = self.sub._element if self.target is self.sub else self.target._tc
        for element in reversed(container):
            if element.tag in (qn("w:sectPr"), qn("w:tcPr")):
                continue
            if element.tag != qn("w:p") or len(lead_in) == LEAD_IN_PARAGRAPHS:
                break  # a table before: the lead-in ends there
            lead_in.append(element)
        for element in lead_in:
            p_pr = element.find(qn("w:pPr"))
            for tag in ("keepNext", "keepLines"):
                if p_pr is None or p_pr.find(qn(f"w:{tag}")) is None:
                    docx_xml.set_paragraph_property(element, tag)
                    p_pr = element.find(qn("w:pPr"))

    def signatures(self, block: dm.SignatureBlock) -> None:
        people = block.signatories
        if not people:
            return
        cols = 2 if len(people) > 1 else 1
        widths = [self.width // cols] * cols
        table = self.new_table(-(-len(people) // cols), widths, None, "")
        labels = [part for person in people for label in person.lines for part in label.split("\n")]
        labels = labels or [""]
        # the line starts after the widest label ("法定代表人或授权代表（签字）" is 2.5 cm)
        # and keeps at least 2.5 cm before the cell's end
        label_w = min(
            max(1134, *(_text_width(label, 8.5) + 170 for label in labels)), widths[0] - 2100
        )
        for i, person in enumerate(people):
            cell = table.cell(i // cols, i % cols)
            p = cell.paragraphs[0]
            self.styled(p, "Signature Heading")
            p.add_run(person.heading)
            self.add_styled(cell, "Signature Party").add_run(person.party)
            for label in person.lines:
                line = self.add_styled(cell, "Signature Line")
                line.paragraph_format.tab_stops.add_tab_stop(Twips(label_w))
                line.paragraph_format.tab_stops.add_tab_stop(Twips(widths[0] - 670))
                *above, last = label.split("\n")  # a bilingual label: one language a line
                for part in above:
                    line.add_run(part).add_break()
                line.add_run(last + "\t")
                line.add_run("\t").underline = True
        self.add_styled(self.target, "Table Spacer")

    def table_of_contents(self, block: dm.TableOfContents) -> None:
        self.para("TOC Heading").add_run(block.title)
        entries: list[tuple[dm.Heading, str] | None] = [*self.toc] or [None]
        for i, entry in enumerate(entries):
            p = self.add_styled(self.sub, f"toc {min(entry[0].level, 3)}" if entry else "toc 1")
            if i == 0:
                _field_char(p, "begin")
                instr = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
                instr.text = f' TOC \\h \\z \\t "{TOC_STYLES}" '
                p.add_run()._r.append(instr)
                _field_char(p, "separate")
            if entry:
                heading, name = entry
                link = OxmlElement("w:hyperlink", {qn("w:anchor"): name, qn("w:history"): "1"})
                text = dm.inline_text(heading.inlines)
                docx_xml.add_plain_run(link, f"{heading.number} {text}" if heading.number else text)
                if self.pages is not None:  # dot leader to the page, as Word writes it
                    docx_xml.add_plain_run(link, "\t")
                    docx_xml.add_plain_run(link, str(self.pages[i]))
                p._p.append(link)
            if i == len(entries) - 1:
                _field_char(p, "end")

    def inlines(
        self,
        p: Any,
        inlines: tuple[dm.Inline, ...],
        *,
        bold: bool = False,
        italic: bool = False,
        color: str = "",
    ) -> None:
        """Runs for the inlines; a cross-reference becomes a REF field."""

        def text(value: str) -> None:
            if value:
                docx_xml.add_run(p._p, value, bold=bold, italic=italic, color=color)

        def unbroken(value: str) -> None:
            """One run: spaces as no-break spaces, hyphens as Word's no-break hyphen
            (``w:noBreakHyphen``, which reads back as "-")."""
            run = p.add_run()
            for i, piece in enumerate(value.replace(" ", "\u00a0").split("-")):
                if i:
                    run._r.append(OxmlElement("w:noBreakHyphen"))
                if piece:
                    t = OxmlElement("w:t", {qn("xml:space"): "preserve"})
                    t.text = piece
                    run._r.append(t)
            _styled(run, bold, italic, color)

        for inline in inlines:
            if isinstance(inline, dm.Text) and inline.keep:
                unbroken(inline.text)
            elif isinstance(inline, dm.Text):
                text(inline.text)
            elif isinstance(inline, dm.Ref):
                mark = self.marks.get(inline.target)
                before, number, after = inline.text.partition(inline.number or "\0")
                if not (mark and inline.number and number):
                    text(inline.text)
                    continue
                text(before)
                sub = inline.target in self.sub_marks
                _field_char(p, "begin")
                instr = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
                instr.text = docx_numbering.ref_instruction(mark, sub)
                p.add_run()._r.append(instr)
                _field_char(p, "separate")
                text(number)
                _field_char(p, "end")
                text(after)
            elif isinstance(inline, dm.Strong):
                self.inlines(p, inline.children, bold=True, italic=italic, color=color)
            elif isinstance(inline, dm.Emph):
                self.inlines(p, inline.children, bold=bold, italic=True, color=color)
            elif isinstance(inline, dm.LineBreak):
                p.add_run().add_break()
            elif isinstance(inline, dm.Inserted | dm.Deleted):
                start = len(p._p)
                self.inlines(p, inline.children, bold=bold, italic=italic, color=color)
                added = list(p._p)[start:]
                wrap = tracked.insertion if isinstance(inline, dm.Inserted) else tracked.deletion
                p._p.append(wrap(added, self.revision(inline.author), self.ids))
            else:  # mypy: every inline type has its branch above
                assert_never(inline)

    def revision(self, author: str) -> tracked.Revision:
        """A redline's change: by the role that must approve it, on the document's date."""
        return tracked.Revision(author, self.document.meta.date_iso)

    def whole_change(self, p: Any, inlines: tuple[dm.Inline, ...]) -> None:
        """A paragraph a redline inserted or deleted whole: its typed number and its
        paragraph mark are part of the change (accepting a deletion removes it all)."""
        change = dm.whole_change(inlines)
        if not change:
            return
        author = inlines[0].author  # type: ignore[union-attr]
        bare = [child for child in p._p if child.tag == qn("w:r")]
        wrap = tracked.insertion if change == "inserted" else tracked.deletion
        if bare:
            at = p._p.index(bare[0])
            p._p.insert(at, wrap(bare, self.revision(author), self.ids))
        kind: Literal["insert", "delete"] = "insert" if change == "inserted" else "delete"
        tracked.mark_paragraph(p._p, kind, self.revision(author), self.ids)


def _stays_with(previous: dm.Block | None, block: dm.Block) -> bool:
    """Whether ``block`` starts on the page ``previous`` ends on: as the PDF's
    stylesheet keeps them (print.css), the amount in words with the price table's
    total it states and the optional-items note with the amount in words; and a
    paragraph that introduces a list or a table ("… the following steps:", "We will
    work through these steps with:") with it."""
    if isinstance(block, dm.BulletList | dm.OrderedList | dm.Table):
        return isinstance(previous, dm.Paragraph) and dm.inline_text(
            previous.inlines
        ).rstrip().endswith((":", "："))
    if not isinstance(block, dm.Paragraph):
        return False
    if block.style == "amount":
        return isinstance(previous, dm.Table) and previous.role == "pricing"
    if block.style == "note":
        return isinstance(previous, dm.Paragraph) and previous.style == "amount"
    return False


def rows_kept_with_next(count: int, *, header: bool, footer: int) -> set[int]:
    """Rows (indexes into header + body + footer) whose paragraphs keep with the next
    row, as the PDF's stylesheet does: the header with the first three body rows, the
    last three body rows together and with the totals, the totals together. A page
    then never starts or ends a table with one or two rows (rows never split:
    ``cantSplit``; the header repeats: ``tblHeader``)."""
    first = 1 if header else 0
    body = count - first - footer
    keep = set(range(min(first + 2, count - 1)))  # header, body rows 1 and 2
    keep |= set(range(max(first, first + body - 3), first + body - 1))  # last three
    if footer:
        keep |= set(range(first + body - 1, count - 1))  # last body row + totals
    return {i for i in keep if 0 <= i < count - 1}


def _header_look(table: Any, header: bool) -> None:
    """Word's table look: header-row styling only when the table has a header."""
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    look.getparent().replace(
        look,
        parse_xml(
            f'<w:tblLook {nsdecls("w")} w:val="0{4 if header else 0}00" w:firstRow='
            f'"{int(header)}" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
            'w:noHBand="1" w:noVBand="1"/>'
        ),
    )


def _styled(run: Any, bold: bool, italic: bool, color: str) -> None:
    run.bold, run.italic = bold or None, italic or None
    if color:
        run.font.color.rgb = RGBColor.from_string(color)


def _field_char(p: Any, kind: str) -> None:
    r = docx_xml.add_plain_run(p._p)
    r.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))


def _cell_props(
    cell: Any,
    fill: str = "",
    top: tuple[int, str] | None = None,
    bottom: tuple[int, str] | None = None,
) -> None:
    """A cell's fill and its rules above and below (width in eighths of a point, colour)."""
    tc_pr = cell._tc.get_or_add_tcPr()
    rules = [(side, rule) for side, rule in (("top", top), ("bottom", bottom)) if rule]
    if rules:
        tc_pr.insert_element_before(
            parse_xml(
                f"<w:tcBorders {nsdecls('w')}>"
                + "".join(
                    f'<w:{side} w:val="single" w:sz="{width}" w:space="0" w:color="{color}"/>'
                    for side, (width, color) in rules
                )
                + "</w:tcBorders>"
            ),
            *_TC_AFTER_BORDERS.split(),
        )
    if fill:
        tc_pr.insert_element_before(
            parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'),
            *_TC_AFTER_BORDERS.split()[1:],
        )


def _style_num(style: Any) -> int | None:
    found = style.xpath("w:pPr/w:numPr/w:numId/@w:val")
    return int(found[0]) if found else None


def _text_width(text: str, points: float) -> int:
    """A rough width in twips: CJK characters are one em, others 0.58 em."""
    return int(sum(1.0 if ord(ch) >= 0x2E80 else 0.58 for ch in text) * points * 20)


_TOKEN = re.compile(r"[^\s\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+")
_CELL_PADDING = 260  # the table style's left and right cell margins, and some slack


def _column_needs(rows: list[tuple[dm.Row, str]], cols: int) -> list[int]:
    """Per column, the width (twips) of its longest word or amount, which Word would
    otherwise break mid-token ("¥1,280,000.0/0", "Period/s") in a narrow column, and
    of its widest short Chinese phrase (规模推广, 标准级（本方案）: :mod:`propgen.table_text`),
    which Word would break anywhere."""
    needs = [0] * cols
    for row, kind in rows:
        points = 9.0 * (1.12 if kind in ("header", "total", "subtotal") else 1.0)  # bold
        for c, cell in enumerate(row.cells[:cols]):
            text = dm.inline_text(cell.inlines)
            tokens = _TOKEN.findall(text) + [text[s:e] for s, e in kept_phrases(text)]
            for token in tokens:
                needs[c] = max(needs[c], _text_width(token, points) + _CELL_PADDING)
    return needs


def _fit_columns(widths: list[int], needs: list[int]) -> list[int]:
    """Widen columns narrower than their longest token, taking the width from the
    columns with the most room to spare (their own needs are kept)."""
    out = list(widths)
    for c, need in enumerate(needs):
        while out[c] < need:
            spare = [out[i] - max(needs[i], 567) if i != c else 0 for i in range(len(out))]
            donor = max(range(len(out)), key=spare.__getitem__)
            give = min(need - out[c], spare[donor])
            if give <= 0:
                break
            out[c] += give
            out[donor] -= give
    return out


def _hang(label: str) -> int:
    """Hanging indent (twips) for a sub-clause label: 1.2 cm, or wider in 0.5 cm steps."""
    estimate = _text_width(label, 10)
    return 680 if estimate <= 600 else -(-estimate // 283) * 283 + 120
