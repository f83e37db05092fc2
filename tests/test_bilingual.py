"""Bilingual (中英对照) contracts: the sample renders Chinese left and English right in
both formats, every row states the same figures in both columns (a hostile library
that changes one figure is refused), the record's languages are validated, the
language clause's positions are governed, and the archival profile still holds."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Callable
from functools import cache
from pathlib import Path

import docx
import pdfplumber
import pikepdf
import pytest
import yaml

from conftest import Result
from propgen.library.store import Library
from propgen.locale import chinese_number
from propgen.pipeline import Checked, check, render_documents
from support import ROOT, tables

Run = Callable[..., Result]
SAMPLE = ROOT / "samples" / "manufacturing.bilingual.yaml"
CJK = re.compile(r"[\u4e00-\u9fff]")


@cache
def _checked() -> Checked:
    return check(SAMPLE, only="contract")


@cache
def _contract(fmt: str, profile: str = "standard") -> bytes:
    files = render_documents(_checked(), (fmt,), pdf_profile=profile)  # type: ignore[arg-type]
    (data,) = files.values()
    return data


def _clause_count() -> int:
    """The clauses in the sample's contract (a clause whose ``when`` is false is left out)."""
    from propgen.document import Section

    planned = {clause.id for clause in _checked().plan.clauses}
    blocks = _checked().documents["contract"].blocks
    return sum(1 for b in blocks if isinstance(b, Section) and b.source_id in planned)


def _in_item_name(word: str) -> bool:
    names = "".join(item.name for item in _checked().plan.record.pricing.items)
    return word.rstrip("/ ") in names


def _library_copy(tmp_path: Path) -> Path:
    root = tmp_path / "library"
    for part in ("templates", "snippets"):
        shutil.copytree(ROOT / part, root / part)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- the two columns, in both formats ---------------------------------------------


def test_pdf_puts_chinese_left_and_english_right_on_every_clause_page() -> None:
    data = _contract("pdf")
    checked_pages = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
        first = next(i for i, t in enumerate(texts) if "第一条" in t and "1. Definitions" in t)
        last = next(i for i, t in enumerate(texts) if "（以下无正文）" in t)
        for page in pdf.pages[first : last + 1]:
            mid = float(page.width) / 2
            top, bottom = 60.0, float(page.height) - 50.0  # inside the running header/footer
            # body text only: not the running header/footer, not the DRAFT watermark
            body = page.filter(lambda obj: obj.get("size", 0) < 20)
            every = body.extract_words()
            # the signature boxes (one party a side) end the clause rows
            seals = [w["top"] for w in every if "盖章" in w["text"]]
            bottom = min([bottom, *seals])
            words = [w for w in every if top < w["top"] and w["bottom"] < bottom]
            # the sample names its line items in both languages ("MES 平台软件许可 / MES
            # platform license"), and the English column cites them as named
            chinese = [w for w in words if CJK.search(w["text"]) and not _in_item_name(w["text"])]
            english = [w for w in words if re.fullmatch(r"[A-Za-z][a-z]{3,}[,.;:]?", w["text"])]
            assert chinese and english, f"page {page.page_number} lacks a column"
            assert all(w["x1"] <= mid + 1 for w in chinese), page.page_number
            right = [w for w in english if w["x0"] >= mid]
            assert len(right) >= 0.95 * len(english), page.page_number
            checked_pages += 1
    assert checked_pages >= 15


def test_docx_has_a_two_column_table_per_clause_with_both_numbers() -> None:
    document = docx.Document(io.BytesIO(_contract("docx")))
    headings = []
    for table in tables(document):
        if len(table.columns) != 2:
            continue
        left, right = (cell.text.strip() for cell in table.rows[0].cells)
        if left.startswith("第") and "条" in left[:6]:
            headings.append((left, right, table))
    count = _clause_count()
    assert len(headings) == count
    for n, (left, right, table) in enumerate(headings, start=1):
        assert left.startswith(f"第{chinese_number(n)}条"), left
        assert right.startswith(f"{n}. "), right
        assert CJK.search(left) and not CJK.search(right)
        # the heading row repeats on each page the clause runs onto
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(docx.oxml.ns.qn("w:tblHeader")) is not None
        for row in table.rows[1:]:
            zh, en = (cell.text for cell in row.cells)
            assert CJK.search(zh), (n, zh[:40])
            assert re.search(r"[A-Za-z]{4}", en), (n, en[:40])


def test_the_same_numbers_in_both_columns_of_the_docx() -> None:
    document = docx.Document(io.BytesIO(_contract("docx")))
    numbered = 0
    for table in tables(document):
        if len(table.columns) != 2:
            continue
        for row in table.rows:
            zh, en = (cell.text.strip() for cell in row.cells)
            zh_number = re.match(r"(\d+\.\d+)\s", zh)
            if zh_number:
                numbered += 1
                assert en.startswith(zh_number.group(1)), (zh[:20], en[:20])
    assert numbered > 40


def test_same_input_same_bytes(tmp_path: Path) -> None:
    outputs = []
    for name in ("one", "two"):
        out = tmp_path / name
        from propgen.cli import main

        assert main(["render", str(SAMPLE), "-o", str(out), "--only", "contract"]) == 0
        outputs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert outputs[0] == outputs[1]


def test_archival_bilingual_contract_is_sound_and_signable(tmp_path: Path) -> None:
    data = _contract("pdf", "archival")
    qpdf = shutil.which("qpdf")
    assert qpdf, "qpdf is missing: apt-get install qpdf (the Makefile installs it)"
    target = tmp_path / "bilingual.pdf"
    target.write_bytes(data)
    result = subprocess.run([qpdf, "--check", str(target)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    with pikepdf.open(io.BytesIO(data)) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"]) == ("3", "B")
        pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        fields = {
            str(f.T): (pages[f.P.objgen], [float(v) for v in f.Rect])
            for f in pdf.Root.AcroForm.Fields
        }
    # each party signs once, in its bilingual box: the primary language's field names
    assert set(fields) == {"PartyA_Signature", "PartyA_Seal", "PartyB_Signature", "PartyB_Seal"}
    (page,) = {p for p, _ in fields.values()}
    with pdfplumber.open(io.BytesIO(data)) as plumbed:
        sheet = plumbed.pages[page]
        height = float(sheet.height)
        words = sheet.extract_words()
        text = sheet.extract_text() or ""
    assert "甲方（盖章）" in text and "Party A (Company Seal)" in text
    mid = float(sheet.width) / 2
    for name, (_, (left, bottom, right, top)) in fields.items():
        party_a = name.startswith("PartyA")
        assert (right <= mid + 1) if party_a else (left >= mid - 1), name
        if name.endswith("_Signature"):
            # beside its label, in both languages
            for label in ("签字", "(Signature)"):
                assert any(
                    label in w["text"]
                    and w["x1"] <= left + 1
                    and bottom - 30 <= height - w["bottom"] <= top
                    for w in words
                ), (name, label)


# --- the checks: figures, versions, translations ----------------------------------


def test_a_translation_stating_another_figure_is_refused(run: Run, tmp_path: Path) -> None:
    library = _library_copy(tmp_path)
    clause = library / "snippets" / "clauses" / "fees-and-payment.yaml"
    _edit(
        clause,
        "If payment is more than 15 days overdue",
        "If payment is more than 20 days overdue",
    )
    out = tmp_path / "out"
    result = run("render", SAMPLE, "-o", out, "--library", library)
    assert result.code == 2, result.err
    assert "fees-and-payment" in result.err
    assert "zh-CN only: 15" in result.err and "en-US only: 20" in result.err
    assert not out.exists() or not any(out.iterdir())
    assert run("check", SAMPLE, "--library", library).code == 2


def test_a_translation_of_an_older_version_is_refused(run: Run, tmp_path: Path) -> None:
    library = _library_copy(tmp_path)
    clause = library / "snippets" / "clauses" / "confidentiality.yaml"
    version = yaml.safe_load(clause.read_text(encoding="utf-8"))["version"]
    _edit(clause, f'version: "{version}"\n', 'version: "9.9.9"\n')  # the clause moves on
    result = run("check", SAMPLE, "--library", library)
    assert result.code == 2
    assert "confidentiality" in result.err
    assert "positions.standard.translation.version" in result.err
    # check speaks the record's language (zh-CN)
    assert f"的 en-US 译文审批时对应版本 {version}，而 zh-CN 原文现为版本 9.9.9" in result.err


def test_a_clause_without_a_translation_is_refused(run: Run, tmp_path: Path) -> None:
    library = _library_copy(tmp_path)
    clause = library / "snippets" / "clauses" / "force-majeure.yaml"
    data = yaml.safe_load(clause.read_text(encoding="utf-8"))
    del data["positions"]["standard"]["translation"]
    clause.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run("check", SAMPLE, "--library", library)
    assert result.code == 2
    assert "'force-majeure' 缺少其 zh-CN 文本的 en-US 译文" in result.err


def test_a_wrong_capital_amount_is_refused(run: Run, tmp_path: Path) -> None:
    library = _library_copy(tmp_path)
    clause = library / "snippets" / "clauses" / "fees-and-payment.yaml"
    # a hostile library prints the tax's 大写 beside the total
    _edit(
        clause, "（大写：{{ pricing.total | words }}）", "（大写：{{ pricing.subtotal | words }}）"
    )
    result = run("check", SAMPLE, "--library", library)
    assert result.code == 2
    assert "fees-and-payment" in result.err and "大写金额" in result.err


# --- the record's languages ----------------------------------------------------------


@pytest.mark.parametrize(
    ("languages", "message"),
    [
        ("[zh-CN, en-US, zh-CN]", "exactly two different languages"),
        ("[zh-CN, zh-CN]", "exactly two different languages"),
        ("[en-US]", "exactly two different languages"),
        ("[zh-CN, fr-FR]", "'fr-FR'"),
    ],
)
def test_languages_are_validated(run: Run, tmp_path: Path, languages: str, message: str) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    line = text.splitlines().index("  languages: [zh-CN, en-US]") + 1
    record = tmp_path / "deal.yaml"
    record.write_text(
        text.replace("languages: [zh-CN, en-US]", f"languages: {languages}"), encoding="utf-8"
    )
    out = tmp_path / "out"
    result = run("render", record, "-o", out)
    assert result.code == 2
    assert f"deal.yaml:{line}" in result.err and "document.languages" in result.err
    assert message in result.err
    assert not out.exists()
    assert "Traceback" not in result.err


def test_an_english_primary_text_needs_chinese_translations(run: Run, tmp_path: Path) -> None:
    """[en-US, zh-CN]: the English text governs and the Chinese column translates it;
    the bundled library has no such translations, and says which are missing."""
    record = tmp_path / "deal.yaml"
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "languages: [zh-CN, en-US]", "languages: [en-US, zh-CN]"
    )
    record.write_text(text.split("\ntranslations:")[0] + "\n", encoding="utf-8")
    result = run("check", record)
    assert result.code == 2
    assert "zh-CN translation" in result.err or "zh-CN 译文" in result.err
    assert "positions.standard.translation.text.zh-CN" in result.err


def test_translations_need_a_bilingual_contract(run: Run, tmp_path: Path) -> None:
    record = tmp_path / "deal.yaml"
    text = SAMPLE.read_text(encoding="utf-8").replace("  languages: [zh-CN, en-US]\n", "")
    record.write_text(text, encoding="utf-8")
    result = run("check", record)
    assert result.code == 2
    assert "translations" in result.err and "document.languages" in result.err


# --- the governing-language clause ---------------------------------------------------


def test_chinese_prevails_by_default() -> None:
    left, right = [], []
    with pdfplumber.open(io.BytesIO(_contract("pdf"))) as pdf:
        for page in pdf.pages:
            body = page.filter(lambda obj: obj.get("size", 0) < 20)
            mid = float(page.width) / 2
            left.append(body.crop((0, 0, mid, float(page.height))).extract_text() or "")
            right.append(
                body.crop((mid, 0, float(page.width), float(page.height))).extract_text() or ""
            )
    assert "以中文文本为准" in re.sub(r"\s", "", "".join(left))
    assert "the Chinese text prevails" in " ".join(right).replace("\n", " ")
    assert not _checked().plan.deviations


def test_english_prevailing_is_a_deviation_needing_the_general_counsel(tmp_path: Path) -> None:
    record = tmp_path / "deal.yaml"
    record.write_text(
        SAMPLE.read_text(encoding="utf-8").replace(
            "  language: standard\n", "  language: other-prevails\n"
        ),
        encoding="utf-8",
    )
    checked = check(record, only="contract")
    (deviation,) = checked.plan.deviations
    assert (deviation.subject, deviation.approval, deviation.approved) == (
        "clause:language",
        "general-counsel",
        False,
    )
    notice = checked.documents["contract"].meta.notice
    assert "尚待审批" in notice and "Approval outstanding" in notice


def test_the_language_clause_is_only_in_bilingual_contracts() -> None:
    monolingual = check(ROOT / "samples" / "manufacturing.zh-CN.yaml", only="contract")
    from propgen.document import Section

    ids = [b.source_id for b in monolingual.documents["contract"].blocks if isinstance(b, Section)]
    assert "language" not in ids and "governing-law" in ids
    bilingual = [
        b.source_id for b in _checked().documents["contract"].blocks if isinstance(b, Section)
    ]
    assert bilingual.index("language") == bilingual.index("governing-law") + 1


def test_library_check_accepts_the_translations() -> None:
    library = Library(ROOT)
    loaded = library.clause("manufacturing", "language").value
    assert set(loaded.positions) == {"standard", "other-prevails", "equally-authentic"}
    assert loaded.positions["other-prevails"].approval == "general-counsel"


def test_library_check_refuses_a_stale_or_broken_translation(run: Run, tmp_path: Path) -> None:
    library = _library_copy(tmp_path)
    clause = library / "snippets" / "clauses" / "notices.yaml"
    version = yaml.safe_load(clause.read_text(encoding="utf-8"))["version"]
    _edit(clause, f'version: "{version}"\n', 'version: "9.0.0"\n')
    acceptance = library / "snippets" / "clauses" / "acceptance.yaml"
    _edit(acceptance, "within 10 Working Days after", "within {{ terms.acceptance_days }} after")
    labels = library / "templates" / "labels" / "translated" / "en-US.yaml"
    labels.write_text(
        labels.read_text(encoding="utf-8") + "party_a_only: Party A\n", encoding="utf-8"
    )
    result = run("library", "check", "--library", library)
    assert result.code == 2
    assert "positions.standard.translation.version" in result.err
    assert f"translation approved at version {version}, but the text is at 9.0.0" in result.err
    assert "acceptance_days" in result.err and "translation.text.en-US" in result.err
    assert "translated label 'party_a_only'" in result.err
