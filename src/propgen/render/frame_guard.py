"""The Word frame is library content, semi-trusted: check it before it is used.

Every part of ``frame.docx`` is copied into every delivered DOCX, and propgen asks
Word to update fields when the document opens (``updateFields``, for the table of
contents). So a frame must not make Word fetch anything: it may hold no external
relationship (a linked image, a hyperlink, ``attachedTemplate``, a mail-merge
source), no field that includes or links other content (``INCLUDEPICTURE``,
``INCLUDETEXT``, ``LINK``, ``DDE`` …, or a ``HYPERLINK`` to a URL), and no embedded
code or objects (macros, ActiveX, OLE, ``altChunk``). It must also be a sound
package: a zip of well-formed XML parts within size caps. A frame that breaks any
of this is refused with a :class:`~propgen.errors.LibraryError` listing every
problem, at render time and by ``propgen library check``.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]

from propgen.confined import read_confined
from propgen.errors import LibraryError, Problem

FRAME = "frame.docx"
MAX_FRAME_BYTES = 20 * 1024 * 1024
"""The largest frame file."""
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
"""The most its parts may unpack to (a zip bomb is refused before it is unpacked)."""
MAX_PARTS = 500

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_REQUIRED = ("[Content_Types].xml", "_rels/.rels", "word/document.xml")
_FETCHING_FIELDS = frozenset(
    {"INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "LINK", "DDE", "DDEAUTO", "IMPORT", "DATABASE"}
    | {"RD", "AUTOTEXT", "AUTOTEXTLIST", "MACROBUTTON"}
)
_REFUSED_RELATIONSHIPS = (  # by the end of the relationship type
    "attachedTemplate",
    "oleObject",
    "package",
    "aFChunk",
    "vbaProject",
    "activeXControl",
    "activeXControlBinary",
    "subDocument",
    "frame",
    "externalLink",
    "control",
)
_URL = re.compile(r'^\s*"?\s*([a-z][a-z0-9+.-]*:|\\\\|//)', re.IGNORECASE)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
    )


def load_frame(frame: Path, theme_dir: Path) -> bytes:
    """The frame's bytes, checked: a regular file inside the theme, under the size
    cap, a sound package that makes Word fetch nothing.

    Raises:
        LibraryError: naming the frame and every problem found.
    """
    data = read_confined(theme_dir, frame, max_bytes=MAX_FRAME_BYTES)
    problems = _checked(hashlib.sha256(data).hexdigest(), data)
    if problems:
        raise LibraryError(
            problems=[Problem(message=m, file=str(frame), hint=h) for m, h in problems]
        )
    return data


def frame_problems(frame: Path, theme_dir: Path) -> list[Problem]:
    """What :func:`load_frame` would refuse, as a list (for ``library check``)."""
    try:
        load_frame(frame, theme_dir)
    except LibraryError as err:
        return list(err.problems)
    return []


@lru_cache(maxsize=8)
def _checked(digest: str, data: bytes) -> tuple[tuple[str, str], ...]:
    """Problems with a frame's content (cached by its digest: a frame is checked once)."""
    try:
        parts = _unpack(data)
    except _Refused as refused:
        return ((str(refused), refused.hint),)
    found: list[tuple[str, str]] = []
    for name, content in parts.items():
        if not name.endswith((".xml", ".rels")):
            continue
        try:
            root = etree.fromstring(content, _parser())
        except etree.XMLSyntaxError as exc:
            found.append((f"is not a valid Word document: {name} is malformed XML ({exc})", ""))
            continue
        if root.getroottree().docinfo.doctype:
            found.append((f"{name} declares a DTD", "save the frame again in Word"))
        if name.endswith(".rels"):
            found += _relationship_problems(name, root)
        else:
            found += _content_problems(name, root)
    if not found:
        found += _opens_in_python_docx(data)
    return tuple(dict.fromkeys(found))


class _Refused(Exception):
    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


def _unpack(data: bytes) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise _Refused(
            f"is not a valid Word document (not a zip package: {exc})",
            "save it from Word as .docx or rebuild it with tools/build_frame.py",
        ) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_PARTS:
            raise _Refused(f"has {len(infos)} parts; a frame may have at most {MAX_PARTS}")
        names = [info.filename for info in infos]
        if len(set(names)) != len(names):
            raise _Refused("is not a valid Word document (a part is stored twice)")
        missing = [name for name in _REQUIRED if name not in names]
        if missing:
            raise _Refused(f"is not a valid Word document (no {', '.join(missing)})")
        parts: dict[str, bytes] = {}
        total = 0
        for info in infos:
            if info.filename.startswith("/") or ".." in info.filename.split("/"):
                raise _Refused(f"is not a valid Word document (part name {info.filename!r})")
            if info.is_dir():
                continue
            try:
                with archive.open(info) as member:
                    content = member.read(MAX_UNPACKED_BYTES - total + 1)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
                raise _Refused(f"is not a valid Word document ({info.filename}: {exc})") from None
            total += len(content)
            if total > MAX_UNPACKED_BYTES:
                raise _Refused(
                    f"unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MiB",
                    "a frame holds styles, headers and footers, not large media",
                )
            parts[info.filename] = content
        return parts


def _relationship_problems(name: str, root: etree._Element) -> list[tuple[str, str]]:
    found = []
    for rel in root.iter(f"{{{_REL}}}Relationship"):
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        target = rel.get("Target", "")
        if rel.get("TargetMode", "").lower() == "external":
            found.append(
                (
                    f"links to an external {kind} {target!r} ({name}); Word would fetch it "
                    "when the document opens",
                    "remove the link, or embed the picture",
                )
            )
        elif kind in _REFUSED_RELATIONSHIPS:
            found.append((f"holds a {kind} ({name})", "remove macros, objects and templates"))
    return found


def _content_problems(name: str, root: etree._Element) -> list[tuple[str, str]]:
    found = []
    for tag, what in (("attachedTemplate", "an attached template"), ("altChunk", "an altChunk")):
        if next(root.iter(f"{{{_W}}}{tag}"), None) is not None:
            found.append((f"has {what} ({name})", "remove it in Word (Developer › Templates)"))
    for instruction in _field_instructions(root):
        words = instruction.split()
        field = words[0].upper() if words else ""
        fetches = field in _FETCHING_FIELDS
        if field == "HYPERLINK":
            target = " ".join(w for w in words[1:] if not w.startswith("\\"))
            fetches = "\\l" not in words and bool(_URL.match(target))
        if fetches:
            found.append(
                (
                    f"has a field {instruction.strip()[:80]!r} ({name}) that makes Word fetch "
                    "or include other content",
                    "remove the field",
                )
            )
    return found


def _field_instructions(root: etree._Element) -> list[str]:
    """Every field's instruction: simple fields, and complex ones whose text may be
    split over several runs (``INCLUDE`` + ``PICTURE``)."""
    found = [el.get(f"{{{_W}}}instr", "") for el in root.iter(f"{{{_W}}}fldSimple")]
    stack: list[list[str]] = []
    for el in root.iter(f"{{{_W}}}fldChar", f"{{{_W}}}instrText"):
        if el.tag == f"{{{_W}}}instrText":
            if stack:
                stack[-1].append(el.text or "")
            else:  # instruction text outside any field: still checked
                found.append(el.text or "")
            continue
        kind = el.get(f"{{{_W}}}fldCharType")
        if kind == "begin":
            stack.append([])
        elif kind in ("separate", "end") and stack:
            text = "".join(stack[-1])
            if text:
                found.append(text)
            stack[-1] = []
            if kind == "end":
                stack.pop()
    found += ["".join(parts) for parts in stack if parts]
    return found


def _opens_in_python_docx(data: bytes) -> list[tuple[str, str]]:
    from docx import Document

    try:
        Document(BytesIO(data))
    except Exception as exc:
        return [(f"is not a valid Word document ({type(exc).__name__}: {exc})", "")]
    return []
