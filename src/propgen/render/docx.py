"""The DOCX renderer: the document model poured into the Word frame ``frame.docx``.

The frame (built by ``tools/build_frame.py``, restylable in Word) is a docxtpl
template. It *places* these values: ``title``, ``subtitle``, ``notice``, ``logo``,
``cover_lines`` (``line.label``/``line.value``), ``header``, ``header_logo``,
``footer``, ``page_label``, ``of_label`` (plus ``reference``, ``date``, ``kind``,
``locale``, ``seller_name``, ``customer_name``) and ``{{p body }}``, the body built
here with python-docx from the frame's Word styles. Every text goes in literally:
the frame renders in a sandboxed, autoescaping Jinja environment and body text is
only ever added as python-docx runs. Same document in, same bytes out.
"""

from __future__ import annotations

import re
import zipfile
from collections import deque
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, RGBColor, Twips
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError
from lxml import etree  # type: ignore[import-untyped]
from markupsafe import Markup, escape

from propgen import document as dm
from propgen.errors import LibraryError, Problem, PropgenError
from propgen.render.guard import check_size, limits
from propgen.templating import sandbox

FRAME = "frame.docx"
ACCENT, MUTED, RULE, TINT = "1F3A5F", "6B7280", "8896A8", "EEF2F7"
PARA_STYLES = dict(
    body="Normal", lead="Lead", note="Note", notice="Notice", recital="Recital", amount="Amount"
)
REQUIRED_STYLES = (  # besides PARA_STYLES
    "Heading 1,Heading 2,Heading 3,Heading 1 Unlisted,Heading 2 Unlisted,Heading 3 Unlisted,"
    "toc 1,toc 2,toc 3,TOC Heading,List Bullet,List Number,List Continue,Caption,Table Text,"
    "Table Header,Table Spacer,Signature Heading,Signature Party,Signature Line,Propgen Table"
)
CONTEXT_FIELDS = (  # Meta fields placed by the frame as they are
    "title subtitle notice header footer page_label of_label page_suffix reference kind locale "
    "seller_name customer_name"
)
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# docxtpl turns "{_{", "}_}", "{_%", "%_}" anywhere in its output into Jinja
# delimiters; hide such underscores behind a character reference so text stays literal.
_DOCXTPL_ESCAPES = re.compile(r"(?<=[{}%])_|_(?=[{}%])")
_TC_AFTER_BORDERS = "w:shd w:noWrap w:tcMar w:textDirection w:tcFitText w:vAlign w:hideMark"
_SETTINGS_AFTER_UPDATE = (  # schema order: w:updateFields precedes these
    "w:hdrShapeDefaults w:footnotePr w:endnotePr w:compat w:docVars w:rsids m:mathPr "
    "w:attachedSchema w:themeFontLang w:clrSchemeMapping w:doNotIncludeSubdocsInStats "
    "w:doNotAutoCompressPictures w:forceUpgrade w:captions w:readModeInkLockDown "
    "w:smartTagType sl:schemaLibrary w:shapeDefaults w:doNotEmbedSmartTags w:decimalSymbol "
    "w:listSeparator"
)
_VML = 'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
_WATERMARK = (  # Word's own watermark: a WordArt text path behind the page, in the header
    '<w:p {w} {vml}><w:pPr><w:pStyle w:val="Header"/></w:pPr><w:r><w:rPr><w:noProof/></w:rPr>'
    '<w:pict><v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas><v:f eqn="sum #0 0 10800"/>'
    '<v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/>'
    '<v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/>'
    '<v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/>'
    '<v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/>'
    '<v:f eqn="sum @6 0 @5"/></v:formulas><v:path textpathok="t" o:connecttype="custom" '
    'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/>'
    '</v:shapetype><v:shape id="PowerPlusWaterMarkObject{n}" o:spid="_x0000_s{spid}" '
    'type="#_x0000_t136" style="position:absolute;margin-left:0;margin-top:0;width:{width}pt;'
    "height:{height}pt;rotation:315;z-index:-251654144;mso-position-horizontal:center;"
    "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
    'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#B8C2CF" '
    'stroked="f"><v:fill opacity=".45"/><v:textpath style="font-family:&quot;{font}&quot;;'
    'font-size:1pt;font-weight:bold" string=""/></v:shape></w:pict></w:r></w:p>'
)


def _frame_error(frame: Path, message: str, hint: str = "") -> LibraryError:
    return LibraryError(problems=[Problem(message, file=str(frame), hint=hint)])


def render_docx(document: dm.Document, theme_dir: Path) -> bytes:
    """The document as DOCX bytes, rendered through theme_dir/'frame.docx'.

    Raises:
        LibraryError: the frame is missing, lacks styles or does not render.
        ResourceLimit: rendering took too long or too much memory.
        PropgenError: the rendered XML is malformed or lost text (never written).
    """
    frame = theme_dir / FRAME
    if not frame.is_file():
        raise _frame_error(frame, "the Word frame is missing", "run tools/build_frame.py")
    meta = document.meta
    check_size(document)
    with limits(f"the DOCX of {meta.reference} ({meta.kind})"):
        return _render(document, theme_dir, frame)


def _render(document: dm.Document, theme_dir: Path, frame: Path) -> bytes:
    tpl = _StrictTemplate(str(frame))
    tpl.init_docx()
    have = {style.name for style in tpl.docx.styles}
    wanted = [*PARA_STYLES.values(), *REQUIRED_STYLES.split(",")]
    missing = [name for name in wanted if name not in have]
    if missing:
        raise _frame_error(
            frame,
            f"the Word frame lacks the styles {', '.join(missing)}",
            "add them in Word or rebuild the frame with tools/build_frame.py",
        )
    meta = document.meta
    try:
        body = _Body(tpl, document).render()
    except ValueError as exc:  # lxml refuses control characters
        raise PropgenError(f"the document cannot be written as DOCX: {exc}") from exc
    logo = _logo_png(theme_dir, meta.logo)
    context: dict[str, Any] = {key: getattr(meta, key) for key in CONTEXT_FIELDS.split()}
    context |= {
        "date": meta.date_iso,
        "cover_lines": [{"label": c.label, "value": c.value} for c in meta.cover_lines],
        "logo": InlineImage(tpl, str(logo), height=Mm(15)) if logo else "",
        "header_logo": InlineImage(tpl, str(logo), height=Mm(6.5)) if logo else "",
        "body": Markup(_DOCXTPL_ESCAPES.sub("&#95;", body)),
    }
    env = sandbox(None)  # the one factory: sandboxed, strict, autoescaping
    env.finalize = _finalize
    placed = _placed_fields(tpl)
    try:
        tpl.render(context, jinja_env=env, autoescape=True)
    except TemplateError as exc:
        raise _frame_error(frame, f"the Word frame does not render: {exc}") from exc
    except etree.XMLSyntaxError as exc:  # a header or footer rendered to broken XML
        raise PropgenError(f"the Word frame rendered to malformed XML: {exc}") from exc
    if meta.watermark.strip():
        _watermark(tpl, meta.watermark.strip())
    _settings(tpl, meta.locale)
    stamp = _stamp(meta.date_iso)
    props = tpl.docx.core_properties
    props.title, props.author, props.subject = meta.title, meta.author, meta.subtitle
    props.keywords, props.identifier = ", ".join(meta.keywords), meta.reference
    props.category, props.language, props.comments = meta.kind, meta.locale, ""
    props.last_modified_by, props.revision = "propgen", 1
    props.created = props.modified = props.last_printed = stamp
    buf = BytesIO()
    tpl.save(buf)
    data = _pack(buf.getvalue(), stamp)
    verify_docx(data, document, placed)
    return data


_STRICT = etree.XMLParser(
    recover=False, resolve_entities=False, no_network=True, huge_tree=True, load_dtd=False
)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class _StrictTemplate(DocxTemplate):  # type: ignore[misc]
    """docxtpl, except that the rendered body is parsed strictly first: docxtpl's own
    parse (``fix_tables``) recovers from broken XML by silently dropping text."""

    def fix_tables(self, xml: str) -> Any:
        try:
            etree.fromstring(xml.encode("utf-8") if isinstance(xml, str) else xml, _STRICT)
        except etree.XMLSyntaxError as exc:
            raise PropgenError(f"the Word frame rendered to malformed XML: {exc}") from exc
        return super().fix_tables(xml)


_FRAME_FIELDS = {  # frame placeholder -> the meta values it shows
    "title": lambda m: [m.title],
    "subtitle": lambda m: [m.subtitle],
    "notice": lambda m: [m.notice],
    "header": lambda m: [m.header],
    "footer": lambda m: [m.footer],
    "line.label": lambda m: [c.label for c in m.cover_lines],
    "line.value": lambda m: [c.value for c in m.cover_lines],
}


def _placed_fields(tpl: DocxTemplate) -> set[str]:
    """The meta fields the frame prints (a restyled frame may leave some out)."""
    sources = [tpl.get_xml()]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        sources += [tpl.get_part_xml(part) for _key, part in tpl.get_headers_footers(uri)]
    text = re.sub(r"<[^>]+>", "", "".join(sources))
    return {
        name
        for name in _FRAME_FIELDS
        if re.search(r"\{\{[^}]*\b" + re.escape(name) + r"\b[^}]*\}\}", text)
    }


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _part_text(root: Any) -> str:
    return "".join(t.text or "" for t in root.iter(f"{_W}t"))


def verify_docx(data: bytes, document: dm.Document, placed: set[str] | None = None) -> None:
    """Check the DOCX really carries the document, so no text is ever lost silently.

    Every XML part must parse strictly; every section and heading must have its
    bookmark; every text of the body must appear, in order; and every meta field the
    frame places (``placed``: title, notice, header ...) must appear somewhere.

    Raises:
        PropgenError: naming what is missing (a propgen or frame bug, never written).
    """
    roots: dict[str, Any] = {}
    with zipfile.ZipFile(BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels")):
                try:
                    roots[info.filename] = etree.fromstring(archive.read(info), _STRICT)
                except etree.XMLSyntaxError as exc:
                    raise PropgenError(
                        f"the DOCX part {info.filename} is malformed XML: {exc}"
                    ) from exc
    body = roots.get("word/document.xml")
    if body is None:
        raise PropgenError("the DOCX has no word/document.xml")
    marks = set(body.xpath("//w:bookmarkStart/@w:name", namespaces={"w": _W[1:-1]}))
    marked = [b for b in dm.iter_blocks(document.blocks) if isinstance(b, dm.Heading | dm.Section)]
    for block, name in zip(marked, _bookmark_names(marked), strict=True):
        if name not in marks:
            what = (
                f"section {block.source_id!r}"
                if isinstance(block, dm.Section)
                else f"heading {dm.inline_text(block.inlines)!r}"
            )
            raise PropgenError(f"the DOCX lost {what} (no bookmark {name!r})")
    text = _squash(_part_text(body))
    position = 0
    for piece in _texts(document.blocks):
        wanted = _squash(piece)
        if not wanted:
            continue
        found = text.find(wanted, position)
        if found < 0:
            raise PropgenError(f"the DOCX lost text: {piece[:80]!r}")
        position = found + len(wanted)
    everything = "".join(
        _squash(_part_text(root))
        for name, root in roots.items()
        if name.startswith(("word/document", "word/header", "word/footer"))
    )
    for field in sorted(placed or ()):
        for value in _FRAME_FIELDS[field](document.meta):
            if _squash(value) not in everything:
                raise PropgenError(f"the DOCX lost the {field} {value[:80]!r}")


def _texts(blocks: tuple[dm.Block, ...]) -> list[str]:
    """Every text of the body in reading order (table of contents entries aside)."""
    out: list[str] = []

    def inlines(items: tuple[dm.Inline, ...]) -> None:
        for inline in items:
            if isinstance(inline, dm.Text):
                out.append(inline.text)
            elif isinstance(inline, dm.Strong | dm.Emph):
                inlines(inline.children)

    for block in blocks:
        if isinstance(block, dm.Heading | dm.Paragraph):
            out.append(block.number)
            inlines(block.inlines)
        elif isinstance(block, dm.BulletList | dm.OrderedList):
            for item in block.items:
                out.extend(_texts(item.blocks))
        elif isinstance(block, dm.Table):
            out.append(block.caption)
            for row in (block.header, *block.rows, *block.footer):
                for cell in row.cells if row else ():
                    inlines(cell.inlines)
        elif isinstance(block, dm.Section):
            out.extend(_texts(block.blocks))
        elif isinstance(block, dm.SignatureBlock):
            for person in block.signatories:
                out += [person.heading, person.party, *person.lines]
        elif isinstance(block, dm.TableOfContents):
            out.append(block.title)
    return out


class _Body:
    """Builds the body as a docxtpl subdocument sharing the frame's styles."""

    def __init__(self, tpl: DocxTemplate, document: dm.Document) -> None:
        self.sub = tpl.new_subdoc()
        section = tpl.docx.sections[-1]
        self.width = int((section.page_width - section.left_margin - section.right_margin) / 635)
        marked = [
            b for b in dm.iter_blocks(document.blocks) if isinstance(b, dm.Heading | dm.Section)
        ]
        names = _bookmark_names(marked)
        self.names = deque(names)
        self.toc = [
            (b, n)
            for b, n in zip(marked, names, strict=True)
            if isinstance(b, dm.Heading) and b.in_toc
        ]
        self.numbering = tpl.docx.part.numbering_part.element
        ids = [int(n) for n in self.numbering.xpath("w:num/@w:numId")] or [0]
        self.next_num, self.next_mark = max(ids) + 1, 1
        styles = tpl.docx.styles
        self.bullet_num = _style_num(styles["List Bullet"].element) or 1
        number_num = _style_num(styles["List Number"].element) or 2
        found = self.numbering.xpath(f'w:num[@w:numId="{number_num}"]/w:abstractNumId/@w:val')
        self.number_abstract = found[0] if found else "0"
        self.pending: list[str] = []
        self.break_next = False
        self.document = document
        # python-docx finds a style by name with a scan of every style on each use;
        # resolving each name once makes the body several times faster to build.
        self._styles: dict[str, Any] = {}
        self._all_styles = styles

    def style(self, name: str) -> Any:
        if name not in self._styles:
            self._styles[name] = self._all_styles[name]
        return self._styles[name]

    def render(self) -> str:
        self.blocks(self.document.blocks, 0)
        if self.pending:
            self.para("Normal")
        xml: str = self.sub._get_xml()
        return xml

    def para(self, style: str) -> Any:
        """A new body paragraph, carrying a pending page break and bookmarks."""
        p = self.sub.add_paragraph(style=self.style(style))
        if self.break_next:
            p.paragraph_format.page_break_before, self.break_next = True, False
        for name in self.pending:
            mark = {qn("w:id"): str(self.next_mark)}
            p._p.append(OxmlElement("w:bookmarkStart", {**mark, qn("w:name"): name}))
            p._p.append(OxmlElement("w:bookmarkEnd", mark))
            self.next_mark += 1
        self.pending = []
        return p

    def blocks(self, blocks: tuple[dm.Block, ...], depth: int) -> None:
        for block in blocks:
            self.block(block, depth)

    def block(self, block: dm.Block, depth: int) -> None:
        if isinstance(block, dm.Heading):
            level = min(max(block.level, 1), 3)
            self.pending.append(self.names.popleft())
            p = self.para(f"Heading {level}" if block.in_toc else f"Heading {level} Unlisted")
            if block.number:
                p.add_run(block.number + " ")
            _inlines(p, block.inlines)
        elif isinstance(block, dm.Paragraph):
            p = self.para(PARA_STYLES.get(block.style, "Normal"))
            if block.number:
                hang = _hang(block.number)
                fmt = p.paragraph_format
                fmt.left_indent, fmt.first_line_indent = Twips(hang), Twips(-hang)
                fmt.tab_stops.add_tab_stop(Twips(hang))
                p.add_run(block.number)
                p.add_run("\t")
            _inlines(p, block.inlines)
        elif isinstance(block, dm.BulletList | dm.OrderedList):
            self.add_list(block, depth)
        elif isinstance(block, dm.Table):
            self.table(block)
        elif isinstance(block, dm.Section):
            self.pending.append(self.names.popleft())
            self.blocks(block.blocks, depth)
        elif isinstance(block, dm.SignatureBlock):
            self.signatures(block)
        elif isinstance(block, dm.TableOfContents):
            self.table_of_contents(block)
        elif isinstance(block, dm.PageBreak):
            self.break_next = True

    def add_list(self, block: dm.BulletList | dm.OrderedList, depth: int) -> None:
        level = min(depth, 2)
        if isinstance(block, dm.OrderedList):
            num_id, self.next_num = self.next_num, self.next_num + 1
            self.numbering.append(
                parse_xml(
                    f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId '
                    f'w:val="{self.number_abstract}"/><w:lvlOverride w:ilvl="{level}">'
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
                        num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
                        num_pr.get_or_add_ilvl().val = level
                        num_pr.get_or_add_numId().val = num_id
                    else:
                        p.paragraph_format.left_indent = Twips(397 * (level + 1))
                    if child.number:
                        p.add_run(child.number + " ")
                    _inlines(p, child.inlines)
                    first = False
                elif isinstance(child, dm.BulletList | dm.OrderedList):
                    self.add_list(child, depth + 1)
                else:
                    self.block(child, depth + 1)

    def new_table(self, rows: int, widths: list[int], style: str | None, caption: str) -> Any:
        if caption or self.break_next or self.pending:
            self.para("Caption" if caption else "Table Spacer").add_run(caption)
        table = self.sub.add_table(rows=rows, cols=len(widths))
        table.style, table.autofit, table.alignment = style, False, WD_TABLE_ALIGNMENT.LEFT
        tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
        tbl_w.set(qn("w:type"), "dxa")
        tbl_w.set(qn("w:w"), str(sum(widths)))
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Twips(width)
            for cell in column.cells:
                cell.width = Twips(width)
        for row in table.rows:
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        return table

    def table(self, block: dm.Table) -> None:
        rows: list[tuple[dm.Row, str]] = [(block.header, "header")] if block.header else []
        rows += [(r, r.style) for r in block.rows] + [(r, r.style) for r in block.footer]
        cols = max([len(block.widths), len(block.align)] + [len(r.cells) for r, _ in rows])
        if not rows or not cols:  # nothing to tabulate; keep the caption
            if block.caption:
                self.para("Caption").add_run(block.caption)
            return
        weights = [max(w, 1) for w in block.widths] + [1] * (cols - len(block.widths))
        widths = [self.width * w // sum(weights) for w in weights[:cols]]
        widths[-1] += self.width - sum(widths)
        table = self.new_table(len(rows), widths, "Propgen Table", block.caption)
        look = table._tbl.tblPr.find(qn("w:tblLook"))  # header-row styling only with a header
        look.getparent().replace(
            look,
            parse_xml(
                f'<w:tblLook {nsdecls("w")} w:val="0{4 if block.header else 0}00" w:firstRow='
                f'"{int(bool(block.header))}" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
                'w:noHBand="1" w:noVBand="1"/>'
            ),
        )
        for r, ((row, kind), tr) in enumerate(zip(rows, table.rows, strict=True)):
            if kind == "header":
                tr._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
            for c, cell in enumerate(tr.cells):
                p = cell.paragraphs[0]
                p.style = self.style("Table Header" if kind == "header" else "Table Text")
                p.alignment = getattr(WD_ALIGN_PARAGRAPH, (block.align[c:] or ("left",))[0].upper())
                if kind == "header":
                    _cell_props(cell, fill=ACCENT)
                elif kind == "total":
                    _cell_props(cell, fill=TINT, top=(8, ACCENT))
                elif kind == "subtotal" or (r == len(rows) - len(block.footer) and block.footer):
                    _cell_props(cell, top=(6, RULE))
                inlines = row.cells[c].inlines if c < len(row.cells) else ()
                bold = kind in ("total", "subtotal") or (block.role == "key-value" and c == 0)
                optional = kind == "optional"
                _inlines(p, inlines, bold=bold, italic=optional, color=MUTED if optional else "")
        self.sub.add_paragraph(style=self.style("Table Spacer"))

    def signatures(self, block: dm.SignatureBlock) -> None:
        people = block.signatories
        if not people:
            return
        cols = 2 if len(people) > 1 else 1
        widths = [self.width // cols] * cols
        table = self.new_table(-(-len(people) // cols), widths, None, "")
        labels = [label for person in people for label in person.lines] or [""]
        label_w = min(
            max(1134, *(_text_width(label, 8.5) + 170 for label in labels)), widths[0] // 2
        )
        for i, person in enumerate(people):
            cell = table.cell(i // cols, i % cols)
            p = cell.paragraphs[0]
            p.style = self.style("Signature Heading")
            p.add_run(person.heading)
            cell.add_paragraph(style=self.style("Signature Party")).add_run(person.party)
            for label in person.lines:
                line = cell.add_paragraph(style=self.style("Signature Line"))
                line.paragraph_format.tab_stops.add_tab_stop(Twips(label_w))
                line.paragraph_format.tab_stops.add_tab_stop(Twips(widths[0] - 670))
                line.add_run(label + "\t")
                line.add_run("\t").underline = True
        self.sub.add_paragraph(style=self.style("Table Spacer"))

    def table_of_contents(self, block: dm.TableOfContents) -> None:
        self.para("TOC Heading").add_run(block.title)
        entries: list[tuple[dm.Heading, str] | None] = [*self.toc] or [None]
        for i, entry in enumerate(entries):
            p = self.sub.add_paragraph(
                style=self.style(f"toc {min(entry[0].level, 3)}" if entry else "toc 1")
            )
            if i == 0:
                _field_char(p, "begin")
                instr = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
                instr.text = ' TOC \\o "1-3" \\h \\z '
                p.add_run()._r.append(instr)
                _field_char(p, "separate")
            if entry:
                heading, name = entry
                link = OxmlElement("w:hyperlink", {qn("w:anchor"): name, qn("w:history"): "1"})
                text = dm.inline_text(heading.inlines)
                link.append(p.add_run(f"{heading.number} {text}" if heading.number else text)._r)
                p._p.append(link)
            if i == len(entries) - 1:
                _field_char(p, "end")


def _inlines(
    p: Any,
    inlines: tuple[dm.Inline, ...],
    *,
    bold: bool = False,
    italic: bool = False,
    color: str = "",
) -> None:
    for inline in inlines:
        if isinstance(inline, dm.Text):
            if inline.text:
                run = p.add_run(inline.text)
                run.bold, run.italic = bold or None, italic or None
                if color:
                    run.font.color.rgb = RGBColor.from_string(color)
        elif isinstance(inline, dm.Strong):
            _inlines(p, inline.children, bold=True, italic=italic, color=color)
        elif isinstance(inline, dm.Emph):
            _inlines(p, inline.children, bold=bold, italic=True, color=color)
        elif isinstance(inline, dm.LineBreak):
            p.add_run().add_break()


def _field_char(p: Any, kind: str) -> None:
    p.add_run()._r.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))


def _cell_props(cell: Any, fill: str = "", top: tuple[int, str] | None = None) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    if top:
        tc_pr.insert_element_before(
            parse_xml(
                f'<w:tcBorders {nsdecls("w")}><w:top w:val="single" w:sz="{top[0]}" w:space="0" '
                f'w:color="{top[1]}"/></w:tcBorders>'
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


def _hang(label: str) -> int:
    """Hanging indent (twips) for a sub-clause label: 1.2 cm, or wider in 0.5 cm steps."""
    estimate = _text_width(label, 10)
    return 680 if estimate <= 600 else -(-estimate // 283) * 283 + 120


def _bookmark_names(marked: list[dm.Heading | dm.Section]) -> list[str]:
    """Word bookmark names (letters, digits, _; <= 40) for headings, then sections."""
    used: set[str] = set()
    names: dict[int, str] = {}
    for headings in (True, False):
        for i, block in enumerate(marked):
            if isinstance(block, dm.Heading) != headings:
                continue
            raw = block.anchor if isinstance(block, dm.Heading) else block.source_id
            if not raw:
                base = f"_Toc{i + 1:06d}"
            else:
                base = re.sub(r"[^0-9A-Za-z_]", "_", raw)
                base = (base if base[:1].isalpha() else "b_" + base)[:40]
            name, n = base, 1
            while name in used:
                n += 1
                name = f"{base[: 40 - len(str(n)) - 1]}_{n}"
            used.add(name)
            names[i] = name
    return [names[i] for i in range(len(marked))]


def _finalize(value: object) -> object:
    """Escape a frame value like autoescape would, then guard it from docxtpl's fix-ups."""
    if not isinstance(value, str) or isinstance(value, Markup):
        return value
    bad = _BAD_CHARS.search(value)
    if bad:  # docxtpl would turn \a, \f into markup, lxml refuses the rest
        raise PropgenError(f"cannot write control character U+{ord(bad[0]):04X} in {value!r}")
    return Markup(_DOCXTPL_ESCAPES.sub("&#95;", str(escape(value))))


def _logo_png(theme_dir: Path, logo: str) -> Path | None:
    """The logo as a PNG inside the theme folder (an SVG's sibling .png), or None."""
    if not logo.strip():
        return None
    root = theme_dir.resolve()
    path = (root / logo).resolve()
    if path.suffix.lower() == ".svg":
        path = path.with_suffix(".png")
    ok = path.is_relative_to(root) and path.is_file()
    return path if ok and path.suffix.lower() in (".png", ".jpg", ".jpeg", ".gif") else None


def _watermark(tpl: DocxTemplate, text: str) -> None:
    """A diagonal, semi-transparent text shape in every header, so on every page."""
    em = sum(1.25 if ord(ch) >= 0x2E80 else 0.75 for ch in text)
    width, height = min(em * 110, 460.0), 110 * min(1.0, 460 / (em * 110))
    font = "Noto Sans CJK SC" if any(ord(ch) >= 0x2E80 for ch in text) else "Noto Sans"
    parts = [rel.target_part for rel in tpl.docx.part.rels.values() if rel.reltype == RT.HEADER]
    for n, part in enumerate(parts, start=1):
        xml = _WATERMARK.format(
            w=nsdecls("w"),
            vml=_VML,
            n=n,
            spid=2048 + n,
            width=f"{width:.1f}",
            height=f"{height:.1f}",
            font=font,
        )
        p = parse_xml(xml)
        list(p.iter("{urn:schemas-microsoft-com:vml}textpath"))[-1].set("string", text)
        part.element.append(p)


def _settings(tpl: DocxTemplate, locale: str) -> None:
    """Ask Word to refresh fields (the TOC) on open; mark Chinese text as zh-CN."""
    settings = tpl.docx.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>')
        settings.insert_element_before(update, *_SETTINGS_AFTER_UPDATE.split())
    if locale == "zh-CN":
        rpr = tpl.docx.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr")
        if rpr:
            lang = rpr[0].find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                rpr[0].append(lang)
            lang.set(qn("w:eastAsia"), "zh-CN")


def _stamp(date_iso: str) -> datetime:
    try:
        day = date.fromisoformat(date_iso[:10])
    except ValueError:
        day = date(1980, 1, 1)
    return datetime(max(day.year, 1980), day.month, day.day, tzinfo=UTC)


def _pack(data: bytes, stamp: datetime) -> bytes:
    """Re-zip with fixed timestamps and attributes, keeping python-docx's member order."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            member.compress_type, member.create_system = zipfile.ZIP_DEFLATED, 3
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()
