"""Chinese documents write counts of days, months and years in Chinese numerals
(提前五日, 三十个工作日, 十二个月), whether the library writes them or fills them in
from the record; percentages and amounts stay in figures."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from propgen.locale import Formatter, chinese_number
from propgen.numerals import chinese_numeral
from propgen.pipeline import check
from support import ROOT, SAMPLES, document_paragraphs

ZH_RECORDS = (
    [
        p
        for p in SAMPLES
        if yaml.safe_load(p.read_text(encoding="utf-8"))["document"]["locale"] == "zh-CN"
    ]
    + sorted((ROOT / "templates" / "industry").glob("*/sample.zh-CN.yaml"))
    + [ROOT / "tests" / "fixtures" / "huaxin-manufacturing.zh.yaml"]
)

COUNT_IN_FIGURES = re.compile(
    r"(?<![\d.,第×、])\d[\d,]*\s?(?:个工作日|个月|个小时|小时|日|天|周|年|期)(?!\d)"
)
"""A count in figures before a Chinese unit: 5日, 30 个工作日, 12个月 — not an ordinal
(第4周), a fraction (9.8个月), 7×24小时 or a date (dates are removed first)."""
DATE = re.compile(r"\d{4}\s?年\s?\d{1,2}\s?月\s?\d{1,2}\s?日|\d{4}\s?年")


def test_chinese_numbers_as_contracts_write_them() -> None:
    assert [chinese_number(n) for n in (1, 10, 15, 20, 30, 48, 60, 90, 100, 105, 110, 180)] == [
        "一",
        "十",
        "十五",
        "二十",
        "三十",
        "四十八",
        "六十",
        "九十",
        "一百",
        "一百零五",
        "一百一十",
        "一百八十",
    ]
    assert chinese_number(365) == "三百六十五"
    assert chinese_number(1005) == "一千零五"
    assert chinese_number(100_000) == "十万"
    assert chinese_number(120_000_000) == "一亿二千万"
    with pytest.raises(ValueError, match="negative"):
        chinese_number(-1)


@given(st.integers(min_value=0, max_value=10**12))
def test_chinese_numbers_read_back_as_the_number(n: int) -> None:
    """The reader the bilingual figure checks use reads every numeral back."""
    assert chinese_numeral(chinese_number(n)) == n


def test_a_count_in_chinese_is_in_chinese_numerals() -> None:
    zh = Formatter("zh-CN", "CNY")
    assert zh.count(30, "day") == "三十日"
    assert zh.count(10, "business-day") == "十个工作日"
    assert zh.count(12, "month") == "十二个月"
    assert zh.count(48, "hour") == "四十八小时"
    assert zh.count(Decimal("180"), "day") == "一百八十日"
    assert zh.count(Decimal("7.5"), "month") == "7.5个月"  # a fraction stays in figures
    assert zh.count(4, "installment") == "四期"
    assert zh.count(2, "month") == "两个月"  # a count of two is 两, not 二
    assert zh.count(2, "item") == "两项"
    assert zh.count(3, "module") == "三个功能模块"
    assert zh.count(12, "month") == "十二个月"
    assert zh.count(20, "day") == "二十日"
    assert Formatter("en-US", "USD").count(30, "day") == "30 days"
    assert Formatter("en-US", "USD").count(1, "installment") == "1 installment"


@pytest.mark.parametrize("path", ZH_RECORDS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_count_in_figures_in_a_chinese_contract(path: Path) -> None:
    """Neither the library's text nor a value filled in from the record writes a count
    in figures in a Chinese contract's paragraphs (tables, where figures are usual, are
    not paragraphs); the record's own free text is the author's and is left as written."""
    checked = check(path, allow_draft=True)
    own = "\n".join(_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))
    for paragraph in _paragraphs(checked.documents["contract"]):
        for found in COUNT_IN_FIGURES.finditer(DATE.sub("", paragraph)):
            assert found.group() in own, (found.group(), paragraph)


def test_filled_counts_follow_the_record(tmp_path: Path) -> None:
    """Changing a record's counts changes the Chinese numerals (they are not fixed text)."""
    source = ROOT / "samples" / "retail.zh-CN.yaml"
    record = yaml.safe_load(source.read_text(encoding="utf-8"))
    terms = record.setdefault("terms", {})
    terms |= {"payment_terms_days": 45, "address_change_notice_days": 7, "term_months": 18}
    path = tmp_path / source.name
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    checked = check(path, allow_draft=True)
    contract = "\n".join(document_paragraphs(checked.documents["contract"]))
    assert "之日起四十五日内" in contract
    assert "提前七日书面通知对方" in contract
    assert "共十八个月" in contract
    assert not re.search(r"(?:45|18|7) ?(?:日|个月)", contract)


def test_library_check_refuses_a_count_filled_in_figures(tmp_path: Path) -> None:
    from propgen.library.store import Library
    from propgen.lint import lint_library

    lib = tmp_path / "lib"
    shutil.copytree(ROOT / "templates", lib / "templates")
    shutil.copytree(ROOT / "snippets", lib / "snippets")
    clause = lib / "snippets" / "clauses" / "term-and-termination.yaml"
    text = clause.read_text(encoding="utf-8")
    fixed = '共{{ terms.term_months | count("month") }}'
    assert fixed in text
    clause.write_text(text.replace(fixed, "共{{ terms.term_months }}个月", 1), encoding="utf-8")
    report = lint_library(Library(lib), dt.date(2026, 12, 1))
    assert any(
        "count(" in p.message and p.file and p.file.endswith("term-and-termination.yaml")
        for p in report.errors
    ), report.errors


def _paragraphs(document: object) -> list[str]:
    """The zh text of every heading and paragraph (not table cells); in a bilingual
    contract the zh column's."""
    from propgen.document import Document, Heading, Paragraph, inline_text, iter_blocks

    assert isinstance(document, Document)
    return [
        inline_text(block.inlines)
        for block in iter_blocks(document.blocks)
        if isinstance(block, Heading | Paragraph)
    ]


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [str(value)]
