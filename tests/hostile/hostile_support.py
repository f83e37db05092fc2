"""Helpers for the hostile suite: records from the sample, text out of DOCX and PDF."""

from __future__ import annotations

import copy
import io
import json
import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path
from typing import Any, cast

import yaml
from lxml import etree  # type: ignore[import-untyped]
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from support import require_tool

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "templates" / "industry" / "saas" / "sample.en-US.yaml"
THEME = ROOT / "templates" / "theme"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def sample_record() -> dict[str, Any]:
    """The SaaS sample as data (dates as ISO text, prices as exact text)."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    return copy.deepcopy(json.loads(json.dumps(data, default=str)))


def write_record(folder: Path, record: dict[str, Any], name: str = "deal.json") -> Path:
    """The record as JSON; non-ASCII (even lone surrogates) is written as escapes."""
    path = folder / name
    path.write_text(json.dumps(record, ensure_ascii=True, indent=1), encoding="ascii")
    return path


def docx_plain(data: bytes) -> str:
    """All text runs of the body, headers and footers, in order."""
    parts: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in sorted(archive.namelist()):
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
                root = etree.fromstring(archive.read(name))
                parts.append("".join(t.text or "" for t in root.iter(f"{_W}t")))
    return "\n".join(parts)


def pdf_plain(data: bytes) -> str:
    """The PDF's text by poppler's pdftotext, which copes with every font encoding
    WeasyPrint writes (pypdf does not: falling back to it would weaken the checks)."""
    pdftotext = require_tool("pdftotext", "poppler-utils")
    done = subprocess.run(
        [pdftotext, "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return done.stdout.decode("utf-8")


def comparable(text: str) -> str:
    """NFKC, without whitespace and invisible format characters (which a PDF's text
    layer does not keep), so layout and line breaks do not matter."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")


def right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def attachments(data: bytes) -> list[str]:
    """Every embedded file and file-attachment annotation in a PDF."""
    reader = PdfReader(io.BytesIO(data))
    found = [f"embedded:{name}" for name in reader.attachments]
    names = cast(DictionaryObject, reader.trailer["/Root"]).get("/Names")
    if names is not None and "/EmbeddedFiles" in names.get_object():
        found.append("/EmbeddedFiles")
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            subtype = annotation.get_object().get("/Subtype")
            if subtype == "/FileAttachment":
                found.append(f"page {number}: /FileAttachment")
    return found
