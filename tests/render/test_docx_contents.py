"""A DOCX rendered alone carries the same filled contents page as one rendered with
its PDF: entries with the PDF's page numbers, no update-fields prompt, same bytes."""

from __future__ import annotations

from io import BytesIO

import docx
import pytest

from propgen.document import DocumentKind
from propgen.pipeline import check, render_documents
from propgen.render.pdf_pages import contents_pages
from propgen.render.pdf_profile import PdfProfile
from support import ROOT, paragraphs, style_name

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# (sample, document, PDF profile rendered beside the DOCX); an archival PDF is laid
# out with other options, its DOCX must not differ either
CASES = [
    ("saas.en-US.yaml", None, "tagged"),
    ("manufacturing.zh-CN.yaml", "contract", "archival"),
]


@pytest.mark.parametrize(("sample", "only", "profile"), CASES, ids=[c[0] for c in CASES])
def test_docx_alone_is_the_docx_rendered_with_its_pdf(
    sample: str, only: DocumentKind | None, profile: PdfProfile
) -> None:
    checked = check(ROOT / "samples" / sample, only=only)
    alone = render_documents(checked, ("docx",))
    together = render_documents(checked, ("pdf", "docx"), pdf_profile=profile)
    assert set(alone) == {name for name in together if name.endswith(".docx")}
    for name, data in alone.items():
        assert data == together[name], name
        document = docx.Document(BytesIO(data))
        entries = [p.text for p in paragraphs(document) if style_name(p) in ("toc 1", "toc 2")]
        if "contract" in name and len(entries) <= 1:
            continue  # a short contract has no contents page
        pdf = together[name.removesuffix(".docx") + ".pdf"]
        numbers = tuple(int(entry.rpartition("\t")[2]) for entry in entries)
        assert numbers == contents_pages(pdf), name
        assert len(set(numbers)) > 1, name  # real page numbers, not one repeated
        assert document.settings.element.find(f"{W}updateFields") is None, name
