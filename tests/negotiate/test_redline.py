"""The redline read back by real clients: pandoc accepts every change → the deal's
contract, rejects every change → the standard contract; LibreOffice sees the same
insertions and deletions; openxml-audit finds the DOCX valid; a re-render is
byte-identical; the PDF shows the changes and opens with the deviations summary."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree  # type: ignore[import-untyped]
from openxml_audit import FileFormat, OpenXmlValidator

from conftest import Result
from negotiate.conftest import Case
from propgen.assemble import assemble_contract
from propgen.library.store import Library
from propgen.locale import chinese_number
from propgen.negotiate.redline import redline_contract, redline_files, standard_plan
from propgen.pipeline import assembly_inputs, check
from propgen.render.docx import render_docx
from support import ROOT, pdf_text, require_tool

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CASES = ["en", "zh"]


@pytest.fixture(scope="module")
def docx_files(
    cases: dict[str, Case], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Path]]:
    """Per case: the redline, the deal's contract and the standard contract as DOCX."""
    out: dict[str, dict[str, Path]] = {}
    for name, case in cases.items():
        folder = tmp_path_factory.mktemp(f"redline-{name}")
        library = Library(case.library)
        checked = check(case.record, library=library, only="contract")
        deal = checked.documents["contract"]
        standard = assemble_contract(assembly_inputs(standard_plan(checked.plan, library), library))
        # the cover (meta) is the deal's in the redline: only the body is compared
        documents = {
            "redline": redline_contract(checked).document,
            "deal": deal,
            "standard": replace(standard, meta=deal.meta),
        }
        out[name] = {}
        for kind, document in documents.items():
            path = folder / f"{kind}.docx"
            # contents without page numbers: the redline's pages (deleted text shown)
            # are not the deal's, and a page number is a field result, not text
            path.write_bytes(render_docx(document, library.theme_dir))
            out[name][kind] = path
    return out


def pandoc_text(path: Path, track_changes: str = "accept") -> list[str]:
    """The document's paragraphs as pandoc reads them, list markers left out: the
    clause and sub-clause numbers are Word list numbering, which pandoc renders as
    its own list markers, not text of the document."""
    pandoc = require_tool("pandoc", "pandoc")
    out = subprocess.run(
        [pandoc, f"--track-changes={track_changes}", "-t", "plain", "--wrap=none", str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    lines = (re.sub(r"^\s*(?:\d+\.|-)\s+", "", line).strip() for line in out.splitlines())
    return [line for line in lines if line]


def _changes(path: Path) -> tuple[list[str], list[str]]:
    """The inserted and deleted texts of a DOCX's body (tracked runs; field codes
    aside)."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))

    def texts(tag: str) -> list[str]:
        return [
            "".join(t.text or "" for t in e.iter(f"{W}t", f"{W}delText"))
            for e in root.iter(f"{W}{tag}")
            if e.getparent().tag != f"{W}rPr"
        ]

    return texts("ins"), texts("del")


@pytest.mark.parametrize("name", CASES)
def test_the_redline_has_real_insertions_and_deletions(
    name: str, docx_files: dict[str, dict[str, Path]]
) -> None:
    inserted, deleted = _changes(docx_files[name]["redline"])
    assert len(inserted) >= 3 and len(deleted) >= 2, (inserted, deleted)
    assert all(text.strip() for text in inserted + deleted)


@pytest.mark.parametrize("name", CASES)
def test_pandoc_accepting_every_change_reads_the_deal_contract(
    name: str, docx_files: dict[str, dict[str, Path]]
) -> None:
    files = docx_files[name]
    assert pandoc_text(files["redline"], "accept") == pandoc_text(files["deal"])


@pytest.mark.parametrize("name", CASES)
def test_pandoc_rejecting_every_change_reads_the_standard_contract(
    name: str, docx_files: dict[str, dict[str, Path]]
) -> None:
    files = docx_files[name]
    rejected = pandoc_text(files["redline"], "reject")
    assert rejected == pandoc_text(files["standard"])
    assert rejected != pandoc_text(files["deal"])


def _lo_changes(path: Path, workdir: Path) -> tuple[int, int]:
    """LibreOffice's count of tracked insertions and deletions: the DOCX opened and
    saved as ODT, ``text:insertion`` / ``text:deletion`` counted in content.xml."""
    soffice = require_tool("soffice", "libreoffice-writer-nogui")
    result = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{workdir}/profile",
            "--convert-to",
            "odt",
            "--outdir",
            str(workdir),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(workdir / f"{path.stem}.odt") as archive:
        content = archive.read("content.xml").decode("utf-8")
    return content.count("<text:insertion"), content.count("<text:deletion")


def _change_regions(path: Path) -> tuple[int, int]:
    """The DOCX's insertions and deletions as an editor counts them: a change runs on
    across paragraph marks changed the same way by the same author (two inserted
    list items are one insertion), and an inserted paragraph's mark is part of the
    insertion of its text."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    events: list[tuple[str, str]] = []  # (kind, author), kind "" for unchanged text
    for p in root.iter(f"{W}p"):
        for child in p:
            if child.tag in (f"{W}ins", f"{W}del"):
                events.append((etree.QName(child).localname, child.get(f"{W}author")))
            elif "".join(child.itertext()).strip() and child.tag != f"{W}pPr":
                events.append(("", ""))
        mark = p.find(f"{W}pPr/{W}rPr")
        changed = [] if mark is None else [*mark.iterchildren(f"{W}ins", f"{W}del")]
        events.append(
            (etree.QName(changed[0]).localname, changed[0].get(f"{W}author"))
            if changed
            else ("", "")
        )
    counts = {"ins": 0, "del": 0}
    previous = ("", "")
    for event in events:
        if event[0] and event != previous:
            counts[event[0]] += 1
        previous = event
    return counts["ins"], counts["del"]


@pytest.mark.parametrize("name", CASES)
def test_libreoffice_counts_the_same_insertions_and_deletions(
    name: str, docx_files: dict[str, dict[str, Path]], tmp_path: Path
) -> None:
    path = docx_files[name]["redline"]
    expected = _change_regions(path)
    assert expected[0] >= 3 and expected[1] >= 2
    assert _lo_changes(path, tmp_path) == expected


@pytest.mark.parametrize("name", CASES)
def test_every_change_is_authored_by_the_approving_role_on_the_document_date(
    name: str, docx_files: dict[str, dict[str, Path]]
) -> None:
    with zipfile.ZipFile(docx_files[name]["redline"]) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    marks = [*root.iter(f"{W}ins"), *root.iter(f"{W}del")]
    assert {m.get(f"{W}date") for m in marks} == {"2026-11-27T00:00:00Z"}
    authors = {m.get(f"{W}author") for m in marks}
    # fees-and-payment names its own approver; the others fall to general counsel
    expected = {"en": {"Finance Director", "General Counsel"}, "zh": {"财务总监", "法务总监"}}
    assert authors == expected[name]
    ids = [m.get(f"{W}id") for m in marks] + root.xpath(
        "//w:bookmarkStart/@w:id", namespaces={"w": W[1:-1]}
    )
    assert len(ids) == len(set(ids))


LO_TRACKED = ROOT / "tests" / "negotiate" / "lo_tracked.py"


def _uno_python() -> str:
    python = "/usr/bin/python3"
    probe = subprocess.run([python, "-c", "import uno"], capture_output=True, check=False)
    if not shutil.which("soffice") or probe.returncode != 0:
        pytest.fail("needs LibreOffice and its Python bridge: apt-get install python3-uno")
    return python


_CLAUSE_NUMBER = {chinese_number(n): str(n) for n in range(1, 100)}


def _lo_lines(path: Path) -> list[str]:
    """LibreOffice's plain text, blank lines dropped. LibreOffice recomputes a REF
    field to a Chinese sub-clause as 第十二.3款 (it ignores the list's isLgl), where
    propgen and Word write 第12.3款; the redline's deleted references are plain text,
    so both are read as 第12.3款."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(
        r"第([一二三四五六七八九十]+)\.(\d+)款",
        lambda m: f"第{_CLAUSE_NUMBER.get(m.group(1), m.group(1))}.{m.group(2)}款",
        text,
    )
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def test_libreoffice_accepting_or_rejecting_every_change_gives_the_deal_or_the_standard(
    docx_files: dict[str, dict[str, Path]], tmp_path: Path
) -> None:
    """Word's semantics, checked in a real office suite: accepting all changes removes
    deleted paragraphs with their marks (no empty paragraphs left), rejecting all
    removes inserted ones, and lists keep their numbering."""
    jobs = []
    for name, files in docx_files.items():
        for kind in ("redline", "deal", "standard"):
            copy = tmp_path / f"{name}-{kind}.docx"
            shutil.copy(files[kind], copy)
        jobs += [f"accept:{tmp_path}/{name}-redline.docx", f"reject:{tmp_path}/{name}-redline.docx"]
        jobs += [f"keep:{tmp_path}/{name}-deal.docx", f"keep:{tmp_path}/{name}-standard.docx"]
    out = tmp_path / "text"
    out.mkdir()
    subprocess.run(
        [_uno_python(), str(LO_TRACKED), str(tmp_path / "profile"), str(out), *jobs],
        check=True,
        capture_output=True,
        timeout=600,
    )
    for name in docx_files:
        accepted = _lo_lines(out / f"{name}-redline.accept.txt")
        rejected = _lo_lines(out / f"{name}-redline.reject.txt")
        assert accepted == _lo_lines(out / f"{name}-deal.txt"), name
        assert rejected == _lo_lines(out / f"{name}-standard.txt"), name
        assert accepted != rejected


def test_every_redline_docx_validates(docx_files: dict[str, dict[str, Path]]) -> None:
    validator = OpenXmlValidator(file_format=FileFormat.OFFICE_2019, max_errors=0, strict=True)
    report = {}
    for name, files in docx_files.items():
        result = validator.validate(str(files["redline"]))
        problems = [
            f"{e.severity.name} {e.part_uri} {e.path}: {e.description}" for e in result.errors
        ]
        if problems or not result.is_valid:
            report[name] = problems
    assert report == {}


@pytest.mark.parametrize("name", CASES)
def test_the_cli_writes_a_byte_identical_redline_each_time(
    name: str, cases: dict[str, Case], run: object, tmp_path: Path
) -> None:
    case = cases[name]
    outputs = []
    for attempt in ("first", "second"):
        out = tmp_path / attempt
        result = run("redline", case.record, "-o", out, "--library", case.library)  # type: ignore[operator]
        assert result.code == 0, result.err
        files = sorted(out.iterdir())
        assert [f.name for f in files] == [
            f"{_stem(case)}-contract-redline.docx",
            f"{_stem(case)}-contract-redline.pdf",
        ]
        outputs.append([f.read_bytes() for f in files])
    assert outputs[0] == outputs[1]


def _stem(case: Case) -> str:
    return "PG-2026-0142" if case.name == "en" else "PG-2026-0157"


@pytest.mark.parametrize("name", CASES)
def test_the_pdf_opens_with_the_deviations_and_shows_the_changes(
    name: str, cases: dict[str, Case], tmp_path: Path
) -> None:
    case = cases[name]
    files = redline_files(case.record, formats=("pdf", "html"), library=Library(case.library))
    pdf = tmp_path / "redline.pdf"
    pdf.write_bytes(files[f"{_stem(case)}-contract-redline.pdf"])
    from pypdf import PdfReader

    pages = [page.extract_text() or "" for page in PdfReader(str(pdf)).pages]
    summary = pages[0].replace("\n", " ")  # page 1, before the contract's cover
    # page 1 holds the deviations table (pdfplumber finds it as a table), then the cover
    header = (
        ["Clause", "Position", "Approval required", "Status"]
        if name == "en"
        else ["条款", "立场", "审批角色", "审批状态"]
    )
    (deviations,) = _tables_under(pdf, 0, header[0])
    assert deviations[0] == header
    numbered = [row for row in deviations[1:] if re.match(r"\d+\.|第", row[0])]
    assert len(numbered) >= 3, deviations  # one row per deviating clause
    assert _stem(case) in summary  # and it says which contract it summarises
    html = files[f"{_stem(case)}-contract-redline.html"].decode()
    cover_title = re.search(r'<div class="cover-title">(.+?)</div>', html)
    # page 2: the cover (a long zh title wraps onto a second line; its last three
    # Chinese characters are held together in a span)
    assert cover_title
    title = re.sub(r"<[^>]+>|\s+", "", cover_title[1])
    assert title in re.sub(r"\s+", "", pages[1])
    if name == "en":
        assert "Redline against the standard positions" in summary
        assert "Approved by Dana Whitfield on 2026-11-20" in summary
        assert summary.count("Pending") == 2  # liability (fallback-2), confidentiality (locked)
        for role in ("Finance Director", "General Counsel"):
            assert role in summary
    else:
        assert "与标准条款的修订对照" in summary
        assert "已由王立于2026-11-20批准" in summary
        assert summary.count("待审批") == 2
    inserted, deleted = _changes(_docx_of(case, tmp_path))
    # the same changes as the DOCX, underlined and struck through
    assert len(re.findall(r"<ins\b[^>]*title=", html)) == len(inserted)
    assert len(re.findall(r"<del\b[^>]*title=", html)) == len(deleted)
    text = pdf_text(pdf)
    squashed = re.sub(r"\s+", "", text)
    for change in inserted + deleted:
        assert re.sub(r"\s+", "", unicodedata.normalize("NFKC", change)) in squashed


def _tables_under(pdf: Path, index: int, first_word: str) -> list[list[list[str]]]:
    """The tables pdfplumber finds on page ``index`` from the word ``first_word`` down.

    The theme rules rows but draws no column lines, so the columns are where the
    rows' rules are cut (one segment per cell); the DRAFT watermark's letters that
    fall inside a cell are left out."""
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        page = document.pages[index]
        word = next(w for w in page.extract_words() if w["text"] == first_word)
        region = page.crop((0, word["top"] - 6, page.width, page.height))
        columns = sorted({round(x) for line in region.lines for x in (line["x0"], line["x1"])})
        settings = {
            "vertical_strategy": "explicit",
            "explicit_vertical_lines": columns,
            "horizontal_strategy": "lines",
        }
        tables = region.extract_tables(settings)
    return [
        [
            [re.sub(r"^[A-Z草案]\n", "", cell or "").replace("\n", " ") for cell in row]
            for row in table
        ]
        for table in tables
    ]


def _docx_of(case: Case, folder: Path) -> Path:
    path = folder / "redline.docx"
    files = redline_files(case.record, formats=("docx",), library=Library(case.library))
    path.write_bytes(files[f"{_stem(case)}-contract-redline.docx"])
    return path


def test_a_deal_in_standard_positions_has_nothing_to_redline(
    run: object, tmp_path: Path, cases: dict[str, Case]
) -> None:
    from support import NORTHWIND

    result: Result = run("redline", NORTHWIND, "-o", tmp_path, "--format", "docx")  # type: ignore[operator]
    assert result.code == 0, result.err
    (path,) = tmp_path.glob("*-contract-redline.docx")
    assert _changes(path) == ([], [])


def test_a_record_without_a_contract_is_refused_naming_the_field(
    run: object, tmp_path: Path
) -> None:
    import yaml

    from support import NORTHWIND

    data = yaml.safe_load(NORTHWIND.read_text(encoding="utf-8"))
    data["document"]["produce"] = ["proposal"]
    record = tmp_path / "proposal-only.yaml"
    record.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    out = tmp_path / "out"
    result: Result = run("redline", record, "-o", out)  # type: ignore[operator]
    assert result.code == 2
    assert "document.produce" in result.err and "no contract to redline" in result.err
    assert "Traceback" not in result.err
    assert not out.exists()


def test_the_docx_is_the_same_with_or_without_its_pdf(cases: dict[str, Case]) -> None:
    """The contents page's numbers come from the printable PDF (less the summary's
    pages) or from a layout of the DOCX's own: the same numbers, the same bytes."""
    case = cases["en"]
    library = Library(case.library)
    alone = redline_files(case.record, formats=("docx",), library=library)
    both = redline_files(case.record, formats=("docx", "pdf"), library=library)
    name = f"{_stem(case)}-contract-redline.docx"
    assert alone[name] == both[name]
    with zipfile.ZipFile(io.BytesIO(alone[name])) as archive:
        xml = archive.read("word/document.xml").decode()
    assert re.search(r'w:anchor="[^"]+"[^>]*>.*?<w:t>\d+</w:t>', xml)  # numbered contents
