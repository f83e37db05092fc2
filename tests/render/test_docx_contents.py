"""A DOCX rendered alone carries the same filled contents page as one rendered with
its PDF: entries with the PDF's page numbers, no update-fields prompt, same bytes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import docx
import pytest

from propgen.document import DocumentKind
from propgen.pipeline import check, render_documents
from propgen.render.pdf_pages import contents_pages
from propgen.render.pdf_profile import PdfProfile
from propgen.user_cache import CACHE_VARIABLE
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


# --- the page numbers kept between runs (propgen.render.contents_cache) ----------------

ALONE = """import sys
from pathlib import Path
from propgen.pipeline import check, render_documents
files = render_documents(check(Path(sys.argv[1]), only="proposal"), ("docx",))
(data,) = files.values()
Path(sys.argv[2]).write_bytes(data)
print("weasyprint" in sys.modules)"""


def _render_alone_in_a_fresh_process(sample: Path, out: Path, cache: Path) -> bool:
    """Render the proposal DOCX alone in a new process; whether it imported WeasyPrint."""
    env = {**os.environ, CACHE_VARIABLE: str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", ALONE, str(sample), str(out)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return done.stdout.strip() == "True"


def test_a_docx_alone_after_its_pdf_needs_no_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PDF render keeps its contents page numbers; the DOCX rendered alone later,
    in a fresh process, takes them without importing WeasyPrint, and its bytes are
    those of the DOCX rendered with the PDF."""
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_VARIABLE, str(cache))
    sample = ROOT / "samples" / "saas.zh-CN.yaml"
    together = render_documents(check(sample, only="proposal"), ("pdf", "docx"))
    (kept,) = (cache / "contents-pages").glob("*.json")
    (name,) = (n for n in together if n.endswith(".docx"))
    pdf = together[name.removesuffix(".docx") + ".pdf"]
    assert json.loads(kept.read_text()) == list(contents_pages(pdf))

    out = tmp_path / "alone.docx"
    assert not _render_alone_in_a_fresh_process(sample, out, cache)
    assert out.read_bytes() == together[name]


def test_a_damaged_or_wrong_entry_is_laid_out_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_VARIABLE, str(cache))
    checked = check(ROOT / "samples" / "saas.en-US.yaml", only="proposal")
    (first,) = render_documents(checked, ("docx",)).values()
    (entry,) = (cache / "contents-pages").glob("*.json")
    pages = json.loads(entry.read_text())
    assert len(pages) > 5
    for damaged in (b"{not json", b"[]", json.dumps(pages[:-1]).encode(), b'["3", 4]'):
        entry.write_bytes(damaged)
        (again,) = render_documents(checked, ("docx",)).values()
        assert again == first, damaged
        assert json.loads(entry.read_text()) == pages  # replaced by the layout's numbers


def test_caching_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_VARIABLE, "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    checked = check(ROOT / "samples" / "saas.en-US.yaml", only="proposal")
    render_documents(checked, ("docx",))
    assert not list(tmp_path.iterdir())
