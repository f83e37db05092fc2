"""Every sample's DOCX is valid OOXML: openxml-audit (the Open XML SDK's schema and
semantic checks, Office 2019 profile, strict) reports no error and no warning."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree  # type: ignore[import-untyped]
from openxml_audit import FileFormat, OpenXmlValidator

from support import SAMPLES

CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"


@pytest.fixture
def docx_files(rendered_samples: Path) -> list[Path]:
    """Every sample's proposal and contract DOCX (shared, read-only)."""
    files = sorted(rendered_samples.glob("*.docx"))
    assert len(files) == 2 * len(SAMPLES)
    return files


def test_every_sample_docx_validates(docx_files: list[Path]) -> None:
    validator = OpenXmlValidator(file_format=FileFormat.OFFICE_2019, max_errors=0, strict=True)
    report = {}
    for path in docx_files:
        result = validator.validate(str(path))
        problems = [
            f"{e.severity.name} {e.part_uri} {e.path}: {e.description}" for e in result.errors
        ]
        if problems or not result.is_valid:
            report[path.name] = problems
    assert report == {}


def test_core_properties_are_in_the_core_namespace(docx_files: list[Path]) -> None:
    import zipfile

    for path in docx_files:
        with zipfile.ZipFile(path) as archive:
            root = etree.fromstring(archive.read("docProps/core.xml"))
        names = {etree.QName(child).text for child in root}
        for local in ("keywords", "category", "lastModifiedBy", "revision", "lastPrinted"):
            assert f"{{{CORE}}}{local}" in names, (path.name, local)
        assert all(
            not n.startswith("{http://schemas.openxmlformats.org/officeDocument/2006/custom")
            for n in names
        )
        category = root.find(f"{{{CORE}}}category")
        assert category is not None and category.text in ("proposal", "contract"), path.name
