"""The DOCX renderer: the document model poured into the Word frame ``frame.docx``.

The frame (built by ``tools/build_frame.py``, restylable in Word) is a docxtpl
template. It *places* these values: ``title``, ``subtitle``, ``notice``, ``logo``,
``cover_lines`` (``line.label``/``line.value``), ``header``, ``header_logo``,
``footer``, ``page_label``, ``of_label`` (plus ``reference``, ``date``, ``kind``,
``locale``, ``seller_name``, ``customer_name``) and ``{{p body }}``, the body
(:mod:`~propgen.render.docx_body`: python-docx in the frame's Word styles). The
result is read back by :mod:`~propgen.render.docx_verify` before it is returned.
Every text goes in literally: the frame renders in a sandboxed, autoescaping Jinja
environment and body text is only ever added as python-docx runs. Same document
in, same bytes out.
"""

from __future__ import annotations

import functools
import re
import zipfile
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, nsmap, qn
from docx.shared import Emu, Mm
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError
from lxml import etree  # type: ignore[import-untyped]
from markupsafe import Markup, escape

from propgen import document as dm
from propgen.errors import LibraryError, Problem, PropgenError
from propgen.frozen import Opaque, freeze
from propgen.guard import check_size, limits
from propgen.i18n import N_
from propgen.locales import is_chinese, paper
from propgen.render.docx_body import PARA_STYLES, Body
from propgen.render.docx_fonts import serif_body
from propgen.render.docx_trace import add_trace_part
from propgen.render.docx_verify import STRICT_XML, placed_fields, verify_docx
from propgen.render.docx_xml import BODY_MARKER, place_body
from propgen.render.frame_guard import load_frame
from propgen.templating import sandbox

FRAME = "frame.docx"
REQUIRED_STYLES = (  # besides PARA_STYLES
    "Heading 1,Heading 2,Heading 3,Heading 1 Unlisted,Heading 2 Unlisted,Heading 3 Unlisted,"
    "toc 1,toc 2,toc 3,TOC Heading,List Bullet,List Number,List Continue,Caption,Table Text,"
    "Table Header,Table Spacer,Signature Heading,Signature Party,Signature Line,Propgen Table,"
    "Clause Heading,Subclause"
)
CORE_PROPERTIES_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
CONTEXT_FIELDS = (  # Meta fields placed by the frame as they are
    "title subtitle notice header footer page_label of_label page_suffix reference kind locale "
    "seller_name customer_name"
)
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# docxtpl turns "{_{", "}_}", "{_%", "%_}" anywhere in its output into Jinja
# delimiters; hide such underscores behind a character reference so text stays literal.
_DOCXTPL_ESCAPES = re.compile(r"(?<=[{}%])_|_(?=[{}%])")
_SETTINGS_AFTER_UPDATE = (  # schema order: w:updateFields precedes these
    "w:hdrShapeDefaults w:footnotePr w:endnotePr w:compat w:docVars w:rsids m:mathPr "
    "w:attachedSchema w:themeFontLang w:clrSchemeMapping w:doNotIncludeSubdocsInStats "
    "w:doNotAutoCompressPictures w:forceUpgrade w:captions w:readModeInkLockDown "
    "w:smartTagType sl:schemaLibrary w:shapeDefaults w:doNotEmbedSmartTags w:decimalSymbol "
    "w:listSeparator"
)
# The PDF's watermark is the accent colour at 7 % opacity (print.css); the same tint
# as an opaque colour, since Word and LibreOffice honour a VML fill opacity unequally.
WATERMARK_COLOR = "#EFF1F4"
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
    "height:{height}pt;rotation:322;z-index:-251654144;mso-position-horizontal:center;"
    "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
    'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="{color}" '
    'stroked="f"><v:textpath style="font-family:&quot;{font}&quot;;'
    'font-size:1pt;font-weight:bold" string=""/></v:shape></w:pict></w:r></w:p>'
)


def _frame_error(frame: Path, message: str, hint: str = "") -> LibraryError:
    return LibraryError(problems=[Problem(message, file=str(frame), hint=hint)])


def render_docx(
    document: dm.Document, theme_dir: Path, contents_pages: tuple[int, ...] | None = None
) -> bytes:
    """The document as DOCX bytes, rendered through theme_dir/'frame.docx'.

    ``contents_pages`` (the page of each contents entry in the PDF of the same
    document) fills in the contents page's numbers, so Word need not update fields
    on open; without them the entries are there and Word is asked to update.

    Raises:
        LibraryError: the frame is missing, lacks styles or does not render.
        ResourceLimit: rendering took too long or too much memory.
        PropgenError: the rendered XML is malformed or lost text (never written).
    """
    meta = document.meta
    if document.preface:
        raise ValueError("a DOCX has no pages before its frame's cover: no preface")
    frame = checked_frame(theme_dir)
    check_size(document)
    with limits(
        N_("the DOCX of {reference} ({document})").format(
            reference=meta.reference, document=meta.kind
        )
    ):
        return _render(document, theme_dir, frame, contents_pages)


def checked_frame(theme_dir: Path) -> bytes:
    """The theme's Word frame, refused before any work is spent on the document if it
    is missing, outside the theme, too big, unsound or would make Word fetch anything
    (:func:`propgen.render.frame_guard.load_frame`; checked once per content)."""
    frame = theme_dir / FRAME
    if not (frame.exists() or frame.is_symlink()):
        raise _frame_error(frame, "the Word frame is missing", "run tools/build_frame.py")
    return load_frame(frame, theme_dir)


def _render(
    document: dm.Document, theme_dir: Path, frame_bytes: bytes, pages: tuple[int, ...] | None
) -> bytes:
    frame = theme_dir / FRAME
    tpl = _StrictTemplate(BytesIO(frame_bytes))  # checked: fetches nothing
    tpl.init_docx()
    _paper(tpl, document.meta.locale)
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
        builder = Body(tpl, document, pages)
        body = builder.render()
    except ValueError as exc:  # lxml refuses control characters
        raise PropgenError(f"the document cannot be written as DOCX: {exc}") from exc
    logo = _logo_png(theme_dir, meta.logo)
    context: dict[str, Any] = {key: getattr(meta, key) for key in CONTEXT_FIELDS.split()}
    context |= {
        "date": meta.date_iso,
        "cover_lines": [{"label": c.label, "value": c.value} for c in meta.cover_lines],
        "logo": _image(tpl, logo, Mm(15)),
        "header_logo": _image(tpl, logo, Mm(6.5)),
        "body": Markup(BODY_MARKER),  # the body goes in as elements, after docxtpl
    }
    context = {key: freeze(value) for key, value in context.items()}  # plain data only
    env = _frame_environment()
    placed = placed_fields(tpl)
    try:
        tpl.render(context, jinja_env=env, autoescape=True)
    except TemplateError as exc:
        raise _frame_error(frame, f"the Word frame does not render: {exc}") from exc
    except etree.XMLSyntaxError as exc:  # a header or footer rendered to broken XML
        raise PropgenError(f"the Word frame rendered to malformed XML: {exc}") from exc
    placed_bodies = place_body(tpl.docx.element, body)
    if placed_bodies != 1:
        raise _frame_error(
            frame,
            f"the Word frame places the body {placed_bodies} times",
            "keep exactly one paragraph {{p body }} in the frame's main text",
        )
    if meta.notice.strip():
        _cover_with_notice(tpl.docx)
    if meta.watermark.strip():
        _watermark(tpl, meta.watermark.strip())
    _settings(tpl, meta.locale, update_fields=not builder.contents_complete)
    if is_chinese(meta.locale) and meta.kind == "contract":
        serif_body(tpl.docx)
    stamp = _stamp(meta.date_iso)
    _core_properties(tpl, meta, stamp)
    add_trace_part(tpl.docx, document)
    data = _package(tpl, stamp)
    verify_docx(data, document, placed)
    return data


def _paper(tpl: Any, locale: str) -> None:
    """Every section on the locale's paper (US Letter for en-US, A4 for zh-CN), set
    before the body is laid out so tables take the page's width."""
    sheet = paper(locale)
    for section in tpl.docx.sections:
        section.page_width = Mm(float(sheet.width_mm))
        section.page_height = Mm(float(sheet.height_mm))


class _StrictTemplate(DocxTemplate):  # type: ignore[misc]
    """docxtpl, except that the rendered body is parsed strictly first: docxtpl's own
    parse (``fix_tables``) recovers from broken XML by silently dropping text."""

    def fix_tables(self, xml: str) -> Any:
        try:
            etree.fromstring(xml.encode("utf-8") if isinstance(xml, str) else xml, STRICT_XML)
        except etree.XMLSyntaxError as exc:
            raise PropgenError(f"the Word frame rendered to malformed XML: {exc}") from exc
        return super().fix_tables(xml)


@functools.cache
def _frame_environment() -> Any:
    """The frame's Jinja environment, one per process: the one factory's (sandboxed,
    strict, autoescaping) with :func:`_finalize`. docxtpl compiles every part of the
    frame on each render; the same part's source gives the same template, so the
    last compiled ones are kept by their source."""
    env = sandbox(None)
    env.finalize = _finalize
    env.from_string = functools.lru_cache(maxsize=64)(env.from_string)  # type: ignore[method-assign,assignment]
    return env


def _finalize(value: object) -> object:
    """Escape a frame value like autoescape would, then guard it from docxtpl's fix-ups."""
    if not isinstance(value, str) or isinstance(value, Markup):
        return value
    bad = _BAD_CHARS.search(value)
    if bad:  # docxtpl would turn \a, \f into markup, lxml refuses the rest
        raise PropgenError(f"cannot write control character U+{ord(bad[0]):04X} in {value!r}")
    return Markup(_DOCXTPL_ESCAPES.sub("&#95;", str(escape(value))))


def _image(tpl: DocxTemplate, path: Path | None, height: Mm) -> Opaque | str:
    """An image the frame places but cannot look into (docxtpl's ``InlineImage``
    holds the whole template, which could save itself anywhere)."""
    return Opaque(InlineImage(tpl, str(path), height=height).__html__) if path else ""


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


COVER_TITLE_WITH_NOTICE = 22 / 40
"""The cover title's space above when the cover carries a notice, as a share of the
frame's: the PDF's 22 mm instead of 40 mm (print.css ``.with-notice``), so a long
notice of clauses awaiting re-approval stays on the cover."""


def _cover_with_notice(docx: Any) -> None:
    """Raise the cover's title (the first paragraph in the Title style) to leave the
    notice room on the cover page."""
    style = docx.styles["Title"]
    before = style.paragraph_format.space_before
    titles = docx.element.body.xpath(f'w:p[w:pPr/w:pStyle/@w:val="{style.style_id}"]')
    if before is None or not titles:
        return
    fmt = Paragraph(titles[0], docx).paragraph_format
    fmt.space_before = Emu(round(before * COVER_TITLE_WITH_NOTICE))


def _watermark(tpl: DocxTemplate, text: str) -> None:
    """A diagonal, semi-transparent text shape in every header, so on every page."""
    em = sum(1.25 if ord(ch) >= 0x2E80 else 0.75 for ch in text)
    width, height = min(em * 110, 460.0), 110 * min(1.0, 460 / (em * 110))
    font = "DengXian" if any(ord(ch) >= 0x2E80 for ch in text) else "Arial"
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
            color=WATERMARK_COLOR,
        )
        p = parse_xml(xml)
        list(p.iter("{urn:schemas-microsoft-com:vml}textpath"))[-1].set("string", text)
        part.element.append(p)


def _settings(tpl: DocxTemplate, locale: str, update_fields: bool) -> None:
    """Ask Word to refresh fields on open when the contents page lacks its page
    numbers (Word then prompts); mark Chinese text as zh-CN."""
    settings = tpl.docx.settings.element
    if update_fields and settings.find(qn("w:updateFields")) is None:
        update = parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>')
        settings.insert_element_before(update, *_SETTINGS_AFTER_UPDATE.split())
    if is_chinese(locale):
        _chinese_line_pitch(tpl)
        rpr = tpl.docx.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr")
        if rpr:
            lang = rpr[0].find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                rpr[0].append(lang)
            lang.set(qn("w:eastAsia"), "zh-CN")


def _core_properties(tpl: DocxTemplate, meta: dm.Meta, stamp: datetime) -> None:
    """docProps/core.xml, in the core-properties namespace.

    Importing docxtpl imports docxcompose, which rebinds python-docx's ``cp`` prefix to
    the custom-properties namespace (docxcompose #101): python-docx would then write
    keywords, category, lastModifiedBy, revision and lastPrinted where no reader looks
    (and Word offers to repair the file). The binding is restored before they are set.
    """
    nsmap["cp"] = CORE_PROPERTIES_NS
    props = tpl.docx.core_properties
    props.title, props.author = _core_text(meta.title), _core_text(meta.author)
    props.subject, props.keywords = _core_text(meta.subtitle), _core_text(", ".join(meta.keywords))
    props.identifier = _core_text(meta.reference)
    props.category, props.language, props.comments = meta.kind, meta.locale, ""
    props.last_modified_by, props.revision = "propgen", 1
    props.created = props.modified = props.last_printed = stamp


CORE_TEXT_MAX = 255
"""The longest text python-docx writes into a core property (Word's own limit)."""


def _core_text(text: str) -> str:
    """``text`` cut to :data:`CORE_TEXT_MAX` characters, with an ellipsis when cut."""
    return text if len(text) <= CORE_TEXT_MAX else text[: CORE_TEXT_MAX - 1] + "…"


def _chinese_line_pitch(tpl: DocxTemplate) -> None:
    """Chinese text is set looser, as in the PDF (print.css: line-height 1.65 for zh
    against 1.5): the frame's minimum line heights grow by that ratio."""
    for spacing in tpl.docx.styles.element.xpath('//w:spacing[@w:lineRule="atLeast"]'):
        spacing.set(qn("w:line"), str(round(int(spacing.get(qn("w:line"))) * 1.65 / 1.5)))


def _stamp(date_iso: str) -> datetime:
    try:
        day = date.fromisoformat(date_iso[:10])
    except ValueError:
        day = date(1980, 1, 1)
    return datetime(max(day.year, 1980), day.month, day.day, tzinfo=UTC)


def _package(tpl: DocxTemplate, stamp: datetime) -> bytes:
    """The package zipped as python-docx saves it (its parts in its order), each member
    with a fixed time and attributes, so the same document gives the same bytes.

    python-docx's own writer stamps the clock's time; its parts are written here
    through its ``PackageWriter`` steps instead of saved and zipped again (docxtpl's
    ``save`` adds nothing: propgen replaces no pictures or media)."""
    from docx.opc.pkgwriter import PackageWriter

    package = tpl.docx.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        writer: Any = _StampedZip(archive, stamp)  # duck-typed PhysPkgWriter
        steps: Any = PackageWriter
        steps._write_content_types_stream(writer, parts)
        steps._write_pkg_rels(writer, package.rels)
        steps._write_parts(writer, parts)
    return out.getvalue()


class _StampedZip:
    """python-docx's physical package writer, with fixed member times and attributes."""

    def __init__(self, archive: zipfile.ZipFile, stamp: datetime) -> None:
        self.archive, self.date_time = archive, stamp.timetuple()[:6]

    def write(self, pack_uri: Any, blob: bytes) -> None:
        member = zipfile.ZipInfo(pack_uri.membername, date_time=self.date_time)
        member.compress_type, member.create_system = zipfile.ZIP_DEFLATED, 3
        member.external_attr = 0o644 << 16
        self.archive.writestr(member, blob)
