"""Reading an edited DOCX safely: its body as paragraphs of text *as proposed*, each
with the content control and bookmarks that locate it, and propgen's trace part.

The file is untrusted. It must be a regular file of at most :data:`MAX_FILE` bytes
and a zip archive; only the parts needed are read, each at most :data:`MAX_PART`
bytes once inflated (counted while inflating, so a lying header does not help) and
compressed no more than :data:`MAX_RATIO` to 1. XML is parsed without DTDs,
entities or network access, and a part declaring a DTD is refused: Word never
writes one. Nothing outside the archive is read.

Text as proposed: tracked insertions count, tracked deletions (``w:del``, moved-from
text) do not — the customer's version with their changes accepted. The result of a
``REF`` field (a clause number Word recomputes) reads as ``#``, so renumbering is
not an edit.
"""

from __future__ import annotations

import re
import stat
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from propgen.errors import DocumentError, Problem
from propgen.render.docx_trace import TRACE_NS, ClauseTag, parse_tag

MAX_FILE = 32 * 1024 * 1024
MAX_PART = 24 * 1024 * 1024
MAX_RATIO = 120
MAX_MEMBERS = 5000
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REF_MARK = "#"
"""What a cross-reference field's result reads as."""
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
CORE = "docProps/core.xml"
_REVISIONS = tuple(
    f"{W}{name}" for name in ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange")
)
_MODIFIED = "{http://purl.org/dc/terms/}modified"
_ISO_DATE = re.compile(r"\s*(\d{4}-\d{2}-\d{2})(?:[T\s].*)?", re.DOTALL)


@dataclass
class Para:
    """One paragraph (or table-cell paragraph) of the body."""

    text: str
    style: str = ""
    """The style's name (``Clause Heading``), or its id when it has no name."""
    tag: ClauseTag | None = None
    """The propgen content control around it, if any."""
    marks: list[str] = field(default_factory=list)
    """Bookmarks starting in it."""
    element: Any = None
    """The ``w:p`` (for the counter-redline)."""
    heading: bool = False
    shown: str = ""
    """The text as it reads, cross-reference numbers included."""


@dataclass(frozen=True)
class Trace:
    """What the custom XML part says about the document."""

    reference: str = ""
    kind: str = ""
    locale: str = ""
    needs_sha256: str = ""
    library_sha256: str = ""
    library_version: str = ""


@dataclass
class EditedDocx:
    paragraphs: list[Para]
    trace: Trace
    parts: dict[str, bytes]
    """The parts read (document.xml ...), raw, for the counter-redline."""
    root: Any = None
    """The parsed ``word/document.xml``."""
    latest_date: str = ""
    """The latest date the file itself records (ISO ``YYYY-MM-DD``, "" if none): when it
    was last saved (``dcterms:modified``) or its latest tracked change (``w:date``)."""


def _error(path: Path, message: str, hint: str = "") -> DocumentError:
    return DocumentError(problems=[Problem(message, file=str(path), hint=hint)])


def parse_xml(data: bytes, path: Path, name: str) -> Any:
    """A part parsed with no DTD, no entities, no network; a DTD is refused."""
    from lxml import etree  # type: ignore[import-untyped]

    head = data[:4096]
    if _DTD.search(data) or _DTD.search(head.decode("utf-16", "ignore").encode()):
        raise _error(path, f"{name} declares a DTD or entities, which Word never writes")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise _error(path, f"{name} is not well-formed XML: {exc}") from exc
    if root.getroottree().docinfo.internalDTD is not None:
        raise _error(path, f"{name} declares a DTD, which Word never writes")
    return root


def read_docx(path: Path) -> EditedDocx:
    """The edited DOCX at ``path``, read within the limits above.

    Raises:
        DocumentError: not a DOCX, hostile, or too large (exit 2).
    """
    data = _read_file(path)
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise _error(path, "not a DOCX file (not a zip archive)", "give the .docx file") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise _error(path, f"the archive has {len(infos):,} members; a DOCX has a few dozen")
        names = {info.filename: info for info in infos}
        if "word/document.xml" not in names:
            raise _error(path, "not a Word document (no word/document.xml)")
        items = sorted(n for n in names if re.fullmatch(r"customXml/item\d+\.xml", n))
        wanted = ["word/document.xml", "word/styles.xml", CORE, *items]
        parts = {n: _member(archive, names[n], path) for n in wanted if n in names}
    root = parse_xml(parts["word/document.xml"], path, "word/document.xml")
    styles = _style_names(parts.get("word/styles.xml"), path)
    latest = _latest_date(root, parts.get(CORE), path)
    return EditedDocx(_paragraphs(root, styles), _trace(parts, path), parts, root, latest)


def read_members(path: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    """Every member of the DOCX at ``path``, each read within the limits above."""
    data = _read_file(path)
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise _error(path, "not a DOCX file (not a zip archive)") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise _error(path, f"the archive has {len(infos):,} members; a DOCX has a few dozen")
        return [(info, _member(archive, info, path)) for info in infos]


def _read_file(path: Path) -> bytes:
    try:
        info = path.stat()
    except OSError as exc:
        raise _error(path, f"cannot read the file: {exc.strerror}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise _error(path, "not a regular file")
    if info.st_size > MAX_FILE:
        raise _error(path, f"the file is {info.st_size:,} bytes; at most {MAX_FILE:,} are read")
    with path.open("rb") as handle:
        data = handle.read(MAX_FILE + 1)
    if len(data) > MAX_FILE:
        raise _error(path, f"the file is larger than {MAX_FILE:,} bytes")
    return data


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> bytes:
    """One member, inflated in chunks and stopped at :data:`MAX_PART` bytes."""
    if info.file_size > MAX_PART:
        raise _error(path, f"{info.filename} is {info.file_size:,} bytes inflated; too large")
    if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
        raise _error(
            path, f"{info.filename} inflates {info.file_size // info.compress_size}:1 (a zip bomb?)"
        )
    out = bytearray()
    try:
        with archive.open(info) as handle:
            while chunk := handle.read(1 << 16):
                out += chunk
                if len(out) > MAX_PART:
                    raise _error(path, f"{info.filename} inflates beyond {MAX_PART:,} bytes")
                if info.compress_size and len(out) > MAX_RATIO * max(info.compress_size, 4096):
                    raise _error(path, f"{info.filename} inflates beyond {MAX_RATIO}:1")
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise _error(path, f"{info.filename} cannot be inflated: {exc}") from exc
    return bytes(out)


def _latest_date(root: Any, core: bytes | None, path: Path) -> str:
    """The latest valid date among the file's last save and its tracked changes;
    anything that is not a real date is ignored (the file is untrusted)."""
    import datetime as dt

    stamps = [node.get(f"{W}date", "") for node in root.iter(*_REVISIONS)]
    if core is not None:
        modified = parse_xml(core, path, CORE).find(_MODIFIED)
        stamps.append(modified.text or "" if modified is not None else "")
    dates: list[str] = []
    for stamp in stamps:
        found = _ISO_DATE.fullmatch(stamp)
        if found is None:
            continue
        try:
            dates.append(dt.date.fromisoformat(found.group(1)).isoformat())
        except ValueError:
            continue
    return max(dates, default="")


def _style_names(data: bytes | None, path: Path) -> dict[str, str]:
    if data is None:
        return {}
    root = parse_xml(data, path, "word/styles.xml")
    names: dict[str, str] = {}
    for style in root.iter(f"{W}style"):
        name = style.find(f"{W}name")
        style_id = style.get(f"{W}styleId", "")
        names[style_id] = name.get(f"{W}val", style_id) if name is not None else style_id
    return names


def _trace(parts: dict[str, bytes], path: Path) -> Trace:
    for name, data in parts.items():
        if not name.startswith("customXml/") or TRACE_NS.encode() not in data:
            continue
        root = parse_xml(data, path, name)
        if root.tag != f"{{{TRACE_NS}}}propgen":
            continue
        needs = root.find(f"{{{TRACE_NS}}}needs")
        library = root.find(f"{{{TRACE_NS}}}library")
        return Trace(
            reference=root.get("reference", ""),
            kind=root.get("kind", ""),
            locale=root.get("locale", ""),
            needs_sha256=needs.get("sha256", "") if needs is not None else "",
            library_sha256=library.get("sha256", "") if library is not None else "",
            library_version=library.get("version", "") if library is not None else "",
        )
    return Trace()


_HEADING_STYLES = ("clause heading", "heading 1", "heading1", "clauseheading")


def _paragraphs(root: Any, styles: dict[str, str]) -> list[Para]:
    body = root.find(f"{W}body")
    out: list[Para] = []
    if body is None:
        return out
    pending: list[str] = []

    def walk(element: Any, tag: ClauseTag | None) -> None:
        for child in element:
            name = child.tag
            if name == f"{W}sdt":
                found = child.find(f"{W}sdtPr/{W}tag")
                inner = parse_tag(found.get(f"{W}val", "")) if found is not None else None
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    walk(content, inner or tag)
            elif name == f"{W}p":
                out.append(_paragraph(child, styles, tag, pending))
                pending.clear()
            elif name == f"{W}tbl":
                for cell in child.iter(f"{W}tc"):
                    for p in cell.findall(f"{W}p"):
                        out.append(_paragraph(p, styles, tag, pending))
                        pending.clear()
            elif name == f"{W}bookmarkStart":
                pending.append(child.get(f"{W}name", ""))
            elif name in (f"{W}customXml", f"{W}ins", f"{W}moveTo"):
                walk(child, tag)

    walk(body, None)
    return out


def _paragraph(p: Any, styles: dict[str, str], tag: ClauseTag | None, pending: list[str]) -> Para:
    style_el = p.find(f"{W}pPr/{W}pStyle")
    style_id = style_el.get(f"{W}val", "") if style_el is not None else ""
    style = styles.get(style_id, style_id)
    marks = [*pending, *(b.get(f"{W}name", "") for b in p.iter(f"{W}bookmarkStart"))]
    outline = p.find(f"{W}pPr/{W}outlineLvl")
    heading = style.lower() in _HEADING_STYLES or (
        outline is not None and outline.get(f"{W}val") == "0"
    )
    return Para(paragraph_text(p), style, tag, marks, p, heading, paragraph_text(p, masked=False))


_SKIPPED = (f"{W}del", f"{W}moveFrom")


def paragraph_text(p: Any, *, masked: bool = True) -> str:
    """The paragraph's text as proposed: insertions in, deletions out, REF results
    ``#`` (``masked``) or as they read."""
    pieces: list[str] = []
    fields: list[list[Any]] = []  # [instruction, in result?, result shown?]
    for node in p.iter():
        tag = node.tag
        if not isinstance(tag, str):
            continue
        if tag in (f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}noBreakHyphen", f"{W}sym"):
            if _deleted(node, p, masked):
                continue
            in_ref = fields and fields[-1][1] and fields[-1][0].strip().upper().startswith("REF")
            if masked and in_ref:
                if not fields[-1][2]:
                    pieces.append(REF_MARK)
                    fields[-1][2] = True
                continue
            if tag == f"{W}t":
                pieces.append(node.text or "")
            elif tag == f"{W}noBreakHyphen":
                pieces.append("-")
            elif tag != f"{W}sym":
                pieces.append(" ")
        elif tag == f"{W}fldChar":
            kind = node.get(f"{W}fldCharType")
            if kind == "begin":
                fields.append(["", False, False])
            elif kind == "separate" and fields:
                fields[-1][1] = True
            elif kind == "end" and fields:
                fields.pop()
        elif tag == f"{W}instrText" and fields and not _deleted(node, p):
            fields[-1][0] += node.text or ""
        elif tag == f"{W}fldSimple" and node.get(f"{W}instr", "").strip().upper().startswith("REF"):
            pieces.append(REF_MARK)  # its own text is skipped by _deleted
    return "".join(pieces)


def _deleted(node: Any, p: Any, masked: bool = False) -> bool:
    for ancestor in node.iterancestors():
        if ancestor is p:
            return False
        if ancestor.tag in _SKIPPED:
            return True
        if masked and ancestor.tag == f"{W}fldSimple" and _is_ref(ancestor):
            return True
    return False


def _is_ref(node: Any) -> bool:
    return bool(node.get(f"{W}instr", "").strip().upper().startswith("REF"))
