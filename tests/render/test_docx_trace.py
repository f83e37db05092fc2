"""Traceable clauses: every section of a rendered DOCX is a content control tagged
with its clause id, version and position (locked only where the library locks it),
and a custom XML part carries the provenance's record and library hashes."""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree  # type: ignore[import-untyped]

from propgen.library import Library, default_library_root
from propgen.render.docx_trace import TRACE_NS, parse_tag
from support import ROOT, reference_of

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))  # the bilingual contract too


@pytest.fixture(scope="module")
def rendered(rendered_samples: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every sample's DOCX and provenance, linked from the shared render (read-only)."""
    out = tmp_path_factory.mktemp("trace")
    for sample in SAMPLES:
        for path in rendered_samples.glob(f"{reference_of(sample)}[-.]*"):
            if path.suffix != ".pdf":
                os.link(path, out / path.name)
    return out


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_every_clause_is_a_tagged_control(rendered: Path) -> None:
    library = Library(default_library_root())
    for provenance_path in sorted(rendered.glob("*.provenance.json")):
        provenance = json.loads(provenance_path.read_text())
        stem = provenance_path.name.removesuffix(".provenance.json")
        body = etree.fromstring(_parts(rendered / f"{stem}-contract.docx")["word/document.xml"])
        tags = [parse_tag(t) for t in body.xpath("//w:sdt/w:sdtPr/w:tag/@w:val", namespaces=NS)]
        clauses = [t for t in tags if t and t.kind == "clause"]
        used = [(c["id"], c["version"], c["position"]) for c in provenance["clauses"]]
        # provenance lists every planned clause; those a `when:` leaves out have no control
        tagged = [(t.id, t.version, t.position) for t in clauses]
        assert tagged == [c for c in used if c in tagged] and len(tagged) >= len(used) - 2
        assert [t.n for t in tags if t] == list(range(1, len(tags) + 1))
        for sdt in body.iter(f"{W}sdt"):
            tag = parse_tag(sdt.find(f"{W}sdtPr/{W}tag").get(f"{W}val"))
            if tag is None or tag.kind != "clause":
                continue
            locked = library.clause(provenance["industry"], tag.id).value.locked
            lock = sdt.find(f"{W}sdtPr/{W}lock")
            assert (lock is not None and lock.get(f"{W}val") == "sdtContentLocked") == locked
            # the clause's heading and text are inside its control
            text = "".join(sdt.itertext())
            assert sdt.find(f"{W}sdtPr/{W}alias").get(f"{W}val") in text
        for sdt in body.iter(f"{W}sdt"):  # Word shows each control by its heading
            tag = parse_tag(sdt.find(f"{W}sdtPr/{W}tag").get(f"{W}val"))
            if tag is not None and tag.id != "signatures":  # the one without a heading
                alias = sdt.find(f"{W}sdtPr/{W}alias")
                assert alias is not None and alias.get(f"{W}val"), (stem, tag)
        assert any(library.clause(provenance["industry"], c[0]).value.locked for c in used)


NS = {"w": W[1:-1]}


def test_custom_xml_part_holds_the_provenance_hashes(rendered: Path) -> None:
    for provenance_path in sorted(rendered.glob("*.provenance.json")):
        provenance = json.loads(provenance_path.read_text())
        stem = provenance_path.name.removesuffix(".provenance.json")
        for kind in ("proposal", "contract"):
            parts = _parts(rendered / f"{stem}-{kind}.docx")
            names = [
                n
                for n, data in parts.items()
                if re.fullmatch(r"customXml/item\d+\.xml", n) and TRACE_NS.encode() in data
            ]
            assert len(names) == 1
            root = etree.fromstring(parts[names[0]])
            assert root.get("reference") == provenance["reference"]
            assert root.get("kind") == kind
            assert root.find(f"{{{TRACE_NS}}}needs").get("sha256") == provenance["needs"]["sha256"]
            library = root.find(f"{{{TRACE_NS}}}library")
            assert library.get("sha256") == provenance["library"]["content_sha256"]
            assert library.get("version") == provenance["library"]["version"]
            # related from the main part; its properties part related from it
            assert f"../{names[0]}" in parts["word/_rels/document.xml.rels"].decode()
            item_rels = parts[names[0].replace("customXml/", "customXml/_rels/") + ".rels"]
            assert b"customXmlProps" in item_rels
            assert b"customXmlProperties+xml" in parts["[Content_Types].xml"]


def test_proposal_sections_are_controls_too(rendered: Path) -> None:
    for path in sorted(rendered.glob("*-proposal.docx")):
        body = etree.fromstring(_parts(path)["word/document.xml"])
        tags = [parse_tag(t) for t in body.xpath("//w:sdt/w:sdtPr/w:tag/@w:val", namespaces=NS)]
        sections = [t for t in tags if t]
        assert sections and all(t.kind == "section" for t in sections)
        assert sum(bool(t.version) for t in sections) >= len(sections) - 2  # presales-added
