"""WordprocessingML built directly with lxml: the paragraphs, runs and table cells
a body holds hundreds of.

python-docx's proxies find or insert each child by scanning for its successors in
schema order, which made the body the bulk of a DOCX's cost. These helpers write
the same elements (the same XML as python-docx writes for ``add_paragraph``,
``add_run`` and ``run.bold``/``italic``/``font.color``) in one step each; anything
rarer still goes through python-docx. Elements made here are python-docx's own
element classes (lxml looks them up through the document's parser).
"""

from __future__ import annotations

import functools
from typing import Any

from docx.oxml import parse_xml
from lxml import etree  # type: ignore[import-untyped]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_P, _PPR, _PSTYLE, _VAL = f"{W}p", f"{W}pPr", f"{W}pStyle", f"{W}val"
_R, _RPR, _T = f"{W}r", f"{W}rPr", f"{W}t"
_SECT_PR = f"{W}sectPr"


def add_paragraph(container: Any, style_id: str | None) -> Any:
    """A new ``w:p`` at the end of ``container`` (a ``w:body``, before its closing
    ``w:sectPr``, or a ``w:tc``), in the paragraph style ``style_id`` (None: the
    default style, an empty ``w:pPr``)."""
    p = etree.SubElement(container, _P)
    sect_pr = container.find(_SECT_PR)
    if sect_pr is not None:
        sect_pr.addprevious(p)
    set_style(p, style_id)
    return p


def set_style(p: Any, style_id: str | None) -> None:
    """Give a paragraph without properties the style ``style_id``."""
    p_pr = p.find(_PPR)
    if p_pr is None:
        p_pr = etree.SubElement(p, _PPR)  # python-docx's class: made in p's document
        p.insert(0, p_pr)
    for old in p_pr.findall(_PSTYLE):
        p_pr.remove(old)
    if style_id is not None:
        p_pr.insert(0, p_pr.makeelement(_PSTYLE, {_VAL: style_id}))


def add_run(p: Any, text: str, *, bold: bool = False, italic: bool = False, color: str = "") -> Any:
    """A run at the end of ``p`` with ``text`` (tabs as ``w:tab``, line ends as
    ``w:br``), bold, italic and coloured as asked."""
    r = etree.SubElement(p, _R)
    r_pr = etree.SubElement(r, _RPR)
    if bold:
        etree.SubElement(r_pr, f"{W}b")
    if italic:
        etree.SubElement(r_pr, f"{W}i")
    if color:
        etree.SubElement(r_pr, f"{W}color", {_VAL: color})
    add_text(r, text)
    return r


def add_text(r: Any, text: str) -> None:
    """``text`` appended to the run ``r`` as python-docx's ``run.text`` writes it."""
    if "\t" not in text and "\n" not in text and "\r" not in text:
        _add_t(r, text)
        return
    buffer: list[str] = []
    for char in text:
        if char in "\t\r\n":
            _add_t(r, "".join(buffer))
            buffer.clear()
            etree.SubElement(r, f"{W}tab" if char == "\t" else f"{W}br")
        else:
            buffer.append(char)
    _add_t(r, "".join(buffer))


def _add_t(r: Any, text: str) -> None:
    if not text:
        return
    t = etree.SubElement(r, _T)
    t.text = text
    if len(text.strip()) < len(text):
        t.set(XML_SPACE, "preserve")


_PPR_CHILDREN = (  # CT_PPr's children (w:pPr), in schema order
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
    "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle "
    "rPr sectPr pPrChange"
)
_PPR_ORDER = {f"{W}{name}": i for i, name in enumerate(_PPR_CHILDREN.split())}


def set_paragraph_property(p: Any, name: str, **attributes: str) -> None:
    """``w:pPr/w:{name}`` with ``attributes`` (``w:`` names), replacing one there and
    otherwise in its place in schema order."""
    p_pr = p.find(_PPR)
    if p_pr is None:
        p_pr = etree.SubElement(p, _PPR)
        p.insert(0, p_pr)
    tag = f"{W}{name}"
    rank = _PPR_ORDER[tag]
    element = p_pr.makeelement(tag, {f"{W}{k}": v for k, v in attributes.items()})
    for child in p_pr:
        if child.tag == tag:
            child.addnext(element)
            p_pr.remove(child)
            return
        if _PPR_ORDER.get(child.tag, -1) > rank:
            child.addprevious(element)
            return
    p_pr.append(element)


def size_table(tbl: Any, widths: list[int]) -> None:
    """A new python-docx table's grid and cells set to ``widths`` (twips), each row
    kept on one page (``w:cantSplit``)."""
    for column, width in zip(
        tbl.find(f"{W}tblGrid").iterchildren(f"{W}gridCol"), widths, strict=True
    ):
        column.set(f"{W}w", str(width))
    for tr in tbl.iterchildren(f"{W}tr"):
        for tc, width in zip(tr.iterchildren(f"{W}tc"), widths, strict=True):
            tc.find(f"{W}tcPr").find(f"{W}tcW").set(f"{W}w", str(width))
        tr_pr = etree.SubElement(tr, f"{W}trPr")
        tr.insert(0, tr_pr)
        etree.SubElement(tr_pr, f"{W}cantSplit")


@functools.cache
def _blank_document() -> bytes:
    from docx import Document

    return bytes(etree.tostring(Document().element))


def blank_body() -> Any:
    """An empty ``w:body`` for a subdocument: python-docx's blank document (its
    namespaces in scope, its closing ``w:sectPr``), parsed from a copy kept per
    process rather than opened as a package each time (docxtpl's ``new_subdoc``)."""
    return parse_xml(_blank_document()).body


BODY_MARK = "_PropgenBody"
"""The bookmark of the paragraph the frame's ``{{p body }}`` renders to: where
:func:`place_body` puts the body (frame values are escaped text, so no value can
make one)."""
BODY_MARKER = f'<w:p><w:bookmarkStart w:id="0" w:name="{BODY_MARK}"/></w:p>'


def place_body(document: Any, body: Any) -> int:
    """Move the blocks of ``body`` (built in :func:`blank_body`) into the rendered
    frame's ``w:document`` in place of the :data:`BODY_MARKER` paragraph, so the
    body is never serialised, run through docxtpl's text fix-ups and parsed again.
    Returns how many markers the frame rendered (the body goes in when it is one)."""
    marks = [
        mark.getparent()
        for mark in document.iter(f"{W}bookmarkStart")
        if mark.get(f"{W}name") == BODY_MARK
    ]
    if len(marks) != 1:
        return len(marks)
    marker = marks[0]
    for block in list(body):
        if block.tag != _SECT_PR:
            marker.addprevious(block)
    marker.getparent().remove(marker)
    return 1


def add_plain_run(p: Any, text: str = "") -> Any:
    """A run at the end of ``p`` with no properties of its own (python-docx's
    ``add_run``: no ``w:rPr``)."""
    r = etree.SubElement(p, _R)
    add_text(r, text)
    return r


def set_numbering(p: Any, num_id: int, level: int) -> None:
    """The paragraph ``p`` as an item of list ``num_id`` at ``level`` (``w:numPr``)."""
    set_paragraph_property(p, "numPr")
    num_pr = p.find(_PPR).find(f"{W}numPr")
    etree.SubElement(num_pr, f"{W}ilvl", {_VAL: str(level)})
    etree.SubElement(num_pr, f"{W}numId", {_VAL: str(num_id)})


def style_ids(styles: Any) -> dict[str, tuple[str, str | None]]:
    """Each style of a ``w:styles`` part by its name in Word's interface (python-docx's
    ``styles[name]``: the first of that name): its type and its id, None for the
    default style of its type (the last marked default, as python-docx takes it), which
    a paragraph or table in it does not name. One pass, where python-docx scans every
    style for each lookup."""
    from docx.styles import BabelFish

    found: dict[str, tuple[str, str]] = {}
    defaults: dict[str, str] = {}
    for style in styles.iterchildren(f"{W}style"):
        kind = style.get(f"{W}type", "paragraph")
        style_id = style.get(f"{W}styleId", "")
        if style.get(f"{W}default") in ("1", "true", "on"):
            defaults[kind] = style_id
        name = style.find(f"{W}name")
        if name is not None:
            found.setdefault(BabelFish.internal2ui(name.get(_VAL, "")), (kind, style_id))
    return {
        name: (kind, None if defaults.get(kind) == style_id else style_id)
        for name, (kind, style_id) in found.items()
    }


def size_runs(p: Any, half_points: int) -> None:
    """Every run of ``p`` in ``half_points`` (``w:sz``, after the properties
    :func:`add_run` writes, in schema order)."""
    for r in p.iter(_R):
        r_pr = r.find(_RPR)
        if r_pr is None:
            r_pr = etree.SubElement(r, _RPR)
            r.insert(0, r_pr)
        for old in r_pr.findall(f"{W}sz"):
            r_pr.remove(old)
        etree.SubElement(r_pr, f"{W}sz", {_VAL: str(half_points)})
