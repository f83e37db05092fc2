"""The serif body of a Chinese contract in the DOCX: 宋体 (SimSun), as the PDF's Noto Serif CJK.

PRC contracts set their running text in a 宋体-class serif; the PDF does so with
Noto Serif CJK SC (``print.css``: paragraphs and list items of a zh-CN contract).
Office has SimSun on Windows and macOS, so the DOCX names it in the ``eastAsia`` slot
(Times New Roman for Latin text in those paragraphs, as the PDF's Noto Serif) on
Normal, the paragraph styles of running text and the contents entries. Every other
paragraph style (headings, the contents title, cover, captions, tables, signatures,
header and footer) names
the frame's sans pair explicitly, so it does not inherit the serif from Normal.
See docs/fonts.md.
"""

from __future__ import annotations

from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree  # type: ignore[import-untyped]

SERIF_LATIN, SERIF_CJK = "Times New Roman", "SimSun"
SANS_LATIN, SANS_CJK = "Arial", "DengXian"
SERIF_STYLES = (
    "Normal,Lead,Note,Amount,Subclause,List Bullet,List Number,List Continue,toc 1,toc 2,toc 3"
)
"""The styles of running text and the contents entries: what the PDF sets as ``p`` and
``li`` (the contents page is a list)."""
_FONT_TABLE = (
    f'<w:font {nsdecls("w")} w:name="{SERIF_CJK}"><w:altName w:val="宋体"/>'
    '<w:panose1 w:val="02010600030101010101"/><w:charset w:val="86"/>'
    '<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>',
    f'<w:font {nsdecls("w")} w:name="{SERIF_LATIN}"><w:panose1 w:val="02020603050405020304"/>'
    '<w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>',
)


def serif_body(docx: Any) -> None:
    """Set the running text of ``docx`` (a python-docx Document) in SimSun / Times
    New Roman and pin every other paragraph style to Arial / DengXian."""
    serif = set(SERIF_STYLES.split(","))
    for style in docx.styles:
        if style.type != WD_STYLE_TYPE.PARAGRAPH:
            continue
        if style.name in serif:
            _fonts(style.element, SERIF_LATIN, SERIF_CJK, replace=True)
        else:
            _fonts(style.element, SANS_LATIN, SANS_CJK, replace=False)
    _declare_fonts(docx)


def _fonts(style: Any, latin: str, cjk: str, *, replace: bool) -> None:
    """Name the fonts of the style's four slots (only its unnamed ones unless ``replace``)."""
    fonts = style.get_or_add_rPr().get_or_add_rFonts()
    for slot, font in (
        ("w:ascii", latin),
        ("w:hAnsi", latin),
        ("w:eastAsia", cjk),
        ("w:cs", latin),
    ):
        if replace or fonts.get(qn(slot)) is None:
            fonts.set(qn(slot), font)


def _declare_fonts(docx: Any) -> None:
    """SimSun (with its Chinese name) and Times New Roman in the font table, with
    Word's PANOSE and charset, so a reader without them substitutes a serif."""
    part = next(
        rel.target_part for rel in docx.part.rels.values() if rel.reltype.endswith("/fontTable")
    )
    root = parse_xml(part.blob)
    have = {font.get(qn("w:name")) for font in root.findall(qn("w:font"))}
    for xml in _FONT_TABLE:
        font = parse_xml(xml)
        if font.get(qn("w:name")) not in have:
            root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
