"""``library check`` and assembly refuse library defects that would reach a document."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from propgen.document import Heading, Paragraph, Section, inline_text, iter_blocks
from propgen.pipeline import check
from support import ROOT

Run = Callable[..., Result]
MANUFACTURING = ROOT / "templates" / "industry" / "manufacturing"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A copy of the bundled library to break."""
    lib = tmp_path / "lib"
    shutil.copytree(ROOT / "templates", lib / "templates")
    shutil.copytree(ROOT / "snippets", lib / "snippets")
    return lib


def test_reference_to_a_missing_subclause_is_refused(run: Run, library: Path) -> None:
    """``ref(id, 99)`` would print "clause 4.99"; check and library check say where."""
    clause = library / "templates" / "industry" / "manufacturing" / "clauses"
    path = clause / "site-acceptance.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count('ref("site-acceptance", 5)') == 3  # en-US, zh-CN, the zh-CN's English
    path.write_text(text.replace('ref("site-acceptance", 5)', 'ref("site-acceptance", 99)'))
    sample = MANUFACTURING / "sample.en-US.yaml"

    checked = run("check", sample, "--library", library)
    assert checked.code == 2, checked.err
    assert "site-acceptance.yaml" in checked.err
    assert "ref('site-acceptance', 99) refers to sub-clause 99" in checked.err
    assert "Traceback" not in checked.err

    linted = run("library", "check", "--library", library)
    assert linted.code == 2
    assert "ref('site-acceptance', 99)" in linted.err


def test_existing_subclause_reference_renders_its_number() -> None:
    checked = check(MANUFACTURING / "sample.en-US.yaml", allow_draft=True)
    contract = checked.documents["contract"]
    [section] = [
        b for b in contract.blocks if isinstance(b, Section) and b.source_id == "site-acceptance"
    ]
    heading = section.blocks[0]
    assert isinstance(heading, Heading)
    number = heading.number.rstrip(".")
    numbered = [b.number for b in section.blocks if isinstance(b, Paragraph) and b.number]
    assert f"{number}.5" in numbered
    text = " ".join(
        inline_text(b.inlines) for b in iter_blocks(contract.blocks) if isinstance(b, Paragraph)
    )
    assert f"clause {number}.5" in text.lower()


def test_misspelt_industry_default_is_a_library_error(run: Run, library: Path) -> None:
    manifest = library / "templates" / "industry" / "saas" / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "terms: {sla: standard}" in text
    manifest.write_text(text.replace("terms: {sla: standard}", "terms: {slaa: standard}"))
    sample = library / "templates" / "industry" / "saas" / "sample.en-US.yaml"

    for result in (
        run("check", sample, "--library", library),
        run("library", "check", "--library", library),
    ):
        assert result.code == 2, result.err
        assert "manifest.yaml:" in result.err
        assert "defaults.terms.slaa" in result.err
        assert "Traceback" not in result.err


def test_a_library_id_is_checked_like_a_record_id(run: Run, library: Path) -> None:
    """One ``Identifier`` for records and library files: a bad id says what an id is
    and offers the close one, in the library as in a needs file."""
    path = library / "snippets" / "sections" / "acceptance.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("id: acceptance", "id: Acceptance_Page", 1), encoding="utf-8")
    result = run("library", "check", "--library", library)
    assert result.code == 2, result.err
    assert "acceptance.yaml" in result.err
    assert "'Acceptance_Page' is not an id" in result.err
    assert "did you mean 'acceptance-page'?" in result.err
    assert "Traceback" not in result.err


def test_library_check_speaks_chinese(run: Run, library: Path) -> None:
    """Legal's tool follows ``--lang`` (or ``$LANG``): every message of a broken
    library in Chinese, with ids, field paths and file names as they are."""
    saas = library / "templates" / "industry" / "saas"
    manifest = saas / "manifest.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("- onboarding\n", "- onbord\n")
    )
    section = saas / "sections" / "subscription-model.yaml"
    text = section.read_text(encoding="utf-8")
    section.write_text(text.replace("{{ customer.name }}", "{{ customer.nam }}", 1))
    clause = library / "snippets" / "clauses" / "language.yaml"
    text = clause.read_text(encoding="utf-8")
    clause.write_text(text.replace("approval: general-counsel", "approval: general-counsle", 1))
    overdue = library / "snippets" / "clauses" / "confidentiality.yaml"
    text = overdue.read_text(encoding="utf-8")
    overdue.write_text(re.sub(r"(?m)^review_by: .*$", "review_by: 2025-01-01", text))

    result = run("--lang", "zh-CN", "library", "check", "--library", library)

    assert result.code == 2, result.err
    lines = result.err.splitlines()
    assert "Traceback" not in result.err and "Error" not in result.err
    expected = [
        f"警告：{overdue}:8: review_by: 应于 2025-01-01 复核，现已逾期",
        "proposal.sections.6: 章节 'onbord' 不存在",
        "manifest.yaml: 已列明章节 'onbord'，但找不到对应的章节文件 — "
        "请在行业文件夹或 snippets/ 中添加 sections/onbord.yaml",
        "positions.other-prevails.approval: 角色 'general-counsle' 未在 policy.yaml 的 roles "
        "中声明 — 已声明的角色：finance-director, general-counsel, sales-director",
        "subscription-model.yaml:11: text.en-US: customer 没有字段 'nam'",
    ]
    for part in expected:
        assert any(part in line for line in lines), (part, result.err)
    assert all(line.startswith(("错误：", "警告：")) for line in lines), result.err
    assert not [line for line in lines if re.search(r"[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}", line)]
