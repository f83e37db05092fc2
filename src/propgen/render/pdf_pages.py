"""Where the PDF put each contents entry: the page numbers a DOCX contents page shows.

WeasyPrint writes a PDF outline entry for every heading the contents list
(``bookmark-level`` in print.css: levels 1-2, not ``.no-toc``), in document order.
Reading it back costs a few milliseconds; laying the DOCX out again (LibreOffice)
would cost seconds per document.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any


def contents_pages(pdf: bytes) -> tuple[int, ...]:
    """The 1-based page of each outline entry of ``pdf``, in document order."""
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(pdf))
    pages: list[int] = []

    def walk(items: list[Any]) -> bool:
        for item in items:
            if isinstance(item, list):
                if not walk(item):
                    return False
                continue
            index = reader.get_destination_page_number(item)
            if index is None:  # an entry without a page: no numbers rather than wrong ones
                return False
            pages.append(index + 1)
        return True

    return tuple(pages) if walk(reader.outline) else ()
