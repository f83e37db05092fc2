"""Edits to rendered contracts as a customer would make them: directly in the XML
(what Word saves) and through a LibreOffice round trip."""

from __future__ import annotations

import copy
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import yaml
from lxml import etree  # type: ignore[import-untyped]

from propgen.cli import main
from support import require_tool

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
NS = {"w": W_NS}


def render_contract(record: Path, out: Path) -> Path:
    """The record's contract DOCX (and provenance) in ``out``."""
    code = main(["render", str(record), "-o", str(out), "--format", "docx", "--only", "contract"])
    assert code == 0
    (found,) = out.glob("*-contract.docx")
    return found


def with_position(record: Path, clause: str, position: str, out: Path) -> Path:
    """A copy of ``record`` choosing ``position`` for ``clause``."""
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    data.setdefault("clauses", {})[clause] = position
    data["approvals"] = [a for a in data.get("approvals", []) if a["what"] != f"clause:{clause}"]
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def read_body(path: Path) -> Any:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def write_body(source: Path, body: Any, target: Path) -> Path:
    """``source`` with its document.xml replaced by ``body``."""
    data = etree.tostring(body, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            content = data if info.filename == "word/document.xml" else src.read(info)
            dst.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED)
    return target


def control(body: Any, section_id: str) -> Any:
    """The content control around a section or clause."""
    for sdt in body.iter(f"{W}sdt"):
        tag = sdt.find(f"{W}sdtPr/{W}tag")
        if tag is not None and f" id={section_id} " in tag.get(f"{W}val") + " ":
            return sdt
    raise AssertionError(f"no control for {section_id}")


def replace_text(body: Any, section_id: str, old: str, new: str, tracked: bool = False) -> None:
    """Replace ``old`` by ``new`` in one run of the section (as a tracked change when
    ``tracked``: the old run deleted, the new one inserted)."""
    for t in control(body, section_id).iter(f"{W}t"):
        if t.text and old in t.text.replace("\u00a0", " "):  # figures keep no-break spaces
            t.text = t.text.replace("\u00a0", " ")
            if not tracked:
                t.text = t.text.replace(old, new, 1)
                return
            run = t.getparent()
            before, after = t.text.split(old, 1)
            pieces: list[Any] = []
            for text, kind in ((before, None), (old, "del"), (new, "ins"), (after, None)):
                r = copy.deepcopy(run)
                for child in r.findall(f"{W}t"):
                    r.remove(child)
                el = etree.SubElement(r, f"{W}delText" if kind == "del" else f"{W}t")
                el.text = text
                el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                if kind:
                    wrap = etree.Element(
                        f"{W}{kind}",
                        {
                            f"{W}id": str(900 + len(pieces)),
                            f"{W}author": "Customer",
                            f"{W}date": "2027-01-01T00:00:00Z",
                        },
                    )
                    wrap.append(r)
                    pieces.append(wrap)
                else:
                    pieces.append(r)
            for piece in pieces:
                run.addprevious(piece)
            run.getparent().remove(run)
            return
    raise AssertionError(f"{old!r} not in {section_id}")


def paragraph(text: str, style: str = "") -> Any:
    p = etree.Element(f"{W}p")
    if style:
        ppr = etree.SubElement(p, f"{W}pPr")
        etree.SubElement(ppr, f"{W}pStyle", {f"{W}val": style})
    r = etree.SubElement(p, f"{W}r")
    t = etree.SubElement(r, f"{W}t")
    t.text = text
    return p


def libreoffice_round_trip(paths: list[Path], out: Path) -> list[Path]:
    """Each file opened and saved as DOCX again by LibreOffice (one run for all)."""
    soffice = require_tool("soffice", "libreoffice-writer")
    out.mkdir(parents=True, exist_ok=True)
    profile = out / "profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    saved = [out / p.name for p in paths]
    missing = [p for p in saved if not p.is_file()]
    assert not missing, missing
    return saved
