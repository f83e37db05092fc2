"""Renderers: the document model as DOCX, HTML and PDF."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, assert_never, get_args

if TYPE_CHECKING:
    from pathlib import Path

    from propgen.document import Document
    from propgen.render.pdf_profile import PdfOptions

Format = Literal["docx", "pdf", "html"]
"""The output formats: the one list (``--format`` and every dispatch read it)."""
FORMATS: tuple[Format, ...] = get_args(Format)


def render_document(
    document: Document,
    theme_dir: Path,
    fmt: Format,
    pdf: PdfOptions | None = None,
    *,
    contents_from: bytes | None = None,
) -> bytes:
    """One document in one format. Renderers are imported only when used, so a
    worker unpickling this task imports no more than the renderer it runs; after
    a PDF, the memory its layout used is handed back.

    Args:
        pdf: the PDF profile and its embedded files (PDF only; default standard).
        contents_from: the same document's PDF, whose outline gives the DOCX contents
            page its page numbers (:mod:`propgen.render.pdf_pages`; DOCX only). Without
            it, a DOCX with a contents page lays the document out as the PDF would
            (:func:`propgen.render.pdf.contents_pages`: the same numbers, so the same
            bytes, whichever formats are rendered together).
    """
    match fmt:
        case "docx":
            from propgen.render.docx import checked_frame, render_docx

            checked_frame(theme_dir)  # a broken frame is refused before the layout pass
            return render_docx(
                document, theme_dir, _contents_pages(document, theme_dir, contents_from)
            )
        case "pdf":
            from propgen.collector import collection_deferred, release_memory
            from propgen.render.pdf import render_pdf

            with collection_deferred():
                try:
                    return render_pdf(document, theme_dir, pdf)
                finally:
                    release_memory()
        case "html":
            from propgen.render.html import render_html

            return render_html(document, theme_dir).encode()
        case _:
            assert_never(fmt)


def _contents_pages(
    document: Document, theme_dir: Path, pdf: bytes | None
) -> tuple[int, ...] | None:
    """The page numbers of a DOCX's contents entries: read from its PDF when there is
    one, else kept from an earlier render of the same layout
    (:mod:`propgen.render.contents_cache`), else from the PDF's layout (about three
    DOCX renders); None without a contents page."""
    from propgen.document import TableOfContents, iter_blocks
    from propgen.render.contents_cache import layout_key, load_pages, store_pages

    if not any(isinstance(block, TableOfContents) for block in iter_blocks(document.blocks)):
        return None
    key = layout_key(document, theme_dir)
    if pdf is not None:
        from propgen.render.pdf_pages import contents_pages

        pages = contents_pages(pdf)
    else:
        kept = load_pages(key, document)
        if kept is not None:
            return kept
        pages = _laid_out_pages(document, theme_dir)
    store_pages(key, pages)
    return pages


def _laid_out_pages(document: Document, theme_dir: Path) -> tuple[int, ...]:
    from propgen.collector import collection_deferred, release_memory
    from propgen.render.pdf import contents_pages

    with collection_deferred():
        try:
            return contents_pages(document, theme_dir)
        finally:
            release_memory()
