"""Traceable clauses in the DOCX: each section of the body in a content control, and
a custom XML part with what the document was made from.

A clause (or proposal section) is a block-level content control (``w:sdt``) whose
``w:tag`` says which library text it is::

    propgen:clause id=limitation-of-liability version=2.2.1 position=standard n=9
    propgen:section id=executive-summary version=1.3.0 n=2

``n`` is the section's place in the document (1, 2 …). The ``w:alias`` is its title,
which Word shows on the control. A control is locked (``sdtContentLocked``) only when
the library locks the text; otherwise Word and LibreOffice edit it as usual.

``customXml/item1.xml`` (with its ``itemProps1.xml``) holds the provenance's hashes:
the needs record's sha256 and the library's id, version and content sha256, plus
the reference, kind and locale. :mod:`propgen.review` reads both back.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used: review reads tags without the model
    from propgen import document as dm

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TRACE_NS = "urn:propgen:trace:1"
"""The namespace (and schema reference) of propgen's custom XML part."""
TAG_PREFIX = "propgen:"
_RT_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
_RT_CUSTOM_XML_PROPS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
)
_CT_CUSTOM_XML_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"


@dataclass(frozen=True)
class ClauseTag:
    """What a content control's tag says about the text inside it."""

    kind: str
    """``clause`` (a contract clause, which has a position) or ``section``."""
    id: str
    version: str
    position: str
    n: int

    def text(self) -> str:
        fields = [("id", self.id), ("version", self.version)]
        if self.position:
            fields.append(("position", self.position))
        fields.append(("n", str(self.n)))
        return TAG_PREFIX + self.kind + " " + " ".join(f"{k}={_word(v)}" for k, v in fields if v)


def _word(value: str) -> str:
    """A tag value without the spaces that separate the fields."""
    return re.sub(r"\s", "_", value)


def section_tag(section: dm.Section, n: int) -> ClauseTag:
    kind = "clause" if section.position else "section"
    return ClauseTag(kind, section.source_id, section.version, section.position, n)


def parse_tag(text: str) -> ClauseTag | None:
    """The tag a :func:`wrap` wrote, or None for anyone else's tag."""
    if not text.startswith(TAG_PREFIX):
        return None
    kind, _, rest = text[len(TAG_PREFIX) :].partition(" ")
    fields = dict(item.partition("=")[::2] for item in rest.split())
    if kind not in ("clause", "section") or not fields.get("id"):
        return None
    try:
        n = int(fields.get("n", "0"))
    except ValueError:
        n = 0
    return ClauseTag(kind, fields["id"], fields.get("version", ""), fields.get("position", ""), n)


def wrap(body: Any, elements: list[Any], section: dm.Section, n: int) -> None:
    """Move ``elements`` (consecutive children of ``body``) into a block-level content
    control tagged for ``section``, in their place."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if not elements:
        return
    sdt = OxmlElement("w:sdt")
    pr = OxmlElement("w:sdtPr")
    title = _title(section)
    if title:
        pr.append(OxmlElement("w:alias", {qn("w:val"): title[:255]}))
    tag = section_tag(section, n).text()
    pr.append(OxmlElement("w:tag", {qn("w:val"): tag}))
    pr.append(OxmlElement("w:id", {qn("w:val"): str(n)}))
    if section.locked:
        pr.append(OxmlElement("w:lock", {qn("w:val"): "sdtContentLocked"}))
    # A building-block control, as Word wraps a contents page: LibreOffice keeps it
    # around the paragraphs, where it turns a rich-text one into copies of the first
    # paragraph's text in Chinese documents (7.4).
    part = OxmlElement("w:docPartObj")
    part.append(OxmlElement("w:docPartGallery", {qn("w:val"): "Custom 1"}))
    part.append(OxmlElement("w:docPartCategory", {qn("w:val"): "propgen"}))
    pr.append(part)
    content = OxmlElement("w:sdtContent")
    elements[0].addprevious(sdt)
    for element in elements:
        content.append(element)  # lxml moves it
    sdt.append(pr)
    sdt.append(content)


def _title(section: dm.Section) -> str:
    from propgen import document as dm

    for block in section.blocks:
        # a bilingual section's rows: its heading in the first (drafting) language
        inner = block.columns[0].blocks if isinstance(block, dm.Parallel) else (block,)
        for candidate in inner:
            if isinstance(candidate, dm.Heading):
                return " ".join(dm.inline_text(candidate.inlines).split())
    return ""


def trace_xml(document: dm.Document) -> bytes:
    """The custom XML part: where the document came from, and its sections."""
    # here, not at the top: xml.sax.saxutils imports urllib (http, email, ssl), which
    # review, reading the tags back, has no use for
    from xml.sax.saxutils import quoteattr

    meta, trace = document.meta, document.meta.trace
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        f"<propgen xmlns={quoteattr(TRACE_NS)} reference={quoteattr(meta.reference)} "
        f"kind={quoteattr(meta.kind)} locale={quoteattr(meta.locale)}>",
    ]
    if trace is not None:
        lines.append(f"<needs sha256={quoteattr(trace.needs_sha256)}/>")
        lines.append(
            f"<library id={quoteattr(trace.library_id)} "
            f"version={quoteattr(trace.library_version)} "
            f"sha256={quoteattr(trace.library_sha256)}/>"
        )
    for n, section in enumerate(sections(document), start=1):
        tag = section_tag(section, n)
        attrs = f'id={quoteattr(tag.id)} version={quoteattr(tag.version)} n="{n}"'
        if tag.position:
            attrs += f" position={quoteattr(tag.position)}"
        lines.append(f"<{tag.kind} {attrs}/>")
    lines.append("</propgen>")
    return "\n".join(lines).encode("utf-8")


def sections(document: dm.Document) -> list[dm.Section]:
    """The sections the body wraps, in order (the numbering of the tags)."""
    from propgen import document as dm

    return [b for b in dm.iter_blocks(document.blocks) if isinstance(b, dm.Section)]


def add_trace_part(docx_document: Any, document: dm.Document) -> None:
    """Add ``customXml/item1.xml`` and its properties, related to the main part."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    main = docx_document.part
    package = main.package
    taken = {str(part.partname) for part in package.iter_parts()}
    k = 1
    while f"/customXml/item{k}.xml" in taken:
        k += 1
    guid = uuid.uuid5(uuid.NAMESPACE_URL, f"{TRACE_NS}:{document.meta.reference}")
    props = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        f'<ds:datastoreItem ds:itemID="{{{str(guid).upper()}}}" '
        'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
        f'<ds:schemaRefs><ds:schemaRef ds:uri="{TRACE_NS}"/></ds:schemaRefs>'
        "</ds:datastoreItem>"
    ).encode()
    item = Part(PackURI(f"/customXml/item{k}.xml"), "application/xml", trace_xml(document), package)
    item_props = Part(PackURI(f"/customXml/itemProps{k}.xml"), _CT_CUSTOM_XML_PROPS, props, package)
    item.relate_to(item_props, _RT_CUSTOM_XML_PROPS)
    main.relate_to(item, _RT_CUSTOM_XML)


def bookmark_names(marked: list[dm.Heading | dm.Section]) -> list[str]:
    """Word bookmark names (letters, digits, _; <= 40) for headings, then sections."""
    from propgen import document as dm

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
