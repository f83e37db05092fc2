"""Reading a rendered DOCX back: every part parses strictly, and every section,
heading, body text and placed frame field is really there — so no text is ever
lost silently.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from typing import Any, assert_never

from docxtpl import DocxTemplate
from lxml import etree  # type: ignore[import-untyped]

from propgen import document as dm
from propgen.errors import PropgenError
from propgen.render.docx_numbering import subclause_bookmarks, uses_clause_list
from propgen.render.docx_trace import bookmark_names

STRICT_XML = etree.XMLParser(
    recover=False, resolve_entities=False, no_network=True, huge_tree=True, load_dtd=False
)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FRAME_FIELDS = {  # frame placeholder -> the meta values it shows
    "title": lambda m: [m.title],
    "subtitle": lambda m: [m.subtitle],
    "notice": lambda m: [m.notice],
    "header": lambda m: [m.header],
    "footer": lambda m: [m.footer],
    "line.label": lambda m: [c.label for c in m.cover_lines],
    "line.value": lambda m: [c.value for c in m.cover_lines],
}


def placed_fields(tpl: DocxTemplate) -> set[str]:
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
                    roots[info.filename] = etree.fromstring(archive.read(info), STRICT_XML)
                except etree.XMLSyntaxError as exc:
                    raise PropgenError(
                        f"the DOCX part {info.filename} is malformed XML: {exc}"
                    ) from exc
    body = roots.get("word/document.xml")
    if body is None:
        raise PropgenError("the DOCX has no word/document.xml")
    marks = set(body.xpath("//w:bookmarkStart/@w:name", namespaces={"w": _W[1:-1]}))
    marked = [b for b in dm.iter_blocks(document.blocks) if isinstance(b, dm.Heading | dm.Section)]
    for block, name in zip(marked, bookmark_names(marked), strict=True):
        if name not in marks:
            what = (
                f"section {block.source_id!r}"
                if isinstance(block, dm.Section)
                else f"heading {dm.inline_text(block.inlines)!r}"
            )
            raise PropgenError(f"the DOCX lost {what} (no bookmark {name!r})")
    for anchor, name in subclause_bookmarks(document).items():
        if name not in marks:
            raise PropgenError(f"the DOCX lost the sub-clause {anchor!r} (no bookmark {name!r})")
    text = _squash(_part_text(body))
    position = 0
    # numbers the clause list prints are not text; the verifier does not look for them
    for piece in _texts(document.blocks, numbers=not uses_clause_list(document)):
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


def _texts(blocks: tuple[dm.Block, ...], numbers: bool = True) -> list[str]:
    """Every text of the body in reading order (table of contents entries aside)."""
    out: list[str] = []

    def inlines(items: tuple[dm.Inline, ...]) -> None:
        for inline in items:
            match inline:
                case dm.Text() | dm.Ref():
                    out.append(inline.text)
                case dm.Strong() | dm.Emph() | dm.Inserted():
                    inlines(inline.children)
                case dm.Deleted():  # w:delText, not w:t: not the document's text
                    pass
                case dm.LineBreak():
                    pass
                case _:
                    assert_never(inline)

    for block in blocks:
        match block:
            case dm.Heading() | dm.Paragraph():
                out.append(block.number if numbers else "")
                inlines(block.inlines)
            case dm.BulletList() | dm.OrderedList():
                for item in block.items:
                    out.extend(_texts(item.blocks, numbers))
            case dm.Table():
                out.append(block.caption)
                for row in (block.header, *block.rows, *block.footer):
                    for cell in row.cells if row else ():
                        inlines(cell.inlines)
            case dm.Section():
                out.extend(_texts(block.blocks, numbers))
            case dm.SignatureBlock():
                for person in block.signatories:
                    out += [person.heading, person.party, *person.lines]
            case dm.TableOfContents():
                out.append(block.title)
            case dm.PageBreak():
                pass
            case dm.Parallel():
                for column in block.columns:
                    out.extend(_texts(column.blocks, numbers))
            case _:
                assert_never(block)
    return out
