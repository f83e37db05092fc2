"""The page numbers of a DOCX's contents page, kept between runs.

A DOCX's contents page shows the page of each contents entry in the PDF of the same
document. Rendered with its PDF, the DOCX reads them from the PDF
(:mod:`propgen.render.pdf_pages`); rendered alone, it needs WeasyPrint's layout of the
document, which costs about three DOCX renders (:func:`propgen.render.pdf.contents_pages`).
The numbers depend only on what the layout reads: the page's markup, the theme's
stylesheet, the paper, the installed fonts and the renderers' versions
(:func:`propgen.render.fingerprint.renderer_fingerprint`).
Every render that learns them keeps them here under a sha256 of those inputs, so a DOCX
rendered alone after its PDF, or again, needs no layout.

Determinism: an entry is found only for the same inputs, and holds what their layout
gives (the PDF's outline and the layout agree: ``tests/render/test_docx_contents.py``).
An entry that cannot be read, or that does not hold one page per contents entry in
non-decreasing order, is ignored and replaced.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path

from propgen.confined import read_confined
from propgen.document import Document, Heading, iter_blocks
from propgen.locales import paper
from propgen.render.fingerprint import renderer_fingerprint
from propgen.user_cache import cache_folder

__all__ = ["layout_key", "load_pages", "store_pages"]

_FOLDER = "contents-pages"
_MAX_ENTRY = 64 * 1024


def layout_key(document: Document, theme_dir: Path) -> str:
    """A sha256 of everything WeasyPrint's page layout of ``document`` reads."""
    from propgen.render.html import ANYWHERE_CSS, BASELINE_CSS, STYLESHEET, build_html

    root = theme_dir.resolve()
    parts = (
        build_html(document, root, standalone=False).encode("utf-8"),
        read_confined(root, root / STYLESHEET),
        BASELINE_CSS.encode("ascii"),
        ANYWHERE_CSS.encode("ascii"),
        paper(document.meta.locale).css.encode("ascii"),
        renderer_fingerprint(),
    )
    digest = hashlib.sha256()
    for part in parts:  # length-prefixed: no two different inputs hash alike
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def load_pages(key: str, document: Document) -> tuple[int, ...] | None:
    """The kept page numbers for ``key``, or ``None`` (none kept, caching off, or an
    entry that is not one page per contents entry of ``document``)."""
    folder = cache_folder(_FOLDER)
    if folder is None:
        return None
    try:
        with (folder / f"{key}.json").open("rb") as file:
            pages = json.loads(file.read(_MAX_ENTRY))
    except (OSError, ValueError):
        return None
    blocks = iter_blocks(document.blocks)
    entries = sum(1 for b in blocks if isinstance(b, Heading) and b.in_contents)
    valid = (
        isinstance(pages, list)
        and len(pages) == entries
        and all(type(page) is int and page > 0 for page in pages)
        and pages == sorted(pages)
    )
    return tuple(pages) if valid else None


def store_pages(key: str, pages: tuple[int, ...]) -> None:
    """Keep the page numbers for ``key`` (written atomically; a failure is ignored)."""
    folder = cache_folder(_FOLDER)
    if folder is None or not pages:
        return
    with contextlib.suppress(OSError):
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="ascii") as file:
                json.dump(list(pages), file)
            os.replace(temporary, folder / f"{key}.json")
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
