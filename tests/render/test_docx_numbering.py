"""Contract clauses are a real Word list and cross-references are REF fields: a clause
inserted in the DOCX renumbers the clauses after it and the references to them, once
fields are updated (LibreOffice, as Word does on F9)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from propgen.cli import main
from propgen.locale import chinese_number
from support import ROOT, paragraphs, style_name

UPDATE_FIELDS = ROOT / "tests" / "render" / "lo_update_fields.py"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CASES = {
    "en": (ROOT / "samples" / "saas.en-US.yaml", "Inserted clause"),
    "zh": (ROOT / "samples" / "manufacturing.zh-CN.yaml", "新增条款"),
}


def _uno_python() -> str:
    python = "/usr/bin/python3"
    probe = subprocess.run([python, "-c", "import uno"], capture_output=True, check=False)
    if not shutil.which("soffice") or probe.returncode != 0:
        pytest.fail("needs LibreOffice and its Python bridge: apt-get install python3-uno")
    return python


def _ref_fields(path: Path) -> list[tuple[str, str]]:
    """(bookmark, shown result) of every REF field, in order (complex fields)."""
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode()
    fields = []
    for match in re.finditer(
        r"<w:instrText[^>]*>\s*REF (\S+)[^<]*</w:instrText>(.*?)w:fldCharType=\"end\"",
        xml,
        re.S,
    ):
        shown = match.group(2).split('w:fldCharType="separate"', 1)[-1]
        fields.append((match.group(1), "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", shown))))
    return fields


def _clause_of(result: str) -> int:
    """The clause a reference's result names: "9" / "9.2" → 9, "第十二条" → 12."""
    if not result.startswith("第"):
        return int(result.partition(".")[0])
    tens, ten, ones = result[1:-1].rpartition("十")
    numerals = "零一二三四五六七八九"
    return (numerals.index(tens) if tens else 1) * 10 * bool(ten) + (
        numerals.index(ones) if ones else 0
    )


def _bump(result: str) -> str:
    """A reference's result one clause later: 9 → 10, 9.2 → 10.2, 第九条 → 第十条."""
    n = _clause_of(result)
    if result.startswith("第"):
        return f"第{chinese_number(n + 1)}条"
    return f"{n + 1}{result[len(str(n)) :]}"


@pytest.mark.parametrize("locale", sorted(CASES))
def test_inserted_clause_renumbers_clauses_and_references(locale: str, tmp_path: Path) -> None:
    python = _uno_python()
    sample, title = CASES[locale]
    assert (
        main(["render", str(sample), "-o", str(tmp_path), "--format", "docx", "--only", "contract"])
        == 0
    )
    rendered = next(tmp_path.glob("*-contract.docx"))
    before = _ref_fields(rendered)
    assert before and all(shown for _, shown in before)  # results are filled in

    document = docx.Document(str(rendered))
    clauses = [p for p in paragraphs(document) if style_name(p) == "Clause Heading"]
    assert len(clauses) > 5
    inserted = clauses[1].insert_paragraph_before(title, style="Clause Heading")
    assert style_name(inserted) == "Clause Heading"
    edited = tmp_path / "edited.docx"
    document.save(str(edited))

    out = tmp_path / "lo"
    out.mkdir()
    subprocess.run(
        [python, str(UPDATE_FIELDS), str(tmp_path / "profile"), str(out), str(edited)],
        check=True,
        timeout=300,
        capture_output=True,
    )
    text = "\n".join(p.extract_text() or "" for p in PdfReader(out / "edited.pdf").pages)
    squashed = re.sub(r"\s+", "", text)
    chinese = locale == "zh"

    def label(n: int) -> str:
        return f"第{chinese_number(n)}条" if chinese else f"{n}."

    # the clause list: the first clause keeps 1, the inserted one is 2, the rest move by one
    titles = [p.text for p in clauses]
    assert re.sub(r"\s+", "", label(1) + titles[0]) in squashed
    assert re.sub(r"\s+", "", label(2) + title) in squashed
    for n, heading in enumerate(titles[1:], start=3):
        assert re.sub(r"\s+", "", label(n) + heading) in squashed, (n, heading)

    # every reference follows its clause: those at or after the insertion move by one
    after = _ref_fields(out / "edited.updated.docx")
    assert [mark for mark, _ in after] == [mark for mark, _ in before]
    for (mark, old), (_, new) in zip(before, after, strict=True):
        assert new == (_bump(old) if _clause_of(old) >= 2 else old), (mark, old, new)

    # sub-clause numbers are Arabic under Chinese clause headings too ("3.1", never "三.1"),
    # and follow the inserted clause: the first clause's 1.1, then 3.1 for the old clause 2
    assert not re.search(r"[一二三四五六七八九十]\.\d", squashed)
    body = paragraphs(document)
    subclauses = [p.text for p in body if style_name(p) == "Subclause"]
    assert re.sub(r"\s+", "", "1.1" + subclauses[0])[:12] in squashed
    start = next(i for i, p in enumerate(body) if p._p is clauses[1]._p)
    first_of_old_2 = next(p.text for p in body[start:] if style_name(p) == "Subclause")
    assert re.sub(r"\s+", "", "3.1" + first_of_old_2)[:12] in squashed
