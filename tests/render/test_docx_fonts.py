"""A Chinese contract's running text is serif in the DOCX as in the PDF: SimSun (宋体)
in the eastAsia slot of the body styles, the sans pair everywhere else; proposals
stay sans. Read back with python-docx and through LibreOffice's substitution."""

from __future__ import annotations

import subprocess
from io import BytesIO
from pathlib import Path
from typing import cast

import docx
import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from propgen.pipeline import check
from propgen.render.docx import render_docx
from support import ROOT, paragraphs, require_tool, style_name

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SAMPLE = ROOT / "samples" / "manufacturing.zh-CN.yaml"
# the contents entries too: the PDF's contents page is a list (serif ``li``)
BODY = ("Normal", "Subclause", "Note", "List Bullet", "List Number", "toc 1", "toc 2")
SANS = (
    "Heading 1",
    "Clause Heading",
    "Table Text",
    "Table Header",
    "Signature Line",
    "TOC Heading",
)


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    checked = check(SAMPLE)
    theme = checked.library.theme_dir
    return {kind: render_docx(doc, theme) for kind, doc in checked.documents.items()}


def _fonts(document: docx.document.Document, style: str) -> dict[str, str]:
    """The fonts a paragraph of ``style`` shows, following basedOn to the defaults."""
    shown: dict[str, str] = {}
    element = document.styles[style].element
    while element is not None:
        fonts = element.find(f"{W}rPr/{W}rFonts")
        for slot in ("ascii", "hAnsi", "eastAsia"):
            value = fonts.get(f"{W}{slot}") if fonts is not None else None
            if value:
                shown.setdefault(slot, value)
        based = element.find(f"{W}basedOn")
        element = (
            document.styles.element.xpath(f'w:style[@w:styleId="{based.get(W + "val")}"]')[0]
            if based is not None
            else None
        )
    defaults = document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    for slot in ("ascii", "hAnsi", "eastAsia"):
        shown.setdefault(slot, defaults.get(f"{W}{slot}"))
    return shown


def test_contract_body_is_simsun_and_the_rest_stays_sans(rendered: dict[str, bytes]) -> None:
    contract = docx.Document(BytesIO(rendered["contract"]))
    for style in BODY:
        assert _fonts(contract, style) == {
            "ascii": "Times New Roman",
            "hAnsi": "Times New Roman",
            "eastAsia": "SimSun",
        }, style
    for style in SANS:
        assert _fonts(contract, style) == {
            "ascii": "Arial",
            "hAnsi": "Arial",
            "eastAsia": "DengXian",
        }, style
    used = {style_name(p) for p in paragraphs(contract)}
    assert {"Normal", "Subclause", "Clause Heading"} <= used
    font_table = next(
        rel.target_part for rel in contract.part.rels.values() if rel.reltype.endswith("/fontTable")
    )
    assert "宋体".encode() in font_table.blob and b'w:name="SimSun"' in font_table.blob


def test_proposal_stays_sans(rendered: dict[str, bytes]) -> None:
    proposal = docx.Document(BytesIO(rendered["proposal"]))
    for style in BODY + SANS:
        assert _fonts(proposal, style)["eastAsia"] == "DengXian", style


def test_libreoffice_sets_the_contract_body_in_a_serif(
    rendered: dict[str, bytes], tmp_path: Path
) -> None:
    soffice = require_tool("soffice", "libreoffice-writer-nogui")
    src = tmp_path / "contract.docx"
    src.write_bytes(rendered["contract"])
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
        capture_output=True, timeout=600, check=True,
    )  # fmt: skip
    fonts: set[str] = set()
    for page in PdfReader(tmp_path / "contract.pdf").pages[2:4]:
        resources = cast(DictionaryObject, page["/Resources"].get_object())
        for font in cast(DictionaryObject, resources["/Font"].get_object()).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("SerifCJK" in name for name in fonts), fonts  # SimSun → Noto Serif CJK
    assert any("SansCJK" in name for name in fonts), fonts  # headings keep the sans
