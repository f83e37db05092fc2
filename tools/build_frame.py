"""Generate the Word frame ``templates/theme/frame.docx`` (and ``logo.png``).

The frame is a docxtpl template: it holds every Word style the DOCX renderer uses,
the page setup, the cover page, the running header and footer, and one body
paragraph ``{{p body }}`` that the renderer replaces with the document body.
A designer may restyle it in Word afterwards; keep the style names and the
placeholders (see ``src/propgen/render/docx.py``).

    .venv/bin/python tools/build_frame.py            # writes templates/theme/frame.docx
    .venv/bin/python tools/build_frame.py --logo-png  # also renders logo.svg -> logo.png
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Twips
from lxml import etree  # type: ignore[import-untyped]

THEME = Path(__file__).resolve().parents[1] / "templates" / "theme"

ACCENT = "1F3A5F"  # deep blue: headings, rules, table headers
TEXT = "1F2933"
MUTED = "5B6777"
RULE = "C9D2DE"
TINT = "EEF2F7"
WARN, WARN_FILL, WARN_TEXT = "B45309", "FFF6E5", "7A3E00"
# Fonts every Word user has (docs/fonts.md): Arial ships with Windows and macOS,
# DengXian (等线) with Windows 10+ and Office for Mac. The PDF keeps Noto (print.css).
LATIN, CJK = "Arial", "DengXian"
CLAUSE_NUM_ID = 3  # the clause list: "Clause Heading" is level 1, "Subclause" level 2

PAGE_W, PAGE_H = 11906, 16838  # A4 in twips
MARGIN_LR, MARGIN_T, MARGIN_B = 1247, 1474, 1361  # 2.2 cm, 2.6 cm, 2.4 cm
TEXT_W = PAGE_W - 2 * MARGIN_LR


def fonts(size: int | None = None, color: str = "", bold: bool = False) -> str:
    """An rPr body: half-point size, colour, bold."""
    out = "<w:b/><w:bCs/>" if bold else ""
    out += f'<w:color w:val="{color}"/>' if color else ""
    out += f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>' if size else ""
    return out


def border(side: str, sz: int, color: str, space: int = 4) -> str:
    return f'<w:{side} w:val="single" w:sz="{sz}" w:space="{space}" w:color="{color}"/>'


def spacing(before: int = 0, after: int = 0, line: int = 0, pitch: float = 0) -> str:
    """Paragraph spacing in twips; ``line`` is Word's auto multiple (240ths of the
    font's own line height), ``pitch`` a line height of at least that many points.

    Running text uses ``pitch``, the PDF's CSS line height (9.75 pt x 1.5), so the
    page count does not depend on which font a reader's Word substitutes: an auto
    multiple of Noto Sans' tall line (1.36 em) and of Arial's (1.15 em) differ by 18 %.
    """
    attrs = f'w:before="{before}" w:after="{after}"'
    if pitch:
        attrs += f' w:line="{round(pitch * 20)}" w:lineRule="atLeast"'
    elif line:
        attrs += f' w:line="{line}" w:lineRule="auto"'
    return f"<w:spacing {attrs}/>"


BODY_PITCH = 9.75 * 1.5  # print.css: html { font-size: 9.75pt; line-height: 1.5 }


WORD_BUILT_IN = (
    "Normal,heading 1,heading 2,heading 3,toc 1,toc 2,toc 3,TOC Heading,Title,Subtitle,caption,"
    "List Bullet,List Number,List Continue,header,footer,Normal Table,Default Paragraph Font,"
    "No List"
)
"""The frame's styles that are Word's own (by Word's names); every other one is marked
``w:customStyle``, as Word marks the styles a user adds."""


def style(
    kind: str,
    sid: str,
    name: str,
    *,
    based: str = "Normal",
    next_: str = "",
    ppr: str = "",
    rpr: str = "",
    tail: str = "",
    default: bool = False,
) -> str:
    """One ``w:style`` element; ``ppr``/``rpr`` bodies must already be in schema order."""
    head = f'<w:style {nsdecls("w")} w:type="{kind}" w:styleId="{sid}"'
    head += ' w:default="1"' if default else ""
    head += "" if name in WORD_BUILT_IN.split(",") else ' w:customStyle="1"'
    head += ">"
    head += f'<w:name w:val="{name}"/>'
    head += f'<w:basedOn w:val="{based}"/>' if based else ""
    head += f'<w:next w:val="{next_}"/>' if next_ else ""
    head += '<w:uiPriority w:val="9"/><w:qFormat/>' if kind == "paragraph" else ""
    body = (f"<w:pPr>{ppr}</w:pPr>" if ppr else "") + (f"<w:rPr>{rpr}</w:rPr>" if rpr else "")
    return head + body + tail + "</w:style>"


def heading(level: int, size: int, color: str, before: int, after: int, rule: bool) -> str:
    bdr = f"<w:pBdr>{border('bottom', 6, RULE, 4)}</w:pBdr>" if rule else ""
    ppr = f"<w:keepNext/><w:keepLines/>{bdr}{spacing(before, after, 240)}"
    return style(
        "paragraph",
        f"Heading{level}",
        f"heading {level}",
        next_="Normal",
        ppr=f'{ppr}<w:outlineLvl w:val="{level - 1}"/>',
        rpr=fonts(size, color, bold=True),
    )


def table_style(sid: str, name: str, borders: str, margins: str, first_row: str = "") -> str:
    tbl = (
        f"<w:tblPr><w:tblBorders>{borders}</w:tblBorders>"
        f"<w:tblCellMar>{margins}</w:tblCellMar></w:tblPr>"
    )
    return style("table", sid, name, based="TableNormal", tail=tbl + first_row)


def cell_margins(top: int, left: int, bottom: int, right: int) -> str:
    return "".join(
        f'<w:{side} w:w="{v}" w:type="dxa"/>'
        for side, v in (("top", top), ("left", left), ("bottom", bottom), ("right", right))
    )


# The PDF cover's accent bar down the left edge: a page-anchored rectangle behind the text.
COVER_BAR = (
    '<w:pict xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office"><v:rect id="CoverBar" '
    'o:allowincell="f" style="position:absolute;margin-left:0;margin-top:0;width:19.8pt;'
    "height:841.9pt;z-index:-251657216;mso-position-horizontal-relative:page;"
    f'mso-position-vertical-relative:page" fillcolor="#{ACCENT}" stroked="f"/></w:pict>'
)


def styles_xml() -> list[str]:
    toc_tab = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_W}"/></w:tabs>'
    right_tab = f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_W}"/></w:tabs>'
    boxed = "".join(border(s, 8, WARN, 6) for s in ("top", "left", "bottom", "right"))
    return [
        style(
            "character",
            "DefaultParagraphFont",
            "Default Paragraph Font",
            based="",
            default=True,
            tail='<w:uiPriority w:val="1"/><w:semiHidden/>',
        ),
        style(
            "table",
            "TableNormal",
            "Normal Table",
            based="",
            default=True,
            tail=f'<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
            f"{cell_margins(0, 108, 0, 108)}</w:tblCellMar></w:tblPr>",
        ),
        style("numbering", "NoList", "No List", based="", default=True),
        style(
            "paragraph",
            "Normal",
            "Normal",
            based="",
            default=True,
            ppr=f"<w:widowControl/>{spacing(0, 120, pitch=BODY_PITCH)}",
            rpr=fonts(20, TEXT),
        ),
        heading(1, 32, ACCENT, 360, 140, rule=True),
        heading(2, 25, ACCENT, 260, 80, rule=False),
        heading(3, 21, TEXT, 200, 60, rule=False),
        # Headings the contents skip keep their outline level (navigation pane, ODT
        # headings); the TOC field lists styles (\t), so it leaves these out.
        *(
            style(
                "paragraph",
                f"Heading{n}Unlisted",
                f"Heading {n} Unlisted",
                based=f"Heading{n}",
                next_="Normal",
            )
            for n in (1, 2, 3)
        ),
        style(
            "paragraph",
            "ClauseHeading",
            "Clause Heading",  # a contract clause: level 1 of the clause list
            based="Heading1",
            next_="Normal",
            ppr=f'<w:numPr><w:numId w:val="{CLAUSE_NUM_ID}"/></w:numPr>',
        ),
        style(
            "paragraph",
            "Subclause",
            "Subclause",  # a numbered paragraph of a clause: level 2 of the clause list
            ppr=f'<w:numPr><w:ilvl w:val="1"/><w:numId w:val="{CLAUSE_NUM_ID}"/></w:numPr>'
            f'{spacing(0, 120, pitch=BODY_PITCH)}<w:ind w:left="680" w:hanging="680"/>',
        ),
        style(
            "paragraph",
            "TOCHeading",
            "TOC Heading",
            based="Heading1",
            next_="Normal",
            ppr='<w:outlineLvl w:val="9"/>',
        ),
        style(
            "paragraph",
            "TOC1",
            "toc 1",
            next_="Normal",
            ppr=f"{toc_tab}{spacing(100, 40, 240)}",
            rpr=fonts(bold=True),
        ),
        style(
            "paragraph",
            "TOC2",
            "toc 2",
            next_="Normal",
            ppr=f'{toc_tab}{spacing(0, 30, 240)}<w:ind w:left="340"/>',
        ),
        style(
            "paragraph",
            "TOC3",
            "toc 3",
            next_="Normal",
            ppr=f'{toc_tab}{spacing(0, 20, 240)}<w:ind w:left="680"/>',
            rpr=fonts(19, MUTED),
        ),
        style(
            "paragraph",
            "Title",
            "Title",
            next_="Subtitle",
            ppr=spacing(2580, 160, 240),  # the PDF's cover title: 40 mm below the logo
            rpr=fonts(56, ACCENT, bold=True),
        ),
        style(
            "paragraph",
            "Subtitle",
            "Subtitle",
            next_="Normal",
            ppr=spacing(0, 560, 260),
            rpr=fonts(28, MUTED),
        ),
        style(
            "paragraph",
            "CoverLabel",
            "Cover Label",
            ppr=spacing(0, 0, 300),
            rpr=fonts(19, MUTED),  # as the PDF's cover lines: muted, not bold, as written
        ),
        style(
            "paragraph",
            "CoverRule",
            "Cover Rule",
            ppr=f"<w:pBdr>{border('bottom', 12, ACCENT, 1)}</w:pBdr>{spacing(0, 280, 240)}"
            f'<w:ind w:right="{TEXT_W - 1300}"/>',
            rpr=fonts(4),
        ),
        style(
            "paragraph",
            "CoverCustomer",
            "Cover Customer",
            ppr=spacing(0, 480, 240),
            rpr=fonts(30, TEXT, bold=True),
        ),
        style("paragraph", "CoverValue", "Cover Value", ppr=spacing(0, 0, 300), rpr=fonts(19)),
        style(
            "paragraph", "Lead", "Lead", ppr=spacing(0, 200, pitch=16.1), rpr=fonts(23, "33475B")
        ),
        style("paragraph", "Note", "Note", ppr=spacing(0, 100, pitch=12.75), rpr=fonts(17, MUTED)),
        style(
            "paragraph",
            "Notice",
            "Notice",
            ppr=f'<w:keepLines/><w:pBdr>{boxed}</w:pBdr><w:shd w:val="clear" w:color="auto" '
            f'w:fill="{WARN_FILL}"/>{spacing(160, 280, pitch=BODY_PITCH)}'
            '<w:ind w:left="142" w:right="142"/>',
            rpr=fonts(17, WARN_TEXT),  # the PDF's cover notice: 8.5 pt
        ),
        style(
            "paragraph",
            "Recital",
            "Recital",
            ppr=f'{spacing(0, 120, pitch=BODY_PITCH)}<w:ind w:left="340"/>',
        ),
        style(
            "paragraph",
            "Amount",
            "Amount",
            # as the PDF's amount in words (.p-amount): bold in the accent colour, no box
            ppr=spacing(80, 240, pitch=BODY_PITCH),
            rpr=fonts(color=ACCENT, bold=True),
        ),
        style(
            "paragraph",
            "ListBullet",
            "List Bullet",
            ppr=f'<w:numPr><w:numId w:val="1"/></w:numPr>{spacing(0, 60, pitch=BODY_PITCH)}',
        ),
        style(
            "paragraph",
            "ListNumber",
            "List Number",
            ppr=f'<w:numPr><w:numId w:val="2"/></w:numPr>{spacing(0, 60, pitch=BODY_PITCH)}',
        ),
        style(
            "paragraph",
            "ListContinue",
            "List Continue",
            ppr=f'{spacing(0, 60, pitch=BODY_PITCH)}<w:ind w:left="397"/>',
        ),
        style(
            "paragraph",
            "Caption",
            "caption",
            next_="Normal",
            ppr=f"<w:keepNext/>{spacing(160, 60, 240)}",
            rpr=fonts(20, ACCENT, bold=True),  # print.css: p.t-caption, bold in the accent
        ),
        style(  # print.css: table.t { font-size: 9pt; line-height: 1.4 }
            "paragraph", "TableText", "Table Text", ppr=spacing(0, 0, pitch=12.6), rpr=fonts(18)
        ),
        style(
            "paragraph",
            "TableHeader",
            "Table Header",
            based="TableText",
            ppr="<w:keepNext/>",
            rpr=fonts(None, "FFFFFF", bold=True),
        ),
        style("paragraph", "TableSpacer", "Table Spacer", ppr=spacing(0, 100, 240), rpr=fonts(8)),
        style(
            "paragraph",
            "SignatureHeading",
            "Signature Heading",
            ppr=f"<w:keepNext/>{spacing(0, 40, 240)}",
            rpr=fonts(20, ACCENT, bold=True),
        ),
        style(
            "paragraph",
            "SignatureParty",
            "Signature Party",
            ppr=f"<w:keepNext/>{spacing(0, 120, 260)}",
        ),
        style(
            "paragraph",
            "SignatureLine",
            "Signature Line",  # label, then an underlined tab
            ppr=f"<w:keepNext/>{spacing(480, 0, 240)}",
            rpr=fonts(17, MUTED),
        ),
        style(
            "paragraph",
            "Header",
            "header",
            ppr=f"{right_tab}{spacing(0, 0, 240)}",
            rpr=fonts(16, MUTED),
        ),
        style(
            "paragraph",
            "Footer",
            "footer",
            ppr=f'{spacing(0, 0, 240)}<w:jc w:val="center"/>',
            rpr=fonts(16, MUTED),
        ),
        table_style(
            "PropgenTable",
            "Propgen Table",
            border("top", 8, ACCENT, 0)
            + border("bottom", 8, ACCENT, 0)
            + border("insideH", 4, RULE, 0),
            cell_margins(62, 100, 62, 100),
            '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:color w:val="FFFFFF"/>'
            f'</w:rPr><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{ACCENT}"/>'
            "</w:tcPr></w:tblStylePr>",
        ),
        table_style(
            "CoverTable",
            "Cover Table",
            "",  # no rules: the PDF's cover lines have none
            cell_margins(68, 0, 68, 120),
        ),
    ]


def numbering_xml() -> list[str]:
    def level(ilvl: int, fmt: str, text: str, indent: int, hanging: int, color: str) -> str:
        return (
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{indent}" w:hanging="{hanging}"/></w:pPr>'
            f'<w:rPr><w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}"/>'
            f'<w:color w:val="{color}"/></w:rPr></w:lvl>'
        )

    bullets = ("\u2022", "\u2013", "\u25e6")
    number = (("decimal", "%1."), ("lowerLetter", "%2."), ("lowerRoman", "%3."))
    ns = nsdecls("w")
    return [
        f'<w:abstractNum {ns} w:abstractNumId="0"><w:multiLevelType w:val="hybridMultilevel"/>'
        + "".join(level(i, "bullet", b, 397 * (i + 1), 227, ACCENT) for i, b in enumerate(bullets))
        + "</w:abstractNum>",
        f'<w:abstractNum {ns} w:abstractNumId="1"><w:multiLevelType w:val="hybridMultilevel"/>'
        + "".join(level(i, f, t, 397 * (i + 1), 397, TEXT) for i, (f, t) in enumerate(number))
        + "</w:abstractNum>",
        *clause_numbering(2, "en-US", "decimal", "%1."),
        *clause_numbering(3, "zh-CN", "chineseCounting", "第%1条"),
        f'<w:num {ns} w:numId="1"><w:abstractNumId w:val="0"/></w:num>',
        f'<w:num {ns} w:numId="2"><w:abstractNumId w:val="1"/></w:num>',
        # the renderer binds the clause list to the document's locale's abstractNum
        f'<w:num {ns} w:numId="{CLAUSE_NUM_ID}"><w:abstractNumId w:val="2"/></w:num>',
    ]


def clause_numbering(abstract_id: int, locale: str, fmt: str, text: str) -> list[str]:
    """The contract clause list: level 1 ("1." / "第一条") on Clause Heading, level 2
    ("1.1", Arabic under a Chinese level 1 too: isLgl) on Subclause."""
    return [
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="multilevel"/>'
        f'<w:name w:val="Clauses {locale}"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        '<w:pStyle w:val="ClauseHeading"/><w:suff w:val="space"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:pStyle w:val="Subclause"/><w:isLgl/>'
        '<w:lvlText w:val="%1.%2"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:tabs><w:tab w:val="num" w:pos="680"/></w:tabs>'
        '<w:ind w:left="680" w:hanging="680"/></w:pPr>'
        f'<w:rPr><w:color w:val="{TEXT}"/></w:rPr></w:lvl>'
        "</w:abstractNum>"
    ]


def font_table(doc: Any) -> None:
    """Declare the two fonts with Word's panose and charset, DengXian's Chinese name,
    so Word (and LibreOffice) substitute sensibly where one is missing."""
    part = next(
        rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable")
    )
    root = parse_xml(part.blob)
    for font in root.findall(qn("w:font")):
        root.remove(font)
    for xml in (
        f'<w:font {nsdecls("w")} w:name="{LATIN}"><w:panose1 w:val="020B0604020202020204"/>'
        '<w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>',
        f'<w:font {nsdecls("w")} w:name="{CJK}"><w:altName w:val="等线"/>'
        '<w:panose1 w:val="02010600030101010101"/><w:charset w:val="86"/>'
        '<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>',
    ):
        root.append(parse_xml(xml))
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def run_xml(text: str = "", rpr: str = "", inner: str = "") -> str:
    content = inner or f'<w:t xml:space="preserve">{text}</w:t>'
    return f"<w:r>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}{content}</w:r>"


def field(instr: str, placeholder: str) -> str:
    return (
        run_xml(inner='<w:fldChar w:fldCharType="begin"/>')
        + run_xml(inner=f'<w:instrText xml:space="preserve"> {instr} </w:instrText>')
        + run_xml(inner='<w:fldChar w:fldCharType="separate"/>')
        + run_xml(placeholder)
        + run_xml(inner='<w:fldChar w:fldCharType="end"/>')
    )


def para(style_id: str, runs: str, ppr: str = "") -> str:
    return f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{style_id}"/>{ppr}</w:pPr>{runs}</w:p>'


def cover_table() -> str:
    def row(*cells: tuple[str, str]) -> str:
        tcs = "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>{para(s, run_xml(t))}</w:tc>'
            for (s, t), w in zip(cells, (2800, TEXT_W - 2800), strict=False)
        )
        return f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{tcs}</w:tr>"

    return (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="CoverTable"/>'
        f'<w:tblW w:w="{TEXT_W}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="2800"/><w:gridCol w:w="{TEXT_W - 2800}"/></w:tblGrid>'
        + row(("CoverLabel", "{%tr for line in cover_lines %}"), ("CoverValue", ""))
        + row(("CoverLabel", "{{ line.label }}"), ("CoverValue", "{{ line.value }}"))
        + row(("CoverLabel", "{%tr endfor %}"), ("CoverValue", ""))
        + "</w:tbl>"
    )


def set_story(element: Any, paragraphs: list[str]) -> None:
    """Replace a header's or footer's content."""
    for child in list(element):
        element.remove(child)
    for xml in paragraphs:
        element.append(parse_xml(xml))


def build() -> bytes:
    doc = Document()
    styles = doc.styles.element
    for child in styles.xpath("w:style|w:docDefaults"):
        styles.remove(child)
    styles.insert(
        0,
        parse_xml(
            f"<w:docDefaults {nsdecls('w')}><w:rPrDefault><w:rPr>"
            f'<w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:cs="{LATIN}" w:eastAsia="{CJK}"/>'
            '<w:kern w:val="0"/><w:sz w:val="20"/><w:szCs w:val="20"/>'
            '<w:lang w:val="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
            '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
            "</w:pPr></w:pPrDefault></w:docDefaults>"
        ),
    )
    for xml in styles_xml():
        styles.append(parse_xml(xml))

    numbering = doc.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    for xml in numbering_xml():
        numbering.append(parse_xml(xml))

    font_table(doc)

    settings = doc.settings.element
    for compat in settings.xpath('w:compat/w:compatSetting[@w:name="compatibilityMode"]'):
        compat.set(qn("w:val"), "15")  # Word 2013+ layout: tables align with the margins
    for zoom in settings.xpath("w:zoom"):
        zoom.set(qn("w:percent"), "100")  # required by the schema, even with w:val
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")

    # -- section 1: the cover page (no page number) -----------------------------
    first = doc.sections[0]
    first.page_width, first.page_height = Twips(PAGE_W), Twips(PAGE_H)
    first.left_margin = first.right_margin = Twips(MARGIN_LR)
    first.top_margin, first.bottom_margin = Twips(MARGIN_T), Twips(MARGIN_B)
    first.header_distance = first.footer_distance = Cm(1.1)
    body = doc.element.body
    for xml in (
        para("Normal", run_xml("{{ logo }}"), spacing(0, 0, 240)),
        para("Title", run_xml("{{ title }}")),
        para("Subtitle", run_xml("{{ subtitle }}")),
        # as the PDF's cover: a short accent rule, then the customer's name
        para("CoverRule", ""),
        para("CoverCustomer", run_xml("{{ customer_name }}")),
        para("Normal", run_xml("{%p if cover_lines %}")),  # Word refuses a table without rows
        cover_table(),
        para("Normal", run_xml("{%p endif %}")),
        para("Normal", run_xml("{%p if notice %}")),
        para("Notice", run_xml("{{ notice }}"), spacing(480, 0, 276)),
        para("Normal", run_xml("{%p endif %}")),
    ):
        body.sectPr.addprevious(parse_xml(xml))
    first.header.is_linked_to_previous = False
    first.footer.is_linked_to_previous = False
    set_story(first.header._element, [para("Header", run_xml(inner=COVER_BAR))])
    set_story(
        first.footer._element,
        [
            para(
                "Footer",
                run_xml("{{ seller_name }}"),
                f'<w:pBdr>{border("top", 4, RULE, 6)}</w:pBdr><w:jc w:val="left"/>',
            )
        ],
    )

    # -- section 2: the body, with running header and footer --------------------
    second = doc.add_section(WD_SECTION.NEW_PAGE)
    body.sectPr.addprevious(parse_xml(para("Normal", run_xml("{{p body }}"))))
    second.header.is_linked_to_previous = False
    second.footer.is_linked_to_previous = False
    rule = f"<w:pBdr>{border('bottom', 4, RULE, 6)}</w:pBdr>"
    set_story(
        second.header._element,
        [
            para(
                "Header",
                run_xml("{{ header }}") + run_xml(inner="<w:tab/>") + run_xml("{{ header_logo }}"),
                rule,
            )
        ],
    )
    set_story(
        second.footer._element,
        [
            para(
                "Footer",
                run_xml("{% if footer %}{{ footer }} \u00b7 {% endif %}{{ page_label }} ")
                + field("PAGE", "1")
                + run_xml(" {{ of_label }} ")
                + field("NUMPAGES", "1")
                + run_xml("{{ page_suffix }}"),
                f"<w:pBdr>{border('top', 4, RULE, 6)}</w:pBdr>",
            )
        ],
    )

    props = doc.core_properties
    props.title, props.author, props.subject = "propgen frame", "propgen", ""
    props.keywords, props.comments, props.last_modified_by = "", "", "propgen"
    # Word 2010's stylesWithEffects copy of the stock styles and the stock thumbnail go
    for rels in (doc.part.rels, doc.part.package.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.endswith(("/stylesWithEffects", "/metadata/thumbnail")):
                del rels[rid]
    buf = BytesIO()
    doc.save(buf)
    return _normalise_zip(buf.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Fixed timestamps, so the committed frame is reproducible."""
    src = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type, zi.create_system = zipfile.ZIP_DEFLATED, 3
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def logo_png() -> None:
    """Render logo.svg to a transparent logo.png (for Word, which cannot place SVG)."""
    from weasyprint import HTML

    svg = THEME / "logo.svg"
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "logo.pdf"
        html = (
            "<style>@page{size:160px 56px;margin:0}body{margin:0}img{display:block}</style>"
            f'<img src="{svg.as_uri()}" width="160" height="56">'
        )
        HTML(string=html, base_url=str(THEME)).write_pdf(pdf)
        stem = Path(tmp) / "logo"
        subprocess.run(
            ["pdftocairo", "-png", "-transp", "-singlefile", "-r", "576", str(pdf), str(stem)],
            check=True,
        )
        (THEME / "logo.png").write_bytes(stem.with_suffix(".png").read_bytes())


def main(argv: list[str]) -> int:
    if "--logo-png" in argv:
        logo_png()
    target = THEME / "frame.docx"
    target.write_bytes(build())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
