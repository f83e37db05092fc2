"""Contract drafts: numbering, cross-references, parties, signatures, draft marks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from propgen.document import Document, Heading, Paragraph, Section, SignatureBlock, iter_blocks
from propgen.document import inline_text as text_of
from propgen.locale import chinese_number
from propgen.pipeline import check
from support import ROOT

SAAS_EN = ROOT / "samples" / "saas.en-US.yaml"
SAAS_ZH = ROOT / "samples" / "saas.zh-CN.yaml"


def contract(path: Path) -> Document:
    return check(path, only="contract").documents["contract"]


def clause_sections(document: Document) -> list[Section]:
    return [
        b
        for b in document.blocks
        if isinstance(b, Section) and isinstance(b.blocks[0], Heading) and b.blocks[0].number
    ]


def full_text(document: Document) -> str:
    parts = []
    for block in iter_blocks(document.blocks):
        if isinstance(block, Heading | Paragraph):
            parts.append(text_of(block.inlines))
    return "\n".join(parts)


def test_chinese_numbers() -> None:
    assert [chinese_number(n) for n in (1, 9, 10, 11, 17, 20, 21, 99)] == [
        "一",
        "九",
        "十",
        "十一",
        "十七",
        "二十",
        "二十一",
        "九十九",
    ]


@pytest.mark.parametrize(("path", "style"), [(SAAS_EN, "en"), (SAAS_ZH, "zh")])
def test_clauses_and_subclauses_are_numbered_in_order(path: Path, style: str) -> None:
    clauses = clause_sections(contract(path))
    assert len(clauses) >= 15
    for n, section in enumerate(clauses, start=1):
        heading = section.blocks[0]
        assert isinstance(heading, Heading)
        assert heading.number == (f"{n}." if style == "en" else f"第{chinese_number(n)}条")
        subs = [b.number for b in section.blocks if isinstance(b, Paragraph) and b.number]
        assert subs == [f"{n}.{k}" for k in range(1, len(subs) + 1)]


@pytest.mark.parametrize(
    ("path", "pattern"),
    [
        (SAAS_EN, r"clause (\d+)(?:\.(\d+))?"),
        (SAAS_ZH, r"第([一二三四五六七八九十]+)条|第(\d+)\.(\d+)款"),
    ],
)
def test_cross_references_resolve_to_existing_numbers(path: Path, pattern: str) -> None:
    document = contract(path)
    clauses = clause_sections(document)
    numbers = {section.blocks[0].number for section in clauses}  # type: ignore[union-attr]
    text = full_text(document)
    found = re.findall(pattern, text)
    assert len(found) >= 4, "the library cross-references at least four clauses"
    assert "ref(" not in text and "{{" not in text
    subclause_numbers = {
        b.number for s in clauses for b in s.blocks if isinstance(b, Paragraph) and b.number
    }
    for match in re.finditer(pattern, text):
        groups = [g for g in match.groups() if g]
        if path == SAAS_EN:
            label = f"{groups[0]}." if len(groups) == 1 else ".".join(groups)
            assert label in numbers | subclause_numbers, match.group(0)
        elif match.group(1):
            assert f"第{match.group(1)}条" in numbers, match.group(0)
        else:
            assert f"{match.group(2)}.{match.group(3)}" in subclause_numbers, match.group(0)


def test_liability_refers_to_confidentiality_by_its_number() -> None:
    document = contract(SAAS_EN)
    clauses = clause_sections(document)
    number = next(
        s.blocks[0].number
        for s in clauses
        if s.source_id == "confidentiality" and isinstance(s.blocks[0], Heading)
    ).rstrip(".")
    liability = next(s for s in clauses if s.source_id == "limitation-of-liability")
    assert f"clause {number}" in full_text(Document(document.meta, (liability,)))


def test_chinese_parties_and_signatures() -> None:
    document = contract(SAAS_ZH)
    text = full_text(document)
    parties = next(
        b for b in document.blocks if isinstance(b, Section) and b.source_id == "parties"
    )
    table_text = str(parties)
    for word in ("甲方", "乙方", "统一社会信用代码", "住所", "法定代表人"):
        assert word in table_text, word
    signatures = next(b for b in iter_blocks(document.blocks) if isinstance(b, SignatureBlock))
    assert [s.heading for s in signatures.signatories] == ["甲方（盖章）", "乙方（盖章）"]
    assert "法定代表人或授权代表（签字）" in signatures.signatories[0].lines
    assert "日期" in signatures.signatories[0].lines
    assert "附件一" in text
    assert document.meta.watermark == "草案"
    assert "页" in document.meta.page_suffix


def test_english_contract_meta() -> None:
    document = contract(SAAS_EN)
    assert document.meta.watermark == "DRAFT"
    assert document.meta.footer.startswith("PG-2027-0031 · Version")
    # The fallback position is approved in the record: the notice names no deviation,
    # only the clauses changed since legal approved them (the library's own state).
    assert "Approval outstanding" not in document.meta.notice
    assert document.meta.notice.startswith("Clauses changed since legal approved them")


@pytest.mark.parametrize(
    ("position", "en", "zh"),
    [
        ("standard", "standard", "标准"),
        ("fallback-1", "fallback 1", "第一备选"),
        ("fallback-12", "fallback 12", "第十二备选"),
        ("customer-paper", "customer-paper", "customer-paper"),
    ],
)
def test_a_position_is_named_as_a_reader_names_it(position: str, en: str, zh: str) -> None:
    """The zh cover's notice read "违约责任与责任限制（fallback-1 立场）": an id, not Chinese."""
    from propgen.assemble import position_name
    from propgen.context import label_function
    from propgen.library import Library, default_library_root

    library = Library(default_library_root())
    en_label, zh_label = (label_function(library.labels(loc)) for loc in ("en-US", "zh-CN"))
    assert position_name(position, en_label, chinese=False) == en
    assert position_name(position, zh_label, chinese=True) == zh


def test_the_zh_cover_names_a_pending_position_in_chinese() -> None:
    contract = check(ROOT / "tests" / "fixtures" / "huaxin-manufacturing.zh.yaml").documents[
        "contract"
    ]
    assert "（第一备选立场）" in contract.meta.notice, contract.meta.notice
    assert "fallback" not in contract.meta.notice
