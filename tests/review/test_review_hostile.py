"""Hostile DOCX handed to `propgen review`: a clear error (exit 2), in bounded time,
nothing read from disk or network, nothing written."""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from propgen.cli import main
from support import ROOT

RECORD = ROOT / "samples" / "saas.en-US.yaml"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SECRET = "TOP-SECRET-CANARY-7731"


def _docx(path: Path, document: bytes, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def _body(text: str) -> bytes:
    paragraph = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
    return f"<w:document {W}><w:body>{paragraph}</w:body></w:document>".encode()


def _no_document(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/other.xml", "<x/>")
    return path


def _cases(folder: Path) -> dict[str, tuple[Path, str]]:
    canary = folder / "canary.txt"
    canary.write_text(SECRET)
    laughs = '<!ENTITY l0 "ha">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    not_zip = folder / "not-a-zip.docx"
    not_zip.write_text("this is a plain text file, not a Word document\n")
    bomb = folder / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * (20 * 1024 * 1024))  # 1000:1
    huge = folder / "huge.docx"
    with zipfile.ZipFile(huge, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", os.urandom(26 * 1024 * 1024))
    return {
        "not a zip": (not_zip, "not a zip archive"),
        "zip bomb": (bomb, "inflates"),
        "huge part": (huge, "too large"),
        "external entity": (
            _docx(
                folder / "xxe.docx",
                f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{canary}">]>'.encode()
                + _body("&x;"),
            ),
            "DTD",
        ),
        "network entity": (
            _docx(
                folder / "xxe-net.docx",
                b'<?xml version="1.0"?><!DOCTYPE d SYSTEM "http://127.0.0.1:9/x.dtd">' + _body("x"),
            ),
            "DTD",
        ),
        "entity expansion": (
            _docx(
                folder / "laughs.docx",
                f'<?xml version="1.0"?><!DOCTYPE d [{laughs}]>'.encode() + _body("&l9;"),
            ),
            "DTD",
        ),
        "utf-16 entity": (
            _docx(
                folder / "utf16.docx",
                f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY x SYSTEM '
                f'"file://{canary}">]>'.encode("utf-16")
                + _body("&x;").decode().encode("utf-16")[2:],
            ),
            "DTD",
        ),
        "malformed xml": (_docx(folder / "broken.docx", b"<w:document><w:body>"), "well-formed"),
        "no document part": (_no_document(folder / "empty.docx"), "no word/document.xml"),
        "plain docx": (_docx(folder / "plain.docx", _body("x")), ""),
        "trace part with entities": (
            _docx(
                folder / "trace.docx",
                _body("x"),
                {
                    "customXml/item1.xml": f'<!DOCTYPE p [<!ENTITY x SYSTEM "file://{canary}">]>'
                    f'<propgen xmlns="urn:propgen:trace:1" reference="&x;"/>'.encode()
                },
            ),
            "DTD",
        ),
        "a folder": (folder, ""),
        "missing file": (folder / "nope.docx", "cannot read"),
    }


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    return _cases(tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize(
    "case",
    [
        "not a zip",
        "zip bomb",
        "huge part",
        "external entity",
        "network entity",
        "entity expansion",
        "utf-16 entity",
        "malformed xml",
        "no document part",
        "trace part with entities",
        "a folder",
        "missing file",
    ],
)
def test_hostile_docx_is_refused(
    cases: dict[str, tuple[Path, str]], case: str, capsys: Any, tmp_path: Path
) -> None:
    path, words = cases[case]
    before = sorted(p.name for p in path.parent.iterdir()) if path.parent.is_dir() else []
    started = time.monotonic()
    code = main(["review", str(path), "--needs", str(RECORD), "--format", "json"])
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert code == 2, (case, out, err)
    assert "Error: " in err and "Traceback" not in err
    assert words in err, (case, err)
    assert SECRET not in out + err
    assert out == ""
    assert elapsed < 20, (case, elapsed)
    if before:
        assert sorted(p.name for p in path.parent.iterdir()) == before  # nothing written


def test_a_docx_without_propgen_trace_is_reviewed_by_similarity(
    cases: dict[str, tuple[Path, str]], capsys: Any
) -> None:
    """A Word file with no trace and no anchors: every section deleted, the text new."""
    path, _ = cases["plain docx"]
    code = main(["review", str(path), "--needs", str(RECORD), "--format", "json"])
    out, _err = capsys.readouterr()
    assert code == 3
    assert '"verdict": "deleted"' in out and "no propgen trace part" in out
